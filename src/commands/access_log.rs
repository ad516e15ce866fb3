//! `nuanfeng access-log`: who saw full 身份证号 and 手机号 — every command run with
//! `--show-pii`, when and by which OS user. The log is written by `Ctx` when such a command
//! opens the registry; this command only reads it. Its lines hold no number: they were masked
//! before they were stored.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::Ctx;
use super::args::PeriodArgs;
use crate::db::access;
use crate::report::render::{Format, Table, render};

/// `access-log`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng access-log
  nuanfeng access-log --from 2025-07-01 --to 2025-07-31
  nuanfeng access-log --month 2025-07
  nuanfeng access-log --format csv > 查看记录.csv

Every command run with --show-pii is recorded when it opens the registry, whether it then
prints anything or not: the time, the OS user, and the command line after `nuanfeng` with
every 手机号 and 身份证号 in it masked (and --db FILE left out). The log is only appended to.

Each access keeps the ledger digest of that moment (see points check --digest).

JSON: an array of {at, operator, command, ledger_digest}; at is local time YYYY-MM-DD
HH:MM:SS; ledger_digest is null for accesses recorded before schema version 18.")]
pub struct AccessLogArgs {
    /// The period: only accesses on its days (all without one)
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Lists the access log, oldest first.
pub fn run(ctx: &Ctx, a: AccessLogArgs, out: &mut dyn Write) -> Result<()> {
    let period = a.period.period()?;
    // `--from` alone runs to the end of the log, not to today: an entry is never later than
    // now, but the clock may have been set back since.
    let open_end = a.period.from.is_some() && a.period.to.is_none();
    let from = period.map(|p| p.from.to_string());
    let to = period.filter(|_| !open_end).map(|p| p.to.to_string());
    let db = ctx.open()?;
    let rows = access::list(&db, from.as_deref(), to.as_deref())?;
    let mut t = Table::new(
        &[
            &t!("db.access.head.at"),
            &t!("db.access.head.operator"),
            &t!("db.access.head.command"),
            &t!("db.access.head.digest"),
        ],
        &[],
    );
    for r in &rows {
        t.rows.push(vec![
            r.at.clone(),
            r.operator.clone(),
            r.command.clone(),
            r.ledger_digest.clone().unwrap_or_default(),
        ]);
    }
    render(out, a.format, &rows, &t)?;
    ctx.note(if rows.len() == 1 {
        t!("db.access.count_one")
    } else {
        t!("db.access.count", n = rows.len())
    });
    Ok(())
}
