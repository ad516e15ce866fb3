//! `nuanfeng worker …`: the people of the register — list, show with history, and upkeep at
//! the terminal (add, update, leave) through exactly the validation of an imported row.

use std::io::Write;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{Ctx, UsageError, shown_phone, stored_errors, street_filter, typed_errors};
use crate::db::changes::Origin;
use crate::db::changes::{self, Change};
use crate::db::membership::{self, Membership, StageEntry, membership};
use crate::db::workers::{self, WorkerFilter, WorkerLoader, WorkerRow};
use crate::i18n::Lang;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::today;
use crate::model::{Gender, Occupation, PoliticalStatus, Stage, Vocabulary};
use crate::report::render::{Format, Table, or_dash, render};
use crate::report::worker::WorkerJson;

/// Worker commands.
#[derive(Debug, Subcommand)]
pub enum WorkerCommand {
    /// List workers (身份证号 and 手机号 masked unless --show-pii)
    #[command(after_long_help = "Examples:
  nuanfeng worker list
  nuanfeng worker list --street 柳巷街道 --month 2025-07
  nuanfeng worker list --quarter 2025Q2
  nuanfeng worker list --all --format json --show-pii > workers.json

With a period (--month, --quarter, --year, or --from/--to), the workers working on its last
day are listed; without a period or --all, workers who have left (离职日期 before today) are
not listed.

JSON: an array of {id, name, gender, phone, id_number, political_status, occupation,
enterprise, station, street, community, joined_on, left_on, note}; enum values are English
codes (party_member, courier …); dates YYYY-MM-DD; missing values are null.")]
    List(ListArgs),
    /// One worker: the register entry and the history of every change
    #[command(after_long_help = "Examples:
  nuanfeng worker show 13800138000
  nuanfeng worker show 140106199001011234 --format json

The history lists each change with when, the command or imported file, the field, and the
values before and after (身份证号 and 手机号 always masked there).

A party member's 组织关系 is shown (流动党员: registered elsewhere, taking part in one of our
organizations), and the stages of the membership pipeline (入党程序) with their dates.

JSON: {worker: {…as in worker list…}, membership: {registered, mobile, attached} or null,
stages: [{stage, date, instructor, operator, entered_at}], history: [{at, field, old, new,
command, file, operator}]}; field \"*\" is the worker's registration.")]
    Show(ShowArgs),
    /// Register one worker (same rules as a row of the workers register)
    #[command(after_long_help = "Examples:
  nuanfeng worker add --name 王磊 --phone 13623518847 --occupation 外卖员 --street 柳巷街道
  nuanfeng worker add --name 李娜 --id-number 140106199207071371 --occupation 快递员 \\
      --enterprise 顺丰速运 --station 顺丰速运柳巷营业部 --street 柳巷 --community 宁化府社区

A worker needs 姓名, 从业类型, 所属街道 and a 手机号 or 身份证号. Somebody already registered
with the number is refused: use worker update.")]
    Add(AddArgs),
    /// Change a worker's entry: the values given replace the registered ones
    #[command(after_long_help = "Examples:
  nuanfeng worker update 13800138000 --phone 13912345678
  nuanfeng worker update 13800138000 --street 郝庄镇 --community 郝庄村

Values not given stay as they are (a value cannot be blanked). A worker who moves street
leaves the old street's community behind unless --community is given. Every change is kept
in the history (worker show).")]
    Update(UpdateArgs),
    /// Record the next stage of a worker's membership pipeline (入党程序)
    #[command(after_long_help = "Examples:
  nuanfeng worker stage 13623518847 --to 入党申请人 --date 2025-03-01
  nuanfeng worker stage 13623518847 --to 积极分子 --date 2025-06-01 --instructor 孙立新

Stages, in order: 入党申请人 (applicant), 入党积极分子 (activist), 发展对象 (candidate),
预备党员 (probationary), 正式党员 (full_member). A worker starts at 入党申请人 and takes each
stage in turn, each dated on or after the one before (never after today); stages are kept,
never changed. Reaching 预备党员 sets 政治面貌 to 中共预备党员, 正式党员 sets 中共党员 (in the
history of worker show). A worker who is a party member by the register already has no
pipeline. --instructor: the 党建工作指导员 by 手机号 or name.")]
    Stage(StageArgs),
    /// Workers in the membership pipeline, at their latest stage
    #[command(after_long_help = "Examples:
  nuanfeng worker stages
  nuanfeng worker stages --street 柳巷街道 --stage 积极分子
  nuanfeng worker stages --format json

Every worker with a recorded stage (those who left included), by street, stage and date.

JSON: an array of {name, phone, street, stage, since, applied_on, instructor}; stage is an
English code (applicant, activist, candidate, probationary, full_member); since is the day the
stage was reached and applied_on the day of the application (YYYY-MM-DD); phone masked
unless --show-pii; missing values are null.")]
    Stages(StagesArgs),
    /// Record that a worker left (离职): not counted in figures after that day
    #[command(after_long_help = "Examples:
  nuanfeng worker leave 13800138000 --date 2025-08-31

