//! `nuanfeng report …`: figures for the month's report.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::{Ctx, UsageError, period};
use crate::report::StreetReport;
use crate::report::coverage::CoverageReport;
use crate::report::render::{Format, render};

/// Report commands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// One row per street and a total: stations, workers, party members, coverage (on the last
    /// day), check-ins and distinct workers, points earned and redeemed (in the period)
    #[command(after_long_help = "Examples:
  nuanfeng report streets --month 2025-07
  nuanfeng report streets --from 2025-01-01 --to 2025-06-30 --format csv > 上半年.csv
  nuanfeng report streets --month 2025-07 --format json

Stock figures (stations, workers, party_members) are counted on the period's last day;
flows (checkins, checkin_workers, points_earned, points_redeemed) count what is dated inside
the period, check-ins under the street checked in to, points under the worker's street.
party_members counts 中共党员 and 中共预备党员. In the total, checkin_workers counts each
worker once.

JSON: {\"period\": {\"from\", \"to\"}, \"streets\": [...], \"total\": {...}}; each street has
street, street_code, stations, workers, party_members, checkins, checkin_workers,
points_earned, points_redeemed (integers; redeemed positive), workplaces, org_covered,
org_coverage_rate, with_instructor, work_coverage_rate, mobile_members (as in report
coverage).")]
    Streets(StreetsArgs),
    /// Coverage (组织覆盖, 工作覆盖), party organizations, party members and the membership
    /// pipeline, per street and for the district
    #[command(after_long_help = "Examples:
  nuanfeng report coverage --month 2025-07
  nuanfeng report coverage --from 2025-01-01 --to 2025-12-31 --format json

Workplaces are courier stations, logistics firms and rider hubs (暖蜂驿站 rest stations serve
workers and are counted apart). On the period's last day: a workplace is covered when a party
organization covers it that day (org cover dates), and has an instructor when one was
assigned by then. Rates are percentages rounded half up to one decimal. Party members are
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
    Coverage(StreetsArgs),
}

/// `report streets`.
#[derive(Debug, Args)]
pub struct StreetsArgs {
    /// The month (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// First day of the period
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs a report command.
pub fn run(ctx: &Ctx, cmd: ReportCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ReportCommand::Streets(a) => {
            let p = period(a.month.as_deref(), a.from.as_deref(), a.to.as_deref())?.ok_or_else(
                || UsageError("say which period: --month 2025-07, or --from D --to D".into()),
            )?;
            let db = ctx.open()?;
            let r = StreetReport::compute(&db, p)?;
            if a.format == Format::Table {
                ctx.note(format!("{} – {}", r.period.from, r.period.to));
            }
            render(out, a.format, &r, &r.table())
        }
        ReportCommand::Coverage(a) => {
            let p = period(a.month.as_deref(), a.from.as_deref(), a.to.as_deref())?.ok_or_else(
                || UsageError("say which period: --month 2025-07, or --from D --to D".into()),
            )?;
            let db = ctx.open()?;
            let r = CoverageReport::compute(&db, p)?;
            if a.format == Format::Table {
                ctx.note(format!("{} – {}", r.period.from, r.period.to));
            }
            render(out, a.format, &r, &r.table())
        }
    }
}
