//! Usage errors: exit code 2, checked before the registry is opened.

use crate::util::Dir;

#[test]
fn usage_errors_exit_2() {
    let d = Dir::new();
    d.init();
    let cases: [(&[&str], &str); 11] = [
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (
            &["report", "streets", "--from", "2099-12-01"],
            "error: --from 2099-12-01 is after today (",
        ),
        (&["import", "workers"], "required"),
        (&["import", "people", "x.csv"], "invalid value 'people'"),
        (
            &[
                "report",
                "streets",
                "--month",
                "2025-07",
                "--from",
                "2025-07-01",
            ],
            "error: give either --month, --quarter, --year, or --from/--to — not both",
        ),
        (
            &["report", "streets"],
            "错误：没有指定期间 — 用 --month 2025-07、--quarter 2025Q3、--year 2025，或 --from 2025-07-01 --to 2025-07-15",
        ),
        (
            &["report", "streets", "--month", "2025-13"],
            "error: --month 2025-13: not a month — write it as 2025-07",
        ),
        (
            &[
                "report",
                "streets",
                "--from",
                "2025-08-01",
                "--to",
                "2025-07-01",
            ],
            "error: --to 2025-07-01 is before --from 2025-08-01",
        ),
        (
            &["report", "streets", "--month", "2025-07", "--format", "pdf"],
            "invalid value 'pdf'",
        ),
        (
            &[
                "checkin",
                "list",
                "--month",
                "2025-07",
                "--to",
                "2025-07-31",
            ],
            "error: give either --month, --quarter, --year, or --from/--to — not both",
        ),
        (
            &[
                "points",
                "redeem",
                "13623517804",
                "3",
                "--category",
                "志愿服务",
            ],
            "unexpected argument '--category'",
        ),
    ];
    for (args, message) in cases {
        let o = d.nf(args).code(2);
        assert!(o.stderr.contains(message), "{args:?}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
    }
    // Usage is checked before the database is opened.
    d.bare()
        .args(&["--db", "missing.db", "report", "streets"])
        .code(2)
        .stderr_has(&["没有指定期间"]);
    assert!(!d.exists("missing.db"));
    // --help and --version are not errors.
    d.bare()
        .args(&["--help"])
        .ok()
        .stdout_has(&["Usage: nuanfeng"]);
    let version = format!("nuanfeng {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(d.bare().args(&["--version"]).ok().stdout, version);
}
