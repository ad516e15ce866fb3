//! Output targets that are not regular files (issue 17): a named pipe, a folder, a symbolic
//! link at an output's name is refused, also with `--force`, and is left as it was.

use std::os::unix::fs::FileTypeExt;

/// The commands that write `-o NAME --force`.
fn forced(name: &str) -> [Vec<&str>; 4] {
    [
        vec!["worker", "list", "-o", name, "--force"],
        vec![
            "report", "streets", "--month", "2025-07", "--format", "xlsx", "-o", name, "--force",
        ],
        vec![
            "report", "district", "--month", "2025-07", "--format", "xlsx", "-o", name, "--force",
        ],
        vec![
            "report", "district", "--month", "2025-07", "--format", "docx", "-o", name, "--force",
        ],
    ]
}

/// A named pipe at an output's name is refused with `--force` and stays a pipe.
#[test]
fn force_never_replaces_a_fifo() {
    let d = crate::util::district();
    for (i, args) in forced("").iter().enumerate() {
        let ext = ["csv", "xlsx", "xlsx", "docx"][i];
        let name = format!("p{i}.{ext}");
        let mut args = args.clone();
        let at = args.iter().position(|a| a.is_empty()).unwrap();
        args[at] = &name;
        let made = std::process::Command::new("mkfifo")
            .arg(d.join(&name))
            .status()
            .unwrap();
        assert!(made.success());
        let o = d.nf(&args).code(1);
        assert_eq!(
            o.stderr,
            format!(
                "错误：{name} 是一个命名管道（FIFO），不是普通文件 — 程序只写普通文件，加 --force 也不替换它：换一个文件名\n"
            ),
            "{args:?}"
        );
        let ft = std::fs::symlink_metadata(d.join(&name))
            .unwrap()
            .file_type();
        assert!(ft.is_fifo(), "{args:?}");
    }
}

/// A symbolic link to an existing file at a report's name is refused with `--force`, as at
/// every other output: the link and its file stay as they were.
#[test]
fn force_never_replaces_a_symlink_to_a_file() {
    let d = crate::util::district();
    d.write("real.bin", "old");
    for (i, args) in forced("").iter().enumerate() {
        let ext = ["csv", "xlsx", "xlsx", "docx"][i];
        let name = format!("l{i}.{ext}");
        let mut args = args.clone();
        let at = args.iter().position(|a| a.is_empty()).unwrap();
        args[at] = &name;
        std::os::unix::fs::symlink(d.join("real.bin"), d.join(&name)).unwrap();
        let o = d.nf(&args).code(1);
        assert_eq!(
            o.stderr,
            format!(
                "错误：{name} 是一个符号链接 — 程序不通过链接写文件：换一个文件名，或先删掉这个链接\n"
            ),
            "{args:?}"
        );
        let meta = std::fs::symlink_metadata(d.join(&name)).unwrap();
        assert!(meta.file_type().is_symlink(), "{args:?}");
        assert_eq!(d.read("real.bin"), b"old");
    }
}

/// A rollback journal whose header is zeroed (a writer killed before its first sync) is not
/// hot: `restore` takes the file beside it; `check` names one beside the registry; the next
/// command removes it, and a `restore` over the registry removes it too.
#[test]
fn a_journal_that_is_not_hot_is_no_obstacle_and_does_not_stay() {
    let idle: &[u8] = b"\0\0\0\0\0\0\0\0 old pages 15903514426";
    let d = crate::util::district();
    d.nf(&["backup", "copy.db"]).ok();
    d.write("copy.db-journal", idle);
    let o = d.nf(&["-q", "restore", "copy.db"]).ok();
    assert_eq!(o.stderr, "");
    d.write("nf.db-journal", idle);
    let o = d.nf(&["check"]).code(1);
    o.stdout_has(&[
        "nf.db-journal：被中断的写入留下的回滚日志，已不起作用（日志头已清零），但可能还存着台账以前的内容（包括已清除的号码）— 运行任一使用台账的命令（例如 nuanfeng worker list）会删掉它，或直接删掉它",
    ]);
    assert!(d.exists("nf.db-journal"));
    d.nf(&["worker", "list"]).ok();
    assert!(!d.exists("nf.db-journal"));
    d.nf(&["check"]).ok();
    d.write("nf.db-journal", idle);
    d.nf(&["-q", "restore", "copy.db"]).ok();
    assert!(!d.exists("nf.db-journal"));
}

/// What is not a regular file is named as what it is, not as missing; a dangling link at the
/// registry's name is named as a link; a cut-short copy is said to be damaged or incomplete in
/// the program's words; a template's missing folder is named as every output's is.
#[test]
fn hostile_targets_are_named_truly() {
    let d = crate::util::district();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.db"))
        .status()
        .unwrap();
    assert!(made.success());
    let o = d.nf(&["restore", "pipe.db"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：pipe.db 是一个命名管道（FIFO），不是普通文件 — 请给出要恢复的备份文件\n"
    );
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("link.db")).unwrap();
    for args in [
        &["--db", "link.db", "init"][..],
        &["--db", "link.db", "import", "workers", "w.csv"][..],
    ] {
        let o = d.bare().args(args).code(1);
        assert_eq!(
            o.stderr,
            "错误：link.db 是一个符号链接 — 程序不通过链接写文件：换一个文件名，或先删掉这个链接\n",
            "{args:?}"
        );
        assert!(!d.exists("nowhere"));
    }
    d.nf(&["backup", "whole.db"]).ok();
    let whole = d.read("whole.db");
    d.write("trunc.db", &whole[..whole.len() / 2]);
    let o = d.nf(&["restore", "trunc.db"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：trunc.db 已损坏或不完整（文件被截断，或在写入时复制了它）— 换一份备份\n"
    );
    for name in ["nodir/x.xlsx", "nodir/x.csv"] {
        let o = d.nf(&["template", "workers", "-o", name]).code(1);
        assert_eq!(
            o.stderr,
            format!("错误：-o {name}：文件夹 nodir 不存在 — 先建好这个文件夹，或换一个位置\n")
        );
    }
}
