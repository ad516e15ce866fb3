//! Acceptance tests of the points ledger (issue "points ledger"), through the real binary on
//! the district fixture: a balance is the sum of the ledger whatever entries made it; the file
//! itself refuses UPDATE and DELETE; a rule change applies to new records only; `points check`
//! is quiet on a clean ledger and names every corruption; an overdraw needs --allow-negative
//! and a reason; a version-1 registry upgrades to the fresh schema, keeping every row and a
//! backup copy.

mod anchor;
mod balance;
mod gifts;
mod integrity;
mod overdraw;
mod properties;
mod upgrade;

use crate::util::Dir;

/// 杨丽, 迎泽街道: no entries in `district/points.csv`.
const YANG_LI: &str = "15135296642";
/// 郭志伟: +10 on 2025-07-02, −5 on 2025-07-18 in `district/points.csv` (balance 5).
const GUO_ZHIWEI: &str = "13623517804";
/// 王宇: +5 on 2025-07-12 in `district/points.csv`.
const WANG_YU: &str = "17735240683";

/// `points balance --format json --show-pii`, by phone.
fn balances(d: &Dir) -> Vec<(String, i64, i64, i64)> {
    let mut v: Vec<_> = d
        .by_operator(&["points", "balance", "--format", "json", "--show-pii"])
        .ok()
        .json_array()
        .iter()
        .map(|b| {
            (
                b["phone"].as_str().expect("a phone").to_string(),
                b["balance"].as_i64().expect("an integer balance"),
                b["earned"].as_i64().expect("an integer"),
                b["redeemed"].as_i64().expect("an integer"),
            )
        })
        .collect();
    v.sort();
    v
}

/// Every balance printed equals the sum of that worker's entries (and earned − redeemed).
fn assert_balances_are_sums(d: &Dir) {
    let shown = balances(d);
    let sums: Vec<(String, i64)> = d
        .rows(
            "SELECT w.phone, sum(p.points) FROM point_entries p JOIN workers w ON w.id = p.worker_id
             GROUP BY w.id ORDER BY w.phone",
        )
        .into_iter()
        .map(|r| {
            (
                r[0].clone().expect("a phone"),
                r[1].as_deref().expect("a sum").parse().expect("an integer"),
            )
        })
        .collect();
    assert_eq!(
        shown
            .iter()
            .map(|(p, b, _, _)| (p.clone(), *b))
            .collect::<Vec<_>>(),
        sums
    );
    for (phone, balance, earned, redeemed) in &shown {
        assert_eq!(earned - redeemed, *balance, "{phone}");
    }
}

/// A 随手拍 register of one report by 杨丽, with the status (and 办结日期) given.
fn tips_register(status: &str, resolved_on: Option<&str>) -> String {
    match resolved_on {
        None => format!(
            "姓名,手机号,上报日期,类别,内容,状态\n杨丽,{YANG_LI},2025-07-10,安全隐患,迎泽大街井盖破损,{status}\n"
        ),
        Some(on) => format!(
            "姓名,手机号,上报日期,类别,内容,状态,办结日期\n杨丽,{YANG_LI},2025-07-10,安全隐患,迎泽大街井盖破损,{status},{on}\n"
        ),
    }
}