The worker stays in the register with everything recorded; stock figures (worker counts of
a month) stop counting them after the 离职日期.")]
    Leave(LeaveArgs),
    /// Undo a 离职: a worker who left works again
    #[command(after_long_help = "Examples:
  nuanfeng worker rejoin 13800138000
  nuanfeng worker rejoin 王强 李娜

The 离职日期 is cleared (and the change logged): the worker counts in stock figures again and
may check in, serve and earn points.")]
    Rejoin(RejoinArgs),
    /// Erase the names and numbers of workers who left before a day; their records stay,
    /// anonymous
    #[command(after_long_help = "Examples:
  nuanfeng worker purge --left-before 2024-01-01 --dry-run
  nuanfeng worker purge --left-before 2024-01-01

For every worker whose 离职日期 is before the day: 姓名 becomes 已清除#<number>, and
身份证号, 手机号 and 备注 are erased — in the register and in the history of changes. The
row stays with its street, station, enterprise, occupation, 政治面貌, gender and dates, and
so does everything recorded for it (check-ins, services, 随手拍, points, stages, wishes,
awards): every count, balance and report, past periods included, stays the same. A worker
still working (no 离职日期) is never purged. The erased values are overwritten in the file.

This cannot be undone. A purged worker has no 身份证号 or 手机号 left to be matched by: if the
person comes back, a register row or worker add with their numbers registers a new worker.
Copies made before the purge (backups, FILE.vN.bak of an upgrade, exported files) still hold
the numbers: delete them as well. --dry-run lists who would be purged and changes nothing.")]
    Purge(PurgeArgs),
}

/// `worker list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only workers of this street (any common spelling: 柳巷, 柳巷街道办事处 …)
    #[arg(long)]
    pub street: Option<String>,

    /// The period: only workers working on its last day (as of today without one)
    #[command(flatten)]
    pub period: PeriodArgs,

    /// Include workers who have left
    #[arg(long, conflicts_with_all = PeriodArgs::FLAGS)]
    pub all: bool,

    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `worker show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The register fields a worker command may set, as flags.
#[derive(Debug, Args, Default)]
pub struct WorkerFields {
    /// 性别: 男 or 女 (taken from the 身份证号 when not given)
    #[arg(long)]
    pub gender: Option<String>,
    /// 政治面貌: 中共党员, 中共预备党员, 共青团员, 民主党派, 无党派人士, 群众
    #[arg(long)]
    pub political_status: Option<String>,
    /// 从业类型: 快递员, 外卖员, 货车司机, 网约车司机 …
    #[arg(long)]
    pub occupation: Option<String>,
    /// 所属企业
    #[arg(long)]
    pub enterprise: Option<String>,
    /// 所属站点 (a station of the worker's street)
    #[arg(long)]
    pub station: Option<String>,
    /// 所属街道
    #[arg(long)]
    pub street: Option<String>,
    /// 所属社区
    #[arg(long)]
    pub community: Option<String>,
    /// 入职日期
    #[arg(long, value_name = "DATE")]
    pub joined_on: Option<String>,
    /// 备注
    #[arg(long)]
    pub note: Option<String>,
    /// 组织关系所在党组织 (party members): one of our party organizations, or the home
    /// organization elsewhere — then the worker is a mobile member (流动党员)
    #[arg(long, value_name = "ORG")]
    pub membership_org: Option<String>,
    /// 所在党组织 (party members): our party organization the member takes part in
    #[arg(long, value_name = "ORG")]
    pub attached_org: Option<String>,
}

/// `worker stage`.
#[derive(Debug, Args)]
pub struct StageArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// The stage reached: 入党申请人, 入党积极分子, 发展对象, 预备党员, 正式党员 (or applicant …)
    #[arg(long, value_name = "STAGE")]
    pub to: String,
    /// The day it was reached
    #[arg(long, value_name = "DATE")]
    pub date: String,
    /// The 党建工作指导员 concerned: 手机号 or name
    #[arg(long, value_name = "PHONE_OR_NAME")]
    pub instructor: Option<String>,
}

/// `worker stages`.
#[derive(Debug, Args)]
pub struct StagesArgs {
    /// Only workers of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Only workers now at this stage (入党申请人, 积极分子, 发展对象, 预备党员, 正式党员 …)
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `worker add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 姓名
    #[arg(long)]
    pub name: String,
    /// 手机号
    #[arg(long)]
    pub phone: Option<String>,
    /// 身份证号
    #[arg(long)]
    pub id_number: Option<String>,
    /// The other fields.
    #[command(flatten)]
    pub fields: WorkerFields,
}

/// `worker update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// New 姓名
    #[arg(long)]
    pub name: Option<String>,
    /// New 手机号
    #[arg(long)]
    pub phone: Option<String>,
    /// New 身份证号
    #[arg(long)]
    pub id_number: Option<String>,
    /// Take the worker off their station (a worker without a station keeps a street of their
    /// own)
    #[arg(long, conflicts_with = "station")]
    pub no_station: bool,
    /// The other fields.
    #[command(flatten)]
    pub fields: WorkerFields,
}

