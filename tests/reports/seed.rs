//! The seed of the project: the report 迎泽区 wrote in July 2025 — 24 courier stations with 457
//! workers, 15 logistics firms with 63, 18 instructors sent to every station, 152 暖蜂驿站, 262
//! check-ins, 128 workers who sent 259 pieces of governance information by 随手拍 (安全隐患,
//! 环境卫生, 矛盾纠纷, 不文明行为, 占道经营), 161 volunteer person-times, 138 suggestions, 98
//! problems solved, 352 wishes, 7 最美快递员 and 3 最美外卖员 — built from registers made here
//! and imported the documented way (`import KIND FILE`), with the instructors registered
//! without 选派日期 and the industry committee without 成立日期. Every figure of
//! `report district --from 2025-01-01 --to 2025-07-15 --format json` and each sentence of the
//! bulletin is asserted; the expected values come from the counts below, not from the
//! program's output.
//!
//! The district: 迎泽区's seven streets (`init --district 140106`); 柳巷街道 has 3 courier
//! stations, 1 rider hub and 60 workers (50 at the courier stations, 10 at the rider hub).

use serde_json::{Value, json};

use crate::util::{Dir, YINGZE};

/// Per street (in [`YINGZE`] order): courier stations, logistics firms, rider hubs, rest
/// stations, workers at the courier stations, at the logistics firms, at the rider hubs.
const STREETS: [[usize; 7]; 7] = [
    [3, 0, 1, 20, 50, 0, 10],
    [4, 3, 0, 22, 68, 13, 0],
    [4, 2, 0, 22, 68, 8, 0],
    [4, 3, 0, 22, 68, 13, 0],
    [3, 2, 0, 22, 68, 8, 0],
    [3, 2, 0, 22, 68, 8, 0],
    [3, 3, 0, 22, 67, 13, 0],
];

/// Instructors of each street: 18 in all, each registered for a share of its street's
/// stations, every station once.
const INSTRUCTORS: [usize; 7] = [2, 3, 3, 3, 3, 2, 2];

/// The governance information: (category as the district writes it, JSON key, reports).
const GOVERNANCE: [(&str, &str, usize); 5] = [
    ("安全隐患", "safety_hazard", 80),
    ("环境卫生", "sanitation", 60),
    ("矛盾纠纷", "dispute", 45),
    ("不文明行为", "incivility", 40),
    ("占道经营", "street_vending", 34),
];

/// Workers who sent governance information: the first 128; report t is by worker t % 128.
const GOVERNANCE_REPORTERS: usize = 128;
/// Reports resolved (已办结, on 2025-07-01): the first 98.
const RESOLVED: usize = 98;
/// Suggestions: one each by workers 300..438.
const SUGGESTIONS: usize = 138;
/// Check-ins: workers 0..131 check in on 2025-03-10 and 2025-07-05.
const CHECKIN_WORKERS: usize = 131;
/// Volunteer services: one hour each by workers 200..361, on 2025-05-20.
const SERVICES: usize = 161;
/// Wishes fulfilled on 2025-06-01: one each by workers 0..352.
const WISHES: usize = 352;

/// Station names: `柳巷快递站1`, `柳巷物流1`, `柳巷骑手站1`, `柳巷暖蜂驿站1`.
fn short(street: &str) -> &str {
    street
        .strip_suffix("街道")
        .or_else(|| street.strip_suffix('镇'))
        .unwrap_or(street)
}

/// One worker as registered: name, 手机号, station, street, occupation.
struct Worker {
    name: String,
    phone: String,
    station: String,
    street: &'static str,
    occupation: &'static str,
}

/// A distinct, valid Chinese name for the i-th worker.
fn name(i: usize) -> String {
    const SURNAMES: [char; 10] = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
    const GIVEN: [char; 30] = [
        '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明',
        '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '萍', '红', '娟', '建', '文', '辉',
    ];
    format!(
        "{}{}{}",
        SURNAMES[i % 10],
        GIVEN[(i / 10) % 30],
        GIVEN[(i / 300) % 30]
    )
}

/// Every station of a street, workplaces first: (name, kind, enterprise).
fn stations_of(street: &str, s: &[usize; 7]) -> Vec<(String, &'static str, &'static str)> {
    let mut v = Vec::new();
    let p = short(street);
    for n in 0..s[0] {
        v.push((format!("{p}快递站{}", n + 1), "快递站点", "中通快递"));
    }
    for n in 0..s[1] {
        v.push((format!("{p}物流{}", n + 1), "物流企业", "德邦快递"));
    }
    for n in 0..s[2] {
        v.push((format!("{p}骑手站{}", n + 1), "外卖员集合点", "美团"));
    }
    for n in 0..s[3] {
        v.push((format!("{p}暖蜂驿站{}", n + 1), "暖蜂驿站", ""));
    }
    v
}

