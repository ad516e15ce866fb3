//! The catalogue of figures: every figure of `report streets` and `report district` once —
//! its JSON key, its labels in Chinese and English, its unit, how the district's value is
//! made, and where it appears. The JSON rows, the street tables (terminal, Markdown, CSV, the
//! workbook's sheets, with `--compare` their changes), the district table and the key list
//! of `report streets --help` are all made from [`FIGURES`]; the list of `docs/bulletin.md`
//! is checked against it.
//! Computing a figure is `db::figures`'s; reading one off the computed [`Figures`] is
//! [`Figure::value`]'s.
//!
//! To add a figure: a field of [`Figures`] and its counting in a family function of
//! `db::figures`; an entry here (in reading order, with the next [`Figure::json`]; its field
//! in the test `every_figure_reads_a_number_of_its_own`, which will not compile without it,
//! and its key in the help's list the contract test spells out); a `### key` heading with its SQL in `docs/bulletin.md` (a test here fails
//! without it, and `tests/reports/bulletin.rs` runs the SQL) and its value in the known district of
//! `tests/reports/bulletin.rs`; and, when the sentences should say it, a clause in
//! `report::district`.

use crate::db::coverage::rate_tenths;
use crate::db::figures::Figures;
use crate::i18n::Lang;
use crate::model::TipCategory;
use rust_i18n::t;

/// A label: its key in the catalogue of messages (`locales/report.yml`), which holds it in
/// Chinese and in English (`report.figure.checkins`: `报到人次`, `Check-ins`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label(pub &'static str);

impl Label {
    /// The label in `lang`.
    pub fn text(self, lang: Lang) -> String {
        t!(self.0, locale = lang.code()).into_owned()
    }
}

/// What a figure's number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole number of stations, people, events (person-times).
    Count,
    /// A whole number of points.
    Points,
    /// Volunteer time, held in whole minutes: hours and minutes (`h:mm`) in the tables, so that
    /// the streets' rows add up to the total; hours with one decimal (rounded half up) in the
    /// JSON and the workbook.
    Hours,
    /// A whole number of minutes.
    Minutes,
    /// A percentage with one decimal (rounded half up), none without a denominator.
    Rate,
}

/// How the district's value of a figure is made from what its streets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// The sum over the streets.
    Sum,
    /// Each person (or record) once: a worker (or instructor) of two streets is one in the
    /// district, and so is a record that two street files both held (`merge` brings it
    /// together, counted under both streets), so the district's value may be less than the
    /// sum.
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
    /// 关爱服务: what the district did for the workers in the period, and the partner merchants
    /// in force on the last day.
    Care,
}

/// The order of the groups in the street tables.
pub const STREET_ORDER: [Group; 6] = [
    Group::Stock,
    Group::Admissions,
    Group::Organizations,
    Group::Flows,
    Group::Care,
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
    /// Volunteer time, in whole minutes.
    Hours(i64),
    /// A percentage with one decimal (`76.9`); `None` without a denominator.
    Rate(Option<f64>),
}

impl Value {
    /// As a table shows it: `38`, `32:30` (hours and minutes), `76.9%`; empty for a rate
    /// without a denominator.
    pub fn cell(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Hours(m) => h_mm(m),
            Value::Rate(r) => r.map_or(String::new(), |v| format!("{v:.1}%")),
        }
    }

    /// The change from `before` to this value: `+5`, `-2`, `+0`; hours as `+1:30`, rates (in
    /// percentage points) with one decimal; empty when a rate is missing on either side.
    pub fn change(self, before: Value) -> String {
        match (self, before) {
            (Value::Count(a), Value::Count(b)) => format!("{:+}", a - b),
            (Value::Hours(a), Value::Hours(b)) => {
                format!("{}{}", if a < b { '-' } else { '+' }, h_mm((a - b).abs()))
            }
            (Value::Rate(Some(a)), Value::Rate(Some(b))) => format!("{:+.1}", a - b),
            _ => String::new(),
        }
    }

    /// The number a workbook cell holds: counts as they are, hours with one decimal, a rate as
    /// the fraction a percent format shows (76.9 → 0.769); `None` for a rate without a
    /// denominator.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Hours(m) => Some(super::hours(m)),
            Value::Rate(r) => r.map(|v| v / 100.0),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Count(n) => s.serialize_i64(*n),
            Value::Hours(m) => s.serialize_f64(super::hours(*m)),
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

