//! `nuanfeng report …`: figures for the month's report.

mod district;
mod worker;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;

use super::{Ctx, UsageError};
use crate::commands::args::{PeriodArgs, check_output, emit};
use crate::db::ledger;
use crate::i18n::Lang;
use crate::report::catalogue;
use crate::report::coverage::CoverageReport;
use crate::report::district::DistrictReport;
use crate::report::render::Format;
use crate::report::xlsx;
use crate::report::{MonthlyReport, StreetReport};

/// The long help of `report streets` up to its list of a row's JSON keys.
const STREETS_HELP: &str = "Examples:
  nuanfeng report streets --month 2025-07
  nuanfeng report streets --quarter 2025Q3 --compare        with the change against 2025Q2
  nuanfeng report streets --year 2025 --monthly --format csv > 2025逐月.csv
  nuanfeng report streets --from 2025-01-01 --to 2025-06-30 --format json
  nuanfeng report streets --month 2025-07 --format xlsx -o 2025-07报表.xlsx
  nuanfeng report streets --year 2025 --monthly --format xlsx -o 2025逐月.xlsx

Stock figures (stations, workers, party members, instructors, coverage) are counted on the
period's last day; flows (check-ins, services, reports, wishes, points) count what is dated
inside the period — check-ins, services and reports under the street where they happened,
points, wishes and admissions under the worker's street on their day, as the change log
tells it (a street corrected later leaves the months already reported as they were). In the
total, distinct counts (checkin_workers, service_workers, tip_reporters, instructors) count
each person once. The
terminal table shows the main figures; CSV has every figure as a column. With --compare the
terminal and md tables show each figure with its change (38 (+5)); CSV instead has numbers
only: a first column 期间 (Period, e.g. 2025-07-01~2025-07-31), the rows of the period, then
the rows of the previous period. A period starting in the first months of 2000 has no period
before it (reports cover 2000-01-01 to 2099-12-31): --compare is then refused.

Workbook (--format xlsx -o FILE.xlsx; an existing file is replaced only with --force): sheet 简报
holds the district bulletin of `report district` (title, table, sentences); sheet 各街道
has a title row with the period, the header row, one row per street and the total (合计,
bold), every figure as a number — counts #,##0, hours 0.0, rates as fractions shown 0.0%
(76.9 in JSON is 0.769 here; empty without workplaces); the panes are frozen below the header
and right of the street name, and an autofilter covers the streets. With --compare, sheet
上期 holds the previous period the same way. Sheet 图表 holds the clustered column chart
报到与随手拍: check-ins (报到人次) and reports (随手拍) per street, drawn from 各街道. With
--monthly the workbook has sheet 逐月 (a month column, then each month's streets and total,
every figure as a number; no autofilter, which would sort totals among streets) and sheet
图表 with the district's check-ins and reports per month and their line chart. With --lang
en: Bulletin, Streets, Previous, Chart, Monthly. The folder of -o must exist.

