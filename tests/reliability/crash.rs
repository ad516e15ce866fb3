//! Acceptance tests of crash safety (issue "Nothing lost"): an import of 20,000 check-ins is
//! killed (SIGKILL, no chance to clean up) at named points through the test hook
//! `NUANFENG_KILL_AT`, and once after about 100 ms. Each time the file passes
//! `PRAGMA integrity_check`, holds none or all of the import (and a monthly rollup that agrees
//! with it), has no half-recorded import batch, has its hot journal rolled back by the next
//! nuanfeng that opens it, and takes the same file again cleanly: 20,000 check-ins, no more.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use super::bulk::{self, CHECKINS, FILE};
use crate::util::{BIN, DB, Dir, district};

const JOURNAL: &str = "nf.db-journal";

/// SIGKILL's number.
const SIGKILL: i32 = 9;

/// The first bytes of a rollback journal that SQLite will play back: it writes them when it
/// syncs the journal, before it changes the database file (before that the journal starts
/// with zeros and is ignored).
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/// A page cache small enough (16 pages of 16 KiB) that the import writes changed pages into
/// the file long before it commits, as an import too large for the 64 MiB cache does.
const SMALL_CACHE_KIB: &str = "256";

/// `nuanfeng --db nf.db import checkins FILE` in `d`, with the kill hook set to `point` and,
/// with `small_cache`, the page cache shrunk by its test hook.
fn import_killed_at(d: &Dir, point: &str, small_cache: bool) -> (ExitStatus, String) {
    let mut c = import_command(d);
    c.env("NUANFENG_KILL_AT", point);
    if small_cache {
        c.env("NUANFENG_CACHE_KIB", SMALL_CACHE_KIB);
    }
    let o = c.output().expect("run nuanfeng");
    (o.status, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// True when the journal in `d` is hot: present and marked for playback.
fn journal_is_hot(d: &Dir) -> bool {
    d.exists(JOURNAL) && d.read(JOURNAL).starts_with(&JOURNAL_MAGIC)
}

fn import_command(d: &Dir) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(d.path())
        .env_remove("NUANFENG_DB")
        .env_remove("NUANFENG_KILL_AT")
        .env_remove("NUANFENG_CACHE_KIB")
        .args(["--db", DB, "import", "checkins", FILE]);
    c
}

/// The district and the generated register, nothing of it imported; and the registry file's
/// bytes as they are before the import.
fn setup() -> (Dir, Vec<u8>) {
    let d = district();
    bulk::write_register(&d);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 0);
    assert!(!d.exists(JOURNAL));
    let before = d.read(DB);
    (d, before)
}

/// What must hold after a crash, whatever the point: the journal left behind (if any) is
/// rolled back by the next nuanfeng; the file is intact; it holds none or all of the import
/// (`expected`, when the point says which); the rollup and the batches agree; importing again
/// gives all. With none of it, the file is byte for byte what it was before the import.
fn survives(d: &Dir, before: &[u8], expected: Option<i64>) {
    let hot = journal_is_hot(d);
    // The next nuanfeng to open the file rolls a hot journal back (SQLite does so on the
    // first read) and deletes it. A journal that never became hot (the file was not touched)
    // is ignored, and goes with the next write.
    d.nf(&["checkin", "list", "--month", "2025-01", "--format", "json"])
        .ok();
    assert!(
        !journal_is_hot(d),
        "the journal is still hot after the next open"
    );
    if hot {
        assert!(!d.exists(JOURNAL), "a rolled-back journal is deleted");
    }

    let conn = rusqlite::Connection::open_with_flags(
        d.join(DB),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the registry");
    let check: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(check, ["ok"], "integrity_check");
    drop(conn);
    assert_eq!(d.int("SELECT count(*) FROM pragma_foreign_key_check"), 0);

    let count = d.int("SELECT count(*) FROM checkins");
    assert!(
        count == 0 || count == CHECKINS,
        "{count} check-ins: a partial import"
    );
    if let Some(expected) = expected {
        assert_eq!(count, expected, "check-ins after the crash");
    }
    if count == 0 {
        assert!(
            d.read(DB) == before,
            "the file differs from what it was before the import"
        );
    }
    assert_eq!(
        d.int("SELECT coalesce(sum(checkins), 0) FROM checkin_months"),
        count,
        "the monthly rollup disagrees with the check-ins"
    );
    batches_complete(d, count);

    // The same file again lands whole (or, already in, changes nothing).
    let again = d.nf(&["import", "checkins", FILE]).ok();
    if count == 0 {
        again.stderr_has(&[&format!("{FILE}: 共 20000 行：新增 20000")]);
    } else {
        again.stderr_has(&[
            &format!("{FILE}: 共 20000 行：新增 0，更新 0，未变 20000"),
            "已经导入过",
            "；没有变化",
        ]);
    }
    assert_eq!(d.int("SELECT count(*) FROM checkins"), CHECKINS);
    assert_eq!(
        d.int("SELECT sum(checkins) FROM checkin_months"),
        CHECKINS,
        "the monthly rollup after importing again"
    );
    batches_complete(d, CHECKINS);
    assert!(!d.exists(JOURNAL));
}

/// Every import batch is complete (digest and counts recorded); the check-in batches that
/// added rows added `count` of them between them.
fn batches_complete(d: &Dir, count: i64) {
    assert_eq!(
        d.int("SELECT count(*) FROM import_batches WHERE sha256 = ''"),
        0,
        "a half-recorded import batch"
    );
    assert_eq!(
        d.int("SELECT coalesce(sum(rows_new), 0) FROM import_batches WHERE kind = 'checkins'"),
        count
    );
    assert_eq!(
        d.int(
            "SELECT count(*) FROM checkins c
             WHERE c.batch_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.id = c.batch_id)"
        ),
        0,
        "check-ins of an import batch that is not recorded"
    );
}

