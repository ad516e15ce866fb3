//! Acceptance tests of `report district` (the district bulletin): every figure of the period
//! and of the year to date, on a district generated from fixed counts — the expected values
//! are worked out from those counts, never copied from the program's output — then the
//! bulletin's sentences, the SQL of `docs/bulletin.md` against the same file, and the flags.
//!
//! The district (迎泽区, `init --district 140106`; three of its seven streets used) is made by
//! [`bulletin_district`] from [`SPECS`], through the real import commands:
//!
//! - stations: per street so many courier stations, logistics firms, rider hubs and rest
//!   stations; workplaces are ordered courier stations, logistics firms, rider hubs;
//! - workers: per street so many at each kind of station and without one, the first `full`
//!   中共党员, the next `probationary` 中共预备党员 (the first `mobile` registered elsewhere), the
//!   rest 群众; plus per street one worker joining on 2025-08-10 and one who left on
//!   2025-07-20 (neither counts on 2025-07-31); one worker leaves on 2025-07-31 (counts);
//! - stages ([`STAGES`]): one worker admitted (预备党员) on 2025-07-15, one on 2025-03-10, one
//!   only an applicant;
//! - organizations: a joint branch per street (2023-01-01) covering its first `covered`
//!   workplaces and a rest station, the district's committee covering one more workplace of
//!   庙前, and a branch founded on 2025-08-01 (not yet on 2025-07-31);
//! - instructors: one per street (2024-01-01) for the first `instructed` workplaces and the
//!   rest stations, and one assigned only on 2025-08-05;
//! - events of the k-th worker of each street: see [`checkin_rows`], [`service_rows`],
//!   [`tip_rows`], [`WISHES`], [`point_rows`], [`activity_rows`], and two reversals in
//!   [`bulletin_district`];
//! - partner merchants ([`merchant_rows`]): per street `1 + i` in force since 2025-01-01, one
//!   whose agreement ended on 2025-07-20 and one signed from 2025-08-01 (neither counts on
//!   2025-07-31).

use serde_json::{Value, json};

use crate::util::{self, Dir};

/// One street's fixed counts.
struct Spec {
    street: &'static str,
    short: &'static str,
    courier: usize,
    logistics: usize,
    riders: usize,
    rest: usize,
    at_courier: usize,
    at_logistics: usize,
    at_rider: usize,
    unattached: usize,
    full: usize,
    probationary: usize,
    mobile: usize,
    covered: usize,
    instructed: usize,
}

impl Spec {
    fn workplaces(&self) -> usize {
        self.courier + self.logistics + self.riders
    }
    /// Workers counted on 2025-07-31 (the extra joiner and leaver are not).
    fn workers(&self) -> usize {
        self.at_courier + self.at_logistics + self.at_rider + self.unattached
    }
    /// The name of the n-th workplace (courier stations, then logistics firms, rider hubs).
    fn workplace(&self, n: usize) -> String {
        if n < self.courier {
            format!("{}快递站{}", self.short, n + 1)
        } else if n < self.courier + self.logistics {
            format!("{}物流{}", self.short, n - self.courier + 1)
        } else {
            format!(
                "{}骑手站{}",
                self.short,
                n - self.courier - self.logistics + 1
            )
        }
    }
    fn rest_station(&self, n: usize) -> String {
        format!("{}暖蜂驿站{}", self.short, n + 1)
    }
}

const SPECS: [Spec; 3] = [
    Spec {
        street: "柳巷街道",
        short: "柳巷",
        courier: 5,
        logistics: 2,
        riders: 3,
        rest: 2,
        at_courier: 12,
        at_logistics: 4,
        at_rider: 6,
        unattached: 2,
        full: 3,
        probationary: 1,
        mobile: 1,
        covered: 7,
        instructed: 9,
    },
    Spec {
        street: "文庙街道",
        short: "文庙",
        courier: 3,
        logistics: 2,
        riders: 1,
        rest: 1,
        at_courier: 8,
        at_logistics: 3,
        at_rider: 4,
        unattached: 1,
        full: 2,
        probationary: 1,
        mobile: 1,
        covered: 4,
        instructed: 5,
    },
    Spec {
        street: "庙前街道",
        short: "庙前",
        courier: 2,
        logistics: 1,
        riders: 2,
        rest: 0,
        at_courier: 5,
        at_logistics: 2,
        at_rider: 3,
        unattached: 1,
        full: 1,
        probationary: 0,
        mobile: 0,
        covered: 2,
        instructed: 5,
    },
];

/// The phone of the k-th counted worker of street i.
fn phone(i: usize, k: usize) -> String {
    format!("139{i}{k:07}")
}

/// The membership pipeline: (street, worker, stages). The worker is the second to last of
/// its street (群众 in the register).
const STAGES: [(usize, &[(&str, &str)]); 3] = [
    (
        0,
        &[
            ("入党申请人", "2024-01-05"),
            ("入党积极分子", "2024-07-01"),
            ("发展对象", "2025-01-10"),
            ("预备党员", "2025-07-15"),
        ],
    ),
    (
        1,
        &[
            ("入党申请人", "2023-03-01"),
            ("入党积极分子", "2023-09-01"),
            ("发展对象", "2024-09-01"),
            ("预备党员", "2025-03-10"),
        ],
    ),
    (2, &[("入党申请人", "2025-05-01")]),
];

/// The 随手拍 categories in report order: (label, JSON key).
const CATEGORIES: [(&str, &str); 7] = [
    ("安全隐患", "safety_hazard"),
    ("卫生死角", "sanitation"),
    ("矛盾纠纷", "dispute"),
    ("不文明现象", "incivility"),
    ("占道经营", "street_vending"),
    ("意见建议", "suggestion"),
    ("其他", "other"),
];

/// July reports of street i in category j.
fn tips_of(i: usize, j: usize) -> usize {
    (i + 2 * j) % 4
}

/// Wishes of each street: (worker, wish, registered, fulfilled); the last only in 柳巷.
const WISHES: [(usize, &str, &str, &str); 4] = [
    (6, "电动车头盔", "2025-06-01", "2025-07-18"),
    (7, "儿童书包", "2025-06-15", ""),
    (8, "保温杯", "2025-07-01", "2025-08-09"),
    (9, "护膝", "2025-03-01", "2025-04-02"),
];

