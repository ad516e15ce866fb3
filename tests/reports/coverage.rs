//! Acceptance tests of `report coverage` (issue "Party organizations and coverage"): every
//! figure of every street and of the district, on a district whose true figures were worked
//! out by hand from the registers of `tests/fixtures/coverage/` — never copied from the
//! program's output.
//!
//! The district (迎泽区, `init --district 140106`; three of its seven streets used):
//!
//! Workplaces (快递站点 / 物流企业 / 外卖员集合点) and 暖蜂驿站 (`stations.csv`):
//!
//! | street   | courier | logistics | rider | workplaces | rest |
//! |----------|---------|-----------|-------|------------|------|
//! | 柳巷街道 | 8       | 3         | 5     | 16         | 2    |
//! | 文庙街道 | 6       | 4         | 3     | 13         | 1    |
//! | 庙前街道 | 5       | 2         | 3     | 10         | 0    |
//! | total    | 19      | 9         | 11    | 39         | 3    |
//!
//! Party organizations (`orgs.csv`, 成立日期 = first day of the coverage it lists), then the
//! commands of [`covered_district`]:
//!
//! - 迎泽区快递物流行业党委 (行业党委, no street, 2021-06-18): 德邦快递庙前营业部,
//!   货拉拉庙前服务点.
//! - 柳巷街道快递物流联合党支部 (柳巷, 2022-03-15): 顺丰速运柳巷营业部, 中通快递柳巷网点,
//!   圆通速递柳巷网点, 韵达快递柳巷网点, 申通快递柳巷网点, 极兔速递柳巷网点, 中国邮政柳巷揽投部,
//!   京东物流柳巷配送站, 德邦快递柳巷营业部, 美团柳巷站 (until 2025-07-14, then it moves) and the
//!   rest station 宁化府社区暖蜂驿站 (not a workplace: never counted).
//! - 柳巷街道外卖骑手党支部 (柳巷, 2023-05-10): 饿了么柳巷站, 美团钟楼街站, 饿了么开化寺站.
//! - 迎泽区外卖骑手功能型党支部 (no street, 2023-08-25): 美团文庙站, 饿了么文庙站, 美团庙前站,
//!   饿了么庙前站; and 美团柳巷站 from 2025-07-15 (`org cover … --date 2025-07-15`).
//! - 文庙街道快递物流联合党支部 (文庙, 2024-04-12): 中通快递文庙网点, 韵达快递文庙网点 (until
//!   2025-07-20: `org uncover … --date 2025-07-20`), 菜鸟驿站文庙店, 中国邮政文庙揽投部,
//!   德邦快递文庙营业部, 安能物流文庙分拨点.
//! - 顺丰速运文庙营业部党支部 (文庙, founded 2025-07-10): 顺丰速运文庙营业部, 顺丰速运文庙中转场.
//! - 庙前街道新就业群体联合党支部 (庙前, 2023-11-20): 顺丰速运庙前营业部, 中通快递庙前网点,
//!   圆通速递庙前网点, 京东物流庙前配送站; 极兔速递庙前网点 only from 2025-08-05.
//!
//! Never covered: 顺丰速运钟楼街营业点, 货拉拉柳巷服务点, 闪送柳巷集合点 (柳巷); 百世快递文庙网点,
//! 文庙货运服务站, 美团双塔寺站 (文庙); 美团五一广场站 (庙前).
//!
//! Instructors (`instructors.csv`, 选派日期 per row):
//!
//! - 王秀芳, 2024-03-01: the 15 workplaces of 柳巷 but 闪送柳巷集合点, and 宁化府社区暖蜂驿站.
//! - 孙立新, 2025-08-10 (after July: never counts here): 闪送柳巷集合点.
//! - 李建国, 2024-05-01: the 9 courier stations and logistics firms of 文庙 but 文庙货运服务站,
//!   and 文庙社区暖蜂驿站.
//! - 周文静, 2025-07-16: the 3 rider hubs of 文庙.
//! - 赵丽华, 2025-07-31 (the last day of July: counts in July, not before): 9 workplaces of
//!   庙前, all but 美团五一广场站.
//! - No instructor ever: 文庙货运服务站, 美团五一广场站.
//!
//! Workers (`workers.csv`) and their stages (`worker stage`, in [`covered_district`]) are listed at
//! [`STAGES`] and in the comments of the expected rows.

use serde_json::{Value, json};

use crate::util::{self, Dir, Output, coverage_district};

/// One expected row of `report coverage`, every figure written out by hand.
#[derive(Debug, Clone, Copy)]
struct Row {
    courier_stations: i64,
    logistics_firms: i64,
    rider_hubs: i64,
    rest_stations: i64,
    workplaces: i64,
    org_covered: i64,
    org_coverage_rate: Option<f64>,
    with_instructor: i64,
    work_coverage_rate: Option<f64>,
    enterprises: i64,
    enterprises_covered: i64,
    party_orgs: i64,
    party_members: i64,
    full_members: i64,
    probationary_members: i64,
    mobile_members: i64,
    applicants: i64,
    activists: i64,
    candidates: i64,
    admitted: i64,
}

