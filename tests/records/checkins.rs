//! Check-ins typed at the terminal (`checkin add`) and listed (`checkin list`).

use serde_json::json;

use crate::util::{District, sorted};

#[test]
fn checkin_add_records_once_and_refuses_the_same_again() {
    let d = District::new().without_init().checkins().points().build();
    d.nf(&[
        "checkin",
        "add",
        "15135296642",
        "--date",
        "2025-07-16",
        "--purpose",
        "党员报到",
    ])
    .ok()
    .stderr_has(&["已记录：杨丽 于 2025-07-16 报到"]);
    d.nf(&[
        "checkin",
        "add",
        "15135296642",
        "--date",
        "2025-07-16",
        "--purpose",
        "党员报到",
    ])
    .code(1)
    .stderr_has(&["错误：杨丽 在 2025-07-16 已有这条报到记录 — 没有重复添加"]);
    // By 身份证号, to another street, with a short spelling of the community.
    d.nf(&[
        "checkin",
        "add",
        "140106199006037169",
        "--date",
        "2025-07-17",
        "--street",
        "柳巷",
        "--community",
        "宁化府社区",
        "--name",
        "杨丽",
    ])
    .ok();
    let list = d
        .nf(&[
            "checkin",
            "list",
            "--month",
            "2025-07",
            "--street",
            "迎泽街道",
            "--format",
            "json",
        ])
        .ok()
        .json_array();
    // Without --street the worker's own street and community are used.
    assert_eq!(
        list,
        [
            json!({"name": "杨丽", "phone": "151****6642", "date": "2025-07-16", "street": "迎泽街道", "community": "青年路一社区居委会", "purpose": "党员报到"})
        ]
    );
    let r = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(r["streets"][0]["checkins"], 4); // 柳巷: + 杨丽 on the 17th
    assert_eq!(r["streets"][0]["checkin_workers"], 3);
    assert_eq!(r["streets"][3]["checkins"], 1); // 迎泽
    assert_eq!(r["total"]["checkins"], 10);
    assert_eq!(r["total"]["checkin_workers"], 7);
    assert_eq!(
        d.rows("SELECT c.name FROM checkins k JOIN communities c ON c.id = k.community_id WHERE k.date = '2025-07-17'"),
        [[Some("宁化府社区居委会".to_string())]]
    );
    // The same check-in in a register afterwards is recognised, not doubled.
    d.write(
        "later.csv",
        "手机号,报到日期,报到街道,报到社区,事项\n15135296642,2025-07-16,迎泽街道,青年路一社区居委会,党员报到\n",
    );
    d.nf(&["import", "checkins", "later.csv"])
        .ok()
        .stderr_has(&["later.csv: 共 1 行：新增 0，更新 0，未变 1"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 12);
}

#[test]
fn checkin_add_refuses_unknown_workers_wrong_names_places_and_dates() {
    let d = District::new().without_init().checkins().points().build();
    d.nf(&[
        "checkin",
        "add",
        "140106199006037169",
        "--date",
        "2025-07-18",
        "--name",
        "杨莉",
    ])
    .code(1)
    .stderr_has(&["错误：--name: 杨莉: 这个身份证号登记的姓名是 杨丽 — 请更正姓名或号码"]);
    d.nf(&[
        "checkin",
        "add",
        "15135296642",
        "--date",
        "2025-07-18",
        "--street",
        "柳港街道",
    ])
    .code(1)
    .stderr_has(&["--street: 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？"]);
    d.nf(&[
        "checkin",
        "add",
        "15135296642",
        "--date",
        "2025-07-18",
        "--street",
        "柳巷街道",
        "--community",
        "不存在社区",
    ])
    .code(1)
    .stderr_has(&["--community: 不存在社区: 不是柳巷街道的社区"]);
    d.nf(&["checkin", "add", "15135296642", "--date", "7月18日"])
        .code(1)
        .stderr_has(&["--date: 7月18日: 没有年份 — 写上四位年份：YYYY年7月18日（YYYY 换成年份）"]);
    d.nf(&["checkin", "add", "15135296642", "--date", "2999-01-01"])
        .code(1)
        .stderr_has(&["--date: 2999-01-01: 是将来的日期"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 10);
}

#[test]
fn checkin_list_filters_by_month_and_street() {
    let d = District::new().without_init().checkins().points().build();
    let july = d
        .nf(&["checkin", "list", "--month", "2025-07", "--format", "json"])
        .ok();
    assert_eq!(july.stderr, "共 8 人次报到\n");
    let july = july.json_array();
    assert_eq!(
        july.iter()
            .map(|c| c["date"].as_str().unwrap())
            .collect::<Vec<_>>(),
        [
            "2025-07-01",
            "2025-07-01",
            "2025-07-03",
            "2025-07-05",
            "2025-07-10",
            "2025-07-15",
            "2025-07-20",
            "2025-07-31"
        ]
    );
    assert_eq!(
        july[6],
        json!({"name": "郭志伟", "phone": "136****7804", "date": "2025-07-20", "street": "文庙街道", "community": "文庙社区居委会", "purpose": "参加培训"})
    );
    let wenmiao = d
        .nf(&["checkin", "list", "--street", "文庙", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(sorted(&wenmiao, "name"), ["王宇", "赵海峰", "郭志伟"]);
    let all = d
        .nf(&["checkin", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(all.len(), 10);
}
