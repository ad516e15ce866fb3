//! Finding the header of a register as street offices make them: a title row above, group
//! labels above sub-headers (merged in the workbook, a label then empty cells in Excel's CSV,
//! or the label typed into each cell), a 合计 row below; and what is shown when no header can
//! be found.

use rust_xlsxwriter::{Format, Workbook};

use crate::util::{self, Dir, find, some};

/// The three workers of the registers of `16-two-row-header`: 姓名, 手机号, 身份证号, 从业类型.
const WORKERS: [(&str, &str, &str, &str); 3] = [
    (
        "贺文杰",
        "18235106271",
        "140106199004122159",
        "delivery_rider",
    ),
    ("樊雪", "15536208814", "14010519950823326X", "courier"),
    (
        "常建国",
        "13903517702",
        "140106197811031174",
        "truck_driver",
    ),
];

/// The contact (联系人, 联系电话) written beside each worker: never the worker's own.
const CONTACTS: [(&str, &str); 3] = [
    ("贺建军", "13903517700"),
    ("王秀英", "13903517701"),
    ("常丽", "13903517703"),
];

/// What every register of these tests must leave: the three workers with their own numbers,
/// and none of the contacts' numbers.
fn assert_three_workers(d: &Dir) {
    let expected: Vec<_> = WORKERS
        .iter()
        .map(|(n, p, id, o)| some(&[n, p, id, o, "柳巷街道"]))
        .collect();
    assert_eq!(
        d.rows(
            "SELECT w.name, w.phone, w.id_number, w.occupation, s.name \
             FROM workers w JOIN streets s ON s.id = w.street_id ORDER BY w.id"
        ),
        expected
    );
    for (_, phone) in CONTACTS {
        assert_eq!(
            d.int(&format!(
                "SELECT count(*) FROM workers WHERE phone = '{phone}'"
            )),
            0
        );
    }
    let w = d.workers();
    assert_eq!(find(&w, "name", "樊雪")["enterprise"], "顺丰速运");
    assert_eq!(find(&w, "name", "常建国")["community"], "铁匠巷社区居委会");
}

/// A workers register as a street office builds it in Excel: the title merged across row 1;
/// 序号 and 姓名 merged down rows 2–3; 身份信息 merged over 身份证号 | 手机号码 and 联系方式
/// over 联系人 | 联系电话; the other headers merged down; three workers and a 合计 row.
fn street_register(d: &Dir, name: &str) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("7月台账").unwrap();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        9,
        "迎泽区柳巷街道新就业群体从业人员台账（2025年7月）",
        &f,
    )
    .unwrap();
    for (c, h) in [
        (0, "序号"),
        (1, "姓名"),
        (6, "从业类型"),
        (7, "所属企业"),
        (8, "所属街道"),
        (9, "所属社区"),
    ] {
        ws.merge_range(1, c, 2, c, h, &f).unwrap();
    }
    ws.merge_range(1, 2, 1, 3, "身份信息", &f).unwrap();
    ws.merge_range(1, 4, 1, 5, "联系方式", &f).unwrap();
    for (c, h) in ["身份证号", "手机号码", "联系人", "联系电话"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16 + 2, *h).unwrap();
    }
    let rest = [
        ["外卖员", "美团", "柳巷街道", "宁化府社区居委会"],
        ["快递员", "顺丰速运", "柳巷街道", "察院后社区居委会"],
        ["货车司机", "货拉拉", "柳巷街道", "铁匠巷社区居委会"],
    ];
    for (i, ((n, p, id, _), (cn, cp))) in WORKERS.iter().zip(CONTACTS).enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in [*n, *id, *p, cn, cp].iter().enumerate() {
            ws.write_string(r, c as u16 + 1, *v).unwrap();
        }
        for (c, v) in rest[i].iter().enumerate() {
            ws.write_string(r, c as u16 + 6, *v).unwrap();
        }
    }
    ws.write_string(6, 0, "合计").unwrap();
    ws.write_string(6, 1, "3人").unwrap();
    book.save(d.join(name)).unwrap();
}

