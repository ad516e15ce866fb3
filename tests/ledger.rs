//! Acceptance tests of the points ledger (issue "points ledger"), through the real binary on
//! the district fixture: a balance is the sum of the ledger whatever entries made it; the file
//! itself refuses UPDATE and DELETE; a rule change applies to new records only; `points check`
//! is quiet on a clean ledger and names every corruption; an overdraw needs --allow-negative
//! and a reason; a version-1 registry upgrades to the fresh schema, keeping every row and a
//! backup copy.

mod util;

use serde_json::{Value, json};
use util::{Dir, TestCommand, fixture, fixture_bytes};

/// 杨丽, 迎泽街道: no entries in `district/points.csv`.
const YANG_LI: &str = "15135296642";
/// 郭志伟: +10 on 2025-07-02, −5 on 2025-07-18 in `district/points.csv` (balance 5).
const GUO_ZHIWEI: &str = "13623517804";
/// 王宇: +5 on 2025-07-12 in `district/points.csv`.
const WANG_YU: &str = "17735240683";

/// The district's streets, stations and workers, as other tests import them.
fn district() -> Dir {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.import("stations", "district/stations.csv")
        .stderr_has(&["stations.csv: 5 rows: 5 new"]);
    d.import("workers", "district/workers.csv")
        .stderr_has(&["workers.csv: 8 rows: 8 new"]);
    d
}

