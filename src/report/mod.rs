//! Reports: figures computed once (`db::figures`) into `Serialize` structs, then rendered in
//! any format by [`render`]. What each figure of the street and district reports is called,
//! how it totals and where it shows is the [`catalogue`]'s. The JSON keys are a contract
//! other tools rely on: add keys, never rename.

pub mod catalogue;
pub mod coverage;
pub mod district;
pub mod docx;
pub mod export;
pub mod render;
pub mod worker;
pub mod xlsx;

use anyhow::Result;
use rust_i18n::t;
use serde::Serialize;

use crate::db::Db;
use crate::db::figures::{Figures, PeriodFigures, Street, figures};
use crate::model::Period;
use catalogue::street_columns;
use render::{Lang, Table};

/// Whose figures a row holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// One street.
    Street(Street),
    /// The district: the total row (`合计`).
    District,
}

/// One street's row of `report streets` (or the district's, `合计`): its figures, every one
/// of which the catalogue ([`catalogue::FIGURES`]) reads, shows and serializes. Stock figures
/// are counted on the period's last day, flows inside the period (see [`Figures`]).
///
/// JSON: `{"street", "street_code", ...}` then every figure's key in the catalogue's JSON
/// order; `street` is `合计` and `street_code` `null` in the total row. Counts are integers;
/// hours have one decimal; rates are percentages with one decimal, `null` when a street has
/// no workplace. Keys are only ever added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreetRow {
    /// The street, or the district.
    pub place: Place,
    /// Its figures.
    pub figures: Figures,
}

impl StreetRow {
    /// True for the district's total row.
    pub fn is_total(&self) -> bool {
        self.place == Place::District
    }

    /// The name a table shows: the street's, or `合计` / `Total`.
    pub fn name(&self, lang: Lang) -> String {
        match &self.place {
            Place::Street(s) => s.name.clone(),
            Place::District => t!("report.total", locale = lang.code()).into_owned(),
        }
    }

    /// The street's 9-digit NBS code; `None` for the district and streets without one.
    pub fn code(&self) -> Option<&str> {
        match &self.place {
            Place::Street(s) => s.code.as_deref(),
            Place::District => None,
        }
    }
}

impl Serialize for StreetRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        // The JSON names the total row in Chinese whatever the language.
        map.serialize_entry("street", &self.name(Lang::Zh))?;
        map.serialize_entry("street_code", &self.code())?;
        catalogue::JsonFigures(&self.figures).write(&mut map)?;
        map.end()
    }
}

/// Minutes as hours with one decimal, rounded half up (90 → 1.5, 100 → 1.7).
pub fn hours(minutes: i64) -> f64 {
    ((minutes * 10 + 30) / 60) as f64 / 10.0
}

/// `report streets`: `{ "period": {"from", "to"}, "streets": [...], "total": {...} }`, and
/// with `--compare` also `"previous"`: the same report for the period just before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreetReport {
    /// The period, both days included.
    pub period: Period,
    /// One row per street, in code order.
    pub streets: Vec<StreetRow>,
    /// The district total.
    pub total: StreetRow,
    /// The period of the same length just before, with `--compare`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Box<StreetReport>>,
}

impl StreetReport {
    /// Computes the report over `period`; with `compare`, also the period just before.
    pub fn compute(db: &Db, period: Period, compare: bool) -> Result<Self> {
        let mut periods = vec![period];
        if compare && let Some(p) = periods[0].previous() {
            periods.push(p);
        }
        let mut f = figures(db, &periods)?.into_iter();
        let mut r = Self::of(&f.next().expect("the period asked"));
        r.previous = f.next().map(|p| Box::new(Self::of(&p)));
        Ok(r)
    }

    /// The report of computed figures. In a debug build, it first proves that the district
    /// row keeps the catalogue's rule of each figure's total ([`catalogue::broken_total`]).
    pub fn of(f: &PeriodFigures) -> Self {
        debug_assert_eq!(
            catalogue::broken_total(
                &f.streets.iter().map(|(_, x)| x).collect::<Vec<_>>(),
                &f.total
            ),
            None
        );
        Self {
            period: f.period,
            streets: f
                .streets
                .iter()
                .map(|(street, figures)| StreetRow {
                    place: Place::Street(street.clone()),
                    figures: figures.clone(),
                })
                .collect(),
            total: StreetRow {
                place: Place::District,
                figures: f.total.clone(),
            },
            previous: None,
        }
    }