/// A street (or the district) with nothing registered: zeros, and no rate.
const EMPTY: Row = Row {
    courier_stations: 0,
    logistics_firms: 0,
    rider_hubs: 0,
    rest_stations: 0,
    workplaces: 0,
    org_covered: 0,
    org_coverage_rate: None,
    with_instructor: 0,
    work_coverage_rate: None,
    enterprises: 0,
    enterprises_covered: 0,
    party_orgs: 0,
    party_members: 0,
    full_members: 0,
    probationary_members: 0,
    mobile_members: 0,
    applicants: 0,
    activists: 0,
    candidates: 0,
    admitted: 0,
};

impl Row {
    /// The row as the report's JSON, named `street` (code `code`).
    fn json(&self, street: &str, code: Option<&str>) -> Value {
        // The hand counts must at least agree with themselves.
        assert_eq!(
            self.workplaces,
            self.courier_stations + self.logistics_firms + self.rider_hubs,
            "{street}: workplaces of the expected row"
        );
        assert_eq!(
            self.party_members,
            self.full_members + self.probationary_members,
            "{street}: party members of the expected row"
        );
        json!({
            "street": street,
            "street_code": code,
            "courier_stations": self.courier_stations,
            "logistics_firms": self.logistics_firms,
            "rider_hubs": self.rider_hubs,
            "rest_stations": self.rest_stations,
            "workplaces": self.workplaces,
            "org_covered": self.org_covered,
            "org_coverage_rate": self.org_coverage_rate,
            "with_instructor": self.with_instructor,
            "work_coverage_rate": self.work_coverage_rate,
            "enterprises": self.enterprises,
            "enterprises_covered": self.enterprises_covered,
            "party_orgs": self.party_orgs,
            "party_members": self.party_members,
            "full_members": self.full_members,
            "probationary_members": self.probationary_members,
            "mobile_members": self.mobile_members,
            "applicants": self.applicants,
            "activists": self.activists,
            "candidates": self.candidates,
            "admitted": self.admitted,
        })
    }
}

/// The expected figures of a period: the three streets used and the district total.
struct Expected {
    liuxiang: Row,
    wenmiao: Row,
    miaoqian: Row,
    total: Row,
}

/// The membership pipeline recorded with `worker stage`: (手机号, stage, date).
///
/// - 李浩 (柳巷, 群众): applicant → … → candidate 2025-06-01 → 预备党员 2025-07-15.
/// - 王宇 (柳巷): activist since 2025-06-20.
/// - 刘洋 (柳巷): applicant since 2025-07-05.
/// - 吴凡 (柳巷): applicant only from 2025-08-03, after July.
/// - 高峰 (文庙): candidate since 2025-05-10.
/// - 何静 (文庙): applicant since 2025-04-01.
/// - 冯晓东 (文庙, 群众 in the register): 预备党员 2024-06-20, 正式党员 2025-07-10.
/// - 黄晓明 (庙前): applicant 2025-06-15, activist 2025-07-25.
const STAGES: &[(&str, &str, &str)] = &[
    ("13935102004", "入党申请人", "2024-09-01"),
    ("13935102004", "入党积极分子", "2025-01-10"),
    ("13935102004", "发展对象", "2025-06-01"),
    ("13935102004", "预备党员", "2025-07-15"),
    ("13935102005", "入党申请人", "2025-03-01"),
    ("13935102005", "入党积极分子", "2025-06-20"),
    ("13935102006", "入党申请人", "2025-07-05"),
    ("13935102009", "入党申请人", "2025-08-03"),
    ("13935102014", "入党申请人", "2024-11-01"),
    ("13935102014", "入党积极分子", "2025-02-01"),
    ("13935102014", "发展对象", "2025-05-10"),
    ("13935102015", "入党申请人", "2025-04-01"),
    ("13935102019", "入党申请人", "2022-03-01"),
    ("13935102019", "入党积极分子", "2022-09-01"),
    ("13935102019", "发展对象", "2023-09-01"),
    ("13935102019", "预备党员", "2024-06-20"),
    ("13935102019", "正式党员", "2025-07-10"),
    ("13935102023", "入党申请人", "2025-06-15"),
    ("13935102023", "入党积极分子", "2025-07-25"),
];

const LIUXIANG_JOINT: &str = "柳巷街道快递物流联合党支部";
const RIDERS_FUNCTIONAL: &str = "迎泽区外卖骑手功能型党支部";
const WENMIAO_JOINT: &str = "文庙街道快递物流联合党支部";
const MIAOQIAN_JOINT: &str = "庙前街道新就业群体联合党支部";

