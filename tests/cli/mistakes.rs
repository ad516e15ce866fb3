//! The common mistakes of a new user, each in both languages: Chinese by default (no English
//! sentence in it, the field's own words, the fix said), English with `--lang en` (and the
//! same with `NUANFENG_LANG=en`). Every case exits as before and the message says where and
//! what to do.

use crate::util::{Dir, Output, english_run};

/// One mistake: how to set it up, the arguments after `--db nf.db`, the exit code, and
/// words each language's message must hold.
struct Mistake {
    name: &'static str,
    setup: fn(&Dir),
    args: &'static [&'static str],
    code: i32,
    zh: &'static [&'static str],
    en: &'static [&'static str],
}

fn nothing(_: &Dir) {}

fn registry(d: &Dir) {
    d.init();
}

fn damaged_ids(d: &Dir) {
    d.init();
    d.copy("04-excel-damage/workers.csv");
}

fn unknown_worker(d: &Dir) {
    d.init();
    d.import("workers", "11-unknown-worker/workers.csv");
    d.copy("11-unknown-worker/checkins.csv");
}

fn overdraw(d: &Dir) {
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.copy("12-overdraw/points.csv");
}

fn registry_and_folder(d: &Dir) {
    d.init();
    std::fs::create_dir(d.join("备份")).expect("a folder");
}

fn folder_as_registry(d: &Dir) {
    std::fs::create_dir(d.join("nf.db")).expect("a folder");
}

const MISTAKES: &[Mistake] = &[
    Mistake {
        name: "a folder given as the registry",
        setup: folder_as_registry,
        args: &["worker", "list"],
        code: 1,
        zh: &["nf.db 是一个文件夹，不是台账文件", "--db nf.db/nuanfeng.db"],
        en: &[
            "nf.db is a folder, not a registry file",
            "--db nf.db/nuanfeng.db",
        ],
    },
    Mistake {
        name: "a backup to a folder",
        setup: registry_and_folder,
        args: &["backup", "备份"],
        code: 1,
        zh: &["备份 是一个文件夹 — 给出备份文件的名字"],
        en: &["备份 is a folder — name the backup file"],
    },
    Mistake {
        name: "a restore from a folder",
        setup: registry_and_folder,
        args: &["restore", "备份"],
        code: 1,
        zh: &["备份 是一个文件夹 — 给出要恢复的备份文件"],
        en: &["备份 is a folder — name the backup file to restore"],
    },
    Mistake {
        name: "a flag without its value",
        setup: registry,
        args: &["import", "workers", "x.csv", "--rejects"],
        code: 2,
        zh: &["--rejects <FILE> 后面缺少值"],
        en: &["a value is required for '--rejects <FILE>' but none was supplied"],
    },
    Mistake {
        name: "no registry yet",
        setup: nothing,
        args: &["worker", "list"],
        code: 1,
        zh: &["nf.db", "nuanfeng init"],
        en: &["nf.db", "nuanfeng init"],
    },
    Mistake {
        name: "a file that is not there",
        setup: registry,
        args: &["import", "workers", "台账.xlsx"],
        code: 1,
        zh: &["台账.xlsx"],
        en: &["台账.xlsx"],
    },
    Mistake {
        name: "IDs damaged by Excel",
        setup: damaged_ids,
        args: &["import", "workers", "workers.csv"],
        code: 1,
        zh: &["workers.csv:第4行", "身份证号", "--skip-invalid"],
        en: &["workers.csv:4:", "身份证号", "--skip-invalid"],
    },
    Mistake {
        name: "a check-in of nobody on file",
        setup: unknown_worker,
        args: &["import", "checkins", "checkins.csv"],
        code: 1,
        zh: &["checkins.csv:第3行", "手机号", "177****2268"],
        en: &["checkins.csv:3:", "no worker has this 手机号"],
    },
    Mistake {
        name: "an unknown worker typed",
        setup: registry,
        args: &["worker", "show", "13900000000"],
        code: 1,
        zh: &["139****0000"],
        en: &["139****0000"],
    },
    Mistake {
        name: "a month that does not exist",
        setup: registry,
        args: &["report", "streets", "--month", "2025-13"],
        code: 2,
        zh: &["--month", "2025-13", "2025-07"],
        en: &["--month 2025-13: not a month — write it as 2025-07"],
    },
    Mistake {
        name: "no period at all",
        setup: registry,
        args: &["report", "streets"],
        code: 2,
        zh: &["--month 2025-07", "--year 2025"],
        en: &["say which period"],
    },
    Mistake {
        name: "points spent that were not earned",
        setup: overdraw,
        args: &["import", "points", "points.csv"],
        code: 1,
        zh: &["points.csv:第4行", "积分", "--skip-invalid"],
        en: &["points.csv:4:", "redemption refused: balance 11, asked 15"],
    },
    Mistake {
        name: "a misspelled command",
        setup: registry,
        args: &["improt", "workers", "x.csv"],
        code: 2,
        zh: &["improt", "import", "用法：", "--help"],
        en: &["unrecognized subcommand 'improt'", "'import'", "Usage:"],
    },
    Mistake {
        name: "a misspelled flag",
        setup: registry,
        args: &["worker", "list", "--streat", "柳巷"],
        code: 2,
        zh: &["--streat", "--street"],
        en: &["unexpected argument '--streat'", "'--street'"],
    },
    Mistake {
        name: "a format that does not exist",
        setup: registry,
        args: &["report", "streets", "--month", "2025-07", "--format", "pdf"],
        code: 2,
        zh: &["pdf", "csv", "xlsx"],
        en: &["invalid value 'pdf'"],
    },
];

