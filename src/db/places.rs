//! Streets and communities: seeding them (`init`, the official divisions list), and resolving
//! the names registers write (`柳巷`, `柳巷街办`, `柳巷街道办事处`, `迎泽区柳巷街道` → 柳巷街道;
//! `宁化府社区`, `宁化府` → 宁化府社区居委会) to their rows. A name that resolves to nothing is
//! explained: a kind mismatch (`柳巷镇` for 柳巷街道) is a suggestion, never a match; a street
//! of another district is named with its district; a district's own name is not a street.
//! Resolution happens in memory (the lists are small) so that a million-row import does not
//! query the database per row.

use rust_i18n::t;
use std::collections::{HashMap, HashSet};

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashMap;

use super::{LookupError, Reader};
use crate::divisions;
use crate::model::Outcome;

/// A street as stored.
#[derive(Debug, Clone)]
pub struct Street {
    /// Row id.
    pub id: i64,
    /// Official name.
    pub name: String,
    /// 9-digit NBS code; none for a street added by hand.
    pub code: Option<String>,
}

/// The in-memory index of streets and communities used to resolve register spellings.
pub struct Places {
    streets: Vec<Street>,
    /// Exact names and stored aliases → street id.
    street_keys: HashMap<String, i64>,
    /// Name cores → the streets of that core with the kind their official name says.
    street_cores: HashMap<String, Vec<(i64, Option<StreetKind>)>>,
    /// The districts the registry's streets belong to (their `district_code`).
    districts: Vec<divisions::District>,
    /// District, city and province names that may stand before a street name.
    prefixes: Vec<String>,
    /// (street id, community core) → community id.
    communities: HashMap<(i64, String), i64>,
    /// Community core → (street id, official name) of every community with that core, to
    /// name the street of a community written under another.
    community_streets: HashMap<String, Vec<(i64, String)>>,
    /// street id → its community names, for suggestions.
    community_names: HashMap<i64, Vec<String>>,
    /// Streets whose communities come from an official list: an unknown community there is
    /// an error, not a new row.
    official: HashSet<i64>,
    /// Spellings already resolved, as written in registers: a million-row file names a few
    /// dozen places.
    street_cache: FxHashMap<String, Result<i64, String>>,
    community_cache: FxHashMap<i64, FxHashMap<String, i64>>,
}

/// What a street's name says it is: a 街道 (subdistrict), a 镇 (town) or a 乡 (township).
/// A 镇 and a 街道 of one core are different places (柳巷镇 is not 柳巷街道).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreetKind {
    /// 街道, and the forms of its office: 街道办事处, 街道办, 街办, 办事处.
    Subdistrict,
    /// 镇 (镇人民政府, 镇政府).
    Town,
    /// 乡 (乡人民政府, 乡政府).
    Township,
}

impl StreetKind {
    /// The word for the kind: `街道`, `镇`, `乡` (`street`, `town`, `township`).
    pub fn word(self) -> String {
        match self {
            Self::Subdistrict => t!("places.kind.subdistrict"),
            Self::Town => t!("places.kind.town"),
            Self::Township => t!("places.kind.township"),
        }
        .into_owned()
    }
}

/// Street spellings: suffixes that registers add or drop, longest first, with the kind they
/// say (`人民政府` alone says none).
const STREET_SUFFIXES: &[(&str, Option<StreetKind>)] = &[
    ("街道办事处", Some(StreetKind::Subdistrict)),
    ("人民政府", None),
    ("街道办", Some(StreetKind::Subdistrict)),
    ("办事处", Some(StreetKind::Subdistrict)),
    ("街道", Some(StreetKind::Subdistrict)),
    ("街办", Some(StreetKind::Subdistrict)),
    ("政府", None),
    ("镇", Some(StreetKind::Town)),
    ("乡", Some(StreetKind::Township)),
];

/// Community spellings: 社区居委会, 居民委员会, 村委会 … longest first.
const COMMUNITY_SUFFIXES: &[&str] = &[
    "社区居民委员会",
    "社区居委会",
    "村民委员会",
    "居民委员会",
    "居委会",
    "村委会",
    "社区",
    "村",
];

/// The distinctive part of a street name: spaces and the usual suffixes removed
/// (`柳巷街道办事处`, `柳巷街办` → `柳巷`, `郝庄镇` → `郝庄`). Never shorter than two characters
/// unless the name is.
pub fn street_core(s: &str) -> String {
    street_core_kind(s).0
}

