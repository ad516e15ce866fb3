//! The reports in both languages: Chinese by default, with no English sentence left in what
//! a person reads, and today's English with `--lang en`.

use crate::util::{Dir, District, bom_csv};

/// The district with every register: stations, workers, check-ins, points, organizations,
/// services, 随手拍, instructors, wishes and awards.
fn full_district() -> Dir {
    District::new().checkins().points().orgs().records().build()
}

#[test]
fn report_streets_and_district_in_chinese_say_no_english_sentence() {
    let d = full_district();
    let runs: [&[&str]; 9] = [
        &["report", "streets", "--month", "2025-07"],
        &["report", "streets", "--month", "2025-07", "--compare"],
        &["report", "streets", "--month", "2025-07", "--format", "md"],
        &["report", "streets", "--month", "2025-07", "--format", "csv"],
        &["report", "streets", "--quarter", "2025Q3", "--monthly"],
        &["report", "district", "--month", "2025-07"],
        &[
            "report",
            "district",
            "--from",
            "2025-07-01",
            "--to",
            "2025-07-15",
        ],
        &[
            "report",
            "district",
            "--quarter",
            "2025Q3",
            "--format",
            "md",
        ],
        &["report", "coverage", "--month", "2025-07"],
    ];
    for args in runs {
        let o = d.nf(args).ok();
        for text in [&o.stdout, &o.stderr] {
            assert_eq!(crate::util::english_run(text), None, "{args:?}:\n{text}");
        }
    }
    let o = d.nf(&["report", "district", "--month", "2025-07"]).ok();
    o.stdout_has(&[
        "迎泽区新就业群体党建工作简报（2025年7月）",
        "指标",
        "本期",
        "年初至今",
        "截至2025年7月31日，迎泽区共有",
        "\n2025年7月，从业人员报到",
        "\n年初以来，累计报到",
    ]);
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31（年初至今自 2025-01-01 起）\n"
    );
    let o = d
        .nf(&["report", "streets", "--month", "2025-07", "--compare"])
        .ok();
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31（与 2025-06-01 – 2025-06-30 相比的变化）\n"
    );
    o.stdout_has(&["街道", "区划代码", "站点", "合计"]);
}

#[test]
fn report_streets_and_district_with_lang_en_say_today_s_english() {
    let d = full_district();
    let o = d
        .nf(&[
            "--lang", "en", "report", "streets", "--month", "2025-07", "--format", "csv",
        ])
        .ok();
    let rows = bom_csv(o.stdout.as_bytes());
    assert_eq!(rows[0], ["Period", "2025-07-01 – 2025-07-31"]);
    let rows = &rows[1..];
    assert_eq!(
        rows[0],
        [
            "Street",
            "Code",
            "Stations",
            "Courier stations",
            "Logistics firms",
            "Rider hubs",
            "Rest stations",
            "Workers",
            "Courier-station workers",
            "Logistics-firm workers",
            "Party members",
            "Probationary members",
            "Mobile members",
            "Admitted",
            "Party organizations",
            "Instructors",
            "Check-ins",
            "Checked in",
            "Volunteer services",
            "Volunteers",
            "Volunteer hours",
            "Volunteer minutes",
            "Reports",
            "Safety hazards",
            "Sanitation",
            "Disputes",
            "Incivility",
            "Street vending",
            "Suggestions",
            "Other reports",
            "Reporters",
            "Resolved",
            "Wishes fulfilled",
            "Points earned",
            "Points redeemed",
            "Care activities",
            "Care person-times",
            "Workers in care activities",
            "Partner merchants",
            "Gifts redeemed (items)",
            "Gift orders pending",
            "Workplaces",
            "Covered",
            "Org coverage",
            "With instructor",
            "Work coverage",
        ]
    );
    // The total, then the ledger digest's record.
    assert_eq!(rows[rows.len() - 2][0], "Total");
    assert_eq!(rows.last().unwrap()[0], "Ledger digest");
    let o = d
        .nf(&[
            "--lang",
            "en",
            "report",
            "streets",
            "--month",
            "2025-07",
            "--compare",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31 (change against 2025-06-01 – 2025-06-30)\n"
    );
    o.stdout_has(&["Street", "Code", "Org coverage", "Work coverage", "Total"]);
    assert!(!o.stdout.contains("合计"), "{}", o.stdout);

    let o = d
        .nf(&["--lang", "en", "report", "district", "--month", "2025-07"])
        .ok();
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31 (year to date from 2025-01-01)\n"
    );
    o.stdout_has(&[
        "迎泽区 party building among new employment groups: bulletin, July 2025",
        "Figure",
        "Period",
        "Year to date",
        "Party members",
        "Workers who checked in",
        "As of 31 July 2025, 迎泽区 had ",
        "\nIn July 2025, workers checked in ",
        "\nYear to date (from 1 January 2025): workers checked in ",
    ]);
    assert!(!o.stdout.contains("截至"), "{}", o.stdout);
    let o = d
        .nf(&["--lang", "en", "report", "coverage", "--month", "2025-07"])
        .ok();
    o.stdout_has(&["Street", "Workplaces", "Org coverage", "Admitted", "Total"]);
}

#[test]
fn an_empty_period_is_said_so_in_both_languages() {
    // A registry with its streets and nothing else.
    let d = Dir::new();
    d.init();
    let o = d.nf(&["report", "district", "--month", "2025-07"]).ok();
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31（年初至今自 2025-01-01 起）\n"
    );
    o.stdout_has(&[
        "\n截至2025年7月31日，迎泽区尚未登记站点，从业人员0人。\n",
        "\n2025年7月，暂无报到、“随手拍”、志愿服务、微心愿和积分记录。\n",
        "\n年初以来，暂无报到、“随手拍”、志愿服务、微心愿和积分记录。\n",
    ]);
    assert_eq!(crate::util::english_run(&o.stdout), None, "{}", o.stdout);
    let o = d
        .nf(&["--lang", "en", "report", "district", "--month", "2025-07"])
        .ok();
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31 (year to date from 2025-01-01)\n"
    );
    o.stdout_has(&[
        "\nAs of 31 July 2025, 迎泽区 had no stations registered, with 0 workers.\n",
        "\nIn July 2025, no check-ins, 随手拍 reports, volunteer service, wishes or points were \
         recorded.\n",
        "\nYear to date (from 1 January 2025): no check-ins, 随手拍 reports, volunteer service, \
         wishes or points were recorded.\n",
    ]);

    // The street table of an empty period: every street, each figure 0, and the period.
    let o = d.nf(&["report", "streets", "--month", "2025-07"]).ok();
    assert_eq!(o.stderr, "2025-07-01 – 2025-07-31\n");
    o.stdout_has(&["合计"]);
    let o = d
        .nf(&["--lang", "en", "report", "streets", "--month", "2025-07"])
        .ok();
    assert_eq!(o.stderr, "2025-07-01 – 2025-07-31\n");
    o.stdout_has(&["Total"]);
}

#[test]
fn nuanfeng_lang_en_words_the_whole_report_in_english() {
    let d = Dir::new();
    d.init();
    let o = d
        .nf(&["report", "district", "--month", "2025-07"])
        .env("NUANFENG_LANG", "en_US.UTF-8")
        .ok();
    assert_eq!(
        o.stderr,
        "2025-07-01 – 2025-07-31 (year to date from 2025-01-01)\n"
    );
    o.stdout_has(&[
        "Figure",
        "Year to date",
        "As of 31 July 2025, 迎泽区 had no stations registered, with 0 workers.",
    ]);
    assert!(!o.stdout.contains("指标"), "{}", o.stdout);
}
