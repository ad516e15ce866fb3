//! The seals of the ledger: each entry's seal hashes the one before it and the entry's
//! columns, so an entry changed, added or removed by another program (around nuanfeng, or
//! around the triggers) is found by `points check`. Every entry nuanfeng writes goes through
//! [`Chain::append`], which inserts the entry and its seal.

use std::io::Write as _;

use anyhow::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Violation;

/// The columns of an entry that its seal covers, in order (the arguments of `nuanfeng_seal`
/// after the previous seal).
pub(super) const SEALED_COLUMNS: &str = "id, worker_id, date, points, kind, category, reason, occurrence, \
     event_key, rule, source_table, source_id, reverses, allow_negative, operator, entered_at, batch_id";

/// The INSERT of an entry, its parameters in the order of [`Chain::insert`].
macro_rules! insert_entry {
    () => {
        "INSERT INTO point_entries (worker_id, date, points, kind, category, reason, occurrence,
             event_key, rule, source_table, source_id, reverses, allow_negative, operator,
             entered_at, batch_id, street_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
    };
}
const INSERT_ENTRY: &str = insert_entry!();
/// [`INSERT_ENTRY`] that inserts nothing when the key of `point_entries_event` is taken.
const INSERT_ENTRY_IF_FREE: &str = concat!(
    insert_entry!(),
    " ON CONFLICT (worker_id, date, event_key) DO NOTHING"
);

/// The append-only triggers of the ledger: their absence means another program dropped them.
/// (An entry inserted around nuanfeng, `INSERT OR REPLACE` included, has no seal or one that
/// does not match, and is found by the chain itself.)
const LEDGER_TRIGGERS: [&str; 4] = [
    "point_entries_no_update",
    "point_entries_no_delete",
    "ledger_seals_no_update",
    "ledger_seals_no_delete",
];

/// The seal of an entry: the hex SHA-256 of the previous entry's seal (empty for the first)
/// and the entry's columns in the order of `SEALED_COLUMNS`, each as its type tag and text
/// (`i42`, `tabc`, `n`). [`Chain::append`] stores it for every new entry; registries of
/// schema versions 5 to 13 stored it through a trigger calling `nuanfeng_seal(prev, …)`, with
/// the same result.
pub fn seal_of(previous: Option<&str>, values: &[ValueRef<'_>]) -> String {
    let mut h = Sha256::new();
    h.update(previous.unwrap_or("").as_bytes());
    let mut number = Vec::with_capacity(24);
    for v in values {
        h.update([0x1f]);
        match v {
            ValueRef::Null => h.update(b"n"),
            ValueRef::Integer(i) => {
                number.clear();
                let _ = write!(number, "i{i}");
                h.update(&number);
            }
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
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

/// A new ledger entry: every column but its id (the next one SQLite gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NewEntry<'a> {
    /// Worker row id.
    pub worker: i64,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// Signed points, never 0.
    pub points: i64,
    /// `earn`, `redeem`, `reverse` or `adjust`.
    pub kind: &'a str,
    /// Category code.
    pub category: &'a str,
    /// 事由, empty when none.
    pub reason: &'a str,
    /// Occurrence among identical entries of the worker and day, from 1.
    pub occurrence: i64,
    /// The event key, unique with the worker and date.
    pub event_key: i64,
    /// Rule code, for grants.
    pub rule: Option<&'a str>,
    /// `services` or `tips`, for grants.
    pub source_table: Option<&'a str>,
    /// The record's row id, for grants.
    pub source_id: Option<i64>,
    /// The entry reversed, for reversals.
    pub reverses: Option<i64>,
    /// Allowed to overdraw.
    pub allow_negative: bool,
    /// Who entered it.
    pub operator: &'a str,
    /// When, `YYYY-MM-DD HH:MM:SS`.
    pub entered_at: &'a str,
    /// The import batch, `None` when typed.
    pub batch: Option<i64>,
    /// The street it counts under when it is not the worker's street on its day: set only
    /// for an entry `merge` carried from another registry (outside the seal, like the row
    /// ids of that registry).
    pub street: Option<i64>,
}

/// The end of the seal chain: the seal of the last sealed entry, read once under the write
/// lock and carried along as entries are appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chain {
    last: Option<String>,
}

impl Chain {
    /// The chain as the file holds it: the seal with the highest entry id (`None` for an
    /// empty ledger). Read inside the write transaction that appends.
    ///
    /// Errors: database errors.
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        let last = conn
            .prepare_cached("SELECT seal FROM ledger_seals ORDER BY entry_id DESC LIMIT 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(Self { last })
    }

    /// Appends `e` to the ledger with its seal, chained to the last one, and returns the new
    /// entry's id. The one way nuanfeng writes an entry: one single-row INSERT of the entry,
    /// one of its seal.
    ///
    /// Errors: database errors (a constraint of the entry, as the schema states them); the
    /// chain is then left as it was.
    pub fn append(&mut self, conn: &Connection, e: &NewEntry<'_>) -> rusqlite::Result<i64> {
        self.insert(conn, e, INSERT_ENTRY)?;
        self.seal(conn, e)
    }

    /// [`append`](Self::append), unless the entry's worker, date and event key are taken
    /// (the unique index `point_entries_event`): then `None`, and nothing is written.
    ///
    /// Errors: database errors, other constraints of the entry.
    pub fn append_if_free(
        &mut self,
        conn: &Connection,
        e: &NewEntry<'_>,
    ) -> rusqlite::Result<Option<i64>> {
        if self.insert(conn, e, INSERT_ENTRY_IF_FREE)? == 0 {
            return Ok(None);
        }
        self.seal(conn, e).map(Some)
    }

    /// Inserts the entry with `sql` (one of the two INSERTs below: its id is the connection's
    /// last insert rowid) and returns the number of rows inserted.
    fn insert(
        &mut self,
        conn: &Connection,
        e: &NewEntry<'_>,
        sql: &str,
    ) -> rusqlite::Result<usize> {
        conn.prepare_cached(sql)?.execute(params![
            e.worker,
            e.date,
            e.points,
            e.kind,
            e.category,
            e.reason,
            e.occurrence,
            e.event_key,
            e.rule,
            e.source_table,
            e.source_id,
            e.reverses,
            e.allow_negative,
            e.operator,
            e.entered_at,
            e.batch,
            e.street
        ])
    }

    /// Seals the entry just inserted, chained to the last seal, and returns its id.
    fn seal(&mut self, conn: &Connection, e: &NewEntry<'_>) -> rusqlite::Result<i64> {
        let id = conn.last_insert_rowid();
        fn text(t: Option<&str>) -> ValueRef<'_> {
            t.map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes()))
        }
        let int = |i: Option<i64>| i.map_or(ValueRef::Null, ValueRef::Integer);
        // In the order of SEALED_COLUMNS, with the types SQLite stores.
        let values = [
            ValueRef::Integer(id),
            ValueRef::Integer(e.worker),
            ValueRef::Text(e.date.as_bytes()),
            ValueRef::Integer(e.points),
            ValueRef::Text(e.kind.as_bytes()),
            ValueRef::Text(e.category.as_bytes()),
            ValueRef::Text(e.reason.as_bytes()),
            ValueRef::Integer(e.occurrence),
            ValueRef::Integer(e.event_key),
            text(e.rule),
            text(e.source_table),
            int(e.source_id),
            int(e.reverses),
            ValueRef::Integer(i64::from(e.allow_negative)),
            ValueRef::Text(e.operator.as_bytes()),
            ValueRef::Text(e.entered_at.as_bytes()),
            int(e.batch),
        ];
        let seal = seal_of(self.last.as_deref(), &values);
        conn.prepare_cached("INSERT INTO ledger_seals (entry_id, seal) VALUES (?1, ?2)")?
            .execute(params![id, seal])?;
        self.last = Some(seal);
        Ok(id)
    }
}

