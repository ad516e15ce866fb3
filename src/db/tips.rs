//! 随手拍 reports: the resolved report, its writer, approval (which grants the points of its
//! rule, once) and resolution, the list of `tip list` with the look-ups its commands need to
//! say what they did, and the reports of one worker for `report worker`. A report is an event,
//! identified by its content and occurrence like a check-in (see `events.rs`), so a
//! re-imported export adds only what is new; a report re-imported with a later status moves
//! forward (and is granted then).

use crate::db::events::ResolveEvent;
use anyhow::{Result, bail};
use rusqlite::{Connection, OptionalExtension, Statement, params};
use rust_i18n::t;

use super::events::{
    Claims, CommunityRef, EventKey, EventResolver, Settled, Slot, community_id, day_key,
    day_number, days,
};
use super::ledger::{self, Grant, NET_POINTS};
use super::places::Places;
use super::{Reader, row_or_db};
use crate::model::{
    CellError, Field, Outcome, Period, RuleCode, Store, StoreError, TipCategory, TipRecord,
    TipStatus, Vocabulary,
};

/// A 随手拍 report with its worker and place found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTip {
    /// Worker row id.
    pub worker: i64,
    /// The record.
    pub record: TipRecord,
    /// Street row id.
    pub street: i64,
    /// Community.
    pub community: CommunityRef,
}

impl EventResolver {
    /// Resolves a 随手拍 report (the worker's own street when the row gives none).
    ///
    /// Errors (row problems): unknown or mismatched worker, unknown place.
    pub fn tip(&mut self, record: TipRecord) -> Result<ResolvedTip, Vec<CellError>> {
        let worker = self
            .workers
            .find_event_worker(&record.who)
            .map_err(|e| vec![e])?;
        self.workers
            .working_on(worker, record.date)
            .map_err(|e| vec![e])?;
        let (street, community) = self.place(worker, &record.street, &record.community)?;
        Ok(ResolvedTip {
            worker,
            record,
            street,
            community,
        })
    }
}

impl ResolveEvent<TipRecord> for EventResolver {
    type Resolved = ResolvedTip;

    fn resolve_event(&mut self, record: TipRecord) -> Result<ResolvedTip, Vec<CellError>> {
        self.tip(record)
    }
}

/// The rule a 随手拍 report is granted by: 意见建议 are adopted suggestions, the rest reports.
pub fn tip_rule(category: TipCategory) -> RuleCode {
    if category == TipCategory::Suggestion {
        RuleCode::SuggestionAdopted
    } else {
        RuleCode::TipApproved
    }
}

fn status_rank(s: TipStatus) -> u8 {
    match s {
        TipStatus::Pending => 0,
        TipStatus::Approved => 1,
        TipStatus::Resolved => 2,
    }
}

/// What approving a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    /// The ledger entry granted now, `None` when the report had been granted already.
    pub entry: Option<i64>,
    /// Points granted now.
    pub points: i64,
    /// The worker.
    pub worker: i64,
}

/// Approves report `id` on `date` by `by`: the status becomes approved (unless already
/// further) and the points of its rule are granted, once — approving again grants nothing.
///
/// Errors: no such report; a date before the report's.
pub fn approve_tip(
    conn: &Connection,
    id: i64,
    date: &str,
    by: &str,
    batch: Option<i64>,
) -> Result<Approval> {
    let found: Option<(i64, String, String, String, String)> = conn
        .query_row(
            "SELECT worker_id, date, category, content, status FROM tips WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((worker, tip_date, category, content, status)) = found else {
        bail!("{}", t!("records.tip.unknown", id = id));
    };
    if date < tip_date.as_str() {
        bail!(
            "{}",
            t!(
                "records.tip.approved_before_report",
                date = date,
                tip_date = tip_date
            )
        );
    }
    if status == "pending" {
        conn.execute(
            "UPDATE tips SET status = 'approved', approved_on = ?1, approved_by = ?2 WHERE id = ?3",
            params![date, by, id],
        )?;
    }
    let category = TipCategory::from_code(&category).unwrap_or(TipCategory::Other);
    let rule = tip_rule(category);
    let points = ledger::rule_points(conn, rule)?;
    let entry = ledger::grant(
        conn,
        &Grant {
            worker,
            date,
            points,
            rule,
            source_table: "tips",
            source_id: id,
            reason: &content,
            batch,
        },
    )?;
    Ok(Approval {
        entry,
        points: if entry.is_some() { points } else { 0 },
        worker,
    })
}

