//! Which organization covers a station on which day (组织覆盖): dated coverage — a station is
//! covered by at most one organization at a time, and a move ends the old coverage the day
//! before the new one begins — planned without writing, then written, and the coverage history
//! of `org show`.
//!
//! Coverage rows are never deleted: `org_coverage` is the history of which organization
//! covered a station on which day. (A move dated the very day the current coverage began gives
//! that row to the new organization: no day of the old coverage would remain.) Every coverage
//! begun, ended or replaced is written to the change log (entity `org`).

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;

use crate::db::Reader;
use crate::db::changes::Origin;

/// The organization covering a station now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// `org_coverage` row id.
    pub id: i64,
    /// Organization row id.
    pub org: i64,
    /// Organization name.
    pub org_name: String,
    /// First day covered, `YYYY-MM-DD`.
    pub from_on: String,
}

/// The organization covering `station` now (the coverage without a last day), if any.
pub fn current_coverage(conn: &Connection, station: i64) -> rusqlite::Result<Option<Coverage>> {
    conn.prepare_cached(
        "SELECT c.id, c.org_id, o.name, c.from_on FROM org_coverage c
         JOIN party_orgs o ON o.id = c.org_id
         WHERE c.station_id = ?1 AND c.until_on IS NULL",
    )?
    .query_row([station], |r| {
        Ok(Coverage {
            id: r.get(0)?,
            org: r.get(1)?,
            org_name: r.get(2)?,
            from_on: r.get(3)?,
        })
    })
    .optional()
}

/// What covering a station did (or, planned, will do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covered {
    /// The station was not covered; it is covered from the day given.
    New,
    /// The organization covers it already, since that day: nothing changes.
    Already {
        /// First day of the current coverage.
        since: String,
    },
    /// Another organization covered it; that coverage ends the day before.
    Moved {
        /// The organization that covered it.
        from: String,
    },
    /// Another organization's coverage began on the very day given: no day of it would remain,
    /// so it is replaced (a correction, not a move).
    Replaced {
        /// The organization whose coverage is replaced.
        from: String,
    },
    /// The organization covers it already, from a later day: the first day is corrected to
    /// the earlier one given (nothing else covered the station then).
    StartCorrected {
        /// The first day before the correction.
        before: String,
    },
}

/// A checked coverage change, ready to be written by [`apply_cover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverPlan {
    /// Station row id.
    pub station: i64,
    /// Station name.
    pub station_name: String,
    /// First day covered.
    pub from: NaiveDate,
    /// The current coverage by another organization (ended or replaced by the plan).
    current: Option<Coverage>,
    /// What the plan does.
    pub effect: Covered,
}

/// Why a coverage was refused: the problem, and the first day `org cover --date` could give
/// instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverRefused {
    /// What is wrong, as a sentence.
    pub problem: String,
    /// How a typed date would be accepted (`date it 2025-07-16 or later`), if one would.
    pub fix: Option<String>,
}

