//! `nuanfeng wish …`: 微心愿 — small wishes of workers, typed at the terminal, fulfilled later
//! by a person or unit — and the list.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::OutputArgs;
use super::{
    Ctx, day_flag, shown_phone, stored_errors, street_filter, typed_errors, typed_row, worker_field,
};
use crate::db::events::EventResolver;
use crate::db::wishes;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::today;
use crate::report::render::{Table, or_dash};

/// 微心愿 commands.
#[derive(Debug, Subcommand)]
pub enum WishCommand {
    /// Record one wish (same rules as an imported row)
    #[command(after_long_help = "Examples:
  nuanfeng wish add 13800138000 --wish 一个保温饭盒 --date 2025-07-01
  nuanfeng wish add 140106199001011234 --wish 孩子暑期托管

The same wish of the same worker on the same day is refused.")]
    Add(AddArgs),
    /// Mark a wish fulfilled, naming who fulfilled it
    #[command(after_long_help = "Examples:
  nuanfeng wish fulfil 3 --by 柳巷街道党工委
  nuanfeng wish fulfil 3 --date 2025-07-20 --by 王芳

A wish is fulfilled once; the day is not before the wish itself.")]
    Fulfil(FulfilArgs),
    /// List wishes
    #[command(after_long_help = "Examples:
  nuanfeng wish list --open
  nuanfeng wish list --street 柳巷 --format csv > 微心愿.csv

JSON: an array of {id, name, phone, wish, date, fulfilled_on, fulfilled_by, street};
fulfilled_on is null while the wish is open (fulfilled_by may already name who claimed it,
认领人); street is the worker's; phone masked unless --show-pii.")]
    List(ListArgs),
}

/// `wish add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// 心愿内容
    #[arg(long)]
    pub wish: String,
    /// 登记日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 姓名, checked against the register
    #[arg(long)]
    pub name: Option<String>,
}

/// `wish fulfil`.
#[derive(Debug, Args)]
pub struct FulfilArgs {
    /// Wish number (the id column of `wish list`)
    pub id: i64,
    /// 实现日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 认领人: the person or unit who fulfilled it
    #[arg(long, value_name = "WHO")]
    pub by: String,
}

/// `wish list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only wishes not fulfilled yet
    #[arg(long)]
    pub open: bool,
    /// Only wishes of workers of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One wish in `wish list --format json`.
#[derive(Debug, Serialize)]
pub struct WishJson {
    /// Row id (what `wish fulfil` takes).
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// 心愿内容.
    pub wish: String,
    /// 登记日期, `YYYY-MM-DD`.
    pub date: String,
    /// 实现日期; null while open.
    pub fulfilled_on: Option<String>,
    /// 认领人; null while open.
    pub fulfilled_by: Option<String>,
    /// The worker's street.
    pub street: String,
}

/// Runs a 微心愿 command.
pub fn run(ctx: &Ctx, cmd: WishCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        WishCommand::Add(a) => add(ctx, &a),
        WishCommand::Fulfil(a) => fulfil(ctx, &a),
        WishCommand::List(a) => list(ctx, &a, out),
    }
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let date = a.date.clone().unwrap_or_else(|| today().to_string());
    let who = super::worker_cell(ctx, &a.worker)?;
    let (map, row) = typed_row(&[
        (worker_field(&who), "WORKER", Some(&who)),
        (Field::Name, "--name", a.name.as_deref()),
        (Field::Wish, "--wish", Some(&a.wish)),
        (Field::Date, "--date", Some(&date)),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::wish(&mut c, today());
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
        wishes::store_wish(&tx, worker, &rec, None).map_err(|e| stored_errors(&map, e))?;
    let date = rec.date.to_string();
    let id = wishes::wish_id(&tx, worker, &rec.wish, &date)?.unwrap_or_default();
    if outcome != Outcome::New {
        anyhow::bail!(
            "{}",
            t!("records.wish.duplicate", name = name, date = date, id = id)
        );
    }
    tx.commit()?;
    ctx.note(t!(
        "records.wish.added",
        id = id,
        name = name,
        wish = rec.wish,
        date = date
    ));
    Ok(())
}

fn fulfil(ctx: &Ctx, a: &FulfilArgs) -> Result<()> {
    let date = day_flag("--date", a.date.as_deref())?;
    let by = crate::model::normalize::name(&a.by);
    if by.is_empty() {
        return Err(super::UsageError(t!("records.wish.by_missing").into_owned()).into());
    }
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    wishes::fulfil_wish(&tx, a.id, date, &by)?;
    let (name, wish) = wishes::wish_brief(&tx, a.id)?.unwrap_or_default();
    tx.commit()?;
    ctx.note(t!(
        "records.wish.fulfilled",
        id = a.id,
        name = name,
        wish = wish,
        date = date,
        by = by
    ));
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = wishes::wishes(&db, a.open, street)?;
    let json: Vec<WishJson> = rows
        .into_iter()
        .map(|r| WishJson {
            id: r.id,
            name: r.name,
            phone: shown_phone(r.phone.as_deref(), a.output.show_pii),
            wish: r.wish,
            date: r.date,
            fulfilled_on: r.fulfilled_on,
            fulfilled_by: r.fulfilled_by,
            street: r.street,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("records.col.id"),
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("records.col.wish"),
            &t!("records.col.recorded_on"),
            &t!("records.col.fulfilled_on"),
            &t!("records.col.fulfilled_by"),
            &t!("records.col.in_street"),
        ],
        &[true],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.wish.clone(),
            j.date.clone(),
            or_dash(j.fulfilled_on.as_deref()),
            or_dash(j.fulfilled_by.as_deref()),
            j.street.clone(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let open = json.iter().filter(|j| j.fulfilled_on.is_none()).count();
    ctx.note(if json.len() == 1 {
        t!("records.wish.total_one", open = open)
    } else {
        t!("records.wish.total", n = json.len(), open = open)
    });

    Ok(())
}