/// Marks report `id` resolved on `date` by `by`.
///
/// Errors: no such report; not approved yet; already resolved; a date before the approval.
pub fn resolve_tip(conn: &Connection, id: i64, date: &str, by: &str) -> Result<()> {
    let found: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT status, approved_on FROM tips WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        None => bail!("{}", t!("records.tip.unknown", id = id)),
        Some((s, _)) if s == "pending" => {
            bail!("{}", t!("records.tip.not_approved", id = id))
        }
        Some((s, _)) if s == "resolved" => bail!("{}", t!("records.tip.resolved_already", id = id)),
        Some((_, Some(approved))) if date < approved.as_str() => {
            bail!(
                "{}",
                t!(
                    "records.tip.resolved_before_approval",
                    date = date,
                    approved = approved
                )
            )
        }

        Some(_) => {
            conn.execute(
                "UPDATE tips SET status = 'resolved', resolved_on = ?1, resolved_by = ?2 WHERE id = ?3",
                params![date, by, id],
            )?;
            Ok(())
        }
    }
}

/// Writes 随手拍 reports. A report whose register says approved or resolved is approved (and
/// granted) as it lands; a stored report re-imported with a later status moves forward.
pub struct TipWriter<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    places: Places,
    claims: Claims<'c>,
    find: Statement<'c>,
}

impl<'c> TipWriter<'c> {
    /// Prepares to write into `conn`; `batch` is the import batch (`None` when typed).
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        Ok(Self {
            conn,
            batch,
            places: Places::load(conn)?,
            claims: Claims::new(conn, "tips")?,
            find: conn.prepare(
                "SELECT id, worker_id = ?2 AND date = ?3 AND category = ?4 AND content = ?5
                            AND street_id = ?6 AND community_id IS ?7,
                        batch_id IS ?8
                 FROM tips WHERE event_key = ?1",
            )?,
        })
    }

    /// Stores one report. Returns the outcome and the report's row id.
    ///
    /// Errors: a community not on its street's official list, or a resolution dated before
    /// the report's approval (row problems); the database failed.
    pub fn store(&mut self, t: &ResolvedTip) -> Result<(Outcome, i64), StoreError> {
        let r = &t.record;
        let community = community_id(&mut self.places, self.conn, t.street, &t.community)?;
        let date = r.date.to_string();
        let (outcome, id, current) = self.settle(t, community, &date)?;
        // Move forward to the status the register gives: approval (with its points) on the
        // report's date, resolution on 办结日期 (or the report's date).
        let mut outcome = outcome;
        if status_rank(r.status) > status_rank(current) {
            let by = super::operator();
            if current == TipStatus::Pending {
                approve_tip(self.conn, id, &date, &by, self.batch)
                    .map_err(|e| row_or_db(e, Field::Status, ""))?;
            }
            if r.status == TipStatus::Resolved {
                let on = r.resolved_on.map_or(date.clone(), |d| d.to_string());
                resolve_tip(self.conn, id, &on, &by)
                    .map_err(|e| row_or_db(e, Field::ResolvedOn, ""))?;
            }
            if outcome == Outcome::Unchanged {
                outcome = Outcome::Updated;
            }
        }
        Ok((outcome, id))
    }

    /// Finds the stored copy of a report this file has not claimed yet, or inserts it
    /// (pending). Returns the outcome, the row id and the stored status.
    fn settle(
        &mut self,
        t: &ResolvedTip,
        community: Option<i64>,
        date: &str,
    ) -> Result<(Outcome, i64, TipStatus), StoreError> {
        let r = &t.record;
        let day = day_number(r.date);
        let key = |occ: i64| {
            tip_key(
                day,
                t.worker,
                t.street,
                community,
                r.category.code(),
                &r.content,
                occ,
            )
        };
        let (find, batch) = (&mut self.find, self.batch);
        let mut matched = None;
        let settled = self.claims.settle(batch.is_none(), key, |k| {
            let slot = find
                .query_row(
                    params![
                        k,
                        t.worker,
                        date,
                        r.category.code(),
                        r.content,
                        t.street,
                        community,
                        batch
                    ],
                    |row| {
                        Ok(if row.get::<_, bool>(1)? {
                            Slot::Same {
                                id: row.get(0)?,
                                ours: batch.is_some() && row.get(2)?,
                            }
                        } else {
                            Slot::Other
                        })
                    },
                )
                .optional()
                .map(|x| x.unwrap_or(Slot::Free))?;
            if let Slot::Same { id, .. } = slot {
                matched = Some(id);
            }
            Ok(slot)
        })?;
        Ok(match settled {
            Settled::Stored => {
                let id = matched.expect("a stored report was matched");
                let status: String =
                    self.conn
                        .query_row("SELECT status FROM tips WHERE id = ?1", [id], |row| {
                            row.get(0)
                        })?;
                let current = TipStatus::from_code(&status).unwrap_or(TipStatus::Pending);
                (Outcome::Unchanged, id, current)
            }
            Settled::Insert { occurrence, key } => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO tips (worker_id, date, category, content, street_id, community_id,
                             status, occurrence, event_key, batch_id, entered_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10)",
                    )?
                    .execute(params![
                        t.worker,
                        date,
                        r.category.code(),
                        r.content,
                        t.street,
                        community,
                        occurrence,
                        key,
                        batch,
                        super::now_text()
                    ])?;
                (
                    Outcome::New,
                    self.conn.last_insert_rowid(),
                    TipStatus::Pending,
                )
            }
        })
    }
}

