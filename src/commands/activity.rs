//! `nuanfeng activity …`: 关爱活动 (care activities held for the workers) typed at the
//! terminal, the list and one activity in detail. An activity typed here goes through the
//! validation and the look-ups of an imported row.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::{OutputArgs, PeriodArgs};
use super::{Ctx, UsageError, shown_id, shown_phone, street_filter, typed_errors, typed_row};
use crate::db::activities::{self, ActivityResolver, ActivityRow, ActivityWriter};
use crate::import::validate::{self, Cells};
use crate::model::{CareKind, Field, OrganizerKind, Vocabulary, today};
use crate::report::render::{Table, or_dash};

/// Care-activity commands.
#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// Record one 关爱活动 with the workers who took part and the gifts handed out
    #[command(after_long_help = "Examples:
  nuanfeng activity add --kind 送清凉 --title 夏日送清凉 --date 2025-07-16 --street 柳巷 \\
      --station 柳巷暖蜂驿站 --worker 15935170288 --worker 贺新宇 --unnamed 30 --gift 绿豆汤礼包=50
  nuanfeng activity add --kind 法律援助 --title 劳动权益法律咨询 --street 庙前 \\
      --organizer 山西晋阳律师事务所 --worker 140106199001011234

--kind is one of 困难帮扶, 法律援助, 心理咨询, 联谊交友, 子女托管, 送清凉/送温暖, 健康体检,
技能培训, 其他 (or a code: hardship_aid, legal_aid, counseling, social, childcare,
seasonal_care, health_check, skills_training, other). --worker names a worker by 手机号,
身份证号 or a 姓名 no other worker has; give it once per worker (a worker given twice counts
once). Every worker must be at work on the day (on or after 入职日期, not after 离职日期).
--unnamed counts the people taking part who are not named. --station is a 暖蜂驿站 of the
street (the street is the station's when --street is left out). --organizer-kind is 街道,
社区, 行业党委, 合作单位 or 其他; without it a name with 街道, 社区 or 行业党委 in it says
which, any other name is a partner (linked to the 爱心商家 of that name when recorded), and
no --organizer is the street. An activity is one day, street and title: one already
recorded is refused.")]
    Add(AddArgs),
    /// List 关爱活动
    #[command(after_long_help = "Examples:
  nuanfeng activity list --month 2025-07
  nuanfeng activity list --street 柳巷 --kind 送清凉 --year 2025
  nuanfeng activity list --quarter 2025Q3 --format csv > 关爱活动.csv

The period is --month, --quarter, --year, or --from/--to (--to needs --from, and defaults
to today), as in the reports; without one every activity is listed.

JSON: an array of {id, date, kind, title, street, community, station, organizer_kind,
organizer, merchant_id, named, unnamed, participants, gifts [{item, quantity}], note};
kind and organizer_kind are codes; participants = named + unnamed (person-times).")]
    List(ListArgs),
    /// Show one 关爱活动 with the workers who took part
    #[command(after_long_help = "Examples:
  nuanfeng activity show 3
  nuanfeng activity show 3 --format json --show-pii

JSON: {id, date, kind, title, street, community, station, organizer_kind, organizer,
merchant_id, named, unnamed, participants, gifts [{item, quantity}], note, workers [{id, name,
phone, id_number}]}; numbers masked unless --show-pii.")]
    Show(ShowArgs),
    /// Delete one 关爱活动 recorded by mistake, with its participants and gifts
    #[command(after_long_help = "Examples:
  nuanfeng activity delete 5 --dry-run
  nuanfeng activity delete 5

Deletes the activity with the workers who took part and the items handed out, and prints
what was deleted; every count of it in the reports (past months too) goes with it. To
correct an activity's date, street or title, delete it and record it again (or import
the corrected register). --dry-run prints what would be deleted and changes nothing.")]
    Delete(DeleteArgs),
}

