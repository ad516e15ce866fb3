//! The registry as the sink of an import (the traits are in [`crate::model::sink`]): one
//! file's batch is one write transaction with its `import_batches` row, and each register kind
//! is stored by its loader. Nothing here reads files; the reader never sees this module.
//!
//! A new register kind adds one `impl Loads<ItsRecord> for Db` here: the resolver its rows
//! need on the reader thread, and the loader that stores them.

use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;

use super::Db;
use super::activities::{ActivityResolver, ActivityWriter, ResolvedActivity};
use super::batches;
use super::changes::Origin;
use super::checkins::{CheckinWriter, ResolvedCheckin};
use super::events::{EventResolver, ForWorker, PlainWriter};
use super::gifts::GiftLoader;
use super::instructors::InstructorLoader;
use super::ledger::{PointWriter, ResolvedPoint};
use super::merchants::MerchantLoader;
use super::orgs::OrgLoader;
use super::places::{self, Places};
use super::services::{ResolvedService, ServiceWriter};
use super::snapshot::{StationSnapshot, WorkerSnapshot};
use super::stations::StationLoader;
use super::tips::{ResolvedTip, TipWriter};
use super::workers::WorkerLoader;
use crate::model::{
    ActivityRecord, AsIs, AwardRecord, BatchEnd, BatchStart, CellError, CheckinRecord, Counts,
    DivisionRecord, Field, GiftRecord, InstructorRecord, Loads, MerchantRecord, OrgRecord, Outcome,
    PointRecord, Previous, RegisterKind, Resolve, ServiceRecord, Sink, StationRecord, Store,
    StoreError, TipRecord, WishRecord, WorkerRecord,
};
use crate::testhook;

impl Sink for Db {
    fn location(&self) -> Option<&Path> {
        Some(self.path())
    }
}

/// The resolver of the kinds whose loader finds what a record names itself (workers,
/// stations, instructors, organizations): the record as it is, with the streets known for
/// the problems of rows refused for other reasons.
pub struct StreetCheck(Places);

impl StreetCheck {
    /// Reads the streets.
    ///
    /// Errors: the database failed.
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(Self(Places::load(conn)?))
    }
}

impl<R: Send> Resolve<R> for StreetCheck {
    type Resolved = R;

    fn resolve(&mut self, record: R) -> Result<R, Vec<CellError>> {
        Ok(record)
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.0.street_cached(street).err()
    }
}

/// Stores the streets and communities of an official divisions list.
pub struct DivisionWriter<'c>(&'c Connection);

impl Store<Option<DivisionRecord>> for DivisionWriter<'_> {
    fn store(&mut self, item: &Option<DivisionRecord>, _line: u64) -> Result<Outcome, StoreError> {
        let Some(r) = item else {
            // A province, city or district above its streets: read, not stored.
            return Ok(Outcome::Unchanged);
        };
        let done = if r.code.is_empty() {
            places::add_community(self.0, &r.parent, &r.name)
        } else if r.code.len() == 9 {
            places::upsert_street(self.0, Some(&r.code), &r.name, Some(&r.parent))
        } else {
            places::upsert_community(self.0, &r.parent, &r.code, &r.name)
        };
        if r.code.is_empty() {
            done.map_err(|e| super::row_or_db(e, Field::ParentCode, &r.parent))
        } else {
            done.map_err(|e| super::row_or_db(e, Field::Code, &r.code))
        }
    }
}

