//! Privacy and formats of every list of records.

use crate::util::{Dir, District, bom_csv, find};

#[test]
fn every_list_masks_phones_unless_show_pii() {
    let d = District::new().records().build();
    let phones = [
        "13623517804",
        "15903514426",
        "18636021759",
        "17735240683",
        "13935187026",
        "15135296642",
        "18834071935",
        "13935101000",
        "13935101037",
    ];
    let lists: [&[&str]; 5] = [
        &["service", "list"],
        &["tip", "list"],
        &["wish", "list"],
        &["award", "list"],
        &["instructor", "list"],
    ];
    for list in lists {
        for format in ["table", "csv", "json", "md"] {
            let mut args = list.to_vec();
            args.extend(["--format", format]);
            d.by_operator(&args).ok().hides(&phones);
        }
        let mut args = list.to_vec();
        args.extend(["--format", "json", "--show-pii"]);
        let shown = d.by_operator(&args).ok().json_array();
        assert!(
            shown.iter().all(|v| {
                let p = v["phone"].as_str().unwrap();
                phones.contains(&p)
            }),
            "{list:?}: {shown:?}"
        );
    }
    let tips = d
        .by_operator(&["tip", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(find(&tips, "name", "杨丽")["phone"], "151****6642");
}

#[test]
fn every_list_prints_csv_with_a_bom_and_markdown() {
    let d = District::new().records().build();
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["service", "list"],
            &[
                "编号",
                "姓名",
                "手机号",
                "日期",
                "活动",
                "时长(分钟)",
                "积分",
                "街道",
                "社区",
            ],
        ),
        (
            &["tip", "list"],
            &[
                "编号",
                "日期",
                "姓名",
                "手机号",
                "类别",
                "内容",
                "状态",
                "审核日期",
                "办结日期",
                "街道",
            ],
        ),
        (
            &["wish", "list"],
            &[
                "编号",
                "姓名",
                "手机号",
                "心愿",
                "登记日期",
                "实现日期",
                "认领人",
                "街道",
            ],
        ),
        (
            &["award", "list"],
            &[
                "编号",
                "姓名",
                "手机号",
                "荣誉称号",
                "年度",
                "所属企业",
                "街道",
            ],
        ),
        (
            &["instructor", "list"],
            &[
                "编号",
                "姓名",
                "手机号",
                "街道",
                "工作单位",
                "站点数",
                "负责站点",
            ],
        ),
    ];
    for (list, headers) in cases {
        let mut args = list.to_vec();
        args.extend(["--format", "csv"]);
        let rows = bom_csv(&d.by_operator(&args).ok().raw_stdout);
        assert_eq!(rows[0], headers, "{list:?}");
        let json_len = {
            let mut a = list.to_vec();
            a.extend(["--format", "json"]);
            d.by_operator(&a).ok().json_array().len()
        };
        assert_eq!(rows.len(), json_len + 1, "{list:?}");
        let mut args = list.to_vec();
        args.extend(["--format", "md"]);
        let md = d.by_operator(&args).ok().stdout;
        assert!(md.starts_with(&format!("| {} ", headers[0])), "{md}");
        assert_eq!(md.lines().count(), json_len + 2, "{md}");
    }
    // CSV leaves missing values empty; the table shows a dash.
    let rows = bom_csv(
        &d.by_operator(&["wish", "list", "--open", "--format", "csv"])
            .ok()
            .raw_stdout,
    );
    assert_eq!(
        rows[1],
        [
            "2",
            "陈磊",
            "188****1935",
            "孩子暑期托管",
            "2025-07-03",
            "",
            "",
            "桥东街道"
        ]
    );
}

#[test]
fn typed_commands_on_a_missing_registry_create_nothing() {
    let d = Dir::new();
    for args in [
        &["service", "list"][..],
        &["tip", "approve", "1"],
        &["wish", "list"],
        &["award", "list"],
        &["instructor", "assign", "王秀芳", "美团柳巷站"],
    ] {
        d.by_operator(args)
            .code(1)
            .stderr_has(&["找不到台账文件 nf.db"]);
    }
    assert!(!d.exists("nf.db"));
}
