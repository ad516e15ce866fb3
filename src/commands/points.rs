//! `nuanfeng points …`: entries typed at the terminal and balances. The ledger is
//! append-only; a redemption may never take a balance below zero.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Ctx, shown_id, shown_phone, today, typed_errors, typed_row, worker_field};
use crate::cli::OutputArgs;
use crate::db::events::{EventResolver, PointWriter, balance};
use crate::db::queries;
use crate::db::workers::find_by_number;
use crate::import::header::Field;
use crate::import::validate::{self, Cells};
use crate::report::render::{Table, or_dash, render};

/// Points commands.
#[derive(Debug, Subcommand)]
pub enum PointsCommand {
    /// Grant points
    #[command(after_long_help = "Examples:
  nuanfeng points earn 13800138000 10 --category 志愿服务 --reason 夏日送清凉
  nuanfeng points earn 13800138000 1 --category 随手拍 --date 2025-07-05")]
    Earn(EntryArgs),
    /// Spend points on a gift (refused if the balance would go below zero)
    #[command(after_long_help = "Examples:
  nuanfeng points redeem 13800138000 15 --reason 绿豆礼包")]
    Redeem(EntryArgs),
    /// Balances: every worker with entries, or one
    #[command(after_long_help = "Examples:
  nuanfeng points balance
  nuanfeng points balance 13800138000
  nuanfeng points balance --format json

JSON: an array of {name, phone, balance} (phone masked unless --show-pii; balance an
integer), plus id_number, earned and redeemed.")]
    Balance(BalanceArgs),
}

/// `points earn` / `points redeem`.
#[derive(Debug, Args)]
pub struct EntryArgs {
    /// The worker: 手机号 or 身份证号
    pub worker: String,
    /// Whole points (positive)
    pub points: String,
    /// 日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 类别: 志愿服务, 随手拍, 意见建议, 其他 (earn only)
    #[arg(long)]
    pub category: Option<String>,
    /// 说明: what for
    #[arg(long)]
    pub reason: Option<String>,
}

/// `points balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// One worker: 手机号 or 身份证号
    pub worker: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
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

fn entry(ctx: &Ctx, a: EntryArgs, redeem: bool) -> Result<()> {
    let date = a.date.clone().unwrap_or_else(|| today().to_string());
    let category = if redeem {
        Some("积分兑换")
    } else {
        Some(a.category.as_deref().unwrap_or("其他"))
    };
    let category_code = a
        .category
        .as_deref()
        .map(crate::import::normalize::folded)
        .and_then(|c| <crate::model::PointCategory as crate::model::Vocabulary>::parse(&c));
    if !redeem && category_code == Some(crate::model::PointCategory::Redemption) {
        return Err(super::UsageError(
            "points earn grants points; spending them is `points redeem WORKER POINTS --reason …`"
                .into(),
        )
        .into());
    }
    if redeem && a.category.is_some() {
        return Err(super::UsageError(
            "points redeem has no --category: it is always 积分兑换".into(),
        )
        .into());
    }
    let points = a.points.trim().trim_start_matches('+');
    if points.starts_with('-') {
        return Err(super::UsageError(format!(
            "POINTS is a positive number; `points {}` says which way they go",
            if redeem { "redeem" } else { "earn" }
        ))
        .into());
    }
    // Usage is checked above, before the registry is opened.
    let mut db = ctx.open()?;
    let (map, row) = typed_row(&[
        (worker_field(&a.worker), "WORKER", Some(&a.worker)),
        (Field::Date, "--date", Some(&date)),
        (Field::Category, "--category", category),
        (Field::Points, "POINTS", Some(points)),
        (Field::Reason, "--reason", a.reason.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::points(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let (worker, name) = {
        let mut resolver = EventResolver::load(&tx)?;
        let resolved = resolver
            .point(rec.clone())
            .map_err(|e| typed_errors(&map, &e))?;
        PointWriter::new(&tx, None)?
            .store(&resolved)
            .map_err(|mut e| {
                // The amount typed is positive; the stored (signed) one would only confuse.
                e.iter_mut().for_each(|c| c.shown.clear());
                typed_errors(&map, &e)
            })?;
        (resolved.worker, resolver.name_of(resolved.worker))
    };
    let after = balance(&tx, worker)?;
    tx.commit()?;
    ctx.note(format!(
        "{name}: {:+} points on {} ({}); balance {after}",
        rec.points.0,
        rec.date,
        crate::model::Vocabulary::label(rec.category)
    ));
    Ok(())
}

/// Runs a points command.
pub fn run(ctx: &Ctx, cmd: PointsCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        PointsCommand::Earn(a) => entry(ctx, a, false),
        PointsCommand::Redeem(a) => entry(ctx, a, true),
        PointsCommand::Balance(a) => {
            let db = ctx.open()?;
            let worker = match &a.worker {
                Some(w) => Some(find_by_number(&db.conn, w)?),
                None => None,
            };
            let pii = a.output.show_pii;
            let json: Vec<BalanceJson> = queries::balances(&db.conn, worker.as_ref().map(|w| w.0))?
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
                &["姓名", "手机号", "累计获得", "累计兑换", "余额"],
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
            render(out, a.output.format, &json, &t)?;
            if let (Some((_, name)), true) = (&worker, json.is_empty()) {
                ctx.note(format!("{name} has no points entries yet (balance 0)"));
            }
            Ok(())
        }
    }
}