/// The workers, street by street: at the courier stations, the logistics firms, the rider
/// hubs, each kind's workers spread over its stations in turn.
fn workers() -> Vec<Worker> {
    let mut v = Vec::new();
    for ((_, street), s) in YINGZE.iter().zip(&STREETS) {
        let p = short(street);
        let kinds = [
            (s[4], s[0], "快递站", "快递员"),
            (s[5], s[1], "物流", "快递员"),
            (s[6], s[2], "骑手站", "外卖员"),
        ];
        for (count, stations, station, occupation) in kinds {
            for k in 0..count {
                let i = v.len();
                v.push(Worker {
                    name: name(i),
                    phone: format!("139{i:08}"),
                    station: format!("{p}{station}{}", k % stations + 1),
                    street,
                    occupation,
                });
            }
        }
    }
    v
}

/// A party member: every 13th worker.
fn member(i: usize) -> bool {
    i.is_multiple_of(13)
}

fn csv(header: &str, rows: impl IntoIterator<Item = String>) -> String {
    let mut s = format!("{header}\n");
    for r in rows {
        s.push_str(&r);
        s.push('\n');
    }
    s
}

/// The district, imported through the real binary.
fn seed_district() -> Dir {
    let d = Dir::new();
    d.init();
    let ws = workers();
    let mut stations = Vec::new();
    let mut instructors = Vec::new();
    for (((_, street), s), n) in YINGZE.iter().zip(&STREETS).zip(INSTRUCTORS) {
        let all = stations_of(street, s);
        for (name, kind, firm) in &all {
            stations.push(format!(
                "{name},{kind},{firm},太原市迎泽区{}路{}号,{street}",
                short(street),
                stations.len() + 1
            ));
        }
        for k in 0..n {
            let mine: Vec<&str> = all
                .iter()
                .enumerate()
                .filter(|(j, _)| j % n == k)
                .map(|(_, st)| st.0.as_str())
                .collect();
            let i = instructors.len();
            instructors.push(format!(
                "{},1370000{i:04},{street},{street}党工委,{}",
                name(9000 + i),
                mine.join("、")
            ));
        }
    }
    let liuxiang: Vec<String> = stations_of("柳巷街道", &STREETS[0])
        .into_iter()
        .filter(|(_, kind, _)| *kind != "暖蜂驿站")
        .map(|(n, _, _)| n)
        .collect();
    let orgs = vec![format!(
        "迎泽区快递物流行业党委,行业党委,,,,韩卫东,{}",
        liuxiang.join("、")
    )];
    let worker_rows = ws.iter().enumerate().map(|(i, w)| {
        let status = if member(i) { "中共党员" } else { "群众" };
        format!(
            "{},{},{status},{},{},{}",
            w.name, w.phone, w.occupation, w.station, w.street
        )
    });
    let mut checkins = Vec::new();
    for w in &ws[..CHECKIN_WORKERS] {
        for day in ["2025-03-10", "2025-07-05"] {
            checkins.push(format!("{},{day},{},日常报到", w.phone, w.street));
        }
    }
    // After the period: not counted.
    for w in &ws[..5] {
        checkins.push(format!("{},2025-07-20,{},日常报到", w.phone, w.street));
    }
    let services = ws[200..200 + SERVICES]
        .iter()
        .map(|w| format!("{},2025-05-20,创城志愿巡查,60分钟,{}", w.phone, w.street));
    let mut tips = Vec::new();
    let mut t = 0;
    for (label, _, n) in GOVERNANCE {
        for _ in 0..n {
            let w = &ws[t % GOVERNANCE_REPORTERS];
            let (status, resolved) = if t < RESOLVED {
                ("已办结", "2025-07-01")
            } else {
                ("待审核", "")
            };
            tips.push(format!(
                "{},2025-06-{:02},{label},{}{label}第{}件,{},{status},{resolved}",
                w.phone,
                t % 28 + 1,
                short(w.street),
                t + 1,
                w.street
            ));
            t += 1;
        }
    }
    for (k, w) in ws[300..300 + SUGGESTIONS].iter().enumerate() {
        tips.push(format!(
            "{},2025-04-15,意见建议,建议增设快递车辆临时停车位第{}条,{},待审核,",
            w.phone,
            k + 1,
            w.street
        ));
    }
    // After the period: not counted.
    tips.push(format!(
        "{},2025-07-20,安全隐患,柳巷井盖破损,柳巷街道,待审核,",
        ws[0].phone
    ));
    let mut wishes: Vec<String> = ws[..WISHES]
        .iter()
        .map(|w| format!("{},电动车头盔,2025-03-01,2025-06-01,迎泽区团委", w.phone))
        .collect();
    wishes.push(format!("{},儿童书包,2025-03-01,,", ws[400].phone));
    // 7 最美快递员 at the courier stations of 文庙, 3 最美外卖员 at 柳巷's rider hub, and one
    // of 2024 (a year the period does not touch).
    let mut awards: Vec<String> = ws[60..67]
        .iter()
        .map(|w| format!("{},{},最美快递员,2025", w.name, w.phone))
        .collect();
    awards.extend(
        ws[50..53]
            .iter()
            .map(|w| format!("{},{},最美外卖员,2025", w.name, w.phone)),
    );
    awards.push(format!("{},{},最美快递员,2024", ws[70].name, ws[70].phone));
    let files: [(&str, String); 9] = [
        (
            "stations",
            csv("站点名称,站点类型,所属企业,地址,所属街道", stations),
        ),
        (
            "orgs",
            csv(
                "党组织名称,类型,上级党组织,所属街道,成立日期,书记,覆盖站点",
                orgs,
            ),
        ),
        (
            "instructors",
            csv("姓名,手机号,所属街道,工作单位,负责站点", instructors),
        ),
        (
            "workers",
            csv(
                "姓名,手机号,政治面貌,从业类型,所属站点,所属街道",
                worker_rows,
            ),
        ),
        ("checkins", csv("手机号,报到日期,报到街道,事项", checkins)),
        (
            "services",
            csv("手机号,服务日期,活动名称,服务时长,服务街道", services),
        ),
        (
            "tips",
            csv("手机号,上报日期,类别,内容,街道,状态,办结日期", tips),
        ),
        (
            "wishes",
            csv("手机号,心愿内容,登记日期,实现日期,认领人", wishes),
        ),
        ("awards", csv("姓名,手机号,荣誉称号,年度", awards)),
    ];
    for (kind, text) in &files {
        let file = format!("{kind}.csv");
        d.write(&file, text);
        d.nf(&["import", kind, &file]).ok();
    }
    d
}