/// [`street_core`] and the kind the outermost suffix that says one gives: `柳巷街办` →
/// (`柳巷`, 街道), `郝庄镇人民政府` → (`郝庄`, 镇), `柳巷` → (`柳巷`, none).
pub fn street_core_kind(s: &str) -> (String, Option<StreetKind>) {
    let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut kind = None;
    loop {
        let before = t.len();
        for (suf, k) in STREET_SUFFIXES {
            if let Some(rest) = t.strip_suffix(suf)
                && rest.chars().count() >= 2
            {
                t = rest.to_string();
                kind = kind.or(*k);
                break;
            }
        }
        if t.len() == before {
            return (t, kind);
        }
    }
}

/// The distinctive part of a community name (`宁化府社区居委会` → `宁化府`).
pub fn community_core(s: &str) -> String {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    for suf in COMMUNITY_SUFFIXES {
        if let Some(rest) = t.strip_suffix(suf)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    t
}

pub use crate::model::nearest;

/// Whether a spelling's kind fits a street's: the same kind, or either says none (`柳巷`, an
/// official name like `某某地区` that is neither 街道 nor 镇).
fn kinds_agree(written: Option<StreetKind>, official: Option<StreetKind>) -> bool {
    written.is_none() || official.is_none() || written == official
}

/// `t` without the district, city or province names in front of it (`迎泽区柳巷街道` →
/// `柳巷街道`); never down to nothing.
fn strip_prefixes(t: &str, prefixes: &[String]) -> String {
    let mut t = t.to_string();
    loop {
        let before = t.len();
        for p in prefixes {
            if let Some(rest) = t.strip_prefix(p.as_str())
                && !rest.is_empty()
            {
                t = rest.to_string();
            }
        }
        if t.len() == before {
            return t;
        }
    }
}

impl Places {
    /// Reads every street, alias and community.
    pub fn load(db: &impl Reader) -> Result<Self> {
        let conn = db.conn().0;
        let mut streets = Vec::new();
        let mut districts = HashSet::new();
        let mut stmt =
            conn.prepare("SELECT id, name, district_code, code FROM streets ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            streets.push(Street {
                id: r.get(0)?,
                name: r.get(1)?,
                code: r.get(3)?,
            });
            if let Some(d) = r.get::<_, Option<String>>(2)? {
                districts.insert(d);
            }
        }
        let mut districts: Vec<divisions::District> = districts
            .iter()
            .filter_map(|code| divisions::district(code))
            .collect();
        districts.sort_by(|a, b| a.code.cmp(&b.code));
        let mut prefixes: Vec<String> = districts.iter().flat_map(|d| d.prefixes()).collect();
        prefixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        prefixes.dedup();

        let mut street_keys: HashMap<String, i64> = HashMap::new();
        let mut street_cores: HashMap<String, Vec<(i64, Option<StreetKind>)>> = HashMap::new();
        for s in &streets {
            street_keys.insert(s.name.clone(), s.id);
            let (core, kind) = street_core_kind(&s.name);
            street_cores.entry(core).or_default().push((s.id, kind));
        }
        let mut stmt = conn.prepare("SELECT alias, street_id FROM street_aliases")?;
        for r in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (alias, id) = r?;
            street_keys.insert(alias, id);
        }

        let mut communities = HashMap::new();
        let mut community_streets: HashMap<String, Vec<(i64, String)>> = HashMap::new();
        let mut community_names: HashMap<i64, Vec<String>> = HashMap::new();
        let mut official = HashSet::new();
        let mut stmt = conn.prepare("SELECT id, street_id, name, code FROM communities")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, street, name): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if r.get::<_, Option<String>>(3)?.is_some() {
                official.insert(street);
            }
            let core = community_core(&name);
            community_streets
                .entry(core.clone())
                .or_default()
                .push((street, name.clone()));
            communities.insert((street, core), id);
            community_names.entry(street).or_default().push(name);
        }
        Ok(Self {
            streets,
            street_keys,
            street_cores,
            districts,
            prefixes,
            communities,
            community_streets,
            community_names,
            official,
            street_cache: FxHashMap::default(),
            community_cache: FxHashMap::default(),
        })
    }

    /// [`street`](Self::street), remembering the answer for this spelling.
    pub fn street_cached(&mut self, raw: &str) -> Result<i64, String> {
        if let Some(r) = self.street_cache.get(raw) {
            return r.clone();
        }
        let r = self.street(raw);
        self.street_cache.insert(raw.to_string(), r.clone());
        r
    }

    /// The official names of every street, in the order they were entered.
    pub fn street_names(&self) -> impl Iterator<Item = &str> {
        self.streets.iter().map(|s| s.name.as_str())
    }

    /// The official name of a street id.
    pub fn street_name(&self, id: i64) -> &str {
        self.streets
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.name.as_str())
    }

    /// The 9-digit code of a street id, if it has one.
    pub fn street_code(&self, id: i64) -> Option<&str> {
        self.streets
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.code.as_deref())
    }

    /// Resolves a street as a register writes it (already normalized text): its official
    /// name, a stored alias, or its core with or without a suffix of the same kind (`柳巷`,
    /// `柳巷街办`, `柳巷街道办事处`), each with or without the district's name in front.
    ///
    /// Errors: a sentence for the row error — a kind that is not the street's (`柳巷镇` for
    /// 柳巷街道) with the street to write instead; a street of another district, named with
    /// its district; a district written as a street; an unknown name with the nearest known
    /// one; or no streets at all with how to add them.
    pub fn street(&self, raw: &str) -> Result<i64, String> {
        if self.streets.is_empty() {
            return Err(t!("records.place.no_streets").into_owned());
        }
        let written: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(id) = self.street_keys.get(&written) {
            return Ok(*id);
        }
        let t = strip_prefixes(&written, &self.prefixes);
        if let Some(id) = self.street_keys.get(&t) {
            return Ok(*id);
        }
        let (core, kind) = street_core_kind(&t);
        let candidates = self.street_cores.get(&core).map_or(&[][..], Vec::as_slice);
        let same_kind: Vec<i64> = candidates
            .iter()
            .filter(|(_, k)| kinds_agree(kind, *k))
            .map(|(id, _)| *id)
            .collect();
        match same_kind.as_slice() {
            [one] => return Ok(*one),
            [] => {}
            _ => return Err(t!("records.place.street_ambiguous", key = core).into_owned()),
        }
        if let Some(problem) = self.district_as_street(&written) {
            return Err(problem);
        }
        if let Some(problem) = self.street_of_another_district(&written) {
            return Err(problem);
        }
        if let (Some(typed), Some((id, Some(official)))) = (kind, candidates.first()) {
            return Err(t!(
                "places.street.kind_differs",
                name = self.street_name(*id),
                kind = official.word(),
                typed = typed.word()
            )
            .into_owned());
        }
        // 柳港 is as near to 柳巷街道 as 柳港街道 is: compare the names without 街道/镇 too.
        let by_core = || {
            self.streets
                .iter()
                .map(|s| {
                    (
                        strsim::normalized_levenshtein(&core, &street_core(&s.name)),
                        s,
                    )
                })
                .filter(|(score, _)| *score >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, s)| s.name.as_str())
        };
        let hint = match nearest(&t, self.streets.iter().map(|s| s.name.as_str())).or_else(by_core)
        {
            Some(n) => t!("records.hint.did_you_mean", name = n).into_owned(),
            None => t!("records.place.known_streets", streets = self.street_list()).into_owned(),
        };
        Err(t!("records.place.unknown_street", hint = hint).into_owned())
    }

    /// The registry's streets, `柳巷街道、文庙街道、…`.
    fn street_list(&self) -> String {
        self.streets
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(&t!("records.list_separator"))
    }

    /// The registry's districts by name, `迎泽区` (`迎泽区、小店区`).
    fn district_names(&self) -> String {
        self.districts
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(&t!("records.list_separator"))
    }

    /// The districts of the registry's cities that are not the registry's own.
    fn neighbouring_districts(&self) -> Vec<divisions::District> {
        let mut cities: Vec<&str> = self.districts.iter().map(|d| &d.code[..4]).collect();
        cities.dedup();
        cities
            .into_iter()
            .flat_map(divisions::districts_of_city)
            .filter(|d| self.districts.iter().all(|o| o.code != d.code))
            .collect()
    }

    /// `迎泽区` (or 小店区, 太原市迎泽区 …) written where a street belongs: a county-level
    /// district of the registry's cities.
    fn district_as_street(&self, written: &str) -> Option<String> {
        let is_it = |d: &divisions::District| {
            written == d.name
                || written == d.full_name()
                || written == format!("{}{}", d.city, d.name)
        };
        let d = self
            .districts
            .iter()
            .find(|d| is_it(d))
            .cloned()
            .or_else(|| self.neighbouring_districts().into_iter().find(is_it))?;
        Some(
            t!(
                "places.street.is_a_district",
                name = d.name,
                streets = self.street_list()
            )
            .into_owned(),
        )
    }

    /// A street of another district of the registry's cities that `written` names (its
    /// official name or its core, with or without that district's name in front, of the same
    /// kind): `小店街道属于小店区，不在本台账的迎泽区`.
    fn street_of_another_district(&self, written: &str) -> Option<String> {
        if self.districts.is_empty() {
            return None;
        }
        let mut found: Vec<(String, String)> = Vec::new();
        for d in self.neighbouring_districts() {
            let t = strip_prefixes(written, &d.prefixes());
            let (core, kind) = street_core_kind(&t);
            for s in divisions::streets_of(&d.code) {
                let (s_core, s_kind) = street_core_kind(&s.name);
                if s.name == t || (s_core == core && kinds_agree(kind, s_kind)) {
                    found.push((s.name, d.name.clone()));
                }
            }
        }
        let (street, _) = found.first()?.clone();
        let districts: Vec<&str> = found.iter().map(|(_, d)| d.as_str()).collect();
        Some(
            t!(
                "places.street.other_district",
                street = street,
                district = districts.join(&t!("records.list_separator")),
                registry = self.district_names()
            )
            .into_owned(),
        )
    }

    /// Resolves a community of a street by its official name or a short form (`宁化府社区`,
    /// `宁化府` → 宁化府社区居委会). Where the street's communities come from an official list
    /// (`init --district`, `import streets`), an unknown name is an error: a community of
    /// another street is named with its street, a typo gets the nearest name, and the message
    /// says how to add a community on no list. On a street without an official list (added
    /// by hand, or seeded by an older build) the community is added as written.
    ///
    /// Errors: [`LookupError::Problem`] for a name not on an official list;
    /// [`LookupError::Db`] when the community cannot be added.
    pub fn community(
        &mut self,
        conn: &Connection,
        street: i64,
        raw: &str,
    ) -> Result<i64, LookupError> {
        if let Some(id) = self.community_cache.get(&street).and_then(|m| m.get(raw)) {
            return Ok(*id);
        }
        let id = self.community_uncached(conn, street, raw)?;
        self.community_cache
            .entry(street)
            .or_default()
            .insert(raw.to_string(), id);
        Ok(id)
    }

    /// Resolves a community without writing: `Ok(Some(id))` when known, `Ok(None)` when
    /// [`community`](Self::community) would add it, an error where the street's list is
    /// official and the name is not on it.
    pub fn community_known(&mut self, street: i64, raw: &str) -> Result<Option<i64>, String> {
        if let Some(id) = self.community_cache.get(&street).and_then(|m| m.get(raw)) {
            return Ok(Some(*id));
        }
        let found = self.find_community(street, raw)?;
        if let Some(id) = found {
            self.community_cache
                .entry(street)
                .or_default()
                .insert(raw.to_string(), id);
        }
        Ok(found)
    }

    fn find_community(&self, street: i64, raw: &str) -> Result<Option<i64>, String> {
        let core = community_core(raw);
        if let Some(id) = self.communities.get(&(street, core.clone())) {
            return Ok(Some(*id));
        }
        if !self.official.contains(&street) {
            return Ok(None);
        }
        if let Some((other, name)) = self
            .community_streets
            .get(&core)
            .and_then(|v| v.iter().find(|(s, _)| *s != street))
        {
            return Err(t!(
                "places.community.other_street",
                community = name,
                other = self.street_name(*other),
                street = self.street_name(street)
            )
            .into_owned());
        }
        let names = self
            .community_names
            .get(&street)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        // 宁化付社区 is nearer 宁化府社区居委会 by its core than by the whole name.
        let by_core = || {
            names
                .iter()
                .map(|n| (strsim::normalized_levenshtein(&core, &community_core(n)), n))
                .filter(|(score, _)| *score >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| n.as_str())
        };
        let hint = nearest(raw, names.iter().map(String::as_str))
            .or_else(by_core)
            .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
            .unwrap_or_default();
        Err(t!(
            "places.community.unknown",
            street = self.street_name(street),
            hint = hint,
            code = self.street_code(street).unwrap_or("")
        )
        .into_owned())
    }

    fn community_uncached(
        &mut self,
        conn: &Connection,
        street: i64,
        raw: &str,
    ) -> Result<i64, LookupError> {
        if let Some(id) = self
            .find_community(street, raw)
            .map_err(LookupError::Problem)?
        {
            return Ok(id);
        }
        let core = community_core(raw);
        conn.prepare_cached("INSERT INTO communities (street_id, name) VALUES (?1, ?2)")?
            .execute(params![street, raw])?;
        let id = conn.last_insert_rowid();
        self.communities.insert((street, core), id);
        self.community_names
            .entry(street)
            .or_default()
            .push(raw.to_string());
        Ok(id)
    }
}

