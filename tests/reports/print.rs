//! Reports people pass on: `report district --format docx -o FILE` (the 简报 as an A4 Word
//! document) and workbooks that print (A4, landscape, one page wide, print titles; the
//! template's borders, drop-down lists and row heights). Each file is read back as a zip of
//! XML parts: page size, margins, fonts, the repeated rows and columns, the data validations,
//! and the figures of the JSON report in the document's text.
//!
//! The district: the coverage registers of `tests/fixtures/coverage/` with the events of
//! `tests/fixtures/workbook/` (seven streets of 迎泽区, 2025-07).

use std::io::Read;
use std::path::Path;

use crate::util::{Dir, coverage_district};

/// The district described at the top.
fn district() -> Dir {
    let d = coverage_district();
    d.import("checkins", "workbook/checkins.csv")
        .stderr_has(&["共 10 行：新增 10"]);
    d.import("tips", "workbook/tips.csv")
        .stderr_has(&["共 4 行：新增 4"]);
    d.import("services", "workbook/services.csv")
        .stderr_has(&["共 2 行：新增 2"]);
    d
}

/// A part of a zip file (docx or xlsx), as text.
fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open the file");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name} in {}: {e}", path.display()))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

/// The text of a document.xml: every `<w:t>` run joined, paragraphs and cells apart.
fn words(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        let Some(start) = piece.find('>') else {
            continue;
        };
        let body = &piece[start + 1..];
        if let Some(end) = body.find("</w:t>") {
            out.push_str(&body[..end]);
            out.push('|');
        }
    }
    out.replace("&quot;", "\"").replace("&amp;", "&")
}

