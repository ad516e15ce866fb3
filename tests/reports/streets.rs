//! `report streets` on the district fixture, whose figures are worked out by hand, and the
//! stock figures counted on the last day of the period.

use serde_json::{Value, json};

use crate::util::{Dir, District, YINGZE, bom_csv, sorted};

#[allow(clippy::too_many_arguments)]
fn street(
    name: &str,
    code: Option<&str>,
    stations: i64,
    workers: i64,
    party: i64,
    checkins: i64,
    checkin_workers: i64,
    earned: i64,
    redeemed: i64,
) -> Value {
    // The district's workplaces (courier stations, rider hubs, logistics firms; not its rest
    // station): none covered by a party organization or with an instructor.
    let workplaces = match name {
        "柳巷街道" => 2,
        "文庙街道" | "郝庄镇" => 1,
        "合计" => 4,
        _ => 0,
    };
    let rate = (workplaces > 0).then_some(0.0);
    json!({
        "street": name, "street_code": code, "stations": stations, "workers": workers,
        "party_members": party, "checkins": checkins, "checkin_workers": checkin_workers,
        "points_earned": earned, "points_redeemed": redeemed,
        "workplaces": workplaces, "org_covered": 0, "org_coverage_rate": rate,
        "with_instructor": 0, "work_coverage_rate": rate, "mobile_members": 0,
    })
}

/// `actual` reduced to the keys `expected` has (objects, recursively; arrays element by
/// element): the figures a test works out by hand, among all a report gives.
fn project(actual: &Value, expected: &Value) -> Value {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => Value::Object(
            e.keys()
                .map(|k| (k.clone(), project(a.get(k).unwrap_or(&Value::Null), &e[k])))
                .collect(),
        ),
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => {
            Value::Array(a.iter().zip(e).map(|(x, y)| project(x, y)).collect())
        }
        _ => actual.clone(),
    }
}

#[test]
fn report_streets_json_gives_the_figures_worked_out_by_hand() {
    let d = District::new().without_init().checkins().points().build();
    let r = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    // July 2025. Check-ins: 柳巷 3 by 郭志伟 (twice) and 李浩; 文庙 3 by 郭志伟, 赵海峰 and 王宇
    // (on the 31st); 桥东 1 (on the 1st); 郝庄 1. 张敏's (June 30) and 杨丽's (August 1) fall
    // outside. Points count under the worker's street: 柳巷 10 + 2 earned, 5 redeemed;
    // 文庙 5; 郝庄 20 and 10; 陈磊's June and August entries fall outside.
    let expected = json!({
        "period": {"from": "2025-07-01", "to": "2025-07-31"},
        "streets": [
            street("柳巷街道", Some("140106001"), 3, 3, 2, 3, 2, 12, 5),
            street("文庙街道", Some("140106002"), 1, 2, 1, 3, 3, 5, 0),
            street("庙前街道", Some("140106003"), 0, 0, 0, 0, 0, 0, 0),
            street("迎泽街道", Some("140106004"), 0, 1, 0, 0, 0, 0, 0),
            street("桥东街道", Some("140106005"), 0, 1, 1, 1, 1, 0, 0),
            street("老军营街道", Some("140106006"), 0, 0, 0, 0, 0, 0, 0),
            street("郝庄镇", Some("140106100"), 1, 1, 0, 1, 1, 20, 10),
        ],
        // 郭志伟 checked in in two streets: counted once in the total (6 workers, while the
        // streets' checkin_workers add up to 7).
        "total": street("合计", None, 5, 8, 4, 8, 6, 37, 15),
    });
    assert_eq!(project(&r, &expected), expected);
}

