//! `merge`: other registries brought into this one (street files into a district file,
//! district files into a city file), inside one write transaction: all of it lands or none.
//!
//! Every record finds its counterpart here by the key the registry itself knows it by, so
//! that nothing counts twice and merging the same file again changes nothing:
//!
//! - streets by 区划代码, else by name; communities by code, else by street and name;
//!   enterprises, party organizations and gifts by name; stations and partner merchants by
//!   street and name; instructors by phone; 关爱活动 by day, street and title;
//! - workers by the identity rules of an import (身份证号, then 手机号, each also among the
//!   numbers a worker had before: [`people`]);
//! - check-ins, services, 随手拍 reports, point entries by their event keys, made anew from
//!   this registry's row ids; wishes and awards by worker and content.
//!
//! What a record of an origin became here is kept (`merge_rows`) with a digest of both sides
//! as they were merged: a later merge of the same registry (known by `registry_identity`,
//! whatever the file is called) tells a change made there since (brought here, and written
//! to the change log) from one made here (kept), and a field changed on both sides, or two
//! registries disagreeing about a person, is a [`Conflict`]: listed, never overwritten.
//!
//! Ledger entries are carried with their own columns and sealed in this registry's chain;
//! import batches and change-log rows are copied with their origin (`origin_id`). A worker
//! registered in two streets keeps one worker row and a posting in the other street
//! (`worker_postings`), so each street's figures stay what its own file says and the
//! district counts the person once.

mod people;
mod records;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use rust_i18n::t;
use rustc_hash::FxHashMap;

use super::events::EventKey;

/// A registry to merge from, open read-only: it is never written.
pub struct Source {
    /// The file as given.
    pub path: PathBuf,
    conn: Connection,
    /// Its `registry_identity`.
    registry: String,
}

impl Source {
    /// Opens the registry at `path` for reading. An encrypted one (feature `sqlcipher`) is
    /// opened with its key: `NUANFENG_SOURCE_KEY`, else `NUANFENG_KEY`, else asked at the
    /// terminal.
    ///
    /// Errors: a missing or unreadable file; not a nuanfeng registry; a registry of another
    /// schema version (an older one is upgraded by opening it once with this build); a
    /// wrong or missing key.
    pub fn open(path: &Path) -> Result<Self> {
        let shown = path.display();
        let meta = std::fs::metadata(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow::anyhow!("{}", t!("merge.source_missing", path = shown))
            } else {
                anyhow::Error::new(super::worded_io(e))
                    .context(t!("db.cannot_read", path = shown).into_owned())
            }
        })?;
        if !meta.is_file() {
            bail!(
                "{}",
                t!(
                    "merge.source_not_file",
                    path = shown,
                    what = crate::outfile::kind_of(&meta.file_type())
                )
            );
        }
        let journal = super::journal_of(path);
        if super::journal_is_hot(&journal) {
            bail!(
                "{}",
                t!(
                    "merge.source_journal",
                    path = shown,
                    journal = journal.file_name().unwrap_or_default().to_string_lossy()
                )
            );
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| t!("db.cannot_open", path = shown))?;
        #[cfg(feature = "sqlcipher")]
        if let Some(key) = super::cipher::source_key(path)? {
            super::cipher::unlock(&conn, path, &key)?;
        }
        let read = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        let (app, version) = match (read("PRAGMA application_id"), read("PRAGMA user_version")) {
            (Ok(a), Ok(v)) => (a, v),
            _ => bail!("{}", t!("merge.source_not_registry", path = shown)),
        };
        if app != super::APPLICATION_ID {
            bail!("{}", t!("merge.source_not_registry", path = shown));
        }
        if version != super::SCHEMA_VERSION {
            if version > super::SCHEMA_VERSION {
                bail!(
                    "{}",
                    t!(
                        "merge.source_newer",
                        path = shown,
                        version = version,
                        known = super::SCHEMA_VERSION
                    )
                );
            }
            bail!(
                "{}",
                t!("merge.source_older", path = shown, version = version)
            );
        }
        // A damaged source would merge whatever of it still reads: refused whole.
        let verdict: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .unwrap_or_default();
        if verdict != "ok" {
            bail!("{}", t!("merge.source_damaged", path = shown));
        }
        let pending: i64 = read("SELECT count(*) FROM pending_erasures")?;
        if pending > 0 {
            bail!("{}", t!("merge.source_pending_erasure", path = shown));
        }
        let registry: String =
            conn.query_row("SELECT id FROM registry_identity", [], |r| r.get(0))?;
        // One read transaction for the whole merge: one snapshot of the source (a street
        // office may be importing into it meanwhile) and one shared lock, not one per statement.
        conn.execute_batch("BEGIN")?;
        Ok(Self {
            path: path.to_path_buf(),
            conn,
            registry,
        })
    }
}