/// `worker rejoin`.
#[derive(Debug, Args)]
pub struct RejoinArgs {
    /// The workers: 手机号, 身份证号 or 姓名 (a name no other worker who left has); several
    /// at once, all or none
    #[arg(required = true, value_name = "WORKER")]
    pub workers: Vec<String>,
}

/// `worker purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Purge the workers whose 离职日期 is before this day (not after today)
    #[arg(long, value_name = "DATE")]
    pub left_before: String,
    /// List who would be purged (on stdout) and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `worker leave`.
#[derive(Debug, Args)]
pub struct LeaveArgs {
    /// The worker: 手机号, 身份证号 or 姓名 (a name nobody else has)
    pub worker: String,
    /// 离职日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
}

/// `worker show --format json`.
#[derive(Debug, Serialize)]
pub struct WorkerShowJson {
    /// The register entry.
    pub worker: WorkerJson,
    /// A party member's 组织关系, if registered.
    pub membership: Option<Membership>,
    /// The stages of the membership pipeline reached, in order.
    pub stages: Vec<StageEntry>,
    /// Every change, oldest first.
    pub history: Vec<Change>,
    /// The 手机号 and 身份证号 the worker had before (masked unless `--show-pii`), the
    /// earliest given up first: `{kind: "phone" | "id_number", number, until}`.
    pub former_numbers: Vec<workers::FormerNumber>,
}

/// One worker in `worker stages --format json`.
#[derive(Debug, Serialize)]
pub struct PipelineJson {
    /// 姓名.
    pub name: String,
    /// 手机号, masked unless `--show-pii`.
    pub phone: Option<String>,
    /// 所属街道.
    pub street: String,
    /// Code of the latest stage.
    pub stage: String,
    /// The day it was reached.
    pub since: String,
    /// The day of the application.
    pub applied_on: Option<String>,
    /// The instructor of the latest stage.
    pub instructor: Option<String>,
}

/// A stored code of a vocabulary as a person reads it in the language in use; empty when
/// absent or unknown.
fn label<V: Vocabulary>(code: Option<&str>) -> String {
    or_dash(
        code.and_then(V::from_code)
            .map(|v| v.text(Lang::current()))
            .as_deref(),
    )
}

/// The table of a change log, without rows: time, field, old and new value, source and
/// operator.
pub(super) fn history_table() -> Table {
    Table::new(
        &[
            &t!("records.col.time"),
            &t!("records.col.field"),
            &t!("records.col.old"),
            &t!("records.col.new"),
            &t!("records.col.source"),
            &t!("records.col.operator"),
        ],
        &[],
    )
}

/// `共 12 人` / `12 workers`.
fn workers_count(n: usize) -> String {
    if n == 1 {
        t!("records.count.worker_one").into_owned()
    } else {
        t!("records.count.workers", n = n).into_owned()
    }
}

/// `共 3 条变更` / `3 changes`.
pub(super) fn changes_count(n: usize) -> String {
    if n == 1 {
        t!("records.count.change_one").into_owned()
    } else {
        t!("records.count.changes", n = n).into_owned()
    }
}

/// Runs a worker command.
pub fn run(ctx: &Ctx, cmd: WorkerCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        WorkerCommand::List(a) => list(ctx, a, out),
        WorkerCommand::Show(a) => a.output.clone().text(out, |out| show(ctx, a, out)),
        WorkerCommand::Add(a) => add(ctx, a),
        WorkerCommand::Update(a) => update(ctx, a),
        WorkerCommand::Stage(a) => stage(ctx, a),
        WorkerCommand::Stages(a) => stages(ctx, a, out),
        WorkerCommand::Leave(a) => leave(ctx, a),
        WorkerCommand::Rejoin(a) => rejoin(ctx, a),
        WorkerCommand::Purge(a) => purge(ctx, a, out),
    }
}

