//! The whole-registry check (`nuanfeng check`): the schema as `schema.sql` defines it,
//! SQLite's integrity and foreign-key checks, the ledger, one person per worker row, and the
//! check-in rollup. It prints nothing and never repairs: what it finds is returned for the
//! command to show.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};
use rust_i18n::t;

use super::Reader;
use crate::model::{mask_id, mask_phone};

/// The checks of [`check`], in the order they run and are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// Every table, index and trigger of this build's schema is there, as `schema.sql`
    /// defines it (a dropped unique index would let a re-import double its rows; a dropped
    /// trigger would let the ledger be edited), and nothing else.
    Schema,
    /// `PRAGMA integrity_check`: the file's pages, records and indexes, and rows breaking
    /// the schema's CHECK and NOT NULL constraints.
    Integrity,
    /// `PRAGMA foreign_key_check`: rows pointing at a worker, street … that does not exist
    /// (orphans, which another program can make with foreign keys off).
    ForeignKeys,
    /// The points ledger's invariants and seals (as `points check`).
    Ledger,
    /// One person, one worker row: no two rows with the same 身份证号 or 手机号 written
    /// differently, and every number stored in its normal form.
    People,
    /// The monthly check-in rollup `checkin_months` agrees with `checkins`.
    Rollup,
    /// No event of a worker before their 入职日期 or after their 离职日期
    /// (src/db/workers/dates.rs).
    Dates,
    /// Every worker at a station is registered in the station's street
    /// (src/db/workers/street.rs).
    Stations,
    /// Every gift order is paid by a redemption of its worker for its points, reversed
    /// exactly when the order is cancelled, and no gift's stock is below zero
    /// (src/db/gifts.rs).
    Gifts,
    /// The file itself: no erasure of `worker purge` left unfinished (src/db/purge.rs), not
    /// readable by other users (unix), no temporary left beside it by an interrupted command
    /// (src/outfile.rs).
    Files,
}

impl Area {
    /// Every area, in order.
    pub const ALL: [Area; 10] = [
        Area::Schema,
        Area::Integrity,
        Area::ForeignKeys,
        Area::Ledger,
        Area::People,
        Area::Rollup,
        Area::Dates,
        Area::Stations,
        Area::Gifts,
        Area::Files,
    ];

    /// The short name shown in reports: `完整性`, `外键` … (`integrity`, `foreign keys` … in
    /// English).
    pub fn name(self) -> String {
        match self {
            Area::Schema => t!("db.check.area.schema"),
            Area::Integrity => t!("db.check.area.integrity"),
            Area::ForeignKeys => t!("db.check.area.foreign_keys"),
            Area::Ledger => t!("db.check.area.ledger"),
            Area::People => t!("db.check.area.people"),
            Area::Rollup => t!("db.check.area.rollup"),
            Area::Dates => t!("coherence.check.area.dates"),
            Area::Stations => t!("coherence.check.area.stations"),
            Area::Gifts => t!("gifts.check.area"),
            Area::Files => t!("files.check.area"),
        }
        .into_owned()
    }

    /// What a problem of this area means and how to fix it, in one sentence.
    pub fn fix(self) -> String {
        match self {
            Area::Schema => t!("db.check.fix.schema"),
            Area::Integrity => t!("db.check.fix.integrity"),
            Area::ForeignKeys => t!("db.check.fix.foreign_keys"),
            Area::Ledger => t!("db.check.fix.ledger"),
            Area::People => t!("db.check.fix.people"),
            Area::Rollup => t!("db.check.fix.rollup"),
            Area::Dates => t!("coherence.check.fix.dates"),
            Area::Stations => t!("coherence.check.fix.stations"),
            Area::Gifts => t!("gifts.check.fix"),
            Area::Files => t!("files.check.fix"),
        }
        .into_owned()
    }
}

/// One problem found by [`check`]: its area and a line saying where and what, with every
/// 身份证号 and 手机号 masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The check that found it.
    pub area: Area,
    /// Where and what: `checkins row 12: worker_id 99 — no such row in workers`.
    pub text: String,
}

/// Runs every check of [`Area::ALL`] on the registry and returns the problems, grouped by area
/// in that order (empty: the file is sound). A check that cannot run (a badly damaged file)
/// is itself reported as a problem of its area, and the other checks still run.
///
/// Errors: none of its own; each area's failure becomes a [`Problem`].
pub fn check(db: &impl Reader) -> Vec<Problem> {
    areas(db.conn().0, &Area::ALL)
}

