//! `nuanfeng tip …`: 随手拍 reports typed at the terminal, their approval (which grants the
//! points of a rule, once) and resolution, and the list.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{
    Ctx, day_flag, shown_phone, stored_errors, street_filter, typed_errors, typed_row, worker_field,
};
use crate::db::events::EventResolver;
use crate::db::tips::{self, TipFilter, TipWriter};
use crate::db::{ledger, operator};
use crate::i18n::Lang;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::today;
use crate::model::{TipCategory, TipStatus, Vocabulary};
use crate::report::render::{Table, or_dash};

/// 随手拍 commands.
#[derive(Debug, Subcommand)]
pub enum TipCommand {
    /// Record one 随手拍 report, pending approval (same rules as an imported row)
    #[command(after_long_help = "Examples:
  nuanfeng tip add 13800138000 --category 安全隐患 --content 桥东街口井盖松动 --date 2025-07-16
  nuanfeng tip add 13800138000 --category 意见建议 --content 驿站增设充电柜 --street 柳巷

Categories: 安全隐患, 卫生死角, 矛盾纠纷, 不文明现象, 占道经营, 意见建议, 其他 (or their codes
safety_hazard, sanitation, dispute, incivility, street_vending, suggestion, other). Without
--street the worker's own street and community are used. The report waits for `tip approve`,
which grants its points; a report identical to one already recorded is refused.")]
    Add(AddArgs),
    /// List 随手拍 reports
    #[command(after_long_help = "Examples:
  nuanfeng tip list --status pending
  nuanfeng tip list --category 安全隐患 --street 柳巷 --month 2025-07
  nuanfeng tip list --from 2025-07-01 --to 2025-09-15
  nuanfeng tip list --format csv > 随手拍.csv

The period is --month, --quarter, --year, or --from/--to (--to needs --from, and defaults
to today), as in the reports; without one every report is listed. --status is exact: approved lists the reports approved and not yet resolved.

JSON: an array of {id, date, name, phone, category, content, status, approved_on,
approved_by, resolved_on, resolved_by, street, community, points}; category is a code
(safety_hazard, sanitation, dispute, incivility, street_vending, suggestion, other), status
one of pending, approved, resolved; points an integer (what the approval granted); phone
masked unless --show-pii.")]
    List(ListArgs),
    /// Approve reports: grants the points of their rule, once per report
    #[command(after_long_help = "Examples:
  nuanfeng tip approve 12
  nuanfeng tip approve 12 13 15 --date 2025-07-20 --by 王芳

A report grants points once: tip_approved (1 point by default) for a report, and
suggestion_adopted for 意见建议 (`nuanfeng points rule list`). Approving a report again says
\"already approved, no points granted\" and changes nothing. All the reports are approved
together, or none when one of them cannot be.")]
    Approve(ApproveArgs),
    /// Mark an approved report resolved (办结)
    #[command(after_long_help = "Examples:
  nuanfeng tip resolve 12
  nuanfeng tip resolve 12 --date 2025-07-25 --by 柳巷街道城管科

A report is approved before it is resolved; the resolution is not dated before the approval.")]
    Resolve(ResolveArgs),
}

/// `tip add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// 类别: 安全隐患, 卫生死角, 矛盾纠纷, 不文明现象, 占道经营, 意见建议, 其他
    #[arg(long)]
    pub category: String,
    /// 内容: what was seen or suggested
    #[arg(long)]
    pub content: String,
    /// 上报日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 街道 [default: the worker's street]
    #[arg(long)]
    pub street: Option<String>,
    /// 社区
    #[arg(long)]
    pub community: Option<String>,
    /// 姓名, checked against the register
    #[arg(long)]
    pub name: Option<String>,
}

/// `tip list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only reports of this status: pending (待审核), approved (已审核), resolved (已办结)
    #[arg(long)]
    pub status: Option<String>,
    /// Only reports of this category (安全隐患 … or its code)
    #[arg(long)]
    pub category: Option<String>,
    /// Only reports made in this street
    #[arg(long)]
    pub street: Option<String>,
    /// The period: only records dated inside it.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `tip approve`.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// Report numbers (the id column of `tip list`)
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<i64>,
    /// 审核日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Who approves [default: the operator's user name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

/// `tip resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Report number (the id column of `tip list`)
    pub id: i64,
    /// 办结日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Who resolved it [default: the operator's user name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

/// One report in `tip list --format json`.
#[derive(Debug, Serialize)]
pub struct TipJson {
    /// Row id (what `tip approve` and `tip resolve` take).
    pub id: i64,
    /// 上报日期, `YYYY-MM-DD`.
    pub date: String,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// Category code: `safety_hazard`, `sanitation`, `dispute`, `incivility`,
    /// `street_vending`, `suggestion`, `other`.
    pub category: String,
    /// 内容.
    pub content: String,
    /// `pending`, `approved` or `resolved`.
    pub status: String,
    /// 审核日期.
    pub approved_on: Option<String>,
    /// Who approved.
    pub approved_by: Option<String>,
    /// 办结日期.
    pub resolved_on: Option<String>,
    /// Who resolved.
    pub resolved_by: Option<String>,
    /// Street where the problem was seen.
    pub street: String,
    /// Community.
    pub community: Option<String>,
    /// Points the approval granted (0 while pending).
    pub points: i64,
}

/// `--by`, or the operator's user name when absent or blank.
pub fn by_flag(by: Option<&str>) -> String {
    by.map(crate::model::normalize::name)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(operator)
}

