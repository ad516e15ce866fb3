//! Every command that takes a period takes the same five flags (`--month`, `--quarter`,
//! `--year`, `--from`/`--to`) with the rules of the one period parser: the lists of check-ins,
//! services, 随手拍 reports, workers (the stock on the period's last day) and awards, and the
//! access log — on the district fixture and the registers of `tests/fixtures/records/`.

use serde_json::Value;

use crate::util::{Dir, District};

use super::YANG_LI;

/// The district's streets, stations, workers (8) and check-ins (10, 2025-06-30 to
/// 2025-08-01), the services (5, 2025-06-28 to 2025-08-02), reports (7, 2025-06-20 to
/// 2025-08-12) and awards (2024 and 2025) of `records/`; 杨丽 left on 2025-08-31.
fn periods_district() -> Dir {
    let d = District::new().checkins().records().build();
    d.nf(&["worker", "leave", YANG_LI, "--date", "2025-08-31"])
        .ok();
    d
}

/// The `date` (or `key`) of every item of a list printed as JSON with `args`.
fn listed(d: &Dir, args: &[&str], key: &str) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    d.nf(&all)
        .ok()
        .json_array()
        .iter()
        .map(|v| match &v[key] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn checkin_list_takes_a_quarter_and_a_year() {
    let d = periods_district();
    let q3 = listed(&d, &["checkin", "list", "--quarter", "2025Q3"], "date");
    assert_eq!(q3.len(), 9, "{q3:?}");
    assert!(
        q3.iter()
            .all(|day| day.as_str() >= "2025-07-01" && day.as_str() <= "2025-09-30")
    );
    let q2 = listed(&d, &["checkin", "list", "--quarter", "2025Q2"], "date");
    assert_eq!(q2, ["2025-06-30"]);
    d.nf(&["checkin", "list", "--year", "2025"])
        .ok()
        .stderr_has(&["共 10 人次报到"]);
    d.nf(&["checkin", "list", "--year", "2024"])
        .ok()
        .stderr_has(&["共 0 人次报到"]);
}

#[test]
fn service_list_takes_a_year_and_a_quarter() {
    let d = periods_district();
    let year = listed(&d, &["service", "list", "--year", "2025"], "date");
    assert_eq!(year.len(), 5, "{year:?}");
    assert!(listed(&d, &["service", "list", "--year", "2024"], "date").is_empty());
    let q3 = listed(&d, &["service", "list", "--quarter", "2025Q3"], "date");
    assert_eq!(q3, ["2025-07-05", "2025-07-12", "2025-07-20", "2025-08-02"]);
}

#[test]
fn tip_list_takes_from_and_to() {
    let d = periods_district();
    let mut july = listed(
        &d,
        &["tip", "list", "--from", "2025-07-01", "--to", "2025-07-31"],
        "date",
    );
    july.sort();
    assert_eq!(
        july,
        ["2025-07-02", "2025-07-08", "2025-07-15", "2025-07-21"]
    );
    // --from alone runs to today.
    let since = listed(&d, &["tip", "list", "--from", "2025-08-01"], "date");
    assert_eq!(since.len(), 2, "{since:?}");
}

#[test]
fn worker_list_of_a_period_is_the_stock_on_its_last_day() {
    let d = periods_district();
    let august = listed(&d, &["worker", "list", "--month", "2025-08"], "name");
    assert_eq!(august.len(), 8, "{august:?}");
    assert!(august.contains(&"杨丽".to_string()));
    let september = listed(&d, &["worker", "list", "--month", "2025-09"], "name");
    assert_eq!(september.len(), 7, "{september:?}");
    assert!(!september.contains(&"杨丽".to_string()));
    // A quarter ends on 30 September, after she left; one ending on 30 June counts her.
    assert_eq!(
        listed(&d, &["worker", "list", "--quarter", "2025Q3"], "name"),
        september
    );
    assert_eq!(
        listed(&d, &["worker", "list", "--quarter", "2025Q2"], "name").len(),
        8
    );
    // --all lists everyone and takes no period.
    assert_eq!(listed(&d, &["worker", "list", "--all"], "name").len(), 8);
    let o = d.nf(&["worker", "list", "--all", "--year", "2025"]).code(2);
    assert!(
        o.stderr
            .contains("错误：--all 不能和 --year <YYYY> 同时使用"),
        "{}",
        o.stderr
    );
}

#[test]
fn award_list_and_the_access_log_take_a_period() {
    let d = periods_district();
    assert_eq!(
        listed(&d, &["award", "list", "--year", "2025"], "year"),
        ["2025"]
    );
    // An award counts on 31 December of its year.
    assert_eq!(
        listed(
            &d,
            &[
                "award",
                "list",
                "--from",
                "2024-01-01",
                "--to",
                "2025-12-31"
            ],
            "year"
        ),
        ["2024", "2025"]
    );
    assert!(listed(&d, &["award", "list", "--month", "2025-07"], "year").is_empty());
    d.nf(&["access-log", "--quarter", "2025Q3"])
        .ok()
        .stderr_has(&["共 0 次查看"]);
}

#[test]
fn a_bad_quarter_is_a_usage_error_before_the_registry_is_opened() {
    let d = periods_district();
    for list in ["checkin", "service", "tip", "worker", "award"] {
        let o = d.nf(&[list, "list", "--quarter", "2025Q5"]).code(2);
        assert_eq!(
            o.stderr, "错误：--quarter 2025Q5: 不是季度 — 写成 2025Q3 这样\n",
            "{list}"
        );
        assert_eq!(o.stdout, "", "{list}");
    }
    d.bare()
        .args(&[
            "--db",
            "missing.db",
            "checkin",
            "list",
            "--quarter",
            "2025Q5",
        ])
        .code(2);
    assert!(!d.exists("missing.db"));
}

#[test]
fn to_without_from_on_a_list_is_refused() {
    let d = periods_district();
    for list in ["checkin", "service", "tip", "award"] {
        let o = d.nf(&[list, "list", "--to", "2025-07-31"]).code(2);
        assert!(
            o.stderr.starts_with("错误：--to 要和 --from 一起用："),
            "{list}: {}",
            o.stderr
        );
    }
    d.nf(&["access-log", "--to", "2025-07-31"])
        .code(2)
        .stderr_has(&["--to 要和 --from 一起用"]);
}