impl std::fmt::Display for CoverRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fix {
            Some(fix) => write!(f, "{} — {fix}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

/// Why [`plan_cover`] gave no plan: the coverage is refused, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum CoverError {
    /// The coverage asked cannot be: why, and what would be accepted.
    #[error("{0}")]
    Refused(CoverRefused),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

impl From<CoverRefused> for CoverError {
    fn from(r: CoverRefused) -> Self {
        Self::Refused(r)
    }
}

/// Checks that organization `org` (`None`: one about to be added, founded on `founded`) may
/// cover `station` from `from`, without writing.
///
/// Errors ([`CoverError::Refused`]): a day before the organization was founded; a day before
/// the current coverage by another organization began; a day inside an earlier, ended
/// coverage. [`CoverError::Db`]: the database failed.
pub fn plan_cover(
    conn: &Connection,
    org: Option<i64>,
    founded: Option<NaiveDate>,
    station: i64,
    from: NaiveDate,
) -> Result<CoverPlan, CoverError> {
    let station_name: String =
        conn.query_row("SELECT name FROM stations WHERE id = ?1", [station], |r| {
            r.get(0)
        })?;
    let current = current_coverage(conn, station)?;
    let plan = |current: Option<Coverage>, effect| CoverPlan {
        station,
        station_name: station_name.clone(),
        from,
        current,
        effect,
    };
    if let Some(c) = &current
        && Some(c.org) == org
        && from.to_string() >= c.from_on
    {
        return Ok(plan(
            None,
            Covered::Already {
                since: c.from_on.clone(),
            },
        ));
    }
    if let Some(f) = founded
        && from < f
    {
        return Err(CoverError::Refused(CoverRefused {
            problem: t!("records.org.cover_before_founded", from = from, founded = f).into_owned(),
            fix: None,
        }));
    }
    let day = from.to_string();
    if let Some(c) = &current
        && day < c.from_on
        && Some(c.org) != org
    {
        return Err(CoverError::Refused(CoverRefused {
            problem: t!(
                "records.org.cover_move_too_early",
                org = c.org_name,
                since = c.from_on,
                day = day
            )
            .into_owned(),
            fix: Some(t!("records.org.fix_date_on_or_after", day = c.from_on).into_owned()),
        }));
    }
    let ended: Option<(String, String)> = conn
        .query_row(
            "SELECT o.name, c.until_on FROM org_coverage c JOIN party_orgs o ON o.id = c.org_id
             WHERE c.station_id = ?1 AND c.until_on >= ?2 ORDER BY c.until_on DESC LIMIT 1",
            params![station, day],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((name, until)) = ended {
        return Err(CoverError::Refused(CoverRefused {
            problem: t!(
                "records.org.cover_overlap",
                org = name,
                until = until,
                day = day
            )
            .into_owned(),
            fix: Some(t!("records.org.fix_date_after", day = until).into_owned()),
        }));
    }
    match current {
        None => Ok(plan(None, Covered::New)),
        Some(c) if Some(c.org) == org => {
            let before = c.from_on.clone();
            Ok(plan(Some(c), Covered::StartCorrected { before }))
        }
        Some(c) if day == c.from_on => {
            let from = c.org_name.clone();
            Ok(plan(Some(c), Covered::Replaced { from }))
        }
        Some(c) => {
            let from = c.org_name.clone();
            Ok(plan(Some(c), Covered::Moved { from }))
        }
    }
}

/// `美团柳巷站 2025-07-01–` (or `…–2025-07-15` once it ended): a coverage as the change log
/// records it. Stored data, so in no language: the same whichever language the run speaks.
fn span(station: &str, from: &str, until: Option<&str>) -> String {
    format!("{station} {from}–{}", until.unwrap_or_default())
}

pub(super) fn log(
    conn: &Connection,
    origin: &Origin,
    org: i64,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> rusqlite::Result<()> {
    crate::db::changes::log(
        conn,
        "org",
        &org.to_string(),
        field,
        old,
        new,
        &origin.command,
        origin.batch,
    )
}

/// Writes a plan of [`plan_cover`] for organization `org`: ends (or replaces) the other
/// organization's coverage and begins this one's, each logged under its organization.
pub fn apply_cover(
    conn: &Connection,
    org: i64,
    plan: &CoverPlan,
    origin: &Origin,
) -> rusqlite::Result<()> {
    let day = plan.from.to_string();
    let name = plan.station_name.as_str();
    match (&plan.effect, &plan.current) {
        (Covered::Already { .. }, _) => return Ok(()),
        (Covered::StartCorrected { before }, Some(c)) => {
            conn.execute(
                "UPDATE org_coverage SET from_on = ?1 WHERE id = ?2",
                params![day, c.id],
            )?;
            return log(
                conn,
                origin,
                org,
                "cover",
                Some(&span(name, before, None)),
                Some(&span(name, &day, None)),
            );
        }
        (Covered::Replaced { .. }, Some(c)) => {
            conn.execute(
                "UPDATE org_coverage SET org_id = ?1 WHERE id = ?2",
                params![org, c.id],
            )?;
            log(
                conn,
                origin,
                c.org,
                "cover",
                Some(&span(name, &c.from_on, None)),
                None,
            )?;
            log(
                conn,
                origin,
                org,
                "cover",
                None,
                Some(&span(name, &day, None)),
            )?;
            return Ok(());
        }
        (Covered::Moved { .. }, Some(c)) => {
            let last = plan
                .from
                .pred_opt()
                .expect("a day after another has a day before it")
                .to_string();
            conn.execute(
                "UPDATE org_coverage SET until_on = ?1 WHERE id = ?2",
                params![last, c.id],
            )?;
            log(
                conn,
                origin,
                c.org,
                "cover",
                Some(&span(name, &c.from_on, None)),
                Some(&span(name, &c.from_on, Some(&last))),
            )?;
        }
        _ => {}
    }
    conn.execute(
        "INSERT INTO org_coverage (org_id, station_id, from_on) VALUES (?1, ?2, ?3)",
        params![org, plan.station, day],
    )?;
    log(
        conn,
        origin,
        org,
        "cover",
        None,
        Some(&span(name, &day, None)),
    )
}

/// Ends the current coverage of `station`: `last_day` is the last day covered. Returns the
/// organization that covered it and the first day of that coverage.
///
/// Errors: the station is not covered now; `last_day` before the coverage began.
pub fn uncover(
    conn: &Connection,
    station: i64,
    last_day: NaiveDate,
    origin: &Origin,
) -> Result<(String, String)> {
    let name: String =
        conn.query_row("SELECT name FROM stations WHERE id = ?1", [station], |r| {
            r.get(0)
        })?;
    let Some(c) = current_coverage(conn, station)? else {
        bail!("{}", t!("records.org.uncover_not_covered", station = name));
    };
    let last = last_day.to_string();
    if last < c.from_on {
        bail!(
            "{}",
            t!(
                "records.org.uncover_too_early",
                station = name,
                org = c.org_name,
                since = c.from_on
            )
        );
    }
    conn.execute(
        "UPDATE org_coverage SET until_on = ?1 WHERE id = ?2",
        params![last, c.id],
    )?;
    log(
        conn,
        origin,
        c.org,
        "cover",
        Some(&span(&name, &c.from_on, None)),
        Some(&span(&name, &c.from_on, Some(&last))),
    )?;
    Ok((c.org_name, c.from_on))
}

/// One coverage of a station, current or ended, for `org show` and tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoverageSpan {
    /// 站点名称.
    pub station: String,
    /// First day covered.
    pub from_on: String,
    /// Last day covered; `None` while it still is.
    pub until_on: Option<String>,
}

/// Every coverage of organization `org`, current and ended, by first day and station.
pub fn coverage_history(db: &impl Reader, org: i64) -> Result<Vec<CoverageSpan>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT st.name, c.from_on, c.until_on FROM org_coverage c
         JOIN stations st ON st.id = c.station_id
         WHERE c.org_id = ?1 ORDER BY c.from_on, st.name, c.id",
    )?;
    let rows = stmt
        .query_map([org], |r| {
            Ok(CoverageSpan {
                station: r.get(0)?,
                from_on: r.get(1)?,
                until_on: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
