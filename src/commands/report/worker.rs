//! `nuanfeng report worker`: one worker's history — finds the worker as `worker show` does,
//! has [`WorkerReport`] compute it, and writes it: three tables (person, months, timeline)
//! for the terminal and Markdown, the timeline alone as CSV, everything as JSON.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use crate::commands::args::PeriodArgs;
use crate::commands::{Ctx, UsageError};
use crate::i18n::Lang;
use crate::report::render::{Format, Table, render};
use crate::report::worker::WorkerReport;

/// `report worker`.
#[derive(Debug, Args)]
pub struct WorkerReportArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// The period [default: the whole history].
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format: table, md, json, or csv (the timeline only); not xlsx
    #[arg(long, value_enum, default_value_t = Format::Table, hide_possible_values = true)]
    pub format: Format,
    /// Show full 身份证号 and 手机号 (masked otherwise)
    #[arg(long)]
    pub show_pii: bool,
}

/// Runs `report worker`.
///
/// Errors: `--format xlsx` or a malformed period (usage, exit 2); an unknown worker or a
/// number that is neither a 手机号 nor a 身份证号 (exit 1).
pub fn run(ctx: &Ctx, a: WorkerReportArgs, out: &mut dyn Write) -> Result<()> {
    if a.format == Format::Xlsx {
        return Err(UsageError(t!("report.error.worker_xlsx").into_owned()).into());
    }
    let period = a.period.period()?;
    let db = ctx.open()?;
    let (id, _) = crate::commands::find_worker(ctx, &db, &a.worker)?;
    let r = WorkerReport::compute(&db, id, period, a.show_pii, Lang::current())?;
    match a.format {
        Format::Json => render(out, Format::Json, &r, &Table::default())?,
        Format::Csv => render(
            out,
            Format::Csv,
            &r.timeline,
            &r.timeline_table(Lang::current()),
        )?,
        _ => {
            render(out, a.format, &r.person, &r.person_table(Lang::current()))?;
            writeln!(out)?;
            render(out, a.format, &r.months, &r.months_table(Lang::current()))?;
            writeln!(out)?;
            render(
                out,
                a.format,
                &r.timeline,
                &r.timeline_table(Lang::current()),
            )?;
        }
    }
    let (name, n) = (&r.person.name, r.timeline.len());
    ctx.note(match (&r.period, n) {
        (None, 1) => t!("report.worker.note.one", name = name, n = n),
        (None, _) => t!("report.worker.note.many", name = name, n = n),
        (Some(p), 1) => t!(
            "report.worker.note_period.one",
            name = name,
            n = n,
            from = p.from,
            to = p.to
        ),
        (Some(p), _) => t!(
            "report.worker.note_period.many",
            name = name,
            n = n,
            from = p.from,
            to = p.to
        ),
    });
    Ok(())
}
