//! The catalogue of figures: every figure of `report streets` and `report district` once —
//! its JSON key, its labels in Chinese and English, its unit, how the district's value is
//! made, and where it appears. The JSON rows, the street tables (terminal, Markdown, CSV, the
//! workbook's sheets, with `--compare` their changes), the district table, the key list of
//! `report streets --help` and the list of `docs/bulletin.md` are all made from [`FIGURES`].
//! Computing a figure is `db::figures`'s; reading one off the computed [`Figures`] is
//! [`Figure::value`]'s.
//!
//! To add a figure: a field of [`Figures`] and the family function of `db::figures` that
//! counts it, an entry here (in reading order, with the next [`Figure::json`]), a `### key`
//! heading with its SQL in `docs/bulletin.md`, and — when the sentences should say it — a
//! clause in `report::district`.

use crate::db::coverage::rate_tenths;
use crate::db::figures::Figures;
use crate::model::TipCategory;

/// A label in Chinese and in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// 中文, e.g. `报到人次`.
    pub zh: &'static str,
    /// English, e.g. `Check-ins`.
    pub en: &'static str,
}

/// What a figure's number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole number of stations, people, events (person-times).
    Count,
    /// A whole number of points.
    Points,
    /// Hours with one decimal (from whole minutes, rounded half up).
    Hours,
    /// A percentage with one decimal (rounded half up), none without a denominator.
    Rate,
}

/// How the district's value of a figure is made from what its streets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// The sum over the streets.
    Sum,
    /// Each person once: a worker (or instructor) of two streets is one in the district, so
    /// the district's value may be less than the sum.
    Distinct,
    /// Counted over the district whole, including what belongs to no street (party
    /// organizations), so it may be more than the sum.
    Whole,
    /// A ratio of the district's own figures (a rate is never summed).
    Ratio,
}

/// The blocks the tables lay figures out in. The catalogue lists them in the order the
/// district table reads (stock, then flows); the street tables put admissions after the
/// party members and coverage last ([`STREET_ORDER`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Stations, workers and party members on the last day.
    Stock,
    /// Party organizations and instructors on the last day.
    Organizations,
    /// Workplaces and their coverage on the last day.
    Coverage,
    /// Check-ins, services, reports, wishes and points in the period.
    Flows,
    /// Workers admitted to the Party in the period.
    Admissions,
}

/// The order of the groups in the street tables.
pub const STREET_ORDER: [Group; 5] = [
    Group::Stock,
    Group::Admissions,
    Group::Organizations,
    Group::Flows,
    Group::Coverage,
];

/// Where a figure appears, besides the JSON rows (which hold every figure): a set of
/// places, combined with [`Shown::and`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown(u8);

impl Shown {
    /// In the JSON rows only.
    pub const JSON: Shown = Shown(0);
    /// A column of the terminal and Markdown tables of `report streets` (with `--compare`,
    /// with its change).
    pub const TERMINAL: Shown = Shown(1);
    /// A column of every figure's table: `report streets --format csv` and the workbook's
    /// per-street sheets (各街道, 上期, 逐月).
    pub const COLUMNS: Shown = Shown(2);
    /// A line of the district table (指标 | 本期 | 年初至今) of `report district`, and of the
    /// workbook's 简报 sheet.
    pub const DISTRICT: Shown = Shown(4);
    /// Said in the bulletin's sentences.
    pub const BULLETIN: Shown = Shown(8);

    /// Both sets.
    pub const fn and(self, other: Shown) -> Shown {
        Shown(self.0 | other.0)
    }

    /// True when every place of `other` is in this set.
    pub fn has(self, other: Shown) -> bool {
        self.0 & other.0 == other.0
    }
}

/// In the tables of every figure and the bulletin, not in the terminal's.
const MOST: Shown = Shown::COLUMNS.and(Shown::DISTRICT).and(Shown::BULLETIN);
/// Everywhere.
const ALL: Shown = MOST.and(Shown::TERMINAL);
/// In the tables, not in the sentences.
const TABLES: Shown = Shown::COLUMNS.and(Shown::DISTRICT);

