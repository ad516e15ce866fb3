//! `nuanfeng restore FILE`: replace the registry with a backup, after checking the backup,
//! keeping the current registry beside it. The file handling is `db::backup::restore`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::Ctx;

/// Replace the registry with a backup, keeping the current file beside it.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng restore 备份/nuanfeng-2025-07-31.db
  nuanfeng --db 台账/2025.db restore 2025.bak.db

FILE must be a nuanfeng registry (a file made by `nuanfeng backup`, or a copy of a registry)
that passes SQLite's integrity check, made by this build or an older one (an older file is
upgraded the next time it is opened); a file that passes it but fails another check of
`nuanfeng check` is restored with a warning. The registry as it was is kept beside it as
REGISTRY.before-restore-YYYYMMDD-HHMMSS.db; the replacement is atomic. Restore refuses while
another process (an import …) is writing the registry.")]
pub struct RestoreArgs {
    /// The backup to restore
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `restore`: the summary line to stderr.
pub fn run(ctx: &Ctx, args: RestoreArgs) -> Result<()> {
    let r = crate::db::backup::restore(&ctx.db_path, &args.file)?;
    let i = &r.inspection;
    let mut msg = t!(
        "db.restore.done",
        path = ctx.db_path.display(),
        from = args.file.display(),
        workers = i.workers,
        checkins = i.checkins
    )
    .into_owned();
    match &r.kept {
        Some(k) => msg.push_str(&t!("db.restore.kept", kept = k.display())),
        None => msg.push_str(&t!("db.restore.none_before")),
    }
    if i.version < crate::db::SCHEMA_VERSION {
        msg.push_str(&t!(
            "db.restore.older",
            version = i.version,
            to = crate::db::SCHEMA_VERSION
        ));
    }
    ctx.note(msg);
    // The integrity check passed; the other checks may not (a backup taken after another
    // program changed the file): say so, without undoing the restore.
    if i.version == crate::db::SCHEMA_VERSION {
        let db = ctx.open()?;
        let problems = crate::db::check::check(&db);
        if !problems.is_empty() {
            let mut areas: Vec<String> = problems.iter().map(|p| p.area.name()).collect();
            areas.dedup();
            let areas = areas.join(&t!("db.list_sep"));
            ctx.note(if problems.len() == 1 {
                t!("db.restore.problems_one", areas = areas)
            } else {
                t!("db.restore.problems", n = problems.len(), areas = areas)
            });
        }
    }
    Ok(())
}
