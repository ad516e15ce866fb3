//! `demo`: the sample district built into a registry of its own, and its report.

use serde_json::json;

use crate::util::{Dir, YINGZE};

#[test]
fn demo_prints_every_street_and_the_total() {
    let d = Dir::new();
    let o = d.bare().args(&["demo", "--db", "d.db"]).ok();
    o.stderr_has(&[
        "examples/workers.csv：导入 360 行（GB18030 (GBK)）",
        "入党程序：10 人，共录入 23 个阶段",
        "d.db — 迎泽区各街道报表，2025-12：",
        "接着可以看看：nuanfeng --db d.db worker list --street 柳巷街道",
    ]);
    o.stdout_has(&["街道", "报到人次"]);
    let names: Vec<&str> = o
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|n| YINGZE.iter().any(|(_, s)| s == n) || *n == "合计")
        .collect();
    assert_eq!(
        names,
        [
            "柳巷街道",
            "文庙街道",
            "庙前街道",
            "迎泽街道",
            "桥东街道",
            "老军营街道",
            "郝庄镇",
            "合计"
        ]
    );
    assert!(d.exists("d.db"));
    assert!(d.int_in("d.db", "SELECT count(*) FROM workers") > 0);
    // The JSON form of the same report agrees with the database it built.
    let j = d
        .bare()
        .args(&[
            "--db", "d.db", "report", "streets", "--month", "2025-12", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(j["streets"].as_array().unwrap().len(), 7);
    assert_eq!(
        j["total"]["workers"].as_i64().unwrap(),
        d.int_in(
            "d.db",
            "SELECT count(*) FROM workers WHERE left_on IS NULL OR left_on >= '2025-12-31'"
        )
    );
}

#[test]
fn demo_without_db_rebuilds_its_own_file() {
    let d = Dir::new();
    d.bare().args(&["demo", "--format", "json"]).ok();
    let first = d.int_in("nuanfeng-demo.db", "SELECT count(*) FROM checkins");
    let o = d.bare().args(&["demo", "--format", "json"]).ok();
    assert_eq!(
        d.int_in("nuanfeng-demo.db", "SELECT count(*) FROM checkins"),
        first,
        "rebuilt, not imported twice"
    );
    let r = o.json();
    assert_eq!(
        r["period"],
        json!({"from": "2025-12-01", "to": "2025-12-31"})
    );
    let names: Vec<&str> = r["streets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["street"].as_str().unwrap())
        .collect();
    assert_eq!(names, YINGZE.map(|(_, n)| n));
    assert_eq!(r["total"]["street"], "合计");
    assert!(!d.exists("nuanfeng.db"));
}

#[test]
fn demo_refuses_an_existing_db_file() {
    let d = Dir::new();
    d.write("mine.db", b"not to be touched");
    let o = d.bare().args(&["--db", "mine.db", "demo"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：mine.db 已存在；demo 要新建一个台账 — 请换一个不存在的文件名，或去掉 --db，\
         使用 ./nuanfeng-demo.db\n"
    );
    assert_eq!(d.read("mine.db"), b"not to be touched");
    // The registry NUANFENG_DB names is never the demo's: the demo builds its own file.
    d.bare()
        .args(&["demo"])
        .env("NUANFENG_DB", "mine.db")
        .ok()
        .stdout_has(&["合计"]);
    assert_eq!(d.read("mine.db"), b"not to be touched");
    assert!(d.path().join("nuanfeng-demo.db").exists());
}

/// In Chinese (the default) nothing the demo prints is an English sentence, on stdout or on
/// stderr; with `--lang en` it speaks English.
#[test]
fn demo_speaks_chinese_by_default_and_english_with_lang_en() {
    let d = Dir::new();
    let zh = d.bare().args(&["demo", "--db", "zh.db"]).ok();
    for (stream, text) in [("stdout", &zh.stdout), ("stderr", &zh.stderr)] {
        assert_eq!(
            crate::util::english_run(text),
            None,
            "{stream} of the demo:\n{text}"
        );
    }
    zh.stdout_has(&["街道", "合计"]);
    zh.stderr_has(&["导入", "入党程序", "各街道报表"]);

    let en = d
        .bare()
        .args(&["--lang", "en", "demo", "--db", "en.db"])
        .ok();
    en.stderr_has(&[
        "examples/workers.csv: 360 rows imported (",
        "membership pipeline (入党程序): 23 stages of 10 workers recorded",
        "en.db — 迎泽区 per-street report, 2025-12:",
        "explore it: nuanfeng --db en.db worker list --street 柳巷街道",
    ]);
    assert!(
        !en.stderr.contains("导入") && !en.stderr.contains("各街道报表"),
        "{}",
        en.stderr
    );
    // The same through the environment.
    let o = d
        .bare()
        .args(&["--db", "mine.db", "demo"])
        .env("NUANFENG_LANG", "en")
        .run();
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    o.stderr_has(&["mine.db — 迎泽区 per-street report"]);
    let o = d
        .bare()
        .args(&["--lang", "en", "--db", "en.db", "demo"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: en.db exists; the demo builds a new registry — name a file that does not \
         exist, or leave --db out to use ./nuanfeng-demo.db\n"
    );
}
