//! Integration tests: the real `nuanfeng` binary run in a temporary folder on the registers
//! of `tests/fixtures/` (one folder per messy-register case, a small district whose report
//! figures are worked out by hand, and two overlapping check-in exports). Each test asserts
//! exit codes, the messages on stderr (file:line, column, masked values), the JSON on stdout,
//! and where useful the rows of the database file itself.

mod util;

use serde_json::{Value, json};
use util::{Dir, bom_csv, find, sorted};

/// The seven streets and towns of 迎泽区 (NBS 2023), in code order.
const YINGZE: [(&str, &str); 7] = [
    ("140106001", "柳巷街道"),
    ("140106002", "文庙街道"),
    ("140106003", "庙前街道"),
    ("140106004", "迎泽街道"),
    ("140106005", "桥东街道"),
    ("140106006", "老军营街道"),
    ("140106100", "郝庄镇"),
];

// ---------------------------------------------------------------------------------------
// init and the database file
// ---------------------------------------------------------------------------------------

#[test]
fn init_without_district_makes_an_empty_registry() {
    let d = Dir::new();
    let o = d.nf(&["init"]).ok();
    assert_eq!(o.stderr.trim(), "created nf.db");
    assert_eq!(o.stdout, "");
    assert_eq!(d.int("SELECT count(*) FROM streets"), 0);
    assert_eq!(d.int("PRAGMA user_version"), 10);
    // "NFNG": a stray SQLite file is not taken for a registry.
    assert_eq!(d.int("PRAGMA application_id"), 0x4E46_4E47);
    // Importing workers into a registry without streets says how to add them.
    d.copy("01-utf8-bom/workers.csv");
    d.nf(&["import", "workers", "workers.csv"])
        .code(1)
        .stderr_has(&[
            "workers.csv:2: 所属街道 (I): 文庙街道: no streets are known yet — seed them with `nuanfeng init --district 140106`",
        ]);
}

