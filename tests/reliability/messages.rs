//! The registry's common mistakes, said in Chinese by default and in today's English with
//! `--lang en`: a registry that is not there (naming the one meant), a registry another
//! program holds, a registry file this user may not write. The Chinese holds no English
//! sentence. (`check` on a sound and a damaged registry: `check.rs`.)

use crate::util::{Dir, english_run};

#[test]
fn a_missing_registry_names_the_one_meant_in_both_languages() {
    let d = Dir::new();
    d.bare().args(&["--db", "nf2.db", "init"]).ok();
    let o = d.nf(&["worker", "list"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：找不到台账文件 nf.db — 先运行 nuanfeng init 新建：nuanfeng --db nf.db init --district 140106\
         （或导入一份台账），或用 --db 或 NUANFENG_DB 指定已有的文件（是不是 nf2.db？）\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    assert!(!d.exists("nf.db"));
    let o = d.nf(&["--lang", "en", "worker", "list"]).code(1);
    assert_eq!(
        o.stderr,
        "error: no database at nf.db — create it with `nuanfeng init`: `nuanfeng --db nf.db init \
         --district 140106` (or import a register), or point NUANFENG_DB at an existing file — did you mean \
         --db nf2.db?\n"
    );
    // The language also comes from NUANFENG_LANG; nothing near the name, no guess.
    let o = d
        .bare()
        .args(&["--db", "暖蜂台账汇总.db", "worker", "list"])
        .env("NUANFENG_LANG", "en_US.UTF-8")
        .code(1);
    assert_eq!(
        o.stderr,
        "error: no database at 暖蜂台账汇总.db — create it with `nuanfeng init`: `nuanfeng --db 暖蜂台账汇总.db init \
         --district 140106` (or import a register), or point NUANFENG_DB at an existing file\n"
    );
    // A registry in another folder is named as the path names it.
    std::fs::create_dir(d.join("台账")).unwrap();
    d.bare().args(&["--db", "台账/2025.db", "init"]).ok();
    let o = d
        .bare()
        .args(&["--db", "台账/2052.db", "checkin", "list"])
        .code(1);
    o.stderr_has(&["找不到台账文件 台账/2052.db", "（是不是 台账/2025.db？）\n"]);
}

#[test]
fn a_registry_another_program_holds_is_named_in_both_languages() {
    let d = Dir::new();
    d.init();
    let holder = d.conn();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let o = d
        .nf(&["worker", "list"])
        .env("NUANFENG_BUSY_TIMEOUT_MS", "200")
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：台账文件 nf.db 正被另一个程序占用（已等待 0.2 秒）— 可能是另一个 nuanfeng、数据库工具\
         （Navicat 等）或同步盘（OneDrive、坚果云、Dropbox）；关掉它或等它结束后再试\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    let o = d
        .nf(&["--lang", "en", "worker", "list"])
        .env("NUANFENG_BUSY_TIMEOUT_MS", "1500")
        .code(1);
    assert_eq!(
        o.stderr,
        "error: nf.db is locked by another program — another nuanfeng, a database browser (DB \
         Browser for SQLite, Navicat) or a sync client (OneDrive, 坚果云, Dropbox) holding the \
         file; close it and try again (waited 1.5 s)\n"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    d.nf(&["worker", "list"]).ok();
}

#[cfg(unix)]
#[test]
fn a_read_only_registry_file_is_named_in_both_languages() {
    use std::os::unix::fs::PermissionsExt;
    if rustix::process::geteuid().is_root() {
        eprintln!(
            "skipped: root writes a file whatever its permissions (read_only.rs runs as nobody)"
        );
        return;
    }
    let d = Dir::new();
    d.nf(&["init"]).ok();
    std::fs::set_permissions(d.join("nf.db"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = d.read("nf.db");
    let o = d.nf(&["init", "--district", "140106"]).code(1);
    assert_eq!(
        o.stderr,
        "nf.db 已经是台账\n错误：台账文件 nf.db 只能读、不能写（文件权限，或所在文件夹、磁盘只读）— \
         没有改动任何内容；请用台账所有者的账户运行，或用 nuanfeng backup 复制到可写的位置\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    let o = d
        .nf(&["--lang", "en", "init", "--district", "140106"])
        .code(1);
    assert_eq!(
        o.stderr,
        "nf.db is already a registry\nerror: nf.db can be read but not written by this user \
         (its permissions, a read-only folder or disk) — nothing was changed; run as the \
         registry's owner, or copy it somewhere writable with `nuanfeng backup`\n"
    );
    assert_eq!(d.read("nf.db"), before, "a read-only registry was changed");
}

#[test]
fn a_registry_made_by_a_newer_build_is_named_in_both_languages() {
    let d = Dir::new();
    d.nf(&["init"]).ok();
    d.conn().execute_batch("PRAGMA user_version = 99").unwrap();
    let o = d.nf(&["worker", "list"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：台账文件 nf.db 无法使用: 它是更新版本的 nuanfeng 建立的（结构版本 99，本版本最高只认识 \
         19）— 请用新版本的 nuanfeng\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    let o = d.nf(&["--lang", "en", "worker", "list"]).code(1);
    assert_eq!(
        o.stderr,
        "error: nf.db cannot be used: it was made by a newer nuanfeng (schema version 99; this \
         build knows up to 19) — use the newer nuanfeng\n"
    );
}
