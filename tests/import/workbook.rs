//! Workbooks (.xlsx, .xls, .ods): sheets found or chosen, cells as Excel shows them, damaged
//! and mislabelled files refused, rows named by sheet and row.

use rust_xlsxwriter::{Formula, Workbook};
use serde_json::{Value, json};

use super::{CASE03, worker_rows, xlsx_in};
use crate::util::{self, Dir, bom_csv, find, some, sorted};

#[test]
fn case03_workbook_and_csv_with_title_and_footer_import_five_workers() {
    let xlsx = Dir::new();
    xlsx.init();
    let o = xlsx.import("workers", "03-title-and-footer/workers.xlsx");
    // No warning about 序号, no error about the blank row or the 填表人 footer.
    assert_eq!(
        o.stderr,
        "workers.xlsx: 按 工作表“台账”（xlsx） 读取\nworkers.xlsx[台账]: 共 5 行：新增 5，更新 0，未变 0\n"
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
        "workers.csv: 按 UTF-8（带 BOM） 读取\nworkers.csv: 共 5 行：新增 5，更新 0，未变 0\n"
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
            .stderr_has(&[&format!("{shown}: 共 5 行：新增 5，更新 0，未变 0\n")])
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
        "workers.xlsx[台账]: 共 5 行：新增 0，更新 0，未变 5\n",
        "workers.xlsx[台账]: 这个文件在 ",
        "（当时名为 workers.xlsx[台账]）；没有变化\n",
    ]);
    assert_eq!(d.rows("SELECT * FROM workers ORDER BY id"), before);
    // The CSV of the same register is another file: unchanged rows, but not "已经导入过".
    let o = d.import("workers", "03-title-and-footer/workers.csv");
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8（带 BOM） 读取\nworkers.csv: 共 5 行：新增 0，更新 0，未变 5\n"
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
        "stations.xlsx: 按 工作表“站点”（xlsx） 读取\nstations.xlsx[站点]: 共 5 行：新增 5，更新 0，未变 0\n"
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
        "numbers.xlsx: 按 工作表“Sheet1”（xlsx） 读取\nnumbers.xlsx[Sheet1]:第3行: 身份证号(D): 1.40106E+17: 被存成了数字（显示为科学计数法），后几位已经丢失 — 在 Excel 里把这一列设为文本（设置单元格格式 → 文本），再重新输入号码\n错误：numbers.xlsx[Sheet1]: 共 3 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);

    // --skip-invalid lands the other two; the phone stored as a number is its 11 digits.
    d.nf(&["import", "workers", "numbers.xlsx", "--skip-invalid"])
        .ok()
        .stderr_has(&[
            "numbers.xlsx[Sheet1]: 共 3 行：新增 2，更新 0，未变 0，有问题 1（问题行已写入 numbers.rejects.csv）\n",
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
            "身份证号(D): 被存成了数字（显示为科学计数法），后几位已经丢失 — 在 Excel 里把这一列设为文本（设置单元格格式 → 文本），再重新输入号码",
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
        .stderr_has(&["numbers.xlsx[Sheet1]: 共 3 行：新增 3，更新 0，未变 0\n"]);
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
        "mac1904-checkins.xlsx: 按 工作表“报到”（xlsx） 读取\nmac1904-checkins.xlsx[报到]: 共 2 行：新增 2，更新 0，未变 0\n"
    );
    // A date cell and the bare day number 44392, both counted from 1904-01-01.
    assert_eq!(
        d.rows(
            "SELECT w.name, c.date, c.purpose FROM checkins c JOIN workers w ON w.id = c.worker_id ORDER BY c.id"
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
        "错误：two-months.xlsx: 好几张工作表都是这种台账（8月、9月）— 用 --sheet 工作表名 选一张\n"
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
            "two-months.xlsx: 按 工作表“9月”（xlsx） 读取\ntwo-months.xlsx[9月]: 共 2 行：新增 2，更新 0，未变 0\n",
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
                "错误：two-months.xlsx 里没有工作表“{sheet}” — 它的工作表有：说明、8月、9月（--sheet 可写工作表名，或从 1 数起的位置）\n"
            )
        );
    }
    // A sheet without the register's headers is named in the error.
    d.nf(&["import", "workers", "two-months.xlsx", "--sheet", "说明"])
        .code(1)
        .stderr_has(&[
            "two-months.xlsx: 按 工作表“说明”（xlsx） 读取\n",
            "错误：two-months.xlsx[说明]: 前 2 行里没有找到表头",
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
        "two-months.xlsx: 按 工作表“8月”（xlsx） 读取\ntwo-months.xlsx[8月]: 共 1 行：新增 1，更新 0，未变 0\n"
    );
    // The same file, another sheet: not "已经导入过".
    let sep = d
        .nf(&["import", "workers", "two-months.xlsx", "--sheet", "9月"])
        .ok();
    assert_eq!(
        sep.stderr,
        "two-months.xlsx: 按 工作表“9月”（xlsx） 读取\ntwo-months.xlsx[9月]: 共 2 行：新增 1，更新 0，未变 1\n"
    );
    // The same sheet again is.
    d.nf(&["import", "workers", "two-months.xlsx", "--sheet", "9月"])
        .ok()
        .stderr_has(&[
            "two-months.xlsx[9月]: 共 2 行：新增 0，更新 0，未变 2\n",
            "two-months.xlsx[9月]: 这个文件在 ",
            "（当时名为 two-months.xlsx[9月]）；没有变化\n",
        ]);
    // So is a renamed copy of it, named by position.
    std::fs::copy(d.join("two-months.xlsx"), d.join("九月.xlsx")).unwrap();
    d.nf(&["import", "workers", "九月.xlsx", "--sheet", "3"])
        .ok()
        .stderr_has(&[
            "九月.xlsx[9月]: 共 2 行：新增 0，更新 0，未变 2\n",
            "九月.xlsx[9月]: 这个文件在 ",
            "（当时名为 two-months.xlsx[9月]）；没有变化\n",
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
        "notes-first.xlsx: 按 工作表“台账”（xlsx） 读取\nnotes-first.xlsx[台账]: 共 1 行：新增 1，更新 0，未变 0\n"
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
        "merged-hidden.xlsx: 按 工作表“名单”（xlsx） 读取\nmerged-hidden.xlsx[名单]: 共 3 行：新增 3，更新 0，未变 0\n"
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
    assert!(o.stderr.contains("[旧表]: 共 1 行：新增 1"), "{}", o.stderr);
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
        "uncalculated.xlsx: 按 工作表“台账”（xlsx） 读取\nuncalculated.xlsx[台账]:第3行: 手机号(D): 是 Excel 还没算出结果的公式 — 用 Excel 或 WPS 打开文件保存一次（或粘贴为数值），再导入\n错误：uncalculated.xlsx[台账]: 共 2 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
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
        "错误：--sheet 只用于工作簿；workers.csv 是文本（CSV）文件\n"
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
        "workers.xls: 按 工作表“台账”（xls） 读取\nworkers.xls[台账]: 共 2 行：新增 2，更新 0，未变 0\n"
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
        "workers.ods: 按 工作表“台账”（ods） 读取\nworkers.ods[台账]: 共 2 行：新增 0，更新 0，未变 2\n"
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
        "台账.xlsx: 按 UTF-8（带 BOM） 读取\n台账.xlsx: 共 5 行：新增 5，更新 0，未变 0\n"
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
            o.stderr
                .starts_with(&format!("错误：{name} 不能按 {kind} 工作簿读取（")),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.ends_with(if kind == "xls" {
                "（文件已损坏）— 用 Excel 或 WPS 打开，重新保存一次\n"
            } else {
                "（文件不完整：像是下载或拷贝到一半，或已损坏）— 重新拷贝或下载一份；还不行就用 Excel 或 WPS 打开，重新保存一次\n"
            }),
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
        "bad.xlsx: 按 工作表“Sheet1”（xlsx） 读取\nbad.xlsx[Sheet1]:第7行: 手机号(C): 186***0100: 不是手机号（11 位，13–19 开头）— 核对号码\n错误：bad.xlsx[Sheet1]: 共 5 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
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
        "bad.xlsx[Sheet1]: 共 5 行：新增 4，更新 0，未变 0，有问题 1（问题行已写入 R.csv）\n",
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
            "offset.xlsx[台账]:第5行: 手机号(C): 186***0100: 不是手机号",
            "错误：offset.xlsx[台账]: 共 2 行，其中 1 行有问题",
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
    .stderr_has(&["offset.xlsx[台账]:第5行: 手机号(C): 186***0100"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
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
    .stderr_has(&["late.xlsx[台账]: 共 1 行：新增 1"]);
    d.nf(&["import", "workers", "late.xlsx", "--header-row", "12"])
        .ok()
        .stderr_has(&["late.xlsx[台账]: 共 1 行：新增 1，更新 0，未变 0\n"]);
    // A --header-row that names the wrong row says what that row lacks, as for CSV.
    d.copy("03-title-and-footer/workers.xlsx");
    d.nf(&["import", "workers", "workers.xlsx", "--header-row", "1"])
        .code(1)
        .stderr_has(&["workers.xlsx[台账]", "没有“姓名”列"]);
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
    o.stderr_has(&["na.xlsx[Sheet1]:第2行: 所属社区(E): #N/A"]);
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
        .stderr_has(&["months.xlsx: 按 工作表“9月 ”（xlsx） 读取"]);
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
        .stderr_has(&["gap.xlsx[Sheet1]:第4行: 手机号(B)"]);
    d.write(
        "gap.csv",
        "姓名,手机号,从业类型,所属街道\n甲,18600001001,快递员,柳巷街道\n\n乙,1860000100,快递员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "gap.csv"])
        .code(1)
        .stderr_has(&["gap.csv:第4行: 手机号(B)"]);
    // Two empty lines above the header: it is on line (and row) 3.
    d.write(
        "top.csv",
        "\n\n姓名,手机号,从业类型,所属街道\n乙,1860000100,快递员,柳巷街道\n",
    );
    let o = d
        .nf(&["import", "workers", "top.csv", "--header-row", "3"])
        .code(1);
    o.stderr_has(&["top.csv:第4行"])
        .hides(&["表格第2行", "没有第 3 行"]);
}

/// A workbook of monthly sheets whose headers all lack a required column: each sheet is
/// named with what it lacks, and the fix is to add the column or `--map` it — not to look
/// for a header that is there.
#[test]
fn sheets_whose_header_lacks_a_required_column_say_which() {
    let d = Dir::new();
    d.init();
    let mut book = rust_xlsxwriter::Workbook::new();
    let months: [(&str, &[&str]); 3] = [
        ("7月", &["姓名", "手机号", "从业类型", "所属社区"]),
        ("8月", &["姓名", "手机号", "从业类型", "所属社区"]),
        ("9月", &["姓名", "手机号", "性别", "所属社区"]),
    ];
    for (sheet, header) in months {
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_string(0, 0, format!("柳巷街道从业人员台账（2025年{sheet}）"))
            .unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        for (c, v) in ["王芳", "13623518848", "快递员", "宁化府社区居委会"]
            .iter()
            .enumerate()
        {
            ws.write_string(2, c as u16, *v).unwrap();
        }
    }
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "每月报送")
        .unwrap();
    book.save(d.join("柳巷.xlsx")).unwrap();
    let o = d.nf(&["import", "workers", "柳巷.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：柳巷.xlsx: 这些工作表有这种台账的表头，但不能导入：\n  \
         工作表“7月”: 第2行: 没有“所属街道”列\n  \
         工作表“8月”: 第2行: 没有“所属街道”列\n  \
         工作表“9月”: 第2行: 没有“从业类型”、“所属街道”列\n\
         — 在工作表里加上缺的列，或者用 --map \"表头=字段代码\" 指明是哪一列（表里有这一列、只是表头写法不同时）；再用 --sheet 选定要导入的工作表\n"
    );
    let o = d
        .nf(&["--lang", "en", "import", "workers", "柳巷.xlsx"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: 柳巷.xlsx: these sheets have the headers of this register but cannot be imported:\n  \
         sheet 7月: line 2: missing 所属街道\n  \
         sheet 8月: line 2: missing 所属街道\n  \
         sheet 9月: line 2: missing 从业类型, 所属街道\n\
         — add the missing columns to the sheet, or name them with --map \"表头=field\" (where the sheet has one under another header); then choose the sheet with --sheet\n"
    );
    // One sheet chosen, the single-sheet refusal names the column and its other headers.
    d.nf(&["import", "workers", "柳巷.xlsx", "--sheet", "7月"])
        .code(1)
        .stderr_has(&["错误：柳巷.xlsx[7月]: 第2行: 没有“所属街道”列 — 从业人员台账要有这一列，或者有“所属站点”列"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}