/// `activity add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 活动类型: 困难帮扶, 法律援助, 心理咨询, 联谊交友, 子女托管, 送清凉/送温暖, 健康体检, 技能培训, 其他
    #[arg(long)]
    pub kind: String,
    /// 活动名称, e.g. 夏日送清凉
    #[arg(long)]
    pub title: String,
    /// 活动日期 [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// 街道 [default: the station's]
    #[arg(long)]
    pub street: Option<String>,
    /// 社区
    #[arg(long)]
    pub community: Option<String>,
    /// 地点: a 暖蜂驿站 of the street
    #[arg(long)]
    pub station: Option<String>,
    /// 组织单位 (a name)
    #[arg(long)]
    pub organizer: Option<String>,
    /// 组织单位类型: 街道, 社区, 行业党委, 合作单位, 其他
    #[arg(long)]
    pub organizer_kind: Option<String>,
    /// A worker who took part: 手机号, 身份证号 or 姓名 (repeat for each)
    #[arg(long = "worker", value_name = "WORKER")]
    pub workers: Vec<String>,
    /// People who took part, not named
    #[arg(long, allow_hyphen_values = true, value_name = "N")]
    pub unnamed: Option<String>,
    /// An item handed out and how many: 绿豆汤礼包=50 (repeat for each item)
    #[arg(long = "gift", value_name = "ITEM=N", allow_hyphen_values = true)]
    pub gifts: Vec<String>,
    /// 备注
    #[arg(long)]
    pub note: Option<String>,
}

