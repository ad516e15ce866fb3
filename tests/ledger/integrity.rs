//! The ledger's file: append-only (no UPDATE, DELETE or REPLACE of an entry), and `points
//! check` quiet on a clean ledger and naming every corruption.

use serde_json::{Value, json};

use super::{assert_balances_are_sums, tips_register};
use crate::util::District;

#[test]
fn the_registry_file_refuses_update_and_delete_of_entries() {
    let d = District::new().points().build();
    let before = d.rows("SELECT * FROM point_entries ORDER BY id");
    let conn = d.conn();
    for sql in [
        "UPDATE point_entries SET points = 100 WHERE id = 1",
        "UPDATE point_entries SET reason = '改了'",
        "UPDATE point_entries SET worker_id = 2 WHERE kind = 'redeem'",
        "DELETE FROM point_entries WHERE id = 8",
        "DELETE FROM point_entries",
    ] {
        match conn.execute(sql, []) {
            Ok(n) => panic!("{sql}: changed {n} rows of an append-only ledger"),
            Err(rusqlite::Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!(e.code, rusqlite::ErrorCode::ConstraintViolation, "{sql}");
                assert_eq!(
                    msg, "point_entries is append-only: correct an entry with a reversing entry",
                    "{sql}"
                );
            }
            Err(other) => panic!("{sql}: unexpected error {other}"),
        }
    }
    // Inside a transaction that goes on to commit, too.
    conn.execute_batch("BEGIN").unwrap();
    assert!(
        conn.execute("DELETE FROM point_entries WHERE id = 1", [])
            .is_err()
    );
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    assert_eq!(d.rows("SELECT * FROM point_entries ORDER BY id"), before);
    assert_balances_are_sums(&d);
    d.by_operator(&["points", "check"]).ok();
}

/// `INSERT OR REPLACE` deletes the row it replaces without firing DELETE triggers (SQLite
/// fires them for REPLACE only with `PRAGMA recursive_triggers`): the entry put in its place
/// does not match the seal of the one it replaced, and `points check` names it.
#[test]
fn an_entry_replaced_by_another_program_is_found_by_the_check() {
    let d = District::new().points().build();
    d.by_operator(&["points", "check"]).ok();
    let n = d
        .conn()
        .execute(
            "INSERT OR REPLACE INTO point_entries (id, worker_id, date, points, kind, category, event_key, operator, entered_at)
             VALUES (1, 8, '2025-06-20', 999, 'earn', 'other', 1, 'x', '2025-06-20 00:00:00')",
            [],
        )
        .expect("SQLite itself lets a program replace a row");
    assert_eq!(n, 1);
    assert_eq!(d.int("SELECT points FROM point_entries WHERE id = 1"), 999);
    let j = d
        .by_operator(&["--lang", "en", "points", "check", "--format", "json"])
        .code(1)
        .json();
    let problems: Vec<(Value, String)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["entry"].clone(),
                v["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [(
            json!(1),
            "does not match its seal: it, or an entry before it, was changed or removed by \
             another program"
                .to_string()
        )]
    );
    // The whole-registry check names it too.
    d.by_operator(&["check"]).code(1);
}

