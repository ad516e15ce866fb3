//! Properties of the points ledger: any sequence of entries and corrections keeps balances
//! equal to the sum of the entries, never overdraws without leave, and passes
//! `ledger::check`.

use chrono::{Duration, NaiveDate};
// The library's internals these properties hold of, all named here.
use nuanfeng::internals::{
    db::{
        SCHEMA_SQL,
        ledger::{self, Correction, PointWriter, ResolvedPoint, register_seal_function},
    },
    model::{PointCategory, PointRecord, Points, StoreError, WorkerRef},
};
use proptest::prelude::*;

use crate::util::proptest_config;

/// One operation on the ledger, as an instructor would type it.
#[derive(Debug, Clone)]
enum LedgerOp {
    /// `points earn W n`.
    Earn(i64),
    /// `points redeem W n`.
    Redeem(i64),
    /// `points redeem W n --allow-negative --reason …`.
    RedeemAllowed(i64),
    /// `points reverse ENTRY` of an earlier entry (any worker's), allowed to overdraw or not.
    Reverse(prop::sample::Index, bool),
    /// `points adjust W ±n`, allowed to overdraw or not.
    Adjust(i64, bool),
}

/// An operation on one of two workers, some days after the last (`advance`); entries that
/// need no leave to overdraw may be dated `back` days earlier than that. Entries allowed to
/// overdraw, and redemptions (their writer in src/db/events.rs judges by end-of-day balances),
/// are dated on the latest day.
#[derive(Debug, Clone)]
struct LedgerStep {
    worker: usize,
    advance: i64,
    back: i64,
    op: LedgerOp,
}

fn ledger_step() -> impl Strategy<Value = LedgerStep> {
    let op = prop_oneof![
        3 => (1i64..=40).prop_map(LedgerOp::Earn),
        3 => (1i64..=40).prop_map(LedgerOp::Redeem),
        1 => (1i64..=40).prop_map(LedgerOp::RedeemAllowed),
        2 => (any::<prop::sample::Index>(), prop::bool::weighted(0.2))
            .prop_map(|(i, a)| LedgerOp::Reverse(i, a)),
        2 => ((-30i64..=30).prop_filter("an adjustment moves points", |n| *n != 0),
              prop::bool::weighted(0.2))
            .prop_map(|(n, a)| LedgerOp::Adjust(n, a)),
    ];
    (0usize..2, 0i64..3, 0i64..5, op).prop_map(|(worker, advance, back, op)| LedgerStep {
        worker,
        advance,
        back,
        op,
    })
}

/// An entry as the test remembers it.
#[derive(Debug, Clone)]
struct Remembered {
    id: i64,
    worker: i64,
    date: NaiveDate,
    points: i64,
    reversal: bool,
    reversed: bool,
}

/// Would an entry of `points` dated `date` (after the entries of its day) take a running
/// balance of `worker`, entry by entry in date order, below zero from there on?
fn would_overdraw(model: &[Remembered], worker: i64, date: NaiveDate, points: i64) -> bool {
    if points >= 0 {
        return false;
    }
    let mut mine: Vec<&Remembered> = model.iter().filter(|e| e.worker == worker).collect();
    mine.sort_by_key(|e| (e.date, e.id));
    let (mut run, mut at, mut min_after) = (0, 0, i64::MAX);
    for e in mine {
        run += e.points;
        if e.date <= date {
            at = run;
        } else {
            min_after = min_after.min(run);
        }
    }
    at.min(min_after) + points < 0
}

/// A ledger in memory with the current schema and two workers (row ids 1 and 2).
fn ledger_db() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
    register_seal_function(&conn).expect("the seal function");
    conn.execute_batch(SCHEMA_SQL).expect("the schema");
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         INSERT INTO streets (id, code, name, district_code) VALUES (1, '140106001', '柳巷街道', '140106');
         INSERT INTO workers (id, name, phone, occupation, street_id) VALUES
             (1, '郭志伟', '13623517804', 'courier', 1),
             (2, '李浩', '15903514426', 'delivery_rider', 1);",
    )
    .expect("two workers");
    conn
}

fn point(worker: i64, date: NaiveDate, points: i64, reason: &str) -> ResolvedPoint {
    ResolvedPoint {
        worker,
        record: PointRecord {
            who: WorkerRef {
                name: None,
                id_number: None,
                phone: None,
            },
            date,
            category: if points < 0 {
                PointCategory::Redemption
            } else {
                PointCategory::VolunteerService
            },
            points: Points(points),
            reason: reason.to_string(),
        },
    }
}

