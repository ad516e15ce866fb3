//! A disk that fills up during an import: the registry lives on a small tmpfs, and a register
//! of 20,000 check-ins needs more room than is left. The import stops with a message that
//! names the full disk, nothing of the file lands (with `--skip-invalid` too: a failed write
//! is not a bad row), and `nuanfeng check` passes afterwards. `init` and `demo`, which create
//! the registry, leave no file behind on a disk too small for it.
//!
//! Mounting a tmpfs needs root (CI runs as root); where it is not permitted, each test says
//! so and passes without running.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::bulk;
use crate::util::{DB, Dir};

/// Room left on the small disk beyond the registry file, in KiB: less than the check-ins need,
/// more than the journal of the first pages.
const HEADROOM_KIB: u64 = 256;

/// A page cache small enough that the import spills changed pages into the file (and its
/// journal) long before it commits: the disk fills in the middle of the rows.
const SMALL_CACHE_KIB: &str = "256";

/// A tmpfs mounted on a folder, unmounted when dropped.
pub(super) struct Mounted(PathBuf);

impl Mounted {
    /// Mounts a tmpfs of `kib` KiB on `at`; `Err` with the reason when it cannot be mounted.
    pub(super) fn tmpfs(at: &Path, kib: u64) -> Result<Self, String> {
        std::fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).trim().to_string());
        }
        Ok(Self(at.to_path_buf()))
    }

    /// Remounts the disk read-only; `Err` with the reason when it cannot be.
    pub(super) fn read_only(&self) -> Result<(), String> {
        let o = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).trim().to_string());
        }
        Ok(())
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The district with its workers, its registry moved onto a small disk (`disk/nf.db`) with
/// [`HEADROOM_KIB`] to spare, and the generated register beside it on the ordinary disk.
/// `None` (after saying why) when no tmpfs can be mounted here.
fn district_on_a_small_disk() -> Option<(Dir, Mounted)> {
    let d = crate::util::district();
    bulk::write_register(&d);
    let size = std::fs::metadata(d.join(DB)).expect("the registry").len();
    let kib = size.div_ceil(1024) + HEADROOM_KIB;
    let disk = match Mounted::tmpfs(&d.join("disk"), kib) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: a small tmpfs cannot be mounted here ({why})");
            return None;
        }
    };
    std::fs::copy(d.join(DB), d.join("disk/nf.db")).expect("copy the registry onto the disk");
    Some((d, disk))
}

/// What the registry on the small disk holds: check-ins, import batches, workers.
fn counts(d: &Dir) -> (i64, i64, i64) {
    let n = |sql| d.int_in("disk/nf.db", sql);
    (
        n("SELECT count(*) FROM checkins"),
        n("SELECT count(*) FROM import_batches"),
        n("SELECT count(*) FROM workers"),
    )
}

/// Imports the generated register into the registry on the small disk, with `args` after
/// the file name and the page cache shrunk when `small_cache`; it must fail on the full disk,
/// leave the registry as it was, and `check` must pass.
fn import_fills_the_disk(args: &[&str], small_cache: bool) {
    let Some((d, _disk)) = district_on_a_small_disk() else {
        return;
    };
    let before = counts(&d);
    assert_eq!(before.0, 0);
    let mut import = d.bare();
    import.args(&["--db", "disk/nf.db", "import", "checkins", bulk::FILE]);
    import.args(args);
    if small_cache {
        import.env("NUANFENG_CACHE_KIB", SMALL_CACHE_KIB);
    }
    let o = import.run();
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    o.stderr_has(&[
        bulk::FILE,
        "存放 disk/nf.db 的磁盘已满：没有写入任何内容 — 腾出空间后再试\n",
    ]);
    // SQLite's own words are not the message.
    assert!(
        !o.stderr.contains("database or disk is full"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("rejected"), "{}", o.stderr);
    // The file is whole again, its journal played back, before the program ends.
    assert!(!d.exists("disk/nf.db-journal"));
    assert_eq!(counts(&d), before, "nothing of the file landed");
    // A failed write is not a bad row: the rejects file holds its header only, when the
    // disk filled at the commit, after it was written; none is left when the disk filled
    // while it was being written (it is written whole or not at all), nor its temporary.
    if args.contains(&"--rejects") {
        if d.exists("bad.csv") {
            let rejects = String::from_utf8(d.read("bad.csv")).expect("UTF-8");
            assert_eq!(rejects.lines().count(), 1, "{rejects}");
        }
        assert!(
            std::fs::read_dir(d.path()).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("nuanfeng-tmp")),
            "a temporary is left"
        );
    }
    d.bare()
        .args(&["--db", "disk/nf.db", "check"])
        .ok()
        .stderr_has(&["disk/nf.db：全部检查通过"]);
}