/// Runs a 随手拍 command.
pub fn run(ctx: &Ctx, cmd: TipCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        TipCommand::Add(a) => add(ctx, &a),
        TipCommand::List(a) => list(ctx, &a, out),
        TipCommand::Approve(a) => approve(ctx, &a),
        TipCommand::Resolve(a) => resolve(ctx, &a),
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
        (Field::TipCategory, "--category", Some(&a.category)),
        (Field::Content, "--content", Some(&a.content)),
        (Field::Street, "--street", a.street.as_deref()),
        (Field::Community, "--community", a.community.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::tip(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let (id, name) = {
        let mut resolver = EventResolver::load(&tx)?;
        let resolved = resolver
            .tip(rec.clone())
            .map_err(|e| typed_errors(&map, &e))?;
        let mut writer = TipWriter::new(&tx, None)?;
        let (outcome, id) = writer
            .store(&resolved)
            .map_err(|e| stored_errors(&map, e))?;
        if outcome != Outcome::New {
            anyhow::bail!("{}", t!("records.tip.not_stored"));
        }
        (id, resolver.name_of(resolved.worker))
    };
    if let Some(other) = tips::identical_tip(&tx, id)? {
        // Dropping the transaction rolls the new row back.
        anyhow::bail!(
            "{}",
            t!(
                "records.tip.duplicate",
                name = name,
                date = rec.date,
                other = other
            )
        );
    }
    tx.commit()?;
    ctx.note(t!(
        "records.tip.added",
        id = id,
        name = name,
        category = rec.category.label(),
        date = rec.date
    ));
    Ok(())
}

fn approve(ctx: &Ctx, a: &ApproveArgs) -> Result<()> {
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let by = by_flag(a.by.as_deref());
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let mut notes = Vec::new();
    for &id in &a.ids {
        let Some(before) = tips::tip_brief(&tx, id)? else {
            anyhow::bail!("{}", t!("records.tip.unknown", id = id));
        };
        let done = tips::approve_tip(&tx, id, &date, &by, None)?;
        let category = TipCategory::from_code(&before.category).unwrap_or(TipCategory::Other);
        let rule = tips::tip_rule(category);
        let name = &before.name;
        notes.push(if done.entry.is_some() {
            let balance = ledger::balance(&tx, done.worker)?;
            if done.points == 1 {
                t!(
                    "records.tip.approved_one",
                    id = id,
                    name = name,
                    category = category.label(),
                    rule = rule.code(),
                    balance = balance
                )
            } else {
                t!(
                    "records.tip.approved",
                    id = id,
                    name = name,
                    category = category.label(),
                    points = format_args!("{:+}", done.points),
                    rule = rule.code(),
                    balance = balance
                )
            }
            .into_owned()
        } else if before.status != TipStatus::Pending.code() {
            t!("records.tip.approved_already", id = id, name = name).into_owned()
        } else {
            t!(
                "records.tip.approved_no_points",
                id = id,
                name = name,
                category = category.label(),
                rule = rule.code()
            )
            .into_owned()
        });
    }
    tx.commit()?;
    for n in notes {
        ctx.note(n);
    }
    Ok(())
}

fn resolve(ctx: &Ctx, a: &ResolveArgs) -> Result<()> {
    let date = day_flag("--date", a.date.as_deref())?.to_string();
    let by = by_flag(a.by.as_deref());
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    tips::resolve_tip(&tx, a.id, &date, &by)?;
    let name = tips::tip_brief(&tx, a.id)?.map_or_else(String::new, |b| b.name);
    tx.commit()?;
    ctx.note(t!(
        "records.tip.resolved",
        id = a.id,
        name = name,
        date = date,
        by = by
    ));
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let status = super::vocab_flag::<TipStatus>("--status", a.status.as_deref())?;
    let category = super::vocab_flag::<TipCategory>("--category", a.category.as_deref())?;
    let p = a.period.period()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = tips::tips(
        &db,
        &TipFilter {
            status: status.map(TipStatus::code),
            category: category.map(TipCategory::code),
            street,
            period: p.as_ref(),
        },
    )?;
    let json: Vec<TipJson> = rows
        .into_iter()
        .map(|r| TipJson {
            id: r.id,
            date: r.date,
            name: r.name,
            phone: shown_phone(r.phone.as_deref(), a.output.show_pii),
            category: r.category,
            content: r.content,
            status: r.status,
            approved_on: r.approved_on,
            approved_by: r.approved_by,
            resolved_on: r.resolved_on,
            resolved_by: r.resolved_by,
            street: r.street,
            community: r.community,
            points: r.points,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("records.col.id"),
            &t!("records.col.date"),
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("records.col.category"),
            &t!("records.col.content"),
            &t!("records.col.status"),
            &t!("records.col.approved_on"),
            &t!("records.col.resolved_on"),
            &t!("records.col.in_street"),
        ],
        &[true],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.date.clone(),
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            TipCategory::from_code(&j.category)
                .map_or_else(|| j.category.clone(), |c| c.text(Lang::current())),
            j.content.clone(),
            TipStatus::from_code(&j.status)
                .map_or_else(|| j.status.clone(), |s| s.text(Lang::current())),
            or_dash(j.approved_on.as_deref()),
            or_dash(j.resolved_on.as_deref()),
            j.street.clone(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(if json.len() == 1 {
        t!("records.count.tip_one")
    } else {
        t!("records.count.tips", n = json.len())
    });

    Ok(())
}