JSON: {\"period\": {\"from\", \"to\"}, \"streets\": [...], \"total\": {...}} (and
\"previous\", the same for the period before, with --compare; with --monthly, {\"period\",
\"months\": [report, ...]}). Each row has";

/// The long help of `report streets`: [`STREETS_HELP`], then the keys of a row from the
/// catalogue of figures, wrapped as the text above them.
fn streets_long_help() -> String {
    let keys = format!(
        "{} Rates are percentages with one decimal, null without workplaces.",
        catalogue::json_keys() + "."
    );
    let mut out = STREETS_HELP.to_string();
    let mut column = out.rsplit('\n').next().map_or(0, |l| l.chars().count());
    for word in keys.split(' ') {
        let width = word.chars().count();
        if column + 1 + width > HELP_WIDTH {
            out.push('\n');
            column = 0;
        } else {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += width;
    }
    out
}

/// The width the long help's paragraphs are wrapped at.
const HELP_WIDTH: usize = 92;

/// Report commands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// One row per street and a total: stations, workers, party members, coverage (on the last
    /// day); check-ins, volunteer service, 随手拍 reports, wishes and points (in the period)
    #[command(after_long_help = streets_long_help())]
    Streets(StreetsArgs),
    /// Coverage (组织覆盖, 工作覆盖), party organizations, party members and the membership
    /// pipeline, per street and for the district
    #[command(after_long_help = "Examples:
  nuanfeng report coverage --month 2025-07
  nuanfeng report coverage --year 2025 --format json

Workplaces are courier stations, logistics firms and rider hubs (暖蜂驿站 rest stations serve
workers and are counted apart). On the period's last day: a workplace is covered when a party
organization covers it that day (org cover dates), and has an instructor when an assignment
holds it that day. Rates are percentages rounded half up to one decimal. Party members are
counted on the last day among the workers working then: a worker with a 预备党员 or 正式党员
stage by that stage's date, any other by 政治面貌. admitted counts 预备党员 stages dated in the
period.

JSON: {\"period\": {\"from\", \"to\"}, \"streets\": [...], \"total\": {...}}; each row has
street, street_code, courier_stations, logistics_firms, rider_hubs, rest_stations,
workplaces, org_covered, org_coverage_rate, with_instructor, work_coverage_rate,
enterprises, enterprises_covered, party_orgs, party_members, full_members,
probationary_members, mobile_members, applicants, activists, candidates, admitted (integers;
rates numbers such as 76.9, null without workplaces). In the total, party_orgs counts every
organization of the district, street or not.")]
    Coverage(CoverageArgs),
    /// The district bulletin: the district's figures for the period and the year to date, as
    /// a table and a paragraph of plain sentences
    #[command(after_long_help = "Examples:
  nuanfeng report district --month 2025-07
  nuanfeng report district --quarter 2025Q3 --format md > 2025Q3简报.md
  nuanfeng report district --year 2025 --format json
  nuanfeng report district --month 2025-07 --format xlsx -o 2025年7月简报.xlsx
  nuanfeng report district --month 2025-07 --format docx -o 2025年7月简报.docx

The figures are the district total of `report streets` twice: for the period, and for the
year to date (1 January of the year of the period's last day through that day; a period
that starts earlier, crossing New Year, is its own year to date). Stock
figures (stations, workers, party members, organizations, instructors, coverage) are counted
on the period's last day and so are the same in both; flows (check-ins, services, reports,
wishes, points, admissions) count what is dated inside each period. The table lists them
(指标 | 本期 | 年初至今); in table and md formats the bulletin's sentences follow it, built
from those figures only (a clause whose figure is zero is left out). CSV is the table alone.
--format xlsx writes the per-street sheet and a bulletin sheet to a new file -o FILE.xlsx.
--format docx writes the bulletin as a Word document (A4; title in 黑体, text in 仿宋, the table of
figures and the table by street) to a new file -o FILE.docx.
docs/bulletin.md gives, for every figure, an SQL query that reproduces it from the tables.

JSON: {\"district\": {\"name\", \"code\"}, \"period\": {\"from\", \"to\"},
\"year_to_date\": {\"from\", \"to\"}, \"figures\": {...}, \"year_to_date_figures\":
{...}, \"streets\": N, \"title\": \"...\", \"bulletin\": [\"paragraph\", ...]}. district
is the one county-level district of the streets' codes (name and code null otherwise);
figures and year_to_date_figures are rows with every key of the total of `report streets`;
streets is the number of streets; bulletin is in the language of --lang.")]
    District(district::DistrictArgs),
    /// One worker's history: register, stages, check-ins, service, reports, points
    #[command(after_long_help = "Examples:
  nuanfeng report worker 13623517804
  nuanfeng report worker 13623517804 --year 2025 --format md
  nuanfeng report worker 140106198503126010 --format csv > 郭志伟.csv
  nuanfeng report worker 13623517804 --format json --show-pii

Three sections: the person (register entry, 入党阶段 with dates, points balance now), a row
per month (check-ins, places checked in at, volunteer services and hours, 随手拍 reports and
those resolved, 微心愿 and those fulfilled, awards, points earned and redeemed, balance at
the month's end) with a total, and the timeline of every event by date. CSV writes the
timeline only. Without a period, the whole history; with one, events dated inside it (the
balance stays the ledger's balance now). Months run from the first to the last month with a
counted event. Register changes are dated the day they were recorded; an award, which has a
year only, on 31 December of that year. 身份证号 and 手机号 are masked, and numbers that may be
one masked inside free text, unless --show-pii.

JSON: {\"period\": {\"from\", \"to\"} or null, \"person\": {id, name, gender, id_number, phone,
political_status, occupation, enterprise, station, street, community, joined_on, left_on,
note}, \"stages\": [{stage, date, instructor}], \"months\": [{month (YYYY-MM), checkins,
checkin_places, services, service_minutes, service_hours (one decimal), tips, tips_resolved,
wishes, wishes_fulfilled, awards, points_earned, points_redeemed (positive), balance}],
\"timeline\": [{date, kind, detail, points}], \"totals\": {the month keys but month, and
balance: the ledger's balance now}}. kind is one of joined, registered, change, stage,
checkin, service, tip, tip_resolved, wish, wish_fulfilled, award, earn, redeem, reverse,
adjust, left; points is the signed points of a ledger entry, null otherwise; detail is text
in the --lang language; codes as in worker list.

Formats: table (the default), md, json, csv (the timeline only), and xlsx: a workbook with
the three sections as sheets (with -o FILE.xlsx).")]
    Worker(worker::WorkerReportArgs),
}

/// `report streets`.
#[derive(Debug, Args)]
pub struct StreetsArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Also the period of the same length just before, and each figure's change
    #[arg(long)]
    pub compare: bool,
    /// Every month of the period, one after the other
    #[arg(long, conflicts_with = "compare")]
    pub monthly: bool,
    /// Output format (xlsx writes the workbook -o names)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The file to write instead of standard output: the workbook of --format xlsx, or the
    /// text of another format (a new file; see --force)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o, replace the file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `report coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output (a new file; see --force)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o, replace the file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
}

fn period_of(p: &PeriodArgs) -> Result<crate::model::Period> {
    p.period()?
        .ok_or_else(|| UsageError(t!("report.error.no_period").into_owned()).into())
}

/// Refuses `--compare` when the period just before `p` would start before 2000-01-01, the
/// first day a report covers.
fn compare_within_reach(p: &crate::model::Period) -> Result<()> {
    let first = crate::model::period::FIRST_REPORT_DAY;
    match p.previous() {
        Some(before) if before.from >= first => Ok(()),
        Some(before) => Err(UsageError(
            t!(
                "report.error.compare_too_early",
                from = p.from,
                to = p.to,
                before = before.from,
                first = first
            )
            .into_owned(),
        )
        .into()),
        None => Err(UsageError(
            t!("report.error.compare_nothing_before", first = first).into_owned(),
        )
        .into()),
    }
}

/// The workbook `--format xlsx -o FILE` asks for, `None` for the other formats (which `-o`
/// sends to a file of text). Usage errors: xlsx without `-o`, an `-o FILE.xlsx` with another
/// format (a workbook was meant), a file name not ending in `.xlsx` or empty before it.
pub(super) fn workbook_of(format: Format, output: Option<&Path>) -> Result<Option<&Path>> {
    match (format, output) {
        (Format::Xlsx, None) => {
            Err(UsageError(t!("report.error.xlsx_without_file").into_owned()).into())
        }
        (Format::Xlsx, Some(path)) => {
            workbook_name(path)?;
            Ok(Some(path))
        }
        (_, Some(path))
            if !path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) =>
        {
            Ok(None)
        }
        (other, Some(path)) => Err(UsageError(
            t!(
                "report.error.file_without_xlsx",
                path = path.display(),
                format = format_name(other)
            )
            .into_owned(),
        )
        .into()),
        (_, None) => Ok(None),
    }
}

