//! `report streets --format xlsx -o FILE`: the workbook, read back with calamine (every
//! figure a number equal to the JSON report's) and opened as a zip (the chart and the frozen
//! panes); the refusals (an existing file, xlsx without `-o`, `-o` without xlsx); `--compare`,
//! `--monthly` and `--lang en`.
//!
//! The district: `init --district 140106` (seven streets), the coverage registers of
//! `tests/fixtures/coverage/` (stations, organizations, instructors, workers: coverage rates
//! such as 76.9%), and the events of `tests/fixtures/workbook/`: check-ins (柳巷 2 in June,
//! 4 in July; 文庙 2 in July, 1 in August; 庙前 1 in July), 随手拍 reports (柳巷 2 and 文庙 1
//! in July, 庙前 1 in June) and volunteer service (柳巷 90 minutes, 文庙 30, in July).

use std::io::Read;
use std::path::Path;

use calamine::{Data, Range, Reader, open_workbook_auto};
use serde_json::Value;

use crate::util::{self, Dir, coverage_district};
use Kind::{Count, Hours, Rate};

/// How a column shows its JSON figure.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A whole number.
    Count,
    /// Hours with one decimal.
    Hours,
    /// A percentage in JSON (76.9), a fraction in the workbook (0.769).
    Rate,
}

/// The columns after 街道 and 区划代码, in order: Chinese and English header, the JSON key
/// (`a/b` for a nested one), and the kind.
const COLUMNS: [(&str, &str, &str, Kind); 44] = [
    ("站点", "Stations", "stations", Count),
    ("快递站点", "Courier stations", "courier_stations", Count),
    ("物流企业", "Logistics firms", "logistics_firms", Count),
    ("外卖员集合点", "Rider hubs", "rider_hubs", Count),
    ("暖蜂驿站", "Rest stations", "rest_stations", Count),
    ("从业人员", "Workers", "workers", Count),
    (
        "快递站点从业人员",
        "Courier-station workers",
        "courier_station_workers",
        Count,
    ),
    (
        "物流企业从业人员",
        "Logistics-firm workers",
        "logistics_firm_workers",
        Count,
    ),
    ("党员", "Party members", "party_members", Count),
    (
        "预备党员",
        "Probationary members",
        "probationary_members",
        Count,
    ),
    ("流动党员", "Mobile members", "mobile_members", Count),
    ("新发展党员", "Admitted", "admitted", Count),
    ("党组织", "Party organizations", "party_orgs", Count),
    ("指导员", "Instructors", "instructors", Count),
    ("报到人次", "Check-ins", "checkins", Count),
    ("报到人数", "Checked in", "checkin_workers", Count),
    ("志愿服务人次", "Volunteer services", "services", Count),
    ("志愿者人数", "Volunteers", "service_workers", Count),
    (
        "志愿服务时长(小时)",
        "Volunteer hours",
        "service_hours",
        Hours,
    ),
    (
        "志愿服务时长(分钟)",
        "Volunteer minutes",
        "service_minutes",
        Count,
    ),
    ("随手拍", "Reports", "tips", Count),
    (
        "安全隐患",
        "Safety hazards",
        "tips_by_category/safety_hazard",
        Count,
    ),
    (
        "卫生死角",
        "Sanitation",
        "tips_by_category/sanitation",
        Count,
    ),
    ("矛盾纠纷", "Disputes", "tips_by_category/dispute", Count),
    (
        "不文明现象",
        "Incivility",
        "tips_by_category/incivility",
        Count,
    ),
    (
        "占道经营",
        "Street vending",
        "tips_by_category/street_vending",
        Count,
    ),
    ("意见建议", "Suggestions", "suggestions", Count),
    ("其他", "Other reports", "tips_by_category/other", Count),
    ("上报人数", "Reporters", "tip_reporters", Count),
    ("办结", "Resolved", "tips_resolved", Count),
    ("微心愿实现", "Wishes fulfilled", "wishes_fulfilled", Count),
    ("积分发放", "Points earned", "points_earned", Count),
    ("积分兑换", "Points redeemed", "points_redeemed", Count),
    ("关爱活动", "Care activities", "care_activities", Count),
    (
        "关爱服务人次",
        "Care person-times",
        "care_participants",
        Count,
    ),
    (
        "参加关爱活动人数",
        "Workers in care activities",
        "care_workers",
        Count,
    ),
    ("爱心商家", "Partner merchants", "partner_merchants", Count),
    (
        "积分兑换礼品（件）",
        "Gifts redeemed (items)",
        "gifts_redeemed",
        Count,
    ),
    (
        "待领取兑换订单",
        "Gift orders pending",
        "gift_orders_pending",
        Count,
    ),
    ("阵地", "Workplaces", "workplaces", Count),
    ("党组织覆盖", "Covered", "org_covered", Count),
    ("组织覆盖率", "Org coverage", "org_coverage_rate", Rate),
    ("有指导员", "With instructor", "with_instructor", Count),
    ("工作覆盖率", "Work coverage", "work_coverage_rate", Rate),
];