/// Every figure of the seed district from 2025-01-01 to 2025-07-15, worked out from the
/// counts above.
fn expected() -> Value {
    let sum = |k: usize| STREETS.iter().map(|s| s[k]).sum::<usize>();
    let workplaces = sum(0) + sum(1) + sum(2);
    let workers = sum(4) + sum(5) + sum(6);
    let governance: usize = GOVERNANCE.iter().map(|g| g.2).sum();
    let mut by_category: serde_json::Map<String, Value> = GOVERNANCE
        .iter()
        .map(|(_, key, n)| (key.to_string(), json!(n)))
        .collect();
    by_category.insert("suggestion".into(), json!(SUGGESTIONS));
    by_category.insert("other".into(), json!(0));
    // The committee covers 柳巷's 3 courier stations and its rider hub.
    let org_covered = 4;
    let mut want = json!({
        "street": "合计",
        "street_code": null,
        "stations": workplaces + sum(3),
        "workers": workers,
        "party_members": (0..workers).filter(|i| member(*i)).count(),
        "checkins": 2 * CHECKIN_WORKERS,
        "checkin_workers": CHECKIN_WORKERS,
        // 1 point per volunteer hour, 1 per resolved (approved) report, on its date.
        "points_earned": SERVICES + RESOLVED,
        "points_redeemed": 0,
        "workplaces": workplaces,
        "org_covered": org_covered,
        "org_coverage_rate": 10.0,
        "with_instructor": workplaces,
        "work_coverage_rate": 100.0,
        "mobile_members": 0,
        "courier_stations": sum(0),
        "logistics_firms": sum(1),
        "rider_hubs": sum(2),
        "rest_stations": sum(3),
        "courier_station_workers": sum(4),
        "logistics_firm_workers": sum(5),
        "probationary_members": 0,
        "instructors": INSTRUCTORS.iter().sum::<usize>(),
        "party_orgs": 1,
        "services": SERVICES,
        "service_workers": SERVICES,
        "service_hours": SERVICES as f64,
        "service_minutes": SERVICES * 60,
        "tips": governance + SUGGESTIONS,
        "tips_by_category": by_category,
        // The governance reporters (workers 0..128) and the suggesters (300..438) are apart.
        "tip_reporters": GOVERNANCE_REPORTERS + SUGGESTIONS,
        "suggestions": SUGGESTIONS,
        "tips_resolved": RESOLVED,
        "wishes_fulfilled": WISHES,
        "admitted": 0,
        // The seed district registers no partner merchant.
        "partner_merchants": 0,
        "governance_reports": governance,
        "governance_reporters": GOVERNANCE_REPORTERS,
        "awards": {"最美快递员": 7, "最美外卖员": 3},
        // The seed district records no 关爱活动 (tests/records/activities.rs counts them).
        "care_activities": 0,
        "care_participants": 0,
        "care_workers": 0,
    });
    // The seed district keeps no gift shop (more keys would pass serde_json's macro limit).
    want["gifts_redeemed"] = json!(0);
    want["gift_orders_pending"] = json!(0);
    want
}

