//! `nuanfeng backup FILE`: an online copy of the registry, safe while another process writes
//! it. The copying itself is `db::backup::backup`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::Ctx;

/// Copy the registry to a new file while it is in use (SQLite's online backup).
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng backup 备份/nuanfeng-2025-07-31.db     a dated copy in a folder of backups
  nuanfeng --db 台账/2025.db backup 2025.bak.db

The copy is one consistent snapshot even while an import runs in another window (it holds
all of that import or none of it). An existing FILE is never overwritten. The copy is
readable by its owner only, like the registry; keep it off shared or synced folders, it holds
身份证号 and 手机号. Bring it back with `nuanfeng restore FILE`.")]
pub struct BackupArgs {
    /// The new file to write (must not exist)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `backup`: the summary line to stderr.
pub fn run(ctx: &Ctx, args: BackupArgs) -> Result<()> {
    let db = ctx.open()?;
    let s = crate::db::backup::backup(&db, &args.file)?;
    ctx.note(t!(
        "db.backup.done",
        path = ctx.db_path.display(),
        to = args.file.display(),
        pages = s.pages,
        workers = s.workers,
        checkins = s.checkins
    ));
    Ok(())
}
