//! `nuanfeng demo`: builds a registry from the sample district bundled in the binary (the
//! files of `examples/`, imported through the same pipeline as any register) and prints the
//! per-street report of its latest month.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use rust_i18n::t;

use super::Ctx;
use crate::db::checkins;
use crate::db::instructors::find_instructor;
use crate::db::membership;
use crate::db::workers::find_by_number;
use crate::db::{Db, OpenMode};
use crate::import::read::EncodingChoice;
use crate::import::{ImportOptions, import_source};
use crate::model::Period;
use crate::model::RegisterKind;
use crate::model::period::stored_day;
use crate::model::today;
use crate::model::{Month, Stage};
use crate::report::StreetReport;
use crate::report::render::{Format, count, render};

/// The sample district: 山西省太原市迎泽区's official streets and communities, and
/// synthetic stations, instructors, party organizations, workers, check-ins, points, volunteer
/// services, 随手拍 reports, wishes, awards and 关爱活动. Instructors and party organizations come after
/// the stations they are assigned to or cover; the records after the workers they name.
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
        RegisterKind::Orgs,
        "examples/orgs.csv",
        include_bytes!("../../examples/orgs.csv"),
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
    (
        RegisterKind::Activities,
        "examples/activities.csv",
        include_bytes!("../../examples/activities.csv"),
    ),
    (
        RegisterKind::Merchants,
        "examples/merchants.csv",
        include_bytes!("../../examples/merchants.csv"),
    ),
    (
        RegisterKind::Gifts,
        "examples/gifts.csv",
        include_bytes!("../../examples/gifts.csv"),
    ),
];

/// What happens to a demo order after it is placed.
#[derive(Debug, Clone, Copy)]
enum Then {
    /// Still waiting to be collected.
    Waits,
    /// Collected on the day.
    Collected(&'static str),
    /// Cancelled on the day, with the reason.
    Cancelled(&'static str, &'static str),
}

/// Orders of the gift shop in the sample district's last month, placed through
/// `points redeem --gift`'s rules after the registers: worker (by 手机号), gift, items, day,
/// and what became of it. December 2025: 10 items redeemed (the cancelled 雨衣 not counted),
/// 3 orders pending at the month's end.
const GIFT_ORDERS: &[(&str, &str, i64, &str, Then)] = &[
    (
        "15454216985",
        "头盔",
        1,
        "2025-12-05",
        Then::Collected("2025-12-06"),
    ), // 刘志斌
    (
        "19797302879",
        "充电宝",
        1,
        "2025-12-08",
        Then::Collected("2025-12-10"),
    ), // 李悦丽
    (
        "15815919943",
        "洗衣液",
        2,
        "2025-12-12",
        Then::Collected("2025-12-12"),
    ), // 刘国毅
    (
        "18335735467", // 李飞志
        "雨衣",
        1,
        "2025-12-15",
        Then::Cancelled("2025-12-16", "本人放弃"),
    ),
    ("18173181702", "绿豆礼包", 2, "2025-12-18", Then::Waits), // 彭然国
    ("15958541809", "防暑降温包", 3, "2025-12-22", Then::Waits), // 罗晨
    ("17821503891", "保温杯", 1, "2025-12-26", Then::Waits),   // 何俊
];

/// Places [`GIFT_ORDERS`] in one transaction, with their pickups and cancellations; returns
/// the number of orders.
fn record_gift_orders(db: &mut Db) -> Result<u64> {
    let tx = db.begin_write()?;
    for (worker, gift, quantity, date, then) in GIFT_ORDERS {
        let order = super::points::GiftOrder {
            who: worker,
            typed: worker,
            gift,
            quantity: *quantity,
            date,
            reason: None,
            allow_negative: false,
        };
        let placed = super::points::place_order(&tx, &order)?;
        match then {
            Then::Waits => {}
            Then::Collected(day) => {
                crate::db::gifts::pickup(&tx, placed.order, day)?;
            }
            Then::Cancelled(day, why) => {
                crate::db::gifts::cancel(&tx, placed.order, day, why)?;
            }
        }
    }
    tx.commit()?;
    Ok(GIFT_ORDERS.len() as u64)
}

/// The membership pipeline (入党程序) of the sample district, recorded after the registers
/// through `worker stage`'s rules: each worker (by 手机号) with the instructor concerned and
/// the stages reached. Two admitted in 2025 (预备党员), two 发展对象, three 入党积极分子, three
/// 入党申请人; an activist is trained a year before becoming a candidate.
const PIPELINE: &[(&str, &str, Steps)] = &[
    (
        "18280596088", // 张荣, 文庙街道
        "李建国",
        &[
            (Stage::Applicant, "2024-01-08"),
            (Stage::Activist, "2024-03-20"),
            (Stage::Candidate, "2025-04-10"),
            (Stage::Probationary, "2025-07-01"),
        ],
    ),
    (
        "15499777962", // 周泽振, 迎泽街道
        "刘志强",
        &[
            (Stage::Applicant, "2024-02-26"),
            (Stage::Activist, "2024-04-22"),
            (Stage::Candidate, "2025-05-12"),
            (Stage::Probationary, "2025-09-28"),
        ],
    ),
    (
        "18972073597", // 李锋, 文庙街道
        "李建国",
        &[
            (Stage::Applicant, "2024-03-11"),
            (Stage::Activist, "2024-06-17"),
            (Stage::Candidate, "2025-07-08"),
        ],
    ),
    (
        "19468516720", // 陈振, 庙前街道
        "张丽华",
        &[
            (Stage::Applicant, "2024-05-06"),
            (Stage::Activist, "2024-09-02"),
            (Stage::Candidate, "2025-10-13"),
        ],
    ),
    (
        "19125700943", // 薛飞智, 柳巷街道
        "王秀芳",
        &[
            (Stage::Applicant, "2024-10-14"),
            (Stage::Activist, "2025-03-17"),
        ],
    ),
    (
        "19048264261", // 李志强, 老军营街道
        "杨海军",
        &[
            (Stage::Applicant, "2025-01-06"),
            (Stage::Activist, "2025-06-16"),
        ],
    ),
    (
        "13691767399", // 霍鹏林, 桥东街道
        "陈静",
        &[
            (Stage::Applicant, "2025-02-10"),
            (Stage::Activist, "2025-08-18"),
        ],
    ),
    (
        "15563747865", // 张成, 柳巷街道
        "王秀芳",
        &[(Stage::Applicant, "2025-09-22")],
    ),
    (
        "15898049447", // 郑霞颖, 郝庄镇
        "赵淑琴",
        &[(Stage::Applicant, "2025-11-03")],
    ),
    (
        "13535529622", // 徐子健, 老军营街道
        "杨海军",
        &[(Stage::Applicant, "2025-12-01")],
    ),
];

/// The stages one worker reached, with their dates.
type Steps = &'static [(Stage, &'static str)];

