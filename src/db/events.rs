//! What every event shares: its key, its date, the claims of its content, where it happened,
//! and the resolver that finds the worker and the place a row names. An event (a check-in, a
//! points entry, a volunteer service, a 随手拍 report) has no ID in a spreadsheet, so it is
//! identified by its content plus its occurrence number among identical rows of one file:
//! importing an overlapping export (January–July, then January–August) adds only what is
//! new and never doubles a figure. Each kind's writer, lists and history are in its own file
//! (`checkins.rs`, `ledger/`, `services.rs`, `tips.rs`); wishes and awards, which are not
//! events, share the resolver and [`PlainWriter`] from here.
//!
//! The identity is stored as `event_key`, an XXH3 64-bit hash of the content and the
//! occurrence number, unique within a date. The fast path is one
//! `INSERT … ON CONFLICT DO NOTHING` per row. Only when the key is taken does the loader look
//! closer: a stored event with the same content that this file has not yet claimed is
//! claimed (claims live in a TEMP table, so memory stays flat however large the file); an
//! event this file already claimed, or a different event under the same hash, moves it on to
//! the next occurrence number.

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, Statement};
use rustc_hash::FxHashMap;

use super::places::Places;
use super::workers::WorkerIndex;
use crate::model::{CellError, Field, Period, Resolve, StoreError, WorkerRef};

/// The identity of an event as a 64-bit key: XXH3-64 (seed 0), a fixed, published hash, so
/// stored keys stay valid across builds and platforms, over the fields serialized
/// little-endian, texts length-prefixed so that no two contents serialize alike.
pub(crate) struct EventKey(xxhash_rust::xxh3::Xxh3);

impl EventKey {
    pub(crate) fn new() -> Self {
        Self(xxhash_rust::xxh3::Xxh3::new())
    }

    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.0.update(&(s.len() as u32).to_le_bytes());
        self.0.update(s.as_bytes());
        self
    }

    pub(crate) fn int(&mut self, i: i64) -> &mut Self {
        self.0.update(&i.to_le_bytes());
        self
    }

    /// The hash as SQLite's signed 64-bit INTEGER.
    pub(crate) fn key(&self) -> i64 {
        self.0.digest() as i64
    }

    /// The key of an event at a place begun: worker, street and community row ids (0 for no
    /// community), in that order, as check-ins, services and 随手拍 reports start theirs.
    pub(crate) fn at_place(worker: i64, street: i64, community: Option<i64>) -> Self {
        let mut k = Self::new();
        k.int(worker).int(street).int(community.unwrap_or(0));
        k
    }
}

/// A date as `YYYY-MM-DD` without going through a formatter (this runs once per row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate([u8; 10]);

impl rusqlite::ToSql for IsoDate {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(
            rusqlite::types::ValueRef::Text(&self.0),
        ))
    }
}

impl IsoDate {
    /// Formats a date with a four-digit year.
    pub fn new(d: NaiveDate) -> Self {
        let mut b = *b"0000-00-00";
        let (y, m, dd) = (d.year().clamp(0, 9999) as u32, d.month(), d.day());
        for (i, v) in [
            (0, y / 1000),
            (1, y / 100 % 10),
            (2, y / 10 % 10),
            (3, y % 10),
        ] {
            b[i] = b'0' + v as u8;
        }
        b[5] = b'0' + (m / 10) as u8;
        b[6] = b'0' + (m % 10) as u8;
        b[8] = b'0' + (dd / 10) as u8;
        b[9] = b'0' + (dd % 10) as u8;
        Self(b)
    }

    /// The text's bytes (no UTF-8 check).
    pub fn as_bytes(&self) -> &[u8; 10] {
        &self.0
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits and hyphens")
    }
}

/// What is stored under a key, compared with the event being loaded.
pub(crate) enum Slot {
    /// Nothing: the event goes here.
    Free,
    /// The same event, stored with this row id; `ours` when this import added it.
    Same { id: i64, ours: bool },
    /// Another event with the same hash.
    Other,
}

/// Where an event goes.
pub(crate) enum Settled {
    /// Insert it with this occurrence number and key.
    Insert { occurrence: i64, key: i64 },
    /// It is stored already.
    Stored,
}

/// Claims of stored events by the file being imported, in a TEMP table.
pub(crate) struct Claims<'c> {
    claim: Statement<'c>,
    claimed: Statement<'c>,
    /// Where the last walk for an event content ended, by its first key: the next identical
    /// row starts after it (every occurrence up to there is taken), so a file of many
    /// identical rows is not walked over and over. A hint only: cleared when large.
    hints: FxHashMap<i64, i64>,
}

/// Walk hints kept before they are dropped (memory stays bounded).
const MAX_HINTS: usize = 100_000;