/// A figure's value for one row, as computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Counts and points.
    Count(i64),
    /// Hours, one decimal.
    Hours(f64),
    /// A percentage with one decimal (`76.9`); `None` without a denominator.
    Rate(Option<f64>),
}

impl Value {
    /// As a table shows it: `38`, `32.5`, `76.9%`; empty for a rate without a denominator.
    pub fn cell(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Hours(h) => format!("{h:.1}"),
            Value::Rate(r) => r.map_or(String::new(), |v| format!("{v:.1}%")),
        }
    }

    /// The change from `before` to this value: `+5`, `-2`, `+0`; hours and rates (in
    /// percentage points) with one decimal; empty when a rate is missing on either side.
    pub fn change(self, before: Value) -> String {
        match (self, before) {
            (Value::Count(a), Value::Count(b)) => format!("{:+}", a - b),
            (Value::Hours(a), Value::Hours(b)) => format!("{:+.1}", a - b),
            (Value::Rate(Some(a)), Value::Rate(Some(b))) => format!("{:+.1}", a - b),
            _ => String::new(),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Count(n) => s.serialize_i64(*n),
            Value::Hours(h) => s.serialize_f64(*h),
            Value::Rate(r) => r.serialize(s),
        }
    }
}

/// One figure.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    /// The JSON key, a contract other tools rely on (added, never renamed); a figure of a
    /// nested object is `parent.child` (`tips_by_category.dispute`).
    pub key: &'static str,
    /// The column header of the street tables (CSV, the workbook).
    pub label: Label,
    /// The terminal table's header, when narrower than [`Figure::label`].
    pub short: Option<Label>,
    /// The district table's line, when it says more than [`Figure::label`].
    pub long: Option<Label>,
    /// What the number is.
    pub unit: Unit,
    /// How the district's value is made.
    pub total: Total,
    /// The block of the tables it belongs to.
    pub group: Group,
    /// Where it appears.
    pub shown: Shown,
    /// Its place among the figures of a JSON row (0 first). Keys are only ever appended, so
    /// a new figure takes the next number wherever it reads in the tables.
    pub json: u8,
    /// What `report streets --help` adds after the key in parentheses (`positive`).
    pub note: Option<&'static str>,
    /// Reads the figure off one row's computed figures.
    pub value: fn(&Figures) -> Value,
}

impl Figure {
    /// The header of its column: the terminal table's when `terminal`, else the full one.
    pub fn column_label(&self, terminal: bool) -> Label {
        match self.short {
            Some(s) if terminal => s,
            _ => self.label,
        }
    }

    /// The label of its line in the district table.
    pub fn line_label(&self) -> Label {
        self.long.unwrap_or(self.label)
    }
}

/// Volunteer service in hours, one decimal, rounded half up (from whole minutes).
pub fn service_hours(f: &Figures) -> f64 {
    super::hours(f.service_minutes)
}

/// 组织覆盖率: workplaces covered by a party organization, percent of the workplaces.
pub fn org_coverage_rate(f: &Figures) -> Option<f64> {
    let c = &f.coverage;
    super::coverage::percent(rate_tenths(c.org_covered, c.workplaces))
}

/// 工作覆盖率: workplaces with an instructor, percent of the workplaces.
pub fn work_coverage_rate(f: &Figures) -> Option<f64> {
    let c = &f.coverage;
    super::coverage::percent(rate_tenths(c.with_instructor, c.workplaces))
}

const fn label(zh: &'static str, en: &'static str) -> Label {
    Label { zh, en }
}

/// A whole-number figure with its column label; the rest filled in by struct update.
const fn count(key: &'static str, zh: &'static str, en: &'static str, json: u8) -> Figure {
    Figure {
        key,
        label: label(zh, en),
        short: None,
        long: None,
        unit: Unit::Count,
        total: Total::Sum,
        group: Group::Stock,
        shown: MOST,
        json,
        note: None,
        value: |_| Value::Count(0),
    }
}