/// The district with its points register: entries 1–8.
fn district_with_points() -> Dir {
    let d = district();
    d.import("points", "district/points.csv")
        .stderr_has(&["points.csv: 8 rows: 8 new"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 8);
    d
}

/// The binary with `--db nf.db`, run by a known operator (recorded on every entry).
fn nf(d: &Dir, args: &[&str]) -> TestCommand {
    let mut c = d.nf(args);
    c.env("USER", "wangli").env("USERNAME", "wangli");
    c
}

/// `points balance --format json --show-pii`, by phone.
fn balances(d: &Dir) -> Vec<(String, i64, i64, i64)> {
    let mut v: Vec<_> = nf(d, &["points", "balance", "--format", "json", "--show-pii"])
        .ok()
        .json_array()
        .iter()
        .map(|b| {
            (
                b["phone"].as_str().expect("a phone").to_string(),
                b["balance"].as_i64().expect("an integer balance"),
                b["earned"].as_i64().expect("an integer"),
                b["redeemed"].as_i64().expect("an integer"),
            )
        })
        .collect();
    v.sort();
    v
}

/// Every balance printed equals the sum of that worker's entries (and earned − redeemed).
fn assert_balances_are_sums(d: &Dir) {
    let shown = balances(d);
    let sums: Vec<(String, i64)> = d
        .rows(
            "SELECT w.phone, sum(p.points) FROM point_entries p JOIN workers w ON w.id = p.worker_id
             GROUP BY w.id ORDER BY w.phone",
        )
        .into_iter()
        .map(|r| {
            (
                r[0].clone().expect("a phone"),
                r[1].as_deref().expect("a sum").parse().expect("an integer"),
            )
        })
        .collect();
    assert_eq!(
        shown
            .iter()
            .map(|(p, b, _, _)| (p.clone(), *b))
            .collect::<Vec<_>>(),
        sums
    );
    for (phone, balance, earned, redeemed) in &shown {
        assert_eq!(earned - redeemed, *balance, "{phone}");
    }
}

/// A 随手拍 register of one report by 杨丽, with the status (and 办结日期) given.
fn tips_register(status: &str, resolved_on: Option<&str>) -> String {
    match resolved_on {
        None => format!(
            "姓名,手机号,上报日期,类别,内容,状态\n杨丽,{YANG_LI},2025-07-10,安全隐患,迎泽大街井盖破损,{status}\n"
        ),
        Some(on) => format!(
            "姓名,手机号,上报日期,类别,内容,状态,办结日期\n杨丽,{YANG_LI},2025-07-10,安全隐患,迎泽大街井盖破损,{status},{on}\n"
        ),
    }
}

#[test]
fn balance_is_the_sum_of_the_ledger_after_every_kind_of_entry() {
    let d = district_with_points();
    nf(
        &d,
        &[
            "points",
            "earn",
            YANG_LI,
            "30",
            "--category",
            "志愿服务",
            "--reason",
            "夏日送清凉",
            "--date",
            "2025-07-01",
        ],
    )
    .ok()
    .stderr_has(&["杨丽: +30 points on 2025-07-01 (志愿服务), entry 9; balance 30"]);
    nf(
        &d,
        &[
            "points",
            "redeem",
            YANG_LI,
            "12",
            "--reason",
            "雨衣",
            "--date",
            "2025-07-05",
        ],
    )
    .ok()
    .stderr_has(&["杨丽: -12 points on 2025-07-05 (积分兑换), entry 10; balance 18"]);
    nf(
        &d,
        &[
            "points",
            "reverse",
            "10",
            "--reason",
            "重复录入",
            "--date",
            "2025-07-06",
        ],
    )
    .ok()
    .stderr_has(&["entry 10 reversed by entry 11; balance 30"]);
    // A reversal happens once.
    let again = nf(
        &d,
        &[
            "points",
            "reverse",
            "10",
            "--reason",
            "重复录入",
            "--date",
            "2025-07-06",
        ],
    )
    .code(1);
    assert_eq!(
        again.stderr,
        "error: entry 10 was already reversed by entry 11\n"
    );
    nf(
        &d,
        &[
            "points",
            "adjust",
            YANG_LI,
            "-3",
            "--reason",
            "核对台账",
            "--date",
            "2025-07-07",
        ],
    )
    .ok()
    .stderr_has(&["杨丽: -3 points, entry 12; balance 27"]);

    // A 随手拍 report: pending grants nothing; approved grants the rule's points once, however
    // often the approved register is imported; resolving it later grants nothing more.
    nf(&d, &["points", "rule", "set", "tip_approved", "3"])
        .ok()
        .stderr_has(&["随手拍审核通过: 1 → 3 points"]);
    d.write("tips-pending.csv", tips_register("待审核", None));
    d.write("tips-approved.csv", tips_register("已审核", None));
    d.write(
        "tips-resolved.csv",
        tips_register("已办结", Some("2025-07-15")),
    );
    nf(&d, &["import", "tips", "tips-pending.csv"])
        .ok()
        .stderr_has(&["tips-pending.csv: 1 row: 1 new, 0 updated, 0 unchanged"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 12);
    nf(&d, &["import", "tips", "tips-approved.csv"])
        .ok()
        .stderr_has(&["tips-approved.csv: 1 row: 0 new, 1 updated, 0 unchanged"]);
    nf(&d, &["import", "tips", "tips-approved.csv"])
        .ok()
        .stderr_has(&["tips-approved.csv: 1 row: 0 new, 0 updated, 1 unchanged"]);
    nf(&d, &["import", "tips", "tips-resolved.csv"])
        .ok()
        .stderr_has(&["tips-resolved.csv: 1 row: 0 new, 1 updated, 0 unchanged"]);
    // Approving by hand, once `tip approve` exists, grants nothing more either.
    let by_hand = nf(&d, &["tip", "approve", "1"]).run();
    if !(by_hand.code == Some(2) && by_hand.stderr.contains("unrecognized subcommand 'tip'")) {
        assert_eq!(by_hand.code, Some(0), "{}", by_hand.stderr);
    }
    assert_eq!(
        d.rows("SELECT status, approved_on, resolved_on FROM tips"),
        vec![vec![
            Some("resolved".into()),
            Some("2025-07-10".into()),
            Some("2025-07-15".into())
        ]]
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 13);
    assert_eq!(
        d.rows(
            "SELECT id, date, points, kind, rule, source_table, source_id FROM point_entries WHERE source_table IS NOT NULL"
        ),
        vec![vec![
            Some("13".into()),
            Some("2025-07-10".into()),
            Some("3".into()),
            Some("earn".into()),
            Some("tip_approved".into()),
            Some("tips".into()),
            Some("1".into())
        ]]
    );

    // 30 − 12 + 12 − 3 + 3.
    let sum = d.int(&format!(
        "SELECT sum(points) FROM point_entries p JOIN workers w ON w.id = p.worker_id WHERE w.phone = '{YANG_LI}'"
    ));
    assert_eq!(sum, 30);
    let b = nf(&d, &["points", "balance", YANG_LI, "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0]["name"], "杨丽");
    assert_eq!(b[0]["phone"], "151****6642");
    assert_eq!(b[0]["balance"], sum);
    assert_eq!(
        b[0]["earned"].as_i64().unwrap() - b[0]["redeemed"].as_i64().unwrap(),
        sum
    );

    let s = nf(&d, &["points", "statement", YANG_LI, "--format", "json"])
        .ok()
        .json();
    assert_eq!(s["worker"], json!({"name": "杨丽", "phone": "151****6642"}));
    assert_eq!(s["balance"], sum);
    let entries: Vec<Value> = s["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            assert_eq!(e["operator"], "wangli");
            json!([
                e["id"],
                e["date"],
                e["kind"],
                e["points"],
                e["category"],
                e["rule"],
                e["reason"],
                e["source"],
                e["reverses"],
                e["reversed_by"],
                e["allow_negative"],
                e["balance"]
            ])
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            json!([
                9,
                "2025-07-01",
                "earn",
                30,
                "volunteer_service",
                null,
                "夏日送清凉",
                null,
                null,
                null,
                false,
                30
            ]),
            json!([
                10,
                "2025-07-05",
                "redeem",
                -12,
                "redemption",
                null,
                "雨衣",
                null,
                null,
                11,
                false,
                18
            ]),
            json!([
                11,
                "2025-07-06",
                "reverse",
                12,
                "redemption",
                null,
                "重复录入",
                null,
                10,
                null,
                false,
                30
            ]),
            json!([
                12,
                "2025-07-07",
                "adjust",
                -3,
                "other",
                null,
                "核对台账",
                null,
                null,
                null,
                false,
                27
            ]),
            json!([
                13,
                "2025-07-10",
                "earn",
                3,
                "tip",
                "tip_approved",
                "迎泽大街井盖破损",
                "tips:1",
                null,
                null,
                false,
                30
            ]),
        ]
    );

    let table = nf(&d, &["points", "statement", YANG_LI]).ok();
    assert_eq!(
        table.stdout,
        "\
+-----------------------------------------------------------------------------------+
| 编号   日期         类型   积分   类别       说明                   来源     余额 |
+===================================================================================+
|    9   2025-07-01   获得    +30   志愿服务   夏日送清凉             -          30 |
|   10   2025-07-05   兑换    -12   积分兑换   雨衣（已由 11 冲正）   -          18 |
|   11   2025-07-06   冲正    +12   积分兑换   冲正 10：重复录入      -          30 |
|   12   2025-07-07   调整     -3   其他       核对台账               -          27 |
|   13   2025-07-10   获得     +3   随手拍     迎泽大街井盖破损       tips:1     30 |
+-----------------------------------------------------------------------------------+
"
    );
    assert_eq!(table.stderr, "杨丽: 5 entries, balance 30\n");

    assert_balances_are_sums(&d);
    nf(&d, &["points", "check"])
        .ok()
        .stderr_has(&["the ledger holds: 13 entries checked, no violation"]);
}

#[test]
fn the_registry_file_refuses_update_and_delete_of_entries() {
    let d = district_with_points();
    let before = d.rows("SELECT * FROM point_entries ORDER BY id");
    let conn = d.conn();
    for sql in [
        "UPDATE point_entries SET points = 100 WHERE id = 1",
        "UPDATE point_entries SET reason = '改了'",
        "UPDATE point_entries SET worker_id = 2 WHERE kind = 'redeem'",
        "DELETE FROM point_entries WHERE id = 8",
        "DELETE FROM point_entries",
    ] {
        match conn.execute(sql, []) {
            Ok(n) => panic!("{sql}: changed {n} rows of an append-only ledger"),
            Err(rusqlite::Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!(e.code, rusqlite::ErrorCode::ConstraintViolation, "{sql}");
                assert_eq!(
                    msg, "point_entries is append-only: correct an entry with a reversing entry",
                    "{sql}"
                );
            }
            Err(other) => panic!("{sql}: unexpected error {other}"),
        }
    }
    // Inside a transaction that goes on to commit, too.
    conn.execute_batch("BEGIN").unwrap();
    assert!(
        conn.execute("DELETE FROM point_entries WHERE id = 1", [])
            .is_err()
    );
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    assert_eq!(d.rows("SELECT * FROM point_entries ORDER BY id"), before);
    assert_balances_are_sums(&d);
    nf(&d, &["points", "check"]).ok();
}

/// `INSERT OR REPLACE` deletes the row it replaces without firing DELETE triggers (SQLite
/// fires them for REPLACE only with `PRAGMA recursive_triggers`): a BEFORE INSERT trigger
/// refuses any insert that would replace an entry.
#[test]
fn the_registry_file_refuses_replace_of_an_entry() {
    let d = district_with_points();
    let before = d.rows("SELECT * FROM point_entries ORDER BY id");
    let r = d.conn().execute(
        "INSERT OR REPLACE INTO point_entries (id, worker_id, date, points, kind, category, event_key, operator, entered_at)
         VALUES (1, 8, '2025-06-20', 999, 'earn', 'other', 1, 'x', '2025-06-20 00:00:00')",
        [],
    );
    assert!(r.is_err(), "REPLACE overwrote entry 1");
    assert_eq!(d.rows("SELECT * FROM point_entries ORDER BY id"), before);
}

#[test]
fn a_new_rule_rate_applies_to_records_entered_after_it() {
    let d = district();
    let july = "姓名,手机号,服务日期,活动名称,服务时长\n\
                郭志伟,13623517804,2025-07-05,反诈宣传,1.5\n\
                李浩,15903514426,2025-07-06,夏日送清凉,2\n";
    d.write("services-07.csv", july);
    nf(&d, &["import", "services", "services-07.csv"])
        .ok()
        .stderr_has(&["services-07.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);

    nf(
        &d,
        &["points", "rule", "set", "volunteer_hour", "999999999"],
    )
    .code(1)
    .stderr_has(&[
        "a rule grants 0 to 100 points per unit (an hour of service, a report), not 999999999",
    ]);
    nf(&d, &["points", "rule", "set", "volunteer_hour", "2"])
        .ok()
        .stderr_has(&["志愿服务每小时: 1 → 2 points (entries already granted keep their points)"]);
    let rules = nf(&d, &["points", "rule", "list", "--format", "json"])
        .ok()
        .json_array();
    let hour = util::find(&rules, "code", "volunteer_hour");
    assert_eq!(hour["points"], 2);
    assert_eq!(hour["updated_by"], "wangli");
    assert_eq!(
        d.rows("SELECT entity, entity_id, field, old, new, command FROM change_log WHERE entity = 'rule'"),
        vec![vec![
            Some("rule".into()),
            Some("volunteer_hour".into()),
            Some("points".into()),
            Some("1".into()),
            Some("2".into()),
            Some("points rule set".into())
        ]]
    );

    // January–August re-exported: July is already there; August is new, at 2 points an hour.
    let july_august = format!(
        "{july}郭志伟,13623517804,2025-08-03,防汛值守,1.5\n李浩,15903514426,2025-08-10,创城巡查,45分钟\n"
    );
    d.write("services-07-08.csv", july_august);
    nf(&d, &["import", "services", "services-07-08.csv"])
        .ok()
        .stderr_has(&["services-07-08.csv: 4 rows: 2 new, 0 updated, 2 unchanged"]);
    // 90 min at 1/h → 2 (half up); 120 min at 1/h → 2; 90 min at 2/h → 3; 45 min at 2/h → 2.
    assert_eq!(
        d.rows(
            "SELECT s.date, s.minutes, p.points, p.rule, p.kind FROM point_entries p
             JOIN services s ON p.source_table = 'services' AND s.id = p.source_id
             ORDER BY s.date"
        ),
        [
            ["2025-07-05", "90", "2", "volunteer_hour", "earn"],
            ["2025-07-06", "120", "2", "volunteer_hour", "earn"],
            ["2025-08-03", "90", "3", "volunteer_hour", "earn"],
            ["2025-08-10", "45", "2", "volunteer_hour", "earn"],
        ]
        .iter()
        .map(|r| r.iter().map(|v| Some(v.to_string())).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
    assert_eq!(
        balances(&d)
            .into_iter()
            .map(|(p, b, _, _)| (p, b))
            .collect::<Vec<_>>(),
        vec![(GUO_ZHIWEI.to_string(), 5), ("15903514426".to_string(), 4)]
    );
    assert_balances_are_sums(&d);
    nf(&d, &["points", "check"])
        .ok()
        .stderr_has(&["the ledger holds: 4 entries checked, no violation"]);
}

#[test]
fn check_is_quiet_on_a_clean_ledger_and_lists_every_corruption() {
    let d = district_with_points();
    nf(
        &d,
        &[
            "points",
            "reverse",
            "8",
            "--reason",
            "礼品未领取",
            "--date",
            "2025-08-03",
        ],
    )
    .ok()
    .stderr_has(&["entry 8 reversed by entry 9"]);
    d.write("tips.csv", tips_register("已审核", None));
    nf(&d, &["import", "tips", "tips.csv"]).ok();
    assert_eq!(
        d.int("SELECT id FROM point_entries WHERE source_table = 'tips'"),
        10
    );

    let clean = nf(&d, &["points", "check"]).ok();
    assert_eq!(clean.stdout, "");
    assert_eq!(
        clean.stderr,
        "the ledger holds: 10 entries checked, no violation\n"
    );
    let clean = nf(&d, &["points", "check", "--format", "json"]).ok();
    assert_eq!(clean.json(), json!([]));

    // Someone edits the file with another tool, triggers dropped first.
    let entered_at: String = d
        .conn()
        .query_row(
            "SELECT entered_at FROM point_entries WHERE id = 4",
            [],
            |r| r.get(0),
        )
        .unwrap();
    d.conn()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TRIGGER point_entries_no_update;
             DROP TRIGGER point_entries_no_delete;
             -- 高建平 redeemed 50, not 10, of his 20: his running balance goes to −30.
             UPDATE point_entries SET points = -50 WHERE id = 7;
             -- 陈磊's reversal (of his redemption, entry 8) points at an entry that does not exist.
             UPDATE point_entries SET reverses = 999 WHERE id = 9;
             -- 杨丽's grant refers to a report that does not exist.
             UPDATE point_entries SET source_id = 999 WHERE id = 10;
             -- 王宇's earning dated in 2099, after the day it was entered.
             UPDATE point_entries SET date = '2099-07-12' WHERE id = 4;
             -- 郭志伟's earning turned into a redemption of +10 (past the CHECK constraint).
             PRAGMA ignore_check_constraints = ON;
             UPDATE point_entries SET kind = 'redeem' WHERE id = 2;",
        )
        .unwrap();
    let o = nf(&d, &["points", "check"]).code(1);
    let sealed = "does not match its seal: it, or an entry before it, was changed or removed by \
                  another program";
    let expected: Vec<(Option<i64>, Option<&str>, String)> = vec![
        (
            Some(7),
            Some("高建平"),
            "the running balance is -30 on 2025-07-28 after this entry, which was not allowed to overdraw"
                .to_string(),
        ),
        (Some(9), Some("陈磊"), "reverses entry 999, which does not exist".to_string()),
        (
            Some(2),
            Some("郭志伟"),
            "a redeem entry of 10 points: the kind and the sign disagree".to_string(),
        ),
        (
            Some(10),
            Some("杨丽"),
            "refers to tips 999, which does not exist or belongs to another worker".to_string(),
        ),
        (
            Some(4),
            Some("王宇"),
            format!("dated 2099-07-12, after the day it was entered ({entered_at})"),
        ),
        // What another program did: the triggers it dropped, every entry it changed.
        (
            None,
            None,
            "the ledger's protecting triggers are gone (point_entries_no_update, \
             point_entries_no_delete): another program changed the file's schema — restore it \
             from a backup"
                .to_string(),
        ),
        (Some(2), Some("郭志伟"), sealed.to_string()),
        (Some(4), Some("王宇"), sealed.to_string()),
        (Some(7), Some("高建平"), sealed.to_string()),
        (Some(9), Some("陈磊"), sealed.to_string()),
        (Some(10), Some("杨丽"), sealed.to_string()),
    ];
    // The table: a line per violation, in this order, naming the entry, the worker and the
    // problem.
    let lines: Vec<Vec<String>> = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("编号"))
        .map(|l| {
            l.trim_matches('|')
                .split("   ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        expected
            .iter()
            .map(|(id, who, problem)| vec![
                id.map_or("-".to_string(), |i| i.to_string()),
                who.unwrap_or("-").to_string(),
                problem.clone()
            ])
            .collect::<Vec<_>>(),
        "{}",
        o.stdout
    );
    assert_eq!(o.stderr, "error: 11 ledger violations (listed above)\n");

    let workers: std::collections::HashMap<String, i64> = d
        .rows("SELECT name, id FROM workers")
        .into_iter()
        .map(|r| {
            (
                r[0].clone().unwrap(),
                r[1].as_deref().unwrap().parse().unwrap(),
            )
        })
        .collect();
    let j = nf(&d, &["points", "check", "--format", "json"]).code(1);
    assert_eq!(
        j.json(),
        Value::Array(
            expected
                .iter()
                .map(|(id, who, problem)| json!({
                    "entry": id, "worker": who.map(|w| workers[w]), "name": who, "problem": problem
                }))
                .collect()
        )
    );
}

/// Entries removed, or added around the seal, by a program that dropped the triggers.
#[test]
fn check_finds_entries_removed_or_added_by_another_program() {
    let d = district_with_points();
    nf(&d, &["points", "check"]).ok();
    d.conn()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TRIGGER point_entries_no_delete;
             DROP TRIGGER point_entries_seal;
             DELETE FROM point_entries WHERE id = 3;
             INSERT INTO point_entries (worker_id, date, points, kind, category, reason, event_key,
                 operator, entered_at)
             SELECT worker_id, '2025-07-30', 500, 'earn', 'other', '补录', 77, 'x', '2025-07-30 09:00:00'
             FROM point_entries WHERE id = 2;",
        )
        .unwrap();
    let added = d.int("SELECT max(id) FROM point_entries");
    let j = nf(&d, &["points", "check", "--format", "json"])
        .code(1)
        .json();
    let problems: Vec<(Value, String)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["entry"].clone(),
                v["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (
                Value::Null,
                "the ledger's protecting triggers are gone (point_entries_no_delete, \
                 point_entries_seal): another program changed the file's schema — restore it from \
                 a backup"
                    .to_string()
            ),
            (
                json!(4),
                "does not match its seal: it, or an entry before it, was changed or removed by \
                 another program"
                    .to_string()
            ),
            (
                json!(added),
                "has no seal: it was added by another program".to_string()
            ),
            (
                json!(3),
                "was removed by another program (its seal remains)".to_string()
            ),
        ]
    );
    // Without the function nuanfeng registers, another program cannot add an entry at all.
    let fresh = district_with_points();
    let r = fresh.conn().execute(
        "INSERT INTO point_entries (worker_id, date, points, kind, category, reason, event_key,
             operator, entered_at)
         SELECT worker_id, '2025-07-30', 500, 'earn', 'other', '补录', 77, 'x', '2025-07-30 09:00:00'
         FROM point_entries WHERE id = 2",
        [],
    );
    assert!(
        r.unwrap_err()
            .to_string()
            .contains("no such function: nuanfeng_seal"),
        "an entry was added without its seal"
    );
}

#[test]
fn an_overdraw_is_refused_unless_allowed_with_a_reason() {
    let d = district_with_points();
    let before = d.int("SELECT count(*) FROM point_entries");
    let o = nf(
        &d,
        &[
            "points",
            "redeem",
            GUO_ZHIWEI,
            "8",
            "--reason",
            "头盔",
            "--date",
            "2025-07-20",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: POINTS: redemption refused: balance 5, asked 8 — a balance may not go below zero\n"
    );
    for reason in [None, Some("  ")] {
        let mut args = vec![
            "points",
            "redeem",
            GUO_ZHIWEI,
            "8",
            "--allow-negative",
            "--date",
            "2025-07-20",
        ];
        if let Some(r) = reason {
            args.extend(["--reason", r]);
        }
        let o = nf(&d, &args).code(2);
        assert_eq!(
            o.stderr,
            "error: --allow-negative needs --reason: an exception is recorded with why\n"
        );
    }
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);

    nf(
        &d,
        &[
            "points",
            "redeem",
            GUO_ZHIWEI,
            "8",
            "--allow-negative",
            "--reason",
            "困难帮扶",
            "--date",
            "2025-07-20",
        ],
    )
    .ok()
    .stderr_has(&["郭志伟: -8 points on 2025-07-20 (积分兑换), entry 9; balance -3"]);
    assert_eq!(
        d.rows(
            "SELECT points, kind, category, reason, allow_negative, operator FROM point_entries WHERE id = 9"
        ),
        vec![vec![
            Some("-8".into()),
            Some("redeem".into()),
            Some("redemption".into()),
            Some("困难帮扶".into()),
            Some("1".into()),
            Some("wangli".into())
        ]]
    );
    nf(&d, &["points", "check"])
        .ok()
        .stderr_has(&["the ledger holds: 9 entries checked, no violation"]);

    // Earning back part of the debt breaks nothing (the balance is still below zero, but no
    // entry took points off without leave).
    nf(
        &d,
        &[
            "points",
            "earn",
            GUO_ZHIWEI,
            "2",
            "--reason",
            "反诈宣传",
            "--date",
            "2025-07-21",
        ],
    )
    .ok()
    .stderr_has(&["entry 10; balance -1"]);
    nf(&d, &["points", "check"])
        .ok()
        .stderr_has(&["the ledger holds: 10 entries checked, no violation"]);
    // While in debt, nothing more is taken off without leave.
    let o = nf(
        &d,
        &[
            "points",
            "redeem",
            GUO_ZHIWEI,
            "1",
            "--reason",
            "矿泉水",
            "--date",
            "2025-07-22",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: POINTS: redemption refused: balance -1, asked 1 — a balance may not go below zero\n"
    );
    let o = nf(
        &d,
        &[
            "points",
            "adjust",
            GUO_ZHIWEI,
            "-1",
            "--reason",
            "核对台账",
            "--date",
            "2025-07-22",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: refused: balance -1, asked 1 — a balance may not go below zero (--allow-negative with --reason records an exception)\n"
    );

    let s = nf(&d, &["points", "statement", GUO_ZHIWEI]).ok();
    s.stdout_has(&["困难帮扶（允许透支）"]);
    assert_balances_are_sums(&d);
}

/// 王宇 (+5 on 07-12 already): +5 on 03-01; on 03-10 −5 (running balance 0), then +10. An
/// entry dated 03-05 taking 3 off would leave the 03-10 redemption at −3, though that day ends
/// at +7.
fn dip_later_in_a_day(d: &Dir) {
    for (args, note) in [
        (["earn", WANG_YU, "5", "--date", "2025-03-01"], "balance 10"),
        (
            ["redeem", WANG_YU, "5", "--date", "2025-03-10"],
            "balance 5",
        ),
        (
            ["earn", WANG_YU, "10", "--date", "2025-03-10"],
            "balance 15",
        ),
    ] {
        let mut a = vec!["points"];
        a.extend(args);
        a.extend(["--reason", "台账"]);
        nf(d, &a).ok().stderr_has(&[note]);
    }
}

#[test]
fn a_backdated_correction_may_not_dig_under_a_dip_later_in_a_day() {
    let d = district_with_points();
    dip_later_in_a_day(&d);
    let before = d.int("SELECT count(*) FROM point_entries");
    let o = nf(
        &d,
        &[
            "points",
            "adjust",
            WANG_YU,
            "-3",
            "--reason",
            "核对台账",
            "--date",
            "2025-03-05",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: refused: balance 0, asked 3 (the balance on 2025-03-05 is 5, but on 2025-03-10 a later entry leaves 0) — a balance may not go below zero (--allow-negative with --reason records an exception)\n"
    );
    let first = d
        .int("SELECT p.id FROM point_entries p JOIN workers w ON w.id = p.worker_id WHERE w.name = '王宇' AND p.date = '2025-03-01'")
        .to_string();
    nf(
        &d,
        &[
            "points",
            "reverse",
            &first,
            "--reason",
            "录错",
            "--date",
            "2025-03-05",
        ],
    )
    .code(1)
    .stderr_has(&["refused: balance 0, asked 5"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
    nf(&d, &["points", "check"]).ok();
}

/// The same dip, through `points redeem` (and `import points`).
#[test]
fn a_backdated_redemption_may_not_dig_under_a_dip_later_in_a_day() {
    let d = district_with_points();
    dip_later_in_a_day(&d);
    let o = nf(
        &d,
        &[
            "points",
            "redeem",
            WANG_YU,
            "3",
            "--reason",
            "矿泉水",
            "--date",
            "2025-03-05",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: POINTS: redemption refused: balance 0, asked 3 (the balance on 2025-03-05 is 5, but on 2025-03-10 a later entry leaves 0) — a balance may not go below zero\n"
    );
    nf(&d, &["points", "check"]).ok();
}

/// The schema of the file at `path`, as `check` compares it.
fn schema_of(path: &std::path::Path) -> std::collections::BTreeMap<(String, String), String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    nuanfeng::db::check::schema_objects(&conn).expect("the schema")
}

/// Every row of every table of the version-1 file at `v1`, by its own columns, as read from
/// `path` (which may have more columns).
fn v1_rows(
    v1: &std::path::Path,
    path: &std::path::Path,
) -> Vec<(String, Vec<Vec<Option<String>>>)> {
    let ro = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let old = rusqlite::Connection::open_with_flags(v1, ro).unwrap();
    let conn = rusqlite::Connection::open_with_flags(path, ro).unwrap();
    let tables: Vec<String> = old
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let cols: Vec<String> = old
                .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .unwrap()
                .query_map([&t], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let sql = format!(
                "SELECT {} FROM {t} ORDER BY rowid",
                cols.iter()
                    .map(|c| format!("quote({c})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let rows = conn
                .prepare(&sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .query_map([], |r| (0..cols.len()).map(|i| r.get(i)).collect())
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (t, rows)
        })
        .collect()
}

#[test]
fn a_version_1_registry_upgrades_to_the_fresh_schema_keeping_every_row() {
    let d = Dir::new();
    let v1 = fixture("schema-v1.db");
    d.copy_as("schema-v1.db", util::DB);
    assert_eq!(d.int("PRAGMA user_version"), 1);
    let original = v1_rows(&v1, &v1);
    let counted: Vec<(&str, usize)> = original
        .iter()
        .map(|(t, r)| (t.as_str(), r.len()))
        .collect();
    assert!(
        counted.contains(&("workers", 8)) && counted.contains(&("point_entries", 8)),
        "{counted:?}"
    );

    nf(&d, &["worker", "list"]).ok().stderr_has(&["8 workers"]);

    d.bare().args(&["--db", "fresh.db", "init"]).ok();
    assert_eq!(
        d.int("PRAGMA user_version"),
        d.int_in("fresh.db", "PRAGMA user_version")
    );
    assert_eq!(d.int("PRAGMA user_version"), 10);
    assert_eq!(
        d.int("PRAGMA application_id"),
        d.int_in("fresh.db", "PRAGMA application_id")
    );
    let upgraded = schema_of(&d.join(util::DB));
    let fresh = schema_of(&d.join("fresh.db"));
    assert_eq!(upgraded, fresh);
    assert!(
        upgraded
            .keys()
            .any(|(_, name)| name == "point_entries_no_update")
    );
    assert_eq!(d.int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_eq!(
        d.rows("PRAGMA integrity_check"),
        vec![vec![Some("ok".to_string())]]
    );

    // Every row of the version-1 file, column by column.
    assert_eq!(v1_rows(&v1, &d.join(util::DB)), original);
    // The rules the upgrade adds are the fresh file's.
    assert_eq!(
        d.rows("SELECT code, points FROM point_rules ORDER BY code"),
        vec![
            vec![Some("suggestion_adopted".into()), Some("1".into())],
            vec![Some("tip_approved".into()), Some("1".into())],
            vec![Some("volunteer_hour".into()), Some("1".into())],
        ]
    );

    // The backup copy: the version-1 file page for page. SQLite's backup rewrites four fields
    // of the 100-byte file header (change counter, schema cookie, version-valid-for, SQLite
    // version), so it is not byte for byte the fixture; every other byte is.
    let backup_name = format!("{}.v1.bak", util::DB);
    assert!(d.exists(&backup_name));
    let (bak, orig) = (d.read(&backup_name), fixture_bytes("schema-v1.db"));
    assert_eq!(bak.len(), orig.len());
    let differing: Vec<usize> = (0..orig.len()).filter(|&i| bak[i] != orig[i]).collect();
    assert!(
        differing
            .iter()
            .all(|i| (24..28).contains(i) || (40..44).contains(i) || (92..100).contains(i)),
        "bytes {differing:?} differ"
    );
    assert_eq!(d.int_in(&backup_name, "PRAGMA user_version"), 1);
    assert_eq!(v1_rows(&v1, &d.join(&backup_name)), original);
    assert_eq!(schema_of(&d.join(&backup_name)), schema_of(&v1));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join(&backup_name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The upgraded ledger holds, and takes new entries.
    assert_balances_are_sums(&d);
    nf(&d, &["points", "check"])
        .ok()
        .stderr_has(&["the ledger holds: 8 entries checked, no violation"]);
    nf(
        &d,
        &[
            "points",
            "reverse",
            "8",
            "--reason",
            "礼品未领取",
            "--date",
            "2025-08-03",
        ],
    )
    .ok()
    .stderr_has(&["entry 8 reversed by entry 9"]);
    nf(&d, &["points", "check"]).ok();
    // Opening again upgrades nothing and writes no second backup.
    nf(&d, &["worker", "list"]).ok();
    assert!(!d.exists(&format!("{}.v1.2.bak", util::DB)));
}

/// The reports count an entry reversed since in neither figure, so no period shows negative
/// points; deductions (negative adjustments) are neither earned nor redeemed.
#[test]
fn reports_leave_reversed_entries_and_deductions_out_of_earned_and_redeemed() {
    let d = district_with_points();
    let totals = |d: &Dir, month: &str| {
        let r = nf(
            d,
            &["report", "streets", "--month", month, "--format", "json"],
        )
        .ok()
        .json();
        (
            r["total"]["points_earned"].as_i64().unwrap(),
            r["total"]["points_redeemed"].as_i64().unwrap(),
        )
    };
    // July: earned 10 + 2 + 5 + 20, redeemed 5 + 10; August: redeemed 20.
    assert_eq!(totals(&d, "2025-07"), (37, 15));
    assert_eq!(totals(&d, "2025-08"), (0, 20));

    let earning = d
        .int("SELECT id FROM point_entries WHERE date = '2025-07-12'")
        .to_string();
    let redemption = d
        .int("SELECT id FROM point_entries WHERE date = '2025-07-28'")
        .to_string();
    for (n, day) in [("-3", "2025-07-20"), ("4", "2025-07-21")] {
        nf(
            &d,
            &[
                "points",
                "adjust",
                WANG_YU,
                n,
                "--reason",
                "核对台账",
                "--date",
                day,
            ],
        )
        .ok();
    }
    for (entry, day) in [(&earning, "2025-08-05"), (&redemption, "2025-08-06")] {
        nf(
            &d,
            &[
                "points",
                "reverse",
                entry,
                "--reason",
                "录入错误",
                "--date",
                day,
            ],
        )
        .ok();
    }
    // July loses the reversed +5 and −10 and gains the +4 adjustment (the −3 deduction is
    // in neither); August's reversals count nowhere, so it is not negative.
    assert_eq!(totals(&d, "2025-07"), (10 + 2 + 20 + 4, 5));
    assert_eq!(totals(&d, "2025-08"), (0, 20));
    let ytd = nf(
        &d,
        &[
            "report", "district", "--month", "2025-08", "--format", "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(ytd["year_to_date_figures"]["points_earned"], 30 + 36);
    assert_eq!(ytd["year_to_date_figures"]["points_redeemed"], 25);
    assert_eq!(ytd["figures"]["points_earned"], 0);
    assert_eq!(ytd["bulletin"][1], "2025年8月，兑换积分20分。");
}