impl<'c> Claims<'c> {
    pub(crate) fn new(conn: &'c Connection, table: &str) -> Result<Self> {
        conn.execute_batch(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS claimed_{table} (id INTEGER PRIMARY KEY);
             DELETE FROM temp.claimed_{table};"
        ))?;
        Ok(Self {
            claim: conn.prepare(&format!(
                "INSERT INTO temp.claimed_{table} (id) VALUES (?1)"
            ))?,
            claimed: conn.prepare(&format!("SELECT 1 FROM temp.claimed_{table} WHERE id = ?1"))?,
            hints: FxHashMap::default(),
        })
    }

    /// Whether a walk for the content whose first key is `anchor` ended before (then
    /// [`settle`](Self::settle) starts after where it ended, not at occurrence 1).
    pub(crate) fn walked(&self, anchor: i64) -> bool {
        self.hints.contains_key(&anchor)
    }

    /// Records that the content whose first key is `anchor` took occurrence 1, found free
    /// without a walk (the insert of occurrence 1 met no stored row): what
    /// [`settle`](Self::settle) records when its walk ends at a free occurrence 1.
    pub(crate) fn took_first(&mut self, anchor: i64) {
        self.hint(anchor, 1);
    }

    fn hint(&mut self, anchor: i64, occurrence: i64) {
        if self.hints.len() >= MAX_HINTS {
            self.hints.clear();
        }
        self.hints.insert(anchor, occurrence);
    }

    /// Walks occurrences 1, 2, … (or from where the last walk for this content ended): the
    /// first free slot takes the event; the first stored copy of the same event not yet
    /// claimed is claimed (unless `always_new`, for entries typed at the terminal).
    pub(crate) fn settle(
        &mut self,
        always_new: bool,
        mut key_of: impl FnMut(i64) -> i64,
        mut slot: impl FnMut(i64) -> rusqlite::Result<Slot>,
    ) -> rusqlite::Result<Settled> {
        let anchor = key_of(1);
        let mut occurrence = self.hints.get(&anchor).map_or(1, |last| last + 1);
        let settled = loop {
            let key = key_of(occurrence);
            match slot(key)? {
                Slot::Free => break Settled::Insert { occurrence, key },
                Slot::Same { id, ours } => {
                    if !always_new && !ours && !self.claimed.exists([id])? {
                        self.claim.execute([id])?;
                        break Settled::Stored;
                    }
                }
                Slot::Other => {}
            }
            occurrence += 1;
        };
        self.hint(anchor, occurrence);
        Ok(settled)
    }
}

/// An event kind [`EventResolver`] resolves: what a register row of the kind names (its
/// worker, street, community), found in memory. Each kind implements this; the import's
/// [`Resolve`] follows for all of them, with one check of a row's street.
pub trait ResolveEvent<R> {
    /// The record with the ids of what it names.
    type Resolved: Send;

    /// Finds what `record` names.
    ///
    /// Errors (row problems): unknown or mismatched worker, unknown place.
    fn resolve_event(&mut self, record: R) -> Result<Self::Resolved, Vec<CellError>>;
}

impl<R> Resolve<R> for EventResolver
where
    EventResolver: ResolveEvent<R>,
{
    type Resolved = <Self as ResolveEvent<R>>::Resolved;

    fn resolve(&mut self, record: R) -> Result<Self::Resolved, Vec<CellError>> {
        self.resolve_event(record)
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.places.street_cached(street).err()
    }

    fn warm(&self, phone: &str) -> u64 {
        self.workers.warm_phone(phone)
    }
}

/// Bits of a check-in key below the day number.
const DAY_SHIFT: u32 = 44;

/// Days from 2000-01-01 (the earliest date an event may carry) to `d`.
pub fn day_number(d: NaiveDate) -> i64 {
    (d - crate::model::period::FIRST_REPORT_DAY).num_days()
}

/// The key range `[lo, hi)` holding the check-ins dated from `from` to `to`, both included.
pub fn checkin_key_range(from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    (
        day_number(from).max(0) << DAY_SHIFT,
        (day_number(to) + 1).max(0) << DAY_SHIFT,
    )
}

/// The key range `[lo, hi)` of the check-ins inside `p`.
pub fn checkin_keys(p: &crate::model::Period) -> (i64, i64) {
    checkin_key_range(p.from, p.to)
}

/// An event's key: its day number (days since 2000-01-01) in the high bits and the low 44
/// bits of `hash` (the XXH3 of its content and occurrence) below.
pub(crate) fn day_key(day: i64, hash: i64) -> i64 {
    (day << DAY_SHIFT) | (hash & ((1 << DAY_SHIFT) - 1))
}

