//! Interrupted work leaves nothing behind (issue 17, points 2, 5 and 7): `worker purge`,
//! `backup`, `restore` and an upgrade killed (SIGKILL, through the test hook
//! `NUANFENG_KILL_AT`) at named points leave the registry intact, no partial file under a real
//! name, and no purged 身份证号 or 手机号 in the file's bytes once the next command has run;
//! outputs never follow a symbolic link; a registry other users can read is named by `check`
//! and made private by `init` and by an upgrade.

use std::os::unix::process::ExitStatusExt;

use crate::util::{DB, Dir, District, fixture};

/// SIGKILL's number.
const SIGKILL: i32 = 9;

/// The numbers of the two workers the purge erases: the phones and 身份证号 of the district
/// fixture, and the phone one of them had before.
pub(super) const PURGED: [&str; 5] = [
    "15903514426",
    "15903514427",
    "140105199407086213",
    "18834071935",
    "140105198808277358",
];

/// Runs `nuanfeng --db nf.db ARGS` in `d` with the kill hook at `point`; it must die by SIGKILL.
fn killed_at(d: &Dir, point: &str, args: &[&str]) {
    let o = std::process::Command::new(crate::util::BIN)
        .current_dir(d.path())
        .env_remove("NUANFENG_DB")
        .env("NUANFENG_KILL_AT", point)
        .args(["--db", DB])
        .args(args)
        .output()
        .expect("run nuanfeng");
    assert_eq!(
        o.status.signal(),
        Some(SIGKILL),
        "{args:?} at {point} was not killed: {:?}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The file names in `d`, sorted.
fn names(d: &Dir) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The names in `d` that are temporaries of an interrupted command.
fn temporaries(d: &Dir) -> Vec<String> {
    names(d)
        .into_iter()
        .filter(|n| n.contains(".nuanfeng-tmp-"))
        .collect()
}

/// Which of [`PURGED`] are in the bytes of `name`.
fn purged_in(d: &Dir, name: &str) -> Vec<&'static str> {
    let bytes = d.read(name);
    PURGED
        .into_iter()
        .filter(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()))
        .collect()
}

/// The district with two departed workers (one with an earlier phone) to purge.
pub(super) fn departed() -> Dir {
    let d = District::new().checkins().build();
    d.nf(&["worker", "update", "15903514426", "--phone", "15903514427"])
        .ok();
    d.nf(&["worker", "leave", "15903514427", "--date", "2025-07-15"])
        .ok();
    d.nf(&["worker", "leave", "18834071935", "--date", "2025-08-05"])
        .ok();
    assert!(!purged_in(&d, DB).is_empty());
    d
}

/// A purge killed after its commit and before (or after) its VACUUM: `check` names the
/// unfinished erasure (exit 1), the next command finishes it and says so, and then no purged
/// number is in the file and `check` passes.
#[test]
fn a_purge_killed_before_its_vacuum_is_finished_by_the_next_command() {
    for point in ["purge:after-commit", "purge:after-vacuum"] {
        let d = departed();
        killed_at(
            &d,
            point,
            &["worker", "purge", "--left-before", "2025-09-01"],
        );
        assert_eq!(
            d.int("SELECT count(*) FROM workers WHERE purged_on IS NOT NULL"),
            2
        );
        let o = d.nf(&["check"]).code(1);
        assert!(
            o.stdout.starts_with(
                "文件：1 个问题 — 台账文件本身有待处理的事 — 按每行所说处理\n  一次清除（worker purge，"
            ),
            "{point}: {}",
            o.stdout
        );
        o.stdout_has(&[
            "，2 人）没有做完：清除的身份证号、手机号可能还留在文件的空闲空间里 — 运行任一使用台账的命令（例如 nuanfeng worker list），它会先完成清除\n",
        ]);
        let o = d.nf(&["worker", "list"]).ok();
        assert!(
            o.stderr.starts_with("nf.db：上次的清除（worker purge，"),
            "{point}: {}",
            o.stderr
        );
        o.stderr_has(&["，2 人）没有做完，现已完成：文件已重写，清除的号码不再留在文件里\n"]);
        assert_eq!(purged_in(&d, DB), Vec::<&str>::new(), "{point}");
        assert!(!d.exists("nf.db-journal"), "{point}");
        assert_eq!(d.int("SELECT count(*) FROM pending_erasures"), 0);
        d.nf(&["check"]).ok();
        // Said once: the next command has nothing to finish.
        let again = d.nf(&["worker", "list"]).ok().stderr;
        assert!(!again.contains("上次的清除"), "{again}");
    }
}

