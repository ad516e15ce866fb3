//! Finding the worker a command names: by a number typed at the terminal (current, or one
//! the worker had before) or by 姓名 when it is unique. Refusals and notes come back worded
//! (numbers masked); printing them is the command's business.

use anyhow::Result;
use rusqlite::OptionalExtension;
use rust_i18n::t;

use super::numbers;
use crate::db::Reader;
use crate::model::{IdNumber, Phone, mask_id, mask_phone};

/// Which workers a 姓名 means first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Those working today (no 离职日期, or one not yet past), then, when none has the name,
    /// those who left: every command about a worker's work.
    Working,
    /// Those who left, then, when none has the name, those working: `worker rejoin`.
    Departed,
}

/// The worker a command names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Row id.
    pub id: i64,
    /// Registered 姓名.
    pub name: String,
    /// A word for the user (numbers masked) when the worker was found by a number they had
    /// before, or by the name of a worker who left.
    pub note: Option<String>,
}

/// Finds one worker as typed at the terminal: an 18-character 身份证号 or an 11-digit 手机号,
/// current or had before (`worker_numbers`; a current number wins, then the last worker to
/// give the number up), or a 姓名 (anything without a digit) held by one worker of `scope`,
/// names compared after [`normalize::name`](crate::model::normalize::name).
///
/// Errors: nothing typed; a masked number (`177****7127`); not a valid number; nobody has or
/// had it (masked); nobody has the name; several workers have it (each listed with 手机号 and
/// 身份证号 masked, station and street, to choose one by number, then where the numbers are
/// shown in full); database errors.
pub fn find_worker(db: &impl Reader, typed: &str, scope: Scope) -> Result<Found> {
    let folded = crate::model::normalize::folded(typed);
    if folded.is_empty() {
        anyhow::bail!("{}", t!("records.worker.number_missing"));
    }
    refuse_masked(typed)?;
    if !folded.bytes().any(|b| b.is_ascii_digit()) {
        return by_name(db, typed, scope);
    }
    by_number(db, typed)
}

/// Refuses a number typed back as the lists show it, masked (`177****7127`,
/// `140106********0119`): digits with a `*` among them name nobody.
///
/// Errors: the number is masked — with where the full numbers are shown.
pub fn refuse_masked(typed: &str) -> Result<()> {
    let folded = crate::model::normalize::folded(typed);
    if folded.contains('*') && folded.bytes().any(|b| b.is_ascii_digit()) {
        anyhow::bail!("{}", t!("identity.masked", number = folded.trim()));
    }
    Ok(())
}

/// [`find_worker`] for a command about a worker's work: the id and registered name, the note
/// left out.
///
/// Errors: as [`find_worker`].
pub fn find_by_number(db: &impl Reader, number: &str) -> Result<(i64, String)> {
    let f = find_worker(db, number, Scope::Working)?;
    Ok((f.id, f.name))
}

