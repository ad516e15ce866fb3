//! `worker purge`, which erases departed workers' names and numbers while every figure stays
//! the same.

use crate::util::{self, Dir, District};

/// Every text value of every table of the registry, and the file's bytes.
fn everything(d: &Dir) -> (Vec<String>, Vec<u8>) {
    let conn = d.conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut values = Vec::new();
    for t in tables {
        let cols: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap()
            .query_map([&t], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for c in cols {
            for v in d.rows(&format!("SELECT CAST(\"{c}\" AS TEXT) FROM \"{t}\"")) {
                values.extend(v.into_iter().flatten());
            }
        }
    }
    (values, d.read(util::DB))
}

fn reports(d: &Dir) -> Vec<String> {
    [
        &[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ][..],
        &[
            "report", "streets", "--month", "2025-08", "--format", "json",
        ],
        &["report", "district", "--year", "2025", "--format", "json"],
        &[
            "report", "district", "--month", "2025-07", "--format", "json",
        ],
        &[
            "report", "coverage", "--month", "2025-07", "--format", "json",
        ],
    ]
    .iter()
    .map(|args| d.nf(args).ok().stdout)
    .collect()
}

#[test]
fn purge_erases_departed_workers_everywhere_and_keeps_every_figure() {
    let d = District::new().checkins().points().build();
    // History with numbers and notes: a changed phone and a note, then leaving.
    d.nf(&[
        "worker",
        "update",
        "15903514426",
        "--phone",
        "15903514427",
        "--note",
        "紧急联系人 13812345678",
    ])
    .ok();
    d.nf(&["worker", "leave", "15903514427", "--date", "2025-07-15"])
        .ok();
    d.nf(&["worker", "leave", "18834071935", "--date", "2025-08-05"])
        .ok();
    // Left after the day given: kept.
    d.nf(&["worker", "leave", "17735240683", "--date", "2025-09-10"])
        .ok();
    let before = reports(&d);
    let workers_before = d.int("SELECT count(*) FROM workers");
    let counts = |d: &Dir| {
        [
            "checkins",
            "point_entries",
            "ledger_seals",
            "checkin_months",
            "change_log",
        ]
        .map(|t| d.int(&format!("SELECT count(*) FROM {t}")))
    };
    let counts_before = counts(&d);

    // A dry run lists them and changes nothing.
    let file_before = d.read(util::DB);
    let o = d
        .nf(&[
            "worker",
            "purge",
            "--left-before",
            "2025-09-01",
            "--dry-run",
        ])
        .ok();
    o.stdout_has(&["李浩", "陈磊", "2025-07-15", "2025-08-05"]);
    assert!(!o.stdout.contains("王宇"), "{}", o.stdout);
    assert_eq!(
        o.stderr,
        "将清除 2 名在 2025-09-01 之前离职的从业人员；这次只是预览，没有做任何改动\n"
    );
    assert_eq!(d.read(util::DB), file_before);

    let o = d
        .nf(&["worker", "purge", "--left-before", "2025-09-01"])
        .ok();
    assert_eq!(
        o.stderr,
        "已清除 2 名在 2025-09-01 之前离职的从业人员（其报到、积分等记录匿名保留）\n"
    );
    assert_eq!(o.stdout, "");

    // Every figure of past periods is the same; every row is kept.
    assert_eq!(reports(&d), before);
    assert_eq!(d.int("SELECT count(*) FROM workers"), workers_before);
    let mut expected = counts_before;
    expected[4] += 2; // the purge itself, once per worker
    assert_eq!(counts(&d), expected);
    d.nf(&["points", "check"]).ok();

    // Nothing of theirs is left in any column of any table, nor in the file's bytes.
    let (values, bytes) = everything(&d);
    let secrets = [
        "15903514426",
        "15903514427",
        "140105199407086213",
        "13812345678",
        "18834071935",
        "140105198808277358",
        "李浩",
        "陈磊",
        "紧急联系人",
        "159****4426",
        "159****4427",
        "188****1935",
        "140105********7358",
    ];
    for s in secrets {
        let found: Vec<&String> = values.iter().filter(|v| v.contains(s)).collect();
        assert!(found.is_empty(), "{s} is still in {found:?}");
        if s.chars().all(|c| c.is_ascii_digit()) {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{s} is still in the file's bytes"
            );
        }
    }
    // The workers who stay keep everything.
    for s in ["17735240683", "王宇", "13623517804", "郭志伟"] {
        assert!(values.iter().any(|v| v.contains(s)), "{s} is gone");
    }
    assert_eq!(
        d.rows(
            "SELECT name, id_number, phone, note, purged_on IS NOT NULL, left_on FROM workers \
             WHERE purged_on IS NOT NULL ORDER BY id"
        ),
        vec![
            vec![
                Some("已清除#2".into()),
                None,
                None,
                None,
                Some("1".into()),
                Some("2025-07-15".into())
            ],
            vec![
                Some("已清除#8".into()),
                None,
                None,
                None,
                Some("1".into()),
                Some("2025-08-05".into())
            ],
        ]
    );

    // A returning person is a new worker; purging again finds nobody new.
    d.nf(&[
        "worker",
        "add",
        "--name",
        "李浩",
        "--phone",
        "15903514426",
        "--occupation",
        "外卖员",
        "--street",
        "柳巷",
    ])
    .ok();
    assert_eq!(d.int("SELECT count(*) FROM workers"), workers_before + 1);
    d.nf(&["worker", "purge", "--left-before", "2025-09-01"])
        .ok()
        .stderr_has(&["已清除 0 名"]);
    // Those still working, and 王宇 who left after the day, keep their numbers.
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE purged_on IS NULL AND phone IS NOT NULL"),
        7
    );
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE phone = '17735240683' AND purged_on IS NULL"),
        1
    );
}

#[test]
fn purge_refuses_a_day_after_today_and_never_takes_a_working_worker() {
    let d = District::new().checkins().points().build();
    let o = d
        .nf(&["worker", "purge", "--left-before", "2999-01-01"])
        .code(2);
    assert!(
        o.stderr
            .starts_with("错误：--left-before 2999-01-01：晚于今天"),
        "{}",
        o.stderr
    );
    let o = d.nf(&["worker", "purge", "--left-before", "today"]).code(2);
    assert!(
        o.stderr
            .starts_with("错误：--left-before today: 不是日期 — 写成 2025-07-06 这样"),
        "{}",
        o.stderr
    );
    let today = d
        .rows("SELECT date('now', 'localtime')")
        .remove(0)
        .remove(0)
        .unwrap();
    d.nf(&["worker", "purge", "--left-before", &today])
        .ok()
        .stderr_has(&["已清除 0 名"]);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE purged_on IS NOT NULL"),
        0
    );
    assert_eq!(d.int("SELECT count(*) FROM workers WHERE phone IS NULL"), 0);
}
