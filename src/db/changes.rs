//! The change log: every change to a worker, a station or an organization (by import or typed
//! at the terminal) and to a points rule — when, by which command or import batch, which
//! field, old and new value, with [`Origin`], who makes a change. 身份证号 and 手机号 are stored masked:
//! the log shows that a number changed, never the number.

use anyhow::Result;
use rusqlite::{Connection, params};
use rust_i18n::t;

use super::Reader;
use crate::i18n::Lang;
use crate::model::{mask_id, mask_phone};

/// Where a change comes from: the command (`import workers`, `worker update`) and the import
/// batch, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The command as the user typed it.
    pub command: String,
    /// The import batch.
    pub batch: Option<i64>,
}

/// A value as the change log stores it: `id_number` and `phone`/`contact_phone` masked, any
/// other field as it is.
fn masked(field: &str, v: Option<&str>) -> Option<String> {
    v.map(|v| match field {
        "id_number" => mask_id(v),
        "phone" | "contact_phone" => mask_phone(v),
        _ => v.to_string(),
    })
}

/// Appends one change. Values of the fields `id_number` and `phone`/`contact_phone` are masked
/// before they are stored.
#[allow(clippy::too_many_arguments)]
pub fn log(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    command: &str,
    batch: Option<i64>,
) -> rusqlite::Result<()> {
    let mask = |v: Option<&str>| masked(field, v);
    conn.prepare_cached(
        "INSERT INTO change_log (at, entity, entity_id, field, old, new, command, batch_id, operator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        super::now_text(),
        entity,
        entity_id,
        field,
        mask(old),
        mask(new),
        command,
        batch,
        super::operator()
    ])?;
    Ok(())
}

/// The local time of day as [`now_text`](super::now_text) writes it, formatted once per
/// second: an import logs thousands of changes a second.
#[derive(Debug, Default)]
struct Clock {
    /// Seconds since 1970 of `text`.
    second: u64,
    text: String,
}

impl Clock {
    fn now(&mut self) -> &str {
        let second = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if second != self.second || self.text.is_empty() {
            self.second = second;
            self.text = super::now_text();
        }
        &self.text
    }
}

/// One change held by a [`ChangeBuffer`], its values already masked.
#[derive(Debug)]
struct Pending {
    at: String,
    entity: &'static str,
    entity_id: String,
    field: &'static str,
    old: Option<String>,
    new: Option<String>,
}

/// Changes of one origin held in memory and appended together, as [`log`] appends them one
/// by one: the same rows in the same order (ids included), each with the time it was
/// logged. A holder writes them out with [`flush`](Self::flush) before anything else writes
/// or reads `change_log`, before a savepoint is opened or rolled back to, and before its
/// transaction commits; at most [`HELD`](Self::HELD) changes wait in memory.
#[derive(Debug)]
pub struct ChangeBuffer {
    origin: Origin,
    operator: String,
    clock: Clock,
    pending: Vec<Pending>,
}

impl ChangeBuffer {
    /// Changes held before they are written out by themselves.
    pub const HELD: usize = 1024;

    /// A buffer for the changes made by `origin`.
    pub fn new(origin: Origin) -> Self {
        Self {
            origin,
            operator: super::operator(),
            clock: Clock::default(),
            pending: Vec::new(),
        }
    }

