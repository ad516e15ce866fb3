//! `nuanfeng points …`: the append-only ledger. Entries typed at the terminal, corrections
//! (reversals and adjustments), balances, a worker's statement, the rules and the check of
//! the ledger's invariants.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{
    Ctx, Silent, UsageError, day_flag, shown_id, shown_phone, typed_errors, typed_row, worker_field,
};
use crate::db::events::EventResolver;
use crate::db::ledger::{self, Correction, PointWriter};
use crate::i18n::Lang;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::today;
use crate::model::{EntryKind, PointCategory, Points, RuleCode, StoreError, Vocabulary};
use crate::report::render::{Table, or_dash, render};

/// Points commands.
#[derive(Debug, Subcommand)]
pub enum PointsCommand {
    /// Grant points
    #[command(after_long_help = "Examples:
  nuanfeng points earn 13800138000 10 --category 志愿服务 --reason 夏日送清凉
  nuanfeng points earn 13800138000 1 --category 随手拍 --date 2025-07-05

Points for volunteer service and approved 随手拍 reports are granted by rule when the record
is entered (service add, tip approve); earn is for anything else.")]
    Earn(EntryArgs),
    /// Spend points on a gift (refused if the balance would go below zero)
    #[command(after_long_help = "Examples:
  nuanfeng points redeem 13800138000 --gift 绿豆礼包              an order of the gift shop
  nuanfeng points redeem 13800138000 --gift 洗衣液 --quantity 2
  nuanfeng points redeem 13800138000 15 --reason 绿豆礼包          points only, no order
  nuanfeng points redeem 13800138000 60 --reason 头盔 --allow-negative   (an exception, recorded)

With --gift the points are the gift's price × --quantity (give no POINTS); the items are
taken from stock (refused when fewer are left) and an order 待领取 is recorded, all at once.
The order number is for points pickup and points cancel.")]
    Redeem(RedeemArgs),
    /// Hand out the gift of an order (已领取)
    #[command(after_long_help = "Examples:
  nuanfeng points pickup 12
  nuanfeng points pickup 12 --date 2025-07-21

An order is collected once; a cancelled order cannot be collected.")]
    Pickup(PickupArgs),
    /// Cancel an order: its points come back and its items return to stock
    #[command(after_long_help = "Examples:
  nuanfeng points cancel 12 --reason 本人放弃
  nuanfeng points cancel 12 --date 2025-07-22

The redemption is reversed by a new entry (as points reverse does); a collected order is not
cancelled.")]
    Cancel(CancelArgs),
    /// List the orders of the gift shop
    #[command(after_long_help = "Examples:
  nuanfeng points orders --status 待领取
  nuanfeng points orders --street 柳巷 --month 2025-07
  nuanfeng points orders --worker 13800138000 --format json

JSON: an array of {id, date, name, phone, gift, quantity, points, status, collected_on,
cancelled_on, entry, reversal, street}; status is pending, collected or cancelled; street
is the worker's; phone masked unless --show-pii.")]
    Orders(OrdersArgs),
    /// Correct an entry: append its opposite (the entry itself never changes)
    #[command(after_long_help = "Examples:
  nuanfeng points statement 13800138000      shows the entry numbers
  nuanfeng points reverse 42 --reason 重复录入

An entry is reversed at most once; a reversal is never dated before the entry.")]
    Reverse(ReverseArgs),
    /// Add or take off points by hand, with a reason
    #[command(after_long_help = "Examples:
  nuanfeng points adjust 13800138000 5 --reason 补录6月志愿服务
  nuanfeng points adjust 13800138000 -3 --reason 核对台账")]
    Adjust(AdjustArgs),
    /// Balances: every worker with entries, or one
    #[command(after_long_help = "Examples:
  nuanfeng points balance
  nuanfeng points balance 13800138000
  nuanfeng points balance --format json

JSON: an array of {name, phone, balance} (phone masked unless --show-pii; balance an
integer), plus id_number, earned and redeemed.")]
    Balance(BalanceArgs),
    /// One worker's entries with the running balance
    #[command(after_long_help = "Examples:
  nuanfeng points statement 13800138000
  nuanfeng points statement 13800138000 --format json

JSON: {worker: {name, phone}, balance, entries: [{id, date, kind, points, category, rule,
reason, source, reverses, reversed_by, allow_negative, operator, entered_at, balance}]}.")]
    Statement(StatementArgs),
    /// Check the ledger: exits 1 and lists every violation
    #[command(
        after_long_help = "Checks that no entry taking points off leaves the running balance below zero
unless it was allowed to overdraw, that every reversal mirrors an entry of the same worker,
that every record a grant refers to exists and belongs to the worker, that signs match
kinds, and that no entry is dated after the day it was entered. It also finds what another
program did to the file: each entry is sealed (a SHA-256 chained to the previous entry), so
an entry changed, removed or added around nuanfeng is named, as are dropped triggers.

The seals have no key: whoever changes the file can recompute them, and cut off the newest
entries. Every report and workbook ends with the ledger digest (账本摘要 820:3f2a9b0c1d2e3f40:
how many entries, and the head of the chain after them). Keep it outside the file; --digest
recomputes the chain over that many entries and fails when they are not the same any more
(several --digest bound where a change lies: the ones that hold are said).

Examples:
  nuanfeng points check
  nuanfeng points check --digest 820:3f2a9b0c1d2e3f40
  nuanfeng points check --format json

JSON: an array of {entry, worker, name, problem} (entry and worker are row ids, null when
the problem is the file's; an empty array when the ledger holds)."
    )]
    Check(CheckArgs),
    /// The rules that grant points for records
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng points rule list
  nuanfeng points rule set volunteer_hour 2"
    )]
    Rule(RuleCommand),
}