/// The number a worker is registered with, for a register row typed at the terminal: the
/// 手机号, else the 身份证号 (`None` for a purged worker).
///
/// Errors: database errors.
pub fn number_of(db: &impl Reader, id: i64) -> Result<Option<String>> {
    let conn = db.conn().0;
    Ok(conn
        .query_row(
            "SELECT coalesce(phone, id_number) FROM workers WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

fn by_number(db: &impl Reader, typed: &str) -> Result<Found> {
    let conn = db.conn().0;
    let t = crate::model::normalize::phone(typed);
    let mobile_like = t.len() == 11 && t.bytes().all(|b| b.is_ascii_digit());
    let (kind, number, shown) = if mobile_like {
        let p = Phone::parse(&t).map_err(|e| anyhow::anyhow!("{}: {e}", mask_phone(&t)))?;
        ("phone", p.as_str().to_string(), mask_phone(&t))
    } else {
        let folded = crate::model::normalize::folded(typed).replace(' ', "");
        match IdNumber::parse(&folded) {
            Ok(i) => ("id_number", i.as_str().to_string(), mask_id(&folded)),
            Err(e) => anyhow::bail!(
                "{}",
                t!(
                    "records.worker.number_invalid",
                    number = mask_id(&folded),
                    problem = e
                )
            ),
        }
    };
    let sql = if kind == "phone" {
        "SELECT id, name FROM workers WHERE phone = ?1"
    } else {
        "SELECT id, name FROM workers WHERE id_number = ?1"
    };
    if let Some((id, name)) = conn
        .query_row(sql, [&number], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
    {
        return Ok(Found {
            id,
            name,
            note: None,
        });
    }
    if let Some((id, name, until)) = numbers::latest_holder(conn, kind, &number)? {
        let note = if kind == "phone" {
            t!(
                "identity.former_phone",
                number = shown,
                name = name,
                until = until
            )
        } else {
            t!(
                "identity.former_id_number",
                number = shown,
                name = name,
                until = until
            )
        };
        return Ok(Found {
            id,
            name,
            note: Some(note.into_owned()),
        });
    }
    anyhow::bail!(
        "{}",
        if kind == "phone" {
            t!("records.worker.unknown_phone", number = shown)
        } else {
            t!("records.worker.unknown_id_number", number = shown)
        }
    )
}

/// A worker who has the name typed, as candidates are listed.
struct Candidate {
    id: i64,
    name: String,
    phone: Option<String>,
    id_number: Option<String>,
    station: Option<String>,
    street: String,
    left_on: Option<String>,
}

impl Candidate {
    /// One line of a list of candidates, numbers masked.
    fn line(&self) -> String {
        let dash = || "—".to_string();
        let phone = self.phone.as_deref().map_or_else(dash, mask_phone);
        let id_number = self.id_number.as_deref().map_or_else(dash, mask_id);
        let station = self.station.clone().unwrap_or_else(dash);
        match &self.left_on {
            None => t!(
                "identity.candidate",
                name = self.name,
                phone = phone,
                id_number = id_number,
                station = station,
                street = self.street
            ),
            Some(l) => t!(
                "identity.candidate_left",
                name = self.name,
                phone = phone,
                id_number = id_number,
                station = station,
                street = self.street,
                left_on = l
            ),
        }
        .into_owned()
    }
}

fn by_name(db: &impl Reader, typed: &str, scope: Scope) -> Result<Found> {
    let conn = db.conn().0;
    let wanted = crate::model::normalize::name(typed);
    let today = crate::model::today().to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT w.id, w.name, w.phone, w.id_number, st.name, s.name, w.left_on
         FROM workers w JOIN streets s ON s.id = w.street_id
         LEFT JOIN stations st ON st.id = w.station_id
         WHERE w.purged_on IS NULL
         ORDER BY w.id",
    )?;
    let mut working = Vec::new();
    let mut departed = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(1)?;
        if crate::model::normalize::name(&name) != wanted {
            continue;
        }
        let left_on: Option<String> = r.get(6)?;
        let c = Candidate {
            id: r.get(0)?,
            name,
            phone: r.get(2)?,
            id_number: r.get(3)?,
            station: r.get(4)?,
            street: r.get(5)?,
            left_on: left_on.clone(),
        };
        // A 离职日期 is the last day worked: the worker still works on it.
        match left_on {
            Some(l) if l < today => departed.push(c),
            _ => working.push(Candidate { left_on: None, ..c }),
        }
    }
    let (first, then) = match scope {
        Scope::Working => (working, departed),
        Scope::Departed => (departed, working),
    };
    let (list, fallback) = if first.is_empty() {
        (then, true)
    } else {
        (first, false)
    };
    // The numbers listed are masked: the last line says where they are shown in full.
    let lines = || {
        let mut text = list
            .iter()
            .map(|c| format!("\n  {}", c.line()))
            .collect::<String>();
        text.push('\n');
        text.push_str(&t!("identity.candidates_full_numbers"));
        text
    };
    match list.as_slice() {
        [] => anyhow::bail!("{}", t!("identity.name_unknown", name = wanted)),
        [one] => {
            let note = match (&one.left_on, scope, fallback) {
                (Some(l), Scope::Working, true) => Some(
                    t!("identity.name_departed_only", name = one.name, left_on = l).into_owned(),
                ),
                _ => None,
            };
            Ok(Found {
                id: one.id,
                name: one.name.clone(),
                note,
            })
        }
        many => {
            let n = many.len();
            let departed = many[0].left_on.is_some();
            anyhow::bail!(
                "{}",
                match (departed, fallback) {
                    (false, _) => t!(
                        "identity.name_shared",
                        n = n,
                        name = wanted,
                        candidates = lines()
                    ),
                    (true, true) => t!(
                        "identity.name_shared_departed_only",
                        n = n,
                        name = wanted,
                        candidates = lines()
                    ),
                    (true, false) => t!(
                        "identity.name_shared_departed",
                        n = n,
                        name = wanted,
                        candidates = lines()
                    ),
                }
            )
        }
    }
}