fn csv(header: &str, rows: &[String]) -> String {
    let mut s = format!("{header}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn station_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for s in &SPECS {
        for n in 0..s.workplaces() {
            let (kind, firm) = if n < s.courier {
                ("快递站点", "顺丰速运")
            } else if n < s.courier + s.logistics {
                ("物流企业", "德邦快递")
            } else {
                ("外卖员集合点", "美团")
            };
            rows.push(format!(
                "{},{kind},{firm},太原市迎泽区{}路{}号,{}",
                s.workplace(n),
                s.short,
                n + 1,
                s.street
            ));
        }
        for n in 0..s.rest {
            rows.push(format!(
                "{},暖蜂驿站,,太原市迎泽区{}巷{}号,{}",
                s.rest_station(n),
                s.short,
                n + 1,
                s.street
            ));
        }
    }
    rows
}

fn worker_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        let n = s.workers();
        for k in 0..n {
            let (station, occupation) = if k < s.at_courier {
                (s.workplace(k % s.courier), "快递员")
            } else if k < s.at_courier + s.at_logistics {
                (
                    s.workplace(s.courier + (k - s.at_courier) % s.logistics),
                    "快递员",
                )
            } else if k < s.at_courier + s.at_logistics + s.at_rider {
                (
                    s.workplace(
                        s.courier + s.logistics + (k - s.at_courier - s.at_logistics) % s.riders,
                    ),
                    "外卖员",
                )
            } else {
                (String::new(), "网约车司机")
            };
            let status = if k < s.full {
                "中共党员"
            } else if k < s.full + s.probationary {
                "中共预备党员"
            } else {
                "群众"
            };
            let home = if k < s.mobile {
                "河北省邯郸市馆陶县某村党支部"
            } else {
                ""
            };
            let joined = if k == 1 { "2025-03-01" } else { "" };
            let left = if i == 0 && k == n - 1 {
                "2025-07-31"
            } else {
                ""
            };
            rows.push(format!(
                "{}从业者{},{},{status},{occupation},{station},{},{joined},{left},{home}",
                s.short,
                k + 1,
                phone(i, k),
                s.street
            ));
        }
        rows.push(format!(
            "{}新人,139{i}9000000,中共党员,快递员,{},{},2025-08-10,,",
            s.short,
            s.workplace(0),
            s.street
        ));
        rows.push(format!(
            "{}离职者,139{i}9000001,中共党员,快递员,{},{},2024-01-01,2025-07-20,",
            s.short,
            s.workplace(0),
            s.street
        ));
    }
    rows
}

fn org_rows() -> Vec<String> {
    let mut rows = vec![format!(
        "迎泽区快递物流行业党委,行业党委,,,2021-06-18,韩卫东,{}",
        SPECS[2].workplace(SPECS[2].covered)
    )];
    for s in &SPECS {
        let mut covers: Vec<String> = (0..s.covered).map(|n| s.workplace(n)).collect();
        if s.rest > 0 {
            covers.push(s.rest_station(0));
        }
        rows.push(format!(
            "{}快递物流联合党支部,联合党支部,迎泽区快递物流行业党委,{},2023-01-01,{}书记,{}",
            s.street,
            s.street,
            s.short,
            covers.join("、")
        ));
    }
    rows.push(
        "文庙街道新就业群体党支部,党支部,迎泽区快递物流行业党委,文庙街道,2025-08-01,,".into(),
    );
    rows
}

fn instructor_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        let mut stations: Vec<String> = (0..s.instructed).map(|n| s.workplace(n)).collect();
        stations.extend((0..s.rest).map(|n| s.rest_station(n)));
        rows.push(format!(
            "{}指导员,1370000000{i},{},{}党工委,{},2024-01-01",
            s.short,
            s.street,
            s.street,
            stations.join("、")
        ));
    }
    rows.push(format!(
        "柳巷新指导员,13700000009,柳巷街道,迎泽区委组织部,{},2025-08-05",
        SPECS[0].workplace(SPECS[0].instructed)
    ));
    rows
}

/// The k-th worker of each street checks in k % 3 times in July (07-05, 07-25), once on
/// 2025-03-10 when k is even, and outside 2025-01-01..07-31 on 2024-12-20 (k % 5 = 0) and
/// 2025-08-02 (k % 4 = 0). The 5th worker of 柳巷 checks in at 文庙街道.
fn checkin_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        for k in 0..s.workers() {
            let p = phone(i, k);
            let at = if i == 0 && k == 4 {
                "文庙街道"
            } else {
                s.street
            };
            for d in ["2025-07-05", "2025-07-25"].iter().take(k % 3) {
                rows.push(format!("{p},{d},{at},日常报到"));
            }
            if k % 2 == 0 {
                rows.push(format!("{p},2025-03-10,{at},日常报到"));
            }
            if k % 5 == 0 {
                rows.push(format!("{p},2024-12-20,{at},日常报到"));
            }
            if k % 4 == 0 {
                rows.push(format!("{p},2025-08-02,{at},日常报到"));
            }
        }
    }
    rows
}

/// k % 4 = 1: 90 minutes on 2025-07-12 and 60 on 2025-08-15; k % 4 = 3: 45 minutes on
/// 2025-07-19 and 120 on 2025-05-20. Each grants points at 1 an hour, rounded half up.
fn service_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        for k in 0..s.workers() {
            let (p, at) = (phone(i, k), s.street);
            match k % 4 {
                1 => {
                    rows.push(format!("{p},2025-07-12,创城志愿巡查,90分钟,{at}"));
                    rows.push(format!("{p},2025-08-15,交通劝导,60分钟,{at}"));
                }
                3 => {
                    rows.push(format!("{p},2025-07-19,反诈宣传,45分钟,{at}"));
                    rows.push(format!("{p},2025-05-20,助老服务,120分钟,{at}"));
                }
                _ => {}
            }
        }
    }
    rows
}

/// July reports of street i: `tips_of(i, j)` in category j on 2025-07-08, the t-th of the
/// street by worker t % 5; status by t % 3: 0 resolved on 2025-07-28, 1 approved, 2 pending.
/// And by worker 5 of each street: 安全隐患 of 2025-06-10 resolved on 2025-07-05, 其他 of
/// 2025-07-30 resolved on 2025-08-03, 卫生死角 of 2025-02-14 pending.
fn tip_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        let mut t = 0;
        for (j, (label, _)) in CATEGORIES.iter().enumerate() {
            for _ in 0..tips_of(i, j) {
                let (status, resolved) = match t % 3 {
                    0 => ("已办结", "2025-07-28"),
                    1 => ("已审核", ""),
                    _ => ("待审核", ""),
                };
                rows.push(format!(
                    "{},2025-07-08,{label},{}{label}第{}件,{},{status},{resolved}",
                    phone(i, t % 5),
                    s.short,
                    t + 1,
                    s.street
                ));
                t += 1;
            }
        }
        let w = phone(i, 5);
        let at = s.street;
        rows.push(format!(
            "{w},2025-06-10,安全隐患,{at}井盖破损,{at},已办结,2025-07-05"
        ));
        rows.push(format!(
            "{w},2025-07-30,其他,{at}路灯不亮,{at},已办结,2025-08-03"
        ));
        rows.push(format!("{w},2025-02-14,卫生死角,{at}垃圾堆积,{at},待审核,"));
    }
    rows
}

