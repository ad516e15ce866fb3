//! `nuanfeng report worker`: one worker's history — finds the worker as `worker show` does,
//! has [`WorkerReport`] compute it, and writes it: three tables (person, months, timeline)
//! for the terminal and Markdown, the timeline alone as CSV, everything as JSON, the three
//! tables as the sheets of a workbook (xlsx).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use crate::commands::Ctx;
use crate::commands::args::{PeriodArgs, check_output, text};
use crate::i18n::Lang;
use crate::report::export;
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
    /// Output format: table, md, json, csv (the timeline only), or xlsx (three sheets, with -o)
    #[arg(long, value_enum, default_value_t = Format::Table, hide_possible_values = true)]
    pub format: Format,
    /// Show full 身份证号 and 手机号 (masked otherwise)
    #[arg(long)]
    pub show_pii: bool,
    /// Write to this file instead of standard output (a new file; see --force)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o, replace the file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Runs `report worker`.
///
/// Errors: `--format xlsx` without `-o` or a malformed period (usage, exit 2); an unknown
/// worker or a number that is neither a 手机号 nor a 身份证号, an `-o` file that exists
/// without `--force` (exit 1).
pub fn run(ctx: &Ctx, a: WorkerReportArgs, out: &mut dyn Write) -> Result<()> {
    check_output(a.format, a.output.as_deref(), a.force)?;
    let period = a.period.period()?;
    let db = ctx.open()?;
    let (id, _) = crate::commands::find_worker(ctx, &db, &a.worker)?;
    let r = WorkerReport::compute(&db, id, period, a.show_pii, Lang::current())?;
    let lang = Lang::current();
    let digest = crate::db::ledger::digest(&db)?.to_string();
    if let (Format::Xlsx, Some(path)) = (a.format, a.output.as_deref()) {
        let (person, months, timeline) = (
            r.person_table(lang),
            r.months_table(lang),
            r.timeline_table(lang),
        );
        let sheets = [
            (&*t!("report.worker.sheet.person"), &person),
            (&*t!("report.worker.sheet.months"), &months),
            (
                &*t!("report.worker.sheet.timeline"),
                &timeline.with_digest(&*digest),
            ),
        ];
        export::write_file(path, a.force, &export::book(&sheets)?)?;
    } else {
        text(out, a.format, a.output.as_deref(), a.force, |out| {
            match a.format {
                Format::Json => render(out, Format::Json, &r, &Table::default()),
                Format::Csv => render(
                    out,
                    Format::Csv,
                    &r.timeline,
                    &r.timeline_table(lang).with_digest(&*digest),
                ),
                _ => {
                    render(out, a.format, &r.person, &r.person_table(lang))?;
                    writeln!(out)?;
                    render(out, a.format, &r.months, &r.months_table(lang))?;
                    writeln!(out)?;
                    render(
                        out,
                        a.format,
                        &r.timeline,
                        &r.timeline_table(lang).with_digest(&*digest),
                    )
                }
            }
        })?;
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
