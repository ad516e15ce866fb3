//! Past months stay as sent: a report of a month gives the same bytes after a worker's street
//! is corrected or a register is imported again later; points, wishes and admissions count
//! under the worker's street on their day, as the change log tells it.

use crate::util::{District, bom_csv};

/// `report streets --month 2025-07` in every text format: (format, stdout, stderr).
fn july(d: &crate::util::Dir) -> Vec<(&'static str, Vec<u8>, String)> {
    ["table", "csv", "json", "md"]
        .into_iter()
        .map(|f| {
            let o = d
                .nf(&["report", "streets", "--month", "2025-07", "--format", f])
                .ok();
            (f, o.raw_stdout.clone(), o.stderr.clone())
        })
        .collect()
}

/// The CSV row of `street` and the cell under `header`.
fn cell(csv: &[u8], street: &str, header: &str) -> String {
    let rows = bom_csv(csv);
    let h = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "街道"))
        .expect("a header row");
    let i = rows[h].iter().position(|c| c == header).expect(header);
    rows[h + 1..]
        .iter()
        .find(|r| r[0] == street)
        .unwrap_or_else(|| panic!("no row {street}"))[i]
        .clone()
}

#[test]
fn a_street_corrected_after_july_leaves_july_as_sent() {
    let d = District::new()
        .without_init()
        .checkins()
        .points()
        .records()
        .build();
    let before = july(&d);
    // July: 柳巷 17 points earned (郭志伟's and 李浩's entries, and the points of 李浩's
    // service), 5 redeemed (郭志伟); 3 workers; 文庙 7 earned, 2 workers.
    let csv = &before[1].1;
    assert_eq!(cell(csv, "柳巷街道", "积分发放"), "17");
    assert_eq!(cell(csv, "柳巷街道", "积分兑换"), "5");
    assert_eq!(cell(csv, "柳巷街道", "从业人员"), "3");
    assert_eq!(cell(csv, "文庙街道", "积分发放"), "7");
    assert_eq!(cell(csv, "文庙街道", "从业人员"), "2");
    // 杨丽's wish, fulfilled on 20 July, in 迎泽街道.
    assert_eq!(cell(csv, "迎泽街道", "微心愿实现"), "1");

    // The register imported again, later, with 李浩 in 文庙街道 and 杨丽 in 桥东街道.
    let register = String::from_utf8(crate::util::fixture_bytes("district/workers.csv"))
        .unwrap()
        .replace(
            "美团,美团柳巷站,柳巷街道,察院后社区居委会",
            "美团,,文庙街道,文庙社区居委会",
        )
        .replace(
            "京东物流,,迎泽街道,青年路一社区居委会",
            "京东物流,,桥东街道,迎宾社区居委会",
        );
    d.write("workers-august.csv", register);
    d.nf(&["import", "workers", "workers-august.csv"])
        .ok()
        .stderr_has(&["新增 0，更新 2，未变 6"]);
    // Then corrected at the terminal: 郭志伟 works at 中通快递文庙网点, in 文庙街道.
    d.nf(&[
        "worker",
        "update",
        "郭志伟",
        "--station",
        "中通快递文庙网点",
    ])
    .ok();
    let now: Vec<Vec<Option<String>>> = d.rows(
        "SELECT w.name, s.name FROM workers w JOIN streets s ON s.id = w.street_id
         WHERE w.name IN ('郭志伟', '李浩', '杨丽') ORDER BY w.name",
    );
    assert_eq!(
        now,
        [
            crate::util::some(&["李浩", "文庙街道"]),
            crate::util::some(&["杨丽", "桥东街道"]),
            crate::util::some(&["郭志伟", "文庙街道"]),
        ]
    );

    // From the month of the corrections on, they count where they work now.
    let month = &d.rows("SELECT substr(max(at), 1, 7) FROM change_log")[0][0];
    let month = month.as_deref().expect("the month of the corrections");
    let now = d
        .nf(&["report", "streets", "--month", month, "--format", "csv"])
        .ok();
    assert_eq!(cell(&now.raw_stdout, "柳巷街道", "从业人员"), "1");
    assert_eq!(cell(&now.raw_stdout, "文庙街道", "从业人员"), "4");
    assert_eq!(cell(&now.raw_stdout, "桥东街道", "从业人员"), "2");

    let after = july(&d);
    for ((f, out0, err0), (_, out1, err1)) in before.iter().zip(&after) {
        assert_eq!(
            String::from_utf8_lossy(out0),
            String::from_utf8_lossy(out1),
            "--format {f}"
        );
        assert_eq!(err0, err1, "--format {f}");
    }
}

