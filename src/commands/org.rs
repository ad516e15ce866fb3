//! `nuanfeng org …`: party organizations (党组织) — 行业党委, 党支部, 联合党支部, 功能型党支部 —
//! and the stations each covers (组织覆盖). Coverage is dated: a station is covered by one
//! organization at a time, and moving it to another ends the old coverage the day before the
//! new one begins, so a report on any day counts the organization that covered it that day.
//! Typed values go through exactly the validation of a row of an `orgs` register.

use std::io::Write;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::OutputArgs;
use super::{Ctx, UsageError, day_flag, stored_errors, street_filter, typed_errors, typed_row};
use crate::db::changes::Change;
use crate::db::changes::Origin;
use crate::db::orgs::{self, CoverError, CoverageSpan, Covered, CoveredStation, OrgLoader, OrgRow};
use crate::db::stations::{self, find_station};
use crate::i18n::Lang;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::OrgRecord;
use crate::model::Outcome;
use crate::model::normalize;
use crate::model::today;
use crate::model::{PartyOrgKind, StationKind, Vocabulary};
use crate::report::render::{Format, Table, or_dash, render};

/// Party organization commands.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Register a party organization, optionally with the stations it covers
    #[command(after_long_help = "Examples:
  nuanfeng org add --name 迎泽区快递物流行业党委 --kind 行业党委 --founded-on 2021-06-18 --secretary 韩卫东
  nuanfeng org add --name 柳巷街道快递物流联合党支部 --kind 联合党支部 \\
      --parent 迎泽区快递物流行业党委 --street 柳巷街道 --founded-on 2022-03-15 --secretary 王建华 \\
      --cover 中通快递柳巷网点 圆通速递柳巷网点 韵达快递柳巷网点

Same rules as a row of an orgs register (nuanfeng template orgs). --kind accepts 行业党委,
党支部, 联合党支部, 功能型党支部 and their usual names; --parent must be registered. The
stations of --cover are found in the organization's street first, and are covered from
--founded-on (else from today); a station another organization covers moves, and the message
says from which. An organization already registered is refused: use org update.")]
    Add(AddArgs),
    /// Change an organization's entry: the values given replace the registered ones
    #[command(after_long_help = "Examples:
  nuanfeng org update 柳巷街道快递物流联合党支部 --secretary 李明
  nuanfeng org update 顺丰速运迎泽区党支部 --parent 迎泽区快递物流行业党委 --kind 党支部

Values not given stay as they are; the name identifies the organization and is not changed
here. A --parent that would put the organization under itself (directly or further down) is
refused. Every change is kept in the history (org show). Stations: org cover, org uncover.")]
    Update(UpdateArgs),
    /// List party organizations, each followed by those under it
    #[command(after_long_help = "Examples:
  nuanfeng org list
  nuanfeng org list --street 柳巷街道 --format json

The table shows 名称, 类型, 上级党组织, 所属街道, 成立日期, 书记 and 覆盖站点数 (the stations covered
today).

JSON: an array of {id, name, kind, parent, street, founded_on, secretary, stations, workers,
children}; kind is industry_committee, branch, joint_branch or functional_branch; parent and
street are names or null; founded_on is YYYY-MM-DD or null; stations is the array of the names
of the stations covered now; workers counts the registered workers of those stations who have
not left (the organization's own stations, not those of the organizations under it);
children is the array of the names of the organizations directly under it.")]
    List(ListArgs),
    /// One organization: its entry, the stations it covers and the history of every change
    #[command(after_long_help = "Examples:
  nuanfeng org show 柳巷街道快递物流联合党支部
  nuanfeng org show 柳巷街道快递物流联合党支部 --format json

JSON: {org: {…as in org list…}, stations: [{name, kind, street, from_on, workers}] (covered
now), coverage: [{station, from_on, until_on}] (every coverage, ended ones with their last
day), history: [{at, field, old, new, command, file, operator}]}. History fields: * (the
registration), kind, parent, street, founded_on, secretary, cover (a coverage begun: new is
\"STATION from DAY\"; ended: new is \"STATION from DAY until LAST\").")]
    Show(ShowArgs),
    /// Make an organization cover stations from a day (a station covered by another one moves)
    #[command(after_long_help = "Examples:
  nuanfeng org cover 柳巷街道快递物流联合党支部 美团柳巷站 饿了么柳巷站 --date 2025-07-16
  nuanfeng org cover 中国邮政迎泽区党支部 中国邮政郝庄揽投部 --street 郝庄镇

