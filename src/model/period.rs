//! Days and periods: the one parser of a period typed as flags (`--month`, `--quarter`,
//! `--year`, `--from`/`--to`) and the one reader of a stored `YYYY-MM-DD` day.

use chrono::{Datelike, NaiveDate};
use rust_i18n::t;

use super::normalize;
use super::{Month, UsageError};

/// The first day a report may cover: event keys count days from it.
pub const FIRST_REPORT_DAY: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid");

/// The last day a report may cover.
pub const LAST_REPORT_DAY: NaiveDate = NaiveDate::from_ymd_opt(2099, 12, 31).expect("valid");

/// Today's local date: the latest day an event may carry.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A day as stored in the registry (`YYYY-MM-DD`, the only form the schema holds); `None` for
/// any other text.
pub fn stored_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A period of whole days, both ends included. Serialized as `{"from": "YYYY-MM-DD", "to":
/// "YYYY-MM-DD"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// The days `from` to `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Self { from, to }
    }

    /// The whole of a calendar month.
    pub fn month(m: Month) -> Self {
        Self::new(m.first_day(), m.last_day())
    }

    /// True when `day` lies inside the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Length in days, both ends counted.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The months of the period, whole or in part, each cut to the period: July 15 to
    /// September 10 gives July 15–31, August, September 1–10.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut first = Month::of(self.from).first_day();
        while first <= self.to {
            let m = Month::of(first);
            out.push(Period::new(first.max(self.from), m.last_day().min(self.to)));
            first = m.last_day() + chrono::Days::new(1);
        }
        out
    }

    /// The period of the same length just before this one: the previous month, quarter or
    /// year when the period is whole months, else as many days. `None` before the calendar's
    /// first day.
    pub fn previous(&self) -> Option<Period> {
        let (from, to) = (self.from, self.to);
        let whole_months = from.day() == 1 && to.succ_opt()?.day() == 1;
        if whole_months {
            let months =
                (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
            let start = from.checked_sub_months(chrono::Months::new(months as u32))?;
            return Some(Period::new(start, from.pred_opt()?));
        }
        let start = from.checked_sub_days(chrono::Days::new(self.days() as u64))?;
        Some(Period::new(start, from.pred_opt()?))
    }
}

/// A period as typed on the command line: each flag's text as given, or `None`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeriodFlags<'a> {
    /// `--month 2025-07`.
    pub month: Option<&'a str>,
    /// `--quarter 2025Q3`.
    pub quarter: Option<&'a str>,
    /// `--year 2025`.
    pub year: Option<&'a str>,
    /// `--from DATE`.
    pub from: Option<&'a str>,
    /// `--to DATE`.
    pub to: Option<&'a str>,
}

impl PeriodFlags<'_> {
    /// The period the flags name, or `None` when none is given: a month, a quarter
    /// (`2025Q3`), a year, or `--from`/`--to` (`--to` defaults to `today`). Months, quarters,
    /// years and dates may be typed with full-width digits and spaces (`２０２５`), dates in
    /// every form an import accepts.
    ///
    /// Errors ([`UsageError`]): a malformed value, a named period with `--from`/`--to`, two
    /// named periods, `--to` without `--from` or before it, and any day outside
    /// [`FIRST_REPORT_DAY`]..=[`LAST_REPORT_DAY`].
    pub fn period(&self, today: NaiveDate) -> Result<Option<Period>, UsageError> {
        let named = [
            ("--month", self.month),
            ("--quarter", self.quarter),
            ("--year", self.year),
        ];
        let mut given = named.iter().filter_map(|(f, v)| v.map(|v| (*f, v)));
        let first = given.next();
        if first.is_some() && given.next().is_some() {
            return Err(UsageError(t!("model.period.one_of").into_owned()));
        }
        if let Some((flag, value)) = first {
            if self.from.is_some() || self.to.is_some() {
                return Err(UsageError(t!("model.period.not_both").into_owned()));
            }
            let p = match flag {
                "--month" => month(value)?,
                "--quarter" => quarter(value)?,
                _ => year(value)?,
            };
            if p.from < FIRST_REPORT_DAY || p.to > LAST_REPORT_DAY {
                return Err(outside(flag, value));
            }
            return Ok(Some(p));
        }
        match (self.from, self.to) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(UsageError(t!("model.period.to_needs_from").into_owned())),
            (Some(f), t) => {
                let from = day(f, "--from")?;
                let to = t.map(|t| day(t, "--to")).transpose()?.unwrap_or(today);
                if from < FIRST_REPORT_DAY {
                    return Err(outside("--from", f));
                }
                if to > LAST_REPORT_DAY {
                    return Err(outside("--to", t.unwrap_or(&to.to_string())));
                }
                if to < from && t.is_none() {
                    return Err(UsageError(
                        t!(
                            "model.period.from_after_today",
                            from = from,
                            today = today,
                            last = Month::of(from).last_day()
                        )
                        .into_owned(),
                    ));
                }
                if to < from {
                    return Err(UsageError(
                        t!("model.period.to_before_from", to = to, from = from).into_owned(),
                    ));
                }
                Ok(Some(Period::new(from, to)))
            }
        }
    }
}