fn purge(ctx: &Ctx, a: PurgeArgs, out: &mut dyn Write) -> Result<()> {
    let before = crate::model::normalize::typed_date(&a.left_before)
        .map_err(|e| UsageError(format!("--left-before {}: {e}", a.left_before)))?;
    let today = today();
    if before > today {
        return Err(UsageError(
            t!(
                "records.worker.purge_after_today",
                before = before,
                today = today
            )
            .into_owned(),
        )
        .into());
    }
    let before = before.to_string();
    let mut db = ctx.open()?;
    let departed = if a.dry_run {
        crate::db::purge::departed_before(&db, &before)?
    } else {
        let departed =
            crate::db::purge::purge(&mut db, &before, &today.to_string(), "worker purge")?;
        // Nobody purged: an erasure left pending before was finished (or warned of) when
        // the registry was opened.
        let finished = match departed.is_empty() {
            true => Ok(None),
            false => crate::db::purge::finish(&mut db),
        };
        if let Err(e) = finished {
            // Erased and committed, not yet vacuumed: said as it is, not as a failure that
            // changed nothing.
            let (n, path) = (departed.len(), ctx.db_path.display());
            anyhow::bail!(
                "{}",
                if crate::db::is_disk_full(&e) {
                    t!(
                        "files.erasure.purged_disk_full",
                        n = n,
                        before = before,
                        path = path
                    )
                } else {
                    t!(
                        "files.erasure.purged_unfinished",
                        n = n,
                        before = before,
                        error = format_args!("{:#}", ctx.explain(e))
                    )
                }
            );
        }
        departed
    };
    let n = departed.len();
    if a.dry_run {
        let mut t = Table::new(
            &[
                &t!("common.field.name"),
                &t!("common.field.street"),
                &t!("common.field.left_on"),
            ],
            &[],
        );
        for d in &departed {
            t.rows
                .push(vec![d.name.clone(), d.street.clone(), d.left_on.clone()]);
        }
        if !departed.is_empty() {
            render(out, Format::Table, &departed, &t)?;
        }
        ctx.note(if n == 1 {
            t!("records.worker.purge_dry_run_one", before = before)
        } else {
            t!("records.worker.purge_dry_run", n = n, before = before)
        });
    } else {
        ctx.note(if n == 1 {
            t!("records.worker.purged_one", before = before)
        } else {
            t!("records.worker.purged", n = n, before = before)
        });
    }
    Ok(())
}

/// A stage typed as a flag: code, label or alias.
fn parse_stage(flag: &str, typed: &str) -> Result<Stage> {
    let t = crate::model::normalize::folded(typed);
    Stage::parse(&t).ok_or_else(|| {
        UsageError(
            t!(
                "records.stage.unknown",
                flag = flag,
                typed = typed,
                accepted = Stage::accepted()
            )
            .into_owned(),
        )
        .into()
    })
}