fn wish_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for i in 0..SPECS.len() {
        for (k, wish, on, done) in &WISHES {
            if *k == 9 && i != 0 {
                continue;
            }
            let by = if done.is_empty() {
                ""
            } else {
                "迎泽区团委"
            };
            rows.push(format!("{},{wish},{on},{done},{by}", phone(i, *k)));
        }
    }
    rows
}

/// Each street: worker 9 earns 40 on 2024-12-01 and 50 on 2025-07-01 and redeems 20 on
/// 2025-07-20; worker 10 earns 30 on 2025-02-01 and redeems 10 on 2025-07-22.
fn point_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for i in 0..SPECS.len() {
        let (a, b) = (phone(i, 9), phone(i, 10));
        rows.push(format!("{a},2024-12-01,其他,40,年度表彰"));
        rows.push(format!("{a},2025-07-01,其他,50,参加党建活动"));
        rows.push(format!("{a},2025-07-20,积分兑换,20,兑换雨衣"));
        rows.push(format!("{b},2025-02-01,其他,30,春节保供"));
        rows.push(format!("{b},2025-07-22,积分兑换,10,兑换水杯"));
    }
    rows
}

/// Each street i: 夏日送清凉 on 2025-07-10 with workers 0 and 1 (worker 0 written twice, one
/// person) and 10 + i people not named; 法律咨询 on 2025-07-20 with workers 1 and 2; 春节慰问
/// on 2025-03-05 with worker 3 and 2 people not named (in the year only).
fn activity_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        let (at, short) = (s.street, s.short);
        let w = |k: usize| phone(i, k);
        rows.push(format!(
            "送清凉,{short}夏日送清凉,2025-07-10,{at},{}、{}、{},{}",
            w(0),
            w(1),
            w(0),
            10 + i
        ));
        rows.push(format!(
            "法律援助,{short}法律咨询,2025-07-20,{at},{} {},0",
            w(1),
            w(2)
        ));
        rows.push(format!(
            "困难帮扶,{short}春节慰问,2025-03-05,{at},{},2",
            w(3)
        ));
    }
    rows
}

/// Street i: `1 + i` barbershops in force since 2025-01-01 (one without 签约日期), a
/// restaurant whose agreement ended on 2025-07-20 and a lawyer signed from 2025-08-01.
fn merchant_rows() -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        for k in 0..=i {
            let since = if k == 0 { "" } else { "2025-01-01" };
            rows.push(format!(
                "{}理发店{k},理发,{},八折,{since},",
                s.short, s.street
            ));
        }
        rows.push(format!(
            "{}饭店,餐饮,{},九折,2024-06-01,2025-07-20",
            s.short, s.street
        ));
        rows.push(format!(
            "{}律所,法律服务,{},免费法律咨询,2025-08-01,",
            s.short, s.street
        ));
    }
    rows
}

/// The district, built through the real binary.
fn bulletin_district() -> Dir {
    let d = Dir::new();
    d.init();
    let files: [(&str, &str, String); 11] = [
        (
            "stations",
            "stations.csv",
            csv("站点名称,站点类型,所属企业,地址,所属街道", &station_rows()),
        ),
        (
            "orgs",
            "orgs.csv",
            csv(
                "党组织名称,类型,上级党组织,所属街道,成立日期,书记,覆盖站点",
                &org_rows(),
            ),
        ),
        (
            "instructors",
            "instructors.csv",
            csv(
                "姓名,手机号,所属街道,工作单位,负责站点,选派日期",
                &instructor_rows(),
            ),
        ),
        (
            "workers",
            "workers.csv",
            csv(
                "姓名,手机号,政治面貌,从业类型,所属站点,所属街道,入职日期,离职日期,组织关系所在党组织",
                &worker_rows(),
            ),
        ),
        (
            "checkins",
            "checkins.csv",
            csv("手机号,报到日期,报到街道,事项", &checkin_rows()),
        ),
        (
            "services",
            "services.csv",
            csv(
                "手机号,服务日期,活动名称,服务时长,服务街道",
                &service_rows(),
            ),
        ),
        (
            "tips",
            "tips.csv",
            csv("手机号,上报日期,类别,内容,街道,状态,办结日期", &tip_rows()),
        ),
        (
            "wishes",
            "wishes.csv",
            csv("手机号,心愿内容,登记日期,实现日期,认领人", &wish_rows()),
        ),
        (
            "points",
            "points.csv",
            csv("手机号,日期,类别,积分,说明", &point_rows()),
        ),
        (
            "activities",
            "activities.csv",
            csv(
                "活动类型,活动名称,活动日期,街道,参与人员,其他参与人数",
                &activity_rows(),
            ),
        ),
        (
            "merchants",
            "merchants.csv",
            csv(
                "商家名称,类型,街道,优惠内容,签约日期,截止日期",
                &merchant_rows(),
            ),
        ),
    ];
    for (kind, name, text) in &files {
        d.write(name, text);
        d.nf(&["import", kind, name]).ok();
    }
    for (i, stages) in STAGES {
        let w = phone(i, SPECS[i].workers() - 2);
        for (stage, date) in stages {
            d.nf(&["worker", "stage", &w, "--to", stage, "--date", date])
                .ok();
        }
    }
    // Two corrections: 柳巷's July earning of 50, and 文庙's redemption of 10.
    let entry = |phone: &str, points: i64| {
        d.int(&format!(
            "SELECT p.id FROM point_entries p JOIN workers w ON w.id = p.worker_id
             WHERE w.phone = '{phone}' AND p.points = {points}"
        ))
        .to_string()
    };
    let (earning, redemption) = (entry(&phone(0, 9), 50), entry(&phone(1, 10), -10));
    d.nf(&[
        "points",
        "reverse",
        &earning,
        "--reason",
        "重复录入",
        "--date",
        "2025-07-26",
    ])
    .ok();
    d.nf(&[
        "points",
        "reverse",
        &redemption,
        "--reason",
        "礼品未领取",
        "--date",
        "2025-07-27",
    ])
    .ok();
    d
}

