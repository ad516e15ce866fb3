//! Instructors (指导员) and the stations they are responsible for.

use serde_json::json;

use super::{keys, set};
use crate::util::{Dir, District};

#[test]
fn instructor_assign_moves_a_station_and_the_list_shows_it() {
    let d = District::new().records().build();
    let list = |d: &Dir| {
        d.by_operator(&["instructor", "list", "--format", "json", "--show-pii"])
            .ok()
            .json_array()
    };
    let before = list(&d);
    assert_eq!(
        keys(&before),
        set(&["id", "name", "phone", "street", "unit", "stations"])
    );
    assert_eq!(
        before,
        [
            json!({"id": 1, "name": "王秀芳", "phone": "13935101000", "street": "柳巷街道",
                   "unit": "柳巷街道党工委", "stations": ["顺丰速运柳巷营业部", "美团柳巷站"]}),
            json!({"id": 2, "name": "李建国", "phone": "13935101037", "street": "文庙街道",
                   "unit": "文庙街道党工委", "stations": ["中通快递文庙网点"]}),
        ]
    );
    // By name: 美团柳巷站 moves from 王秀芳 to 李建国; 宁化府社区暖蜂驿站 was nobody's.
    let o = d
        .by_operator(&[
            "instructor",
            "assign",
            "李建国",
            "美团柳巷站",
            "宁化府社区暖蜂驿站",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "美团柳巷站：由 王秀芳 改为 李建国 负责\n宁化府社区暖蜂驿站：由 李建国 负责\n"
    );
    let after = list(&d);
    assert_eq!(after[0]["stations"], json!(["顺丰速运柳巷营业部"]));
    assert_eq!(
        after[1]["stations"],
        json!(["中通快递文庙网点", "美团柳巷站", "宁化府社区暖蜂驿站"])
    );
    assert_eq!(
        d.int("SELECT count(*) FROM instructor_stations WHERE station_id = (SELECT id FROM stations WHERE name = '美团柳巷站')"),
        1
    );
    // By 手机号; a station already theirs is said so.
    d.by_operator(&["instructor", "assign", "13935101037", "美团柳巷站"])
        .ok()
        .stderr_has(&["美团柳巷站：已经由 李建国 负责"]);
    // An unknown station assigns nothing, naming the nearest.
    let o = d
        .by_operator(&[
            "instructor",
            "assign",
            "王秀芳",
            "货拉拉郝庄服务站",
            "美团柳港站",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：站点 美团柳港站：不在站点台账中 — 是不是“美团柳巷站”？\n没有分配任何站点\n"
    );
    assert_eq!(list(&d), after);
    d.by_operator(&["instructor", "assign", "张三", "美团柳巷站"])
        .code(1)
        .stderr_has(&["错误：没有叫 张三 的指导员 — 用 nuanfeng instructor list 查看"]);

    // The table: counts and the stations of each.
    let t = d.by_operator(&["instructor", "list"]).ok();
    t.stdout_has(&[
        "站点数",
        "负责站点",
        "顺丰速运柳巷营业部",
        "中通快递文庙网点、美团柳巷站、宁化府社区暖蜂驿站",
        "139****1037",
    ])
    .hides(&["13935101037", "13935101000"]);
    assert_eq!(t.stderr, "共 2 名指导员，负责 4 个站点\n");
}

#[test]
fn instructor_add_assigns_stations_and_says_which_moved() {
    let d = District::new().records().build();
    let o = d
        .by_operator(&[
            "instructor",
            "add",
            "--name",
            "周敏",
            "--phone",
            "13935109999",
            "--street",
            "柳巷",
            "--unit",
            "柳巷街道党工委",
            "--station",
            "美团柳巷站",
            "宁化府社区暖蜂驿站",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已登记：指导员 周敏（139****9999），柳巷街道\n美团柳巷站：由 王秀芳 改为 周敏 负责\n宁化府社区暖蜂驿站：由 周敏 负责\n"
    );
    assert_eq!(
        d.rows(
            "SELECT i.name, s.name FROM instructor_stations a JOIN instructors i ON i.id = a.instructor_id
             JOIN stations s ON s.id = a.station_id ORDER BY a.rowid"
        ),
        [
            ["王秀芳", "顺丰速运柳巷营业部"],
            ["李建国", "中通快递文庙网点"],
            ["周敏", "美团柳巷站"],
            ["周敏", "宁化府社区暖蜂驿站"],
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // The same 手机号 again updates the instructor; a bad phone or station is the import's error.
    d.by_operator(&[
        "instructor",
        "add",
        "--name",
        "周敏",
        "--phone",
        "13935109999",
        "--unit",
        "迎泽区委社会工作部",
    ])
    .ok()
    .stderr_has(&["已更新：指导员 周敏（139****9999）"]);
    assert_eq!(d.int("SELECT count(*) FROM instructors"), 3);
    d.by_operator(&["instructor", "add", "--name", "吴刚", "--phone", "1393510"])
        .code(1)
        .stderr_has(&["错误：--phone: 1393510: 不是手机号"]);
    d.by_operator(&[
        "instructor",
        "add",
        "--name",
        "吴刚",
        "--phone",
        "13935108888",
        "--station",
        "美团柳港站",
    ])
    .code(1)
    .stderr_has(&["错误：--station: 美团柳港站: 不在站点台账中 — 是不是“美团柳巷站”？"]);
    assert_eq!(d.int("SELECT count(*) FROM instructors"), 3);
}

#[test]
fn instructors_register_says_which_stations_moved_and_stations_can_be_unassigned() {
    let d = District::new().records().build();
    d.write(
        "more.csv",
        "姓名,手机号,所属街道,工作单位,负责站点\n钱七,13935103002,郝庄镇,郝庄镇党委,美团柳巷站\n",
    );
    let o = d.by_operator(&["import", "instructors", "more.csv"]).ok();
    assert_eq!(
        o.stderr,
        "more.csv: 按 UTF-8 读取\n\
         more.csv:第2行: 提示：美团柳巷站：由 王秀芳 改为 钱七 负责\n\
         more.csv: 共 1 行：新增 1，更新 0，未变 0\n"
    );
    let o = d
        .by_operator(&["instructor", "unassign", "美团柳巷站", "中通快递文庙网点"])
        .ok();
    let today = chrono::Local::now().date_naive();
    assert_eq!(
        o.stderr,
        format!(
            "美团柳巷站：由 钱七 负责到 {today}，之后无人负责\n中通快递文庙网点：由 李建国 负责到 {today}，之后无人负责\n"
        )
    );
    assert_eq!(
        d.int("SELECT count(*) FROM instructor_stations WHERE until_on IS NULL AND station_id IN (SELECT id FROM stations WHERE name IN ('美团柳巷站', '中通快递文庙网点'))"),
        0
    );
    // A station of that name in two streets: the street is asked for, and named.
    d.by_operator(&[
        "station",
        "add",
        "--name",
        "菜鸟驿站",
        "--street",
        "柳巷",
        "--kind",
        "快递站点",
    ])
    .ok();
    d.by_operator(&[
        "station",
        "add",
        "--name",
        "菜鸟驿站",
        "--street",
        "郝庄镇",
        "--kind",
        "快递站点",
    ])
    .ok();
    d.by_operator(&[
        "instructor",
        "assign",
        "13935103002",
        "菜鸟驿站",
        "--street",
        "柳巷街道",
    ])
    .ok()
    .stderr_has(&["菜鸟驿站：由 钱七 负责"]);
    d.by_operator(&["instructor", "unassign", "菜鸟驿站"])
        .code(1)
        .stderr_has(&[
            "站点 菜鸟驿站：有几个站点都叫这个名称，分别在 柳巷街道、郝庄镇 — 请指明街道（--street，或“街道”一列）",
        ]);
    d.by_operator(&["station", "show", "菜鸟驿站", "--street", "文庙街道"])
        .code(1)
        .stderr_has(&["站点 菜鸟驿站：有几个站点都叫这个名称，分别在 柳巷街道、郝庄镇"]);
}
