//! Imports that went wrong: a stray quote, codes of the wrong length, year-last dates, a
//! forced encoding, renamed and moved workers, `--map`, many identical rows, station numbers,
//! impossible birth dates, points files out of date order.

use serde_json::{Value, json};

use super::clear_numbers;
use crate::util::{Dir, District, bom_csv, find, sorted};

#[test]
fn unclosed_quote_does_not_swallow_the_rest_of_the_file() {
    let d = Dir::new();
    d.init();
    // Line 3 opens a quote in 从业类型(F) and never closes it: the rest of the file would
    // fall into that one cell.
    d.write(
        "workers.csv",
        "姓名,性别,手机号,身份证号,政治面貌,从业类型,所属企业,所属站点,所属街道,所属社区\n吕静,女,15035418863,140106199108208088,群众,外卖员,美团,,老军营街道,新建南路一社区居委会\n魏东,男,13835261147,140106198305068016,群众,\"外卖骑手,美团,,老军营街道,劲松社区居民委员会\n丁鹏飞,男,18635297730,140106199601128153,群众,外卖员,美团,,老军营街道,滨河东路一社区居委会\n侯婷婷,女,13513648802,140106198812254321,群众,外卖员,美团,,老军营街道,\n",
    );
    let secrets = [
        "15035418863",
        "140106199108208088",
        "13835261147",
        "140106198305068016",
        "18635297730",
        "140106199601128153",
        "13513648802",
        "140106198812254321",
    ];
    for extra in [
        &[][..],
        &["--skip-invalid", "--rejects", "R.csv"][..],
        &["--dry-run"][..],
    ] {
        let mut args = vec!["import", "workers"];
        args.extend_from_slice(extra);
        args.push("workers.csv");
        let o = d.nf(&args).code(1);
        assert!(
            o.stderr.starts_with(
                "workers.csv: 按 UTF-8 读取\n错误：workers.csv: 第3行 F 列: 以引号（\"）开头的单元格跨了 "
            ),
            "{extra:?}: {}",
            o.stderr
        );
        o.stderr_has(&["这个引号多半没有配对；删掉它或补上另一半，再导入\n"]);
        o.hides(&secrets);
        assert!(clear_numbers(&o.stderr).is_empty(), "{}", o.stderr);
    }
    assert!(!d.exists("R.csv"));
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn street_codes_of_the_wrong_length_are_not_skipped_silently() {
    // A registry without official lists: the file's street and community are what is added.
    let d = Dir::new();
    d.nf(&["init"]).ok();
    d.write(
        "streets.csv",
        "级别,代码,名称,上级代码\n省,14,山西省,\n市,1401,太原市,14\n区县,140106,迎泽区,1401\n街道,140106001,柳巷街道,140106\n社区,140106001001,宁化府社区居委会,140106001\n社区,14010,五位,140106001\n社区,1401060,七位,140106001\n社区,1401060010,十位,140106001\n社区,14010600100,十一位,140106001\n",
    );
    let o = d.nf(&["import", "streets", "streets.csv"]).code(1);
    let why = "街道代码是 9 位，社区代码是 12 位\n";
    o.stderr_has(&[
        &format!("streets.csv:第7行: 代码(B): 14010: 有 5 位 — {why}"),
        &format!("streets.csv:第8行: 代码(B): 1401060: 有 7 位 — {why}"),
        &format!("streets.csv:第9行: 代码(B): 1401060010: 有 10 位 — {why}"),
        &format!("streets.csv:第10行: 代码(B): 140****0100: 有 11 位 — {why}"),
        "错误：streets.csv: 共 9 行，其中 4 行有问题（见上）；什么都没有导入",
    ]);
    // The province, city and district rows are no problem.
    for line in 2..=6 {
        assert!(
            !o.stderr.contains(&format!("streets.csv:{line}:")),
            "{}",
            o.stderr
        );
    }
    assert_eq!(d.int("SELECT count(*) FROM communities"), 0);
    // Without the bad rows the file imports, adding neither a province nor a district.
    d.write(
        "good.csv",
        "级别,代码,名称,上级代码\n省,14,山西省,\n市,1401,太原市,14\n区县,140106,迎泽区,1401\n街道,140106001,柳巷街道,140106\n社区,140106001001,宁化府社区居委会,140106001\n",
    );
    let o = d.nf(&["import", "streets", "good.csv"]).ok();
    assert_eq!(
        o.stderr,
        "good.csv: 按 UTF-8 读取\ngood.csv: 共 5 行：新增 2，更新 0，未变 3\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 1);
    assert_eq!(
        d.rows("SELECT code, name FROM communities"),
        [[
            Some("140106001001".to_string()),
            Some("宁化府社区居委会".to_string())
        ]]
    );
}

#[test]
fn dates_with_the_year_last_are_read_only_when_one_reading_exists() {
    let d = District::new().without_init().checkins().points().build();
    // 6/7/2025 and 16/07/2025 are refused, each naming what it could be; 7/16/2025 can only
    // be 16 July (a month-first export), and is read so.
    let why = [
        (
            "6/7/2025",
            "年份写在最后，分不清是 2025-06-07 还是 2025-07-06 — 写成其中对的那个",
        ),
        (
            "16/07/2025",
            "日写在月前面（只能是 2025-07-16）— 写成 2025-07-16",
        ),
    ];
    for (date, why) in why {
        d.nf(&["checkin", "add", "15135296642", "--date", date])
            .code(1)
            .stderr_has(&[&format!("错误：--date: {date}: {why}")]);
    }
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 10);
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,事项\n15135296642,6/7/2025,迎泽街道,日常报到\n15135296642,16/07/2025,迎泽街道,日常报到\n15135296642,7/16/2025,迎泽街道,日常报到\n15135296642,2025/7/6,迎泽街道,日常报到\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    o.stderr_has(&[
        &format!("checkins.csv:第2行: 报到日期(B): 6/7/2025: {}", why[0].1),
        &format!("checkins.csv:第3行: 报到日期(B): 16/07/2025: {}", why[1].1),
        "错误：checkins.csv: 共 4 行，其中 2 行有问题",
    ]);
    assert!(!o.stderr.contains("checkins.csv:第4行"), "{}", o.stderr);
    assert!(!o.stderr.contains("checkins.csv:第5行"), "{}", o.stderr);
    // 2025/7/6 still reads as 6 July, 7/16/2025 as 16 July.
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "checkins.csv",
    ])
    .ok()
    .stderr_has(&["checkins.csv: 共 4 行：新增 2，更新 0，未变 0，有问题 2"]);
    assert_eq!(
        d.rows("SELECT k.date FROM checkins k JOIN workers w ON w.id = k.worker_id WHERE w.name = '杨丽' AND k.date LIKE '2025-07-%' ORDER BY k.date"),
        [[Some("2025-07-06".to_string())], [Some("2025-07-16".to_string())]]
    );
    d.nf(&["checkin", "add", "15135296642", "--date", "2025/7/16"])
        .ok()
        .stderr_has(&["已记录：杨丽 于 2025-07-16 报到"]);
}