impl Store<ResolvedTip> for TipWriter<'_> {
    fn store(&mut self, item: &ResolvedTip, _line: u64) -> Result<Outcome, StoreError> {
        TipWriter::store(self, item).map(|(outcome, _)| outcome)
    }
}

/// Which 随手拍 reports [`tips`] lists. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct TipFilter<'a> {
    /// Status code: `pending`, `approved` or `resolved` (exactly that status).
    pub status: Option<&'a str>,
    /// Category code, e.g. `safety_hazard`.
    pub category: Option<&'a str>,
    /// Street row id: reports made in that street.
    pub street: Option<i64>,
    /// Reports dated inside the period.
    pub period: Option<&'a Period>,
}

/// One 随手拍 report as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipRow {
    /// Row id (what `tip approve` and `tip resolve` take).
    pub id: i64,
    /// 上报日期, `YYYY-MM-DD`.
    pub date: String,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// Category code.
    pub category: String,
    /// 内容.
    pub content: String,
    /// Status code: `pending`, `approved`, `resolved`.
    pub status: String,
    /// Day of approval.
    pub approved_on: Option<String>,
    /// Who approved.
    pub approved_by: Option<String>,
    /// Day of resolution (办结).
    pub resolved_on: Option<String>,
    /// Who resolved.
    pub resolved_by: Option<String>,
    /// Street where the problem was seen.
    pub street: String,
    /// Community.
    pub community: Option<String>,
    /// Points the approval granted, net of a reversal of that grant (0 while pending).
    pub points: i64,
}