impl Db {
    /// Runs one file's batch: `body` gets the transaction and the batch's id, stores the rows
    /// and says how the batch ends; then the batch's digest and counts are recorded and the
    /// transaction commits or rolls back. An error anywhere rolls it back.
    fn in_batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        body: impl FnOnce(&Connection, i64) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        // Event loaders write only ids they read inside the import's own write transaction
        // (workers, streets and communities found or added there, the batch begun there), so
        // the per-row foreign-key lookups would prove what holds by construction; at a million
        // rows they cost more than the rest of the import together. The workers loader is
        // alike: the streets, communities, stations, enterprises and organizations a worker
        // names are read or added inside the transaction, and its memberships, former numbers
        // and changes name the workers and the batch written there. Every other write keeps
        // them.
        let bulk = matches!(
            start.kind,
            RegisterKind::Checkins | RegisterKind::Points | RegisterKind::Workers
        );
        if bulk {
            self.set_foreign_keys(false)?;
        }
        let result = self.run_batch(start, body);
        if result.is_err() {
            self.settle_after_failure();
        }
        if bulk {
            let restored = self.set_foreign_keys(true);
            let done = result?;
            restored?;
            return Ok(done);
        }
        result
    }

    /// After a failed batch, lets SQLite finish rolling it back: a write that failed half
    /// way (the disk full while the page cache spilled into the file) leaves the journal for
    /// the next reader to play back, and this read is that reader, so the file is whole again
    /// before the program ends. A failure here changes nothing: the next opener plays the
    /// journal back.
    fn settle_after_failure(&self) {
        let _ = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            });
    }

    fn run_batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        body: impl FnOnce(&Connection, i64) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        let kind = start.kind.code();
        let (tx, counter) = self.begin_counted()?;
        let batch = batches::begin(&tx, start, counter)?;
        testhook::kill_point("import:after-batch-recorded");
        // On an error the transaction is dropped, which rolls it back.
        let (value, end) = body(&tx, batch)?;
        batches::finish(&tx, batch, &end.sha256, &end.counts)?;
        let previous = batches::previous(&tx, kind, &end.sha256, start.sheet, batch)?;
        if end.commit {
            testhook::kill_point("import:before-commit");
            tx.commit()?;
            testhook::kill_point("import:after-commit");
        } else {
            tx.rollback()?;
        }
        Ok((value, previous))
    }
}

impl Db {
    /// The file change counter (header bytes 24..28, big-endian) and `PRAGMA data_version`
    /// read just before it, when the counter says something: a plaintext file in the rollback
    /// journal's `delete` mode with normal locking, where SQLite adds exactly one to it on every
    /// committed write transaction of any program. `None` otherwise (WAL, an encrypted file, a
    /// header that cannot be read), and inside a transaction: the header is read through a
    /// file handle of its own, whose closing would drop the locks the connection holds.
    ///
    /// Errors: database errors.
    fn counter_unwritten(&self) -> Result<Option<(i64, u32)>> {
        #[cfg(feature = "sqlcipher")]
        if self.key.is_some() {
            return Ok(None);
        }
        if !self.conn.is_autocommit() {
            return Ok(None);
        }
        let pragma = |name: &str| -> Result<String> {
            Ok(self
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, String>(0))?
                .to_ascii_lowercase())
        };
        if pragma("journal_mode")? != "delete" || pragma("locking_mode")? != "normal" {
            return Ok(None);
        }
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let mut header = [0u8; 28];
        let read = std::fs::File::open(self.path())
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header));
        if read.is_err() || &header[..16] != b"SQLite format 3\0" {
            return Ok(None);
        }
        let counter = u32::from_be_bytes([header[24], header[25], header[26], header[27]]);
        Ok(Some((version, counter)))
    }

    /// Begins a write transaction (as [`Db::begin_write`]) and says which file change counter
    /// its commit will produce: the counter read just before it plus one, when nothing was
    /// committed between that read and the lock (`PRAGMA data_version` unchanged across them)
    /// and the counter says something (see [`Db::counter_unwritten`]); `None` otherwise.
    ///
    /// Errors: as [`Db::begin_write`].
    fn begin_counted(&mut self) -> Result<(rusqlite::Transaction<'_>, Option<u32>)> {
        let before = self.counter_unwritten()?;
        let tx = self.begin_write()?;
        let after: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let next = before
            .filter(|(version, _)| *version == after)
            .map(|(_, counter)| counter.wrapping_add(1));
        Ok((tx, next))
    }

    /// An identical re-import answered from the registry (see [`Loads::unchanged_since`]):
    /// proven when the last write to the file was the commit of the last batch, and that
    /// batch read the same bytes the same way, stored all its rows and changed none.
    fn replay(
        &mut self,
        start: &BatchStart<'_>,
        sha256: &mut dyn FnMut() -> Result<Option<String>>,
    ) -> Result<Option<(Counts, Option<Previous>)>> {
        if start.dry_run || start.reading.is_empty() {
            return Ok(None);
        }
        // A cheap look first, so that a file never seen costs no digest.
        let Some((_, counter)) = self.counter_unwritten()? else {
            return Ok(None);
        };
        match batches::latest(&self.conn)? {
            Some(last) if proves(&last, start, counter, None) => {}
            _ => return Ok(None),
        }
        let Some(sha) = sha256()? else {
            return Ok(None);
        };
        // The proof itself, under the write lock: nothing can be committed from here on.
        let (tx, next) = self.begin_counted()?;
        let Some(next) = next else {
            return Ok(None);
        };
        let Some(last) = batches::latest(&tx)? else {
            return Ok(None);
        };
        if !proves(&last, start, next.wrapping_sub(1), Some(&sha)) {
            return Ok(None);
        }
        let counts = Counts {
            read: last.counts.read,
            unchanged: last.counts.read,
            ..Counts::default()
        };
        let kind = start.kind.code();
        let batch = batches::begin(&tx, start, Some(next))?;
        testhook::kill_point("import:after-batch-recorded");
        batches::finish(&tx, batch, &sha, &counts)?;
        let previous = batches::previous(&tx, kind, &sha, start.sheet, batch)?;
        testhook::kill_point("import:before-commit");
        tx.commit()?;
        testhook::kill_point("import:after-commit");
        Ok(Some((counts, previous)))
    }
}