/// A 随手拍 category's figure: `tips_by_category.<code>`.
const fn tip(key: &'static str, zh: &'static str, en: &'static str, json: u8) -> Figure {
    Figure {
        group: Group::Flows,
        ..count(key, zh, en, json)
    }
}

/// Every figure, in the order the district table and the bulletin read: stock on the last
/// day, then the flows of the period.
pub const FIGURES: &[Figure] = &[
    Figure {
        shown: TABLES.and(Shown::TERMINAL),
        value: |f| Value::Count(f.stations),
        ..count("stations", "站点", "Stations", 0)
    },
    Figure {
        value: |f| Value::Count(f.courier_stations),
        ..count("courier_stations", "快递站点", "Courier stations", 13)
    },
    Figure {
        value: |f| Value::Count(f.logistics_firms),
        ..count("logistics_firms", "物流企业", "Logistics firms", 14)
    },
    Figure {
        value: |f| Value::Count(f.rider_hubs),
        ..count("rider_hubs", "外卖员集合点", "Rider hubs", 15)
    },
    Figure {
        value: |f| Value::Count(f.rest_stations),
        ..count("rest_stations", "暖蜂驿站", "Rest stations", 16)
    },
    Figure {
        shown: ALL,
        value: |f| Value::Count(f.workers),
        ..count("workers", "从业人员", "Workers", 1)
    },
    Figure {
        shown: TABLES,
        value: |f| Value::Count(f.courier_station_workers),
        ..count(
            "courier_station_workers",
            "快递站点从业人员",
            "Courier-station workers",
            17,
        )
    },
    Figure {
        shown: TABLES,
        value: |f| Value::Count(f.logistics_firm_workers),
        ..count(
            "logistics_firm_workers",
            "物流企业从业人员",
            "Logistics-firm workers",
            18,
        )
    },
    Figure {
        long: Some(label("党员(含预备党员)", "Party members")),
        shown: ALL,
        value: |f| Value::Count(f.party_members),
        ..count("party_members", "党员", "Party members", 2)
    },
    Figure {
        value: |f| Value::Count(f.probationary_members),
        ..count(
            "probationary_members",
            "预备党员",
            "Probationary members",
            19,
        )
    },
    Figure {
        value: |f| Value::Count(f.mobile_members),
        ..count("mobile_members", "流动党员", "Mobile members", 12)
    },
    Figure {
        total: Total::Whole,
        group: Group::Organizations,
        value: |f| Value::Count(f.coverage.party_orgs),
        ..count("party_orgs", "党组织", "Party organizations", 21)
    },
    Figure {
        long: Some(label("党建工作指导员", "Instructors")),
        total: Total::Distinct,
        group: Group::Organizations,
        value: |f| Value::Count(f.instructors),
        ..count("instructors", "指导员", "Instructors", 20)
    },
    Figure {
        group: Group::Coverage,
        shown: TABLES,
        value: |f| Value::Count(f.coverage.workplaces),
        ..count("workplaces", "阵地", "Workplaces", 7)
    },
    Figure {
        long: Some(label("党组织覆盖阵地", "Covered by an organization")),
        group: Group::Coverage,
        shown: TABLES,
        value: |f| Value::Count(f.coverage.org_covered),
        ..count("org_covered", "党组织覆盖", "Covered", 8)
    },
    Figure {
        short: Some(label("组织覆盖", "Org coverage")),
        unit: Unit::Rate,
        total: Total::Ratio,
        group: Group::Coverage,
        shown: ALL,
        value: |f| Value::Rate(org_coverage_rate(f)),
        ..count("org_coverage_rate", "组织覆盖率", "Org coverage", 9)
    },
    Figure {
        long: Some(label("有指导员阵地", "With an instructor")),
        group: Group::Coverage,
        shown: TABLES,
        value: |f| Value::Count(f.coverage.with_instructor),
        ..count("with_instructor", "有指导员", "With instructor", 10)
    },
    Figure {
        short: Some(label("工作覆盖", "Work coverage")),
        unit: Unit::Rate,
        total: Total::Ratio,
        group: Group::Coverage,
        shown: ALL,
        value: |f| Value::Rate(work_coverage_rate(f)),
        ..count("work_coverage_rate", "工作覆盖率", "Work coverage", 11)
    },
    Figure {
        group: Group::Flows,
        shown: ALL,
        value: |f| Value::Count(f.checkins),
        ..count("checkins", "报到人次", "Check-ins", 3)
    },
    Figure {
        long: Some(label("报到人数", "Workers who checked in")),
        total: Total::Distinct,
        group: Group::Flows,
        shown: ALL,
        value: |f| Value::Count(f.checkin_workers),
        ..count("checkin_workers", "报到人数", "Checked in", 4)
    },
    Figure {
        group: Group::Flows,
        value: |f| Value::Count(f.services),
        ..count("services", "志愿服务人次", "Volunteer services", 22)
    },
    Figure {
        total: Total::Distinct,
        group: Group::Flows,
        value: |f| Value::Count(f.service_workers),
        ..count("service_workers", "志愿者人数", "Volunteers", 23)
    },
    Figure {
        unit: Unit::Hours,
        group: Group::Flows,
        note: Some("one decimal"),
        value: |f| Value::Hours(service_hours(f)),
        ..count("service_hours", "志愿服务时长(小时)", "Volunteer hours", 24)
    },
    Figure {
        long: Some(label("随手拍上报", "随手拍 reports")),
        group: Group::Flows,
        value: |f| Value::Count(f.tips()),
        ..count("tips", "随手拍", "Reports", 25)
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::SafetyHazard]),
        ..tip(
            "tips_by_category.safety_hazard",
            "安全隐患",
            "Safety hazards",
            26,
        )
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::Sanitation]),
        ..tip("tips_by_category.sanitation", "卫生死角", "Sanitation", 27)
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::Dispute]),
        ..tip("tips_by_category.dispute", "矛盾纠纷", "Disputes", 28)
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::Incivility]),
        ..tip(
            "tips_by_category.incivility",
            "不文明现象",
            "Incivility",
            29,
        )
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::StreetVending]),
        ..tip(
            "tips_by_category.street_vending",
            "占道经营",
            "Street vending",
            30,
        )
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::Suggestion]),
        ..tip("tips_by_category.suggestion", "意见建议", "Suggestions", 31)
    },
    Figure {
        value: |f| Value::Count(f.tips_by_category[TipCategory::Other]),
        ..tip("tips_by_category.other", "其他", "Other reports", 32)
    },
    // The same number as tips_by_category.suggestion, kept for the readers of the JSON.
    Figure {
        group: Group::Flows,
        shown: Shown::JSON,
        value: |f| Value::Count(f.suggestions()),
        ..count("suggestions", "意见建议", "Suggestions", 34)
    },
    Figure {
        total: Total::Distinct,
        group: Group::Flows,
        value: |f| Value::Count(f.tip_reporters),
        ..count("tip_reporters", "上报人数", "Reporters", 33)
    },
    Figure {
        group: Group::Flows,
        value: |f| Value::Count(f.tips_resolved),
        ..count("tips_resolved", "办结", "Resolved", 35)
    },
    Figure {
        group: Group::Flows,
        value: |f| Value::Count(f.wishes_fulfilled),
        ..count("wishes_fulfilled", "微心愿实现", "Wishes fulfilled", 36)
    },
    Figure {
        unit: Unit::Points,
        group: Group::Flows,
        shown: ALL,
        value: |f| Value::Count(f.points_earned),
        ..count("points_earned", "积分发放", "Points earned", 5)
    },
    Figure {
        unit: Unit::Points,
        group: Group::Flows,
        shown: ALL,
        note: Some("positive"),
        value: |f| Value::Count(f.points_redeemed),
        ..count("points_redeemed", "积分兑换", "Points redeemed", 6)
    },
    Figure {
        group: Group::Admissions,
        value: |f| Value::Count(f.admitted),
        ..count("admitted", "新发展党员", "Admitted", 37)
    },
];

