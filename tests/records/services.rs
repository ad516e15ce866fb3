//! `service add|list` and the services register: volunteer service, paid in points by the
//! volunteer_hour rule.

use serde_json::json;

use super::{YANG_LI, YANG_LI_ID, keys, ledger_sum, set};
use crate::util::{District, bom_csv, district};

#[test]
fn service_add_grants_the_volunteer_hour_points_and_says_so() {
    let d = district();
    // 90 minutes at 1 point an hour: (90 × 1 + 30) ÷ 60 = 2 points (nearest, half up).
    let o = d
        .by_operator(&[
            "service",
            "add",
            YANG_LI,
            "--date",
            "2025-07-16",
            "--activity",
            "夏日送清凉",
            "--duration",
            "1.5",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已记录：志愿服务 1：杨丽，2025-07-16 夏日送清凉，90 分钟\n杨丽：按规则 volunteer_hour（每小时 1 分）积分 +2；余额 2 分\n"
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
        d.by_operator(&[
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
        ])
        .ok()
        .stderr_has(&[
            &format!("2025-07-17 {activity}，{minutes} 分钟"),
            &format!(
                "杨丽：按规则 volunteer_hour（每小时 1 分）积分 {points:+}；余额 {balance} 分"
            ),
        ]);
    }
    assert_eq!(d.int("SELECT count(*) FROM services"), 4);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 3);
    assert_eq!(ledger_sum(&d, YANG_LI), 5);

    // A new rate applies to services entered after it: 2 points an hour, 90 minutes → 3.
    d.by_operator(&["points", "rule", "set", "volunteer_hour", "2"])
        .ok();
    d.by_operator(&[
        "service",
        "add",
        YANG_LI,
        "--date",
        "2025-07-18",
        "--activity",
        "防汛巡查",
        "--duration",
        "90分钟",
    ])
    .ok()
    .stderr_has(&["杨丽：按规则 volunteer_hour（每小时 2 分）积分 +3；余额 8 分"]);
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
    d.by_operator(&args).ok();
    let o = d.by_operator(&args).code(1);
    assert_eq!(
        o.stderr,
        "错误：杨丽 在 2025-07-16 已有这条志愿服务（编号 1）— 没有重复添加\n"
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
    d.by_operator(&["import", "services", "later.csv"])
        .ok()
        .stderr_has(&["later.csv: 共 1 行：新增 0，更新 0，未变 1"]);
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
        d.by_operator(&args).code(1)
    };
    assert_eq!(
        add(&["--duration", "2天"]).stderr,
        "错误：--duration: 2天: 不是时长 — 写小时数（1.5）、1小时30分，或分钟数（90分钟）\n"
    );
    assert_eq!(
        add(&["--duration", "25"]).stderr,
        "错误：--duration: 25: 须大于 0，且不超过 24 小时\n"
    );
    assert_eq!(
        add(&["--duration", "1", "--name", "杨莉"]).stderr,
        "错误：--name: 杨莉: 这个手机号登记的姓名是 杨丽 — 请更正姓名或号码\n"
    );
    assert_eq!(
        add(&["--duration", "1", "--street", "柳港街道"]).stderr,
        "错误：--street: 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n"
    );
    let o = d
        .by_operator(&[
            "service",
            "add",
            "13900000000",
            "--activity",
            "夏日送清凉",
            "--duration",
            "1",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：WORKER: 139****0000: 没有这个手机号的从业人员 — 先用 nuanfeng worker list 查找，或先导入、用 worker add 登记该从业人员\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM services"), 0);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
    // A missing required flag is a usage error (exit 2) from the parser.
    d.by_operator(&["service", "add", YANG_LI, "--activity", "x"])
        .code(2)
        .stderr_has(&["--duration <DURATION>"]);
}

#[test]
fn service_list_filters_by_street_and_month_with_the_documented_json() {
    let d = District::new().records().build();
    let all = d
        .by_operator(&["service", "list", "--format", "json"])
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
    let o = d
        .by_operator(&[
            "service", "list", "--street", "柳巷", "--month", "2025-07", "--format", "json",
        ])
        .ok();
    assert_eq!(o.stderr, "共 2 条志愿服务，180 分钟，4 分\n");
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
        &d.by_operator(&["service", "list", "--from", "2025-08-01", "--format", "csv"])
            .ok()
            .raw_stdout,
    );
    assert_eq!(
        csv,
        [
            vec![
                "编号",
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
    d.by_operator(&["service", "list", "--month", "2025-13"])
        .code(2)
        .stderr_has(&["错误：--month 2025-13: 不是月份 — 写成 2025-07 这样"]);
}

#[test]
fn a_duration_formatted_as_a_time_and_loose_cells_are_read() {
    let d = district();
    d.write(
        "services.csv",
        "姓名,手机号,服务日期,活动名称,服务时长\n杨丽,15135296642,2025-07-05,助老送餐,1:30\n",
    );
    d.by_operator(&["import", "services", "services.csv"]).ok();
    assert_eq!(d.int("SELECT minutes FROM services"), 90);
    d.write(
        "awards.csv",
        "姓名,手机号,荣誉称号,年度\n杨丽,15135296642,最美外卖骑手,2025年\n",
    );
    d.by_operator(&["import", "awards", "awards.csv"]).ok();
    assert_eq!(d.int("SELECT year FROM awards"), 2025);
}
