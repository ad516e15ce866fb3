//! `nuanfeng checkin …`: 报到 check-ins typed at the terminal, and the list.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{
    Ctx, shown_phone, stored_errors, street_filter, typed_errors, typed_row, worker_field,
};
use crate::db::checkins::{self, CheckinWriter};
use crate::db::events::EventResolver;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::today;
use crate::report::render::{Table, or_dash};

/// Check-in commands.
#[derive(Debug, Subcommand)]
pub enum CheckinCommand {
    /// Record one check-in (same rules as an imported row)
    #[command(after_long_help = "Examples:
  nuanfeng checkin add 13800138000 --date 2025-07-16 --purpose 党员报到
  nuanfeng checkin add 140106199001011234 --street 柳巷街道 --community 宁化府社区

Without --street and --community the worker's own street and community are used. An
identical check-in already recorded is refused.")]
    Add(AddArgs),
    /// List check-ins
    #[command(after_long_help = "Examples:
  nuanfeng checkin list --month 2025-07
  nuanfeng checkin list --quarter 2025Q3 --street 柳巷
  nuanfeng checkin list --street 柳巷 --format csv > 柳巷报到.csv

The period is --month, --quarter, --year, or --from/--to (--to needs --from, and defaults
to today), as in the reports; without one every check-in is listed.

JSON: an array of {name, phone, date, street, community, purpose}; phone masked unless
--show-pii.")]
    List(ListArgs),
}

/// `checkin add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// 报到日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 报到街道 [default: the worker's street]
    #[arg(long)]
    pub street: Option<String>,
    /// 报到社区
    #[arg(long)]
    pub community: Option<String>,
    /// 事项, e.g. 党员报到
    #[arg(long)]
    pub purpose: Option<String>,
    /// 姓名, checked against the register
    #[arg(long)]
    pub name: Option<String>,
}

/// `checkin list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only check-ins to this street
    #[arg(long)]
    pub street: Option<String>,
    /// The period: only records dated inside it.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One check-in in `checkin list --format json`.
#[derive(Debug, Serialize)]
pub struct CheckinJson {
    /// Worker's 姓名.
    pub name: String,
    /// Worker's 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Street checked in to.
    pub street: String,
    /// Community checked in to.
    pub community: Option<String>,
    /// 事项.
    pub purpose: String,
}

/// Runs a check-in command.
pub fn run(ctx: &Ctx, cmd: CheckinCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        CheckinCommand::Add(a) => add(ctx, &a),
        CheckinCommand::List(a) => list(ctx, &a, out),
    }
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let date = a.date.clone().unwrap_or_else(|| today().to_string());
    let who = super::worker_cell(ctx, &a.worker)?;
    let (map, row) = typed_row(&[
        (worker_field(&who), "WORKER", Some(&who)),
        (Field::Name, "--name", a.name.as_deref()),
        (Field::Date, "--date", Some(&date)),
        (Field::Street, "--street", a.street.as_deref()),
        (Field::Community, "--community", a.community.as_deref()),
        (Field::Purpose, "--purpose", a.purpose.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::checkin(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let (outcome, name) = {
        let mut resolver = EventResolver::load(&tx)?;
        let resolved = resolver
            .checkin(rec.clone())
            .map_err(|e| typed_errors(&map, &e))?;
        let mut writer = CheckinWriter::new(&tx, None)?;
        let o = writer
            .store(&resolved)
            .map_err(|e| stored_errors(&map, e))?;
        writer.flush()?;
        (o, resolver.name_of(resolved.worker))
    };
    match (outcome, name) {
        (Outcome::New, name) => {
            tx.commit()?;
            ctx.note(t!("records.checkin.added", name = name, date = rec.date));
            Ok(())
        }
        (_, name) => anyhow::bail!(
            "{}",
            t!("records.checkin.duplicate", name = name, date = rec.date)
        ),
    }
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let p = a.period.period()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = checkins::checkins(&db, street, p.as_ref())?;
    let json: Vec<CheckinJson> = rows
        .into_iter()
        .map(|r| CheckinJson {
            name: r.name,
            phone: shown_phone(r.phone.as_deref(), a.output.show_pii),
            date: r.date,
            street: r.street,
            community: r.community,
            purpose: r.purpose,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("records.col.checkin_date"),
            &t!("records.col.checkin_street"),
            &t!("records.col.checkin_community"),
            &t!("records.col.purpose"),
        ],
        &[],
    );
    for j in &json {
        t.rows.push(vec![
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.date.clone(),
            j.street.clone(),
            or_dash(j.community.as_deref()),
            or_dash(Some(&j.purpose)),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(if json.len() == 1 {
        t!("records.count.checkin_one")
    } else {
        t!("records.count.checkins", n = json.len())
    });

    Ok(())
}