#[test]
fn init_with_district_code_seeds_the_seven_official_streets() {
    let d = Dir::new();
    let o = d.nf(&["init", "--district", "140106"]).ok();
    assert_eq!(
        o.stderr,
        "created nf.db\n山西省太原市迎泽区 (140106): 7 streets, 7 new\n"
    );
    let rows = d.rows("SELECT code, name, district_code FROM streets ORDER BY code");
    let expected: Vec<Vec<Option<String>>> = YINGZE
        .iter()
        .map(|(c, n)| {
            vec![
                Some(c.to_string()),
                Some(n.to_string()),
                Some("140106".to_string()),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
    // Streets only: communities come from `import streets`.
    assert_eq!(d.int("SELECT count(*) FROM communities"), 0);
}

#[test]
fn init_with_district_name_seeds_the_same_streets_as_the_code() {
    for name in ["迎泽区", "太原市迎泽区", "山西省太原市迎泽区"] {
        let d = Dir::new();
        d.nf(&["init", "--district", name])
            .ok()
            .stderr_has(&["山西省太原市迎泽区 (140106): 7 streets, 7 new"]);
        let names: Vec<String> = d
            .rows("SELECT name FROM streets ORDER BY code")
            .into_iter()
            .map(|r| r[0].clone().unwrap())
            .collect();
        assert_eq!(names, YINGZE.map(|(_, n)| n.to_string()), "{name}");
    }
}

#[test]
fn init_on_an_existing_registry_adds_only_what_is_missing() {
    let d = Dir::new();
    d.nf(&["init"]).ok();
    d.nf(&["init", "--district", "140106"])
        .ok()
        .stderr_has(&["nf.db is already a registry", "7 streets, 7 new"]);
    let o = d.nf(&["init", "--district", "140106"]).ok();
    assert_eq!(
        o.stderr,
        "nf.db is already a registry\n山西省太原市迎泽区 (140106): 7 streets, 0 new\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
}

#[test]
fn init_with_an_ambiguous_district_name_lists_the_codes_and_creates_nothing() {
    let d = Dir::new();
    let o = d.nf(&["init", "--district", "新城区"]).code(1);
    assert_eq!(
        o.stderr,
        "error: 新城区 names 2 districts; which one? Pass its code with --district:\n  \
         150102  内蒙古自治区呼和浩特市新城区\n  610102  陕西省西安市新城区\n"
    );
    assert!(!d.exists("nf.db"), "a refused init left a file behind");
}

#[test]
fn init_with_an_unknown_district_creates_nothing() {
    let d = Dir::new();
    d.nf(&["init", "--district", "不存在区"])
        .code(1)
        .stderr_has(&["no county-level district is named 不存在区"]);
    d.nf(&["init", "--district", "999999"])
        .code(1)
        .stderr_has(&["999999 is not a county-level district code"]);
    assert!(!d.exists("nf.db"));
}

#[test]
fn commands_on_a_missing_database_name_it_and_create_nothing() {
    let d = Dir::new();
    let commands: [&[&str]; 6] = [
        &["worker", "list"],
        &["checkin", "list"],
        &["checkin", "add", "13623517804", "--date", "2025-07-01"],
        &["points", "balance"],
        &["points", "earn", "13623517804", "5"],
        &["report", "streets", "--month", "2025-07"],
    ];
    for args in commands {
        let mut all = vec!["--db", "missing.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "error: no database at missing.db — create it with `nuanfeng --db missing.db init \
             --district 140106` (or import a register), or point NUANFENG_DB at an existing file\n",
            "{args:?}"
        );
        assert_eq!(o.stdout, "");
        assert!(!d.exists("missing.db"), "{args:?} created the file");
    }
    // The default location is ./nuanfeng.db.
    d.bare()
        .args(&["worker", "list"])
        .code(1)
        .stderr_has(&["no database at nuanfeng.db"]);
    assert!(!d.exists("nuanfeng.db"));
}

#[cfg(unix)]
#[test]
fn database_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    let mode = |name: &str| {
        std::fs::metadata(d.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    d.nf(&["init"]).ok();
    assert_eq!(mode("nf.db"), 0o600, "init");
    d.copy("01-utf8-bom/workers.csv");
    // import may create the file too (and fails here: no streets yet).
    d.bare()
        .args(&["--db", "imported.db", "import", "workers", "workers.csv"])
        .code(1);
    assert_eq!(mode("imported.db"), 0o600, "import");
    d.bare().args(&["--db", "demo.db", "demo"]).ok();
    assert_eq!(mode("demo.db"), 0o600, "demo");
}

#[test]
fn nuanfeng_db_environment_variable_names_the_registry() {
    let d = Dir::new();
    d.bare()
        .args(&["init", "--district", "140106"])
        .env("NUANFENG_DB", "env.db")
        .ok()
        .stderr_has(&["created env.db"]);
    assert!(d.exists("env.db"));
    assert!(!d.exists("nuanfeng.db"));
    // --db wins over the variable.
    d.bare()
        .args(&["--db", "flag.db", "init"])
        .env("NUANFENG_DB", "env.db")
        .ok()
        .stderr_has(&["created flag.db"]);
    assert!(d.exists("flag.db"));
    // An empty variable is no choice: ./nuanfeng.db.
    d.bare()
        .args(&["init"])
        .env("NUANFENG_DB", "")
        .ok()
        .stderr_has(&["created nuanfeng.db"]);
    assert!(d.exists("nuanfeng.db"));
}

#[test]
fn chinese_folder_and_file_names_work() {
    let d = Dir::new();
    std::fs::create_dir(d.join("台账")).unwrap();
    d.copy_as("02-gbk/workers.csv", "台账/从业人员台账.csv");
    d.bare()
        .args(&["--db", "台账/2025.db", "init", "--district", "迎泽区"])
        .ok()
        .stderr_has(&["created 台账/2025.db"]);
    d.bare()
        .args(&[
            "--db",
            "台账/2025.db",
            "import",
            "workers",
            "台账/从业人员台账.csv",
        ])
        .ok()
        .stderr_has(&["台账/从业人员台账.csv: 4 rows: 4 new, 0 updated, 0 unchanged"]);
    // A folder that does not exist is named.
    d.bare()
        .args(&["--db", "没有/x.db", "init"])
        .code(1)
        .stderr_has(&["cannot create 没有/x.db: folder 没有 does not exist"]);
}

// ---------------------------------------------------------------------------------------
// The messy-register cases (tests/fixtures/NN-*)
// ---------------------------------------------------------------------------------------

#[test]
fn case01_utf8_bom_is_not_part_of_the_first_header() {
    let d = Dir::new();
    d.init();
    assert!(util::fixture_bytes("01-utf8-bom/workers.csv").starts_with(b"\xEF\xBB\xBF"));
    let o = d.import("workers", "01-utf8-bom/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8 with BOM\nworkers.csv: 3 rows: 3 new, 0 updated, 0 unchanged\n"
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
        "workers.csv: read as GB18030 (GBK)\nworkers.csv: 4 rows: 4 new, 0 updated, 0 unchanged\n"
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
        "error: workers.csv: line 1: the file is not valid UTF-8 — it looks like GB18030/GBK, as \
         Chinese Excel saves \"CSV (逗号分隔)\"; read it with --encoding gb18030 (or leave \
         --encoding out to detect it)\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
    // Forcing the right encoding works.
    d.nf(&["import", "workers", "--encoding", "gbk", "workers.csv"])
        .ok()
        .stderr_has(&["4 rows: 4 new"]);
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
        "workers.csv: read as UTF-8\n\
         workers.csv:3: 手机号 (C): 1.98342E+10: stored as a number (shown as scientific notation), so digits are lost — format the column as text in Excel (设置单元格格式 → 文本) and type the number again\n\
         workers.csv:4: 身份证号 (D): 1.40106E+17: stored as a number (shown as scientific notation), so its last digits are lost — format the column as text in Excel (设置单元格格式 → 文本) and type the number again\n\
         workers.csv:5: 身份证号 (D): 140106********4000: check character does not match — if the number ends in 000, Excel has cut it: format the column as text and type the number again\n\
         error: workers.csv: 3 of 6 rows have problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
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
        "workers.csv:3: 手机号 (C): 1.98342E+10: stored as a number (shown as scientific notation)",
        "workers.csv:4: 身份证号 (D): 1.40106E+17: stored as a number (shown as scientific notation)",
        "workers.csv:5: 身份证号 (D): 140106********4000: check character does not match",
        "workers.csv: 6 rows: 3 new, 0 updated, 0 unchanged, 3 rejected (written to R.csv)\n",
    ]);
    o.hides(&CASE04_SECRETS);

    let w = d.workers();
    assert_eq!(sorted(&w, "name"), ["侯婷婷", "康建军", "贺宇轩"]);
    // 18734159027.0: a whole number Excel wrote as a float, repaired.
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
        rows[1][3].starts_with("手机号 (C): stored as a number (shown as scientific notation)"),
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
    assert!(
        rows[3][3].contains("check character does not match"),
        "{}",
        rows[3][3]
    );
    assert!(rows[3][3].contains("format the column as text"));
    assert_eq!(rows[3][6], "139****1368");
    assert_eq!(rows[3][7], "140106********4000");
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
            "checkins.csv:8: 报到日期 (C): 7月6日: has no year — write the full date, e.g. 2025-07-06; a year is never guessed\n",
            "error: checkins.csv: 1 of 7 rows has problems",
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
    .stderr_has(&["checkins.csv: 7 rows: 6 new, 0 updated, 0 unchanged, 1 rejected"]);
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
    assert!(rows[1][3].contains("has no year"), "{}", rows[1][3]);
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
        o.stderr,
        "workers.csv: read as UTF-8\nworkers.csv: 4 rows: 4 new, 0 updated, 0 unchanged\n",
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
        "workers.csv: read as UTF-8\n\
         workers.csv: warning: ignoring columns 籍贯 (not part of a workers register; use --map \"表头=field\" if one holds data)\n\
         workers.csv: 5 rows: 5 new, 0 updated, 0 unchanged\n"
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
            "workers-unknown-value.csv: warning: ignoring columns 籍贯",
            "workers-unknown-value.csv:2: 工种 (F): 厨师: not a known 从业类型 — accepted: 快递员, 外卖员, 网约车司机, 货车司机\n",
            "error: workers-unknown-value.csv: 1 of 1 row has problems",
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
        "workers.csv: read as UTF-8\n\
         error: workers.csv: columns 手机号 (C) and 联系电话 (D) both hold phone — keep one, or tell which to use with --map, e.g. --map \"联系电话=-\" to ignore the second\n"
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
        .stderr_has(&["workers.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);
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
            "columns 手机号 (C) and 手机号 (D) both hold phone — keep one, or tell which to use \
             with --map, e.g. --map \"D=-\" to ignore the second"
        ),
        "{}",
        o.stderr
    );
    d.nf(&["import", "workers", "--map", "d=-", "workers.csv"])
        .ok()
        .stderr_has(&["workers.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);
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
        "workers.csv: read as UTF-8\n\
         workers.csv:5 (row 4): 所属街道 (I): missing — this value is required\n\
         error: workers.csv: 1 of 3 rows has problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
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
    .stderr_has(&["workers.csv: 3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected"]);
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
        .stderr_has(&["workers-v1.csv: 4 rows: 4 new, 0 updated, 0 unchanged"]);
    let before = d.rows("SELECT * FROM workers ORDER BY id");
    let o = d.nf(&["import", "workers", "workers-v1.csv"]).ok();
    o.stderr_has(&[
        "workers-v1.csv: 4 rows: 0 new, 0 updated, 4 unchanged\n",
        "workers-v1.csv: this file was already imported on ",
        "(as workers-v1.csv); nothing changed\n",
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
        .stderr_has(&["checkins.csv: 3 rows: 3 new"]);
    let id_before = d.int("SELECT id FROM workers WHERE id_number = '140106198603151010'");
    d.copy("10-reimport/workers-v1.csv");
    d.nf(&["import", "workers", "workers-v1.csv"])
        .ok()
        .stderr_has(&["0 new, 0 updated, 4 unchanged"]);

    let o = d.import("workers", "10-reimport/workers-v2.csv");
    o.stderr_has(&["workers-v2.csv: 5 rows: 1 new, 2 updated, 2 unchanged\n"]);
    assert!(!o.stderr.contains("already imported"), "{}", o.stderr);

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
    // The old phone names nobody now.
    d.nf(&["points", "balance", "13303513386"])
        .code(1)
        .stderr_has(&["no worker has the number 133****3386"]);
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
        "checkins.csv: read as UTF-8\n\
         checkins.csv:3: 手机号 (B): 177****2268: no worker has this 手机号 — import the worker first, or correct the number\n\
         checkins.csv:4: 姓名 (A): 金小红: the worker with this 手机号 is registered as 金晓红 — correct the name or the number\n\
         error: checkins.csv: 2 of 3 rows have problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
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
        "points.csv: read as UTF-8\n\
         points.csv:4: 积分 (E): -15: redemption refused: balance 11, asked 15 — a balance may not go below zero\n\
         error: points.csv: 1 of 3 rows has problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
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
        "points.csv:4: 积分 (E): -15: redemption refused: balance 11, asked 15",
        "points.csv: 3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected (written to R.csv)",
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
        rows[1][3].contains("balance 11, asked 15"),
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
            "workers.csv:5: 所属街道 (I): 柳港街道: not a known street — did you mean 柳巷街道?\n",
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
    assert!(
        rows[1][3].contains("did you mean 柳巷街道?"),
        "{}",
        rows[1][3]
    );
}

// ---------------------------------------------------------------------------------------
// Import options
// ---------------------------------------------------------------------------------------

#[test]
fn skip_invalid_without_rejects_writes_name_rejects_csv_in_the_current_folder() {
    let d = Dir::new();
    d.init();
    d.copy("13-street-names/workers.csv");
    d.nf(&["import", "workers", "--skip-invalid", "workers.csv"])
        .ok()
        .stderr_has(&[
            "4 rows: 3 new, 0 updated, 0 unchanged, 1 rejected (written to workers.rejects.csv)",
        ]);
    let rows = bom_csv(&d.read("workers.rejects.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "5");
    assert_eq!(rows[1][4], "史红霞");
}

#[test]
fn rejects_names_one_file_only() {
    let d = Dir::new();
    d.init();
    d.copy("01-utf8-bom/workers.csv");
    d.copy_as("02-gbk/workers.csv", "gbk.csv");
    d.nf(&[
        "import",
        "workers",
        "--rejects",
        "R.csv",
        "workers.csv",
        "gbk.csv",
    ])
    .code(2)
    .stderr_has(&["error: --rejects names one file"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    // Without --rejects several files import one after the other.
    d.nf(&["import", "workers", "workers.csv", "gbk.csv"])
        .ok()
        .stderr_has(&[
            "workers.csv: 3 rows: 3 new",
            "gbk.csv: read as GB18030 (GBK)",
            "gbk.csv: 4 rows: 4 new",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 7);
}

#[test]
fn dry_run_checks_everything_and_writes_nothing() {
    let d = Dir::new();
    d.init();
    d.copy("02-gbk/workers.csv");
    d.nf(&["import", "workers", "--dry-run", "workers.csv"])
        .ok()
        .stderr_has(&[
            "workers.csv: 4 rows: 4 new, 0 updated, 0 unchanged — dry run: the registry is unchanged",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
    // A dry run is not an earlier import of the file.
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert!(!o.stderr.contains("already imported"), "{}", o.stderr);
}

#[test]
fn every_problem_of_a_row_is_reported() {
    let d = Dir::new();
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.write(
        "workers.csv",
        "姓名,性别,手机号,政治面貌,从业类型,所属街道\n甲,男,18600004444,党外人士,外卖员,柳港街道\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\n\
         workers.csv:2: 政治面貌 (D): 党外人士: not a known 政治面貌 — accepted: 中共党员, 中共预备党员, 共青团员, 民主党派, 无党派人士, 群众\n\
         workers.csv:2: 所属街道 (F): 柳港街道: not a known street — did you mean 柳巷街道?\n\
         error: workers.csv: 1 of 1 row has problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    // A check-in refused for its date is checked for its street too.
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道\n13453429918,7月6日,柳港街道\n13453429918,2025-07-06,郝庄\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    o.stderr_has(&[
        "checkins.csv:2: 报到日期 (B): 7月6日: has no year",
        "checkins.csv:2: 报到街道 (C): 柳港街道: not a known street — did you mean 柳巷街道?",
        "error: checkins.csv: 1 of 2 rows has problems",
    ]);
    assert!(!o.stderr.contains("checkins.csv:3"), "{}", o.stderr);
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "checkins.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows[1][..2], ["2", "2"].map(String::from));
    assert!(
        rows[1][3].starts_with("报到日期 (B): has no year")
            && rows[1][3].contains("; 报到街道 (C): not a known street"),
        "{}",
        rows[1][3]
    );
    assert_eq!(
        d.rows("SELECT s.name FROM checkins k JOIN streets s ON s.id = k.street_id"),
        [[Some("郝庄镇".to_string())]]
    );
}

#[test]
fn quiet_keeps_only_errors() {
    let d = Dir::new();
    d.nf(&["-q", "init", "--district", "140106"]).ok();
    assert!(d.exists("nf.db"));
    d.copy("13-street-names/workers.csv");
    let o = d.nf(&["-q", "import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv:5: 所属街道 (I): 柳港街道: not a known street — did you mean 柳巷街道?\n\
         error: workers.csv: 1 of 4 rows has problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    let o = d
        .nf(&[
            "--quiet",
            "import",
            "workers",
            "--skip-invalid",
            "workers.csv",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "workers.csv:5: 所属街道 (I): 柳港街道: not a known street — did you mean 柳巷街道?\n"
    );
    let o = d.nf(&["-q", "worker", "list", "--format", "json"]).ok();
    assert_eq!(o.stderr, "");
    assert_eq!(o.json_array().len(), 3);
}

#[test]
fn missing_register_file_is_named() {
    let d = Dir::new();
    d.init();
    d.nf(&["import", "workers", "没有这个文件.csv"])
        .code(1)
        .stderr_has(&["error: cannot open 没有这个文件.csv"]);
}

// ---------------------------------------------------------------------------------------
// The district: a registry small enough to work its figures out by hand
// ---------------------------------------------------------------------------------------

/// The district's workers: name, phone, 身份证号.
const DISTRICT: [(&str, &str, &str); 8] = [
    ("郭志伟", "13623517804", "140106198503126010"),
    ("李浩", "15903514426", "140105199407086213"),
    ("张敏", "18636021759", "140107199702216407"),
    ("王宇", "17735240683", "140106200109156596"),
    ("赵海峰", "13935187026", "140105197904306775"),
    ("高建平", "13303456198", "140107197601186975"),
    ("杨丽", "15135296642", "140106199006037169"),
    ("陈磊", "18834071935", "140105198808277358"),
];

fn district() -> Dir {
    let d = Dir::new();
    d.import("streets", "district/streets.csv")
        .stderr_has(&["streets.csv: 119 rows: 119 new, 0 updated, 0 unchanged"]);
    d.import("stations", "district/stations.csv")
        .stderr_has(&["stations.csv: 5 rows: 5 new"]);
    d.import("workers", "district/workers.csv")
        .stderr_has(&["workers.csv: 8 rows: 8 new"]);
    d.import("checkins", "district/checkins.csv")
        .stderr_has(&["checkins.csv: 10 rows: 10 new"]);
    d.import("points", "district/points.csv")
        .stderr_has(&["points.csv: 8 rows: 8 new"]);
    d
}

fn secrets() -> Vec<&'static str> {
    DISTRICT.iter().flat_map(|(_, p, i)| [*p, *i]).collect()
}

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
fn district_register_lands_as_written() {
    let d = district();
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    assert_eq!(d.int("SELECT count(*) FROM communities"), 112);
    assert_eq!(
        d.rows("SELECT s.name, kind, st.name FROM stations s JOIN streets st ON st.id = s.street_id ORDER BY s.id"),
        [
            ["顺丰速运柳巷营业部", "courier_station", "柳巷街道"],
            ["美团柳巷站", "rider_hub", "柳巷街道"],
            ["宁化府社区暖蜂驿站", "rest_station", "柳巷街道"],
            ["中通快递文庙网点", "courier_station", "文庙街道"],
            ["货拉拉郝庄服务站", "logistics_firm", "郝庄镇"],
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // The rest station's landline is kept as a contact number.
    assert_eq!(
        d.rows("SELECT contact_phone FROM stations WHERE kind = 'rest_station'"),
        [[Some("0351-4123567".to_string())]]
    );
    let w = d.workers();
    assert_eq!(w.len(), 8);
    for (name, phone, id) in DISTRICT {
        let x = find(&w, "name", name);
        assert_eq!(
            (x["phone"].as_str(), x["id_number"].as_str()),
            (Some(phone), Some(id))
        );
    }
    assert_eq!(find(&w, "name", "李浩")["station"], "美团柳巷站");
    assert_eq!(
        find(&w, "name", "张敏")["political_status"],
        "probationary_member"
    );
    assert_eq!(find(&w, "name", "赵海峰")["station"], Value::Null);
    // --street takes the spellings registers use.
    let liuxiang = d
        .nf(&["worker", "list", "--street", "柳巷", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(sorted(&liuxiang, "name"), ["张敏", "李浩", "郭志伟"]);
    d.nf(&["worker", "list", "--street", "柳港街道"])
        .code(2)
        .stderr_has(&["--street 柳港街道: not a known street — did you mean 柳巷街道?"]);
}

#[test]
fn district_reimport_changes_nothing() {
    let d = district();
    let count = |t: &str| d.int(&format!("SELECT count(*) FROM {t}"));
    let before: Vec<i64> = [
        "streets",
        "communities",
        "stations",
        "workers",
        "checkins",
        "point_entries",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    for (kind, file, n) in [
        ("streets", "streets.csv", 119),
        ("stations", "stations.csv", 5),
        ("workers", "workers.csv", 8),
        ("checkins", "checkins.csv", 10),
        ("points", "points.csv", 8),
    ] {
        d.nf(&["import", kind, file]).ok().stderr_has(&[
            &format!("{file}: {n} rows: 0 new, 0 updated, {n} unchanged\n"),
            &format!("{file}: this file was already imported on "),
            &format!("(as {file}); nothing changed\n"),
        ]);
    }
    let after: Vec<i64> = [
        "streets",
        "communities",
        "stations",
        "workers",
        "checkins",
        "point_entries",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    assert_eq!(before, after);
    assert_eq!(after, [7, 112, 5, 8, 10, 8]);
}

#[test]
fn report_streets_json_gives_the_figures_worked_out_by_hand() {
    let d = district();
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
    let d = district();
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
    let d = district();
    let csv = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "csv"])
        .ok();
    let rows = bom_csv(&csv.raw_stdout);
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
    assert_eq!(rows[0].len(), 39);
    assert_eq!(rows.len(), 9);
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
        md.stdout.lines().next().unwrap().starts_with("| 街道"),
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

#[test]
fn checkin_list_filters_by_month_and_street() {
    let d = district();
    let july = d
        .nf(&["checkin", "list", "--month", "2025-07", "--format", "json"])
        .ok();
    assert_eq!(july.stderr, "8 check-ins\n");
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

#[test]
fn points_balance_of_everyone_and_of_one() {
    let d = district();
    let all = d
        .nf(&["points", "balance", "--format", "json"])
        .ok()
        .json_array();
    let mut figures: Vec<(String, i64, i64, i64)> = all
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_string(),
                b["balance"].as_i64().unwrap(),
                b["earned"].as_i64().unwrap(),
                b["redeemed"].as_i64().unwrap(),
            )
        })
        .collect();
    figures.sort();
    let mut expected = vec![
        ("郭志伟".to_string(), 5, 10, 5),
        ("李浩".to_string(), 2, 2, 0),
        ("王宇".to_string(), 5, 5, 0),
        ("高建平".to_string(), 10, 20, 10),
        ("陈磊".to_string(), 10, 30, 20),
    ];
    expected.sort();
    assert_eq!(figures, expected);
    let one = d
        .nf(&[
            "points",
            "balance",
            "18834071935",
            "--format",
            "json",
            "--show-pii",
        ])
        .ok()
        .json_array();
    assert_eq!(
        one,
        [
            json!({"name": "陈磊", "phone": "18834071935", "id_number": "140105198808277358", "balance": 10, "earned": 30, "redeemed": 20})
        ]
    );
    // By 身份证号 too.
    let by_id = d
        .nf(&[
            "points",
            "balance",
            "140105198808277358",
            "--format",
            "json",
        ])
        .ok()
        .json_array();
    assert_eq!(by_id[0]["balance"], 10);
    assert_eq!(by_id[0]["phone"], "188****1935");
}

// ---------------------------------------------------------------------------------------
// Privacy: masked everywhere unless --show-pii
// ---------------------------------------------------------------------------------------

#[test]
fn default_outputs_mask_every_id_and_phone() {
    let d = district();
    let secrets = secrets();
    for format in ["table", "csv", "json", "md"] {
        for args in [
            vec!["worker", "list", "--format", format],
            vec!["checkin", "list", "--format", format],
            vec!["points", "balance", "--format", format],
            vec![
                "report", "streets", "--month", "2025-07", "--format", format,
            ],
        ] {
            d.nf(&args).ok().hides(&secrets);
        }
    }
    let w = d
        .nf(&["worker", "list", "--format", "json"])
        .ok()
        .json_array();
    let guo = find(&w, "name", "郭志伟");
    assert_eq!(guo["phone"], "136****7804");
    assert_eq!(guo["id_number"], "140106********6010");
    let table = d.nf(&["worker", "list"]).ok();
    table.stdout_has(&["136****7804", "140106********6010", "郭志伟"]);
    assert_eq!(table.stderr, "8 workers\n");
}

#[test]
fn show_pii_shows_full_numbers() {
    let d = district();
    for format in ["table", "csv", "json", "md"] {
        let o = d
            .nf(&["worker", "list", "--show-pii", "--format", format])
            .ok();
        for (name, phone, id) in DISTRICT {
            o.stdout_has(&[name, phone, id]);
        }
    }
    let c = d
        .nf(&["checkin", "list", "--show-pii", "--format", "csv"])
        .ok();
    c.stdout_has(&["13623517804", "18834071935"]);
    let b = d.nf(&["points", "balance", "--show-pii"]).ok();
    b.stdout_has(&["13623517804", "13303456198"]);
}

#[test]
fn errors_mask_every_id_and_phone() {
    let d = district();
    // Unknown numbers typed at the terminal.
    d.nf(&["checkin", "add", "13912345678", "--date", "2025-07-02"])
        .code(1)
        .stderr_has(&["WORKER: 139****5678: no worker has this 手机号"])
        .hides(&["13912345678"]);
    d.nf(&["points", "balance", "13912345678"])
        .code(1)
        .stderr_has(&["no worker has the number 139****5678"])
        .hides(&["13912345678"]);
    d.nf(&[
        "points",
        "earn",
        "140106199001011234",
        "5",
        "--date",
        "2025-07-02",
    ])
    .code(1)
    .stderr_has(&["WORKER: 140106********1234: no worker has this 身份证号"])
    .hides(&["140106199001011234"]);
    // A register row whose phone and ID belong to two different workers names both, masked.
    d.write(
        "clash.csv",
        "姓名,手机号,身份证号,从业类型,所属街道\n李浩,15903514426,140106198503126010,外卖员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "clash.csv"])
        .code(1)
        .stderr_has(&[
            "clash.csv:2: 手机号 (B): 159****4426: belongs to 李浩, while the 身份证号 140106********6010 belongs to 郭志伟 — two different workers; correct the row",
        ])
        .hides(&secrets());
    // A check-in naming a known worker by another name names both names.
    d.write(
        "misnamed.csv",
        "姓名,手机号,报到日期\n郭志强,13623517804,2025-07-02\n",
    );
    d.nf(&["import", "checkins", "misnamed.csv"])
        .code(1)
        .stderr_has(&[
            "misnamed.csv:2: 姓名 (A): 郭志强: the worker with this 手机号 is registered as 郭志伟",
        ])
        .hides(&secrets());
}

// ---------------------------------------------------------------------------------------
// Check-ins and points typed at the terminal
// ---------------------------------------------------------------------------------------

#[test]
fn checkin_add_records_once_and_refuses_the_same_again() {
    let d = district();
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
    .stderr_has(&["recorded: 杨丽 checked in on 2025-07-16"]);
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
    .stderr_has(&["error: 杨丽 already has this check-in on 2025-07-16 — nothing added"]);
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
        .stderr_has(&["later.csv: 1 row: 0 new, 0 updated, 1 unchanged"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 12);
}

#[test]
fn checkin_add_refuses_unknown_workers_wrong_names_places_and_dates() {
    let d = district();
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
    .stderr_has(&["error: --name: 杨莉: the worker with this 身份证号 is registered as 杨丽 — correct the name or the number"]);
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
    .stderr_has(&["--street: 柳港街道: not a known street — did you mean 柳巷街道?"]);
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
    .stderr_has(&["--community: 不存在社区: not a community of 柳巷街道"]);
    d.nf(&["checkin", "add", "15135296642", "--date", "7月18日"])
        .code(1)
        .stderr_has(&["--date: 7月18日: has no year"]);
    d.nf(&["checkin", "add", "15135296642", "--date", "2999-01-01"])
        .code(1)
        .stderr_has(&["--date: 2999-01-01: is in the future"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 10);
}

#[test]
fn points_earn_redeem_and_balance() {
    let d = district();
    // 杨丽 has no entries yet.
    assert_eq!(
        d.nf(&["points", "balance", "15135296642", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        0
    );
    d.nf(&[
        "points",
        "earn",
        "15135296642",
        "20",
        "--category",
        "志愿服务",
        "--reason",
        "助老送餐",
        "--date",
        "2025-07-20",
    ])
    .ok()
    .stderr_has(&[
        "杨丽: +20 points on 2025-07-20 (志愿服务), entry ",
        "; balance 20",
    ]);
    d.nf(&[
        "points",
        "earn",
        "15135296642",
        "+2",
        "--category",
        "随手拍",
        "--date",
        "2025-07-21",
    ])
    .ok()
    .stderr_has(&["balance 22"]);
    d.nf(&[
        "points",
        "redeem",
        "15135296642",
        "12",
        "--reason",
        "保温杯",
        "--date",
        "2025-07-22",
    ])
    .ok()
    .stderr_has(&[
        "杨丽: -12 points on 2025-07-22 (积分兑换), entry ",
        "; balance 10",
    ]);
    let b = d
        .nf(&["points", "balance", "15135296642", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        b,
        [
            json!({"name": "杨丽", "phone": "151****6642", "id_number": "140106********7169", "balance": 10, "earned": 22, "redeemed": 12})
        ]
    );
    assert_eq!(
        d.rows(
            "SELECT points, kind, category, reason FROM point_entries p JOIN workers w ON w.id = p.worker_id WHERE w.name = '杨丽' ORDER BY p.id"
        ),
        [
            ["20", "earn", "volunteer_service", "助老送餐"],
            ["2", "earn", "tip", ""],
            ["-12", "redeem", "redemption", "保温杯"],
        ]
        .map(|r| r.map(|s| Some(s.to_string())))
    );
    // The report counts them under 杨丽's street, 迎泽街道.
    let r = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(r["streets"][3]["points_earned"], 22);
    assert_eq!(r["streets"][3]["points_redeemed"], 12);
    assert_eq!(r["total"]["points_earned"], 59);
    assert_eq!(r["total"]["points_redeemed"], 27);
}

#[test]
fn points_redeem_more_than_the_balance_is_refused() {
    let d = district();
    // 郭志伟: +10 on 07-02, -5 on 07-18: balance 5.
    let o = d
        .nf(&[
            "points",
            "redeem",
            "13623517804",
            "6",
            "--date",
            "2025-07-30",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: POINTS: redemption refused: balance 5, asked 6 — a balance may not go below zero\n"
    );
    // A redemption dated before the earning it would need is refused too.
    d.nf(&[
        "points",
        "redeem",
        "13623517804",
        "3",
        "--date",
        "2025-07-01",
    ])
    .code(1)
    .stderr_has(&["redemption refused: balance 0, asked 3"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 8);
    d.nf(&[
        "points",
        "redeem",
        "13623517804",
        "5",
        "--date",
        "2025-07-30",
    ])
    .ok()
    .stderr_has(&["balance 0"]);
    let b = d
        .nf(&["points", "balance", "13623517804", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        (b[0]["balance"].as_i64(), b[0]["redeemed"].as_i64()),
        (Some(0), Some(10))
    );
    // Bad amounts.
    d.nf(&["points", "earn", "13623517804", "0", "--date", "2025-07-30"])
        .code(1)
        .stderr_has(&["POINTS: 0: zero points"]);
    d.nf(&[
        "points",
        "earn",
        "13623517804",
        "1.5",
        "--date",
        "2025-07-30",
    ])
    .code(1)
    .stderr_has(&["POINTS: 1.5: not a whole number"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 9);
    // The ledger is append-only.
    let err = d
        .conn()
        .execute("DELETE FROM point_entries", [])
        .unwrap_err()
        .to_string();
    assert!(err.contains("append-only"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Overlapping exports
// ---------------------------------------------------------------------------------------

#[test]
fn overlapping_exports_add_only_what_is_new() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    d.import("checkins", "overlap/checkins-2025-01-07.csv")
        .stderr_has(&["checkins-2025-01-07.csv: 6 rows: 6 new, 0 updated, 0 unchanged\n"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 6);
    let o = d.import("checkins", "overlap/checkins-2025-01-08.csv");
    o.stderr_has(&["checkins-2025-01-08.csv: 9 rows: 3 new, 0 updated, 6 unchanged\n"]);
    assert!(!o.stderr.contains("already imported"));
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 9);
    assert_eq!(
        d.rows("SELECT date FROM checkins WHERE id > 6 ORDER BY id"),
        [["2025-08-05"], ["2025-08-12"], ["2025-08-12"]].map(|r| r.map(|s| Some(s.to_string())))
    );
    // Importing the older export again adds nothing either.
    d.nf(&["import", "checkins", "checkins-2025-01-07.csv"])
        .ok()
        .stderr_has(&["6 rows: 0 new, 0 updated, 6 unchanged", "already imported"]);
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
        .stderr_has(&["0 new, 0 updated, 6 unchanged"]);
    // The same two rows under another file name are still the same two check-ins.
    d.copy_as("overlap/checkins-2025-01-07.csv", "renamed.csv");
    d.nf(&["import", "checkins", "renamed.csv"])
        .ok()
        .stderr_has(&["renamed.csv: 6 rows: 0 new, 0 updated, 6 unchanged"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 6);
    // A file with a third identical row adds exactly one.
    let mut three = String::from_utf8(d.read("checkins-2025-01-07.csv")).unwrap();
    three.push_str("18635297730,2025-07-08,老军营街道,滨河东路一社区居委会,驿站休息\r\n");
    d.write("three.csv", three);
    d.nf(&["import", "checkins", "three.csv"])
        .ok()
        .stderr_has(&["three.csv: 7 rows: 1 new, 0 updated, 6 unchanged"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 7);
}

#[test]
fn identical_points_rows_are_two_entries_and_reimport_adds_none() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n\
         13835261147,2025-07-01,随手拍,2,随手拍上报井盖破损\n\
         13835261147,2025-07-01,随手拍,2,随手拍上报井盖破损\n\
         13835261147,2025-07-02,积分兑换,-4,兑换理发券\n",
    );
    d.nf(&["import", "points", "points.csv"])
        .ok()
        .stderr_has(&["points.csv: 3 rows: 3 new"]);
    d.nf(&["import", "points", "points.csv"])
        .ok()
        .stderr_has(&["points.csv: 3 rows: 0 new, 0 updated, 3 unchanged"]);
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

// ---------------------------------------------------------------------------------------
// Usage errors (exit 2)
// ---------------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let d = Dir::new();
    d.init();
    let cases: [(&[&str], &str); 10] = [
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (&["import", "workers"], "required"),
        (&["import", "people", "x.csv"], "invalid value 'people'"),
        (
            &[
                "report",
                "streets",
                "--month",
                "2025-07",
                "--from",
                "2025-07-01",
            ],
            "error: give either --month, --quarter, --year, or --from/--to — not both",
        ),
        (
            &["report", "streets"],
            "error: say which period: --month 2025-07, --quarter 2025Q3, --year 2025, or --from D --to D",
        ),
        (
            &["report", "streets", "--month", "2025-13"],
            "error: --month 2025-13: not a month — write it as 2025-07",
        ),
        (
            &[
                "report",
                "streets",
                "--from",
                "2025-08-01",
                "--to",
                "2025-07-01",
            ],
            "error: --to 2025-07-01 is before --from 2025-08-01",
        ),
        (
            &["report", "streets", "--month", "2025-07", "--format", "pdf"],
            "invalid value 'pdf'",
        ),
        (
            &[
                "checkin",
                "list",
                "--month",
                "2025-07",
                "--to",
                "2025-07-31",
            ],
            "error: give either --month, --quarter, --year, or --from/--to — not both",
        ),
        (
            &[
                "points",
                "redeem",
                "13623517804",
                "3",
                "--category",
                "志愿服务",
            ],
            "unexpected argument '--category'",
        ),
    ];
    for (args, message) in cases {
        let o = d.nf(args).code(2);
        assert!(o.stderr.contains(message), "{args:?}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
    }
    // Usage is checked before the database is opened.
    d.bare()
        .args(&["--db", "missing.db", "report", "streets"])
        .code(2)
        .stderr_has(&["say which period"]);
    assert!(!d.exists("missing.db"));
    // --help and --version are not errors.
    d.bare()
        .args(&["--help"])
        .ok()
        .stdout_has(&["Usage: nuanfeng"]);
    let version = format!("nuanfeng {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(d.bare().args(&["--version"]).ok().stdout, version);
}

// ---------------------------------------------------------------------------------------
// demo
// ---------------------------------------------------------------------------------------

#[test]
fn demo_prints_every_street_and_the_total() {
    let d = Dir::new();
    let o = d.bare().args(&["demo", "--db", "d.db"]).ok();
    o.stderr_has(&[
        "examples/workers.csv: 360 rows imported (GB18030 (GBK))",
        "d.db — 迎泽区 per-street report, 2025-12:",
    ]);
    o.stdout_has(&["街道", "报到人次"]);
    let names: Vec<&str> = o
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|n| YINGZE.iter().any(|(_, s)| s == n) || *n == "合计")
        .collect();
    assert_eq!(
        names,
        [
            "柳巷街道",
            "文庙街道",
            "庙前街道",
            "迎泽街道",
            "桥东街道",
            "老军营街道",
            "郝庄镇",
            "合计"
        ]
    );
    assert!(d.exists("d.db"));
    assert!(d.int_in("d.db", "SELECT count(*) FROM workers") > 0);
    // The JSON form of the same report agrees with the database it built.
    let j = d
        .bare()
        .args(&[
            "--db", "d.db", "report", "streets", "--month", "2025-12", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(j["streets"].as_array().unwrap().len(), 7);
    assert_eq!(
        j["total"]["workers"].as_i64().unwrap(),
        d.int_in(
            "d.db",
            "SELECT count(*) FROM workers WHERE left_on IS NULL OR left_on >= '2025-12-31'"
        )
    );
}

#[test]
fn demo_without_db_rebuilds_its_own_file() {
    let d = Dir::new();
    d.bare().args(&["demo", "--format", "json"]).ok();
    let first = d.int_in("nuanfeng-demo.db", "SELECT count(*) FROM checkins");
    let o = d.bare().args(&["demo", "--format", "json"]).ok();
    assert_eq!(
        d.int_in("nuanfeng-demo.db", "SELECT count(*) FROM checkins"),
        first,
        "rebuilt, not imported twice"
    );
    let r = o.json();
    assert_eq!(
        r["period"],
        json!({"from": "2025-12-01", "to": "2025-12-31"})
    );
    let names: Vec<&str> = r["streets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["street"].as_str().unwrap())
        .collect();
    assert_eq!(names, YINGZE.map(|(_, n)| n));
    assert_eq!(r["total"]["street"], "合计");
    assert!(!d.exists("nuanfeng.db"));
}

#[test]
fn demo_refuses_an_existing_db_file() {
    let d = Dir::new();
    d.write("mine.db", b"not to be touched");
    let o = d.bare().args(&["--db", "mine.db", "demo"]).code(1);
    assert_eq!(
        o.stderr,
        "error: mine.db exists; the demo builds a new registry — name a file that does not \
         exist, or leave --db out to use ./nuanfeng-demo.db\n"
    );
    assert_eq!(d.read("mine.db"), b"not to be touched");
    // The registry NUANFENG_DB names is never the demo's: the demo builds its own file.
    d.bare()
        .args(&["demo"])
        .env("NUANFENG_DB", "mine.db")
        .ok()
        .stdout_has(&["合计"]);
    assert_eq!(d.read("mine.db"), b"not to be touched");
    assert!(d.path().join("nuanfeng-demo.db").exists());
}

// ---------------------------------------------------------------------------------------
// Bugs found while writing these tests
// ---------------------------------------------------------------------------------------

#[test]
fn points_file_out_of_date_order_is_judged_in_date_order() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    // Grouped by kind, as offices often sort: the redemption on 07-03 is listed before the
    // earning on 07-01 that covers it.
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n\
         15035418863,2025-07-03,积分兑换,-5,兑换雨衣\n\
         15035418863,2025-07-01,志愿服务,10,参加防汛值守\n",
    );
    d.nf(&["import", "points", "points.csv"])
        .ok()
        .stderr_has(&["points.csv: 2 rows: 2 new, 0 updated, 0 unchanged"]);
    let b = d
        .nf(&["points", "balance", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(b[0]["balance"], 5);
}

#[test]
fn id_number_with_impossible_birth_date_is_masked_in_errors() {
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
    o.stderr_has(&["bad.csv:2: 身份证号 (C): 140106********1133"]);
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
fn rejects_problem_columns_name_the_columns_of_the_file() {
    let d = Dir::new();
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,报到社区,事项\n13453429918,2025-07-06,柳港街道,,日常报到\n",
    );
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R1.csv",
        "checkins.csv",
    ])
    .ok()
    .stderr_has(&["checkins.csv:2: 报到街道 (C): 柳港街道: not a known street"]);
    let rows = bom_csv(&d.read("R1.csv"));
    assert_eq!(rows[1][2], "报到街道", "{:?}", rows[1]);
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n13453429918,7月6日,志愿服务,5,参加防汛值守\n",
    );
    d.nf(&[
        "import",
        "points",
        "--skip-invalid",
        "--rejects",
        "R2.csv",
        "points.csv",
    ])
    .ok()
    .stderr_has(&["points.csv:2: 日期 (B): 7月6日: has no year"]);
    let rows = bom_csv(&d.read("R2.csv"));
    assert_eq!(rows[1][2], "日期", "{:?}", rows[1]);
}

// ---------------------------------------------------------------------------------------
// Regressions found by a user review
// ---------------------------------------------------------------------------------------

/// The runs of ASCII digits in `text` that are as long as a 手机号 (11) or a 身份证号 (18, or
/// 17 and a final X): numbers in clear.
fn clear_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() == 11 || run.len() == 18 || (run.len() == 17 && matches!(c, 'X' | 'x')) {
            found.push(run.clone());
        }
        run.clear();
    }
    found
}

#[cfg(unix)]
fn mode_of(d: &Dir, name: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(d.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn rejects_file_never_overwrites_the_registry_the_register_or_another_file() {
    let d = Dir::new();
    d.init();
    d.copy("13-street-names/workers.csv");
    d.write("notes.txt", "今天的工作记录\n");
    // Another register with a BOM: a BOM alone does not make a rejects file.
    d.copy_as("01-utf8-bom/workers.csv", "register.csv");
    let registry = d.read("nf.db");
    let register = d.read("workers.csv");
    let notes = d.read("notes.txt");
    let other = d.read("register.csv");
    for (target, message) in [
        (
            "nf.db",
            "error: --rejects nf.db is the registry itself — name another file for the rejected rows\n",
        ),
        (
            "./nf.db",
            "error: --rejects ./nf.db is the registry itself — name another file for the rejected rows\n",
        ),
        (
            "workers.csv",
            "error: --rejects workers.csv is the file being imported — name another file for the rejected rows\n",
        ),
        (
            "notes.txt",
            "error: the rejects file notes.txt exists and is not a rejects file — it is never overwritten; name another with --rejects FILE\n",
        ),
        (
            "register.csv",
            "error: the rejects file register.csv exists and is not a rejects file — it is never overwritten; name another with --rejects FILE\n",
        ),
    ] {
        let o = d
            .nf(&[
                "import",
                "workers",
                "--skip-invalid",
                "--rejects",
                target,
                "workers.csv",
            ])
            .code(1);
        assert_eq!(
            o.stderr,
            format!("workers.csv: read as UTF-8\n{message}"),
            "--rejects {target}"
        );
    }
    // The registry is the registry however NUANFENG_DB names it.
    d.bare()
        .args(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "nf.db",
            "workers.csv",
        ])
        .env("NUANFENG_DB", "nf.db")
        .code(1)
        .stderr_has(&["error: --rejects nf.db is the registry itself"]);
    // The default NAME.rejects.csv is not overwritten either when it is something else.
    d.write("workers.rejects.csv", "我自己的文件\n");
    d.nf(&["import", "workers", "--skip-invalid", "workers.csv"])
        .code(1)
        .stderr_has(&["workers.rejects.csv exists and is not a rejects file"]);
    assert_eq!(d.read("workers.rejects.csv"), "我自己的文件\n".as_bytes());
    // Byte for byte as they were, and nothing imported.
    assert_eq!(d.read("nf.db"), registry, "the registry was changed");
    assert_eq!(d.read("workers.csv"), register);
    assert_eq!(d.read("notes.txt"), notes);
    assert_eq!(d.read("register.csv"), other);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);

    // An earlier rejects file may be overwritten: it then holds the new file's rows only.
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][4], "史红霞");
    assert!(
        d.read("R.csv")
            .starts_with("\u{FEFF}行号,表格行号,".as_bytes())
    );
    d.copy("04-excel-damage/workers.csv");
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok()
    .stderr_has(&["3 rejected (written to R.csv)"]);
    let rows = bom_csv(&d.read("R.csv"));
    let lines: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(lines, ["3", "4", "5"]);
    assert!(rows.iter().all(|r| r[4] != "史红霞"), "{rows:?}");
}

#[test]
fn unclosed_quote_is_refused_naming_line_and_column_and_showing_no_numbers() {
    let d = Dir::new();
    d.init();
    // Line 3 opens a quote in 从业类型 (F) and never closes it: the rest of the file would
    // fall into that one cell.
    d.write(
        "workers.csv",
        "姓名,性别,手机号,身份证号,政治面貌,从业类型,所属企业,所属站点,所属街道,所属社区\n\
         吕静,女,15035418863,140106199108208088,群众,外卖员,美团,,老军营街道,新建南路一社区居委会\n\
         魏东,男,13835261147,140106198305068016,群众,\"外卖骑手,美团,,老军营街道,劲松社区居民委员会\n\
         丁鹏飞,男,18635297730,140106199601128153,群众,外卖员,美团,,老军营街道,滨河东路一社区居委会\n\
         侯婷婷,女,13513648802,140106198812254321,群众,外卖员,美团,,老军营街道,\n",
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
                "workers.csv: read as UTF-8\n\
                 error: workers.csv: line 3, column F: a cell opened with a quote (\") runs over "
            ),
            "{extra:?}: {}",
            o.stderr
        );
        o.stderr_has(&[
            "the quote is probably never closed; remove it or close it, and import again\n",
        ]);
        o.hides(&secrets);
        assert!(clear_numbers(&o.stderr).is_empty(), "{}", o.stderr);
    }
    assert!(!d.exists("R.csv"));
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn rejects_file_masks_numbers_in_every_column_and_is_private() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,性别,手机号,联系电话,身份证号,从业类型,所属街道,紧急联系人电话,备注\n\
         魏东,男,13835261147,13912345678,140106198305068016,外卖员,柳港街道,15800001111,电话13612345678 证号14010620010314499X\n\
         吕静,女,15035418863,13712345678,140106199108208088,外卖员,老军营街道,15800002222,\n",
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "--map",
            "联系电话=-",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "workers.csv",
        ])
        .ok();
    o.stderr_has(&[
        "workers.csv: warning: ignoring columns 紧急联系人电话 ",
        "workers.csv:2: 所属街道 (G): 柳港街道: not a known street — did you mean 柳巷街道?\n",
        "workers.csv: 2 rows: 1 new, 0 updated, 0 unchanged, 1 rejected (written to R.csv)\n",
    ]);
    assert!(clear_numbers(&o.stderr).is_empty(), "{}", o.stderr);
    // The worker that landed has the 手机号 column's number, not the ignored one.
    assert_eq!(d.workers()[0]["phone"], "15035418863");

    let bytes = d.read("R.csv");
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert_eq!(clear_numbers(&text), Vec::<String>::new(), "{text}");
    let rows = bom_csv(&bytes);
    assert_eq!(
        rows[0][4..],
        [
            "姓名",
            "性别",
            "手机号",
            "联系电话",
            "身份证号",
            "从业类型",
            "所属街道",
            "紧急联系人电话",
            "备注"
        ]
        .map(String::from)
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[1][4..],
        [
            "魏东",
            "男",
            "138****1147",
            "139****5678",
            "140106********8016",
            "外卖员",
            "柳港街道",
            "158****1111",
            "电话136****5678 证号140106********499X",
        ]
        .map(String::from)
    );
    #[cfg(unix)]
    assert_eq!(mode_of(&d, "R.csv"), 0o600);

    // The default NAME.rejects.csv is private too.
    d.copy("13-street-names/workers.csv");
    d.nf(&["import", "workers", "--skip-invalid", "workers.csv"])
        .ok();
    #[cfg(unix)]
    assert_eq!(mode_of(&d, "workers.rejects.csv"), 0o600);
    let text = String::from_utf8(d.read("workers.rejects.csv")).unwrap();
    assert_eq!(clear_numbers(&text), Vec::<String>::new(), "{text}");
}

#[test]

fn rejects_file_masks_full_width_numbers_in_unknown_columns() {
    let d = Dir::new();
    d.init();
    // Full-width digits are digits (the 手机号 column folds them to ASCII): a phone typed
    // with them in a remark is still a phone.
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道,备注\n魏东,13835261147,外卖员,柳港街道,电话１３６１２３４５６７８\n",
    );
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok();
    let folded: String = String::from_utf8(d.read("R.csv"))
        .unwrap()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect();
    assert_eq!(clear_numbers(&folded), Vec::<String>::new(), "{folded}");
}

#[test]
fn rejects_file_keeps_dates_and_division_codes_as_written() {
    let d = district();
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,事项\n13623517804,20250706,柳港街道,日常报到\n",
    );
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R1.csv",
        "checkins.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R1.csv"));
    assert_eq!(
        rows[1][4..],
        ["136****7804", "20250706", "柳港街道", "日常报到"]
    );
    d.write(
        "streets.csv",
        "级别,代码,名称,上级代码\n社区,14010600,宁化府社区居委会,140106001\n",
    );
    d.nf(&[
        "import",
        "streets",
        "--skip-invalid",
        "--rejects",
        "R2.csv",
        "streets.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R2.csv"));
    assert_eq!(rows[1][7], "140106001", "{:?}", rows[1]);
}

#[test]
fn points_earn_with_the_redemption_category_is_a_usage_error() {
    let d = district();
    let before = d.int("SELECT count(*) FROM point_entries");
    for category in ["积分兑换", "兑换"] {
        let o = d
            .nf(&[
                "points",
                "earn",
                "15135296642",
                "5",
                "--category",
                category,
                "--date",
                "2025-07-20",
            ])
            .code(2);
        assert_eq!(
            o.stderr,
            "error: points earn grants points; spending them is `points redeem WORKER POINTS --reason …`\n",
            "{category}"
        );
        assert_eq!(o.stdout, "");
    }
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
    assert_eq!(
        d.nf(&["points", "balance", "15135296642", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        0
    );
}

#[test]
fn worker_moved_to_another_street_without_a_community_loses_the_old_community() {
    let d = Dir::new();
    d.import("streets", "district/streets.csv");
    d.write(
        "v1.csv",
        "姓名,手机号,身份证号,从业类型,所属街道,所属社区\n\
         杨丽,15135296642,140106199006037169,快递员,迎泽街道,青年路一社区居委会\n\
         陈磊,18834071935,140105198808277358,外卖员,桥东街道,迎宾社区居委会\n",
    );
    d.nf(&["import", "workers", "v1.csv"]).ok();
    // 杨丽 moves to 柳巷街道, community not given; 陈磊 stays in 桥东街道 with a blank cell.
    d.write(
        "v2.csv",
        "姓名,手机号,身份证号,从业类型,所属街道,所属社区\n\
         杨丽,15135296642,140106199006037169,快递员,柳巷街道,\n\
         陈磊,18834071935,140105198808277358,外卖员,桥东街道,\n",
    );
    d.nf(&["import", "workers", "v2.csv"])
        .ok()
        .stderr_has(&["v2.csv: 2 rows: 0 new, 1 updated, 1 unchanged\n"]);
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
fn two_registers_with_one_name_get_a_rejects_file_each() {
    let d = Dir::new();
    d.init();
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::create_dir(d.join("b")).unwrap();
    d.write(
        "a/workers.csv",
        "姓名,手机号,从业类型,所属街道\n甲,18600001111,快递员,柳巷街道\n乙,18600001112,快递员,柳港街道\n",
    );
    d.write(
        "b/workers.csv",
        "姓名,手机号,从业类型,所属街道\n丙,18600002221,快递员,桥东街道\n丁,18600002222,快递员,桥西街道\n戊,18600002223,快递员,郝庄\n",
    );
    d.nf(&[
        "import",
        "workers",
        "a/workers.csv",
        "b/workers.csv",
        "--skip-invalid",
    ])
    .ok()
    .stderr_has(&[
        "a/workers.csv: 2 rows: 1 new, 0 updated, 0 unchanged, 1 rejected (written to workers.rejects.csv)\n",
        "b/workers.csv: 3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected (written to workers-2.rejects.csv)\n",
    ]);
    let a = bom_csv(&d.read("workers.rejects.csv"));
    assert_eq!(a.len(), 2, "{a:?}");
    assert_eq!(a[1][..2], ["3", "3"].map(String::from));
    assert_eq!(a[1][4], "乙");
    assert_eq!(a[1][7], "柳港街道");
    let b = bom_csv(&d.read("workers-2.rejects.csv"));
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!(b[1][..2], ["3", "3"].map(String::from));
    assert_eq!(b[1][4], "丁");
    assert_eq!(b[1][7], "桥西街道");
    assert_eq!(sorted(&d.workers(), "name"), ["丙", "戊", "甲"]);
}

#[test]
fn dry_run_needs_a_registry_and_writes_no_rejects_file_unless_asked() {
    let d = Dir::new();
    d.copy("13-street-names/workers.csv");
    for extra in [&[][..], &["--skip-invalid"][..]] {
        let mut args = vec!["--db", "missing.db", "import", "workers", "--dry-run"];
        args.extend_from_slice(extra);
        args.push("workers.csv");
        let o = d.bare().args(&args).code(1);
        assert_eq!(
            o.stderr,
            "error: no database at missing.db — create it with `nuanfeng --db missing.db init \
             --district 140106` (or import a register), or point NUANFENG_DB at an existing file\n",
            "{extra:?}"
        );
        assert!(!d.exists("missing.db"), "{extra:?} created the registry");
    }
    assert!(!d.exists("workers.rejects.csv"));

    d.init();
    let o = d
        .nf(&[
            "import",
            "workers",
            "--dry-run",
            "--skip-invalid",
            "workers.csv",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\n\
         workers.csv:5: 所属街道 (I): 柳港街道: not a known street — did you mean 柳巷街道?\n\
         workers.csv: 4 rows: 3 new, 0 updated, 0 unchanged, 1 rejected — dry run: the registry is unchanged\n"
    );
    assert!(!d.exists("workers.rejects.csv"));
    // Asked for, the rejects file is written; the registry still is not.
    d.nf(&[
        "import",
        "workers",
        "--dry-run",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok()
    .stderr_has(&[
        "workers.csv: 4 rows: 3 new, 0 updated, 0 unchanged, 1 rejected (written to R.csv) — dry run: the registry is unchanged\n",
    ]);
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "5");
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn closed_stderr_pipe_does_not_panic() {
    use std::process::{Command, Stdio};
    let d = Dir::new();
    d.init();
    d.import("workers", "01-utf8-bom/workers.csv");
    d.copy("13-street-names/workers.csv");
    let run = |args: &[&str]| {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        // Nobody will ever read what the program writes to stderr.
        drop(reader);
        let o = Command::new(util::BIN)
            .current_dir(d.path())
            .env("RUST_BACKTRACE", "0")
            .env_remove("NUANFENG_DB")
            .args(["--db", util::DB])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(writer)
            .output()
            .expect("run nuanfeng");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    // Row errors and the final error go to stderr; the refusal is still exit 1, not a panic.
    assert_eq!(run(&["import", "workers", "workers.csv"]).0, Some(1));
    assert_eq!(d.int("SELECT count(*) FROM workers"), 3);
    // A successful import that writes notes to stderr.
    assert_eq!(
        run(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "workers.csv"
        ])
        .0,
        Some(0)
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 6);
    // Data still goes to stdout; the count note to the closed stderr does not matter.
    let (code, stdout) = run(&["worker", "list", "--format", "json"]);
    assert_eq!(code, Some(0));
    let list: Vec<Value> = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(list.len(), 6);
    assert_eq!(run(&["worker", "list"]).0, Some(0));
}

#[test]
fn street_codes_of_the_wrong_length_are_row_errors_and_upper_levels_are_skipped() {
    let d = Dir::new();
    d.init();
    d.write(
        "streets.csv",
        "级别,代码,名称,上级代码\n\
         省,14,山西省,\n\
         市,1401,太原市,14\n\
         区县,140106,迎泽区,1401\n\
         街道,140106001,柳巷街道,140106\n\
         社区,140106001001,宁化府社区居委会,140106001\n\
         社区,14010,五位,140106001\n\
         社区,1401060,七位,140106001\n\
         社区,1401060010,十位,140106001\n\
         社区,14010600100,十一位,140106001\n",
    );
    let o = d.nf(&["import", "streets", "streets.csv"]).code(1);
    let why = "a street has a 9-digit code, a community a 12-digit one\n";
    o.stderr_has(&[
        &format!("streets.csv:7: 代码 (B): 14010: has 5 digits — {why}"),
        &format!("streets.csv:8: 代码 (B): 1401060: has 7 digits — {why}"),
        &format!("streets.csv:9: 代码 (B): 1401060010: has 10 digits — {why}"),
        &format!("streets.csv:10: 代码 (B): 140****0100: has 11 digits — {why}"),
        "error: streets.csv: 4 of 9 rows have problems (listed above); nothing was imported",
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
        "级别,代码,名称,上级代码\n\
         省,14,山西省,\n\
         市,1401,太原市,14\n\
         区县,140106,迎泽区,1401\n\
         街道,140106001,柳巷街道,140106\n\
         社区,140106001001,宁化府社区居委会,140106001\n",
    );
    let o = d.nf(&["import", "streets", "good.csv"]).ok();
    assert_eq!(
        o.stderr,
        "good.csv: read as UTF-8\ngood.csv: 5 rows: 1 new, 0 updated, 4 unchanged\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    assert_eq!(
        d.rows("SELECT code, name FROM communities"),
        [[
            Some("140106001001".to_string()),
            Some("宁化府社区居委会".to_string())
        ]]
    );
}

#[test]
fn dates_with_the_year_last_are_refused_as_ambiguous() {
    let d = district();
    let why = "puts the year last, so day and month could be either way round";
    for date in ["6/7/2025", "16/07/2025", "7/16/2025"] {
        d.nf(&["checkin", "add", "15135296642", "--date", date])
            .code(1)
            .stderr_has(&[&format!("error: --date: {date}: {why}")]);
    }
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 10);
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,事项\n\
         15135296642,6/7/2025,迎泽街道,日常报到\n\
         15135296642,16/07/2025,迎泽街道,日常报到\n\
         15135296642,7/16/2025,迎泽街道,日常报到\n\
         15135296642,2025/7/6,迎泽街道,日常报到\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    o.stderr_has(&[
        &format!("checkins.csv:2: 报到日期 (B): 6/7/2025: {why}"),
        &format!("checkins.csv:3: 报到日期 (B): 16/07/2025: {why}"),
        &format!("checkins.csv:4: 报到日期 (B): 7/16/2025: {why}"),
        "error: checkins.csv: 3 of 4 rows have problems",
    ]);
    assert!(!o.stderr.contains("checkins.csv:5"), "{}", o.stderr);
    // 2025/7/6 still reads as 6 July.
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "checkins.csv",
    ])
    .ok()
    .stderr_has(&["checkins.csv: 4 rows: 1 new, 0 updated, 0 unchanged, 3 rejected"]);
    assert_eq!(
        d.rows("SELECT k.date FROM checkins k JOIN workers w ON w.id = k.worker_id WHERE w.name = '杨丽' AND k.date LIKE '2025-07-%'"),
        [[Some("2025-07-06".to_string())]]
    );
    d.nf(&["checkin", "add", "15135296642", "--date", "2025/7/16"])
        .ok()
        .stderr_has(&["recorded: 杨丽 checked in on 2025-07-16"]);
}

#[test]
fn empty_file_is_not_taken_for_a_registry_until_init() {
    let d = Dir::new();
    d.write("empty.db", "");
    let commands: [&[&str]; 7] = [
        &["worker", "list"],
        &["station", "list"],
        &["checkin", "list"],
        &["checkin", "add", "13623517804", "--date", "2025-07-01"],
        &["points", "balance"],
        &["points", "earn", "13623517804", "5", "--date", "2025-07-01"],
        &["report", "streets", "--month", "2025-07"],
    ];
    for args in commands {
        let mut all = vec!["--db", "empty.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "error: empty.db cannot be used: it is empty, not a nuanfeng registry — create one \
             with `nuanfeng --db empty.db init`\n",
            "{args:?}"
        );
        assert_eq!(o.stdout, "", "{args:?}");
        assert_eq!(d.read("empty.db").len(), 0, "{args:?} wrote to the file");
    }
    d.bare().args(&["--db", "empty.db", "init"]).ok();
    #[cfg(unix)]
    assert_eq!(mode_of(&d, "empty.db"), 0o600);
    assert_eq!(d.int_in("empty.db", "PRAGMA user_version"), 10);
    assert_eq!(d.int_in("empty.db", "PRAGMA application_id"), 0x4E46_4E47);
    let o = d
        .bare()
        .args(&["--db", "empty.db", "worker", "list", "--format", "json"])
        .ok();
    assert_eq!(o.json_array().len(), 0);
}

#[test]

fn init_on_an_empty_file_does_not_call_it_a_registry_already() {
    let d = Dir::new();
    d.write("empty.db", "");
    let o = d.bare().args(&["--db", "empty.db", "init"]).ok();
    assert!(!o.stderr.contains("already a registry"), "{}", o.stderr);
    o.stderr_has(&["empty.db"]);
}

#[test]
fn forced_gb18030_on_a_utf8_file_with_bom_reads_it_as_utf8() {
    let d = Dir::new();
    d.init();
    d.copy("01-utf8-bom/workers.csv");
    let o = d
        .nf(&["import", "workers", "--encoding", "gb18030", "workers.csv"])
        .ok();
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8 with BOM\nworkers.csv: 3 rows: 3 new, 0 updated, 0 unchanged\n"
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
fn renamed_worker_is_updated_with_a_note_naming_both_names() {
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
        "renamed.csv: read as UTF-8\n\
         renamed.csv:2: note: 姓名: the worker with this 身份证号 was registered as 石志刚; renamed 石志强\n\
         renamed.csv: 1 row: 0 new, 1 updated, 0 unchanged\n"
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
            "renamed2.csv:2: note: 姓名: the worker with this 手机号 was registered as 石志强; renamed 石志勇\n",
            "renamed2.csv: 1 row: 0 new, 1 updated, 0 unchanged\n",
        ]);
}

#[test]
fn map_options_are_checked() {
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
        "workers.csv: warning: --map names columns the file does not have: 紧急电话\n",
        "workers.csv: 2 rows: 2 new",
    ]);
    let cases: [(&[&str], &str); 4] = [
        (
            &["--map", "联系电话=-", "--map", "联系电话=phone"],
            "error: --map names the column 联系电话 twice — give it once\n",
        ),
        (
            &["--map", "联系电话=telephone"],
            "error: --map: telephone is not a field of a workers register; fields: name (姓名), ",
        ),
        (
            &["--header-row", "0"],
            "error: invalid value '0' for '--header-row <N>'",
        ),
        (
            &["--map", "=-"],
            "error: --map needs a header before `=`, e.g. --map \"联系电话=-\"\n",
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
fn points_beyond_the_limit_are_too_large() {
    let d = district();
    for amount in ["2147483648", "9223372036854775807", "99999999999999999999"] {
        d.nf(&[
            "points",
            "earn",
            "15135296642",
            amount,
            "--date",
            "2025-07-20",
        ])
        .code(1)
        .stderr_has(&["too large (at most 999999999)"]);
    }
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n\
         15135296642,2025-07-20,志愿服务,9223372036854775807,助老送餐\n\
         15135296642,2025-07-20,志愿服务,2147483648,助老送餐\n",
    );
    let o = d.nf(&["import", "points", "points.csv"]).code(1);
    o.stderr_has(&[
        "points.csv:2: 积分 (D): ",
        "points.csv:3: 积分 (D): ",
        "error: points.csv: 2 of 2 rows have problems",
    ]);
    assert_eq!(
        o.stderr
            .matches(": too large (at most 999999999)\n")
            .count(),
        2,
        "{}",
        o.stderr
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 8);
}

#[test]
fn most_negative_points_in_a_register_are_too_large() {
    let d = district();
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n15135296642,2025-07-20,积分兑换,-9223372036854775808,兑换\n",
    );
    let o = d.nf(&["import", "points", "points.csv"]).code(1);
    o.stderr_has(&["points.csv:2: 积分 (D): ", "too large (at most 999999999)"]);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

#[test]
fn points_balance_of_a_worker_without_entries_says_so() {
    let d = district();
    let o = d.nf(&["points", "balance", "15135296642"]).ok();
    assert_eq!(o.stderr, "杨丽 has no points entries yet (balance 0)\n");
    let o = d
        .nf(&[
            "points",
            "balance",
            "140106199006037169",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(o.json_array().len(), 0);
    o.stderr_has(&["杨丽 has no points entries yet"]);
}

#[test]
fn points_balance_of_an_11_digit_non_mobile_number_says_it_is_not_a_mobile_number() {
    let d = district();
    let o = d.nf(&["points", "balance", "23800138000"]).code(1);
    o.stderr_has(&["238****8000", "is not a mobile number"]);
    assert!(!o.stderr.contains("not 18"), "{}", o.stderr);
    assert!(!o.stderr.contains("身份证号"), "{}", o.stderr);
    o.hides(&["23800138000"]);
    // What checkin add and points earn already say.
    d.nf(&["points", "earn", "23800138000", "5"])
        .code(1)
        .stderr_has(&[
            "error: WORKER: 238****8000: is not a mobile number (11 digits starting 13–19) — check the number\n",
        ]);
}

#[test]
fn three_thousand_identical_checkins_land_and_reimport_adds_none() {
    let d = Dir::new();
    d.init();
    d.import("workers", "overlap/workers.csv");
    let row = "18635297730,2025-07-08,老军营街道,滨河东路一社区居委会,驿站休息\n";
    let mut file = String::from("手机号,报到日期,报到街道,报到社区,事项\n");
    file.push_str(&row.repeat(3000));
    d.write("many.csv", &file);
    d.nf(&["import", "checkins", "many.csv"])
        .ok()
        .stderr_has(&["many.csv: 3000 rows: 3000 new, 0 updated, 0 unchanged\n"]);
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
        .stderr_has(&["many.csv: 3000 rows: 0 new, 0 updated, 3000 unchanged\n"]);
    // Another file with the same 3000 rows and one more: only the one is new.
    file.push_str("18635297730,2025-07-09,老军营街道,滨河东路一社区居委会,驿站休息\n");
    d.write("more.csv", &file);
    d.nf(&["import", "checkins", "more.csv"])
        .ok()
        .stderr_has(&["more.csv: 3001 rows: 1 new, 0 updated, 3000 unchanged\n"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 3001);
}

#[test]
fn stations_keep_service_numbers_and_landlines_and_list_as_json() {
    let d = Dir::new();
    d.import("streets", "district/streets.csv");
    d.write(
        "stations.csv",
        "站点名称,站点类型,所属企业,地址,所属街道,所属社区,从业人数,联系人,联系电话,服务设施\n\
         顺丰速运柳巷营业部,快递站点,顺丰速运,太原市迎泽区柳巷南路88号,柳巷街道,宁化府社区居委会,3,闫志刚,4008123456,\n\
         宁化府社区暖蜂驿站,暖蜂驿站,,太原市迎泽区宁化府巷5号,柳巷街道,,,刘芳,03517654321,饮水、充电、休息\n",
    );
    d.nf(&["import", "stations", "stations.csv"])
        .ok()
        .stderr_has(&["stations.csv: 2 rows: 2 new, 0 updated, 0 unchanged\n"]);
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
        "姓名,手机号,从业类型,所属街道,所属站点,入职日期,离职日期\n\
         甲,18600005551,快递员,柳巷街道,顺丰速运柳巷营业部,2999-01-01,\n\
         乙,18600005552,快递员,柳巷街道,顺丰速运柳巷营业部,2025-01-01,\n\
         丙,18600005553,快递员,柳巷街道,顺丰速运柳巷营业部,2024-01-01,2025-06-30\n",
    );
    d.nf(&["import", "workers", "workers.csv"])
        .code(1)
        .stderr_has(&[
            "workers.csv:2: 入职日期 (F): 2999-01-01: is in the future",
            "error: workers.csv: 1 of 3 rows has problems",
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
    .stderr_has(&["workers.csv: 3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected"]);
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
fn text_file_as_registry_is_named_and_untouched() {
    let d = Dir::new();
    d.write("text.db", "姓名,手机号\n这不是数据库\n");
    let before = d.read("text.db");
    for args in [&["worker", "list"][..], &["init"][..]] {
        let mut all = vec!["--db", "text.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "error: text.db cannot be used: it is not a SQLite database (nor a nuanfeng registry)\n",
            "{args:?}"
        );
    }
    assert_eq!(d.read("text.db"), before);
}

#[test]
fn worker_list_csv_leaves_missing_values_empty_and_defuses_formulas() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n\
         \"=HYPERLINK(\"\"http://x\"\")\",18600007771,快递员,柳巷街道\n\
         @SUM(A1),18600007772,快递员,柳巷街道\n\
         王宇,18600007773,快递员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "workers.csv"]).ok();
    let o = d.nf(&["worker", "list", "--format", "csv"]).ok();
    let rows = bom_csv(&o.raw_stdout);
    assert_eq!(
        rows[0],
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
    let by_name = |n: &str| {
        rows.iter()
            .find(|r| r[0] == n)
            .unwrap_or_else(|| panic!("no row {n} in {rows:?}"))
            .clone()
    };
    assert_eq!(
        by_name("王宇"),
        [
            "王宇",
            "",
            "186****7773",
            "",
            "",
            "快递员",
            "",
            "",
            "柳巷街道",
            ""
        ]
    );
    assert_eq!(by_name("'=HYPERLINK(\"http://x\")")[2], "186****7771");
    assert_eq!(by_name("'@SUM(A1)")[2], "186****7772");
    assert!(rows.iter().all(|r| r.iter().all(|c| c != "-")), "{rows:?}");
    // The stored name is as written.
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name = '=HYPERLINK(\"http://x\")'"),
        1
    );
}

// ---------------------------------------------------------------------------------------
// Workbooks and templates
// ---------------------------------------------------------------------------------------

use calamine::{Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Formula, Workbook};

/// Writes a workbook into the folder: one sheet, text cells, the first row at sheet row
/// `top` and the first column at `left` (both 1-based); an empty slice is a blank row.
fn xlsx_in(d: &Dir, name: &str, sheet: &str, top: u32, left: u16, rows: &[&[&str]]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).expect("sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(top - 1 + r as u32, left - 1 + c as u16, *cell)
                    .expect("write a cell");
            }
        }
    }
    book.save(d.join(name)).expect("save the workbook");
}

/// Every sheet of an .xlsx in the folder, by name, each cell as text (empty as "").
fn xlsx_sheets(d: &Dir, name: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = open_workbook(d.join(name)).expect("open the workbook");
    book.sheet_names()
        .into_iter()
        .map(|s| {
            let range = book.worksheet_range(&s).expect("read the sheet");
            assert_eq!(
                range.start(),
                Some((0, 0)),
                "sheet {s} does not start at A1"
            );
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (s, rows)
        })
        .collect()
}

/// Name, phone, 身份证号 and 入职日期 of every worker, in the order they were added.
fn worker_rows(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows("SELECT name, phone, id_number, joined_on FROM workers ORDER BY id")
}

/// A row of text values, for comparing with [`Dir::rows`].
fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

/// The workers of case 03: name, phone, 身份证号.
const CASE03: [(&str, &str, &str); 5] = [
    ("贺文杰", "18235106271", "140106199004122159"),
    ("樊雪", "15536208814", "14010519950823326X"),
    ("常建国", "13903517702", "140106197811031174"),
    ("申晓东", "17634219058", "140121198802162533"),
    ("裴慧", "19834517726", "140106199305304423"),
];

/// The standard header of the workers register, as `template workers` writes it.
const WORKER_HEADERS: [&str; 15] = [
    "姓名",
    "性别",
    "手机号",
    "身份证号",
    "政治面貌",
    "从业类型",
    "所属企业",
    "所属站点",
    "所属街道",
    "所属社区",
    "备注",
    "入职日期",
    "离职日期",
    "组织关系所在党组织",
    "所在党组织",
];

#[test]
fn case03_workbook_and_csv_with_title_and_footer_import_five_workers() {
    let xlsx = Dir::new();
    xlsx.init();
    let o = xlsx.import("workers", "03-title-and-footer/workers.xlsx");
    // No warning about 序号, no error about the blank row or the 填表人 footer.
    assert_eq!(
        o.stderr,
        "workers.xlsx: read as sheet 台账 (xlsx)\n\
         workers.xlsx[台账]: 5 rows: 5 new, 0 updated, 0 unchanged\n"
    );
    assert_eq!(o.stdout, "");
    let expected: Vec<_> = CASE03.iter().map(|(n, p, id)| some(&[n, p, id])).collect();
    assert_eq!(
        xlsx.rows("SELECT name, phone, id_number FROM workers ORDER BY id"),
        expected
    );
    assert_eq!(
        xlsx.rows(
            "SELECT file_name, encoding, rows_read, rows_new, rows_rejected FROM import_batches"
        ),
        [some(&["workers.xlsx[台账]", "xlsx", "5", "5", "0"])]
    );
    let w = xlsx.workers();
    let x = find(&w, "name", "樊雪");
    assert_eq!(x["gender"], "female");
    assert_eq!(x["political_status"], "league_member");
    assert_eq!(x["occupation"], "courier");
    assert_eq!(x["enterprise"], "顺丰速运");
    assert_eq!(x["street"], "柳巷街道");
    assert_eq!(x["community"], "察院后社区居委会");
    assert_eq!(find(&w, "name", "常建国")["occupation"], "truck_driver");

    // The CSV of the same register gives the same workers.
    let csv = Dir::new();
    csv.init();
    let o = csv.import("workers", "03-title-and-footer/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8 with BOM\nworkers.csv: 5 rows: 5 new, 0 updated, 0 unchanged\n"
    );
    assert_eq!(csv.workers(), w);
}

#[test]
fn case03_header_row_2_works_for_the_workbook_and_the_csv() {
    for (file, shown) in [
        ("workers.xlsx", "workers.xlsx[台账]"),
        ("workers.csv", "workers.csv"),
    ] {
        let d = Dir::new();
        d.init();
        let name = d.copy(&format!("03-title-and-footer/{file}"));
        d.nf(&["import", "workers", &name, "--header-row", "2"])
            .ok()
            .stderr_has(&[&format!("{shown}: 5 rows: 5 new, 0 updated, 0 unchanged\n")])
            .hides(&["warning", "序号"]);
        assert_eq!(
            sorted(&d.workers(), "name"),
            ["常建国", "樊雪", "申晓东", "裴慧", "贺文杰"]
        );
    }
}

#[test]
fn case03_reimporting_the_workbook_says_it_was_already_imported() {
    let d = Dir::new();
    d.init();
    d.import("workers", "03-title-and-footer/workers.xlsx");
    let before = d.rows("SELECT * FROM workers ORDER BY id");
    let o = d.nf(&["import", "workers", "workers.xlsx"]).ok();
    o.stderr_has(&[
        "workers.xlsx[台账]: 5 rows: 0 new, 0 updated, 5 unchanged\n",
        "workers.xlsx[台账]: this file was already imported on ",
        " (as workers.xlsx[台账]); nothing changed\n",
    ]);
    assert_eq!(d.rows("SELECT * FROM workers ORDER BY id"), before);
    // The CSV of the same register is another file: unchanged rows, but not "already imported".
    let o = d.import("workers", "03-title-and-footer/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8 with BOM\nworkers.csv: 5 rows: 0 new, 0 updated, 5 unchanged\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 5);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 3);
}

#[test]
fn case14_stations_workbook_imports_five_stations_of_four_kinds() {
    let d = Dir::new();
    d.init();
    let o = d.import("stations", "14-stations/stations.xlsx");
    assert_eq!(
        o.stderr,
        "stations.xlsx: read as sheet 站点 (xlsx)\n\
         stations.xlsx[站点]: 5 rows: 5 new, 0 updated, 0 unchanged\n"
    );
    let list = d
        .nf(&["station", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(list.len(), 5);
    // In the order of the file.
    let kinds: Vec<Value> = d
        .rows("SELECT name FROM stations ORDER BY id")
        .into_iter()
        .map(|r| find(&list, "name", r[0].as_deref().unwrap())["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "courier_station",
            "courier_station",
            "rider_hub",
            "rest_station",
            "logistics_firm"
        ]
    );
    // 快递网点 is a courier station.
    assert_eq!(
        find(&list, "name", "极兔速递文庙网点")["kind"],
        "courier_station"
    );
    let rest = find(&list, "name", "宁化府社区暖蜂驿站");
    assert_eq!(rest["contact_phone"], "035*****4321");
    assert_eq!(
        rest["facilities"],
        json!(["饮水", "充电", "微波炉", "休息座椅"])
    );
    assert_eq!(rest["community"], "宁化府社区居委会");
    assert_eq!(rest["enterprise"], Value::Null);
    // The landline is kept as written, with its area code.
    let pii = d
        .nf(&["station", "list", "--format", "json", "--show-pii"])
        .ok()
        .json_array();
    assert_eq!(
        find(&pii, "name", "宁化府社区暖蜂驿站")["contact_phone"],
        "0351-7654321"
    );
    assert_eq!(
        find(&pii, "name", "美团骑手之家（桥东）")["contact_phone"],
        "18635107724"
    );
    assert_eq!(
        d.rows("SELECT facilities FROM stations WHERE kind = 'rest_station'"),
        [some(&[r#"["饮水","充电","微波炉","休息座椅"]"#])]
    );
}

#[test]
fn numbers_xlsx_id_stored_as_a_number_is_refused_with_the_fix() {
    let d = Dir::new();
    d.init();
    d.copy("workbooks/numbers.xlsx");
    let o = d.nf(&["import", "workers", "numbers.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "numbers.xlsx: read as sheet Sheet1 (xlsx)\n\
         numbers.xlsx[Sheet1]:3: 身份证号 (D): 1.40106E+17: stored as a number (shown as scientific \
         notation), so its last digits are lost — format the column as text in Excel \
         (设置单元格格式 → 文本) and type the number again\n\
         error: numbers.xlsx[Sheet1]: 1 of 3 rows has problems (listed above); nothing was \
         imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);

    // --skip-invalid lands the other two; the phone stored as a number is its 11 digits.
    d.nf(&["import", "workers", "numbers.xlsx", "--skip-invalid"])
        .ok()
        .stderr_has(&[
            "numbers.xlsx[Sheet1]: 3 rows: 2 new, 0 updated, 0 unchanged, 1 rejected \
             (written to numbers.rejects.csv)\n",
        ]);
    assert_eq!(
        worker_rows(&d),
        [
            some(&["温志刚", "13623518847", "140106199207071371", "2024-03-15"]),
            some(&["宋佳", "18734526651", "140106199712012428", "2024-04-01"]),
        ]
    );
    let rejects = bom_csv(&d.read("numbers.rejects.csv"));
    assert_eq!(rejects[0][..4], ["行号", "表格行号", "问题列", "问题"]);
    assert_eq!(
        rejects[1],
        [
            "3",
            "3",
            "身份证号",
            "身份证号 (D): stored as a number (shown as scientific notation), so its last digits \
             are lost — format the column as text in Excel (设置单元格格式 → 文本) and type the \
             number again",
            "牛海涛",
            "男",
            "151****7739",
            "1.40106E+17",
            "外卖员",
            "迎泽街道",
            "45383"
        ]
    );
}

#[test]
fn numbers_xlsx_date_cells_serials_and_text_become_dates() {
    let d = Dir::new();
    d.init();
    d.copy("workbooks/numbers.xlsx");
    // Without the damaged 身份证号 column, every row lands and shows its 入职日期.
    d.nf(&["import", "workers", "numbers.xlsx", "--map", "身份证号=-"])
        .ok()
        .stderr_has(&["numbers.xlsx[Sheet1]: 3 rows: 3 new, 0 updated, 0 unchanged\n"]);
    assert_eq!(
        d.rows("SELECT name, phone, joined_on FROM workers ORDER BY id"),
        [
            // a date cell (yyyy/m/d)
            some(&["温志刚", "13623518847", "2024-03-15"]),
            // a bare serial number, 45383
            some(&["牛海涛", "15135207739", "2024-04-01"]),
            // text: 2024年4月1日
            some(&["宋佳", "18734526651", "2024-04-01"]),
        ]
    );
}

#[test]
fn mac1904_checkins_are_dated_in_the_1904_date_system() {
    let d = Dir::new();
    d.init();
    d.copy("workbooks/numbers.xlsx");
    d.nf(&["import", "workers", "numbers.xlsx", "--skip-invalid"])
        .ok();
    let o = d.import("checkins", "workbooks/mac1904-checkins.xlsx");
    assert_eq!(
        o.stderr,
        "mac1904-checkins.xlsx: read as sheet 报到 (xlsx)\n\
         mac1904-checkins.xlsx[报到]: 2 rows: 2 new, 0 updated, 0 unchanged\n"
    );
    // A date cell and the bare day number 44392, both counted from 1904-01-01.
    assert_eq!(
        d.rows(
            "SELECT w.name, c.date, c.purpose FROM checkins c JOIN workers w ON w.id = c.worker_id \
             ORDER BY c.id"
        ),
        [
            some(&["温志刚", "2025-07-16", "党员报到"]),
            some(&["宋佳", "2025-07-16", "日常报到"]),
        ]
    );
    let list = d
        .nf(&["checkin", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(sorted(&list, "date"), ["2025-07-16", "2025-07-16"]);
}

#[test]
fn workbook_with_two_register_sheets_is_refused_suggesting_sheet() {
    let d = Dir::new();
    d.init();
    d.copy("workbooks/two-months.xlsx");
    let o = d.nf(&["import", "workers", "two-months.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "error: two-months.xlsx: several sheets hold this register (8月, 9月) — choose one with \
         --sheet NAME\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn sheet_by_name_or_position_reads_that_sheet() {
    for sheet in ["9月", "3"] {
        let d = Dir::new();
        d.init();
        d.copy("workbooks/two-months.xlsx");
        let o = d
            .nf(&["import", "workers", "two-months.xlsx", "--sheet", sheet])
            .ok();
        assert_eq!(
            o.stderr,
            "two-months.xlsx: read as sheet 9月 (xlsx)\n\
             two-months.xlsx[9月]: 2 rows: 2 new, 0 updated, 0 unchanged\n",
            "--sheet {sheet}"
        );
        assert_eq!(
            d.rows("SELECT name, phone FROM workers ORDER BY id"),
            [
                some(&["温志刚", "13623518847"]),
                some(&["宋佳", "18734526651"])
            ]
        );
        assert_eq!(
            d.rows("SELECT file_name FROM import_batches"),
            [some(&["two-months.xlsx[9月]"])]
        );
    }
    // A sheet the workbook does not have: its sheets are listed.
    let d = Dir::new();
    d.init();
    d.copy("workbooks/two-months.xlsx");
    for sheet in ["10月", "0", "4"] {
        let o = d
            .nf(&["import", "workers", "two-months.xlsx", "--sheet", sheet])
            .code(1);
        assert_eq!(
            o.stderr,
            format!(
                "error: two-months.xlsx has no sheet {sheet} — its sheets: 说明, 8月, 9月 \
                 (--sheet takes a name or a position from 1)\n"
            )
        );
    }
    // A sheet without the register's headers is named in the error.
    d.nf(&["import", "workers", "two-months.xlsx", "--sheet", "说明"])
        .code(1)
        .stderr_has(&[
            "two-months.xlsx: read as sheet 说明 (xlsx)\n",
            "error: two-months.xlsx[说明]: no header row found in the first 10 rows",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn sheets_of_one_workbook_are_imported_as_separate_registers() {
    let d = Dir::new();
    d.init();
    d.copy("workbooks/two-months.xlsx");
    let aug = d
        .nf(&["import", "workers", "two-months.xlsx", "--sheet", "8月"])
        .ok();
    assert_eq!(
        aug.stderr,
        "two-months.xlsx: read as sheet 8月 (xlsx)\n\
         two-months.xlsx[8月]: 1 row: 1 new, 0 updated, 0 unchanged\n"
    );
    // The same file, another sheet: not "already imported".
    let sep = d
        .nf(&["import", "workers", "two-months.xlsx", "--sheet", "9月"])
        .ok();
    assert_eq!(
        sep.stderr,
        "two-months.xlsx: read as sheet 9月 (xlsx)\n\
         two-months.xlsx[9月]: 2 rows: 1 new, 0 updated, 1 unchanged\n"
    );
    // The same sheet again is.
    d.nf(&["import", "workers", "two-months.xlsx", "--sheet", "9月"])
        .ok()
        .stderr_has(&[
            "two-months.xlsx[9月]: 2 rows: 0 new, 0 updated, 2 unchanged\n",
            "two-months.xlsx[9月]: this file was already imported on ",
            " (as two-months.xlsx[9月]); nothing changed\n",
        ]);
    // So is a renamed copy of it, named by position.
    std::fs::copy(d.join("two-months.xlsx"), d.join("九月.xlsx")).unwrap();
    d.nf(&["import", "workers", "九月.xlsx", "--sheet", "3"])
        .ok()
        .stderr_has(&[
            "九月.xlsx[9月]: 2 rows: 0 new, 0 updated, 2 unchanged\n",
            "九月.xlsx[9月]: this file was already imported on ",
            " (as two-months.xlsx[9月]); nothing changed\n",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 2);
    assert_eq!(
        d.rows("SELECT file_name FROM import_batches ORDER BY id"),
        [
            some(&["two-months.xlsx[8月]"]),
            some(&["two-months.xlsx[9月]"]),
            some(&["two-months.xlsx[9月]"]),
            some(&["九月.xlsx[9月]"]),
        ]
    );
}

#[test]
fn register_sheet_after_a_notes_sheet_is_found_by_itself() {
    let d = Dir::new();
    d.init();
    let o = d.import("workers", "workbooks/notes-first.xlsx");
    assert_eq!(
        o.stderr,
        "notes-first.xlsx: read as sheet 台账 (xlsx)\n\
         notes-first.xlsx[台账]: 1 row: 1 new, 0 updated, 0 unchanged\n"
    );
    assert_eq!(
        d.rows("SELECT name, phone FROM workers"),
        [some(&["温志刚", "13623518847"])]
    );
}

#[test]
fn merged_street_cells_fill_the_rows_below_and_hidden_sheets_are_passed_over() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    // 说明 holds notes, 旧表 (hidden) an old copy of the register, 名单 the register with
    // 所属街道 written once in a cell merged over three rows.
    let o = d.import("workers", "workbooks/merged-hidden.xlsx");
    assert_eq!(
        o.stderr,
        "merged-hidden.xlsx: read as sheet 名单 (xlsx)\n\
         merged-hidden.xlsx[名单]: 3 rows: 3 new, 0 updated, 0 unchanged\n"
    );
    assert_eq!(
        d.rows(
            "SELECT w.name, s.name FROM workers w JOIN streets s ON s.id = w.street_id ORDER BY w.id"
        ),
        [
            some(&["贺文杰", "柳巷街道"]),
            some(&["樊雪", "柳巷街道"]),
            some(&["常建国", "柳巷街道"]),
        ]
    );
    // Named, the hidden sheet is read.
    let o = d
        .nf(&["import", "workers", "merged-hidden.xlsx", "--sheet", "旧表"])
        .ok();
    assert!(o.stderr.contains("[旧表]: 1 row: 1 new"), "{}", o.stderr);
}

#[test]
fn formula_without_a_saved_value_is_refused_with_the_fix() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.copy("workbooks/uncalculated.xlsx");
    let o = d.nf(&["import", "workers", "uncalculated.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "uncalculated.xlsx: read as sheet 台账 (xlsx)\n\
         uncalculated.xlsx[台账]:3: 手机号 (D): a formula Excel has not calculated — open the file \
         in Excel or WPS, save it (or paste values), and import again\n\
         error: uncalculated.xlsx[台账]: 1 of 2 rows has problems (listed above); nothing was \
         imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn sheet_option_on_a_csv_file_is_refused() {
    let d = Dir::new();
    d.init();
    d.copy("03-title-and-footer/workers.csv");
    let o = d
        .nf(&["import", "workers", "workers.csv", "--sheet", "1"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: --sheet is for workbooks; workers.csv is a text (CSV) file\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn xls_and_ods_workbooks_import_and_record_their_format() {
    let d = Dir::new();
    d.init();
    let o = d.import("workers", "workbooks/workers.xls");
    assert_eq!(
        o.stderr,
        "workers.xls: read as sheet 台账 (xls)\n\
         workers.xls[台账]: 2 rows: 2 new, 0 updated, 0 unchanged\n"
    );
    // The .xls holds 温志刚's phone as a number cell.
    assert_eq!(
        worker_rows(&d),
        [
            vec![
                Some("温志刚".into()),
                Some("13623518847".into()),
                Some("140106199207071371".into()),
                None
            ],
            vec![
                Some("宋佳".into()),
                Some("18734526651".into()),
                Some("140106199712012428".into()),
                None
            ],
        ]
    );
    // The .ods holds the same two workers (phone as a float cell, no 身份证号).
    let o = d.import("workers", "workbooks/workers.ods");
    assert_eq!(
        o.stderr,
        "workers.ods: read as sheet 台账 (ods)\n\
         workers.ods[台账]: 2 rows: 0 new, 0 updated, 2 unchanged\n"
    );
    d.import("workers", "03-title-and-footer/workers.xlsx");
    assert_eq!(
        d.rows("SELECT file_name, encoding, rows_read FROM import_batches ORDER BY id"),
        [
            some(&["workers.xls[台账]", "xls", "2"]),
            some(&["workers.ods[台账]", "ods", "2"]),
            some(&["workers.xlsx[台账]", "xlsx", "5"]),
        ]
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 7);

    // On its own, the .ods gives phone-only workers.
    let ods = Dir::new();
    ods.init();
    ods.import("workers", "workbooks/workers.ods");
    assert_eq!(
        ods.rows("SELECT name, phone, id_number FROM workers ORDER BY id"),
        [
            vec![Some("温志刚".into()), Some("13623518847".into()), None],
            vec![Some("宋佳".into()), Some("18734526651".into()), None],
        ]
    );
}

#[test]
fn file_named_xlsx_holding_csv_text_is_read_as_csv() {
    let d = Dir::new();
    d.init();
    d.copy_as("03-title-and-footer/workers.csv", "台账.xlsx");
    let o = d.nf(&["import", "workers", "台账.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "台账.xlsx: read as UTF-8 with BOM\n台账.xlsx: 5 rows: 5 new, 0 updated, 0 unchanged\n"
    );
    assert_eq!(
        d.rows("SELECT file_name, encoding FROM import_batches"),
        [some(&["台账.xlsx", "utf-8-bom"])]
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 5);
}

#[test]
fn truncated_workbooks_are_refused_naming_the_file() {
    let d = Dir::new();
    d.init();
    let xlsx = util::fixture_bytes("03-title-and-footer/workers.xlsx");
    let xls = util::fixture_bytes("workbooks/workers.xls");
    let ods = util::fixture_bytes("workbooks/workers.ods");
    assert!(xlsx.len() > 2000 && xls.len() > 2000 && ods.len() > 800);
    for (name, bytes, kind) in [
        ("cut.xlsx", &xlsx[..2000], "xlsx"),
        ("cut.xls", &xls[..2000], "xls"),
        ("cut.ods", &ods[..800], "ods"),
    ] {
        d.write(name, bytes);
        let o = d.nf(&["import", "workers", name]).code(1);
        assert!(
            o.stderr.starts_with(&format!(
                "error: {name} cannot be read as an {kind} workbook ("
            )),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr
                .ends_with(") — open it in Excel or WPS and save it again\n"),
            "{}",
            o.stderr
        );
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
    }
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn row_errors_in_a_workbook_name_the_sheet_and_its_row() {
    let d = Dir::new();
    d.init();
    xlsx_in(
        &d,
        "bad.xlsx",
        "Sheet1",
        1,
        1,
        &[
            &["姓名", "性别", "手机号", "从业类型", "所属街道"],
            &["甲", "男", "18600001001", "快递员", "柳巷街道"],
            &["乙", "女", "18600001002", "外卖员", "柳巷街道"],
            &[],
            &["丙", "男", "18600001003", "快递员", "文庙街道"],
            &["丁", "男", "18600001004", "快递员", "文庙街道"],
            &["戊", "男", "1860000100", "快递员", "文庙街道"],
        ],
    );
    let o = d.nf(&["import", "workers", "bad.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "bad.xlsx: read as sheet Sheet1 (xlsx)\n\
         bad.xlsx[Sheet1]:7: 手机号 (C): 186***0100: is not a mobile number (11 digits starting \
         13–19) — check the number\n\
         error: bad.xlsx[Sheet1]: 1 of 5 rows has problems (listed above); nothing was imported \
         — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    d.nf(&[
        "import",
        "workers",
        "bad.xlsx",
        "--skip-invalid",
        "--rejects",
        "R.csv",
    ])
    .ok()
    .stderr_has(&[
        "bad.xlsx[Sheet1]: 5 rows: 4 new, 0 updated, 0 unchanged, 1 rejected (written to R.csv)\n",
    ]);
    let rejects = bom_csv(&d.read("R.csv"));
    assert_eq!(rejects.len(), 2);
    assert_eq!(rejects[1][..3], ["7", "7", "手机号"]);
    assert_eq!(
        rejects[1][4..],
        ["戊", "男", "186***0100", "快递员", "文庙街道"]
    );
}

#[test]
fn a_register_that_starts_below_and_right_of_a1_keeps_the_sheet_rows_and_columns() {
    let d = Dir::new();
    d.init();
    // Two empty rows and an empty column A: the header is at B3.
    xlsx_in(
        &d,
        "offset.xlsx",
        "台账",
        3,
        2,
        &[
            &["姓名", "手机号", "从业类型", "所属街道"],
            &["甲", "18600001001", "快递员", "柳巷街道"],
            &["乙", "1860000100", "快递员", "柳巷街道"],
        ],
    );
    d.nf(&["import", "workers", "offset.xlsx"])
        .code(1)
        .stderr_has(&[
            "offset.xlsx[台账]:5: 手机号 (C): 186***0100: is not a mobile number",
            "error: offset.xlsx[台账]: 1 of 2 rows has problems",
        ]);
    // --header-row counts sheet rows.
    d.nf(&[
        "import",
        "workers",
        "offset.xlsx",
        "--header-row",
        "3",
        "--dry-run",
    ])
    .code(1)
    .stderr_has(&["offset.xlsx[台账]:5: 手机号 (C): 186***0100"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn template_prints_the_csv_header_with_a_bom_and_creates_no_registry() {
    let d = Dir::new();
    let o = d.nf(&["template", "workers"]).ok();
    assert_eq!(o.stderr, "");
    assert_eq!(
        o.raw_stdout,
        format!("\u{feff}{}\n", WORKER_HEADERS.join(",")).into_bytes()
    );
    for (kind, header) in [
        (
            "stations",
            "站点名称,站点类型,所属企业,地址,所属街道,所属社区,从业人数,联系人,联系电话,服务设施",
        ),
        (
            "checkins",
            "姓名,手机号,身份证号,报到日期,报到街道,报到社区,事项",
        ),
        ("points", "姓名,手机号,身份证号,日期,类别,积分,说明"),
        ("streets", "级别,代码,名称,上级代码"),
    ] {
        let o = d.nf(&["template", kind]).ok();
        assert_eq!(o.stdout, format!("\u{feff}{header}\n"), "{kind}");
    }
    assert!(!d.exists("nf.db"), "template created a registry");
}

#[test]
fn template_xlsx_has_the_register_sheet_and_an_explanation_sheet() {
    let d = Dir::new();
    let o = d.nf(&["template", "workers", "-o", "t.xlsx"]).ok();
    assert_eq!(o.stdout, "");
    assert_eq!(o.stderr, "wrote t.xlsx\n");
    assert!(!d.exists("nf.db"), "template created a registry");
    let sheets = xlsx_sheets(&d, "t.xlsx");
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["从业人员台账", "填写说明"]);

    // The register sheet: the header row and nothing else.
    assert_eq!(sheets[0].1, [WORKER_HEADERS.map(String::from).to_vec()]);

    // The explanation sheet: a row per column, in the register's order.
    let help = &sheets[1].1;
    assert_eq!(help[0], ["表头", "必填", "填写说明", "也认这些表头"]);
    assert_eq!(help.len(), 1 + WORKER_HEADERS.len());
    let column: Vec<&str> = help[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(column, WORKER_HEADERS);
    let required: Vec<(&str, &str)> = help[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        required,
        [
            ("姓名", "是"),
            ("性别", ""),
            ("手机号", "二选一"),
            ("身份证号", "二选一"),
            ("政治面貌", ""),
            ("从业类型", "是"),
            ("所属企业", ""),
            ("所属站点", ""),
            ("所属街道", "是"),
            ("所属社区", ""),
            ("备注", ""),
            ("入职日期", ""),
            ("离职日期", ""),
            ("组织关系所在党组织", ""),
            ("所在党组织", ""),
        ]
    );
    // Every column is explained, and the other headers import accepts are listed.
    assert!(help[1..].iter().all(|r| !r[2].is_empty()), "{help:?}");
    let row = |h: &str| help.iter().find(|r| r[0] == h).unwrap().clone();
    assert!(row("手机号")[2].contains("文本"), "{:?}", row("手机号"));
    assert!(row("身份证号")[2].contains("文本"), "{:?}", row("身份证号"));
    assert!(row("手机号")[3].contains("联系电话"), "{:?}", row("手机号"));
    assert!(
        row("身份证号")[3].contains("公民身份号码"),
        "{:?}",
        row("身份证号")
    );
    assert!(
        row("从业类型")[2].contains("快递员"),
        "{:?}",
        row("从业类型")
    );
}

#[test]
fn template_csv_file_and_the_files_template_refuses() {
    let d = Dir::new();
    d.nf(&["template", "workers", "-o", "t.csv"])
        .ok()
        .stderr_has(&["wrote t.csv\n"]);
    let stdout = d.nf(&["template", "workers"]).ok().raw_stdout;
    assert_eq!(d.read("t.csv"), stdout);
    assert_eq!(
        bom_csv(&d.read("t.csv")),
        [WORKER_HEADERS.map(String::from).to_vec()]
    );

    // An existing file is never overwritten, whatever it is.
    d.write("old.xlsx", "not a workbook");
    d.write("old.csv", "姓名\n张三\n");
    for name in ["old.xlsx", "old.csv", "t.csv"] {
        let before = d.read(name);
        let o = d.nf(&["template", "workers", "-o", name]).code(1);
        assert_eq!(
            o.stderr,
            format!("error: {name} exists — templates never overwrite a file; name a new one\n")
        );
        assert_eq!(d.read(name), before, "{name} was changed");
    }

    // Only .xlsx and .csv: anything else is a usage error, and nothing is written.
    for name in ["t.txt", "t.xls", "t"] {
        let o = d.nf(&["template", "workers", "-o", name]).code(2);
        assert_eq!(
            o.stderr,
            format!("error: -o {name}: the file name must end in .xlsx (a workbook) or .csv\n")
        );
        assert!(!d.exists(name), "{name} was written");
    }
    // A folder that does not exist is named.
    d.nf(&["template", "workers", "-o", "无/t.xlsx"])
        .code(1)
        .stderr_has(&["error: cannot write 无/t.xlsx"]);
    d.nf(&["template", "workers", "-o", "无/t.csv"])
        .code(1)
        .stderr_has(&["error: cannot create 无/t.csv"]);
    assert!(!d.exists("无"));
}

#[test]
fn blank_templates_import_with_no_rows() {
    let d = Dir::new();
    d.init();
    d.nf(&["template", "workers", "-o", "t.xlsx"]).ok();
    let o = d.nf(&["import", "workers", "t.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "t.xlsx: read as sheet 从业人员台账 (xlsx)\n\
         t.xlsx[从业人员台账]: 0 rows: 0 new, 0 updated, 0 unchanged\n"
    );
    d.nf(&["template", "workers", "-o", "t.csv"]).ok();
    let o = d.nf(&["import", "workers", "t.csv"]).ok();
    assert_eq!(
        o.stderr,
        "t.csv: read as UTF-8 with BOM\nt.csv: 0 rows: 0 new, 0 updated, 0 unchanged\n"
    );
    // Every register's blank template is its own register.
    for (kind, sheet) in [
        ("stations", "站点台账"),
        ("checkins", "报到台账"),
        ("points", "积分台账"),
        ("streets", "街道社区"),
    ] {
        let name = format!("{kind}.xlsx");
        d.nf(&["template", kind, "-o", &name]).ok();
        d.nf(&["import", kind, &name]).ok().stderr_has(&[&format!(
            "{kind}.xlsx[{sheet}]: 0 rows: 0 new, 0 updated, 0 unchanged\n"
        )]);
    }
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 6);
}

#[test]
fn filled_in_templates_import() {
    let d = Dir::new();
    d.init();
    d.nf(&["template", "workers", "-o", "t.xlsx"]).ok();
    let headers = xlsx_sheets(&d, "t.xlsx").remove(0).1.remove(0);
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap() as u16;

    // The template's headers in a workbook of the same shape, two workers filled in; one
    // phone typed as a number.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("从业人员台账").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (h, v) in [
        ("姓名", "贺文杰"),
        ("手机号", "18235106271"),
        ("身份证号", "140106199004122159"),
        ("政治面貌", "党员"),
        ("从业类型", "骑手"),
        ("所属企业", "美团"),
        ("所属街道", "柳巷"),
        ("入职日期", "2025-03-01"),
    ] {
        ws.write_string(1, col(h), v).unwrap();
    }
    for (h, v) in [
        ("姓名", "裴慧"),
        ("从业类型", "快递员"),
        ("所属街道", "文庙街道"),
    ] {
        ws.write_string(2, col(h), v).unwrap();
    }
    ws.write_number(2, col("手机号"), 19834517726.0).unwrap();
    book.save(d.join("filled.xlsx")).unwrap();
    let o = d.nf(&["import", "workers", "filled.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "filled.xlsx: read as sheet 从业人员台账 (xlsx)\n\
         filled.xlsx[从业人员台账]: 2 rows: 2 new, 0 updated, 0 unchanged\n"
    );
    let w = d.workers();
    let x = find(&w, "name", "贺文杰");
    assert_eq!(x["political_status"], "party_member");
    assert_eq!(x["occupation"], "delivery_rider");
    assert_eq!(x["street"], "柳巷街道");
    assert_eq!(x["gender"], "male");
    assert_eq!(find(&w, "name", "裴慧")["phone"], "19834517726");
    assert_eq!(
        d.rows("SELECT joined_on FROM workers WHERE name = '贺文杰'"),
        [some(&["2025-03-01"])]
    );

    // The CSV template with rows written under it.
    let mut csv = d.nf(&["template", "workers"]).ok().raw_stdout;
    csv.extend_from_slice(
        "樊雪,女,15536208814,14010519950823326X,共青团员,快递员,顺丰速运,,柳巷街道,察院后社区居委会,,2024/5/6,\n"
            .as_bytes(),
    );
    d.write("filled.csv", csv);
    d.nf(&["import", "workers", "filled.csv"])
        .ok()
        .stderr_has(&["filled.csv: 1 row: 1 new, 0 updated, 0 unchanged\n"]);
    let w = d.workers();
    let x = find(&w, "name", "樊雪");
    assert_eq!(x["id_number"], "14010519950823326X");
    assert_eq!(x["community"], "察院后社区居委会");
    assert_eq!(
        d.rows("SELECT joined_on FROM workers WHERE name = '樊雪'"),
        [some(&["2024-05-06"])]
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 3);
}

#[test]
fn header_row_alone_works_for_a_one_sheet_workbook_as_for_csv() {
    let d = Dir::new();
    d.init();
    let notes: Vec<String> = (1..=11).map(|i| format!("说明第{i}行")).collect();
    let mut rows: Vec<&[&str]> = Vec::new();
    let note_cells: Vec<[&str; 1]> = notes.iter().map(|n| [n.as_str()]).collect();
    for n in &note_cells {
        rows.push(n);
    }
    rows.push(&["姓名", "手机号", "从业类型", "所属街道"]);
    rows.push(&["王宇", "18600001001", "快递员", "柳巷街道"]);
    xlsx_in(&d, "late.xlsx", "台账", 1, 1, &rows);
    // With --sheet it works; without, the one sheet should be read just the same.
    d.nf(&[
        "import",
        "workers",
        "late.xlsx",
        "--header-row",
        "12",
        "--sheet",
        "台账",
        "--dry-run",
    ])
    .ok()
    .stderr_has(&["late.xlsx[台账]: 1 row: 1 new"]);
    d.nf(&["import", "workers", "late.xlsx", "--header-row", "12"])
        .ok()
        .stderr_has(&["late.xlsx[台账]: 1 row: 1 new, 0 updated, 0 unchanged\n"]);
    // A --header-row that names the wrong row says what that row lacks, as for CSV.
    d.copy("03-title-and-footer/workers.xlsx");
    d.nf(&["import", "workers", "workers.xlsx", "--header-row", "1"])
        .code(1)
        .stderr_has(&["workers.xlsx[台账]", "no 姓名 column"]);
}

#[test]
fn excel_error_cells_are_not_stored_as_values() {
    let d = Dir::new();
    d.init();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["姓名", "手机号", "从业类型", "所属街道", "所属社区"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["王宇", "18600001001", "快递员", "柳巷街道"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_formula(
        1,
        4,
        Formula::new("=VLOOKUP(A2,社区!A:B,2,FALSE)").set_result("#N/A"),
    )
    .unwrap();
    book.save(d.join("na.xlsx")).unwrap();
    let o = d.nf(&["import", "workers", "na.xlsx"]).run();
    assert_eq!(
        d.int("SELECT count(*) FROM communities WHERE name LIKE '#%'"),
        0,
        "{}",
        o.stderr
    );
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    o.stderr_has(&["na.xlsx[Sheet1]:2: 所属社区 (E): #N/A"]);
}

#[test]
fn sheet_named_with_a_trailing_space_can_be_chosen() {
    let d = Dir::new();
    d.init();
    let mut book = Workbook::new();
    for name in ["8月", "9月 "] {
        let ws = book.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, v) in ["姓名", "手机号", "从业类型", "所属街道"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *v).unwrap();
        }
        for (c, v) in ["王宇", "18600001001", "快递员", "柳巷街道"]
            .iter()
            .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
    }
    book.save(d.join("months.xlsx")).unwrap();
    d.nf(&["import", "workers", "months.xlsx", "--sheet", "9月 "])
        .ok()
        .stderr_has(&["months.xlsx: read as sheet 9月  (xlsx)"]);
}

#[test]
fn empty_lines_of_a_csv_count_as_in_the_workbook() {
    // The same register as a workbook (row 3 blank) and as CSV (line 3 empty): the bad
    // phone is on sheet row 4 and on line 4.
    let d = Dir::new();
    d.init();
    xlsx_in(
        &d,
        "gap.xlsx",
        "Sheet1",
        1,
        1,
        &[
            &["姓名", "手机号", "从业类型", "所属街道"],
            &["甲", "18600001001", "快递员", "柳巷街道"],
            &[],
            &["乙", "1860000100", "快递员", "柳巷街道"],
        ],
    );
    d.nf(&["import", "workers", "gap.xlsx"])
        .code(1)
        .stderr_has(&["gap.xlsx[Sheet1]:4: 手机号 (B)"]);
    d.write(
        "gap.csv",
        "姓名,手机号,从业类型,所属街道\n甲,18600001001,快递员,柳巷街道\n\n乙,1860000100,快递员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "gap.csv"])
        .code(1)
        .stderr_has(&["gap.csv:4: 手机号 (B)"]);
    // Two empty lines above the header: it is on line (and row) 3.
    d.write(
        "top.csv",
        "\n\n姓名,手机号,从业类型,所属街道\n乙,1860000100,快递员,柳巷街道\n",
    );
    let o = d
        .nf(&["import", "workers", "top.csv", "--header-row", "3"])
        .code(1);
    o.stderr_has(&["top.csv:4"]).hides(&["(row 2)", "no row 3"]);
}

// ---------------------------------------------------------------------------------------
// Cells that are wrong in the ways registers typed by hand are wrong.

#[test]
fn hand_typed_mistakes_are_named_with_their_fix() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n\
         张伟13623518847,,外卖员,柳巷街道\n\
         王芳,13623518848,外卖员,柳港\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\n\
         workers.csv:2: 姓名 (A): 张伟136****8847: holds a long number — a 手机号 or 身份证号 typed \
         into 姓名? put it in its own column\n\
         workers.csv:2: 手机号 (B): missing — a worker needs a 身份证号 or a 手机号\n\
         workers.csv:3: 所属街道 (D): 柳港: not a known street — did you mean 柳巷街道?\n\
         error: workers.csv: 2 of 2 rows have problems (listed above); nothing was imported — \
         correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );

    // A station's landline stored as a number lost its 0.
    d.write(
        "stations.csv",
        "站点名称,站点类型,所属街道,联系电话\n菜鸟驿站柳巷店,快递站点,柳巷街道,3514021234\n",
    );
    let o = d.nf(&["import", "stations", "stations.csv"]).code(1);
    assert!(
        o.stderr.contains(
            "stations.csv:2: 联系电话 (D): 351***1234: looks like a landline whose leading 0 \
             Excel dropped — format the column as text and type it with its area code"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn numbers_with_their_unit_written_in_are_read() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.import("stations", "district/stations.csv");
    d.import("workers", "district/workers.csv");
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n18834071935,2025-06-20,志愿服务,30分,参加创城志愿巡查\n",
    );
    d.nf(&["import", "points", "points.csv"]).ok();
    assert_eq!(d.int("SELECT sum(points) FROM point_entries"), 30);
}

#[test]
fn web_page_named_xls_is_refused_with_the_fix() {
    let d = Dir::new();
    d.init();
    d.write(
        "导出.xls",
        "<html><body><table><tr><td>姓名</td><td>手机号</td></tr></table></body></html>",
    );
    let o = d.nf(&["import", "workers", "导出.xls"]).code(1);
    assert_eq!(
        o.stderr,
        "error: 导出.xls is a web page or XML file, not a workbook or CSV (systems that export \
         \"to Excel\" often write these) — open it in Excel or WPS, save it as .xlsx (另存为 → \
         Excel 工作簿), and import that\n"
    );
}

#[test]
fn data_under_a_blank_header_is_warned_about() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道,\n\
         张伟,13623518847,外卖员,柳巷街道,\n\
         王芳,13623518848,外卖员,柳巷街道,夜班\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\n\
         workers.csv: warning: column E has no header but holds data (first on line 3); it was \
         not imported — give it a header, or --map \"E=field\"\n\
         workers.csv: 2 rows: 2 new, 0 updated, 0 unchanged\n"
    );
    // Mapped by its letter, the column is read.
    let o = d
        .nf(&["import", "workers", "workers.csv", "--map", "E=note"])
        .ok();
    assert!(o.stderr.contains("1 updated"), "{}", o.stderr);
    assert_eq!(
        d.rows("SELECT note FROM workers WHERE name = '王芳'"),
        [some(&["夜班"])]
    );
}
