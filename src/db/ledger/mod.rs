//! The points ledger as an accounting journal: rules and their rates, statements with a
//! running balance, balances, the entries of one worker for `report worker`, and how an entry
//! counts in the reports' flows. Entries are only appended (the schema's triggers refuse
//! UPDATE and DELETE); a correction is a new entry.
//!
//! Writing is in `write.rs` (grants for records, entries from registers and the terminal,
//! reversals and adjustments, the overdraw guard), the check of the ledger's invariants in
//! `check.rs`, the hash chain that seals each entry in `seal.rs`, and the digest of the chain's
//! head that anchors it outside the file in `digest.rs`.

mod carry;
mod check;
mod digest;
mod seal;
mod write;

pub use carry::{CarriedEntry, Carrier};
pub use check::{Violation, check};
pub use digest::{Digest, HEAD_HEX, Mismatch, NotADigest, digest, verify};
pub use seal::{register_seal_function, seal_of};
pub use write::{
    Correction, Grant, PointWriter, ResolvedPoint, adjust, available, grant, later_dip, reverse,
    reverse_gift_order,
};
pub(crate) use write::{correction_key, grant_key, point_key};

use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension, params};

use super::events::days;
use crate::db::Reader;
use crate::model::{Period, Points, RuleCode, Vocabulary};

/// A rule and its current points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The rule.
    pub code: RuleCode,
    /// Points per unit (an hour of service, an approved report, an adopted suggestion).
    pub points: i64,
    /// When it was last set, `YYYY-MM-DD HH:MM:SS`.
    pub updated_at: String,
    /// Who set it.
    pub updated_by: String,
}

/// Every rule this build knows (a row of another build's rule is left out).
///
/// Errors: database errors.
pub fn rules(db: &impl Reader) -> Result<Vec<Rule>> {
    let conn = db.conn().0;
    let mut stmt = conn
        .prepare("SELECT code, points, updated_at, updated_by FROM point_rules ORDER BY rowid")?;
    let stored: Vec<(String, i64, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let rows = stored
        .into_iter()
        .filter_map(|(code, points, updated_at, updated_by)| {
            RuleCode::from_code(&code).map(|code| Rule {
                code,
                points,
                updated_at,
                updated_by,
            })
        })
        .collect();
    Ok(rows)
}

/// The current points of a rule.
pub fn rule_points(conn: &Connection, code: RuleCode) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT points FROM point_rules WHERE code = ?1")?
        .query_row([code.code()], |r| r.get(0))?)
}

/// The most points a rule may grant per unit: programmes grant a few points an hour or per
/// report; anything near this is a typing mistake.
pub const MAX_RULE_POINTS: i64 = 100;

/// Sets a rule's points, recording the change in the change log. Entries already granted
/// keep their points. Returns the old value.
pub fn set_rule(conn: &Connection, code: RuleCode, points: i64) -> Result<i64> {
    if !(0..=MAX_RULE_POINTS).contains(&points) {
        bail!(
            "{}",
            rust_i18n::t!("ledger.rule_range", max = MAX_RULE_POINTS, points = points)
        );
    }
    let old = rule_points(conn, code)?;
    let (now, who) = (crate::db::now_text(), crate::db::operator());
    conn.execute(
        "UPDATE point_rules SET points = ?1, updated_at = ?2, updated_by = ?3 WHERE code = ?4",
        params![points, now, who, code.code()],
    )?;
    crate::db::changes::log(
        conn,
        "rule",
        code.code(),
        "points",
        Some(&old.to_string()),
        Some(&points.to_string()),
        "points rule set",
        None,
    )?;
    Ok(old)
}

/// Points for a volunteer service of `minutes` at `per_hour` points an hour, rounded to the
/// nearest whole point (half up): 90 minutes at 1 point an hour is 2 points, 20 minutes 0.
pub fn service_points(minutes: i64, per_hour: i64) -> i64 {
    (minutes * per_hour + 30) / 60
}

/// One ledger entry as a statement shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Entry id (what `points reverse` takes).
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Signed points.
    pub points: i64,
    /// `earn`, `redeem`, `reverse`, `adjust`.
    pub kind: String,
    /// Category code.
    pub category: String,
    /// Rule code, for grants.
    pub rule: Option<String>,
    /// Reason.
    pub reason: String,
    /// `services:12`, `tips:3`.
    pub source: Option<String>,
    /// The entry reversed.
    pub reverses: Option<i64>,
    /// The entry that reverses this one.
    pub reversed_by: Option<i64>,
    /// Allowed to overdraw.
    pub allow_negative: bool,
    /// Who entered it.
    pub operator: String,
    /// When it was entered.
    pub entered_at: String,
    /// Running balance after this entry, in date order.
    pub balance: i64,
}

