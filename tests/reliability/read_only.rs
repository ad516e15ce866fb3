//! A registry SQLite may read but not write, and why, told by the file system: the file's own
//! permissions, a folder the user may not create the journal in (the registry is the user's
//! own: running as its owner is no fix, the folder is named), or a disk mounted read-only.
//! Every case exits 1, changes nothing, and leaves no journal.
//!
//! Root, whom no permission stops, runs the binary as `nobody` (with `setpriv` or `runuser`):
//! the folder stays root's and the file is nobody's, as the user found it. Any other user runs
//! it as itself on its own folder or file made read-only. Mounting a read-only disk needs
//! root. Where a case cannot run, its test says so and passes without running.

use std::path::Path;
use std::process::Command;

use super::full_disk::Mounted;
use crate::util::{BIN, DB, Dir, Output, district};

/// A check-in of the district's worker 郭志伟, for `import checkins`.
const CHECKINS: &str = "手机号,报到日期,报到街道,报到社区,事项\n\
                        13623517804,2025-11-25,柳巷街道,宁化府社区居委会,日常报到\n";

/// The same check-in, typed: the arguments after `--db FILE`.
const CHECKIN_ADD: [&str; 5] = ["checkin", "add", "13623517804", "--date", "2025-11-25"];

/// The user `nobody`, to run the binary as: its ids, and the tool that switches to it.
struct Nobody {
    uid: u32,
    gid: u32,
    /// `setpriv` (preferred) or `runuser`.
    tool: &'static str,
}

impl Nobody {
    /// `nobody`, when this test runs as root, the user exists and `setpriv` or `runuser` is
    /// there; else why not.
    fn find() -> Result<Self, String> {
        if !rustix::process::geteuid().is_root() {
            return Err("not running as root".into());
        }
        let passwd = std::fs::read_to_string("/etc/passwd").map_err(|e| e.to_string())?;
        let (uid, gid) = passwd
            .lines()
            .find_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.len() > 3 && f[0] == "nobody").then(|| (f[2].parse().ok(), f[3].parse().ok()))
            })
            .and_then(|(u, g)| Some((u?, g?)))
            .ok_or("no user nobody in /etc/passwd")?;
        let has = |tool: &str| {
            Command::new(tool)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        };
        let tool = ["setpriv", "runuser"]
            .into_iter()
            .find(|t| has(t))
            .ok_or("neither setpriv nor runuser is installed")?;
        Ok(Self { uid, gid, tool })
    }

    /// Gives the file or folder `name` in `d` to `nobody`.
    fn own(&self, d: &Dir, name: &str) {
        std::os::unix::fs::chown(d.join(name), Some(self.uid), Some(self.gid))
            .unwrap_or_else(|e| panic!("chown {name}: {e}"));
    }

    /// Runs the binary as `nobody` in `d` with `args`, whatever the exit code.
    fn run(&self, d: &Dir, args: &[&str]) -> Output {
        self.run_in(d.path(), args)
    }

    /// Runs the binary as `nobody` in the folder `dir` with `args`, whatever the exit code.
    fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(self.tool);
        if self.tool == "setpriv" {
            cmd.arg(format!("--reuid={}", self.uid))
                .arg(format!("--regid={}", self.gid))
                .arg("--clear-groups");
        } else {
            cmd.args(["-u", "nobody", "--"]);
        }
        cmd.arg(BIN)
            .args(args)
            .current_dir(dir)
            .env("RUST_BACKTRACE", "0")
            .env_remove("NUANFENG_DB");
        let o = cmd.output().expect("run the binary as nobody");
        Output {
            command: format!("{} … nuanfeng {}", self.tool, args.join(" ")),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            raw_stdout: o.stdout,
        }
    }
}

/// `nobody`, or `None` after saying why the test cannot run here.
fn nobody() -> Option<Nobody> {
    Nobody::find()
        .inspect_err(|why| eprintln!("skipped: cannot run the binary as nobody ({why})"))
        .ok()
}