    /// The terminal (and Markdown) table: the main figures, one row per street, the total
    /// last; with a previous period, each cell also shows the change (`38 (+5)`).
    pub fn table(&self, lang: Lang) -> Table {
        self.table_of(true, lang)
    }

    /// Every figure as columns (CSV, workbook).
    pub fn wide_table(&self, lang: Lang) -> Table {
        self.table_of(false, lang)
    }

    /// Every figure as numbers, for CSV with `--compare`: a first column 期间 (`Period`,
    /// `2025-07-01~2025-07-31`), the rows of the period (streets, then the total), then those
    /// of the previous period laid out the same way. Without a previous period, the period's
    /// rows alone.
    pub fn periods_table(&self, lang: Lang) -> Table {
        let mut out: Option<Table> = None;
        let mut now = self.clone();
        let before = now.previous.take();
        for r in std::iter::once(&now).chain(before.as_deref()) {
            let t = r.table_of(false, lang);
            let o = out.get_or_insert_with(|| {
                let mut headers =
                    vec![t!("report.column.period", locale = lang.code()).into_owned()];
                headers.extend(t.headers.iter().cloned());
                let mut numeric = vec![false];
                numeric.extend(&t.numeric);
                Table::of(headers, &numeric)
            });
            let period = format!("{}~{}", r.period.from, r.period.to);
            for row in t.rows {
                let mut cells = vec![period.clone()];
                cells.extend(row);
                o.rows.push(cells);
            }
        }
        out.unwrap_or_default()
    }

    /// The table of the terminal's columns when `terminal`, else of every column.
    fn table_of(&self, terminal: bool, lang: Lang) -> Table {
        let columns = street_columns(terminal);
        let mut headers = vec![
            t!("report.column.street", locale = lang.code()).into_owned(),
            t!("report.column.code", locale = lang.code()).into_owned(),
        ];
        headers.extend(columns.iter().map(|c| c.column_label(terminal).text(lang)));
        let mut numeric = vec![false, false];
        numeric.extend(columns.iter().map(|_| true));
        let mut t = Table::of(headers, &numeric);
        let rows: Vec<(&StreetRow, Option<&StreetRow>)> = self
            .streets
            .iter()
            .enumerate()
            .map(|(i, r)| (r, self.previous.as_ref().and_then(|p| p.streets.get(i))))
            .chain(std::iter::once((
                &self.total,
                self.previous.as_ref().map(|p| &p.total),
            )))
            .collect();
        for (r, before) in rows {
            let mut cells = vec![r.name(lang), r.code().unwrap_or_default().to_string()];
            for c in &columns {
                let now = (c.value)(&r.figures);
                let v = now.cell();
                cells.push(match before {
                    Some(b) if !v.is_empty() => {
                        format!("{v} ({})", now.change((c.value)(&b.figures)))
                    }
                    _ => v,
                });
            }
            t.rows.push(cells);
        }
        t
    }
}

/// Every month of a period, each with its per-street figures: `report streets --monthly`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyReport {
    /// The whole period.
    pub period: Period,
    /// One report per month (the first and last may be parts of months).
    pub months: Vec<StreetReport>,
}

impl MonthlyReport {
    /// Computes every month of `period` in one pass over the registry.
    pub fn compute(db: &Db, period: Period) -> Result<Self> {
        let months = period.months();
        let figs = figures(db, &months)?;
        Ok(Self {
            period,
            months: figs.iter().map(StreetReport::of).collect(),
        })
    }

    /// One table: a month column, then the columns of `report streets`.
    pub fn table(&self, lang: Lang, wide: bool) -> Table {
        let mut out: Option<Table> = None;
        for m in &self.months {
            let t = if wide {
                m.wide_table(lang)
            } else {
                m.table(lang)
            };
            let o = out.get_or_insert_with(|| {
                let mut headers =
                    vec![t!("report.column.month", locale = lang.code()).into_owned()];
                headers.extend(t.headers.iter().cloned());
                let mut numeric = vec![false];
                numeric.extend(&t.numeric);
                Table::of(headers, &numeric)
            });
            let month = crate::model::Month::of(m.period.from).to_string();
            for r in t.rows {
                let mut row = vec![month.clone()];
                row.extend(r);
                o.rows.push(row);
            }
        }
        out.unwrap_or_default()
    }
}
