//! Party membership: which organization holds a member's 组织关系 (`memberships`: one of ours,
//! or a home organization elsewhere for a mobile member), and the membership pipeline
//! (入党程序): stages appended one by one (applicant → activist → candidate → probationary →
//! full_member), each dated no earlier than the one before, and the as-of-date rules the
//! reports count party members by.
//!
//! Who is a party member on a day: a worker with any stage row at probationary or later is
//! judged by the latest stage dated on or before that day (预备党员 → probationary, 正式党员 →
//! full member, an earlier stage or none yet → not a member — except a 预备党员 by the
//! register whose only stage is 正式党员 (转正), probationary until it); every other worker by the
//! 政治面貌 of the register (中共党员 → full member, 中共预备党员 → probationary). A mobile member
//! (流动党员) is a member whose membership is registered elsewhere (`memberships.home_org`).

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;
use serde::Serialize;

use super::Reader;
use crate::model::{PoliticalStatus, Stage, Vocabulary};

/// A worker's membership as people read it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Membership {
    /// 组织关系所在党组织: our organization's name, or the home organization elsewhere.
    pub registered: String,
    /// True for a mobile member (流动党员): the membership is registered elsewhere.
    pub mobile: bool,
    /// 所在党组织: our organization the member takes part in, if any.
    pub attached: Option<String>,
}

/// The membership of worker `id`, if one is registered.
pub fn membership(db: &impl Reader, id: i64) -> Result<Option<Membership>> {
    let conn = db.conn().0;
    let row: Option<(Option<i64>, Option<String>)> = conn
        .query_row(
            "SELECT org_id, home_org FROM memberships WHERE worker_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((org_id, home_org)) = row else {
        return Ok(None);
    };
    let (registered, attached) = membership_texts(conn, org_id, home_org.as_deref())?;
    Ok(registered.map(|registered| Membership {
        registered,
        mobile: home_org.is_some(),
        attached,
    }))
}

/// The text people read for a stored membership: (组织关系, 所在党组织) — the home
/// organization or our organization's name, and our organization's name.
pub(super) fn membership_texts(
    conn: &Connection,
    org_id: Option<i64>,
    home_org: Option<&str>,
) -> rusqlite::Result<(Option<String>, Option<String>)> {
    let org: Option<String> = match org_id {
        None => None,
        Some(i) => conn
            .prepare_cached("SELECT name FROM party_orgs WHERE id = ?1")?
            .query_row([i], |r| r.get(0))
            .optional()?,
    };
    Ok((home_org.map(str::to_string).or(org.clone()), org))
}

/// Writes a worker's membership when it is known (a blank never erases one).
pub(super) fn store_membership(
    conn: &Connection,
    id: i64,
    org_id: Option<i64>,
    home_org: Option<&str>,
) -> rusqlite::Result<()> {
    if org_id.is_none() && home_org.is_none() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO memberships (worker_id, org_id, home_org) VALUES (?1, ?2, ?3)
         ON CONFLICT (worker_id) DO UPDATE SET org_id = excluded.org_id, home_org = excluded.home_org",
    )?
    .execute(params![id, org_id, home_org])?;
    Ok(())
}

/// SQL giving the position (1–5) of the stage code in `col`, in [`Stage::ORDER`].
fn rank_sql(col: &str) -> String {
    let arms: String = Stage::ORDER
        .iter()
        .enumerate()
        .map(|(i, s)| format!(" WHEN '{}' THEN {}", s.code(), i + 1))
        .collect();
    format!("(CASE {col}{arms} END)")
}

/// The position (1–5) of a stage, as [`rank_sql`] numbers them.
fn rank(stage: Stage) -> usize {
    Stage::ORDER.iter().position(|s| *s == stage).unwrap_or(0) + 1
}

/// One stage a worker reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageEntry {
    /// Stage code (`applicant` …).
    pub stage: String,
    /// The day it was reached, `YYYY-MM-DD`.
    pub date: String,
    /// The instructor (党建工作指导员) who recorded or vouched for it.
    pub instructor: Option<String>,
    /// Who entered it.
    pub operator: String,
    /// When it was entered, `YYYY-MM-DD HH:MM:SS`.
    pub entered_at: String,
}

