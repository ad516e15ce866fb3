//! Acceptance tests of two programs on one registry (issue "Nothing lost"): an import of
//! 20,000 check-ins and `checkin add`s at the same time both land (one waits for the other's
//! lock); a reader during the import sees none of it or all of it, never part; and a lock
//! held longer than the busy timeout (shortened by the test hook `NUANFENG_BUSY_TIMEOUT_MS`)
//! ends in a message that says what holds the file and how long nuanfeng waited, not
//! SQLite's "database is locked".

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::bulk::{self, CHECKINS, FILE};
use crate::util::{self, BIN, DB, Dir, district};

/// Three workers of `district/workers.csv`, and their 姓名.
const TYPED: [(&str, &str); 3] = [
    ("13623517804", "郭志伟"),
    ("15903514426", "李浩"),
    ("17735240683", "王宇"),
];

/// Starts `nuanfeng --db nf.db import checkins FILE` in `d`, its output kept.
fn start_import(d: &Dir) -> Child {
    Command::new(BIN)
        .current_dir(d.path())
        .env_remove("NUANFENG_DB")
        .args(["--db", DB, "import", "checkins", FILE])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nuanfeng")
}

/// Waits until the import's write transaction has begun (its journal is there), at most a
/// few seconds; false when it was never seen (the import already finished).
fn wait_for_transaction(d: &Dir, import: &mut Child) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if d.exists("nf.db-journal") {
            return true;
        }
        if import.try_wait().expect("poll the import").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

fn finish_import(import: Child) {
    let o = import.wait_with_output().expect("wait for the import");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "the import failed: {}\n{stderr}",
        o.status
    );
    assert!(
        stderr.contains(&format!("{FILE}: 共 20000 行：新增 20000")),
        "{stderr}"
    );
}

#[test]
fn an_import_and_typed_checkins_at_once_both_land() {
    let d = district();
    bulk::write_register(&d);
    let mut import = start_import(&d);
    assert!(
        wait_for_transaction(&d, &mut import),
        "the import's write transaction was never seen"
    );
    // Each `checkin add` waits for the import's write lock (busy timeout 10 s), or the
    // import waits for it.
    let typed: Vec<_> = TYPED
        .iter()
        .map(|(phone, name)| {
            let mut c = d.nf(&[
                "checkin",
                "add",
                phone,
                "--date",
                "2025-12-30",
                "--purpose",
                "党员报到",
            ]);
            let name = name.to_string();
            std::thread::spawn(move || (c.run(), name))
        })
        .collect();
    for t in typed {
        let (o, name) = t.join().expect("a checkin add thread");
        assert_eq!(o.code, Some(0), "{}\n{}", o.command, o.stderr);
        o.stderr_has(&[&format!("已记录：{name} 于 2025-12-30 报到")]);
    }
    finish_import(import);
    let all = CHECKINS + TYPED.len() as i64;
    assert_eq!(d.int("SELECT count(*) FROM checkins"), all);
    assert_eq!(d.int("SELECT sum(checkins) FROM checkin_months"), all);
    assert_eq!(
        d.int("SELECT count(*) FROM checkins WHERE purpose = '党员报到' AND batch_id IS NULL"),
        TYPED.len() as i64
    );
}

#[test]
fn a_reader_during_an_import_sees_none_or_all() {
    let d = district();
    bulk::write_register(&d);
    let mut import = start_import(&d);
    let mut seen = Vec::new();
    while import.try_wait().expect("poll the import").is_none() {
        let conn = rusqlite::Connection::open_with_flags(
            d.join(DB),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open the registry read-only");
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        // One read transaction: the check-ins and their rollup from one snapshot.
        conn.execute_batch("BEGIN").unwrap();
        let count: i64 = conn
            .query_row("SELECT count(*) FROM checkins", [], |r| r.get(0))
            .unwrap();
        let rollup: i64 = conn
            .query_row(
                "SELECT coalesce(sum(checkins), 0) FROM checkin_months",
                [],
                |r| r.get(0),
            )
            .unwrap();
        conn.execute_batch("COMMIT").unwrap();
        assert!(
            count == 0 || count == CHECKINS,
            "a reader saw {count} check-ins: part of an import"
        );
        assert_eq!(rollup, count, "the rollup disagrees with the check-ins");
        seen.push(count);
        std::thread::sleep(Duration::from_millis(5));
    }
    finish_import(import);
    assert!(!seen.is_empty(), "no read happened while the import ran");
    assert_eq!(d.int("SELECT count(*) FROM checkins"), CHECKINS);
}

/// `checkin add` for 郭志伟, with the busy timeout shortened to `wait_ms`.
fn typed_checkin(d: &Dir, wait_ms: u64) -> (util::Output, Duration) {
    let start = Instant::now();
    let o = d
        .nf(&[
            "checkin",
            "add",
            TYPED[0].0,
            "--date",
            "2025-12-30",
            "--purpose",
            "党员报到",
        ])
        .env("NUANFENG_BUSY_TIMEOUT_MS", wait_ms.to_string())
        .run();
    (o, start.elapsed())
}

fn says_locked(o: &util::Output, waited: &str) {
    assert_eq!(o.code, Some(1), "{}\n{}", o.command, o.stderr);
    o.stderr_has(&[
        &format!("台账文件 nf.db 正被另一个程序占用（已等待 {waited}）"),
        "另一个 nuanfeng",
        "Navicat",
        "OneDrive、坚果云、Dropbox",
        "关掉它或等它结束后再试",
    ]);
    assert_eq!(util::english_run(&o.stderr), None, "{}", o.stderr);
    assert!(
        !o.stderr.contains("database is locked"),
        "SQLite's words leak through:\n{}",
        o.stderr
    );
    o.hides(&[TYPED[0].0]);
}

#[test]
fn an_exclusive_lock_held_too_long_is_named() {
    let d = district();
    let holder = d.conn();
    // A program holding the whole file: not even a reader gets in.
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (o, took) = typed_checkin(&d, 300);
    says_locked(&o, "0.3 秒");
    assert!(took >= Duration::from_millis(300), "gave up after {took:?}");
    holder.execute_batch("ROLLBACK").unwrap();
    let (o, _) = typed_checkin(&d, 300);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 1);
}

#[test]
fn a_write_transaction_held_too_long_is_named() {
    let d = district();
    bulk::write_register(&d);
    let holder = d.conn();
    // A program in the middle of a write: readers get in, writers wait.
    holder
        .execute_batch(
            "BEGIN IMMEDIATE;
             UPDATE import_batches SET encoding = encoding;",
        )
        .unwrap();
    let (o, took) = typed_checkin(&d, 1000);
    says_locked(&o, "1 秒");
    assert!(
        took >= Duration::from_millis(1000),
        "gave up after {took:?}"
    );
    // An import says which file was not imported.
    let o = d
        .nf(&["import", "checkins", FILE])
        .env("NUANFENG_BUSY_TIMEOUT_MS", "300")
        .code(1);
    o.stderr_has(&[FILE, "台账文件 nf.db 正被另一个程序占用（已等待 0.3 秒）"]);
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 0);
    let (o, _) = typed_checkin(&d, 300);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}
