//! `nuanfeng instructor …`: 党建工作指导员 and the stations each is assigned to. An instructor is
//! identified by 手机号; a station has one instructor at a time, so assigning it to another
//! moves it.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::OutputArgs;
use super::{
    Ctx, UsageError, day_flag, shown_phone, stored_errors, street_filter, typed_errors, typed_row,
};
use crate::db::instructors::{self, InstructorLoader};
use crate::db::places::Places;
use crate::db::stations;
use crate::db::{LookupError, refusal};
use crate::import::validate::{self, Cells};
use crate::model::Field;
use crate::model::Outcome;
use crate::model::mask_phone;
use crate::model::today;
use crate::report::render::{Table, or_dash};

/// Instructor commands.
#[derive(Debug, Subcommand)]
pub enum InstructorCommand {
    /// Add an instructor (or update the one with this 手机号) and assign stations
    #[command(after_long_help = "Examples:
  nuanfeng instructor add --name 王芳 --phone 13934560001 --street 柳巷街道 --unit 柳巷街道党工委
  nuanfeng instructor add --name 王芳 --phone 13934560001 --station 美团柳巷站 顺丰速运柳巷营业部

Same rules as a row of an instructors register: the 手机号 identifies the instructor, so
adding one already registered updates the name, street and unit given. A station is found by
name in the instructor's street first; a station assigned to another instructor moves, and
the message says from whom.")]
    Add(AddArgs),
    /// List instructors with their stations
    #[command(after_long_help = "Examples:
  nuanfeng instructor list
  nuanfeng instructor list --street 柳巷 --format json

JSON: an array of {id, name, phone, street, unit, stations}; stations is an array of station
names (empty when none is assigned); phone masked unless --show-pii.")]
    List(ListArgs),
    /// Assign stations to an instructor (a station assigned to another one moves)
    #[command(after_long_help = "Examples:
  nuanfeng instructor assign 王芳 美团柳巷站
  nuanfeng instructor assign 13934560001 顺丰速运柳巷营业部 中通快递柳巷网点

INSTRUCTOR is a 手机号 or a name (a name shared by two instructors must be given as the
手机号). Stations are found in --street, else in the instructor's street first. Every
station is assigned, or none when one of them is not in the register.")]
    Assign(AssignArgs),
    /// Take stations from their instructor (the station then has none)
    #[command(after_long_help = "Examples:
  nuanfeng instructor unassign 美团柳巷站 --date 2025-08-31
  nuanfeng instructor unassign 菜鸟驿站 --street 郝庄镇

--date is the last day the station had its instructor: figures of earlier periods still
count it (工作覆盖 keeps its history).")]
    Unassign(UnassignArgs),
}

/// `instructor unassign`.
#[derive(Debug, Args)]
pub struct UnassignArgs {
    /// Station names
    #[arg(required = true, value_name = "STATION")]
    pub stations: Vec<String>,
    /// The stations' street, when several streets have a station of that name
    #[arg(long)]
    pub street: Option<String>,
    /// The last day the stations had their instructor [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// `instructor add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 姓名
    #[arg(long)]
    pub name: String,
    /// 手机号 (identifies the instructor)
    #[arg(long)]
    pub phone: String,
    /// 所属街道
    #[arg(long)]
    pub street: Option<String>,
    /// 工作单位
    #[arg(long)]
    pub unit: Option<String>,
    /// 负责站点: one or more station names
    #[arg(long = "station", value_name = "NAME", num_args = 1..)]
    pub stations: Vec<String>,
    /// 选派日期: the stations count as having an instructor from this day [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// `instructor list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only instructors of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `instructor assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The instructor: 手机号 or 姓名
    pub instructor: String,
    /// Station names
    #[arg(required = true, value_name = "STATION")]
    pub stations: Vec<String>,
    /// The stations' street, when several streets have a station of that name
    #[arg(long)]
    pub street: Option<String>,
    /// 选派日期: the stations count as having an instructor from this day [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// One instructor in `instructor list --format json`.
#[derive(Debug, Serialize)]
pub struct InstructorJson {
    /// Row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// 手机号 (masked unless `--show-pii`).
    pub phone: String,
    /// 所属街道.
    pub street: Option<String>,
    /// 工作单位.
    pub unit: Option<String>,
    /// Names of the stations assigned.
    pub stations: Vec<String>,
}

/// Runs an instructor command.
pub fn run(ctx: &Ctx, cmd: InstructorCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        InstructorCommand::Add(a) => add(ctx, &a),
        InstructorCommand::List(a) => list(ctx, &a, out),
        InstructorCommand::Assign(a) => assign(ctx, &a),
        InstructorCommand::Unassign(a) => unassign(ctx, &a),
    }
}

