//! What an import says about the records a snapshot register leaves out
//! ([`crate::model::Missing`]): the people (stations) on record in the streets it covers but
//! absent from it, one line each, numbers masked (import has no `--show-pii`; `worker list
//! --show-pii` shows them in full).
//!
//! How many are listed: every worker marked, or to be marked in a dry run, as left — a
//! change to the register is never made unseen; when they are only listed, the first
//! [`LISTED`] and a count of the rest (the dry run of `--missing left` lists them all,
//! writing nothing). Every absent station is listed: a district has a few dozen.
//!
//! Then the workers recorded as left whom a row without a 离职日期 named
//! ([`Missing::departed`]): every one of them, with the `worker rejoin` that takes them back.

use rust_i18n::t;

use crate::model::{Absent, Departed, Missing, RegisterKind, mask_id, mask_phone};

/// Absent workers listed when they are only listed, not marked.
pub const LISTED: usize = 20;

/// What the user asked for the workers absent from a register, and what the import did.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    /// `--missing left` was given.
    pub left: bool,
    /// `--dry-run`.
    pub dry_run: bool,
    /// Rows refused (with `--skip-invalid`): nobody is marked while there are any.
    pub rejected: u64,
}

/// The lines an import of `kind` prints about `m` after its summary (`file` as messages name
/// it); none when nothing is absent and nothing was asked.
pub fn lines(kind: RegisterKind, file: &str, m: &Missing, asked: Asked) -> Vec<String> {
    let streets = m.streets.join(&t!("model.list_separator"));
    let count = m.absent.len();
    let mut out = Vec::new();
    if kind == RegisterKind::Merchants {
        return merchant_lines(file, &streets, m);
    }
    if kind == RegisterKind::Stations {
        if count == 0 {
            return out;
        }
        out.push(if count == 1 {
            t!(
                "snapshot.stations.absent_one",
                file = file,
                streets = streets
            )
            .into_owned()
        } else {
            t!(
                "snapshot.stations.absent",
                file = file,
                count = count,
                streets = streets
            )
            .into_owned()
        });
        out.extend(m.absent.iter().map(station_line));
        out.push(t!("snapshot.stations.kept").into_owned());
        return out;
    }
    if count == 0 {
        if asked.left {
            out.push(t!("snapshot.workers.none", file = file, streets = streets).into_owned());
        }
        return out;
    }
    if let Some(day) = m.left_on {
        let date = day.to_string();
        let head = if count == 1 && asked.dry_run {
            t!(
                "snapshot.workers.would_mark_one",
                file = file,
                date = &date,
                streets = streets
            )
        } else if count == 1 {
            t!(
                "snapshot.workers.marked_one",
                file = file,
                date = &date,
                streets = streets
            )
        } else if asked.dry_run {
            t!(
                "snapshot.workers.would_mark",
                file = file,
                count = count,
                date = day.to_string(),
                streets = streets
            )
        } else {
            t!(
                "snapshot.workers.marked",
                file = file,
                count = count,
                date = day.to_string(),
                streets = streets
            )
        };
        out.push(head.into_owned());
        out.extend(m.absent.iter().map(worker_line));
        return out;
    }
    out.push(if count == 1 {
        t!(
            "snapshot.workers.absent_one",
            file = file,
            streets = streets
        )
        .into_owned()
    } else {
        t!(
            "snapshot.workers.absent",
            file = file,
            count = count,
            streets = streets
        )
        .into_owned()
    });
    out.extend(m.absent.iter().take(LISTED).map(worker_line));
    if count > LISTED {
        out.push(t!("snapshot.workers.more", count = count - LISTED).into_owned());
    }
    if asked.left && asked.rejected > 0 {
        out.push(t!("snapshot.workers.held", rejected = asked.rejected).into_owned());
    } else {
        out.push(t!("snapshot.workers.kept").into_owned());
    }
    out
}

/// The merchants in force that a merchants register leaves out, in the streets it covers:
/// the first [`LISTED`] (name and street), a count of the rest, and how to record the end of
/// an agreement. Nothing is changed. None when none is absent.
fn merchant_lines(file: &str, streets: &str, m: &Missing) -> Vec<String> {
    let count = m.absent.len();
    if count == 0 {
        return Vec::new();
    }
    let mut out = vec![if count == 1 {
        t!(
            "snapshot.merchants.absent_one",
            file = file,
            streets = streets
        )
        .into_owned()
    } else {
        t!(
            "snapshot.merchants.absent",
            file = file,
            count = count,
            streets = streets
        )
        .into_owned()
    }];
    out.extend(m.absent.iter().take(LISTED).map(|a| {
        t!(
            "snapshot.entry.merchant",
            name = &a.name,
            street = &a.street
        )
        .into_owned()
    }));
    if count > LISTED {
        out.push(t!("snapshot.merchants.more", count = count - LISTED).into_owned());
    }
    out.push(t!("snapshot.merchants.kept").into_owned());
    out
}