/// The purge itself, run again after being killed, finishes the erasure first.
#[test]
fn a_second_purge_finishes_the_first_one_s_erasure() {
    let d = departed();
    killed_at(
        &d,
        "purge:after-commit",
        &["worker", "purge", "--left-before", "2025-09-01"],
    );
    let o = d
        .nf(&["worker", "purge", "--left-before", "2025-09-01"])
        .ok();
    o.stderr_has(&[
        "，2 人）没有做完，现已完成：文件已重写，清除的号码不再留在文件里\n",
        "已清除 0 名在 2025-09-01 之前离职的从业人员",
    ]);
    assert_eq!(purged_in(&d, DB), Vec::<&str>::new());
    d.nf(&["check"]).ok();
}

/// A backup made while an erasure is pending holds no purged number: opening the registry
/// for the backup finishes the erasure first.
#[test]
fn a_backup_after_an_unfinished_purge_holds_no_purged_number() {
    let d = departed();
    killed_at(
        &d,
        "purge:after-commit",
        &["worker", "purge", "--left-before", "2025-09-01"],
    );
    d.nf(&["backup", "copy.db"]).ok();
    assert_eq!(purged_in(&d, "copy.db"), Vec::<&str>::new());
    assert_eq!(purged_in(&d, DB), Vec::<&str>::new());
}

/// A backup killed before its copy gets its name leaves no file at that name; `check` names
/// the temporary; the next backup to that name removes it and succeeds.
#[test]
fn a_killed_backup_leaves_no_file_under_its_name() {
    for point in ["backup:before-rename", "files:before-rename"] {
        let d = crate::util::district();
        let before = names(&d);
        killed_at(&d, point, &["backup", "copy.db"]);
        assert!(!d.exists("copy.db"), "{point}");
        let left = temporaries(&d);
        assert_eq!(left.len(), 1, "{point}: {left:?}");
        assert!(left[0].starts_with(".copy.db.nuanfeng-tmp-"), "{left:?}");
        d.nf(&["check"]).code(1).stdout_has(&[
            "：被中断的命令留下的临时文件（可能是整份台账的副本）— 删掉它\n",
            &left[0],
        ]);
        d.nf(&["backup", "copy.db"]).ok();
        let mut want = before.clone();
        want.push("copy.db".into());
        want.sort();
        assert_eq!(names(&d), want, "{point}");
        d.bare().args(&["--db", "copy.db", "check"]).ok();
    }
}

/// A restore killed at any point leaves the registry as it was or as restored, whole; no
/// half-made `before-restore` copy; the temporary (a whole registry) is removed by the next
/// command on the registry.
#[test]
fn a_killed_restore_leaves_the_registry_whole_and_no_copy_behind() {
    for point in [
        "restore:after-copy",
        "files:before-rename",
        "restore:after-kept",
    ] {
        let d = crate::util::district();
        d.nf(&["backup", "copy.db"]).ok();
        d.nf(&["worker", "leave", "18834071935", "--date", "2025-08-05"])
            .ok();
        killed_at(&d, point, &["restore", "copy.db"]);
        let kept: Vec<String> = names(&d)
            .into_iter()
            .filter(|n| n.contains("before-restore") && !n.contains(".nuanfeng-tmp-"))
            .collect();
        if point == "restore:after-kept" {
            assert_eq!(kept.len(), 1, "{point}: {kept:?}");
        } else {
            assert_eq!(kept, Vec::<String>::new(), "{point}");
        }
        assert!(
            temporaries(&d)
                .iter()
                .any(|n| n.starts_with(".nf.db.nuanfeng-tmp-")),
            "{point}: {:?}",
            names(&d)
        );
        d.nf(&["worker", "list"]).ok();
        assert_eq!(temporaries(&d), Vec::<String>::new(), "{point}");
        d.nf(&["check"]).ok();
        for k in &kept {
            d.bare().args(&["--db", k, "check"]).ok();
        }
    }
}