/// Appends `e` with its seal, reading the end of the chain first: for a single entry (a
/// grant, a correction). Returns the new entry's id.
///
/// Errors: database errors.
pub(super) fn append(conn: &Connection, e: &NewEntry<'_>) -> rusqlite::Result<i64> {
    Chain::read(conn)?.append(conn, e)
}

/// Registers `nuanfeng_seal(previous, columns…)` on a connection, the function with which the
/// upgrade to schema version 5 seals the entries already in a file (and versions 5 to 13
/// sealed each new entry by trigger).
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
pub(super) fn check_seals(conn: &Connection) -> Result<Vec<Violation>> {
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
            problem: rust_i18n::t!("ledger.seal.triggers_gone", triggers = missing.join(", "))
                .into_owned(),
        });
    }
    // The entries and the seals, both in the order of their rowid, read side by side (a merge
    // join: no seek per entry). A seal whose entry is gone is reported after the entries.
    let mut entries = conn.prepare(&format!(
        "SELECT {SEALED_COLUMNS} FROM point_entries ORDER BY id"
    ))?;
    let mut seals = conn.prepare("SELECT entry_id, seal FROM ledger_seals ORDER BY entry_id")?;
    let mut seals = seals.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut next_seal = seals.next().transpose()?;
    let mut removed = Vec::new();
    let mut rows = entries.query([])?;
    let mut previous: Option<String> = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let worker: i64 = r.get(1)?;
        let mut stored = None;
        while let Some((entry, seal)) = next_seal.take() {
            if entry < id {
                removed.push(entry);
            } else if entry == id {
                stored = Some(seal);
            } else {
                next_seal = Some((entry, seal));
                break;
            }
            next_seal = seals.next().transpose()?;
        }
        let values: Vec<ValueRef<'_>> = (0..17).map(|i| r.get_ref(i)).collect::<Result<_, _>>()?;
        let expected = seal_of(previous.as_deref(), &values);
        let problem = match &stored {
            None => Some(rust_i18n::t!("ledger.seal.unsealed")),
            Some(s) if *s != expected => Some(rust_i18n::t!("ledger.seal.mismatch")),
            Some(_) => None,
        };
        if let Some(p) = problem {
            out.push(Violation {
                entry: Some(id),
                worker: Some(worker),
                name: None,
                problem: p.into_owned(),
            });
        }
        // The chain goes on from what is stored, so one changed entry is reported once.
        previous = stored.or(Some(expected));
    }
    while let Some((entry, _)) = next_seal {
        removed.push(entry);
        next_seal = seals.next().transpose()?;
    }
    for id in removed {
        out.push(Violation {
            entry: Some(id),
            worker: None,
            name: None,
            problem: rust_i18n::t!("ledger.seal.removed").into_owned(),
        });
    }
    Ok(out)
}
