//! Workers merged by the identity rules of an import: the same 身份证号 is the same person,
//! else the same 手机号 — each also among the numbers a worker had before, on either side
//! (`worker_numbers`), so a person whose phone changed in one street is still one person. A
//! number that names two different people (one 手机号, two 身份证号) is a conflict; the
//! number stays with the person who has it here.
//!
//! A person already here under another street becomes a posting in the street there
//! (`worker_postings`: street, station and dates there; the enterprise of that job is not
//! compared), the first time and at every later merge of that origin; a worker an
//! origin brought (or first matched in the same street) follows that origin's changes,
//! street moves included.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use rustc_hash::FxHashMap;

use super::{ConflictKind, Entity, Kind, Reconciled, Run, digest, field};
use crate::model::period::stored_day;

/// The worker fields merged, in `workers` column order.
pub(super) const WORKER: Entity = Entity {
    name: "worker",
    table: "workers",
    fields: &[
        field("name", "name", None),
        field("gender", "gender", None),
        field("id_number", "id_number", None),
        field("phone", "phone", None),
        field("political_status", "political_status", None),
        field("occupation", "occupation", None),
        field("enterprise_id", "enterprise", Some("enterprises")),
        field("station_id", "station", Some("stations")),
        field("street_id", "street", Some("streets")),
        field("community_id", "community", Some("communities")),
        field("joined_on", "joined_on", None),
        field("left_on", "left_on", None),
        field("note", "note", None),
        field("purged_on", "purged_on", None),
    ],
    logged: true,
    renamed: None,
};

// Positions in WORKER.fields.
const NAME: usize = 0;
const ID_NUMBER: usize = 2;
const PHONE: usize = 3;
pub(super) const ENTERPRISE: usize = 6;
pub(super) const STATION: usize = 7;
pub(super) const STREET: usize = 8;
pub(super) const COMMUNITY: usize = 9;
pub(super) const JOINED: usize = 10;
pub(super) const LEFT: usize = 11;
const PURGED: usize = 13;

/// The numbers of the workers here: current and former, by kind.
#[derive(Default)]
struct Numbers {
    current: FxHashMap<(u8, String), i64>,
    former: FxHashMap<(u8, String), Vec<i64>>,
}

/// 0 for 身份证号, 1 for 手机号.
fn kind_of(kind: &str) -> u8 {
    u8::from(kind == "phone")
}

impl Numbers {
    fn load(conn: &rusqlite::Connection) -> Result<Self> {
        let mut n = Self::default();
        let mut stmt = conn.prepare("SELECT id, id_number, phone FROM workers")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if let Some(x) = r.get::<_, Option<String>>(1)? {
                n.current.insert((0, x), id);
            }
            if let Some(x) = r.get::<_, Option<String>>(2)? {
                n.current.insert((1, x), id);
            }
        }
        let mut stmt = conn.prepare("SELECT worker_id, kind, number FROM worker_numbers")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let kind = kind_of(r.get_ref(1)?.as_str()?);
            n.former.entry((kind, r.get(2)?)).or_default().push(id);
        }
        Ok(n)
    }

    /// The worker here holding `number` now, else the one that held it before (when only
    /// one did).
    fn find(&self, kind: u8, number: &str) -> Option<i64> {
        let key = (kind, number.to_string());
        if let Some(id) = self.current.get(&key) {
            return Some(*id);
        }
        match self.former.get(&key).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    fn was_held_by(&self, kind: u8, number: &str, id: i64) -> bool {
        self.former
            .get(&(kind, number.to_string()))
            .is_some_and(|v| v.contains(&id))
    }
}

/// A text value, if any.
fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(s) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// The street a worker of the origin counted under on a day there: the street its register
/// says now, unless its change log shows a change of street after that day (as the figures
/// of the origin count it: `db::figures`).
pub(super) struct SourceStreets {
    current: FxHashMap<i64, i64>,
    changes: FxHashMap<i64, Vec<(NaiveDate, i64)>>,
}

impl SourceStreets {
    pub(super) fn load(conn: &rusqlite::Connection) -> Result<Self> {
        let current = conn
            .prepare("SELECT id, street_id FROM workers")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let changes = crate::db::figures::street_changes(conn)?;
        Ok(Self { current, changes })
    }

