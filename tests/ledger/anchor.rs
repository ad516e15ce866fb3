//! The ledger digest, the anchor of the seal chain outside the file: someone who changes,
//! removes or inserts entries and recomputes every later seal with the documented recipe
//! (`seal_of`: SHA-256 of the previous seal and the entry's columns) passes `points check`, as
//! the README says; `points check --digest` with a digest printed by a report before the
//! change does not. A digest taken after more entries were appended still proves the
//! untouched entries before it.

use std::io::Read as _;

use rusqlite::types::ValueRef;
use serde_json::json;

use crate::util::{Dir, District};

/// The sealed columns of an entry, in the order the seal hashes them (README, 积分台账).
const SEALED: &str = "id, worker_id, date, points, kind, category, reason, occurrence, \
     event_key, rule, source_table, source_id, reverses, allow_negative, operator, entered_at, batch_id";

/// The digest at the foot of `report coverage`'s table: its last line, `账本摘要 N:HEX`.
fn report_digest(d: &Dir) -> String {
    let o = d.nf(&["report", "coverage", "--month", "2025-07"]).ok();
    let line = o.stdout.trim_end().lines().last().unwrap_or("").to_string();
    let digest = line
        .strip_prefix("账本摘要 ")
        .unwrap_or_else(|| panic!("no digest line: {}", o.stdout));
    digest.to_string()
}

/// Rewrites the ledger as a hostile program would: drops the protecting triggers, runs
/// `sql`, recomputes every seal in the order of the entries' numbers, and puts the triggers
/// back as they were. Returns the new head: the first 16 hex digits of the seal of the
/// `covered`-th entry.
fn tamper_and_reseal(d: &Dir, sql: &str, covered: usize) -> String {
    let conn = d.conn();
    let triggers: Vec<String> = conn
        .prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger'
             AND tbl_name IN ('point_entries', 'ledger_seals')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(triggers.len(), 4, "{triggers:?}");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER point_entries_no_update;
         DROP TRIGGER point_entries_no_delete;
         DROP TRIGGER ledger_seals_no_update;
         DROP TRIGGER ledger_seals_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
    conn.execute("DELETE FROM ledger_seals", []).unwrap();
    let mut seals: Vec<(i64, String)> = Vec::new();
    {
        let mut stmt = conn
            .prepare(&format!("SELECT {SEALED} FROM point_entries ORDER BY id"))
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let values: Vec<ValueRef<'_>> = (0..17).map(|i| r.get_ref(i).unwrap()).collect();
            let previous = seals.last().map(|(_, s)| s.as_str());
            let seal = nuanfeng::internals::db::ledger::seal_of(previous, &values);
            seals.push((r.get(0).unwrap(), seal));
        }
    }
    for (id, seal) in &seals {
        conn.execute(
            "INSERT INTO ledger_seals (entry_id, seal) VALUES (?1, ?2)",
            rusqlite::params![id, seal],
        )
        .unwrap();
    }
    for t in &triggers {
        conn.execute_batch(t).unwrap();
    }
    seals[covered - 1].1[..16].to_string()
}

/// `points check` alone: the seals hold, `count` entries.
fn seals_hold(d: &Dir, count: usize) {
    let o = d.by_operator(&["points", "check"]).ok();
    assert_eq!(
        o.stderr,
        format!("积分台账无误：已核对 {count} 条记录，没有发现问题\n")
    );
}

/// `points check --digest D --format json`: fails with the one problem `problem`.
fn digest_fails(d: &Dir, digest: &str, problem: &str) {
    let o = d
        .by_operator(&["points", "check", "--digest", digest, "--format", "json"])
        .code(1);
    assert_eq!(
        o.json(),
        json!([{"entry": null, "worker": null, "name": null, "problem": problem}])
    );
    assert_eq!(o.stderr, "错误：积分台账有 1 处问题（见上表）\n");
}