/// The district described at the top.
fn workbook_district() -> Dir {
    let d = coverage_district();
    d.import("checkins", "workbook/checkins.csv")
        .stderr_has(&["共 10 行：新增 10"]);
    d.import("tips", "workbook/tips.csv")
        .stderr_has(&["共 4 行：新增 4"]);
    d.import("services", "workbook/services.csv")
        .stderr_has(&["共 2 行：新增 2"]);
    d
}

/// `report streets ARGS --format json`.
fn json(d: &Dir, args: &[&str]) -> Value {
    let mut a = vec!["report", "streets"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    d.nf(&a).ok().json()
}

/// The names of a workbook's sheets, in order.
fn sheets(path: &Path) -> Vec<String> {
    open_workbook_auto(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
        .sheet_names()
}

/// One sheet of a workbook.
fn sheet(path: &Path, name: &str) -> Range<Data> {
    open_workbook_auto(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name} of {}: {e}", path.display()))
}

/// The cell at a 0-based row and column (empty when nothing is there).
fn at(s: &Range<Data>, row: u32, col: u32) -> Data {
    s.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// A file inside the workbook's zip, as text.
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open the workbook");
    let mut zip = zip::ZipArchive::new(file).expect("the workbook is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name} in {}: {e}", path.display()))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

/// The figure `key` (`a/b` for a nested one) of a JSON row.
fn figure<'a>(row: &'a Value, key: &str) -> &'a Value {
    key.split('/').fold(row, |v, k| &v[k])
}

/// Asserts that the workbook's row `r` (from column `c0`: street, code, figures) holds the
/// JSON row `want`, every figure a number; `name` is the street cell expected.
fn assert_row(s: &Range<Data>, r: u32, c0: u32, want: &Value, name: &str) {
    assert_eq!(at(s, r, c0), Data::String(name.into()), "row {r}");
    match want["street_code"].as_str() {
        Some(code) => assert_eq!(at(s, r, c0 + 1), Data::String(code.into()), "{name}"),
        None => assert_eq!(at(s, r, c0 + 1), Data::Empty, "{name}"),
    }
    for (i, (zh, _, key, kind)) in COLUMNS.iter().enumerate() {
        let got = at(s, r, c0 + 2 + i as u32);
        let json = figure(want, key);
        let want = match (kind, json) {
            (Rate, Value::Null) => {
                assert_eq!(got, Data::Empty, "{name} {zh}: no rate, an empty cell");
                continue;
            }
            (Rate, v) => v.as_f64().expect("a rate") / 100.0,
            (Hours, v) => v.as_f64().expect("hours"),
            (Count, v) => v.as_i64().expect("a count") as f64,
        };
        match got {
            Data::Float(v) => assert!((v - want).abs() < 1e-9, "{name} {zh}: {v} ≠ {want}"),
            other => panic!("{name} {zh}: {other:?} is no number (want {want})"),
        }
    }
}

