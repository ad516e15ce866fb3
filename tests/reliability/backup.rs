//! `backup` copies every row into a private file, also in the middle of another process's
//! import; `restore` round-trips and refuses what is not a sound registry of this build,
//! keeping the registry it replaces.

use nuanfeng::internals::db::SCHEMA_VERSION;

use super::damage_an_index;
use crate::util::{BIN, DB, Dir, District};

/// The row count of every table of the database file `name`, by table name.
fn table_counts(d: &Dir, name: &str) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(d.join(name)).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// The files of the test folder whose name starts with `prefix`.
fn files_starting(d: &Dir, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    v.sort();
    v
}

#[test]
fn backup_copies_every_row_into_a_file_only_its_owner_reads() {
    let d = District::new().checkins().points().build();
    let o = d.nf(&["backup", "备份.db"]).ok();
    let pages = d.int_in("备份.db", "PRAGMA page_count");
    assert_eq!(
        o.stderr,
        format!("已把 nf.db 备份到 备份.db：{pages} 页，从业人员 8 人，报到 10 条\n")
    );
    assert_eq!(o.stdout, "");
    assert_eq!(table_counts(&d, "备份.db"), table_counts(&d, DB));
    assert!(
        table_counts(&d, DB)
            .iter()
            .any(|(t, n)| t == "checkins" && *n == 10)
    );
    #[cfg(unix)]
    assert_eq!(d.mode("备份.db"), 0o600);
    d.bare()
        .args(&["--db", "备份.db", "check"])
        .ok()
        .stderr_has(&["备份.db：全部检查通过"]);

    // An existing file is never overwritten.
    d.write("old.db", "keep me");
    let o = d.nf(&["backup", "old.db"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：old.db 已存在 — 备份从不覆盖文件：换一个新文件名，或先删掉旧文件\n"
    );
    let o = d.nf(&["--lang", "en", "backup", "old.db"]).code(1);
    assert_eq!(
        o.stderr,
        "error: old.db already exists — a backup never overwrites a file: give a new name, or \
         remove the old file first\n"
    );
    assert_eq!(d.read("old.db"), b"keep me");
    let o = d.nf(&["backup", "no/such/folder/b.db"]).code(1);
    o.stderr_has(&["文件夹 no/such/folder 不存在"]);
}

/// A check-ins register of `n` rows for the district's workers, one import big enough to be
/// caught in the middle.
fn big_checkins(n: usize) -> String {
    let phones = [
        "13623517804",
        "15903514426",
        "18636021759",
        "17735240683",
        "15135296642",
        "18834071935",
    ];
    let mut s = String::from("手机号,报到日期,报到街道,报到社区,事项\n");
    for i in 0..n {
        s.push_str(&format!(
            "{},2024-{:02}-{:02},柳巷街道,宁化府社区居委会,活动{}\n",
            phones[i % phones.len()],
            1 + (i / 28) % 12,
            1 + i % 28,
            i
        ));
    }
    s
}

#[test]
fn backup_during_an_import_holds_all_or_none_of_it() {
    let d = District::new().checkins().points().build();
    const ROWS: usize = 60_000;
    d.write("big.csv", big_checkins(ROWS));
    let before = d.int("SELECT count(*) FROM checkins");
    let mut import = std::process::Command::new(BIN)
        .current_dir(d.path())
        .env_remove("NUANFENG_DB")
        .args(["--db", DB, "-q", "import", "checkins", "big.csv"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the import");
    // Wait until the import is writing (its rollback journal exists), or has finished.
    let journal = d.join("nf.db-journal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !journal.exists()
        && import.try_wait().unwrap().is_none()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let in_the_middle = journal.exists();
    eprintln!("backup taken while the import was writing: {in_the_middle}");
    d.nf(&["backup", "mid.db"]).ok();
    let status = import.wait_with_output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let after = d.int("SELECT count(*) FROM checkins");
    assert_eq!(after, before + ROWS as i64);
    let copied = d.int_in("mid.db", "SELECT count(*) FROM checkins");
    assert!(
        copied == before || copied == after,
        "the backup holds {copied} check-ins: neither {before} nor {after} (in the middle: {in_the_middle})"
    );
    d.bare()
        .args(&["--db", "mid.db", "check"])
        .ok()
        .stderr_has(&["mid.db：全部检查通过"]);
}

#[test]
fn restore_round_trips_and_keeps_the_registry_it_replaces() {
    let d = District::new().checkins().points().build();
    d.nf(&["backup", "b.db"]).ok();
    let backed_up = table_counts(&d, "b.db");
    // Work after the backup, then restore it.
    d.write("more.csv", big_checkins(5));
    d.nf(&["import", "checkins", "more.csv"]).ok();
    let changed = table_counts(&d, DB);
    assert_ne!(changed, backed_up);

    let o = d.nf(&["restore", "b.db"]).ok();
    let kept = files_starting(&d, "nf.db.before-restore-");
    assert_eq!(kept.len(), 1, "{kept:?}");
    let stamp = kept[0]
        .strip_prefix("nf.db.before-restore-")
        .and_then(|s| s.strip_suffix(".db"))
        .unwrap();
    assert!(
        stamp.len() == 15 && stamp.as_bytes()[8] == b'-',
        "YYYYMMDD-HHMMSS: {stamp}"
    );
    assert_eq!(
        o.stderr,
        format!(
            "已从 b.db 恢复 nf.db：从业人员 8 人，报到 10 条；恢复前的台账保存在 {}\n",
            kept[0]
        )
    );
    assert_eq!(table_counts(&d, DB), backed_up);
    assert_eq!(table_counts(&d, &kept[0]), changed);
    #[cfg(unix)]
    {
        assert_eq!(d.mode(DB), 0o600);
        assert_eq!(d.mode(&kept[0]), 0o600);
    }
    assert!(files_starting(&d, ".nf.db.restore").is_empty());
    d.nf(&["check"]).ok();
    d.nf(&["worker", "list"]).ok();
}

#[test]
fn restore_refuses_what_is_not_a_sound_registry_of_this_build() {
    let d = District::new().checkins().points().build();
    let original = d.read(DB);
    d.write(
        "notes.txt",
        "这不是数据库 — just some text that is long enough to be a header....",
    );
    rusqlite::Connection::open(d.join("other.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    d.nf(&["backup", "newer.db"]).ok();
    rusqlite::Connection::open(d.join("newer.db"))
        .unwrap()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    d.nf(&["backup", "damaged.db"]).ok();
    damage_an_index(&d.join("damaged.db"));

    let refused = |file: &str, message: &str| {
        let o = d.nf(&["restore", file]).code(1);
        assert!(
            o.stderr.starts_with(&format!("错误：{message}")),
            "{file}: {}",
            o.stderr
        );
        assert_eq!(d.read(DB), original, "{file} changed the registry");
        assert!(files_starting(&d, "nf.db.before-restore-").is_empty());
        assert!(files_starting(&d, ".nf.db.restore").is_empty());
    };
    refused(
        "notes.txt",
        "notes.txt 不是 SQLite 数据库，也就不是 nuanfeng 台账 — 请给出用 nuanfeng backup 做的备份文件\n",
    );
    refused(
        "other.db",
        "other.db 是 SQLite 数据库，但不是 nuanfeng 台账 — 请给出用 nuanfeng backup 做的备份文件\n",
    );
    refused(
        "newer.db",
        &format!(
            "newer.db 是更新版本的 nuanfeng 建立的（结构版本 999，本版本最高只认识 \
             {SCHEMA_VERSION}）— 请用那个新版本的 nuanfeng 恢复\n"
        ),
    );
    refused(
        "damaged.db",
        "damaged.db 已损坏或不完整（文件被截断，或在写入时复制了它）— 换一份备份\n",
    );
    refused("missing.db", "missing.db 不存在 — 请给出要恢复的备份文件\n");
    refused(DB, "nf.db 就是台账本身 — 请给出备份文件\n");
    let o = d.nf(&["--lang", "en", "restore", "other.db"]).code(1);
    assert_eq!(
        o.stderr,
        "error: other.db is a SQLite database but not a nuanfeng registry — give a file made by \
         `nuanfeng backup`\n"
    );
}

#[test]
fn restore_refuses_while_another_process_writes_the_registry() {
    let d = District::new().checkins().points().build();
    d.nf(&["backup", "b.db"]).ok();
    let original = d.read(DB);
    let conn = d.conn();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let o = d.nf(&["restore", "b.db"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：台账文件 nf.db 正被使用：另一个进程（导入、备份或别的程序）占用了 2 秒 — 等它结束\
         后再恢复；没有改动任何内容\n"
    );
    conn.execute_batch("ROLLBACK").unwrap();
    assert_eq!(d.read(DB), original);
    assert!(files_starting(&d, "nf.db.before-restore-").is_empty());
    assert!(files_starting(&d, ".nf.db.restore").is_empty());
    d.nf(&["restore", "b.db"]).ok();
}

#[test]
fn an_older_registry_is_restored_and_upgraded_when_next_opened() {
    let d = District::new().checkins().points().build();
    d.copy_as("schema-v1.db", "v1.db");
    let o = d.nf(&["restore", "v1.db"]).ok();
    o.stderr_has(&[
        "已从 v1.db 恢复 nf.db：",
        &format!("；它的结构版本是 1，下次打开时会升级到 {SCHEMA_VERSION}\n"),
    ]);
    d.nf(&["check"]).ok().stderr_has(&[
        &format!("nf.db：已从结构版本 1 升级到 {SCHEMA_VERSION}；升级前的文件保存在 nf.db.v1.bak"),
        "全部检查通过",
    ]);
}

/// A backup that passes the integrity check but not the others (taken after another program
/// changed the file) is restored, with a warning naming the checks that fail.
#[test]
fn restoring_a_backup_that_fails_a_check_warns() {
    let d = District::new().checkins().points().build();
    d.nf(&["backup", "b.db"]).ok();
    let conn = rusqlite::Connection::open(d.join("b.db")).unwrap();
    conn.execute(
        "UPDATE checkin_months SET checkins = checkins + 1
         WHERE (month, worker_id, street_id) =
               (SELECT month, worker_id, street_id FROM checkin_months LIMIT 1)",
        [],
    )
    .unwrap();
    drop(conn);
    let o = d.nf(&["restore", "b.db"]).ok();
    assert!(
        o.stderr.ends_with(
            "警告：恢复后的台账有 1 个问题（报到汇总）— 运行 nuanfeng check 查看；恢复前的台账仍按\
             上面所说保存着\n"
        ),
        "{}",
        o.stderr
    );
    d.nf(&["check"]).code(1);
}
