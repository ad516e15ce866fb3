//! `nuanfeng service …`: 志愿服务 (volunteer service) typed at the terminal, with the points
//! its rule grants, and the list.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{
    Ctx, shown_phone, stored_errors, street_filter, typed_errors, typed_row, worker_field,
};
use crate::db::events::EventResolver;
use crate::db::ledger;
use crate::db::services::{self, ServiceWriter};
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::RuleCode;
use crate::model::today;
use crate::report::render::{Table, or_dash};

/// Volunteer-service commands.
#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Record one volunteer service and grant its points (same rules as an imported row)
    #[command(after_long_help = "Examples:
  nuanfeng service add 13800138000 --date 2025-07-16 --activity 夏日送清凉 --duration 1.5
  nuanfeng service add 13800138000 --activity 文明交通劝导 --duration 90分钟 --street 柳巷
  nuanfeng service add 140106199001011234 --activity 助老送餐 --duration 1小时30分

--duration is hours (1.5, 2小时), hours and minutes (1小时30分) or minutes (90分钟), more
than 0 and at most 24 hours; it is stored in minutes. Points are granted at once by the
volunteer_hour rule (`nuanfeng points rule list`): minutes × points per hour ÷ 60, rounded to
the nearest point — 90 minutes at 1 point an hour is 2 points. Without --street the worker's
own street and community are used. A service identical to one already recorded (same worker,
day, activity, duration and place) is refused.")]
    Add(AddArgs),
    /// List volunteer services
    #[command(after_long_help = "Examples:
  nuanfeng service list --month 2025-07
  nuanfeng service list --year 2025
  nuanfeng service list --street 柳巷 --from 2025-06-01 --to 2025-08-31 --format csv > 志愿服务.csv

The period is --month, --quarter, --year, or --from/--to (--to needs --from, and defaults
to today), as in the reports; without one every service is listed.

JSON: an array of {id, name, phone, date, activity, minutes, points, street, community};
minutes and points are integers (points: what the service granted, net of a reversal);
phone masked unless --show-pii.")]
    List(ListArgs),
}

/// `service add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// 服务日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 活动名称, e.g. 夏日送清凉
    #[arg(long)]
    pub activity: String,
    /// 服务时长: 1.5 (hours), 90分钟, 1小时30分
    #[arg(long)]
    pub duration: String,
    /// 服务街道 [default: the worker's street]
    #[arg(long)]
    pub street: Option<String>,
    /// 服务社区
    #[arg(long)]
    pub community: Option<String>,
    /// 姓名, checked against the register
    #[arg(long)]
    pub name: Option<String>,
}

/// `service list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only services in this street
    #[arg(long)]
    pub street: Option<String>,
    /// The period: only records dated inside it.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One volunteer service in `service list --format json`.
#[derive(Debug, Serialize)]
pub struct ServiceJson {
    /// Row id.
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 活动名称.
    pub activity: String,
    /// Length, in minutes.
    pub minutes: i64,
    /// Points granted for it (net of a reversal of the grant).
    pub points: i64,
    /// Street where it was served.
    pub street: String,
    /// Community where it was served.
    pub community: Option<String>,
}

/// Runs a volunteer-service command.
pub fn run(ctx: &Ctx, cmd: ServiceCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ServiceCommand::Add(a) => add(ctx, &a),
        ServiceCommand::List(a) => list(ctx, &a, out),
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
        (Field::Activity, "--activity", Some(&a.activity)),
        (Field::Duration, "--duration", Some(&a.duration)),
        (Field::Street, "--street", a.street.as_deref()),
        (Field::Community, "--community", a.community.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::service(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let (id, worker, name) = {
        let mut resolver = EventResolver::load(&tx)?;
        let resolved = resolver
            .service(rec.clone())
            .map_err(|e| typed_errors(&map, &e))?;
        let mut writer = ServiceWriter::new(&tx, None)?;
        let (outcome, id) = writer
            .store(&resolved)
            .map_err(|e| stored_errors(&map, e))?;
        let id = match (outcome, id) {
            (Outcome::New, Some(id)) => id,
            _ => anyhow::bail!("{}", t!("records.service.not_stored")),
        };
        (id, resolved.worker, resolver.name_of(resolved.worker))
    };
    if let Some(other) = services::identical_service(&tx, id)? {
        // Dropping the transaction rolls the new row and its points back.
        anyhow::bail!(
            "{}",
            t!(
                "records.service.duplicate",
                name = name,
                date = rec.date,
                other = other
            )
        );
    }
    let points = ledger::granted(&tx, "services", id)?;
    let rate = ledger::rule_points(&tx, RuleCode::VolunteerHour)?;
    let balance = ledger::balance(&tx, worker)?;
    tx.commit()?;
    ctx.note(t!(
        "records.service.added",
        id = id,
        name = name,
        activity = rec.activity,
        date = rec.date,
        minutes = rec.minutes
    ));
    let rate = if rate.unsigned_abs() == 1 {
        t!("records.count.point_one")
    } else {
        t!("records.count.points", n = rate.unsigned_abs())
    };
    ctx.note(t!(
        "records.service.points",
        name = name,
        points = format_args!("{points:+}"),
        rate = rate,
        balance = balance
    ));
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let p = a.period.period()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = services::services(&db, street, p.as_ref())?;
    let json: Vec<ServiceJson> = rows
        .into_iter()
        .map(|r| ServiceJson {
            id: r.id,
            name: r.name,
            phone: shown_phone(r.phone.as_deref(), a.output.show_pii),
            date: r.date,
            activity: r.activity,
            minutes: r.minutes,
            points: r.points,
            street: r.street,
            community: r.community,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("records.col.id"),
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("records.col.date"),
            &t!("records.col.activity"),
            &t!("records.col.minutes"),
            &t!("records.col.points"),
            &t!("records.col.in_street"),
            &t!("records.col.in_community"),
        ],
        &[true, false, false, false, false, true, true, false, false],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.date.clone(),
            j.activity.clone(),
            j.minutes.to_string(),
            j.points.to_string(),
            j.street.clone(),
            or_dash(j.community.as_deref()),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let minutes: i64 = json.iter().map(|j| j.minutes).sum();
    let points: i64 = json.iter().map(|j| j.points).sum();
    let services = if json.len() == 1 {
        t!("records.count.service_one")
    } else {
        t!("records.count.services", n = json.len())
    };
    ctx.note(t!(
        "records.service.total",
        services = services,
        minutes = minutes,
        points = points
    ));

    Ok(())
}