/// `points earn`.
#[derive(Debug, Args)]
pub struct EntryArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// Whole points (positive)
    pub points: String,
    /// 日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 类别: 志愿服务, 随手拍, 意见建议, 其他
    #[arg(long)]
    pub category: Option<String>,
    /// 说明: what for
    #[arg(long)]
    pub reason: Option<String>,
}

/// `points redeem`.
#[derive(Debug, Args)]
pub struct RedeemArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// Whole points (positive); none with --gift
    pub points: Option<String>,
    /// A gift of the shop (礼品名称): its price × --quantity, taken from stock, an order
    #[arg(long)]
    pub gift: Option<String>,
    /// Items of the gift
    #[arg(long, requires = "gift", allow_hyphen_values = true)]
    pub quantity: Option<i64>,
    /// 日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 说明: the gift
    #[arg(long)]
    pub reason: Option<String>,
    /// Let the balance go below zero (needs --reason; recorded on the entry)
    #[arg(long)]
    pub allow_negative: bool,
}

/// `points reverse`.
#[derive(Debug, Args)]
pub struct ReverseArgs {
    /// The entry number (see `points statement`)
    pub entry: i64,
    /// Why (required)
    #[arg(long)]
    pub reason: String,
    /// 日期 of the reversal [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Let the balance go below zero (recorded)
    #[arg(long)]
    pub allow_negative: bool,
}

/// `points pickup`.
#[derive(Debug, Args)]
pub struct PickupArgs {
    /// The order number (see `points orders`)
    pub order: i64,
    /// 领取日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
}

/// `points cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The order number (see `points orders`)
    pub order: i64,
    /// 取消日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Why
    #[arg(long)]
    pub reason: Option<String>,
}

/// `points orders`.
#[derive(Debug, Args)]
pub struct OrdersArgs {
    /// 状态: 待领取, 已领取, 取消 (or pending, collected, cancelled)
    #[arg(long)]
    pub status: Option<String>,
    /// Only orders of workers of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Only the orders of this worker: 手机号, 身份证号 or 姓名
    #[arg(long)]
    pub worker: Option<String>,
    /// Orders dated in the period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One order in `points orders --format json`.
#[derive(Debug, Serialize)]
pub struct OrderJson {
    /// Order number.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 姓名.
    pub name: String,
    /// 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// 礼品名称.
    pub gift: String,
    /// Items.
    pub quantity: i64,
    /// Points paid.
    pub points: i64,
    /// `pending`, `collected`, `cancelled`.
    pub status: String,
    /// 领取日期.
    pub collected_on: Option<String>,
    /// 取消日期.
    pub cancelled_on: Option<String>,
    /// The redemption's entry number.
    pub entry: i64,
    /// The reversal's entry number, for a cancelled order.
    pub reversal: Option<i64>,
    /// The worker's street.
    pub street: String,
}

/// `points adjust`.
#[derive(Debug, Args)]
pub struct AdjustArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// Whole points, with a sign to take off (-3)
    #[arg(allow_hyphen_values = true)]
    pub points: String,
    /// Why (required)
    #[arg(long)]
    pub reason: String,
    /// 日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Let the balance go below zero (recorded)
    #[arg(long)]
    pub allow_negative: bool,
}

