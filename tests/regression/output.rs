//! What the program writes: to a closed stderr, and CSV for Excel.

use serde_json::Value;

use crate::util::{self, Dir, bom_csv};

#[test]
fn closed_stderr_pipe_does_not_panic() {
    use std::process::{Command, Stdio};
    let d = Dir::new();
    d.init();
    d.import("workers", "01-utf8-bom/workers.csv");
    d.copy("13-street-names/workers.csv");
    let run = |args: &[&str]| {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        // Nobody will ever read what the program writes to stderr.
        drop(reader);
        let o = Command::new(util::BIN)
            .current_dir(d.path())
            .env("RUST_BACKTRACE", "0")
            .env_remove("NUANFENG_DB")
            .args(["--db", util::DB])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(writer)
            .output()
            .expect("run nuanfeng");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    // Row errors and the final error go to stderr; the refusal is still exit 1, not a panic.
    assert_eq!(run(&["import", "workers", "workers.csv"]).0, Some(1));
    assert_eq!(d.int("SELECT count(*) FROM workers"), 3);
    // A successful import that writes notes to stderr.
    assert_eq!(
        run(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "workers.csv"
        ])
        .0,
        Some(0)
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 6);
    // Data still goes to stdout; the count note to the closed stderr does not matter.
    let (code, stdout) = run(&["worker", "list", "--format", "json"]);
    assert_eq!(code, Some(0));
    let list: Vec<Value> = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(list.len(), 6);
    assert_eq!(run(&["worker", "list"]).0, Some(0));
}

#[test]
fn worker_list_csv_does_not_print_dashes_or_live_formulas() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n\"=HYPERLINK(\"\"http://x\"\")\",18600007771,快递员,柳巷街道\n@SUM(A1),18600007772,快递员,柳巷街道\n王宇,18600007773,快递员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "workers.csv"]).ok();
    let o = d.nf(&["worker", "list", "--format", "csv"]).ok();
    let rows = bom_csv(&o.raw_stdout);
    assert_eq!(
        rows[0],
        [
            "姓名",
            "性别",
            "手机号",
            "身份证号",
            "政治面貌",
            "从业类型",
            "所属企业",
            "所属站点",
            "所属街道",
            "所属社区"
        ]
    );
    let by_name = |n: &str| {
        rows.iter()
            .find(|r| r[0] == n)
            .unwrap_or_else(|| panic!("no row {n} in {rows:?}"))
            .clone()
    };
    assert_eq!(
        by_name("王宇"),
        [
            "王宇",
            "",
            "186****7773",
            "",
            "",
            "快递员",
            "",
            "",
            "柳巷街道",
            ""
        ]
    );
    assert_eq!(by_name("'=HYPERLINK(\"http://x\")")[2], "186****7771");
    assert_eq!(by_name("'@SUM(A1)")[2], "186****7772");
    assert!(rows.iter().all(|r| r.iter().all(|c| c != "-")), "{rows:?}");
    // The stored name is as written.
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name = '=HYPERLINK(\"http://x\")'"),
        1
    );
}