/// The district: streets by `init`, the four registers, the pipeline, a station moving
/// between organizations on 2025-07-15, one uncovered after 2025-07-20 and one covered only
/// from 2025-08-05.
fn covered_district() -> Dir {
    let d = coverage_district();
    for (worker, stage, date) in STAGES {
        d.nf(&["worker", "stage", worker, "--to", stage, "--date", date])
            .ok();
    }
    d.nf(&[
        "org",
        "cover",
        RIDERS_FUNCTIONAL,
        "美团柳巷站",
        "--date",
        "2025-07-15",
    ])
    .ok()
    .stderr_has(&[
        "美团柳巷站：自 2025-07-15 起由 柳巷街道快递物流联合党支部 改为 迎泽区外卖骑手功能型党支部 覆盖",
    ]);
    d.nf(&["org", "uncover", "韵达快递文庙网点", "--date", "2025-07-20"])
        .ok();
    d.nf(&[
        "org",
        "cover",
        MIAOQIAN_JOINT,
        "极兔速递庙前网点",
        "--date",
        "2025-08-05",
    ])
    .ok();
    d
}

/// `report coverage ARGS --format json`.
fn coverage_json(d: &Dir, period: &[&str]) -> Value {
    let mut args = vec!["report", "coverage"];
    args.extend_from_slice(period);
    args.extend_from_slice(&["--format", "json"]);
    d.nf(&args).ok().json()
}

/// Asserts the whole report: the period, all seven streets in code order (the four not used
/// are empty), and the total.
fn assert_report(report: &Value, from: &str, to: &str, e: &Expected) {
    assert_eq!(report["period"], json!({"from": from, "to": to}));
    let expected_streets = vec![
        e.liuxiang.json("柳巷街道", Some("140106001")),
        e.wenmiao.json("文庙街道", Some("140106002")),
        e.miaoqian.json("庙前街道", Some("140106003")),
        EMPTY.json("迎泽街道", Some("140106004")),
        EMPTY.json("桥东街道", Some("140106005")),
        EMPTY.json("老军营街道", Some("140106006")),
        EMPTY.json("郝庄镇", Some("140106100")),
    ];
    let streets = report["streets"].as_array().expect("streets array");
    assert_eq!(streets.len(), expected_streets.len(), "{report:#}");
    for (got, want) in streets.iter().zip(&expected_streets) {
        assert_eq!(got, want, "street {}", want["street"]);
    }
    assert_eq!(report["total"], e.total.json("合计", None), "the total");
}