/// Whether batch `last`, found the last one when the file's change counter is `counter`,
/// proves that importing `start`'s file stores nothing new: its commit was the last write
/// to the file, it read the same bytes (`sha256`, when known) as the same kind, in the same
/// way, on a day no later than today, and each of its rows was stored, none changing a
/// record another had stored (so each now finds its record as it is).
fn proves(
    last: &batches::Latest,
    start: &BatchStart<'_>,
    counter: u32,
    sha256: Option<&str>,
) -> bool {
    let c = &last.counts;
    let today = start.today.format("%Y-%m-%d").to_string();
    last.commit_counter == Some(counter)
        && last.kind == start.kind.code()
        && last.reading == start.reading
        && last.encoding == start.read_as
        && start
            .sheet
            .is_none_or(|s| last.file_name.ends_with(&format!("[{s}]")))
        && last
            .imported_at
            .get(..10)
            .is_some_and(|d| d <= today.as_str())
        && c.read > 0
        && c.rejected == 0
        && c.updated == 0
        && c.new + c.unchanged == c.read
        && sha256.is_none_or(|s| s == last.sha256)
}

/// Who changes the register in a batch: `import workers` and the batch.
fn origin(start: &BatchStart<'_>, batch: i64) -> Origin {
    Origin {
        command: format!("import {}", start.kind.code()),
        batch: Some(batch),
    }
}

impl Loads<Option<DivisionRecord>> for Db {
    type Item = Option<DivisionRecord>;
    type Resolver = AsIs;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(AsIs, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, _| fill(AsIs, &mut DivisionWriter(tx)))
    }
}

impl Loads<StationRecord> for Db {
    type Item = StationRecord;
    type Resolver = StreetCheck;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(StreetCheck, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let loader = StationLoader::new(tx, origin(start, batch))?;
            fill(
                StreetCheck::load(tx)?,
                &mut StationSnapshot::new(tx, loader),
            )
        })
    }
}

