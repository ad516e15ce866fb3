//! 随手拍 reports: `tip add|approve|resolve|list` and the tips register.

use serde_json::{Value, json};

use super::{CHEN_LEI, GUO_ZHIWEI, YANG_LI, keys, ledger_sum, set};
use crate::util::{District, district};

#[test]
fn tip_approve_grants_one_point_once_and_a_second_approval_grants_nothing() {
    let d = district();
    let o = d
        .by_operator(&[
            "tip",
            "add",
            YANG_LI,
            "--category",
            "安全隐患",
            "--content",
            "迎泽大街井盖破损",
            "--date",
            "2025-07-10",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已记录：随手拍 1：杨丽，2025-07-10 安全隐患，待审核 — 用 nuanfeng tip approve 1 审核\n"
    );
    assert_eq!(
        d.rows("SELECT status, approved_on, category FROM tips"),
        [[Some("pending".into()), None, Some("safety_hazard".into())]]
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);

    let o = d
        .by_operator(&["tip", "approve", "1", "--date", "2025-07-12"])
        .ok();
    assert_eq!(
        o.stderr,
        "随手拍 1 已审核：杨丽，安全隐患；按规则 tip_approved 积分 +1；余额 1 分\n"
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

    let o = d
        .by_operator(&[
            "tip",
            "approve",
            "1",
            "--date",
            "2025-07-13",
            "--by",
            "王秀芳",
        ])
        .ok();
    assert_eq!(o.stderr, "随手拍 1（杨丽）：已经审核过，不再计积分\n");
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 1);
    assert_eq!(ledger_sum(&d, YANG_LI), 1);
    // The first approval stands.
    assert_eq!(
        d.rows("SELECT approved_on, approved_by FROM tips"),
        [[Some("2025-07-12".into()), Some("wangli".into())]]
    );
    let b = d
        .by_operator(&["points", "balance", YANG_LI, "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(b[0]["balance"], 1);

    // A typed report identical to a stored one is refused; the same content on another day
    // is another report.
    d.by_operator(&[
        "tip",
        "add",
        YANG_LI,
        "--category",
        "隐患",
        "--content",
        "迎泽大街井盖破损",
        "--date",
        "2025-07-10",
    ])
    .code(1)
    .stderr_has(&["错误：杨丽 在 2025-07-10 已有这条随手拍（编号 1）— 没有重复添加"]);
    assert_eq!(d.int("SELECT count(*) FROM tips"), 1);
}

#[test]
fn tip_approve_of_a_suggestion_uses_its_rule_and_several_ids_are_all_or_nothing() {
    let d = district();
    d.by_operator(&["points", "rule", "set", "suggestion_adopted", "5"])
        .ok();
    for (category, content) in [
        ("意见建议", "驿站增设充电柜"),
        ("卫生死角", "背街小巷垃圾堆积"),
    ] {
        d.by_operator(&[
            "tip",
            "add",
            CHEN_LEI,
            "--category",
            category,
            "--content",
            content,
            "--date",
            "2025-07-10",
        ])
        .ok();
    }
    // Report 3 does not exist: neither 1 nor 2 is approved.
    let o = d.by_operator(&["tip", "approve", "1", "2", "3"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：没有编号为 3 的随手拍 — 用 nuanfeng tip list 查看\n"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM tips WHERE status = 'pending'"),
        2
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
    // An approval dated before the report is refused.
    d.by_operator(&["tip", "approve", "1", "--date", "2025-07-09"])
        .code(1)
        .stderr_has(&["错误：审核日期 2025-07-09 早于随手拍本身的日期（2025-07-10）"]);
    let o = d
        .by_operator(&["tip", "approve", "1", "2", "--date", "2025-07-11"])
        .ok();
    assert_eq!(
        o.stderr,
        "随手拍 1 已审核：陈磊，意见建议；按规则 suggestion_adopted 积分 +5；余额 5 分\n随手拍 2 已审核：陈磊，卫生死角；按规则 tip_approved 积分 +1；余额 6 分\n"
    );
    assert_eq!(ledger_sum(&d, CHEN_LEI), 6);
}

#[test]
fn tip_resolve_before_approval_is_refused_then_resolves_once() {
    let d = district();
    d.by_operator(&[
        "tip",
        "add",
        GUO_ZHIWEI,
        "--category",
        "占道经营",
        "--content",
        "水果摊占用人行道",
        "--date",
        "2025-07-10",
    ])
    .ok();
    let o = d
        .by_operator(&["tip", "resolve", "1", "--date", "2025-07-20"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：随手拍 1 还没有审核 — 先审核：nuanfeng tip approve 1\n"
    );
    assert_eq!(
        d.rows("SELECT status, resolved_on FROM tips"),
        [[Some("pending".into()), None]]
    );
    d.by_operator(&["tip", "approve", "1", "--date", "2025-07-12"])
        .ok();
    d.by_operator(&["tip", "resolve", "1", "--date", "2025-07-11"])
        .code(1)
        .stderr_has(&["错误：办结日期 2025-07-11 早于审核日期（2025-07-12）"]);
    let o = d
        .by_operator(&[
            "tip",
            "resolve",
            "1",
            "--date",
            "2025-07-20",
            "--by",
            "柳巷街道城管科",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "随手拍 1（郭志伟）已于 2025-07-20 办结，办理人 柳巷街道城管科\n"
    );
    assert_eq!(
        d.rows("SELECT status, resolved_on, resolved_by FROM tips"),
        [[
            Some("resolved".into()),
            Some("2025-07-20".into()),
            Some("柳巷街道城管科".into())
        ]]
    );
    d.by_operator(&["tip", "resolve", "1"])
        .code(1)
        .stderr_has(&["错误：随手拍 1 已经办结"]);
    d.by_operator(&["tip", "resolve", "9"])
        .code(1)
        .stderr_has(&["错误：没有编号为 9 的随手拍 — 用 nuanfeng tip list 查看"]);
    // Resolving grants nothing more; approving the resolved report grants nothing either.
    d.by_operator(&["tip", "approve", "1"])
        .ok()
        .stderr_has(&["随手拍 1（郭志伟）：已经审核过，不再计积分"]);
    assert_eq!(ledger_sum(&d, GUO_ZHIWEI), 1);
    d.by_operator(&["tip", "resolve", "1", "--date", "2999-01-01"])
        .code(2)
        .stderr_has(&["--date 2999-01-01: 是将来的日期"]);
}

#[test]
fn tip_list_filters_by_status_category_street_and_period() {
    let d = District::new().records().build();
    let list = |extra: &[&str]| {
        let mut args = vec!["tip", "list", "--format", "json"];
        args.extend_from_slice(extra);
        d.by_operator(&args).ok().json_array()
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
    let o = d.by_operator(&["tip", "list", "--status", "resolved"]).ok();
    o.stdout_has(&[
        "编号",
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
    assert_eq!(o.stderr, "共 2 条随手拍\n");
    // Approving a pending report moves it to the approved list.
    d.by_operator(&["tip", "approve", "3", "--date", "2025-07-09"])
        .ok();
    assert_eq!(ids(&list(&["--status", "approved"])), [2, 3, 5]);
    // An unknown status or category is a usage error naming the accepted values.
    d.by_operator(&["tip", "list", "--status", "done"])
        .code(2)
        .stderr_has(&["错误：--status: done: 不是可用的状态 — 可填：待审核、已审核、已办结"]);
    d.by_operator(&["tip", "list", "--category", "乱停车"])
        .code(2)
        .stderr_has(&["错误：--category: 乱停车: 不是可用的随手拍类别"]);
}

#[test]
fn tip_add_refuses_an_unknown_category_with_the_import_error() {
    let d = district();
    let o = d
        .by_operator(&[
            "tip",
            "add",
            YANG_LI,
            "--category",
            "乱停车",
            "--content",
            "路口乱停车",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--category: 乱停车: 不是可用的随手拍类别 — 可填：安全隐患、卫生死角、矛盾纠纷、不文明现象、占道经营、意见建议、其他\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM tips"), 0);
}

#[test]
fn a_pending_report_with_a_resolution_date_is_refused() {
    let d = district();
    d.write(
        "tips.csv",
        "姓名,手机号,上报日期,类别,内容,状态,办结日期\n\
         杨丽,15135296642,2025-07-07,安全隐患,井盖松动,待审核,2025-07-09\n\
         杨丽,15135296642,2025-07-08,不文明现象,乱扔垃圾,通过,\n",
    );
    let o = d.by_operator(&["import", "tips", "tips.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "tips.csv: 按 UTF-8 读取\n\
         tips.csv:第2行: 状态(F): 待审核: 状态是待审核，这一行却有办结日期 2025-07-09 — 把状态改为\
         已办结，或清空办结日期\n\
         错误：tips.csv: 共 2 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 \
         --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
}
