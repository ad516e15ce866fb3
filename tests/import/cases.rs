//! The messy-register cases, one folder of `tests/fixtures/NN-*` each: encodings, Excel's
//! damage, dates as people type them, invisible characters, synonyms, duplicate columns,
//! ragged rows, re-imports, unknown workers, overdraws and street spellings.

use serde_json::json;

use crate::util::{self, Dir, bom_csv, find, sorted};

#[test]
fn case01_utf8_bom_is_not_part_of_the_first_header() {
    let d = Dir::new();
    d.init();
    assert!(util::fixture_bytes("01-utf8-bom/workers.csv").starts_with(b"\xEF\xBB\xBF"));
    let o = d.import("workers", "01-utf8-bom/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8（带 BOM） 读取\nworkers.csv: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    let w = d.workers();
    assert_eq!(sorted(&w, "name"), ["温晓东", "石志刚", "秦丽娜"]);
    let first = find(&w, "name", "石志刚");
    assert_eq!(first["phone"], "13603517264");
    assert_eq!(first["id_number"], "140106196903142117");
    assert_eq!(first["gender"], "male");
    assert_eq!(first["street"], "文庙街道");
    assert_eq!(first["community"], "山佑巷社区居委会");
    assert_eq!(
        find(&w, "name", "温晓东")["political_status"],
        "party_member"
    );
    assert_eq!(find(&w, "name", "秦丽娜")["gender"], "female");
    // No stored name carries the BOM.
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name LIKE '%' || char(65279) || '%'"),
        0
    );
}

#[test]
fn case02_gbk_is_detected_and_names_survive() {
    let d = Dir::new();
    d.init();
    let o = d.import("workers", "02-gbk/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: 按 GB18030 (GBK) 读取\nworkers.csv: 共 4 行：新增 4，更新 0，未变 0\n"
    );
    let w = d.workers();
    assert_eq!(w.len(), 4);
    for (name, phone, id) in [
        ("乔喆", "13835127406", "140106199308173019"),
        ("闫玥", "15903418825", "140106199602293126"),
        ("樊国栋", "17635290418", "140106198506113274"),
        ("裴雪梅", "18203516637", "140106197909233428"),
    ] {
        let x = find(&w, "name", name);
        assert_eq!(x["phone"], phone);
        assert_eq!(x["id_number"], id);
        assert_eq!(x["street"], "庙前街道");
    }
    assert_eq!(find(&w, "name", "乔喆")["enterprise"], "饿了么");
    assert_eq!(find(&w, "name", "闫玥")["community"], "新建路一社区居委会");
    assert_eq!(
        d.rows("SELECT encoding FROM import_batches"),
        [[Some("gb18030".to_string())]]
    );
}

