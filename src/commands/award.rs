//! `nuanfeng award …`: titles given to workers each year (评选: 最美快递员 …), typed at the
//! terminal, and the list.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{Ctx, shown_phone, stored_errors, typed_errors, typed_row, worker_field};
use crate::db::awards;
use crate::db::events::EventResolver;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::today;
use crate::report::render::{Table, or_dash};

/// Award commands.
#[derive(Debug, Subcommand)]
pub enum AwardCommand {
    /// Record a title given to a worker (same rules as an imported row)
    #[command(after_long_help = "Examples:
  nuanfeng award add 13800138000 --title 最美快递员 --year 2025
  nuanfeng award add 140106199001011234 --title 优秀志愿者 --year 2024

--year is from 2000 to the current year. A worker holds a title once a year: adding it again
changes nothing and says so.")]
    Add(AddArgs),
    /// List awards
    #[command(after_long_help = "Examples:
  nuanfeng award list --year 2025
  nuanfeng award list --from 2023-01-01 --to 2025-12-31
  nuanfeng award list --format csv > 评选.csv

An award has a year only: a period lists the awards of the years whose 31 December lies
inside it.

JSON: an array of {id, name, phone, title, year, enterprise, street}; year an integer;
enterprise and street are the worker's; phone masked unless --show-pii.")]
    List(ListArgs),
}

/// `award add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// 荣誉称号, e.g. 最美快递员
    #[arg(long)]
    pub title: String,
    /// 年度, e.g. 2025
    #[arg(long)]
    pub year: String,
    /// 姓名, checked against the register
    #[arg(long)]
    pub name: Option<String>,
}

/// `award list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The period: only awards of the years that end inside it (--year 2025: that year's)
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One award in `award list --format json`.
#[derive(Debug, Serialize)]
pub struct AwardJson {
    /// Row id.
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// 荣誉称号.
    pub title: String,
    /// 年度.
    pub year: i64,
    /// The worker's enterprise.
    pub enterprise: Option<String>,
    /// The worker's street.
    pub street: String,
}

/// Runs an award command.
pub fn run(ctx: &Ctx, cmd: AwardCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        AwardCommand::Add(a) => add(ctx, &a),
        AwardCommand::List(a) => list(ctx, &a, out),
    }
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let who = super::worker_cell(ctx, &a.worker)?;
    let (map, row) = typed_row(&[
        (worker_field(&who), "WORKER", Some(&who)),
        (Field::Name, "--name", a.name.as_deref()),
        (Field::Title, "--title", Some(&a.title)),
        (Field::Year, "--year", Some(&a.year)),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::award(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let resolver = EventResolver::load(&tx)?;
    let worker = resolver
        .worker_of(&rec.who)
        .map_err(|e| typed_errors(&map, &e))?;
    let name = resolver.name_of(worker);
    let outcome =
        awards::store_award(&tx, worker, &rec, None).map_err(|e| stored_errors(&map, e))?;
    tx.commit()?;
    if outcome == Outcome::New {
        ctx.note(t!(
            "records.award.added",
            name = name,
            title = rec.title,
            year = rec.year
        ));
    } else {
        ctx.note(t!(
            "records.award.duplicate",
            name = name,
            title = rec.title,
            year = rec.year
        ));
    }
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let period = a.period.period()?;
    let db = ctx.open()?;
    let mut rows = awards::awards(&db, None)?;
    if let Some(p) = period {
        // An award has a year only and counts on 31 December of it, as in `report worker`.
        rows.retain(|r| {
            i32::try_from(r.year)
                .ok()
                .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 12, 31))
                .is_some_and(|d| p.contains(d))
        });
    }
    let json: Vec<AwardJson> = rows
        .into_iter()
        .map(|r| AwardJson {
            id: r.id,
            name: r.name,
            phone: shown_phone(r.phone.as_deref(), a.output.show_pii),
            title: r.title,
            year: r.year,
            enterprise: r.enterprise,
            street: r.street,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("records.col.id"),
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("records.col.title"),
            &t!("records.col.year"),
            &t!("common.field.enterprise"),
            &t!("records.col.in_street"),
        ],
        &[true, false, false, false, true],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.title.clone(),
            j.year.to_string(),
            or_dash(j.enterprise.as_deref()),
            j.street.clone(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(if json.len() == 1 {
        t!("records.count.award_one")
    } else {
        t!("records.count.awards", n = json.len())
    });

    Ok(())
}
