//! A balance is the sum of the ledger, whatever entries made it: `points earn|redeem|adjust|
//! reverse`, the records that pay points, the rules, and what the reports count.

use serde_json::{Value, json};

use super::{GUO_ZHIWEI, WANG_YU, YANG_LI, assert_balances_are_sums, balances, tips_register};
use crate::util::{self, Dir, District, district};

#[test]
fn balance_is_the_sum_of_the_ledger_after_every_kind_of_entry() {
    let d = District::new().points().build();
    d.by_operator(&[
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
    ])
    .ok()
    .stderr_has(&["杨丽：+30 分，日期 2025-07-01（志愿服务），记录编号 9；余额 30 分"]);
    d.by_operator(&[
        "points",
        "redeem",
        YANG_LI,
        "12",
        "--reason",
        "雨衣",
        "--date",
        "2025-07-05",
    ])
    .ok()
    .stderr_has(&["杨丽：-12 分，日期 2025-07-05（积分兑换），记录编号 10；余额 18 分"]);
    d.by_operator(&[
        "points",
        "reverse",
        "10",
        "--reason",
        "重复录入",
        "--date",
        "2025-07-06",
    ])
    .ok()
    .stderr_has(&["记录 10 已冲正（冲正记录编号 11）；余额 30 分"]);
    // A reversal happens once.
    let again = d
        .by_operator(&[
            "points",
            "reverse",
            "10",
            "--reason",
            "重复录入",
            "--date",
            "2025-07-06",
        ])
        .code(1);
    assert_eq!(
        again.stderr,
        "错误：记录 10 已经由记录 11 冲正过，不能重复冲正\n"
    );
    d.by_operator(&[
        "points",
        "adjust",
        YANG_LI,
        "-3",
        "--reason",
        "核对台账",
        "--date",
        "2025-07-07",
    ])
    .ok()
    .stderr_has(&["杨丽：-3 分，记录编号 12；余额 27 分"]);

    // A 随手拍 report: pending grants nothing; approved grants the rule's points once, however
    // often the approved register is imported; resolving it later grants nothing more.
    d.by_operator(&["points", "rule", "set", "tip_approved", "3"])
        .ok()
        .stderr_has(&["随手拍审核通过：1 分 → 3 分"]);
    d.write("tips-pending.csv", tips_register("待审核", None));
    d.write("tips-approved.csv", tips_register("已审核", None));
    d.write(
        "tips-resolved.csv",
        tips_register("已办结", Some("2025-07-15")),
    );
    d.by_operator(&["import", "tips", "tips-pending.csv"])
        .ok()
        .stderr_has(&["tips-pending.csv: 共 1 行：新增 1，更新 0，未变 0"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 12);
    d.by_operator(&["import", "tips", "tips-approved.csv"])
        .ok()
        .stderr_has(&["tips-approved.csv: 共 1 行：新增 0，更新 1，未变 0"]);
    d.by_operator(&["import", "tips", "tips-approved.csv"])
        .ok()
        .stderr_has(&["tips-approved.csv: 共 1 行：新增 0，更新 0，未变 1"]);
    d.by_operator(&["import", "tips", "tips-resolved.csv"])
        .ok()
        .stderr_has(&["tips-resolved.csv: 共 1 行：新增 0，更新 1，未变 0"]);
    // Approving by hand, once `tip approve` exists, grants nothing more either.
    let by_hand = d.by_operator(&["tip", "approve", "1"]).run();
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
    let b = d
        .by_operator(&["points", "balance", YANG_LI, "--format", "json"])
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

    let s = d
        .by_operator(&["points", "statement", YANG_LI, "--format", "json"])
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

    let table = d.by_operator(&["points", "statement", YANG_LI]).ok();
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
    assert_eq!(table.stderr, "杨丽：共 5 条记录，余额 30 分\n");

    assert_balances_are_sums(&d);
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 13 条记录，没有发现问题"]);
}

#[test]
fn a_new_rule_rate_applies_to_records_entered_after_it() {
    let d = district();
    let july = "姓名,手机号,服务日期,活动名称,服务时长\n\
                郭志伟,13623517804,2025-07-05,反诈宣传,1.5\n\
                李浩,15903514426,2025-07-06,夏日送清凉,2\n";
    d.write("services-07.csv", july);
    d.by_operator(&["import", "services", "services-07.csv"])
        .ok()
        .stderr_has(&["services-07.csv: 共 2 行：新增 2，更新 0，未变 0"]);

    d.by_operator(&["points", "rule", "set", "volunteer_hour", "999999999"])
        .code(1)
        .stderr_has(&[
            "规则每个单位（一小时志愿服务、一条随手拍）只能给 0 到 100 分，不能是 999999999 分",
        ]);
    d.by_operator(&["points", "rule", "set", "volunteer_hour", "2"])
        .ok()
        .stderr_has(&["志愿服务每小时：1 分 → 2 分（已发放的积分不变）"]);
    let rules = d
        .by_operator(&["points", "rule", "list", "--format", "json"])
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
    d.by_operator(&["import", "services", "services-07-08.csv"])
        .ok()
        .stderr_has(&["services-07-08.csv: 共 4 行：新增 2，更新 0，未变 2"]);
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
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 4 条记录，没有发现问题"]);
}

/// The reports count an entry reversed since in neither figure, so no period shows negative
/// points; deductions (negative adjustments) are neither earned nor redeemed.
#[test]
fn reports_leave_reversed_entries_and_deductions_out_of_earned_and_redeemed() {
    let d = District::new().points().build();
    let totals = |d: &Dir, month: &str| {
        let r = d
            .by_operator(&["report", "streets", "--month", month, "--format", "json"])
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
        d.by_operator(&[
            "points",
            "adjust",
            WANG_YU,
            n,
            "--reason",
            "核对台账",
            "--date",
            day,
        ])
        .ok();
    }
    for (entry, day) in [(&earning, "2025-08-05"), (&redemption, "2025-08-06")] {
        d.by_operator(&[
            "points",
            "reverse",
            entry,
            "--reason",
            "录入错误",
            "--date",
            day,
        ])
        .ok();
    }
    // July loses the reversed +5 and −10 and gains the +4 adjustment (the −3 deduction is
    // in neither); August's reversals count nowhere, so it is not negative.
    assert_eq!(totals(&d, "2025-07"), (10 + 2 + 20 + 4, 5));
    assert_eq!(totals(&d, "2025-08"), (0, 20));
    let ytd = d
        .by_operator(&[
            "report", "district", "--month", "2025-08", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(ytd["year_to_date_figures"]["points_earned"], 30 + 36);
    assert_eq!(ytd["year_to_date_figures"]["points_redeemed"], 25);
    assert_eq!(ytd["figures"]["points_earned"], 0);
    assert_eq!(ytd["bulletin"][1], "2025年8月，兑换积分20分。");
}

#[test]
fn points_earn_redeem_and_balance() {
    let d = District::new().without_init().checkins().points().build();
    // 杨丽 has no entries yet.
    assert_eq!(
        d.nf(&["points", "balance", "15135296642", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        0
    );
    d.nf(&[
        "points",
        "earn",
        "15135296642",
        "20",
        "--category",
        "志愿服务",
        "--reason",
        "助老送餐",
        "--date",
        "2025-07-20",
    ])
    .ok()
    .stderr_has(&[
        "杨丽：+20 分，日期 2025-07-20（志愿服务），记录编号 ",
        "；余额 20 分",
    ]);
    d.nf(&[
        "points",
        "earn",
        "15135296642",
        "+2",
        "--category",
        "随手拍",
        "--date",
        "2025-07-21",
    ])
    .ok()
    .stderr_has(&["余额 22 分"]);
    d.nf(&[
        "points",
        "redeem",
        "15135296642",
        "12",
        "--reason",
        "保温杯",
        "--date",
        "2025-07-22",
    ])
    .ok()
    .stderr_has(&[
        "杨丽：-12 分，日期 2025-07-22（积分兑换），记录编号 ",
        "；余额 10 分",
    ]);
    let b = d
        .nf(&["points", "balance", "15135296642", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        b,
        [
            json!({"name": "杨丽", "phone": "151****6642", "id_number": "140106********7169", "balance": 10, "earned": 22, "redeemed": 12})
        ]
    );
    assert_eq!(
        d.rows(
            "SELECT points, kind, category, reason FROM point_entries p JOIN workers w ON w.id = p.worker_id WHERE w.name = '杨丽' ORDER BY p.id"
        ),
        [
            ["20", "earn", "volunteer_service", "助老送餐"],
            ["2", "earn", "tip", ""],
            ["-12", "redeem", "redemption", "保温杯"],
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // The report counts them under 杨丽's street, 迎泽街道.
    let r = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(r["streets"][3]["points_earned"], 22);
    assert_eq!(r["streets"][3]["points_redeemed"], 12);
    assert_eq!(r["total"]["points_earned"], 59);
    assert_eq!(r["total"]["points_redeemed"], 27);
}

#[test]
fn points_balance_of_everyone_and_of_one() {
    let d = District::new().without_init().checkins().points().build();
    let all = d
        .nf(&["points", "balance", "--format", "json"])
        .ok()
        .json_array();
    let mut figures: Vec<(String, i64, i64, i64)> = all
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_string(),
                b["balance"].as_i64().unwrap(),
                b["earned"].as_i64().unwrap(),
                b["redeemed"].as_i64().unwrap(),
            )
        })
        .collect();
    figures.sort();
    let mut expected = vec![
        ("郭志伟".to_string(), 5, 10, 5),
        ("李浩".to_string(), 2, 2, 0),
        ("王宇".to_string(), 5, 5, 0),
        ("高建平".to_string(), 10, 20, 10),
        ("陈磊".to_string(), 10, 30, 20),
    ];
    expected.sort();
    assert_eq!(figures, expected);
    let one = d
        .nf(&[
            "points",
            "balance",
            "18834071935",
            "--format",
            "json",
            "--show-pii",
        ])
        .ok()
        .json_array();
    assert_eq!(
        one,
        [
            json!({"name": "陈磊", "phone": "18834071935", "id_number": "140105198808277358", "balance": 10, "earned": 30, "redeemed": 20})
        ]
    );
    // By 身份证号 too.
    let by_id = d
        .nf(&[
            "points",
            "balance",
            "140105198808277358",
            "--format",
            "json",
        ])
        .ok()
        .json_array();
    assert_eq!(by_id[0]["balance"], 10);
    assert_eq!(by_id[0]["phone"], "188****1935");
}

/// Reversing an entry twice, or reversing a reversal, is refused in both languages, and
/// nothing is written.
#[test]
fn reversing_twice_is_refused_in_chinese_and_in_english() {
    let d = District::new().points().build();
    d.by_operator(&[
        "points",
        "reverse",
        "8",
        "--reason",
        "录错",
        "--date",
        "2025-08-03",
    ])
    .ok()
    .stderr_has(&["记录 8 已冲正（冲正记录编号 9）；余额 "]);
    let before = d.int("SELECT count(*) FROM point_entries");
    let again = [
        "points",
        "reverse",
        "8",
        "--reason",
        "录错",
        "--date",
        "2025-08-03",
    ];
    let zh = d.by_operator(&again).code(1);
    assert_eq!(
        zh.stderr,
        "错误：记录 8 已经由记录 9 冲正过，不能重复冲正\n"
    );
    let mut args = vec!["--lang", "en"];
    args.extend(again);
    let en = d.by_operator(&args).code(1);
    assert_eq!(
        en.stderr,
        "error: entry 8 was already reversed by entry 9\n"
    );

    let reversal = [
        "points",
        "reverse",
        "9",
        "--reason",
        "录错",
        "--date",
        "2025-08-03",
    ];
    let zh = d.by_operator(&reversal).code(1);
    assert_eq!(
        zh.stderr,
        "错误：记录 9 本身就是一笔冲正，不能再冲正 — 把更正录成一笔新记录（points adjust）\n"
    );
    let en = d.by_operator(&reversal).env("NUANFENG_LANG", "en").code(1);
    assert_eq!(
        en.stderr,
        "error: entry 9 is itself a reversal; enter the correction as a new entry instead\n"
    );
    let missing = d
        .by_operator(&["points", "reverse", "999", "--reason", "录错"])
        .code(1);
    assert_eq!(
        missing.stderr,
        "错误：没有编号为 999 的积分记录 — 用 `nuanfeng points statement WORKER` 查看记录编号\n"
    );
    for o in [&zh, &missing] {
        assert_eq!(crate::util::english_run(&o.stderr), None, "{}", o.stderr);
    }
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
}