/// Asserts a per-street sheet: title with the period, headers, every street, the total.
fn assert_streets_sheet(s: &Range<Data>, report: &Value, title: &str) {
    let from = report["period"]["from"].as_str().unwrap();
    let to = report["period"]["to"].as_str().unwrap();
    assert_eq!(
        at(s, 0, 0),
        Data::String(format!("{title}（{from} 至 {to}）"))
    );
    assert_eq!(at(s, 1, 0), Data::String("街道".into()));
    assert_eq!(at(s, 1, 1), Data::String("区划代码".into()));
    for (i, (zh, ..)) in COLUMNS.iter().enumerate() {
        assert_eq!(at(s, 1, 2 + i as u32), Data::String((*zh).into()));
    }
    assert_eq!(
        s.end(),
        Some((9, 45)),
        "7 streets and the total, 46 columns"
    );
    let streets = report["streets"].as_array().unwrap();
    assert_eq!(streets.len(), 7);
    for (i, row) in streets.iter().enumerate() {
        assert_row(s, 2 + i as u32, 0, row, row["street"].as_str().unwrap());
    }
    assert_row(s, 9, 0, &report["total"], "合计");
}

#[test]
fn the_workbook_holds_every_figure_of_the_json_report_as_numbers() {
    let d = workbook_district();
    let report = json(&d, &["--month", "2025-07"]);
    let out = d
        .nf(&[
            "report",
            "streets",
            "--month",
            "2025-07",
            "--format",
            "xlsx",
            "-o",
            "2025-07报表.xlsx",
        ])
        .ok();
    assert_eq!(out.stdout, "");
    out.stderr_has(&["已写入 2025-07报表.xlsx：7 个街道，工作表：简报、各街道、图表\n"]);
    let path = d.join("2025-07报表.xlsx");
    assert_eq!(sheets(&path), ["简报", "各街道", "图表"]);
    let s = sheet(&path, "各街道");
    assert_streets_sheet(&s, &report, "各街道新就业群体党建工作情况");

    // Figures worked out from the fixtures, not only copied from the JSON.
    assert_eq!(at(&s, 2, 16), Data::Float(4.0), "柳巷 check-ins in July");
    assert_eq!(at(&s, 9, 16), Data::Float(7.0), "the district's check-ins");
    assert_eq!(at(&s, 9, 20), Data::Float(2.0), "1.5 + 0.5 hours");
    assert_eq!(at(&s, 9, 21), Data::Float(120.0), "90 + 30 minutes");
    assert_eq!(at(&s, 9, 22), Data::Float(3.0), "the district's reports");
    match at(&s, 3, 43) {
        Data::Float(v) => assert!((v - 0.769).abs() < 1e-9, "文庙 org coverage {v}"),
        other => panic!("文庙 org coverage: {other:?}"),
    }
    assert_eq!(at(&s, 5, 43), Data::Empty, "迎泽 has no workplace: no rate");

    // Number formats: counts, hours, rates as percent.
    let styles = part(&path, "xl/styles.xml");
    for f in ["#,##0", "0.0", "0.0%"] {
        assert!(
            styles.contains(&format!("formatCode=\"{f}\"")),
            "{f}:\n{styles}"
        );
    }

    // Frozen below the header and right of the street name; a filter over the streets.
    let xml = part(&path, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains(r#"<pane xSplit="1" ySplit="2" topLeftCell="B3""#)
            && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<autoFilter ref="A2:AT9"/>"#), "{xml}");

    // The chart: check-ins (Q) and reports (W) of the seven streets, not the total.
    let chart = part(&path, "xl/charts/chart1.xml");
    for needle in [
        "<c:barChart>",
        r#"<c:barDir val="col"/>"#,
        r#"<c:grouping val="clustered"/>"#,
        "报到与随手拍",
        "<c:f>各街道!$A$3:$A$9</c:f>",
        "<c:f>各街道!$Q$3:$Q$9</c:f>",
        "<c:f>各街道!$W$3:$W$9</c:f>",
        "<c:v>报到人次</c:v>",
        "<c:v>随手拍</c:v>",
    ] {
        assert!(chart.contains(needle), "{needle}:\n{chart}");
    }
    let drawing = part(&path, "xl/worksheets/_rels/sheet3.xml.rels");
    assert!(
        drawing.contains("drawing"),
        "the chart is on 图表: {drawing}"
    );

    // The bulletin sheet: the district's title, its table and sentences, the same as
    // `report district` prints for the month.
    let district = d
        .nf(&[
            "report", "district", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    let b = sheet(&path, "简报");
    assert_eq!(
        at(&b, 0, 0),
        Data::String(district["title"].as_str().unwrap().to_string())
    );
    assert_eq!(at(&b, 2, 0), Data::String("指标".into()));
    let checkins_row = (3..b.height() as u32)
        .find(|&r| at(&b, r, 0) == Data::String("报到人次".into()))
        .expect("a 报到人次 row");
    assert_eq!(
        at(&b, checkins_row, 1),
        Data::Float(district["figures"]["checkins"].as_f64().unwrap())
    );
    assert_eq!(
        at(&b, checkins_row, 2),
        Data::Float(
            district["year_to_date_figures"]["checkins"]
                .as_f64()
                .unwrap()
        )
    );
    let first = district["bulletin"][0].as_str().unwrap();
    assert!(
        (0..b.height() as u32).any(|r| at(&b, r, 0) == Data::String(first.to_string())),
        "the first paragraph of the bulletin is on 简报"
    );
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let d = workbook_district();
    d.write("报表.xlsx", "an earlier report");
    d.nf(&[
        "report",
        "streets",
        "--month",
        "2025-07",
        "--format",
        "xlsx",
        "-o",
        "报表.xlsx",
    ])
    .code(1)
    .stderr_has(&[
        "错误：报表.xlsx 已存在 — 报表不会悄悄覆盖文件；换一个新文件名，或加 --force 替换它\n",
    ]);
    d.nf(&[
        "--lang",
        "en",
        "report",
        "streets",
        "--month",
        "2025-07",
        "--format",
        "xlsx",
        "-o",
        "报表.xlsx",
    ])
    .code(1)
    .stderr_has(&[
        "error: 报表.xlsx exists — reports never overwrite a file unasked; name a new one",
    ]);
    assert_eq!(d.read("报表.xlsx"), b"an earlier report");
}

#[test]
fn xlsx_without_a_file_and_a_file_without_xlsx_are_usage_errors() {
    // No registry at all: the flags are checked first.
    let d = Dir::new();
    let o = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "xlsx",
        ])
        .code(2);
    o.stderr_has(&[
        "错误：--format xlsx 要写入工作簿 — 用 -o 指定文件名，例如 -o 2025-07报表.xlsx\n",
    ]);
    assert_eq!(o.stdout, "");
    d.nf(&["report", "streets", "--month", "2025-07", "-o", "r.xlsx"])
        .code(2)
        .stderr_has(&[
            "错误：-o r.xlsx 是工作簿的文件名 — 加上 --format xlsx（table 格式的文件请另起一个不以 .xlsx 结尾的名字）",
        ]);
    d.nf(&[
        "report", "streets", "--month", "2025-07", "--format", "xlsx", "-o", "r.xls",
    ])
    .code(2)
    .stderr_has(&["错误：-o r.xls：工作簿的文件名要以 .xlsx 结尾 — 例如 -o 2025-07报表.xlsx\n"]);
    // The same in English.
    let en = |args: &[&str], msg: &str| {
        let mut a = vec!["--lang", "en", "report", "streets", "--month", "2025-07"];
        a.extend_from_slice(args);
        d.nf(&a).code(2).stderr_has(&[msg]);
    };
    en(
        &["--format", "xlsx"],
        "error: --format xlsx writes a workbook: name the file with -o",
    );
    en(
        &["-o", "r.xlsx"],
        "error: -o r.xlsx names a workbook: add --format xlsx",
    );
    en(
        &["--format", "csv", "-o", "r.xlsx"],
        "for the csv format, name a file not ending in .xlsx",
    );
    en(
        &["--format", "xlsx", "-o", "r.xls"],
        "error: -o r.xls: the workbook's file name must end in .xlsx",
    );
    assert!(!d.exists("r.xlsx") && !d.exists("r.xls") && !d.exists(util::DB));
}

#[test]
fn compare_adds_the_previous_period_sheet() {
    let d = workbook_district();
    let report = json(&d, &["--month", "2025-07", "--compare"]);
    d.nf(&[
        "report",
        "streets",
        "--month",
        "2025-07",
        "--compare",
        "--format",
        "xlsx",
        "-o",
        "c.xlsx",
    ])
    .ok()
    .stderr_has(&["已写入 c.xlsx：7 个街道，工作表：简报、各街道、上期、图表\n"]);
    let path = d.join("c.xlsx");
    assert_eq!(sheets(&path), ["简报", "各街道", "上期", "图表"]);
    // 各街道 holds July alone (no "4 (+2)" cells), 上期 June.
    assert_streets_sheet(
        &sheet(&path, "各街道"),
        &report,
        "各街道新就业群体党建工作情况",
    );
    let before = sheet(&path, "上期");
    assert_streets_sheet(&before, &report["previous"], "各街道新就业群体党建工作情况");
    assert_eq!(
        at(&before, 0, 0),
        Data::String("各街道新就业群体党建工作情况（2025-06-01 至 2025-06-30）".into())
    );
    assert_eq!(
        at(&before, 2, 16),
        Data::Float(2.0),
        "柳巷 check-ins in June"
    );
}

#[test]
fn monthly_gives_a_sheet_of_every_month_and_a_line_chart() {
    let d = workbook_district();
    let report = json(&d, &["--quarter", "2025Q3", "--monthly"]);
    d.nf(&[
        "report",
        "streets",
        "--quarter",
        "2025Q3",
        "--monthly",
        "--format",
        "xlsx",
        "-o",
        "逐月.xlsx",
    ])
    .ok()
    .stderr_has(&["已写入 逐月.xlsx：3 个月，工作表：逐月、图表\n"]);
    let path = d.join("逐月.xlsx");
    assert_eq!(sheets(&path), ["逐月", "图表"]);
    let s = sheet(&path, "逐月");
    assert_eq!(
        at(&s, 0, 0),
        Data::String("各街道新就业群体党建工作逐月情况（2025-07-01 至 2025-09-30）".into())
    );
    assert_eq!(at(&s, 1, 0), Data::String("月份".into()));
    assert_eq!(at(&s, 1, 1), Data::String("街道".into()));
    assert_eq!(at(&s, 1, 3), Data::String("站点".into()));
    let months = report["months"].as_array().unwrap();
    assert_eq!(months.len(), 3);
    let mut r = 2;
    for m in months {
        let month = &m["period"]["from"].as_str().unwrap()[..7];
        let rows = m["streets"].as_array().unwrap();
        for row in rows.iter().chain(std::iter::once(&m["total"])) {
            assert_eq!(at(&s, r, 0), Data::String(month.into()), "row {r}");
            let name = row["street"].as_str().unwrap();
            assert_row(&s, r, 1, row, name);
            r += 1;
        }
    }
    assert_eq!(s.end(), Some((r - 1, 46)));
    let xml = part(&path, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"topLeftCell="C3""#), "{xml}");
    // No autofilter: each month's 合计 sits among the streets, and sorting would mix them.
    assert!(!xml.contains("autoFilter"), "{xml}");
    assert_eq!(at(&s, 9, 1), Data::String("合计".into()));
    assert_eq!(at(&s, 10, 0), Data::String("2025-08".into()));

    // The district's check-ins and reports per month, and their line chart.
    let c = sheet(&path, "图表");
    assert_eq!(at(&c, 0, 1), Data::String("报到人次".into()));
    assert_eq!(at(&c, 1, 0), Data::String("2025-07".into()));
    assert_eq!(at(&c, 1, 1), Data::Float(7.0));
    assert_eq!(at(&c, 2, 1), Data::Float(1.0));
    assert_eq!(at(&c, 3, 1), Data::Float(0.0));
    assert_eq!(at(&c, 1, 2), Data::Float(3.0));
    let chart = part(&path, "xl/charts/chart1.xml");
    for needle in [
        "<c:lineChart>",
        "各月报到与随手拍",
        "<c:f>图表!$A$2:$A$4</c:f>",
        "<c:f>图表!$B$2:$B$4</c:f>",
    ] {
        assert!(chart.contains(needle), "{needle}:\n{chart}");
    }
}

#[test]
fn lang_en_names_sheets_and_headers_in_english() {
    let d = workbook_district();
    d.nf(&[
        "--lang", "en", "report", "streets", "--month", "2025-07", "--format", "xlsx", "-o",
        "en.xlsx",
    ])
    .ok()
    .stderr_has(&["wrote en.xlsx: 7 streets, sheets Bulletin, Streets, Chart\n"]);
    let path = d.join("en.xlsx");
    assert_eq!(sheets(&path), ["Bulletin", "Streets", "Chart"]);
    let s = sheet(&path, "Streets");
    assert_eq!(
        at(&s, 0, 0),
        Data::String("New employment groups by street (2025-07-01 to 2025-07-31)".into())
    );
    assert_eq!(at(&s, 1, 0), Data::String("Street".into()));
    for (i, (_, en, ..)) in COLUMNS.iter().enumerate() {
        assert_eq!(at(&s, 1, 2 + i as u32), Data::String((*en).into()));
    }
    assert_eq!(at(&s, 9, 0), Data::String("Total".into()));
    assert_eq!(at(&s, 9, 16), Data::Float(7.0));
    let chart = part(&path, "xl/charts/chart1.xml");
    assert!(
        chart.contains("Check-ins and reports") && chart.contains("Streets!$Q$3:$Q$9"),
        "{chart}"
    );
}

#[test]
fn a_registry_without_streets_gets_the_table_and_no_chart() {
    let d = Dir::new();
    d.nf(&["init"]).ok();
    d.nf(&[
        "report", "streets", "--month", "2025-07", "--format", "xlsx", "-o", "空.xlsx",
    ])
    .ok()
    .stderr_has(&["已写入 空.xlsx：0 个街道，工作表：简报、各街道\n"]);
    let path = d.join("空.xlsx");
    assert_eq!(sheets(&path), ["简报", "各街道"]);
    let s = sheet(&path, "各街道");
    assert_eq!(at(&s, 2, 0), Data::String("合计".into()));
    assert_eq!(at(&s, 2, 2), Data::Float(0.0));
    assert_eq!(at(&s, 2, 43), Data::Empty);
}

#[test]
fn report_district_writes_the_same_workbook() {
    let d = workbook_district();
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
    .ok()
    .stderr_has(&["已写入 简报.xlsx：7 个街道，工作表：简报、各街道、图表\n"]);
    let path = d.join("简报.xlsx");
    assert_eq!(sheets(&path), ["简报", "各街道", "图表"]);
    let report = json(&d, &["--month", "2025-07"]);
    assert_streets_sheet(
        &sheet(&path, "各街道"),
        &report,
        "各街道新就业群体党建工作情况",
    );
    assert!(part(&path, "xl/charts/chart1.xml").contains("<c:barChart>"));
    let b = sheet(&path, "简报");
    assert_eq!(
        at(&b, 0, 0),
        Data::String("迎泽区新就业群体党建工作简报（2025年7月）".into())
    );
}

#[test]
fn a_workbook_in_a_missing_folder_or_without_a_name_is_refused() {
    // No registry: both are found before it is opened.
    let d = Dir::new();
    let o = d
        .nf(&[
            "report",
            "streets",
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
    let o = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "xlsx", "-o", ".xlsx",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "错误：-o .xlsx：.xlsx 前面没有文件名 — 起个名字，例如 -o 2025-07报表.xlsx\n"
    );
    // A file where the folder should be is named as such.
    d.write("plain", "a file");
    let o = d
        .nf(&[
            "report",
            "streets",
            "--year",
            "2025",
            "--monthly",
            "--format",
            "xlsx",
            "-o",
            "plain/x.xlsx",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：-o plain/x.xlsx：plain 不是文件夹 — 换一个文件夹里的文件名\n"
    );
    let o = d
        .nf(&[
            "--lang",
            "en",
            "report",
            "streets",
            "--year",
            "2025",
            "--monthly",
            "--format",
            "xlsx",
            "-o",
            "plain/x.xlsx",
        ])
        .code(1);
    assert_eq!(o.stderr, "error: -o plain/x.xlsx: plain is not a folder\n");
    assert!(!d.exists("nodir") && !d.exists(".xlsx") && !d.exists(util::DB));
}

#[test]
fn compare_as_csv_writes_numbers_for_both_periods() {
    let d = workbook_district();
    let report = json(&d, &["--month", "2025-07", "--compare"]);
    let o = d
        .nf(&[
            "report",
            "streets",
            "--month",
            "2025-07",
            "--compare",
            "--format",
            "csv",
        ])
        .ok();
    let rows = util::bom_csv(o.stdout.as_bytes());
    // The period line first, then the table.
    assert_eq!(
        rows[0],
        [
            "期间",
            "2025-07-01 – 2025-07-31（与 2025-06-01 – 2025-06-30 相比的变化）"
        ]
    );
    let rows = &rows[1..];
    assert_eq!(&rows[0][..4], ["期间", "街道", "区划代码", "站点"]);
    assert_eq!(rows[0].len(), 2 + 1 + COLUMNS.len());
    // 7 streets and 合计 for July, then the same for June, then the ledger digest.
    assert_eq!(rows.len(), 1 + 8 + 8 + 1);
    assert_eq!(rows[17][0], "账本摘要");
    let checkins = 1 + COLUMNS.iter().position(|c| c.0 == "报到人次").unwrap() + 2;
    for (i, (period, r)) in [
        ("2025-07-01~2025-07-31", &report),
        ("2025-06-01~2025-06-30", &report["previous"]),
    ]
    .into_iter()
    .enumerate()
    {
        let streets = r["streets"].as_array().unwrap();
        for (k, row) in streets
            .iter()
            .chain(std::iter::once(&r["total"]))
            .enumerate()
        {
            let cells = &rows[1 + 8 * i + k];
            assert_eq!(cells[0], period);
            let name = row["street"].as_str().unwrap();
            assert_eq!(cells[1], name);
            assert_eq!(
                cells[checkins],
                row["checkins"].to_string(),
                "{period} {name}"
            );
            // Numbers only: no "4 (+2)".
            assert!(cells.iter().all(|c| !c.contains('(')), "{cells:?}");
        }
    }
    assert_eq!(rows[1][checkins], "4", "柳巷 check-ins in July");
    assert_eq!(rows[9][checkins], "2", "柳巷 check-ins in June");
    // The terminal table keeps the changes.
    d.nf(&["report", "streets", "--month", "2025-07", "--compare"])
        .ok()
        .stdout_has(&["(+"]);
}

#[test]
fn compare_before_2000_is_refused() {
    let d = Dir::new();
    let o = d
        .nf(&["report", "streets", "--quarter", "2000Q1", "--compare"])
        .code(2);
    assert_eq!(
        o.stderr,
        "错误：--compare：2000-01-01 – 2000-03-31 的上一期从 1999-10-01 开始，而 2000-01-01 之前\
         没有可比的数据 — 换一个更晚的期间，或去掉 --compare\n"
    );
    let o = d
        .nf(&[
            "--lang",
            "en",
            "report",
            "streets",
            "--quarter",
            "2000Q1",
            "--compare",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "error: --compare: the period before 2000-01-01 – 2000-03-31 would start on 1999-10-01, \
         and there is nothing before 2000-01-01 to compare with\n"
    );
    // February 2000 has January 2000 before it, within reach.
    let d = workbook_district();
    let r = json(&d, &["--month", "2000-02", "--compare"]);
    assert_eq!(
        r["previous"]["period"],
        serde_json::json!({"from": "2000-01-01", "to": "2000-01-31"})
    );
}
