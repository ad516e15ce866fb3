//! Writing the ledger: the earning a record grants, entries from registers and the terminal
//! (a points entry is an event, identified by its content and occurrence like a check-in),
//! reversals and adjustments, and the guard that refuses an entry taking a running balance
//! below zero unless allowed.

use std::collections::HashMap;

use crate::db::events::ResolveEvent;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::seal::{Chain, NewEntry, append};
use rust_i18n::t;

use crate::db::events::{Claims, EventKey, EventResolver, IsoDate, Settled, Slot};
use crate::model::{
    CellError, EntryKind, Field, Outcome, PointCategory, PointRecord, Points, RuleCode, Store,
    StoreError, Stored, Vocabulary, row_outcome,
};

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
    let key = grant_key(g.source_table, g.source_id);
    let (operator, entered_at) = (crate::db::operator(), crate::db::now_text());
    let id = append(
        conn,
        &NewEntry {
            worker: g.worker,
            date: g.date,
            points: g.points,
            kind: EntryKind::Earn.code(),
            category: category.code(),
            reason: g.reason,
            occurrence: 1,
            event_key: key,
            rule: Some(g.rule.code()),
            source_table: Some(g.source_table),
            source_id: Some(g.source_id),
            reverses: None,
            allow_negative: false,
            operator: &operator,
            entered_at: &entered_at,
            batch: g.batch,
            street: None,
        },
    )?;
    Ok(Some(id))
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
    let key = correction_key(occurrence, kind == "reverse");
    let (operator, entered_at) = (crate::db::operator(), crate::db::now_text());
    Ok(append(
        conn,
        &NewEntry {
            worker,
            date: c.date,
            points,
            kind,
            category,
            reason: c.reason,
            occurrence,
            event_key: key,
            rule: None,
            source_table: None,
            source_id: None,
            reverses,
            allow_negative: overdraws,
            operator: &operator,
            entered_at: &entered_at,
            batch: None,
            street: None,
        },
    )?)
}

/// Points a worker can take off with an entry dated `date` without any running balance going
/// below zero: the balance after the last entry dated on or before `date` (a new entry goes
/// after the entries of its day), or less if an entry dated later already relies on them.
/// Balances are taken entry by entry, in date then entry order, as `statement` shows them and
/// `check` judges them: an earning later in a day does not hide a dip before it. Reads the
/// worker's entries once, through the worker's index.
///
/// Errors: database errors.
pub fn available(conn: &Connection, worker: i64, date: &str) -> rusqlite::Result<Points> {
    Ok(Days::load(conn, worker)?.available(date))
}

/// Why less than the balance on `date` can be taken off, when an entry dated later already
/// relies on it: ` (on 2025-07-20 a later entry leaves 1)`; empty otherwise.
///
/// Errors: database errors.
pub fn later_dip(conn: &Connection, worker: i64, date: &str) -> rusqlite::Result<String> {
    Ok(Days::load(conn, worker)?.later_dip(date))
}

/// A day of a worker's ledger, for the overdraw guard: its date, the sum of its entries and
/// the lowest running total inside it, relative to the balance before the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Day {
    /// `YYYY-MM-DD` as bytes, zero-padded (compares as the text does).
    date: [u8; 10],
    /// The sum of the day's entries, in points.
    total: i64,
    /// The lowest running total after an entry of the day (in entry order), less the balance
    /// before the day.
    low: i64,
}

/// The date text as a [`Day`] holds it.
fn day_key(date: &str) -> [u8; 10] {
    let mut k = [0u8; 10];
    let b = date.as_bytes();
    let n = b.len().min(10);
    k[..n].copy_from_slice(&b[..n]);
    k
}

/// One worker's ledger folded into days, in date order: what the overdraw guard needs of it
/// (running balances entry by entry), in memory proportional to the worker's days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Days(Vec<Day>);

impl Days {
    /// The entries of `worker`, in date then entry order, through `point_entries_event`.
    fn load(conn: &Connection, worker: i64) -> rusqlite::Result<Self> {
        let mut days = Days::default();
        let mut stmt = conn.prepare_cached(
            "SELECT date, points FROM point_entries WHERE worker_id = ?1 ORDER BY date, id",
        )?;
        let mut rows = stmt.query([worker])?;
        while let Some(r) = rows.next()? {
            let date = r.get_ref(0)?.as_str()?;
            days.push(day_key(date), r.get(1)?);
        }
        Ok(days)
    }

