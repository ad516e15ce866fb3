//! `template`: the blank registers (CSV with a BOM, or .xlsx with an explanation sheet), and
//! that they import, blank or filled in.

use rust_xlsxwriter::Workbook;

use super::{WORKER_HEADERS, xlsx_sheets};
use crate::util::{Dir, bom_csv, find, some};

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
    assert_eq!(o.stderr, "已写出 t.xlsx\n");
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
            ("所属街道", "无站点时必填"),
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
    // A worker's street may be left to their station.
    assert_eq!(
        row("所属街道")[2],
        "街道或乡镇的正式名称，如 柳巷街道；“柳巷”“柳巷街道办事处”也认。填了所属站点的可以不填，所属街道就取站点所在的街道"
    );
}

#[test]
fn template_csv_file_and_the_files_template_refuses() {
    let d = Dir::new();
    d.nf(&["template", "workers", "-o", "t.csv"])
        .ok()
        .stderr_has(&["已写出 t.csv\n"]);
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
            format!("错误：{name} 已经存在 — 模板从不覆盖文件；换一个新文件名\n")
        );
        assert_eq!(d.read(name), before, "{name} was changed");
    }

    // Only .xlsx and .csv: anything else is a usage error, and nothing is written.
    for name in ["t.txt", "t.xls", "t"] {
        let o = d.nf(&["template", "workers", "-o", name]).code(2);
        assert_eq!(
            o.stderr,
            format!("错误：-o {name}: 文件名要以 .xlsx（工作簿）或 .csv 结尾\n")
        );
        assert!(!d.exists(name), "{name} was written");
    }
    // A folder that does not exist is named.
    d.nf(&["template", "workers", "-o", "无/t.xlsx"])
        .code(1)
        .stderr_has(&["错误：-o 无/t.xlsx：文件夹 无 不存在 — 先建好这个文件夹，或换一个位置\n"]);
    d.nf(&["template", "workers", "-o", "无/t.csv"])
        .code(1)
        .stderr_has(&["错误：-o 无/t.csv：文件夹 无 不存在 — 先建好这个文件夹，或换一个位置\n"]);
    assert!(!d.exists("无"));
}

/// A register with its header and no data rows imports (exit 0), with a warning that it
/// holds none: a blank template, or the wrong sheet chosen.
#[test]
fn blank_templates_import_with_no_rows_and_a_warning() {
    let d = Dir::new();
    d.init();
    d.nf(&["template", "workers", "-o", "t.xlsx"]).ok();
    let o = d.nf(&["import", "workers", "t.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "t.xlsx: 按 工作表“从业人员台账”（xlsx） 读取\n\
         t.xlsx[从业人员台账]: 注意：只有表头，没有数据行 — 没有导入任何一行；看看是不是选错了文件或工作表（--sheet）\n\
         t.xlsx[从业人员台账]: 共 0 行：新增 0，更新 0，未变 0\n"
    );
    d.nf(&["template", "workers", "-o", "t.csv"]).ok();
    let o = d.nf(&["--lang", "en", "import", "workers", "t.csv"]).ok();
    assert_eq!(
        o.stderr,
        "t.csv: read as UTF-8 with BOM\n\
         t.csv: warning: the file has a header but no data rows — nothing was imported; check that it is the right file or sheet (--sheet)\n\
         t.csv: 0 rows: 0 new, 0 updated, 0 unchanged\n"
    );
    // -q silences it, as every warning.
    assert_eq!(d.nf(&["-q", "import", "workers", "t.csv"]).ok().stderr, "");
    // Every register's blank template is its own register, and gets the warning.
    let kinds = [
        ("stations", "站点台账"),
        ("checkins", "报到台账"),
        ("points", "积分台账"),
        ("streets", "街道社区"),
        ("services", "志愿服务台账"),
        ("tips", "随手拍台账"),
        ("wishes", "微心愿台账"),
        ("awards", "评选台账"),
        ("instructors", "指导员台账"),
        ("orgs", "党组织台账"),
    ];
    for (kind, sheet) in kinds {
        let name = format!("{kind}.xlsx");
        d.nf(&["template", kind, "-o", &name]).ok();
        d.nf(&["import", kind, &name]).ok().stderr_has(&[&format!(
            "{kind}.xlsx[{sheet}]: 注意：只有表头，没有数据行 — 没有导入任何一行；看看是不是选错了文件或工作表（--sheet）\n\
             {kind}.xlsx[{sheet}]: 共 0 行：新增 0，更新 0，未变 0\n"
        )]);
    }
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(
        d.int("SELECT count(*) FROM import_batches"),
        3 + kinds.len() as i64
    );
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
        "filled.xlsx: 按 工作表“从业人员台账”（xlsx） 读取\nfilled.xlsx[从业人员台账]: 共 2 行：新增 2，更新 0，未变 0\n"
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
        .stderr_has(&["filled.csv: 共 1 行：新增 1，更新 0，未变 0\n"]);
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