/// The days of `period` as `(from, to)`, both included; all days without one.
pub(super) fn days(period: Option<&Period>) -> (NaiveDate, NaiveDate) {
    // Four-digit years, so that the bounds compare as the stored text does.
    let all = (
        NaiveDate::from_ymd_opt(0, 1, 1).expect("a day"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("a day"),
    );
    period.map_or(all, |p| (p.from, p.to))
}

/// The condition on `event_key` (check-ins and services: the day in the high bits) that
/// keeps the days of `period`, with its bounds, or nothing without one. Without a period the
/// table is read in full rather than through the whole key index.
pub(super) fn key_range(alias: &str, period: Option<&Period>) -> (String, Vec<i64>) {
    match period {
        Some(p) => {
            let (lo, hi) = checkin_keys(p);
            (
                format!("AND {alias}.event_key >= ?2 AND {alias}.event_key < ?3"),
                vec![lo, hi],
            )
        }
        None => (String::new(), Vec::new()),
    }
}

/// A community as resolved before writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommunityRef {
    /// None given.
    None,
    /// A known community.
    Id(i64),
    /// A community to add under the event's street (first seen in this register).
    New(String),
}

/// The id of a community an event names: known, none, or added under its street now.
///
/// Errors: a community not on its street's official list (a row problem); the database
/// failed.
pub(crate) fn community_id(
    places: &mut Places,
    conn: &Connection,
    street: i64,
    c: &CommunityRef,
) -> Result<Option<i64>, StoreError> {
    Ok(match c {
        CommunityRef::None => None,
        CommunityRef::Id(id) => Some(*id),
        CommunityRef::New(name) => Some(
            places
                .community(conn, street, name)
                .map_err(|e| e.store_error(Field::Community, name))?,
        ),
    })
}

/// Finds the workers, streets and communities that event rows name, in memory and without
/// writing, so that it can run beside the writer (on another thread) during an import. Built
/// from the database inside the import's write transaction, so nothing it read can change
/// under it.
pub struct EventResolver {
    /// Streets and communities.
    pub places: Places,
    /// Everyone.
    pub workers: WorkerIndex,
}

impl EventResolver {
    /// Reads streets, communities and workers.
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(Self {
            places: Places::load(conn)?,
            workers: WorkerIndex::load(conn)?,
        })
    }

    /// Where an event happened: the street and community a row names, or, when it names
    /// neither, the worker's own.
    ///
    /// Errors (row problems): unknown street, a community not on an official list.
    pub fn place(
        &mut self,
        worker: i64,
        street: &Option<String>,
        community: &Option<String>,
    ) -> Result<(i64, CommunityRef), Vec<CellError>> {
        // The worker's own street and community are looked up only when the row gives none
        // (one memory access fewer per row otherwise).
        let home = |workers: &WorkerIndex| {
            let e = workers.entry(worker).expect("found workers are indexed");
            (e.street_id, e.community_id)
        };
        let street_id = match street {
            None => home(&self.workers).0,
            Some(s) => self
                .places
                .street_cached(s)
                .map_err(|p| vec![CellError::new(Field::Street, s, p)])?,
        };
        let community = match (street, community) {
            (None, None) => home(&self.workers)
                .1
                .map_or(CommunityRef::None, CommunityRef::Id),
            (_, None) => CommunityRef::None,
            (_, Some(c)) => match self.places.community_known(street_id, c) {
                Ok(Some(id)) => CommunityRef::Id(id),
                Ok(None) => CommunityRef::New(c.clone()),
                Err(p) => return Err(vec![CellError::new(Field::Community, c, p)]),
            },
        };
        Ok((street_id, community))
    }

    /// The registered name of a worker.
    pub fn name_of(&self, worker: i64) -> String {
        self.workers
            .entry(worker)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    /// Finds the worker a wish or award row names.
    ///
    /// Errors: unknown or mismatched worker.
    pub fn worker_of(&self, who: &WorkerRef) -> Result<i64, Vec<CellError>> {
        self.workers.find_event_worker(who).map_err(|e| vec![e])
    }
}

/// A record with the worker it names found: a wish or an award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForWorker<R> {
    /// Worker row id.
    pub worker: i64,
    /// The record.
    pub record: R,
}

/// Stores the wishes or awards of an import batch.
pub struct PlainWriter<'c> {
    pub(super) conn: &'c Connection,
    pub(super) batch: Option<i64>,
}

impl<'c> PlainWriter<'c> {
    /// Prepares to write into `conn`; `batch` is the import batch.
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Self {
        Self { conn, batch }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_the_published_xxh3() {
        // XXH3-64 of no input, seed 0 (the reference implementation's test vector): stored
        // keys depend on this function never changing.
        assert_eq!(EventKey::new().key() as u64, 0x2D06_8005_38D3_94C2);
    }

    #[test]
    fn iso_dates() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 6).unwrap();
        assert_eq!(IsoDate::new(d).as_str(), "2025-07-06");
        let d = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert_eq!(IsoDate::new(d).as_str(), "1999-12-31");
    }
}