/// The message of a digest whose entries recompute to `now`.
fn differs(digest: &str, entries: usize, now: &str) -> String {
    format!(
        "与账本摘要 {digest} 不符：前 {entries} 条记录在记下摘要之后被改动、删除或插入过\
         （现在算出的是 {entries}:{now}）— 请从记下摘要之前的备份恢复，并查明是谁改动了文件"
    )
}

/// The district with its 8 entries, the digest a report printed then, one more entry
/// appended (an adjustment), and the digest printed after it.
fn ledger_with_digests() -> (Dir, String, String) {
    let d = District::new().points().build();
    let before = report_digest(&d);
    assert!(before.starts_with("8:"), "{before}");
    d.by_operator(&[
        "points",
        "adjust",
        super::YANG_LI,
        "5",
        "--reason",
        "补录",
        "--date",
        "2025-07-20",
    ])
    .ok();
    let after = report_digest(&d);
    assert!(after.starts_with("9:"), "{after}");
    (d, before, after)
}

#[test]
fn a_digest_kept_before_more_entries_still_proves_the_entries_it_covers() {
    let (d, before, after) = ledger_with_digests();
    for (digest, n) in [(&before, 8), (&after, 9)] {
        let o = d.by_operator(&["points", "check", "--digest", digest]).ok();
        assert_eq!(o.stdout, "");
        assert_eq!(
            o.stderr,
            format!(
                "积分台账无误：已核对 9 条记录，没有发现问题\n\
                 前 {n} 条记录与账本摘要 {digest} 相符：记下摘要之后没有被改动\n"
            )
        );
    }
    // The whole footer line is read too, as copied from a report.
    d.by_operator(&["points", "check", "--digest", &format!("账本摘要 {before}")])
        .ok();
}

#[test]
fn an_entry_changed_and_resealed_passes_the_seals_but_not_a_kept_digest() {
    let (d, before, after) = ledger_with_digests();
    // 郭志伟's earning of 10 becomes 100.
    let now = tamper_and_reseal(&d, "UPDATE point_entries SET points = 100 WHERE id = 2", 8);
    seals_hold(&d, 9);
    digest_fails(&d, &before, &differs(&before, 8, &now));
    let now = tamper_and_reseal(&d, "", 9);
    digest_fails(&d, &after, &differs(&after, 9, &now));
}

#[test]
fn an_entry_removed_and_resealed_passes_the_seals_but_not_a_kept_digest() {
    let (d, before, after) = ledger_with_digests();
    let now = tamper_and_reseal(&d, "DELETE FROM point_entries WHERE id = 4", 8);
    seals_hold(&d, 8);
    digest_fails(&d, &before, &differs(&before, 8, &now));
    digest_fails(
        &d,
        &after,
        &format!(
            "与账本摘要 {after} 不符：摘要覆盖 9 条记录，台账现在只有 8 条，记录被删除或截掉了 \
             — 请从记下摘要之前的备份恢复，并查明是谁改动了文件"
        ),
    );
}

/// Several digests bound where a change lies: those of fewer entries than the change still
/// hold, and are said so.
#[test]
fn several_digests_bound_where_a_change_lies() {
    let (d, before, after) = ledger_with_digests();
    // The adjustment, entry 9, is the one changed: the first 8 entries are as they were.
    let now = tamper_and_reseal(&d, "UPDATE point_entries SET points = 50 WHERE id = 9", 9);
    seals_hold(&d, 9);
    let o = d
        .by_operator(&[
            "points", "check", "--digest", &before, "--digest", &after, "--format", "json",
        ])
        .code(1);
    assert_eq!(
        o.json(),
        json!([{"entry": null, "worker": null, "name": null, "problem": differs(&after, 9, &now)}])
    );
    assert_eq!(
        o.stderr,
        format!(
            "前 8 条记录与账本摘要 {before} 相符：记下摘要之后没有被改动\n\
             错误：积分台账有 1 处问题（见上表）\n"
        )
    );
}