    /// Takes in an entry of `points` on `date` that comes after every entry of its day (a
    /// new entry, or the next one read in order).
    fn push(&mut self, date: [u8; 10], points: i64) {
        match self.0.binary_search_by(|d| d.date.cmp(&date)) {
            Ok(i) => {
                let d = &mut self.0[i];
                d.total += points;
                d.low = d.low.min(d.total);
            }
            Err(i) => self.0.insert(
                i,
                Day {
                    date,
                    total: points,
                    low: points,
                },
            ),
        }
    }

    /// The balance at the end of `date`, and the lowest running balance after it with the day
    /// it is reached on (the first such day), if any entry is dated later.
    fn at_and_low(&self, date: &str) -> (i64, Option<(&Day, i64)>) {
        let key = day_key(date);
        let (mut run, mut at, mut low): (i64, i64, Option<(&Day, i64)>) = (0, 0, None);
        for d in &self.0 {
            if d.date <= key {
                run += d.total;
                at = run;
            } else {
                let dip = run + d.low;
                if low.is_none_or(|(_, l)| dip < l) {
                    low = Some((d, dip));
                }
                run += d.total;
            }
        }
        (at, low)
    }

    /// [`available`], from the days held.
    fn available(&self, date: &str) -> Points {
        let (at, low) = self.at_and_low(date);
        Points(low.map_or(at, |(_, l)| l.min(at)))
    }

    /// [`later_dip`], from the days held.
    fn later_dip(&self, date: &str) -> String {
        match self.at_and_low(date) {
            (at, Some((d, run))) if run < at => t!(
                "ledger.later_dip",
                date = date,
                at = at,
                later = String::from_utf8_lossy(&d.date).trim_end_matches('\0'),
                run = run
            )
            .into_owned(),
            _ => String::new(),
        }
    }
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
            "{}",
            t!(
                "ledger.overdraw",
                available = available,
                asked = -points,
                dip = later_dip(conn, worker, date)?
            )
        );
    }
    Ok(overdraws)
}

/// Appends the reversal of entry `id` (the opposite points, same category) and returns the new
/// entry's id and the worker's.
///
/// Errors: no such entry; it is itself a reversal; it was reversed already (by which entry);
/// it pays a gift order (cancelled by `points cancel`, which also returns the stock);
/// reversing it would take the balance below zero (unless allowed).
pub fn reverse(conn: &Connection, id: i64, c: &Correction<'_>) -> Result<(i64, i64)> {
    if let Some(order) = crate::db::gifts::order_of_entry(conn, id)? {
        bail!(
            "{}",
            t!("gifts.reverse_order_entry", id = id, order = order)
        );
    }
    reverse_entry(conn, id, c)
}

/// [`reverse`] of the redemption `id` that pays a gift order, for `points cancel` (which
/// returns the stock and marks the order in the same transaction).
///
/// Errors: as [`reverse`], but for the order.
pub fn reverse_gift_order(conn: &Connection, id: i64, c: &Correction<'_>) -> Result<(i64, i64)> {
    reverse_entry(conn, id, c)
}

