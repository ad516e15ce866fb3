//! The points ledger as an accounting journal: rules, grants for records, reversals,
//! adjustments, statements with a running balance, and the check of its invariants. Entries
//! are only appended (the schema's triggers refuse UPDATE and DELETE); a correction is a new
//! entry.

use anyhow::{Result, bail};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::model::{PointCategory, Points, RuleCode, Vocabulary};

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

/// Every rule.
pub fn rules(conn: &Connection) -> Result<Vec<Rule>> {
    let mut stmt = conn
        .prepare("SELECT code, points, updated_at, updated_by FROM point_rules ORDER BY rowid")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .filter_map(|r| r.ok())
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
            "a rule grants 0 to {MAX_RULE_POINTS} points per unit (an hour of service, a report), \
             not {points}"
        );
    }
    let old = rule_points(conn, code)?;
    let (now, who) = (super::now_text(), super::operator());
    conn.execute(
        "UPDATE point_rules SET points = ?1, updated_at = ?2, updated_by = ?3 WHERE code = ?4",
        params![points, now, who, code.code()],
    )?;
    super::changes::log(
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

/// What a record grants: its worker, date, points, rule and the record itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant<'a> {
    /// Worker row id.
    pub worker: i64,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// Points (positive).
    pub points: i64,
    /// The rule applied.
    pub rule: RuleCode,
    /// `services` or `tips`.
    pub source_table: &'a str,
    /// The record's row id.
    pub source_id: i64,
    /// What for, e.g. the activity.
    pub reason: &'a str,
    /// The import batch, if any.
    pub batch: Option<i64>,
}

/// Appends the earning a record grants, once: a record that has already granted (however
/// often approval is repeated) grants nothing more. Returns the entry id, or `None` when
/// nothing was granted (already granted, or 0 points).
pub fn grant(conn: &Connection, g: &Grant<'_>) -> Result<Option<i64>> {
    if g.points <= 0 {
        return Ok(None);
    }
    let category = match g.rule {
        RuleCode::VolunteerHour => PointCategory::VolunteerService,
        RuleCode::TipApproved => PointCategory::Tip,
        RuleCode::SuggestionAdopted => PointCategory::Suggestion,
    };
    let granted: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM point_entries
             WHERE kind = 'earn' AND source_table = ?1 AND source_id = ?2",
        )?
        .query_row(params![g.source_table, g.source_id], |r| r.get(0))
        .optional()?;
    if granted.is_some() {
        return Ok(None);
    }
    // The event key of a grant is its record: unique with the worker and date.
    let key = (g.source_id << 3) | if g.source_table == "tips" { 1 } else { 2 };
    let n = conn
        .prepare_cached(
            "INSERT INTO point_entries (worker_id, date, points, kind, category, reason, event_key,
                 rule, source_table, source_id, operator, entered_at, batch_id)
             VALUES (?1, ?2, ?3, 'earn', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            g.worker,
            g.date,
            g.points,
            category.code(),
            g.reason,
            key,
            g.rule.code(),
            g.source_table,
            g.source_id,
            super::operator(),
            super::now_text(),
            g.batch
        ])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
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
pub fn statement(conn: &Connection, worker: i64) -> Result<Vec<Entry>> {
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

/// How a correction is entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction<'a> {
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// Why (required).
    pub reason: &'a str,
    /// The entry may take the running balance below zero (recorded on the entry).
    pub allow_negative: bool,
}

