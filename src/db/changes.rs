//! The change log: every change to a worker, a station or an organization (by import or typed
//! at the terminal) and to a points rule — when, by which command or import batch, which
//! field, old and new value, with [`Origin`], who makes a change. 身份证号 and 手机号 are stored masked:
//! the log shows that a number changed, never the number.

use anyhow::Result;
use rusqlite::{Connection, params};

use super::Reader;
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
    let mask = |v: Option<&str>| -> Option<String> {
        v.map(|v| match field {
            "id_number" => mask_id(v),
            "phone" | "contact_phone" => mask_phone(v),
            _ => v.to_string(),
        })
    };
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
    let mut stmt = conn.prepare(
        "SELECT c.at, c.field, c.old, c.new, c.command, b.file_name, c.operator
         FROM change_log c LEFT JOIN import_batches b ON b.id = c.batch_id
         WHERE c.entity = ?1 AND c.entity_id = ?2 ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map(params![entity, entity_id.to_string()], |r| {
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

/// The register header of a logged field code, for tables (`phone` → 手机号); `*` (the
/// record's registration) → 登记.
pub fn field_label(code: &str) -> &str {
    match code {
        "*" => "登记",
        "name" => "姓名",
        "gender" => "性别",
        "id_number" => "身份证号",
        "phone" => "手机号",
        "political_status" => "政治面貌",
        "occupation" => "从业类型",
        "enterprise" => "所属企业",
        "station" => "所属站点",
        "street" => "所属街道",
        "community" => "所属社区",
        "joined_on" => "入职日期",
        "left_on" => "离职日期",
        "note" => "备注",
        "purged_on" => "清除日期",
        "kind" => "站点类型",
        "address" => "地址",
        "contact_name" => "联系人",
        "contact_phone" => "联系电话",
        "facilities" => "服务设施",
        "declared_workers" => "从业人数",
        other => other,
    }
}