/// The lines an import prints after its summary about the workers recorded as left whom rows
/// without a 离职日期 named (`file` as messages name it): every one of them — who, station,
/// street, 离职日期 — then that they stay left, and the `worker rejoin` that takes back those
/// who work again: by 姓名 where the name is theirs alone among the workers who left, else by
/// number. None when there are none.
pub fn departed_lines(file: &str, departed: &[Departed]) -> Vec<String> {
    let count = departed.len();
    if count == 0 {
        return Vec::new();
    }
    let mut out = vec![if count == 1 {
        t!("snapshot.departed.listed_one", file = file).into_owned()
    } else {
        t!("snapshot.departed.listed", file = file, count = count).into_owned()
    }];
    out.extend(departed.iter().map(departed_line));
    let by_name: Vec<String> = departed
        .iter()
        .filter(|d| d.by_name)
        .map(|d| shell_word(&d.who.name))
        .collect();
    let mut hint = if count == 1 {
        t!("snapshot.departed.kept_one")
    } else {
        t!("snapshot.departed.kept")
    }
    .into_owned();
    if !by_name.is_empty() {
        let names = by_name.join(" ");
        hint.push_str(&if count == 1 {
            t!("snapshot.departed.rejoin_one", names = names)
        } else {
            t!("snapshot.departed.rejoin", names = names)
        });
    }
    out.push(hint);
    let shared: Vec<&str> = departed
        .iter()
        .filter(|d| !d.by_name)
        .map(|d| d.who.name.as_str())
        .collect();
    if !shared.is_empty() {
        out.push(
            t!(
                "snapshot.departed.rejoin_by_number",
                names = shared.join(&t!("model.list_separator"))
            )
            .into_owned(),
        );
    }
    out
}

/// A 姓名 as one word of a command line: quoted when it holds a space (`"John Smith"`).
fn shell_word(name: &str) -> String {
    if name.chars().any(char::is_whitespace) {
        format!("\"{name}\"")
    } else {
        name.to_string()
    }
}

/// One line of a worker recorded as left: who, station and street, 离职日期.
fn departed_line(d: &Departed) -> String {
    match &d.who.station {
        Some(station) => t!(
            "snapshot.entry.departed_station",
            who = who(&d.who),
            station = station,
            street = &d.who.street,
            left_on = &d.left_on
        ),
        None => t!(
            "snapshot.entry.departed_street",
            who = who(&d.who),
            street = &d.who.street,
            left_on = &d.left_on
        ),
    }
    .into_owned()
}

/// The refusal of a workers register some of whose absent workers cannot be given the
/// 离职日期 asked: each of them with the problem, then the fix.
pub fn refused_text(file: &str, m: &Missing) -> String {
    let date = m.left_on.map(|d| d.to_string()).unwrap_or_default();
    let mut text = t!(
        "snapshot.workers.refused",
        file = file,
        count = m.absent.len(),
        refused = m.refused.len(),
        date = &date
    )
    .into_owned();
    for (i, problem) in &m.refused {
        if let Some(a) = m.absent.get(*i) {
            text.push('\n');
            text.push_str(&t!(
                "snapshot.workers.refused_one",
                who = who(a),
                problem = problem
            ));
        }
    }
    text.push('\n');
    text.push_str(&t!("snapshot.workers.refused_fix"));
    text
}

/// A worker as listed: `贺新宇 140106********0012 138****5678`.
fn who(a: &Absent) -> String {
    let mut s = a.name.clone();
    for n in [
        a.id_number.as_deref().map(mask_id),
        a.phone.as_deref().map(mask_phone),
    ]
    .into_iter()
    .flatten()
    {
        s.push(' ');
        s.push_str(&n);
    }
    s
}

/// One absent worker's line: who, station and street.
fn worker_line(a: &Absent) -> String {
    match &a.station {
        Some(station) => t!(
            "snapshot.entry.station",
            who = who(a),
            station = station,
            street = &a.street
        ),
        None => t!("snapshot.entry.street", who = who(a), street = &a.street),
    }
    .into_owned()
}

/// One absent station's line: name, street, its current workers.
fn station_line(a: &Absent) -> String {
    t!(
        "snapshot.entry.site",
        name = &a.name,
        street = &a.street,
        workers = a.workers.unwrap_or(0)
    )
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(i: usize) -> Absent {
        Absent {
            id: i as i64,
            name: format!("从业人员{i:02}"),
            id_number: None,
            phone: Some(format!("138{i:08}")),
            station: None,
            street: "柳巷街道".into(),
            workers: None,
        }
    }

    fn missing(n: usize, left_on: Option<chrono::NaiveDate>) -> Missing {
        Missing {
            streets: vec!["柳巷街道".into()],
            absent: (0..n).map(worker).collect(),
            left_on,
            refused: Vec::new(),
            departed: Vec::new(),
        }
    }

    const KEEP: Asked = Asked {
        left: false,
        dry_run: false,
        rejected: 0,
    };

    #[test]
    fn a_long_list_shows_the_first_twenty_and_counts_the_rest() {
        let lines = lines(RegisterKind::Workers, "w.csv", &missing(25, None), KEEP);
        // The head, 20 workers, the count of the rest, the hint.
        assert_eq!(lines.len(), 1 + LISTED + 2);
        // Unit tests run in the catalogue's fallback language, English.
        assert_eq!(lines[1], "  从业人员00 138****0000, 柳巷街道");
        assert_eq!(lines[LISTED], "  从业人员19 138****0019, 柳巷街道");
        assert_eq!(
            lines[LISTED + 1],
            "  … and 5 more, not listed; --missing left --date DATE --dry-run lists them all (the registry is unchanged)"
        );
    }

    #[test]
    fn workers_marked_as_left_are_all_listed() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 8, 31);
        let asked = Asked { left: true, ..KEEP };
        let lines = lines(RegisterKind::Workers, "w.csv", &missing(25, day), asked);
        assert_eq!(lines.len(), 1 + 25);
        assert_eq!(
            lines[0],
            "w.csv: 25 workers absent from the register were recorded as left on 2025-08-31 (the streets it covers: 柳巷街道):"
        );
    }

    #[test]
    fn nothing_absent_and_nothing_asked_says_nothing() {
        assert!(lines(RegisterKind::Workers, "w.csv", &missing(0, None), KEEP).is_empty());
        assert!(lines(RegisterKind::Stations, "s.csv", &missing(0, None), KEEP).is_empty());
    }
}