/// SQLite's own checks, which read every page of the file: [`check_registry`] runs them on a
/// second connection while the others run on the first.
const SQLITE_AREAS: [Area; 2] = [Area::Integrity, Area::ForeignKeys];

/// As [`check`], the same problems in the same order, with SQLite's integrity and
/// foreign-key checks run on a second connection that only reads to the file, in parallel with
/// the others (on one connection when a second cannot be had: an encrypted registry).
///
/// Errors: none of its own, as [`check`].
pub fn check_registry(db: &super::Db) -> Vec<Problem> {
    let Ok(Some(second)) = db.second_reader() else {
        return check(db);
    };
    let rest: Vec<Area> = Area::ALL
        .into_iter()
        .filter(|a| !SQLITE_AREAS.contains(a))
        .collect();
    let (sqlite, ours) = std::thread::scope(|scope| {
        let sqlite = std::thread::Builder::new()
            .name("nuanfeng-check".into())
            .spawn_scoped(scope, move || areas(&second, &SQLITE_AREAS));
        let ours = areas(&db.conn, &rest);
        let sqlite = match sqlite {
            Ok(handle) => handle.join().ok(),
            Err(_) => None,
        };
        (sqlite, ours)
    });
    // A thread that could not run its checks: they run here.
    let sqlite = sqlite.unwrap_or_else(|| areas(&db.conn, &SQLITE_AREAS));
    let mut out: Vec<Problem> = sqlite.into_iter().chain(ours).collect();
    out.sort_by_key(|p| p.area);
    out
}

/// Runs the checks of `which` on `conn`, in that order.
fn areas(conn: &Connection, which: &[Area]) -> Vec<Problem> {
    let mut out = Vec::new();
    for &area in which {
        let found = match area {
            Area::Schema => schema(conn),
            Area::Integrity => integrity(conn),
            Area::ForeignKeys => foreign_keys(conn),
            Area::Ledger => ledger(conn),
            Area::People => people(conn),
            Area::Rollup => rollup(conn),
            Area::Dates => super::workers::contradictions(conn).map_err(Into::into),
            Area::Stations => super::workers::disagreements(conn)
                .and_then(|mut lines| {
                    lines.extend(super::activities::inconsistencies(conn)?);
                    Ok(lines)
                })
                .map_err(Into::into),
            Area::Gifts => super::gifts::contradictions(conn),
            Area::Files => files(conn),
        };
        match found {
            Ok(lines) => out.extend(lines.into_iter().map(|text| Problem { area, text })),
            Err(e) => out.push(Problem {
                area,
                text: t!("db.check.cannot_check", error = format_args!("{e:#}")).into_owned(),
            }),
        }
    }
    out
}