#[test]
fn the_seed_district_is_reported_figure_by_figure_and_in_the_district_s_sentences() {
    // The seed's own numbers, before any program runs.
    let want = expected();
    for (key, n) in [
        ("courier_stations", 24),
        ("courier_station_workers", 457),
        ("logistics_firms", 15),
        ("logistics_firm_workers", 63),
        ("instructors", 18),
        ("rest_stations", 152),
        ("checkins", 262),
        ("governance_reporters", 128),
        ("governance_reports", 259),
        ("services", 161),
        ("suggestions", 138),
        ("tips_resolved", 98),
        ("wishes_fulfilled", 352),
    ] {
        assert_eq!(want[key], n, "the seed's {key}");
    }
    assert_eq!(
        STREETS[0][0] + STREETS[0][2],
        4,
        "柳巷: 3 courier stations, 1 rider hub"
    );
    assert_eq!(
        STREETS[0][4] + STREETS[0][5] + STREETS[0][6],
        60,
        "柳巷's workers"
    );

    let d = seed_district();
    let r = d
        .nf(&[
            "report",
            "district",
            "--from",
            "2025-01-01",
            "--to",
            "2025-07-15",
            "--format",
            "json",
        ])
        .ok()
        .json();
    for (k, v) in want.as_object().expect("an object") {
        assert_eq!(&r["figures"][k], v, "figures.{k}");
    }
    assert_eq!(r["figures"], want, "no other keys");
    // The period starts on 1 January: it is its own year to date.
    assert_eq!(r["year_to_date_figures"], want);
    assert_eq!(r["as_of"], "2025-07-15");
    assert_eq!(
        r["undated"],
        json!({"instructor_assignments": 192, "org_coverage": 4, "party_orgs": 1})
    );
    assert_eq!(
        r["note"],
        "说明：以下未填日期的记录按整个统计期有效计入：未填选派日期的指导员负责站点192个、\
         未填成立日期的党组织覆盖站点4个、未填成立日期的党组织1个。"
    );
    let b: Vec<&str> = r["bulletin"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| p.as_str().expect("text"))
        .collect();
    assert_eq!(
        b,
        [
            "截至2025年7月15日，迎泽区共有快递站点24个、物流企业15家、外卖员集合点1个、暖蜂驿站152个，\
             从业人员530人，其中党员41人；建立党组织1个，组织覆盖率10.0%，工作覆盖率100.0%，\
             选派党建工作指导员18名。",
            "2025年1月1日至7月15日，从业人员报到262人次（131人）；128名从业人员通过“随手拍”等方式\
             向社区提供基层治理信息259条，包括安全隐患、环境卫生、矛盾纠纷、不文明行为、占道经营等内容；\
             参与志愿服务161人次（161名志愿者、161小时），提出意见建议138条，协助解决问题隐患98个；\
             实现微心愿352个；发放积分259分。",
            "2025年度，评选出7名“最美快递员”和3名“最美外卖员”。",
        ]
    );
    assert_eq!(want["workers"], 530);
    assert_eq!(want["party_members"], 41);

    // The terminal report prints the note after the bulletin, then the ledger digest.
    let table = d
        .nf(&[
            "report",
            "district",
            "--from",
            "2025-01-01",
            "--to",
            "2025-07-15",
        ])
        .ok();
    let (body, digest) = table.stdout.trim_end().rsplit_once("\n\n").unwrap();
    assert!(digest.starts_with("账本摘要 "), "{digest}");
    assert!(
        body.ends_with(
            "2025年度，评选出7名“最美快递员”和3名“最美外卖员”。\n\n说明：以下未填日期的记录按\
             整个统计期有效计入：未填选派日期的指导员负责站点192个、未填成立日期的党组织覆盖站点4个、\
             未填成立日期的党组织1个。"
        ),
        "{}",
        table.stdout
    );

    // A period before the day of import still has the instructors (undated: in force
    // throughout), and one not yet ended is counted as of today and says so.
    let early = d
        .nf(&[
            "report", "district", "--month", "2024-03", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(early["figures"]["instructors"], 18);
    assert_eq!(early["figures"]["work_coverage_rate"], 100.0);
    assert_eq!(early["figures"]["awards"], json!({"最美快递员": 1}));
    let later = d
        .nf(&[
            "report",
            "district",
            "--from",
            "2099-01-01",
            "--to",
            "2099-12-31",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let today = chrono::Local::now().date_naive();
    assert_eq!(later["as_of"], today.to_string());
    assert_eq!(later["figures"]["instructors"], 18);
    let opening = format!(
        "截至{}年{}月{}日（统计期尚未开始），迎泽区",
        today.format("%Y"),
        today.format("%-m"),
        today.format("%-d")
    );
    assert!(
        later["bulletin"][0]
            .as_str()
            .expect("text")
            .starts_with(&opening),
        "{}",
        later["bulletin"][0]
    );
}

#[test]
fn an_undated_assignment_counts_throughout_until_a_register_gives_its_day() {
    let d = Dir::new();
    d.init();
    d.write(
        "stations.csv",
        "站点名称,站点类型,所属企业,地址,所属街道\n\
         柳巷快递站1,快递站点,中通快递,太原市迎泽区柳巷路1号,柳巷街道\n\
         柳巷骑手站1,外卖员集合点,美团,太原市迎泽区柳巷路2号,柳巷街道\n",
    );
    d.nf(&["import", "stations", "stations.csv"]).ok();
    d.write(
        "instructors.csv",
        "姓名,手机号,所属街道,工作单位,负责站点,选派日期\n\
         王秀芳,13935101000,柳巷街道,柳巷街道党工委,柳巷快递站1、柳巷骑手站1,\n",
    );
    d.nf(&["import", "instructors", "instructors.csv"]).ok();
    let month = |m: &str| {
        d.nf(&["report", "district", "--month", m, "--format", "json"])
            .ok()
            .json()
    };
    // Years before the import: in force throughout.
    let r = month("2024-01");
    assert_eq!(r["figures"]["instructors"], 1);
    assert_eq!(r["figures"]["with_instructor"], 2);
    assert_eq!(r["undated"]["instructor_assignments"], 2);
    assert_eq!(
        r["note"],
        "说明：以下未填日期的记录按整个统计期有效计入：未填选派日期的指导员负责站点2个。"
    );
    // The register, sent again with its 选派日期: dated from that day, as any dated one.
    d.write(
        "instructors.csv",
        "姓名,手机号,所属街道,工作单位,负责站点,选派日期\n\
         王秀芳,13935101000,柳巷街道,柳巷街道党工委,柳巷快递站1、柳巷骑手站1,2025-03-01\n",
    );
    d.nf(&["import", "instructors", "instructors.csv"]).ok();
    let r = month("2024-01");
    assert_eq!(r["figures"]["instructors"], 0);
    assert_eq!(r["figures"]["with_instructor"], 0);
    assert_eq!(r["undated"]["instructor_assignments"], 0);
    assert_eq!(r["note"], Value::Null);
    assert_eq!(month("2025-02")["figures"]["instructors"], 0);
    assert_eq!(month("2025-03")["figures"]["instructors"], 1);

    // A period not yet ended: the period line says the stock is today's.
    let today = chrono::Local::now().date_naive();
    let o = d
        .nf(&[
            "report",
            "streets",
            "--from",
            "2025-01-01",
            "--to",
            "2099-12-31",
        ])
        .ok();
    assert_eq!(
        o.stderr.lines().next(),
        Some(format!("2025-01-01 – 2099-12-31（统计期尚未结束，存量指标截至 {today}）").as_str()),
        "{}",
        o.stderr
    );
}