/// July 2025, worked out by hand.
fn july() -> Expected {
    // 柳巷街道 on 2025-07-31.
    let liuxiang = Row {
        courier_stations: 8,
        logistics_firms: 3,
        rider_hubs: 5,
        rest_stations: 2,
        workplaces: 16,
        // Covered: 9 workplaces of the joint branch (美团柳巷站 left it on 07-14) + 美团柳巷站
        // under the functional branch since 07-15 + 3 of the riders' branch = 13. Not:
        // 顺丰速运钟楼街营业点, 货拉拉柳巷服务点, 闪送柳巷集合点. The covered rest station does not
        // count. 13/16 = 81.25 → 81.3 (half up; half-to-even would say 81.2).
        org_covered: 13,
        org_coverage_rate: Some(81.3),
        // 王秀芳's 15 workplaces (2024-03-01); 闪送柳巷集合点 only from 2025-08-10.
        // 15/16 = 93.75 → 93.8.
        with_instructor: 15,
        work_coverage_rate: Some(93.8),
        // 顺丰速运 (×2), 中通快递, 圆通速递, 韵达快递, 申通快递, 极兔速递, 中国邮政, 京东物流,
        // 德邦快递, 货拉拉, 美团 (×2), 饿了么 (×2), 闪送 = 13 (中国石化 has only a rest station).
        enterprises: 13,
        // All but 货拉拉 and 闪送 (顺丰速运 through 顺丰速运柳巷营业部) = 11.
        enterprises_covered: 11,
        // The joint branch and the riders' branch.
        party_orgs: 2,
        // 郭志伟 (中共党员), 马国强 (中共党员, home org elsewhere → mobile), 张敏 (中共预备党员,
        // elsewhere → mobile), 李浩 (预备党员 since 07-15). 赵磊 joins 2025-08-01: not yet.
        party_members: 4,
        full_members: 2,
        probationary_members: 2,
        mobile_members: 2,
        // 刘洋 (07-05); 吴凡 applies only on 08-03.
        applicants: 1,
        // 王宇.
        activists: 1,
        // 李浩 is past 发展对象.
        candidates: 0,
        // 李浩 on 2025-07-15.
        admitted: 1,
    };
    // 文庙街道 on 2025-07-31.
    let wenmiao = Row {
        courier_stations: 6,
        logistics_firms: 4,
        rider_hubs: 3,
        rest_stations: 1,
        workplaces: 13,
        // Joint branch: 中通, 菜鸟, 中国邮政, 德邦, 安能 = 5 (韵达 uncovered after 07-20);
        // 顺丰 branch (since 07-10): 顺丰速运文庙营业部, 顺丰速运文庙中转场 = 2; functional branch:
        // 美团文庙站, 饿了么文庙站 = 2. 9/13 = 69.23 → 69.2.
        org_covered: 9,
        org_coverage_rate: Some(69.2),
        // 李建国's 9 (2024-05-01) + 周文静's 3 (07-16); 文庙货运服务站 has none.
        // 12/13 = 92.31 → 92.3.
        with_instructor: 12,
        work_coverage_rate: Some(92.3),
        // 顺丰速运, 中通快递, 韵达快递, 菜鸟, 中国邮政, 百世快递, 德邦快递, 安能物流, 美团, 饿了么 =
        // 10 (文庙货运服务站 has no enterprise).
        enterprises: 10,
        // Not 韵达快递 (uncovered) nor 百世快递: 8.
        enterprises_covered: 8,
        // The joint branch and the 顺丰 branch (founded 07-10).
        party_orgs: 2,
        // Full: 赵海峰 (mobile), 孙浩然, 罗斌, 韩雪 (leaves 07-31: still working that day),
        // 冯晓东 (正式党员 since 07-10) = 5; probationary: 钱丽 = 1.
        party_members: 6,
        full_members: 5,
        probationary_members: 1,
        mobile_members: 1,
        // 何静.
        applicants: 1,
        activists: 0,
        // 高峰.
        candidates: 1,
        // 冯晓东 became 预备党员 in 2024.
        admitted: 0,
    };
    // 庙前街道 on 2025-07-31.
    let miaoqian = Row {
        courier_stations: 5,
        logistics_firms: 2,
        rider_hubs: 3,
        rest_stations: 0,
        workplaces: 10,
        // Joint branch 4 (极兔 only from 08-05), committee 2, functional branch 2 = 8;
        // not 极兔速递庙前网点, 美团五一广场站. 8/10 = 80.0.
        org_covered: 8,
        org_coverage_rate: Some(80.0),
        // 赵丽华's 9, assigned on 07-31 itself. 9/10 = 90.0.
        with_instructor: 9,
        work_coverage_rate: Some(90.0),
        // 顺丰速运, 中通快递, 圆通速递, 京东物流, 极兔速递, 德邦快递, 货拉拉, 美团, 饿了么 = 9.
        enterprises: 9,
        // All but 极兔速递 (美团 through 美团庙前站) = 8.
        enterprises_covered: 8,
        // The joint branch (the committee has no street).
        party_orgs: 1,
        // 陈磊, 杨帆 (mobile); 陈刚 left on 07-20.
        party_members: 2,
        full_members: 2,
        probationary_members: 0,
        mobile_members: 1,
        applicants: 0,
        // 黄晓明 (07-25).
        activists: 1,
        candidates: 0,
        admitted: 0,
    };
    let total = Row {
        courier_stations: 19, // 8 + 6 + 5
        logistics_firms: 9,   // 3 + 4 + 2
        rider_hubs: 11,       // 5 + 3 + 3
        rest_stations: 3,     // 2 + 1 + 0
        workplaces: 39,       // 16 + 13 + 10
        // 13 + 9 + 8 = 30; 30/39 = 76.92 → 76.9.
        org_covered: 30,
        org_coverage_rate: Some(76.9),
        // 15 + 12 + 9 = 36; 36/39 = 92.31 → 92.3.
        with_instructor: 36,
        work_coverage_rate: Some(92.3),
        // Distinct in the district: the 13 of 柳巷 + 菜鸟, 百世快递, 安能物流 = 16 (not 13+10+9).
        enterprises: 16,
        // All but 闪送 and 百世快递 = 14 (货拉拉 is covered in 庙前, 韵达快递 in 柳巷).
        enterprises_covered: 14,
        // Every organization, the committee and the functional branch included.
        party_orgs: 7,
        party_members: 12, // 4 + 6 + 2
        full_members: 9,   // 2 + 5 + 2
        probationary_members: 3,
        mobile_members: 4, // 2 + 1 + 1
        applicants: 2,     // 刘洋, 何静
        activists: 2,      // 王宇, 黄晓明
        candidates: 1,     // 高峰
        admitted: 1,       // 李浩
    };
    Expected {
        liuxiang,
        wenmiao,
        miaoqian,
        total,
    }
}

#[test]
fn july_every_figure_of_every_street_and_the_district() {
    let d = covered_district();
    let r = coverage_json(&d, &["--month", "2025-07"]);
    assert_report(&r, "2025-07-01", "2025-07-31", &july());
}

