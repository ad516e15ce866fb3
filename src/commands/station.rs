//! `nuanfeng station …`: the stations register — list, show with history, and upkeep at the
//! terminal (add, update) through exactly the validation of an imported row.

use std::io::Write;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::OutputArgs;
use super::{Ctx, UsageError, shown_phone, stored_errors, street_filter, typed_errors};
use crate::db::changes::Origin;
use crate::db::changes::{self, Change};
use crate::db::stations::{self, StationLoader, StationRow, find_station};
use crate::i18n::Lang;
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::normalize;
use crate::model::{StationKind, Vocabulary};
use crate::report::render::{Format, Table, or_dash, render};

/// Station commands.
#[derive(Debug, Subcommand)]
pub enum StationCommand {
    /// List stations (contact numbers masked unless --show-pii)
    #[command(after_long_help = "Examples:
  nuanfeng station list
  nuanfeng station list --street 郝庄镇 --format csv > 郝庄站点.csv

JSON: an array of {id, name, kind, enterprise, street, community, address, contact_name,
contact_phone, facilities, declared_workers, workers, instructor}; kind is courier_station,
logistics_firm, rider_hub or rest_station; facilities a list; workers counts the registered
workers of the station who have not left; instructor is the assigned 党建工作指导员 or null.")]
    List(ListArgs),
    /// One station: the register entry, its instructor and the history of every change
    #[command(after_long_help = "Examples:
  nuanfeng station show 美团柳巷站
  nuanfeng station show 菜鸟驿站 --street 郝庄镇      when several streets have one of that name

JSON: {station: {…as in station list…}, history: [{at, field, old, new, command, file,
operator}]}.")]
    Show(ShowArgs),
    /// Register one station (same rules as a row of the stations register)
    #[command(after_long_help = "Examples:
  nuanfeng station add --name 美团起凤街站 --kind 外卖员集合点 --street 柳巷街道 \\
      --enterprise 美团 --contact-name 胡斌 --contact-phone 15234018896
  nuanfeng station add --name 柳巷暖蜂驿站 --kind 暖蜂驿站 --street 柳巷 \\
      --facilities 饮水、充电、微波炉 --address 柳巷南路20号

A station is its name within its street; one already registered there is refused: use
station update.")]
    Add(AddArgs),
    /// Change a station's entry: the values given replace the registered ones
    #[command(after_long_help = "Examples:
  nuanfeng station update 美团柳巷站 --contact-name 王强 --contact-phone 0351-4021234
  nuanfeng station update 柳巷暖蜂驿站 --facilities 饮水、充电、药箱

Values not given stay as they are. Name and street identify a station and are not changed
here. Every change is kept in the history (station show).")]
    Update(UpdateArgs),
}

/// `station list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only stations of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `station show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// 站点名称
    pub station: String,
    /// The station's street, when several streets have a station of that name
    #[arg(long)]
    pub street: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The register fields a station command may set, as flags.
#[derive(Debug, Args, Default)]
pub struct StationFields {
    /// 站点类型: 快递站点, 物流企业, 外卖员集合点, 暖蜂驿站 (and their usual names)
    #[arg(long)]
    pub kind: Option<String>,
    /// 所属企业
    #[arg(long)]
    pub enterprise: Option<String>,
    /// 地址
    #[arg(long)]
    pub address: Option<String>,
    /// 所属社区
    #[arg(long)]
    pub community: Option<String>,
    /// 联系人
    #[arg(long)]
    pub contact_name: Option<String>,
    /// 联系电话: a mobile, a landline with its area code, or a 400/800 number
    #[arg(long)]
    pub contact_phone: Option<String>,
    /// 服务设施, separated by 、 or commas
    #[arg(long)]
    pub facilities: Option<String>,
    /// 从业人数 as the station states it
    #[arg(long, value_name = "N")]
    pub workers: Option<String>,
}

/// `station add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 站点名称
    #[arg(long)]
    pub name: String,
    /// 所属街道
    #[arg(long)]
    pub street: String,
    /// The other fields.
    #[command(flatten)]
    pub fields: StationFields,
}

/// `station update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// 站点名称
    pub station: String,
    /// The station's street, when several streets have a station of that name
    #[arg(long)]
    pub street: Option<String>,
    /// The fields to change.
    #[command(flatten)]
    pub fields: StationFields,
}

/// One station in `station list --format json`.
#[derive(Debug, Serialize)]
pub struct StationJson {
    /// Row id.
    pub id: i64,
    /// 站点名称.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// 所属企业.
    pub enterprise: Option<String>,
    /// 所属街道.
    pub street: String,
    /// 所属社区.
    pub community: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 联系人.
    pub contact_name: Option<String>,
    /// 联系电话 (masked unless `--show-pii`).
    pub contact_phone: Option<String>,
    /// 服务设施.
    pub facilities: Vec<String>,
    /// 从业人数 as the register states it.
    pub declared_workers: Option<i64>,
    /// Registered workers who have not left.
    pub workers: i64,
    /// The assigned 党建工作指导员.
    pub instructor: Option<String>,
}

