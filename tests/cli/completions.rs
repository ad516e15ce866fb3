//! Shell completions and man pages: generated without a registry.

use crate::util::{self, Dir};

#[test]
fn completions_and_man_pages_need_no_registry() {
    let d = Dir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = d.nf(&["completions", shell]).ok();
        assert!(
            o.stdout.contains("purge") && o.stdout.contains("access-log"),
            "{shell}: {}",
            &o.stdout[..o.stdout.len().min(400)]
        );
        assert_eq!(o.stderr, "");
    }
    d.nf(&["completions", "tcsh"]).code(2);

    // The completions describe the commands in the language of the run.
    let fish = d.nf(&["completions", "fish"]).ok().stdout;
    assert!(
        fish.contains("-a \"purge\" -d '清除某日之前离职人员的姓名和号码；其记录匿名保留'"),
        "{fish}"
    );
    assert!(!fish.contains("'cli."), "a key instead of its text: {fish}");
    // The possible values are described in Chinese too.
    assert!(fish.contains("zh\\t'中文（默认）'"), "{fish}");
    assert!(!fish.contains("(the default)"), "{fish}");
    let fish = d.nf(&["--lang", "en", "completions", "fish"]).ok().stdout;
    assert!(
        fish.contains("-d 'Erase the names and numbers of workers"),
        "{fish}"
    );

    // The man page: its section titles in Chinese, no English frame left.
    let o = d.nf(&["man"]).ok();
    assert!(o.stdout.contains(".TH nuanfeng 1"), "{}", o.stdout);
    assert!(o.stdout.contains("示例："), "{}", o.stdout);
    let titles: Vec<&str> = o.stdout.lines().filter(|l| l.starts_with(".SH ")).collect();
    assert_eq!(
        titles,
        [
            ".SH 名称",
            ".SH 概要",
            ".SH 说明",
            ".SH 选项",
            ".SH 子命令",
            ".SH 示例与补充说明",
            ".SH 版本"
        ]
    );
    for frame in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "EXTRA",
        "VERSION",
        "[default:",
        "possible values",
        "Possible values",
        "Usage",
        "Examples",
    ] {
        assert!(
            !o.stdout.contains(frame),
            "{frame} in the man page:\n{}",
            o.stdout
        );
    }
    let o = d.nf(&["--lang", "en", "man"]).ok();
    assert!(o.stdout.contains("Examples:"), "{}", o.stdout);
    let titles: Vec<&str> = o.stdout.lines().filter(|l| l.starts_with(".SH ")).collect();
    assert_eq!(
        titles,
        [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH SUBCOMMANDS",
            ".SH EXTRA",
            ".SH VERSION"
        ]
    );

    std::fs::create_dir(d.join("man1")).unwrap();
    let o = d.nf(&["man", "-o", "man1"]).ok();
    assert_eq!(o.stderr, "已写入 90 个 man 手册页到 man1\n");
    for page in [
        "nuanfeng.1",
        "nuanfeng-import.1",
        "nuanfeng-worker.1",
        "nuanfeng-worker-purge.1",
        "nuanfeng-report-district.1",
    ] {
        assert!(d.exists(&format!("man1/{page}")), "no {page}");
    }
    assert!(!d.exists("man1/nuanfeng-help.1"));
    let page = String::from_utf8(d.read("man1/nuanfeng-worker-purge.1")).unwrap();
    assert!(
        page.contains(".TH nuanfeng-worker-purge 1  \"nuanfeng 0.1.0\""),
        "{page}"
    );
    let page = String::from_utf8(d.read("man1/nuanfeng-worker-list.1")).unwrap();
    assert!(
        page.contains(".SH 名称\nnuanfeng\\-worker\\-list \\- 列出从业人员"),
        "{page}"
    );
    let o = d.nf(&["man", "-o", "nowhere"]).code(2);
    assert_eq!(
        o.stderr,
        "错误：-o nowhere：没有这个文件夹 — 请先建好再运行\n"
    );
    let o = d.nf(&["--lang", "en", "man", "-o", "nowhere"]).code(2);
    assert_eq!(
        o.stderr,
        "error: -o nowhere: no such folder — create it first\n"
    );
    let o = d.nf(&["--lang", "en", "man", "-o", "man1"]).ok();
    assert_eq!(o.stderr, "wrote 90 man pages to man1\n");
    assert!(!d.exists(util::DB));
}