/// The stages of worker `id`, in order.
pub fn history(db: &impl Reader, id: i64) -> Result<Vec<StageEntry>> {
    let conn = db.conn().0;
    let sql = format!(
        "SELECT s.stage, s.date, i.name, s.operator, s.entered_at
         FROM worker_stages s LEFT JOIN instructors i ON i.id = s.instructor_id
         WHERE s.worker_id = ?1 ORDER BY {}",
        rank_sql("s.stage")
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([id], |r| {
            Ok(StageEntry {
                stage: r.get(0)?,
                date: r.get(1)?,
                instructor: r.get(2)?,
                operator: r.get(3)?,
                entered_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What [`advance`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advanced {
    /// The worker's registered 姓名.
    pub name: String,
    /// The stage before, with its date.
    pub previous: Option<(Stage, String)>,
    /// 政治面貌 before and after, when reaching the stage changed it.
    pub status_change: Option<(Option<String>, PoliticalStatus)>,
}

/// Appends `stage` on `date` to worker `id`'s pipeline; `instructor` is an instructor row id.
/// Reaching 预备党员 sets 政治面貌 to 中共预备党员, reaching 正式党员 sets 中共党员 — through the
/// change log, under `command`. Call inside a write transaction.
///
/// Errors (nothing written): a worker with no stage who is a party member by the register
/// already; a first stage other than 入党申请人; a stage other than the next one; a date before
/// the latest stage's; a complete pipeline.
pub fn advance(
    conn: &Connection,
    id: i64,
    stage: Stage,
    date: NaiveDate,
    instructor: Option<i64>,
    command: &str,
) -> Result<Advanced> {
    let (name, status, left): (String, Option<String>, Option<String>) = conn.query_row(
        "SELECT name, political_status, left_on FROM workers WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if let Some(l) = &left
        && date.to_string() > *l
    {
        bail!(
            "{}",
            t!(
                "records.stage.after_leaving",
                name = name,
                left_on = l,
                date = date
            )
        );
    }
    let latest: Option<(String, String)> = conn
        .query_row(
            &format!(
                "SELECT stage, date FROM worker_stages WHERE worker_id = ?1
                 ORDER BY {} DESC LIMIT 1",
                rank_sql("stage")
            ),
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let previous = latest.and_then(|(s, d)| Stage::from_code(&s).map(|s| (s, d)));
    match &previous {
        None => {
            let registered = status.as_deref().and_then(PoliticalStatus::from_code);
            // A 预备党员 by the register may become 正式党员 (转正): until then the reports
            // count them as probationary.
            let conversion = registered == Some(PoliticalStatus::ProbationaryMember)
                && stage == Stage::FullMember;
            if let Some(p) = registered.filter(|p| p.is_party_member() && !conversion) {
                bail!(
                    "{}",
                    t!(
                        "records.stage.already_member",
                        name = name,
                        status = p.label()
                    )
                );
            }
            if stage != Stage::Applicant && !conversion {
                bail!(
                    "{}",
                    t!(
                        "records.stage.first",
                        name = name,
                        first = Stage::Applicant.label(),
                        stage = stage.label()
                    )
                );
            }
        }
        Some((last, since)) => {
            let Some(next) = last.next() else {
                bail!(
                    "{}",
                    t!(
                        "records.stage.complete",
                        name = name,
                        last = last.label(),
                        since = since
                    )
                );
            };
            if stage != next {
                bail!(
                    "{}",
                    t!(
                        "records.stage.next",
                        name = name,
                        last = last.label(),
                        since = since,
                        next = next.label(),
                        stage = stage.label()
                    )
                );
            }
            if date.to_string() < *since {
                bail!(
                    "{}",
                    t!(
                        "records.stage.too_early",
                        name = name,
                        last = last.label(),
                        since = since,
                        next = next.label(),
                        date = date
                    )
                );
            }
        }
    }
    conn.execute(
        "INSERT INTO worker_stages (worker_id, stage, date, instructor_id, operator, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            stage.code(),
            date.to_string(),
            instructor,
            super::operator(),
            super::now_text()
        ],
    )?;
    let new_status = match stage {
        Stage::Probationary => Some(PoliticalStatus::ProbationaryMember),
        Stage::FullMember => Some(PoliticalStatus::PartyMember),
        _ => None,
    };
    let mut status_change = None;
    if let Some(s) = new_status
        && super::workers::set_political_status(conn, id, s, command)?
    {
        status_change = Some((status, s));
    }
    Ok(Advanced {
        name,
        previous,
        status_change,
    })
}

/// Records the stage of the membership pipeline a register states for worker `id` (a
/// 政治面貌 cell reading 入党积极分子, 入党申请人 or 发展对象), dated `date` — the day of the
/// import: the register says so as of then — unless the worker has a stage already: the
/// pipeline recorded stage by stage (`worker stage`) is never rewritten by a register.
/// Returns true when a stage was added.
///
/// Errors: the database failed.
pub fn register_stage(
    conn: &Connection,
    id: i64,
    stage: Stage,
    date: NaiveDate,
) -> rusqlite::Result<bool> {
    let has: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM worker_stages WHERE worker_id = ?1)")?
        .query_row([id], |r| r.get(0))?;
    if has {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO worker_stages (worker_id, stage, date, instructor_id, operator, entered_at)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
    )?
    .execute(params![
        id,
        stage.code(),
        date.to_string(),
        super::operator(),
        super::now_text()
    ])?;
    Ok(true)
}

/// A worker in the pipeline, at the latest stage reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineRow {
    /// Worker row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// Full 手机号.
    pub phone: Option<String>,
    /// Full 身份证号.
    pub id_number: Option<String>,
    /// Street of the worker's registration.
    pub street: String,
    /// The latest stage reached.
    pub stage: Stage,
    /// Since when, `YYYY-MM-DD`.
    pub since: String,
    /// The day of the application (入党申请人).
    pub applied_on: Option<String>,
    /// The instructor of the latest stage.
    pub instructor: Option<String>,
}

/// Every worker with a stage (of one street, at one current stage), by street, stage, date.
pub fn pipeline(
    db: &impl Reader,
    street: Option<i64>,
    stage: Option<Stage>,
) -> Result<Vec<PipelineRow>> {
    let conn = db.conn().0;
    let rank = rank_sql("s.stage");
    let sql = format!(
        "SELECT w.id, w.name, w.phone, w.id_number, st.name, s.stage, s.date, a.date, i.name
         FROM worker_stages s
         JOIN workers w ON w.id = s.worker_id
         JOIN streets st ON st.id = w.street_id
         LEFT JOIN worker_stages a ON a.worker_id = w.id AND a.stage = 'applicant'
         LEFT JOIN instructors i ON i.id = s.instructor_id
         WHERE s.id = (SELECT x.id FROM worker_stages x WHERE x.worker_id = w.id
                       ORDER BY {} DESC LIMIT 1)
           AND (?1 IS NULL OR w.street_id = ?1)
           AND (?2 IS NULL OR s.stage = ?2)
         ORDER BY st.code IS NULL, st.code, st.name, {rank} DESC, s.date, w.name, w.id",
        rank_sql("x.stage")
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params![street, stage.map(|s| s.code())], |r| {
            let code: String = r.get(5)?;
            Ok(PipelineRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                id_number: r.get(3)?,
                street: r.get(4)?,
                stage: Stage::from_code(&code).unwrap_or(Stage::Applicant),
                since: r.get(6)?,
                applied_on: r.get(7)?,
                instructor: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Party members and the pipeline on one day, among the workers working that day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StageCounts {
    /// 正式党员 (中共党员).
    pub full_members: i64,
    /// 预备党员 (中共预备党员).
    pub probationary: i64,
    /// Members of either kind whose membership is registered elsewhere (流动党员).
    pub mobile_members: i64,
    /// At 入党申请人 that day.
    pub applicants: i64,
    /// At 入党积极分子 that day.
    pub activists: i64,
    /// At 发展对象 that day.
    pub candidates: i64,
}

impl StageCounts {
    /// The two counts added field by field.
    pub fn plus(self, o: &StageCounts) -> StageCounts {
        StageCounts {
            full_members: self.full_members + o.full_members,
            probationary: self.probationary + o.probationary,
            mobile_members: self.mobile_members + o.mobile_members,
            applicants: self.applicants + o.applicants,
            activists: self.activists + o.activists,
            candidates: self.candidates + o.candidates,
        }
    }

    /// Party members of either kind.
    pub fn members(&self) -> i64 {
        self.full_members + self.probationary
    }
}

/// Counts party members and the pipeline on day `on` (`YYYY-MM-DD`) among the workers working
/// that day (joined on or before it, not left before it), of one street or all. Membership on
/// the day follows the rule of this module's documentation.
pub fn stage_counts(conn: &Connection, street: Option<i64>, on: &str) -> Result<StageCounts> {
    let by_street = stage_counts_by_street(conn, on)?;
    Ok(match street {
        Some(s) => by_street.get(&s).cloned().unwrap_or_default(),
        None => by_street
            .values()
            .fold(StageCounts::default(), |a, b| a.plus(b)),
    })
}

/// [`stage_counts`] for every street at once, keyed by street id (streets without workers are
/// absent).
pub fn stage_counts_by_street(
    conn: &Connection,
    on: &str,
) -> Result<std::collections::HashMap<i64, StageCounts>> {
    let [applicant, activist, candidate, probationary, full] = Stage::ORDER.map(rank);
    // Only workers with a stage need the stage table: the others are judged by 政治面貌.
    let sql = format!(
        "WITH staged AS (
             SELECT worker_id,
                    max(CASE WHEN date <= ?1 THEN {rank} END) AS stage,
                    max({rank}) >= {probationary} AS admitted_some_day,
                    min({rank}) = {full} AS converted
             FROM worker_stages s GROUP BY worker_id
         ), j AS (
             SELECT w.street_id, t.stage, m.home_org IS NOT NULL AS away,
                    CASE WHEN t.admitted_some_day THEN
                             CASE WHEN t.stage = {full} THEN 'full'
                                  WHEN t.stage = {probationary} THEN 'probationary'
                                  -- 预备党员 by the register, 转正 later: probationary until then.
                                  WHEN t.stage IS NULL AND t.converted THEN 'probationary' END
                         WHEN w.political_status = 'party_member' THEN 'full'
                         WHEN w.political_status = 'probationary_member' THEN 'probationary' END AS member
             FROM workers w
             LEFT JOIN staged t ON t.worker_id = w.id
             LEFT JOIN memberships m ON m.worker_id = w.id
             WHERE (w.joined_on IS NULL OR w.joined_on <= ?1)
               AND (w.left_on IS NULL OR w.left_on >= ?1)
         )
         SELECT street_id,
                coalesce(sum(member = 'full'), 0),
                coalesce(sum(member = 'probationary'), 0),
                coalesce(sum(member IS NOT NULL AND away), 0),
                coalesce(sum(stage = {applicant}), 0),
                coalesce(sum(stage = {activist}), 0),
                coalesce(sum(stage = {candidate}), 0)
         FROM j GROUP BY street_id",
        rank = rank_sql("s.stage"),
    );
    let mut out = std::collections::HashMap::new();
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![on])?;
    while let Some(r) = rows.next()? {
        out.insert(
            r.get::<_, i64>(0)?,
            StageCounts {
                full_members: r.get(1)?,
                probationary: r.get(2)?,
                mobile_members: r.get(3)?,
                applicants: r.get(4)?,
                activists: r.get(5)?,
                candidates: r.get(6)?,
            },
        );
    }
    Ok(out)
}

/// Workers admitted (发展党员: reached 预备党员) from `from` to `to` inclusive, of one street
/// (the worker's street) or all.
pub fn admitted(conn: &Connection, street: Option<i64>, from: &str, to: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM worker_stages s JOIN workers w ON w.id = s.worker_id
         WHERE s.stage = 'probationary' AND s.date BETWEEN ?2 AND ?3
           AND (?1 IS NULL OR w.street_id = ?1)",
        params![street, from, to],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh registry in memory: two streets, five workers.
    fn registry() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::SCHEMA_SQL).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO streets (id, code, name) VALUES (1, '140106001', '柳巷街道'),
                                                         (2, '140106002', '文庙街道');
             INSERT INTO party_orgs (id, name, kind) VALUES (1, '迎泽区快递物流行业党委', 'industry_committee');
             INSERT INTO workers (id, name, phone, political_status, occupation, street_id, joined_on, left_on) VALUES
                 (1, '王磊', '13623518847', 'masses', 'courier', 1, NULL, NULL),
                 (2, '李娜', '13623518848', 'party_member', 'courier', 1, '2024-01-01', NULL),
                 (3, '赵强', '13623518849', 'probationary_member', 'delivery_rider', 2, NULL, '2025-06-30'),
                 (4, '孙丽', '13623518850', 'party_member', 'courier', 2, '2025-07-15', NULL),
                 (5, '周杰', '13623518851', 'league_member', 'courier', 1, NULL, NULL);
             INSERT INTO memberships (worker_id, org_id, home_org) VALUES
                 (2, 1, NULL), (4, 1, '山西省临汾市尧都区贾得乡党委');",
        )
        .unwrap();
        conn
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn stages_move_forward_one_at_a_time() {
        let conn = registry();
        let a = advance(&conn, 1, Stage::Applicant, day("2024-03-01"), None, "t").unwrap();
        assert_eq!(a.previous, None);
        let err = advance(&conn, 1, Stage::Candidate, day("2024-09-01"), None, "t")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "王磊 is 入党申请人 since 2024-03-01: the next stage is 入党积极分子 (dated 2024-03-01 \
             or later), not 发展对象"
        );
        let err = advance(&conn, 1, Stage::Activist, day("2024-02-01"), None, "t")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "王磊 is 入党申请人 since 2024-03-01: 入党积极分子 must be dated 2024-03-01 or later, \
             not 2024-02-01"
        );
        advance(&conn, 1, Stage::Activist, day("2024-03-01"), None, "t").unwrap();
        let err = advance(&conn, 5, Stage::Activist, day("2024-03-01"), None, "t")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "周杰 has no stage yet: the first stage is 入党申请人, not 入党积极分子"
        );
        let err = advance(&conn, 2, Stage::Applicant, day("2024-03-01"), None, "t")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("李娜 is already a party member (中共党员 by the register)"));
    }

    #[test]
    fn probationary_sets_political_status_through_the_change_log() {
        let conn = registry();
        for (s, d) in [
            (Stage::Applicant, "2024-01-10"),
            (Stage::Activist, "2024-04-10"),
            (Stage::Candidate, "2025-01-10"),
        ] {
            let a = advance(&conn, 1, s, day(d), None, "worker stage").unwrap();
            assert_eq!(a.status_change, None);
        }
        let a = advance(
            &conn,
            1,
            Stage::Probationary,
            day("2025-07-10"),
            None,
            "worker stage",
        )
        .unwrap();
        assert_eq!(
            a.status_change,
            Some((
                Some("masses".to_string()),
                PoliticalStatus::ProbationaryMember
            ))
        );
        let log: (String, String, String, String) = conn
            .query_row(
                "SELECT field, old, new, command FROM change_log WHERE entity_id = '1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            log,
            (
                "political_status".into(),
                "masses".into(),
                "probationary_member".into(),
                "worker stage".into()
            )
        );
        let h = history(&conn, 1).unwrap();
        let stages: Vec<&str> = h.iter().map(|e| e.stage.as_str()).collect();
        assert_eq!(
            stages,
            ["applicant", "activist", "candidate", "probationary"]
        );
    }

    #[test]
    fn counts_follow_the_stages_dated_by_the_day() {
        let conn = registry();
        for (s, d) in [
            (Stage::Applicant, "2024-01-10"),
            (Stage::Activist, "2024-04-10"),
            (Stage::Candidate, "2025-01-10"),
            (Stage::Probationary, "2025-07-10"),
        ] {
            advance(&conn, 1, s, day(d), None, "t").unwrap();
        }
        advance(&conn, 5, Stage::Applicant, day("2025-03-01"), None, "t").unwrap();
        // 2025-06-30: 王磊 a candidate (his 政治面貌 now says probationary, but his stages
        // rule); 李娜 full; 赵强 probationary on his last day; 孙丽 not yet joined.
        assert_eq!(
            stage_counts(&conn, None, "2025-06-30").unwrap(),
            StageCounts {
                full_members: 1,
                probationary: 1,
                mobile_members: 0,
                applicants: 1,
                activists: 0,
                candidates: 1,
            }
        );
        // 2025-07-31: 王磊 probationary; 赵强 gone; 孙丽 a mobile member.
        assert_eq!(
            stage_counts(&conn, None, "2025-07-31").unwrap(),
            StageCounts {
                full_members: 2,
                probationary: 1,
                mobile_members: 1,
                applicants: 1,
                activists: 0,
                candidates: 0,
            }
        );
        assert_eq!(
            stage_counts(&conn, Some(2), "2025-07-31").unwrap(),
            StageCounts {
                full_members: 1,
                mobile_members: 1,
                ..StageCounts::default()
            }
        );
        assert_eq!(
            admitted(&conn, None, "2025-07-01", "2025-07-31").unwrap(),
            1
        );
        assert_eq!(
            admitted(&conn, None, "2025-01-01", "2025-06-30").unwrap(),
            0
        );
        assert_eq!(
            admitted(&conn, Some(2), "2025-01-01", "2025-12-31").unwrap(),
            0
        );
    }
}