fn reverse_entry(conn: &Connection, id: i64, c: &Correction<'_>) -> Result<(i64, i64)> {
    let found: Option<(i64, i64, String, String, String)> = conn
        .query_row(
            "SELECT worker_id, points, kind, category, date FROM point_entries WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((worker, points, kind, category, date)) = found else {
        bail!("{}", t!("ledger.no_entry", id = id));
    };
    if kind == "reverse" {
        bail!("{}", t!("ledger.reverse_of_reversal", id = id));
    }
    if let Some(by) = conn
        .query_row(
            "SELECT id FROM point_entries WHERE reverses = ?1",
            [id],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
    {
        bail!("{}", t!("ledger.already_reversed", id = id, by = by));
    }
    if c.date < date.as_str() {
        bail!("{}", t!("ledger.reversal_before_entry", date = date));
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
        bail!("{}", t!("ledger.adjust_zero"));
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

/// The event key of a grant: its record (`services` or `tips` and the row id), unique with
/// the worker and date.
pub(crate) fn grant_key(source_table: &str, source_id: i64) -> i64 {
    (source_id << 3) | if source_table == "tips" { 1 } else { 2 }
}

/// The event key of a correction (an adjustment or a reversal), its own event: negative,
/// unique per worker and date by its occurrence.
pub(crate) fn correction_key(occurrence: i64, reversal: bool) -> i64 {
    -(occurrence << 4) - i64::from(reversal)
}

/// The event key of an imported or typed earning or redemption: its content (XXH3-64 of the
/// worker row id, date, category, points, reason and occurrence).
pub(crate) fn point_key(
    worker: i64,
    date: &str,
    category: &str,
    points: i64,
    reason: &str,
    occurrence: i64,
) -> i64 {
    EventKey::new()
        .int(worker)
        .text(date)
        .text(category)
        .int(points)
        .text(reason)
        .int(occurrence)
        .key()
}

/// A points entry with its worker found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPoint {
    /// Worker row id.
    pub worker: i64,
    /// The validated entry.
    pub record: PointRecord,
}

impl EventResolver {
    /// Resolves a points entry. Errors: unknown or mismatched worker.
    pub fn point(&mut self, rec: PointRecord) -> Result<ResolvedPoint, Vec<CellError>> {
        let worker = self
            .workers
            .find_event_worker(&rec.who)
            .map_err(|e| vec![e])?;
        // A worker who left may still spend what they earned, but earns nothing after; no
        // entry is dated before the worker joined.
        if rec.points.0 > 0 {
            self.workers
                .working_on(worker, rec.date)
                .map_err(|e| vec![e])?;
        } else {
            self.workers
                .joined_by(worker, rec.date)
                .map_err(|e| vec![e])?;
        }
        Ok(ResolvedPoint {
            worker,
            record: rec,
        })
    }
}

impl ResolveEvent<PointRecord> for EventResolver {
    type Resolved = ResolvedPoint;

    fn resolve_event(&mut self, record: PointRecord) -> Result<ResolvedPoint, Vec<CellError>> {
        self.point(record)
    }
}

/// Writes resolved points entries into the append-only ledger.
///
/// The overdraw guard works in memory: the ledger of each worker with a redemption is read
/// once (folded into days) and kept current with what is written, until that worker's last
/// waiting redemption is stored; the seal chain is read once and carried along. When anything
/// else wrote on the connection between two entries (a reversal, an adjustment in the same
/// transaction), both are read again. An imported earning is inserted at occurrence 1 without
/// a look-up first (the unique index `point_entries_event` tells when that occurrence is
/// taken), until a file turns out to hold entries stored before.
pub struct PointWriter<'c> {
    /// Let a redemption overdraw (typed with `--allow-negative --reason`); recorded on the
    /// entry.
    pub allow_negative: bool,
    conn: &'c Connection,
    batch: Option<i64>,
    operator: String,
    entered_at: String,
    find: Statement<'c>,
    claims: Claims<'c>,
    chain: Option<Chain>,
    /// The ledgers of the workers whose redemptions are being judged.
    days: HashMap<i64, Days>,
    /// Insert an earning at occurrence 1 without looking first: cleared when such an insert
    /// met a stored entry (a file imported again), set when a look found occurrence 1 free.
    insert_first: bool,
    /// The connection's count of changed rows when the last entry was stored: another count
    /// means another writer, and what is held in memory is read again.
    changes: u64,
}

impl<'c> PointWriter<'c> {
    /// Prepares to write into `conn`, inside its write transaction. `batch` is the import
    /// batch, `None` for an entry typed at the terminal (always a new entry).
    ///
    /// Errors: database errors.
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        Ok(Self {
            allow_negative: false,
            conn,
            batch,
            operator: crate::db::operator(),
            entered_at: crate::db::now_text(),
            find: conn.prepare(
                "SELECT id, category = ?3 AND points = ?4 AND reason = ?5, batch_id IS ?6
                 FROM point_entries WHERE worker_id = ?1 AND date = ?2 AND event_key = ?7",
            )?,
            claims: Claims::new(conn, "points")?,
            chain: None,
            days: HashMap::new(),
            insert_first: true,
            changes: conn.total_changes(),
        })
    }

    /// Stores one entry: new, or already stored (`Unchanged`).
    ///
    /// Errors: a redemption larger than the points available on its date (`balance 11, asked
    /// 15`), a row problem; the database failed.
    pub fn store(&mut self, p: &ResolvedPoint) -> Result<Outcome, StoreError> {
        let (worker, rec) = (p.worker, &p.record);
        let date = IsoDate::new(rec.date);
        let date = date.as_str();
        let (category, points, reason) = (rec.category.code(), rec.points.0, rec.reason.as_str());
        if self.conn.total_changes() != self.changes {
            self.chain = None;
            self.days.clear();
        }
        let stored = self.store_entry(worker, date, category, points, reason);
        self.changes = self.conn.total_changes();
        stored
    }

    fn store_entry(
        &mut self,
        worker: i64,
        date: &str,
        category: &str,
        points: i64,
        reason: &str,
    ) -> Result<Outcome, StoreError> {
        let batch = self.batch;
        let (operator, entered_at) = (&self.operator, &self.entered_at);
        let entry = |occurrence: i64, key: i64, overdraws: bool| {
            new_entry(
                operator, entered_at, batch, worker, date, category, points, reason, occurrence,
                key, overdraws,
            )
        };
        if points > 0 && batch.is_some() && self.insert_first {
            // An earning of a file whose content was not met before in this import: its
            // occurrence 1 is free exactly when the insert meets no stored row with its key
            // (the walk of `Claims::settle` would stop there), so the insert looks for it.
            let key = point_key(worker, date, category, points, reason, 1);
            if !self.claims.walked(key) {
                let chain = chain_of(&mut self.chain, self.conn)?;
                if chain
                    .append_if_free(self.conn, &entry(1, key, false))?
                    .is_some()
                {
                    self.claims.took_first(key);
                    return Ok(Outcome::New);
                }
                // Stored before: walk from occurrence 1 as any entry does, and look before
                // inserting until an entry takes a free occurrence 1 again.
                self.insert_first = false;
            }
        }
        let find = &mut self.find;
        let settled = self.claims.settle(
            batch.is_none(),
            |occ| point_key(worker, date, category, points, reason, occ),
            |k| {
                find.query_row(
                    params![worker, date, category, points, reason, batch, k],
                    |r| {
                        Ok(if r.get::<_, bool>(1)? {
                            Slot::Same {
                                id: r.get(0)?,
                                ours: batch.is_some() && r.get(2)?,
                            }
                        } else {
                            Slot::Other
                        })
                    },
                )
                .optional()
                .map(|s| s.unwrap_or(Slot::Free))
            },
        )?;
        let Settled::Insert { occurrence, key } = settled else {
            return Ok(Outcome::Unchanged);
        };
        self.insert_first = occurrence == 1;
        let mut overdraws = false;
        if points < 0 {
            let days = match self.days.entry(worker) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(Days::load(self.conn, worker)?)
                }
            };
            let available = days.available(date);
            overdraws = available.0 + points < 0;
            if overdraws && !self.allow_negative {
                return Err(StoreError::row(
                    Field::Points,
                    &points.to_string(),
                    t!(
                        "ledger.redemption_refused",
                        available = available,
                        asked = -points,
                        dip = days.later_dip(date)
                    ),
                ));
            }
        }
        chain_of(&mut self.chain, self.conn)?
            .append(self.conn, &entry(occurrence, key, overdraws))?;
        if let Some(days) = self.days.get_mut(&worker) {
            days.push(day_key(date), points);
        }
        Ok(Outcome::New)
    }
}