/// The figures in the order of a JSON row's keys.
pub fn json_order() -> Vec<&'static Figure> {
    let mut v: Vec<&Figure> = FIGURES.iter().collect();
    v.sort_by_key(|f| f.json);
    v
}

/// The columns of the street tables, in order: the terminal (and Markdown) table's when
/// `terminal`, else every column (CSV, the workbook).
pub fn street_columns(terminal: bool) -> Vec<&'static Figure> {
    let place = if terminal {
        Shown::TERMINAL
    } else {
        Shown::COLUMNS
    };
    let mut v: Vec<&Figure> = FIGURES.iter().filter(|f| f.shown.has(place)).collect();
    // A stable sort: inside a group, the catalogue's order.
    v.sort_by_key(|f| STREET_ORDER.iter().position(|g| *g == f.group));
    v
}

/// The lines of the district table, in the catalogue's (reading) order.
pub fn district_lines() -> impl Iterator<Item = &'static Figure> {
    FIGURES.iter().filter(|f| f.shown.has(Shown::DISTRICT))
}

/// The figure of a key.
pub fn figure(key: &str) -> Option<&'static Figure> {
    FIGURES.iter().find(|f| f.key == key)
}

/// The keys of a row of `report streets --format json`, as its help lists them: `street,
/// street_code, stations, …, points_redeemed (positive), …, tips_by_category
/// {safety_hazard, …, other}, …, admitted`.
pub fn json_keys() -> String {
    let mut out: Vec<String> = vec!["street".into(), "street_code".into()];
    let mut open: Option<&str> = None;
    for f in json_order() {
        let (parent, key) = match f.key.split_once('.') {
            Some((p, k)) => (Some(p), k),
            None => (None, f.key),
        };
        let mut item = match f.note {
            Some(n) => format!("{key} ({n})"),
            None => key.to_string(),
        };
        if parent != open {
            if open.is_some()
                && let Some(last) = out.last_mut()
            {
                last.push('}');
            }
            if let Some(p) = parent {
                item = format!("{p} {{{item}");
            }
        }
        open = parent;
        out.push(item);
    }
    if open.is_some()
        && let Some(last) = out.last_mut()
    {
        last.push('}');
    }
    out.join(", ")
}