/// Sets the permission bits of `name` in `d`.
fn chmod(d: &Dir, name: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join(name), std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {name}: {e}"));
}

/// The district with its registry moved to `perm/nf.db` and the check-in register beside
/// it, all readable by every user.
fn district_in_perm() -> Dir {
    let d = district();
    chmod(&d, ".", 0o755);
    std::fs::create_dir(d.join("perm")).expect("mkdir perm");
    std::fs::rename(d.join(DB), d.join("perm/nf.db")).expect("move the registry");
    d.write("x.csv", CHECKINS);
    d
}

/// The check-ins in the registry at `name`.
fn checkins(d: &Dir, name: &str) -> i64 {
    d.int_in(name, "SELECT count(*) FROM checkins")
}

/// Runs `import checkins x.csv` and `checkin add` on the registry at `db` through `run`;
/// both must fail with `message` (`[Chinese, English]`), changing nothing and leaving no
/// journal.
fn both_refused(d: &Dir, db: &str, message: [&str; 2], run: impl Fn(&[&str]) -> Output) {
    let before = checkins(d, db);
    let [zh, message] = message;
    let o = run(&["--db", db, "import", "checkins", "x.csv"]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(o.stderr.ends_with(&format!("{zh}\n")), "{}", o.stderr);
    o.stderr_has(&["x.csv"]);
    let mut add = vec!["--db", db];
    add.extend(CHECKIN_ADD);
    let o = run(&add);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert_eq!(o.stderr, format!("错误：{zh}\n"));
    assert_eq!(crate::util::english_run(zh), None, "{zh}");
    // The same in English.
    let o = run(&["--lang", "en", "--db", db, "import", "checkins", "x.csv"]);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert_eq!(
        o.stderr,
        format!("x.csv: read as UTF-8\nerror: x.csv: nothing was imported: {message}\n")
    );
    let mut add = vec!["--lang", "en", "--db", db];
    add.extend(CHECKIN_ADD);
    let o = run(&add);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert_eq!(o.stderr, format!("error: {message}\n"));
    assert_eq!(checkins(d, db), before, "nothing changed");
    assert!(!d.exists(&format!("{db}-journal")));
}

#[test]
fn a_writable_registry_in_a_folder_its_user_may_not_write_names_the_folder() {
    let d = district_in_perm();
    let message = [
        "台账文件 perm/nf.db 无法修改：所在文件夹 perm 对当前用户只读，而 SQLite 要在那里建立日志\
         文件 nf.db-journal — 没有改动任何内容；台账要放在当前用户能写的文件夹里：用 nuanfeng --db \
         perm/nf.db backup FOLDER/nf.db 复制一份到这样的文件夹并改用副本，或请人把 perm 设为当前\
         用户可写",
        "perm/nf.db cannot be changed: its folder perm is read-only for this user, and SQLite \
         must create its journal (nf.db-journal) there — nothing was changed; the registry must \
         live in a folder this user may write: copy it to one with `nuanfeng --db perm/nf.db \
         backup FOLDER/nf.db` and use the copy, or have perm made writable for this user",
    ];
    if !rustix::process::geteuid().is_root() {
        // The user's own folder, made read-only.
        chmod(&d, "perm", 0o555);
        both_refused(&d, "perm/nf.db", message, |args| d.bare().args(args).run());
        chmod(&d, "perm", 0o755);
        return;
    }
    let Some(nobody) = nobody() else { return };
    // perm stays root's (755); the registry is nobody's, and writable by it.
    nobody.own(&d, "perm/nf.db");
    both_refused(&d, "perm/nf.db", message, |args| nobody.run(&d, args));
    // The fix it gives works: a copy in a folder of nobody's takes the check-in.
    std::fs::create_dir(d.join("mine")).expect("mkdir mine");
    nobody.own(&d, "mine");
    let o = nobody.run(&d, &["--db", "perm/nf.db", "backup", "mine/nf.db"]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let mut add = vec!["--db", "mine/nf.db"];
    add.extend(CHECKIN_ADD);
    let o = nobody.run(&d, &add);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(checkins(&d, "mine/nf.db"), checkins(&d, "perm/nf.db") + 1);
}

#[test]
fn a_registry_in_the_current_folder_names_the_folder_in_full() {
    let Some(nobody) = nobody() else { return };
    let d = district_in_perm();
    nobody.own(&d, "perm/nf.db");
    // Run inside perm, with --db nf.db: "its folder ." would say nothing.
    let perm = d.join("perm");
    let mut add = vec!["--db", "nf.db"];
    add.extend(CHECKIN_ADD);
    let o = nobody.run_in(&perm, &add);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    let folder = perm.display();
    assert_eq!(
        o.stderr,
        format!(
            "错误：台账文件 nf.db 无法修改：所在文件夹 {folder} 对当前用户只读，而 SQLite 要在那里\
             建立日志文件 nf.db-journal — 没有改动任何内容；台账要放在当前用户能写的文件夹里：用 \
             nuanfeng --db nf.db backup FOLDER/nf.db 复制一份到这样的文件夹并改用副本，或请人把 \
             {folder} 设为当前用户可写\n"
        )
    );
    let mut add = vec!["--lang", "en", "--db", "nf.db"];
    add.extend(CHECKIN_ADD);
    let o = nobody.run_in(&perm, &add);
    assert_eq!(
        o.stderr,
        format!(
            "error: nf.db cannot be changed: its folder {folder} is read-only for this user, \
             and SQLite must create its journal (nf.db-journal) there — nothing was changed; \
             the registry must live in a folder this user may write: copy it to one with \
             `nuanfeng --db nf.db backup FOLDER/nf.db` and use the copy, or have {folder} made \
             writable for this user\n"
        )
    );
}

#[test]
fn a_registry_on_a_read_only_disk_says_the_disk() {
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: mounting a disk needs root");
        return;
    }
    let d = district();
    d.write("x.csv", CHECKINS);
    let disk = match Mounted::tmpfs(&d.join("disk"), 4096) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: a tmpfs cannot be mounted here ({why})");
            return;
        }
    };
    std::fs::copy(d.join(DB), d.join("disk/nf.db")).expect("copy the registry onto the disk");
    if let Err(why) = disk.read_only() {
        eprintln!("skipped: the tmpfs cannot be remounted read-only ({why})");
        return;
    }
    let message = [
        "台账文件 disk/nf.db 在只读磁盘上（磁盘以只读方式挂载，或是写保护的存储卡、U 盘）— 没有改动\
         任何内容；用 nuanfeng --db disk/nf.db backup FOLDER/nf.db 复制到可写的磁盘，改用副本",
        "disk/nf.db is on a read-only disk (mounted read-only, or a write-protected card or \
         stick) — nothing was changed; copy it to a writable disk with `nuanfeng --db disk/nf.db \
         backup FOLDER/nf.db` and use the copy",
    ];
    both_refused(&d, "disk/nf.db", message, |args| d.bare().args(args).run());
}

#[test]
fn a_read_only_file_keeps_saying_its_permissions() {
    let d = district_in_perm();
    chmod(&d, "perm/nf.db", 0o444);
    let message = [
        "台账文件 perm/nf.db 只能读、不能写（文件权限，或所在文件夹、磁盘只读）— 没有改动任何内容；\
         请用台账所有者的账户运行，或用 nuanfeng backup 复制到可写的位置",
        "perm/nf.db can be read but not written by this user (its permissions, a read-only \
         folder or disk) — nothing was changed; run as the registry's owner, or copy it \
         somewhere writable with `nuanfeng backup`",
    ];
    if !rustix::process::geteuid().is_root() {
        both_refused(&d, "perm/nf.db", message, |args| d.bare().args(args).run());
        return;
    }
    // Root writes whatever the permissions say: the file and its folder go to nobody, so
    // that only the file's own permissions stop the write.
    let Some(nobody) = nobody() else { return };
    nobody.own(&d, "perm");
    nobody.own(&d, "perm/nf.db");
    both_refused(&d, "perm/nf.db", message, |args| nobody.run(&d, args));
}
