//! `nuanfeng demo`: builds a registry from the sample district bundled in the binary (the
//! files of `examples/`, imported through the same pipeline as any register) and prints the
//! per-street report of its latest month.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use super::{Ctx, today};
use crate::db::queries::{self, Period};
use crate::db::{Db, OpenMode};
use crate::import::header::RegisterKind;
use crate::import::read::EncodingChoice;
use crate::import::{ImportOptions, import_source};
use crate::model::Month;
use crate::report::StreetReport;
use crate::report::render::{Format, count, render};

/// The sample district: 山西省太原市迎泽区's official streets and communities, and
/// synthetic stations, instructors, workers, check-ins, points, volunteer services, 随手拍
/// reports, wishes and awards. Instructors come after the stations they are assigned to; the
/// records after the workers they name.
const EXAMPLES: &[(RegisterKind, &str, &[u8])] = &[
    (
        RegisterKind::Streets,
        "examples/streets.csv",
        include_bytes!("../../examples/streets.csv"),
    ),
    (
        RegisterKind::Stations,
        "examples/stations.csv",
        include_bytes!("../../examples/stations.csv"),
    ),
    (
        RegisterKind::Instructors,
        "examples/instructors.csv",
        include_bytes!("../../examples/instructors.csv"),
    ),
    (
        RegisterKind::Workers,
        "examples/workers.csv",
        include_bytes!("../../examples/workers.csv"),
    ),
    (
        RegisterKind::Checkins,
        "examples/checkins.csv",
        include_bytes!("../../examples/checkins.csv"),
    ),
    (
        RegisterKind::Points,
        "examples/points.csv",
        include_bytes!("../../examples/points.csv"),
    ),
    (
        RegisterKind::Services,
        "examples/services.csv",
        include_bytes!("../../examples/services.csv"),
    ),
    (
        RegisterKind::Tips,
        "examples/tips.csv",
        include_bytes!("../../examples/tips.csv"),
    ),
    (
        RegisterKind::Wishes,
        "examples/wishes.csv",
        include_bytes!("../../examples/wishes.csv"),
    ),
    (
        RegisterKind::Awards,
        "examples/awards.csv",
        include_bytes!("../../examples/awards.csv"),
    ),
];

/// Where the demo registry goes unless --db or NUANFENG_DB says otherwise. It is rebuilt on
/// every run.
const DEMO_DB: &str = "nuanfeng-demo.db";

/// Build a sample registry and print its report.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng demo                       builds ./nuanfeng-demo.db (replaced on every run)
  nuanfeng --db /tmp/try.db demo      builds a new registry there (refused if the file exists)

Then explore it: nuanfeng --db nuanfeng-demo.db worker list --street 柳巷街道")]
pub struct DemoArgs {
    /// Output format of the report
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `demo`.
pub fn run(
    ctx: &Ctx,
    explicit_db: Option<PathBuf>,
    args: DemoArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let path = explicit_db.unwrap_or_else(|| PathBuf::from(DEMO_DB));
    if path.exists() {
        if path != std::path::Path::new(DEMO_DB) {
            bail!(
                "{} exists; the demo builds a new registry — name a file that does not exist, or leave --db out to use ./{DEMO_DB}",
                path.display()
            );
        }
        std::fs::remove_file(&path)?;
    }
    let mut db = Db::open(&path, OpenMode::Create)?;
    let opts = ImportOptions {
        encoding: EncodingChoice::Auto,
        sheet: None,
        header_row: None,
        maps: Vec::new(),
        skip_invalid: false,
        rejects: None,
        dry_run: false,
        today: today(),
        quiet: true,
    };
    for (kind, name, bytes) in EXAMPLES {
        let mut sink = std::io::sink();
        let s = import_source(&mut db, *kind, name, Box::new(*bytes), &opts, &mut sink)?;
        ctx.note(format!(
            "{name}: {} imported ({})",
            count(s.counts.new, "row", "rows"),
            s.encoding
        ));
    }
    let month = queries::latest_month(&db.conn)?
        .and_then(|m| Month::parse(&m))
        .ok_or_else(|| anyhow::anyhow!("the examples hold no dated records"))?;
    let period = Period {
        from: month.first_day().to_string(),
        to: month.last_day().to_string(),
    };
    let report = StreetReport::compute(&db, period)?;
    ctx.note(format!(
        "\n{} — 迎泽区 per-street report, {month}:",
        path.display()
    ));
    render(out, args.format, &report, &report.table())?;
    ctx.note(format!(
        "\nexplore it: nuanfeng --db {} worker list --street 柳巷街道",
        path.display()
    ));
    Ok(())
}