/// A row's figures as the members of a JSON object, in [`json_order`]; figures of a nested
/// object (`tips_by_category.*`) as one member holding an object.
pub struct JsonFigures<'a>(pub &'a Figures);

impl serde::Serialize for JsonFigures<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        self.write(&mut map)?;
        map.end()
    }
}

impl JsonFigures<'_> {
    /// Writes the members into an open map (a row writes its street first).
    pub fn write<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let order = json_order();
        let mut i = 0;
        while i < order.len() {
            let f = order[i];
            match f.key.split_once('.') {
                None => {
                    map.serialize_entry(f.key, &(f.value)(self.0))?;
                    i += 1;
                }
                Some((parent, _)) => {
                    let n = order[i..]
                        .iter()
                        .take_while(|g| g.key.split_once('.').is_some_and(|(p, _)| p == parent))
                        .count();
                    map.serialize_entry(parent, &Nested(&order[i..i + n], self.0))?;
                    i += n;
                }
            }
        }
        Ok(())
    }
}

/// The figures of one nested object: `{"safety_hazard": 3, …}`.
struct Nested<'a>(&'a [&'static Figure], &'a Figures);

impl serde::Serialize for Nested<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in self.0 {
            let child = f.key.split_once('.').map_or(f.key, |(_, c)| c);
            map.serialize_entry(child, &(f.value)(self.1))?;
        }
        map.end()
    }
}
