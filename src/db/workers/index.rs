//! The in-memory index of every worker, by 身份证号 and by 手机号, that event imports use to
//! find a worker per row without a query, and the rules of which worker a row may name.

use anyhow::Result;
use chrono::Datelike;
use rusqlite::Connection;
use rust_i18n::t;
use rustc_hash::FxHashMap;

use super::numbers::{self, Former};
use crate::model::{CellError, Field, IdNumber, Phone, WorkerRef, mask_id};

/// What the index keeps of a worker.
#[derive(Debug, Clone)]
pub struct WorkerEntry {
    /// Registered 姓名.
    pub name: String,
    /// 身份证号, if known.
    pub id_number: Option<String>,
    /// 手机号, if known.
    pub phone: Option<String>,
    /// Street of the worker's registration.
    pub street_id: i64,
    /// Community of the worker's registration.
    pub community_id: Option<i64>,
    /// 离职日期: the last day worked, if the worker left.
    pub left_on: Option<chrono::NaiveDate>,
    /// 入职日期: the first day worked, if known.
    pub joined_on: Option<chrono::NaiveDate>,
}

/// Every worker, by 身份证号 and by 手机号. Memory is proportional to the number of workers
/// (a district has thousands), never to the size of an imported file. Numbers are keyed as
/// integers: a 手机号 is 11 digits, and a 身份证号 is fixed by its first 17 digits (the 18th
/// is their check character).
#[derive(Default)]
pub struct WorkerIndex {
    pub(super) by_id_number: FxHashMap<u64, i64>,
    /// With the holder's working days beside the id, so that an event row naming a 手机号 is
    /// found and dated in one memory access ([`WorkerIndex::by_phone_working_on`]).
    pub(super) by_phone: FxHashMap<u64, PhoneHolder>,
    /// By row id (ids are dense rowids): one memory access per lookup.
    entries: Vec<Option<WorkerEntry>>,
    /// Former 身份证号 (`worker_numbers`), keyed like `by_id_number`: their holders, the one
    /// who gave the number up last at the end.
    former_id_numbers: FxHashMap<u64, Vec<Former>>,
    /// Former 手机号, likewise.
    former_phones: FxHashMap<u64, Vec<Former>>,
}

/// The current holder of a 手机号 and their working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PhoneHolder {
    /// Worker row id.
    pub(super) id: i64,
    /// 入职日期 as days from the common era (`i32::MIN`: not known).
    joined: i32,
    /// 离职日期 likewise (`i32::MAX`: still working).
    left: i32,
}

impl PhoneHolder {
    fn of(id: i64, e: &WorkerEntry) -> Self {
        Self {
            id,
            joined: e.joined_on.map_or(i32::MIN, |d| d.num_days_from_ce()),
            left: e.left_on.map_or(i32::MAX, |d| d.num_days_from_ce()),
        }
    }
}

pub(super) fn phone_key(p: &str) -> u64 {
    p.parse().unwrap_or(u64::MAX)
}

pub(super) fn id_key(i: &str) -> u64 {
    i.get(..17).and_then(|d| d.parse().ok()).unwrap_or(u64::MAX)
}