fn stage(ctx: &Ctx, a: StageArgs) -> Result<()> {
    let to = parse_stage("--to", &a.to)?;
    let (map, row) = super::typed_row(&[(Field::Date, "--date", Some(&a.date))]);
    let mut c = Cells::new(&map, &row);
    let date = c.date(Field::Date, Some(today()));
    let date = match c.finish(date) {
        Ok(d) => d.expect("a date when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let (id, _) = super::find_worker(ctx, &tx, &a.worker)?;
    let instructor = match &a.instructor {
        Some(who) => Some(crate::db::instructors::find_instructor(&tx, who)?),
        None => None,
    };
    let done = membership::advance(
        &tx,
        id,
        to,
        date,
        instructor.as_ref().map(|(i, _)| *i),
        "worker stage",
    )?;
    tx.commit()?;
    let by = instructor.map_or(String::new(), |(_, n)| {
        t!("records.stage.by_instructor", name = n).into_owned()
    });
    let lang = Lang::current();
    let mut msg = match &done.previous {
        Some((s, d)) => t!(
            "records.stage.reached_after",
            name = done.name,
            stage = to.text(lang),
            date = date,
            by = by,
            previous = s.text(lang),
            since = d
        ),
        None => t!(
            "records.stage.reached",
            name = done.name,
            stage = to.text(lang),
            date = date,
            by = by
        ),
    }
    .into_owned();
    if let Some((old, new)) = &done.status_change {
        msg.push_str(&t!(
            "records.stage.status_changed",
            old = label::<PoliticalStatus>(old.as_deref()),
            new = new.text(lang)
        ));
    }
    ctx.note(msg);
    Ok(())
}

fn stages(ctx: &Ctx, a: StagesArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let only = a
        .stage
        .as_deref()
        .map(|s| parse_stage("--stage", s))
        .transpose()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = membership::pipeline(&db, street, only)?;
    let pii = a.output.show_pii;
    let json: Vec<PipelineJson> = rows
        .iter()
        .map(|r| PipelineJson {
            name: r.name.clone(),
            phone: shown_phone(r.phone.as_deref(), pii),
            street: r.street.clone(),
            stage: r.stage.code().to_string(),
            since: r.since.clone(),
            applied_on: r.applied_on.clone(),
            instructor: r.instructor.clone(),
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("common.field.street"),
            &t!("records.col.stage"),
            &t!("records.col.date"),
            &t!("records.col.applied_on"),
            &t!("records.col.instructor"),
        ],
        &[],
    );
    for j in &json {
        t.rows.push(vec![
            j.name.clone(),
            or_dash(j.phone.as_deref()),
            j.street.clone(),
            label::<Stage>(Some(&j.stage)),
            j.since.clone(),
            or_dash(j.applied_on.as_deref()),
            or_dash(j.instructor.as_deref()),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(workers_count(rows.len()));
    Ok(())
}

/// The header of a logged field in the language in use, the membership fields included.
fn field_label(code: &str) -> String {
    match code {
        "membership_org" => t!("common.field.membership_org").into_owned(),
        "attached_org" => t!("common.field.attached_org").into_owned(),
        other => changes::field_label(other, Lang::current()),
    }
}

fn list(ctx: &Ctx, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    // A period is the stock on its last day; `--all` excludes a period (clap says so).
    let period = a.period.period()?;
    let on = match (period, a.all) {
        (Some(p), _) => Some(p.to.to_string()),
        (None, true) => None,
        (None, false) => Some(today().to_string()),
    };
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = workers::workers(
        &db,
        WorkerFilter {
            street,
            on: on.as_deref(),
        },
    )?;
    let pii = a.output.show_pii;
    let json: Vec<WorkerJson> = rows.iter().map(|r| WorkerJson::new(r, pii)).collect();
    let mut t = Table::new(
        &[
            &t!("common.field.name"),
            &t!("common.field.gender"),
            &t!("common.field.phone"),
            &t!("common.field.id_number"),
            &t!("common.field.political_status"),
            &t!("common.field.occupation"),
            &t!("common.field.enterprise"),
            &t!("common.field.station"),
            &t!("common.field.street"),
            &t!("common.field.community"),
        ],
        &[],
    );
    for (r, j) in rows.iter().zip(&json) {
        t.rows.push(vec![
            r.name.clone(),
            label::<Gender>(r.gender.as_deref()),
            or_dash(j.phone.as_deref()),
            or_dash(j.id_number.as_deref()),
            label::<PoliticalStatus>(r.political_status.as_deref()),
            label::<Occupation>(Some(&r.occupation)),
            or_dash(r.enterprise.as_deref()),
            or_dash(r.station.as_deref()),
            r.street.clone(),
            or_dash(r.community.as_deref()),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let mut note = workers_count(rows.len());
    if period.is_none() && !a.all {
        let everyone = workers::workers(&db, WorkerFilter { street, on: None })?.len();
        if everyone > rows.len() {
            note.push_str(&t!(
                "records.worker.left_not_shown",
                n = everyone - rows.len()
            ));
        }
    }
    ctx.note(note);
    Ok(())
}

/// The stored worker `id`, as the list shows it.
fn worker_row(db: &crate::db::Db, id: i64) -> Result<WorkerRow> {
    workers::worker(db, id)?
        .ok_or_else(|| anyhow::anyhow!("{}", t!("records.worker.id_not_in_register", id = id)))
}

fn show(ctx: &Ctx, a: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let db = ctx.open()?;
    let (id, _) = super::find_worker(ctx, &db, &a.worker)?;
    let row = worker_row(&db, id)?;
    let pii = a.output.show_pii;
    let mut history = changes::history(&db, "worker", id)?;
    if !pii {
        // Free-text values (备注) may hold a number; the numbered fields are stored masked.
        for c in &mut history {
            for v in [&mut c.old, &mut c.new].into_iter().flatten() {
                *v = crate::model::mask_numbers(v);
            }
        }
    }
    let json = WorkerShowJson {
        worker: WorkerJson::new(&row, pii),
        membership: membership(&db, id)?,
        stages: membership::history(&db, id)?,
        history,
        former_numbers: workers::former_numbers(&db, id)?
            .into_iter()
            .map(|mut f| {
                if !pii {
                    f.number = crate::model::mask_number(&f.kind, &f.number);
                }
                f
            })
            .collect(),
    };
    if a.output.format == Format::Json {
        return render(out, Format::Json, &json, &Table::new(&[], &[]));
    }
    let w = &json.worker;
    let mut t = Table::new(&[&t!("records.col.field"), &t!("records.col.value")], &[]);
    let (yes, no) = (t!("records.yes"), t!("records.no"));
    for (k, v) in [
        (t!("common.field.name"), w.name.clone()),
        (
            t!("common.field.gender"),
            label::<Gender>(w.gender.as_deref()),
        ),
        (t!("common.field.phone"), or_dash(w.phone.as_deref())),
        (
            t!("common.field.id_number"),
            or_dash(w.id_number.as_deref()),
        ),
    ] {
        t.rows.push(vec![k.into_owned(), v]);
    }
    for f in &json.former_numbers {
        let field = if f.kind == "phone" {
            t!("identity.show.former_phone")
        } else {
            t!("identity.show.former_id_number")
        };
        t.rows.push(vec![
            field.into_owned(),
            t!("identity.show.until", number = f.number, until = f.until).into_owned(),
        ]);
    }
    for (k, v) in [
        (
            t!("common.field.political_status"),
            label::<PoliticalStatus>(w.political_status.as_deref()),
        ),
        (
            t!("common.field.occupation"),
            label::<Occupation>(Some(&w.occupation)),
        ),
        (
            t!("common.field.enterprise"),
            or_dash(w.enterprise.as_deref()),
        ),
        (t!("common.field.station"), or_dash(w.station.as_deref())),
        (t!("common.field.street"), w.street.clone()),
        (
            t!("common.field.community"),
            or_dash(w.community.as_deref()),
        ),
        (
            t!("common.field.joined_on"),
            or_dash(w.joined_on.as_deref()),
        ),
        (t!("common.field.left_on"), or_dash(w.left_on.as_deref())),
        (t!("common.field.note"), or_dash(w.note.as_deref())),
    ] {
        t.rows.push(vec![k.into_owned(), v]);
    }
    if let Some(m) = &json.membership {
        t.rows
            .push(vec![field_label("membership_org"), m.registered.clone()]);
        t.rows.push(vec![
            t!("records.col.mobile").into_owned(),
            if m.mobile { &yes } else { &no }.to_string(),
        ]);
        t.rows.push(vec![
            field_label("attached_org"),
            or_dash(m.attached.as_deref()),
        ]);
    }
    render(out, a.output.format, &json, &t)?;
    if !json.stages.is_empty() && matches!(a.output.format, Format::Table | Format::Md) {
        let mut s = Table::new(
            &[
                &t!("records.col.stage"),
                &t!("records.col.date"),
                &t!("records.col.instructor"),
                &t!("records.col.entered_at"),
                &t!("records.col.operator"),
            ],
            &[],
        );
        for e in &json.stages {
            s.rows.push(vec![
                label::<Stage>(Some(&e.stage)),
                e.date.clone(),
                or_dash(e.instructor.as_deref()),
                e.entered_at.clone(),
                e.operator.clone(),
            ]);
        }
        writeln!(out)?;
        render(out, a.output.format, &json.stages, &s)?;
    }
    let mut h = history_table();
    for c in &json.history {
        let source = match &c.file {
            Some(f) => format!("{} {f}", c.command),
            None => c.command.clone(),
        };
        let field = field_label(&c.field);
        h.rows.push(vec![
            c.at.clone(),
            field,
            or_dash(c.old.as_deref()),
            or_dash(c.new.as_deref()),
            source,
            c.operator.clone(),
        ]);
    }
    if matches!(a.output.format, Format::Table | Format::Md) {
        writeln!(out)?;
        render(out, a.output.format, &json.history, &h)?;
    }
    ctx.note(changes_count(json.history.len()));
    Ok(())
}

/// The register row of flags `values` (field, flag, value), validated as an imported row and
/// loaded; `target` is the worker being changed. Returns the outcome and the worker's id.
fn load(
    ctx: &Ctx,
    command: &str,
    values: &[(Field, &str, Option<&str>)],
    target: Option<i64>,
    clear_station: bool,
) -> Result<(Outcome, i64, String)> {
    let mut db = ctx.open()?;
    let (map, row) = super::typed_row(values);
    let mut c = Cells::new(&map, &row);
    let rec = validate::worker(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let mut notes = Vec::new();
    let (outcome, id) = {
        let mut loader = WorkerLoader::new(
            &tx,
            Origin {
                command: command.to_string(),
                batch: None,
            },
        )?;
        if target.is_none()
            && let Ok(Some(existing)) = loader
                .index
                .find(rec.id_number.as_ref(), rec.phone.as_ref())
        {
            let name = loader
                .index
                .entry(existing)
                .map_or(String::new(), |e| e.name.clone());
            bail!("{}", t!("records.worker.registered_already", name = name));
        }
        loader.target = target;
        loader.clear_station = clear_station;
        let before = target
            .and_then(|t| loader.index.entry(t))
            .map(|e| (e.id_number.clone(), e.phone.clone()));
        let outcome = loader.load(&rec, 0).map_err(|e| stored_errors(&map, e))?;
        let id = loader.last.expect("a loaded worker");
        let (old_id_number, old_phone) = before.unwrap_or_default();
        // A number taken that another worker had before: from now on it finds this one.
        for (kind, number, old) in [
            (
                "phone",
                rec.phone.as_ref().map(|p| p.as_str()),
                old_phone.as_deref(),
            ),
            (
                "id_number",
                rec.id_number.as_ref().map(|i| i.as_str()),
                old_id_number.as_deref(),
            ),
        ] {
            let Some(number) = number.filter(|n| Some(*n) != old) else {
                continue;
            };
            if let Some((before, until)) = workers::other_holder(&tx, kind, number, id)? {
                notes.push(if kind == "phone" {
                    t!(
                        "identity.took_former_phone",
                        number = crate::model::mask_number(kind, number),
                        before = before,
                        until = until,
                        now = &rec.name
                    )
                } else {
                    t!(
                        "identity.took_former_id_number",
                        number = crate::model::mask_number(kind, number),
                        before = before,
                        until = until,
                        now = &rec.name
                    )
                });
            }
        }
        (outcome, id)
    };
    tx.commit()?;
    for note in notes {
        ctx.note(note);
    }
    Ok((outcome, id, rec.name))
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<()> {
    let f = &a.fields;
    // A worker's street follows their station: `--station` alone names the street too.
    let street = match (&f.street, &f.station) {
        (None, Some(station)) => workers::station_street(&ctx.open()?, 0, station)?,
        _ => f.street.clone(),
    };
    let (_, _, name) = load(
        ctx,
        "worker add",
        &[
            (Field::Name, "--name", Some(&a.name)),
            (Field::Phone, "--phone", a.phone.as_deref()),
            (Field::IdNumber, "--id-number", a.id_number.as_deref()),
            (Field::Gender, "--gender", f.gender.as_deref()),
            (
                Field::PoliticalStatus,
                "--political-status",
                f.political_status.as_deref(),
            ),
            (Field::Occupation, "--occupation", f.occupation.as_deref()),
            (Field::Enterprise, "--enterprise", f.enterprise.as_deref()),
            (Field::Station, "--station", f.station.as_deref()),
            (Field::Street, "--street", street.as_deref()),
            (Field::Community, "--community", f.community.as_deref()),
            (Field::JoinedOn, "--joined-on", f.joined_on.as_deref()),
            (Field::Note, "--note", f.note.as_deref()),
            (
                Field::MembershipOrg,
                "--membership-org",
                f.membership_org.as_deref(),
            ),
            (
                Field::AttachedOrg,
                "--attached-org",
                f.attached_org.as_deref(),
            ),
        ],
        None,
        false,
    )?;
    ctx.note(t!("records.worker.added", name = name));
    Ok(())
}

/// The stored entry of a worker as the text of register cells (codes are accepted by
/// validation like labels).
struct Current {
    id: i64,
    row: WorkerRow,
}

impl Current {
    fn find(ctx: &Ctx, worker: &str) -> Result<Self> {
        let db = ctx.open()?;
        let (id, _) = super::find_worker(ctx, &db, worker)?;
        Ok(Self {
            id,
            row: worker_row(&db, id)?,
        })
    }
}

impl UpdateArgs {
    /// True when no value to change was given.
    fn changes_nothing(&self) -> bool {
        let f = &self.fields;
        [
            &self.name,
            &self.phone,
            &self.id_number,
            &f.gender,
            &f.political_status,
            &f.occupation,
            &f.enterprise,
            &f.station,
            &f.street,
            &f.community,
            &f.joined_on,
            &f.note,
            &f.membership_org,
            &f.attached_org,
        ]
        .iter()
        .all(|v| v.is_none())
            && !self.no_station
    }
}

/// The register row `worker update` loads for the registered entry `r`: each value typed
/// replaces the registered one; `moved_to`, the street of a station typed without --street
/// (the worker's street follows their station). Each entry: the field, how messages name
/// it, the value.
fn updated_row(
    a: &UpdateArgs,
    r: &WorkerRow,
    moved_to: Option<&str>,
) -> Vec<(Field, String, Option<String>)> {
    let f = &a.fields;
    // A value typed is named by its flag in messages; one kept from the register by its
    // column (the user did not type it).
    let pick =
        |field: Field, flag: &'static str, given: &Option<String>, stored: Option<&String>| {
            match given {
                Some(v) => (field, flag.to_string(), Some(v.clone())),
                None => (field, registered_label(field), stored.cloned()),
            }
        };
    // A new street: the old community is not carried over (the loader drops it); the
    // station is kept unless it is not of the new street (then the row names the problem).
    let community = if f.street.is_some() || moved_to.is_some() {
        None
    } else {
        r.community.as_ref()
    };
    let street = match moved_to {
        Some(s) => (Field::Street, "--station".to_string(), Some(s.to_string())),
        None => pick(Field::Street, "--street", &f.street, Some(&r.street)),
    };
    let station = if a.no_station {
        (Field::Station, "--no-station".to_string(), None)
    } else {
        pick(Field::Station, "--station", &f.station, r.station.as_ref())
    };
    vec![
        pick(Field::Name, "--name", &a.name, Some(&r.name)),
        pick(Field::Phone, "--phone", &a.phone, r.phone.as_ref()),
        pick(
            Field::IdNumber,
            "--id-number",
            &a.id_number,
            r.id_number.as_ref(),
        ),
        pick(Field::Gender, "--gender", &f.gender, r.gender.as_ref()),
        pick(
            Field::PoliticalStatus,
            "--political-status",
            &f.political_status,
            r.political_status.as_ref(),
        ),
        pick(
            Field::Occupation,
            "--occupation",
            &f.occupation,
            Some(&r.occupation),
        ),
        pick(
            Field::Enterprise,
            "--enterprise",
            &f.enterprise,
            r.enterprise.as_ref(),
        ),
        station,
        street,
        pick(Field::Community, "--community", &f.community, community),
        pick(
            Field::JoinedOn,
            "--joined-on",
            &f.joined_on,
            r.joined_on.as_ref(),
        ),
        (
            Field::LeftOn,
            registered_label(Field::LeftOn),
            r.left_on.clone(),
        ),
        pick(Field::Note, "--note", &f.note, r.note.as_ref()),
        (
            Field::MembershipOrg,
            "--membership-org".to_string(),
            f.membership_org.clone(),
        ),
        (
            Field::AttachedOrg,
            "--attached-org".to_string(),
            f.attached_org.clone(),
        ),
    ]
}

fn update(ctx: &Ctx, a: UpdateArgs) -> Result<()> {
    if a.changes_nothing() {
        return Err(UsageError(t!("records.worker.update_nothing_given").into_owned()).into());
    }
    let cur = Current::find(ctx, &a.worker)?;
    // A station typed without --street: the worker's street follows it.
    let moved_to = match (&a.fields.station, &a.fields.street) {
        (Some(station), None) => {
            workers::station_street(&ctx.open()?, cur.id, station)?.filter(|s| *s != cur.row.street)
        }
        _ => None,
    };
    let row = updated_row(&a, &cur.row, moved_to.as_deref());
    let values: Vec<(Field, &str, Option<&str>)> = row
        .iter()
        .map(|(f, l, v)| (*f, l.as_str(), v.as_deref()))
        .collect();
    let (outcome, _, name) = load(ctx, "worker update", &values, Some(cur.id), a.no_station)?;
    if let Some(street) = &moved_to {
        ctx.note(t!(
            "coherence.street.moved_with_station",
            name = name,
            street = street,
            old = cur.row.street
        ));
    }
    match outcome {
        Outcome::Unchanged => ctx.note(t!("records.unchanged", name = name)),
        _ => ctx.note(t!("records.worker.updated", name = name)),
    }
    Ok(())
}

fn leave(ctx: &Ctx, a: LeaveArgs) -> Result<()> {
    if a.date.as_deref().is_some_and(|d| d.trim().is_empty()) {
        return Err(UsageError(t!("records.worker.leave_date_missing").into_owned()).into());
    }
    let cur = Current::find(ctx, &a.worker)?;
    let r = &cur.row;
    let date = a.date.clone().unwrap_or_else(|| today().to_string());
    let reg = registered_label;
    let (outcome, _, name) = load(
        ctx,
        "worker leave",
        &[
            (Field::Name, &reg(Field::Name), Some(&r.name)),
            (Field::Phone, &reg(Field::Phone), r.phone.as_deref()),
            (
                Field::IdNumber,
                &reg(Field::IdNumber),
                r.id_number.as_deref(),
            ),
            (Field::Gender, &reg(Field::Gender), r.gender.as_deref()),
            (
                Field::PoliticalStatus,
                &reg(Field::PoliticalStatus),
                r.political_status.as_deref(),
            ),
            (
                Field::Occupation,
                &reg(Field::Occupation),
                Some(&r.occupation),
            ),
            (
                Field::Enterprise,
                &reg(Field::Enterprise),
                r.enterprise.as_deref(),
            ),
            (Field::Station, &reg(Field::Station), r.station.as_deref()),
            (Field::Street, &reg(Field::Street), Some(&r.street)),
            (
                Field::Community,
                &reg(Field::Community),
                r.community.as_deref(),
            ),
            (
                Field::JoinedOn,
                &reg(Field::JoinedOn),
                r.joined_on.as_deref(),
            ),
            (Field::LeftOn, "--date", Some(&date)),
            (Field::Note, &reg(Field::Note), r.note.as_deref()),
        ],
        Some(cur.id),
        false,
    )?;
    match (outcome, &r.left_on) {
        (Outcome::Unchanged, _) => {
            ctx.note(t!("records.worker.left_already", name = name, date = date))
        }
        (_, Some(before)) => ctx.note(t!(
            "records.worker.left_corrected",
            name = name,
            before = before,
            date = date
        )),
        (_, None) => ctx.note(t!("records.worker.left", name = name, date = date)),
    }
    Ok(())
}

/// How messages name a value kept from the register (not typed): its column, marked.
fn registered_label(field: Field) -> String {
    let column = match field {
        Field::Name => "姓名",
        Field::Phone => "手机号",
        Field::IdNumber => "身份证号",
        Field::Gender => "性别",
        Field::PoliticalStatus => "政治面貌",
        Field::Occupation => "从业类型",
        Field::Enterprise => "所属企业",
        Field::Station => "所属站点",
        Field::Street => "所属街道",
        Field::Community => "所属社区",
        Field::JoinedOn => "入职日期",
        Field::LeftOn => "离职日期",
        Field::Note => "备注",
        _ => "",
    };
    t!("records.worker.registered_column", column = column)
        .trim_start()
        .to_string()
}

/// Clears the 离职日期 of every worker named, in one transaction: each is found first, so that
/// one not found changes nobody.
fn rejoin(ctx: &Ctx, a: RejoinArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let mut found: Vec<(i64, String)> = Vec::new();
    for typed in &a.workers {
        let (id, name) = super::find_departed_worker(ctx, &db, typed)?;
        if !found.iter().any(|(f, _)| *f == id) {
            found.push((id, name));
        }
    }
    let tx = db.begin_write()?;
    let mut done = Vec::new();
    for (id, name) in found {
        done.push((name, workers::rejoin(&tx, id, "worker rejoin")?));
    }
    tx.commit()?;
    for (name, left) in done {
        match left {
            Some(l) => ctx.note(t!("records.worker.rejoined", name = name, left_on = l)),
            None => ctx.note(t!("records.worker.rejoin_not_left", name = name)),
        }
    }
    Ok(())
}