/// `part` of `whole` in percent, half up to one decimal (the rule of the reports).
fn rate(part: usize, whole: usize) -> Value {
    if whole == 0 {
        Value::Null
    } else {
        json!(((part * 2000 + whole) / (2 * whole)) as f64 / 10.0)
    }
}

/// Minutes as hours, half up to one decimal.
fn hours(minutes: usize) -> f64 {
    ((minutes * 10 + 30) / 60) as f64 / 10.0
}

/// Sum of `f` over the counted workers (street, k) of every street.
fn over_workers(f: impl Fn(usize, usize) -> usize) -> usize {
    SPECS
        .iter()
        .enumerate()
        .map(|(i, s)| (0..s.workers()).map(|k| f(i, k)).sum::<usize>())
        .sum()
}

/// Counted workers k (of every street) for which `p(k)` holds.
fn workers_where(p: impl Fn(usize) -> bool) -> usize {
    over_workers(|_, k| usize::from(p(k)))
}

/// The district's figures for July 2025 (`ytd = false`) or 2025-01-01..07-31, from the
/// counts alone.
fn expected(ytd: bool) -> Value {
    let sum = |f: fn(&Spec) -> usize| SPECS.iter().map(f).sum::<usize>();
    let streets = SPECS.len();
    let workplaces = sum(Spec::workplaces);
    // The branches' coverage, and one more workplace of 庙前 under the committee.
    let org_covered = sum(|s| s.covered) + 1;
    let with_instructor = sum(|s| s.instructed);
    // Admitted: the 柳巷 worker in July, the 文庙 one in March.
    let admitted = if ytd { 2 } else { 1 };

    let mut checkins = over_workers(|_, k| k % 3);
    let mut checkin_workers = workers_where(|k| k % 3 > 0);
    if ytd {
        checkins += workers_where(|k| k % 2 == 0);
        checkin_workers = workers_where(|k| k % 3 > 0 || k % 2 == 0);
    }

    let (long, short) = (workers_where(|k| k % 4 == 1), workers_where(|k| k % 4 == 3));
    let mut services = long + short;
    let mut minutes = 90 * long + 45 * short;
    // Points the services grant: 90 minutes → 2, 45 → 1, 120 → 2.
    let mut service_points = 2 * long + short;
    if ytd {
        services += short;
        minutes += 120 * short;
        service_points += 2 * short;
    }
    let service_workers = long + short;

    let mut by_category: Vec<usize> = (0..CATEGORIES.len())
        .map(|j| (0..streets).map(|i| tips_of(i, j)).sum())
        .collect();
    // The 其他 of 2025-07-30 in each street.
    by_category[6] += streets;
    if ytd {
        by_category[0] += streets; // 安全隐患 of 2025-06-10
        by_category[1] += streets; // 卫生死角 of 2025-02-14
    }
    let tips: usize = by_category.iter().sum();
    let street_tips = |i: usize| (0..CATEGORIES.len()).map(|j| tips_of(i, j)).sum::<usize>();
    // Workers 0..4 (each street has at least five July reports) and worker 5.
    assert!((0..streets).all(|i| street_tips(i) >= 5));
    let tip_reporters = 6 * streets;
    // Governance information: every report but 意见建议 (j = 5); worker t % 5 made the t-th
    // report of its street, and worker 5 the 其他 of 07-30.
    let governance_reporters: usize = (0..streets)
        .map(|i| {
            let mut t = 0;
            let mut who = std::collections::BTreeSet::from([5]);
            for j in 0..CATEGORIES.len() {
                for _ in 0..tips_of(i, j) {
                    if j != 5 {
                        who.insert(t % 5);
                    }
                    t += 1;
                }
            }
            who.len()
        })
        .sum();
    // t % 3 = 0 resolved on 07-28, and the June reports resolved on 07-05.
    let resolved_in_loop: usize = (0..streets)
        .map(|i| (0..street_tips(i)).filter(|t| t % 3 == 0).count())
        .sum();
    let tips_resolved = resolved_in_loop + streets;
    // Approved (or resolved) reports grant a point each, on their date.
    let approved_in_loop: usize = (0..streets)
        .map(|i| (0..street_tips(i)).filter(|t| t % 3 != 2).count())
        .sum();
    let mut tip_points = approved_in_loop + streets; // + the 07-30 reports
    if ytd {
        tip_points += streets; // the June reports, approved on 06-10
    }

    // Wishes: 07-18 in each street; 柳巷's 04-02 in the year.
    let wishes = streets + usize::from(ytd);

    // Points: 50 earned in July per street, 柳巷's reversed; 30 in February per street;
    // redemptions 20 + 10 per street, 文庙's 10 reversed.
    let mut earned = service_points + tip_points + 50 * streets - 50;
    if ytd {
        earned += 30 * streets;
    }
    let redeemed = 30 * streets - 10;

    // 关爱活动 (activity_rows): two in July per street, one more in March; person-times are
    // the workers named (each once) and the others; workers 0–2 of each street in July, 3 too
    // in the year.
    let care_activities = if ytd { 3 * streets } else { 2 * streets };
    let others: usize = (0..streets).map(|i| 10 + i).sum();
    let mut care_participants = (2 + 2) * streets + others;
    let mut care_workers = 3 * streets;
    if ytd {
        care_participants += (1 + 2) * streets;
        care_workers += streets;
    }

    let workers = sum(Spec::workers);
    let members = sum(|s| s.full + s.probationary) + 2;
    let probationary = sum(|s| s.probationary) + 2;
    json!({
        "street": "合计",
        "street_code": null,
        "stations": workplaces + sum(|s| s.rest),
        "workers": workers,
        "party_members": members,
        "checkins": checkins,
        "checkin_workers": checkin_workers,
        "points_earned": earned,
        "points_redeemed": redeemed,
        "workplaces": workplaces,
        "org_covered": org_covered,
        "org_coverage_rate": rate(org_covered, workplaces),
        "with_instructor": with_instructor,
        "work_coverage_rate": rate(with_instructor, workplaces),
        "mobile_members": sum(|s| s.mobile),
        "courier_stations": sum(|s| s.courier),
        "logistics_firms": sum(|s| s.logistics),
        "rider_hubs": sum(|s| s.riders),
        "rest_stations": sum(|s| s.rest),
        "courier_station_workers": sum(|s| s.at_courier),
        "logistics_firm_workers": sum(|s| s.at_logistics),
        "probationary_members": probationary,
        "instructors": streets,
        // The branches of the streets and the committee; not the one of 2025-08-01.
        "party_orgs": streets + 1,
        "services": services,
        "service_workers": service_workers,
        "service_hours": hours(minutes),
        "tips": tips,
        "tips_by_category": CATEGORIES.iter().zip(&by_category)
            .map(|((_, key), n)| (key.to_string(), json!(n)))
            .collect::<serde_json::Map<String, Value>>(),
        "tip_reporters": tip_reporters,
        "suggestions": by_category[5],
        "tips_resolved": tips_resolved,
        "wishes_fulfilled": wishes,
        "admitted": admitted,
        "governance_reports": tips - by_category[5],
        "governance_reporters": governance_reporters,
        // The registers of this district give no award.
        "awards": {},
        "service_minutes": minutes,
        "care_activities": care_activities,
        "care_participants": care_participants,
        "care_workers": care_workers,
        // Street i: 1 + i in force on 07-31 (stock: the same in the year to date).
        "partner_merchants": (1..=streets).sum::<usize>(),
        // Nor does its gift shop have orders (tests/ledger/gifts.rs counts them).
        "gifts_redeemed": 0,
        "gift_orders_pending": 0,
    })
}

