//! Files given as the registry that are not one: empty, text, or a mistyped name that
//! `import` would make a new registry of.

use crate::util::Dir;

#[test]
fn empty_file_is_not_taken_for_a_registry_until_init() {
    let d = Dir::new();
    d.write("empty.db", "");
    let commands: [&[&str]; 7] = [
        &["worker", "list"],
        &["station", "list"],
        &["checkin", "list"],
        &["checkin", "add", "13623517804", "--date", "2025-07-01"],
        &["points", "balance"],
        &["points", "earn", "13623517804", "5", "--date", "2025-07-01"],
        &["report", "streets", "--month", "2025-07"],
    ];
    for args in commands {
        let mut all = vec!["--db", "empty.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "错误：台账文件 empty.db 无法使用: 它是空文件，不是 nuanfeng 台账 — 用 nuanfeng --db \
             empty.db init 新建台账\n",
            "{args:?}"
        );
        assert_eq!(o.stdout, "", "{args:?}");
        assert_eq!(d.read("empty.db").len(), 0, "{args:?} 已写出 to the file");
    }
    d.bare().args(&["--db", "empty.db", "init"]).ok();
    #[cfg(unix)]
    assert_eq!(d.mode("empty.db"), 0o600);
    assert_eq!(d.int_in("empty.db", "PRAGMA user_version"), 19);
    assert_eq!(d.int_in("empty.db", "PRAGMA application_id"), 0x4E46_4E47);
    let o = d
        .bare()
        .args(&["--db", "empty.db", "worker", "list", "--format", "json"])
        .ok();
    assert_eq!(o.json_array().len(), 0);
}

#[test]
fn init_on_an_empty_file_does_not_call_it_a_registry_already() {
    let d = Dir::new();
    d.write("empty.db", "");
    let o = d.bare().args(&["--db", "empty.db", "init"]).ok();
    assert!(!o.stderr.contains("已经是台账"), "{}", o.stderr);
    o.stderr_has(&["empty.db"]);
}

#[test]
fn text_file_as_registry_is_not_written_to() {
    let d = Dir::new();
    d.write("text.db", "姓名,手机号\n这不是数据库\n");
    let before = d.read("text.db");
    for args in [&["worker", "list"][..], &["init"][..]] {
        let mut all = vec!["--db", "text.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "错误：台账文件 text.db 无法使用: 它不是 SQLite 数据库（也就不是 nuanfeng 台账）\n",
            "{args:?}"
        );
    }
    assert_eq!(d.read("text.db"), before);
}

/// The error lines of importing the district's workers into a registry without streets.
fn no_streets_import(d: &Dir, db: &str, quiet: bool) -> crate::util::Output {
    let mut cmd = d.bare();
    if quiet {
        cmd.args(&["-q"]);
    }
    cmd.args(&["--db", db, "import", "workers", "workers.csv"])
        .code(1)
}

#[test]
fn a_mistyped_db_on_import_says_it_made_a_new_registry_removes_it_and_names_the_real_one() {
    let d = Dir::new();
    d.bare()
        .args(&["--db", "nuanfeng.db", "init", "--district", "140106"])
        .ok();
    d.bare().args(&["--db", "nuanfeng-demo.db", "init"]).ok();
    let before = d.read("nuanfeng.db");
    d.copy("district/workers.csv");
    let o = no_streets_import(&d, "nuanfneg.db", false);
    assert!(
        o.stderr
            .starts_with("新建了台账库 nuanfneg.db\nworkers.csv: 按 UTF-8 读取\n"),
        "{}",
        o.stderr
    );
    o.stderr_has(&[
        "workers.csv:第2行: 所属街道(I): 柳巷街道: 还没有登记任何街道 — 先用 nuanfeng init --district 140106",
        "错误：workers.csv: 共 8 行，其中 8 行有问题（见上）；什么都没有导入",
    ]);
    assert!(
        o.stderr.ends_with(
            "什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n本次导入新建的台账库 nuanfneg.db 已经删除 — 是不是“--db nuanfeng.db”？\n"
        ),
        "{}",
        o.stderr
    );
    assert!(!d.exists("nuanfneg.db"), "the mistyped registry stayed");
    assert!(!d.exists("nuanfneg.db-journal"));
    assert_eq!(
        d.read("nuanfeng.db"),
        before,
        "the real registry was touched"
    );
    // -q silences the note, not the failure.
    let o = no_streets_import(&d, "nuanfneg.db", true);
    assert!(!o.stderr.contains("新建了台账库"), "{}", o.stderr);
    assert!(
        o.stderr
            .ends_with("本次导入新建的台账库 nuanfneg.db 已经删除 — 是不是“--db nuanfeng.db”？\n"),
        "{}",
        o.stderr
    );
    assert!(!d.exists("nuanfneg.db"));
}

#[test]
fn a_mistyped_db_in_a_folder_names_the_registry_of_that_folder() {
    let d = Dir::new();
    std::fs::create_dir(d.join("台账")).unwrap();
    d.bare().args(&["--db", "台账/2025.db", "init"]).ok();
    // A registry in the current folder is not the one meant.
    d.bare().args(&["--db", "2052.db", "init"]).ok();
    d.copy("district/workers.csv");
    let o = no_streets_import(&d, "台账/2052.db", false);
    assert!(
        o.stderr.ends_with(
            "本次导入新建的台账库 台账/2052.db 已经删除 — 是不是“--db 台账/2025.db”？\n"
        ),
        "{}",
        o.stderr
    );
    assert!(!d.exists("台账/2052.db"));
    // With no registry beside it, no guess.
    std::fs::create_dir(d.join("空")).unwrap();
    let o = no_streets_import(&d, "空/nf.db", false);
    assert!(
        o.stderr
            .ends_with("\n本次导入新建的台账库 空/nf.db 已经删除\n"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read_dir(d.join("空")).unwrap().count(), 0);
}

#[test]
fn an_import_that_creates_the_registry_says_so_once_and_keeps_it() {
    let d = Dir::new();
    d.copy("district/streets.csv");
    let o = d.nf(&["import", "streets", "streets.csv"]).ok();
    assert_eq!(
        o.stderr,
        "新建了台账库 nf.db\nstreets.csv: 按 UTF-8 读取\nstreets.csv: 共 119 行：新增 119，更新 0，未变 0\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    // Into the registry it now is: no note.
    let o = d.nf(&["import", "streets", "streets.csv"]).ok();
    assert!(!o.stderr.contains("新建了台账库"), "{}", o.stderr);
}