/// The chain held in `held`, read from the ledger when none is held.
///
/// Errors: database errors.
fn chain_of<'a>(held: &'a mut Option<Chain>, conn: &Connection) -> rusqlite::Result<&'a mut Chain> {
    match held {
        Some(c) => Ok(c),
        None => Ok(held.insert(Chain::read(conn)?)),
    }
}

/// The new entry of an imported or typed row: an earning or a redemption.
#[allow(clippy::too_many_arguments)]
fn new_entry<'a>(
    operator: &'a str,
    entered_at: &'a str,
    batch: Option<i64>,
    worker: i64,
    date: &'a str,
    category: &'a str,
    points: i64,
    reason: &'a str,
    occurrence: i64,
    key: i64,
    overdraws: bool,
) -> NewEntry<'a> {
    let kind = if points > 0 {
        EntryKind::Earn
    } else {
        EntryKind::Redeem
    };
    NewEntry {
        worker,
        date,
        points,
        kind: kind.code(),
        category,
        reason,
        occurrence,
        event_key: key,
        rule: None,
        source_table: None,
        source_id: None,
        reverses: None,
        allow_negative: overdraws,
        operator,
        entered_at,
        batch,
        street: None,
    }
}

/// Rows of an imported points file stored together in worker order (see
/// [`PointWriter`]'s [`Store::window`]): some 20 MiB of rows held at a time.
pub const POINT_WINDOW: usize = 32_768;