/// `report district ARGS --format json`.
fn district_json(d: &Dir, args: &[&str]) -> Value {
    let mut a = vec!["report", "district"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    d.nf(&a).ok().json()
}

/// Asserts two rows key by key (a clearer message than one big inequality), then whole.
fn assert_row(got: &Value, want: &Value, what: &str) {
    for (k, v) in want.as_object().expect("an object") {
        assert_eq!(&got[k], v, "{what}: {k}");
    }
    assert_eq!(got, want, "{what}: no other keys");
}

#[test]
fn july_every_figure_of_the_period_and_the_year_to_date() {
    let d = bulletin_district();
    let r = district_json(&d, &["--month", "2025-07"]);
    assert_eq!(r["district"], json!({"name": "迎泽区", "code": "140106"}));
    assert_eq!(
        r["period"],
        json!({"from": "2025-07-01", "to": "2025-07-31"})
    );
    assert_eq!(
        r["year_to_date"],
        json!({"from": "2025-01-01", "to": "2025-07-31"})
    );
    // `init --district 140106` seeds all seven streets of 迎泽区.
    assert_eq!(r["streets"], 7);
    assert_eq!(r["title"], "迎泽区新就业群体党建工作简报（2025年7月）");
    assert_row(&r["figures"], &expected(false), "July");
    assert_row(&r["year_to_date_figures"], &expected(true), "year to date");
    // The same figures as the total of `report streets`.
    let streets = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(r["figures"], streets["total"]);
}

/// A figure of a JSON row as the bulletin writes it.
fn n(row: &Value, key: &str) -> String {
    let v = &row[key];
    match v.as_f64() {
        Some(f) if v.is_f64() && f.fract() != 0.0 => format!("{f:.1}"),
        Some(f) => format!("{f:.0}"),
        None => panic!("{key} is no number: {v}"),
    }
}

#[test]
fn the_bulletin_says_the_figures_in_sentences() {
    let d = bulletin_district();
    let r = district_json(&d, &["--month", "2025-07"]);
    let b: Vec<&str> = r["bulletin"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| p.as_str().expect("text"))
        .collect();
    assert_eq!(b.len(), 4, "{b:#?}");
    let (f, y) = (expected(false), expected(true));
    let cat = |row: &Value, key: &str| row["tips_by_category"][key].to_string();
    let stock = format!(
        "截至2025年7月31日，迎泽区共有快递站点{}个、物流企业{}家、外卖员集合点{}个、暖蜂驿站{}个，\
         从业人员{}人，其中党员{}人（预备党员{}人、流动党员{}人）；建立党组织{}个，\
         组织覆盖率{:.1}%，工作覆盖率{:.1}%，选派党建工作指导员{}名。",
        n(&f, "courier_stations"),
        n(&f, "logistics_firms"),
        n(&f, "rider_hubs"),
        n(&f, "rest_stations"),
        n(&f, "workers"),
        n(&f, "party_members"),
        n(&f, "probationary_members"),
        n(&f, "mobile_members"),
        n(&f, "party_orgs"),
        f["org_coverage_rate"].as_f64().unwrap(),
        f["work_coverage_rate"].as_f64().unwrap(),
        n(&f, "instructors"),
    );
    assert_eq!(b[0], stock);
    // The topics in the district's words, those with reports; 意见建议 and 其他 are no topic.
    let words = ["安全隐患", "环境卫生", "矛盾纠纷", "不文明行为", "占道经营"];
    let categories = |row: &Value| {
        CATEGORIES
            .iter()
            .zip(words)
            .filter(|((_, key), _)| cat(row, key) != "0")
            .map(|(_, w)| w)
            .collect::<Vec<_>>()
            .join("、")
    };
    let july = format!(
        "2025年7月，从业人员报到{}人次（{}人）；{}名从业人员通过“随手拍”等方式向社区提供基层治理信息{}条，\
         包括{}等内容；参与志愿服务{}人次（{}名志愿者、{}小时），提出意见建议{}条，协助解决问题隐患{}个；\
         实现微心愿{}个；发放积分{}分，兑换{}分；发展新党员{}名。",
        n(&f, "checkins"),
        n(&f, "checkin_workers"),
        n(&f, "governance_reporters"),
        n(&f, "governance_reports"),
        categories(&f),
        n(&f, "services"),
        n(&f, "service_workers"),
        n(&f, "service_hours"),
        n(&f, "suggestions"),
        n(&f, "tips_resolved"),
        n(&f, "wishes_fulfilled"),
        n(&f, "points_earned"),
        n(&f, "points_redeemed"),
        n(&f, "admitted"),
    );
    assert_eq!(b[1], july);
    let year = format!(
        "年初以来，累计报到{}人次（{}人）；{}名从业人员通过“随手拍”等方式向社区提供基层治理信息{}条，\
         包括{}等内容；参与志愿服务{}人次（{}名志愿者、{}小时），提出意见建议{}条，协助解决问题隐患{}个；\
         实现微心愿{}个；发放积分{}分，兑换{}分；发展新党员{}名。",
        n(&y, "checkins"),
        n(&y, "checkin_workers"),
        n(&y, "governance_reporters"),
        n(&y, "governance_reports"),
        categories(&y),
        n(&y, "services"),
        n(&y, "service_workers"),
        n(&y, "service_hours"),
        n(&y, "suggestions"),
        n(&y, "tips_resolved"),
        n(&y, "wishes_fulfilled"),
        n(&y, "points_earned"),
        n(&y, "points_redeemed"),
        n(&y, "admitted"),
    );
    assert_eq!(b[2], year);
    // 关爱服务: July's two kinds held as often, in the catalogue's order; no gift orders.
    let care = format!(
        "关爱服务方面，2025年7月常态化开展“法律援助”“送清凉/送温暖”等关爱活动{}场，服务{}人次\
         （年初以来累计{}场、{}人次）；联系爱心商家{}家。",
        n(&f, "care_activities"),
        n(&f, "care_participants"),
        n(&y, "care_activities"),
        n(&y, "care_participants"),
        n(&f, "partner_merchants"),
    );
    assert_eq!(b[3], care);
}

#[test]
fn a_month_without_events_keeps_the_stock_and_leaves_out_the_empty_clauses() {
    let d = bulletin_district();
    // June 2025: only the 安全隐患 reports of 06-10 (approved that day: a point each) and
    // the wishes registered; no check-in, service, wish fulfilled, redemption or admission.
    // One topic only: 包括安全隐患等内容.
    let r = district_json(&d, &["--month", "2025-06"]);
    let b = r["bulletin"].as_array().expect("paragraphs");
    let june = b[1].as_str().expect("text");
    let streets = SPECS.len();
    assert_eq!(
        june,
        format!(
            "2025年6月，{streets}名从业人员通过“随手拍”等方式向社区提供基层治理信息{streets}条，\
             包括安全隐患等内容；发放积分{streets}分。"
        )
    );
    assert!(
        b[0].as_str()
            .unwrap()
            .starts_with("截至2025年6月30日，迎泽区共有快递站点")
    );
}

#[test]
fn a_quarter_and_a_year_are_worded_so_and_a_year_has_no_year_to_date_paragraph() {
    let d = bulletin_district();
    let q = district_json(&d, &["--quarter", "2025Q3"]);
    assert_eq!(q["title"], "迎泽区新就业群体党建工作简报（2025年第三季度）");
    assert!(
        q["bulletin"][1]
            .as_str()
            .unwrap()
            .starts_with("2025年第三季度，")
    );
    let y = district_json(&d, &["--year", "2025"]);
    assert_eq!(y["year_to_date"], y["period"]);
    assert_eq!(y["bulletin"].as_array().unwrap().len(), 3);
    assert!(y["bulletin"][1].as_str().unwrap().starts_with("2025年，"));
    // No year-to-date clause in the care sentence either.
    let care = y["bulletin"][2].as_str().unwrap();
    assert!(
        care.starts_with(
            "关爱服务方面，2025年常态化开展“困难帮扶”“法律援助”“送清凉/送温暖”等关爱活动"
        ),
        "{care}"
    );
    assert!(!care.contains("年初以来"), "{care}");
    let days = district_json(&d, &["--from", "2025-07-01", "--to", "2025-07-15"]);
    assert!(
        days["bulletin"][1]
            .as_str()
            .unwrap()
            .starts_with("2025年7月1日至7月15日，")
    );
}

/// The `### key` headings of docs/bulletin.md with the SQL under each.
fn documented_queries() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/bulletin.md"),
    )
    .expect("docs/bulletin.md");
    let mut out = Vec::new();
    let mut key: Option<String> = None;
    let mut sql: Option<String> = None;
    for line in doc.lines() {
        if let Some(k) = line.strip_prefix("### ") {
            key = Some(k.trim().to_string());
        } else if line.trim() == "```sql" && key.is_some() {
            sql = Some(String::new());
        } else if line.trim() == "```" && sql.is_some() {
            out.push((key.take().expect("a heading"), sql.take().expect("a block")));
        } else if let Some(s) = &mut sql {
            s.push_str(line);
            s.push('\n');
        }
    }
    out
}

