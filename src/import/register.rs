//! Register kinds as the reader sees them: the record a row of each kind becomes and the
//! validation that makes it ([`Register`]), and [`Discard`], the sink that keeps nothing, for
//! the half of `import` that needs no database.
//!
//! A new register kind adds, besides its record type in `model::record` and its
//! `RegisterKind` variant: an `impl Register` here, an arm in `import_from` (`mod.rs`), its
//! headers in `header.rs`, and its `Loads` in `db::sink` (the compiler asks for each).

use std::path::Path;

use chrono::NaiveDate;

use super::validate::{self, Cells};
use crate::model::{
    ActivityRecord, AsIs, AwardRecord, BatchEnd, BatchStart, CheckinRecord, DivisionRecord,
    GiftRecord, InstructorRecord, Loads, MerchantRecord, OrgRecord, Outcome, PointRecord, Previous,
    RegisterKind, ServiceRecord, Sink, StationRecord, Store, StoreError, TipRecord, WishRecord,
    WorkerRecord,
};

/// A register kind: the record a row becomes, and how a row is validated into it.
pub trait Register: Sized + Send + 'static {
    /// The kind.
    const KIND: RegisterKind;

    /// Validates the cells of a row into a record: `None` only when `c` holds problems.
    /// `today` bounds the dates of events.
    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self>;
}

impl Register for WorkerRecord {
    const KIND: RegisterKind = RegisterKind::Workers;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::worker(c, today)
    }
}

impl Register for StationRecord {
    const KIND: RegisterKind = RegisterKind::Stations;

    fn validate(c: &mut Cells<'_>, _today: NaiveDate) -> Option<Self> {
        validate::station(c)
    }
}

/// A row of a divisions list: `None` for a province, city or district (read, not stored).
impl Register for Option<DivisionRecord> {
    const KIND: RegisterKind = RegisterKind::Streets;

    fn validate(c: &mut Cells<'_>, _today: NaiveDate) -> Option<Self> {
        validate::division(c)
    }
}

impl Register for CheckinRecord {
    const KIND: RegisterKind = RegisterKind::Checkins;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::checkin(c, today)
    }
}

impl Register for PointRecord {
    const KIND: RegisterKind = RegisterKind::Points;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::points(c, today)
    }
}

impl Register for ServiceRecord {
    const KIND: RegisterKind = RegisterKind::Services;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::service(c, today)
    }
}

impl Register for TipRecord {
    const KIND: RegisterKind = RegisterKind::Tips;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::tip(c, today)
    }
}

impl Register for WishRecord {
    const KIND: RegisterKind = RegisterKind::Wishes;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::wish(c, today)
    }
}

impl Register for AwardRecord {
    const KIND: RegisterKind = RegisterKind::Awards;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::award(c, today)
    }
}

impl Register for InstructorRecord {
    const KIND: RegisterKind = RegisterKind::Instructors;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::instructor(c, today)
    }
}

impl Register for OrgRecord {
    const KIND: RegisterKind = RegisterKind::Orgs;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::org(c, today)
    }
}

impl Register for ActivityRecord {
    const KIND: RegisterKind = RegisterKind::Activities;

    fn validate(c: &mut Cells<'_>, today: NaiveDate) -> Option<Self> {
        validate::activity(c, today)
    }
}

impl Register for MerchantRecord {
    const KIND: RegisterKind = RegisterKind::Merchants;

    fn validate(c: &mut Cells<'_>, _today: NaiveDate) -> Option<Self> {
        validate::merchant(c)
    }
}

impl Register for GiftRecord {
    const KIND: RegisterKind = RegisterKind::Gifts;

    fn validate(c: &mut Cells<'_>, _today: NaiveDate) -> Option<Self> {
        validate::gift(c)
    }
}

/// A sink that keeps nothing and looks nothing up: every valid record is `Unchanged`. What
/// `check_register` imports into.
#[derive(Debug, Clone, Copy, Default)]
pub struct Discard;

impl<R> Store<R> for Discard {
    fn store(&mut self, _item: &R, _line: u64) -> Result<Outcome, StoreError> {
        Ok(Outcome::Unchanged)
    }
}

impl Sink for Discard {
    fn location(&self) -> Option<&Path> {
        None
    }
}

impl<R: Register> Loads<R> for Discard {
    type Item = R;
    type Resolver = AsIs;

    fn batch<T>(
        &mut self,
        _start: &BatchStart<'_>,
        fill: impl FnOnce(AsIs, &mut dyn Store<R>) -> anyhow::Result<(T, BatchEnd)>,
    ) -> anyhow::Result<(T, Option<Previous>)> {
        let (value, _) = fill(AsIs, &mut Discard)?;
        Ok((value, None))
    }
}