#[test]
fn check_is_quiet_on_a_clean_ledger_and_lists_every_corruption() {
    let d = District::new().points().build();
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
    d.write("tips.csv", tips_register("已审核", None));
    d.by_operator(&["import", "tips", "tips.csv"]).ok();
    assert_eq!(
        d.int("SELECT id FROM point_entries WHERE source_table = 'tips'"),
        10
    );

    let clean = d.by_operator(&["points", "check"]).ok();
    assert_eq!(clean.stdout, "");
    assert_eq!(
        clean.stderr,
        "积分台账无误：已核对 10 条记录，没有发现问题\n"
    );
    let clean = d.by_operator(&["points", "check", "--format", "json"]).ok();
    assert_eq!(clean.json(), json!([]));

    // Someone edits the file with another tool, triggers dropped first.
    let entered_at: String = d
        .conn()
        .query_row(
            "SELECT entered_at FROM point_entries WHERE id = 4",
            [],
            |r| r.get(0),
        )
        .unwrap();
    d.conn()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TRIGGER point_entries_no_update;
             DROP TRIGGER point_entries_no_delete;
             -- 高建平 redeemed 50, not 10, of his 20: his running balance goes to −30.
             UPDATE point_entries SET points = -50 WHERE id = 7;
             -- 陈磊's reversal (of his redemption, entry 8) points at an entry that does not exist.
             UPDATE point_entries SET reverses = 999 WHERE id = 9;
             -- 杨丽's grant refers to a report that does not exist.
             UPDATE point_entries SET source_id = 999 WHERE id = 10;
             -- 王宇's earning dated in 2099, after the day it was entered.
             UPDATE point_entries SET date = '2099-07-12' WHERE id = 4;
             -- 郭志伟's earning turned into a redemption of +10 (past the CHECK constraint).
             PRAGMA ignore_check_constraints = ON;
             UPDATE point_entries SET kind = 'redeem' WHERE id = 2;",
        )
        .unwrap();
    let o = d.by_operator(&["points", "check"]).code(1);
    let sealed = "与校验封印不符：这笔记录或它之前的记录被别的程序改动或删除过";
    let expected: Vec<(Option<i64>, Option<&str>, String)> = vec![
        (
            Some(7),
            Some("高建平"),
            "这笔记录之后 2025-07-28 的余额是 -30 分，而这笔记录并未获准透支".to_string(),
        ),
        (Some(9), Some("陈磊"), "冲正的记录 999 不存在".to_string()),
        (
            Some(2),
            Some("郭志伟"),
            "类型为“兑换”的记录却是 10 分：类型和正负号不一致".to_string(),
        ),
        (
            Some(10),
            Some("杨丽"),
            "对应的随手拍记录 999 不存在，或属于其他从业人员".to_string(),
        ),
        (
            Some(4),
            Some("王宇"),
            format!("日期是 2099-07-12，晚于录入的那一天（{entered_at}）"),
        ),
        // What another program did: the triggers it dropped, every entry it changed.
        (
            None,
            None,
            "积分台账的保护触发器不见了（point_entries_no_update, point_entries_no_delete）：\
             有别的程序改动了文件结构 — 请从备份恢复"
                .to_string(),
        ),
        (Some(2), Some("郭志伟"), sealed.to_string()),
        (Some(4), Some("王宇"), sealed.to_string()),
        (Some(7), Some("高建平"), sealed.to_string()),
        (Some(9), Some("陈磊"), sealed.to_string()),
        (Some(10), Some("杨丽"), sealed.to_string()),
    ];
    // The table: a line per violation, in this order, naming the entry, the worker and the
    // problem.
    let lines: Vec<Vec<String>> = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("编号"))
        .map(|l| {
            l.trim_matches('|')
                .split("   ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        expected
            .iter()
            .map(|(id, who, problem)| vec![
                id.map_or("-".to_string(), |i| i.to_string()),
                who.unwrap_or("-").to_string(),
                problem.clone()
            ])
            .collect::<Vec<_>>(),
        "{}",
        o.stdout
    );
    assert_eq!(o.stderr, "错误：积分台账有 11 处问题（见上表）\n");

    let workers: std::collections::HashMap<String, i64> = d
        .rows("SELECT name, id FROM workers")
        .into_iter()
        .map(|r| {
            (
                r[0].clone().unwrap(),
                r[1].as_deref().unwrap().parse().unwrap(),
            )
        })
        .collect();
    let j = d
        .by_operator(&["points", "check", "--format", "json"])
        .code(1);
    assert_eq!(
        j.json(),
        Value::Array(
            expected
                .iter()
                .map(|(id, who, problem)| json!({
                    "entry": id, "worker": who.map(|w| workers[w]), "name": who, "problem": problem
                }))
                .collect()
        )
    );
}

/// Entries removed, or added around the seal, by a program that dropped the triggers (the
/// findings in English, with `--lang en`).
#[test]
fn check_finds_entries_removed_or_added_by_another_program() {
    let d = District::new().points().build();
    d.by_operator(&["points", "check"]).ok();
    d.conn()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             DROP TRIGGER point_entries_no_delete;
             DELETE FROM point_entries WHERE id = 3;
             INSERT INTO point_entries (worker_id, date, points, kind, category, reason, event_key,
                 operator, entered_at)
             SELECT worker_id, '2025-07-30', 500, 'earn', 'other', '补录', 77, 'x', '2025-07-30 09:00:00'
             FROM point_entries WHERE id = 2;",
        )
        .unwrap();
    let added = d.int("SELECT max(id) FROM point_entries");
    let j = d
        .by_operator(&["--lang", "en", "points", "check", "--format", "json"])
        .code(1)
        .json();
    let problems: Vec<(Value, String)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["entry"].clone(),
                v["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (
                Value::Null,
                "the ledger's protecting triggers are gone (point_entries_no_delete): another \
                 program changed the file's schema — restore it from a backup"
                    .to_string()
            ),
            (
                json!(4),
                "does not match its seal: it, or an entry before it, was changed or removed by \
                 another program"
                    .to_string()
            ),
            (
                json!(added),
                "has no seal: it was added by another program".to_string()
            ),
            (
                json!(3),
                "was removed by another program (its seal remains)".to_string()
            ),
        ]
    );
    // An entry inserted by another program with every trigger in place has no seal.
    let fresh = District::new().points().build();
    fresh
        .conn()
        .execute(
            "INSERT INTO point_entries (worker_id, date, points, kind, category, reason, event_key,
                 operator, entered_at)
             SELECT worker_id, '2025-07-30', 500, 'earn', 'other', '补录', 77, 'x', '2025-07-30 09:00:00'
             FROM point_entries WHERE id = 2",
            [],
        )
        .expect("SQLite itself lets a program insert a row");
    let added = fresh.int("SELECT max(id) FROM point_entries");
    let j = fresh
        .by_operator(&["--lang", "en", "points", "check", "--format", "json"])
        .code(1)
        .json();
    let problems: Vec<(Value, &str)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["entry"].clone(), v["problem"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [(json!(added), "has no seal: it was added by another program")]
    );
}
