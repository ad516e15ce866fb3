//! An identical re-import answered from the registry: when the file change counter proves
//! that nothing at all was written since the batch that stored the very same file, the import
//! says so without storing a row — same output and counts as reading every row, and a batch
//! of its own in the history. Any write in between sends it through every row.
//!
//! Which way an import went is seen through the test hook `NUANFENG_KILL_AT=import:rows:1`:
//! the full path dies after storing its first row; the answer from the registry stores none.

use crate::util::{Dir, District, Output};

const FILE: &str = "checkins.csv";
const ALL_UNCHANGED: &str = "checkins.csv: 共 10 行：新增 0，更新 0，未变 10\n";

/// The district with its 10 check-ins imported.
fn district() -> Dir {
    District::new().checkins().build()
}

/// Imports `checkins.csv` again with the test hook set: `Some(output)` when the import was
/// answered without storing a row, `None` when it read the rows (and died at the first).
fn reimport_without_rows(d: &Dir) -> Option<Output> {
    let o = d
        .nf(&["import", "checkins", FILE])
        .env("NUANFENG_KILL_AT", "import:rows:1")
        .run();
    match o.code {
        Some(0) => Some(o),
        None => None,
        other => panic!("exit {other:?}\n{}", o.stderr),
    }
}

/// Stderr with the time of the earlier import taken out (it names the previous batch's time).
fn timeless(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match (l.find("这个文件在 "), l.find(" 已经导入过")) {
            (Some(a), Some(b)) if a < b => format!("{}<time>{}", &l[..a], &l[b..]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn batches(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows(
        "SELECT kind, file_name, rows_read, rows_new, rows_updated, rows_unchanged, rows_rejected
         FROM import_batches WHERE kind = 'checkins' ORDER BY id",
    )
}

fn batch(read: &str, new: &str, unchanged: &str) -> Vec<Option<String>> {
    ["checkins", FILE, read, new, "0", unchanged, "0"]
        .iter()
        .map(|s| Some(s.to_string()))
        .collect()
}

#[test]
fn an_identical_reimport_is_answered_without_storing_a_row_and_says_what_the_full_one_says() {
    let d = district();
    let fast = reimport_without_rows(&d).expect("answered from the registry");
    fast.stderr_has(&[ALL_UNCHANGED, "没有变化"]);
    // Answered again: the answer's own batch proves the same.
    let again = reimport_without_rows(&d).expect("answered from the registry again");
    assert_eq!(timeless(&again.stderr), timeless(&fast.stderr));
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 10);
    assert_eq!(
        batches(&d),
        vec![
            batch("10", "10", "0"),
            batch("10", "0", "10"),
            batch("10", "0", "10")
        ]
    );

    // A write that changes nothing the file holds, by another program: the rows are read,
    // and they say exactly what the answer said.
    d.conn()
        .execute_batch("CREATE TABLE scratch (x); DROP TABLE scratch;")
        .unwrap();
    assert!(reimport_without_rows(&d).is_none(), "the rows are read");
    let full = d.nf(&["import", "checkins", FILE]).ok();
    assert_eq!(timeless(&full.stderr), timeless(&fast.stderr));
    assert_eq!(batches(&d).len(), 4);
    d.nf(&["check"]).ok();
}

#[test]
fn any_write_since_sends_the_reimport_through_every_row() {
    let d = district();
    for (what, write) in [
        (
            "a typed check-in",
            &["checkin", "add", "李浩", "--date", "2025-07-25"][..],
        ),
        (
            "a worker updated",
            &["worker", "update", "郭志伟", "--note", "夜班"][..],
        ),
    ] {
        d.nf(write).ok();
        assert!(
            reimport_without_rows(&d).is_none(),
            "{what}: the rows are read"
        );
        d.nf(&["import", "checkins", FILE])
            .ok()
            .stderr_has(&[ALL_UNCHANGED]);
        assert_eq!(d.int("SELECT count(*) FROM checkins"), 11, "{what}");
    }
    // Another program deletes a check-in of the file: reading the rows finds it missing and
    // stores it again, where an answer from the history would have said nothing changed.
    d.conn()
        .execute_batch(
            "DELETE FROM checkins WHERE id = (SELECT min(id) FROM checkins);
             DELETE FROM checkin_months WHERE month = 202506;",
        )
        .unwrap();
    assert!(reimport_without_rows(&d).is_none(), "the rows are read");
    d.nf(&["import", "checkins", FILE])
        .ok()
        .stderr_has(&["checkins.csv: 共 10 行：新增 1，更新 0，未变 9\n"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 11);
    d.nf(&["check"]).ok();
    // Nothing written since: answered again.
    reimport_without_rows(&d)
        .expect("answered from the registry")
        .stderr_has(&[ALL_UNCHANGED]);
}

#[test]
fn a_dry_run_a_rejects_file_or_another_reading_reads_the_rows() {
    let d = district();
    for args in [
        &["import", "checkins", FILE, "--dry-run"][..],
        &["import", "checkins", FILE, "--header-row", "1"][..],
        &[
            "import",
            "checkins",
            FILE,
            "--skip-invalid",
            "--rejects",
            "bad.csv",
        ][..],
    ] {
        let o = d.nf(args).env("NUANFENG_KILL_AT", "import:rows:1").run();
        assert_eq!(o.code, None, "{args:?}: the rows are read\n{}", o.stderr);
    }
    // The file imported the usual way is still answered from the registry.
    reimport_without_rows(&d)
        .expect("answered from the registry")
        .stderr_has(&[ALL_UNCHANGED]);
}