/// 随手拍 reports matching `f`, by date then entry.
pub fn tips(db: &impl Reader, f: &TipFilter<'_>) -> Result<Vec<TipRow>> {
    let conn = db.conn().0;
    let range = f.period.map(super::events::checkin_keys);
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, t.date, w.name, w.phone, t.category, t.content, t.status,
                t.approved_on, t.approved_by, t.resolved_on, t.resolved_by, s.name, c.name,
                {NET_POINTS}
         FROM tips t
         JOIN workers w ON w.id = t.worker_id
         JOIN streets s ON s.id = t.street_id
         LEFT JOIN communities c ON c.id = t.community_id
         LEFT JOIN point_entries e ON e.source_table = 'tips' AND e.source_id = t.id
                                  AND e.kind = 'earn'
         LEFT JOIN point_entries r ON r.reverses = e.id
         WHERE (?1 IS NULL OR t.street_id = ?1)
           AND (?2 IS NULL OR (t.event_key >= ?2 AND t.event_key < ?3))
           AND (?4 IS NULL OR t.status = ?4)
           AND (?5 IS NULL OR t.category = ?5)
         ORDER BY t.event_key >> 44, t.id"
    ))?;
    let rows = stmt
        .query_map(
            params![
                f.street,
                range.map(|r| r.0),
                range.map(|r| r.1),
                f.status,
                f.category
            ],
            |r| {
                Ok(TipRow {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    name: r.get(2)?,
                    phone: r.get(3)?,
                    category: r.get(4)?,
                    content: r.get(5)?,
                    status: r.get(6)?,
                    approved_on: r.get(7)?,
                    approved_by: r.get(8)?,
                    resolved_on: r.get(9)?,
                    resolved_by: r.get(10)?,
                    street: r.get(11)?,
                    community: r.get(12)?,
                    points: r.get(13)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Another report identical to report `id` (same worker, date, category, content, street and
/// community), if one is stored: a report typed twice.
pub fn identical_tip(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT o.id FROM tips t
             JOIN tips o ON o.worker_id = t.worker_id AND o.date = t.date
                  AND o.category = t.category AND o.content = t.content
                  AND o.street_id = t.street_id AND o.community_id IS t.community_id
                  AND o.id <> t.id
             WHERE t.id = ?1
             ORDER BY o.id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// A report as its commands name it in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipBrief {
    /// Worker row id.
    pub worker: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Category code.
    pub category: String,
    /// Status code.
    pub status: String,
    /// Day of approval.
    pub approved_on: Option<String>,
}

/// Report `id`, or `None` when there is none.
pub fn tip_brief(conn: &Connection, id: i64) -> Result<Option<TipBrief>> {
    Ok(conn
        .query_row(
            "SELECT t.worker_id, w.name, t.category, t.status, t.approved_on
             FROM tips t JOIN workers w ON w.id = t.worker_id WHERE t.id = ?1",
            [id],
            |r| {
                Ok(TipBrief {
                    worker: r.get(0)?,
                    name: r.get(1)?,
                    category: r.get(2)?,
                    status: r.get(3)?,
                    approved_on: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// One 随手拍 report of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tip {
    /// Row id (what `tip approve` and `tip resolve` take).
    pub id: i64,
    /// 上报日期, `YYYY-MM-DD`.
    pub date: String,
    /// Category code (`safety_hazard` …).
    pub category: String,
    /// 内容.
    pub content: String,
    /// Status code: `pending`, `approved`, `resolved`.
    pub status: String,
    /// Day of resolution (办结), `YYYY-MM-DD`, once resolved.
    pub resolved_on: Option<String>,
    /// Street where the problem was seen (name).
    pub street: String,
}

/// The 随手拍 reports of worker `id` made or resolved inside `period` (`None`: all), by date
/// of the report then entry. A report made before the period and resolved in it is included:
/// the caller tells the two dates apart. Read through the index on `tips.worker_id`.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Tip>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(
            "SELECT t.id, t.date, t.category, t.content, t.status, t.resolved_on, s.name
             FROM tips t
             JOIN streets s ON s.id = t.street_id
             WHERE t.worker_id = ?1
               AND (t.date BETWEEN ?2 AND ?3 OR t.resolved_on BETWEEN ?2 AND ?3)
             ORDER BY t.date, t.id",
        )?
        .query_map(params![id, from, to], |r| {
            Ok(Tip {
                id: r.get(0)?,
                date: r.get(1)?,
                category: r.get(2)?,
                content: r.get(3)?,
                status: r.get(4)?,
                resolved_on: r.get(5)?,
                street: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The event key of a 随手拍 report: the day (days since 2000-01-01) in its high bits, and the
/// XXH3 hash of worker, street, community (row ids), category code, content and occurrence.
pub(crate) fn tip_key(
    day: i64,
    worker: i64,
    street: i64,
    community: Option<i64>,
    category: &str,
    content: &str,
    occurrence: i64,
) -> i64 {
    day_key(
        day,
        EventKey::at_place(worker, street, community)
            .text(category)
            .text(content)
            .int(occurrence)
            .key(),
    )
}