#[test]
fn june_before_the_admission_the_move_and_the_new_branch() {
    let d = covered_district();
    let j = july();
    let e = Expected {
        liuxiang: Row {
            // 李浩 is still a 发展对象 (since 06-01): not a member, not admitted; 刘洋 has not
            // applied yet. Coverage and instructors as in July (the move changes nothing here).
            party_members: 3,
            probationary_members: 1,
            applicants: 0,
            candidates: 1,
            admitted: 0,
            ..j.liuxiang
        },
        wenmiao: Row {
            // The 顺丰 branch is founded only on 2025-07-10: its two stations are uncovered,
            // and 顺丰速运 has no covered workplace in the street; 韵达快递文庙网点 is still covered.
            // 5 + 1 (韵达) + 2 (functional) = 8; 8/13 = 61.54 → 61.5.
            org_covered: 8,
            org_coverage_rate: Some(61.5),
            // 周文静's rider hubs only from 07-16: 9/13 = 69.23 → 69.2.
            with_instructor: 9,
            work_coverage_rate: Some(69.2),
            // 韵达快递 back, 顺丰速运 gone: 8.
            enterprises_covered: 8,
            party_orgs: 1,
            // 冯晓东 is 预备党员 (正式 only on 07-10): full 4, probationary 2.
            party_members: 6,
            full_members: 4,
            probationary_members: 2,
            ..j.wenmiao
        },
        miaoqian: Row {
            // 赵丽华 is appointed on 07-31: no instructor yet. 0/10 = 0.0.
            with_instructor: 0,
            work_coverage_rate: Some(0.0),
            // 陈刚 (mobile) still works: full 3, mobile 2. 黄晓明 an applicant (06-15).
            party_members: 3,
            full_members: 3,
            mobile_members: 2,
            applicants: 1,
            activists: 0,
            ..j.miaoqian
        },
        total: Row {
            // 13 + 8 + 8 = 29; 29/39 = 74.36 → 74.4.
            org_covered: 29,
            org_coverage_rate: Some(74.4),
            // 15 + 9 + 0 = 24; 24/39 = 61.54 → 61.5.
            with_instructor: 24,
            work_coverage_rate: Some(61.5),
            // 顺丰速运 is covered in 柳巷, 韵达快递 too: still all but 闪送, 百世快递.
            enterprises_covered: 14,
            // The 顺丰 branch not yet founded.
            party_orgs: 6,
            party_members: 12,       // 3 + 6 + 3
            full_members: 9,         // 2 + 4 + 3
            probationary_members: 3, // 张敏, 钱丽, 冯晓东
            mobile_members: 5,       // 马国强, 张敏, 赵海峰, 杨帆, 陈刚
            applicants: 2,           // 何静, 黄晓明
            activists: 1,            // 王宇
            candidates: 2,           // 李浩, 高峰
            admitted: 0,
            ..j.total
        },
    };
    let r = coverage_json(&d, &["--month", "2025-06"]);
    assert_report(&r, "2025-06-01", "2025-06-30", &e);
}

#[test]
fn the_worker_admitted_on_july_15_counts_in_july_not_in_june() {
    let d = covered_district();
    let liuxiang = |month: &str| coverage_json(&d, &["--month", month])["streets"][0].clone();
    let (june, july) = (liuxiang("2025-06"), liuxiang("2025-07"));
    assert_eq!(june["street"], "柳巷街道");
    // July: 李浩 is the second 预备党员 (after 张敏), and the one admitted.
    assert_eq!(
        (
            &july["party_members"],
            &july["probationary_members"],
            &july["candidates"],
            &july["admitted"]
        ),
        (&json!(4), &json!(2), &json!(0), &json!(1))
    );
    // June: a 发展对象, not a member.
    assert_eq!(
        (
            &june["party_members"],
            &june["probationary_members"],
            &june["candidates"],
            &june["admitted"]
        ),
        (&json!(3), &json!(1), &json!(1), &json!(0))
    );
    // The register says 中共预备党员 now, but the day decides: by 2025-07-14 he is not yet one.
    let mid = coverage_json(&d, &["--from", "2025-07-01", "--to", "2025-07-14"]);
    assert_eq!(mid["streets"][0]["probationary_members"], 1);
    assert_eq!(mid["streets"][0]["admitted"], 0);
}