/// `points balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// One worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `points statement`.
#[derive(Debug, Args)]
pub struct StatementArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `points check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::report::render::Format::Table)]
    pub format: crate::report::render::Format,
    /// A ledger digest kept from a report (`820:3f2a9b0c1d2e3f40`): also prove the entries it
    /// covers unchanged since (repeat for several)
    #[arg(long, value_name = "DIGEST")]
    pub digest: Vec<String>,
}

/// Rule commands.
#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// List the rules and their points
    #[command(after_long_help = "Examples:
  nuanfeng points rule list
  nuanfeng points rule list --format json

JSON: an array of {code, name, points, updated_at, updated_by}. Every change is also in the
change log (entity rule).")]
    List(RuleListArgs),
    /// Change a rule (points already granted keep their value)
    #[command(after_long_help = "Examples:
  nuanfeng points rule set volunteer_hour 2      2 points an hour of volunteer service
  nuanfeng points rule set 随手拍审核通过 3

Rules: volunteer_hour (志愿服务每小时), tip_approved (随手拍审核通过, granted when a report is
approved), suggestion_adopted (意见建议被采纳, granted when a report of category 意见建议 is
approved). Service points are minutes × rate ÷ 60, rounded to the nearest point. A rule
grants 0 to 100 points per unit.")]
    Set(RuleSetArgs),
}

/// `points rule list`.
#[derive(Debug, Args)]
pub struct RuleListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::report::render::Format::Table)]
    pub format: crate::report::render::Format,
}

/// `points rule set`.
#[derive(Debug, Args)]
pub struct RuleSetArgs {
    /// The rule: its code or Chinese name
    pub rule: String,
    /// Points per unit (0 to 100)
    pub points: i64,
}

/// One balance in `points balance --format json`.
#[derive(Debug, Serialize)]
pub struct BalanceJson {
    /// 姓名.
    pub name: String,
    /// 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// 身份证号 (masked unless `--show-pii`).
    pub id_number: Option<String>,
    /// Current balance, in points.
    pub balance: i64,
    /// Points earned in all.
    pub earned: i64,
    /// Points redeemed in all.
    pub redeemed: i64,
}

/// `points statement --format json`.
#[derive(Debug, Serialize)]
pub struct StatementJson {
    /// Whose statement.
    pub worker: WorkerRefJson,
    /// The balance after the last entry.
    pub balance: i64,
    /// The entries, in date order.
    pub entries: Vec<EntryJson>,
}

/// A worker named in JSON.
#[derive(Debug, Serialize)]
pub struct WorkerRefJson {
    /// 姓名.
    pub name: String,
    /// 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
}

/// One ledger entry in JSON.
#[derive(Debug, Serialize)]
pub struct EntryJson {
    /// Entry number.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `earn`, `redeem`, `reverse`, `adjust`.
    pub kind: String,
    /// Signed points.
    pub points: i64,
    /// Category code.
    pub category: String,
    /// Rule code of a grant.
    pub rule: Option<String>,
    /// Reason.
    pub reason: String,
    /// `services:12`, `tips:3`.
    pub source: Option<String>,
    /// The entry this reverses.
    pub reverses: Option<i64>,
    /// The entry that reverses this one.
    pub reversed_by: Option<i64>,
    /// Allowed to overdraw.
    pub allow_negative: bool,
    /// Who entered it.
    pub operator: String,
    /// When.
    pub entered_at: String,
    /// Running balance after it.
    pub balance: i64,
}

fn positive(points: &str, command: &str) -> Result<String> {
    let p = points.trim().trim_start_matches('+');
    if p.starts_with('-') {
        return Err(UsageError(t!("cmd.points.positive", command = command).into_owned()).into());
    }
    Ok(p.to_string())
}

fn entry(
    ctx: &Ctx,
    worker: &str,
    points: &str,
    date: Option<&str>,
    category: Option<&str>,
    reason: Option<&str>,
    allow_negative: bool,
) -> Result<()> {
    let redeem = category == Some("积分兑换");
    let date = date.map_or_else(|| today().to_string(), str::to_string);
    let points = positive(points, if redeem { "redeem" } else { "earn" })?;
    let category = category.unwrap_or("其他");
    // Usage is checked above, before the registry is opened.
    let mut db = ctx.open()?;
    let who = super::worker_cell(ctx, worker)?;
    let (map, row) = typed_row(&[
        (worker_field(&who), "WORKER", Some(&who)),
        (Field::Date, "--date", Some(&date)),
        (Field::Category, "--category", Some(category)),
        (Field::Points, "POINTS", Some(&points)),
        (Field::Reason, "--reason", reason),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::points(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let (worker, name, id) = {
        let mut resolver = EventResolver::load(&tx)?;
        let resolved = resolver
            .point(rec.clone())
            .map_err(|e| typed_errors(&map, &e))?;
        let mut writer = PointWriter::new(&tx, None)?;
        writer.allow_negative = allow_negative;
        if let Err(e) = writer.store(&resolved) {
            let overdraw = redeem
                && matches!(&e, StoreError::Row(p) if p.iter().any(|c| c.field == Field::Points));
            if overdraw {
                return Err(refused_redemption(&tx, worker, &resolved)?);
            }
            return Err(e.into_error(|mut problems| {
                // The amount typed is positive; the stored (signed) one would only confuse.
                problems.iter_mut().for_each(|c| c.shown.clear());
                typed_errors(&map, &problems)
            }));
        }
        (
            resolved.worker,
            resolver.name_of(resolved.worker),
            tx.last_insert_rowid(),
        )
    };
    let after = ledger::balance(&tx, worker)?;
    tx.commit()?;
    ctx.note(t!(
        "cmd.points.entered",
        name = name,
        points = format_args!("{:+}", rec.points.0),
        date = rec.date,
        category = rec.category.label(),
        id = id,
        balance = after
    ));
    Ok(())
}

/// The refusal of a redemption typed at the terminal that would take the balance below zero:
/// the worker as typed (masked), the points available on its date and those asked, and where
/// to look. Asked of the ledger again, after [`PointWriter::store`] refused it.
fn refused_redemption(
    tx: &rusqlite::Connection,
    typed: &str,
    resolved: &ledger::ResolvedPoint,
) -> Result<anyhow::Error> {
    let date = resolved.record.date.to_string();
    let available = ledger::available(tx, resolved.worker, &date)?;
    let dip = ledger::later_dip(tx, resolved.worker, &date)?;
    Ok(anyhow::anyhow!(
        "{}",
        t!(
            "cmd.points.overdraw",
            worker = super::masked_word(typed.trim()),
            available = available,
            asked = resolved.record.points.0.abs(),
            dip = dip
        )
    ))
}

fn need_reason(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(UsageError(t!("cmd.points.need_reason").into_owned()).into());
    }
    Ok(())
}

/// Runs a points command.
pub fn run(ctx: &Ctx, cmd: PointsCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        PointsCommand::Earn(a) => earn(ctx, a),
        PointsCommand::Redeem(a) => redeem(ctx, a),
        PointsCommand::Pickup(a) => pickup(ctx, a),
        PointsCommand::Cancel(a) => cancel(ctx, a),
        PointsCommand::Orders(a) => orders(ctx, a, out),
        PointsCommand::Reverse(a) => reverse(ctx, a),
        PointsCommand::Adjust(a) => adjust(ctx, a),
        PointsCommand::Balance(a) => balance(ctx, a, out),
        PointsCommand::Statement(a) => statement(ctx, a, out),
        PointsCommand::Check(a) => check(ctx, a, out),
        PointsCommand::Rule(RuleCommand::List(a)) => rule_list(ctx, a, out),
        PointsCommand::Rule(RuleCommand::Set(a)) => rule_set(ctx, a),
    }
}

/// `points earn`: grants points by hand (never a redemption).
fn earn(ctx: &Ctx, a: EntryArgs) -> Result<()> {
    let category = a
        .category
        .as_deref()
        .map(crate::model::normalize::folded)
        .and_then(|c| PointCategory::parse(&c));
    if category == Some(PointCategory::Redemption) {
        return Err(UsageError(t!("cmd.points.earn_not_redeem").into_owned()).into());
    }
    entry(
        ctx,
        &a.worker,
        &a.points,
        a.date.as_deref(),
        Some(a.category.as_deref().unwrap_or("其他")),
        a.reason.as_deref(),
        false,
    )
}

/// `points redeem`: spends points; `--allow-negative` needs a reason.
fn redeem(ctx: &Ctx, a: RedeemArgs) -> Result<()> {
    if a.allow_negative && a.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(UsageError(t!("cmd.points.allow_negative_needs_reason").into_owned()).into());
    }
    if let Some(gift) = &a.gift {
        if a.points.is_some() {
            return Err(UsageError(t!("gifts.points_and_gift").into_owned()).into());
        }
        return redeem_gift(ctx, &a, gift);
    }
    let Some(points) = &a.points else {
        return Err(UsageError(t!("gifts.points_or_gift").into_owned()).into());
    };
    entry(
        ctx,
        &a.worker,
        points,
        a.date.as_deref(),
        Some("积分兑换"),
        a.reason.as_deref(),
        a.allow_negative,
    )
}

/// `points redeem --gift`: the gift's price × quantity is a redemption on the ledger (by the
/// same writer and overdraw rule as any redemption), the items leave the stock, and an order
/// 待领取 is recorded — in one write transaction, begun IMMEDIATE, so that two redemptions
/// of the last item never both get it.
fn redeem_gift(ctx: &Ctx, a: &RedeemArgs, gift: &str) -> Result<()> {
    let quantity = a.quantity.unwrap_or(1);
    if quantity <= 0 {
        return Err(UsageError(t!("gifts.quantity_positive", n = quantity).into_owned()).into());
    }
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let mut db = ctx.open()?;
    let who = super::worker_cell(ctx, &a.worker)?;
    let tx = db.begin_write()?;
    let order = GiftOrder {
        who: &who,
        typed: &a.worker,
        gift,
        quantity,
        date: &date,
        reason: a.reason.as_deref(),
        allow_negative: a.allow_negative,
    };
    let p = place_order(&tx, &order)?;
    tx.commit()?;
    ctx.note(t!(
        "gifts.redeemed",
        order = p.order,
        name = p.name,
        gift = p.gift,
        quantity = quantity,
        points = p.points,
        entry = p.entry,
        balance = p.balance,
        stock = p.stock
    ));
    if let Some((gift_street, worker_street)) = &p.other_street {
        ctx.note(t!(
            "gifts.other_street",
            gift = p.gift,
            gift_street = gift_street,
            name = p.name,
            worker_street = worker_street
        ));
    }
    Ok(())
}

/// An order of the gift shop as typed (or as the demo places it).
#[derive(Debug, Clone, Copy)]
pub struct GiftOrder<'a> {
    /// The worker cell: 手机号 or 身份证号 (a 姓名 already found, see `worker_cell`).
    pub who: &'a str,
    /// The worker as typed, for the refusal of an overdraw.
    pub typed: &'a str,
    /// 礼品名称 as typed.
    pub gift: &'a str,
    /// Items (positive).
    pub quantity: i64,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// A note added to the entry's reason.
    pub reason: Option<&'a str>,
    /// Let the balance go below zero (recorded on the entry).
    pub allow_negative: bool,
}

/// An order placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Order number.
    pub order: i64,
    /// The redemption's entry number.
    pub entry: i64,
    /// Worker's 姓名.
    pub name: String,
    /// 礼品名称.
    pub gift: String,
    /// Points paid.
    pub points: i64,
    /// The worker's balance after.
    pub balance: Points,
    /// Items of the gift left.
    pub stock: i64,
    /// A street's own gift redeemed by a worker of another street: (the gift's street, the
    /// worker's). Allowed, and said.
    pub other_street: Option<(String, String)>,
}

/// Places an order in the write transaction `tx` (begun IMMEDIATE by `Db::begin_write`, so
/// that two redemptions of the last item never both get it): the gift's price × quantity is a
/// redemption on the ledger, by the same writer and overdraw rule as any redemption; the
/// items leave the stock (a conditional decrement); an order 待领取 is recorded. Nothing is
/// written when any part is refused, once the caller drops `tx`.
///
/// Errors: an unknown gift (with the nearest name), a retired one, too few left, an overdraw
/// (unless allowed), the worker not found or not yet joined on the day.
pub fn place_order(tx: &rusqlite::Connection, o: &GiftOrder<'_>) -> Result<Placed> {
    let gift_name = crate::model::normalize::name(o.gift);
    let g = crate::db::gifts::find_gift(tx, &gift_name)?;
    crate::db::gifts::check_orderable(&g, o.date)?;
    let quantity = o.quantity;
    let Some(points) = g.price.checked_mul(quantity).filter(|p| *p < 1_000_000_000) else {
        return Err(UsageError(t!("gifts.quantity_too_large", n = quantity).into_owned()).into());
    };
    // The stock first: an item that is not there is the clearer refusal.
    crate::db::gifts::take_stock(tx, &g, quantity)?;
    let mut reason = if quantity == 1 {
        g.name.clone()
    } else {
        format!("{} ×{quantity}", g.name)
    };
    if let Some(r) = o.reason.map(str::trim).filter(|r| !r.is_empty()) {
        reason = t!("gifts.reason_with_note", gift = reason, note = r).into_owned();
    }
    let points_text = points.to_string();
    let (map, row) = typed_row(&[
        (worker_field(o.who), "WORKER", Some(o.who)),
        (Field::Date, "--date", Some(o.date)),
        (Field::Category, "--category", Some("积分兑换")),
        (Field::Points, "--gift", Some(&points_text)),
        (Field::Reason, "--reason", Some(&reason)),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::points(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let mut resolver = EventResolver::load(tx)?;
    let resolved = resolver.point(rec).map_err(|e| typed_errors(&map, &e))?;
    let mut writer = PointWriter::new(tx, None)?;
    writer.allow_negative = o.allow_negative;
    if let Err(e) = writer.store(&resolved) {
        if matches!(&e, StoreError::Row(p) if p.iter().any(|c| c.field == Field::Points)) {
            return Err(refused_redemption(tx, o.typed, &resolved)?);
        }
        return Err(e.into_error(|problems| typed_errors(&map, &problems)));
    }
    let entry = tx.last_insert_rowid();
    let worker = resolved.worker;
    let order = crate::db::gifts::insert_order(tx, worker, g.id, quantity, points, o.date, entry)?;
    let other_street = crate::db::gifts::other_street(tx, g.id, worker)?;
    Ok(Placed {
        other_street,
        order,
        entry,
        name: resolver.name_of(worker),
        gift: g.name,
        points,
        balance: ledger::balance(tx, worker)?,
        stock: g.stock - quantity,
    })
}

/// `points pickup`: the gift of an order handed out.
fn pickup(ctx: &Ctx, a: PickupArgs) -> Result<()> {
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let o = crate::db::gifts::pickup(&tx, a.order, &date)?;
    tx.commit()?;
    ctx.note(t!(
        "gifts.picked_up",
        order = o.id,
        name = o.name,
        gift = o.gift,
        quantity = o.quantity,
        date = date
    ));
    Ok(())
}

/// `points cancel`: the order's redemption reversed, its items back in stock.
fn cancel(ctx: &Ctx, a: CancelArgs) -> Result<()> {
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let reason = a.reason.as_deref().map(str::trim).unwrap_or_default();
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let (o, reversal) = crate::db::gifts::cancel(&tx, a.order, &date, reason)?;
    let after = ledger::balance(&tx, o.worker)?;
    tx.commit()?;
    ctx.note(t!(
        "gifts.cancelled",
        order = o.id,
        name = o.name,
        gift = o.gift,
        quantity = o.quantity,
        points = o.points,
        entry = reversal,
        balance = after
    ));
    Ok(())
}

/// The stored code of a 状态 typed for `points orders`.
fn order_status(typed: &str) -> Result<&'static str> {
    let s = crate::model::normalize::folded(typed.trim());
    Ok(match s.as_str() {
        "pending" | "待领取" | "未领取" => "pending",
        "collected" | "已领取" | "领取" => "collected",
        "cancelled" | "canceled" | "取消" | "已取消" => "cancelled",
        _ => {
            return Err(
                UsageError(t!("gifts.bad_status", status = typed.trim()).into_owned()).into(),
            );
        }
    })
}

/// The label of an order's status in the language of the run.
pub fn status_label(code: &str) -> String {
    match code {
        "pending" => t!("gifts.status.pending"),
        "collected" => t!("gifts.status.collected"),
        _ => t!("gifts.status.cancelled"),
    }
    .into_owned()
}

/// `points orders`: the orders of the gift shop.
fn orders(ctx: &Ctx, a: OrdersArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let status = a.status.as_deref().map(order_status).transpose()?;
    let period = a.period.period()?;
    let db = ctx.open()?;
    let street = super::street_filter(&db, a.street.as_deref())?;
    let worker = match &a.worker {
        Some(w) => Some(super::find_worker(ctx, &db, w)?.0),
        None => None,
    };
    let rows = crate::db::gifts::orders(&db, period.as_ref(), status, street, worker)?;
    let pii = a.output.show_pii;
    let json: Vec<OrderJson> = rows
        .into_iter()
        .map(|o| OrderJson {
            id: o.id,
            date: o.date,
            name: o.name,
            phone: shown_phone(o.phone.as_deref(), pii),
            gift: o.gift,
            quantity: o.quantity,
            points: o.points,
            status: o.status,
            collected_on: o.collected_on,
            cancelled_on: o.cancelled_on,
            entry: o.entry,
            reversal: o.reversal,
            street: o.street,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("gifts.col.order"),
            &t!("cmd.points.col.date"),
            &t!("cmd.points.col.name"),
            &t!("cmd.points.col.phone"),
            &t!("gifts.col.name"),
            &t!("gifts.col.quantity"),
            &t!("cmd.points.col.points"),
            &t!("gifts.col.status"),
            &t!("gifts.col.handled_on"),
            &t!("gifts.col.street"),
        ],
        &[true, false, false, false, false, true, true],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.date.clone(),
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.gift.clone(),
            j.quantity.to_string(),
            j.points.to_string(),
            status_label(&j.status),
            or_dash(j.collected_on.as_deref().or(j.cancelled_on.as_deref())),
            j.street.clone(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let pending = json.iter().filter(|j| j.status == "pending").count();
    ctx.note(t!("gifts.orders_total", n = json.len(), pending = pending));
    Ok(())
}

/// `points reverse`: appends the opposite of an entry.
fn reverse(ctx: &Ctx, a: ReverseArgs) -> Result<()> {
    need_reason(&a.reason)?;
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let c = Correction {
        date: &date,
        reason: a.reason.trim(),
        allow_negative: a.allow_negative,
    };
    let (id, worker) = ledger::reverse(&tx, a.entry, &c)?;
    let after = ledger::balance(&tx, worker)?;
    tx.commit()?;
    ctx.note(t!(
        "cmd.points.reversed",
        entry = a.entry,
        id = id,
        balance = after
    ));
    Ok(())
}

/// `points adjust`: adds or takes off points, with a reason.
fn adjust(ctx: &Ctx, a: AdjustArgs) -> Result<()> {
    need_reason(&a.reason)?;
    // Read like a 积分 cell: `-3`, `+5`, `5分`.
    let (map, row) = typed_row(&[(Field::Points, "POINTS", Some(&a.points))]);
    let mut cells = Cells::new(&map, &row);
    let points = cells.integer(Field::Points);
    let points = match cells.finish(points) {
        Ok(Some(p)) => p,
        Ok(None) => {
            return Err(UsageError(t!("cmd.points.adjust_missing").into_owned()).into());
        }
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let mut db = ctx.open()?;
    let (worker, name) = super::find_worker(ctx, &db, &a.worker)?;
    let tx = db.begin_write()?;
    let c = Correction {
        date: &date,
        reason: a.reason.trim(),
        allow_negative: a.allow_negative,
    };
    let id = ledger::adjust(&tx, worker, points, &c)?;
    let after = ledger::balance(&tx, worker)?;
    tx.commit()?;
    ctx.note(t!(
        "cmd.points.adjusted",
        name = name,
        points = format_args!("{points:+}"),
        id = id,
        balance = after
    ));
    Ok(())
}

/// `points balance`: every worker with entries, or one.
fn balance(ctx: &Ctx, a: BalanceArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let worker = match &a.worker {
        Some(w) => Some(super::find_worker(ctx, &db, w)?),
        None => None,
    };
    let pii = a.output.show_pii;
    let json: Vec<BalanceJson> = ledger::balances(&db, worker.as_ref().map(|w| w.0))?
        .into_iter()
        .map(|r| BalanceJson {
            name: r.name,
            phone: shown_phone(r.phone.as_deref(), pii),
            id_number: shown_id(r.id_number.as_deref(), pii),
            balance: r.balance,
            earned: r.earned,
            redeemed: r.redeemed,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("cmd.points.col.name"),
            &t!("cmd.points.col.phone"),
            &t!("cmd.points.col.earned"),
            &t!("cmd.points.col.redeemed"),
            &t!("cmd.points.col.balance"),
        ],
        &[false, false, true, true, true],
    );
    for j in &json {
        t.rows.push(vec![
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.earned.to_string(),
            j.redeemed.to_string(),
            j.balance.to_string(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    if let (Some((_, name)), true) = (&worker, json.is_empty()) {
        ctx.note(t!("cmd.points.no_entries", name = name));
    }
    Ok(())
}

/// `points statement`: one worker's entries with the running balance.
fn statement(ctx: &Ctx, a: StatementArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let (worker, name) = super::find_worker(ctx, &db, &a.worker)?;
    let phone = crate::db::workers::phone(&db, worker)?;
    let entries = ledger::statement(&db, worker)?;
    let json = StatementJson {
        worker: WorkerRefJson {
            name: name.clone(),
            phone: shown_phone(phone.as_deref(), a.output.show_pii),
        },
        balance: entries.last().map_or(0, |e| e.balance),
        entries: entries
            .iter()
            .map(|e| EntryJson {
                id: e.id,
                date: e.date.clone(),
                kind: e.kind.clone(),
                points: e.points,
                category: e.category.clone(),
                rule: e.rule.clone(),
                reason: e.reason.clone(),
                source: e.source.clone(),
                reverses: e.reverses,
                reversed_by: e.reversed_by,
                allow_negative: e.allow_negative,
                operator: e.operator.clone(),
                entered_at: e.entered_at.clone(),
                balance: e.balance,
            })
            .collect(),
    };
    let lang = Lang::current();
    let mut t = Table::new(
        &[
            &t!("cmd.points.col.entry"),
            &t!("cmd.points.col.date"),
            &t!("cmd.points.col.kind"),
            &t!("cmd.points.col.points"),
            &t!("cmd.points.col.category"),
            &t!("cmd.points.col.reason"),
            &t!("cmd.points.col.source"),
            &t!("cmd.points.col.balance"),
        ],
        &[true, false, false, true, false, false, false, true],
    );
    for e in &entries {
        let mut note = e.reason.clone();
        if let Some(r) = e.reverses {
            note = t!("cmd.points.note.reverses", entry = r, reason = note).into_owned();
        }
        if let Some(by) = e.reversed_by {
            note = t!("cmd.points.note.reversed_by", note = note, entry = by).into_owned();
        }
        if e.allow_negative {
            note = t!("cmd.points.note.overdraw_allowed", note = note).into_owned();
        }
        t.rows.push(vec![
            e.id.to_string(),
            e.date.clone(),
            EntryKind::from_code(&e.kind).map_or(e.kind.clone(), |k| k.text(lang)),
            format!("{:+}", e.points),
            PointCategory::from_code(&e.category).map_or(e.category.clone(), |c| c.text(lang)),
            note,
            or_dash(e.source.as_deref()),
            e.balance.to_string(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(t!(
        "cmd.points.statement_summary",
        name = name,
        count = entries.len(),
        balance = json.balance
    ));
    Ok(())
}

/// `points check`: lists every violation of the ledger's invariants and fails when there is one.
fn check(ctx: &Ctx, a: CheckArgs, out: &mut dyn Write) -> Result<()> {
    let digests = a
        .digest
        .iter()
        .map(|d| {
            d.parse::<ledger::Digest>()
                .map_err(|_| UsageError(t!("cmd.points.bad_digest", value = d.trim()).into_owned()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let db = ctx.open()?;
    let mut violations = ledger::check(&db)?;
    // The digests that hold, said after the table: with several, they bound where a change is.
    let mut held = Vec::new();
    for d in &digests {
        let problem = match ledger::verify(&db, d)? {
            None => {
                held.push(d);
                None
            }
            Some(ledger::Mismatch::Short { holds }) => Some(t!(
                "ledger.digest.short",
                digest = d,
                entries = d.entries,
                holds = holds
            )),
            Some(ledger::Mismatch::Differs { head }) => Some(t!(
                "ledger.digest.differs",
                digest = d,
                entries = d.entries,
                now = format!("{}:{head}", d.entries)
            )),
        };
        if let Some(p) = problem {
            violations.push(ledger::Violation {
                entry: None,
                worker: None,
                name: None,
                problem: p.into_owned(),
            });
        }
    }
    #[derive(Serialize)]
    struct V {
        entry: Option<i64>,
        worker: Option<i64>,
        name: Option<String>,
        problem: String,
    }
    let json: Vec<V> = violations
        .iter()
        .map(|v| V {
            entry: v.entry,
            worker: v.worker,
            name: v.name.clone(),
            problem: v.problem.clone(),
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("cmd.points.col.entry"),
            &t!("cmd.points.col.worker"),
            &t!("cmd.points.col.problem"),
        ],
        &[true, false, false],
    );
    for v in &violations {
        // The name, as instructors know people; the row id only of an unregistered one.
        let who = match (&v.name, v.worker) {
            (Some(n), _) => n.clone(),
            (None, Some(w)) => format!("#{w}"),
            (None, None) => String::new(),
        };
        t.rows.push(vec![
            v.entry.map(|e| e.to_string()).unwrap_or_default(),
            who,
            v.problem.clone(),
        ]);
    }
    if violations.is_empty() {
        if a.format == crate::report::render::Format::Json {
            render(out, a.format, &json, &t)?;
        }
        let n = ledger::entry_count(&db)?;
        ctx.note(t!("cmd.points.check_ok", count = n));
        for d in &held {
            ctx.note(t!("cmd.points.digest_ok", entries = d.entries, digest = d));
        }
        return Ok(());
    }
    render(out, a.format, &json, &t)?;
    for d in &held {
        ctx.note(t!("cmd.points.digest_ok", entries = d.entries, digest = d));
    }
    let n = violations.len();
    let message = if n == 1 {
        t!("cmd.points.check_failed_one", count = n)
    } else {
        t!("cmd.points.check_failed_many", count = n)
    };
    let _ = writeln!(std::io::stderr(), "{}", crate::i18n::error_line(&message));
    Err(Silent.into())
}

/// `points rule list`.
fn rule_list(ctx: &Ctx, a: RuleListArgs, out: &mut dyn Write) -> Result<()> {
    let db = ctx.open()?;
    let rules = ledger::rules(&db)?;
    #[derive(Serialize)]
    struct R {
        code: &'static str,
        name: &'static str,
        points: i64,
        updated_at: String,
        updated_by: String,
    }
    let json: Vec<R> = rules
        .iter()
        .map(|r| R {
            code: r.code.code(),
            name: r.code.label(),
            points: r.points,
            updated_at: r.updated_at.clone(),
            updated_by: r.updated_by.clone(),
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("cmd.points.col.rule"),
            &t!("cmd.points.col.code"),
            &t!("cmd.points.col.points"),
            &t!("cmd.points.col.updated_at"),
            &t!("cmd.points.col.updated_by"),
        ],
        &[false, false, true, false, false],
    );
    for r in &json {
        t.rows.push(vec![
            r.name.into(),
            r.code.into(),
            r.points.to_string(),
            r.updated_at.clone(),
            r.updated_by.clone(),
        ]);
    }
    render(out, a.format, &json, &t)
}

/// `points rule set`: the points a rule grants from now on.
fn rule_set(ctx: &Ctx, a: RuleSetArgs) -> Result<()> {
    let code = RuleCode::parse(&crate::model::normalize::folded(&a.rule))
        .ok_or_else(|| UsageError(t!("cmd.points.not_a_rule", rule = a.rule).into_owned()))?;
    if a.points < 0 {
        return Err(UsageError(t!("cmd.points.rule_negative").into_owned()).into());
    }
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let old = ledger::set_rule(&tx, code, a.points)?;
    tx.commit()?;
    ctx.note(t!(
        "cmd.points.rule_set",
        rule = code.label(),
        old = old,
        new = a.points
    ));
    Ok(())
}
