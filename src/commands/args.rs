//! The flag groups several commands flatten into their arguments: output options and the one
//! period. They live here, below both `cli.rs` and the commands, so that neither imports the
//! other; a group holds flags only, and each command decides what its values mean.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rust_i18n::t;
use serde::Serialize;

use crate::model::{Period, UsageError};
use crate::report::export;
use crate::report::render::{Format, Table, render, render_to};

/// Output options shared by every command that prints records.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
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

impl OutputArgs {
    /// Refuses what cannot be written, before anything is computed: `--format xlsx` without
    /// `-o` (a workbook is a file, never text on a terminal), `-o FILE.xlsx` with another
    /// format (a workbook was meant), `-o` naming an existing file without `--force`, or a
    /// folder that does not exist.
    ///
    /// Errors: [`UsageError`](crate::model::UsageError) for xlsx without `-o` or a name not
    /// ending in `.xlsx`; [`export::check_target`]'s.
    pub fn check(&self) -> anyhow::Result<()> {
        check_output(self.format, self.output.as_deref(), self.force)
    }

    /// Writes `value` (JSON) or `table` (the other formats) where the options say: to `out`
    /// (standard output), or to the file `-o` names, a workbook of one sheet with
    /// `--format xlsx`.
    ///
    /// Errors: [`OutputArgs::check`]'s; the file cannot be written.
    pub fn emit(
        &self,
        out: &mut dyn Write,
        value: &impl Serialize,
        table: &Table,
    ) -> anyhow::Result<()> {
        emit(
            out,
            self.format,
            self.output.as_deref(),
            self.force,
            value,
            table,
        )
    }
}

impl OutputArgs {
    /// Runs `write` (a command that prints several tables, such as `worker show`) to `out`,
    /// or to the file `-o` names: the file is written only when `write` succeeds. Tables
    /// written to a file are never fitted to the terminal.
    ///
    /// Errors: `--format xlsx` (these commands print text); [`OutputArgs::check`]'s; `write`'s.
    pub fn text(
        &self,
        out: &mut dyn Write,
        write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        text(out, self.format, self.output.as_deref(), self.force, write)
    }
}

/// [`OutputArgs::text`] for commands with their own format and `-o` flags.
pub fn text(
    out: &mut dyn Write,
    format: Format,
    output: Option<&Path>,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if format == Format::Xlsx {
        return Err(UsageError(t!("report.error.xlsx_elsewhere").into_owned()).into());
    }
    check_output(format, output, force)?;
    let Some(path) = output else {
        return write(out);
    };
    let mut bytes = Vec::new();
    crate::report::render::without_width(|| write(&mut bytes))?;
    export::write_file(path, force, &bytes)
}

/// [`OutputArgs::check`] for commands with their own format and `-o` flags.
pub fn check_output(format: Format, output: Option<&Path>, force: bool) -> anyhow::Result<()> {
    match (format, output) {
        (Format::Xlsx, None) => Err(UsageError(t!("export.xlsx_needs_file").into_owned()).into()),
        (Format::Xlsx, Some(path)) => {
            let xlsx = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            if !xlsx {
                return Err(UsageError(
                    t!("report.error.not_xlsx", path = path.display()).into_owned(),
                )
                .into());
            }
            export::check_target(path, force)
        }
        (other, Some(path))
            if other != Format::Docx
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("docx")) =>
        {
            let format = other.to_possible_value().map(|v| v.get_name().to_string());
            Err(UsageError(
                t!(
                    "report.error.file_without_docx",
                    path = path.display(),
                    format = format.unwrap_or_default()
                )
                .into_owned(),
            )
            .into())
        }
        (other, Some(path))
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) =>
        {
            let format = other.to_possible_value().map(|v| v.get_name().to_string());
            Err(UsageError(
                t!(
                    "report.error.file_without_xlsx",
                    path = path.display(),
                    format = format.unwrap_or_default()
                )
                .into_owned(),
            )
            .into())
        }
        (_, Some(path)) => export::check_target(path, force),
        (_, None) => Ok(()),
    }
}

/// [`OutputArgs::emit`] for commands with their own format and `-o` flags.
pub fn emit(
    out: &mut dyn Write,
    format: Format,
    output: Option<&Path>,
    force: bool,
    value: &impl Serialize,
    table: &Table,
) -> anyhow::Result<()> {
    check_output(format, output, force)?;
    let Some(path) = output else {
        return render(out, format, value, table);
    };
    let bytes = if format == Format::Xlsx {
        export::table_book(table, &export::sheet_of(path))?
    } else {
        let mut bytes = Vec::new();
        render_to(&mut bytes, format, value, table, None)?;
        bytes
    };
    export::write_file(path, force, &bytes)
}

/// The period of a report or a list: one of `--month`, `--quarter`, `--year`, or
/// `--from`/`--to`. Flattened into every command that takes a period, so each accepts the
/// same five flags with the same rules.
#[derive(Debug, Clone, Args, Default)]
pub struct PeriodArgs {
    /// A month: 2025-07
    #[arg(long, value_name = "YYYY-MM", group = "period")]
    pub month: Option<String>,
    /// A quarter: 2025Q3
    #[arg(long, value_name = "YYYYQn", group = "period")]
    pub quarter: Option<String>,
    /// A year: 2025
    #[arg(long, value_name = "YYYY", group = "period")]
    pub year: Option<String>,
    /// First day of the period (periods lie within 2000-01-01..=2099-12-31)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period, with --from [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

impl PeriodArgs {
    /// The period asked for, or `None` when none was given; see
    /// [`PeriodFlags::period`](crate::model::PeriodFlags::period) for the rules (`--to`
    /// defaults to today, [`crate::model::today`]).
    ///
    /// Errors ([`UsageError`](crate::model::UsageError)): malformed or contradictory values.
    pub fn period(&self) -> anyhow::Result<Option<Period>> {
        let flags = crate::model::PeriodFlags {
            month: self.month.as_deref(),
            quarter: self.quarter.as_deref(),
            year: self.year.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        };
        Ok(flags.period(crate::model::today())?)
    }

    /// The names of the five flags, for a flag that excludes any period (`worker list --all`).
    pub const FLAGS: [&'static str; 5] = ["month", "quarter", "year", "from", "to"];
}
