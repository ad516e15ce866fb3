//! `demo`: the sample district built into a registry of its own, and its report.

use serde_json::json;

use crate::util::{Dir, YINGZE};

#[test]
fn demo_prints_every_street_and_the_total() {
    let d = Dir::new();
    let o = d.bare().args(&["demo", "--db", "d.db"]).ok();
    o.stderr_has(&[
        "examples/workers.csv: 360 rows imported (GB18030 (GBK))",
        "d.db — 迎泽区 per-street report, 2025-12:",
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
        "error: mine.db exists; the demo builds a new registry — name a file that does not \
         exist, or leave --db out to use ./nuanfeng-demo.db\n"
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
