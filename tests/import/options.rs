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
            "共 4 行：新增 3，更新 0，未变 0，有问题 1（问题行已写入 workers.rejects.csv）",
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
        "错误：什么都没有导入：问题行文件 无此文件夹/退回.csv 写不进去 — 用 --rejects FILE 指定一个有写入权限的文件夹里的文件: ",
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
    .stderr_has(&["错误：--rejects 只能写一个文件"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    // Without --rejects several files import one after the other.
    d.nf(&["import", "workers", "workers.csv", "gbk.csv"])
        .ok()
        .stderr_has(&[
            "workers.csv: 共 3 行：新增 3",
            "gbk.csv: 按 GB18030 (GBK) 读取",
            "gbk.csv: 共 4 行：新增 4",
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
        .stderr_has(&["workers.csv: 共 4 行：新增 4，更新 0，未变 0 — 试运行：台账库没有改动"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
    // A dry run is not an earlier import of the file.
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert!(!o.stderr.contains("已经导入过"), "{}", o.stderr);
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
        "workers.csv: 按 UTF-8 读取\nworkers.csv:第2行: 政治面貌(D): 党外人士: 不是可用的政治面貌 — 可填：中共党员、中共预备党员、共青团员、民主党派、无党派人士、群众\nworkers.csv:第2行: 所属街道(F): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n错误：workers.csv: 共 1 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    // A check-in refused for its date is checked for its street too.
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道\n13453429918,7月6日,柳港街道\n13453429918,2025-07-06,郝庄\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    o.stderr_has(&[
        "checkins.csv:第2行: 报到日期(B): 7月6日: 没有年份",
        "checkins.csv:第2行: 报到街道(C): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？",
        "错误：checkins.csv: 共 2 行，其中 1 行有问题",
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
        rows[1][3].starts_with("报到日期(B): 没有年份")
            && rows[1][3].contains("；报到街道(C): 不是已登记的街道"),
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
        "workers.csv:第5行: 所属街道(I): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n错误：workers.csv: 共 4 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
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
        "workers.csv:第5行: 所属街道(I): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n"
    );
    let o = d.nf(&["-q", "worker", "list", "--format", "json"]).ok();
    assert_eq!(o.stderr, "");
    assert_eq!(o.json_array().len(), 3);
}

#[test]
fn missing_register_file_is_named() {
    let d = Dir::new();
    d.init();
    let o = d.nf(&["import", "workers", "没有这个文件.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：打不开 没有这个文件.csv: 文件或文件夹不存在\n"
    );
    let o = d
        .nf(&["--lang", "en", "import", "workers", "没有这个文件.csv"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: cannot open 没有这个文件.csv: no such file or folder\n"
    );
    // A folder given as the file.
    std::fs::create_dir(d.join("台账")).unwrap();
    let o = d.nf(&["import", "workers", "台账"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：台账 是一个文件夹，不是普通文件 — 只能导入存在磁盘上的台账文件（.xlsx、.xls、.ods 或 CSV）；\
         要从管道读入，文件名写 -\n"
    );
}
