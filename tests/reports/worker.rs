//! Integration tests of `report worker`: one worker's history through the real binary. The
//! registers of `tests/fixtures/worker_report/` (two streets, one station, three workers,
//! five check-ins) are imported, then 李浩's stages, services, 随手拍 reports, wish, points
//! and award are typed at the terminal with known dates; the tests assert the JSON figures
//! month by month, the timeline's order, the masking of 身份证号 and 手机号, the period filter,
//! the errors and the English labels.

use serde_json::{Value, json};

use crate::util::{self, Dir, bom_csv};

/// 李浩, 柳巷街道: the worker whose history is built.
const LI_HAO: &str = "15903514426";
/// 李浩's 身份证号.
const LI_HAO_ID: &str = "140105199407086213";
/// 杨丽: a check-in and a service of her own, which 李浩's report must not count.
const YANG_LI: &str = "15135296642";
/// 王芳: registered with a 身份证号 and no 手机号.
const WANG_FANG_ID: &str = "14010619920305702X";
/// A 手机号 inside the text of 李浩's first report.
const TEXT_PHONE: &str = "13912345678";

/// The registers imported, and 李浩's history typed at the terminal:
///
/// | month   | check-ins | services       | reports            | wishes    | points                 |
/// |---------|-----------|----------------|--------------------|-----------|------------------------|
/// | 2025-03 | stage 入党申请人 (03-01)                                                            |
/// | 2025-05 | joined (05-12)                                                                      |
/// | 2025-06 | 2 (2 places) | 1, 120 min  | 1 (approved 06-26) | 1 made    | +2 service, +1 report  |
/// | 2025-07 | 2 (2 places) | 1, 90 min   | 1 new, 1 resolved  | 1 fulfilled | +2, +10, −5, +3, −3 |
/// | 2025-12 | award 2025 (dated 12-31)                                                            |
///
/// Balance after June 3, after July (and now) 10.
fn history() -> Dir {
    let d = Dir::new();
    d.init();
    for kind in ["streets", "stations", "workers", "checkins"] {
        let name = d.copy(&format!("worker_report/{kind}.csv"));
        d.by_operator(&["import", kind, &name]).ok();
    }
    let steps: &[&[&str]] = &[
        &[
            "worker",
            "stage",
            LI_HAO,
            "--to",
            "入党申请人",
            "--date",
            "2025-03-01",
        ],
        &[
            "worker",
            "stage",
            LI_HAO,
            "--to",
            "积极分子",
            "--date",
            "2025-06-01",
        ],
        &[
            "service",
            "add",
            LI_HAO,
            "--date",
            "2025-06-20",
            "--activity",
            "防汛巡查",
            "--duration",
            "2",
        ],
        &[
            "service",
            "add",
            LI_HAO,
            "--date",
            "2025-07-05",
            "--activity",
            "夏日送清凉",
            "--duration",
            "90分钟",
        ],
        &[
            "service",
            "add",
            YANG_LI,
            "--date",
            "2025-07-05",
            "--activity",
            "夏日送清凉",
            "--duration",
            "3",
        ],
        &[
            "tip",
            "add",
            LI_HAO,
            "--date",
            "2025-06-25",
            "--category",
            "安全隐患",
            "--content",
            "柳巷南路井盖松动，商户电话13912345678",
        ],
        &["tip", "approve", "1", "--date", "2025-06-26"],
        &["tip", "resolve", "1", "--date", "2025-07-02"],
        &[
            "tip",
            "add",
            LI_HAO,
            "--date",
            "2025-07-08",
            "--category",
            "卫生死角",
            "--content",
            "察院后巷垃圾堆积",
        ],
        &[
            "wish",
            "add",
            LI_HAO,
            "--wish",
            "一个保温饭盒",
            "--date",
            "2025-06-10",
        ],
        &[
            "wish",
            "fulfil",
            "1",
            "--date",
            "2025-07-03",
            "--by",
            "柳巷街道党工委",
        ],
        &[
            "points",
            "earn",
            LI_HAO,
            "10",
            "--date",
            "2025-07-10",
            "--category",
            "其他",
            "--reason",
            "优秀骑手奖励",
        ],
        &[
            "points",
            "redeem",
            LI_HAO,
            "5",
            "--date",
            "2025-07-15",
            "--reason",
            "绿豆礼包",
        ],
        &[
            "points",
            "earn",
            LI_HAO,
            "3",
            "--date",
            "2025-07-20",
            "--category",
            "其他",
            "--reason",
            "夏季奖励",
        ],
        &[
            "award",
            "add",
            LI_HAO,
            "--title",
            "最美外卖骑手",
            "--year",
            "2025",
        ],
    ];
    for args in steps {
        d.by_operator(args).ok();
    }
    // Entry 7 is the +3 of 2025-07-20 (entries 1–3 are the services, 4 the report's grant).
    let seven = d.int("SELECT points FROM point_entries WHERE id = 7");
    assert_eq!(seven, 3);
    d.by_operator(&[
        "points",
        "reverse",
        "7",
        "--date",
        "2025-07-21",
        "--reason",
        "重复录入",
    ])
    .ok();
    d
}

