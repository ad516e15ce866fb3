//! The check of the ledger's invariants (`points check`, and the ledger area of `check`): one
//! named check per invariant, each a query whose rows are violations, and the seals.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};
use rust_i18n::t;

use super::seal::check_seals;
use crate::db::Reader;

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
pub fn check(db: &impl Reader) -> Result<Vec<Violation>> {
    let conn = db.conn().0;
    let mut out = Vec::new();
    for named in CHECKS {
        out.extend(named(conn)?);
    }
    let mut name = conn.prepare("SELECT name FROM workers WHERE id = ?1")?;
    for v in &mut out {
        if let Some(w) = v.worker {
            v.name = name.query_row([w], |r| r.get(0)).optional()?;
        }
    }
    Ok(out)
}

/// One check of [`check`]: the violations of one invariant.
type Named = fn(&Connection) -> Result<Vec<Violation>>;

/// The checks of [`check`], in the order they run and report.
const CHECKS: [Named; 8] = [
    overdrawn,
    unmirrored_reversals,
    signs,
    dangling_sources,
    unknown_rules,
    dated_after_entry,
    unregistered_workers,
    check_seals,
];

/// The rows of `sql` (no parameters), each made a violation by `describe`.
fn violations(
    conn: &Connection,
    sql: &str,
    describe: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<Violation>,
) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.push(describe(r)?);
    }
    Ok(out)
}

/// An entry's kind as a finding names it: its Chinese label in Chinese (`兑换`), its stored
/// code in English (`redeem`); an unknown kind as stored.
fn kind_shown(code: &str) -> String {
    use crate::model::{EntryKind, Vocabulary};
    match (crate::i18n::Lang::current(), EntryKind::from_code(code)) {
        (crate::i18n::Lang::Zh, Some(k)) => k.label().to_string(),
        _ => code.to_string(),
    }
}

/// The register a grant's record is in, as a finding names it (`services`, `tips`).
fn source_shown(table: &str) -> String {
    match table {
        "services" => t!("ledger.check.source.services").into_owned(),
        "tips" => t!("ledger.check.source.tips").into_owned(),
        other => other.to_string(),
    }
}

/// Entries that take points off and leave the running balance below zero, though not
/// allowed to overdraw. The running balance of a worker is the sum of their entries in the
/// order of date and then id. One pass over the entries in date order (the order of the index
/// `point_entries_figures`, which holds date, worker and points: no sort, no table read), a
/// balance per worker in memory; the few entries of one worker on one day are put in id order
/// before they are applied. Reported by worker, then date and id.
fn overdrawn(conn: &Connection) -> Result<Vec<Violation>> {
    let mut stmt = conn.prepare(
        "SELECT date, worker_id, id, points FROM point_entries ORDER BY date, worker_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut balance: rustc_hash::FxHashMap<i64, i64> = rustc_hash::FxHashMap::default();
    // (worker, date, id, running balance) of entries that take points off and leave it below 0.
    let mut below: Vec<(i64, String, i64, i64)> = Vec::new();
    // The entries of one worker on one day: (id, points).
    let mut day: Vec<(i64, i64)> = Vec::new();
    // The worker and date of the entries in `day` (while it holds any).
    let (mut day_worker, mut day_date) = (0, String::new());
    let mut apply = |worker: i64, date: &str, day: &mut Vec<(i64, i64)>| {
        day.sort_unstable();
        let run = balance.entry(worker).or_insert(0);
        for &(id, points) in day.iter() {
            *run += points;
            if *run < 0 && points < 0 {
                below.push((worker, date.to_string(), id, *run));
            }
        }
        day.clear();
    };
    while let Some(r) = rows.next()? {
        let worker: i64 = r.get(1)?;
        // A date that is not text (written around nuanfeng) sorts and groups as an empty one.
        let date = match r.get_ref(0)? {
            rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).unwrap_or(""),
            _ => "",
        };
        if !day.is_empty() && (day_worker != worker || day_date != date) {
            apply(day_worker, &day_date, &mut day);
        }
        if day.is_empty() {
            day_worker = worker;
            day_date.clear();
            day_date.push_str(date);
        }
        day.push((r.get(2)?, r.get(3)?));
    }
    if !day.is_empty() {
        apply(day_worker, &day_date, &mut day);
    }
    below.sort_unstable_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let mut allowed = conn.prepare("SELECT allow_negative FROM point_entries WHERE id = ?1")?;
    let mut out = Vec::new();
    for (worker, date, id, run) in below {
        if allowed.query_row([id], |r| r.get::<_, i64>(0))? != 0 {
            continue;
        }
        out.push(Violation {
            entry: Some(id),
            worker: Some(worker),
            name: None,
            problem: t!("ledger.check.overdrawn", balance = run, date = date).into_owned(),
        });
    }
    Ok(out)
}