Each station prints one line: \"STATION: covered by ORG from DAY\", or \"STATION: moved from
A to ORG on DAY\" when A covered it — A's coverage then ends the day before. Covering a
station the organization covers already changes nothing. Refused: a day before the current
coverage began, a day inside an earlier coverage, a day before the organization was founded.
Stations are found in --street, else in the organization's street, else by name alone.
Every station is covered, or none when one of them is refused.")]
    Cover(CoverArgs),
    /// End the coverage of a station (--date is the last day covered)
    #[command(after_long_help = "Examples:
  nuanfeng org uncover 美团柳巷站 --date 2025-07-31
  nuanfeng org uncover 菜鸟驿站 --street 郝庄镇

The station stays in the history of the organization that covered it; from the day after
--date it is covered by none until an org cover.")]
    Uncover(UncoverArgs),
}

/// The register fields an org command may set, as flags.
#[derive(Debug, Args, Default)]
pub struct OrgFields {
    /// 类型: 行业党委, 党支部, 联合党支部, 功能型党支部 (and their usual names)
    #[arg(long)]
    pub kind: Option<String>,
    /// 上级党组织: the name of a registered organization
    #[arg(long)]
    pub parent: Option<String>,
    /// 所属街道
    #[arg(long)]
    pub street: Option<String>,
    /// 成立日期
    #[arg(long, value_name = "DATE")]
    pub founded_on: Option<String>,
    /// 书记
    #[arg(long)]
    pub secretary: Option<String>,
}

/// `org add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 党组织名称
    #[arg(long)]
    pub name: String,
    /// The other fields.
    #[command(flatten)]
    pub fields: OrgFields,
    /// 覆盖站点: one or more station names
    #[arg(long = "cover", value_name = "STATION", num_args = 1..)]
    pub cover: Vec<String>,
}

/// `org update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// 党组织名称
    pub org: String,
    /// The fields to change.
    #[command(flatten)]
    pub fields: OrgFields,
}

/// `org list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only organizations of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `org show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// 党组织名称
    pub org: String,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `org cover`.
#[derive(Debug, Args)]
pub struct CoverArgs {
    /// 党组织名称
    pub org: String,
    /// Station names
    #[arg(required = true, value_name = "STATION")]
    pub stations: Vec<String>,
    /// The first day covered [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The stations' street [default: the organization's]
    #[arg(long)]
    pub street: Option<String>,
}

/// `org uncover`.
#[derive(Debug, Args)]
pub struct UncoverArgs {
    /// 站点名称
    pub station: String,
    /// The last day covered [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The station's street, when several streets have a station of that name
    #[arg(long)]
    pub street: Option<String>,
}

/// One organization in `org list --format json`.
#[derive(Debug, Serialize)]
pub struct OrgJson {
    /// Row id.
    pub id: i64,
    /// 名称.
    pub name: String,
    /// Kind code: `industry_committee`, `branch`, `joint_branch`, `functional_branch`.
    pub kind: String,
    /// 上级党组织.
    pub parent: Option<String>,
    /// 所属街道.
    pub street: Option<String>,
    /// 成立日期.
    pub founded_on: Option<String>,
    /// 书记.
    pub secretary: Option<String>,
    /// Names of the stations covered now.
    pub stations: Vec<String>,
    /// Registered workers who have not left, at the stations covered now.
    pub workers: i64,
    /// Names of the organizations directly under it.
    pub children: Vec<String>,
}

impl OrgJson {
    fn new(r: &OrgRow) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            kind: r.kind.clone(),
            parent: r.parent.clone(),
            street: r.street.clone(),
            founded_on: r.founded_on.clone(),
            secretary: r.secretary.clone(),
            stations: r.stations.iter().map(|s| s.name.clone()).collect(),
            workers: r.workers,
            children: r.children.clone(),
        }
    }

    fn kind_label(&self) -> String {
        kind_label(&self.kind)
    }
}

/// `org show --format json`.
#[derive(Debug, Serialize)]
pub struct OrgShowJson {
    /// The register entry.
    pub org: OrgJson,
    /// The stations covered now, with the first day of their coverage.
    pub stations: Vec<CoveredStation>,
    /// Every coverage, current and ended.
    pub coverage: Vec<CoverageSpan>,
    /// Every change, oldest first.
    pub history: Vec<Change>,
}