/// Runs one documented query with `:from` and `:to` bound.
fn run_query(conn: &rusqlite::Connection, sql: &str, from: &str, to: &str) -> Value {
    let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    for (name, value) in [(":from", from), (":to", to)] {
        if let Some(i) = stmt.parameter_index(name).expect("a parameter name") {
            stmt.raw_bind_parameter(i, value).expect("bind");
        }
    }
    let mut rows = stmt.raw_query();
    let row = rows.next().expect("a row").expect("one row");
    match row.get_ref(0).expect("a value") {
        rusqlite::types::ValueRef::Null => Value::Null,
        rusqlite::types::ValueRef::Integer(i) => json!(i),
        rusqlite::types::ValueRef::Real(f) => json!(f),
        other => panic!("{sql}: not a number: {other:?}"),
    }
}

/// The figure at a dotted key (`tips_by_category.dispute`).
fn at<'a>(row: &'a Value, key: &str) -> &'a Value {
    key.split('.').fold(row, |v, k| &v[k])
}

#[test]
fn every_figure_of_the_docs_reproduces_from_the_tables() {
    let d = bulletin_district();
    let queries = documented_queries();
    // Every figure of a row has its query (street and street_code are names, not figures).
    let row = expected(false);
    let mut keys: Vec<String> = Vec::new();
    for (k, v) in row.as_object().unwrap() {
        match v {
            Value::Object(o) => keys.extend(o.keys().map(|x| format!("{k}.{x}"))),
            _ if k == "street" || k == "street_code" => {}
            _ => keys.push(k.clone()),
        }
    }
    for k in &keys {
        assert!(
            queries.iter().any(|(q, _)| q == k),
            "docs/bulletin.md has no query for {k}"
        );
    }
    let conn = d.conn();
    // A whole month (check-ins from the monthly rollup) and a range over parts of months.
    for args in [
        vec!["--month", "2025-07"],
        vec!["--from", "2025-07-10", "--to", "2025-08-20"],
        vec!["--month", "2025-06"],
    ] {
        let r = district_json(&d, &args);
        for (period, figures) in [
            (&r["period"], &r["figures"]),
            (&r["year_to_date"], &r["year_to_date_figures"]),
        ] {
            let (from, to) = (
                period["from"].as_str().unwrap(),
                period["to"].as_str().unwrap(),
            );
            for (key, sql) in &queries {
                let got = run_query(&conn, sql, from, to);
                let want = at(figures, key);
                assert!(!want.is_null() || got.is_null(), "{key}: no such figure");
                assert_eq!(
                    got.as_f64(),
                    want.as_f64(),
                    "{key} over {from}..{to}: the SQL of docs/bulletin.md says {got}, the report {want}"
                );
            }
        }
    }
}

