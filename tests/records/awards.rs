//! Awards: `award add` and the awards register.

use serde_json::json;

use super::GUO_ZHIWEI;
use crate::util::district;

#[test]
fn award_added_twice_is_unchanged() {
    let d = district();
    let args = [
        "award",
        "add",
        GUO_ZHIWEI,
        "--title",
        "最美快递员",
        "--year",
        "2025",
    ];
    assert_eq!(
        d.by_operator(&args).ok().stderr,
        "已记录：郭志伟，2025 年度最美快递员\n"
    );
    assert_eq!(
        d.by_operator(&args).ok().stderr,
        "郭志伟 已获得 2025 年度最美快递员 — 没有改动\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM awards"), 1);
    // Another year is another award; a year out of range is the import's error.
    d.by_operator(&[
        "award",
        "add",
        GUO_ZHIWEI,
        "--title",
        "最美快递员",
        "--year",
        "2024",
    ])
    .ok();
    d.by_operator(&[
        "award",
        "add",
        GUO_ZHIWEI,
        "--title",
        "最美快递员",
        "--year",
        "1999",
    ])
    .code(1)
    .stderr_has(&["错误：--year: 1999: 不是 2000 至 "]);
    assert_eq!(
        d.rows("SELECT title, year FROM awards ORDER BY year"),
        [
            [Some("最美快递员".to_string()), Some("2024".to_string())],
            [Some("最美快递员".to_string()), Some("2025".to_string())]
        ]
    );
    let list = d
        .by_operator(&["award", "list", "--year", "2025", "--format", "json"])
        .ok();
    assert_eq!(list.stderr, "共 1 项荣誉\n");
    assert_eq!(
        list.json(),
        json!([{"id": 1, "name": "郭志伟", "phone": "136****7804", "title": "最美快递员",
                "year": 2025, "enterprise": "顺丰速运", "street": "柳巷街道"}])
    );
    d.by_operator(&["award", "list", "--year", "二〇二五"])
        .code(2)
        .stderr_has(&["--year 二〇二五: 不是年份 — 写成 2025 这样"]);
}