    /// Holds one change (values masked as [`log`] masks them); writes out what is held when
    /// [`HELD`](Self::HELD) changes wait.
    ///
    /// Errors: the database failed writing them out.
    pub fn push(
        &mut self,
        conn: &Connection,
        entity: &'static str,
        entity_id: i64,
        field: &'static str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> rusqlite::Result<()> {
        let at = self.clock.now().to_string();
        self.pending.push(Pending {
            at,
            entity,
            entity_id: entity_id.to_string(),
            field,
            old: masked(field, old),
            new: masked(field, new),
        });
        if self.pending.len() >= Self::HELD {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Appends the held changes to `change_log`, in the order they were logged, through one
    /// prepared single-row INSERT. A single-row INSERT needs no statement journal, where a
    /// multi-row one keeps the pages of `change_log_entity` it changes (16 KiB each, in a
    /// temporary file past 64 KiB) in case it fails half way.
    ///
    /// Errors: the database failed.
    pub fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut one = conn.prepare_cached(
            "INSERT INTO change_log (at, entity, entity_id, field, old, new, command, batch_id, operator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        one.raw_bind_parameter(7, &self.origin.command)?;
        one.raw_bind_parameter(8, self.origin.batch)?;
        one.raw_bind_parameter(9, &self.operator)?;
        for p in self.pending.drain(..) {
            one.raw_bind_parameter(1, &p.at)?;
            one.raw_bind_parameter(2, p.entity)?;
            one.raw_bind_parameter(3, &p.entity_id)?;
            one.raw_bind_parameter(4, p.field)?;
            one.raw_bind_parameter(5, &p.old)?;
            one.raw_bind_parameter(6, &p.new)?;
            one.raw_execute()?;
        }
        Ok(())
    }
}

/// One logged change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// When, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    /// Field code (`phone`, `street` …), or `*` for the record's creation.
    pub field: String,
    /// The value before (masked for ID and phone).
    pub old: Option<String>,
    /// The value after (masked for ID and phone).
    pub new: Option<String>,
    /// The command: `import workers`, `worker update` …
    pub command: String,
    /// The file of an import, when the change came from one.
    pub file: Option<String>,
    /// Who.
    pub operator: String,
}

/// The history of one worker or station, oldest first.
pub fn history(db: &impl Reader, entity: &str, entity_id: i64) -> Result<Vec<Change>> {
    let conn = db.conn().0;
    // change_log_entity orders by the id's number; `+` keeps SQLite from putting the text in
    // place of the column in the CAST (which would leave the index only `entity`).
    let mut stmt = conn.prepare(
        "SELECT c.at, c.field, c.old, c.new, c.command, b.file_name, c.operator
         FROM change_log c LEFT JOIN import_batches b ON b.id = c.batch_id
         WHERE c.entity = ?1 AND CAST(c.entity_id AS INTEGER) = ?3 AND +c.entity_id = ?2
         ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map(params![entity, entity_id.to_string(), entity_id], |r| {
            Ok(Change {
                at: r.get(0)?,
                field: r.get(1)?,
                old: r.get(2)?,
                new: r.get(3)?,
                command: r.get(4)?,
                file: r.get(5)?,
                operator: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The register header of a logged field code in `lang`, for tables (`phone` → 手机号,
/// `Phone`); `*` (the record's registration) → 登记 (`registered`); an unknown code as it is.
pub fn field_label(code: &str, lang: Lang) -> String {
    let l = lang.code();
    match code {
        "*" => t!("common.field.registered", locale = l),
        "name" => t!("common.field.name", locale = l),
        "gender" => t!("common.field.gender", locale = l),
        "id_number" => t!("common.field.id_number", locale = l),
        "phone" => t!("common.field.phone", locale = l),
        "political_status" => t!("common.field.political_status", locale = l),
        "occupation" => t!("common.field.occupation", locale = l),
        "enterprise" => t!("common.field.enterprise", locale = l),
        "station" => t!("common.field.station", locale = l),
        "street" => t!("common.field.street", locale = l),
        "community" => t!("common.field.community", locale = l),
        "joined_on" => t!("common.field.joined_on", locale = l),
        "left_on" => t!("common.field.left_on", locale = l),
        "note" => t!("common.field.note", locale = l),
        "purged_on" => t!("common.field.purged_on", locale = l),
        "kind" => t!("common.field.station_kind", locale = l),
        "address" => t!("common.field.address", locale = l),
        "contact_name" => t!("common.field.contact_name", locale = l),
        "contact_phone" => t!("common.field.contact_phone", locale = l),
        "facilities" => t!("common.field.facilities", locale = l),
        "declared_workers" => t!("common.field.declared_workers", locale = l),
        other => return other.to_string(),
    }
    .into_owned()
}
