//! The lists and `show` tables in English (`--lang en`): every header and row label, and the
//! values of the vocabularies (性别, 政治面貌, 从业类型, 站点类型 …) in English words, the data
//! as it is. The Chinese tables are asserted with the commands they belong to.

use crate::util::{District, district, membership_district};

use super::GUO_ZHIWEI;

/// True when `text` holds a Chinese character.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The cells of the first row of a table as printed (`| a   b   c |`), split at runs of two
/// spaces or more.
fn header(table: &str) -> Vec<String> {
    let line = table.lines().nth(1).expect("a header row");
    line.trim_matches('|')
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

/// The first cell of every row of the first table (the labels of a `show` table).
fn labels(table: &str) -> Vec<String> {
    table
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_start_matches('|')
                .trim_start()
                .split("  ")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn worker_show_in_english_labels_every_row_and_column() {
    let d = district();
    d.nf(&["worker", "update", GUO_ZHIWEI, "--phone", "13934567812"])
        .ok();
    let o = d
        .nf(&["--lang", "en", "worker", "show", "13934567812"])
        .ok();
    assert!(
        o.stdout.starts_with(
            "+---------------------------------------------------+\n\
             | Field              Value                          |\n\
             +===================================================+\n\
             | Name               郭志伟                         |\n\
             | Gender             male                           |\n\
             | Phone              139****7812                    |\n\
             | ID number          140106********6010             |\n"
        ),
        "{}",
        o.stdout
    );
    o.stdout_has(&[
        "| Political status   party member                   |",
        "| Occupation         courier                        |",
        "| Enterprise         顺丰速运                       |",
        "| Station            顺丰速运柳巷营业部             |",
        "| Street             柳巷街道                       |",
        "| Community          宁化府社区居委会               |",
        "| Joined             -                              |",
        "| Left               -                              |",
        "| Note               -                              |",
        "| Time                  Field        Old value     New value     Source",
        "Operator |",
    ]);
    // The former number's row.
    let today = chrono::Local::now().date_naive();
    o.stdout_has(&[&format!(
        "| Former phone       136****7804 (until {today}) |"
    )]);
    assert_eq!(
        labels(&o.stdout),
        [
            "Name",
            "Gender",
            "Phone",
            "ID number",
            "Former phone",
            "Political status",
            "Occupation",
            "Enterprise",
            "Station",
            "Street",
            "Community",
            "Joined",
            "Left",
            "Note"
        ]
    );
    // The change log: the field by its English name, the source as typed.
    let history = o.stdout.split("\n\n").nth(1).expect("the change log");
    assert_eq!(
        header(history),
        [
            "Time",
            "Field",
            "Old value",
            "New value",
            "Source",
            "Operator"
        ]
    );
    let rows: Vec<&str> = history.lines().skip(3).collect();
    assert!(
        rows[0].contains("   registered   -             郭志伟        import workers workers.csv"),
        "{history}"
    );
    assert!(
        rows[1].contains("   Phone        136****7804   139****7812   worker update"),
        "{history}"
    );
    assert_eq!(o.stderr, "2 changes\n");
}

#[test]
fn worker_show_in_english_labels_membership_and_stages() {
    let d = membership_district();
    d.nf(&[
        "worker",
        "stage",
        "李浩",
        "--to",
        "入党申请人",
        "--date",
        "2025-03-01",
    ])
    .ok();
    let o = d.nf(&["--lang", "en", "worker", "show", "张敏"]).ok();
    o.stdout_has(&[
        "| Political status           probationary member",
        "| Occupation                 delivery rider",
        "| Membership registered at   山西省临汾市尧都区贾得乡党委",
        "| Mobile member              yes",
        "| Takes part in              迎泽区快递物流行业党委",
    ]);
    assert!(!has_chinese(&labels(&o.stdout).concat()), "{}", o.stdout);
    let o = d.nf(&["--lang", "en", "worker", "show", "李浩"]).ok();
    let stages = o.stdout.split("\n\n").nth(1).expect("the stages");
    assert_eq!(
        header(stages),
        ["Stage", "Date", "Instructor", "Entered at", "Operator"]
    );
    assert!(stages.contains("| applicant   2025-03-01   -"), "{stages}");
    let o = d.nf(&["--lang", "en", "worker", "stages"]).ok();
    assert_eq!(
        header(&o.stdout),
        [
            "Name",
            "Phone",
            "Street",
            "Stage",
            "Date",
            "Applied",
            "Instructor"
        ]
    );
    o.stdout_has(&["| 李浩   159****4426   柳巷街道   applicant   2025-03-01"]);
}

#[test]
fn worker_list_in_english_has_english_headers_and_values() {
    let d = district();
    let o = d
        .nf(&["--lang", "en", "worker", "list", "--street", "文庙"])
        .ok();
    assert_eq!(
        header(&o.stdout),
        [
            "Name",
            "Gender",
            "Phone",
            "ID number",
            "Political status",
            "Occupation",
            "Enterprise",
            "Station",
            "Street",
            "Community"
        ]
    );
    o.stdout_has(&[
        "| 王宇     male     177****0683   140106********6596   league member      courier",
        "| 赵海峰   male     139****7026   140105********6775   party member       ride hailing driver",
    ]);
    // In Chinese, as ever.
    let o = d.nf(&["worker", "list", "--street", "文庙"]).ok();
    assert_eq!(
        header(&o.stdout),
        [
            "姓名",
            "性别",
            "手机号",
            "身份证号",
            "政治面貌",
            "从业类型",
            "所属企业",
            "所属站点",
            "所属街道",
            "所属社区"
        ]
    );
    o.stdout_has(&["| 王宇     男     177****0683   140106********6596   共青团员   快递员"]);
}

#[test]
fn worker_purge_dry_run_in_english_has_english_headers() {
    let d = district();
    d.nf(&["worker", "leave", "王宇", "--date", "2025-06-30"])
        .ok();
    let o = d
        .nf(&[
            "--lang",
            "en",
            "worker",
            "purge",
            "--left-before",
            "2026-01-01",
            "--dry-run",
        ])
        .ok();
    assert_eq!(
        o.stdout,
        "+------------------------------+\n\
         | Name   Street     Left       |\n\
         +==============================+\n\
         | 王宇   文庙街道   2025-06-30 |\n\
         +------------------------------+\n"
    );
    assert_eq!(
        o.stderr,
        "would purge 1 worker who left before 2026-01-01; nothing was changed (dry run)\n"
    );
}

#[test]
fn station_show_in_english_labels_every_row_and_column() {
    let d = district();
    let o = d
        .nf(&["--lang", "en", "station", "show", "宁化府社区暖蜂驿站"])
        .ok();
    assert_eq!(
        labels(&o.stdout),
        [
            "Station",
            "Station type",
            "Enterprise",
            "Street",
            "Community",
            "Address",
            "Contact",
            "Contact phone",
            "Facilities",
            "Workers (declared)",
            "Workers (registered)",
            "Instructor"
        ]
    );
    o.stdout_has(&[
        "| Field                  Value ",
        "| Station type           rest station ",
    ]);
    let history = o.stdout.split("\n\n").nth(1).expect("the change log");
    assert_eq!(
        header(history),
        [
            "Time",
            "Field",
            "Old value",
            "New value",
            "Source",
            "Operator"
        ]
    );
    assert!(history.contains("   registered   -   "), "{history}");
    let o = d
        .nf(&["--lang", "en", "station", "list", "--street", "柳巷"])
        .ok();
    assert_eq!(
        header(&o.stdout),
        [
            "Station",
            "Station type",
            "Enterprise",
            "Street",
            "Community",
            "Contact",
            "Contact phone",
            "Facilities",
            "Workers",
            "Instructor"
        ]
    );
}

#[test]
fn org_show_in_english_labels_every_row_and_column() {
    let d = District::new().orgs().build();
    let o = d
        .nf(&["--lang", "en", "org", "show", "柳巷街道快递物流联合党支部"])
        .ok();
    assert_eq!(
        labels(&o.stdout),
        [
            "Name",
            "Type",
            "Parent organization",
            "Child organizations",
            "Street",
            "Founded",
            "Secretary",
            "Stations covered",
            "Workers"
        ]
    );
    o.stdout_has(&[
        "| Field                 Value ",
        "| Type                  joint branch ",
    ]);
    let mut tables = o.stdout.split("\n\n");
    let covered = tables.nth(1).expect("the stations covered");
    assert_eq!(
        header(covered),
        [
            "Covered station",
            "Station type",
            "Street",
            "Workers",
            "Covered since"
        ]
    );
    let history = tables.next().expect("the change log");
    assert_eq!(
        header(history),
        [
            "Time",
            "Field",
            "Old value",
            "New value",
            "Source",
            "Operator"
        ]
    );
    assert!(history.contains("   Covered station   -   "), "{history}");
    let o = d.nf(&["--lang", "en", "org", "list"]).ok();
    assert_eq!(
        header(&o.stdout),
        [
            "Name",
            "Type",
            "Parent organization",
            "Street",
            "Founded",
            "Secretary",
            "Stations covered"
        ]
    );
}

#[test]
fn every_list_in_english_has_english_headers() {
    let d = District::new().checkins().points().orgs().records().build();
    let lists: [&[&str]; 11] = [
        &["worker", "list"],
        &["worker", "stages"],
        &["station", "list"],
        &["org", "list"],
        &["checkin", "list"],
        &["service", "list"],
        &["tip", "list"],
        &["wish", "list"],
        &["award", "list"],
        &["instructor", "list"],
        &["points", "balance"],
    ];
    for args in lists {
        let mut all = vec!["--lang", "en"];
        all.extend(args);
        let o = d.nf(&all).ok();
        if o.stdout.is_empty() {
            continue;
        }
        let head = header(&o.stdout);
        assert!(!has_chinese(&head.concat()), "{args:?}: {head:?}");
    }
    // A statement's kinds and categories in English words.
    let o = d
        .nf(&["--lang", "en", "points", "statement", GUO_ZHIWEI])
        .ok();
    assert_eq!(
        header(&o.stdout),
        [
            "Entry", "Date", "Kind", "Points", "Category", "Reason", "Source", "Balance"
        ]
    );
    let kinds: Vec<&str> = o
        .stdout
        .lines()
        .skip(3)
        .filter_map(|l| l.split_whitespace().nth(3))
        .collect();
    assert_eq!(kinds, ["earn", "earn", "earn", "redeem"], "{}", o.stdout);
    o.stdout_has(&[
        "   volunteer service   参加反诈宣传",
        "   redemption          兑换理发券",
    ]);
    let o = d.nf(&["--lang", "en", "tip", "list"]).ok();
    assert_eq!(
        header(&o.stdout),
        [
            "id", "Date", "Name", "Phone", "Category", "Content", "Status", "Approved", "Resolved",
            "Street"
        ]
    );
}