#[test]
fn the_table_lists_the_figures_and_then_the_bulletin() {
    let d = bulletin_district();
    let o = d.nf(&["report", "district", "--month", "2025-07"]).ok();
    let f = expected(false);
    let y = expected(true);
    let checkins = o
        .stdout
        .lines()
        .find(|l| l.contains("报到人次"))
        .expect("a check-in line");
    let cells: Vec<&str> = checkins
        .split(|c: char| c == '|' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        vec![
            "报到人次",
            &f["checkins"].to_string(),
            &y["checkins"].to_string()
        ]
    );
    o.stdout_has(&[
        "迎泽区新就业群体党建工作简报（2025年7月）",
        "指标",
        "本期",
        "年初至今",
        "\n\n截至2025年7月31日，迎泽区",
        "\n\n2025年7月，从业人员报到",
        "\n\n年初以来，累计报到",
    ]);
    // CSV is the table alone, with a BOM.
    let csv = d
        .nf(&[
            "report", "district", "--month", "2025-07", "--format", "csv",
        ])
        .ok();
    let rows = util::bom_csv(&csv.raw_stdout);
    assert_eq!(
        rows[0],
        vec![
            "期间",
            "2025-07-01 – 2025-07-31（年初至今自 2025-01-01 起）"
        ]
    );
    assert_eq!(rows[1], vec!["指标", "本期", "年初至今"]);
    assert!(rows.iter().any(|r| r[0] == "工作覆盖率"));
    assert!(!csv.stdout.contains("截至"));
    // Markdown: the title, the table, the sentences.
    d.nf(&["report", "district", "--month", "2025-07", "--format", "md"])
        .ok()
        .stdout_has(&[
            "## 迎泽区新就业群体党建工作简报",
            "| 指标",
            "截至2025年7月31日",
        ]);
}

#[test]
fn english_labels_and_sentences_with_lang_en() {
    let d = bulletin_district();
    let f = expected(false);
    let o = d
        .nf(&["--lang", "en", "report", "district", "--month", "2025-07"])
        .ok();
    o.stdout_has(&[
        "Figure",
        "Year to date",
        &format!(
            "As of 31 July 2025, 迎泽区 had {} courier stations, {} logistics firms, {} rider hubs and {} rest stations, with {} workers",
            n(&f, "courier_stations"),
            n(&f, "logistics_firms"),
            n(&f, "rider_hubs"),
            n(&f, "rest_stations"),
            n(&f, "workers"),
        ),
        &format!(
            "In July 2025, workers checked in {} times ({} workers)",
            n(&f, "checkins"),
            n(&f, "checkin_workers")
        ),
        "Year to date (from 1 January 2025): ",
    ]);
    assert!(!o.stdout.contains("截至"), "{}", o.stdout);
}

#[test]
fn usage_mistakes_exit_2_before_the_registry_is_opened() {
    let d = Dir::new();
    // No registry here: each mistake is found first.
    d.nf(&["report", "district"]).code(2).stderr_has(&[
        "错误：没有指定期间 — 用 --month 2025-07、--quarter 2025Q3、--year 2025，或 --from 2025-07-01 \
         --to 2025-07-15\n",
    ]);
    d.nf(&[
        "report", "district", "--month", "2025-07", "--format", "xlsx",
    ])
    .code(2)
    .stderr_has(&["--format xlsx 要写入工作簿 — 用 -o 指定文件，例如 -o 2025年7月简报.xlsx"]);
    d.nf(&["report", "district", "--month", "2025-07", "-o", "x.xlsx"])
        .code(2)
        .stderr_has(&[
            "-o 给的是 .xlsx 工作簿的文件名 — 加上 --format xlsx，或为其他格式另起一个不以 .xlsx 结尾的名字",
        ]);
    d.nf(&[
        "report", "district", "--month", "2025-07", "--format", "xlsx", "-o", "x.csv",
    ])
    .code(2)
    .stderr_has(&["-o x.csv：工作簿的文件名要以 .xlsx 结尾"]);
    d.nf(&["report", "district", "--month", "2025-13"]).code(2);
    // The same mistakes in English.
    let en = |args: &[&str], msg: &str| {
        let mut a = vec!["--lang", "en", "report", "district"];
        a.extend_from_slice(args);
        d.nf(&a).code(2).stderr_has(&[msg]);
    };
    en(
        &[],
        "error: say which period: --month 2025-07, --quarter 2025Q3, --year 2025, or --from D \
         --to D\n",
    );
    en(&["--month", "2025-07", "--format", "xlsx"], "-o FILE.xlsx");
    en(
        &["--month", "2025-07", "-o", "x.xlsx"],
        "-o names an .xlsx workbook: add --format xlsx",
    );
    en(
        &["--month", "2025-07", "--format", "xlsx", "-o", "x.csv"],
        "must end in .xlsx",
    );
    d.nf(&["report", "district", "--month", "2025-13"]).code(2);
}

#[test]
fn an_existing_workbook_is_never_overwritten() {
    let d = Dir::new();
    d.init();
    d.write("简报.xlsx", "keep me");
    d.nf(&[
        "report",
        "district",
        "--month",
        "2025-07",
        "--format",
        "xlsx",
        "-o",
        "简报.xlsx",
    ])
    .code(1)
    .stderr_has(&[
        "错误：简报.xlsx 已存在 — 报表不会悄悄覆盖文件；换一个新文件名，或加 --force 替换它\n",
    ]);
    assert_eq!(d.read("简报.xlsx"), b"keep me");
}

#[test]
fn streets_without_a_district_are_the_whole_district() {
    let d = Dir::new();
    // A registry with no official street: 全区, and a bulletin all the same.
    d.nf(&["init"]).ok();
    let r = district_json(&d, &["--month", "2025-07"]);
    assert_eq!(r["district"], json!({"name": null, "code": null}));
    assert_eq!(r["streets"], 0);
    assert_eq!(
        r["bulletin"][0],
        "截至2025年7月31日，全区尚未登记站点，从业人员0人。"
    );
    assert_eq!(
        r["bulletin"][1],
        "2025年7月，暂无报到、“随手拍”、志愿服务、微心愿和积分记录。"
    );
}

