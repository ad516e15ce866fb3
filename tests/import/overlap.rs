//! Overlapping exports (`tests/fixtures/overlap/`): what is already stored is recognised,
//! identical rows of one file are distinct events.

use crate::util::Dir;

#[test]
fn overlapping_exports_add_only_what_is_new() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    d.import("checkins", "overlap/checkins-2025-01-07.csv")
        .stderr_has(&["checkins-2025-01-07.csv: 共 6 行：新增 6，更新 0，未变 0\n"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 6);
    let o = d.import("checkins", "overlap/checkins-2025-01-08.csv");
    o.stderr_has(&["checkins-2025-01-08.csv: 共 9 行：新增 3，更新 0，未变 6\n"]);
    assert!(!o.stderr.contains("已经导入过"));
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 9);
    assert_eq!(
        d.rows("SELECT date FROM checkins WHERE id > 6 ORDER BY id"),
        [["2025-08-05"], ["2025-08-12"], ["2025-08-12"]].map(|r| r.map(|s| Some(s.to_string())))
    );
    // Importing the older export again adds nothing either.
    d.nf(&["import", "checkins", "checkins-2025-01-07.csv"])
        .ok()
        .stderr_has(&["共 6 行：新增 0，更新 0，未变 6", "已经导入过"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 9);
    let july = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(july["streets"][5]["street"], "老军营街道");
    assert_eq!(july["streets"][5]["checkins"], 3);
    assert_eq!(july["streets"][5]["checkin_workers"], 2);
    let aug = d
        .nf(&[
            "report", "streets", "--month", "2025-08", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(aug["total"]["checkins"], 3);
    assert_eq!(aug["total"]["checkin_workers"], 2);
}

#[test]
fn identical_rows_in_one_file_are_two_checkins() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    d.import("checkins", "overlap/checkins-2025-01-07.csv");
    // 丁鹏飞 rested at the 驿站 twice on 2025-07-08: two rows, two check-ins.
    assert_eq!(
        d.rows("SELECT date, occurrence FROM checkins k JOIN workers w ON w.id = k.worker_id WHERE w.name = '丁鹏飞' ORDER BY k.id"),
        [["2025-07-08", "1"], ["2025-07-08", "2"]].map(|r| r.map(|s| Some(s.to_string())))
    );
    let list = d
        .nf(&["checkin", "list", "--month", "2025-07", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(list.iter().filter(|c| c["name"] == "丁鹏飞").count(), 2);
    // Re-importing the same file adds none.
    d.nf(&["import", "checkins", "checkins-2025-01-07.csv"])
        .ok()
        .stderr_has(&["新增 0，更新 0，未变 6"]);
    // The same two rows under another file name are still the same two check-ins.
    d.copy_as("overlap/checkins-2025-01-07.csv", "renamed.csv");
    d.nf(&["import", "checkins", "renamed.csv"])
        .ok()
        .stderr_has(&["renamed.csv: 共 6 行：新增 0，更新 0，未变 6"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 6);
    // A file with a third identical row adds exactly one.
    let mut three = String::from_utf8(d.read("checkins-2025-01-07.csv")).unwrap();
    three.push_str("18635297730,2025-07-08,老军营街道,滨河东路一社区居委会,驿站休息\r\n");
    d.write("three.csv", three);
    d.nf(&["import", "checkins", "three.csv"])
        .ok()
        .stderr_has(&["three.csv: 共 7 行：新增 1，更新 0，未变 6"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 7);
}

#[test]
fn identical_points_rows_are_two_entries_and_reimport_adds_none() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n13835261147,2025-07-01,随手拍,2,随手拍上报井盖破损\n13835261147,2025-07-01,随手拍,2,随手拍上报井盖破损\n13835261147,2025-07-02,积分兑换,-4,兑换理发券\n",
    );
    d.nf(&["import", "points", "points.csv"])
        .ok()
        .stderr_has(&["points.csv: 共 3 行：新增 3"]);
    d.nf(&["import", "points", "points.csv"])
        .ok()
        .stderr_has(&["points.csv: 共 3 行：新增 0，更新 0，未变 3"]);
    let b = d
        .nf(&["points", "balance", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        (b[0]["earned"].as_i64(), b[0]["balance"].as_i64()),
        (Some(4), Some(0))
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 3);
}
