//! The access log (`pii_access`): one row for every command run with `--show-pii`, which
//! prints full 身份证号 and 手机号. Rows are only appended here; the command line stored is
//! masked by the caller (`commands::pii_command_line`), so the log never holds a number. Each
//! row keeps the ledger digest of that moment, one more copy of the ledger's anchor.

use anyhow::Result;

use super::{Db, Reader};

/// Appends one access: now (local time), the masked command line, the OS user and the
/// ledger digest as it is ([`super::ledger::digest`]).
///
/// Errors: database errors (the command then fails before it shows anything).
pub fn record(db: &Db, command: &str) -> Result<()> {
    let digest = super::ledger::digest(db)?.to_string();
    db.conn.execute(
        "INSERT INTO pii_access (at, command, operator, ledger_digest) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![super::now_text(), command, super::operator(), digest],
    )?;
    Ok(())
}

/// One recorded use of `--show-pii`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    /// When, local time `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    /// Who: the OS user name.
    pub operator: String,
    /// The command line after `nuanfeng`, numbers masked, `--db FILE` left out.
    pub command: String,
    /// The ledger digest when it was run (`820:3f2a9b0c1d2e3f40`); `None` for accesses
    /// recorded before schema version 18.
    pub ledger_digest: Option<String>,
}

/// Every recorded access, oldest first; only those from `from` to `to` (days
/// `YYYY-MM-DD`, both included) when given.
pub fn list(db: &impl Reader, from: Option<&str>, to: Option<&str>) -> Result<Vec<Access>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT at, operator, command, ledger_digest FROM pii_access
         WHERE (?1 IS NULL OR substr(at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(at, 1, 10) <= ?2)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![from, to], |r| {
            Ok(Access {
                at: r.get(0)?,
                operator: r.get(1)?,
                command: r.get(2)?,
                ledger_digest: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