/// `report worker WORKER ARGS --format json`, parsed.
fn report(d: &Dir, worker: &str, args: &[&str]) -> Value {
    let mut all = vec!["report", "worker", worker, "--format", "json"];
    all.extend(args);
    d.by_operator(&all).ok().json()
}

/// The month row `YYYY-MM` of a report.
fn month<'a>(r: &'a Value, m: &str) -> &'a Value {
    r["months"]
        .as_array()
        .expect("months")
        .iter()
        .find(|x| x["month"] == m)
        .unwrap_or_else(|| panic!("no month {m} in {:#}", r["months"]))
}

/// `(date, kind)` of every timeline event.
fn timeline(r: &Value) -> Vec<(String, String)> {
    r["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| {
            (
                e["date"].as_str().expect("date").to_string(),
                e["kind"].as_str().expect("kind").to_string(),
            )
        })
        .collect()
}

#[test]
fn each_month_counts_the_workers_own_events() {
    let d = history();
    let r = report(&d, LI_HAO, &[]);
    assert_eq!(r["period"], Value::Null);
    let months: Vec<&str> = r["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    // From the first counted event (June) to the award, dated 2025-12-31; empty months kept.
    assert_eq!(
        months,
        [
            "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"
        ]
    );
    assert_eq!(
        *month(&r, "2025-06"),
        json!({
            "month": "2025-06", "checkins": 2, "checkin_places": 2, "services": 1,
            "service_minutes": 120, "service_hours": 2.0, "tips": 1, "tips_resolved": 0,
            "wishes": 1, "wishes_fulfilled": 0, "awards": 0, "points_earned": 3,
            "points_redeemed": 0, "balance": 3
        })
    );
    // 杨丽's check-in and 180-minute service of July are not 李浩's; the +3 and its reversal
    // cancel out in the points earned (2 + 10 + 3 − 3).
    assert_eq!(
        *month(&r, "2025-07"),
        json!({
            "month": "2025-07", "checkins": 2, "checkin_places": 2, "services": 1,
            "service_minutes": 90, "service_hours": 1.5, "tips": 1, "tips_resolved": 1,
            "wishes": 0, "wishes_fulfilled": 1, "awards": 0, "points_earned": 12,
            "points_redeemed": 5, "balance": 10
        })
    );
    assert_eq!(month(&r, "2025-09")["checkins"], 0);
    assert_eq!(month(&r, "2025-09")["balance"], 10);
    assert_eq!(month(&r, "2025-12")["awards"], 1);
    // 察院后 twice, 宁化府 and 文庙: three distinct places in all.
    assert_eq!(
        r["totals"],
        json!({
            "checkins": 4, "checkin_places": 3, "services": 2, "service_minutes": 210,
            "service_hours": 3.5, "tips": 2, "tips_resolved": 1, "wishes": 1,
            "wishes_fulfilled": 1, "awards": 1, "points_earned": 15, "points_redeemed": 5,
            "balance": 10
        })
    );
    assert_eq!(
        r["stages"],
        json!([
            {"stage": "applicant", "date": "2025-03-01", "instructor": null},
            {"stage": "activist", "date": "2025-06-01", "instructor": null}
        ])
    );
    let p = &r["person"];
    assert_eq!(p["name"], "李浩");
    assert_eq!(p["occupation"], "delivery_rider");
    assert_eq!(p["political_status"], "masses");
    assert_eq!(p["station"], "美团柳巷站");
    assert_eq!(p["street"], "柳巷街道");
    assert_eq!(p["joined_on"], "2025-05-12");
    assert_eq!(p["left_on"], Value::Null);
}

#[test]
fn the_balance_is_the_ledgers_balance() {
    let d = history();
    let r = report(&d, LI_HAO, &[]);
    let balances = d
        .by_operator(&["points", "balance", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    let mine = util::find(&balances, "phone", LI_HAO);
    assert_eq!(r["totals"]["balance"], mine["balance"]);
    assert_eq!(r["totals"]["balance"], 10);
    let sum = d.int(&format!(
        "SELECT sum(p.points) FROM point_entries p JOIN workers w ON w.id = p.worker_id
         WHERE w.phone = '{LI_HAO}'"
    ));
    assert_eq!(sum, 10);
}

#[test]
fn the_timeline_holds_every_event_in_date_order() {
    let d = history();
    let r = report(&d, LI_HAO, &[]);
    let t = timeline(&r);
    let expected: Vec<(&str, &str)> = vec![
        ("2025-03-01", "stage"),
        ("2025-05-12", "joined"),
        ("2025-06-01", "stage"),
        ("2025-06-03", "checkin"),
        ("2025-06-10", "wish"),
        ("2025-06-17", "checkin"),
        ("2025-06-20", "service"),
        ("2025-06-20", "earn"),
        ("2025-06-25", "tip"),
        ("2025-06-26", "earn"),
        ("2025-07-01", "checkin"),
        ("2025-07-01", "checkin"),
        ("2025-07-02", "tip_resolved"),
        ("2025-07-03", "wish_fulfilled"),
        ("2025-07-05", "service"),
        ("2025-07-05", "earn"),
        ("2025-07-08", "tip"),
        ("2025-07-10", "earn"),
        ("2025-07-15", "redeem"),
        ("2025-07-20", "earn"),
        ("2025-07-21", "reverse"),
        ("2025-12-31", "award"),
    ];
    // The registration by the import is dated the day it was recorded (today), last.
    assert_eq!(t.len(), expected.len() + 1, "{t:#?}");
    for (got, want) in t.iter().zip(&expected) {
        assert_eq!((got.0.as_str(), got.1.as_str()), *want, "{t:#?}");
    }
    let last = t.last().unwrap();
    assert_eq!(last.1, "registered");
    assert!(last.0.as_str() > "2025-12-31", "{last:?}");
    let events = r["timeline"].as_array().unwrap();
    let detail = |i: usize| events[i]["detail"].as_str().unwrap().to_string();
    assert_eq!(detail(3), "柳巷街道 察院后社区居委会 · 日常报到");
    assert_eq!(detail(6), "2.0 小时 防汛巡查 (柳巷街道)");
    assert_eq!(
        detail(8),
        "安全隐患 · 已办结 · 柳巷南路井盖松动，商户电话139****5678"
    );
    assert_eq!(detail(18), "积分兑换 · 绿豆礼包");
    assert_eq!(detail(20), "冲正第7号 · 其他 · 重复录入");
    assert_eq!(detail(21), "2025年度 最美外卖骑手");
    assert_eq!(detail(22), "import workers workers.csv");
    let points: Vec<i64> = events.iter().filter_map(|e| e["points"].as_i64()).collect();
    assert_eq!(points, [2, 1, 2, 10, -5, 3, -3]);
    assert_eq!(events[0]["points"], Value::Null);
}

#[test]
fn numbers_are_masked_unless_show_pii() {
    let d = history();
    for format in ["table", "md", "csv", "json"] {
        d.by_operator(&["report", "worker", LI_HAO, "--format", format])
            .ok()
            .hides(&[LI_HAO, LI_HAO_ID, TEXT_PHONE]);
    }
    // Found by 身份证号 too, still masked.
    let r = d
        .by_operator(&["report", "worker", LI_HAO_ID, "--format", "json"])
        .ok();
    r.hides(&[LI_HAO, LI_HAO_ID, TEXT_PHONE]);
    let r = r.json();
    assert_eq!(r["person"]["phone"], "159****4426");
    assert_eq!(r["person"]["id_number"], "140105********6213");

    let full = report(&d, LI_HAO, &["--show-pii"]);
    assert_eq!(full["person"]["phone"], LI_HAO);
    assert_eq!(full["person"]["id_number"], LI_HAO_ID);
    assert_eq!(
        full["timeline"][8]["detail"],
        "安全隐患 · 已办结 · 柳巷南路井盖松动，商户电话13912345678"
    );
}

#[test]
fn a_period_restricts_the_months_and_the_timeline() {
    let d = history();
    let r = report(&d, LI_HAO, &["--month", "2025-07"]);
    assert_eq!(
        r["period"],
        json!({"from": "2025-07-01", "to": "2025-07-31"})
    );
    let months = r["months"].as_array().unwrap();
    assert_eq!(months.len(), 1);
    assert_eq!(months[0]["month"], "2025-07");
    assert_eq!(months[0]["points_earned"], 12);
    assert_eq!(months[0]["balance"], 10);
    let t = timeline(&r);
    assert_eq!(t.len(), 11, "{t:#?}");
    assert!(
        t.iter().all(|(date, _)| date.starts_with("2025-07")),
        "{t:#?}"
    );
    assert_eq!(t[0], ("2025-07-01".into(), "checkin".into()));
    assert_eq!(t[10], ("2025-07-21".into(), "reverse".into()));
    assert_eq!(r["totals"]["checkins"], 2);
    assert_eq!(r["totals"]["service_minutes"], 90);
    assert_eq!(r["totals"]["tips"], 1);
    assert_eq!(r["totals"]["points_redeemed"], 5);
    // The balance stays the ledger's balance now.
    assert_eq!(r["totals"]["balance"], 10);

    // A quarter before any counted event: the stage only, no months.
    let r = report(&d, LI_HAO, &["--quarter", "2025Q1"]);
    assert_eq!(r["months"], json!([]));
    assert_eq!(timeline(&r), [("2025-03-01".into(), "stage".into())]);
    assert_eq!(r["totals"]["checkins"], 0);
}

#[test]
fn a_worker_without_a_phone_is_found_by_id_number() {
    let d = history();
    d.by_operator(&[
        "checkin",
        "add",
        WANG_FANG_ID,
        "--date",
        "2025-07-09",
        "--purpose",
        "日常报到",
    ])
    .ok();
    let r = report(&d, WANG_FANG_ID, &[]);
    assert_eq!(r["person"]["name"], "王芳");
    assert_eq!(r["person"]["phone"], Value::Null);
    assert_eq!(r["person"]["id_number"], "140106********702X");
    assert_eq!(r["totals"]["checkins"], 1);
    assert_eq!(r["totals"]["services"], 0);
    assert_eq!(r["totals"]["balance"], 0);
    let t = timeline(&r);
    assert_eq!(t[0], ("2025-07-09".into(), "checkin".into()));
    assert_eq!(t.len(), 2, "{t:#?}");
}

#[test]
fn two_workers_of_one_name_without_a_phone_get_only_their_own_records() {
    // Once refused ("王芳 shares the name with 1 other worker(s) registered without 手机号"):
    // the records were matched by 姓名 when there was no 手机号.
    const WANG_FANG_2_ID: &str = "140106199507188045";
    let d = history();
    d.by_operator(&[
        "worker",
        "add",
        "--name",
        "王芳",
        "--id-number",
        WANG_FANG_2_ID,
        "--occupation",
        "快递员",
        "--street",
        "文庙街道",
    ])
    .ok();
    let steps: &[&[&str]] = &[
        &["checkin", "add", WANG_FANG_ID, "--date", "2025-07-09"],
        &[
            "service",
            "add",
            WANG_FANG_ID,
            "--date",
            "2025-07-12",
            "--activity",
            "社区巡逻",
            "--duration",
            "2",
        ],
        &[
            "wish",
            "add",
            WANG_FANG_ID,
            "--wish",
            "一双雨靴",
            "--date",
            "2025-07-14",
        ],
        &["checkin", "add", WANG_FANG_2_ID, "--date", "2025-07-10"],
        &[
            "tip",
            "add",
            WANG_FANG_2_ID,
            "--date",
            "2025-07-11",
            "--category",
            "卫生死角",
            "--content",
            "文庙后街垃圾堆积",
        ],
        &[
            "points",
            "earn",
            WANG_FANG_2_ID,
            "4",
            "--date",
            "2025-07-13",
            "--category",
            "其他",
            "--reason",
            "优秀快递员奖励",
        ],
        &[
            "award",
            "add",
            WANG_FANG_2_ID,
            "--title",
            "最美快递员",
            "--year",
            "2025",
        ],
    ];
    for args in steps {
        d.by_operator(args).ok();
    }
    // The events of each, without the register's own entries.
    let own = |r: &Value| -> Vec<(String, String)> {
        timeline(r)
            .into_iter()
            .filter(|(_, kind)| kind != "registered" && kind != "change")
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };

    let first = report(&d, WANG_FANG_ID, &[]);
    assert_eq!(first["person"]["name"], "王芳");
    assert_eq!(first["person"]["id_number"], "140106********702X");
    assert_eq!(
        own(&first),
        pairs(&[
            ("2025-07-09", "checkin"),
            ("2025-07-12", "service"),
            ("2025-07-12", "earn"),
            ("2025-07-14", "wish"),
        ])
    );
    assert_eq!(
        first["totals"],
        json!({
            "checkins": 1, "checkin_places": 1, "services": 1, "service_minutes": 120,
            "service_hours": 2.0, "tips": 0, "tips_resolved": 0, "wishes": 1,
            "wishes_fulfilled": 0, "awards": 0, "points_earned": 2, "points_redeemed": 0,
            "balance": 2
        })
    );

    let second = report(&d, WANG_FANG_2_ID, &[]);
    assert_eq!(second["person"]["name"], "王芳");
    assert_eq!(second["person"]["id_number"], "140106********8045");
    assert_eq!(
        own(&second),
        pairs(&[
            ("2025-07-10", "checkin"),
            ("2025-07-11", "tip"),
            ("2025-07-13", "earn"),
            ("2025-12-31", "award"),
        ])
    );
    assert_eq!(
        second["totals"],
        json!({
            "checkins": 1, "checkin_places": 1, "services": 0, "service_minutes": 0,
            "service_hours": 0.0, "tips": 1, "tips_resolved": 0, "wishes": 0,
            "wishes_fulfilled": 0, "awards": 1, "points_earned": 4, "points_redeemed": 0,
            "balance": 4
        })
    );
    // Each balance is the ledger's own.
    let balances = d
        .by_operator(&["points", "balance", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    assert_eq!(
        util::find(&balances, "id_number", WANG_FANG_2_ID)["balance"],
        4
    );
    assert_eq!(
        util::find(&balances, "id_number", WANG_FANG_ID)["balance"],
        2
    );
}

#[test]
fn an_unknown_worker_fails_with_the_number_masked() {
    let d = history();
    // The lookup's wording is the register's, not the report's: in Chinese by default.
    let o = d.by_operator(&["report", "worker", "13800138000"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：没有手机号为 138****8000 的从业人员 — 先用 nuanfeng worker list 查找，或用 worker add 登记\n"
    );
    assert_eq!(o.stdout, "");
    // And in today's English with --lang en.
    let o = d
        .by_operator(&["--lang", "en", "report", "worker", "13800138000"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: no worker has the number 138****8000 — check it with `nuanfeng worker list`\n"
    );
    assert_eq!(o.stdout, "");
    let o = d
        .by_operator(&["--lang", "en", "report", "worker", "12345"])
        .code(1);
    o.stderr_has(&["neither a mobile number (11 digits) nor a valid 身份证号"]);
}

#[test]
fn xlsx_and_bad_periods_are_usage_errors() {
    let d = history();
    // A workbook is a file: --format xlsx without -o is refused, in the words of every list.
    let o = d
        .by_operator(&["report", "worker", LI_HAO, "--format", "xlsx"])
        .code(2);
    o.stderr_has(&["错误：--format xlsx 写的是工作簿文件，不能显示在终端 — 加上 -o 文件.xlsx\n"]);
    assert_eq!(o.stdout, "");
    d.by_operator(&[
        "--lang", "en", "report", "worker", LI_HAO, "--format", "xlsx",
    ])
    .code(2)
    .stderr_has(&[
        "error: --format xlsx writes a workbook file, not text for a terminal — add -o FILE.xlsx",
    ]);
    d.by_operator(&[
        "--lang", "en", "report", "worker", LI_HAO, "--month", "2025-13",
    ])
    .code(2)
    .stderr_has(&["--month 2025-13: not a month"]);
    d.by_operator(&[
        "report",
        "worker",
        LI_HAO,
        "--year",
        "2025",
        "--from",
        "2025-01-01",
    ])
    .code(2);
}

#[test]
fn the_table_has_three_sections_and_csv_the_timeline() {
    let d = history();
    let o = d.by_operator(&["report", "worker", LI_HAO]).ok();
    let sections: Vec<&str> = o.stdout.trim_end().split("\n\n").collect();
    // Three sections, then the ledger digest.
    assert_eq!(sections.len(), 4, "{}", o.stdout);
    assert!(sections[3].starts_with("账本摘要 "), "{}", sections[3]);
    assert!(sections[0].contains("姓名") && sections[0].contains("159****4426"));
    assert!(sections[0].contains("入党阶段 入党积极分子") && sections[0].contains("2025-06-01"));
    assert!(sections[0].contains("积分余额 (当前)"));
    assert!(sections[1].contains("月份") && sections[1].contains("2025-07"));
    assert!(sections[1].contains("合计"));
    assert!(sections[2].contains("冲正第7号"));
    assert_eq!(o.stderr, "李浩：23 条记录\n");
    let july = d
        .by_operator(&["report", "worker", LI_HAO, "--month", "2025-07"])
        .ok();
    assert!(
        july.stderr.starts_with("李浩：")
            && july.stderr.ends_with(" 条记录，2025-07-01 – 2025-07-31\n"),
        "{}",
        july.stderr
    );

    let csv = d
        .by_operator(&["report", "worker", LI_HAO, "--format", "csv"])
        .ok();
    let rows = bom_csv(&csv.raw_stdout);
    assert_eq!(rows[0], ["日期", "事项", "内容", "积分"]);
    // The header, 23 events and the ledger digest.
    assert_eq!(rows.len(), 1 + 23 + 1);
    assert_eq!(rows[24][0], "账本摘要");
    assert_eq!(rows[8], ["2025-06-20", "积分", "志愿服务 · 防汛巡查", "+2"]);
    assert_eq!(
        rows[19],
        ["2025-07-15", "兑换", "积分兑换 · 绿豆礼包", "-5"]
    );

    let md = d
        .by_operator(&["report", "worker", LI_HAO, "--format", "md"])
        .ok();
    assert_eq!(md.stdout.trim_end().split("\n\n").count(), 4);
    assert!(md.stdout.contains("| 月份"), "{}", md.stdout);
}

#[test]
fn english_labels_with_lang_en() {
    let d = history();
    let o = d
        .by_operator(&["--lang", "en", "report", "worker", LI_HAO])
        .ok();
    o.stdout_has(&[
        "Name",
        "Points balance (now)",
        "Stage activist",
        "Month",
        "Check-ins",
        "Balance",
        "Total",
        "Date",
        "Event",
        "Check-in",
        "Redemption",
        "Reversal",
        "of entry 7 · other · 重复录入",
        "delivery rider",
    ]);
    assert!(!o.stdout.contains("月份"), "{}", o.stdout);
    assert_eq!(o.stderr, "李浩: 23 events\n");
    let r = d
        .by_operator(&[
            "--lang", "en", "report", "worker", LI_HAO, "--format", "json",
        ])
        .ok()
        .json();
    // Keys and codes do not change with the language.
    assert_eq!(r["person"]["occupation"], "delivery_rider");
    assert_eq!(r["timeline"][6]["kind"], "service");
    assert_eq!(r["timeline"][6]["detail"], "2.0 h 防汛巡查 (柳巷街道)");
}

#[test]
fn a_name_or_nothing_is_answered_with_what_to_type() {
    let d = history();
    // A name nobody else has names the worker, as the number does.
    let by_number = d.by_operator(&["report", "worker", LI_HAO]).ok();
    let by_name = d.by_operator(&["report", "worker", "李浩"]).ok();
    assert_eq!(by_name.stdout, by_number.stdout);
    assert_eq!(by_name.stderr, by_number.stderr);
    // A name nobody has: what to type instead, in Chinese by default …
    let o = d.by_operator(&["report", "worker", "李昊"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：没有名叫 李昊 的从业人员 — 用 nuanfeng worker list --all 查找，或用手机号、身份证号指明\n"
    );
    assert_eq!(o.stdout, "");
    // … and in English with --lang en.
    let o = d
        .by_operator(&["--lang", "en", "report", "worker", "李昊"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: no worker is named 李昊 — look with `nuanfeng worker list --all`, or name the \
         worker by 手机号 or 身份证号\n"
    );
    assert_eq!(o.stdout, "");
    // The same lookup serves `worker show`, spaces around the name left out.
    d.by_operator(&["worker", "show", " 李浩 "])
        .ok()
        .stdout_has(&["李浩"]);
    let o = d
        .by_operator(&["--lang", "en", "report", "worker", ""])
        .code(1);
    assert_eq!(o.stderr, "error: give the worker's 手机号 or 身份证号\n");
    // With a digit it is still read as a number.
    d.by_operator(&["--lang", "en", "report", "worker", "李浩1"])
        .code(1)
        .stderr_has(&["nor a valid 身份证号"]);
}

#[test]
fn the_help_names_the_formats_this_report_takes() {
    let d = Dir::new();
    let o = d.by_operator(&["report", "worker", "--help"]).ok();
    o.stdout_has(&[
        "输出格式：table、md、json、csv（只含时间线）或 xlsx（三个工作表，配合 -o）",
        "格式：table（默认）、md、json、csv（只含时间线）和 xlsx：三部分各占一个工作表的工作簿",
    ]);
    assert!(!o.stdout.contains("[可选值"), "{}", o.stdout);
    assert!(!o.stdout.contains("xlsx]"), "{}", o.stdout);
    let o = d
        .by_operator(&["--lang", "en", "report", "worker", "--help"])
        .ok();
    o.stdout_has(&[
        "Output format: table, md, json, csv (the timeline only), or xlsx (three sheets, with -o)",
        "Formats: table (the default), md, json, csv (the timeline only), and xlsx: a workbook",
    ]);
    assert!(!o.stdout.contains("possible values"), "{}", o.stdout);
    assert!(!o.stdout.contains("xlsx]"), "{}", o.stdout);
}

#[test]
fn a_period_past_2099_is_refused_and_one_up_to_it_keeps_every_event() {
    let d = history();
    let o = d
        .by_operator(&[
            "--lang",
            "en",
            "report",
            "worker",
            LI_HAO,
            "--from",
            "2025-01-01",
            "--to",
            "9999-12-31",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "error: --to 9999-12-31: reports cover 2000-01-01 to 2099-12-31 only\n"
    );
    let all = d
        .by_operator(&["report", "worker", LI_HAO, "--format", "json"])
        .ok()
        .json();
    let upto = d
        .by_operator(&[
            "report",
            "worker",
            LI_HAO,
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(upto["timeline"], all["timeline"]);
    assert_eq!(upto["totals"], all["totals"]);
    assert!(all["timeline"].as_array().unwrap().len() > 10);
    d.by_operator(&[
        "--lang",
        "en",
        "report",
        "worker",
        LI_HAO,
        "--to",
        "2025-07-31",
    ])
    .code(2)
    .stderr_has(&["error: --to needs --from"]);
}

#[test]
fn an_empty_period_is_said_so_in_both_languages() {
    let d = history();
    let o = d
        .by_operator(&["report", "worker", LI_HAO, "--month", "2030-01"])
        .ok();
    assert_eq!(o.stderr, "李浩：0 条记录，2030-01-01 – 2030-01-31\n");
    assert!(
        o.stdout.contains("日期") && o.stdout.contains("合计"),
        "{}",
        o.stdout
    );
    let o = d
        .by_operator(&[
            "--lang", "en", "report", "worker", LI_HAO, "--month", "2030-01",
        ])
        .ok();
    assert_eq!(o.stderr, "李浩: 0 events, 2030-01-01 – 2030-01-31\n");
    assert!(
        o.stdout.contains("Date") && o.stdout.contains("Total"),
        "{}",
        o.stdout
    );
}