#[allow(clippy::too_many_arguments)]
fn insert_entry(
    conn: &Connection,
    worker: i64,
    points: i64,
    kind: &str,
    category: &str,
    reverses: Option<i64>,
    overdraws: bool,
    c: &Correction<'_>,
) -> Result<i64> {
    let occurrence: i64 = conn.query_row(
        "SELECT ifnull(max(occurrence), 0) + 1 FROM point_entries WHERE worker_id = ?1 AND date = ?2",
        params![worker, c.date],
        |r| r.get(0),
    )?;
    // A correction is its own event: the key is unique per worker and date by occurrence.
    let key = -(occurrence << 4) - i64::from(kind == "reverse");
    conn.execute(
        "INSERT INTO point_entries (worker_id, date, points, kind, category, reason, occurrence,
             event_key, reverses, allow_negative, operator, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            worker,
            c.date,
            points,
            kind,
            category,
            c.reason,
            occurrence,
            key,
            reverses,
            overdraws,
            super::operator(),
            super::now_text()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Points a worker can take off with an entry dated `date` without any running balance going
/// below zero: the balance after the last entry dated on or before `date` (a new entry goes
/// after the entries of its day), or less if an entry dated later already relies on them.
/// Balances are taken entry by entry, in date then entry order, as `statement` shows them and
/// `check` judges them: an earning later in a day does not hide a dip before it.
pub fn available(conn: &Connection, worker: i64, date: &str) -> rusqlite::Result<Points> {
    let (at, min_after): (Option<i64>, Option<i64>) = conn
        .prepare_cached(
            "WITH r AS (SELECT id, date, sum(points) OVER (ORDER BY date, id) AS run
                        FROM point_entries WHERE worker_id = ?1)
             SELECT (SELECT run FROM r WHERE date <= ?2 ORDER BY date DESC, id DESC LIMIT 1),
                    (SELECT min(run) FROM r WHERE date > ?2)",
        )?
        .query_row(params![worker, date], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let at = at.unwrap_or(0);
    Ok(Points(min_after.map_or(at, |m| m.min(at))))
}

/// Why less than the balance on `date` can be taken off, when an entry dated later already
/// relies on it: ` (on 2025-07-20 a later entry leaves 1)`; empty otherwise.
pub fn later_dip(conn: &Connection, worker: i64, date: &str) -> rusqlite::Result<String> {
    let dip: Option<(String, i64, i64)> = conn
        .prepare_cached(
            "WITH r AS (SELECT id, date, sum(points) OVER (ORDER BY date, id) AS run
                        FROM point_entries WHERE worker_id = ?1)
             SELECT date, run, (SELECT run FROM r WHERE date <= ?2 ORDER BY date DESC, id DESC LIMIT 1)
             FROM r WHERE date > ?2 ORDER BY run, date, id LIMIT 1",
        )?
        .query_row(params![worker, date], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<i64>>(2)?.unwrap_or(0)))
        })
        .optional()?;
    Ok(match dip {
        Some((d, run, at)) if run < at => {
            format!(" (the balance on {date} is {at}, but on {d} a later entry leaves {run})")
        }
        _ => String::new(),
    })
}

/// Refuses an entry of `points` on `date` that would take the worker's running balance below
/// zero, unless allowed. Returns whether the entry overdraws (recorded on it when allowed).
fn guard_overdraw(
    conn: &Connection,
    worker: i64,
    date: &str,
    points: i64,
    allow: bool,
) -> Result<bool> {
    if points >= 0 {
        return Ok(false);
    }
    let available = available(conn, worker, date)?;
    let overdraws = available.0 + points < 0;
    if overdraws && !allow {
        bail!(
            "refused: balance {available}, asked {}{} — a balance may not go below zero \
             (--allow-negative with --reason records an exception)",
            -points,
            later_dip(conn, worker, date)?
        );
    }
    Ok(overdraws)
}

/// Appends the reversal of entry `id` (the opposite points, same category) and returns the new
/// entry's id.
///
/// Errors: no such entry; it is itself a reversal; it was reversed already (by which entry);
/// reversing it would take the balance below zero (unless allowed).
pub fn reverse(conn: &Connection, id: i64, c: &Correction<'_>) -> Result<(i64, i64)> {
    let found: Option<(i64, i64, String, String, String)> = conn
        .query_row(
            "SELECT worker_id, points, kind, category, date FROM point_entries WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((worker, points, kind, category, date)) = found else {
        bail!(
            "there is no entry {id} — see the entry numbers with `nuanfeng points statement WORKER`"
        );
    };
    if kind == "reverse" {
        bail!("entry {id} is itself a reversal; enter the correction as a new entry instead");
    }
    if let Some(by) = conn
        .query_row(
            "SELECT id FROM point_entries WHERE reverses = ?1",
            [id],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
    {
        bail!("entry {id} was already reversed by entry {by}");
    }
    if c.date < date.as_str() {
        bail!("a reversal cannot be dated before the entry it reverses ({date})");
    }
    let overdraws = guard_overdraw(conn, worker, c.date, -points, c.allow_negative)?;
    let new = insert_entry(
        conn,
        worker,
        -points,
        "reverse",
        &category,
        Some(id),
        overdraws,
        c,
    )?;
    Ok((new, worker))
}

/// Appends an adjustment of `points` (either sign) with its reason.
///
/// Errors: zero points; a negative adjustment that would overdraw (unless allowed).
pub fn adjust(conn: &Connection, worker: i64, points: i64, c: &Correction<'_>) -> Result<i64> {
    if points == 0 {
        bail!("an adjustment of 0 points changes nothing");
    }
    let overdraws = guard_overdraw(conn, worker, c.date, points, c.allow_negative)?;
    insert_entry(
        conn,
        worker,
        points,
        "adjust",
        PointCategory::Other.code(),
        None,
        overdraws,
        c,
    )
}

/// A broken invariant of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The entry concerned, if one.
    pub entry: Option<i64>,
    /// The worker concerned, if one.
    pub worker: Option<i64>,
    /// That worker's 姓名, when the worker is registered.
    pub name: Option<String>,
    /// What is wrong.
    pub problem: String,
}