#[test]
fn an_entry_inserted_and_resealed_passes_the_seals_but_not_a_kept_digest() {
    let (d, before, _) = ledger_with_digests();
    // An earning slipped in before the first entry, numbered 0.
    let now = tamper_and_reseal(
        &d,
        "INSERT INTO point_entries (id, worker_id, date, points, kind, category, reason,
             occurrence, event_key, rule, source_table, source_id, reverses, allow_negative,
             operator, entered_at, batch_id)
         SELECT 0, worker_id, date, 50, kind, category, reason, occurrence, event_key + 1000,
             rule, source_table, source_id, reverses, allow_negative, operator, entered_at,
             batch_id
         FROM point_entries WHERE id = 1",
        8,
    );
    seals_hold(&d, 10);
    digest_fails(&d, &before, &differs(&before, 8, &now));
}

#[test]
fn the_newest_entries_cut_off_pass_the_seals_but_not_a_kept_digest() {
    let (d, before, after) = ledger_with_digests();
    tamper_and_reseal(&d, "DELETE FROM point_entries WHERE id = 9", 8);
    seals_hold(&d, 8);
    // The digest of the 8 entries left still holds; the one of 9 does not.
    d.by_operator(&["points", "check", "--digest", &before])
        .ok();
    digest_fails(
        &d,
        &after,
        &format!(
            "与账本摘要 {after} 不符：摘要覆盖 9 条记录，台账现在只有 8 条，记录被删除或截掉了 \
             — 请从记下摘要之前的备份恢复，并查明是谁改动了文件"
        ),
    );
}

#[test]
fn a_digest_that_is_not_one_is_a_usage_error() {
    let d = Dir::new();
    let o = d.nf(&["points", "check", "--digest", "820:3f2a"]).code(2);
    assert_eq!(
        o.stderr,
        "错误：--digest 820:3f2a：不是账本摘要 — 账本摘要形如 820:3f2a9b0c1d2e3f40\
         （记录条数:封印的前 16 位），印在每份报表的末尾\n"
    );
    // Checked before the registry is opened: none was made.
    assert!(!d.exists(crate::util::DB));
}

/// The text of the part `name` of the zip file `path`.
fn part(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn workbooks_and_the_bulletin_carry_the_digest_in_their_footer() {
    let (d, _, digest) = ledger_with_digests();
    let line = format!("账本摘要 {digest}");
    d.nf(&[
        "report", "streets", "--month", "2025-07", "--format", "xlsx", "-o", "r.xlsx",
    ])
    .ok();
    let sheet = part(&d.join("r.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(&format!(
            "<oddFooter>&amp;L{line}&amp;C&amp;P / &amp;N</oddFooter>"
        )),
        "{sheet}"
    );
    d.nf(&[
        "report", "district", "--month", "2025-07", "--format", "docx", "-o", "b.docx",
    ])
    .ok();
    let footer = part(&d.join("b.docx"), "word/footer1.xml");
    assert!(footer.contains(&line), "{footer}");
    d.nf(&[
        "report", "coverage", "--month", "2025-07", "--format", "xlsx", "-o", "c.xlsx",
    ])
    .ok();
    let sheet = part(&d.join("c.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(&format!("<oddFooter>&amp;L{line}</oddFooter>")),
        "{sheet}"
    );
    // A table of any command exported as a workbook carries it too.
    d.nf(&["worker", "list", "--format", "xlsx", "-o", "w.xlsx"])
        .ok();
    let sheet = part(&d.join("w.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(&format!("<oddFooter>&amp;L{line}</oddFooter>")),
        "{sheet}"
    );
    // And every text report ends with it: Markdown, CSV.
    let md = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "md"])
        .ok();
    assert!(
        md.stdout.ends_with(&format!("\n\n{line}\n")),
        "{}",
        md.stdout
    );
    let csv = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "csv"])
        .ok();
    assert!(
        csv.stdout.ends_with(&format!("\n账本摘要,{digest}\n")),
        "{}",
        csv.stdout
    );
}