#[test]
fn on_july_14_the_moving_station_is_covered_by_its_old_branch() {
    let d = covered_district();
    let j = july();
    let e = Expected {
        liuxiang: Row {
            // Coverage is per station: 美团柳巷站 still under the joint branch, 13 covered either
            // way. 李浩 a 发展对象 until 07-15.
            party_members: 3,
            probationary_members: 1,
            candidates: 1,
            admitted: 0,
            ..j.liuxiang
        },
        wenmiao: Row {
            // 韵达快递文庙网点 still covered; the 顺丰 branch covers since 07-10: 9 + 1 = 10;
            // 10/13 = 76.92 → 76.9.
            org_covered: 10,
            org_coverage_rate: Some(76.9),
            // 周文静 from 07-16: 9/13 → 69.2.
            with_instructor: 9,
            work_coverage_rate: Some(69.2),
            // 韵达快递 covered too: 9.
            enterprises_covered: 9,
            // 冯晓东 正式党员 since 07-10: as in July.
            ..j.wenmiao
        },
        miaoqian: Row {
            // No instructor before 07-31.
            with_instructor: 0,
            work_coverage_rate: Some(0.0),
            // 陈刚 leaves on 07-20: still here. 黄晓明 an applicant until 07-25.
            party_members: 3,
            full_members: 3,
            mobile_members: 2,
            applicants: 1,
            activists: 0,
            ..j.miaoqian
        },
        total: Row {
            // 13 + 10 + 8 = 31; 31/39 = 79.49 → 79.5.
            org_covered: 31,
            org_coverage_rate: Some(79.5),
            // 15 + 9 + 0 = 24; 24/39 = 61.54 → 61.5.
            with_instructor: 24,
            work_coverage_rate: Some(61.5),
            party_members: 12,       // 3 + 6 + 3
            full_members: 10,        // 2 + 5 + 3
            probationary_members: 2, // 张敏, 钱丽
            mobile_members: 5,       // 马国强, 张敏, 赵海峰, 杨帆, 陈刚
            applicants: 3,           // 刘洋, 何静, 黄晓明
            activists: 1,            // 王宇
            candidates: 2,           // 李浩, 高峰
            admitted: 0,
            ..j.total
        },
    };
    let r = coverage_json(&d, &["--from", "2025-07-01", "--to", "2025-07-14"]);
    assert_report(&r, "2025-07-01", "2025-07-14", &e);

    // The dated coverage rows of the station that moved: the old one ends the day before.
    assert_eq!(
        d.rows(
            "SELECT o.name, c.from_on, c.until_on FROM org_coverage c
             JOIN party_orgs o ON o.id = c.org_id JOIN stations st ON st.id = c.station_id
             WHERE st.name = '美团柳巷站' ORDER BY c.from_on"
        ),
        vec![
            vec![
                Some(LIUXIANG_JOINT.to_string()),
                Some("2022-03-15".to_string()),
                Some("2025-07-14".to_string())
            ],
            vec![
                Some(RIDERS_FUNCTIONAL.to_string()),
                Some("2025-07-15".to_string()),
                None
            ],
        ]
    );

    // `org show` of the old branch: no longer covering it, the ended coverage in its history.
    let old = d
        .nf(&["org", "show", LIUXIANG_JOINT, "--format", "json"])
        .ok()
        .json();
    let now: Vec<&str> = old["stations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let mut now_sorted = now.clone();
    now_sorted.sort();
    let mut want = vec![
        "顺丰速运柳巷营业部",
        "中通快递柳巷网点",
        "圆通速递柳巷网点",
        "韵达快递柳巷网点",
        "申通快递柳巷网点",
        "极兔速递柳巷网点",
        "中国邮政柳巷揽投部",
        "京东物流柳巷配送站",
        "德邦快递柳巷营业部",
        "宁化府社区暖蜂驿站",
    ];
    want.sort();
    assert_eq!(now_sorted, want, "{old:#}");
    let ended: Vec<&Value> = old["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["station"] == "美团柳巷站")
        .collect();
    assert_eq!(
        ended,
        vec![&json!({"station": "美团柳巷站", "from_on": "2022-03-15", "until_on": "2025-07-14"})]
    );
    assert!(
        old["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["field"] == "cover"
                && h["old"] == "美团柳巷站 2022-03-15–"
                && h["new"] == "美团柳巷站 2022-03-15–2025-07-14"),
        "{old:#}"
    );

    // `org show` of the new one: covering it from 07-15, with its four other rider hubs.
    let new = d
        .nf(&["org", "show", RIDERS_FUNCTIONAL, "--format", "json"])
        .ok()
        .json();
    let moved: Vec<&Value> = new["stations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"] == "美团柳巷站")
        .collect();
    assert_eq!(moved.len(), 1, "{new:#}");
    assert_eq!(moved[0]["from_on"], "2025-07-15");
    assert_eq!(moved[0]["street"], "柳巷街道");
    assert_eq!(new["stations"].as_array().unwrap().len(), 5, "{new:#}");
    assert!(
        new["coverage"]
            .as_array()
            .unwrap()
            .contains(&json!({"station": "美团柳巷站", "from_on": "2025-07-15", "until_on": null})),
        "{new:#}"
    );
}

#[test]
fn a_station_uncovered_on_july_20_counts_until_that_day() {
    let d = covered_district();
    let j = july();
    let e = Expected {
        liuxiang: Row {
            // 李浩 预备党员 since 07-15: as in July.
            ..j.liuxiang
        },
        wenmiao: Row {
            // 韵达快递文庙网点's last day covered is 07-20: 10/13 → 76.9.
            org_covered: 10,
            org_coverage_rate: Some(76.9),
            enterprises_covered: 9,
            // 周文静 since 07-16: 12/13 → 92.3 as in July.
            ..j.wenmiao
        },
        miaoqian: Row {
            // 赵丽华 not before 07-31.
            with_instructor: 0,
            work_coverage_rate: Some(0.0),
            // 陈刚 leaves on 07-20, so he still works that day; 黄晓明 an applicant.
            party_members: 3,
            full_members: 3,
            mobile_members: 2,
            applicants: 1,
            activists: 0,
            ..j.miaoqian
        },
        total: Row {
            // 13 + 10 + 8 = 31 → 79.5.
            org_covered: 31,
            org_coverage_rate: Some(79.5),
            // 15 + 12 + 0 = 27; 27/39 = 69.23 → 69.2.
            with_instructor: 27,
            work_coverage_rate: Some(69.2),
            party_members: 13,       // 4 + 6 + 3
            full_members: 10,        // 2 + 5 + 3
            probationary_members: 3, // 张敏, 李浩, 钱丽
            mobile_members: 5,
            applicants: 3, // 刘洋, 何静, 黄晓明
            activists: 1,  // 王宇
            candidates: 1, // 高峰
            admitted: 1,   // 李浩
            ..j.total
        },
    };
    let r = coverage_json(&d, &["--from", "2025-07-01", "--to", "2025-07-20"]);
    assert_report(&r, "2025-07-01", "2025-07-20", &e);
    // The whole month: not covered on the 31st (asserted in full above; here the street).
    let m = coverage_json(&d, &["--month", "2025-07"]);
    assert_eq!(m["streets"][1]["org_covered"], 9);
    assert_eq!(
        d.rows(
            "SELECT o.name, c.from_on, c.until_on FROM org_coverage c
             JOIN party_orgs o ON o.id = c.org_id JOIN stations st ON st.id = c.station_id
             WHERE st.name = '韵达快递文庙网点'"
        ),
        vec![vec![
            Some(WENMIAO_JOINT.to_string()),
            Some("2024-04-12".to_string()),
            Some("2025-07-20".to_string())
        ]]
    );
}

#[test]
fn report_streets_shows_the_same_members_and_rates() {
    let d = covered_district();
    let cov = coverage_json(&d, &["--month", "2025-07"]);
    let streets = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    let e = july();
    let rows = [
        ("柳巷街道", e.liuxiang),
        ("文庙街道", e.wenmiao),
        ("庙前街道", e.miaoqian),
        ("迎泽街道", EMPTY),
        ("桥东街道", EMPTY),
        ("老军营街道", EMPTY),
        ("郝庄镇", EMPTY),
    ];
    let got = streets["streets"].as_array().unwrap();
    assert_eq!(got.len(), rows.len());
    for (i, (name, want)) in rows.iter().enumerate() {
        let (s, c) = (&got[i], &cov["streets"][i]);
        assert_eq!(s["street"], *name);
        for key in [
            "party_members",
            "org_coverage_rate",
            "work_coverage_rate",
            "workplaces",
            "org_covered",
            "with_instructor",
            "mobile_members",
        ] {
            assert_eq!(s[key], c[key], "{name}: {key}");
        }
        // And both are the hand counts.
        assert_eq!(s["party_members"], want.party_members, "{name}");
        assert_eq!(
            s["org_coverage_rate"],
            json!(want.org_coverage_rate),
            "{name}"
        );
        assert_eq!(
            s["work_coverage_rate"],
            json!(want.work_coverage_rate),
            "{name}"
        );
    }
    let t = &streets["total"];
    assert_eq!(
        (
            &t["party_members"],
            &t["org_coverage_rate"],
            &t["work_coverage_rate"]
        ),
        (&json!(12), &json!(76.9), &json!(92.3))
    );
    // report streets counts every station, rest stations included: 18 + 14 + 10 = 42.
    assert_eq!(t["stations"], 42);
}

/// The cells of a table line, without the borders.
fn cells(line: &str) -> Vec<&str> {
    line.split_whitespace().filter(|c| *c != "|").collect()
}

#[test]
fn table_total_line_and_csv_header() {
    let d = covered_district();
    // 合计: workplaces 39, covered 30 (76.9%), with instructor 36 (92.3%), 7 organizations,
    // 12 members of whom 3 probationary and 4 mobile, 2 applicants, 2 activists,
    // 1 candidate, 1 admitted.
    let total = [
        "合计", "39", "30", "76.9%", "36", "92.3%", "7", "12", "3", "4", "2", "2", "1", "1",
    ];
    let table: Output = d
        .nf(&[
            "report", "coverage", "--month", "2025-07", "--format", "table",
        ])
        .ok();
    let line = table
        .stdout
        .lines()
        .find(|l| l.contains("合计"))
        .unwrap_or_else(|| panic!("no 合计 line:\n{}", table.stdout));
    assert_eq!(cells(line), total, "{}", table.stdout);
    // 柳巷街道's rates: 81.3% (half up) and 93.8%; a street without workplaces shows "-".
    let liuxiang = table
        .stdout
        .lines()
        .find(|l| l.contains("柳巷街道"))
        .unwrap();
    assert_eq!(
        cells(liuxiang),
        [
            "柳巷街道",
            "16",
            "13",
            "81.3%",
            "15",
            "93.8%",
            "2",
            "4",
            "2",
            "2",
            "1",
            "1",
            "0",
            "1"
        ]
    );
    let haozhuang = table.stdout.lines().find(|l| l.contains("郝庄镇")).unwrap();
    assert_eq!(
        cells(haozhuang),
        [
            "郝庄镇",
            "0",
            "0",
            "-",
            "0",
            "-",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0"
        ]
    );

    let csv = d
        .nf(&[
            "report", "coverage", "--month", "2025-07", "--format", "csv",
        ])
        .ok();
    let rows = util::bom_csv(&csv.raw_stdout);
    assert_eq!(rows[0], ["期间", "2025-07-01 – 2025-07-31"]);
    let rows = &rows[1..];
    assert_eq!(
        rows[0],
        [
            "街道",
            "阵地",
            "党组织覆盖",
            "组织覆盖率",
            "有指导员",
            "工作覆盖率",
            "党组织",
            "党员(含预备)",
            "预备党员",
            "流动党员",
            "申请人",
            "积极分子",
            "发展对象",
            "新发展"
        ]
    );
    // Seven streets and the total, then the ledger digest (no entries here).
    assert_eq!(rows.len(), 1 + 7 + 1 + 1);
    assert_eq!(rows[8], total);
    assert_eq!(rows[9], ["账本摘要", "0:0000000000000000"]);
}

#[test]
fn a_station_moved_to_another_instructor_in_august_had_one_in_july() {
    let d = covered_district();
    // 顺丰速运柳巷营业部 has had 王秀芳 since 2024-03-01; it moves to 孙立新 on 2025-08-20.
    // Throughout July it had an instructor, so July's figures must not change:
    // 柳巷 15/16 → 93.8, district 36/39 → 92.3.
    d.nf(&[
        "instructor",
        "assign",
        "孙立新",
        "顺丰速运柳巷营业部",
        "--date",
        "2025-08-20",
    ])
    .ok();
    let r = coverage_json(&d, &["--month", "2025-07"]);
    assert_report(&r, "2025-07-01", "2025-07-31", &july());
}

#[test]
fn a_station_unassigned_later_had_an_instructor_in_july() {
    let d = covered_district();
    // 中通快递柳巷网点 had 王秀芳 from 2024-03-01; taking it from her today does not change
    // who advised it in July 2025: 柳巷 still 15/16, the district 36/39.
    d.nf(&["instructor", "unassign", "中通快递柳巷网点"]).ok();
    let r = coverage_json(&d, &["--month", "2025-07"]);
    assert_report(&r, "2025-07-01", "2025-07-31", &july());
    // Unassigned with a last day inside July: counted for the days up to it only.
    let d = covered_district();
    d.nf(&[
        "instructor",
        "unassign",
        "中通快递柳巷网点",
        "--date",
        "2025-07-20",
    ])
    .ok()
    .stderr_has(&["中通快递柳巷网点：由 王秀芳 负责到 2025-07-20，之后无人负责"]);
    let upto = coverage_json(&d, &["--from", "2025-07-01", "--to", "2025-07-20"]);
    let month = coverage_json(&d, &["--month", "2025-07"]);
    // On the 20th it still had its instructor: the same as without the unassignment.
    let untouched = coverage_json(
        &covered_district(),
        &["--from", "2025-07-01", "--to", "2025-07-20"],
    );
    assert_eq!(upto["total"], untouched["total"]);
    // At the end of July it had none: one fewer than the 36 of the month without it.
    assert_eq!(month["total"]["with_instructor"], 35);
    assert_eq!(
        d.rows(
            "SELECT a.assigned_on, a.until_on FROM instructor_stations a
             JOIN stations s ON s.id = a.station_id WHERE s.name = '中通快递柳巷网点'"
        ),
        [vec![Some("2024-03-01".into()), Some("2025-07-20".into())]]
    );
}