/// Test hook, not a setting: `NUANFENG_POINT_WINDOW` sets the rows of a window (see
/// [`POINT_WINDOW`]), so that a test of a few rows spans several windows. Read once.
const POINT_WINDOW_VAR: &str = "NUANFENG_POINT_WINDOW";

fn point_window() -> usize {
    static ROWS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *ROWS.get_or_init(|| {
        crate::db::test_hook(POINT_WINDOW_VAR)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(POINT_WINDOW)
    })
}

impl Store<ResolvedPoint> for PointWriter<'_> {
    fn store(&mut self, item: &ResolvedPoint, _line: u64) -> Result<Outcome, StoreError> {
        PointWriter::store(self, item)
    }

    /// An imported file's rows are stored [`POINT_WINDOW`] at a time, worker by worker:
    /// the ledger's index by worker and date then takes them in its own order, one pass over
    /// its pages a window, where rows in date order would each land on a page of their own.
    /// A file smaller than a window (a month's register) keeps its file order.
    fn window(&self) -> usize {
        if self.batch.is_some() {
            point_window()
        } else {
            0
        }
    }

    /// By worker, date, then file line, as [`waiting_order`](Store::waiting_order): a worker's
    /// entries of one day keep their file order, so identical earnings take the same
    /// occurrences in whatever window they are read.
    fn window_order(&self, rows: &[(u64, &ResolvedPoint)]) -> Vec<usize> {
        self.waiting_order(rows)
    }

    /// A redemption waits until the file's earnings are in, and the redemptions are then
    /// judged in date order: a register sorted by category lists a redemption before the
    /// earning that covers it, and the same file must give the same ledger however it is
    /// sorted.
    fn waits(&self, item: &ResolvedPoint) -> bool {
        item.record.points.0 < 0
    }

    /// Worker by worker (in worker id order), each worker's redemptions by date, then file
    /// line: a worker's balances depend on that worker's entries alone, so the redemptions of
    /// each worker are judged in date order whatever the order of the workers.
    fn waiting_order(&self, waiting: &[(u64, &ResolvedPoint)]) -> Vec<usize> {
        // The keys side by side, so that the sort compares them without reading each row.
        let mut keyed: Vec<(i64, NaiveDate, u64, usize)> = waiting
            .iter()
            .enumerate()
            .map(|(i, &(line, p))| (p.worker, p.record.date, line, i))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|k| k.3).collect()
    }

    /// The redemptions in [`waiting_order`](Store::waiting_order), each judged against its
    /// worker's ledger in memory, which is let go after that worker's last redemption: memory
    /// holds the redemptions of the file and one worker's ledger. The ledgers are read
    /// worker by worker through the worker's index when few workers redeem, or else all
    /// together by one pass over the ledger sorted by worker (SQLite's sorter, in temporary
    /// files past the page cache), which costs one read of the ledger instead of one random
    /// read per entry of every redeeming worker.
    fn store_waiting(&mut self, waiting: &[(u64, &ResolvedPoint)]) -> Result<Vec<Stored>> {
        let order = self.waiting_order(waiting);
        let mut workers: Vec<i64> = order.iter().map(|&i| waiting[i].1.worker).collect();
        workers.dedup();
        let mut ledgers = if scan_pays(self.conn, workers.len())? {
            Some(Ledgers::sorted(self.conn, &workers)?)
        } else {
            None
        };
        let mut done = Vec::with_capacity(order.len());
        let mut at = 0;
        while at < order.len() {
            let worker = waiting[order[at]].1.worker;
            let end = at
                + order[at..]
                    .iter()
                    .take_while(|&&i| waiting[i].1.worker == worker)
                    .count();
            if self.conn.total_changes() != self.changes {
                self.chain = None;
                self.days.clear();
            }
            let days = match &mut ledgers {
                Some(l) => l.days_of(worker)?,
                None => Days::load(self.conn, worker)?,
            };
            self.days.insert(worker, days);
            // The temporary tables just read are this writer's own.
            self.changes = self.conn.total_changes();
            for &i in &order[at..end] {
                let (line, item) = waiting[i];
                done.push((i, row_outcome(Store::store(self, item, line))?));
            }
            self.days.remove(&worker);
            at = end;
        }
        if let Some(l) = ledgers {
            l.finish()?;
            self.changes = self.conn.total_changes();
        }
        Ok(done)
    }
}

