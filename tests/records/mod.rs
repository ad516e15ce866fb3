//! Integration tests of the records typed at the terminal beyond check-ins and points: volunteer
//! services (points by the volunteer_hour rule), 随手拍 reports (approved once, then resolved),
//! 微心愿, awards and instructors with their stations — through the real binary on the
//! district fixture and the registers of `tests/fixtures/records/`. Each test asserts the
//! exact messages, the exit code, the rows of the registry file and the sums of the ledger.
//!
//! The rows an office fills in loosely, and the mistakes a register can hide, are tested with
//! the kind of record they belong to. Also here: check-ins typed at the terminal, worker and
//! station upkeep, party organizations and their coverage, and party membership.

mod activities;
mod awards;
mod checkins;
mod coherence;
mod identity;
mod instructors;
mod language;
mod lists;
mod membership;
mod merchants;
mod mistakes;
mod orgs;
mod periods;
mod services;
mod tips;
mod upkeep;
mod wishes;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::Dir;

/// 杨丽, 迎泽街道 (青年路一社区居委会): no points, services or reports in the district fixture.
const YANG_LI: &str = "15135296642";
/// 杨丽's 身份证号.
const YANG_LI_ID: &str = "140106199006037169";
/// 郭志伟, 柳巷街道.
const GUO_ZHIWEI: &str = "13623517804";
/// 陈磊, 桥东街道.
const CHEN_LEI: &str = "18834071935";

/// The sum of a worker's ledger, by 手机号.
fn ledger_sum(d: &Dir, phone: &str) -> i64 {
    d.int(&format!(
        "SELECT coalesce(sum(p.points), 0) FROM point_entries p
         JOIN workers w ON w.id = p.worker_id WHERE w.phone = '{phone}'"
    ))
}

/// The keys of every object of a JSON array, which must all be the same.
fn keys(list: &[Value]) -> BTreeSet<String> {
    assert!(!list.is_empty(), "an empty list has no keys to check");
    let first: BTreeSet<String> = list[0]
        .as_object()
        .expect("objects")
        .keys()
        .cloned()
        .collect();
    for v in list {
        let k: BTreeSet<String> = v.as_object().expect("objects").keys().cloned().collect();
        assert_eq!(k, first, "{v}");
    }
    first
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}