#[test]
fn a_disk_that_fills_mid_import_lands_nothing_and_says_so() {
    import_fills_the_disk(&[], true);
}

#[test]
fn a_disk_that_fills_mid_import_lands_nothing_with_skip_invalid_either() {
    import_fills_the_disk(&["--skip-invalid", "--rejects", "bad.csv"], true);
}

#[test]
fn a_disk_that_fills_at_commit_lands_nothing_with_skip_invalid_either() {
    import_fills_the_disk(&["--skip-invalid", "--rejects", "bad.csv"], false);
}

/// A tmpfs of `kib` KiB mounted on `name` in `d`, or `None` after saying why it cannot be.
fn small_disk(d: &Dir, name: &str, kib: u64) -> Option<Mounted> {
    Mounted::tmpfs(&d.join(name), kib)
        .inspect_err(|why| eprintln!("skipped: a small tmpfs cannot be mounted here ({why})"))
        .ok()
}

/// The names of the files in the folder `name` of `d`.
fn listing(d: &Dir, name: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(d.join(name))
        .expect("read the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn init_on_a_full_disk_leaves_no_empty_file_behind() {
    let d = Dir::new();
    let Some(_disk) = small_disk(&d, "small", 300) else {
        return;
    };
    // Twice: a first init that left a 0-byte file made the second fail the same way.
    for run in 1..=2 {
        let o = d
            .bare()
            .args(&["--db", "small/nf.db", "init", "--district", "140106"])
            .code(1);
        assert_eq!(
            o.stderr, "错误：存放 small/nf.db 的磁盘已满：没有写入任何内容 — 腾出空间后再试\n",
            "run {run}"
        );
        assert_eq!(listing(&d, "small"), Vec::<String>::new(), "run {run}");
    }
}

#[test]
fn demo_on_a_disk_that_fills_while_building_leaves_no_file_behind() {
    let d = Dir::new();
    // Room for the new registry's schema, not for the sample district.
    let Some(_disk) = small_disk(&d, "small", 1300) else {
        return;
    };
    let o = d.bare().args(&["--db", "small/demo.db", "demo"]).code(1);
    assert!(
        o.stderr
            .ends_with("错误：存放 small/demo.db 的磁盘已满：没有写入任何内容 — 腾出空间后再试\n"),
        "{}",
        o.stderr
    );
    assert_eq!(o.stdout, "");
    assert_eq!(listing(&d, "small"), Vec::<String>::new());
}

/// A purge on a disk with room for its own commit but not for the VACUUM that rewrites the
/// file: the purge says it erased the workers but could not rewrite the file, `check` names
/// the unfinished erasure, and once there is room the next command finishes it, leaving no
/// purged number in the file's bytes.
#[test]
fn a_purge_on_a_full_disk_says_its_erasure_is_unfinished_and_the_next_command_finishes_it() {
    let d = super::interrupted::departed();
    let size = std::fs::metadata(d.join(DB)).expect("the registry").len();
    let kib = size.div_ceil(1024) + PURGE_HEADROOM_KIB;
    let disk = match Mounted::tmpfs(&d.join("disk"), kib) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: a small tmpfs cannot be mounted here ({why})");
            return;
        }
    };
    std::fs::copy(d.join(DB), d.join("disk/nf.db")).expect("copy the registry onto the disk");
    let o = d
        .bare()
        .args(&[
            "--db",
            "disk/nf.db",
            "worker",
            "purge",
            "--left-before",
            "2025-09-01",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：已清除 2 名在 2025-09-01 之前离职的从业人员，但存放 disk/nf.db 的磁盘已满，没能重写文件 — \
         清除的号码可能还留在文件里；腾出磁盘空间（需要与台账同样大小的空间）后运行任一命令，它会先完成\
         清除\n"
    );
    assert!(!d.exists("disk/nf.db-journal"));
    d.bare()
        .args(&["--db", "disk/nf.db", "check"])
        .code(1)
        .stdout_has(&["，2 人）没有做完"]);
    // Room again: the registry moved back to the ordinary disk.
    std::fs::copy(d.join("disk/nf.db"), d.join("back.db")).unwrap();
    drop(disk);
    let o = d.bare().args(&["--db", "back.db", "worker", "list"]).ok();
    o.stderr_has(&["，2 人）没有做完，现已完成"]);
    let bytes = d.read("back.db");
    for s in super::interrupted::PURGED {
        assert!(
            !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
            "{s} is in the file"
        );
    }
    d.bare().args(&["--db", "back.db", "check"]).ok();
}