/// `restore` refuses a file with a rollback journal beside it: a write to it did not finish,
/// and SQLite would roll the file back to what the journal holds.
#[test]
fn restore_refuses_a_copy_with_a_hot_journal() {
    let d = crate::util::district();
    d.nf(&["backup", "copy.db"]).ok();
    d.write(
        "copy.db-journal",
        b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7 journal",
    );
    let before = d.read(DB);
    let o = d.nf(&["restore", "copy.db"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：copy.db 旁边有 copy.db-journal：对这份文件的一次写入没有完成，文件本身不完整，\
         不能用来恢复 — 用 nuanfeng --db copy.db check 打开它一次（未完成的写入会先回滚），\
         再恢复；或换一份备份\n"
    );
    assert_eq!(d.read(DB), before);
    assert_eq!(temporaries(&d), Vec::<String>::new());
}

/// An upgrade killed before its copy `nf.db.v1.bak` has its name, or after it but before
/// the upgrade commits: the next run upgrades, keeps one `nf.db.v1.bak` (never a
/// `nf.db.v1.2.bak` beside the first one's copy) and leaves no temporary.
#[test]
fn a_killed_upgrade_leaves_one_copy_and_no_temporary() {
    for point in [
        "upgrade:before-backup-rename",
        "files:before-rename",
        "upgrade:after-backup",
        "upgrade:before-commit",
    ] {
        let d = Dir::new();
        std::fs::copy(fixture("schema-v1.db"), d.join(DB)).unwrap();
        killed_at(&d, point, &["worker", "list"]);
        assert_eq!(d.int("PRAGMA user_version"), 1, "{point}");
        let o = d.nf(&["worker", "list"]).ok();
        o.stderr_has(&["；升级前的文件保存在 nf.db.v1.bak\n"]);
        assert_eq!(
            names(&d),
            vec!["nf.db".to_string(), "nf.db.v1.bak".to_string()],
            "{point}"
        );
        assert_eq!(d.int_in("nf.db.v1.bak", "PRAGMA user_version"), 1);
        d.nf(&["check"]).ok();
    }
}

/// No output is written through a symbolic link: a dangling one is refused, and the file
/// it points to is never made.
#[test]
fn outputs_never_follow_a_dangling_symlink() {
    let d = crate::util::district();
    let cases: [(&str, &[&str]); 4] = [
        ("t.xlsx", &["template", "workers", "-o", "t.xlsx"]),
        ("t.csv", &["template", "workers", "-o", "t.csv"]),
        ("b.db", &["backup", "b.db"]),
        (
            "r.xlsx",
            &[
                "report", "district", "--month", "2025-07", "--format", "xlsx", "-o", "r.xlsx",
            ],
        ),
    ];
    for (name, args) in cases {
        std::os::unix::fs::symlink(d.join("elsewhere"), d.join(name)).unwrap();
        let o = d.nf(args).code(1);
        assert_eq!(
            o.stderr,
            format!(
                "错误：{name} 是一个符号链接 — 程序不通过链接写文件：换一个文件名，或先删掉这个链接\n"
            ),
            "{args:?}"
        );
        assert!(!d.exists("elsewhere"), "{args:?}");
        std::fs::remove_file(d.join(name)).unwrap();
    }
    d.write(
        "w.csv",
        "姓名,手机号,从业类型,所属街道\n张三,123,快递员,柳巷\n",
    );
    std::os::unix::fs::symlink(d.join("elsewhere"), d.join("rej.csv")).unwrap();
    let o = d
        .nf(&[
            "import",
            "workers",
            "w.csv",
            "--skip-invalid",
            "--rejects",
            "rej.csv",
        ])
        .code(1);
    o.stderr_has(&["rej.csv 是一个符号链接 — 程序不通过链接写文件"]);
    assert!(!d.exists("elsewhere"));
}

/// A registry other users can read is named by `check`; `init` makes it private and says so.
#[test]
fn a_registry_readable_by_others_is_named_and_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let d = crate::util::district();
    std::fs::set_permissions(d.join(DB), std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = d.nf(&["check"]).code(1);
    o.stdout_has(&[
        "nf.db 的权限是 644：别的用户也能读（台账里有身份证号和手机号）— 运行 chmod 600 ",
    ]);
    let o = d.nf(&["init"]).ok();
    o.stderr_has(&[
        "nf.db：文件原来的权限是 644（别的用户也能读），已改为 600（只有本人能读写）\n",
    ]);
    assert_eq!(d.mode(DB), 0o600);
    d.nf(&["check"]).ok();
}

/// An upgrade makes a registry other users can read private, and says so.
#[test]
fn an_upgrade_makes_the_registry_private() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    std::fs::copy(fixture("schema-v1.db"), d.join(DB)).unwrap();
    std::fs::set_permissions(d.join(DB), std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = d.nf(&["worker", "list"]).ok();
    o.stderr_has(&[
        "nf.db：文件原来的权限是 644（别的用户也能读），已改为 600（只有本人能读写）\n",
    ]);
    assert_eq!(d.mode(DB), 0o600);
    assert_eq!(d.mode("nf.db.v1.bak"), 0o600);
}

/// An export, a template and a rejects file killed before their rename leave nothing under
/// their name; the next run writing the same file removes the temporary and writes it whole.
#[test]
fn a_killed_export_leaves_no_partial_file_and_the_next_run_cleans_up() {
    let d = crate::util::district();
    d.write(
        "w.csv",
        "姓名,手机号,从业类型,所属街道\n张三,123,快递员,柳巷\n",
    );
    let cases: [(&str, &[&str]); 4] = [
        (
            "r.xlsx",
            &[
                "report", "district", "--month", "2025-07", "--format", "xlsx", "-o", "r.xlsx",
            ],
        ),
        (
            "list.csv",
            &["worker", "list", "--format", "csv", "-o", "list.csv"],
        ),
        ("t.xlsx", &["template", "workers", "-o", "t.xlsx"]),
        (
            "rej.csv",
            &[
                "import",
                "workers",
                "w.csv",
                "--skip-invalid",
                "--rejects",
                "rej.csv",
            ],
        ),
    ];
    for (name, args) in cases {
        let before = names(&d);
        killed_at(&d, "files:before-rename", args);
        assert!(!d.exists(name), "{args:?}");
        let left = temporaries(&d);
        assert_eq!(left.len(), 1, "{args:?}: {left:?}");
        assert!(
            left[0].starts_with(&format!(".{name}.nuanfeng-tmp-")),
            "{left:?}"
        );
        d.nf(args).ok();
        assert!(d.exists(name), "{args:?}");
        assert_eq!(temporaries(&d), Vec::<String>::new(), "{args:?}");
        let mut want = before;
        want.push(name.to_string());
        want.sort();
        assert_eq!(names(&d), want, "{args:?}");
    }
}

/// A purge killed at whatever moment (a few delays after its start: before it opens the
/// registry, during its transaction, its VACUUM, or after it ended): after the next command,
/// no purged number is in the file, nothing is pending, and `check` passes. What holds does
/// not depend on where the kill landed.
#[test]
fn a_purge_killed_at_any_moment_leaves_no_purged_number_after_the_next_command() {
    for delay_ms in [0u64, 10, 30, 60, 120] {
        let d = departed();
        let mut child = std::process::Command::new(crate::util::BIN)
            .current_dir(d.path())
            .env_remove("NUANFENG_DB")
            .env_remove("NUANFENG_KILL_AT")
            .args(["--db", DB, "worker", "purge", "--left-before", "2025-09-01"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run nuanfeng");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        d.nf(&["worker", "list"]).ok();
        let purged = d.int("SELECT count(*) FROM workers WHERE purged_on IS NOT NULL");
        assert!(purged == 0 || purged == 2, "{delay_ms} ms: {purged}");
        if purged == 2 {
            assert_eq!(purged_in(&d, DB), Vec::<&str>::new(), "{delay_ms} ms");
        }
        assert_eq!(d.int("SELECT count(*) FROM pending_erasures"), 0);
        d.nf(&["check"]).ok();
    }
}