/// A worker's entries in date order (then entry order), each with the running balance.
pub fn statement(db: &impl Reader, worker: i64) -> Result<Vec<Entry>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT p.id, p.date, p.points, p.kind, p.category, p.rule, p.reason,
                p.source_table || ':' || p.source_id, p.reverses,
                (SELECT r.id FROM point_entries r WHERE r.reverses = p.id),
                p.allow_negative, p.operator, p.entered_at,
                sum(p.points) OVER (ORDER BY p.date, p.id)
         FROM point_entries p WHERE p.worker_id = ?1
         ORDER BY p.date, p.id",
    )?;
    let rows = stmt
        .query_map([worker], |r| {
            Ok(Entry {
                id: r.get(0)?,
                date: r.get(1)?,
                points: r.get(2)?,
                kind: r.get(3)?,
                category: r.get(4)?,
                rule: r.get(5)?,
                reason: r.get(6)?,
                source: r.get(7)?,
                reverses: r.get(8)?,
                reversed_by: r.get(9)?,
                allow_negative: r.get(10)?,
                operator: r.get(11)?,
                entered_at: r.get(12)?,
                balance: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The number of entries in the ledger.
///
/// Errors: database errors.
pub fn entry_count(db: &impl Reader) -> Result<i64> {
    let conn = db.conn().0;
    Ok(conn.query_row("SELECT count(*) FROM point_entries", [], |r| r.get(0))?)
}

/// The balance of a worker: the sum of the ledger.
pub fn balance(db: &impl Reader, worker: i64) -> Result<Points> {
    let conn = db.conn().0;
    let b: Option<i64> = conn.query_row(
        "SELECT sum(points) FROM point_entries WHERE worker_id = ?1",
        [worker],
        |r| r.get(0),
    )?;
    Ok(Points(b.unwrap_or(0)))
}

/// A worker's points balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    /// 姓名.
    pub name: String,
    /// Full 手机号.
    pub phone: Option<String>,
    /// Full 身份证号.
    pub id_number: Option<String>,
    /// Sum of the worker's ledger entries, in points.
    pub balance: i64,
    /// Points earned in all, net of reversals and adjustments (earned − redeemed = balance).
    pub earned: i64,
    /// Points redeemed in all, net of reversed redemptions (a positive number).
    pub redeemed: i64,
}

/// Balances of every worker with ledger entries (or of one worker), by name.
pub fn balances(db: &impl Reader, worker: Option<i64>) -> Result<Vec<BalanceRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT w.name, w.phone, w.id_number, sum(p.points),
                coalesce(sum(CASE WHEN p.kind = 'redeem' OR o.kind = 'redeem' THEN 0 ELSE p.points END), 0),
                -coalesce(sum(CASE WHEN p.kind = 'redeem' OR o.kind = 'redeem' THEN p.points END), 0)
         FROM point_entries p JOIN workers w ON w.id = p.worker_id
         LEFT JOIN point_entries o ON o.id = p.reverses
         WHERE ?1 IS NULL OR p.worker_id = ?1
         GROUP BY p.worker_id
         ORDER BY w.name, w.id",
    )?;
    let rows = stmt
        .query_map([worker], |r| {
            Ok(BalanceRow {
                name: r.get(0)?,
                phone: r.get(1)?,
                id_number: r.get(2)?,
                balance: r.get(3)?,
                earned: r.get(4)?,
                redeemed: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The points a record granted, net of any reversal of that grant: the SQL expression over
/// `e` (the grant, `kind = 'earn'`) and `r` (its reversal), both LEFT JOINed.
pub(super) const NET_POINTS: &str = "coalesce(e.points, 0) + coalesce(r.points, 0)";

/// The points record `source_table`/`source_id` (`services` or `tips`) has granted: the
/// amount of its grant, 0 when none.
pub fn granted(conn: &Connection, source_table: &str, source_id: i64) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT points FROM point_entries
             WHERE source_table = ?1 AND source_id = ?2 AND kind = 'earn'",
            params![source_table, source_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// One ledger entry of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointEntry {
    /// Entry id (what `points reverse` takes).
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `earn`, `redeem`, `reverse` or `adjust`.
    pub kind: String,
    /// Signed points (never 0): negative for a redemption.
    pub points: i64,
    /// Category code (`volunteer_service`, `tip`, `suggestion`, `redemption`, `other`).
    pub category: String,
    /// 事由; empty when none was written.
    pub reason: String,
    /// For a reversal: the id of the entry it reverses.
    pub reverses: Option<i64>,
    /// For a reversal: the kind of the entry it reverses.
    pub reversed_kind: Option<String>,
    /// The reversal that undoes this entry, whenever dated, if any.
    pub reversed_by: Option<i64>,
}

/// [`point_entries`]: through `point_entries_event (worker_id, date, event_key)`.
pub(super) const POINT_ENTRIES_SQL: &str =
    "SELECT p.id, p.date, p.kind, p.points, p.category, p.reason, p.reverses, o.kind,
            (SELECT r.id FROM point_entries r WHERE r.reverses = p.id)
     FROM point_entries p
     LEFT JOIN point_entries o ON o.id = p.reverses
     WHERE p.worker_id = ?1 AND p.date BETWEEN ?2 AND ?3
     ORDER BY p.date, p.id";

/// The ledger entries of worker `id` dated inside `period` (`None`: all), by date then entry
/// (the order of `points statement`).
///
/// Errors: database errors.
pub fn point_entries(
    db: &impl Reader,
    id: i64,
    period: Option<&Period>,
) -> Result<Vec<PointEntry>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(POINT_ENTRIES_SQL)?
        .query_map(params![id, from, to], |r| {
            Ok(PointEntry {
                id: r.get(0)?,
                date: r.get(1)?,
                kind: r.get(2)?,
                points: r.get(3)?,
                category: r.get(4)?,
                reason: r.get(5)?,
                reverses: r.get(6)?,
                reversed_kind: r.get(7)?,
                reversed_by: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// [`balance_through`]: through `point_entries_event`.
pub(super) const BALANCE_THROUGH_SQL: &str = "SELECT coalesce(sum(points), 0) FROM point_entries
     WHERE worker_id = ?1 AND date <= ?2";

/// The points balance of worker `id` at the end of day `date` (`YYYY-MM-DD`, or any text
/// that sorts after the last day wanted, e.g. `2025-02-31` for February): the sum of the
/// entries dated on or before it, in points; 0 without any.
///
/// Errors: database errors.
pub fn balance_through(db: &impl Reader, id: i64, date: &str) -> Result<i64> {
    let conn = db.conn().0;
    Ok(conn
        .prepare_cached(BALANCE_THROUGH_SQL)?
        .query_row(params![id, date], |r| r.get(0))?)
}

/// How a ledger entry counts in the reports' flows: points earned, or points redeemed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Earnings and positive adjustments.
    Earned,
    /// Redemptions (their points are negative).
    Redeemed,
}

/// The flow an entry counts in, by the one rule every report uses: an entry reversed since
/// (`reversed`) counts nowhere, nor does a reversal itself, so no period shows negative
/// points; a negative adjustment (a deduction) is neither earned nor redeemed. `kind` is the
/// stored code (`earn`, `redeem`, `reverse`, `adjust`), `points` signed.
pub fn flow(kind: &str, points: i64, reversed: bool) -> Option<Flow> {
    match kind {
        _ if reversed => None,
        "earn" => Some(Flow::Earned),
        "redeem" => Some(Flow::Redeemed),
        "adjust" if points > 0 => Some(Flow::Earned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reports_count_earnings_and_redemptions_never_reversed_ones_or_deductions() {
        assert_eq!(flow("earn", 5, false), Some(Flow::Earned));
        assert_eq!(flow("adjust", 4, false), Some(Flow::Earned));
        assert_eq!(flow("redeem", -20, false), Some(Flow::Redeemed));
        assert_eq!(flow("adjust", -3, false), None);
        assert_eq!(flow("reverse", -5, false), None);
        assert_eq!(flow("earn", 5, true), None);
        assert_eq!(flow("redeem", -20, true), None);
    }

    #[test]
    fn service_points_round_half_up() {
        assert_eq!(service_points(60, 1), 1);
        assert_eq!(service_points(90, 1), 2);
        assert_eq!(service_points(89, 1), 1);
        assert_eq!(service_points(20, 1), 0);
        assert_eq!(service_points(120, 3), 6);
    }
}