/// Whether reading the whole ledger once, sorted by worker, costs less than reading the
/// ledgers of `redeeming` workers one by one: a worker's entries lie scattered over the
/// table (one random page read each), so a pass over the table pays once more than a
/// twentieth of the workers on record redeem.
///
/// Errors: database errors.
fn scan_pays(conn: &Connection, redeeming: usize) -> rusqlite::Result<bool> {
    const SCAN_FRACTION: usize = 20;
    if redeeming < 64 {
        return Ok(false);
    }
    let workers: i64 = conn.query_row("SELECT count(*) FROM workers", [], |r| r.get(0))?;
    Ok(redeeming.saturating_mul(SCAN_FRACTION) >= usize::try_from(workers).unwrap_or(0))
}

/// The ledgers of the redeeming workers, read in one pass over `point_entries` sorted by
/// worker, date and entry: the workers are held in a temporary table, the sorted rows are
/// copied into a second one (so that entries written while they are read are not mixed in),
/// and read back in pages, worker by worker in ascending worker id.
struct Ledgers<'c> {
    conn: &'c Connection,
    next: Statement<'c>,
    /// Rows read and not yet taken: (worker, date, points), in order.
    read: std::collections::VecDeque<(i64, [u8; 10], i64)>,
    /// The number of the last row read in the sorted copy; the next read starts after it.
    after: i64,
}

impl<'c> Ledgers<'c> {
    /// Reads the ledgers of `workers` (ascending) into the sorted copy.
    ///
    /// Errors: database errors.
    fn sorted(conn: &'c Connection, workers: &[i64]) -> rusqlite::Result<Self> {
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS redeeming (worker_id INTEGER PRIMARY KEY);
             DELETE FROM temp.redeeming;
             CREATE TEMP TABLE IF NOT EXISTS redeeming_ledgers (
                 n INTEGER PRIMARY KEY, worker_id INTEGER NOT NULL, date TEXT NOT NULL,
                 points INTEGER NOT NULL);
             DELETE FROM temp.redeeming_ledgers;",
        )?;
        {
            let mut add = conn.prepare("INSERT INTO temp.redeeming (worker_id) VALUES (?1)")?;
            for w in workers {
                add.execute([w])?;
            }
        }
        conn.execute(
            "INSERT INTO temp.redeeming_ledgers (worker_id, date, points)
             SELECT e.worker_id, e.date, e.points FROM main.point_entries AS e NOT INDEXED
             WHERE e.worker_id IN temp.redeeming
             ORDER BY e.worker_id, e.date, e.id",
            [],
        )?;
        Ok(Self {
            conn,
            next: conn.prepare(
                "SELECT n, worker_id, date, points FROM temp.redeeming_ledgers
                 WHERE n > ?1 ORDER BY n LIMIT 4096",
            )?,
            read: std::collections::VecDeque::new(),
            after: 0,
        })
    }

    /// The ledger of `worker`, folded into days; workers must be asked for in ascending order.
    ///
    /// Errors: database errors.
    fn days_of(&mut self, worker: i64) -> rusqlite::Result<Days> {
        let mut days = Days::default();
        loop {
            if self.read.is_empty() {
                let mut rows = self.next.query([self.after])?;
                while let Some(r) = rows.next()? {
                    let date = day_key(r.get_ref(2)?.as_str()?);
                    self.after = r.get(0)?;
                    self.read.push_back((r.get(1)?, date, r.get(3)?));
                }
                if self.read.is_empty() {
                    return Ok(days);
                }
            }
            let &(w, date, points) = self.read.front().expect("filled above");
            if w > worker {
                return Ok(days);
            }
            if w == worker {
                days.push(date, points);
            }
            self.read.pop_front();
        }
    }

    /// Empties the temporary tables.
    ///
    /// Errors: database errors.
    fn finish(self) -> rusqlite::Result<()> {
        drop(self.next);
        self.conn
            .execute_batch("DELETE FROM temp.redeeming; DELETE FROM temp.redeeming_ledgers;")
    }
}