/// What one merge found and did, by kind of record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Records added here.
    pub new: u64,
    /// Records already here as they are there.
    pub same: u64,
    /// Records here brought up to date (a field filled in or changed there since).
    pub updated: u64,
}

/// The kinds of record a merge counts, in the order they are merged and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 街道/镇 and 社区/村.
    Places,
    /// 站点.
    Stations,
    /// 党建工作指导员 and their assignments.
    Instructors,
    /// 党组织 and their coverage.
    Orgs,
    /// 从业人员.
    Workers,
    /// 跨街道登记 (a worker in a second street).
    Postings,
    /// 报到.
    Checkins,
    /// 志愿服务.
    Services,
    /// 随手拍.
    Tips,
    /// 微心愿 and 评选.
    WishesAwards,
    /// 积分 entries.
    Points,
    /// 积分商城 gifts and orders.
    Gifts,
    /// 关爱活动.
    Activities,
    /// 爱心商家.
    Merchants,
    /// 导入记录 and 变更记录 copied.
    History,
}

impl Kind {
    /// Every kind, in order.
    pub const ALL: [Kind; 15] = [
        Kind::Places,
        Kind::Stations,
        Kind::Instructors,
        Kind::Orgs,
        Kind::Workers,
        Kind::Postings,
        Kind::Checkins,
        Kind::Services,
        Kind::Tips,
        Kind::WishesAwards,
        Kind::Points,
        Kind::Gifts,
        Kind::Activities,
        Kind::Merchants,
        Kind::History,
    ];

    /// The label people read.
    pub fn label(self) -> String {
        let key = match self {
            Kind::Places => "merge.kind.places",
            Kind::Stations => "merge.kind.stations",
            Kind::Instructors => "merge.kind.instructors",
            Kind::Orgs => "merge.kind.orgs",
            Kind::Workers => "merge.kind.workers",
            Kind::Postings => "merge.kind.postings",
            Kind::Checkins => "merge.kind.checkins",
            Kind::Services => "merge.kind.services",
            Kind::Tips => "merge.kind.tips",
            Kind::WishesAwards => "merge.kind.wishes_awards",
            Kind::Points => "merge.kind.points",
            Kind::Gifts => "merge.kind.gifts",
            Kind::Activities => "merge.kind.activities",
            Kind::Merchants => "merge.kind.merchants",
            Kind::History => "merge.kind.history",
        };
        t!(key).into_owned()
    }
}

/// What kind of disagreement a [`Conflict`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// One 身份证号, two names.
    IdTwoNames,
    /// One 手机号 (or 身份证号), two people.
    NumberTwoPeople,
    /// A field changed on both sides since the last merge (or different the first time).
    Field,
    /// A redemption that overdraws once the two ledgers meet.
    Overdraw,
    /// Two records of one key that are not the same record (a station's current instructor,
    /// an organization's coverage, a gift order's entry).
    Taken,
}

/// A disagreement between a registry merged and this one: never resolved silently.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// The registry merged.
    pub source: String,
    /// What kind.
    pub kind: ConflictKind,
    /// The record, as people know it (a worker's name and masked number, a station's street
    /// and name).
    pub record: String,
    /// The field, as people read it (empty when the record as a whole).
    pub field: String,
    /// The value here (masked when a number).
    pub here: String,
    /// The value there.
    pub there: String,
}

/// The outcome of merging one registry.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SourceOutcome {
    /// The file as given.
    pub file: String,
    /// Whether it was merged before (known by its identity).
    pub merged_before: bool,
    /// The counts by kind, in [`Kind::ALL`] order.
    pub counts: Vec<(Kind, Counts)>,
}

/// The outcome of a merge.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Outcome {
    /// One per registry merged, in the order given.
    pub sources: Vec<SourceOutcome>,
    /// Every conflict found.
    pub conflicts: Vec<Conflict>,
    /// Workers erased here because a registry merged had purged them (`worker purge`) and no
    /// other registry merged here knows them; the caller finishes the erasure (VACUUM) after
    /// the commit.
    pub erased: u64,
}

