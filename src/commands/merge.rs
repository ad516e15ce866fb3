//! `nuanfeng merge FILE…`: other registries (street files) brought into this one (the
//! district's, or a city's), in one transaction. The merging itself is `db::merge`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::{Ctx, Silent};
use crate::db::merge::{self, ConflictKind, Kind, Outcome, Source};
use crate::import::limits::grouped;
use crate::report::render::{Format, Table, render};

/// Bring other registries (street files) into this one (the district's or a city's).
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng --db 迎泽区.db init --district 140106
  nuanfeng --db 迎泽区.db merge 收到/柳巷街道.db 收到/文庙街道.db --dry-run
  nuanfeng --db 迎泽区.db merge 收到/柳巷街道.db 收到/文庙街道.db
  nuanfeng --db 迎泽区.db report streets --month 2025-07

Each FILE is a registry made by nuanfeng (a street office's file, a backup of it, an encrypted
copy: its key from NUANFENG_SOURCE_KEY, else NUANFENG_KEY, else asked). It is only read.
People are matched as an import matches them (身份证号, then 手机号, former numbers
included); stations by street and name; check-ins, services, reports and points by their
content, so nothing counts twice. A person on the registers of two streets stays one person,
counted in both streets' rows and once in the district's.

Merging the same registry again (a newer copy of it, under any name) brings only what changed
there since; a field changed both there and here is a conflict. Conflicts (one 身份证号 with
two names, one 手机号 with two people, a field changed on both sides, a redemption that
overdraws once two ledgers meet) are listed and nothing is merged, unless --keep-ours: then
the rest is merged and this registry's values are kept. The merge lands whole or not at all.

JSON: {sources: [{file, merged_before, counts: [[kind, {new, same, updated}]]}], conflicts:
[{source, kind, record, field, here, there}], landed}.")]
pub struct MergeArgs {
    /// Registries to bring in (read only)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Show what would be merged and any conflicts; write nothing (exit 1 when there are
    /// conflicts, unless --keep-ours)
    #[arg(long)]
    pub dry_run: bool,
    /// Merge despite conflicts, keeping this registry's value in each
    #[arg(long)]
    pub keep_ours: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The JSON of a merge.
#[derive(serde::Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    outcome: &'a Outcome,
    landed: bool,
}

/// Runs `merge`: the counts (and conflicts) to `out`, the verdict to stderr.
pub fn run(ctx: &Ctx, args: MergeArgs, out: &mut dyn Write) -> Result<()> {
    let sources: Vec<Source> = args
        .files
        .iter()
        .map(|f| Source::open(f))
        .collect::<Result<_>>()?;
    let mut db = ctx.open()?;
    // Every row id a merge writes is one it mapped to a row here; checking each reference
    // again as it is written (at random, once the registry outgrows the page cache) halves
    // the speed of a large merge. `check` runs SQLite's foreign_key_check over the file.
    db.set_foreign_keys(false)?;
    let tx = db.begin_write()?;
    let outcome = merge::merge(&tx, &sources)?;
    let conflicts = outcome.conflicts.len();
    let landed = !args.dry_run && (conflicts == 0 || args.keep_ours);
    if landed {
        tx.commit().map_err(|e| ctx.explain(e.into()))?;
        if outcome.erased > 0 {
            // The erased values may still lie in free pages until the file is rewritten.
            crate::db::purge::finish(&mut db).map_err(|e| ctx.explain(e))?;
        }
    } else {
        tx.rollback()?;
    }
    write(out, args.format, &outcome, landed)?;
    let total = |f: fn(&merge::Counts) -> u64| -> u64 {
        outcome
            .sources
            .iter()
            .flat_map(|s| s.counts.iter())
            .map(|(_, c)| f(c))
            .sum()
    };
    let (new, updated, same) = (total(|c| c.new), total(|c| c.updated), total(|c| c.same));
    let files = sources.len();
    let counts = t!(
        "merge.counts",
        new = grouped(new),
        updated = grouped(updated),
        same = grouped(same)
    );
    if args.dry_run {
        if conflicts > 0 && !args.keep_ours {
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                crate::i18n::error_line(&t!(
                    "merge.dry_run_conflicts",
                    files = files,
                    counts = counts,
                    conflicts = conflicts
                ))
            );
            return Err(Silent.into());
        }
        ctx.note(t!(
            "merge.dry_run",
            files = files,
            counts = counts,
            conflicts = conflicts
        ));
        return Ok(());
    }
    if !landed {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::i18n::error_line(&t!(
                "merge.refused",
                n = conflicts,
                path = ctx.db_path.display()
            ))
        );
        return Err(Silent.into());
    }
    let mut msg = t!(
        "merge.done",
        files = files,
        path = ctx.db_path.display(),
        counts = counts
    )
    .into_owned();
    if conflicts > 0 {
        msg.push_str(&t!("merge.kept_ours", n = conflicts));
    }
    if outcome.erased > 0 {
        msg.push_str(&t!("merge.erased", n = outcome.erased));
    }
    ctx.note(msg);
    Ok(())
}

/// The counts by source and kind, then the conflicts.
fn write(out: &mut dyn Write, format: Format, o: &Outcome, landed: bool) -> Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &Json { outcome: o, landed })?;
        writeln!(out)?;
        return Ok(());
    }
    let mut t = Table::new(
        &[
            &t!("merge.head.source"),
            &t!("merge.head.kind"),
            &t!("merge.head.new"),
            &t!("merge.head.updated"),
            &t!("merge.head.same"),
        ],
        &[false, false, true, true, true],
    );
    for s in &o.sources {
        for (k, c) in &s.counts {
            if c.new + c.updated + c.same == 0 && *k != Kind::Workers {
                continue;
            }
            t.rows.push(vec![
                s.file.clone(),
                k.label(),
                grouped(c.new),
                grouped(c.updated),
                grouped(c.same),
            ]);
        }
    }
    render(out, format, &o.sources, &t)?;
    if o.conflicts.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let mut c = Table::new(
        &[
            &t!("merge.head.source"),
            &t!("merge.head.conflict"),
            &t!("merge.head.record"),
            &t!("merge.head.field"),
            &t!("merge.head.here"),
            &t!("merge.head.there"),
        ],
        &[],
    );
    for x in &o.conflicts {
        let kind = match x.kind {
            ConflictKind::IdTwoNames => t!("merge.conflict.id_two_names"),
            ConflictKind::NumberTwoPeople => t!("merge.conflict.number_two_people"),
            ConflictKind::Field => t!("merge.conflict.field"),
            ConflictKind::Overdraw => t!("merge.conflict.overdraw"),
            ConflictKind::Taken => t!("merge.conflict.taken"),
        };
        c.rows.push(vec![
            x.source.clone(),
            kind.into_owned(),
            x.record.clone(),
            x.field.clone(),
            x.here.clone(),
            x.there.clone(),
        ]);
    }
    render(out, format, &o.conflicts, &c)?;
    Ok(())
}