/// Checks the ledger: no entry that takes points off leaves the running balance below zero
/// unless it was allowed to overdraw (an earning that leaves an allowed overdraw still below
/// zero breaks nothing); every reversal points at an entry of the same worker with the
/// opposite points, dated no earlier; every record reference and rule resolves to a record of
/// the same worker; signs match kinds; entries are not dated after the day they were entered.
/// Each violation names its worker's 姓名 when the worker is registered.
pub fn check(conn: &Connection) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    let mut q = |sql: &str,
                 describe: &dyn Fn(&rusqlite::Row<'_>) -> rusqlite::Result<Violation>|
     -> Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            out.push(describe(r)?);
        }
        Ok(())
    };
    q(
        "WITH r AS (SELECT id, worker_id, date, points, allow_negative,
                           sum(points) OVER (PARTITION BY worker_id ORDER BY date, id) AS run
                    FROM point_entries)
         SELECT id, worker_id, date, run FROM r WHERE run < 0 AND points < 0 AND allow_negative = 0",
        &|r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: format!(
                    "the running balance is {} on {} after this entry, which was not allowed to overdraw",
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(2)?
                ),
            })
        },
    )?;
    q(
        "SELECT v.id, v.worker_id, v.reverses, o.id, o.worker_id, o.points, v.points, o.date, v.date
         FROM point_entries v LEFT JOIN point_entries o ON o.id = v.reverses
         WHERE v.kind = 'reverse' AND (o.id IS NULL OR o.worker_id <> v.worker_id
               OR o.points <> -v.points OR o.date > v.date OR v.reverses IS NULL)",
        &|r| {
            let target: Option<i64> = r.get(2)?;
            let found: Option<i64> = r.get(3)?;
            let problem = match (target, found) {
                (None, _) => "a reversal that names no entry".to_string(),
                (Some(t), None) => format!("reverses entry {t}, which does not exist"),
                (Some(t), Some(_)) => format!(
                    "reverses entry {t} but does not mirror it (other worker, other points, or dated before it)"
                ),
            };
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem,
            })
        },
    )?;
    q(
        "SELECT id, worker_id, kind, points FROM point_entries
         WHERE points = 0 OR (kind = 'earn' AND points < 0) OR (kind = 'redeem' AND points > 0)
               OR kind NOT IN ('earn', 'redeem', 'reverse', 'adjust')
               OR (kind <> 'reverse' AND reverses IS NOT NULL)",
        &|r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: format!(
                    "a {} entry of {} points: the kind and the sign disagree",
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?
                ),
            })
        },
    )?;
    q(
        "SELECT p.id, p.worker_id, p.source_table, p.source_id FROM point_entries p
         WHERE p.source_table IS NOT NULL AND NOT (
              (p.source_table = 'services' AND EXISTS (SELECT 1 FROM services s WHERE s.id = p.source_id AND s.worker_id = p.worker_id))
           OR (p.source_table = 'tips' AND EXISTS (SELECT 1 FROM tips t WHERE t.id = p.source_id AND t.worker_id = p.worker_id)))",
        &|r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: format!(
                    "refers to {} {}, which does not exist or belongs to another worker",
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?
                ),
            })
        },
    )?;
    q(
        "SELECT id, worker_id, rule FROM point_entries
         WHERE rule IS NOT NULL AND rule NOT IN (SELECT code FROM point_rules)",
        &|r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: format!(
                    "names the rule {}, which does not exist",
                    r.get::<_, String>(2)?
                ),
            })
        },
    )?;
    q(
        "SELECT id, worker_id, date, entered_at FROM point_entries WHERE date > substr(entered_at, 1, 10)",
        &|r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: format!(
                    "dated {}, after the day it was entered ({})",
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?
                ),
            })
        },
    )?;
    q(
        "SELECT p.id, p.worker_id FROM point_entries p
         WHERE NOT EXISTS (SELECT 1 FROM workers w WHERE w.id = p.worker_id)",
        &|r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: "belongs to no registered worker".to_string(),
            })
        },
    )?;
    out.extend(check_seals(conn)?);
    let mut name = conn.prepare("SELECT name FROM workers WHERE id = ?1")?;
    for v in &mut out {
        if let Some(w) = v.worker {
            v.name = name.query_row([w], |r| r.get(0)).optional()?;
        }
    }
    Ok(out)
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

/// The number of entries in the ledger.
///
/// Errors: database errors.
pub fn entry_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM point_entries", [], |r| r.get(0))?)
}

