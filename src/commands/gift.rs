//! `nuanfeng gift …`: the gifts of the points shop (积分商城) — add one, change its price,
//! stock or donor, retire it, and the list with the stock left and what was taken in a
//! period. Orders are placed and handled by `points redeem --gift`, `points pickup` and
//! `points cancel` (src/commands/points.rs).

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{Ctx, UsageError, day_flag, street_filter, typed_errors, typed_row};
use crate::db::gifts::{self, GiftUpdate};
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::report::render::{Table, or_dash};

/// Gift shop commands.
#[derive(Debug, Subcommand)]
pub enum GiftCommand {
    /// Put a gift in the shop: its price in points and the stock
    #[command(after_long_help = "Examples:
  nuanfeng gift add 绿豆礼包 --price 15 --stock 40 --donor 晋阳大药房
  nuanfeng gift add 头盔 --price 60 --stock 10 --street 柳巷街道

A gift is known by its name; a second gift of the same name is refused (gift update).")]
    Add(AddArgs),
    /// Change a gift's price, stock or donor, or retire it
    #[command(after_long_help = "Examples:
  nuanfeng gift update 绿豆礼包 --add-stock 20      20 more packs came in
  nuanfeng gift update 绿豆礼包 --stock 12          the count on the shelf
  nuanfeng gift update 雨衣 --price 25
  nuanfeng gift update 充电宝 --retire --date 2025-09-30

Orders already placed keep the points they were paid. A retired gift can no longer be
redeemed from the day after --date; its orders stay.")]
    Update(UpdateArgs),
    /// List the gifts: price, stock left, what was taken in a period
    #[command(after_long_help = "Examples:
  nuanfeng gift list
  nuanfeng gift list --month 2025-07
  nuanfeng gift list --format json

taken counts the items of the orders dated in the period (all orders without one), not
cancelled; pending the orders not collected yet. JSON: an array of {name, price, stock,
donor, street, retired_on, taken, pending} (street null for the district's shop).")]
    List(ListArgs),
}

/// `gift add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 礼品名称
    pub name: String,
    /// 所需积分: points per item (above zero)
    #[arg(long, allow_hyphen_values = true)]
    pub price: String,
    /// 库存: items on the shelf (zero or more)
    #[arg(long, allow_hyphen_values = true)]
    pub stock: String,
    /// 捐赠单位
    #[arg(long)]
    pub donor: Option<String>,
    /// A street's own shop [default: the district's]
    #[arg(long)]
    pub street: Option<String>,
}

/// `gift update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// 礼品名称
    pub name: String,
    /// New price in points (above zero)
    #[arg(long, allow_hyphen_values = true)]
    pub price: Option<i64>,
    /// The count on the shelf (zero or more)
    #[arg(long, allow_hyphen_values = true, conflicts_with = "add_stock")]
    pub stock: Option<i64>,
    /// Items added to the stock
    #[arg(long, allow_hyphen_values = true)]
    pub add_stock: Option<i64>,
    /// 捐赠单位
    #[arg(long)]
    pub donor: Option<String>,
    /// Take the gift out of the shop (its last day: --date)
    #[arg(long)]
    pub retire: bool,
    /// The last day of a retired gift [default: today]
    #[arg(long, requires = "retire")]
    pub date: Option<String>,
}

/// `gift list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the gifts of this street's shop (and the district's)
    #[arg(long)]
    pub street: Option<String>,
    /// The period of `taken`.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One gift in `gift list --format json`.
#[derive(Debug, Serialize)]
pub struct GiftJson {
    /// 礼品名称.
    pub name: String,
    /// Points per item.
    pub price: i64,
    /// Items left now.
    pub stock: i64,
    /// 捐赠单位 (empty when not known).
    pub donor: String,
    /// The street whose shop it is; null: the district's.
    pub street: Option<String>,
    /// Last day in the shop; null while it is.
    pub retired_on: Option<String>,
    /// Items taken in the period (orders not cancelled).
    pub taken: i64,
    /// Orders waiting to be collected.
    pub pending: i64,
}