#[test]
fn a_merged_two_row_header_below_a_title_is_found_in_a_workbook() {
    let d = Dir::new();
    d.init();
    street_register(&d, "柳巷街道台账.xlsx");
    let o = d.nf(&["import", "workers", "柳巷街道台账.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "柳巷街道台账.xlsx: 按 工作表“7月台账”（xlsx） 读取\n\
         柳巷街道台账.xlsx[7月台账]: 注意：这些列没有导入：联系方式/联系人、联系方式/联系电话（不属于从业人员台账；如果其中有要导入的数据，用 --map \"表头=字段代码\" 指明）\n\
         柳巷街道台账.xlsx[7月台账]: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    assert_three_workers(&d);
    assert_eq!(
        d.rows("SELECT rows_read, rows_new, rows_rejected FROM import_batches"),
        [some(&["3", "3", "0"])]
    );
    // The same rows named explicitly: the same workers, nothing changed.
    d.nf(&[
        "import",
        "workers",
        "柳巷街道台账.xlsx",
        "--header-row",
        "2-3",
        "--dry-run",
    ])
    .ok()
    .stderr_has(&["柳巷街道台账.xlsx[7月台账]: 共 3 行：新增 0，更新 0，未变 3"]);
    // Row 3 alone is a header too in a workbook (序号 and 姓名 merged down into it), but
    // without the group its 联系电话 is a second phone column.
    d.nf(&[
        "import",
        "workers",
        "柳巷街道台账.xlsx",
        "--header-row",
        "3",
    ])
    .code(1)
    .stderr_has(&["手机号码(D) 和 联系电话(F) 两列都是 手机号"]);
}

#[test]
fn an_excel_gbk_csv_of_the_register_has_the_group_label_then_empty_cells() {
    let d = Dir::new();
    d.init();
    let bytes = util::fixture_bytes("16-two-row-header/workers-gbk.csv");
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GBK");
    let o = d.import("workers", "16-two-row-header/workers-gbk.csv");
    assert_eq!(
        o.stderr,
        "workers-gbk.csv: 按 GB18030 (GBK) 读取\n\
         workers-gbk.csv: 注意：这些列没有导入：联系方式/联系人、联系方式/联系电话（不属于从业人员台账；如果其中有要导入的数据，用 --map \"表头=字段代码\" 指明）\n\
         workers-gbk.csv: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    assert_three_workers(&d);
    // The workbook of the same register is the same people: nothing changes.
    street_register(&d, "台账.xlsx");
    d.nf(&["import", "workers", "台账.xlsx"])
        .ok()
        .stderr_has(&["台账.xlsx[7月台账]: 共 3 行：新增 0，更新 0，未变 3\n"]);
    // A row error names the sub-header and the data line below the two header rows.
    d.write(
        "bad.csv",
        "台账,,,,,\n序号,姓名,身份信息,,从业类型,所属街道\n,,身份证号,手机号码,,\n1,甲,,1860000100,快递员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "bad.csv"])
        .code(1)
        .stderr_has(&["bad.csv:第4行: 手机号码(D): 186***0100: 不是手机号"]);
}

#[test]
fn group_labels_typed_into_every_cell_are_read_as_merged_ones() {
    let d = Dir::new();
    d.init();
    let o = d.import("workers", "16-two-row-header/workers-repeated.csv");
    assert_eq!(
        o.stderr,
        "workers-repeated.csv: 按 UTF-8（带 BOM） 读取\n\
         workers-repeated.csv: 注意：这些列没有导入：联系方式/联系人、联系方式/联系电话（不属于从业人员台账；如果其中有要导入的数据，用 --map \"表头=字段代码\" 指明）\n\
         workers-repeated.csv: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    assert_three_workers(&d);
}

#[test]
fn a_contact_group_in_a_stations_register_is_the_station_contact() {
    let d = Dir::new();
    d.init();
    d.write(
        "stations.csv",
        "柳巷街道快递站点台账,,,,,\n\
         序号,站点名称,站点类型,所属街道,联系方式,\n\
         ,,,,联系人,联系电话\n\
         1,柳巷顺丰营业点,快递站点,柳巷街道,刘晓峰,13903517705\n\
         2,桥头街骑手驿站,暖蜂驿站,柳巷街道,赵敏,13903517706\n\
         合计,2,,,,\n",
    );
    d.nf(&["import", "stations", "stations.csv"])
        .ok()
        .stderr_has(&["stations.csv: 共 2 行：新增 2，更新 0，未变 0\n"])
        .hides(&["注意"]);
    assert_eq!(
        d.rows("SELECT name, kind, contact_name, contact_phone FROM stations ORDER BY id"),
        [
            some(&["柳巷顺丰营业点", "courier_station", "刘晓峰", "13903517705"]),
            some(&["桥头街骑手驿站", "rest_station", "赵敏", "13903517706"]),
        ]
    );
}

#[test]
fn a_gbk_checkin_export_with_grouped_columns_finds_its_workers() {
    let d = Dir::new();
    d.init();
    d.import("workers", "16-two-row-header/workers-gbk.csv");
    let o = d.import("checkins", "16-two-row-header/checkins-gbk.csv");
    assert_eq!(
        o.stderr,
        "checkins-gbk.csv: 按 GB18030 (GBK) 读取\ncheckins-gbk.csv: 共 2 行：新增 2，更新 0，未变 0\n"
    );
    assert_eq!(
        d.rows(
            "SELECT w.name, c.date, s.name, c.purpose FROM checkins c \
             JOIN workers w ON w.id = c.worker_id JOIN streets s ON s.id = c.street_id ORDER BY c.id"
        ),
        [
            some(&["贺文杰", "2025-07-05", "柳巷街道", "到社区报到"]),
            some(&["樊雪", "2025-07-12", "柳巷街道", "参加志愿服务"]),
        ]
    );
}

/// The message when no header is found, for `no-header.csv`.
const NOT_FOUND_ZH: &str = "错误：no-header.csv: 前 4 行里没有找到表头：从业人员台账至少要有 姓名、手机号或身份证号、从业类型、所属街道 这几列表头。读到的前几行是：
  第1行: 迎泽区柳巷街道新就业群体…
  第2行: 编号 | 人员 | 证件 | 电话号 | 地方
  第3行: 1 | 贺文杰 | 140106********2159 | 182****6271 | 柳巷
  第4行: 2 | 樊雪 | 140105********326X | 155****8814 | 柳巷
— 表头在第 2 行的话，加上 --header-row 2 再导入（表头占两行时写成 --header-row N-M，如 2-3）；或用 --map \"表头=字段代码\" 指明各列
";

#[test]
fn a_header_that_cannot_be_found_shows_the_first_rows_and_the_row_to_try() {
    let d = Dir::new();
    d.init();
    let name = d.copy("16-two-row-header/no-header.csv");
    let o = d.nf(&["import", "workers", &name]).code(1);
    assert_eq!(
        o.stderr,
        format!("no-header.csv: 按 UTF-8 读取\n{NOT_FOUND_ZH}")
    );
    o.hides(&["18235106271", "140106199004122159"]);
    let o = d.nf(&["--lang", "en", "import", "workers", &name]).code(1);
    assert_eq!(
        o.stderr,
        "no-header.csv: read as UTF-8\n\
         error: no-header.csv: no header row found in the first 4 rows: a workers register needs at least the headers 姓名, 手机号 or 身份证号, 从业类型, 所属街道. The first rows read:\n  \
         row 1: 迎泽区柳巷街道新就业群体…\n  \
         row 2: 编号 | 人员 | 证件 | 电话号 | 地方\n  \
         row 3: 1 | 贺文杰 | 140106********2159 | 182****6271 | 柳巷\n  \
         row 4: 2 | 樊雪 | 140105********326X | 155****8814 | 柳巷\n\
         — if the headers are on row 2, import again with --header-row 2 (a header on two rows: --header-row N-M, e.g. 2-3); or name columns with --map \"表头=field\"\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn header_row_takes_one_row_or_two_adjacent_ones() {
    let d = Dir::new();
    d.init();
    let name = d.copy("16-two-row-header/workers-gbk.csv");
    // Row 3 alone has two phone columns and no 姓名 (it is in row 2, merged down, blank
    // below in the CSV): both rows are suggested.
    let o = d
        .nf(&["import", "workers", &name, "--header-row", "3"])
        .code(1);
    assert_eq!(
        o.stderr,
        "workers-gbk.csv: 按 GB18030 (GBK) 读取\n\
         错误：workers-gbk.csv: 手机号码(D) 和 联系电话(F) 两列都是 手机号 — 只留一列，或用 --map 指明用哪一列，例如 --map \"联系电话=-\" 忽略后一列；这个表头占两行，用 --header-row 2-3\n"
    );
    // Row 2 alone (2-2) reads 联系方式 as the phone: the contact's names are refused.
    d.nf(&["import", "workers", &name, "--header-row", "2-2"])
        .code(1)
        .stderr_has(&["workers-gbk.csv:第4行: 联系方式(E): 贺建军: 不是手机号"]);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    let o = d
        .nf(&["import", "workers", &name, "--header-row", "2-4"])
        .code(2);
    assert_eq!(
        o.stderr,
        "错误：--header-row <N> 的值“2-4”不对：两行表头的两行要相邻：写 --header-row 2-3（第 2 行是分组，第 3 行是各列表头）\n"
    );
    // The first row of a two-row header is enough; both rows are the same.
    for rows in ["2", "2-3"] {
        d.nf(&[
            "import",
            "workers",
            &name,
            "--header-row",
            rows,
            "--dry-run",
        ])
        .ok()
        .stderr_has(&["workers-gbk.csv: 共 3 行：新增 3，更新 0，未变 0 — 试运行"]);
    }
    d.nf(&["import", "workers", &name, "--header-row", "2"])
        .ok()
        .stderr_has(&["workers-gbk.csv: 共 3 行：新增 3，更新 0，未变 0\n"]);
    assert_three_workers(&d);
}

/// Headers with a note in brackets — full or half width, after a space or a line break in
/// the cell — are read as the header without it: `身份证号码（18位）` is the 身份证号.
#[test]
fn headers_with_a_note_in_brackets_are_read_without_it() {
    let d = Dir::new();
    d.init();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("7月").unwrap();
    let header = [
        "序号",
        "姓名",
        "身份证号码（18位）",
        "手机号码\n(11位)",
        "从业类型 (必填)",
        "所属街道（全称）",
        "户籍地址",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, phone, id, _)) in WORKERS.iter().enumerate() {
        let row = ["1", name, id, phone, "外卖员", "柳巷街道", "山西省太原市"];
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save(d.join("柳巷.xlsx")).unwrap();
    let o = d.nf(&["import", "workers", "柳巷.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "柳巷.xlsx: 按 工作表“7月”（xlsx） 读取\n\
         柳巷.xlsx[7月]: 注意：这些列没有导入：户籍地址（不属于从业人员台账；如果其中有要导入的数据，用 --map \"表头=字段代码\" 指明）\n\
         柳巷.xlsx[7月]: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    assert_eq!(
        d.rows("SELECT name, phone, id_number FROM workers ORDER BY id"),
        WORKERS.map(|(n, p, i, _)| some(&[n, p, i]))
    );
    // The same note in CSV, half width, with or without a space.
    for (i, id_header) in [
        "身份证号码(18位)",
        "身份证号码 (18位)",
        "身份证号码（18位）",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("w{i}.csv");
        d.write(
            &name,
            format!(
                "姓名,{id_header},从业类型,所属街道\n任志勇,140106198806229113,外卖员,柳巷街道\n"
            ),
        );
        let o = d.nf(&["import", "workers", &name]).ok();
        let new = u8::from(i == 0);
        o.stderr_has(&[&format!(
            "{name}: 按 UTF-8 读取\n{name}: 共 1 行：新增 {new}，更新 0，未变 {}\n",
            1 - new
        )]);
        assert!(!o.stderr.contains("没有导入："), "{}", o.stderr);
    }
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE id_number = '140106198806229113'"),
        1
    );
}

/// A header that is no known one but holds one (`从业人员身份证号`) is named as the column it
/// seems to be, with the `--map` that reads it; one that names another person's number
/// (`紧急联系人电话`) is not.
#[test]
fn a_header_holding_a_known_one_is_named_with_the_map_to_read_it() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,手机号,从业人员身份证号,从业类型,所属街道,紧急联系人电话,籍贯\n\
         贺文杰,18235106271,140106199004122159,外卖员,柳巷街道,13903517700,山西\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\n\
         workers.csv: 注意：这些列没有导入：紧急联系人电话、籍贯（不属于从业人员台账；如果其中有要导入的数据，用 --map \"表头=字段代码\" 指明）\n\
         workers.csv: 注意：“从业人员身份证号”列没有导入 — 像是 身份证号 列；如果是，用 --map \"从业人员身份证号=id_number\" 指明\n\
         workers.csv: 共 1 行：新增 1，更新 0，未变 0\n"
    );
    let o = d
        .nf(&[
            "--lang",
            "en",
            "import",
            "workers",
            "workers.csv",
            "--dry-run",
        ])
        .ok();
    o.stderr_has(&["workers.csv: warning: column 从业人员身份证号 was not imported — it looks like 身份证号; if it is, say so with --map \"从业人员身份证号=id_number\"\n"]);
    d.nf(&[
        "import",
        "workers",
        "workers.csv",
        "--map",
        "从业人员身份证号=id_number",
    ])
    .ok()
    .stderr_has(&["workers.csv: 共 1 行：新增 0，更新 1，未变 0\n"]);
    assert_eq!(
        d.rows("SELECT id_number FROM workers"),
        [some(&["140106199004122159"])]
    );
}

/// Two columns of one field are named by the field's label (`姓名`, `Name`), never its code.
#[test]
fn two_columns_of_one_field_name_its_label() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,姓名,手机号,从业类型,所属街道\n温志刚,温志刚,13623518847,快递员,迎泽街道\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code_limited(1);
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\n错误：workers.csv: 姓名(A) 和 姓名(B) 两列都是 姓名 — 只留一列，\
         或用 --map 指明用哪一列，例如 --map \"B=-\" 忽略后一列\n"
    );
    let o = d
        .nf(&["--lang", "en", "import", "workers", "workers.csv"])
        .code_limited(1);
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\nerror: workers.csv: columns 姓名 (A) and 姓名 (B) both hold Name — keep one, \
         or tell which to use with --map, e.g. --map \"B=-\" to ignore the second\n"
    );
}