#[test]
fn volunteer_hours_of_the_streets_add_up_to_the_total() {
    let d = District::new().build();
    // 20 minutes in 柳巷街道 and 20 in 文庙街道: 0.3 hours each rounded, 0.7 together.
    d.write(
        "services.csv",
        "姓名,手机号,服务日期,活动名称,服务时长,服务街道,服务社区\n\
         郭志伟,13623517804,2025-07-05,夏日送清凉,20分钟,柳巷街道,宁化府社区居委会\n\
         王宇,17735240683,2025-07-20,助老送餐,20分钟,文庙街道,山佑巷社区居委会\n",
    );
    d.nf(&["import", "services", "services.csv"])
        .ok()
        .stderr_has(&["共 2 行：新增 2"]);
    let csv = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "csv"])
        .ok();
    // CSV: hours and minutes, and the minutes as a number.
    for (street, h, m) in [
        ("柳巷街道", "0:20", "20"),
        ("文庙街道", "0:20", "20"),
        ("庙前街道", "0:00", "0"),
        ("合计", "0:40", "40"),
    ] {
        assert_eq!(cell(&csv.raw_stdout, street, "志愿服务时长(小时)"), h);
        assert_eq!(cell(&csv.raw_stdout, street, "志愿服务时长(分钟)"), m);
    }
    // JSON keeps its hours with one decimal and adds the minutes.
    let json = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(json["streets"][0]["service_hours"], 0.3);
    assert_eq!(json["streets"][0]["service_minutes"], 20);
    assert_eq!(json["total"]["service_hours"], 0.7);
    assert_eq!(json["total"]["service_minutes"], 40);
    // The district table says the same.
    d.nf(&[
        "report", "district", "--month", "2025-07", "--format", "csv",
    ])
    .ok()
    .stdout_has(&["志愿服务时长(小时),0:40,0:40\n"]);
    // --compare: the change in hours and minutes (June had none).
    d.nf(&[
        "report",
        "streets",
        "--month",
        "2025-07",
        "--compare",
        "--format",
        "md",
    ])
    .ok()
    .stdout_has(&["期间：2025-07-01 – 2025-07-31（与 2025-06-01 – 2025-06-30 相比的变化）\n\n"]);
}

#[test]
fn csv_and_markdown_say_their_period_and_the_table_leaves_it_to_stderr() {
    let d = District::new().without_init().checkins().points().build();
    let out = |args: &[&str]| {
        let mut all = vec!["report"];
        all.extend(args);
        d.nf(&all).ok()
    };
    let csv = out(&[
        "streets",
        "--quarter",
        "2025Q3",
        "--monthly",
        "--format",
        "csv",
    ]);
    assert!(
        csv.stdout
            .starts_with("\u{feff}期间,2025-07-01 – 2025-09-30\n月份,街道,"),
        "{}",
        csv.stdout
    );
    assert_eq!(csv.stderr, "");
    let md = out(&["coverage", "--month", "2025-07", "--format", "md"]);
    assert!(
        md.stdout
            .starts_with("期间：2025-07-01 – 2025-07-31\n\n| 街道"),
        "{}",
        md.stdout
    );
    let md = out(&["district", "--month", "2025-07", "--format", "md"]);
    md.stdout_has(&["期间：2025-07-01 – 2025-07-31（年初至今自 2025-01-01 起）\n\n| 指标"]);
    let en = d
        .nf(&[
            "--lang", "en", "report", "streets", "--month", "2025-07", "--format", "md",
        ])
        .ok();
    assert!(
        en.stdout
            .starts_with("Period: 2025-07-01 – 2025-07-31\n\n| Street"),
        "{}",
        en.stdout
    );
    // The terminal table: the period on stderr, the table alone on stdout.
    let table = out(&["streets", "--month", "2025-07"]);
    assert_eq!(table.stderr, "2025-07-01 – 2025-07-31\n");
    assert!(table.stdout.starts_with("+-"), "{}", table.stdout);
}