#[test]
fn forced_gb18030_does_not_garble_a_utf8_file_with_a_bom() {
    let d = Dir::new();
    d.init();
    d.copy("01-utf8-bom/workers.csv");
    let o = d
        .nf(&["import", "workers", "--encoding", "gb18030", "workers.csv"])
        .ok();
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8（带 BOM） 读取\nworkers.csv: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    let w = d.workers();
    assert_eq!(sorted(&w, "name"), ["温晓东", "石志刚", "秦丽娜"]);
    assert_eq!(find(&w, "name", "石志刚")["community"], "山佑巷社区居委会");
    assert_eq!(
        d.rows("SELECT encoding FROM import_batches"),
        [[Some("utf-8-bom".to_string())]]
    );
}

#[test]
fn renamed_worker_is_not_renamed_silently() {
    let d = Dir::new();
    d.init();
    d.import("workers", "01-utf8-bom/workers.csv");
    let id = d.int("SELECT id FROM workers WHERE id_number = '140106196903142117'");
    d.write(
        "renamed.csv",
        "姓名,手机号,身份证号,从业类型,所属街道\n石志强,13603517264,140106196903142117,快递员,文庙街道\n",
    );
    let o = d.nf(&["import", "workers", "renamed.csv"]).ok();
    assert_eq!(
        o.stderr,
        "renamed.csv: 按 UTF-8 读取\nrenamed.csv:第2行: 提示：姓名：这个身份证号原登记为 石志刚，已改为 石志强\nrenamed.csv: 共 1 行：新增 0，更新 1，未变 0\n\
         renamed.csv: 本台账涵盖的街道（文庙街道）有 2 名在册从业人员不在台账中：\n\
         \x20 温晓东 140106********2355 155****8170，文庙街道\n\
         \x20 秦丽娜 140106********2487 186****5142，文庙街道\n\
         他们仍计入从业人员。已离职的：加 --missing left --date 离职日期 一并登记（先加 --dry-run 看会登记谁），或逐人 nuanfeng worker leave 号码 --date 离职日期\n"
    );
    assert_eq!(
        d.rows(&format!("SELECT name FROM workers WHERE id = {id}")),
        [[Some("石志强".to_string())]]
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 3);
    // Matched by 手机号 when there is no 身份证号.
    d.write(
        "renamed2.csv",
        "姓名,手机号,从业类型,所属街道\n石志勇,13603517264,快递员,文庙街道\n",
    );
    d.nf(&["import", "workers", "renamed2.csv"])
        .ok()
        .stderr_has(&[
            "renamed2.csv:第2行: 提示：姓名：这个手机号原登记为 石志强，已改为 石志勇\n",
            "renamed2.csv: 共 1 行：新增 0，更新 1，未变 0\n",
        ]);
}