/// Merges `sources`, in order, into the registry `tx` writes, keeping this registry's value
/// in every conflict. The caller commits, or rolls back (a dry run; conflicts the user did not
/// agree to keep ours in).
///
/// Errors: a source that is this registry or a copy of it (same identity); database errors.
pub fn merge(tx: &Connection, sources: &[Source]) -> Result<Outcome> {
    let own: String = tx.query_row("SELECT id FROM registry_identity", [], |r| r.get(0))?;
    let districts = |c: &Connection| -> Result<Vec<String>> {
        Ok(c.prepare(
            "SELECT DISTINCT district_code FROM streets WHERE district_code IS NOT NULL ORDER BY 1",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
    };
    // A registry of one district (or of several, `init --multi-district`) takes only files of
    // its districts; one with no district yet (a city's) takes any.
    let here = districts(tx)?;
    if !here.is_empty() {
        for src in sources {
            let Some(other) = districts(&src.conn)?
                .into_iter()
                .find(|d| !here.contains(d))
            else {
                continue;
            };
            let name = |code: &str| {
                crate::divisions::district(code).map_or_else(|| code.to_string(), |d| d.name)
            };
            bail!(
                "{}",
                t!(
                    "merge.other_district",
                    path = src.path.display(),
                    district = name(&other),
                    code = other,
                    here = here.iter().map(|c| name(c)).collect::<Vec<_>>().join("、")
                )
            );
        }
    }
    let mut outcome = Outcome::default();
    for (i, src) in sources.iter().enumerate() {
        if src.registry == own {
            bail!("{}", t!("merge.same_registry", path = src.path.display()));
        }
        if let Some(earlier) = sources[..i].iter().find(|s| s.registry == src.registry) {
            bail!(
                "{}",
                t!(
                    "merge.given_twice",
                    path = src.path.display(),
                    other = earlier.path.display()
                )
            );
        }
        refuse_two_paths(tx, src)?;
        let streets = people::SourceStreets::load(&src.conn)?;
        let mut run = Run::begin(tx, src)?;
        run.places()?;
        run.stations()?;
        run.instructors()?;
        run.orgs()?;
        run.batches()?;
        run.workers(&streets)?;
        run.postings()?;
        crate::testhook::kill_point("merge:workers");
        run.instructor_stations()?;
        run.org_coverage()?;
        run.checkins()?;
        run.services()?;
        run.tips()?;
        run.wishes_awards(&streets)?;
        run.points(&streets)?;
        run.gifts(&streets)?;
        run.merchants()?;
        run.activities()?;
        run.record_streets()?;
        run.change_log()?;
        run.finish()?;
        run.note_included()?;
        if run.erased > 0 {
            tx.execute(
                "INSERT INTO pending_erasures (at, workers, command) VALUES (?1, ?2, 'merge')",
                params![
                    super::now_text(),
                    i64::try_from(run.erased).unwrap_or(i64::MAX)
                ],
            )?;
        }
        crate::testhook::kill_point("merge:before-commit");
        outcome.sources.push(SourceOutcome {
            file: src.path.display().to_string(),
            merged_before: run.merged_before,
            counts: Kind::ALL
                .iter()
                .map(|k| (*k, run.counts.get(k).copied().unwrap_or_default()))
                .collect(),
        });
        outcome.conflicts.append(&mut run.conflicts);
        outcome.erased += run.erased;
    }
    Ok(outcome)
}

/// Refuses a registry that would come in by two paths: one that came in within another
/// registry merged here (a street's file within its district's), merged directly; or one that
/// holds a registry merged here directly. A person `worker purge`d there has nothing left to
/// be known by, and would be counted once for each path.
///
/// Errors: the refusal, naming both files.
fn refuse_two_paths(tx: &Connection, src: &Source) -> Result<()> {
    let via: Option<String> = tx
        .query_row(
            "SELECT v.file_name FROM merge_origins o JOIN merge_origins v ON v.id = o.via_origin_id
             WHERE o.registry = ?1",
            [&src.registry],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(via) = via {
        bail!(
            "{}",
            t!("merge.included_via", path = src.path.display(), via = via)
        );
    }
    let inner: Vec<String> = src
        .conn
        .prepare("SELECT registry FROM merge_origins")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for registry in inner {
        let direct: Option<String> = tx
            .query_row(
                "SELECT file_name FROM merge_origins WHERE registry = ?1 AND via_origin_id IS NULL",
                [&registry],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(direct) = direct {
            bail!(
                "{}",
                t!(
                    "merge.includes_merged",
                    path = src.path.display(),
                    other = direct
                )
            );
        }
    }
    Ok(())
}

/// How far a registry went: the highest id of its change log, its ledger and its import
/// history. Each only grows, so a copy that went less far than the one merged last is older.
struct Reach(i64, i64, i64);

impl Reach {
    fn of(conn: &Connection) -> Result<Self> {
        Ok(conn.query_row(
            "SELECT (SELECT ifnull(max(id), 0) FROM change_log),
                    (SELECT ifnull(max(id), 0) FROM point_entries),
                    (SELECT ifnull(max(id), 0) FROM import_batches)",
            [],
            |r| Ok(Self(r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }
}

/// A field as [`Run::reconcile`] compares it: its column here, the change log's name for it,
/// and the table whose `name` shows a row id held in it.
#[derive(Debug, Clone, Copy)]
struct Field {
    column: &'static str,
    label: &'static str,
    names: Option<&'static str>,
}

const fn field(column: &'static str, label: &'static str, names: Option<&'static str>) -> Field {
    Field {
        column,
        label,
        names,
    }
}

/// An entity whose fields [`Run::reconcile`] merges.
struct Entity {
    /// `merge_rows.entity`, and the change log's entity when `logged`.
    name: &'static str,
    table: &'static str,
    fields: &'static [Field],
    logged: bool,
    /// For an entity whose name must be unique though two registries may each have one of
    /// the name (streets of two districts, gifts of two shops): how a new one is named here.
    renamed: Option<Renamed>,
}

/// How a record new here is named when its name is taken ([`Entity::renamed`]).
struct Renamed {
    /// The name's position among the entity's fields.
    at: usize,
    /// Names the record (its values, ids mapped) when its name is taken here.
    qualify: fn(&Connection, &mut [Value]) -> Result<()>,
}

/// How [`Run::keyed`] finds the row here with the key of a row there (its values, ids mapped).
type FindRow = dyn Fn(&Connection, &[Value]) -> Result<Option<i64>>;

/// What [`Run::reconcile`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reconciled {
    Same,
    Updated,
}

/// The merge of one source.
struct Run<'a> {
    tx: &'a Connection,
    src: &'a Source,
    origin: i64,
    merged_before: bool,
    /// The batch standing for this merge: the origin of entries typed there (no batch).
    batch: i64,
    counts: FxHashMap<Kind, Counts>,
    conflicts: Vec<Conflict>,
    /// Workers erased here because the registry there purged them.
    erased: u64,
    /// Row ids there → here, per table.
    streets: FxHashMap<i64, i64>,
    communities: FxHashMap<i64, i64>,
    enterprises: FxHashMap<i64, i64>,
    stations: FxHashMap<i64, i64>,
    instructors: FxHashMap<i64, i64>,
    orgs: FxHashMap<i64, i64>,
    batches: FxHashMap<i64, i64>,
    workers: FxHashMap<i64, i64>,
    services: FxHashMap<i64, i64>,
    tips: FxHashMap<i64, i64>,
    entries: FxHashMap<i64, i64>,
    gifts: FxHashMap<i64, i64>,
    merchants: FxHashMap<i64, i64>,
}

impl<'a> Run<'a> {
    /// Records the origin (or finds it again) and the batch of this merge.
    fn begin(tx: &'a Connection, src: &'a Source) -> Result<Self> {
        let now = super::now_text();
        let file = src.path.display().to_string();
        let found: Option<i64> = tx
            .query_row(
                "SELECT id FROM merge_origins WHERE registry = ?1",
                [&src.registry],
                |r| r.get(0),
            )
            .optional()?;
        let reach = Reach::of(&src.conn)?;
        if let Some(id) = found {
            let last: Reach = tx.query_row(
                "SELECT change_log_through, ledger_through, batches_through
                 FROM merge_origins WHERE id = ?1",
                [id],
                |r| Ok(Reach(r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if reach.0 < last.0 || reach.1 < last.1 || reach.2 < last.2 {
                let at: String = tx.query_row(
                    "SELECT last_merged_at FROM merge_origins WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                bail!(
                    "{}",
                    t!(
                        "merge.source_older_copy",
                        path = src.path.display(),
                        at = at
                    )
                );
            }
        }
        let origin = match found {
            Some(id) => {
                tx.execute(
                    "UPDATE merge_origins SET file_name = ?2, last_merged_at = ?3, merges = merges + 1
                     WHERE id = ?1",
                    params![id, file, now],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO merge_origins (registry, file_name, first_merged_at, last_merged_at)
                     VALUES (?1, ?2, ?3, ?3)",
                    params![src.registry, file, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        let name = src
            .path
            .file_name()
            .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
        tx.execute(
            "INSERT INTO import_batches (kind, file_name, sha256, encoding, imported_at, reading, origin_id)
             VALUES ('merge', ?1, ?2, '', ?3, ?4, ?5)",
            params![name, src.registry, now, t!("merge.batch_reading", path = file), origin],
        )?;
        let batch = tx.last_insert_rowid();
        Ok(Self {
            tx,
            src,
            origin,
            merged_before: found.is_some(),
            batch,
            counts: FxHashMap::default(),
            conflicts: Vec::new(),
            erased: 0,
            streets: FxHashMap::default(),
            communities: FxHashMap::default(),
            enterprises: FxHashMap::default(),
            stations: FxHashMap::default(),
            instructors: FxHashMap::default(),
            orgs: FxHashMap::default(),
            batches: FxHashMap::default(),
            workers: FxHashMap::default(),
            services: FxHashMap::default(),
            tips: FxHashMap::default(),
            entries: FxHashMap::default(),
            gifts: FxHashMap::default(),
            merchants: FxHashMap::default(),
        })
    }

    fn count(&mut self, kind: Kind) -> &mut Counts {
        self.counts.entry(kind).or_default()
    }

    fn source_name(&self) -> String {
        self.src.path.display().to_string()
    }

    /// Lists a conflict.
    fn conflict(
        &mut self,
        kind: ConflictKind,
        record: String,
        field: &str,
        here: String,
        there: String,
    ) {
        let source = self.source_name();
        self.conflicts.push(Conflict {
            source,
            kind,
            record,
            field: field.to_string(),
            here,
            there,
        });
    }

    /// What the record `source_id` of `entity` became here at the last merge of this origin,
    /// with the digests then: `(local id, source digest, local digest)`.
    fn base(&self, entity: &str, source_id: i64) -> Result<Option<(i64, i64, i64)>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT local_id, source_digest, local_digest FROM merge_rows
                 WHERE origin_id = ?1 AND entity = ?2 AND source_id = ?3",
            )?
            .query_row(params![self.origin, entity, source_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// Remembers what `source_id` became and the digests of both sides now.
    fn remember(
        &self,
        entity: &str,
        source_id: i64,
        local_id: i64,
        sd: i64,
        ld: i64,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO merge_rows (origin_id, entity, source_id, local_id, source_digest, local_digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (origin_id, entity, source_id) DO UPDATE
                 SET local_id = excluded.local_id, source_digest = excluded.source_digest,
                     local_digest = excluded.local_digest",
            )?
            .execute(params![self.origin, entity, source_id, local_id, sd, ld])?;
        Ok(())
    }

    /// The local row of `entity` that `source_id` became at an earlier merge, if it still
    /// exists.
    fn mapped(&self, entity: &Entity, source_id: i64) -> Result<Option<i64>> {
        let Some((id, _, _)) = self.base(entity.name, source_id)? else {
            return Ok(None);
        };
        let exists: Option<i64> = self
            .tx
            .prepare_cached(&format!("SELECT id FROM {} WHERE id = ?1", entity.table))?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(exists)
    }

    /// The values of `entity`'s fields in row `id` here.
    fn local_values(&self, entity: &Entity, id: i64) -> Result<Vec<Value>> {
        let cols: Vec<&str> = entity.fields.iter().map(|f| f.column).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            cols.join(", "),
            entity.table
        );
        Ok(self.tx.prepare_cached(&sql)?.query_row([id], |r| {
            (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
        })?)
    }

    /// A value as people read it: a row id by its name, a number masked.
    fn shown(&self, f: &Field, v: &Value) -> Result<String> {
        Ok(match (f.names, v) {
            (_, Value::Null) => String::new(),
            (Some(table), Value::Integer(id)) => self
                .tx
                .prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?
                .query_row([id], |r| r.get(0))
                .optional()?
                .unwrap_or_default(),
            (_, Value::Text(s)) => match f.column {
                "id_number" => crate::model::mask_id(s),
                "phone" | "contact_phone" => crate::model::mask_phone(s),
                _ => s.clone(),
            },
            (_, Value::Integer(i)) => i.to_string(),
            (_, Value::Real(x)) => x.to_string(),
            (_, Value::Blob(_)) => String::new(),
        })
    }

    /// A value as a conflict shows it: [`shown`](Self::shown), and a code of a vocabulary in
    /// words (`courier` → 快递员).
    fn read(&self, entity: &Entity, f: &Field, v: &Value) -> Result<String> {
        use crate::model::{
            CareKind, Gender, MerchantKind, Occupation, OrganizerKind, PartyOrgKind,
            PoliticalStatus, StationKind, Vocabulary,
        };
        fn words<V: Vocabulary>(code: &str) -> Option<String> {
            V::from_code(code).map(|v| v.text(crate::i18n::Lang::current()))
        }
        if let Value::Text(code) = v {
            let w = match (entity.table, f.column) {
                ("workers", "gender") => words::<Gender>(code),
                ("workers", "political_status") => words::<PoliticalStatus>(code),
                ("workers", "occupation") => words::<Occupation>(code),
                ("stations", "kind") => words::<StationKind>(code),
                ("merchants", "kind") => words::<MerchantKind>(code),
                ("party_orgs", "kind") => words::<PartyOrgKind>(code),
                ("care_activities", "kind") => words::<CareKind>(code),
                ("care_activities", "organizer_kind") => words::<OrganizerKind>(code),
                _ => None,
            };
            if let Some(w) = w {
                return Ok(w);
            }
        }
        self.shown(f, v)
    }

    /// Merges the fields of a record there (`theirs`, row ids already mapped) into the
    /// matching row `id` here, three ways when the origin was merged before: a field changed
    /// there since is brought here (unless it also changed here: a conflict), a field changed
    /// only here is kept. The first time, a field empty here is filled in and any other
    /// difference is a conflict. Fields in `newer` are known to be newer there (a number the
    /// worker had before here): brought without a conflict. Changes are written to the change
    /// log when the entity keeps one. `sd` is the digest of the record there as it is stored
    /// there (ids mapped), before any value of it was set from here.
    #[allow(clippy::too_many_arguments)]
    fn reconcile(
        &mut self,
        entity: &Entity,
        source_id: i64,
        id: i64,
        theirs: &[Value],
        sd: i64,
        newer: &[&str],
        record: &dyn Fn() -> String,
        conflict_kind: &dyn Fn(&Field) -> ConflictKind,
    ) -> Result<Reconciled> {
        let ours = self.local_values(entity, id)?;
        let ld = digest(&ours);
        let base = self.base(entity.name, source_id)?;
        if theirs == ours.as_slice() || base.is_some_and(|(_, bs, _)| bs == sd) {
            self.remember(entity.name, source_id, id, sd, ld)?;
            return Ok(Reconciled::Same);
        }
        let here_unchanged = base.is_some_and(|(_, _, bl)| bl == ld);
        let mut changes: Vec<(usize, &Value)> = Vec::new();
        for (i, f) in entity.fields.iter().enumerate() {
            let (o, th) = (&ours[i], &theirs[i]);
            if o == th {
                continue;
            }
            let empty_here =
                matches!(o, Value::Null) || matches!(o, Value::Text(s) if s.is_empty());
            let empty_there =
                matches!(th, Value::Null) || matches!(th, Value::Text(s) if s.is_empty());
            if here_unchanged || newer.contains(&f.column) || (empty_here && !empty_there) {
                changes.push((i, th));
            } else if base.is_none() && empty_there {
                // Known here, not there: nothing to bring.
            } else {
                let (h, th) = (self.read(entity, f, o)?, self.read(entity, f, th)?);
                let kind = conflict_kind(f);
                self.conflict(kind, record(), &field_label(f.label), h, th);
            }
        }
        let mut applied = 0usize;
        for (i, v) in &changes {
            let f = &entity.fields[*i];
            // A value another record here holds (a 手机号 now another worker's, a station's new
            // name taken in its street) is a conflict, not an error of the whole merge.
            self.tx.execute_batch("SAVEPOINT merge_field")?;
            let updated = self
                .tx
                .prepare_cached(&format!(
                    "UPDATE {} SET {} = ?1 WHERE id = ?2",
                    entity.table, f.column
                ))?
                .execute(params![v, id]);
            match updated {
                Ok(_) => self.tx.execute_batch("RELEASE merge_field")?,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    self.tx
                        .execute_batch("ROLLBACK TO merge_field; RELEASE merge_field")?;
                    let (h, th) = (self.read(entity, f, &ours[*i])?, self.read(entity, f, v)?);
                    self.conflict(ConflictKind::Taken, record(), &field_label(f.label), h, th);
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            applied += 1;
            if entity.logged {
                let (old, new) = (self.shown(f, &ours[*i])?, self.shown(f, v)?);
                let old_raw = raw_text(&ours[*i]);
                let new_raw = raw_text(v);
                // The change log masks numbers itself: give it the numbers.
                let (old, new) = if matches!(f.column, "id_number" | "phone" | "contact_phone") {
                    (old_raw, new_raw)
                } else {
                    (
                        Some(old).filter(|s| !s.is_empty()),
                        Some(new).filter(|s| !s.is_empty()),
                    )
                };
                super::changes::log(
                    self.tx,
                    entity.name,
                    &id.to_string(),
                    f.label,
                    old.as_deref(),
                    new.as_deref(),
                    "merge",
                    Some(self.batch),
                )?;
                self.tx.execute(
                    "UPDATE change_log SET origin_id = ?1 WHERE id = last_insert_rowid()",
                    [self.origin],
                )?;
            }
        }
        let now = self.local_values(entity, id)?;
        self.remember(entity.name, source_id, id, sd, digest(&now))?;
        Ok(if applied == 0 {
            Reconciled::Same
        } else {
            Reconciled::Updated
        })
    }

    /// The source's values of `entity`'s fields in its row `id`, as stored there.
    fn source_values(&self, entity: &Entity, id: i64) -> Result<Vec<Value>> {
        let cols: Vec<&str> = entity.fields.iter().map(|f| f.column).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            cols.join(", "),
            entity.table
        );
        Ok(self.src.conn.prepare_cached(&sql)?.query_row([id], |r| {
            (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
        })?)
    }

    /// Maps the row-id fields of a record there to the rows here (by `names` table); a row
    /// id with no counterpart becomes NULL.
    fn map_ids(&self, entity: &Entity, values: &mut [Value]) {
        for (f, v) in entity.fields.iter().zip(values.iter_mut()) {
            let Some(table) = f.names else {
                continue;
            };
            if let Value::Integer(id) = v {
                let map = match table {
                    "streets" => &self.streets,
                    "communities" => &self.communities,
                    "enterprises" => &self.enterprises,
                    "stations" => &self.stations,
                    "party_orgs" => &self.orgs,
                    "merchants" => &self.merchants,
                    _ => continue,
                };
                *v = map.get(id).map_or(Value::Null, |l| Value::Integer(*l));
            }
        }
    }

    /// Inserts a record of `entity` with the given values (plus `extra` columns) and returns
    /// its id.
    fn insert(&self, entity: &Entity, values: &[Value], extra: &[(&str, Value)]) -> Result<i64> {
        let mut cols: Vec<&str> = entity.fields.iter().map(|f| f.column).collect();
        cols.extend(extra.iter().map(|(c, _)| *c));
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            entity.table,
            cols.join(", "),
            marks.join(", ")
        );
        let mut all: Vec<&Value> = values.iter().collect();
        all.extend(extra.iter().map(|(_, v)| v));
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(all))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Merges every row of a keyed entity: `find` gives the row here with the same key (from
    /// the values there, ids mapped), else the row is inserted. Returns source id → local id.
    fn keyed(
        &mut self,
        entity: &Entity,
        kind: Kind,
        order: &str,
        find: &FindRow,
        record: &dyn Fn(&[Value]) -> String,
        extra: &[(&str, Value)],
    ) -> Result<FxHashMap<i64, i64>> {
        let ids: Vec<i64> = self
            .src
            .conn
            .prepare(&format!("SELECT id FROM {} ORDER BY {order}", entity.table))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut map = FxHashMap::default();
        for sid in ids {
            let mut theirs = self.source_values(entity, sid)?;
            self.map_ids(entity, &mut theirs);
            let found = match self.mapped(entity, sid)? {
                Some(id) => Some(id),
                None => find(self.tx, &theirs)?,
            };
            match found {
                Some(id) => {
                    let shown = record(&theirs);
                    let sd = digest(&theirs);
                    // A record named here with its district or shop (`Entity::renamed`) keeps
                    // that name.
                    if let Some(i) = entity.renamed.as_ref().map(|r| r.at) {
                        let ours = self.local_values(entity, id)?;
                        if let (Value::Text(o), Value::Text(t)) = (&ours[i], &theirs[i])
                            && o != t
                            && o.contains(t.as_str())
                        {
                            theirs[i] = ours[i].clone();
                        }
                    }
                    let r = self.reconcile(
                        entity,
                        sid,
                        id,
                        &theirs,
                        sd,
                        &[],
                        &|| shown.clone(),
                        &|_| ConflictKind::Field,
                    )?;
                    let c = self.count(kind);
                    match r {
                        Reconciled::Same => c.same += 1,
                        Reconciled::Updated => c.updated += 1,
                    }
                    map.insert(sid, id);
                }
                None => {
                    let mut values = theirs.clone();
                    if let Some(r) = &entity.renamed {
                        (r.qualify)(self.tx, &mut values)?;
                    }
                    let id = self.insert(entity, &values, extra)?;
                    self.remember(entity.name, sid, id, digest(&theirs), digest(&values))?;
                    self.count(kind).new += 1;
                    map.insert(sid, id);
                }
            }
        }
        Ok(map)
    }

    /// Records the registries the one merged took in itself, as come in through it.
    fn note_included(&self) -> Result<()> {
        let inner: Vec<(String, String)> = self
            .src
            .conn
            .prepare("SELECT registry, file_name FROM merge_origins")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let now = super::now_text();
        for (registry, file) in inner {
            self.tx.execute(
                "INSERT OR IGNORE INTO merge_origins (registry, file_name, first_merged_at,
                                                      last_merged_at, via_origin_id)
                 VALUES (?1, ?2, ?3, ?3, ?4)",
                params![registry, file, now, self.origin],
            )?;
        }
        Ok(())
    }

    /// Writes the counts of this merge into its batch, and how far the origin went.
    fn finish(&mut self) -> Result<()> {
        let reach = Reach::of(&self.src.conn)?;
        self.tx.execute(
            "UPDATE merge_origins SET ledger_through = ?2, batches_through = ?3 WHERE id = ?1",
            params![self.origin, reach.1, reach.2],
        )?;
        let (mut new, mut same, mut updated) = (0u64, 0u64, 0u64);
        for c in self.counts.values() {
            new += c.new;
            same += c.same;
            updated += c.updated;
        }
        self.tx.execute(
            "UPDATE import_batches SET rows_read = ?2, rows_new = ?3, rows_updated = ?4,
             rows_unchanged = ?5 WHERE id = ?1",
            params![
                self.batch,
                i64::try_from(new + same + updated).unwrap_or(i64::MAX),
                i64::try_from(new).unwrap_or(i64::MAX),
                i64::try_from(updated).unwrap_or(i64::MAX),
                i64::try_from(same).unwrap_or(i64::MAX)
            ],
        )?;
        Ok(())
    }
}

/// A street new here (values: code, name, district code) whose name another street here has
/// under another code — two districts of a city or province may each have a 新华街道 — is
/// named with its district in front (`小店区新华街道`), or its code after it when the
/// district is unknown.
pub(super) fn qualify_street(tx: &Connection, values: &mut [Value]) -> Result<()> {
    let Value::Text(name) = &values[1] else {
        return Ok(());
    };
    let taken: Option<i64> = tx
        .prepare_cached("SELECT id FROM streets WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    if taken.is_none() {
        return Ok(());
    }
    let district = match &values[2] {
        Value::Text(d) => crate::divisions::district(d).map(|d| d.name),
        _ => None,
    };
    let code = match &values[0] {
        Value::Text(c) => c.clone(),
        _ => String::new(),
    };
    values[1] = Value::Text(match district {
        Some(d) => format!("{d}{name}"),
        None => format!("{name}（{code}）"),
    });
    Ok(())
}

/// A gift new here (values: name, price, stock, counted, donor, street id, …) whose name a
/// gift of another shop here has: two streets' shops may each have a 保温杯 of their own
/// price and stock. It is named with its street after it (`保温杯（文庙街道）`).
pub(super) fn qualify_gift(tx: &Connection, values: &mut [Value]) -> Result<()> {
    let Value::Text(name) = &values[0] else {
        return Ok(());
    };
    let taken: Option<i64> = tx
        .prepare_cached("SELECT id FROM gifts WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    if taken.is_none() {
        return Ok(());
    }
    let shop: Option<String> = match &values[5] {
        Value::Integer(s) => tx
            .prepare_cached("SELECT name FROM streets WHERE id = ?1")?
            .query_row([s], |r| r.get(0))
            .optional()?,
        _ => None,
    };
    let shop = shop.unwrap_or_else(|| t!("merge.district_shop").into_owned());
    values[0] = Value::Text(format!("{name}（{shop}）"));
    Ok(())
}

/// A value as text (`None` for NULL).
fn raw_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(x) => Some(x.to_string()),
        Value::Text(s) => Some(s.clone()),
        Value::Blob(_) => None,
    }
}

/// The digest of a record's fields: XXH3-64 of each value's type and content.
fn digest(values: &[Value]) -> i64 {
    let mut k = EventKey::new();
    for v in values {
        match v {
            Value::Null => k.text("n"),
            Value::Integer(i) => k.text("i").int(*i),
            Value::Real(x) => k.text("r").text(&x.to_string()),
            Value::Text(s) => k.text("t").text(s),
            Value::Blob(b) => k.text("b").int(b.len() as i64),
        };
    }
    k.key()
}

/// A field as people read it: the register's header for the fields of the change log, the
/// catalogue's `merge.field.*` for the others.
pub(super) fn field_label(code: &str) -> String {
    let lang = crate::i18n::Lang::current();
    let shown = super::changes::field_label(code, lang);
    if shown != code {
        return shown;
    }
    let l = lang.code();
    match code {
        "code" => t!("merge.field.code", locale = l),
        "district_code" => t!("merge.field.district_code", locale = l),
        "unit" => t!("merge.field.unit", locale = l),
        "parent" => t!("merge.field.parent", locale = l),
        "founded_on" => t!("merge.field.founded_on", locale = l),
        "secretary" => t!("merge.field.secretary", locale = l),
        "offer" => t!("merge.field.offer", locale = l),
        "since_on" => t!("merge.field.since_on", locale = l),
        "until_on" => t!("merge.field.until_on", locale = l),
        "price" => t!("merge.field.price", locale = l),
        "stock" => t!("merge.field.stock", locale = l),
        "counted" => t!("merge.field.counted", locale = l),
        "donor" => t!("merge.field.donor", locale = l),
        "retired_on" => t!("merge.field.retired_on", locale = l),
        "title" => t!("merge.field.title", locale = l),
        "date" => t!("merge.field.date", locale = l),
        "organizer_kind" => t!("merge.field.organizer_kind", locale = l),
        "organizer" => t!("merge.field.organizer", locale = l),
        "merchant" => t!("merge.field.merchant", locale = l),
        "unnamed" => t!("merge.field.unnamed", locale = l),
        "coverage" => t!("merge.field.coverage", locale = l),
        "instructor" => t!("merge.field.instructor", locale = l),
        "order_status" => t!("merge.field.order_status", locale = l),
        other => return other.to_string(),
    }
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_street_of_a_name_taken_by_another_district_s_is_named_with_its_district() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::db::SCHEMA_SQL).unwrap();
        conn.execute_batch(
            "INSERT INTO streets (code, name, district_code) VALUES ('140106001', '柳巷街道', '140106')",
        )
        .unwrap();
        let text = |s: &str| Value::Text(s.to_string());
        let mut other = [text("140105001"), text("柳巷街道"), text("140105")];
        qualify_street(&conn, &mut other).unwrap();
        assert_eq!(other[1], text("小店区柳巷街道"));
        let mut unknown = [text("999999001"), text("柳巷街道"), Value::Null];
        qualify_street(&conn, &mut unknown).unwrap();
        assert_eq!(unknown[1], text("柳巷街道（999999001）"));
        let mut free = [text("140105002"), text("坞城街道"), text("140105")];
        qualify_street(&conn, &mut free).unwrap();
        assert_eq!(free[1], text("坞城街道"));
    }
}
