//! Partner merchants (爱心商家/合作单位): the loader of the register (a merchant is its name
//! within its street, so a register imported again changes nothing and an updated one
//! updates), the end of an agreement (`merchant end`), finding a merchant by name, and the
//! list of `merchant list`. What a merchant counts for in the reports is `figures`'s.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use rusqlite::{Connection, params};
use rust_i18n::t;

use super::places::{Places, nearest};
use super::{LookupError, Reader};
use crate::model::{
    Absent, CellError, Field, MerchantRecord, Missing, Outcome, Store, StoreError, Vocabulary,
};

/// The stored columns of a merchant besides its name and street, as compared on re-import.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    kind: String,
    community_id: Option<i64>,
    address: String,
    offer: String,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    since_on: Option<String>,
    until_on: Option<String>,
}

/// Loads partner-merchant records: a merchant is identified by its name within its street.
/// A blank cell keeps what is stored; a merchant listed twice in one street by one file is
/// refused at its second line, naming the first.
pub struct MerchantLoader<'c> {
    conn: &'c Connection,
    places: Places,
    /// (street id, name) → merchant id.
    index: HashMap<(i64, String), i64>,
    /// (street id, name) → the line of this file that listed it.
    seen: HashMap<(i64, String), u64>,
    batch: Option<i64>,
    /// Merchants a stored row added or matched.
    present: BTreeSet<i64>,
    /// Today, `YYYY-MM-DD`, for an import: the merchants in force today that the register
    /// leaves out are listed after it (`None` when typed at the terminal).
    today: Option<String>,
}