impl WorkerIndex {
    /// Reads every worker.
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut index = Self::default();
        // Sized once: growing by doubling would hold two copies at the peak.
        let (count, last): (i64, i64) = conn.query_row(
            "SELECT count(*), coalesce(max(id), 0) FROM workers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        index
            .entries
            .reserve_exact(usize::try_from(last).unwrap_or(0) + 1);
        let count = usize::try_from(count).unwrap_or(0);
        index.by_id_number.reserve(count);
        index.by_phone.reserve(count);
        let mut stmt = conn.prepare(
            "SELECT id, name, id_number, phone, street_id, community_id, left_on, joined_on
             FROM workers",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            index.insert(
                id,
                WorkerEntry {
                    name: r.get(1)?,
                    id_number: r.get(2)?,
                    phone: r.get(3)?,
                    street_id: r.get(4)?,
                    community_id: r.get(5)?,
                    left_on: r
                        .get::<_, Option<String>>(6)?
                        .and_then(|d| crate::model::period::stored_day(&d)),
                    joined_on: r
                        .get::<_, Option<String>>(7)?
                        .and_then(|d| crate::model::period::stored_day(&d)),
                },
            );
        }
        for (kind, number, holder) in numbers::all(conn)? {
            index.add_former(&kind, &number, holder);
        }
        Ok(index)
    }

    /// Adds a number worker `holder.worker` had until `holder.until` (`kind`: `id_number` or
    /// `phone`). Holders are kept in the order added, a holder added again moves to the end:
    /// added in order of `until`, the last one gave the number up last.
    pub(super) fn add_former(&mut self, kind: &str, number: &str, holder: Former) {
        let (map, key) = if kind == "id_number" {
            (&mut self.former_id_numbers, id_key(number))
        } else {
            (&mut self.former_phones, phone_key(number))
        };
        let holders = map.entry(key).or_default();
        holders.retain(|h| h.worker != holder.worker);
        holders.push(holder);
    }

    /// The workers who had the 身份证号 `i` before (not as their current number), earliest
    /// giving it up first.
    fn former_of_id(&self, i: &str) -> &[Former] {
        self.former_id_numbers
            .get(&id_key(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Forgets that worker `worker` had the number (`kind`: `id_number` or `phone`): they
    /// have taken it back.
    pub(super) fn drop_former(&mut self, kind: &str, number: &str, worker: i64) {
        let (map, key) = if kind == "id_number" {
            (&mut self.former_id_numbers, id_key(number))
        } else {
            (&mut self.former_phones, phone_key(number))
        };
        if let Some(holders) = map.get_mut(&key) {
            holders.retain(|h| h.worker != worker);
        }
    }

    /// True when worker `w` had the 身份证号 `i` before.
    pub(super) fn had_id_number(&self, w: i64, i: &str) -> bool {
        self.former_of_id(i).iter().any(|h| h.worker == w)
    }

    /// The workers who had the 手机号 `p` before, earliest giving it up first.
    fn former_of_phone(&self, p: &str) -> &[Former] {
        self.former_phones
            .get(&phone_key(p))
            .map_or(&[], Vec::as_slice)
    }

    pub(super) fn insert(&mut self, id: i64, e: WorkerEntry) {
        let slot = usize::try_from(id).expect("row ids are positive");
        if self.entries.len() <= slot {
            self.entries.resize(slot + 1, None);
        }
        if let Some(old) = &self.entries[slot] {
            if let Some(i) = &old.id_number {
                self.by_id_number.remove(&id_key(i));
            }
            if let Some(p) = &old.phone {
                self.by_phone.remove(&phone_key(p));
            }
        }
        if let Some(i) = &e.id_number {
            self.by_id_number.insert(id_key(i), id);
        }
        if let Some(p) = &e.phone {
            self.by_phone.insert(phone_key(p), PhoneHolder::of(id, &e));
        }
        self.entries[slot] = Some(e);
    }

    /// The worker with this id.
    pub fn entry(&self, id: i64) -> Option<&WorkerEntry> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.entries.get(i))
            .and_then(Option::as_ref)
    }

    /// Every worker indexed and its entry, by ascending row id.
    pub fn entries(&self) -> impl Iterator<Item = (i64, &WorkerEntry)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i64::try_from(i).ok()?, e.as_ref()?)))
    }

    pub(super) fn known(&self, id: i64) -> &WorkerEntry {
        self.entry(id).expect("indexed ids have entries")
    }

    /// Finds the worker a row names: by 身份证号 when given, else by 手机号 — current numbers
    /// only, and a 身份证号 the worker had before ([`find_named`](Self::find_named) without a
    /// name).
    ///
    /// `Ok(None)`: nobody has either number. Errors: as [`find_named`](Self::find_named).
    pub fn find(
        &self,
        id_number: Option<&IdNumber>,
        phone: Option<&Phone>,
    ) -> Result<Option<i64>, CellError> {
        self.find_named(id_number, phone, None)
    }

    /// Finds the worker a row named `name` names: by 身份证号 when given, else by 手机号. A
    /// current number wins; else a 身份证号 a worker had before finds them (a 身份证号 is one
    /// person's for life), and, on a row without a 身份证号, a 手机号 a worker named `name` had
    /// before finds the last of them to give it up (a 手机号 passes from one person to
    /// another, so the name must agree).
    ///
    /// `Ok(None)`: nobody has either number. Errors: the two numbers belong to two different
    /// workers, or the phone belongs to a worker registered with another 身份证号 (both named,
    /// masked).
    pub fn find_named(
        &self,
        id_number: Option<&IdNumber>,
        phone: Option<&Phone>,
        name: Option<&str>,
    ) -> Result<Option<i64>, CellError> {
        let by_id = id_number.and_then(|i| self.by_id_number.get(&id_key(i.as_str())).copied());
        let by_phone = phone.and_then(|p| self.by_phone.get(&phone_key(p.as_str())).map(|h| h.id));
        match (by_id, by_phone) {
            (Some(a), Some(b)) if a != b => Err(CellError::new(
                Field::Phone,
                phone.map_or("", |p| p.as_str()),
                t!(
                    "records.worker.phone_of_other",
                    phone_owner = self.known(b).name,
                    id_number = mask_id(id_number.map_or("", |i| i.as_str())),
                    id_owner = self.known(a).name
                )
                .into_owned(),
            )),
            (Some(a), _) => Ok(Some(a)),
            (None, Some(b)) => {
                if let (None, Some(p), Some(n)) = (id_number, phone, name) {
                    self.changed_hands(p, b, n)?;
                }
                // Only a row that also gives a 身份证号 needs the worker's own (one memory
                // access fewer per row of a phone-only register).
                if let Some(given) = id_number {
                    let e = self.known(b);
                    if let Some(known) = &e.id_number
                        && given.as_str() != known
                        && !self
                            .former_of_id(given.as_str())
                            .iter()
                            .any(|h| h.worker == b)
                    {
                        return Err(CellError::new(
                            Field::Phone,
                            phone.map_or("", |p| p.as_str()),
                            t!(
                                "records.worker.phone_other_id",
                                name = e.name,
                                registered = mask_id(known),
                                given = given
                            )
                            .into_owned(),
                        ));
                    }
                }
                Ok(Some(b))
            }
            // A number given up: its holder (the last one to give it up).
            (None, None) => Ok(match (id_number, phone, name) {
                (Some(i), _, _) => self.former_of_id(i.as_str()).last().map(|h| h.worker),
                (None, Some(p), Some(n)) => self
                    .former_of_phone(p.as_str())
                    .iter()
                    .rev()
                    .find(|h| self.known(h.worker).name == n)
                    .map(|h| h.worker),
                _ => None,
            }),
        }
    }

    /// The worker an event row dated `date` names when it gives only a 手机号 (no 身份证号, no
    /// 姓名), that number is somebody's now, and they work on that day: what
    /// [`find_event_worker`](Self::find_event_worker) and [`working_on`](Self::working_on)
    /// find for it, from one lookup. `None` for every other row (those two decide).
    pub fn by_phone_working_on(&self, who: &WorkerRef, date: chrono::NaiveDate) -> Option<i64> {
        if who.id_number.is_some() || who.name.is_some() {
            return None;
        }
        let h = self
            .by_phone
            .get(&phone_key(who.phone.as_ref()?.as_str()))?;
        let day = date.num_days_from_ce();
        (h.joined <= day && day <= h.left).then_some(h.id)
    }

    /// Reads the current holder of the 手机号 `raw` (as written; only 11 ASCII digits are looked
    /// up) and returns their id, 0 when nobody or not looked up: see [`Resolve::warm`].
    ///
    /// [`Resolve::warm`]: crate::model::Resolve::warm
    pub fn warm_phone(&self, raw: &str) -> u64 {
        if raw.len() != 11 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return 0;
        }
        self.by_phone
            .get(&phone_key(raw))
            .map_or(0, |h| h.id.unsigned_abs())
    }

    /// Refuses an event dated before the worker joined (入职日期) or after the worker left
    /// (离职日期).
    ///
    /// Errors: the date and the joining or leaving date, with the fixes.
    pub fn working_on(&self, id: i64, date: chrono::NaiveDate) -> Result<(), CellError> {
        self.joined_by(id, date)?;
        match self.entry(id) {
            Some(e) if e.left_on.is_some_and(|l| date > l) => Err(CellError::new(
                Field::Date,
                &date.to_string(),
                t!(
                    "records.worker.event_after_leaving",
                    name = e.name,
                    left_on = e.left_on.expect("checked")
                )
                .into_owned(),
            )),
            _ => Ok(()),
        }
    }

    /// Refuses an event dated before the worker joined (入职日期): a redemption, which a worker
    /// who left may still make (src/db/workers/dates.rs).
    ///
    /// Errors: the date and the 入职日期, with the fix.
    pub fn joined_by(&self, id: i64, date: chrono::NaiveDate) -> Result<(), CellError> {
        super::dates::joined_by(self.entry(id), date)
    }

    /// Finds the worker an event row names, cross-checking the 姓名 written beside the number.
    /// A number the worker had before (`worker_numbers`) finds them as their current one does:
    /// an export made before a change of number keeps its worker. A 手机号 that is now
    /// somebody's current number but was another's before, on a row naming the one before, is
    /// refused naming both; a row giving that worker's 身份证号 beside it is theirs.
    ///
    /// Errors: nobody has or had the number (masked); the name differs from the registered one
    /// (both named); the numbers point at two workers; the 手机号 is another's now (both named,
    /// with the day it changed hands).
    pub fn find_event_worker(&self, who: &WorkerRef) -> Result<i64, CellError> {
        let found = match self.find_named(
            who.id_number.as_ref(),
            who.phone.as_ref(),
            who.name.as_deref(),
        ) {
            // A 手机号 given up, on a row whose name is not its holder's: the last holder, for
            // the name check below to name.
            Ok(None) if who.id_number.is_none() => who
                .phone
                .as_ref()
                .and_then(|p| self.former_of_phone(p.as_str()).last())
                .map(|h| h.worker),
            Ok(found) => found,
            Err(e) => match self.by_id_with_former_phone(who) {
                Some(id) => Some(id),
                None => return Err(e),
            },
        };
        let Some(mut id) = found else {
            let (field, raw) = match (&who.phone, &who.id_number) {
                (Some(p), _) => (Field::Phone, p.as_str()),
                (None, Some(i)) => (Field::IdNumber, i.as_str()),
                (None, None) => (Field::Phone, ""),
            };
            let problem = if field == Field::Phone {
                t!("records.worker.no_such_phone")
            } else {
                t!("records.worker.no_such_id_number")
            };
            return Err(CellError::new(field, raw, problem.into_owned()));
        };
        if let Some(name) = &who.name
            && *name != self.known(id).name
        {
            match self.named_former_holder(who, id, name) {
                Some(holder) => id = holder,
                None => {
                    let e = self.known(id);
                    return Err(CellError::new(
                        Field::Name,
                        name,
                        if who.id_number.is_some() {
                            t!("records.worker.name_differs_id_number", name = e.name)
                        } else {
                            t!("records.worker.name_differs_phone", name = e.name)
                        }
                        .into_owned(),
                    ));
                }
            }
        }
        Ok(id)
    }

    /// The worker a row names by 身份证号 (current) when its 手机号 is one that worker had
    /// before, now somebody else's: the 身份证号 decides.
    fn by_id_with_former_phone(&self, who: &WorkerRef) -> Option<i64> {
        let (i, p) = (who.id_number.as_ref()?, who.phone.as_ref()?);
        let a = *self.by_id_number.get(&id_key(i.as_str()))?;
        self.former_of_phone(p.as_str())
            .iter()
            .any(|h| h.worker == a)
            .then_some(a)
    }

    /// Refuses a row without a 身份证号 whose 手机号 `p` is worker `now`'s current number when
    /// the row's 姓名 `name` is not `now`'s but that of a worker who had the number before.
    ///
    /// Errors: both named, with the day the number changed hands, and the fixes.
    fn changed_hands(&self, p: &Phone, now: i64, name: &str) -> Result<(), CellError> {
        // Most numbers were nobody's before: one lookup, and the worker's entry is not read.
        let holders = self.former_of_phone(p.as_str());
        if holders.is_empty() {
            return Ok(());
        }
        let current = self.known(now);
        if current.name == name {
            return Ok(());
        }
        match holders
            .iter()
            .rev()
            .find(|h| h.worker != now && self.known(h.worker).name == name)
        {
            Some(before) => Err(CellError::new(
                Field::Phone,
                p.as_str(),
                t!(
                    "identity.phone_changed_hands",
                    now = current.name,
                    before = name,
                    until = before.until
                )
                .into_owned(),
            )),
            None => Ok(()),
        }
    }

    /// For a row whose 姓名 `name` is not that of worker `found`, found by a number given up:
    /// the worker named `name` who had the row's 身份证号 before, when there is one.
    fn named_former_holder(&self, who: &WorkerRef, found: i64, name: &str) -> Option<i64> {
        let current = self.known(found);
        let holders = match &who.id_number {
            Some(i) if current.id_number.as_deref() != Some(i.as_str()) => {
                self.former_of_id(i.as_str())
            }
            _ => &[],
        };
        holders
            .iter()
            .rev()
            .find(|h| h.worker != found && self.known(h.worker).name == name)
            .map(|h| h.worker)
    }
}
