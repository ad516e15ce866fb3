//! Usage errors: exit code 2, checked before the registry is opened; said in Chinese, and in
//! English with `--lang en`.

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
            "error: say which period: --month 2025-07, --quarter 2025Q3, --year 2025, or --from D --to D",
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
        let o = d.nf(&[&["--lang", "en"], args].concat()).code(2);
        assert!(o.stderr.contains(message), "{args:?}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
    }
    // The same mistakes of the command line in Chinese (the default): no English sentence.
    let cases: [(&[&str], &[&str]); 7] = [
        (
            &["frobnicate"],
            &[
                "错误：没有“frobnicate”这个命令",
                "用法：nuanfeng [OPTIONS] <COMMAND>",
                "更多说明请用“--help”。",
            ],
        ),
        (
            &["worker", "lst"],
            &["没有“lst”这个命令", "是不是想用命令“list”？"],
        ),
        (
            &["import", "workers"],
            &[
                "错误：缺少必须给出的参数：<FILE>...",
                "用法：nuanfeng import <KIND> <FILE>...",
            ],
        ),
        (
            &["import", "people", "x.csv"],
            &["错误：<KIND> 的值“people”不在可选范围内 — 可选值：streets、stations、workers"],
        ),
        (
            &["report", "streets"],
            &[
                "错误：没有指定期间 — 用 --month 2025-07、--quarter 2025Q3、--year 2025，或 --from 2025-07-01 --to 2025-07-15",
            ],
        ),
        (
            &["report", "streets", "--month", "2025-07", "--format", "pdf"],
            &[
                "错误：--format <FORMAT> 的值“pdf”不在可选范围内 — 可选值：table、csv、json、md、xlsx",
            ],
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
            &["错误：没有“--category”这个选项"],
        ),
    ];
    for (args, messages) in cases {
        let o = d.nf(args).code(2);
        o.stderr_has(messages);
        let runs = super::catalogue::english_runs(&o.stderr, 4);
        assert!(runs.is_empty(), "{args:?}: {runs:?}\n{}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
    }
    // Usage is checked before the database is opened.
    d.bare()
        .args(&["--db", "missing.db", "--lang", "en", "report", "streets"])
        .code(2)
        .stderr_has(&["say which period"]);
    assert!(!d.exists("missing.db"));
    // --help and --version are not errors.
    d.bare()
        .args(&["--help"])
        .ok()
        .stdout_has(&["用法：nuanfeng"]);
    d.bare()
        .args(&["--help", "--lang", "en"])
        .ok()
        .stdout_has(&["Usage: nuanfeng"]);
    let version = format!("nuanfeng {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(d.bare().args(&["--version"]).ok().stdout, version);
}

/// A number clap could not read is explained in the user's language, not in Rust's words;
/// a shelf count and items added are not given together.
#[test]
fn numbers_that_are_not_numbers_and_stock_with_add_stock() {
    let d = Dir::new();
    d.init();
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["points", "pickup", "abc"],
            "错误：<ORDER> 的值“abc”不对：须是整数",
            "error: invalid value 'abc' for '<ORDER>': must be a whole number",
        ),
        (
            &["points", "reverse", "abc"],
            "错误：<ENTRY> 的值“abc”不对：须是整数",
            "error: invalid value 'abc' for '<ENTRY>': must be a whole number",
        ),
        (
            &[
                "points",
                "redeem",
                "13800138000",
                "--gift",
                "头盔",
                "--quantity",
                "1.5",
            ],
            "错误：--quantity <QUANTITY> 的值“1.5”不对：须是整数",
            "error: invalid value '1.5' for '--quantity <QUANTITY>': must be a whole number",
        ),
        (
            &[
                "points",
                "redeem",
                "13800138000",
                "--gift",
                "头盔",
                "--quantity",
                "",
            ],
            "错误：--quantity <QUANTITY> 的值“”不对：须是整数，不能为空",
            "error: invalid value '' for '--quantity <QUANTITY>': must be a whole number, not empty",
        ),
        (
            &["gift", "update", "头盔", "--price", "99999999999999999999"],
            "错误：--price <PRICE> 的值“999999**********9999”不对：数太大了",
            "error: invalid value '999999**********9999' for '--price <PRICE>': the number is too large",
        ),
        (
            &["gift", "update", "头盔", "--stock", "3", "--add-stock", "2"],
            "错误：--stock <STOCK> 不能和 --add-stock <ADD_STOCK> 同时使用",
            "error: the argument '--stock <STOCK>' cannot be used with '--add-stock <ADD_STOCK>'",
        ),
    ];
    for (args, zh, en) in cases {
        let o = d.nf(args).code(2);
        assert_eq!(o.stderr.lines().next(), Some(zh), "{args:?}");
        let mut with_en = vec!["--lang", "en"];
        with_en.extend_from_slice(args);
        let o = d.nf(&with_en).code(2);
        assert_eq!(o.stderr.lines().next(), Some(en), "{args:?}");
    }
}
