//! `nuanfeng check`: the whole registry checked at once — the file's integrity, foreign keys
//! (orphan rows), the points ledger, duplicate people, the check-in rollup, events outside a
//! worker's working days and workers at a station of another street. It prints what
//! `db::check` finds, grouped by check; it never repairs anything.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::{Ctx, Silent};
use crate::db::check::{self, Area};

/// Lines shown per check; the rest are counted.
const SHOWN_PER_CHECK: usize = 200;

/// Check the whole registry: file integrity, foreign keys, ledger, duplicate people, rollup,
/// dates, stations, the file itself.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng check                       all checks; one line when everything holds
  nuanfeng --db 台账/2025.db check      another registry

Checks, in order:
  integrity     PRAGMA integrity_check: pages, records and indexes of the file
  foreign keys  rows (check-ins, points, services, tips …) whose worker or street is missing
  ledger        the points ledger's invariants and seals, as `points check`
  people        two worker rows for one person: the same 身份证号 or 手机号 written
                differently (spaces, +86, lower-case x), and numbers not in their normal form
  rollup        the monthly check-in counts (checkin_months) against the check-ins
  dates         events (报到, 志愿服务, 随手拍, points entries) before a worker's 入职日期 or
                after their 离职日期 (a redemption after leaving is allowed)
  stations      workers at a station of another street than their 所属街道
  files         an unfinished erasure of `worker purge`, permissions that let other users
                read the file, temporaries an interrupted command left beside it

Exit 0 when every check passes; 1 with one line per problem on stdout, grouped by check,
身份证号 and 手机号 masked.")]
pub struct CheckArgs {}

/// Runs `check`: problems to `out`, the verdict to stderr; a problem found is exit 1.
pub fn run(ctx: &Ctx, _args: CheckArgs, out: &mut dyn Write) -> Result<()> {
    let db = ctx.open_as_found()?;
    let problems = check::check_registry(&db);
    let sep = t!("db.list_sep");
    let names: Vec<String> = Area::ALL.iter().map(|a| a.name()).collect();
    let path = ctx.db_path.display();
    if problems.is_empty() {
        ctx.note(t!("db.check.passed", path = path, areas = names.join(&sep)));
        return Ok(());
    }
    let mut failed = Vec::new();
    for area in Area::ALL {
        let lines: Vec<&str> = problems
            .iter()
            .filter(|p| p.area == area)
            .map(|p| p.text.as_str())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let (name, fix) = (area.name(), area.fix());
        let head = if lines.len() == 1 {
            t!("db.check.area_problems_one", area = name, fix = fix)
        } else {
            t!(
                "db.check.area_problems",
                area = name,
                n = lines.len(),
                fix = fix
            )
        };
        writeln!(out, "{head}")?;
        failed.push(name);
        for l in lines.iter().take(SHOWN_PER_CHECK) {
            writeln!(out, "  {l}")?;
        }
        if lines.len() > SHOWN_PER_CHECK {
            writeln!(
                out,
                "  {}",
                t!("db.check.more", n = lines.len() - SHOWN_PER_CHECK)
            )?;
        }
    }
    out.flush()?;
    let passed: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !failed.iter().any(|f| f == n))
        .collect();
    let areas = failed.join(&sep);
    let mut verdict = if problems.len() == 1 {
        t!("db.check.failed_one", path = path, areas = areas)
    } else {
        t!(
            "db.check.failed",
            path = path,
            n = problems.len(),
            areas = areas
        )
    }
    .into_owned();
    if !passed.is_empty() {
        verdict = t!(
            "db.check.failed_passed",
            failed = verdict,
            areas = passed.join(&sep)
        )
        .into_owned();
    }
    let _ = writeln!(std::io::stderr(), "{}", crate::i18n::error_line(&verdict));
    Err(Silent.into())
}