/// The Chinese message of a mistake: where and what, with no English sentence.
fn check_zh(m: &Mistake, o: &Output) {
    assert!(
        o.stderr
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{}: no Chinese in\n{}",
        m.name,
        o.stderr
    );
    if let Some(run) = english_run(&o.stderr) {
        panic!("{}: English sentence {run:?} in\n{}", m.name, o.stderr);
    }
    o.stderr_has(m.zh);
    assert!(
        o.stderr.starts_with("错误：") || o.stderr.contains("\n错误："),
        "{}",
        o.stderr
    );
}

#[test]
fn each_mistake_is_told_in_chinese_by_default() {
    for m in MISTAKES {
        let d = Dir::new();
        (m.setup)(&d);
        let o = d.nf(m.args).env_remove("NUANFENG_LANG").code(m.code);
        check_zh(m, &o);
    }
}

#[test]
fn each_mistake_is_told_in_english_when_asked() {
    for m in MISTAKES {
        for by_env in [false, true] {
            let d = Dir::new();
            (m.setup)(&d);
            let mut c = d.nf(m.args);
            if by_env {
                c.env("NUANFENG_LANG", "en");
            } else {
                c.args(&["--lang", "en"]);
            }
            let o = c.code(m.code);
            o.stderr_has(m.en);
            assert!(o.stderr.contains("error: "), "{}: {}", m.name, o.stderr);
            assert!(
                !o.stderr.contains("错误") && !o.stderr.contains("用法"),
                "{}: Chinese frame in the English message\n{}",
                m.name,
                o.stderr
            );
        }
    }
}

#[test]
fn the_flag_wins_over_the_environment() {
    let d = Dir::new();
    d.init();
    let o = d
        .nf(&["report", "streets", "--lang", "zh"])
        .env("NUANFENG_LANG", "en")
        .code(2);
    assert!(o.stderr.starts_with("错误："), "{}", o.stderr);
    let o = d
        .nf(&["report", "streets", "--lang", "en"])
        .env("NUANFENG_LANG", "zh_CN.UTF-8")
        .code(2);
    assert!(o.stderr.starts_with("error: "), "{}", o.stderr);
}

#[test]
fn an_unknown_language_in_the_environment_is_said_once_unless_the_flag_chooses() {
    let d = Dir::new();
    d.init();
    let o = d.nf(&["worker", "list"]).env("NUANFENG_LANG", "fr").ok();
    assert_eq!(
        o.stderr.lines().next(),
        Some("提示：NUANFENG_LANG=fr 不是可用的语言，按中文显示 — 可设为 zh 或 en")
    );
    let o = d
        .nf(&["worker", "list", "--lang", "en"])
        .env("NUANFENG_LANG", "fr")
        .ok();
    assert!(!o.stderr.contains("NUANFENG_LANG"), "{}", o.stderr);
}

#[test]
fn english_runs_are_found_and_names_are_not() {
    assert_eq!(
        english_run("错误：no worker has this 手机号"),
        Some("no worker has this".to_string())
    );
    assert_eq!(
        english_run("用 nuanfeng import workers 台账.csv --skip-invalid 导入"),
        None
    );
    assert_eq!(
        english_run("台账 workers.csv 的第 3 行：Excel 把身份证号改成了 1.4E+17"),
        None
    );
}
