//! The district fixture (`tests/fixtures/district/`) lands as written, and importing it again
//! changes nothing.

use serde_json::Value;

use crate::util::{DISTRICT_WORKERS, District, find, sorted};

#[test]
fn district_register_lands_as_written() {
    let d = District::new().without_init().checkins().points().build();
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    assert_eq!(d.int("SELECT count(*) FROM communities"), 112);
    assert_eq!(
        d.rows("SELECT s.name, kind, st.name FROM stations s JOIN streets st ON st.id = s.street_id ORDER BY s.id"),
        [
            ["顺丰速运柳巷营业部", "courier_station", "柳巷街道"],
            ["美团柳巷站", "rider_hub", "柳巷街道"],
            ["宁化府社区暖蜂驿站", "rest_station", "柳巷街道"],
            ["中通快递文庙网点", "courier_station", "文庙街道"],
            ["货拉拉郝庄服务站", "logistics_firm", "郝庄镇"],
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // The rest station's landline is kept as a contact number.
    assert_eq!(
        d.rows("SELECT contact_phone FROM stations WHERE kind = 'rest_station'"),
        [[Some("0351-4123567".to_string())]]
    );
    let w = d.workers();
    assert_eq!(w.len(), 8);
    for (name, phone, id) in DISTRICT_WORKERS {
        let x = find(&w, "name", name);
        assert_eq!(
            (x["phone"].as_str(), x["id_number"].as_str()),
            (Some(phone), Some(id))
        );
    }
    assert_eq!(find(&w, "name", "李浩")["station"], "美团柳巷站");
    assert_eq!(
        find(&w, "name", "张敏")["political_status"],
        "probationary_member"
    );
    assert_eq!(find(&w, "name", "赵海峰")["station"], Value::Null);
    // --street takes the spellings registers use.
    let liuxiang = d
        .nf(&["worker", "list", "--street", "柳巷", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(sorted(&liuxiang, "name"), ["张敏", "李浩", "郭志伟"]);
    d.nf(&["worker", "list", "--street", "柳港街道"])
        .code(2)
        .stderr_has(&["--street 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？"]);
}

#[test]
fn district_reimport_changes_nothing() {
    let d = District::new().without_init().checkins().points().build();
    let count = |t: &str| d.int(&format!("SELECT count(*) FROM {t}"));
    let before: Vec<i64> = [
        "streets",
        "communities",
        "stations",
        "workers",
        "checkins",
        "point_entries",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    for (kind, file, n) in [
        ("streets", "streets.csv", 119),
        ("stations", "stations.csv", 5),
        ("workers", "workers.csv", 8),
        ("checkins", "checkins.csv", 10),
        ("points", "points.csv", 8),
    ] {
        d.nf(&["import", kind, file]).ok().stderr_has(&[
            &format!("{file}: 共 {n} 行：新增 0，更新 0，未变 {n}\n"),
            &format!("{file}: 这个文件在 "),
            &format!("（当时名为 {file}）；没有变化\n"),
        ]);
    }
    let after: Vec<i64> = [
        "streets",
        "communities",
        "stations",
        "workers",
        "checkins",
        "point_entries",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    assert_eq!(before, after);
    assert_eq!(after, [7, 112, 5, 8, 10, 8]);
}