fn assert_killed(status: ExitStatus, stderr: &str) {
    assert_eq!(
        status.signal(),
        Some(SIGKILL),
        "the import was not killed: {status}\n{stderr}"
    );
}

#[test]
fn killed_after_the_batch_is_recorded() {
    let (d, before) = setup();
    let (status, stderr) = import_killed_at(&d, "import:after-batch-recorded", false);
    assert_killed(status, &stderr);
    assert!(d.exists(JOURNAL), "a write transaction leaves its journal");
    assert_eq!(
        d.read(DB),
        before,
        "nothing reaches the file before the commit"
    );
    survives(&d, &before, Some(0));
}

#[test]
fn killed_after_5000_rows() {
    let (d, before) = setup();
    let (status, stderr) = import_killed_at(&d, "import:rows:5000", false);
    assert_killed(status, &stderr);
    assert!(d.exists(JOURNAL), "a write transaction leaves its journal");
    survives(&d, &before, Some(0));
}

#[test]
fn killed_after_5000_rows_with_changes_in_the_file() {
    let (d, before) = setup();
    let (status, stderr) = import_killed_at(&d, "import:rows:5000", true);
    assert_killed(status, &stderr);
    assert!(journal_is_hot(&d), "the journal is hot");
    assert!(
        d.read(DB) != before,
        "the import wrote pages into the file before it was killed"
    );
    survives(&d, &before, Some(0));
}

#[test]
fn killed_before_commit() {
    let (d, before) = setup();
    let (status, stderr) = import_killed_at(&d, "import:before-commit", false);
    assert_killed(status, &stderr);
    assert!(d.exists(JOURNAL), "a write transaction leaves its journal");
    survives(&d, &before, Some(0));
}

#[test]
fn killed_before_commit_with_changes_in_the_file() {
    let (d, before) = setup();
    let (status, stderr) = import_killed_at(&d, "import:before-commit", true);
    assert_killed(status, &stderr);
    assert!(journal_is_hot(&d), "the journal is hot");
    assert!(d.read(DB) != before);
    survives(&d, &before, Some(0));
}

#[test]
fn killed_after_commit() {
    let (d, before) = setup();
    let (status, stderr) = import_killed_at(&d, "import:after-commit", false);
    assert_killed(status, &stderr);
    assert!(
        !stderr.contains("new,"),
        "killed before the summary, yet it was printed:\n{stderr}"
    );
    // The commit deleted the journal: nothing to roll back.
    assert!(!d.exists(JOURNAL));
    survives(&d, &before, Some(CHECKINS));
}

#[test]
fn killed_after_100_ms() {
    let (d, before) = setup();
    let mut child = import_command(&d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nuanfeng");
    std::thread::sleep(Duration::from_millis(100));
    // SIGKILL (or nothing, when the import has already finished).
    let _ = child.kill();
    let status = child.wait().expect("wait for nuanfeng");
    // Killed: none, or all when the commit was done; finished: all.
    let expected = status.success().then_some(CHECKINS);
    if !status.success() {
        assert_killed(status, "");
    }
    survives(&d, &before, expected);
}

#[test]
fn a_kill_point_not_reached_changes_nothing() {
    let (d, _) = setup();
    let (status, stderr) = import_killed_at(&d, "import:rows:20001", false);
    assert!(status.success(), "{status}\n{stderr}");
    assert_eq!(d.int("SELECT count(*) FROM checkins"), CHECKINS);
}
