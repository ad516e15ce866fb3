//! July, then August, in one registry: what each import says, what the registry then holds,
//! and every figure of `report streets` and `report district` against the test's own count
//! ([`super::tally`]). July's figures do not move when August arrives, and July's exports
//! imported again after August change nothing — though one of July's 手机号 now belongs to
//! the past.

use serde_json::{Value, json};

use super::liuxiang::{
    self, GONE, LEFT_ON, NEW, PEOPLE, PHONE_CHANGED, STATIONS, STREET, id_number, phone,
};
use super::tally;
use crate::util::{Dir, Output, TestCommand, find};

const STATIONS_JULY: &str = "柳巷街道站点台账7月.xlsx";
const WORKERS_JULY: &str = "柳巷街道从业人员台账7月.xlsx";
const WORKERS_AUGUST: &str = "柳巷街道从业人员台账8月.xlsx";
const CHECKINS_JULY: &str = "报到记录导出7月.csv";
const CHECKINS_AUGUST: &str = "报到记录导出8月.csv";
const POINTS_JULY: &str = "积分明细导出7月.xlsx";
const POINTS_AUGUST: &str = "积分明细导出8月.xlsx";
const SERVICES_JULY: &str = "志愿服务台账7月.csv";
const SERVICES_AUGUST: &str = "志愿服务台账8月.csv";

/// `import KIND FILE` of a register of the office: no `--header-row`, no `--map` — the
/// program finds the two-row header beneath the title itself.
fn import_register(d: &Dir, kind: &str, file: &str) -> TestCommand {
    d.nf(&["import", kind, file])
}

/// Imports August's workers register, recording the people of the street on record but absent
/// from it as left on `date`.
fn import_recording_the_missing_as_left(d: &Dir, file: &str, date: &str) -> Output {
    import_register(d, "workers", file)
        .args(&["--missing", "left", "--date", date])
        .ok()
}

/// What an import said after the line naming how the file was read, the time of the earlier
/// import replaced by `…`.
fn said_again(stderr: &str) -> String {
    let said = stderr.split_once('\n').map_or("", |(_, rest)| rest);
    match (said.find("这个文件在 "), said.find(" 已经导入过")) {
        (Some(a), Some(b)) if a < b => {
            format!("{}这个文件在 …{}", &said[..a], &said[b..])
        }
        _ => said.to_string(),
    }
}

/// A 手机号 as output shows it: `138****5678`.
fn masked_phone(p: &str) -> String {
    format!("{}****{}", &p[..3], &p[7..])
}

/// A 身份证号 as output shows it: `140106********1234`.
fn masked_id(id: &str) -> String {
    format!("{}********{}", &id[..6], &id[14..])
}

/// The stored code of a 政治面貌 or 从业类型 as the register writes it.
fn code(label: &str) -> &'static str {
    match label {
        "中共党员" | "党员" => "party_member",
        "中共预备党员" | "预备党员" => "probationary_member",
        "共青团员" | "团员" => "league_member",
        "群众" => "masses",
        "快递员" => "courier",
        "外卖员" | "外卖骑手" => "delivery_rider",
        "货车司机" => "truck_driver",
        "网约车司机" => "ride_hailing_driver",
        other => panic!("no code for {other}"),
    }
}

/// `report streets` of `month` (2025), as JSON.
fn streets_report(d: &Dir, month: u32) -> Value {
    d.nf(&[
        "report",
        "streets",
        "--month",
        &format!("2025-{month:02}"),
        "--format",
        "json",
    ])
    .ok()
    .json()
}

/// `report district` of `month` (2025), as JSON.
fn district_report(d: &Dir, month: u32) -> Value {
    d.nf(&[
        "report",
        "district",
        "--month",
        &format!("2025-{month:02}"),
        "--format",
        "json",
    ])
    .ok()
    .json()
}

/// Both reports of `month` equal the test's count; returns them.
fn reports_equal_the_count(d: &Dir, month: u32) -> (Value, Value) {
    let (from, to) = liuxiang::month_days(month);
    let streets = streets_report(d, month);
    assert_eq!(
        streets,
        tally::streets_report(&from, &to),
        "report streets --month 2025-{month:02}"
    );
    let district = district_report(d, month);
    let (figures, year_to_date) = tally::district_figures(&from, &to);
    assert_eq!(district["figures"], figures, "figures of 2025-{month:02}");
    assert_eq!(
        district["year_to_date_figures"], year_to_date,
        "year to date at 2025-{month:02}"
    );
    assert_eq!(
        district["district"],
        json!({"name": "迎泽区", "code": "140106"})
    );
    assert_eq!(
        district["title"],
        format!("迎泽区新就业群体党建工作简报（2025年{month}月）")
    );
    (streets, district)
}