/// What assigning a station did, as a message line.
fn assigned_note(
    station: &str,
    before: Option<(i64, String)>,
    instructor: i64,
    name: &str,
) -> String {
    match before {
        None => t!(
            "records.instructor.assigned",
            station = station,
            name = name
        ),
        Some((id, _)) if id == instructor => {
            t!(
                "records.instructor.assigned_already",
                station = station,
                name = name
            )
        }
        Some((_, other)) => t!(
            "records.instructor.moved",
            station = station,
            from = other,
            to = name
        ),
    }
    .into_owned()
}

fn add(ctx: &Ctx, a: &AddArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let stations = a.stations.join("、");
    let (map, row) = typed_row(&[
        (Field::Name, "--name", Some(&a.name)),
        (Field::Phone, "--phone", Some(&a.phone)),
        (Field::Street, "--street", a.street.as_deref()),
        (Field::Unit, "--unit", a.unit.as_deref()),
        (Field::Stations, "--station", Some(&stations)),
        (Field::AssignedOn, "--date", a.date.as_deref()),
    ]);
    let mut c = Cells::new(&map, &row);
    let rec = validate::instructor(&mut c, today());
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    // Who held each station before, to say which ones move (a station or street the loader
    // refuses is reported by the loader).
    let places = Places::load(&tx)?;
    let street = rec.street.as_deref().and_then(|s| places.street(s).ok());
    let street_name = street.map(|s| places.street_name(s).to_string());
    let mut before = Vec::new();
    for name in &rec.stations {
        let station = match stations::find_station(&tx, name, street) {
            Ok(s) => Some(s),
            Err(LookupError::Problem(_)) => None,
            Err(LookupError::Db(e)) => return Err(e.into()),
        };
        let holder = match station {
            Some(s) => instructors::station_instructor(&tx, s)?,
            None => None,
        };
        before.push((station_label(&tx, station, name)?, holder));
    }
    let (outcome, id) = InstructorLoader::new(&tx, None, today())?
        .load(&rec)
        .map_err(|e| stored_errors(&map, e))?;
    tx.commit()?;
    let place = street_name
        .map(|s| t!("records.instructor.street", street = s).into_owned())
        .unwrap_or_default();
    let phone = mask_phone(rec.phone.as_str());
    ctx.note(match outcome {
        Outcome::New => t!(
            "records.instructor.added",
            name = rec.name,
            phone = phone,
            place = place
        ),
        Outcome::Updated => t!(
            "records.instructor.updated",
            name = rec.name,
            phone = phone,
            place = place
        ),
        Outcome::Unchanged => t!(
            "records.instructor.unchanged",
            name = rec.name,
            phone = phone,
            place = place
        ),
    });
    for (station, holder) in before {
        ctx.note(assigned_note(&station, holder, id, &rec.name));
    }
    Ok(())
}

/// The registered name of `station` when found, else the name as typed.
fn station_label(conn: &rusqlite::Connection, station: Option<i64>, typed: &str) -> Result<String> {
    match station {
        Some(s) => stations::station_name(conn, s),
        None => Ok(typed.to_string()),
    }
}