#[test]
fn worker_moved_to_another_street_does_not_keep_the_old_community() {
    let d = Dir::new();
    d.import("streets", "district/streets.csv");
    d.write(
        "v1.csv",
        "姓名,手机号,身份证号,从业类型,所属街道,所属社区\n杨丽,15135296642,140106199006037169,快递员,迎泽街道,青年路一社区居委会\n陈磊,18834071935,140105198808277358,外卖员,桥东街道,迎宾社区居委会\n",
    );
    d.nf(&["import", "workers", "v1.csv"]).ok();
    // 杨丽 moves to 柳巷街道, community not given; 陈磊 stays in 桥东街道 with a blank cell.
    d.write(
        "v2.csv",
        "姓名,手机号,身份证号,从业类型,所属街道,所属社区\n杨丽,15135296642,140106199006037169,快递员,柳巷街道,\n陈磊,18834071935,140105198808277358,外卖员,桥东街道,\n",
    );
    d.nf(&["import", "workers", "v2.csv"])
        .ok()
        .stderr_has(&["v2.csv: 共 2 行：新增 0，更新 1，未变 1\n"]);
    let w = d.workers();
    let yang = find(&w, "name", "杨丽");
    assert_eq!(yang["street"], "柳巷街道");
    assert_eq!(yang["community"], Value::Null);
    // Same street, blank cell: a blank never erases.
    let chen = find(&w, "name", "陈磊");
    assert_eq!(chen["street"], "桥东街道");
    assert_eq!(chen["community"], "迎宾社区居委会");
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name = '杨丽' AND community_id IS NULL"),
        1
    );
}