impl<'c> MerchantLoader<'c> {
    /// Prepares to load into `conn` (inside the import's or the command's transaction);
    /// `batch` is the import batch (`None` when typed at the terminal).
    ///
    /// Errors: the database failed.
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        let mut index = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, street_id, name FROM merchants")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            index.insert((r.get(1)?, r.get(2)?), r.get(0)?);
        }
        Ok(Self {
            conn,
            places: Places::load(conn)?,
            index,
            seen: HashMap::new(),
            batch,
            present: BTreeSet::new(),
            today: None,
        })
    }

    /// Reads a register as a snapshot of the streets it covers: after its last row,
    /// [`Store::missing`] lists the merchants of those streets in force on `today` (or
    /// later) that no row named.
    pub fn snapshot(mut self, today: chrono::NaiveDate) -> Self {
        self.today = Some(today.to_string());
        self
    }

    /// The id of the merchant called `name` in `street` (as written), if registered.
    ///
    /// Errors: unknown street (the sentence with the nearest names).
    pub fn existing(&mut self, street: &str, name: &str) -> Result<Option<i64>, String> {
        let street = self.places.street_cached(street)?;
        Ok(self.index.get(&(street, name.to_string())).copied())
    }

    /// Loads one record read from `line` (0 when typed): a new merchant, or the changed
    /// fields of a registered one.
    ///
    /// Errors (row problems, nothing written): unknown street or community; the merchant
    /// listed earlier in the file in the same street; a 截止日期 before the 签约日期 the
    /// merchant would have once the blank cells keep what is stored. The database failed.
    pub fn load(&mut self, rec: &MerchantRecord, line: u64) -> Result<Outcome, StoreError> {
        let street = self
            .places
            .street_cached(&rec.street)
            .map_err(|p| StoreError::row(Field::Street, &rec.street, p))?;
        let mut errors = Vec::new();
        let key = (street, rec.name.clone());
        if line > 0
            && let Some(first) = self.seen.get(&key)
        {
            errors.push(CellError::new(
                Field::MerchantName,
                &rec.name,
                t!(
                    "records.merchant.listed_twice",
                    line = first,
                    street = self.places.street_name(street)
                )
                .into_owned(),
            ));
        }
        let community = match &rec.community {
            Some(c) => match self.places.community(self.conn, street, c) {
                Ok(id) => Some(id),
                Err(LookupError::Problem(p)) => {
                    errors.push(CellError::new(Field::Community, c, p));
                    None
                }
                Err(LookupError::Db(e)) => return Err(e.into()),
            },
            None => None,
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let given = Stored {
            kind: rec.kind.code().to_string(),
            community_id: community,
            address: rec.address.clone().unwrap_or_default(),
            offer: rec.offer.clone().unwrap_or_default(),
            contact_name: rec.contact_name.clone(),
            contact_phone: rec.contact_phone.as_ref().map(|c| c.0.clone()),
            since_on: rec.since_on.map(|d| d.to_string()),
            until_on: rec.until_on.map(|d| d.to_string()),
        };
        let (id, outcome) = match self.index.get(&key).copied() {
            None => (self.insert(&rec.name, street, &given)?, Outcome::New),
            Some(id) => (id, self.update(id, given)?),
        };
        self.present.insert(id);
        if line > 0 {
            self.seen.insert(key, line);
        }
        Ok(outcome)
    }

    fn insert(&mut self, name: &str, street: i64, v: &Stored) -> rusqlite::Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO merchants (name, kind, street_id, community_id, address, offer,
                     contact_name, contact_phone, since_on, until_on, batch_id, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                name,
                v.kind,
                street,
                v.community_id,
                v.address,
                v.offer,
                v.contact_name,
                v.contact_phone,
                v.since_on,
                v.until_on,
                self.batch,
                super::now_text()
            ])?;
        let id = self.conn.last_insert_rowid();
        self.index.insert((street, name.to_string()), id);
        Ok(id)
    }

    /// Updates merchant `id` with `given` (a blank cell keeps what is stored).
    fn update(&self, id: i64, given: Stored) -> Result<Outcome, StoreError> {
        let old: Stored = self.conn.query_row(
            "SELECT kind, community_id, address, offer, contact_name, contact_phone, since_on,
                    until_on
             FROM merchants WHERE id = ?1",
            [id],
            |r| {
                Ok(Stored {
                    kind: r.get(0)?,
                    community_id: r.get(1)?,
                    address: r.get(2)?,
                    offer: r.get(3)?,
                    contact_name: r.get(4)?,
                    contact_phone: r.get(5)?,
                    since_on: r.get(6)?,
                    until_on: r.get(7)?,
                })
            },
        )?;
        let keep = |given: String, old: &String| {
            if given.is_empty() { old.clone() } else { given }
        };
        let new = Stored {
            kind: given.kind,
            community_id: given.community_id.or(old.community_id),
            address: keep(given.address, &old.address),
            offer: keep(given.offer, &old.offer),
            contact_name: given.contact_name.or(old.contact_name.clone()),
            contact_phone: given.contact_phone.or(old.contact_phone.clone()),
            since_on: given.since_on.or(old.since_on.clone()),
            until_on: given.until_on.or(old.until_on.clone()),
        };
        if new == old {
            return Ok(Outcome::Unchanged);
        }
        if let (Some(since), Some(until)) = (&new.since_on, &new.until_on)
            && until < since
        {
            return Err(StoreError::row(
                Field::UntilOn,
                until,
                t!(
                    "import.cell.until_before_since",
                    until = until,
                    since = since
                ),
            ));
        }
        self.conn.execute(
            "UPDATE merchants SET kind = ?1, community_id = ?2, address = ?3, offer = ?4,
                 contact_name = ?5, contact_phone = ?6, since_on = ?7, until_on = ?8
             WHERE id = ?9",
            params![
                new.kind,
                new.community_id,
                new.address,
                new.offer,
                new.contact_name,
                new.contact_phone,
                new.since_on,
                new.until_on,
                id
            ],
        )?;
        Ok(Outcome::Updated)
    }
}