/// The balance of a worker: the sum of the ledger.
pub fn balance(conn: &Connection, worker: i64) -> Result<Points> {
    let b: Option<i64> = conn.query_row(
        "SELECT sum(points) FROM point_entries WHERE worker_id = ?1",
        [worker],
        |r| r.get(0),
    )?;
    Ok(Points(b.unwrap_or(0)))
}

/// The columns of an entry that its seal covers, in order (the arguments of `nuanfeng_seal`
/// after the previous seal).
const SEALED_COLUMNS: &str = "id, worker_id, date, points, kind, category, reason, occurrence, \
     event_key, rule, source_table, source_id, reverses, allow_negative, operator, entered_at, batch_id";

/// The append-only triggers of the ledger: their absence means another program dropped them.
const LEDGER_TRIGGERS: [&str; 6] = [
    "point_entries_no_update",
    "point_entries_no_delete",
    "point_entries_no_replace",
    "point_entries_seal",
    "ledger_seals_no_update",
    "ledger_seals_no_delete",
];

/// The seal of an entry: the hex SHA-256 of the previous entry's seal (empty for the first)
/// and the entry's columns, each as its type tag and text. The schema's `point_entries_seal`
/// trigger stores it for every new entry through the SQL function `nuanfeng_seal(prev, …)`.
pub fn seal_of(previous: Option<&str>, values: &[ValueRef<'_>]) -> String {
    let mut h = Sha256::new();
    h.update(previous.unwrap_or("").as_bytes());
    for v in values {
        h.update([0x1f]);
        match v {
            ValueRef::Null => h.update(b"n"),
            ValueRef::Integer(i) => h.update(format!("i{i}").as_bytes()),
            ValueRef::Real(f) => h.update(format!("r{f}").as_bytes()),
            ValueRef::Text(t) => {
                h.update(b"t");
                h.update(t);
            }
            ValueRef::Blob(b) => {
                h.update(b"b");
                h.update(b);
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Registers `nuanfeng_seal(previous, columns…)` on a connection: the schema's trigger calls it
/// for every new ledger entry (a program without it cannot add entries).
///
/// Errors: SQLite refuses the function.
pub fn register_seal_function(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "nuanfeng_seal",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let previous = match ctx.get_raw(0) {
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                _ => None,
            };
            let values: Vec<ValueRef<'_>> = (1..ctx.len()).map(|i| ctx.get_raw(i)).collect();
            Ok(seal_of(previous.as_deref(), &values))
        },
    )
}

/// Finds what another program did to the ledger: dropped triggers, entries without a seal
/// (added around the trigger), entries whose seal does not match (changed, or an entry before
/// them removed), seals of entries that are gone (removed).
fn check_seals(conn: &Connection) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    let present: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let missing: Vec<&str> = LEDGER_TRIGGERS
        .iter()
        .copied()
        .filter(|t| !present.iter().any(|p| p == t))
        .collect();
    if !missing.is_empty() {
        out.push(Violation {
            entry: None,
            worker: None,
            name: None,
            problem: format!(
                "the ledger's protecting triggers are gone ({}): another program changed the \
                 file's schema — restore it from a backup",
                missing.join(", ")
            ),
        });
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT s.seal, {SEALED_COLUMNS} FROM point_entries e LEFT JOIN ledger_seals s ON s.entry_id = e.id
         ORDER BY e.id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut previous: Option<String> = None;
    while let Some(r) = rows.next()? {
        let stored: Option<String> = r.get(0)?;
        let values: Vec<ValueRef<'_>> = (1..=17).map(|i| r.get_ref(i)).collect::<Result<_, _>>()?;
        let id: i64 = r.get(1)?;
        let worker: i64 = r.get(2)?;
        let expected = seal_of(previous.as_deref(), &values);
        let problem = match &stored {
            None => Some("has no seal: it was added by another program"),
            Some(s) if *s != expected => Some(
                "does not match its seal: it, or an entry before it, was changed or removed by another program",
            ),
            Some(_) => None,
        };
        if let Some(p) = problem {
            out.push(Violation {
                entry: Some(id),
                worker: Some(worker),
                name: None,
                problem: p.to_string(),
            });
        }
        // The chain goes on from what is stored, so one changed entry is reported once.
        previous = stored.or(Some(expected));
    }
    let mut stmt = conn.prepare(
        "SELECT entry_id FROM ledger_seals s
         WHERE NOT EXISTS (SELECT 1 FROM point_entries e WHERE e.id = s.entry_id)",
    )?;
    for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
        out.push(Violation {
            entry: Some(id?),
            worker: None,
            name: None,
            problem: "was removed by another program (its seal remains)".to_string(),
        });
    }
    Ok(out)
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