/// The rows of the tables an import of events may change, and the people: what "nothing
/// changed" is measured on.
fn tables(d: &Dir) -> Vec<Vec<Vec<Option<String>>>> {
    [
        "SELECT * FROM workers ORDER BY id",
        "SELECT * FROM worker_numbers ORDER BY id",
        "SELECT * FROM checkins ORDER BY id",
        "SELECT * FROM point_entries ORDER BY id",
        "SELECT * FROM services ORDER BY id",
    ]
    .iter()
    .map(|q| d.rows(q))
    .collect()
}

/// Everyone on record, those who have left too: `worker list --all --format json --show-pii`.
fn everyone(d: &Dir) -> Vec<Value> {
    d.nf(&["worker", "list", "--all", "--format", "json", "--show-pii"])
        .ok()
        .json_array()
}

/// The 姓名 of the workers `worker list --month 2025-MM` lists (those working on the month's
/// last day), sorted; and those the test counts.
fn listed_in(d: &Dir, month: u32) -> (Vec<String>, Vec<String>) {
    let list = d
        .nf(&[
            "worker",
            "list",
            "--month",
            &format!("2025-{month:02}"),
            "--format",
            "json",
        ])
        .ok()
        .json_array();
    let mut listed: Vec<String> = list
        .iter()
        .map(|w| w["name"].as_str().expect("a name").to_string())
        .collect();
    listed.sort();
    let mut counted: Vec<String> = tally::working_on(&liuxiang::month_days(month).1)
        .into_iter()
        .map(|w| PEOPLE[w].name.to_string())
        .collect();
    counted.sort();
    (listed, counted)
}

/// Every person of the month's register, as `worker list --all --show-pii` shows them after
/// the import: the register's values, cleaned of Excel's damage.
fn registry_holds_the_register(d: &Dir, month: u32) {
    let list = everyone(d);
    for who in liuxiang::register(month) {
        let p = &PEOPLE[who];
        let w = find(&list, "id_number", &id_number(who));
        let expected = json!({
            "name": p.name,
            "gender": if p.gender == "男" { "male" } else { "female" },
            "phone": phone(who, month),
            "political_status": code(p.status),
            "occupation": code(p.occupation),
            "enterprise": p.enterprise,
            "station": p.station.map(|s| STATIONS[s].name),
            "street": STREET,
            "community": p.community,
            "joined_on": p.joined,
            "left_on": null,
            "note": (!p.note.is_empty()).then_some(p.note),
        });
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&w[key], value, "{key} of {}", p.name);
        }
    }
}

/// Writes July's registers and exports into `d`, after `init --district 140106`.
fn july(d: &Dir) {
    d.init();
    liuxiang::write_stations_register(d, STATIONS_JULY);
    liuxiang::write_workers_register(d, WORKERS_JULY, 7);
    liuxiang::write_checkins_export(d, CHECKINS_JULY, 7);
    liuxiang::write_points_export(d, POINTS_JULY, 7);
    liuxiang::write_services_register(d, SERVICES_JULY, 7);
}

/// Imports July's stations and workers registers, as they are, and checks what each import
/// says: every row read under the two-row header, none of the title, 合计 or footer.
fn import_july_registers(d: &Dir) {
    let o = import_register(d, "stations", STATIONS_JULY).ok();
    assert_eq!(
        o.stderr,
        format!(
            "{STATIONS_JULY}: 按 工作表“站点台账”（xlsx） 读取\n\
             {STATIONS_JULY}[站点台账]: 共 {n} 行：新增 {n}，更新 0，未变 0\n",
            n = STATIONS.len()
        )
    );
    let o = import_register(d, "workers", WORKERS_JULY).ok();
    assert_eq!(
        o.stderr,
        format!(
            "{WORKERS_JULY}: 按 工作表“从业人员台账”（xlsx） 读取\n\
             {WORKERS_JULY}[从业人员台账]: 共 {n} 行：新增 {n}，更新 0，未变 0\n",
            n = liuxiang::register(7).len()
        )
    );
}