impl Store<MerchantRecord> for MerchantLoader<'_> {
    fn store(&mut self, item: &MerchantRecord, line: u64) -> Result<Outcome, StoreError> {
        self.load(item, line)
    }

    /// The merchants of the streets the register covers (those its stored rows name) that
    /// are in force today or later — no 截止日期, or one not before today — and that no row
    /// named: listed, never changed (`merchant end` records an end). Ordered by street code
    /// and name.
    fn missing(&mut self, _left_on: Option<chrono::NaiveDate>) -> Result<Option<Missing>> {
        let Some(today) = self.today.clone() else {
            return Ok(None);
        };
        let mut of = self
            .conn
            .prepare("SELECT street_id FROM merchants WHERE id = ?1")?;
        let mut streets = BTreeSet::new();
        for id in &self.present {
            streets.insert(of.query_row([id], |r| r.get::<_, i64>(0))?);
        }
        let mut stmt = self.conn.prepare(
            "SELECT m.id, m.name, s.name, s.code
             FROM merchants m JOIN streets s ON s.id = m.street_id
             WHERE m.street_id = ?1 AND (m.until_on IS NULL OR m.until_on >= ?2)
             ORDER BY m.name, m.id",
        )?;
        let mut named = self
            .conn
            .prepare("SELECT code, name FROM streets WHERE id = ?1")?;
        let mut covered: Vec<(Option<String>, String, i64)> = Vec::new();
        for s in streets {
            let (code, name) = named.query_row([s], |r| Ok((r.get(0)?, r.get(1)?)))?;
            covered.push((code, name, s));
        }
        covered.sort_by(|a, b| (a.0.is_none(), &a.0, &a.1).cmp(&(b.0.is_none(), &b.0, &b.1)));
        let mut absent = Vec::new();
        for (_, _, street) in &covered {
            let rows = stmt.query_map(params![street, today], |r| {
                Ok(Absent {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    id_number: None,
                    phone: None,
                    station: None,
                    street: r.get(2)?,
                    workers: None,
                })
            })?;
            for row in rows {
                let a = row?;
                if !self.present.contains(&a.id) {
                    absent.push(a);
                }
            }
        }
        Ok(Some(Missing {
            streets: covered.into_iter().map(|(_, name, _)| name).collect(),
            absent,
            left_on: None,
            refused: Vec::new(),
            departed: Vec::new(),
        }))
    }
}

/// A merchant by name: in `street` when given, else the only one of that name.
///
/// Errors: [`LookupError::Problem`] when none has the name (with the nearest name) or
/// several streets have one (naming them); [`LookupError::Db`] when the database failed.
pub fn find_merchant(
    db: &impl Reader,
    name: &str,
    street: Option<i64>,
) -> Result<i64, LookupError> {
    let conn = db.conn().0;
    let ids: Vec<(i64, i64, String)> = conn
        .prepare_cached(
            "SELECT m.id, m.street_id, s.name FROM merchants m JOIN streets s ON s.id = m.street_id
             WHERE m.name = ?1 ORDER BY s.code, s.name",
        )?
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(s) = street {
        if let Some((id, _, _)) = ids.iter().find(|(_, st, _)| *st == s) {
            return Ok(*id);
        }
    } else if let [(id, _, _)] = ids.as_slice() {
        return Ok(*id);
    }
    if ids.is_empty() || street.is_some() {
        let names: Vec<String> = conn
            .prepare_cached("SELECT name FROM merchants WHERE ?1 IS NULL OR street_id = ?1")?
            .query_map([street], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let hint = nearest(name, names.iter().map(String::as_str))
            .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
            .unwrap_or_default();
        return Err(LookupError::Problem(
            t!("records.merchant.unknown", hint = hint).into_owned(),
        ));
    }
    let streets: Vec<&str> = ids.iter().map(|(_, _, s)| s.as_str()).collect();
    Err(LookupError::Problem(
        t!("records.merchant.ambiguous", streets = streets.join("、")).into_owned(),
    ))
}

/// The street of the merchant called `name` in the street written `street` (its registered
/// name), and the other streets with a merchant of that name, in code order.
///
/// Errors: unknown street or merchant; the database failed.
pub fn streets_of(db: &impl Reader, name: &str, street: &str) -> Result<(String, Vec<String>)> {
    let conn = db.conn().0;
    let id = Places::load(conn)?
        .street_cached(street)
        .map_err(|p| anyhow::anyhow!("--street {street}: {p}"))?;
    let mut own = None;
    let mut others = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.name FROM merchants m JOIN streets s ON s.id = m.street_id
         WHERE m.name = ?1 ORDER BY s.code IS NULL, s.code, s.name",
    )?;
    let rows = stmt.query_map([name], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (s, n) = row?;
        if s == id {
            own = Some(n);
        } else {
            others.push(n);
        }
    }
    let own =
        own.ok_or_else(|| anyhow::anyhow!("{}", t!("records.merchant.unknown", hint = "")))?;
    Ok((own, others))
}

