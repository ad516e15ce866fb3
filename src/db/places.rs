//! Streets and communities: seeding them (`init`, the official divisions list), and resolving
//! the names registers write (`柳巷`, `柳巷街道办事处`, `迎泽区柳巷街道` → 柳巷街道; `宁化府社区` →
//! 宁化府社区居委会) to their rows. Resolution happens in memory (the lists are small) so that a
//! million-row import does not query the database per row.

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
}

/// The in-memory index of streets and communities used to resolve register spellings.
pub struct Places {
    streets: Vec<Street>,
    /// Exact names, stored aliases and name cores → street id. A core shared by two streets
    /// maps to neither.
    street_keys: HashMap<String, Option<i64>>,
    /// District, city and province names that may stand before a street name.
    prefixes: Vec<String>,
    /// (street id, community core) → community id.
    communities: HashMap<(i64, String), i64>,
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

/// Street spellings: suffixes that registers add or drop, longest first.
const STREET_SUFFIXES: &[&str] = &[
    "街道办事处",
    "街道办",
    "办事处",
    "人民政府",
    "街道",
    "政府",
    "镇",
    "乡",
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
/// (`柳巷街道办事处` → `柳巷`, `郝庄镇` → `郝庄`). Never shorter than one character.
pub fn street_core(s: &str) -> String {
    let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = t.len();
        for suf in STREET_SUFFIXES {
            if let Some(rest) = t.strip_suffix(suf)
                && rest.chars().count() >= 2
            {
                t = rest.to_string();
                break;
            }
        }
        if t.len() == before {
            return t;
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

impl Places {
    /// Reads every street, alias and community.
    pub fn load(db: &impl Reader) -> Result<Self> {
        let conn = db.conn().0;
        let mut streets = Vec::new();
        let mut districts = HashSet::new();
        let mut stmt = conn.prepare("SELECT id, name, district_code FROM streets ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            streets.push(Street {
                id: r.get(0)?,
                name: r.get(1)?,
            });
            if let Some(d) = r.get::<_, Option<String>>(2)? {
                districts.insert(d);
            }
        }
        let mut prefixes: Vec<String> = districts
            .iter()
            .filter_map(|code| divisions::district(code))
            .flat_map(|d| d.prefixes())
            .collect();
        prefixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        prefixes.dedup();

        let mut street_keys: HashMap<String, Option<i64>> = HashMap::new();
        for s in &streets {
            street_keys.insert(s.name.clone(), Some(s.id));
        }
        // A core shared by two streets (a 镇 and a 街道 of one name) resolves to neither.
        let mut by_core: HashMap<String, Vec<i64>> = HashMap::new();
        for s in &streets {
            by_core.entry(street_core(&s.name)).or_default().push(s.id);
        }
        for (core, ids) in by_core {
            street_keys
                .entry(core)
                .or_insert((ids.len() == 1).then(|| ids[0]));
        }
        let mut stmt = conn.prepare("SELECT alias, street_id FROM street_aliases")?;
        for r in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (alias, id) = r?;
            street_keys.insert(alias, Some(id));
        }

        let mut communities = HashMap::new();
        let mut community_names: HashMap<i64, Vec<String>> = HashMap::new();
        let mut official = HashSet::new();
        let mut stmt = conn.prepare("SELECT id, street_id, name, code FROM communities")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, street, name): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if r.get::<_, Option<String>>(3)?.is_some() {
                official.insert(street);
            }
            communities.insert((street, community_core(&name)), id);
            community_names.entry(street).or_default().push(name);
        }
        Ok(Self {
            streets,
            street_keys,
            prefixes,
            communities,
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

    /// The official name of a street id.
    pub fn street_name(&self, id: i64) -> &str {
        self.streets
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.name.as_str())
    }

    /// Resolves a street as a register writes it (already normalized text).
    ///
    /// Errors: a sentence for the row error — unknown name with the nearest known one, or
    /// no streets at all with how to add them.
    pub fn street(&self, raw: &str) -> Result<i64, String> {
        if self.streets.is_empty() {
            return Err(t!("records.place.no_streets").into_owned());
        }
        let mut t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(Some(id)) = self.street_keys.get(&t) {
            return Ok(*id);
        }
        loop {
            let before = t.len();
            for p in &self.prefixes {
                if let Some(rest) = t.strip_prefix(p.as_str())
                    && !rest.is_empty()
                {
                    t = rest.to_string();
                }
            }
            if t.len() == before {
                break;
            }
        }
        for key in [t.clone(), street_core(&t)] {
            match self.street_keys.get(&key) {
                Some(Some(id)) => return Ok(*id),
                Some(None) => {
                    return Err(t!("records.place.street_ambiguous", key = key).into_owned());
                }
                None => {}
            }
        }
        // 柳港 is as near to 柳巷街道 as 柳港街道 is: compare the names without 街道/镇 too.
        let core = street_core(&t);
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
            None => t!(
                "records.place.known_streets",
                streets = self
                    .streets
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(&t!("records.list_separator"))
            )
            .into_owned(),
        };
        Err(t!("records.place.unknown_street", hint = hint).into_owned())
    }

    /// Resolves a community of a street. Where the street's communities come from an official
    /// list, an unknown name is an error with the nearest name; elsewhere the community is
    /// added (communities are not in the built-in list).
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
        if let Some(id) = self.communities.get(&(street, community_core(raw))) {
            return Ok(Some(*id));
        }
        if self.official.contains(&street) {
            let names = self
                .community_names
                .get(&street)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let hint = nearest(raw, names.iter().map(String::as_str))
                .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
                .unwrap_or_default();
            return Err(t!(
                "records.place.unknown_community",
                street = self.street_name(street),
                hint = hint
            )
            .into_owned());
        }
        Ok(None)
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
    let street: Option<i64> = conn
        .query_row(
            "SELECT id FROM streets WHERE code = ?1",
            [street_code],
            |r| r.get(0),
        )
        .optional()?;
    let Some(street) = street else {
        anyhow::bail!(
            "{}",
            t!("records.place.community_street_unknown", code = street_code)
        );
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores() {
        assert_eq!(street_core("柳巷街道办事处"), "柳巷");
        assert_eq!(street_core("柳巷街道"), "柳巷");
        assert_eq!(street_core("郝庄镇"), "郝庄");
        assert_eq!(street_core("郝庄镇人民政府"), "郝庄");
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