#[test]
fn report_streets_other_periods() {
    let d = District::new().without_init().checkins().points().build();
    let june = d
        .nf(&[
            "report", "streets", "--month", "2025-06", "--format", "json",
        ])
        .ok()
        .json();
    let e = street("合计", None, 5, 8, 4, 1, 1, 30, 0);
    assert_eq!(project(&june["total"], &e), e);
    assert_eq!(june["streets"][0]["checkins"], 1); // 张敏, 柳巷, June 30
    assert_eq!(june["streets"][4]["points_earned"], 30); // 陈磊, 桥东
    let aug = d
        .nf(&[
            "report", "streets", "--month", "2025-08", "--format", "json",
        ])
        .ok()
        .json();
    let e = street("合计", None, 5, 8, 4, 1, 1, 0, 20);
    assert_eq!(project(&aug["total"], &e), e);
    assert_eq!(aug["streets"][3]["checkins"], 1); // 杨丽, 迎泽, August 1
    assert_eq!(aug["streets"][4]["points_redeemed"], 20);
    let span = d
        .nf(&[
            "report",
            "streets",
            "--from",
            "2025-06-30",
            "--to",
            "2025-08-01",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(
        span["period"],
        json!({"from": "2025-06-30", "to": "2025-08-01"})
    );
    let e = street("合计", None, 5, 8, 4, 10, 8, 37, 15);
    assert_eq!(project(&span["total"], &e), e);
    // Stock figures count workers on the period's last day.
    let early = d
        .nf(&[
            "report", "streets", "--month", "2024-12", "--format", "json",
        ])
        .ok()
        .json();
    let e = street("合计", None, 5, 8, 4, 0, 0, 0, 0);
    assert_eq!(project(&early["total"], &e), e);
}

#[test]
fn report_streets_csv_table_and_markdown() {
    let d = District::new().without_init().checkins().points().build();
    let csv = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "csv"])
        .ok();
    let rows = bom_csv(&csv.raw_stdout);
    // The period line, then the table.
    assert_eq!(rows[0], ["期间", "2025-07-01 – 2025-07-31"]);
    let rows = &rows[1..];
    // CSV has every figure as a column; pick the hand-worked ones by header.
    let pick = |row: &Vec<String>, names: &[&str]| -> Vec<String> {
        names
            .iter()
            .map(|n| {
                let i = rows[0]
                    .iter()
                    .position(|h| h == n)
                    .unwrap_or_else(|| panic!("no column {n}: {:?}", rows[0]));
                row[i].clone()
            })
            .collect()
    };
    let names = [
        "街道",
        "区划代码",
        "站点",
        "从业人员",
        "党员",
        "报到人次",
        "报到人数",
        "积分发放",
        "积分兑换",
        "组织覆盖率",
        "工作覆盖率",
    ];
    assert_eq!(rows[0].len(), 46);
    // The header, 7 streets, the total and the ledger digest.
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[9][0], "账本摘要");
    assert_eq!(
        pick(&rows[1], &names),
        [
            "柳巷街道",
            "140106001",
            "3",
            "3",
            "2",
            "3",
            "2",
            "12",
            "5",
            "0.0%",
            "0.0%"
        ]
    );
    assert_eq!(
        pick(&rows[8], &names),
        [
            "合计", "", "5", "8", "4", "8", "6", "37", "15", "0.0%", "0.0%"
        ]
    );

    let table = d.nf(&["report", "streets", "--month", "2025-07"]).ok();
    table.stdout_has(&[
        "街道",
        "区划代码",
        "站点",
        "从业人员",
        "党员",
        "报到人次",
        "报到人数",
        "积分发放",
        "积分兑换",
    ]);
    assert_eq!(table.stderr, "2025-07-01 – 2025-07-31\n");
    let data: Vec<&str> = table
        .stdout
        .lines()
        .filter(|l| YINGZE.iter().any(|(_, n)| l.contains(n)) || l.contains("合计"))
        .collect();
    assert_eq!(data.len(), 8, "{}", table.stdout);
    let cells: Vec<&str> = data[7].split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "|", "合计", "-", "5", "8", "4", "8", "6", "37", "15", "0.0%", "0.0%", "|"
        ]
    );
    let cells: Vec<&str> = data[0].split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "|",
            "柳巷街道",
            "140106001",
            "3",
            "3",
            "2",
            "3",
            "2",
            "12",
            "5",
            "0.0%",
            "0.0%",
            "|"
        ]
    );

    let md = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "md"])
        .ok();
    assert!(
        md.stdout
            .starts_with("期间：2025-07-01 – 2025-07-31\n\n| 街道"),
        "{}",
        md.stdout
    );
    md.stdout_has(&["| 合计 "]);
}

#[test]
fn stock_figures_count_workers_on_the_last_day_of_the_period() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,政治面貌,所属街道,入职日期,离职日期\n\
         甲,18600005551,快递员,中共党员,庙前街道,,2025-07-15\n\
         乙,18600005552,外卖员,群众,庙前街道,2025-07-10,\n\
         丙,18600005553,外卖员,中共党员,庙前街道,2025-06-01,2025-07-31\n",
    );
    d.nf(&["import", "workers", "workers.csv"]).ok();
    let figures = |month: &str| {
        let r = d
            .nf(&["report", "streets", "--month", month, "--format", "json"])
            .ok()
            .json();
        (
            r["streets"][2]["workers"].as_i64().unwrap(),
            r["streets"][2]["party_members"].as_i64().unwrap(),
        )
    };
    assert_eq!(figures("2025-05"), (1, 1)); // 甲
    assert_eq!(figures("2025-06"), (2, 2)); // 甲, 丙
    assert_eq!(figures("2025-07"), (2, 1)); // 乙, 丙 (甲 left on the 15th)
    assert_eq!(figures("2025-08"), (1, 0)); // 乙
    let july = d
        .nf(&["worker", "list", "--month", "2025-07", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(sorted(&july, "name"), ["丙", "乙"]);
    // Today only 乙 works; --all lists everyone.
    assert_eq!(
        d.nf(&["worker", "list", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        1
    );
    assert_eq!(
        d.nf(&["worker", "list", "--all", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        3
    );
}
