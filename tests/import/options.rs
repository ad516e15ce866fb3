//! Import options: `--skip-invalid`, `--rejects`, `--dry-run`, `--quiet`, several files at
//! once, and every problem of a row reported.

use crate::util::{Dir, bom_csv};

#[test]
fn skip_invalid_without_rejects_writes_name_rejects_csv_in_the_current_folder() {
    let d = Dir::new();
    d.init();
    d.copy("13-street-names/workers.csv");
    d.nf(&["import", "workers", "--skip-invalid", "workers.csv"])
        .ok()
        .stderr_has(&[
            "4 rows: 3 new, 0 updated, 0 unchanged, 1 rejected (written to workers.rejects.csv)",
        ]);
    let rows = bom_csv(&d.read("workers.rejects.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "5");
    assert_eq!(rows[1][4], "史红霞");
}

/// A rejects file that cannot be written (here: its folder does not exist) stops the import
/// before a row lands, and the message says so and what to do.
#[test]
fn a_rejects_file_that_cannot_be_written_imports_nothing_and_says_so() {
    let d = Dir::new();
    d.init();
    d.copy("13-street-names/workers.csv");
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "无此文件夹/退回.csv",
        "workers.csv",
    ])
    .code(1)
    .stderr_has(&[
        "error: nothing was imported: the rejects file 无此文件夹/退回.csv cannot be written — \
         name one in a folder you may write with --rejects FILE: ",
    ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn rejects_names_one_file_only() {
    let d = Dir::new();
    d.init();
    d.copy("01-utf8-bom/workers.csv");
    d.copy_as("02-gbk/workers.csv", "gbk.csv");
    d.nf(&[
        "import",
        "workers",
        "--rejects",
        "R.csv",
        "workers.csv",
        "gbk.csv",
    ])
    .code(2)
    .stderr_has(&["error: --rejects names one file"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    // Without --rejects several files import one after the other.
    d.nf(&["import", "workers", "workers.csv", "gbk.csv"])
        .ok()
        .stderr_has(&[
            "workers.csv: 3 rows: 3 new",
            "gbk.csv: read as GB18030 (GBK)",
            "gbk.csv: 4 rows: 4 new",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 7);
}

#[test]
fn dry_run_checks_everything_and_writes_nothing() {
    let d = Dir::new();
    d.init();
    d.copy("02-gbk/workers.csv");
    d.nf(&["import", "workers", "--dry-run", "workers.csv"])
        .ok()
        .stderr_has(&[
            "workers.csv: 4 rows: 4 new, 0 updated, 0 unchanged — dry run: the registry is unchanged",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
    // A dry run is not an earlier import of the file.
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert!(!o.stderr.contains("already imported"), "{}", o.stderr);
}

#[test]
fn every_problem_of_a_row_is_reported() {
    let d = Dir::new();
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.write(
        "workers.csv",
        "姓名,性别,手机号,政治面貌,从业类型,所属街道\n甲,男,18600004444,党外人士,外卖员,柳港街道\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\nworkers.csv:2: 政治面貌 (D): 党外人士: not a known 政治面貌 — accepted: 中共党员, 中共预备党员, 共青团员, 民主党派, 无党派人士, 群众\nworkers.csv:2: 所属街道 (F): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\nerror: workers.csv: 1 of 1 row has problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    // A check-in refused for its date is checked for its street too.
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道\n13453429918,7月6日,柳港街道\n13453429918,2025-07-06,郝庄\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    o.stderr_has(&[
        "checkins.csv:2: 报到日期 (B): 7月6日: has no year",
        "checkins.csv:2: 报到街道 (C): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？",
        "error: checkins.csv: 1 of 2 rows has problems",
    ]);
    assert!(!o.stderr.contains("checkins.csv:3"), "{}", o.stderr);
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "checkins.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows[1][..2], ["2", "2"].map(String::from));
    assert!(
        rows[1][3].starts_with("报到日期 (B): has no year")
            && rows[1][3].contains("; 报到街道 (C): 不是已登记的街道"),
        "{}",
        rows[1][3]
    );
    assert_eq!(
        d.rows("SELECT s.name FROM checkins k JOIN streets s ON s.id = k.street_id"),
        [[Some("郝庄镇".to_string())]]
    );
}

#[test]
fn quiet_keeps_only_errors() {
    let d = Dir::new();
    d.nf(&["-q", "init", "--district", "140106"]).ok();
    assert!(d.exists("nf.db"));
    d.copy("13-street-names/workers.csv");
    let o = d.nf(&["-q", "import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv:5: 所属街道 (I): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\nerror: workers.csv: 1 of 4 rows has problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    let o = d
        .nf(&[
            "--quiet",
            "import",
            "workers",
            "--skip-invalid",
            "workers.csv",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "workers.csv:5: 所属街道 (I): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n"
    );
    let o = d.nf(&["-q", "worker", "list", "--format", "json"]).ok();
    assert_eq!(o.stderr, "");
    assert_eq!(o.json_array().len(), 3);
}

#[test]
fn missing_register_file_is_named() {
    let d = Dir::new();
    d.init();
    d.nf(&["import", "workers", "没有这个文件.csv"])
        .code(1)
        .stderr_has(&["error: cannot open 没有这个文件.csv"]);
}