/// Records [`PIPELINE`] in one transaction; returns the number of stages.
fn record_pipeline(db: &mut Db) -> Result<u64> {
    let tx = db.begin_write()?;
    let mut n = 0;
    for (worker, instructor, steps) in PIPELINE {
        let (id, _) = find_by_number(&tx, worker)?;
        let (by, _) = find_instructor(&tx, instructor)?;
        for (stage, date) in *steps {
            let date = stored_day(date)
                .ok_or_else(|| anyhow::anyhow!("{}", t!("cmd.demo.bad_date", date = date)))?;
            membership::advance(&tx, id, *stage, date, Some(by), "worker stage")?;
            n += 1;
        }
    }
    tx.commit()?;
    Ok(n)
}

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

/// Runs `demo`. When building the registry fails (a full disk), the file it created is
/// removed again; once built, it stays (a report cut short by `| head` keeps it).
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
                "{}",
                t!("cmd.demo.exists", path = path.display(), default = DEMO_DB)
            );
        }
        std::fs::remove_file(&path)?;
    }
    let mut db = Db::open(&path, OpenMode::Create)?;
    if let Err(e) = build(ctx, &mut db) {
        // A registry half built is no demo: explained while it is there to be looked at (a
        // full disk …), then removed.
        let e = crate::db::explain(e, &path);
        let _ = db.remove_if_created();
        return Err(e);
    }
    let month = checkins::latest_month(&db)?
        .and_then(|m| Month::parse(&m))
        .ok_or_else(|| anyhow::anyhow!("{}", t!("cmd.demo.no_dates")))?;
    let period = Period::month(month);
    let report = StreetReport::compute(&db, period, false)?;
    ctx.note(t!(
        "cmd.demo.report_title",
        path = path.display(),
        month = month
    ));
    render(out, args.format, &report, &report.table(ctx.lang))?;
    ctx.note(t!("cmd.demo.explore", path = path.display()));
    Ok(())
}

/// Imports [`EXAMPLES`] into the new registry and records [`PIPELINE`], saying what landed.
fn build(ctx: &Ctx, db: &mut Db) -> Result<()> {
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
        missing_left_on: None,
    };
    for (kind, name, bytes) in EXAMPLES {
        let mut sink = std::io::sink();
        let s = import_source(db, *kind, name, Box::new(*bytes), &opts, &mut sink)?;
        ctx.note(t!(
            "cmd.demo.imported",
            file = name,
            rows = count(
                s.counts.new,
                &t!("cmd.demo.row_one"),
                &t!("cmd.demo.row_many")
            ),
            encoding = s.encoding
        ));
    }
    let recorded = record_pipeline(db)?;
    let orders = record_gift_orders(db)?;
    ctx.note(t!("gifts.demo_orders", orders = orders));
    ctx.note(t!(
        "cmd.demo.pipeline",
        stages = count(
            recorded,
            &t!("cmd.demo.stage_one"),
            &t!("cmd.demo.stage_many")
        ),
        workers = count(
            PIPELINE.len() as u64,
            &t!("cmd.demo.worker_one"),
            &t!("cmd.demo.worker_many")
        )
    ));
    Ok(())
}