#[test]
fn bad_map_options_are_not_ignored() {
    let d = Dir::new();
    d.init();
    d.copy("08-duplicate-field/workers.csv");
    // A header the file does not have: a warning naming it; the import goes on.
    d.nf(&[
        "import",
        "workers",
        "--map",
        "联系电话=-",
        "--map",
        "紧急电话=phone",
        "--dry-run",
        "workers.csv",
    ])
    .ok()
    .stderr_has(&[
        "workers.csv: 注意：--map 写的这些列文件里没有：紧急电话\n",
        "workers.csv: 共 2 行：新增 2",
    ]);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--map", "联系电话=-", "--map", "联系电话=phone"],
            "错误：--map 把 联系电话 列写了两次 — 只写一次\n",
        ),
        (
            &["--map", "联系电话=telephone"],
            "错误：--map: telephone 不是从业人员台账的字段；可用的字段：name（姓名）、",
        ),
        (
            &["--header-row", "0"],
            "错误：--header-row <N> 的值“0”不对：行号从 1 数起（文件的第一行是 1）",
        ),
        (
            &["--map", "=-"],
            "错误：--map 的“=”前面要写表头，例如 --map \"联系电话=-\"\n",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["import", "workers"];
        args.extend_from_slice(flags);
        args.push("workers.csv");
        let o = d.nf(&args).code(2);
        assert!(o.stderr.starts_with(message), "{flags:?}: {}", o.stderr);
        assert_eq!(o.stdout, "");
    }
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn three_thousand_identical_checkins_are_neither_lost_nor_doubled() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    let row = "18635297730,2025-07-08,老军营街道,滨河东路一社区居委会,驿站休息\n";
    let mut file = String::from("手机号,报到日期,报到街道,报到社区,事项\n");
    file.push_str(&row.repeat(3000));
    d.write("many.csv", &file);
    d.nf(&["import", "checkins", "many.csv"])
        .ok()
        .stderr_has(&["many.csv: 共 3000 行：新增 3000，更新 0，未变 0\n"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 3000);
    assert_eq!(
        d.rows("SELECT min(occurrence), max(occurrence), count(DISTINCT occurrence) FROM checkins"),
        [[
            Some("1".to_string()),
            Some("3000".to_string()),
            Some("3000".to_string())
        ]]
    );
    d.nf(&["import", "checkins", "many.csv"])
        .ok()
        .stderr_has(&["many.csv: 共 3000 行：新增 0，更新 0，未变 3000\n"]);
    // Another file with the same 3000 rows and one more: only the one is new.
    file.push_str("18635297730,2025-07-09,老军营街道,滨河东路一社区居委会,驿站休息\n");
    d.write("more.csv", &file);
    d.nf(&["import", "checkins", "more.csv"])
        .ok()
        .stderr_has(&["more.csv: 共 3001 行：新增 1，更新 0，未变 3000\n"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 3001);
}

/// A 400/800 service number was refused as a station's contact number, and a landline typed
/// without its hyphen was kept so. Also: a future 入职日期 is a row error, and `station list`
/// shows every field.
#[test]
fn station_service_numbers_are_not_refused() {
    let d = Dir::new();
    d.import("streets", "district/streets.csv");
    d.write(
        "stations.csv",
        "站点名称,站点类型,所属企业,地址,所属街道,所属社区,从业人数,联系人,联系电话,服务设施\n顺丰速运柳巷营业部,快递站点,顺丰速运,太原市迎泽区柳巷南路88号,柳巷街道,宁化府社区居委会,3,闫志刚,4008123456,\n宁化府社区暖蜂驿站,暖蜂驿站,,太原市迎泽区宁化府巷5号,柳巷街道,,,刘芳,03517654321,饮水、充电、休息\n",
    );
    d.nf(&["import", "stations", "stations.csv"])
        .ok()
        .stderr_has(&["stations.csv: 共 2 行：新增 2，更新 0，未变 0\n"]);
    assert_eq!(
        d.rows("SELECT name, contact_phone FROM stations ORDER BY id"),
        [
            ["顺丰速运柳巷营业部", "4008123456"],
            ["宁化府社区暖蜂驿站", "0351-7654321"]
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // Workers count by station; a future 入职日期 is a row error.
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道,所属站点,入职日期,离职日期\n甲,18600005551,快递员,柳巷街道,顺丰速运柳巷营业部,2999-01-01,\n乙,18600005552,快递员,柳巷街道,顺丰速运柳巷营业部,2025-01-01,\n丙,18600005553,快递员,柳巷街道,顺丰速运柳巷营业部,2024-01-01,2025-06-30\n",
    );
    d.nf(&["import", "workers", "workers.csv"])
        .code(1)
        .stderr_has(&[
            "workers.csv:第2行: 入职日期(F): 2999-01-01: 是将来的日期",
            "错误：workers.csv: 共 3 行，其中 1 行有问题",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok()
    .stderr_has(&["workers.csv: 共 3 行：新增 2，更新 0，未变 0，有问题 1"]);
    assert_eq!(bom_csv(&d.read("R.csv"))[1][4], "甲");

    let list = d
        .nf(&["station", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(list.len(), 2);
    assert_eq!(
        find(&list, "name", "顺丰速运柳巷营业部"),
        &json!({
            "name": "顺丰速运柳巷营业部", "kind": "courier_station", "enterprise": "顺丰速运",
            "street": "柳巷街道", "community": "宁化府社区居委会",
            "address": "太原市迎泽区柳巷南路88号", "contact_name": "闫志刚",
            "contact_phone": "400***3456", "facilities": [], "declared_workers": 3,
            "workers": 1, "id": 1, "instructor": null,
        })
    );
    assert_eq!(
        find(&list, "name", "宁化府社区暖蜂驿站"),
        &json!({
            "name": "宁化府社区暖蜂驿站", "kind": "rest_station", "enterprise": null,
            "street": "柳巷街道", "community": null, "address": "太原市迎泽区宁化府巷5号",
            "contact_name": "刘芳", "contact_phone": "035*****4321",
            "facilities": ["饮水", "充电", "休息"], "declared_workers": null, "workers": 0,
            "id": 2, "instructor": null,
        })
    );
    let pii = d
        .nf(&["station", "list", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    assert_eq!(
        sorted(&pii, "contact_phone"),
        ["0351-7654321", "4008123456"]
    );
    d.nf(&["station", "list"])
        .ok()
        .hides(&["4008123456", "0351-7654321", "7654321"]);
}

#[test]
fn impossible_birth_date_does_not_spell_out_the_id_number() {
    let d = Dir::new();
    d.init();
    // 1991-02-30 does not exist; the masked value shows 140106 and 1133, the reason the
    // eight digits between: all 18 characters end up on the screen and in the rejects file.
    d.write(
        "bad.csv",
        "姓名,手机号,身份证号,从业类型,所属街道\n甲,18600003333,140106199102301133,快递员,桥东街道\n",
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "bad.csv",
        ])
        .ok();
    o.stderr_has(&["bad.csv:第2行: 身份证号(C): 140106********1133"]);
    o.hides(&["19910230"]);
    let rejects = String::from_utf8(d.read("R.csv")).unwrap();
    assert!(!rejects.contains("19910230"), "{rejects}");
    d.nf(&[
        "checkin",
        "add",
        "140106199102301133",
        "--date",
        "2025-07-01",
    ])
    .code(1)
    .hides(&["19910230"]);
}

#[test]
fn points_file_out_of_date_order_is_not_judged_in_file_order() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    // Grouped by kind, as offices often sort: the redemption on 07-03 is listed before the
    // earning on 07-01 that covers it.
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n15035418863,2025-07-03,积分兑换,-5,兑换雨衣\n15035418863,2025-07-01,志愿服务,10,参加防汛值守\n",
    );
    d.nf(&["import", "points", "points.csv"])
        .ok()
        .stderr_has(&["points.csv: 共 2 行：新增 2，更新 0，未变 0"]);
    let b = d
        .nf(&["points", "balance", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(b[0]["balance"], 5);
}

/// Past the problems printed, the rest are counted (grouped), and said to be in the rejects
/// file, named, when one is written.
#[test]
fn problems_not_printed_are_said_to_be_in_the_rejects_file() {
    let d = Dir::new();
    d.init();
    let mut csv = String::from("姓名,手机号,从业类型,所属街道\n");
    for i in 0..1200 {
        csv.push_str(&format!("工人{i},123,快递员,迎泽街道\n"));
    }
    d.write("big.csv", &csv);
    let o = d
        .nf(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "big.rej.csv",
            "big.csv",
        ])
        .run_limited();
    assert!(
        o.stderr.contains(
            "\nbig.csv: ……还有 1,100 个问题没有列出，全部问题都写进了问题行文件 big.rej.csv\n"
        ),
        "{}",
        o.stderr
    );
    let o = d.nf(&["import", "workers", "big.csv"]).code_limited(1);
    assert!(
        o.stderr.contains(
            "\nbig.csv: ……还有 1,100 个问题没有列出（用 --rejects FILE 可把全部问题写进问题行文件）\n"
        ),
        "{}",
        o.stderr
    );
}