/// `activity list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only activities in this street
    #[arg(long)]
    pub street: Option<String>,
    /// Only activities of this kind (困难帮扶, 法律援助 … or a code)
    #[arg(long)]
    pub kind: Option<String>,
    /// The period: only activities dated inside it.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `activity show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The activity's number (as `activity list` shows it)
    pub id: i64,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `activity delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The activity's number (as `activity list` shows it)
    pub id: i64,
    /// Print what would be deleted; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// An item handed out, in JSON.
#[derive(Debug, Serialize)]
pub struct GiftJson {
    /// The item.
    pub item: String,
    /// How many.
    pub quantity: i64,
}

/// One activity in `activity list --format json`.
#[derive(Debug, Serialize)]
pub struct ActivityJson {
    /// Row id.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Kind code (`seasonal_care` …).
    pub kind: String,
    /// 活动名称.
    pub title: String,
    /// Street.
    pub street: String,
    /// Community.
    pub community: Option<String>,
    /// 暖蜂驿站.
    pub station: Option<String>,
    /// Organizer kind code.
    pub organizer_kind: String,
    /// Organizer name ('' when none was written).
    pub organizer: String,
    /// The partner merchant, when recorded.
    pub merchant_id: Option<i64>,
    /// Named workers.
    pub named: i64,
    /// People not named.
    pub unnamed: i64,
    /// Person-times: named + unnamed.
    pub participants: i64,
    /// Items handed out.
    pub gifts: Vec<GiftJson>,
    /// 备注.
    pub note: String,
}

impl From<ActivityRow> for ActivityJson {
    fn from(r: ActivityRow) -> Self {
        Self {
            id: r.id,
            date: r.date,
            kind: r.kind,
            title: r.title,
            street: r.street,
            community: r.community,
            station: r.station,
            organizer_kind: r.organizer_kind,
            organizer: r.organizer,
            merchant_id: r.merchant_id,
            named: r.named,
            unnamed: r.unnamed,
            participants: r.named + r.unnamed,
            gifts: r
                .gifts
                .into_iter()
                .map(|(item, quantity)| GiftJson { item, quantity })
                .collect(),
            note: r.note,
        }
    }
}

/// A worker who took part, in `activity show --format json`.
#[derive(Debug, Serialize)]
pub struct WorkerJson {
    /// Worker row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// 手机号 (masked unless `--show-pii`).
    pub phone: Option<String>,
    /// 身份证号 (masked unless `--show-pii`).
    pub id_number: Option<String>,
}

/// One activity in `activity show --format json`.
#[derive(Debug, Serialize)]
pub struct ShowJson {
    /// The activity.
    #[serde(flatten)]
    pub activity: ActivityJson,
    /// The workers who took part.
    pub workers: Vec<WorkerJson>,
}

/// Runs a care-activity command.
pub fn run(ctx: &Ctx, cmd: ActivityCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ActivityCommand::Add(a) => add(ctx, &a),
        ActivityCommand::List(a) => list(ctx, &a, out),
        ActivityCommand::Show(a) => show(ctx, &a, out),
        ActivityCommand::Delete(a) => delete(ctx, &a),
    }
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let date = a.date.clone().unwrap_or_else(|| today().to_string());
    let workers = a.workers.join("、");
    let gifts = a.gifts.join("、");
    let (map, row) = typed_row(&[
        (Field::CareKind, "--kind", Some(&a.kind)),
        (Field::Activity, "--title", Some(&a.title)),
        (Field::Date, "--date", Some(&date)),
        (Field::Street, "--street", a.street.as_deref()),
        (Field::Community, "--community", a.community.as_deref()),
        (Field::Venue, "--station", a.station.as_deref()),
        (Field::Organizer, "--organizer", a.organizer.as_deref()),
        (
            Field::OrganizerKind,
            "--organizer-kind",
            a.organizer_kind.as_deref(),
        ),
        (Field::Participants, "--worker", Some(&workers)),
        (Field::Unnamed, "--unnamed", a.unnamed.as_deref()),
        (Field::Gifts, "--gift", Some(&gifts)),
        (Field::Note, "--note", a.note.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::activity(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let notes: Vec<String>;
    let (id, resolved) = {
        let mut resolver = ActivityResolver::load(&tx)?;
        let resolved = resolver.activity(rec).map_err(|e| typed_errors(&map, &e))?;
        let mut writer = ActivityWriter::new(&tx, None)?;
        let (_, id) = writer
            .store_activity(&resolved, 0)
            .map_err(|e| super::stored_errors(&map, e))?;
        notes = writer.noted().iter().map(|(_, n)| n.clone()).collect();
        (id, resolved)
    };
    let street = crate::db::places::street_name(&tx, resolved.street)?;
    tx.commit()?;
    let r = &resolved.record;
    ctx.note(t!(
        "records.activity.added",
        id = id,
        kind = r.kind.text(ctx.lang),
        title = r.title,
        date = r.date,
        street = street,
        named = resolved.workers.len(),
        unnamed = resolved.unnamed
    ));
    for n in notes {
        ctx.note(t!("records.activity.note", note = n));
    }
    Ok(())
}

fn delete(ctx: &Ctx, a: &DeleteArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let Some(row) = activities::delete(&tx, a.id)? else {
        anyhow::bail!("{}", t!("records.activity.unknown", id = a.id));
    };
    let key = if a.dry_run {
        "records.activity.would_delete"
    } else {
        tx.commit()?;
        "records.activity.deleted"
    };
    let gifts: i64 = row.gifts.iter().map(|(_, n)| n).sum();
    ctx.note(t!(
        key,
        id = row.id,
        kind = CareKind::text_of(&row.kind, ctx.lang),
        title = row.title,
        date = row.date,
        street = row.street,
        named = row.named,
        unnamed = row.unnamed,
        gifts = gifts
    ));
    Ok(())
}

/// Items handed out as a cell: `绿豆汤礼包×50、冰糖×20`.
fn gifts_cell(gifts: &[GiftJson]) -> String {
    gifts
        .iter()
        .map(|g| format!("{}×{}", g.item, g.quantity))
        .collect::<Vec<_>>()
        .join("、")
}

/// The organizer's name: the name written, else the street's (organized by the street) or
/// the community's (by the community, when one is recorded); `None` otherwise.
fn organizer_name(j: &ActivityJson) -> Option<String> {
    if !j.organizer.is_empty() {
        return Some(j.organizer.clone());
    }
    match OrganizerKind::from_code(&j.organizer_kind) {
        Some(OrganizerKind::Street) => Some(j.street.clone()),
        Some(OrganizerKind::Community) => j.community.clone(),
        _ => None,
    }
}

/// The organizer with its kind: `柳巷街道（街道）`; the kind's label alone when there is no
/// name.
fn organizer_with_kind(j: &ActivityJson, ctx: &Ctx) -> String {
    let kind = OrganizerKind::text_of(&j.organizer_kind, ctx.lang);
    match organizer_name(j) {
        Some(name) => t!("records.activity.organizer_cell", name = name, kind = kind).into_owned(),
        None => kind,
    }
}

/// The organizer as a list cell: the name written; without one, the street or community
/// with its kind (see [`organizer_with_kind`]).
fn organizer_cell(j: &ActivityJson, ctx: &Ctx) -> String {
    if j.organizer.is_empty() {
        organizer_with_kind(j, ctx)
    } else {
        j.organizer.clone()
    }
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let p = a.period.period()?;
    let kind = match &a.kind {
        None => None,
        Some(k) => Some(
            CareKind::parse(&crate::model::normalize::folded(k))
                .ok_or_else(|| UsageError(format!("--kind {k}: {}", CareKind::unknown())))?,
        ),
    };
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = activities::activities(&db, street, kind.map(|k| k.code()), p.as_ref())?;
    let json: Vec<ActivityJson> = rows.into_iter().map(ActivityJson::from).collect();
    let mut t = Table::new(
        &[
            &t!("records.col.id"),
            &t!("records.col.date"),
            &t!("records.activity.col.kind"),
            &t!("records.activity.col.title"),
            &t!("records.col.in_street"),
            &t!("records.activity.col.place"),
            &t!("records.activity.col.organizer"),
            &t!("records.activity.col.named"),
            &t!("records.activity.col.unnamed"),
            &t!("records.activity.col.gifts"),
        ],
        &[
            true, false, false, false, false, false, false, true, true, false,
        ],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.date.clone(),
            CareKind::text_of(&j.kind, ctx.lang),
            j.title.clone(),
            j.street.clone(),
            or_dash(j.station.as_deref().or(j.community.as_deref())),
            organizer_cell(j, ctx),
            j.named.to_string(),
            j.unnamed.to_string(),
            or_dash(
                Some(gifts_cell(&j.gifts))
                    .as_deref()
                    .filter(|s| !s.is_empty()),
            ),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let people: i64 = json.iter().map(|j| j.participants).sum();
    ctx.note(t!(
        "records.activity.total",
        n = json.len(),
        people = people
    ));
    Ok(())
}

fn show(ctx: &Ctx, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let Some((row, people)) = activities::activity(&db, a.id)? else {
        anyhow::bail!("{}", t!("records.activity.unknown", id = a.id));
    };
    let pii = a.output.show_pii;
    let activity = ActivityJson::from(row);
    let workers: Vec<WorkerJson> = people
        .into_iter()
        .map(|p| WorkerJson {
            id: p.id,
            name: p.name,
            phone: shown_phone(p.phone.as_deref(), pii),
            id_number: shown_id(p.id_number.as_deref(), pii),
        })
        .collect();
    let mut t = Table::new(
        &[&t!("records.col.field"), &t!("records.col.value")],
        &[false, false],
    );
    let j = &activity;
    let line = |label: String, value: String| vec![label, value];
    let names = workers
        .iter()
        .map(|w| match w.phone.as_deref().or(w.id_number.as_deref()) {
            Some(n) => format!("{}({n})", w.name),
            None => w.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("、");
    t.rows = vec![
        line(t!("records.col.id").into_owned(), j.id.to_string()),
        line(t!("records.col.date").into_owned(), j.date.clone()),
        line(
            t!("records.activity.col.kind").into_owned(),
            CareKind::text_of(&j.kind, ctx.lang),
        ),
        line(
            t!("records.activity.col.title").into_owned(),
            j.title.clone(),
        ),
        line(t!("records.col.in_street").into_owned(), j.street.clone()),
        line(
            t!("records.col.in_community").into_owned(),
            or_dash(j.community.as_deref()),
        ),
        line(
            t!("records.activity.col.station").into_owned(),
            or_dash(j.station.as_deref()),
        ),
        line(
            t!("records.activity.col.organizer").into_owned(),
            organizer_with_kind(j, ctx),
        ),
        line(
            t!("records.activity.col.workers").into_owned(),
            or_dash(Some(names.as_str()).filter(|s| !s.is_empty())),
        ),
        line(
            t!("records.activity.col.unnamed").into_owned(),
            j.unnamed.to_string(),
        ),
        line(
            t!("records.activity.col.participants").into_owned(),
            j.participants.to_string(),
        ),
        line(
            t!("records.activity.col.gifts").into_owned(),
            or_dash(
                Some(gifts_cell(&j.gifts))
                    .as_deref()
                    .filter(|s| !s.is_empty()),
            ),
        ),
        line(
            t!("records.activity.col.note").into_owned(),
            or_dash(Some(j.note.as_str()).filter(|s| !s.is_empty())),
        ),
    ];
    let json = ShowJson { activity, workers };
    a.output.emit(out, &json, &t)?;
    Ok(())
}