#[test]
fn july_registers_are_read_under_their_two_row_headers_without_header_row() {
    let d = Dir::new();
    july(&d);
    import_july_registers(&d);
    let list = d
        .nf(&["station", "list", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    assert_eq!(list.len(), STATIONS.len());
    for s in &STATIONS {
        let x = find(&list, "name", s.name);
        assert_eq!(x["street"], STREET, "{}", s.name);
        assert_eq!(x["community"], s.community, "{}", s.name);
        // 联系电话 under the group 联系方式, not 联系人.
        assert_eq!(x["contact_phone"], s.contact_phone, "{}", s.name);
    }
    registry_holds_the_register(&d, 7);
    assert_eq!(
        d.int("SELECT count(*) FROM workers"),
        liuxiang::register(7).len() as i64
    );
}

#[test]
fn july_then_august_every_figure_equals_the_count_of_the_registers() {
    let d = Dir::new();
    july(&d);

    // July: the office's registers, then the platform's exports.
    import_july_registers(&d);
    registry_holds_the_register(&d, 7);
    let n = liuxiang::checkins_exported(7).len();
    let o = d.nf(&["import", "checkins", CHECKINS_JULY]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "{CHECKINS_JULY}: 按 GB18030 (GBK) 读取\n{CHECKINS_JULY}: 共 {n} 行：新增 {n}，更新 0，未变 0\n"
        )
    );
    let n = liuxiang::points_exported(7).len();
    d.nf(&["import", "points", POINTS_JULY])
        .ok()
        .stderr_has(&[&format!(
            "{POINTS_JULY}[Sheet1]: 共 {n} 行：新增 {n}，更新 0，未变 0\n"
        )]);
    let n = liuxiang::services_of(7).len();
    d.nf(&["import", "services", SERVICES_JULY])
        .ok()
        .stderr_has(&[&format!(
            "{SERVICES_JULY}: 共 {n} 行：新增 {n}，更新 0，未变 0\n"
        )]);
    let (july_streets, july_district) = reports_equal_the_count(&d, 7);

    // August: the register again, a month later.
    liuxiang::write_workers_register(&d, WORKERS_AUGUST, 8);
    liuxiang::write_checkins_export(&d, CHECKINS_AUGUST, 8);
    liuxiang::write_points_export(&d, POINTS_AUGUST, 8);
    liuxiang::write_services_register(&d, SERVICES_AUGUST, 8);
    let gone = &PEOPLE[GONE];
    let secrets = [gone.phone.to_string(), id_number(GONE)];
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let shown = format!("{WORKERS_AUGUST}[从业人员台账]");
    let read = format!("{WORKERS_AUGUST}: 按 工作表“从业人员台账”（xlsx） 读取\n");
    let (july, august) = (liuxiang::register(7), liuxiang::register(8));
    let new = august.iter().filter(|w| !july.contains(w)).count();
    let updated = august
        .iter()
        .filter(|&&w| july.contains(&w) && phone(w, 7) != phone(w, 8))
        .count();
    let unchanged = august.len() - new - updated;
    let summary = format!(
        "{shown}: 共 {} 行：新增 {new}，更新 {updated}，未变 {unchanged}",
        liuxiang::register(8).len()
    );
    // The person absent, named with masked numbers, station and street.
    let absent = format!(
        "  {} {} {}，{}（{STREET}）\n",
        gone.name,
        masked_id(&id_number(GONE)),
        masked_phone(gone.phone),
        STATIONS[gone.station.expect("a station")].name
    );
    // Imported as it is (a dry run), the register names the person absent from it, who
    // still counts; nothing is written.
    let before = tables(&d);
    let o = import_register(&d, "workers", WORKERS_AUGUST)
        .args(&["--dry-run"])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "{read}{summary} — 试运行：台账库没有改动\n\
             {shown}: 本台账涵盖的街道（{STREET}）有 1 名在册从业人员不在台账中：\n\
             {absent}\
             他们仍计入从业人员。已离职的：加 --missing left --date 离职日期 一并登记（先加 --dry-run 看会登记谁），或逐人 nuanfeng worker leave 号码 --date 离职日期\n"
        )
    );
    o.hides(&secrets);
    assert_eq!(tables(&d), before, "a dry run writes nothing");
    let o = import_recording_the_missing_as_left(&d, WORKERS_AUGUST, LEFT_ON);
    assert_eq!(
        o.stderr,
        format!(
            "{read}{summary}\n\
             {shown}: 不在台账中的 1 名从业人员已登记为 {LEFT_ON} 离职（本台账涵盖的街道：{STREET}）：\n\
             {absent}"
        )
    );
    o.hides(&secrets);
    registry_holds_the_register(&d, 8);
    let list = everyone(&d);
    assert_eq!(list.len(), PEOPLE.len());
    assert_eq!(find(&list, "name", gone.name)["left_on"], LEFT_ON);
    assert_eq!(
        find(&list, "name", PEOPLE[NEW].name)["joined_on"],
        PEOPLE[NEW].joined
    );
    // The 手机号 the person had before is kept.
    let (changed, new_phone) = PHONE_CHANGED;
    assert_eq!(
        find(&list, "name", PEOPLE[changed].name)["phone"],
        new_phone
    );
    assert_eq!(
        d.rows(&format!(
            "SELECT w.name, n.kind, n.number FROM worker_numbers n JOIN workers w ON w.id = n.worker_id \
             WHERE n.number = '{}'",
            PEOPLE[changed].phone
        )),
        [crate::util::some(&[PEOPLE[changed].name, "phone", PEOPLE[changed].phone])]
    );

    // August's exports hold July's last week again, with the new 手机号.
    let rows = liuxiang::checkins_exported(8);
    let again = rows.iter().filter(|c| c.date < "2025-08-01").count();
    assert!(
        rows.iter()
            .any(|c| c.who == changed && c.date < "2025-08-01"),
        "the export repeats a July check-in of the person with the new number"
    );
    let (n, new) = (rows.len(), rows.len() - again);
    let o = d.nf(&["import", "checkins", CHECKINS_AUGUST]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "{CHECKINS_AUGUST}: 按 GB18030 (GBK) 读取\n{CHECKINS_AUGUST}: 共 {n} 行：新增 {new}，更新 0，未变 {again}\n"
        )
    );
    let rows = liuxiang::points_exported(8);
    let again = rows.iter().filter(|p| p.date < "2025-08-01").count();
    let (n, new) = (rows.len(), rows.len() - again);
    d.nf(&["import", "points", POINTS_AUGUST])
        .ok()
        .stderr_has(&[&format!(
            "{POINTS_AUGUST}[Sheet1]: 共 {n} 行：新增 {new}，更新 0，未变 {again}\n"
        )]);
    let n = liuxiang::services_of(8).len();
    d.nf(&["import", "services", SERVICES_AUGUST])
        .ok()
        .stderr_has(&[&format!(
            "{SERVICES_AUGUST}: 共 {n} 行：新增 {n}，更新 0，未变 0\n"
        )]);

    // July's exports again, after August: nothing new, nothing changed.
    let before = tables(&d);
    for (kind, file, n, shown) in [
        (
            "checkins",
            CHECKINS_JULY,
            liuxiang::checkins_exported(7).len(),
            CHECKINS_JULY.to_string(),
        ),
        (
            "points",
            POINTS_JULY,
            liuxiang::points_exported(7).len(),
            format!("{POINTS_JULY}[Sheet1]"),
        ),
        (
            "services",
            SERVICES_JULY,
            liuxiang::services_of(7).len(),
            SERVICES_JULY.to_string(),
        ),
    ] {
        let o = d.nf(&["import", kind, file]).ok();
        assert_eq!(
            said_again(&o.stderr),
            format!(
                "{shown}: 共 {n} 行：新增 0，更新 0，未变 {n}\n\
                 {shown}: 这个文件在 … 已经导入过（当时名为 {shown}）；没有变化\n"
            )
        );
    }
    assert_eq!(
        tables(&d),
        before,
        "July's exports imported again change nothing"
    );

    // July's figures are what they were before August, and what the test counts.
    let (streets, district) = reports_equal_the_count(&d, 7);
    assert_eq!(streets, july_streets, "July's street figures after August");
    assert_eq!(
        district, july_district,
        "July's district report after August"
    );
    reports_equal_the_count(&d, 8);
    let (september, _) = reports_equal_the_count(&d, 9);

    // The person gone counts in July's 从业人员 and not in September's; the new one from
    // August. (The day of leaving still counts: the gone one is listed on 2025-08-31.)
    for month in [7, 8, 9] {
        let (listed, counted) = listed_in(&d, month);
        assert_eq!(listed, counted, "worker list --month 2025-{month:02}");
        assert_eq!(
            listed.iter().any(|n| n == gone.name),
            month <= 8,
            "{} in 2025-{month:02}",
            gone.name
        );
        assert_eq!(
            listed.iter().any(|n| n == PEOPLE[NEW].name),
            month >= 8,
            "{} in 2025-{month:02}",
            PEOPLE[NEW].name
        );
    }
    let workers = |r: &Value| r["total"]["workers"].as_i64().expect("a count");
    assert_eq!(workers(&july_streets), listed_in(&d, 7).1.len() as i64);
    assert_eq!(workers(&september), listed_in(&d, 9).1.len() as i64);

    // Everyone's points: earned, redeemed, balance.
    let balances = d
        .nf(&["points", "balance", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    let expected = tally::balances("2025-08-31");
    assert_eq!(balances.len(), expected.len());
    for (who, earned, redeemed, balance, lowest) in expected {
        assert!(lowest >= 0, "test data: {} overdraws", PEOPLE[who].name);
        let b = find(&balances, "name", PEOPLE[who].name);
        assert_eq!(
            (&b["earned"], &b["redeemed"], &b["balance"]),
            (&json!(earned), &json!(redeemed), &json!(balance)),
            "points of {}",
            PEOPLE[who].name
        );
    }
}