/// Ends merchant `id`'s agreement: 截止日期 `until` (`YYYY-MM-DD`). Returns what it did
/// (`Unchanged` when it already ends that day).
///
/// Errors: the day is before the merchant's 签约日期 (the message names both days); the
/// database failed.
pub fn end_merchant(conn: &Connection, id: i64, until: &str) -> Result<Outcome> {
    let (since, current): (Option<String>, Option<String>) = conn.query_row(
        "SELECT since_on, until_on FROM merchants WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if current.as_deref() == Some(until) {
        return Ok(Outcome::Unchanged);
    }
    if let Some(s) = since.as_deref()
        && until < s
    {
        anyhow::bail!(
            "--date {until}: {}",
            t!("import.cell.until_before_since", until = until, since = s)
        );
    }
    conn.execute(
        "UPDATE merchants SET until_on = ?1 WHERE id = ?2",
        params![until, id],
    )?;
    Ok(Outcome::Updated)
}

/// Which merchants [`merchants`] lists. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct MerchantFilter<'a> {
    /// Street row id.
    pub street: Option<i64>,
    /// Kind code, e.g. `barber`.
    pub kind: Option<&'a str>,
    /// `YYYY-MM-DD`: only merchants in force that day (签约日期 empty or on or before it,
    /// 截止日期 empty or on or after it).
    pub on: Option<&'a str>,
    /// Only merchant `id`.
    pub id: Option<i64>,
}

/// One merchant as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRow {
    /// Row id.
    pub id: i64,
    /// 商家名称.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// Street name.
    pub street: String,
    /// Community name.
    pub community: Option<String>,
    /// 地址 (empty when not given).
    pub address: String,
    /// 优惠内容 (empty when not given).
    pub offer: String,
    /// 联系人.
    pub contact_name: Option<String>,
    /// Full contact number.
    pub contact_phone: Option<String>,
    /// 签约日期, `YYYY-MM-DD`.
    pub since_on: Option<String>,
    /// 截止日期, `YYYY-MM-DD`.
    pub until_on: Option<String>,
}

/// Merchants matching `f`, by street (in code order), kind and name.
///
/// Errors: the database failed.
pub fn merchants(db: &impl Reader, f: &MerchantFilter<'_>) -> Result<Vec<MerchantRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT m.id, m.name, m.kind, s.name, c.name, m.address, m.offer, m.contact_name,
                m.contact_phone, m.since_on, m.until_on
         FROM merchants m
         JOIN streets s ON s.id = m.street_id
         LEFT JOIN communities c ON c.id = m.community_id
         WHERE (?1 IS NULL OR m.street_id = ?1)
           AND (?2 IS NULL OR m.kind = ?2)
           AND (?3 IS NULL OR ((m.since_on IS NULL OR m.since_on <= ?3)
                               AND (m.until_on IS NULL OR m.until_on >= ?3)))
           AND (?4 IS NULL OR m.id = ?4)
         ORDER BY s.code IS NULL, s.code, s.name, m.kind, m.name",
    )?;
    let rows = stmt
        .query_map(params![f.street, f.kind, f.on, f.id], |r| {
            Ok(MerchantRow {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                street: r.get(3)?,
                community: r.get(4)?,
                address: r.get(5)?,
                offer: r.get(6)?,
                contact_name: r.get(7)?,
                contact_phone: r.get(8)?,
                since_on: r.get(9)?,
                until_on: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