/// Runs an org command.
pub fn run(ctx: &Ctx, cmd: OrgCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        OrgCommand::Add(a) => add(ctx, &a),
        OrgCommand::Update(a) => update(ctx, &a),
        OrgCommand::List(a) => list(ctx, &a, out),
        OrgCommand::Show(a) => a.output.text(out, |out| show(ctx, &a, out)),
        OrgCommand::Cover(a) => cover(ctx, &a),
        OrgCommand::Uncover(a) => uncover(ctx, &a),
    }
}

/// The type of a party organization as a person reads it in the language in use.
fn kind_label(code: &str) -> String {
    PartyOrgKind::from_code(code).map_or(code.to_string(), |k| k.text(Lang::current()))
}

/// What covering a station did, as a message line.
fn cover_note(station: &str, org: &str, from: chrono::NaiveDate, effect: &Covered) -> String {
    match effect {
        Covered::New => t!(
            "records.org.covered",
            station = station,
            org = org,
            from = from
        ),
        Covered::Already { since } => t!(
            "records.org.covered_already",
            station = station,
            org = org,
            since = since
        ),
        Covered::Moved { from: other } => t!(
            "records.org.moved",
            station = station,
            other = other,
            org = org,
            from = from
        ),
        Covered::StartCorrected { before } => t!(
            "records.org.cover_start_corrected",
            station = station,
            org = org,
            from = from,
            before = before
        ),
        Covered::Replaced { from: other } => t!(
            "records.org.replaced",
            station = station,
            other = other,
            org = org,
            from = from
        ),
    }
    .into_owned()
}