fn assign(ctx: &Ctx, a: &AssignArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let (id, name) = instructors::find_instructor(&tx, &a.instructor)?;
    let street = match &a.street {
        Some(s) => Places::load(&tx)?
            .street(&crate::model::normalize::name(s))
            .map(Some)
            .map_err(|p| UsageError(format!("--street {s}: {p}")))?,
        None => instructors::instructor_street(&tx, id)?,
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for typed in &a.stations {
        let station = crate::model::normalize::name(typed);
        match stations::find_station(&tx, &station, street) {
            Ok(s) => found.push(s),
            Err(e) => problems.push(
                t!(
                    "records.station.named",
                    name = station,
                    problem = e.problem()?
                )
                .into_owned(),
            ),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "{}\n{}",
            problems.join("\n"),
            t!("records.instructor.nothing_assigned")
        );
    }
    let on = day_flag("--date", a.date.as_deref())?.to_string();
    let mut notes = Vec::new();
    for station in found {
        let before = instructors::station_instructor(&tx, station)?;
        let station_name = stations::station_name(&tx, station)?;
        let changed = match instructors::assign(&tx, id, station, &on, false) {
            Ok(changed) => changed,
            Err(e) => anyhow::bail!(
                "{}\n{}",
                t!(
                    "records.station.named",
                    name = station_name,
                    problem = refusal(e)?
                ),
                t!("records.instructor.nothing_assigned")
            ),
        };
        if changed && before.as_ref().is_some_and(|(b, _)| *b == id) {
            notes.push(
                t!(
                    "records.instructor.first_day_corrected",
                    station = station_name,
                    name = name,
                    on = on
                )
                .into_owned(),
            );
        } else {
            notes.push(assigned_note(&station_name, before, id, &name));
        }
    }
    tx.commit()?;
    for n in notes {
        ctx.note(n);
    }
    Ok(())
}

fn unassign(ctx: &Ctx, a: &UnassignArgs) -> Result<()> {
    let mut db = ctx.open()?;
    let tx = db.begin_write()?;
    let street = match &a.street {
        Some(s) => Some(
            Places::load(&tx)?
                .street(&crate::model::normalize::name(s))
                .map_err(|p| UsageError(format!("--street {s}: {p}")))?,
        ),
        None => None,
    };
    let last_day = day_flag("--date", a.date.as_deref())?.to_string();
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    for typed in &a.stations {
        let station = crate::model::normalize::name(typed);
        match stations::find_station(&tx, &station, street) {
            Ok(s) => match instructors::station_instructor(&tx, s)? {
                Some((_, name)) => match instructors::unassign(&tx, s, &last_day) {
                    Ok(_) => notes.push(
                        t!(
                            "records.instructor.unassigned",
                            station = station,
                            name = name,
                            last_day = last_day
                        )
                        .into_owned(),
                    ),
                    Err(e) => problems.push(
                        t!(
                            "records.station.named",
                            name = station,
                            problem = refusal(e)?
                        )
                        .into_owned(),
                    ),
                },
                None => {
                    notes.push(t!("records.instructor.had_none", station = station).into_owned())
                }
            },
            Err(e) => problems.push(
                t!(
                    "records.station.named",
                    name = station,
                    problem = e.problem()?
                )
                .into_owned(),
            ),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!("{}\n{}", problems.join("\n"), t!("records.nothing_changed"));
    }
    tx.commit()?;
    for n in notes {
        ctx.note(n);
    }
    Ok(())
}

fn list(ctx: &Ctx, a: &ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let rows = instructors::instructors(&db, street)?;
    let json: Vec<InstructorJson> = rows
        .into_iter()
        .map(|r| InstructorJson {
            id: r.id,
            name: r.name,
            phone: shown_phone(Some(&r.phone), a.output.show_pii).unwrap_or_default(),
            street: r.street,
            unit: r.unit,
            stations: r.stations,
        })
        .collect();
    let mut t = Table::new(
        &[
            &t!("records.col.id"),
            &t!("common.field.name"),
            &t!("common.field.phone"),
            &t!("records.col.in_street"),
            &t!("records.col.unit"),
            &t!("records.col.station_count"),
            &t!("records.col.assigned_stations"),
        ],
        &[true, false, false, false, false, true, false],
    );
    for j in &json {
        t.rows.push(vec![
            j.id.to_string(),
            j.name.clone(),
            j.phone.clone(),
            or_dash(j.street.as_deref()),
            or_dash(j.unit.as_deref()),
            j.stations.len().to_string(),
            j.stations.join(&t!("model.list_separator")),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    let stations: usize = json.iter().map(|j| j.stations.len()).sum();
    let instructors = if json.len() == 1 {
        t!("records.count.instructor_one")
    } else {
        t!("records.count.instructors", n = json.len())
    };
    let assigned = if stations == 1 {
        t!("records.count.station_assigned_one")
    } else {
        t!("records.count.stations_assigned", n = stations)
    };
    ctx.note(t!(
        "records.instructor.total",
        instructors = instructors,
        stations = assigned
    ));

    Ok(())
}