/// Runs a gift shop command.
pub fn run(ctx: &Ctx, cmd: GiftCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        GiftCommand::Add(a) => add(ctx, &a),
        GiftCommand::Update(a) => update(ctx, &a),
        GiftCommand::List(a) => list(ctx, &a, out),
    }
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let (map, row) = typed_row(&[
        (Field::GiftName, "NAME", Some(&a.name)),
        (Field::Price, "--price", Some(&a.price)),
        (Field::Stock, "--stock", Some(&a.stock)),
        (Field::Donor, "--donor", a.donor.as_deref()),
        (Field::Street, "--street", a.street.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::gift(&mut c);
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let id = gifts::add_gift(&tx, &rec)?;
    tx.commit()?;
    ctx.note(t!(
        "gifts.added",
        id = id,
        name = rec.name,
        price = rec.price,
        stock = rec.stock
    ));
    Ok(())
}

fn update(ctx: &Ctx, a: &UpdateArgs) -> Result<()> {
    if a.price.is_none()
        && a.stock.is_none()
        && a.add_stock.is_none()
        && a.donor.is_none()
        && !a.retire
    {
        return Err(UsageError(t!("gifts.update_nothing").into_owned()).into());
    }
    if let Some(p) = a.price
        && p <= 0
    {
        return Err(UsageError(t!("gifts.price_positive", price = p).into_owned()).into());
    }
    if let Some(s) = a.stock
        && s < 0
    {
        return Err(UsageError(t!("gifts.stock_negative", stock = s).into_owned()).into());
    }
    if let Some(n) = a.add_stock
        && n <= 0
    {
        return Err(UsageError(t!("gifts.add_stock_positive", n = n).into_owned()).into());
    }
    let retire = if a.retire {
        Some(day_flag("--date", a.date.as_deref())?)
    } else {
        None
    };
    let u = GiftUpdate {
        price: a.price,
        stock: a.stock,
        add_stock: a.add_stock,
        donor: a.donor.as_deref().map(crate::model::normalize::name),
        retire,
    };
    let name = crate::model::normalize::name(&a.name);
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let g = gifts::update_gift(&tx, &name, &u)?;
    tx.commit()?;
    ctx.note(match &g.retired_on {
        Some(on) => t!("gifts.updated_retired", name = g.name, date = on),
        None => t!(
            "gifts.updated",
            name = g.name,
            price = g.price,
            stock = g.stock
        ),
    });
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let period = a.period.period()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = gifts::gifts(&db, period.as_ref(), street)?;
    let json: Vec<GiftJson> = rows
        .into_iter()
        .map(|r| GiftJson {
            name: r.name,
            price: r.price,
            stock: r.stock,
            donor: r.donor,
            street: r.street,
            retired_on: r.retired_on,
            taken: r.taken,
            pending: r.pending,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("gifts.col.name"),
            &t!("gifts.col.price"),
            &t!("gifts.col.stock"),
            &t!("gifts.col.taken"),
            &t!("gifts.col.pending"),
            &t!("gifts.col.donor"),
            &t!("gifts.col.shop"),
            &t!("gifts.col.retired_on"),
        ],
        &[false, true, true, true, true],
    );
    for j in &json {
        t.rows.push(vec![
            j.name.clone(),
            j.price.to_string(),
            j.stock.to_string(),
            j.taken.to_string(),
            j.pending.to_string(),
            or_dash(Some(j.donor.as_str()).filter(|d| !d.is_empty())),
            j.street
                .clone()
                .unwrap_or_else(|| t!("gifts.district_shop").into_owned()),
            or_dash(j.retired_on.as_deref()),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(t!(
        "gifts.total",
        n = json.len(),
        stock = json.iter().map(|j| j.stock).sum::<i64>(),
        taken = json.iter().map(|j| j.taken).sum::<i64>()
    ));
    Ok(())
}