/// Minutes as hours and minutes: 20 → `0:20`, 1,950 → `32:30`. Sums of minutes read the same
/// way add up, as hours rounded per row do not (0.3 + 0.3 for 20 minutes twice, 0.7 for 40).
pub fn h_mm(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    format!("{sign}{}:{:02}", m / 60, m % 60)
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

/// A figure with its key, column label, JSON place and reader, and the most common rest —
/// a count of the stock, summed over the streets, in every table but the terminal's and in
/// the bulletin — which an entry overrides by struct update.
const fn figure(
    key: &'static str,
    label: &'static str,
    json: u8,
    value: fn(&Figures) -> Value,
) -> Figure {
    Figure {
        key,
        label: Label(label),
        short: None,
        long: None,
        unit: Unit::Count,
        total: Total::Sum,
        group: Group::Stock,
        shown: MOST,
        json,
        note: None,
        value,
    }
}

/// A 随手拍 category's figure: `tips_by_category.<code>`.
const fn tip(
    key: &'static str,
    label: &'static str,
    json: u8,
    value: fn(&Figures) -> Value,
) -> Figure {
    Figure {
        group: Group::Flows,
        ..figure(key, label, json, value)
    }
}

/// Every figure, in the order the district table and the bulletin read: stock on the last
/// day, then the flows of the period.
pub const FIGURES: &[Figure] = &[
    Figure {
        shown: TABLES.and(Shown::TERMINAL),
        ..figure("stations", "report.figure.stations", 0, |f| {
            Value::Count(f.stations)
        })
    },
    figure(
        "courier_stations",
        "report.figure.courier_stations",
        13,
        |f| Value::Count(f.courier_stations),
    ),
    figure(
        "logistics_firms",
        "report.figure.logistics_firms",
        14,
        |f| Value::Count(f.logistics_firms),
    ),
    figure("rider_hubs", "report.figure.rider_hubs", 15, |f| {
        Value::Count(f.rider_hubs)
    }),
    figure("rest_stations", "report.figure.rest_stations", 16, |f| {
        Value::Count(f.rest_stations)
    }),
    Figure {
        total: Total::Distinct,
        shown: ALL,
        ..figure("workers", "report.figure.workers", 1, |f| {
            Value::Count(f.workers)
        })
    },
    Figure {
        total: Total::Distinct,
        shown: TABLES,
        ..figure(
            "courier_station_workers",
            "report.figure.courier_station_workers",
            17,
            |f| Value::Count(f.courier_station_workers),
        )
    },
    Figure {
        total: Total::Distinct,
        shown: TABLES,
        ..figure(
            "logistics_firm_workers",
            "report.figure.logistics_firm_workers",
            18,
            |f| Value::Count(f.logistics_firm_workers),
        )
    },
    Figure {
        total: Total::Distinct,
        long: Some(Label("report.figure_long.party_members")),
        shown: ALL,
        ..figure("party_members", "report.figure.party_members", 2, |f| {
            Value::Count(f.party_members)
        })
    },
    Figure {
        total: Total::Distinct,
        ..figure(
            "probationary_members",
            "report.figure.probationary_members",
            19,
            |f| Value::Count(f.probationary_members),
        )
    },
    Figure {
        total: Total::Distinct,
        ..figure("mobile_members", "report.figure.mobile_members", 12, |f| {
            Value::Count(f.mobile_members)
        })
    },
    Figure {
        total: Total::Whole,
        group: Group::Organizations,
        ..figure("party_orgs", "report.figure.party_orgs", 21, |f| {
            Value::Count(f.coverage.party_orgs)
        })
    },
    Figure {
        long: Some(Label("report.figure_long.instructors")),
        total: Total::Distinct,
        group: Group::Organizations,
        ..figure("instructors", "report.figure.instructors", 20, |f| {
            Value::Count(f.instructors)
        })
    },
    Figure {
        group: Group::Coverage,
        shown: TABLES,
        ..figure("workplaces", "report.figure.workplaces", 7, |f| {
            Value::Count(f.coverage.workplaces)
        })
    },
    Figure {
        long: Some(Label("report.figure_long.org_covered")),
        group: Group::Coverage,
        shown: TABLES,
        ..figure("org_covered", "report.figure.org_covered", 8, |f| {
            Value::Count(f.coverage.org_covered)
        })
    },
    Figure {
        short: Some(Label("report.figure_short.org_coverage_rate")),
        unit: Unit::Rate,
        total: Total::Ratio,
        group: Group::Coverage,
        shown: ALL,
        ..figure(
            "org_coverage_rate",
            "report.figure.org_coverage_rate",
            9,
            |f| Value::Rate(org_coverage_rate(f)),
        )
    },
    Figure {
        long: Some(Label("report.figure_long.with_instructor")),
        group: Group::Coverage,
        shown: TABLES,
        ..figure(
            "with_instructor",
            "report.figure.with_instructor",
            10,
            |f| Value::Count(f.coverage.with_instructor),
        )
    },
    Figure {
        short: Some(Label("report.figure_short.work_coverage_rate")),
        unit: Unit::Rate,
        total: Total::Ratio,
        group: Group::Coverage,
        shown: ALL,
        ..figure(
            "work_coverage_rate",
            "report.figure.work_coverage_rate",
            11,
            |f| Value::Rate(work_coverage_rate(f)),
        )
    },
    Figure {
        group: Group::Flows,
        shown: ALL,
        ..figure("checkins", "report.figure.checkins", 3, |f| {
            Value::Count(f.checkins)
        })
    },
    Figure {
        long: Some(Label("report.figure_long.checkin_workers")),
        total: Total::Distinct,
        group: Group::Flows,
        shown: ALL,
        ..figure("checkin_workers", "report.figure.checkin_workers", 4, |f| {
            Value::Count(f.checkin_workers)
        })
    },
    Figure {
        group: Group::Flows,
        ..figure("services", "report.figure.services", 22, |f| {
            Value::Count(f.services)
        })
    },
    Figure {
        total: Total::Distinct,
        group: Group::Flows,
        ..figure(
            "service_workers",
            "report.figure.service_workers",
            23,
            |f| Value::Count(f.service_workers),
        )
    },
    Figure {
        unit: Unit::Hours,
        group: Group::Flows,
        note: Some("one decimal"),
        ..figure("service_hours", "report.figure.service_hours", 24, |f| {
            Value::Hours(f.service_minutes)
        })
    },
    Figure {
        unit: Unit::Minutes,
        group: Group::Flows,
        shown: Shown::COLUMNS,
        ..figure(
            "service_minutes",
            "report.figure.service_minutes",
            40,
            |f| Value::Count(f.service_minutes),
        )
    },
    Figure {
        long: Some(Label("report.figure_long.tips")),
        group: Group::Flows,
        ..figure("tips", "report.figure.tips", 25, |f| Value::Count(f.tips()))
    },
    tip(
        "tips_by_category.safety_hazard",
        "report.figure.tip_safety_hazard",
        26,
        |f| Value::Count(f.tips_by_category[TipCategory::SafetyHazard]),
    ),
    tip(
        "tips_by_category.sanitation",
        "report.figure.tip_sanitation",
        27,
        |f| Value::Count(f.tips_by_category[TipCategory::Sanitation]),
    ),
    tip(
        "tips_by_category.dispute",
        "report.figure.tip_dispute",
        28,
        |f| Value::Count(f.tips_by_category[TipCategory::Dispute]),
    ),
    tip(
        "tips_by_category.incivility",
        "report.figure.tip_incivility",
        29,
        |f| Value::Count(f.tips_by_category[TipCategory::Incivility]),
    ),
    tip(
        "tips_by_category.street_vending",
        "report.figure.tip_street_vending",
        30,
        |f| Value::Count(f.tips_by_category[TipCategory::StreetVending]),
    ),
    tip(
        "tips_by_category.suggestion",
        "report.figure.tip_suggestion",
        31,
        |f| Value::Count(f.tips_by_category[TipCategory::Suggestion]),
    ),
    tip(
        "tips_by_category.other",
        "report.figure.tip_other",
        32,
        |f| Value::Count(f.tips_by_category[TipCategory::Other]),
    ),
    // The same number as tips_by_category.suggestion, kept for the readers of the JSON.
    Figure {
        group: Group::Flows,
        shown: Shown::JSON,
        ..figure("suggestions", "report.figure.suggestions", 34, |f| {
            Value::Count(f.suggestions())
        })
    },
    Figure {
        total: Total::Distinct,
        group: Group::Flows,
        ..figure("tip_reporters", "report.figure.tip_reporters", 33, |f| {
            Value::Count(f.tip_reporters)
        })
    },
    Figure {
        group: Group::Flows,
        // In the district's table and sentences; the street tables keep their columns.
        shown: Shown::DISTRICT.and(Shown::BULLETIN),
        ..figure(
            "governance_reports",
            "report.figure.governance_reports",
            38,
            |f| Value::Count(f.governance_reports()),
        )
    },
    Figure {
        total: Total::Distinct,
        group: Group::Flows,
        // In the district's table and sentences; the street tables keep their columns.
        shown: Shown::DISTRICT.and(Shown::BULLETIN),
        ..figure(
            "governance_reporters",
            "report.figure.governance_reporters",
            39,
            |f| Value::Count(f.governance_reporters),
        )
    },
    Figure {
        group: Group::Flows,
        ..figure("tips_resolved", "report.figure.tips_resolved", 35, |f| {
            Value::Count(f.tips_resolved)
        })
    },
    Figure {
        total: Total::Distinct,
        group: Group::Flows,
        ..figure(
            "wishes_fulfilled",
            "report.figure.wishes_fulfilled",
            36,
            |f| Value::Count(f.wishes_fulfilled),
        )
    },
    Figure {
        total: Total::Distinct,
        unit: Unit::Points,
        group: Group::Flows,
        shown: ALL,
        ..figure("points_earned", "report.figure.points_earned", 5, |f| {
            Value::Count(f.points_earned)
        })
    },
    Figure {
        total: Total::Distinct,
        unit: Unit::Points,
        group: Group::Flows,
        shown: ALL,
        note: Some("positive"),
        ..figure("points_redeemed", "report.figure.points_redeemed", 6, |f| {
            Value::Count(f.points_redeemed)
        })
    },
    Figure {
        total: Total::Distinct,
        group: Group::Admissions,
        ..figure("admitted", "report.figure.admitted", 37, |f| {
            Value::Count(f.admitted)
        })
    },
    Figure {
        group: Group::Care,
        shown: MOST,
        ..figure(
            "care_activities",
            "report.figure.care_activities",
            41,
            |f| Value::Count(f.care_activities),
        )
    },
    Figure {
        long: Some(Label("report.figure_long.care_participants")),
        group: Group::Care,
        shown: MOST,
        ..figure(
            "care_participants",
            "report.figure.care_participants",
            42,
            |f| Value::Count(f.care_participants),
        )
    },
    Figure {
        total: Total::Distinct,
        group: Group::Care,
        shown: TABLES,
        ..figure("care_workers", "report.figure.care_workers", 43, |f| {
            Value::Count(f.care_workers)
        })
    },
    Figure {
        long: Some(Label("report.figure_long.partner_merchants")),
        group: Group::Care,
        shown: MOST,
        ..figure(
            "partner_merchants",
            "report.figure.partner_merchants",
            44,
            |f| Value::Count(f.partner_merchants),
        )
    },
    Figure {
        total: Total::Distinct,
        group: Group::Care,
        shown: MOST,
        ..figure("gifts_redeemed", "report.figure.gifts_redeemed", 45, |f| {
            Value::Count(f.gifts_redeemed)
        })
    },
    Figure {
        total: Total::Distinct,
        group: Group::Care,
        shown: MOST,
        ..figure(
            "gift_orders_pending",
            "report.figure.gift_orders_pending",
            46,
            |f| Value::Count(f.gift_orders_pending),
        )
    },
];

/// The one figure that is not a number: `awards`, an object of title → people awarded it in
/// the years the period touches (`{"最美快递员": 7, "最美外卖员": 3}`), written after every
/// figure of [`FIGURES`] in a JSON row (its titles are the registry's, so no table has a
/// fixed column for it; the bulletin says it in words).
pub const AWARDS_KEY: &str = "awards";

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

/// The first figure whose district value breaks the rule of its [`Total`] against the
/// streets' values, with the values: a sum that is not the sum, a distinct count above the
/// sum or below a street's, a count over the whole district below the sum. `None` when
/// every figure keeps its rule (rates are not checked: a ratio of the district's own
/// figures).
pub fn broken_total(streets: &[&Figures], total: &Figures) -> Option<String> {
    for f in FIGURES {
        let district = (f.value)(total);
        let values: Vec<Value> = streets.iter().map(|s| (f.value)(s)).collect();
        let sum: f64 = values.iter().filter_map(|v| v.number()).sum();
        let max = values.iter().filter_map(|v| v.number()).fold(0.0, f64::max);
        let Some(d) = district.number() else {
            continue;
        };
        // Hours are rounded per street: the sum of the rounded may miss by half a tenth each.
        let slack = match f.unit {
            Unit::Hours => 0.05 * (streets.len() as f64 + 1.0),
            _ => 0.0,
        };
        let holds = match f.total {
            Total::Sum => (d - sum).abs() <= slack,
            Total::Distinct => d <= sum && d >= max,
            Total::Whole => d >= sum,
            Total::Ratio => true,
        };
        if !holds {
            return Some(format!(
                "{}: the district has {d}, its streets {values:?} ({:?})",
                f.key, f.total
            ));
        }
    }
    None
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
    out.push(format!("{AWARDS_KEY} {{title: people}}"));
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
        map.serialize_entry(AWARDS_KEY, &self.0.awards)?;
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rusqlite::Connection;

    use super::*;
    use crate::db::figures::{TipCounts, figures};
    use crate::model::{Period, Vocabulary};

    #[test]
    fn every_key_is_unique_and_every_json_place_is_taken_once() {
        let keys: HashSet<&str> = FIGURES.iter().map(|f| f.key).collect();
        assert_eq!(keys.len(), FIGURES.len(), "a key is written twice");
        let mut places: Vec<u8> = FIGURES.iter().map(|f| f.json).collect();
        places.sort_unstable();
        let expected: Vec<u8> = (0..FIGURES.len() as u8).collect();
        assert_eq!(
            places,
            expected,
            "Figure::json must number the figures 0..{} — a new figure takes {}",
            FIGURES.len(),
            FIGURES.len()
        );
    }

    #[test]
    fn every_figure_of_a_table_has_a_label_in_both_languages() {
        // A key the catalogue lacks reads as itself: the key, never a label.
        let filled = |l: Label| {
            [Lang::Zh, Lang::En]
                .iter()
                .all(|&lang| !l.text(lang).trim().is_empty() && l.text(lang) != l.0)
        };
        for f in FIGURES {
            for l in [Some(f.label), f.short, f.long].into_iter().flatten() {
                assert!(filled(l), "{}: {}", f.key, l.0);
            }
            assert!(!f.label.text(Lang::Zh).is_ascii(), "{}", f.key);
        }
        // Two columns of one table never read alike.
        for terminal in [true, false] {
            let columns = street_columns(terminal);
            let zh: HashSet<String> = columns
                .iter()
                .map(|f| f.column_label(terminal).text(Lang::Zh))
                .collect();
            assert_eq!(zh.len(), columns.len());
        }
        let lines: Vec<_> = district_lines().collect();
        let zh: HashSet<String> = lines
            .iter()
            .map(|f| f.line_label().text(Lang::Zh))
            .collect();
        assert_eq!(zh.len(), lines.len());
    }

    #[test]
    fn the_district_table_lists_every_figure_the_bulletin_says() {
        for f in FIGURES.iter().filter(|f| f.shown.has(Shown::BULLETIN)) {
            assert!(
                f.shown.has(Shown::DISTRICT),
                "{} is said, not listed",
                f.key
            );
        }
        // The terminal's columns are among every column's.
        for f in street_columns(true) {
            assert!(f.shown.has(Shown::COLUMNS), "{}", f.key);
        }
    }

    #[test]
    fn the_catalogue_reads_in_blocks_in_the_order_of_the_groups() {
        let groups: Vec<Group> = FIGURES.iter().map(|f| f.group).collect();
        assert!(groups.is_sorted(), "{groups:?}");
        let mut street: Vec<Group> = STREET_ORDER.to_vec();
        street.sort();
        street.dedup();
        assert_eq!(street.len(), STREET_ORDER.len(), "every group once");
    }

    #[test]
    fn each_unit_reads_as_its_kind_of_value() {
        let f = Figures::default();
        for x in FIGURES {
            let ok = matches!(
                (x.unit, (x.value)(&f)),
                (Unit::Count | Unit::Points | Unit::Minutes, Value::Count(_))
                    | (Unit::Hours, Value::Hours(_))
                    | (Unit::Rate, Value::Rate(_))
            );
            assert!(ok, "{}", x.key);
            assert_eq!(x.total == Total::Ratio, x.unit == Unit::Rate, "{}", x.key);
        }
    }

    #[test]
    fn every_figure_reads_a_number_of_its_own() {
        use crate::db::coverage::CoverageFigures;
        let f = Figures {
            gifts_redeemed: 51,
            gift_orders_pending: 52,
            stations: 1,
            courier_stations: 2,
            logistics_firms: 3,
            rider_hubs: 4,
            rest_stations: 5,
            workers: 6,
            courier_station_workers: 7,
            logistics_firm_workers: 8,
            party_members: 9,
            probationary_members: 10,
            mobile_members: 11,
            applicants: 12,
            activists: 13,
            candidates: 14,
            admitted: 15,
            instructors: 16,
            coverage: CoverageFigures {
                courier_stations: 2,
                logistics_firms: 3,
                rider_hubs: 4,
                rest_stations: 5,
                workplaces: 100,
                org_covered: 30,
                with_instructor: 40,
                enterprises: 17,
                enterprises_covered: 18,
                party_orgs: 19,
            },
            checkins: 20,
            checkin_workers: 21,
            services: 22,
            service_workers: 23,
            service_minutes: 60_000,
            tips_by_category: TipCounts([101, 102, 103, 104, 105, 106, 107]),
            tip_reporters: 24,
            governance_reporters: 29,
            tips_resolved: 25,
            wishes_fulfilled: 26,
            points_earned: 27,
            points_redeemed: 28,
            care_activities: 41,
            care_participants: 42,
            care_workers: 43,
            partner_merchants: 44,
            ..Figures::default()
        };
        let mut seen: Vec<(f64, &str)> = Vec::new();
        for x in FIGURES {
            let v = (x.value)(&f).number().unwrap_or(0.0);
            assert!(v != 0.0, "{} reads nothing", x.key);
            if let Some((_, other)) = seen.iter().find(|(w, _)| *w == v) {
                // The one figure the JSON keeps twice.
                let pair = [*other, x.key];
                assert!(
                    pair.contains(&"suggestions") && pair.contains(&"tips_by_category.suggestion"),
                    "{} reads what {other} reads",
                    x.key
                );
            }
            seen.push((v, x.key));
        }
    }

    #[test]
    fn the_report_categories_are_the_vocabulary_s_in_its_order() {
        let f = Figures {
            tips_by_category: TipCounts([1, 2, 3, 4, 5, 6, 7]),
            ..Figures::default()
        };
        let nested: Vec<&Figure> = json_order()
            .into_iter()
            .filter(|x| x.key.starts_with("tips_by_category."))
            .collect();
        assert_eq!(nested.len(), TipCategory::ALL.len());
        for (i, (x, c)) in nested.iter().zip(TipCategory::ALL).enumerate() {
            assert_eq!(x.key, format!("tips_by_category.{}", c.code()));
            assert_eq!(x.label.text(Lang::Zh), c.label());
            assert_eq!((x.value)(&f), Value::Count(i as i64 + 1), "{}", x.key);
        }
    }

    #[test]
    fn the_help_lists_the_keys_of_a_row_in_their_order() {
        assert_eq!(
            json_keys(),
            "street, street_code, stations, workers, party_members, checkins, checkin_workers, \
             points_earned, points_redeemed (positive), workplaces, org_covered, \
             org_coverage_rate, with_instructor, work_coverage_rate, mobile_members, \
             courier_stations, logistics_firms, rider_hubs, rest_stations, \
             courier_station_workers, logistics_firm_workers, probationary_members, \
             instructors, party_orgs, services, service_workers, service_hours (one decimal), \
             tips, tips_by_category {safety_hazard, sanitation, dispute, incivility, \
             street_vending, suggestion, other}, tip_reporters, suggestions, tips_resolved, \
             wishes_fulfilled, admitted, governance_reports, governance_reporters, \
             service_minutes, care_activities, care_participants, care_workers, \
             partner_merchants, gifts_redeemed, gift_orders_pending, \
             awards {title: people}"
        );
    }

    #[test]
    fn a_row_serializes_every_figure_once_in_the_json_order() {
        let json = serde_json::to_string(&JsonFigures(&Figures::default())).unwrap();
        // Figures hold no text: every quoted word is a key, in the order written.
        let keys: Vec<&str> = json.split('"').skip(1).step_by(2).collect();
        let keys = keys.strip_suffix(&[AWARDS_KEY]).expect("awards last");
        let mut order: Vec<&str> = Vec::new();
        for f in json_order() {
            match f.key.split_once('.') {
                Some((parent, child)) => {
                    if !order.contains(&parent) {
                        order.push(parent);
                    }
                    order.push(child);
                }
                None => order.push(f.key),
            }
        }
        assert_eq!(keys, order);
    }

    #[test]
    fn docs_bulletin_gives_a_query_for_every_figure_in_the_catalogue_s_order() {
        let doc = include_str!("../../docs/bulletin.md");
        let headings: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("### "))
            .map(str::trim)
            .collect();
        let keys: Vec<&str> = FIGURES.iter().map(|f| f.key).collect();
        assert_eq!(
            headings, keys,
            "docs/bulletin.md lists the figures of report::catalogue::FIGURES, in order"
        );
    }

    /// A registry in memory: two streets, a worker who checks in, serves and reports in
    /// both, an instructor of both, an organization of no street, and two workers on both
    /// streets' registers (merged street files) whose points, wish, gift order and admission
    /// count in both.
    fn registry() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::db::SCHEMA_SQL).unwrap();
        conn.execute_batch(
            "INSERT INTO streets (id, code, name) VALUES (1, '140106001', '柳巷街道'),
                                                         (2, '140106002', '文庙街道');
             INSERT INTO stations (id, name, kind, street_id) VALUES
                 (1, '柳巷站', 'courier_station', 1), (2, '文庙站', 'rider_hub', 2),
                 (3, '柳巷驿站', 'rest_station', 1);
             INSERT INTO workers (id, name, phone, political_status, occupation, station_id,
                                  street_id) VALUES
                 (1, '王磊', '13623518847', 'party_member', 'courier', 1, 1),
                 (2, '李娜', '13623518848', 'masses', 'delivery_rider', 2, 2);
             INSERT INTO checkin_months (month, worker_id, street_id, checkins) VALUES
                 (202507, 1, 1, 2), (202507, 1, 2, 1), (202507, 2, 2, 1);
             INSERT INTO services (worker_id, date, activity, minutes, street_id, event_key,
                                   entered_at) VALUES
                 (1, '2025-07-02', '清扫', 50, 1, 1, '2025-07-02'),
                 (1, '2025-07-03', '清扫', 50, 2, 2, '2025-07-03'),
                 (2, '2025-07-03', '清扫', 50, 2, 3, '2025-07-03');
             INSERT INTO tips (worker_id, date, category, content, street_id, event_key,
                               entered_at) VALUES
                 (1, '2025-07-02', 'dispute', '纠纷', 1, 1, '2025-07-02'),
                 (1, '2025-07-04', 'other', '其他', 2, 2, '2025-07-04');
             INSERT INTO instructors (id, name, phone) VALUES (1, '赵强', '13623518849');
             INSERT INTO instructor_stations (instructor_id, station_id, assigned_on) VALUES
                 (1, 1, '2025-01-01'), (1, 2, '2025-01-01');
             INSERT INTO party_orgs (id, name, kind, street_id) VALUES
                 (1, '迎泽区快递物流行业党委', 'industry_committee', NULL),
                 (2, '柳巷快递支部', 'branch', 1);
             INSERT INTO org_coverage (org_id, station_id, from_on) VALUES (2, 1, '2025-01-01');
             INSERT INTO care_activities (id, kind, title, date, street_id, organizer_kind,
                                          unnamed, entered_at) VALUES
                 (1, 'social', '联谊', '2025-07-05', 1, 'street', 3, '2025-07-05'),
                 (2, 'social', '联谊', '2025-07-06', 2, 'street', 0, '2025-07-06');
             INSERT INTO care_participants (activity_id, worker_id) VALUES (1, 1), (2, 1);
             -- Two street files merged: 王磊 and 张伟 are on both streets' registers, and
             -- the records without a place of their own that both files held count in both.
             INSERT INTO stations (id, name, kind, street_id) VALUES
                 (4, '文庙物流', 'logistics_firm', 2);
             INSERT INTO workers (id, name, phone, political_status, occupation, station_id,
                                  street_id) VALUES
                 (3, '张伟', '13623518850', 'masses', 'truck_driver', 4, 2);
             INSERT INTO memberships (worker_id, home_org) VALUES (3, '外省某党支部');
             INSERT INTO worker_postings (worker_id, street_id, station_id) VALUES
                 (1, 2, 1), (3, 1, 4);
             INSERT INTO worker_stages (id, worker_id, stage, date, operator, entered_at) VALUES
                 (1, 3, 'probationary', '2025-07-15', 'x', '2025-07-15');
             INSERT INTO point_entries (id, worker_id, date, points, kind, category, event_key,
                                        operator, entered_at) VALUES
                 (1, 1, '2025-07-10', 5, 'earn', 'tip', 1, 'x', '2025-07-10'),
                 (2, 1, '2025-07-11', -3, 'redeem', 'redemption', 2, 'x', '2025-07-11');
             INSERT INTO wishes (id, worker_id, wish, date, fulfilled_on) VALUES
                 (1, 1, '雨衣', '2025-07-01', '2025-07-12');
             INSERT INTO gifts (id, name, price, stock, entered_at) VALUES
                 (1, '雨衣', 3, 5, '2025-07-01');
             INSERT INTO gift_orders (id, worker_id, gift_id, quantity, points, date, entry_id,
                                      operator, entered_at) VALUES
                 (1, 1, 1, 1, 3, '2025-07-11', 2, 'x', '2025-07-11');
             INSERT INTO record_streets (tbl, record_id, street_id) VALUES
                 ('point_entries', 1, 2), ('point_entries', 2, 2), ('wishes', 1, 2),
                 ('gift_orders', 1, 2), ('worker_stages', 1, 1);",
        )
        .unwrap();
        conn
    }

    #[test]
    fn the_district_row_keeps_each_figure_s_rule_of_totals() {
        let conn = registry();
        let july = Period::month(crate::model::Month::parse("2025-07").unwrap());
        let p = figures(&conn, &[july]).unwrap().pop().unwrap();
        let streets: Vec<&Figures> = p.streets.iter().map(|(_, f)| f).collect();
        assert_eq!(broken_total(&streets, &p.total), None);
        // The registry makes each figure that is not a sum differ from the sum.
        let value = |key: &str, f: &Figures| {
            let x = FIGURES.iter().find(|x| x.key == key).unwrap();
            (x.value)(f).number().unwrap()
        };
        for f in FIGURES {
            let sum: f64 = streets.iter().map(|s| value(f.key, s)).sum();
            let district = (f.value)(&p.total).number();
            match f.total {
                Total::Distinct => assert!(district < Some(sum), "{}", f.key),
                Total::Whole => assert!(district > Some(sum), "{}", f.key),
                Total::Sum | Total::Ratio => {}
            }
        }
        assert_eq!(value("checkins", &p.total), 4.0);
        // One of the three workplaces covered: 33.3 %.
        assert!((value("org_coverage_rate", &p.total) - 0.333).abs() < 1e-9);
        assert_eq!(value("workers", &p.total), 3.0);
        assert_eq!(value("points_earned", &p.total), 5.0);
        // And a district that is not the sum of its streets is caught.
        let mut wrong = p.total.clone();
        wrong.services += 1;
        assert!(
            broken_total(&streets, &wrong)
                .unwrap()
                .starts_with("services:")
        );
    }
}