/// (another worker, other points, dated after the reversal).
fn unmirrored_reversals(conn: &Connection) -> Result<Vec<Violation>> {
    violations(
        conn,
        "SELECT v.id, v.worker_id, v.reverses, o.id, o.worker_id, o.points, v.points, o.date, v.date
         FROM point_entries v LEFT JOIN point_entries o ON o.id = v.reverses
         WHERE v.kind = 'reverse' AND (o.id IS NULL OR o.worker_id <> v.worker_id
               OR o.points <> -v.points OR o.date > v.date OR v.reverses IS NULL)",
        |r| {
            let target: Option<i64> = r.get(2)?;
            let found: Option<i64> = r.get(3)?;
            let problem = match (target, found) {
                (None, _) => t!("ledger.check.reversal_names_nothing").into_owned(),
                (Some(e), None) => t!("ledger.check.reverses_missing", entry = e).into_owned(),
                (Some(e), Some(_)) => {
                    t!("ledger.check.reverses_unmirrored", entry = e).into_owned()
                }
            };
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem,
            })
        },
    )
}

/// Entries whose kind and sign disagree (an earning below zero, a redemption above, no
/// points at all), of an unknown kind, or naming an entry they reverse without being a
/// reversal.
fn signs(conn: &Connection) -> Result<Vec<Violation>> {
    violations(
        conn,
        "SELECT id, worker_id, kind, points FROM point_entries
         WHERE points = 0 OR (kind = 'earn' AND points < 0) OR (kind = 'redeem' AND points > 0)
               OR kind NOT IN ('earn', 'redeem', 'reverse', 'adjust')
               OR (kind <> 'reverse' AND reverses IS NOT NULL)",
        |r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: t!(
                    "ledger.check.sign",
                    kind = kind_shown(&r.get::<_, String>(2)?),
                    points = r.get::<_, i64>(3)?
                )
                .into_owned(),
            })
        },
    )
}

/// Grants whose record does not exist or belongs to another worker.
fn dangling_sources(conn: &Connection) -> Result<Vec<Violation>> {
    violations(
        conn,
        "SELECT p.id, p.worker_id, p.source_table, p.source_id FROM point_entries p
         WHERE p.source_table IS NOT NULL AND NOT (
              (p.source_table = 'services' AND EXISTS (SELECT 1 FROM services s WHERE s.id = p.source_id AND s.worker_id = p.worker_id))
           OR (p.source_table = 'tips' AND EXISTS (SELECT 1 FROM tips t WHERE t.id = p.source_id AND t.worker_id = p.worker_id)))",
        |r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: t!(
                    "ledger.check.dangling",
                    table = source_shown(&r.get::<_, String>(2)?),
                    id = r.get::<_, i64>(3)?
                )
                .into_owned(),
            })
        },
    )
}

/// Grants naming a rule that does not exist.
fn unknown_rules(conn: &Connection) -> Result<Vec<Violation>> {
    violations(
        conn,
        "SELECT id, worker_id, rule FROM point_entries
         WHERE rule IS NOT NULL AND rule NOT IN (SELECT code FROM point_rules)",
        |r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: t!("ledger.check.unknown_rule", rule = r.get::<_, String>(2)?)
                    .into_owned(),
            })
        },
    )
}

/// Entries dated after the day they were entered.
fn dated_after_entry(conn: &Connection) -> Result<Vec<Violation>> {
    violations(
        conn,
        "SELECT id, worker_id, date, entered_at FROM point_entries WHERE date > substr(entered_at, 1, 10)",
        |r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: t!(
                    "ledger.check.dated_after_entry",
                    date = r.get::<_, String>(2)?,
                    entered = r.get::<_, String>(3)?
                )
                .into_owned(),
            })
        },
    )
}

/// Entries of no registered worker.
fn unregistered_workers(conn: &Connection) -> Result<Vec<Violation>> {
    violations(
        conn,
        "SELECT p.id, p.worker_id FROM point_entries p
         WHERE NOT EXISTS (SELECT 1 FROM workers w WHERE w.id = p.worker_id)",
        |r| {
            Ok(Violation {
                entry: Some(r.get(0)?),
                worker: Some(r.get(1)?),
                name: None,
                problem: t!("ledger.check.unregistered").into_owned(),
            })
        },
    )
}