impl Loads<WorkerRecord> for Db {
    type Item = WorkerRecord;
    type Resolver = StreetCheck;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(StreetCheck, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let mut loader = WorkerLoader::new(tx, origin(start, batch))?;
            loader.dry_run = start.dry_run;
            fill(StreetCheck::load(tx)?, &mut WorkerSnapshot::new(tx, loader))
        })
    }
}

impl Loads<CheckinRecord> for Db {
    type Item = ResolvedCheckin;
    type Resolver = EventResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(EventResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = EventResolver::load(tx)?;
            fill(resolver, &mut CheckinWriter::new(tx, Some(batch))?)
        })
    }

    /// A check-in is identified by what it says: a file stored whole finds each of its rows
    /// stored as it is, until something is written.
    fn unchanged_since(
        &mut self,
        start: &BatchStart<'_>,
        sha256: &mut dyn FnMut() -> Result<Option<String>>,
    ) -> Result<Option<(Counts, Option<Previous>)>> {
        self.replay(start, sha256)
    }
}

impl Loads<PointRecord> for Db {
    type Item = ResolvedPoint;
    type Resolver = EventResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(EventResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = EventResolver::load(tx)?;
            fill(resolver, &mut PointWriter::new(tx, Some(batch))?)
        })
    }
}

impl Loads<ServiceRecord> for Db {
    type Item = ResolvedService;
    type Resolver = EventResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(EventResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = EventResolver::load(tx)?;
            fill(resolver, &mut ServiceWriter::new(tx, Some(batch))?)
        })
    }
}

impl Loads<TipRecord> for Db {
    type Item = ResolvedTip;
    type Resolver = EventResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(EventResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = EventResolver::load(tx)?;
            fill(resolver, &mut TipWriter::new(tx, Some(batch))?)
        })
    }
}

impl Loads<WishRecord> for Db {
    type Item = ForWorker<WishRecord>;
    type Resolver = EventResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(EventResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = EventResolver::load(tx)?;
            fill(resolver, &mut PlainWriter::new(tx, Some(batch)))
        })
    }
}

impl Loads<AwardRecord> for Db {
    type Item = ForWorker<AwardRecord>;
    type Resolver = EventResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(EventResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = EventResolver::load(tx)?;
            fill(resolver, &mut PlainWriter::new(tx, Some(batch)))
        })
    }
}

impl Loads<ActivityRecord> for Db {
    type Item = ResolvedActivity;
    type Resolver = ActivityResolver;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(ActivityResolver, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let resolver = ActivityResolver::load(tx)?;
            fill(resolver, &mut ActivityWriter::new(tx, Some(batch))?)
        })
    }
}

impl Loads<InstructorRecord> for Db {
    type Item = InstructorRecord;
    type Resolver = StreetCheck;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(StreetCheck, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let mut store = InstructorLoader::new(tx, Some(batch), start.today)?;
            fill(StreetCheck::load(tx)?, &mut store)
        })
    }
}

impl Loads<OrgRecord> for Db {
    type Item = OrgRecord;
    type Resolver = StreetCheck;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(StreetCheck, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let mut store = OrgLoader::new(tx, origin(start, batch), start.today)?;
            fill(StreetCheck::load(tx)?, &mut store)
        })
    }
}

impl Loads<MerchantRecord> for Db {
    type Item = MerchantRecord;
    type Resolver = StreetCheck;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(StreetCheck, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let mut store = MerchantLoader::new(tx, Some(batch))?.snapshot(start.today);
            fill(StreetCheck::load(tx)?, &mut store)
        })
    }
}

impl Loads<GiftRecord> for Db {
    type Item = GiftRecord;
    type Resolver = StreetCheck;

    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(StreetCheck, &mut dyn Store<Self::Item>) -> Result<(T, BatchEnd)>,
    ) -> Result<(T, Option<Previous>)> {
        self.in_batch(start, |tx, batch| {
            let mut store = GiftLoader::new(tx, origin(start, batch))?;
            fill(StreetCheck::load(tx)?, &mut store)
        })
    }
}