impl StationJson {
    fn new(r: StationRow, pii: bool) -> Self {
        Self {
            contact_phone: shown_phone(r.contact_phone.as_deref(), pii),
            id: r.id,
            name: r.name,
            kind: r.kind,
            enterprise: r.enterprise,
            street: r.street,
            community: r.community,
            address: r.address,
            contact_name: r.contact_name,
            facilities: r.facilities,
            declared_workers: r.declared_workers,
            workers: r.workers,
            instructor: r.instructor,
        }
    }

    fn kind_label(&self) -> String {
        StationKind::from_code(&self.kind).map_or(self.kind.clone(), |k| k.text(Lang::current()))
    }
}

/// `station show --format json`.
#[derive(Debug, Serialize)]
pub struct StationShowJson {
    /// The register entry.
    pub station: StationJson,
    /// Every change, oldest first.
    pub history: Vec<Change>,
}

/// Runs a station command.
pub fn run(ctx: &Ctx, cmd: StationCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        StationCommand::List(a) => list(ctx, a, out),
        StationCommand::Show(a) => a.output.clone().text(out, |out| show(ctx, a, out)),
        StationCommand::Add(a) => add(ctx, a),
        StationCommand::Update(a) => update(ctx, a),
    }
}

fn list(ctx: &Ctx, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let json: Vec<StationJson> = stations::stations(&db, street, None)?
        .into_iter()
        .map(|r| StationJson::new(r, a.output.show_pii))
        .collect();
    let mut t = Table::new(
        &[
            &t!("records.col.station_name"),
            &t!("common.field.station_kind"),
            &t!("common.field.enterprise"),
            &t!("common.field.street"),
            &t!("common.field.community"),
            &t!("common.field.contact_name"),
            &t!("common.field.contact_phone"),
            &t!("common.field.facilities"),
            &t!("records.col.workers"),
            &t!("records.col.instructor"),
        ],
        &[
            false, false, false, false, false, false, false, false, true, false,
        ],
    );
    for j in &json {
        t.rows.push(vec![
            j.name.clone(),
            j.kind_label(),
            or_dash(j.enterprise.as_deref()),
            j.street.clone(),
            or_dash(j.community.as_deref()),
            or_dash(j.contact_name.as_deref()),
            or_dash(j.contact_phone.as_deref()),
            j.facilities.join(&t!("model.list_separator")),
            j.workers.to_string(),
            or_dash(j.instructor.as_deref()),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(if json.len() == 1 {
        t!("records.count.station_one")
    } else {
        t!("records.count.stations", n = json.len())
    });
    Ok(())
}

/// Finds a station by name (and street, when given: then only there).
fn find(db: &crate::db::Db, name: &str, street: Option<&str>) -> Result<StationRow> {
    let street_id = street_filter(db, street)?;
    let name = normalize::name(name);
    let id = match find_station(db, &name, street_id) {
        Ok(id) => id,
        Err(e) => bail!(
            "{}",
            t!("records.station.named", name = name, problem = e.problem()?)
        ),
    };
    let row = stations::stations(db, None, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{}", t!("records.station.not_in_register", name = name)))?;
    if let (Some(s), Some(given)) = (street_id, street)
        && stations::stations(db, Some(s), Some(id))?.is_empty()
    {
        bail!(
            "{}",
            t!(
                "records.station.other_street",
                name = name,
                given = given,
                street = row.street
            )
        );
    }
    Ok(row)
}

fn show(ctx: &Ctx, a: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let db = ctx.open()?;
    let row = find(&db, &a.station, a.street.as_deref())?;
    let history = changes::history(&db, "station", row.id)?;
    let json = StationShowJson {
        station: StationJson::new(row, a.output.show_pii),
        history,
    };
    if a.output.format == Format::Json {
        return render(out, Format::Json, &json, &Table::new(&[], &[]));
    }
    let s = &json.station;
    let mut t = Table::new(&[&t!("records.col.field"), &t!("records.col.value")], &[]);
    for (k, v) in [
        (t!("records.col.station_name"), s.name.clone()),
        (t!("common.field.station_kind"), s.kind_label()),
        (
            t!("common.field.enterprise"),
            or_dash(s.enterprise.as_deref()),
        ),
        (t!("common.field.street"), s.street.clone()),
        (
            t!("common.field.community"),
            or_dash(s.community.as_deref()),
        ),
        (t!("common.field.address"), or_dash(s.address.as_deref())),
        (
            t!("common.field.contact_name"),
            or_dash(s.contact_name.as_deref()),
        ),
        (
            t!("common.field.contact_phone"),
            or_dash(s.contact_phone.as_deref()),
        ),
        (
            t!("common.field.facilities"),
            s.facilities.join(&t!("model.list_separator")),
        ),
        (
            t!("records.col.declared_workers"),
            or_dash(s.declared_workers.map(|n| n.to_string()).as_deref()),
        ),
        (t!("records.col.registered_workers"), s.workers.to_string()),
        (
            t!("records.col.instructor"),
            or_dash(s.instructor.as_deref()),
        ),
    ] {
        t.rows.push(vec![k.into_owned(), v]);
    }
    render(out, a.output.format, &json, &t)?;
    if matches!(a.output.format, Format::Table | Format::Md) {
        let mut h = super::worker::history_table();
        for c in &json.history {
            h.rows.push(vec![
                c.at.clone(),
                changes::field_label(&c.field, Lang::current()),
                or_dash(c.old.as_deref()),
                or_dash(c.new.as_deref()),
                match &c.file {
                    Some(f) => format!("{} {f}", c.command),
                    None => c.command.clone(),
                },
                c.operator.clone(),
            ]);
        }
        writeln!(out)?;
        render(out, a.output.format, &json.history, &h)?;
    }
    ctx.note(super::worker::changes_count(json.history.len()));
    Ok(())
}

/// Validates flags as a stations-register row and loads it. `adding`: refuse a station
/// already registered.
fn load(
    ctx: &Ctx,
    command: &str,
    values: &[(Field, &str, Option<&str>)],
    adding: bool,
) -> Result<(Outcome, String)> {
    let mut db = ctx.open()?;
    let (map, row) = super::typed_row(values);
    let mut c = Cells::new(&map, &row);
    let rec = validate::station(&mut c);
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let outcome = {
        let mut loader = StationLoader::new(
            &tx,
            Origin {
                command: command.to_string(),
                batch: None,
            },
        )?;
        if adding
            && loader
                .existing(&rec.street, &rec.name)
                .map_err(|p| anyhow::anyhow!("--street {}: {p}", rec.street))?
                .is_some()
        {
            bail!(
                "{}",
                t!(
                    "records.station.registered_already",
                    name = rec.name,
                    street = rec.street
                )
            );
        }
        loader.load(&rec).map_err(|e| stored_errors(&map, e))?
    };
    tx.commit()?;
    Ok((outcome, rec.name))
}

fn fields(f: &StationFields) -> [(Field, &'static str, Option<&str>); 8] {
    [
        (Field::StationKind, "--kind", f.kind.as_deref()),
        (Field::Enterprise, "--enterprise", f.enterprise.as_deref()),
        (Field::Address, "--address", f.address.as_deref()),
        (Field::Community, "--community", f.community.as_deref()),
        (
            Field::ContactName,
            "--contact-name",
            f.contact_name.as_deref(),
        ),
        (
            Field::ContactPhone,
            "--contact-phone",
            f.contact_phone.as_deref(),
        ),
        (Field::Facilities, "--facilities", f.facilities.as_deref()),
        (Field::DeclaredWorkers, "--workers", f.workers.as_deref()),
    ]
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<()> {
    let mut values = vec![
        (Field::StationName, "--name", Some(a.name.as_str())),
        (Field::Street, "--street", Some(a.street.as_str())),
    ];
    values.extend(fields(&a.fields));
    let (_, name) = load(ctx, "station add", &values, true)?;
    ctx.note(t!("records.station.added", name = name));
    Ok(())
}

fn update(ctx: &Ctx, a: UpdateArgs) -> Result<()> {
    let f = &a.fields;
    if fields(f).iter().all(|(_, _, v)| v.is_none()) {
        return Err(UsageError(t!("records.station.update_nothing_given").into_owned()).into());
    }
    let current = {
        let db = ctx.open()?;
        find(&db, &a.station, a.street.as_deref())?
    };
    // The registered values, overlaid with those given. Facilities replace the list.
    let facilities = current.facilities.join("、");
    let declared = current.declared_workers.map(|n| n.to_string());
    let stored = [
        Some(current.kind.as_str()),
        current.enterprise.as_deref(),
        current.address.as_deref(),
        current.community.as_deref(),
        current.contact_name.as_deref(),
        current.contact_phone.as_deref(),
        (!facilities.is_empty()).then_some(facilities.as_str()),
        declared.as_deref(),
    ];
    let mut values = vec![
        (Field::StationName, "STATION", Some(current.name.as_str())),
        (Field::Street, "--street", Some(current.street.as_str())),
    ];
    values.extend(
        fields(f)
            .into_iter()
            .zip(stored)
            .map(|((field, flag, given), stored)| (field, flag, given.or(stored))),
    );
    let (outcome, name) = load(ctx, "station update", &values, false)?;
    match outcome {
        Outcome::Unchanged => ctx.note(t!("records.unchanged", name = name)),
        _ => ctx.note(t!("records.station.updated", name = name)),
    }
    Ok(())
}