/// Adds a street with its official code, or fills in the code of a street of that name added
/// by hand. Returns whether it was new, updated or unchanged.
pub fn upsert_street(
    conn: &Connection,
    code: Option<&str>,
    name: &str,
    district_code: Option<&str>,
) -> Result<Outcome> {
    let by_code: Option<(i64, String)> = match code {
        Some(c) => conn
            .query_row("SELECT id, name FROM streets WHERE code = ?1", [c], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?,
        None => None,
    };
    if let Some((id, old)) = by_code {
        if old == name {
            return Ok(Outcome::Unchanged);
        }
        conn.execute(
            "UPDATE streets SET name = ?1 WHERE id = ?2",
            params![name, id],
        )?;
        // The old name stays usable in registers.
        conn.execute(
            "INSERT OR IGNORE INTO street_aliases (alias, street_id) VALUES (?1, ?2)",
            params![old, id],
        )?;
        return Ok(Outcome::Updated);
    }
    let by_name: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT id, code FROM streets WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match (by_name, code) {
        (Some(_), None) => Ok(Outcome::Unchanged),
        (Some((id, None)), Some(code)) => {
            conn.execute(
                "UPDATE streets SET code = ?1, district_code = ?2 WHERE id = ?3",
                params![code, district_code, id],
            )?;
            Ok(Outcome::Updated)
        }
        (Some((_, Some(other))), Some(code)) => {
            anyhow::bail!(
                "{}",
                t!(
                    "records.place.street_code_differs",
                    name = name,
                    other = other,
                    code = code
                )
            )
        }
        (None, _) => {
            conn.execute(
                "INSERT INTO streets (code, name, district_code) VALUES (?1, ?2, ?3)",
                params![code, name, district_code],
            )?;
            Ok(Outcome::New)
        }
    }
}

/// The street with the 9-digit `code`, the parent a community row names.
///
/// Errors: no street has that code; the database failed.
fn street_by_code(conn: &Connection, code: &str) -> Result<i64> {
    let street: Option<i64> = conn
        .query_row("SELECT id FROM streets WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .optional()?;
    street.ok_or_else(|| {
        anyhow::anyhow!(
            "{}",
            t!("records.place.community_street_unknown", code = code)
        )
    })
}

/// Adds a community with its official code under the street with `street_code`, or fills in
/// the code of a community of the same name (with or without 居委会) first seen in a register.
///
/// Errors: the parent street is unknown.
pub fn upsert_community(
    conn: &Connection,
    street_code: &str,
    code: &str,
    name: &str,
) -> Result<Outcome> {
    let street = street_by_code(conn, street_code)?;
    let existing: Option<(i64, String, i64)> = conn
        .query_row(
            "SELECT id, name, street_id FROM communities WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((id, old, old_street)) = existing {
        if old == name && old_street == street {
            return Ok(Outcome::Unchanged);
        }
        // Another community of the street has that name already: the list contradicts the
        // registry (a wrong code in the file), a row problem rather than a failed database.
        let taken: Option<Option<String>> = conn
            .query_row(
                "SELECT code FROM communities WHERE street_id = ?1 AND name = ?2 AND id <> ?3",
                params![street, name, id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = taken {
            anyhow::bail!(
                "{}",
                t!(
                    "places.community.name_taken",
                    name = name,
                    other = other.unwrap_or_default(),
                    code = code,
                    old = old
                )
            );
        }
        conn.execute(
            "UPDATE communities SET name = ?1, street_id = ?2 WHERE id = ?3",
            params![name, street, id],
        )?;
        return Ok(Outcome::Updated);
    }
    let core = community_core(name);
    let mut stmt =
        conn.prepare("SELECT id, name FROM communities WHERE street_id = ?1 AND code IS NULL")?;
    let uncoded: Vec<(i64, String)> = stmt
        .query_map([street], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some((id, _)) = uncoded.iter().find(|(_, n)| community_core(n) == core) {
        conn.execute(
            "UPDATE communities SET code = ?1, name = ?2 WHERE id = ?3",
            params![code, name, id],
        )?;
        return Ok(Outcome::Updated);
    }
    conn.execute(
        "INSERT INTO communities (street_id, code, name) VALUES (?1, ?2, ?3)",
        params![street, code, name],
    )?;
    Ok(Outcome::New)
}

/// Seeds the streets of a district (official codes); returns how many were new.
pub fn seed_streets(
    conn: &Connection,
    district_code: &str,
    streets: &[(String, String)],
) -> Result<u64> {
    let mut new = 0;
    for (code, name) in streets {
        if upsert_street(conn, Some(code), name, Some(district_code))? == Outcome::New {
            new += 1;
        }
    }
    Ok(new)
}

/// Adds the official communities of a district, `(street code, community)` as
/// [`divisions::communities_of`] gives them; returns how many were new. A community first
/// typed in a register (no code) that matches one by name gets its code and official name.
///
/// Errors: a community's street is not in the registry; the database failed.
pub fn seed_communities(
    conn: &Connection,
    communities: &[(String, divisions::Division)],
) -> Result<u64> {
    let mut new = 0;
    for (street, c) in communities {
        if upsert_community(conn, street, &c.code, &c.name)? == Outcome::New {
            new += 1;
        }
    }
    Ok(new)
}

/// The 6-digit codes of the districts whose streets the registry holds, in code order.
///
/// Errors: the database failed.
pub fn district_codes(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT district_code FROM streets WHERE district_code IS NOT NULL ORDER BY 1",
    )?;
    let codes = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(codes)
}

/// The name of the street of row id `id` (`柳巷街道`).
///
/// Errors: database errors, or no such street.
pub fn street_name(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.query_row("SELECT name FROM streets WHERE id = ?1", [id], |r| r.get(0))?)
}

/// Adds a community that is on no official list (a new 社区, a 村 renamed since 2023) under
/// the street with `street_code`; a community of that name (with or without 社区居委会) is
/// left as it is.
///
/// Errors: the street is unknown; the database failed.
pub fn add_community(conn: &Connection, street_code: &str, name: &str) -> Result<Outcome> {
    let street = street_by_code(conn, street_code)?;
    let core = community_core(name);
    let mut stmt = conn.prepare("SELECT name FROM communities WHERE street_id = ?1")?;
    let names: Vec<String> = stmt
        .query_map([street], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if names.iter().any(|n| community_core(n) == core) {
        return Ok(Outcome::Unchanged);
    }
    conn.execute(
        "INSERT INTO communities (street_id, name) VALUES (?1, ?2)",
        params![street, name],
    )?;
    Ok(Outcome::New)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores() {
        assert_eq!(street_core("柳巷街道办事处"), "柳巷");
        assert_eq!(street_core("柳巷街道"), "柳巷");
        assert_eq!(street_core("郝庄镇"), "郝庄");
        assert_eq!(street_core("郝庄镇人民政府"), "郝庄");
        assert_eq!(
            street_core_kind("柳巷街办"),
            ("柳巷".to_string(), Some(StreetKind::Subdistrict))
        );
        assert_eq!(
            street_core_kind("柳巷办事处"),
            ("柳巷".to_string(), Some(StreetKind::Subdistrict))
        );
        assert_eq!(
            street_core_kind("郝庄镇人民政府"),
            ("郝庄".to_string(), Some(StreetKind::Town))
        );
        assert_eq!(street_core_kind("柳巷"), ("柳巷".to_string(), None));
        assert_eq!(community_core("宁化府社区居委会"), "宁化府");
        assert_eq!(community_core("劲松社区居民委员会"), "劲松");
        assert_eq!(community_core("东祁家山村委会"), "东祁家山");
        assert_eq!(community_core("宁化府"), "宁化府");
    }

    #[test]
    fn nearest_suggests_typo_fix() {
        let names = ["柳巷街道", "文庙街道", "郝庄镇"];
        assert_eq!(nearest("柳港街道", names), Some("柳巷街道"));
        assert_eq!(nearest("XYZ", names), None);
        assert_eq!(nearest("不存在街道", names), None);
    }
}