    /// The origin's street id of `worker` on `day`.
    pub(super) fn on(&self, worker: i64, day: Option<NaiveDate>) -> Option<i64> {
        if let Some(day) = day
            && let Some((_, old)) = self
                .changes
                .get(&worker)
                .and_then(|c| c.iter().find(|(d, _)| *d > day))
        {
            return Some(*old);
        }
        self.current.get(&worker).copied()
    }
}

impl Run<'_> {
    /// Merges the workers, their former numbers, memberships and stages.
    pub(super) fn workers(&mut self, streets: &SourceStreets) -> Result<()> {
        let mut numbers = Numbers::load(self.tx)?;
        let mut theirs_former: FxHashMap<i64, Vec<(String, String, String)>> = FxHashMap::default();
        {
            let mut stmt = self
                .src
                .conn
                .prepare("SELECT worker_id, kind, number, until FROM worker_numbers ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                theirs_former
                    .entry(r.get(0)?)
                    .or_default()
                    .push((r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        let ids: Vec<i64> = self
            .src
            .conn
            .prepare("SELECT id FROM workers ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let today = super::super::now_text()[..10].to_string();
        for sid in ids {
            let mut theirs = self.source_values(&WORKER, sid)?;
            self.map_ids(&WORKER, &mut theirs);
            let sd = digest(&theirs);
            let former = theirs_former.get(&sid).map(Vec::as_slice).unwrap_or(&[]);
            let record = person(&theirs);
            let mapped = self.mapped(&WORKER, sid)?;
            let mut by_id = false;
            let found = match mapped {
                Some(id) => Some(id),
                None if !matches!(theirs[PURGED], Value::Null) => None,
                None => {
                    let find = |kind: u8, current: Option<&str>| {
                        current.and_then(|n| numbers.find(kind, n)).or_else(|| {
                            former
                                .iter()
                                .filter(|(k, _, _)| kind_of(k) == kind)
                                .find_map(|(_, n, _)| numbers.current.get(&(kind, n.clone())))
                                .copied()
                        })
                    };
                    let id_match = find(0, text(&theirs[ID_NUMBER]));
                    let phone_match = find(1, text(&theirs[PHONE]));
                    // Who holds the 手机号 there now, here now: only that is two people with
                    // one number (a number one of them had before may have passed on).
                    let phone_now = text(&theirs[PHONE])
                        .and_then(|n| numbers.current.get(&(1, n.to_string())).copied());
                    match (id_match, phone_match) {
                        (Some(w), _) => {
                            by_id = true;
                            if let Some(q) = phone_now.filter(|q| *q != w) {
                                let holder = self.person_here(q)?;
                                self.conflict(
                                    ConflictKind::NumberTwoPeople,
                                    record.clone(),
                                    &super::field_label("phone"),
                                    holder,
                                    record.clone(),
                                );
                                theirs[PHONE] = self.local_values(&WORKER, w)?[PHONE].clone();
                            }
                            Some(w)
                        }
                        (None, Some(q)) => {
                            let here = self.local_values(&WORKER, q)?;
                            match (text(&here[ID_NUMBER]), text(&theirs[ID_NUMBER])) {
                                (Some(a), Some(b)) if a != b && phone_now != Some(q) => {
                                    // Two people, found by a number one of them had before:
                                    // a new person, unless a third holds the 手机号 now.
                                    if let Some(r) = phone_now {
                                        let holder = self.person_here(r)?;
                                        self.conflict(
                                            ConflictKind::NumberTwoPeople,
                                            record.clone(),
                                            &super::field_label("phone"),
                                            holder,
                                            record.clone(),
                                        );
                                        theirs[PHONE] = Value::Null;
                                    }
                                    None
                                }
                                (Some(a), Some(b)) if a != b => {
                                    self.conflict(
                                        ConflictKind::NumberTwoPeople,
                                        record.clone(),
                                        &super::field_label("phone"),
                                        person(&here),
                                        record.clone(),
                                    );
                                    // Two people: the phone stays with the one here.
                                    theirs[PHONE] = Value::Null;
                                    None
                                }
                                _ => Some(q),
                            }
                        }
                        (None, None) => None,
                    }
                }
            };
            let id = match found {
                None => {
                    let id = self.insert(&WORKER, &theirs, &[])?;
                    if !matches!(theirs[PURGED], Value::Null) {
                        // A worker purged there keeps a name unique by its row id here.
                        self.tx.execute(
                            "UPDATE workers SET name = ?2 WHERE id = ?1",
                            params![id, super::super::purge::placeholder(id)],
                        )?;
                    }
                    let d = digest(&theirs);
                    self.remember(
                        WORKER.name,
                        sid,
                        id,
                        d,
                        digest(&self.local_values(&WORKER, id)?),
                    )?;
                    self.count(Kind::Workers).new += 1;
                    for (k, v) in [(0u8, ID_NUMBER), (1, PHONE)] {
                        if let Some(n) = text(&theirs[v]) {
                            numbers.current.insert((k, n.to_string()), id);
                        }
                    }
                    id
                }
                Some(w) if self.erased_there(w, &theirs)? => {
                    // Purged there, and known to no other registry merged here: erased here
                    // too, in this transaction (VACUUM after the commit).
                    let left_here = self.local_values(&WORKER, w)?[LEFT].clone();
                    self.left_there(w, &left_here, &theirs[LEFT])?;
                    super::super::purge::erase(self.tx, w, &today, "merge")?;
                    self.erased += 1;
                    let now = self.local_values(&WORKER, w)?;
                    self.remember(WORKER.name, sid, w, sd, digest(&now))?;
                    self.count(Kind::Workers).updated += 1;
                    w
                }
                Some(w) => {
                    let ours = self.local_values(&WORKER, w)?;
                    let mut newer: Vec<&str> = Vec::new();
                    for (k, i, col) in [(0u8, ID_NUMBER, "id_number"), (1, PHONE, "phone")] {
                        let (Some(th), Some(o)) = (text(&theirs[i]), text(&ours[i])) else {
                            continue;
                        };
                        if th == o {
                            continue;
                        }
                        if numbers.was_held_by(k, th, w) {
                            // Their number is one the worker had before here: ours is newer.
                            theirs[i] = ours[i].clone();
                        } else if let Some((_, _, until)) =
                            former.iter().find(|(kk, n, _)| kind_of(kk) == k && n == o)
                        {
                            // Ours is one the worker had before there: theirs is newer.
                            newer.push(col);
                            self.tx.execute(
                                "INSERT OR IGNORE INTO worker_numbers (worker_id, kind, number, until)
                                 VALUES (?1, ?2, ?3, ?4)",
                                params![w, col, o, until],
                            )?;
                            numbers.current.remove(&(k, o.to_string()));
                            numbers.current.insert((k, th.to_string()), w);
                        }
                    }
                    let posting = self.posting_of(w, &theirs[STREET])?;
                    let other_street = !matches!(
                        (&theirs[STREET], &ours[STREET]),
                        (Value::Integer(a), Value::Integer(b)) if a == b
                    );
                    if posting.is_some() || (mapped.is_none() && other_street) {
                        self.post(w, &theirs, posting)?;
                        for i in [ENTERPRISE, STATION, STREET, COMMUNITY, JOINED, LEFT] {
                            theirs[i] = ours[i].clone();
                        }
                    }
                    if !matches!(theirs[PURGED], Value::Null) {
                        // Purged there, known to another registry here: kept as it is here,
                        // but the day the person left that street counts (a posting there
                        // took its dates above).
                        if posting.is_none() {
                            self.left_there(w, &ours[LEFT], &theirs[LEFT])?;
                        }
                        let ours = self.local_values(&WORKER, w)?;
                        self.remember(WORKER.name, sid, w, sd, digest(&ours))?;
                        self.count(Kind::Workers).same += 1;
                        self.workers.insert(sid, w);
                        continue;
                    }
                    let r = self.reconcile(
                        &WORKER,
                        sid,
                        w,
                        &theirs,
                        sd,
                        &newer,
                        &|| record.clone(),
                        &|f| {
                            if by_id && f.column == "name" {
                                ConflictKind::IdTwoNames
                            } else {
                                ConflictKind::Field
                            }
                        },
                    )?;
                    let c = self.count(Kind::Workers);
                    match r {
                        Reconciled::Same => c.same += 1,
                        Reconciled::Updated => c.updated += 1,
                    }
                    w
                }
            };
            self.workers.insert(sid, id);
            let held: Vec<Option<String>> = self
                .local_values(&WORKER, id)?
                .iter()
                .map(|v| text(v).map(str::to_string))
                .collect();
            for (kind, number, until) in former {
                let current = if kind == "phone" { PHONE } else { ID_NUMBER };
                if held[current].as_deref() == Some(number.as_str()) {
                    continue;
                }
                self.tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO worker_numbers (worker_id, kind, number, until)
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![id, kind, number, until])?;
                numbers
                    .former
                    .entry((kind_of(kind), number.clone()))
                    .or_default()
                    .push(id);
            }
        }
        self.memberships()?;
        self.stages(streets)?;
        Ok(())
    }

    /// Records the day worker `w` left, as the registry there says it (`there`), when it
    /// differs from the day here (`here`), in the change log with this origin.
    fn left_there(&self, w: i64, here: &Value, there: &Value) -> Result<()> {
        if here == there || matches!(there, Value::Null) {
            return Ok(());
        }
        self.tx.execute(
            "UPDATE workers SET left_on = ?2 WHERE id = ?1",
            params![w, there],
        )?;
        let text = |v: &Value| match v {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        };
        crate::db::changes::log(
            self.tx,
            "worker",
            &w.to_string(),
            "left_on",
            text(here).as_deref(),
            text(there).as_deref(),
            "merge",
            Some(self.batch),
        )?;
        self.tx.execute(
            "UPDATE change_log SET origin_id = ?1 WHERE id = last_insert_rowid()",
            [self.origin],
        )?;
        Ok(())
    }

    /// Whether worker `w` here, matched by a record there (`theirs`) that the registry there
    /// has purged since, is to be erased here: not purged here yet, and known to no other
    /// registry merged here (no other origin matched it, no posting of another origin).
    fn erased_there(&self, w: i64, theirs: &[Value]) -> Result<bool> {
        if matches!(theirs[PURGED], Value::Null) {
            return Ok(false);
        }
        let (purged, others): (Option<String>, i64) = self.tx.query_row(
            "SELECT (SELECT purged_on FROM workers WHERE id = ?1),
                    (SELECT count(*) FROM merge_rows WHERE entity = 'worker' AND local_id = ?1
                       AND origin_id <> ?2)
                    + (SELECT count(*) FROM worker_postings WHERE worker_id = ?1
                       AND origin_id IS NOT ?2)",
            params![w, self.origin],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(purged.is_none() && others == 0)
    }

    /// The posting of worker `id` in `street` this origin made, if any (a registry that
    /// merged others brings postings of its own, in other streets than its worker rows): `(posting id, street id)`.
    fn posting_of(&self, id: i64, street: &Value) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT id FROM worker_postings WHERE worker_id = ?1 AND origin_id = ?2
                   AND street_id IS ?3",
            )?
            .query_row(params![id, self.origin, street], |r| r.get(0))
            .optional()?)
    }

    /// Records (or brings up to date) the posting of worker `id` in the street of `theirs`,
    /// with its station, enterprise, community and dates there.
    pub(super) fn post(&mut self, id: i64, theirs: &[Value], posting: Option<i64>) -> Result<()> {
        let there = [
            theirs[STATION].clone(),
            theirs[ENTERPRISE].clone(),
            theirs[COMMUNITY].clone(),
            theirs[JOINED].clone(),
            theirs[LEFT].clone(),
        ];
        let Some(p) = posting else {
            let n = self.tx.execute(
                "INSERT INTO worker_postings (worker_id, street_id, station_id, enterprise_id,
                                              community_id, joined_on, left_on, origin_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (worker_id, street_id) DO NOTHING",
                params![id, theirs[STREET], there[0], there[1], there[2], there[3], there[4], self.origin],
            )?;
            let c = self.count(Kind::Postings);
            if n == 0 {
                c.same += 1;
            } else {
                c.new += 1;
            }
            return Ok(());
        };
        let now: [Value; 5] = self.tx.query_row(
            "SELECT station_id, enterprise_id, community_id, joined_on, left_on
             FROM worker_postings WHERE id = ?1",
            [p],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
        )?;
        if now == there {
            self.count(Kind::Postings).same += 1;
            return Ok(());
        }
        self.tx.execute(
            "UPDATE worker_postings SET station_id = ?2, enterprise_id = ?3, community_id = ?4,
                                        joined_on = ?5, left_on = ?6
             WHERE id = ?1",
            params![p, there[0], there[1], there[2], there[3], there[4]],
        )?;
        self.count(Kind::Postings).updated += 1;
        Ok(())
    }

    /// A worker here as conflicts show them: name and masked number.
    pub(super) fn person_here(&self, id: i64) -> Result<String> {
        Ok(person(&self.local_values(&WORKER, id)?))
    }

    /// 组织关系: a worker's membership there, unless one is recorded here (a different one
    /// is a conflict).
    fn memberships(&mut self) -> Result<()> {
        let rows: Vec<(i64, Option<i64>, Option<String>)> = self
            .src
            .conn
            .prepare("SELECT worker_id, org_id, home_org FROM memberships ORDER BY worker_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (sw, org, home) in rows {
            let Some(&w) = self.workers.get(&sw) else {
                continue;
            };
            let org = org.and_then(|o| self.orgs.get(&o).copied());
            if org.is_none() && home.is_none() {
                continue;
            }
            let here: Option<(Option<i64>, Option<String>)> = self
                .tx
                .prepare_cached("SELECT org_id, home_org FROM memberships WHERE worker_id = ?1")?
                .query_row([w], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match here {
                None => {
                    self.tx.execute(
                        "INSERT INTO memberships (worker_id, org_id, home_org) VALUES (?1, ?2, ?3)",
                        params![w, org, home],
                    )?;
                }
                Some(h) if h == (org, home.clone()) => {}
                Some((ho, hh)) => {
                    let name = |o: Option<i64>, h: Option<String>| -> Result<String> {
                        Ok(match o {
                            Some(o) => self
                                .tx
                                .query_row("SELECT name FROM party_orgs WHERE id = ?1", [o], |r| {
                                    r.get(0)
                                })
                                .optional()?
                                .unwrap_or_default(),
                            None => h.unwrap_or_default(),
                        })
                    };
                    let (a, b) = (name(ho, hh)?, name(org, home)?);
                    let record = self.person_here(w)?;
                    self.conflict(
                        ConflictKind::Field,
                        record,
                        &super::field_label("membership_org"),
                        a,
                        b,
                    );
                }
            }
        }
        Ok(())
    }

    /// 入党 stages: each stage of a worker once (the date here kept), under the street it
    /// counted under there.
    fn stages(&mut self, streets: &SourceStreets) -> Result<()> {
        type Row = (
            i64,
            String,
            String,
            Option<i64>,
            String,
            String,
            Option<i64>,
        );
        let rows: Vec<Row> = self
            .src
            .conn
            .prepare(
                "SELECT worker_id, stage, date, instructor_id, operator, entered_at, street_id
                 FROM worker_stages ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (sw, stage, date, instructor, operator, entered_at, named) in rows {
            let Some(&w) = self.workers.get(&sw) else {
                continue;
            };
            let instructor = instructor.and_then(|i| self.instructors.get(&i).copied());
            let street = self.street_there(streets, sw, named, stored_day(&date));
            let here: Option<i64> = self
                .tx
                .prepare_cached("SELECT id FROM worker_stages WHERE worker_id = ?1 AND stage = ?2")?
                .query_row(params![w, stage], |r| r.get(0))
                .optional()?;
            match here {
                Some(id) => self.also_counts("worker_stages", id, street)?,
                None => {
                    self.tx
                        .prepare_cached(
                            "INSERT INTO worker_stages (worker_id, stage, date, instructor_id, operator, entered_at, street_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        )?
                        .execute(params![w, stage, date, instructor, operator, entered_at, street])?;
                }
            }
        }
        Ok(())
    }
}

/// A worker as conflicts show them: `姓名（masked 身份证号 or 手机号）`.
fn person(values: &[Value]) -> String {
    let name = text(&values[NAME]).unwrap_or("");
    let number = text(&values[ID_NUMBER])
        .map(crate::model::mask_id)
        .or_else(|| text(&values[PHONE]).map(crate::model::mask_phone));
    match number {
        Some(n) => format!("{name}（{n}）"),
        None => name.to_string(),
    }
}