#[test]
fn the_bulletin_as_docx_is_a4_with_chinese_fonts_and_every_figure() {
    let d = district();
    let report = d
        .nf(&[
            "report", "district", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    d.nf(&[
        "report",
        "district",
        "--month",
        "2025-07",
        "--format",
        "docx",
        "-o",
        "2025年7月简报.docx",
    ])
    .ok()
    .stderr_has(&["已写入 2025年7月简报.docx：简报（A4），含数据表和 7 个街道的分街道表\n"]);
    let path = d.join("2025年7月简报.docx");
    let xml = part(&path, "word/document.xml");
    // A4 portrait, Word's normal margins (2.54 cm, 3.18 cm).
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "{xml}");
    assert!(xml.contains(r#"w:top="1440""#) && xml.contains(r#"w:left="1800""#));
    // The title in 黑体, the text in 仿宋 with a first-line indent of two characters (2 × 16 pt),
    // the tables in 宋体: named as the east-Asian font of the runs.
    for font in ["黑体", "仿宋", "宋体"] {
        assert!(
            xml.contains(&format!(r#"w:eastAsia="{font}""#)),
            "no {font}"
        );
    }
    assert!(xml.contains(r#"w:firstLine="640""#));
    assert!(
        xml.contains(r#"<w:jc w:val="center" />"#) || xml.contains(r#"<w:jc w:val="center"/>"#)
    );
    let text = words(&xml);
    assert!(
        text.starts_with("迎泽区新就业群体党建工作简报（2025年7月）|迎泽区编　　"),
        "{text}"
    );
    for p in report["bulletin"].as_array().unwrap() {
        assert!(text.contains(p.as_str().unwrap()), "{p} not in {text}");
    }
    // The table of figures: 本期 and 年初至今, then the table by street with its total.
    assert!(text.contains("|一、主要数据|指标|本期|年初至今|"), "{text}");
    let checkins = report["figures"]["checkins"].as_i64().unwrap();
    let ytd = report["year_to_date_figures"]["checkins"].as_i64().unwrap();
    assert_eq!((checkins, ytd), (7, 9));
    assert!(
        text.contains(&format!("|报到人次|{checkins}|{ytd}|")),
        "{text}"
    );
    assert!(
        text.contains("|二、各街道情况|街道|站点|从业人员|党员|报到人次|"),
        "{text}"
    );
    assert!(text.contains("|柳巷街道|"), "{text}");
    assert!(!text.contains("140106001"), "the codes stay out: {text}");

    // Written once: the same file again is refused and left as it was.
    let before = d.read("2025年7月简报.docx");
    d.nf(&[
        "report",
        "district",
        "--month",
        "2025-07",
        "--format",
        "docx",
        "-o",
        "2025年7月简报.docx",
    ])
    .code(1)
    .stderr_has(&["2025年7月简报.docx 已存在 — 报表不会悄悄覆盖文件"]);
    assert_eq!(d.read("2025年7月简报.docx"), before);
}

#[test]
fn docx_needs_a_docx_file_and_speaks_english_with_lang_en() {
    let d = district();
    d.nf(&["report", "district", "--month", "2025-07", "--format", "docx"])
        .code(2)
        .stderr_has(&[
            "--format docx 写的是 Word 文档，不能输出到终端 — 用 -o 指定文件，例如 -o 2025年7月简报.docx",
        ]);
    d.nf(&[
        "report",
        "district",
        "--month",
        "2025-07",
        "--format",
        "docx",
        "-o",
        "简报.doc",
    ])
    .code(2)
    .stderr_has(&["-o 简报.doc：文档的文件名要以 .docx 结尾"]);
    d.nf(&[
        "report", "streets", "--month", "2025-07", "--format", "docx",
    ])
    .code(2)
    .stderr_has(&["--format docx 只用于简报"]);
    d.nf(&[
        "--lang",
        "en",
        "report",
        "district",
        "--month",
        "2025-07",
        "--format",
        "docx",
        "-o",
        "bulletin.docx",
    ])
    .ok()
    .stderr_has(&["wrote bulletin.docx: the bulletin (A4) with the table of figures and the table by street (7)"]);
    let text = words(&part(&d.join("bulletin.docx"), "word/document.xml"));
    assert!(
        text.starts_with(
            "迎泽区 party building among new employment groups: bulletin, July 2025|Issued by 迎泽区, "
        ),
        "{text}"
    );
    assert!(text.contains("|1. Figures|"), "{text}");
    assert!(text.contains("|2. By street|Street|"), "{text}");
}

#[test]
fn workbooks_print_on_a4_landscape_with_print_titles() {
    let d = district();
    d.nf(&[
        "report",
        "district",
        "--month",
        "2025-07",
        "--format",
        "xlsx",
        "-o",
        "简报.xlsx",
    ])
    .ok();
    let path = d.join("简报.xlsx");
    let book = part(&path, "xl/workbook.xml");
    // 各街道 (the second sheet): the title and header rows and the street column on every page.
    assert!(
        book.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="1">各街道!$A:$A,各街道!$1:$2</definedName>"#),
        "{book}"
    );
    let streets = part(&path, "xl/worksheets/sheet2.xml");
    assert!(
        streets.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
        "{streets}"
    );
    assert!(
        streets.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
        "{streets}"
    );
    // 简报: portrait, one page wide; 图表: the chart on one landscape page.
    let bulletin = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        bulletin.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="portrait""#)
    );
    let chart = part(&path, "xl/worksheets/sheet3.xml");
    assert!(
        chart.contains(r#"<pageSetup paperSize="9" orientation="landscape""#),
        "{chart}"
    );

    d.nf(&[
        "report",
        "streets",
        "--year",
        "2025",
        "--monthly",
        "--format",
        "xlsx",
        "-o",
        "逐月.xlsx",
    ])
    .ok();
    let book = part(&d.join("逐月.xlsx"), "xl/workbook.xml");
    assert!(
        book.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">逐月!$A:$B,逐月!$1:$2</definedName>"#),
        "{book}"
    );
}

#[test]
fn the_template_has_drop_down_lists_borders_and_tall_help_rows() {
    let d = district();
    d.nf(&["template", "workers", "-o", "从业人员台账.xlsx"])
        .ok();
    let path = d.join("从业人员台账.xlsx");
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    for (col, title, list) in [
        ("B", "性别", "男,女"),
        (
            "E",
            "政治面貌",
            "中共党员,中共预备党员,共青团员,民主党派,无党派人士,群众",
        ),
        (
            "F",
            "从业类型",
            "快递员,外卖员,网约车司机,货车司机,同城配送员,其他",
        ),
        (
            "I",
            "所属街道",
            "柳巷街道,文庙街道,庙前街道,迎泽街道,桥东街道,老军营街道,郝庄镇",
        ),
    ] {
        let want = format!(
            r#"errorTitle="{title}" error="请从下拉列表中选择一项" sqref="{col}2:{col}501"><formula1>"{list}"</formula1>"#
        );
        assert!(sheet.contains(&want), "{want} not in {sheet}");
    }
    assert!(part(&path, "xl/styles.xml").contains(r#"<left style="thin">"#));
    let book = part(&path, "xl/workbook.xml");
    assert!(
        book.contains(r#"localSheetId="0">从业人员台账!$1:$1</definedName>"#),
        "{book}"
    );
    assert!(sheet.contains(r#"orientation="landscape""#));
    // 填写说明: rows as tall as their wrapped explanations (two lines for 性别's).
    let help = part(&path, "xl/worksheets/sheet2.xml");
    assert!(
        help.contains(r#"<row r="3" spans="1:4" ht="18.75" customHeight="1">"#),
        "{help}"
    );
    assert!(help.contains(r#"ht="33.75" customHeight="1""#), "{help}");

    // Without a registry there is no street to offer: no 所属街道 list.
    let bare = Dir::new();
    bare.nf(&["template", "workers", "-o", "台账.xlsx"]).ok();
    let sheet = part(&bare.join("台账.xlsx"), "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"errorTitle="性别""#));
    assert!(!sheet.contains(r#"errorTitle="所属街道""#), "{sheet}");
}