/// Checks the name of an `-o` workbook: it ends in `.xlsx` and has a name before it.
///
/// Errors ([`UsageError`]): `-o r.xls`, `-o .xlsx`.
pub(super) fn workbook_name(path: &Path) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy());
    let bare = name
        .as_deref()
        .is_some_and(|n| n.eq_ignore_ascii_case(".xlsx"));
    if bare {
        return Err(
            UsageError(t!("report.error.empty_name", path = path.display()).into_owned()).into(),
        );
    }
    let xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !xlsx {
        return Err(
            UsageError(t!("report.error.not_xlsx", path = path.display()).into_owned()).into(),
        );
    }
    Ok(())
}

/// Writes a workbook to `path` with `write` (which never replaces a file): with `force` and
/// an existing file, to a new file beside it first, then put in its place, so that a failed
/// write leaves the old file as it was.
pub(super) fn replacing(
    path: &Path,
    force: bool,
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    // The rename below would replace a link, a pipe or a device at `path`: refused first.
    crate::outfile::refuse_special(path)?;
    if !(force && path.exists()) {
        return write(path);
    }
    let name = path.file_name().map_or_else(
        || "workbook.xlsx".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let fresh = path.with_file_name(format!(".{name}.new.xlsx"));
    let _ = std::fs::remove_file(&fresh);
    write(&fresh)?;
    std::fs::rename(&fresh, path).map_err(|e| {
        let _ = std::fs::remove_file(&fresh);
        anyhow::Error::new(e).context(t!("export.cannot_write", path = path.display()).into_owned())
    })
}

/// The `--format` value as typed.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Md => "md",
        Format::Xlsx => "xlsx",
        Format::Docx => "docx",
    }
}

/// The note of a period before its table: `2025-07-01 – 2025-07-31`.
fn period_note(p: &crate::model::Period) -> String {
    let mut note = t!("report.note.period", from = p.from, to = p.to).into_owned();
    note.push_str(&running_note(p));
    note
}

/// For a period that has not ended: `（统计期尚未结束，存量指标截至 2026-12-03）`; else nothing.
pub(super) fn running_note(p: &crate::model::Period) -> String {
    let day = crate::db::figures::stock_day(p);
    if day < p.from {
        t!("report.note.not_begun", day = day).into_owned()
    } else if day < p.to {
        t!("report.note.running", day = day).into_owned()
    } else {
        String::new()
    }
}