fn fields(f: &OrgFields) -> [(Field, &'static str, Option<&str>); 5] {
    [
        (Field::OrgKind, "--kind", f.kind.as_deref()),
        (Field::Parent, "--parent", f.parent.as_deref()),
        (Field::Street, "--street", f.street.as_deref()),
        (Field::FoundedOn, "--founded-on", f.founded_on.as_deref()),
        (Field::Secretary, "--secretary", f.secretary.as_deref()),
    ]
}

/// Validates flags as an orgs-register row and loads it. `adding`: refuse an organization
/// already registered.
fn load(
    ctx: &Ctx,
    command: &str,
    values: &[(Field, &str, Option<&str>)],
    adding: bool,
) -> Result<(OrgRecord, orgs::Loaded)> {
    let mut db = ctx.open()?;
    let (map, row) = typed_row(values);
    let mut c = Cells::new(&map, &row);
    let rec = validate::org(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    if adding && orgs::org_id(&tx, &rec.name)?.is_some() {
        bail!("{}", t!("records.org.registered_already", name = rec.name));
    }
    let loaded = OrgLoader::new(
        &tx,
        Origin {
            command: command.to_string(),
            batch: None,
        },
        today(),
    )?
    .load(&rec, 0)
    .map_err(|e| stored_errors(&map, e))?;
    tx.commit()?;
    Ok((rec, loaded))
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let stations = a.cover.join("、");
    let mut values = vec![(Field::OrgName, "--name", Some(a.name.as_str()))];
    values.extend(fields(&a.fields));
    values.push((Field::CoveredStations, "--cover", Some(&stations)));
    let (rec, loaded) = load(ctx, "org add", &values, true)?;
    let under = rec
        .parent
        .as_deref()
        .map(|p| t!("records.org.under", parent = p).into_owned())
        .unwrap_or_default();
    ctx.note(t!(
        "records.org.added",
        name = rec.name,
        kind = rec.kind.label(),
        under = under
    ));
    for (station, from, effect) in &loaded.covered {
        ctx.note(cover_note(station, &rec.name, *from, effect));
    }
    Ok(())
}

fn update(ctx: &Ctx, a: &UpdateArgs) -> Result<()> {
    let f = &a.fields;
    if fields(f).iter().all(|(_, _, v)| v.is_none()) {
        return Err(UsageError(t!("records.org.update_nothing_given").into_owned()).into());
    }
    let current = {
        let db = ctx.open()?;
        let (id, _) = orgs::find_org(&db, &a.org)?;
        orgs::orgs(&db, None, Some(id))?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("{}", t!("records.org.not_registered", name = a.org)))?
    };
    // The registered values, overlaid with those given.
    let stored = [
        Some(current.kind.as_str()),
        current.parent.as_deref(),
        current.street.as_deref(),
        current.founded_on.as_deref(),
        current.secretary.as_deref(),
    ];
    let mut values = vec![(Field::OrgName, "ORG", Some(current.name.as_str()))];
    values.extend(
        fields(f)
            .into_iter()
            .zip(stored)
            .map(|((field, flag, given), stored)| (field, flag, given.or(stored))),
    );
    let (rec, loaded) = load(ctx, "org update", &values, false)?;
    match loaded.outcome {
        Outcome::Unchanged => ctx.note(t!("records.unchanged", name = rec.name)),
        _ => ctx.note(t!("records.org.updated", name = rec.name)),
    }
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = orgs::orgs(&db, street, None)?;
    let json: Vec<OrgJson> = rows.iter().map(OrgJson::new).collect();
    let mut t = Table::new(
        &[
            &t!("records.col.org_name"),
            &t!("records.col.org_kind"),
            &t!("records.col.parent"),
            &t!("common.field.street"),
            &t!("records.col.founded_on"),
            &t!("records.col.secretary"),
            &t!("records.col.stations_covered"),
        ],
        &[false, false, false, false, false, false, true],
    );
    for j in &json {
        t.rows.push(vec![
            j.name.clone(),
            j.kind_label(),
            or_dash(j.parent.as_deref()),
            or_dash(j.street.as_deref()),
            or_dash(j.founded_on.as_deref()),
            or_dash(j.secretary.as_deref()),
            j.stations.len().to_string(),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let stations: usize = json.iter().map(|j| j.stations.len()).sum();
    ctx.note(t!(
        "records.org.total",
        orgs = if json.len() == 1 {
            t!("records.count.org_one")
        } else {
            t!("records.count.orgs", n = json.len())
        },
        stations = stations_covered(stations)
    ));
    Ok(())
}

/// The header of a logged organization field, in the language in use.
fn field_label(code: &str) -> String {
    match code {
        "*" => t!("common.field.registered"),
        "kind" => t!("records.col.org_kind"),
        "parent" => t!("records.col.parent"),
        "street" => t!("common.field.street"),
        "founded_on" => t!("records.col.founded_on"),
        "secretary" => t!("records.col.secretary"),
        "cover" => t!("records.col.covered_station"),
        other => return other.to_string(),
    }
    .into_owned()
}

fn show(ctx: &Ctx, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let db = ctx.open()?;
    let (id, _) = orgs::find_org(&db, &a.org)?;
    let row = orgs::orgs(&db, None, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{}", t!("records.org.not_registered", name = a.org)))?;
    let json = OrgShowJson {
        org: OrgJson::new(&row),
        stations: row.stations.clone(),
        coverage: orgs::coverage_history(&db, id)?,
        history: crate::db::changes::history(&db, "org", id)?,
    };
    if a.output.format == Format::Json {
        return render(out, Format::Json, &json, &Table::new(&[], &[]));
    }
    let o = &json.org;
    let mut t = Table::new(&[&t!("records.col.field"), &t!("records.col.value")], &[]);
    for (k, v) in [
        (t!("records.col.org_name"), o.name.clone()),
        (t!("records.col.org_kind"), o.kind_label()),
        (t!("records.col.parent"), or_dash(o.parent.as_deref())),
        (
            t!("records.col.children"),
            o.children.join(&t!("model.list_separator")),
        ),
        (t!("common.field.street"), or_dash(o.street.as_deref())),
        (
            t!("records.col.founded_on"),
            or_dash(o.founded_on.as_deref()),
        ),
        (t!("records.col.secretary"), or_dash(o.secretary.as_deref())),
        (
            t!("records.col.stations_covered"),
            o.stations.len().to_string(),
        ),
        (t!("records.col.workers"), o.workers.to_string()),
    ] {
        t.rows.push(vec![k.into_owned(), v]);
    }
    render(out, a.output.format, &json, &t)?;
    let mut s = Table::new(
        &[
            &t!("records.col.covered_station"),
            &t!("common.field.station_kind"),
            &t!("common.field.street"),
            &t!("records.col.workers"),
            &t!("records.col.covered_since"),
        ],
        &[false, false, false, true, false],
    );
    for c in &json.stations {
        s.rows.push(vec![
            c.name.clone(),
            StationKind::from_code(&c.kind).map_or(c.kind.clone(), |k| k.text(Lang::current())),
            c.street.clone(),
            c.workers.to_string(),
            c.from_on.clone(),
        ]);
    }
    let mut h = super::worker::history_table();
    for c in &json.history {
        let value = |v: &Option<String>| match (c.field.as_str(), v) {
            ("kind", Some(k)) => kind_label(k),
            (_, v) => or_dash(v.as_deref()),
        };
        h.rows.push(vec![
            c.at.clone(),
            field_label(&c.field),
            value(&c.old),
            value(&c.new),
            match &c.file {
                Some(f) => format!("{} {f}", c.command),
                None => c.command.clone(),
            },
            c.operator.clone(),
        ]);
    }
    if !s.rows.is_empty() {
        writeln!(out)?;
        render(out, a.output.format, &json.stations, &s)?;
    }
    writeln!(out)?;
    render(out, a.output.format, &json.history, &h)?;
    ctx.note(t!(
        "records.org.show_total",
        stations = stations_covered(json.stations.len()),
        changes = super::worker::changes_count(json.history.len())
    ));
    Ok(())
}

/// `覆盖 3 个站点` / `3 stations covered`.
fn stations_covered(n: usize) -> String {
    if n == 1 {
        t!("records.count.station_covered_one").into_owned()
    } else {
        t!("records.count.stations_covered", n = n).into_owned()
    }
}

/// Finds the station typed as `typed` (in `street` first): its id, or what is wrong with the
/// name as a line to show (`station X: not in the stations register — did you mean Y?`).
///
/// Errors: the database failed.
fn station(
    conn: &rusqlite::Connection,
    typed: &str,
    street: Option<i64>,
) -> Result<Result<i64, String>> {
    let name = normalize::name(typed);
    Ok(match find_station(conn, &name, street) {
        Ok(id) => Ok(id),
        Err(e) => {
            Err(t!("records.station.named", name = name, problem = e.problem()?).into_owned())
        }
    })
}

fn cover(ctx: &Ctx, a: &CoverArgs) -> Result<()> {
    let from = day_flag("--date", a.date.as_deref())?;
    let mut db = ctx.open()?;
    let given_street = street_filter(&db, a.street.as_deref())?;
    let tx = db.begin_write()?;
    let (org, org_name) = orgs::find_org(&tx, &a.org)?;
    let street = match given_street {
        Some(s) => Some(s),
        None => orgs::org_street(&tx, org)?,
    };
    let founded = orgs::org_founded(&tx, org)?;
    let mut found: Vec<i64> = Vec::new();
    let mut problems = Vec::new();
    for typed in &a.stations {
        match station(&tx, typed, street)? {
            Ok(s) if found.contains(&s) => {}
            Ok(s) => match orgs::plan_cover(&tx, Some(org), founded, s, from) {
                Ok(_) => found.push(s),
                Err(CoverError::Refused(r)) => {
                    problems.push(
                        t!(
                            "records.station.named",
                            name = normalize::name(typed),
                            problem = r
                        )
                        .into_owned(),
                    );
                }
                Err(CoverError::Db(e)) => return Err(e.into()),
            },
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        bail!(
            "{}\n{}",
            problems.join("\n"),
            t!("records.org.nothing_covered")
        );
    }
    let origin = Origin {
        command: "org cover".into(),
        batch: None,
    };
    let mut notes = Vec::new();
    for s in found {
        let plan = match orgs::plan_cover(&tx, Some(org), founded, s, from) {
            Ok(plan) => plan,
            Err(CoverError::Refused(r)) => bail!("{r}"),
            Err(CoverError::Db(e)) => return Err(e.into()),
        };
        orgs::apply_cover(&tx, org, &plan, &origin)?;
        notes.push(cover_note(
            &plan.station_name,
            &org_name,
            from,
            &plan.effect,
        ));
    }
    tx.commit()?;
    for n in notes {
        ctx.note(n);
    }
    Ok(())
}

fn uncover(ctx: &Ctx, a: &UncoverArgs) -> Result<()> {
    let last = day_flag("--date", a.date.as_deref())?;
    let mut db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let tx = db.begin_write()?;
    let s = station(&tx, &a.station, street)?.map_err(anyhow::Error::msg)?;
    let (org, since) = orgs::uncover(
        &tx,
        s,
        last,
        &Origin {
            command: "org uncover".into(),
            batch: None,
        },
    )?;
    let name = stations::station_name(&tx, s)?;
    tx.commit()?;
    ctx.note(t!(
        "records.org.uncovered",
        station = name,
        org = org,
        since = since,
        last = last
    ));

    Ok(())
}