#[test]
fn case02_forced_utf8_is_refused_suggesting_gb18030() {
    let d = Dir::new();
    d.init();
    d.copy("02-gbk/workers.csv");
    let o = d
        .nf(&["import", "workers", "--encoding", "utf-8", "workers.csv"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：workers.csv: 第1行: 文件不是有效的 UTF-8 — 看起来是 GB18030/GBK 编码（中文 Excel 另存为“CSV (逗号分隔)”就是这样）；用 --encoding gb18030 读取（或去掉 --encoding，让程序自己识别）\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
    // Forcing the right encoding works.
    d.nf(&["import", "workers", "--encoding", "gbk", "workers.csv"])
        .ok()
        .stderr_has(&["共 4 行：新增 4"]);
}

/// Case 04's rows 3–5, with the numbers that must never be printed in full.
const CASE04_SECRETS: [&str; 5] = [
    "19834206571",        // line 3's phone (only its scientific form is in the file)
    "140106199501184238", // line 3's 身份证号
    "15135287740",        // line 4's phone
    "13994021368",        // line 5's phone
    "140106197607054000", // line 5's cut 身份证号
];

#[test]
fn case04_excel_damage_refuses_the_file_listing_every_bad_line() {
    let d = Dir::new();
    d.init();
    d.copy("04-excel-damage/workers.csv");
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv:第3行: 手机号(C): 1.98342E+10: 被存成了数字（显示为科学计数法），部分数字已经丢失 — 在 Excel 里把这一列设为文本（设置单元格格式 → 文本），再重新输入号码\nworkers.csv:第4行: 身份证号(D): 1.40106E+17: 被存成了数字（显示为科学计数法），后几位已经丢失 — 在 Excel 里把这一列设为文本（设置单元格格式 → 文本），再重新输入号码\nworkers.csv:第5行: 身份证号(D): 140106********4000: 校验位对不上 — 号码若以 000 结尾，是被 Excel 截掉了：把这一列设为文本，再重新输入号码\n错误：workers.csv: 共 6 行，其中 3 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    o.hides(&CASE04_SECRETS);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn case04_skip_invalid_lands_good_rows_and_writes_masked_rejects() {
    let d = Dir::new();
    d.init();
    d.copy("04-excel-damage/workers.csv");
    let o = d
        .nf(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "workers.csv",
        ])
        .ok();
    o.stderr_has(&[
        "workers.csv:第3行: 手机号(C): 1.98342E+10: 被存成了数字（显示为科学计数法）",
        "workers.csv:第4行: 身份证号(D): 1.40106E+17: 被存成了数字（显示为科学计数法）",
        "workers.csv:第5行: 身份证号(D): 140106********4000: 校验位对不上",
        "workers.csv: 共 6 行：新增 3，更新 0，未变 0，有问题 3（问题行已写入 R.csv）\n",
    ]);
    o.hides(&CASE04_SECRETS);

    let w = d.workers();
    assert_eq!(sorted(&w, "name"), ["侯婷婷", "康建军", "贺宇轩"]);
    // 18734159027.0: a whole number Excel 已写出 as a float, repaired.
    assert_eq!(find(&w, "name", "康建军")["phone"], "18734159027");
    // A lower-case x is stored upper-case.
    assert_eq!(
        find(&w, "name", "贺宇轩")["id_number"],
        "14010620010314499X"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE id_number = '14010620010314499X'"),
        1
    );
    assert_eq!(find(&w, "name", "侯婷婷")["phone"], "13513648802");

    let bytes = d.read("R.csv");
    let text = String::from_utf8(bytes.clone()).unwrap();
    for s in CASE04_SECRETS {
        assert!(!text.contains(s), "R.csv shows {s}:\n{text}");
    }
    let rows = bom_csv(&bytes);
    assert_eq!(
        rows[0][..5],
        ["行号", "表格行号", "问题列", "问题", "姓名"].map(String::from)
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    let lines: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(lines, ["3", "4", "5"]);
    assert_eq!(rows[1][2], "手机号");
    assert!(
        rows[1][3].starts_with("手机号(C): 被存成了数字（显示为科学计数法）"),
        "{}",
        rows[1][3]
    );
    assert_eq!(rows[1][4], "常海波");
    assert_eq!(rows[1][6], "1.98342E+10");
    assert_eq!(rows[1][7], "140106********4238");
    assert_eq!(rows[2][2], "身份证号");
    assert_eq!(rows[2][6], "151****7740");
    assert_eq!(rows[2][7], "1.40106E+17");
    assert_eq!(rows[3][2], "身份证号");
    assert!(rows[3][3].contains("校验位对不上"), "{}", rows[3][3]);
    assert!(rows[3][3].contains("把这一列设为文本"));
    assert_eq!(rows[3][6], "139****1368");
    assert_eq!(rows[3][7], "140106********4000");
}

/// A date-time whose time no day has (`25:61:61`) is a row error, not the date before it;
/// a real time of day is read as its date.
#[test]
fn case05_a_date_time_needs_a_real_time_of_day() {
    let d = Dir::new();
    d.init();
    d.import("workers", "05-date-formats/workers.csv");
    d.write(
        "checkins.csv",
        "姓名,手机号,报到日期,报到街道,报到社区,事项\n\
         毛俊峰,13546370281,2025-07-16T25:61:61,迎泽街道,南内环街一社区居委会,党员报到\n\
         霍丽君,15835902716,2025-07-16T23:59:59,迎泽街道,南内环街一社区居委会,党员报到\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "checkins.csv: 按 UTF-8 读取\n\
         checkins.csv:第2行: 报到日期(C): 2025-07-16T25:61:61: 一天里没有 25:61:61 这个时刻 — 时在 0–23，分和秒在 0–59 之间\n\
         错误：checkins.csv: 共 2 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 0);
    let o = d
        .nf(&["--lang", "en", "import", "checkins", "checkins.csv"])
        .code(1);
    o.stderr_has(&["checkins.csv:2: 报到日期 (C): 2025-07-16T25:61:61: has no such time of day as 25:61:61 — hours run 0–23, minutes and seconds 0–59\n"]);
    d.nf(&["import", "checkins", "--skip-invalid", "checkins.csv"])
        .ok();
    assert_eq!(
        d.rows("SELECT date FROM checkins"),
        [[Some("2025-07-16".to_string())]]
    );
}

/// With `AM`/`PM` the hour runs 1–12, and the message says so; a zone is within ±14:00.
#[test]
fn case05_a_twelve_hour_time_and_a_zone_are_checked_in_their_own_words() {
    let d = Dir::new();
    d.init();
    d.import("workers", "05-date-formats/workers.csv");
    d.write(
        "checkins.csv",
        "姓名,手机号,报到日期,报到街道,报到社区,事项\n\
         毛俊峰,13546370281,2025-07-16 13:00 PM,迎泽街道,南内环街一社区居委会,党员报到\n\
         霍丽君,15835902716,2025-07-16T12:00:00+25:00,迎泽街道,南内环街一社区居委会,党员报到\n",
    );
    let o = d
        .nf(&["import", "checkins", "checkins.csv"])
        .code_limited(1);
    assert_eq!(
        o.stderr,
        "checkins.csv: 按 UTF-8 读取\n\
         checkins.csv:第2行: 报到日期(C): 2025-07-16 13:00 PM: 一天里没有 13:00 PM 这个时刻 — 写 AM/PM 时，时在 1–12，分和秒在 0–59 之间\n\
         checkins.csv:第3行: 报到日期(C): 2025-07-16T12:00:00+25:00: 时区 +25:00 不存在 — 时区与 UTC 相差最多 ±14:00，分在 0–59 之间\n\
         错误：checkins.csv: 共 2 行，其中 2 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 0);
}

#[test]
fn case05_dates_as_people_type_them() {
    let d = Dir::new();
    d.init();
    d.import("workers", "05-date-formats/workers.csv");
    d.copy("05-date-formats/checkins.csv");
    // Without flags the year-less date refuses the whole file.
    d.nf(&["import", "checkins", "checkins.csv"])
        .code(1)
        .stderr_has(&[
            "checkins.csv:第8行: 报到日期(C): 7月6日: 没有年份 — 写上四位年份：YYYY年7月6日（YYYY 换成年份）；年份不会替你猜\n",
            "错误：checkins.csv: 共 7 行，其中 1 行有问题",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 0);

    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "checkins.csv",
    ])
    .ok()
    .stderr_has(&["checkins.csv: 共 7 行：新增 6，更新 0，未变 0，有问题 1"]);
    let list = d
        .nf(&["checkin", "list", "--format", "json"])
        .ok()
        .json_array();
    let by_name = |n: &str| find(&list, "name", n)["date"].as_str().unwrap().to_string();
    assert_eq!(by_name("毛俊峰"), "2025-07-16"); // 2025-07-16
    assert_eq!(by_name("霍丽君"), "2025-07-06"); // 2025/7/6
    assert_eq!(by_name("申浩然"), "2025-07-16"); // 2025年7月16日
    assert_eq!(by_name("耿晓燕"), "2025-07-06"); // 2025.07.06
    assert_eq!(by_name("尚志强"), "2025-07-06"); // 20250706
    assert_eq!(by_name("康文博"), "2025-07-16"); // 45854, an Excel serial
    assert_eq!(list.len(), 6);
    assert!(list.iter().all(|c| c["name"] != "史国庆"));

    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "8");
    assert_eq!(rows[1][2], "报到日期");
    assert!(rows[1][3].contains("没有年份"), "{}", rows[1][3]);
    assert_eq!(rows[1][4], "史国庆");
    assert_eq!(rows[1][5], "152****9385");
    assert_eq!(rows[1][6], "7月6日");
}

#[test]
fn case06_invisible_and_full_width_characters_are_cleaned() {
    let d = Dir::new();
    d.init();
    let o = d.import("workers", "06-invisible-and-fullwidth/workers.csv");
    assert_eq!(
        o.stderr, "workers.csv: 按 UTF-8 读取\nworkers.csv: 共 4 行：新增 4，更新 0，未变 0\n",
        "the 手机号 header with a zero-width space must be recognised, not warned about"
    );
    let w = d.workers();
    assert_eq!(w.len(), 4);
    // Line 2: full-width digits.
    assert_eq!(find(&w, "name", "蔡雅琴")["phone"], "15603427718");
    // Line 3: 唐　磊 with U+3000.
    assert_eq!(find(&w, "name", "唐磊")["phone"], "13834905526");
    // Line 5: 176 3628-4105.
    assert_eq!(find(&w, "name", "钟海涛")["phone"], "17636284105");
    // Line 4: 桥东街道 followed by U+00A0.
    assert!(w.iter().all(|x| x["street"] == "桥东街道"), "{w:#?}");
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name = '唐磊' OR name LIKE '%' || char(12288) || '%'"),
        1
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7, "no new street");
}

#[test]
fn case07_synonym_headers_and_values() {
    let d = Dir::new();
    d.init();
    let o = d.import("workers", "07-synonyms/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv: 注意：这些列没有导入：籍贯（不属于从业人员台账；如果其中有要导入的数据，用 --map \"表头=字段代码\" 指明）\nworkers.csv: 共 5 行：新增 5，更新 0，未变 0\n"
    );
    let w = d.workers();
    let pairs: Vec<(&str, &str, &str)> = ["武晓燕", "孟凯", "白浩宇", "杜帅", "潘伟"]
        .iter()
        .map(|n| {
            let x = find(&w, "name", n);
            (
                *n,
                x["political_status"].as_str().unwrap(),
                x["occupation"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("武晓燕", "party_member", "courier"),      // 党员, 快递小哥
            ("孟凯", "party_member", "delivery_rider"), // 中国共产党党员, 外卖骑手
            ("白浩宇", "probationary_member", "delivery_rider"), // 预备党员, 骑手
            ("杜帅", "league_member", "ride_hailing_driver"), // 团员, 网约车
            ("潘伟", "masses", "truck_driver"),         // 无, 货车司机
        ]
    );
    let x = find(&w, "name", "孟凯");
    assert_eq!(x["enterprise"], "美团"); // 所属平台
    assert_eq!(x["street"], "郝庄镇"); // 街道(乡镇)
    assert_eq!(x["community"], "董家庄村委会"); // 社区(村)
    assert_eq!(x["id_number"], "140106198609277239"); // 公民身份号码
    assert_eq!(x["phone"], "13935416208"); // 手机号码
}

#[test]
fn case07_unknown_value_is_a_row_error() {
    let d = Dir::new();
    d.init();
    d.copy("07-synonyms/workers-unknown-value.csv");
    d.nf(&["import", "workers", "workers-unknown-value.csv"])
        .code(1)
        .stderr_has(&[
            "workers-unknown-value.csv: 注意：这些列没有导入：籍贯",
            "workers-unknown-value.csv:第2行: 工种(F): 厨师: 不是可用的从业类型 — 可填：快递员、外卖员、网约车司机、货车司机、同城配送员、其他\n",
            "错误：workers-unknown-value.csv: 共 1 行，其中 1 行有问题",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn case08_two_columns_for_one_field_are_refused_before_any_row() {
    let d = Dir::new();
    d.init();
    d.copy("08-duplicate-field/workers.csv");
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\n错误：workers.csv: 手机号(C) 和 联系电话(D) 两列都是 手机号 — 只留一列，或用 --map 指明用哪一列，例如 --map \"联系电话=-\" 忽略后一列\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn case08_map_says_which_column_to_use() {
    let d = Dir::new();
    d.init();
    d.copy("08-duplicate-field/workers.csv");
    d.nf(&["import", "workers", "--map", "联系电话=-", "workers.csv"])
        .ok()
        .stderr_has(&["workers.csv: 共 2 行：新增 2，更新 0，未变 0"]);
    let w = d.workers();
    assert_eq!(find(&w, "name", "薛志明")["phone"], "15835264417");
    assert_eq!(find(&w, "name", "梁秀兰")["phone"], "13453108825");

    let d = Dir::new();
    d.init();
    d.copy("08-duplicate-field/workers.csv");
    d.nf(&["import", "workers", "--map", "手机号=-", "workers.csv"])
        .ok();
    let w = d.workers();
    assert_eq!(find(&w, "name", "薛志明")["phone"], "18734026651");
    assert_eq!(find(&w, "name", "梁秀兰")["phone"], "17803419972");
}

#[test]
fn map_by_column_letter_tells_apart_two_columns_of_one_header() {
    let d = Dir::new();
    d.init();
    // Two columns headed 手机号: a --map by header cannot choose; the message gives letters.
    let csv = String::from_utf8(util::fixture_bytes("08-duplicate-field/workers.csv"))
        .unwrap()
        .replacen("联系电话", "手机号", 1);
    d.write("workers.csv", csv);
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert!(
        o.stderr.contains(
            "手机号(C) 和 手机号(D) 两列都是 手机号 — 只留一列，或用 --map 指明用哪一列，例如 --map \"D=-\" 忽略后一列"
        ),
        "{}",
        o.stderr
    );
    d.nf(&["import", "workers", "--map", "d=-", "workers.csv"])
        .ok()
        .stderr_has(&["workers.csv: 共 2 行：新增 2，更新 0，未变 0"]);
    let w = d.workers();
    assert_eq!(find(&w, "name", "薛志明")["phone"], "15835264417");
}

#[test]
fn case09_cr_only_rows_with_a_line_break_inside_a_cell() {
    let d = Dir::new();
    d.init();
    let raw = util::fixture_bytes("09-ragged-multiline/workers.csv");
    assert!(!raw.windows(2).any(|w| w == b"\r\n") && raw.contains(&b'\n'));
    d.copy("09-ragged-multiline/workers.csv");
    // Without flags: refused, naming line 5 (where the short row starts, counting the break
    // inside line 3's note) and the spreadsheet row 4.
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv:第5行（表格第4行）: 所属街道(I): 没有填 — 填上所属街道，或者填上所属站点（所属街道就取站点所在的街道）\n错误：workers.csv: 共 3 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
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
    let notes = d.rows("SELECT name, note FROM workers ORDER BY id");
    assert_eq!(
        notes,
        [
            [Some("任志勇".to_string()), None],
            [
                Some("郝丽萍".to_string()),
                Some("下午取件\n电话先联系".to_string())
            ]
        ]
    );
    let w = d.workers();
    assert_eq!(
        find(&w, "name", "郝丽萍")["community"],
        "并州路三社区居委会"
    );
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][..3], ["5", "4", "所属街道"].map(String::from));
    assert_eq!(rows[1][4], "冯宇");
    assert_eq!(rows[1][6], "198****7715");
    assert_eq!(rows[1][7], "140106********9376");
}

#[test]
fn case10_reimporting_the_same_register_changes_nothing_and_says_so() {
    let d = Dir::new();
    d.init();
    d.import("workers", "10-reimport/workers-v1.csv")
        .stderr_has(&["workers-v1.csv: 共 4 行：新增 4，更新 0，未变 0"]);
    let before = d.rows("SELECT * FROM workers ORDER BY id");
    let o = d.nf(&["import", "workers", "workers-v1.csv"]).ok();
    o.stderr_has(&[
        "workers-v1.csv: 共 4 行：新增 0，更新 0，未变 4\n",
        "workers-v1.csv: 这个文件在 ",
        "（当时名为 workers-v1.csv）；没有变化\n",
    ]);
    assert_eq!(d.rows("SELECT * FROM workers ORDER BY id"), before);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 4);
    // Every import is recorded, with the file's digest.
    assert_eq!(
        d.int("SELECT count(DISTINCT sha256) FROM import_batches WHERE kind = 'workers'"),
        1
    );
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 2);
    assert_eq!(
        d.int("SELECT rows_unchanged FROM import_batches ORDER BY id DESC LIMIT 1"),
        4
    );
}

#[test]
fn case10_changed_register_updates_and_keeps_checkins() {
    let d = Dir::new();
    d.init();
    d.import("workers", "10-reimport/workers-v1.csv");
    d.import("checkins", "10-reimport/checkins.csv")
        .stderr_has(&["checkins.csv: 共 3 行：新增 3"]);
    let id_before = d.int("SELECT id FROM workers WHERE id_number = '140106198603151010'");
    d.copy("10-reimport/workers-v1.csv");
    d.nf(&["import", "workers", "workers-v1.csv"])
        .ok()
        .stderr_has(&["新增 0，更新 0，未变 4"]);

    let o = d.import("workers", "10-reimport/workers-v2.csv");
    o.stderr_has(&["workers-v2.csv: 共 5 行：新增 1，更新 2，未变 2\n"]);
    assert!(!o.stderr.contains("已经导入过"), "{}", o.stderr);

    let w = d.workers();
    assert_eq!(w.len(), 5);
    // New phone, matched by 身份证号: the same worker.
    let yan = find(&w, "name", "严国强");
    assert_eq!(yan["phone"], "19903518842");
    assert_eq!(yan["id_number"], "140106198603151010");
    assert_eq!(
        d.int("SELECT id FROM workers WHERE id_number = '140106198603151010'"),
        id_before
    );
    assert_eq!(find(&w, "name", "于晓梅")["enterprise"], "饿了么");
    assert_eq!(
        find(&w, "name", "陶宇航")["id_number"],
        "14010619950707147X"
    );
    // The changed worker keeps both check-ins, now shown with the new phone.
    assert_eq!(
        d.int(&format!(
            "SELECT count(*) FROM checkins WHERE worker_id = {id_before}"
        )),
        2
    );
    let list = d
        .nf(&["checkin", "list", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    assert_eq!(
        list,
        [
            json!({"name": "严国强", "phone": "19903518842", "date": "2025-06-03", "street": "桥东街道", "community": "南官坊社区居委会", "purpose": "党员报到"}),
            json!({"name": "严国强", "phone": "19903518842", "date": "2025-07-01", "street": "桥东街道", "community": "南官坊社区居委会", "purpose": "参加组织生活"}),
            json!({"name": "雷振华", "phone": "13903426614", "date": "2025-07-02", "street": "桥东街道", "community": "迎宾社区居委会", "purpose": "日常报到"}),
        ]
    );
    // The old phone still names 严国强, as a number he had before.
    let o = d.nf(&["points", "balance", "13303513386"]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "手机号 133****3386 是 严国强 以前的号码（用到 {}）\n严国强 还没有积分记录（余额 0 分）\n",
            chrono::Local::now().date_naive()
        )
    );
    assert_eq!(
        d.rows("SELECT kind, number FROM worker_numbers"),
        [crate::util::some(&["phone", "13303513386"])]
    );
}

#[test]
fn case11_checkins_naming_unknown_or_misnamed_workers_are_refused() {
    let d = Dir::new();
    d.init();
    d.import("workers", "11-unknown-worker/workers.csv");
    d.copy("11-unknown-worker/checkins.csv");
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "checkins.csv: 按 UTF-8 读取\ncheckins.csv:第3行: 手机号(B): 177****2268: 没有这个手机号的从业人员 — 先用 nuanfeng worker list 查找，或先导入、用 worker add 登记该从业人员\ncheckins.csv:第4行: 姓名(A): 金小红: 这个手机号登记的姓名是 金晓红 — 请更正姓名或号码\n错误：checkins.csv: 共 3 行，其中 2 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    o.hides(&["17735102268", "13903542207"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 0);
    assert_eq!(
        d.nf(&["checkin", "list", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        0
    );
    // With --skip-invalid only line 2 lands; the misnamed row is never attached.
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "checkins.csv",
    ])
    .ok();
    let list = d
        .nf(&["checkin", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        list,
        [
            json!({"name": "范立新", "phone": "156****0482", "date": "2025-07-01", "street": "文庙街道", "community": "五龙口一社区居委会", "purpose": "党员报到"})
        ]
    );
    let rejects = bom_csv(&d.read("R.csv"));
    let lines: Vec<&str> = rejects[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(lines, ["3", "4"]);
    let text = String::from_utf8(d.read("R.csv")).unwrap();
    assert!(!text.contains("17735102268") && !text.contains("13903542207"));
}

#[test]
fn case12_redemption_larger_than_the_balance_is_refused() {
    let d = Dir::new();
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.copy("12-overdraw/points.csv");
    let o = d.nf(&["import", "points", "points.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "points.csv: 按 UTF-8 读取\npoints.csv:第4行: 积分(E): -15: 积分不足：可用 11 分，本次兑换 15 分 — 余额不能低于零\n错误：points.csv: 共 3 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 0);
    assert_eq!(
        d.nf(&["points", "balance", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        0
    );
}

#[test]
fn case12_skip_invalid_lands_the_earnings() {
    let d = Dir::new();
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.copy("12-overdraw/points.csv");
    d.nf(&[
        "import",
        "points",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "points.csv",
    ])
    .ok()
    .stderr_has(&[
        "points.csv:第4行: 积分(E): -15: 积分不足：可用 11 分，本次兑换 15 分",
        "points.csv: 共 3 行：新增 2，更新 0，未变 0，有问题 1（问题行已写入 R.csv）",
    ]);
    let b = d
        .nf(&["points", "balance", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        b,
        [
            json!({"name": "苏建平", "phone": "134****9918", "id_number": "140106********2513", "balance": 11, "earned": 11, "redeemed": 0})
        ]
    );
    assert_eq!(
        d.rows("SELECT date, points, kind, category, reason FROM point_entries ORDER BY id"),
        [
            [
                "2025-07-01",
                "10",
                "earn",
                "volunteer_service",
                "参加防汛值守"
            ]
            .map(|s| Some(s.to_string())),
            ["2025-07-05", "1", "earn", "tip", "随手拍上报井盖破损"].map(|s| Some(s.to_string())),
        ]
    );
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows[1][0], "4");
    assert!(
        rows[1][3].contains("可用 11 分，本次兑换 15 分"),
        "{}",
        rows[1][3]
    );
}

#[test]
fn case13_street_spellings_resolve_and_a_typo_suggests_the_street() {
    let d = Dir::new();
    d.init();
    d.copy("13-street-names/workers.csv");
    d.nf(&["import", "workers", "workers.csv"])
        .code(1)
        .stderr_has(&[
            "workers.csv:第5行: 所属街道(I): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n",
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
    .ok();
    let w = d.workers();
    assert_eq!(sorted(&w, "name"), ["侯建新", "贾晨", "陆文静"]);
    assert!(w.iter().all(|x| x["street"] == "柳巷街道"), "{w:#?}");
    // 柳巷, 柳巷街道办事处 and 迎泽区柳巷街道 are all 140106001; no street was added.
    assert_eq!(
        d.int(
            "SELECT count(*) FROM workers w JOIN streets s ON s.id = w.street_id WHERE s.code = '140106001'"
        ),
        3
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows[1][0], "5");
    assert!(rows[1][3].contains("是不是“柳巷街道”？"), "{}", rows[1][3]);
}
