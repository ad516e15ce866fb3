//! The seals of the ledger: each entry's seal hashes the one before it and the entry's
//! columns, so an entry changed, added or removed by another program (around the triggers)
//! is found by `points check`.

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use super::Violation;

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
    let mut stmt = conn.prepare(
        "SELECT entry_id FROM ledger_seals s
         WHERE NOT EXISTS (SELECT 1 FROM point_entries e WHERE e.id = s.entry_id)",
    )?;
    for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
        out.push(Violation {
            entry: Some(id?),
            worker: None,
            name: None,
            problem: rust_i18n::t!("ledger.seal.removed").into_owned(),
        });
    }
    Ok(out)
}
