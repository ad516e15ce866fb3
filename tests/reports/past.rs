//! Past months stay as sent: a report of a month gives the same bytes after a worker's street
//! is corrected or a register is imported again later; points, wishes and admissions count
//! under the worker's street on their day, as the change log tells it.

use crate::util::{District, bom_csv};

/// `report streets --month 2025-07` in every text format: (format, stdout, stderr).
fn july(d: &crate::util::Dir) -> Vec<(&'static str, Vec<u8>, String)> {
    ["table", "csv", "json", "md"]
        .into_iter()
        .map(|f| {
            let o = d
                .nf(&["report", "streets", "--month", "2025-07", "--format", f])
                .ok();
            (f, o.raw_stdout.clone(), o.stderr.clone())
        })
        .collect()
}

/// The CSV row of `street` and the cell under `header`.
fn cell(csv: &[u8], street: &str, header: &str) -> String {
    let rows = bom_csv(csv);
    let h = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "街道"))
        .expect("a header row");
    let i = rows[h].iter().position(|c| c == header).expect(header);
    rows[h + 1..]
        .iter()
        .find(|r| r[0] == street)
        .unwrap_or_else(|| panic!("no row {street}"))[i]
        .clone()
}

#[test]
fn a_street_corrected_after_july_leaves_july_as_sent() {
    let d = District::new().without_init().checkins().points().build();
    let before = july(&d);
    // July: 柳巷 12 points earned (郭志伟 10, 李浩 2), 5 redeemed (郭志伟); 3 workers.
    let csv = &before[1].1;
    assert_eq!(cell(csv, "柳巷街道", "积分发放"), "12");
    assert_eq!(cell(csv, "柳巷街道", "积分兑换"), "5");
    assert_eq!(cell(csv, "柳巷街道", "从业人员"), "3");
    assert_eq!(cell(csv, "文庙街道", "积分发放"), "5");

    // And the register imported again, later, with 李浩 in 文庙街道.
    let register = String::from_utf8(crate::util::fixture_bytes("district/workers.csv"))
        .unwrap()
        .replace(
            "美团,美团柳巷站,柳巷街道,察院后社区居委会",
            "美团,,文庙街道,文庙社区居委会",
        );
    d.write("workers-august.csv", register);
    d.nf(&["import", "workers", "workers-august.csv"])
        .ok()
        .stderr_has(&["新增 0，更新 1，未变 7"]);
    // Then corrected at the terminal: 郭志伟 works at 中通快递文庙网点, in 文庙街道.
    d.nf(&[
        "worker",
        "update",
        "郭志伟",
        "--station",
        "中通快递文庙网点",
    ])
    .ok();
    let now: Vec<Vec<Option<String>>> = d.rows(
        "SELECT w.name, s.name FROM workers w JOIN streets s ON s.id = w.street_id
         WHERE w.name IN ('郭志伟', '李浩') ORDER BY w.name",
    );
    assert_eq!(
        now,
        [
            crate::util::some(&["李浩", "文庙街道"]),
            crate::util::some(&["郭志伟", "文庙街道"]),
        ]
    );

    let after = july(&d);
    for ((f, out0, err0), (_, out1, err1)) in before.iter().zip(&after) {
        assert_eq!(
            String::from_utf8_lossy(out0),
            String::from_utf8_lossy(out1),
            "--format {f}"
        );
        assert_eq!(err0, err1, "--format {f}");
    }
}