proptest! {
    #![proptest_config(proptest_config(128))]

    #[test]
    fn any_ledger_history_balances_and_passes_the_check(
        steps in proptest::collection::vec(ledger_step(), 1..40)
    ) {
        let conn = ledger_db();
        let mut writer = PointWriter::new(&conn, None).expect("a writer");
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
        let mut latest = start;
        let mut model: Vec<Remembered> = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            latest += Duration::days(step.advance);
            let backdated = (latest - Duration::days(step.back)).max(start);
            let worker = step.worker as i64 + 1;
            let reason = format!("第{n}笔");
            match step.op {
                LedgerOp::Earn(p) => {
                    writer.allow_negative = false;
                    let r = writer.store(&point(worker, backdated, p, &reason));
                    prop_assert!(r.is_ok(), "{:?}", r.err());
                    model.push(Remembered { id: conn.last_insert_rowid(), worker, date: backdated, points: p, reversal: false, reversed: false });
                }
                LedgerOp::Redeem(p) | LedgerOp::RedeemAllowed(p) => {
                    let allowed = matches!(step.op, LedgerOp::RedeemAllowed(_));
                    writer.allow_negative = allowed;
                    let refused = !allowed && would_overdraw(&model, worker, latest, -p);
                    match writer.store(&point(worker, latest, -p, &reason)) {
                        Ok(_) => {
                            prop_assert!(!refused, "redeem {p} on {latest} should be refused: {model:?}");
                            model.push(Remembered { id: conn.last_insert_rowid(), worker, date: latest, points: -p, reversal: false, reversed: false });
                        }
                        Err(e) => {
                            prop_assert!(refused, "redeem {p} on {latest} refused: {e:?}");
                            let StoreError::Row(e) = e else { panic!("refused as a row problem: {e:?}") };
                            prop_assert!(e[0].problem.starts_with("redemption refused: balance "), "{e:?}");
                        }
                    }
                }
                LedgerOp::Adjust(p, allowed) => {
                    let date = if allowed { latest } else { backdated };
                    let d = date.to_string();
                    let c = Correction { date: &d, reason: &reason, allow_negative: allowed };
                    let refused = !allowed && would_overdraw(&model, worker, date, p);
                    match ledger::adjust(&conn, worker, p, &c) {
                        Ok(id) => {
                            prop_assert!(!refused, "adjust {p} on {date} should be refused: {model:?}");
                            model.push(Remembered { id, worker, date, points: p, reversal: false, reversed: false });
                        }
                        Err(e) => {
                            prop_assert!(refused, "adjust {p} on {date} refused: {e:#}");
                            prop_assert!(e.to_string().starts_with("refused: balance "), "{e:#}");
                        }
                    }
                }
                LedgerOp::Reverse(index, allowed) => {
                    if model.is_empty() {
                        continue;
                    }
                    let t = index.index(model.len());
                    let target = model[t].clone();
                    let date = if allowed { latest } else { backdated.max(target.date) };
                    let d = date.to_string();
                    let c = Correction { date: &d, reason: &reason, allow_negative: allowed };
                    let result = ledger::reverse(&conn, target.id, &c);
                    if target.reversal {
                        prop_assert!(result.as_ref().is_err_and(|e| e.to_string().contains("is itself a reversal")), "{result:?}");
                    } else if target.reversed {
                        prop_assert!(result.as_ref().is_err_and(|e| e.to_string().contains("was already reversed by entry")), "{result:?}");
                    } else if !allowed && would_overdraw(&model, target.worker, date, -target.points) {
                        prop_assert!(result.as_ref().is_err_and(|e| e.to_string().starts_with("refused: balance ")), "{result:?}");
                    } else {
                        let (id, w) = result.map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
                        prop_assert_eq!(w, target.worker);
                        model[t].reversed = true;
                        model.push(Remembered { id, worker: w, date, points: -target.points, reversal: true, reversed: false });
                    }
                }
            }

            for worker in [1i64, 2] {
                let mut mine: Vec<&Remembered> = model.iter().filter(|e| e.worker == worker).collect();
                mine.sort_by_key(|e| (e.date, e.id));
                let sum: i64 = mine.iter().map(|e| e.points).sum();
                let sql_sum: i64 = conn
                    .query_row("SELECT ifnull(sum(points), 0) FROM point_entries WHERE worker_id = ?1", [worker], |r| r.get(0))
                    .expect("a sum");
                prop_assert_eq!(ledger::balance(&conn, worker).expect("a balance").0, sum);
                prop_assert_eq!(sql_sum, sum);
                let statement = ledger::statement(&conn, worker).expect("a statement");
                prop_assert_eq!(
                    statement.iter().map(|e| e.id).collect::<Vec<_>>(),
                    mine.iter().map(|e| e.id).collect::<Vec<_>>()
                );
                prop_assert_eq!(statement.last().map_or(0, |e| e.balance), sum);
                let (mut run, mut leave_given) = (0, false);
                for e in &statement {
                    run += e.points;
                    prop_assert_eq!(e.balance, run);
                    leave_given |= e.allow_negative;
                    if e.balance < 0 {
                        // Below zero only after leave was given, and never by an entry that
                        // took points off without it.
                        prop_assert!(leave_given, "entry {} at {} with no leave: {statement:?}", e.id, e.balance);
                        prop_assert!(e.points > 0 || e.allow_negative, "entry {} overdraws: {statement:?}", e.id);
                    }
                }
            }
            let violations = ledger::check(&conn).expect("the check runs");
            prop_assert!(violations.is_empty(), "after step {n} ({step:?}): {violations:?}");
        }
    }
}
