//! A version-1 registry upgrades to the fresh schema, keeping every row and a backup copy.

use nuanfeng::internals::db::{expand_in_lists, schema_objects};

use super::assert_balances_are_sums;
use crate::util::{self, Dir, fixture, fixture_bytes};

/// The schema of the file at `path`, as `check` compares it.
fn schema_of(path: &std::path::Path) -> std::collections::BTreeMap<(String, String), String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    schema_objects(&conn).expect("the schema")
}

/// Every row of every table of the version-1 file at `v1`, by its own columns, as read from
/// `path` (which may have more columns).
fn v1_rows(
    v1: &std::path::Path,
    path: &std::path::Path,
) -> Vec<(String, Vec<Vec<Option<String>>>)> {
    let ro = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let old = rusqlite::Connection::open_with_flags(v1, ro).unwrap();
    let conn = rusqlite::Connection::open_with_flags(path, ro).unwrap();
    let tables: Vec<String> = old
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let cols: Vec<String> = old
                .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .unwrap()
                .query_map([&t], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let sql = format!(
                "SELECT {} FROM {t} ORDER BY rowid",
                cols.iter()
                    .map(|c| format!("quote({c})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let rows = conn
                .prepare(&sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .query_map([], |r| (0..cols.len()).map(|i| r.get(i)).collect())
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (t, rows)
        })
        .collect()
}

#[test]
fn a_version_1_registry_upgrades_to_the_fresh_schema_keeping_every_row() {
    let d = Dir::new();
    let v1 = fixture("schema-v1.db");
    d.copy_as("schema-v1.db", util::DB);
    assert_eq!(d.int("PRAGMA user_version"), 1);
    let original = v1_rows(&v1, &v1);
    let counted: Vec<(&str, usize)> = original
        .iter()
        .map(|(t, r)| (t.as_str(), r.len()))
        .collect();
    assert!(
        counted.contains(&("workers", 8)) && counted.contains(&("point_entries", 8)),
        "{counted:?}"
    );

    d.by_operator(&["worker", "list"])
        .ok()
        .stderr_has(&["共 8 人"]);

    d.bare().args(&["--db", "fresh.db", "init"]).ok();
    assert_eq!(
        d.int("PRAGMA user_version"),
        d.int_in("fresh.db", "PRAGMA user_version")
    );
    assert_eq!(d.int("PRAGMA user_version"), 19);
    assert_eq!(
        d.int("PRAGMA application_id"),
        d.int_in("fresh.db", "PRAGMA application_id")
    );
    let upgraded = schema_of(&d.join(util::DB));
    let fresh = schema_of(&d.join("fresh.db"));
    assert_eq!(upgraded, fresh);
    assert!(
        upgraded
            .keys()
            .any(|(_, name)| name == "point_entries_no_update")
    );
    assert_eq!(d.int("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_eq!(
        d.rows("PRAGMA integrity_check"),
        vec![vec![Some("ok".to_string())]]
    );

    // Every row of the version-1 file, column by column.
    assert_eq!(v1_rows(&v1, &d.join(util::DB)), original);
    // The rules the upgrade adds are the fresh file's.
    assert_eq!(
        d.rows("SELECT code, points FROM point_rules ORDER BY code"),
        vec![
            vec![Some("suggestion_adopted".into()), Some("1".into())],
            vec![Some("tip_approved".into()), Some("1".into())],
            vec![Some("volunteer_hour".into()), Some("1".into())],
        ]
    );

    // The backup copy: the version-1 file page for page. SQLite's backup rewrites four fields
    // of the 100-byte file header (change counter, schema cookie, version-valid-for, SQLite
    // version), so it is not byte for byte the fixture; every other byte is.
    let backup_name = format!("{}.v1.bak", util::DB);
    assert!(d.exists(&backup_name));
    let (bak, orig) = (d.read(&backup_name), fixture_bytes("schema-v1.db"));
    assert_eq!(bak.len(), orig.len());
    let differing: Vec<usize> = (0..orig.len()).filter(|&i| bak[i] != orig[i]).collect();
    assert!(
        differing
            .iter()
            .all(|i| (24..28).contains(i) || (40..44).contains(i) || (92..100).contains(i)),
        "bytes {differing:?} differ"
    );
    assert_eq!(d.int_in(&backup_name, "PRAGMA user_version"), 1);
    assert_eq!(v1_rows(&v1, &d.join(&backup_name)), original);
    assert_eq!(schema_of(&d.join(&backup_name)), schema_of(&v1));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join(&backup_name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The upgraded ledger holds, and takes new entries.
    assert_balances_are_sums(&d);
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 8 条记录，没有发现问题"]);
    d.by_operator(&[
        "points",
        "reverse",
        "8",
        "--reason",
        "礼品未领取",
        "--date",
        "2025-08-03",
    ])
    .ok()
    .stderr_has(&["记录 8 已冲正（冲正记录编号 9）"]);
    d.by_operator(&["points", "check"]).ok();
    // Opening again upgrades nothing and writes no second backup.
    d.by_operator(&["worker", "list"]).ok();
    assert!(!d.exists(&format!("{}.v1.2.bak", util::DB)));
}

/// A version-13 registry (`schema-v13.db`, written by the build whose triggers sealed each
/// entry: imported, typed, reversed, adjusted and granted entries) upgrades with its chain
/// intact, and the entries written after it chain on from the last old seal.
#[test]
fn a_version_13_ledger_keeps_its_chain_and_new_entries_chain_on() {
    let d = Dir::new();
    d.copy_as("schema-v13.db", util::DB);
    assert_eq!(d.int("PRAGMA user_version"), 13);
    let old_seals = d.rows("SELECT entry_id, seal FROM ledger_seals ORDER BY entry_id");
    assert_eq!(old_seals.len(), 11);

    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 11 条记录，没有发现问题"]);
    assert_eq!(d.int("PRAGMA user_version"), 19);
    assert_eq!(
        d.int(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
             AND name IN ('point_entries_no_replace', 'point_entries_seal')"
        ),
        0
    );
    assert_eq!(
        d.rows("SELECT entry_id, seal FROM ledger_seals ORDER BY entry_id"),
        old_seals
    );

    // 王宇 (+5 on 07-12, +2 on 07-30): typed, imported, corrected.
    d.by_operator(&[
        "points",
        "earn",
        "17735240683",
        "3",
        "--date",
        "2025-08-01",
        "--reason",
        "补录",
    ])
    .ok();
    d.write(
        "more.csv",
        "手机号,日期,类别,积分,说明\n17735240683,2025-08-05,积分兑换,-6,兑换雨衣\n17735240683,2025-08-04,志愿服务,4,参加防汛值守\n",
    );
    d.by_operator(&["import", "points", "more.csv"]).ok();
    d.by_operator(&[
        "points",
        "adjust",
        "17735240683",
        "-1",
        "--date",
        "2025-08-06",
        "--reason",
        "核对台账",
    ])
    .ok();
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 15);
    assert_eq!(d.int("SELECT count(*) FROM ledger_seals"), 15);
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 15 条记录，没有发现问题"]);
    d.by_operator(&["check"]).ok();
    assert_balances_are_sums(&d);
}

/// The upgrade to version 16 rewrites each CHECK's list of constants as comparisons joined by
/// OR (SQLite checks an `IN` list of three or more constants through a temporary index built
/// for every row written), and the rewritten constraints refuse what the lists refused.
#[test]
fn version_16_checks_compare_instead_of_building_an_in_list() {
    let d = Dir::new();
    d.copy_as("schema-v13.db", util::DB);
    let before = d.rows(
        "SELECT sql FROM sqlite_master WHERE name = 'point_entries' AND sql LIKE '%kind IN (''earn'', ''redeem'', ''reverse'', ''adjust'')%'",
    );
    assert_eq!(before.len(), 1);
    d.by_operator(&["check"]).ok();
    assert_eq!(d.int("PRAGMA user_version"), 19);
    assert_eq!(
        d.int(
            "SELECT count(*) FROM sqlite_master WHERE name = 'point_entries'
             AND instr(sql, '(kind = ''earn'' OR kind = ''redeem'' OR kind = ''reverse'' OR kind = ''adjust'')') > 0"
        ),
        1
    );
    // No table holds an IN list of three constants any more; the two-item ones stay.
    let tables = d.rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
    assert!(tables.len() > 30, "{}", tables.len());
    for row in &tables {
        let sql = row[1].as_deref().unwrap_or_default();
        assert_eq!(expand_in_lists(sql), sql, "{:?}", row[0]);
    }
    assert_eq!(
        d.int("SELECT count(*) FROM sqlite_master WHERE name = 'point_entries' AND instr(sql, 'kind IN (''reverse'', ''adjust'')') > 0"),
        1
    );
    let conn = d.conn();
    let refused = conn
        .execute(
            "INSERT INTO point_entries (worker_id, date, points, kind, category, event_key, operator, entered_at)
             SELECT worker_id, '2025-09-01', 1, 'earn', 'bonus', 1, 'x', '2025-09-01 00:00:00' FROM point_entries LIMIT 1",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(refused.contains("CHECK constraint failed"), "{refused}");
    let refused = conn
        .execute(
            "UPDATE stations SET kind = 'warehouse' WHERE id = (SELECT min(id) FROM stations)",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(refused.contains("CHECK constraint failed"), "{refused}");
}

/// The upgrade to version 17 drops `workers_street` (a prefix of `workers_stock`) and orders
/// `change_log_entity` by the number of the id: the upgraded schema is the fresh one, the
/// change log keeps every row, and the lookups by street and by a record's changes still go
/// through an index.
#[test]
fn version_17_drops_the_street_index_and_orders_changes_by_number() {
    let d = Dir::new();
    d.copy_as("schema-v13.db", util::DB);
    assert_eq!(
        d.int("SELECT count(*) FROM sqlite_master WHERE name = 'workers_street'"),
        1
    );
    let changes = d.rows("SELECT * FROM change_log ORDER BY id");
    assert!(!changes.is_empty());
    d.by_operator(&["check"]).ok();
    assert_eq!(d.int("PRAGMA user_version"), 19);
    d.bare().args(&["--db", "fresh.db", "init"]).ok();
    assert_eq!(schema_of(&d.join(util::DB)), schema_of(&d.join("fresh.db")));
    assert_eq!(
        d.int("SELECT count(*) FROM sqlite_master WHERE name = 'workers_street'"),
        0
    );
    // Version 19 adds the origin of a change (NULL for one made here).
    let changes: Vec<Vec<Option<String>>> = changes
        .into_iter()
        .map(|mut row| {
            row.push(None);
            row
        })
        .collect();
    assert_eq!(d.rows("SELECT * FROM change_log ORDER BY id"), changes);
    let plan = |sql: &str| -> Vec<String> {
        d.rows(&format!("EXPLAIN QUERY PLAN {sql}"))
            .into_iter()
            .map(|r| r[3].clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        plan("SELECT id FROM workers WHERE street_id = 1"),
        vec!["SEARCH workers USING COVERING INDEX workers_stock (street_id=?)"]
    );
    // As changes::history asks.
    assert_eq!(
        plan(
            "SELECT c.at, b.file_name FROM change_log c LEFT JOIN import_batches b ON b.id = c.batch_id
             WHERE c.entity = 'worker' AND CAST(c.entity_id AS INTEGER) = 1
               AND +c.entity_id = '1' ORDER BY c.id"
        ),
        vec![
            "SEARCH c USING INDEX change_log_entity (entity=? AND <expr>=?)",
            "SEARCH b USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN",
        ]
    );
    let history = d.rows(
        "SELECT id FROM change_log
         WHERE entity = 'worker' AND CAST(entity_id AS INTEGER) = 1 AND +entity_id = '1'
         ORDER BY id",
    );
    assert_eq!(
        history,
        d.rows("SELECT id FROM change_log WHERE entity = 'worker' AND entity_id = '1' ORDER BY id")
    );
}
