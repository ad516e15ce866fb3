//! `nuanfeng report …`: figures for the month's report.

mod district;
mod worker;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::{Ctx, UsageError};
use crate::cli::PeriodArgs;
use crate::report::coverage::CoverageReport;
use crate::report::render::{Format, render};
use crate::report::{MonthlyReport, StreetReport};

/// Report commands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// One row per street and a total: stations, workers, party members, coverage (on the last
    /// day); check-ins, volunteer service, 随手拍 reports, wishes and points (in the period)
    #[command(after_long_help = "Examples:
  nuanfeng report streets --month 2025-07
  nuanfeng report streets --quarter 2025Q3 --compare        with the change against 2025Q2
  nuanfeng report streets --year 2025 --monthly --format csv > 2025逐月.csv
  nuanfeng report streets --from 2025-01-01 --to 2025-06-30 --format json

Stock figures (stations, workers, party members, instructors, coverage) are counted on the
period's last day; flows (check-ins, services, reports, wishes, points) count what is dated
inside the period — check-ins, services and reports under the street where they happened,
points, wishes and admissions under the worker's street. In the total, distinct counts
(checkin_workers, service_workers, tip_reporters, instructors) count each person once. The
terminal table shows the main figures; CSV has every figure as a column.

JSON: {\"period\": {\"from\", \"to\"}, \"streets\": [...], \"total\": {...}} (and
\"previous\", the same for the period before, with --compare; with --monthly, {\"period\",
\"months\": [report, ...]}). Each row has street, street_code, stations, workers,
party_members, checkins, checkin_workers, points_earned, points_redeemed (positive),
workplaces, org_covered, org_coverage_rate, with_instructor, work_coverage_rate,
mobile_members, courier_stations, logistics_firms, rider_hubs, rest_stations,
courier_station_workers, logistics_firm_workers, probationary_members, instructors,
party_orgs, services, service_workers, service_hours (one decimal), tips, tips_by_category
{safety_hazard, sanitation, dispute, incivility, street_vending, suggestion, other},
tip_reporters, suggestions, tips_resolved, wishes_fulfilled, admitted. Rates are percentages
with one decimal, null without workplaces.")]
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
    District(district::DistrictArgs),
    /// One worker's history: register, stages, check-ins, service, reports, points
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
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The workbook to write, with --format xlsx
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
}

fn period_of(p: &PeriodArgs) -> Result<crate::db::queries::Period> {
    p.period()?.ok_or_else(|| {
        UsageError(
            "say which period: --month 2025-07, --quarter 2025Q3, --year 2025, or --from D --to D"
                .into(),
        )
        .into()
    })
}

/// Runs a report command.
pub fn run(ctx: &Ctx, cmd: ReportCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ReportCommand::Streets(a) => {
            let p = period_of(&a.period)?;
            let db = ctx.open()?;
            if a.monthly {
                let r = MonthlyReport::compute(&db, p)?;
                if a.format == Format::Table {
                    ctx.note(format!("{} – {}", r.period.from, r.period.to));
                }
                let wide = a.format == Format::Csv;
                return render(out, a.format, &r, &r.table(ctx.lang, wide));
            }
            let r = StreetReport::compute(&db, p, a.compare)?;
            if a.format == Format::Table {
                match &r.previous {
                    Some(b) => ctx.note(format!(
                        "{} – {} (change against {} – {})",
                        r.period.from, r.period.to, b.period.from, b.period.to
                    )),
                    None => ctx.note(format!("{} – {}", r.period.from, r.period.to)),
                }
            }
            let table = if a.format == Format::Csv {
                r.wide_table(ctx.lang)
            } else {
                r.table(ctx.lang)
            };
            render(out, a.format, &r, &table)
        }
        ReportCommand::Coverage(a) => {
            let p = period_of(&a.period)?;
            let db = ctx.open()?;
            let r = CoverageReport::compute(&db, p)?;
            if a.format == Format::Table {
                ctx.note(format!("{} – {}", r.period.from, r.period.to));
            }
            render(out, a.format, &r, &r.table())
        }
        ReportCommand::District(a) => district::run(ctx, a, out),
        ReportCommand::Worker(a) => worker::run(ctx, a, out),
    }
}
