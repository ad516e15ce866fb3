//! Privacy upkeep: the access log of `--show-pii` (`access-log`) and `worker purge`, which
//! erases departed workers' names and numbers while every figure stays the same.

mod util;

use util::Dir;

/// A registry with the district's streets, stations, workers, check-ins and points.
fn district() -> Dir {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.import("stations", "district/stations.csv");
    d.import("workers", "district/workers.csv");
    d.import("checkins", "district/checkins.csv");
    d.import("points", "district/points.csv");
    d
}

fn accesses(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows("SELECT command, operator, length(at) FROM pii_access ORDER BY id")
}

#[test]
fn show_pii_is_recorded_once_with_the_numbers_in_the_command_masked() {
    let d = district();
    assert!(accesses(&d).is_empty());

    // Without --show-pii: nothing recorded.
    d.nf(&["worker", "list"]).ok();
    d.nf(&["worker", "show", "15135296642"]).ok();
    assert!(accesses(&d).is_empty());

    // With it: one row, the number typed masked, --db left out.
    d.nf(&["worker", "show", "15135296642", "--show-pii"])
        .ok()
        .stdout_has(&["15135296642"]);
    let rows = accesses(&d);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0][0].as_deref(),
        Some("worker show 151****6642 --show-pii")
    );
    assert!(rows[0][1].as_deref().is_some_and(|o| !o.is_empty()));
    assert_eq!(rows[0][2].as_deref(), Some("19"));

    // Recorded even when the command shows nothing, and numbers inside flags are masked.
    d.nf(&[
        "worker",
        "list",
        "--street",
        "柳巷",
        "--month",
        "2020-01",
        "--show-pii",
        "--format",
        "json",
    ])
    .ok();
    d.nf(&["report", "worker", "140106199006037169", "--show-pii"])
        .run();
    let rows = accesses(&d);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[1][0].as_deref(),
        Some("worker list --street 柳巷 --month 2020-01 --show-pii --format json")
    );
    assert_eq!(
        rows[2][0].as_deref(),
        Some("report worker 140106********7169 --show-pii")
    );

    // Not recorded when the registry cannot be opened.
    d.bare()
        .args(&["--db", "missing.db", "worker", "list", "--show-pii"])
        .code(1);
    assert_eq!(accesses(&d).len(), 3);

    // The listing shows it, masked, and is not itself an access.
    let o = d.nf(&["access-log", "--format", "json"]).ok();
    let list = o.json_array();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["command"], "worker show 151****6642 --show-pii");
    assert!(list[0]["at"].as_str().is_some_and(|a| a.len() == 19));
    o.hides(&["15135296642", "140106199006037169"]);
    assert_eq!(o.stderr, "3 accesses\n");
    d.nf(&["access-log"]).ok().stdout_has(&[
        "worker show 151****6642 --show-pii",
        "时间",
        "操作人",
    ]);
    assert_eq!(accesses(&d).len(), 3);
}

#[test]
fn pii_command_line_masks_numbers_however_typed() {
    let line = |args: &[&str]| {
        nuanfeng::commands::pii_command_line(
            std::iter::once("nuanfeng")
                .chain(args.iter().copied())
                .map(Into::into),
        )
    };
    assert_eq!(line(&["worker", "list"]), None);
    assert_eq!(line(&["worker", "show", "--", "--show-pii"]), None);
    assert_eq!(
        line(&[
            "--db",
            "x.db",
            "worker",
            "update",
            "+86 136-2351-8847",
            "--phone=13912345678",
            "--note",
            "电话 13623518847, 证 14010619900603716x",
            "--show-pii",
        ])
        .as_deref(),
        Some(
            "worker update 136****8847 --phone=139****5678 --note \"电话 136****8847, 证 140106********716X\" \
             --show-pii"
        )
    );
}

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
    let d = district();
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
        "would purge 2 workers who left before 2025-09-01; nothing was changed (dry run)\n"
    );
    assert_eq!(d.read(util::DB), file_before);

    let o = d
        .nf(&["worker", "purge", "--left-before", "2025-09-01"])
        .ok();
    assert_eq!(
        o.stderr,
        "purged 2 workers who left before 2025-09-01 (their check-ins, points and records are \
         kept, anonymous)\n"
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
        .stderr_has(&["purged 0 workers"]);
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
    let d = district();
    let o = d
        .nf(&["worker", "purge", "--left-before", "2999-01-01"])
        .code(2);
    assert!(
        o.stderr
            .starts_with("error: --left-before 2999-01-01: after today"),
        "{}",
        o.stderr
    );
    let o = d.nf(&["worker", "purge", "--left-before", "today"]).code(2);
    assert!(
        o.stderr.starts_with("error: --left-before today:"),
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
        .stderr_has(&["purged 0 workers"]);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE purged_on IS NOT NULL"),
        0
    );
    assert_eq!(d.int("SELECT count(*) FROM workers WHERE phone IS NULL"), 0);
}

/// Usage errors and refusals repeat what was typed; 备注 is free text: neither shows a full
/// 手机号 or 身份证号 without `--show-pii`, and the access log masks any long number.
#[test]
fn numbers_typed_or_written_in_notes_are_masked_everywhere_but_with_show_pii() {
    let d = district();
    let (phone, id) = ("15135296642", "140106199207071371");
    for args in [
        vec!["worker", "show", phone, "13912340002"],
        vec!["points", "balance", phone, id],
        vec!["checkin", phone],
        vec!["worker", "list", "--street", "13912340002"],
    ] {
        let out = d.nf(&args).run();
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?} says why it refused");
        for n in ["13912340002", id] {
            assert!(!all.contains(n), "{args:?} shows {n}:\n{all}");
        }
    }
    d.nf(&[
        "worker",
        "update",
        phone,
        "--note",
        "新号 13156270911 身份证140106198808024592",
    ])
    .ok();
    for args in [
        vec!["worker", "show", phone],
        vec!["worker", "list", "--format", "json"],
    ] {
        let out = d.nf(&args).ok();
        assert!(
            out.stdout.contains("131****0911") && out.stdout.contains("140106********4592"),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("13156270911") && !out.stdout.contains("198808024592"));
    }
    let mut shown = args_with_pii(&["worker", "show", phone]);
    let out = d.nf(&shown).ok();
    assert!(out.stdout.contains("13156270911"), "{}", out.stdout);
    // A phone with a stray digit typed as an argument is still masked in the log.
    shown = args_with_pii(&["worker", "show", "131562709111"]);
    d.nf(&shown).run();
    let logged = accesses(&d);
    let last = logged.last().unwrap()[0].clone().unwrap();
    assert_eq!(last, "worker show 131*****9111 --show-pii");
}

fn args_with_pii<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.push("--show-pii");
    v
}