/// A day typed for `flag`, in any form an import accepts but an Excel day number
/// ([`normalize::typed_date`]).
fn day(s: &str, flag: &str) -> Result<NaiveDate, UsageError> {
    normalize::typed_date(s).map_err(|e| UsageError(format!("{flag} {s}: {e}")))
}

/// A typed month, quarter or year folded to ASCII (NFKC: `２０２５` → `2025`) without spaces.
fn compact(s: &str) -> String {
    normalize::folded(s).replace(' ', "")
}

fn month(m: &str) -> Result<Period, UsageError> {
    Month::parse(&compact(m))
        .map(Period::month)
        .ok_or_else(|| UsageError(format!("--month {m}: {}", t!("model.period.not_month"))))
}

fn quarter(q: &str) -> Result<Period, UsageError> {
    let bad = || UsageError(format!("--quarter {q}: {}", t!("model.period.not_quarter")));
    let t = compact(q).to_uppercase();
    let (y, n) = t.split_once('Q').ok_or_else(bad)?;
    let y = y.trim_end_matches('-');
    let n: u32 = n.parse().map_err(|_| bad())?;
    if y.len() != 4 || !(1..=4).contains(&n) {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let first = NaiveDate::from_ymd_opt(y, 3 * n - 2, 1).ok_or_else(bad)?;
    let last = Month {
        year: y,
        month: 3 * n,
    }
    .last_day();
    Ok(Period::new(first, last))
}

fn year(y: &str) -> Result<Period, UsageError> {
    let bad = || UsageError(format!("--year {y}: {}", t!("model.period.not_year")));
    let t = compact(y);
    let t = t.trim_end_matches('年');
    if t.len() != 4 {
        return Err(bad());
    }
    let n: i32 = t.parse().map_err(|_| bad())?;
    let first = NaiveDate::from_ymd_opt(n, 1, 1).ok_or_else(bad)?;
    let last = NaiveDate::from_ymd_opt(n, 12, 31).ok_or_else(bad)?;
    Ok(Period::new(first, last))
}

/// The usage error of a period flag outside [`FIRST_REPORT_DAY`]..=[`LAST_REPORT_DAY`].
fn outside(flag: &str, value: &str) -> UsageError {
    UsageError(format!(
        "{flag} {value}: {}",
        t!(
            "model.period.outside",
            first = FIRST_REPORT_DAY,
            last = LAST_REPORT_DAY
        )
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        stored_day(s).unwrap()
    }

    fn parse(f: PeriodFlags<'_>) -> Result<Option<Period>, UsageError> {
        f.period(d("2025-12-03"))
    }

    #[test]
    fn named_periods() {
        let q = parse(PeriodFlags {
            quarter: Some("２０２５ q4"),
            ..Default::default()
        });
        assert_eq!(
            q.unwrap(),
            Some(Period::new(d("2025-10-01"), d("2025-12-31")))
        );
        let m = parse(PeriodFlags {
            month: Some("2024-02"),
            ..Default::default()
        });
        assert_eq!(
            m.unwrap(),
            Some(Period::new(d("2024-02-01"), d("2024-02-29")))
        );
        let y = parse(PeriodFlags {
            year: Some("2025年"),
            ..Default::default()
        });
        assert_eq!(
            y.unwrap(),
            Some(Period::new(d("2025-01-01"), d("2025-12-31")))
        );
    }

    #[test]
    fn from_alone_runs_to_today_and_to_alone_is_refused() {
        let p = parse(PeriodFlags {
            from: Some("2025/11/1"),
            ..Default::default()
        });
        assert_eq!(
            p.unwrap(),
            Some(Period::new(d("2025-11-01"), d("2025-12-03")))
        );
        let e = parse(PeriodFlags {
            to: Some("2025-07-31"),
            ..Default::default()
        });
        assert!(e.unwrap_err().0.starts_with("--to needs --from"));
    }

    #[test]
    fn refusals() {
        let both = parse(PeriodFlags {
            month: Some("2025-07"),
            from: Some("2025-07-01"),
            ..Default::default()
        });
        assert!(both.unwrap_err().0.contains("not both"));
        let early = parse(PeriodFlags {
            year: Some("1999"),
            ..Default::default()
        });
        assert_eq!(
            early.unwrap_err().0,
            "--year 1999: reports cover 2000-01-01 to 2099-12-31 only"
        );
        let backwards = parse(PeriodFlags {
            from: Some("2025-07-31"),
            to: Some("2025-07-01"),
            ..Default::default()
        });
        assert_eq!(
            backwards.unwrap_err().0,
            "--to 2025-07-01 is before --from 2025-07-31"
        );
        assert!(parse(PeriodFlags::default()).unwrap().is_none());
        let future = parse(PeriodFlags {
            from: Some("2027-01-15"),
            ..Default::default()
        });
        assert_eq!(
            future.unwrap_err().0,
            "--from 2027-01-15 is after today (2025-12-03): give the period's last day too, \
             e.g. --from 2027-01-15 --to 2027-01-31"
        );
    }
}