/// The note of a workbook written: `已写入 FILE：7 个街道，工作表：简报、各街道、图表` (with
/// `streets`, a count of streets; else of months).
pub(super) fn wrote(path: &Path, n: usize, streets: bool, sheets: &[String]) -> String {
    let sheets = sheets.join(&*t!("report.sheet.separator"));
    let p = path.display();
    let text = match (streets, n) {
        (true, 1) => t!(
            "report.note.wrote_streets.one",
            path = p,
            n = n,
            sheets = sheets
        ),
        (true, _) => t!(
            "report.note.wrote_streets.many",
            path = p,
            n = n,
            sheets = sheets
        ),
        (false, 1) => t!(
            "report.note.wrote_months.one",
            path = p,
            n = n,
            sheets = sheets
        ),
        (false, _) => t!(
            "report.note.wrote_months.many",
            path = p,
            n = n,
            sheets = sheets
        ),
    };
    text.into_owned()
}

/// The period `note` of a report: a note on stderr before the terminal table, the period line
/// of `table` in CSV and Markdown (JSON has its own `period`).
fn with_period(
    ctx: &Ctx,
    format: Format,
    table: crate::report::render::Table,
    note: String,
) -> crate::report::render::Table {
    if format == Format::Table {
        ctx.note(note);
        table
    } else {
        table.with_period(note)
    }
}

/// Runs a report command.
pub fn run(ctx: &Ctx, cmd: ReportCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ReportCommand::Streets(a) => {
            let workbook = workbook_of(a.format, a.output.as_deref())?;
            let p = period_of(&a.period)?;
            if a.compare {
                compare_within_reach(&p)?;
            }
            match workbook {
                Some(path) if a.force => crate::report::export::check_target(path, true)?,
                Some(path) => xlsx::refuse_existing(path)?,
                None => check_output(a.format, a.output.as_deref(), a.force)?,
            }
            let db = ctx.open()?;
            let digest = ledger::digest(&db)?.to_string();
            if a.monthly {
                let r = MonthlyReport::compute(&db, p)?;
                if let Some(path) = workbook {
                    replacing(path, a.force, |p| {
                        xlsx::write_monthly_workbook(p, &r, &digest, Lang::current())
                    })?;
                    ctx.note(wrote(
                        path,
                        r.months.len(),
                        false,
                        &xlsx::monthly_sheet_names(Lang::current()),
                    ));
                    return Ok(());
                }
                let note = period_note(&r.period);
                let wide = a.format == Format::Csv;
                let table = r.table(Lang::current(), wide);
                return emit(
                    out,
                    a.format,
                    a.output.as_deref(),
                    a.force,
                    &r,
                    &with_period(ctx, a.format, table, note).with_digest(digest),
                );
            }
            let r = StreetReport::compute(&db, p, a.compare)?;
            if let Some(path) = workbook {
                let bulletin = DistrictReport::compute(&db, r.period, Lang::current())?;
                replacing(path, a.force, |p| {
                    xlsx::write_workbook(
                        p,
                        &r,
                        Some(&bulletin.sheet(Lang::current())),
                        &digest,
                        Lang::current(),
                    )
                })?;
                ctx.note(wrote(
                    path,
                    r.streets.len(),
                    true,
                    &xlsx::sheet_names(&r, true, Lang::current()),
                ));
                return Ok(());
            }
            let note = match &r.previous {
                Some(b) => t!(
                    "report.note.period_compared",
                    from = r.period.from,
                    to = r.period.to,
                    before_from = b.period.from,
                    before_to = b.period.to
                )
                .into_owned(),
                None => period_note(&r.period),
            };
            let table = if a.format == Format::Csv && r.previous.is_some() {
                r.periods_table(Lang::current())
            } else if a.format == Format::Csv {
                r.wide_table(Lang::current())
            } else {
                r.table(Lang::current())
            };
            let table = with_period(ctx, a.format, table, note).with_digest(digest);
            emit(out, a.format, a.output.as_deref(), a.force, &r, &table)
        }
        ReportCommand::Coverage(a) => {
            check_output(a.format, a.output.as_deref(), a.force)?;
            let p = period_of(&a.period)?;
            let db = ctx.open()?;
            let r = CoverageReport::compute(&db, p)?;
            let table = r.table(Lang::current());
            let table = with_period(ctx, a.format, table, period_note(&r.period))
                .with_digest(ledger::digest(&db)?.to_string());
            emit(out, a.format, a.output.as_deref(), a.force, &r, &table)
        }
        ReportCommand::District(a) => district::run(ctx, a, out),
        ReportCommand::Worker(a) => worker::run(ctx, a, out),
    }
}
