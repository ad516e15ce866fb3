//! Entries of another registry carried into this ledger by `merge`: each keeps its own
//! columns (date, points, kind, reason, who entered it and when), with the worker, the record
//! granting it, the entry it reverses and its import batch mapped to this registry's rows,
//! and is sealed in this registry's chain like any entry written here.

use rusqlite::Connection;

use super::seal::{Chain, NewEntry};

/// An entry as `merge` carries it: every column of `point_entries`, ids already mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedEntry {
    /// Worker row id here.
    pub worker: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Signed points, never 0.
    pub points: i64,
    /// `earn`, `redeem`, `reverse` or `adjust`.
    pub kind: String,
    /// Category code.
    pub category: String,
    /// 事由.
    pub reason: String,
    /// Occurrence among identical entries of the worker and day.
    pub occurrence: i64,
    /// The event key in this registry's terms.
    pub event_key: i64,
    /// Rule code, for grants.
    pub rule: Option<String>,
    /// `services` or `tips`, for grants.
    pub source_table: Option<String>,
    /// The granting record's row id here.
    pub source_id: Option<i64>,
    /// The reversed entry's id here.
    pub reverses: Option<i64>,
    /// Allowed to overdraw.
    pub allow_negative: bool,
    /// Who entered it, in its registry.
    pub operator: String,
    /// When, `YYYY-MM-DD HH:MM:SS`, in its registry.
    pub entered_at: String,
    /// The import batch here (the copy of its batch, or the merge's own).
    pub batch: Option<i64>,
    /// The street it counted under in its registry.
    pub street: Option<i64>,
}

/// Appends carried entries to the chain, read once.
pub struct Carrier {
    chain: Chain,
}

impl Carrier {
    /// The end of this registry's chain, read inside the merge's write transaction.
    ///
    /// Errors: database errors.
    pub fn new(conn: &Connection) -> rusqlite::Result<Self> {
        Ok(Self {
            chain: Chain::read(conn)?,
        })
    }

    /// Appends `e` with its seal unless its worker, date and event key are taken here
    /// (`None`: the same event is already in this ledger); returns the new id.
    ///
    /// Errors: database errors, a constraint of the entry.
    pub fn carry(&mut self, conn: &Connection, e: &CarriedEntry) -> rusqlite::Result<Option<i64>> {
        self.chain.append_if_free(
            conn,
            &NewEntry {
                worker: e.worker,
                date: &e.date,
                points: e.points,
                kind: &e.kind,
                category: &e.category,
                reason: &e.reason,
                occurrence: e.occurrence,
                event_key: e.event_key,
                rule: e.rule.as_deref(),
                source_table: e.source_table.as_deref(),
                source_id: e.source_id,
                reverses: e.reverses,
                allow_negative: e.allow_negative,
                operator: &e.operator,
                entered_at: &e.entered_at,
                batch: e.batch,
                street: e.street,
            },
        )
    }
}