/// The file's own findings ([`Area::Files`]): an unfinished erasure, permissions that let
/// other users read it, temporaries left beside it by interrupted commands.
fn files(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let (n, at, workers): (i64, Option<String>, i64) = conn.query_row(
        "SELECT count(*), min(at), coalesce(sum(workers), 0) FROM pending_erasures",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if n > 0 {
        out.push(
            t!(
                "files.check.erasure",
                at = at.unwrap_or_default(),
                n = workers
            )
            .into_owned(),
        );
    }
    let Some(path) = conn
        .path()
        .filter(|p| !p.is_empty())
        .map(std::path::Path::new)
    else {
        return Ok(out);
    };
    // SQLite holds the path made absolute: shown from the current folder when it is below.
    let here = std::env::current_dir().ok();
    let shown = |p: &std::path::Path| -> String {
        here.as_deref()
            .and_then(|h| p.strip_prefix(h).ok())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    if let Some(mode) = super::open_mode(path) {
        out.push(
            t!(
                "files.check.mode",
                path = shown(path),
                mode = format_args!("{mode:o}")
            )
            .into_owned(),
        );
    }
    if let Some(j) = super::idle_journal_beside(path) {
        out.push(t!("files.check.journal", path = shown(&j)).into_owned());
    }
    for p in crate::outfile::stale_temporaries(&crate::outfile::folder_of(path)) {
        out.push(t!("files.check.stale", path = shown(&p)).into_owned());
    }
    Ok(out)
}

/// The schema objects of a connection: `(type, name) → SQL` with comments and spacing
/// normalised (an upgraded file's text and `schema.sql`'s differ only in those); SQLite's
/// statistics tables left out.
///
/// Errors: database errors.
pub fn schema_objects(
    conn: &Connection,
) -> Result<std::collections::BTreeMap<(String, String), String>> {
    let normal = |sql: &str| -> String {
        let text: Vec<&str> = sql
            .lines()
            .map(|l| l.find("--").map_or(l, |i| &l[..i]))
            .collect();
        let mut s = text
            .join(" ")
            .replace('"', "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for (from, to) in [("( ", "("), (" )", ")"), (" ,", ",")] {
            s = s.replace(from, to);
        }
        s
    };
    let rows = conn
        .prepare(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_schema
             WHERE name NOT LIKE 'sqlite_stat%'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
    Ok(rows
        .into_iter()
        .map(|(t, n, sql)| ((t, n), normal(&sql)))
        .collect())
}

/// Tables, indexes, triggers and views missing, changed or added against a fresh file of
/// this build (made in memory from `schema.sql`).
fn schema(conn: &Connection) -> Result<Vec<String>> {
    let fresh = Connection::open_in_memory()?;
    fresh.execute_batch(super::SCHEMA_SQL)?;
    let want = schema_objects(&fresh)?;
    let have = schema_objects(conn)?;
    let mut out = Vec::new();
    for ((kind, name), sql) in &want {
        let shown = schema_kind(kind);
        match have.get(&(kind.clone(), name.clone())) {
            None => out.push(t!("db.check.schema_missing", kind = shown, name = name).into_owned()),
            Some(s) if s != sql => {
                out.push(t!("db.check.schema_differs", kind = shown, name = name).into_owned())
            }
            Some(_) => {}
        }
    }
    for (kind, name) in have.keys() {
        if !want.contains_key(&(kind.clone(), name.clone())) {
            let shown = schema_kind(kind);
            out.push(t!("db.check.schema_extra", kind = shown, name = name).into_owned());
        }
    }
    Ok(out)
}

/// A schema object's type (`table`, `index` …) in words.
fn schema_kind(kind: &str) -> String {
    match kind {
        "table" => t!("db.check.kind.table").into_owned(),
        "index" => t!("db.check.kind.index").into_owned(),
        "trigger" => t!("db.check.kind.trigger").into_owned(),
        "view" => t!("db.check.kind.view").into_owned(),
        other => other.to_string(),
    }
}

/// The lines of `PRAGMA integrity_check` (at most 100), none when it says `ok`.
pub(super) fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let lines: Vec<String> = conn
        .prepare("PRAGMA integrity_check(100)")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    if lines.len() == 1 && lines[0] == "ok" {
        return Ok(Vec::new());
    }
    Ok(lines
        .iter()
        .flat_map(|l| l.lines())
        .map(str::to_string)
        .collect())
}

/// Every row of `PRAGMA foreign_key_check`, with the column and the value that point at
/// nothing: `checkins row 12: worker_id 99 — no such row in workers`.
fn foreign_keys(conn: &Connection) -> Result<Vec<String>> {
    let broken: Vec<(String, Option<i64>, String, i64)> = conn
        .prepare(
            r#"SELECT "table", rowid, parent, fkid FROM pragma_foreign_key_check
               ORDER BY "table", rowid, fkid"#,
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (table, rowid, parent, fkid) in broken {
        let columns: Vec<String> = conn
            .prepare(
                r#"SELECT "from" FROM pragma_foreign_key_list(?1) WHERE id = ?2 ORDER BY seq"#,
            )?
            .query_map(rusqlite::params![table, fkid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut what = Vec::new();
        if let Some(rowid) = rowid {
            for c in &columns {
                // Identifiers come from the schema itself; quoted all the same.
                let sql = format!(
                    "SELECT quote(\"{}\") FROM \"{}\" WHERE rowid = ?1",
                    c.replace('"', "\"\""),
                    table.replace('"', "\"\"")
                );
                let v: Option<String> = conn.query_row(&sql, [rowid], |r| r.get(0)).optional()?;
                what.push(format!("{c} {}", v.unwrap_or_else(|| "?".into())));
            }
        } else {
            what.extend(columns);
        }
        let row = rowid
            .map(|r| t!("db.check.orphan_row", n = r).into_owned())
            .unwrap_or_default();
        out.push(
            t!(
                "db.check.orphan",
                table = table,
                row = row,
                what = what.join(", "),
                parent = parent
            )
            .into_owned(),
        );
    }
    Ok(out)
}

/// The ledger's violations ([`super::ledger::check`]), one line each.
fn ledger(conn: &Connection) -> Result<Vec<String>> {
    Ok(super::ledger::check(conn)?
        .into_iter()
        .map(|v| {
            let Some(entry) = v.entry else {
                return v.problem;
            };
            let problem = &v.problem;
            match (&v.name, v.worker) {
                (Some(name), _) => t!(
                    "db.check.entry_of_name",
                    entry = entry,
                    name = name,
                    problem = problem
                ),
                (None, Some(worker)) => t!(
                    "db.check.entry_of_worker",
                    entry = entry,
                    worker = worker,
                    problem = problem
                ),
                (None, None) => t!("db.check.entry", entry = entry, problem = problem),
            }
            .into_owned()
        })
        .collect())
}

/// The normal form of a stored 身份证号, as imports store it: NFKC-folded, no spaces, the
/// check character X upper-case (GB 11643-1999).
fn normal_id(s: &str) -> String {
    crate::model::normalize::folded(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// A number the people check compares between workers: its column, normal form, mask and
/// messages.
struct Number {
    column: &'static str,
    normal: fn(&str) -> String,
    mask: fn(&str) -> String,
    /// Catalogue keys: a number not stored in its normal form; one held by several workers.
    not_normal: &'static str,
    shared: &'static str,
}

/// The 身份证号 and the 手机号, in the order their findings are listed.
const NUMBERS: [Number; 2] = [
    Number {
        column: "id_number",
        normal: normal_id,
        mask: mask_id,
        not_normal: "db.check.id_not_normal",
        shared: "db.check.id_shared",
    },
    Number {
        column: "phone",
        normal: crate::model::normalize::phone,
        mask: mask_phone,
        not_normal: "db.check.phone_not_normal",
        shared: "db.check.phone_shared",
    },
];

/// Workers sharing a 身份证号 or 手机号 once normalized, and numbers not stored in their normal
/// form (lookups by the typed number miss them). One pass holds a 64-bit hash of each normal
/// form and its first holder (16 bytes a number, not the numbers and names); only the workers
/// whose hashes meet are read again, and grouped by the normal forms themselves.
fn people(conn: &Connection) -> Result<Vec<String>> {
    use xxhash_rust::xxh3::xxh3_64;
    // Of each number: hash of a normal form → its first holder; the holders of a hash met twice.
    let mut first: [rustc_hash::FxHashMap<u64, i64>; 2] = Default::default();
    let mut met: [BTreeSet<i64>; 2] = Default::default();
    let mut out = Vec::new();
    {
        let mut stmt =
            conn.prepare("SELECT id, name, id_number, phone FROM workers ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            for (k, number) in NUMBERS.iter().enumerate() {
                let Some(stored) = r.get::<_, Option<String>>(2 + k)? else {
                    continue;
                };
                let n = (number.normal)(&stored);
                if n != stored {
                    out.push(
                        t!(
                            number.not_normal,
                            id = id,
                            name = r.get::<_, String>(1)?,
                            stored = (number.mask)(&stored),
                            normal = (number.mask)(&n)
                        )
                        .into_owned(),
                    );
                }
                if let Some(earlier) = first[k].insert(xxh3_64(n.as_bytes()), id) {
                    met[k].extend([earlier, id]);
                }
            }
        }
    }
    drop(first);
    for (number, met) in NUMBERS.iter().zip(met) {
        // normal form → (worker id, name, as stored), of the workers whose hashes met.
        let mut holders: BTreeMap<String, Vec<(i64, String, String)>> = BTreeMap::new();
        let mut stmt = conn.prepare(&format!(
            "SELECT name, {} FROM workers WHERE id = ?1",
            number.column
        ))?;
        for id in met {
            if let Some((name, stored)) = stmt
                .query_row([id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?
            {
                holders
                    .entry((number.normal)(&stored))
                    .or_default()
                    .push((id, name, stored));
            }
        }
        for (n, holders) in holders.into_iter().filter(|(_, h)| h.len() > 1) {
            let who: Vec<String> = holders
                .iter()
                .map(|(id, name, stored)| {
                    t!(
                        "db.check.holder",
                        id = id,
                        name = name,
                        stored = (number.mask)(stored)
                    )
                    .into_owned()
                })
                .collect();
            out.push(
                t!(
                    number.shared,
                    number = (number.mask)(&n),
                    n = holders.len(),
                    who = who.join(&t!("db.list_sep"))
                )
                .into_owned(),
            );
        }
    }
    Ok(out)
}

/// Months, workers and streets where `checkin_months` disagrees with a count of `checkins`,
/// by month, street and worker. The check-ins are counted by SQLite in the order of the
/// rollup's key (its sorter spills to temporary files, so memory stays bounded whatever the
/// number of check-ins) and read side by side with `checkin_months` in the order of its
/// primary key.
fn rollup(conn: &Connection) -> Result<Vec<String>> {
    type Key = (i64, i64, i64);
    let mut counted = conn.prepare(
        "SELECT CAST(substr(date, 1, 4) || substr(date, 6, 2) AS INTEGER), worker_id, street_id,
                count(*)
         FROM checkins GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )?;
    let mut counted =
        counted.query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))?;
    let mut rolled = conn.prepare(
        "SELECT month, worker_id, street_id, checkins FROM checkin_months
         ORDER BY month, worker_id, street_id",
    )?;
    let mut rolled =
        rolled.query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))?;
    // (month, street, worker) → (counted, rolled)
    let mut differ: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
    let mut c: Option<(Key, i64)> = counted.next().transpose()?;
    let mut r: Option<(Key, i64)> = rolled.next().transpose()?;
    loop {
        let (key, n, m) = match (c, r) {
            (None, None) => break,
            (Some((ck, n)), Some((rk, _))) if ck < rk => {
                c = counted.next().transpose()?;
                (ck, n, 0)
            }
            (Some((ck, n)), Some((rk, m))) if ck == rk => {
                c = counted.next().transpose()?;
                r = rolled.next().transpose()?;
                (ck, n, m)
            }
            (_, Some((rk, m))) => {
                r = rolled.next().transpose()?;
                (rk, 0, m)
            }
            (Some((ck, n)), None) => {
                c = counted.next().transpose()?;
                (ck, n, 0)
            }
        };
        if n != m {
            differ.insert((key.0, key.2, key.1), (n, m));
        }
    }
    let mut worker_name = conn.prepare("SELECT name FROM workers WHERE id = ?1")?;
    let mut street_name = conn.prepare("SELECT name FROM streets WHERE id = ?1")?;
    let mut out = Vec::with_capacity(differ.len());
    for ((month, street, worker), (counted, rolled)) in differ {
        let name: Option<String> = worker_name.query_row([worker], |r| r.get(0)).optional()?;
        let place: Option<String> = street_name.query_row([street], |r| r.get(0)).optional()?;
        let who = match name {
            Some(n) => format!("{n} (#{worker})"),
            None => t!("db.check.unregistered_worker", id = worker).into_owned(),
        };
        let place =
            place.unwrap_or_else(|| t!("db.check.unregistered_street", id = street).into_owned());
        let month = format!("{:04}-{:02}", month / 100, month % 100);
        out.push(
            if rolled == 1 {
                t!(
                    "db.check.rollup_one",
                    month = month,
                    who = who,
                    place = place,
                    counted = counted
                )
            } else {
                t!(
                    "db.check.rollup",
                    month = month,
                    who = who,
                    place = place,
                    rolled = rolled,
                    counted = counted
                )
            }
            .into_owned(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, OpenMode};

    #[test]
    fn normal_id_folds_case_spaces_and_full_width() {
        assert_eq!(normal_id("14010619900101123x"), "14010619900101123X");
        assert_eq!(normal_id("140106 19900101 123X"), "14010619900101123X");
        assert_eq!(normal_id("１４０１０６19900101123X"), "14010619900101123X");
    }

    #[test]
    fn the_check_on_two_connections_finds_what_the_check_on_one_finds() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("n.db"), OpenMode::Create).unwrap();
        db.conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO checkins (worker_id, date, street_id, event_key)
                 VALUES (999, '2025-07-01', 77, 1);
                 INSERT INTO checkin_months (month, worker_id, street_id, checkins)
                 VALUES (202507, 99, 77, 2);
                 PRAGMA foreign_keys = ON;",
            )
            .unwrap();
        let found = check_registry(&db);
        assert_eq!(found, check(&db.conn));
        let areas: Vec<Area> = found.iter().map(|p| p.area).collect();
        assert_eq!(
            areas,
            [
                Area::ForeignKeys,
                Area::ForeignKeys,
                Area::Rollup,
                Area::Rollup
            ]
        );
        // By month, street, then worker: #99 (rolled up, never checked in) before #999.
        assert!(found[2].text.contains("2025-07") && found[3].text.contains("2025-07"));
        assert!(found[2].text.contains("99") && !found[2].text.contains("999"));
        assert!(found[3].text.contains("999"));
    }

    #[test]
    fn a_fresh_registry_passes_every_check() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("n.db"), OpenMode::Create).unwrap();
        assert_eq!(check(&db.conn), Vec::new());
    }
}
