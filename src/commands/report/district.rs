//! `nuanfeng report district`: the district bulletin — its table and sentences to stdout, or a
//! workbook with `--format xlsx -o FILE`, or a Word document with `--format docx -o FILE`. The figures and sentences come from
//! [`crate::report::district`]; this file checks the flags and writes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::period_of;
use crate::commands::args::PeriodArgs;
use crate::commands::{Ctx, UsageError};
use crate::i18n::Lang;
use crate::report::district::DistrictReport;
use crate::report::render::{Format, render};

/// `report district`.
#[derive(Debug, Args)]
pub struct DistrictArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The file to write instead of standard output: the workbook of --format xlsx, the
    /// document of --format docx, or the text of another format (a new file; see --force)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o, replace the file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Checks the name of an `-o` document: it ends in `.docx` and has a name before it.
///
/// Errors ([`UsageError`]): `-o 简报.doc`, `-o .docx`.
fn document_name(path: &Path) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy());
    let docx = name
        .as_deref()
        .is_some_and(|n| n.len() > ".docx".len() && n.to_ascii_lowercase().ends_with(".docx"));
    if !docx {
        return Err(
            UsageError(t!("report.error.not_docx", path = path.display()).into_owned()).into(),
        );
    }
    Ok(())
}

/// Runs `report district`.
///
/// Errors: [`UsageError`] for a missing or malformed period, `--format xlsx` without `-o`,
/// `-o FILE.xlsx` with another format, or an `-o` file that is not `.xlsx` or has no name
/// before it; a failure when the `-o` file exists (without `--force`), its folder does not,
/// or the registry cannot be read.
pub fn run(ctx: &Ctx, a: DistrictArgs, out: &mut dyn Write) -> Result<()> {
    let period = period_of(&a.period)?;
    let file = match (a.format, &a.output) {
        (Format::Xlsx, None) => {
            return Err(
                UsageError(t!("report.error.district_xlsx_without_file").into_owned()).into(),
            );
        }
        (Format::Docx, None) => {
            return Err(
                UsageError(t!("report.error.district_docx_without_file").into_owned()).into(),
            );
        }
        (Format::Xlsx, Some(path)) => {
            super::workbook_name(path)?;
            if a.force {
                crate::report::export::check_target(path, true)?;
            } else {
                crate::report::xlsx::refuse_existing(path)?;
            }
            Some(path)
        }
        (Format::Docx, Some(path)) => {
            document_name(path)?;
            if a.force {
                crate::report::export::check_target(path, true)?;
            } else {
                crate::report::xlsx::refuse_existing(path)?;
            }
            Some(path)
        }
        (_, Some(path))
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) =>
        {
            return Err(
                UsageError(t!("report.error.district_file_without_xlsx").into_owned()).into(),
            );
        }
        (format, output) => {
            crate::commands::args::check_output(format, output.as_deref(), a.force)?;
            None
        }
    };
    let db = ctx.open()?;
    let r = DistrictReport::compute(&db, period, Lang::current())?;
    let digest = crate::db::ledger::digest(&db)?.to_string();
    if let Some(path) = file {
        if a.format == Format::Docx {
            super::replacing(path, a.force, |p| {
                crate::report::docx::write_bulletin(
                    p,
                    &r,
                    crate::model::period::today(),
                    &digest,
                    Lang::current(),
                )
            })?;
            ctx.note(t!(
                "report.note.wrote_docx",
                path = path.display(),
                n = r.streets
            ));
            return Ok(());
        }
        super::replacing(path, a.force, |p| {
            crate::report::xlsx::write_workbook(
                p,
                &r.per_street,
                Some(&r.sheet(Lang::current())),
                &digest,
                Lang::current(),
            )
        })?;
        ctx.note(super::wrote(
            path,
            r.streets,
            true,
            &crate::report::xlsx::sheet_names(&r.per_street, true, Lang::current()),
        ));
        return Ok(());
    }
    let mut note = t!(
        "report.note.period_year_to_date",
        from = r.period.from,
        to = r.period.to,
        since = r.year_to_date.from
    )
    .into_owned();
    note.push_str(&super::running_note(&r.period));
    let table = super::with_period(ctx, a.format, r.table(Lang::current()), note);
    let output = a.output.as_deref();
    crate::commands::args::text(out, a.format, output, a.force, |out| {
        match a.format {
            Format::Table => writeln!(out, "{}\n", r.title)?,
            Format::Md => writeln!(out, "## {}\n", r.title)?,
            _ => {}
        }
        render(out, a.format, &r, &table)?;
        if matches!(a.format, Format::Table | Format::Md) {
            for p in &r.bulletin {
                writeln!(out, "\n{p}")?;
            }
            if let Some(n) = &r.note {
                writeln!(out, "\n{n}")?;
            }
        }
        crate::report::render::write_digest(out, a.format, &digest)
    })
}
