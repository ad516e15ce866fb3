//! Integration tests of the records typed at the terminal beyond check-ins and points: volunteer
//! services (points by the volunteer_hour rule), 随手拍 reports (approved once, then resolved),
//! 微心愿, awards and instructors with their stations — through the real binary on the
//! district fixture and the registers of `tests/fixtures/records/`. Each test asserts the
//! exact messages, the exit code, the rows of the registry file and the sums of the ledger.

mod util;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use util::{Dir, TestCommand, bom_csv, find};

/// 杨丽, 迎泽街道 (青年路一社区居委会): no points, services or reports in the district fixture.
const YANG_LI: &str = "15135296642";
/// 杨丽's 身份证号.
const YANG_LI_ID: &str = "140106199006037169";
/// 郭志伟, 柳巷街道.
const GUO_ZHIWEI: &str = "13623517804";
/// 陈磊, 桥东街道.
const CHEN_LEI: &str = "18834071935";

/// The district's streets, stations (5) and workers (8), with no points entries.
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

/// Copies a fixture in and imports it as `kind` (by the known operator); it must succeed.
fn import(d: &Dir, kind: &str, rel: &str) -> util::Output {
    let name = d.copy(rel);
    nf(d, &["import", kind, &name]).ok()
}

/// The district with every register of `records/` imported.
fn district_with_records() -> Dir {
    let d = district();
    import(&d, "services", "records/services.csv")
        .stderr_has(&["services.csv: 5 rows: 5 new, 0 updated, 0 unchanged"]);
    import(&d, "tips", "records/tips.csv")
        .stderr_has(&["tips.csv: 7 rows: 7 new, 0 updated, 0 unchanged"]);
    import(&d, "instructors", "records/instructors.csv")
        .stderr_has(&["instructors.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);
    import(&d, "wishes", "records/wishes.csv")
        .stderr_has(&["wishes.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);
    import(&d, "awards", "records/awards.csv")
        .stderr_has(&["awards.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);
    d
}

/// The binary with `--db nf.db`, run by a known operator (the default of `--by`).
fn nf(d: &Dir, args: &[&str]) -> TestCommand {
    let mut c = d.nf(args);
    c.env("USER", "wangli").env("USERNAME", "wangli");
    c
}

/// The sum of a worker's ledger, by 手机号.
fn ledger_sum(d: &Dir, phone: &str) -> i64 {
    d.int(&format!(
        "SELECT coalesce(sum(p.points), 0) FROM point_entries p
         JOIN workers w ON w.id = p.worker_id WHERE w.phone = '{phone}'"
    ))
}

/// The keys of every object of a JSON array, which must all be the same.
fn keys(list: &[Value]) -> BTreeSet<String> {
    assert!(!list.is_empty(), "an empty list has no keys to check");
    let first: BTreeSet<String> = list[0]
        .as_object()
        .expect("objects")
        .keys()
        .cloned()
        .collect();
    for v in list {
        let k: BTreeSet<String> = v.as_object().expect("objects").keys().cloned().collect();
        assert_eq!(k, first, "{v}");
    }
    first
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

// ---------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------

#[test]
fn service_add_grants_the_volunteer_hour_points_and_says_so() {
    let d = district();
    // 90 minutes at 1 point an hour: (90 × 1 + 30) ÷ 60 = 2 points (nearest, half up).
    let o = nf(
        &d,
        &[
            "service",
            "add",
            YANG_LI,
            "--date",
            "2025-07-16",
            "--activity",
            "夏日送清凉",
            "--duration",
            "1.5",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "recorded: service 1: 杨丽, 夏日送清凉 on 2025-07-16, 90 minutes\n\
         杨丽: +2 points by rule volunteer_hour (1 point an hour); balance 2\n"
    );
    assert_eq!(o.stdout, "");
    assert_eq!(
        d.rows("SELECT date, activity, minutes, batch_id FROM services"),
        [[
            Some("2025-07-16".to_string()),
            Some("夏日送清凉".to_string()),
            Some("90".to_string()),
            None
        ]]
    );
    assert_eq!(
        d.rows(
            "SELECT date, points, kind, category, rule, source_table, source_id, reason, operator
             FROM point_entries"
        ),
        [[
            "2025-07-16",
            "2",
            "earn",
            "volunteer_service",
            "volunteer_hour",
            "services",
            "1",
            "夏日送清凉",
            "wangli"
        ]
        .map(|s| Some(s.to_string()))]
    );
    assert_eq!(ledger_sum(&d, YANG_LI), 2);

    // The other spellings of a duration: 1小时30分 is 90 minutes, 45分钟 rounds to 1 point,
    // 20 minutes to none (and no ledger entry). By 身份证号, with the name cross-checked.
    for (duration, minutes, points, balance) in [
        ("1小时30分", 90, 2, 4),
        ("45分钟", 45, 1, 5),
        ("20分钟", 20, 0, 5),
    ] {
        let activity = format!("助老送餐{minutes}");
        nf(
            &d,
            &[
                "service",
                "add",
                YANG_LI_ID,
                "--name",
                "杨丽",
                "--date",
                "2025-07-17",
                "--activity",
                &activity,
                "--duration",
                duration,
            ],
        )
        .ok()
        .stderr_has(&[
            &format!("{activity} on 2025-07-17, {minutes} minutes"),
            &format!("杨丽: {points:+} points by rule volunteer_hour (1 point an hour); balance {balance}"),
        ]);
    }
    assert_eq!(d.int("SELECT count(*) FROM services"), 4);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 3);
    assert_eq!(ledger_sum(&d, YANG_LI), 5);

    // A new rate applies to services entered after it: 2 points an hour, 90 minutes → 3.
    nf(&d, &["points", "rule", "set", "volunteer_hour", "2"]).ok();
    nf(
        &d,
        &[
            "service",
            "add",
            YANG_LI,
            "--date",
            "2025-07-18",
            "--activity",
            "防汛巡查",
            "--duration",
            "90分钟",
        ],
    )
    .ok()
    .stderr_has(&["杨丽: +3 points by rule volunteer_hour (2 points an hour); balance 8"]);
    assert_eq!(ledger_sum(&d, YANG_LI), 8);
}

#[test]
fn service_add_refuses_the_same_service_twice_and_a_register_recognises_it() {
    let d = district();
    let args = [
        "service",
        "add",
        YANG_LI,
        "--date",
        "2025-07-16",
        "--activity",
        "夏日送清凉",
        "--duration",
        "90分钟",
    ];
    nf(&d, &args).ok();
    let o = nf(&d, &args).code(1);
    assert_eq!(
        o.stderr,
        "error: 杨丽 already has this service on 2025-07-16 (service 1) — nothing added\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM services"), 1);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 1);
    assert_eq!(ledger_sum(&d, YANG_LI), 2);
    // The same service in a register afterwards is recognised, not doubled nor granted again.
    d.write(
        "later.csv",
        "姓名,手机号,服务日期,活动名称,时长(分钟),服务街道,服务社区\n\
         杨丽,15135296642,2025-07-16,夏日送清凉,90,迎泽街道,青年路一社区居委会\n",
    );
    nf(&d, &["import", "services", "later.csv"])
        .ok()
        .stderr_has(&["later.csv: 1 row: 0 new, 0 updated, 1 unchanged"]);
    assert_eq!(d.int("SELECT count(*) FROM services"), 1);
    assert_eq!(ledger_sum(&d, YANG_LI), 2);
}

#[test]
fn service_add_bad_values_get_the_import_errors_naming_the_flags() {
    let d = district();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "service",
            "add",
            YANG_LI,
            "--date",
            "2025-07-16",
            "--activity",
            "夏日送清凉",
        ];
        args.extend_from_slice(extra);
        nf(&d, &args).code(1)
    };
    assert_eq!(
        add(&["--duration", "2天"]).stderr,
        "error: --duration: 2天: is not a duration — write hours (1.5), 1小时30分, or minutes (90分钟)\n"
    );
    assert_eq!(
        add(&["--duration", "25"]).stderr,
        "error: --duration: 25: must be more than 0 and at most 24 hours\n"
    );
    assert_eq!(
        add(&["--duration", "1", "--name", "杨莉"]).stderr,
        "error: --name: 杨莉: the worker with this 手机号 is registered as 杨丽 — correct the name or the number\n"
    );
    assert_eq!(
        add(&["--duration", "1", "--street", "柳港街道"]).stderr,
        "error: --street: 柳港街道: not a known street — did you mean 柳巷街道?\n"
    );
    let o = nf(
        &d,
        &[
            "service",
            "add",
            "13900000000",
            "--activity",
            "夏日送清凉",
            "--duration",
            "1",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: WORKER: 139****0000: no worker has this 手机号 — import the worker first, or correct the number\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM services"), 0);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
    // A missing required flag is a usage error (exit 2) from the parser.
    nf(&d, &["service", "add", YANG_LI, "--activity", "x"])
        .code(2)
        .stderr_has(&["--duration <DURATION>"]);
}

#[test]
fn service_list_filters_by_street_and_month_with_the_documented_json() {
    let d = district_with_records();
    let all = nf(&d, &["service", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(all.len(), 5);
    assert_eq!(
        keys(&all),
        set(&[
            "id",
            "name",
            "phone",
            "date",
            "activity",
            "minutes",
            "points",
            "street",
            "community"
        ])
    );
    // 120, 90, 90, 30 and 180 minutes: 2 + 2 + 2 + 1 + 3 points.
    let points: i64 = all.iter().map(|s| s["points"].as_i64().unwrap()).sum();
    assert_eq!(points, 10);
    assert_eq!(
        d.int("SELECT sum(points) FROM point_entries WHERE source_table = 'services'"),
        10
    );
    let o = nf(
        &d,
        &[
            "service", "list", "--street", "柳巷", "--month", "2025-07", "--format", "json",
        ],
    )
    .ok();
    assert_eq!(o.stderr, "2 services: 180 minutes, 4 points\n");
    assert_eq!(
        o.json(),
        json!([
            {"id": 2, "name": "李浩", "phone": "159****4426", "date": "2025-07-05",
             "activity": "夏日送清凉", "minutes": 90, "points": 2, "street": "柳巷街道",
             "community": "察院后社区居委会"},
            {"id": 3, "name": "张敏", "phone": "186****1759", "date": "2025-07-12",
             "activity": "文明交通劝导", "minutes": 90, "points": 2, "street": "柳巷街道",
             "community": "宁化府社区居委会"},
        ])
    );
    let csv = bom_csv(
        &nf(
            &d,
            &["service", "list", "--from", "2025-08-01", "--format", "csv"],
        )
        .ok()
        .raw_stdout,
    );
    assert_eq!(
        csv,
        [
            vec![
                "id",
                "姓名",
                "手机号",
                "日期",
                "活动",
                "时长(分钟)",
                "积分",
                "街道",
                "社区"
            ],
            vec![
                "5",
                "陈磊",
                "188****1935",
                "2025-08-02",
                "社区环境清洁",
                "180",
                "3",
                "桥东街道",
                "迎宾社区居委会"
            ]
        ]
    );
    nf(&d, &["service", "list", "--month", "2025-13"])
        .code(2)
        .stderr_has(&["--month 2025-13: not a month — write it as 2025-07"]);
}

// ---------------------------------------------------------------------------------------
// tip
// ---------------------------------------------------------------------------------------

#[test]
fn tip_approve_grants_one_point_once_and_a_second_approval_grants_nothing() {
    let d = district();
    let o = nf(
        &d,
        &[
            "tip",
            "add",
            YANG_LI,
            "--category",
            "安全隐患",
            "--content",
            "迎泽大街井盖破损",
            "--date",
            "2025-07-10",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "recorded: report 1: 杨丽, 安全隐患 on 2025-07-10, pending — approve it with `nuanfeng tip approve 1`\n"
    );
    assert_eq!(
        d.rows("SELECT status, approved_on, category FROM tips"),
        [[Some("pending".into()), None, Some("safety_hazard".into())]]
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);

    let o = nf(&d, &["tip", "approve", "1", "--date", "2025-07-12"]).ok();
    assert_eq!(
        o.stderr,
        "report 1 approved: 杨丽, 安全隐患; +1 point by rule tip_approved; balance 1\n"
    );
    assert_eq!(
        d.rows("SELECT status, approved_on, approved_by FROM tips"),
        [[
            Some("approved".into()),
            Some("2025-07-12".into()),
            Some("wangli".into())
        ]]
    );
    assert_eq!(
        d.rows("SELECT date, points, rule, source_table, source_id FROM point_entries"),
        [["2025-07-12", "1", "tip_approved", "tips", "1"].map(|s| Some(s.to_string()))]
    );
    assert_eq!(ledger_sum(&d, YANG_LI), 1);

    let o = nf(
        &d,
        &[
            "tip",
            "approve",
            "1",
            "--date",
            "2025-07-13",
            "--by",
            "王秀芳",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "report 1 (杨丽): already approved, no points granted\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 1);
    assert_eq!(ledger_sum(&d, YANG_LI), 1);
    // The first approval stands.
    assert_eq!(
        d.rows("SELECT approved_on, approved_by FROM tips"),
        [[Some("2025-07-12".into()), Some("wangli".into())]]
    );
    let b = nf(&d, &["points", "balance", YANG_LI, "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(b[0]["balance"], 1);

    // A typed report identical to a stored one is refused; the same content on another day
    // is another report.
    nf(
        &d,
        &[
            "tip",
            "add",
            YANG_LI,
            "--category",
            "隐患",
            "--content",
            "迎泽大街井盖破损",
            "--date",
            "2025-07-10",
        ],
    )
    .code(1)
    .stderr_has(&["error: 杨丽 already has this report on 2025-07-10 (report 1) — nothing added"]);
    assert_eq!(d.int("SELECT count(*) FROM tips"), 1);
}

#[test]
fn tip_approve_of_a_suggestion_uses_its_rule_and_several_ids_are_all_or_nothing() {
    let d = district();
    nf(&d, &["points", "rule", "set", "suggestion_adopted", "5"]).ok();
    for (category, content) in [
        ("意见建议", "驿站增设充电柜"),
        ("卫生死角", "背街小巷垃圾堆积"),
    ] {
        nf(
            &d,
            &[
                "tip",
                "add",
                CHEN_LEI,
                "--category",
                category,
                "--content",
                content,
                "--date",
                "2025-07-10",
            ],
        )
        .ok();
    }
    // Report 3 does not exist: neither 1 nor 2 is approved.
    let o = nf(&d, &["tip", "approve", "1", "2", "3"]).code(1);
    assert_eq!(
        o.stderr,
        "error: there is no 随手拍 report 3 — see `nuanfeng tip list`\n"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM tips WHERE status = 'pending'"),
        2
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
    // An approval dated before the report is refused.
    nf(&d, &["tip", "approve", "1", "--date", "2025-07-09"])
        .code(1)
        .stderr_has(&["error: approval on 2025-07-09 is before the report itself (2025-07-10)"]);
    let o = nf(&d, &["tip", "approve", "1", "2", "--date", "2025-07-11"]).ok();
    assert_eq!(
        o.stderr,
        "report 1 approved: 陈磊, 意见建议; +5 points by rule suggestion_adopted; balance 5\n\
         report 2 approved: 陈磊, 卫生死角; +1 point by rule tip_approved; balance 6\n"
    );
    assert_eq!(ledger_sum(&d, CHEN_LEI), 6);
}

#[test]
fn tip_resolve_before_approval_is_refused_then_resolves_once() {
    let d = district();
    nf(
        &d,
        &[
            "tip",
            "add",
            GUO_ZHIWEI,
            "--category",
            "占道经营",
            "--content",
            "水果摊占用人行道",
            "--date",
            "2025-07-10",
        ],
    )
    .ok();
    let o = nf(&d, &["tip", "resolve", "1", "--date", "2025-07-20"]).code(1);
    assert_eq!(
        o.stderr,
        "error: report 1 is not approved yet — approve it first: nuanfeng tip approve 1\n"
    );
    assert_eq!(
        d.rows("SELECT status, resolved_on FROM tips"),
        [[Some("pending".into()), None]]
    );
    nf(&d, &["tip", "approve", "1", "--date", "2025-07-12"]).ok();
    nf(&d, &["tip", "resolve", "1", "--date", "2025-07-11"])
        .code(1)
        .stderr_has(&["error: resolving on 2025-07-11 is before the approval (2025-07-12)"]);
    let o = nf(
        &d,
        &[
            "tip",
            "resolve",
            "1",
            "--date",
            "2025-07-20",
            "--by",
            "柳巷街道城管科",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "report 1 (郭志伟) resolved on 2025-07-20 by 柳巷街道城管科\n"
    );
    assert_eq!(
        d.rows("SELECT status, resolved_on, resolved_by FROM tips"),
        [[
            Some("resolved".into()),
            Some("2025-07-20".into()),
            Some("柳巷街道城管科".into())
        ]]
    );
    nf(&d, &["tip", "resolve", "1"])
        .code(1)
        .stderr_has(&["error: report 1 is resolved already"]);
    nf(&d, &["tip", "resolve", "9"])
        .code(1)
        .stderr_has(&["error: there is no 随手拍 report 9 — see `nuanfeng tip list`"]);
    // Resolving grants nothing more; approving the resolved report grants nothing either.
    nf(&d, &["tip", "approve", "1"])
        .ok()
        .stderr_has(&["report 1 (郭志伟): already approved, no points granted"]);
    assert_eq!(ledger_sum(&d, GUO_ZHIWEI), 1);
    nf(&d, &["tip", "resolve", "1", "--date", "2999-01-01"])
        .code(2)
        .stderr_has(&["--date 2999-01-01: is in the future"]);
}

#[test]
fn tip_list_filters_by_status_category_street_and_period() {
    let d = district_with_records();
    let list = |extra: &[&str]| {
        let mut args = vec!["tip", "list", "--format", "json"];
        args.extend_from_slice(extra);
        nf(&d, &args).ok().json_array()
    };
    let all = list(&[]);
    assert_eq!(all.len(), 7);
    assert_eq!(
        keys(&all),
        set(&[
            "id",
            "date",
            "name",
            "phone",
            "category",
            "content",
            "status",
            "approved_on",
            "approved_by",
            "resolved_on",
            "resolved_by",
            "street",
            "community",
            "points"
        ])
    );
    let ids = |v: &[Value]| -> Vec<i64> { v.iter().map(|t| t["id"].as_i64().unwrap()).collect() };
    assert_eq!(ids(&list(&["--status", "pending"])), [3, 4, 7]);
    assert_eq!(ids(&list(&["--status", "approved"])), [2, 5]);
    assert_eq!(ids(&list(&["--status", "resolved"])), [1, 6]);
    // Chinese labels are accepted as well as the codes.
    assert_eq!(ids(&list(&["--status", "已办结"])), [1, 6]);
    assert_eq!(ids(&list(&["--category", "安全隐患"])), [1]);
    assert_eq!(ids(&list(&["--category", "suggestion"])), [6]);
    assert_eq!(
        ids(&list(&["--street", "柳巷", "--status", "pending"])),
        [3]
    );
    assert_eq!(ids(&list(&["--month", "2025-07"])), [2, 3, 4, 5]);
    assert_eq!(
        ids(&list(&["--from", "2025-07-10", "--to", "2025-08-05"])),
        [4, 5, 6]
    );
    // Approved and resolved reports each granted 1 point; pending ones nothing.
    let points: Vec<i64> = all.iter().map(|t| t["points"].as_i64().unwrap()).collect();
    assert_eq!(points, [1, 1, 0, 0, 1, 1, 0]);
    assert_eq!(
        d.int("SELECT sum(points) FROM point_entries WHERE source_table = 'tips'"),
        4
    );
    assert_eq!(
        all[5],
        json!({"id": 6, "date": "2025-08-03", "name": "杨丽", "phone": "151****6642",
               "category": "suggestion", "content": "建议驿站增设电动车充电柜",
               "status": "resolved", "approved_on": "2025-08-03", "approved_by": "wangli",
               "resolved_on": "2025-08-10", "resolved_by": "wangli", "street": "迎泽街道",
               "community": "青年路一社区居委会", "points": 1})
    );
    // The table shows the labels.
    let o = nf(&d, &["tip", "list", "--status", "resolved"]).ok();
    o.stdout_has(&[
        "id",
        "日期",
        "姓名",
        "手机号",
        "类别",
        "内容",
        "状态",
        "审核日期",
        "办结日期",
        "街道",
        "安全隐患",
        "意见建议",
        "已办结",
        "2025-06-25",
        "2025-08-10",
    ]);
    assert_eq!(o.stderr, "2 reports\n");
    // Approving a pending report moves it to the approved list.
    nf(&d, &["tip", "approve", "3", "--date", "2025-07-09"]).ok();
    assert_eq!(ids(&list(&["--status", "approved"])), [2, 3, 5]);
    // An unknown status or category is a usage error naming the accepted values.
    nf(&d, &["tip", "list", "--status", "done"])
        .code(2)
        .stderr_has(&[
            "error: --status done: not a known 状态 — accepted: pending, approved, resolved (待审核, 已审核, 已办结)",
        ]);
    nf(&d, &["tip", "list", "--category", "乱停车"])
        .code(2)
        .stderr_has(&["error: --category 乱停车: not a known 随手拍类别"]);
}

#[test]
fn tip_add_refuses_an_unknown_category_with_the_import_error() {
    let d = district();
    let o = nf(
        &d,
        &[
            "tip",
            "add",
            YANG_LI,
            "--category",
            "乱停车",
            "--content",
            "路口乱停车",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: --category: 乱停车: not a known 随手拍类别 — accepted: 安全隐患, 卫生死角, 矛盾纠纷, 不文明现象, 占道经营, 意见建议, 其他\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM tips"), 0);
}

// ---------------------------------------------------------------------------------------
// wish
// ---------------------------------------------------------------------------------------

#[test]
fn wish_fulfil_twice_is_refused() {
    let d = district();
    let o = nf(
        &d,
        &[
            "wish",
            "add",
            CHEN_LEI,
            "--wish",
            "一个保温饭盒",
            "--date",
            "2025-07-01",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "recorded: wish 1: 陈磊, 一个保温饭盒 on 2025-07-01 — when it comes true: `nuanfeng wish fulfil 1 --by WHO`\n"
    );
    nf(
        &d,
        &[
            "wish",
            "add",
            CHEN_LEI,
            "--wish",
            "一个保温饭盒",
            "--date",
            "2025-07-01",
        ],
    )
    .code(1)
    .stderr_has(&["error: 陈磊 already has this wish on 2025-07-01 (wish 1) — nothing added"]);
    nf(
        &d,
        &[
            "wish",
            "fulfil",
            "1",
            "--date",
            "2025-06-30",
            "--by",
            "桥东街道党工委",
        ],
    )
    .code(1)
    .stderr_has(&["error: fulfilled on 2025-06-30, before the wish itself (2025-07-01)"]);
    let o = nf(
        &d,
        &[
            "wish",
            "fulfil",
            "1",
            "--date",
            "2025-07-20",
            "--by",
            "桥东街道党工委",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "wish 1 of 陈磊 (一个保温饭盒) fulfilled on 2025-07-20 by 桥东街道党工委\n"
    );
    let o = nf(
        &d,
        &[
            "wish",
            "fulfil",
            "1",
            "--date",
            "2025-07-21",
            "--by",
            "迎泽区总工会",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: wish 1 was fulfilled already on 2025-07-20\n"
    );
    assert_eq!(
        d.rows("SELECT wish, date, fulfilled_on, fulfilled_by FROM wishes"),
        [
            ["一个保温饭盒", "2025-07-01", "2025-07-20", "桥东街道党工委"]
                .map(|s| Some(s.to_string()))
        ]
    );
    nf(&d, &["wish", "fulfil", "2", "--by", "x"])
        .code(1)
        .stderr_has(&["error: there is no wish 2 — see `nuanfeng wish list`"]);
}

#[test]
fn wish_list_shows_open_wishes_and_the_documented_json() {
    let d = district_with_records();
    let all = nf(&d, &["wish", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        keys(&all),
        set(&[
            "id",
            "name",
            "phone",
            "wish",
            "date",
            "fulfilled_on",
            "fulfilled_by",
            "street"
        ])
    );
    assert_eq!(all.len(), 2);
    let open = nf(&d, &["wish", "list", "--open", "--format", "json"]).ok();
    assert_eq!(open.stderr, "1 wish, 1 open\n");
    assert_eq!(
        open.json(),
        json!([{"id": 2, "name": "陈磊", "phone": "188****1935", "wish": "孩子暑期托管",
                "date": "2025-07-03", "fulfilled_on": null, "fulfilled_by": null,
                "street": "桥东街道"}])
    );
    let by_street = nf(
        &d,
        &["wish", "list", "--street", "迎泽", "--format", "json"],
    )
    .ok()
    .json_array();
    assert_eq!(by_street.len(), 1);
    assert_eq!(by_street[0]["fulfilled_by"], "迎泽街道党工委");
}

// ---------------------------------------------------------------------------------------
// award
// ---------------------------------------------------------------------------------------

#[test]
fn award_added_twice_is_unchanged() {
    let d = district();
    let args = [
        "award",
        "add",
        GUO_ZHIWEI,
        "--title",
        "最美快递员",
        "--year",
        "2025",
    ];
    assert_eq!(
        nf(&d, &args).ok().stderr,
        "recorded: 郭志伟, 最美快递员 2025\n"
    );
    assert_eq!(
        nf(&d, &args).ok().stderr,
        "郭志伟 already holds 最美快递员 2025 — unchanged\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM awards"), 1);
    // Another year is another award; a year out of range is the import's error.
    nf(
        &d,
        &[
            "award",
            "add",
            GUO_ZHIWEI,
            "--title",
            "最美快递员",
            "--year",
            "2024",
        ],
    )
    .ok();
    nf(
        &d,
        &[
            "award",
            "add",
            GUO_ZHIWEI,
            "--title",
            "最美快递员",
            "--year",
            "1999",
        ],
    )
    .code(1)
    .stderr_has(&["error: --year: 1999: not a year from 2000 to "]);
    assert_eq!(
        d.rows("SELECT title, year FROM awards ORDER BY year"),
        [
            [Some("最美快递员".to_string()), Some("2024".to_string())],
            [Some("最美快递员".to_string()), Some("2025".to_string())]
        ]
    );
    let list = nf(&d, &["award", "list", "--year", "2025", "--format", "json"]).ok();
    assert_eq!(list.stderr, "1 award\n");
    assert_eq!(
        list.json(),
        json!([{"id": 1, "name": "郭志伟", "phone": "136****7804", "title": "最美快递员",
                "year": 2025, "enterprise": "顺丰速运", "street": "柳巷街道"}])
    );
    nf(&d, &["award", "list", "--year", "二〇二五"])
        .code(2)
        .stderr_has(&["--year 二〇二五: not a year — write it as 2025"]);
}

// ---------------------------------------------------------------------------------------
// instructor
// ---------------------------------------------------------------------------------------

#[test]
fn instructor_assign_moves_a_station_and_the_list_shows_it() {
    let d = district_with_records();
    let list = |d: &Dir| {
        nf(d, &["instructor", "list", "--format", "json", "--show-pii"])
            .ok()
            .json_array()
    };
    let before = list(&d);
    assert_eq!(
        keys(&before),
        set(&["id", "name", "phone", "street", "unit", "stations"])
    );
    assert_eq!(
        before,
        [
            json!({"id": 1, "name": "王秀芳", "phone": "13935101000", "street": "柳巷街道",
                   "unit": "柳巷街道党工委", "stations": ["顺丰速运柳巷营业部", "美团柳巷站"]}),
            json!({"id": 2, "name": "李建国", "phone": "13935101037", "street": "文庙街道",
                   "unit": "文庙街道党工委", "stations": ["中通快递文庙网点"]}),
        ]
    );
    // By name: 美团柳巷站 moves from 王秀芳 to 李建国; 宁化府社区暖蜂驿站 was nobody's.
    let o = nf(
        &d,
        &[
            "instructor",
            "assign",
            "李建国",
            "美团柳巷站",
            "宁化府社区暖蜂驿站",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "美团柳巷站: moved from 王秀芳 to 李建国\n宁化府社区暖蜂驿站: assigned to 李建国\n"
    );
    let after = list(&d);
    assert_eq!(after[0]["stations"], json!(["顺丰速运柳巷营业部"]));
    assert_eq!(
        after[1]["stations"],
        json!(["中通快递文庙网点", "美团柳巷站", "宁化府社区暖蜂驿站"])
    );
    assert_eq!(
        d.int("SELECT count(*) FROM instructor_stations WHERE station_id = (SELECT id FROM stations WHERE name = '美团柳巷站')"),
        1
    );
    // By 手机号; a station already theirs is said so.
    nf(&d, &["instructor", "assign", "13935101037", "美团柳巷站"])
        .ok()
        .stderr_has(&["美团柳巷站: assigned to 李建国 already"]);
    // An unknown station assigns nothing, naming the nearest.
    let o = nf(
        &d,
        &[
            "instructor",
            "assign",
            "王秀芳",
            "货拉拉郝庄服务站",
            "美团柳港站",
        ],
    )
    .code(1);
    assert_eq!(
        o.stderr,
        "error: station 美团柳港站: not in the stations register — did you mean 美团柳巷站?\nnothing assigned\n"
    );
    assert_eq!(list(&d), after);
    nf(&d, &["instructor", "assign", "张三", "美团柳巷站"])
        .code(1)
        .stderr_has(&["error: no instructor is 张三 — see `nuanfeng instructor list`"]);

    // The table: counts and the stations of each.
    let t = nf(&d, &["instructor", "list"]).ok();
    t.stdout_has(&[
        "站点数",
        "负责站点",
        "顺丰速运柳巷营业部",
        "中通快递文庙网点、美团柳巷站、宁化府社区暖蜂驿站",
        "139****1037",
    ])
    .hides(&["13935101037", "13935101000"]);
    assert_eq!(t.stderr, "2 instructors, 4 stations assigned\n");
}

#[test]
fn instructor_add_assigns_stations_and_says_which_moved() {
    let d = district_with_records();
    let o = nf(
        &d,
        &[
            "instructor",
            "add",
            "--name",
            "周敏",
            "--phone",
            "13935109999",
            "--street",
            "柳巷",
            "--unit",
            "柳巷街道党工委",
            "--station",
            "美团柳巷站",
            "宁化府社区暖蜂驿站",
        ],
    )
    .ok();
    assert_eq!(
        o.stderr,
        "recorded: instructor 周敏 (139****9999), 柳巷街道\n\
         美团柳巷站: moved from 王秀芳 to 周敏\n\
         宁化府社区暖蜂驿站: assigned to 周敏\n"
    );
    assert_eq!(
        d.rows(
            "SELECT i.name, s.name FROM instructor_stations a JOIN instructors i ON i.id = a.instructor_id
             JOIN stations s ON s.id = a.station_id ORDER BY a.rowid"
        ),
        [
            ["王秀芳", "顺丰速运柳巷营业部"],
            ["李建国", "中通快递文庙网点"],
            ["周敏", "美团柳巷站"],
            ["周敏", "宁化府社区暖蜂驿站"],
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // The same 手机号 again updates the instructor; a bad phone or station is the import's error.
    nf(
        &d,
        &[
            "instructor",
            "add",
            "--name",
            "周敏",
            "--phone",
            "13935109999",
            "--unit",
            "迎泽区委社会工作部",
        ],
    )
    .ok()
    .stderr_has(&["updated: instructor 周敏 (139****9999)"]);
    assert_eq!(d.int("SELECT count(*) FROM instructors"), 3);
    nf(
        &d,
        &["instructor", "add", "--name", "吴刚", "--phone", "1393510"],
    )
    .code(1)
    .stderr_has(&["error: --phone: 1393510: "]);
    nf(
        &d,
        &[
            "instructor",
            "add",
            "--name",
            "吴刚",
            "--phone",
            "13935108888",
            "--station",
            "美团柳港站",
        ],
    )
    .code(1)
    .stderr_has(&[
        "error: --station: 美团柳港站: not in the stations register — did you mean 美团柳巷站?",
    ]);
    assert_eq!(d.int("SELECT count(*) FROM instructors"), 3);
}

// ---------------------------------------------------------------------------------------
// Privacy and formats of every list
// ---------------------------------------------------------------------------------------

#[test]
fn every_list_masks_phones_unless_show_pii() {
    let d = district_with_records();
    let phones = [
        "13623517804",
        "15903514426",
        "18636021759",
        "17735240683",
        "13935187026",
        "15135296642",
        "18834071935",
        "13935101000",
        "13935101037",
    ];
    let lists: [&[&str]; 5] = [
        &["service", "list"],
        &["tip", "list"],
        &["wish", "list"],
        &["award", "list"],
        &["instructor", "list"],
    ];
    for list in lists {
        for format in ["table", "csv", "json", "md"] {
            let mut args = list.to_vec();
            args.extend(["--format", format]);
            nf(&d, &args).ok().hides(&phones);
        }
        let mut args = list.to_vec();
        args.extend(["--format", "json", "--show-pii"]);
        let shown = nf(&d, &args).ok().json_array();
        assert!(
            shown.iter().all(|v| {
                let p = v["phone"].as_str().unwrap();
                phones.contains(&p)
            }),
            "{list:?}: {shown:?}"
        );
    }
    let tips = nf(&d, &["tip", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(find(&tips, "name", "杨丽")["phone"], "151****6642");
}

#[test]
fn every_list_prints_csv_with_a_bom_and_markdown() {
    let d = district_with_records();
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["service", "list"],
            &[
                "id",
                "姓名",
                "手机号",
                "日期",
                "活动",
                "时长(分钟)",
                "积分",
                "街道",
                "社区",
            ],
        ),
        (
            &["tip", "list"],
            &[
                "id",
                "日期",
                "姓名",
                "手机号",
                "类别",
                "内容",
                "状态",
                "审核日期",
                "办结日期",
                "街道",
            ],
        ),
        (
            &["wish", "list"],
            &[
                "id",
                "姓名",
                "手机号",
                "心愿",
                "登记日期",
                "实现日期",
                "认领人",
                "街道",
            ],
        ),
        (
            &["award", "list"],
            &[
                "id",
                "姓名",
                "手机号",
                "荣誉称号",
                "年度",
                "所属企业",
                "街道",
            ],
        ),
        (
            &["instructor", "list"],
            &[
                "id",
                "姓名",
                "手机号",
                "街道",
                "工作单位",
                "站点数",
                "负责站点",
            ],
        ),
    ];
    for (list, headers) in cases {
        let mut args = list.to_vec();
        args.extend(["--format", "csv"]);
        let rows = bom_csv(&nf(&d, &args).ok().raw_stdout);
        assert_eq!(rows[0], headers, "{list:?}");
        let json_len = {
            let mut a = list.to_vec();
            a.extend(["--format", "json"]);
            nf(&d, &a).ok().json_array().len()
        };
        assert_eq!(rows.len(), json_len + 1, "{list:?}");
        let mut args = list.to_vec();
        args.extend(["--format", "md"]);
        let md = nf(&d, &args).ok().stdout;
        assert!(md.starts_with(&format!("| {} ", headers[0])), "{md}");
        assert_eq!(md.lines().count(), json_len + 2, "{md}");
    }
    // CSV leaves missing values empty; the table shows a dash.
    let rows = bom_csv(
        &nf(&d, &["wish", "list", "--open", "--format", "csv"])
            .ok()
            .raw_stdout,
    );
    assert_eq!(
        rows[1],
        [
            "2",
            "陈磊",
            "188****1935",
            "孩子暑期托管",
            "2025-07-03",
            "",
            "",
            "桥东街道"
        ]
    );
}

#[test]
fn typed_commands_on_a_missing_registry_create_nothing() {
    let d = Dir::new();
    for args in [
        &["service", "list"][..],
        &["tip", "approve", "1"],
        &["wish", "list"],
        &["award", "list"],
        &["instructor", "assign", "王秀芳", "美团柳巷站"],
    ] {
        nf(&d, args).code(1).stderr_has(&["no database at nf.db"]);
    }
    assert!(!d.exists("nf.db"));
}

// ---------------------------------------------------------------------------------------
// Rows an office fills in loosely, and the mistakes a register can hide.

#[test]
fn a_pending_report_with_a_resolution_date_is_refused() {
    let d = district();
    d.write(
        "tips.csv",
        "姓名,手机号,上报日期,类别,内容,状态,办结日期\n\
         杨丽,15135296642,2025-07-07,安全隐患,井盖松动,待审核,2025-07-09\n\
         杨丽,15135296642,2025-07-08,不文明现象,乱扔垃圾,通过,\n",
    );
    let o = nf(&d, &["import", "tips", "tips.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "tips.csv: read as UTF-8\n\
         tips.csv:2: 状态 (F): 待审核: 待审核 but the row has a 办结日期 2025-07-09 — correct the 状态 \
         to 已办结, or clear the 办结日期\n\
         error: tips.csv: 1 of 2 rows has problems (listed above); nothing was imported — correct \
         them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
}

#[test]
fn a_fulfilled_wish_is_not_fulfilled_again_by_a_later_register() {
    let d = district();
    d.write(
        "w1.csv",
        "姓名,手机号,心愿内容,登记日期,实现日期,认领人\n\
         杨丽,15135296642,一个头盔,2025-07-06,2025-07-21,柳巷街道团委\n",
    );
    d.write(
        "w2.csv",
        "姓名,手机号,心愿内容,登记日期,实现日期,认领人\n\
         杨丽,15135296642,一个头盔,2025-07-06,2025-07-20,迎泽区总工会\n\
         杨丽,15135296642,保温杯,2025-07-10,2025-07-12,\n",
    );
    nf(&d, &["import", "wishes", "w1.csv"]).ok();
    let o = nf(&d, &["import", "wishes", "w2.csv"]).code(1);
    o.stderr_has(&[
        "w2.csv:2: 实现日期 (E): 2025-07-20: the wish was fulfilled on 2025-07-21 by 柳巷街道团委 \
         already — correct the row",
        "w2.csv:3: 认领人 (F): missing — a fulfilled wish needs who fulfilled it (认领人)",
    ]);
    assert_eq!(
        d.rows("SELECT wish, fulfilled_on, fulfilled_by FROM wishes"),
        [vec![
            Some("一个头盔".into()),
            Some("2025-07-21".into()),
            Some("柳巷街道团委".into())
        ]]
    );
}

#[test]
fn instructors_register_says_which_stations_moved_and_stations_can_be_unassigned() {
    let d = district_with_records();
    d.write(
        "more.csv",
        "姓名,手机号,所属街道,工作单位,负责站点\n钱七,13935103002,郝庄镇,郝庄镇党委,美团柳巷站\n",
    );
    let o = nf(&d, &["import", "instructors", "more.csv"]).ok();
    assert_eq!(
        o.stderr,
        "more.csv: read as UTF-8\n\
         more.csv:2: note: 美团柳巷站: moved from 王秀芳 to 钱七\n\
         more.csv: 1 row: 1 new, 0 updated, 0 unchanged\n"
    );
    let o = nf(
        &d,
        &["instructor", "unassign", "美团柳巷站", "中通快递文庙网点"],
    )
    .ok();
    let today = chrono::Local::now().date_naive();
    assert_eq!(
        o.stderr,
        format!(
            "美团柳巷站: assigned to 钱七 until {today}, then to nobody\n\
             中通快递文庙网点: assigned to 李建国 until {today}, then to nobody\n"
        )
    );
    assert_eq!(
        d.int("SELECT count(*) FROM instructor_stations WHERE until_on IS NULL AND station_id IN (SELECT id FROM stations WHERE name IN ('美团柳巷站', '中通快递文庙网点'))"),
        0
    );
    // A station of that name in two streets: the street is asked for, and named.
    nf(
        &d,
        &[
            "station",
            "add",
            "--name",
            "菜鸟驿站",
            "--street",
            "柳巷",
            "--kind",
            "快递站点",
        ],
    )
    .ok();
    nf(
        &d,
        &[
            "station",
            "add",
            "--name",
            "菜鸟驿站",
            "--street",
            "郝庄镇",
            "--kind",
            "快递站点",
        ],
    )
    .ok();
    nf(
        &d,
        &[
            "instructor",
            "assign",
            "13935103002",
            "菜鸟驿站",
            "--street",
            "柳巷街道",
        ],
    )
    .ok()
    .stderr_has(&["菜鸟驿站: assigned to 钱七"]);
    nf(&d, &["instructor", "unassign", "菜鸟驿站"])
        .code(1)
        .stderr_has(&[
            "station 菜鸟驿站: several stations have this name, in 柳巷街道、郝庄镇 — say which \
             street (--street, or the 街道 column)",
        ]);
    nf(&d, &["station", "show", "菜鸟驿站", "--street", "文庙街道"])
        .code(1)
        .stderr_has(&["station 菜鸟驿站: several stations have this name, in 柳巷街道、郝庄镇"]);
}

#[test]
fn a_duration_formatted_as_a_time_and_loose_cells_are_read() {
    let d = district();
    d.write(
        "services.csv",
        "姓名,手机号,服务日期,活动名称,服务时长\n杨丽,15135296642,2025-07-05,助老送餐,1:30\n",
    );
    nf(&d, &["import", "services", "services.csv"]).ok();
    assert_eq!(d.int("SELECT minutes FROM services"), 90);
    d.write(
        "awards.csv",
        "姓名,手机号,荣誉称号,年度\n杨丽,15135296642,最美外卖骑手,2025年\n",
    );
    nf(&d, &["import", "awards", "awards.csv"]).ok();
    assert_eq!(d.int("SELECT year FROM awards"), 2025);
}

#[test]
fn allow_negative_is_recorded_only_on_an_entry_that_overdraws() {
    let d = district();
    nf(
        &d,
        &[
            "points",
            "earn",
            YANG_LI,
            "3",
            "--reason",
            "x",
            "--date",
            "2025-07-01",
        ],
    )
    .ok();
    nf(
        &d,
        &[
            "points",
            "redeem",
            YANG_LI,
            "3",
            "--reason",
            "礼包",
            "--date",
            "2025-07-02",
            "--allow-negative",
        ],
    )
    .ok();
    nf(
        &d,
        &[
            "points",
            "adjust",
            YANG_LI,
            "-2分",
            "--reason",
            "核对台账",
            "--date",
            "2025-07-03",
            "--allow-negative",
        ],
    )
    .ok()
    .stderr_has(&["杨丽: -2 points"]);
    assert_eq!(
        d.rows("SELECT kind, points, allow_negative FROM point_entries ORDER BY id"),
        [
            vec![Some("earn".into()), Some("3".into()), Some("0".into())],
            vec![Some("redeem".into()), Some("-3".into()), Some("0".into())],
            vec![Some("adjust".into()), Some("-2".into()), Some("1".into())],
        ]
    );
    nf(&d, &["points", "adjust", YANG_LI, "1.5", "--reason", "x"])
        .code(1)
        .stderr_has(&["POINTS: 1.5: not a whole number"]);
}