/// Room beyond the registry for the purge's own journal, not for the VACUUM's, in KiB.
const PURGE_HEADROOM_KIB: u64 = 384;

/// Fills the disk mounted on `name` in `d` to the last byte with a file `fill`.
fn fill(d: &Dir, name: &str) {
    let mut f = std::fs::File::create(d.join(name).join("fill")).expect("the filler");
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    // The last partial block, byte by byte.
    while std::io::Write::write_all(&mut f, &[0]).is_ok() {}
}

/// A typed record on a full disk is the disk's failure, in words, never a row's
/// ("--name: 测试: cannot be stored") nor SQLite's ("database or disk is full").
#[test]
fn typed_records_on_a_full_disk_say_the_disk_is_full() {
    let d = crate::util::district();
    let size = std::fs::metadata(d.join(DB)).expect("the registry").len();
    let Some(_disk) = small_disk(&d, "disk", size.div_ceil(1024) + 64) else {
        return;
    };
    std::fs::copy(d.join(DB), d.join("disk/nf.db")).expect("copy the registry onto the disk");
    fill(&d, "disk");
    let before = std::fs::read(d.join("disk/nf.db")).expect("the registry");
    let full = "错误：存放 disk/nf.db 的磁盘已满：没有写入任何内容 — 腾出空间后再试\n";
    for args in [
        &[
            "worker",
            "add",
            "--name",
            "测试",
            "--phone",
            "13623518847",
            "--occupation",
            "外卖员",
            "--street",
            "柳巷街道",
        ][..],
        &["checkin", "add", "13623517804", "--date", "2025-07-01"],
        &["points", "adjust", "13623517804", "5", "--reason", "补录"],
    ] {
        let o = d.bare().args(&["--db", "disk/nf.db"]).args(args).code(1);
        assert_eq!(o.stderr, full, "{args:?}");
        assert_eq!(o.stdout, "", "{args:?}");
    }
    assert_eq!(
        std::fs::read(d.join("disk/nf.db")).expect("the registry"),
        before
    );
    assert_eq!(listing(&d, "disk"), ["fill", "nf.db"]);
}

/// A copy or a workbook written onto a full disk names that disk's file, not the registry's,
/// and leaves nothing behind.
#[test]
fn a_backup_or_a_workbook_onto_a_full_disk_names_what_could_not_be_written() {
    let d = crate::util::district();
    let Some(_disk) = small_disk(&d, "disk", 64) else {
        return;
    };
    fill(&d, "disk");
    let o = d.nf(&["backup", "disk/copy.db"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：存放 disk/copy.db 的磁盘已满：没有写入任何内容 — 腾出空间后再试\n"
    );
    let o = d
        .nf(&[
            "report",
            "streets",
            "--month",
            "2025-07",
            "--format",
            "xlsx",
            "-o",
            "disk/r.xlsx",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：无法写入 disk/r.xlsx: 磁盘已满：没有写入任何内容 — 腾出空间后再试\n"
    );
    let o = d
        .nf(&["worker", "list", "--format", "csv", "-o", "disk/w.csv"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：无法写入 disk/w.csv: 磁盘已满：没有写入任何内容 — 腾出空间后再试\n"
    );
    let o = d.nf(&["template", "workers", "-o", "disk/t.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：写不进 disk/t.xlsx: 磁盘已满：没有写入任何内容 — 腾出空间后再试\n"
    );
    assert_eq!(listing(&d, "disk"), ["fill"]);
}
