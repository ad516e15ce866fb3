//! Imports large enough that the loaders hold rows in memory and write them out together:
//! the change log of a workers register and of its next month's version, row for row as
//! each change was logged; the check-in rollup exact and unchanged by a re-import, with a
//! page cache small enough that the import spills into the file before it commits; the
//! redemptions of a points register naming every worker, judged worker by worker in date
//! order against ledgers read in one pass.

use crate::util::{Dir, OPERATOR};

/// Workers in the generated register: more than the change log holds in memory at once.
const WORKERS: usize = 1100;

const STREETS: [&str; 2] = ["柳巷街道", "文庙街道"];

/// The generated workers whom next month's register leaves out (both of 柳巷街道).
const ABSENT: [usize; 2] = [WORKERS - 4, WORKERS - 2];

fn name(i: usize) -> String {
    let family: Vec<char> = "王李张刘陈杨赵黄周吴".chars().collect();
    let given: Vec<char> = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚".chars().collect();
    [family[i % 10], given[(i / 10) % 20], given[(i * 7) % 20]]
        .iter()
        .collect()
}

fn phone(i: usize, prefix: &str) -> String {
    format!("{prefix}{i:08}")
}

/// A valid 身份证号 of 迎泽区, born 1990-01-01 or -02.
fn id_number(i: usize) -> String {
    let body = format!("1401061990010{}{:03}", 1 + i / 1000, i % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn masked_phone(p: &str) -> String {
    format!("{}****{}", &p[..3], &p[7..])
}

/// Next month's register changes the 手机号 of these …
fn new_phone(i: usize) -> bool {
    i % 7 == 3
}

/// … and moves these to the other street.
fn moves(i: usize) -> bool {
    i % 11 == 5
}

fn workers_csv(next_month: bool) -> String {
    let mut csv = String::from(
        "姓名,性别,手机号,身份证号,政治面貌,从业类型,所属企业,所属站点,所属街道,所属社区\n",
    );
    for i in 0..WORKERS {
        if next_month && ABSENT.contains(&i) {
            continue;
        }
        let p = phone(
            i,
            if next_month && new_phone(i) {
                "139"
            } else {
                "138"
            },
        );
        let street = STREETS[if next_month && moves(i) {
            (i + 1) % 2
        } else {
            i % 2
        }];
        // A stage of the party pipeline, recorded outside the change log, half way through.
        let status = if next_month && i == 75 {
            "入党积极分子"
        } else {
            "群众"
        };
        let gender = if i % 2 == 1 { "男" } else { "女" };
        csv.push_str(&format!(
            "{},{gender},{p},{},{status},快递员,,,{street},\n",
            name(i),
            id_number(i)
        ));
    }
    csv
}

type Row = Vec<Option<String>>;

fn change(
    id: usize,
    worker: usize,
    field: &str,
    old: Option<String>,
    new: Option<String>,
    batch: i64,
) -> Row {
    vec![
        Some(id.to_string()),
        Some("worker".into()),
        Some(worker.to_string()),
        Some(field.into()),
        old,
        new,
        Some("import workers".into()),
        Some(batch.to_string()),
        Some(OPERATOR.into()),
    ]
}

/// The change log a register of [`WORKERS`] and its next month's version leave, worked out
/// from what changed: every worker registered, in file order; then, worker by worker, the
/// 手机号 (masked) before the street; then the absent workers marked as left, by 姓名.
fn expected_log() -> Vec<Row> {
    let mut rows = Vec::new();
    for i in 0..WORKERS {
        rows.push(change(rows.len() + 1, i + 1, "*", None, Some(name(i)), 1));
    }
    for i in 0..WORKERS {
        if ABSENT.contains(&i) {
            continue;
        }
        if new_phone(i) {
            let (old, new) = (
                masked_phone(&phone(i, "138")),
                masked_phone(&phone(i, "139")),
            );
            rows.push(change(
                rows.len() + 1,
                i + 1,
                "phone",
                Some(old),
                Some(new),
                2,
            ));
        }
        if moves(i) {
            let (old, new) = (STREETS[i % 2].to_string(), STREETS[(i + 1) % 2].to_string());
            rows.push(change(
                rows.len() + 1,
                i + 1,
                "street",
                Some(old),
                Some(new),
                2,
            ));
        }
    }
    let mut absent: Vec<(String, usize)> = ABSENT.iter().map(|&i| (name(i), i + 1)).collect();
    absent.sort();
    for (_, worker) in absent {
        rows.push(change(
            rows.len() + 1,
            worker,
            "left_on",
            None,
            Some("2025-08-31".into()),
            2,
        ));
    }
    rows
}

fn registered() -> Dir {
    let d = Dir::new();
    d.init();
    d.write("workers-7.csv", workers_csv(false));
    d.by_operator(&["-q", "import", "workers", "workers-7.csv"])
        .ok();
    d
}

#[test]
fn change_log_of_a_register_and_its_next_month_holds_every_change_in_order() {
    let d = registered();
    d.write("workers-8.csv", workers_csv(true));
    d.by_operator(&[
        "import",
        "workers",
        "workers-8.csv",
        "--missing",
        "left",
        "--date",
        "2025-08-31",
    ])
    .ok()
    .stderr_has(&["workers-8.csv: 共 1098 行：新增 0，更新 244，未变 854"]);
    let log = d.rows(
        "SELECT id, entity, entity_id, field, old, new, command, batch_id, operator
         FROM change_log ORDER BY id",
    );
    let expected = expected_log();
    assert_eq!(log.len(), 1359);
    assert_eq!(log, expected);
    // Each change carries the time it was logged.
    assert_eq!(
        d.int("SELECT count(*) FROM change_log WHERE at GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]'"),
        1359
    );
    // The stage of row 75 is recorded, beside the log.
    assert_eq!(
        d.int("SELECT count(*) FROM worker_stages WHERE worker_id = 76"),
        1
    );
}

#[test]
fn a_refused_departure_leaves_nothing_of_the_file_in_the_change_log() {
    let d = registered();
    d.write("workers-8.csv", workers_csv(true));
    // One absent worker joined after the departure date: the file is refused whole, the
    // changes its rows had logged (written out before the marks began) included.
    d.nf(&[
        "worker",
        "update",
        &phone(ABSENT[0], "138"),
        "--joined-on",
        "2025-09-01",
    ])
    .ok();
    let before = d.rows("SELECT * FROM change_log ORDER BY id");
    assert_eq!(before.len(), WORKERS + 1);
    let o = d
        .by_operator(&[
            "-q",
            "import",
            "workers",
            "workers-8.csv",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .run();
    assert!(
        o.stderr
            .contains("离职日期 2025-08-31 早于入职日期 2025-09-01"),
        "{}",
        o.stderr
    );
    assert_eq!(d.rows("SELECT * FROM change_log ORDER BY id"), before);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 1);
}

/// Check-ins of the generated workers: worker `i` checks in `1 + i % 3` times in each month
/// of July–September 2025, on days `1 + k * 9` (its own street and community).
fn checkins_csv(months: &[u32]) -> String {
    let mut csv = String::from("手机号,报到日期,报到街道,报到社区,事项\n");
    for &m in months {
        for day in [1, 10, 19] {
            for i in 0..WORKERS {
                let times = 1 + i % 3;
                if (day - 1) / 9 < times {
                    csv.push_str(&format!(
                        "{},2025-{m:02}-{day:02},,,参加培训\n",
                        phone(i, "138")
                    ));
                }
            }
        }
    }
    csv
}

#[test]
fn rollup_is_exact_with_a_small_cache_and_unchanged_by_a_reimport() {
    let d = registered();
    d.write("july-august.csv", checkins_csv(&[7, 8]));
    d.write("august-september.csv", checkins_csv(&[8, 9]));
    let per_month: i64 = (0..WORKERS).map(|i| 1 + (i % 3) as i64).sum();
    for file in ["july-august.csv", "july-august.csv", "august-september.csv"] {
        d.nf(&["-q", "import", "checkins", file])
            .env("NUANFENG_CACHE_KIB", "64")
            .ok();
    }
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 3 * per_month);
    // One rollup row per worker and month, each the worker's check-ins of that month.
    assert_eq!(
        d.rows(
            "SELECT month, count(*), sum(checkins), min(checkins), max(checkins)
             FROM checkin_months GROUP BY month ORDER BY month"
        ),
        [202507, 202508, 202509]
            .iter()
            .map(|m| {
                [
                    m.to_string(),
                    WORKERS.to_string(),
                    per_month.to_string(),
                    "1".into(),
                    "3".into(),
                ]
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    );
    assert_eq!(
        d.int(
            "SELECT count(*) FROM checkin_months
             WHERE checkins != 1 + (worker_id - 1) % 3 OR street_id != (SELECT street_id FROM workers WHERE id = worker_id)"
        ),
        0
    );
}

/// Every worker earns 10 points on 2025-07-01.
fn earnings_csv() -> String {
    let mut csv = String::from("手机号,日期,类别,积分,说明\n");
    for i in 0..WORKERS {
        csv.push_str(&format!(
            "{},2025-07-01,志愿服务,10,参加防汛值守\n",
            phone(i, "138")
        ));
    }
    csv
}

/// The redemptions of every worker listed before the earnings, and a later redemption before
/// an earlier one: -5 on 07-12, -8 on 07-10, -1 on 07-05 for every tenth worker from the
/// fifth, then +4 on 07-11 for the even workers.
fn redemptions_csv(workers: std::ops::Range<usize>) -> String {
    let mut csv = String::from("手机号,日期,类别,积分,说明\n");
    for i in workers.clone() {
        let p = phone(i, "138");
        csv.push_str(&format!("{p},2025-07-12,积分兑换,-5,兑换雨衣\n"));
        csv.push_str(&format!("{p},2025-07-10,积分兑换,-8,兑换理发券\n"));
        if i % 10 == 5 {
            csv.push_str(&format!("{p},2025-07-05,积分兑换,-1,兑换矿泉水\n"));
        }
    }
    for i in workers.filter(|i| i % 2 == 0) {
        csv.push_str(&format!(
            "{},2025-07-11,志愿服务,4,参加创城志愿巡查\n",
            phone(i, "138")
        ));
    }
    csv
}

/// Each worker's entries: phone, date, points, allow_negative, in date then entry order.
fn worker_ledgers(d: &Dir, phones: &str) -> Vec<Row> {
    d.rows(&format!(
        "SELECT w.phone, p.date, p.points, p.allow_negative
         FROM point_entries p JOIN workers w ON w.id = p.worker_id
         WHERE w.phone IN ({phones})
         ORDER BY w.phone, p.date, p.id"
    ))
}

/// The redemptions of a register naming every worker are judged worker by worker in date
/// order, not in file order: with 10 points from an earlier import, -8 on 07-10 is taken and
/// -5 on 07-12 refused unless the worker earned 4 on 07-11 (listed last); with -1 on 07-05
/// first, 1 is left. Refused without --skip-invalid (nothing written), skipped with it; the
/// same file again changes nothing, the seals verify, and a register of three of the workers
/// (their ledgers read one by one) gives those workers the same ledgers.
#[test]
fn redemptions_of_every_worker_are_judged_worker_by_worker_in_date_order() {
    let d = registered();
    d.write("earnings.csv", earnings_csv());
    d.write("redemptions.csv", redemptions_csv(0..WORKERS));
    d.by_operator(&["-q", "import", "points", "earnings.csv"])
        .ok();
    let before = d.rows("SELECT * FROM point_entries ORDER BY id");
    assert_eq!(before.len(), WORKERS);
    // 1100 × 2 redemptions, 110 of -1, 550 earnings; the -5 of the 550 odd workers is refused.
    d.by_operator(&["import", "points", "redemptions.csv"])
        .code(1)
        .stderr_has(&[
            "redemptions.csv:第4行: 积分(D): -5: 积分不足：可用 2 分，本次兑换 5 分",
            "共 2860 行，其中 550 行有问题",
        ]);
    assert_eq!(d.rows("SELECT * FROM point_entries ORDER BY id"), before);
    for _ in 0..2 {
        d.by_operator(&[
            "import",
            "points",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "redemptions.csv",
        ])
        .ok()
        .stderr_has(&["积分不足：可用 1 分，本次兑换 5 分"]);
    }
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 1100 + 2310);
    assert_eq!(d.int("SELECT sum(points) FROM point_entries"), 1540);
    assert_eq!(
        d.rows("SELECT date, count(*), sum(points) FROM point_entries GROUP BY date ORDER BY date"),
        [
            ["2025-07-01", "1100", "11000"],
            ["2025-07-05", "110", "-110"],
            ["2025-07-10", "1100", "-8800"],
            ["2025-07-11", "550", "2200"],
            ["2025-07-12", "550", "-2750"],
        ]
        .map(|r| crate::util::some(&r))
    );
    assert_eq!(
        d.int("SELECT count(*) FROM point_entries WHERE date = '2025-07-12' AND worker_id % 2 = 0"),
        0,
        "the even workers (ids 1, 3, …) kept their -5"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM point_entries WHERE allow_negative = 1"),
        0
    );
    // The second import found every entry of the first.
    let o = d
        .by_operator(&["import", "points", "--skip-invalid", "redemptions.csv"])
        .ok();
    o.stderr_has(&["共 2860 行：新增 0，更新 0，未变 2310，有问题 550"]);
    d.by_operator(&["points", "check"]).ok();
    d.by_operator(&["check"]).ok();

    let phones = [4, 5, 7]
        .map(|i| format!("'{}'", phone(i, "138")))
        .join(",");
    let few = registered();
    few.write("earnings.csv", earnings_csv());
    few.write("redemptions.csv", redemptions_csv(4..8));
    few.by_operator(&["-q", "import", "points", "earnings.csv"])
        .ok();
    few.by_operator(&[
        "-q",
        "import",
        "points",
        "--skip-invalid",
        "redemptions.csv",
    ])
    .ok();
    let ledgers = worker_ledgers(&d, &phones);
    assert_eq!(ledgers, worker_ledgers(&few, &phones));
    assert_eq!(
        ledgers,
        [
            ["13800000004", "2025-07-01", "10", "0"],
            ["13800000004", "2025-07-10", "-8", "0"],
            ["13800000004", "2025-07-11", "4", "0"],
            ["13800000004", "2025-07-12", "-5", "0"],
            ["13800000005", "2025-07-01", "10", "0"],
            ["13800000005", "2025-07-05", "-1", "0"],
            ["13800000005", "2025-07-10", "-8", "0"],
            ["13800000007", "2025-07-01", "10", "0"],
            ["13800000007", "2025-07-10", "-8", "0"],
        ]
        .map(|r| crate::util::some(&r))
    );
}

/// Identical earnings in one file are entries of their own (occurrences 1, 2, …); a file
/// holding them again with more finds each stored one once and adds only what is new,
/// whichever rows come first.
#[test]
fn identical_earnings_take_occurrences_and_are_found_again() {
    let d = registered();
    let row = |i: usize| format!("{},2025-07-02,志愿服务,3,参加防汛值守\n", phone(i, "138"));
    let header = "手机号,日期,类别,积分,说明\n";
    d.write("a.csv", format!("{header}{}{}{}", row(0), row(0), row(1)));
    d.write(
        "b.csv",
        format!("{header}{}{}{}{}{}", row(2), row(0), row(0), row(0), row(1)),
    );
    d.write(
        "c.csv",
        format!(
            "{header}{}{}{}{}{}{}",
            row(2),
            row(0),
            row(0),
            row(0),
            row(1),
            row(3)
        ),
    );
    d.by_operator(&["import", "points", "a.csv"])
        .ok()
        .stderr_has(&["共 3 行：新增 3，更新 0，未变 0"]);
    d.by_operator(&["import", "points", "b.csv"])
        .ok()
        .stderr_has(&["共 5 行：新增 2，更新 0，未变 3"]);
    d.by_operator(&["import", "points", "c.csv"])
        .ok()
        .stderr_has(&["共 6 行：新增 1，更新 0，未变 5"]);
    assert_eq!(
        d.rows(
            "SELECT w.phone, p.occurrence, p.batch_id FROM point_entries p
             JOIN workers w ON w.id = p.worker_id ORDER BY p.id"
        ),
        [
            ["13800000000", "1", "2"],
            ["13800000000", "2", "2"],
            ["13800000001", "1", "2"],
            ["13800000002", "1", "3"],
            ["13800000000", "3", "3"],
            ["13800000003", "1", "4"],
        ]
        .map(|r| crate::util::some(&r))
    );
    d.by_operator(&["points", "check"]).ok();
}

/// A points file is stored a window of rows at a time (the test hook sets 512 rows: the
/// reader's batch), worker by worker within each full window and as read in the last one:
/// the entries of the full windows take their ids in worker order, identical earnings read in
/// three windows take occurrences 1, 2 and 3 in file order, redemptions listed first are
/// judged after every earning of the file, and the refused rows are counted and written out
/// as before; the same file again changes nothing and the seals verify.
#[test]
fn points_are_stored_a_window_at_a_time_in_worker_order() {
    let d = registered();
    let header = "手机号,日期,类别,积分,说明\n";
    let earning = |i: usize| format!("{},2025-07-01,志愿服务,10,参加防汛值守\n", phone(i, "138"));
    let identical = format!(
        "{},2025-07-03,志愿服务,3,参加创城志愿巡查\n",
        phone(5, "138")
    );
    let mut rows = vec![
        format!("{},2025-07-04,积分兑换,-19,兑换雨衣\n", phone(5, "138")),
        format!("{},2025-07-04,积分兑换,-11,兑换雨衣\n", phone(6, "138")),
        identical.clone(),
    ];
    for k in 0..WORKERS {
        match k {
            596 | 1050 => rows.push(identical.clone()),
            700 => rows.push("13999999999,2025-07-01,志愿服务,10,参加防汛值守\n".to_string()),
            _ => {}
        }
        // Every worker once, in an order far from the workers' own.
        rows.push(earning(k * 7919 % WORKERS));
    }
    assert_eq!(rows.len(), 1106);
    d.write("points.csv", format!("{header}{}", rows.concat()));
    let import = || {
        let mut c = d.by_operator(&[
            "import",
            "points",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "points.csv",
        ]);
        c.env("NUANFENG_POINT_WINDOW", "512");
        c
    };
    import()
        .ok()
        .stderr_has(&["共 1106 行：新增 1104，更新 0，未变 0，有问题 2"]);
    let rejects = crate::util::bom_csv(&d.read("R.csv"));
    let refused: Vec<(&str, &str)> = rejects[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(refused.len(), 2);
    assert_eq!(refused[0].0, "706");
    assert_eq!(
        refused[1],
        (
            "3",
            "积分(D): 积分不足：可用 10 分，本次兑换 11 分 — 余额不能低于零"
        )
    );
    // Worker 5 (id 6): 10 + 3 × 3 earned, the 19 redeemed. The identical earnings are read
    // on lines 4, 601 and 1057, the earning of 07-01 on line 1103, in the last window.
    assert_eq!(
        d.rows(
            "SELECT date, points, occurrence FROM point_entries WHERE worker_id = 6 ORDER BY id"
        ),
        [
            ["2025-07-03", "3", "1"],
            ["2025-07-03", "3", "2"],
            ["2025-07-03", "3", "3"],
            ["2025-07-01", "10", "1"],
            ["2025-07-04", "-19", "1"],
        ]
        .map(|r| crate::util::some(&r))
    );
    // The full windows hold 510 and 511 entries (lines 2 and 3 wait, line 706 is refused):
    // in id order their worker falls back once, where the second begins. The last window is
    // stored as read: 82 rows whose worker steps by 219 (mod 1100), falling back 16 times,
    // then the redemption of worker 5.
    let falls_back = |ids: &str| {
        d.int(&format!(
            "SELECT count(*) FROM (SELECT worker_id < lag(worker_id) OVER (ORDER BY id) AS back
             FROM point_entries WHERE id {ids}) WHERE back"
        ))
    };
    assert_eq!(falls_back("<= 1021"), 1);
    assert_eq!(falls_back("> 1021"), 17);
    import()
        .ok()
        .stderr_has(&["共 1106 行：新增 0，更新 0，未变 1104，有问题 2"]);
    d.by_operator(&["points", "check"]).ok();
}