#[test]
fn a_period_crossing_new_year_is_its_own_year_to_date() {
    let d = bulletin_district();
    let r = district_json(&d, &["--from", "2024-12-15", "--to", "2025-01-15"]);
    let period = json!({"from": "2024-12-15", "to": "2025-01-15"});
    assert_eq!(r["period"], period);
    // Never shorter than the period: not 2025-01-01..2025-01-15.
    assert_eq!(r["year_to_date"], period);
    // Every fifth worker of a street checked in on 2024-12-20: 5 + 4 + 3 = 12.
    assert_eq!(r["figures"]["checkins"], 12);
    assert_eq!(r["year_to_date_figures"]["checkins"], 12);
    assert_eq!(r["year_to_date_figures"], r["figures"]);
    // The year-to-date paragraph would repeat the period's: it is left out.
    let bulletin = r["bulletin"].as_array().unwrap();
    assert_eq!(bulletin.len(), 3, "{bulletin:?}");
    // On 2025-01-15 each street i has its 1 + i barbershops and its restaurant.
    let merchants: usize = (0..SPECS.len()).map(|i| 2 + i).sum();
    assert_eq!(
        bulletin[2],
        format!("关爱服务方面，联系爱心商家{merchants}家。")
    );
    assert_eq!(
        bulletin[1],
        "2024年12月15日至2025年1月15日，从业人员报到12人次（12人）。"
    );
    // Within one year, the year to date still starts on 1 January.
    let r = district_json(&d, &["--from", "2025-01-05", "--to", "2025-03-31"]);
    assert_eq!(
        r["year_to_date"],
        json!({"from": "2025-01-01", "to": "2025-03-31"})
    );
}

#[test]
fn one_day_is_worded_on_that_day_and_one_category_is_not_broken_down() {
    let d = bulletin_district();
    // On 2025-07-30 each street had one report, all of category 其他 (approved: a point
    // each), and nothing else.
    let r = district_json(&d, &["--from", "2025-07-30", "--to", "2025-07-30"]);
    assert_eq!(r["figures"]["tips"], 3);
    assert_eq!(r["figures"]["tips_by_category"]["other"], 3);
    assert_eq!(
        r["bulletin"][1],
        "2025年7月30日，3名从业人员通过“随手拍”等方式向社区提供基层治理信息3条；发放积分3分。"
    );
    let en = d
        .nf(&[
            "--lang",
            "en",
            "report",
            "district",
            "--from",
            "2025-07-30",
            "--to",
            "2025-07-30",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(
        en["bulletin"][1],
        "On 30 July 2025, 3 workers passed 3 pieces of governance information to their \
         communities through 随手拍 and other channels; 3 points were earned."
    );
    // A range of days reads from … to ….
    let en = d
        .nf(&[
            "--lang",
            "en",
            "report",
            "district",
            "--from",
            "2025-07-01",
            "--to",
            "2025-07-15",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert!(
        en["bulletin"][1]
            .as_str()
            .unwrap()
            .starts_with("From 1 July 2025 to 15 July 2025, workers checked in "),
        "{}",
        en["bulletin"][1]
    );
}

#[test]
fn periods_outside_2000_to_2099_are_usage_errors() {
    let d = Dir::new();
    // No registry: each is refused before it is opened.
    for (args, msg) in [
        (
            &["--from", "2025-01-01", "--to", "9999-12-31"][..],
            "error: --to 9999-12-31: reports cover 2000-01-01 to 2099-12-31 only\n",
        ),
        (
            &["--from", "1999-12-31", "--to", "2000-01-31"][..],
            "error: --from 1999-12-31: reports cover 2000-01-01 to 2099-12-31 only\n",
        ),
        (
            &["--year", "1999"][..],
            "error: --year 1999: reports cover 2000-01-01 to 2099-12-31 only\n",
        ),
        (
            &["--quarter", "2100Q1"][..],
            "error: --quarter 2100Q1: reports cover 2000-01-01 to 2099-12-31 only\n",
        ),
        (
            &["--month", "1999-12"][..],
            "error: --month 1999-12: reports cover 2000-01-01 to 2099-12-31 only\n",
        ),
        (
            &["--to", "2025-07-31"][..],
            "error: --to needs --from: give the period's first day too, e.g. --from 2025-01-01 \
             --to 2025-07-31\n",
        ),
    ] {
        // The wording of a period is not the report's: asserted in English.
        let mut a = vec!["--lang", "en", "report", "district"];
        a.extend_from_slice(args);
        let o = d.nf(&a).code(2);
        assert_eq!(o.stderr, msg, "{args:?}");
    }
}

#[test]
fn full_width_months_quarters_and_years_are_read() {
    let d = bulletin_district();
    for (args, from, to) in [
        (["--year", "２０２５"], "2025-01-01", "2025-12-31"),
        (["--year", "２０２５年"], "2025-01-01", "2025-12-31"),
        (["--month", "２０２５-０７"], "2025-07-01", "2025-07-31"),
        (["--month", "２０２５　- ０７"], "2025-07-01", "2025-07-31"),
        (["--quarter", "２０２５Ｑ３"], "2025-07-01", "2025-09-30"),
        (["--quarter", "２０２５ q３"], "2025-07-01", "2025-09-30"),
    ] {
        let r = district_json(&d, &args);
        assert_eq!(r["period"], json!({"from": from, "to": to}), "{args:?}");
    }
    let july = district_json(&d, &["--month", "２０２５-０７"]);
    assert_eq!(july["figures"], expected(false));
    // A typed year that is no year still says how to write it.
    assert_eq!(
        d.nf(&["--lang", "en", "report", "district", "--year", "二〇二五"])
            .code(2)
            .stderr,
        "error: --year 二〇二五: not a year — write it as 2025\n"
    );
}

#[test]
fn a_workbook_in_a_missing_folder_or_without_a_name_is_refused() {
    let d = Dir::new();
    d.init();
    let o = d
        .nf(&[
            "report",
            "district",
            "--month",
            "2025-07",
            "--format",
            "xlsx",
            "-o",
            "nodir/x.xlsx",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：-o nodir/x.xlsx：文件夹 nodir 不存在 — 先建好这个文件夹，或换一个位置\n"
    );
    assert!(!d.exists("nodir"));
    let o = d
        .nf(&[
            "--lang",
            "en",
            "report",
            "district",
            "--month",
            "2025-07",
            "--format",
            "xlsx",
            "-o",
            "nodir/x.xlsx",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: -o nodir/x.xlsx: the folder nodir does not exist\n"
    );
    assert!(!d.exists("nodir"));
    let o = d
        .nf(&[
            "report", "district", "--month", "2025-07", "--format", "xlsx", "-o", ".xlsx",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "错误：-o .xlsx：.xlsx 前面没有文件名 — 起个名字，例如 -o 2025-07报表.xlsx\n"
    );
    let o = d
        .nf(&[
            "--lang", "en", "report", "district", "--month", "2025-07", "--format", "xlsx", "-o",
            ".xlsx",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "error: -o .xlsx: the file name is empty before .xlsx — name it, e.g. -o 2025-07报表.xlsx\n"
    );
    assert!(!d.exists(".xlsx"));
}
