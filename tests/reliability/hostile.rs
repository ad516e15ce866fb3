//! Hostile inputs, built at test time, refused early with the limit they pass: zip bombs in a
//! sheet and in the shared strings, a sheet past Excel's last row or column, an .ods that
//! would spread over billions of cells or over a million rows of one repeated value, an .xlsx
//! of fifty million empty shared strings or thirteen million cell formats, a CSV of one line of commas, a line without end, a
//! stray quote, a cell past 32,767 characters, `/dev/zero` and a symbolic link to it, a named
//! pipe with no writer, random bytes named .xlsx, a damaged .xls that reads as protected,
//! UTF-32 read with the wrong `--encoding`. Every run is bounded ([`TestCommand::run_limited`]:
//! 1 GiB of address space, killed after a minute), so a blow-up or a hang fails the test.
//! And what reaches a terminal: control characters in stored data and in a cell echoed by an
//! error are shown escaped.

use std::io::Write;

use crate::util::Dir;

/// The header and one row of a workers register, as the cells of a sheet's first rows.
const HEADER: [&str; 4] = ["姓名", "手机号", "从业类型", "所属街道"];

/// A folder with a registry of the sample district's streets.
fn registry() -> Dir {
    let d = Dir::new();
    d.nf(&["init", "--district", "140106"]).ok();
    d
}

/// `import workers FILE -q` in `d`, bounded; it must exit 1. Returns stderr.
fn refused(d: &Dir, file: &str) -> String {
    d.nf(&["-q", "import", "workers", file])
        .code_limited(1)
        .stderr
}

/// An .xlsx whose parts are a real workbook's (one sheet with the header) but for `part`,
/// whose bytes `write` streams out (deflated, so that a gigabyte takes a megabyte).
fn xlsx_with(part: &str, write: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let plain = book.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(plain)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        if !file.name().is_ok_and(|n| n == part) {
            out.raw_copy_file(file).unwrap();
        }
    }
    out.start_file(part, deflated).unwrap();
    write(&mut out);
    out.finish().unwrap().into_inner()
}

/// A sheet's XML around `rows` (the `<row>` elements).
fn sheet_xml(rows: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <sheetData>{rows}</sheetData></worksheet>"
    )
}

/// The header row of [`HEADER`] as inline strings, row 1.
fn header_row() -> String {
    let cells: String = HEADER
        .iter()
        .enumerate()
        .map(|(c, h)| {
            format!(
                "<c r=\"{}1\" t=\"inlineStr\"><is><t>{h}</t></is></c>",
                (b'A' + c as u8) as char
            )
        })
        .collect();
    format!("<row r=\"1\">{cells}</row>")
}

/// Writes `n` bytes of `byte`, a mebibyte at a time.
fn fill(w: &mut dyn Write, byte: u8, n: u64) {
    let block = vec![byte; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len() as u64) as usize;
        w.write_all(&block[..k]).unwrap();
        left -= k as u64;
    }
}

const GIB: u64 = 1 << 30;

#[test]
fn a_sheet_whose_one_cell_inflates_to_a_gibibyte_is_refused_unread() {
    let d = registry();
    let (head, tail) = {
        let xml = sheet_xml(&format!(
            "{}<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>@</t></is></c></row>",
            header_row()
        ));
        let (h, t) = xml.split_once('@').unwrap();
        (h.to_string(), t.to_string())
    };
    let bytes = xlsx_with("xl/worksheets/sheet1.xml", |w| {
        w.write_all(head.as_bytes()).unwrap();
        fill(w, b'A', GIB);
        w.write_all(tail.as_bytes()).unwrap();
    });
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    d.write("bomb.xlsx", &bytes);
    let inflated = GIB + (head.len() + tail.len()) as u64;
    let size = format!("{} 字节", grouped(bytes.len() as u64));
    assert_eq!(
        refused(&d, "bomb.xlsx"),
        format!(
            "错误：bomb.xlsx 里的 xl/worksheets/sheet1.xml 解压后有 {} 字节，超过上限 256 MiB（整个文件只有 {size}）— \
             这不是正常的台账工作簿（可能是“压缩炸弹”），没有读取；用 Excel 或 WPS 打开检查，另存后再导入\n",
            grouped(inflated)
        )
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

#[test]
fn a_part_that_holds_more_than_it_declares_is_refused() {
    let d = registry();
    let mut bytes = xlsx_with("xl/worksheets/sheet1.xml", |w| {
        let xml = sheet_xml(&format!(
            "{}<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>@</t></is></c></row>",
            header_row()
        ));
        let (head, tail) = xml.split_once('@').unwrap();
        w.write_all(head.as_bytes()).unwrap();
        fill(w, b'A', 300 << 20);
        w.write_all(tail.as_bytes()).unwrap();
    });
    // The sheet's entry in the central directory and its local header declare 1,000 bytes.
    let name = b"xl/worksheets/sheet1.xml";
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize;
    let mut at = 0;
    while let Some(k) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let entry = at + k;
        let len = u16_at(&bytes, entry + 28);
        if &bytes[entry + 46..entry + 46 + len] == name {
            let local = u32_at(&bytes, entry + 42);
            bytes[entry + 24..entry + 28].copy_from_slice(&1000u32.to_le_bytes());
            bytes[local + 22..local + 26].copy_from_slice(&1000u32.to_le_bytes());
        }
        at = entry + 4;
    }
    d.write("liar.xlsx", &bytes);
    assert_eq!(
        refused(&d, "liar.xlsx"),
        "错误：liar.xlsx 里的 xl/worksheets/sheet1.xml 解压出的内容比它声明的 1,000 字节多 — 工作簿已损坏，\
         或是伪装成小文件的“压缩炸弹”，没有读取；用 Excel 或 WPS 打开检查，另存后再导入\n"
    );
}

#[test]
fn shared_strings_that_inflate_past_the_limit_are_refused_unread() {
    let d = registry();
    let bytes = xlsx_with("xl/sharedStrings.xml", |w| {
        w.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
              <sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>",
        )
        .unwrap();
        fill(w, b'A', 300 << 20);
        w.write_all(b"</t></si></sst>").unwrap();
    });
    d.write("strings.xlsx", &bytes);
    let o = refused(&d, "strings.xlsx");
    assert!(
        o.starts_with("错误：strings.xlsx 里的 xl/sharedStrings.xml 解压后有 314,572,"),
        "{o}"
    );
    assert!(o.contains("超过上限 256 MiB"), "{o}");
}

#[test]
fn many_parts_each_under_the_limit_are_bounded_together() {
    let d = registry();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    out.start_file("[Content_Types].xml", deflated).unwrap();
    out.write_all(b"<Types/>").unwrap();
    for i in 0..5 {
        out.start_file(format!("xl/media/part{i}.bin"), deflated)
            .unwrap();
        fill(&mut out, b' ', 250 << 20);
    }
    let bytes = out.finish().unwrap().into_inner();
    d.write("parts.xlsx", &bytes);
    assert_eq!(
        refused(&d, "parts.xlsx"),
        format!(
            "错误：parts.xlsx 的各部件解压后合计超过上限 1,024 MiB（整个文件只有 {} 字节）— 这不是正常的台账工作簿\
             （可能是“压缩炸弹”），没有读完；用 Excel 或 WPS 打开检查，另存后再导入\n",
            grouped(bytes.len() as u64)
        )
    );
}

#[test]
fn a_cell_of_a_mebibyte_in_a_sheet_is_refused_before_it_is_parsed() {
    let d = registry();
    let xml = sheet_xml(&format!(
        "{}<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
        header_row(),
        "柳".repeat(400_000)
    ));
    let bytes = xlsx_with("xl/worksheets/sheet1.xml", |w| {
        w.write_all(xml.as_bytes()).unwrap()
    });
    d.write("cell.xlsx", &bytes);
    assert_eq!(
        refused(&d, "cell.xlsx"),
        "错误：cell.xlsx 里的 xl/worksheets/sheet1.xml 有一段文字超过 263,160 字节，远超 Excel 一个单元格的上限 \
         32,767 个字符 — 工作簿已损坏或不是台账，没有读取；用 Excel 或 WPS 打开检查，另存后再导入\n"
    );
}

#[test]
fn a_cell_past_excel_s_limit_in_a_sheet_is_refused() {
    let d = registry();
    let xml = sheet_xml(&format!(
        "{}<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
        header_row(),
        "柳".repeat(40_000)
    ));
    let bytes = xlsx_with("xl/worksheets/sheet1.xml", |w| {
        w.write_all(xml.as_bytes()).unwrap()
    });
    d.write("cell.xlsx", &bytes);
    assert_eq!(
        refused(&d, "cell.xlsx"),
        "错误：cell.xlsx[Sheet1]: 第2行 A 列: 单元格有 40,000 个字符，超过 Excel 一个单元格的上限 32,767 个 — \
         这不是台账该有的内容；检查这个单元格，改好后再导入\n"
    );
}

#[test]
fn a_sheet_past_excel_s_last_row_or_column_stops_there() {
    let d = registry();
    let beyond = |row: u64, col: &str| {
        let xml = sheet_xml(&format!(
            "{}<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>张三</t></is></c></row>\
             <row r=\"{row}\"><c r=\"{col}{row}\" t=\"inlineStr\"><is><t>x</t></is></c></row>",
            header_row()
        ));
        xlsx_with("xl/worksheets/sheet1.xml", |w| {
            w.write_all(xml.as_bytes()).unwrap()
        })
    };
    d.write("rows.xlsx", beyond(1_048_577, "A"));
    assert_eq!(
        refused(&d, "rows.xlsx"),
        "错误：rows.xlsx[Sheet1]: 第1,048,577行超过了 Excel 一张表的上限 1,048,576 行，读到这里为止 — \
         工作表已损坏或不是台账；用 Excel 或 WPS 打开，另存后再导入\n"
    );
    d.write("columns.xlsx", beyond(3, "XFE"));
    assert_eq!(
        refused(&d, "columns.xlsx"),
        "错误：columns.xlsx[Sheet1]: 第3行有单元格在第 16,385 列，超过 Excel 一张表的上限 16,384 列 — \
         工作簿已损坏或不是台账；用 Excel 或 WPS 打开，另存后再导入\n"
    );
}

#[test]
fn a_sheet_of_more_rows_than_excel_holds_is_read_up_to_its_last_row_only() {
    // 2.2 million rows, each a cell without a value: read up to Excel's last row, then
    // refused (the rows past it are never read).
    let d = registry();
    let bytes = xlsx_with("xl/worksheets/sheet1.xml", |w| {
        let xml = sheet_xml("@");
        let (head, tail) = xml.split_once('@').unwrap();
        w.write_all(head.as_bytes()).unwrap();
        w.write_all(header_row().as_bytes()).unwrap();
        let mut rows = String::new();
        for r in 2..=2_200_000u32 {
            rows.push_str(&format!("<row r=\"{r}\"><c r=\"A{r}\"/></row>"));
            if rows.len() > 1 << 20 {
                w.write_all(rows.as_bytes()).unwrap();
                rows.clear();
            }
        }
        w.write_all(rows.as_bytes()).unwrap();
        w.write_all(tail.as_bytes()).unwrap();
    });
    d.write("tall.xlsx", &bytes);
    assert_eq!(
        refused(&d, "tall.xlsx"),
        "错误：tall.xlsx[Sheet1]: 第1,048,577行超过了 Excel 一张表的上限 1,048,576 行，读到这里为止 — \
         工作表已损坏或不是台账；用 Excel 或 WPS 打开，另存后再导入\n"
    );
}

#[test]
fn an_ods_spread_over_billions_of_cells_is_refused_with_its_count_unmasked() {
    let d = registry();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    out.start_file("META-INF/manifest.xml", stored).unwrap();
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
          <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
          <manifest:file-entry manifest:full-path=\"/\" \
          manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
          <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
          </manifest:manifest>",
    )
    .unwrap();
    out.start_file("content.xml", stored).unwrap();
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
          <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
          xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
          xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">\
          <office:body><office:spreadsheet><table:table table:name=\"S\">\
          <table:table-row table:number-rows-repeated=\"1048576\">\
          <table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"string\">\
          <text:p>x</text:p></table:table-cell></table:table-row>\
          </table:table></office:spreadsheet></office:body></office:document-content>",
    )
    .unwrap();
    d.write("huge.ods", out.finish().unwrap().into_inner());
    let o = refused(&d, "huge.ods");
    // 1,048,576 × 16,384 cells: eleven digits starting with 1, once masked as a 手机号.
    assert_eq!(
        o,
        "错误：huge.ods 有一张工作表要展开成 17,179,869,184 个单元格，超过上限 20,000,000 个\
         （Excel 一张表最多 1,048,576 行 × 16,384 列）— 工作簿已损坏或不是台账；用 Excel 或 WPS 打开，另存后再导入\n"
    );
}

/// The .ods fixture (a header and two workers) with `rows` (table rows) in place of its sheet's
/// rows after the header, or with `rows` alone when `header` is false.
fn ods_with(header: bool, rows: &str) -> Vec<u8> {
    let plain = crate::util::fixture_bytes("workbooks/workers.ods");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(plain)).unwrap();
    let mut content = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("content.xml").unwrap(), &mut content)
        .unwrap();
    let start = content.find("<table:table-row>").unwrap();
    let end = content.find("</table:table>").unwrap();
    let first = start + content[start..].find("</table:table-row>").unwrap() + 18;
    let kept = if header { &content[start..first] } else { "" };
    let content = format!("{}{kept}{rows}{}", &content[..start], &content[end..]);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        if !file.name().is_ok_and(|n| n == "content.xml") {
            out.raw_copy_file(file).unwrap();
        }
    }
    out.start_file("content.xml", deflated).unwrap();
    out.write_all(content.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

#[test]
fn an_ods_of_a_million_rows_of_one_repeated_value_is_refused_before_it_is_read() {
    let d = registry();
    // 1,000,000 × 99 = 99,000,000 cells: under calamine's cap, gigabytes once allocated;
    // a cell holds something by its value type or by the text inside it.
    for typed in [" office:value-type=\"string\"", ""] {
        d.write(
            "repeated.ods",
            ods_with(
                false,
                &format!(
                    "<table:table-row table:number-rows-repeated=\"1000000\">\
                     <table:table-cell table:number-columns-repeated=\"99\"{typed}>\
                     <text:p>x</text:p></table:table-cell></table:table-row>"
                ),
            ),
        );
        assert_eq!(
            refused(&d, "repeated.ods"),
            "错误：repeated.ods 有一张工作表要展开成 99,000,000 个单元格，超过上限 20,000,000 个\
             （Excel 一张表最多 1,048,576 行 × 16,384 列）— 工作簿已损坏或不是台账；用 Excel 或 WPS 打开，另存后再导入\n"
        );
    }
}

#[test]
fn an_ods_of_a_billion_empty_rows_is_beyond_excel_s_rows_not_empty() {
    let d = registry();
    d.write(
        "rows.ods",
        ods_with(
            true,
            "<table:table-row table:number-rows-repeated=\"1000000000\">\
             <table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>",
        ),
    );
    assert_eq!(
        refused(&d, "rows.ods"),
        "错误：rows.ods 有一张工作表展开后至少有 1,000,000,001 行，超出 Excel 一张表的上限 1,048,576 行 \
         — 工作簿已损坏或不是台账；用 Excel 或 WPS 打开，另存后再导入\n"
    );
}

#[test]
fn an_ods_with_libreoffice_s_empty_rows_to_the_sheet_s_end_imports() {
    let d = registry();
    // As LibreOffice writes a sheet: each row's empty cells, then empty rows, to the end (the
    // last empty cells written open and closed, as other programs write them).
    let cell = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let row = |cells: &[&str]| {
        format!(
            "<table:table-row>{}<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    let rows = format!(
        "{}{}<table:table-row table:number-rows-repeated=\"1048574\">\
         <table:table-cell table:number-columns-repeated=\"1024\"></table:table-cell>\
         </table:table-row>",
        row(&HEADER),
        row(&["温志刚", "13623518847", "快递员", "迎泽街道"]),
    );
    d.write("lo.ods", ods_with(false, &rows));
    let o = d.nf(&["import", "workers", "lo.ods"]).run_limited();
    assert_eq!(
        o.stderr,
        "lo.ods: 按 工作表“台账”（ods） 读取\nlo.ods[台账]: 共 1 行：新增 1，更新 0，未变 0\n"
    );
    assert_eq!(o.code, Some(0));
}

#[test]
fn an_xlsx_of_fifty_million_empty_shared_strings_is_refused_unread() {
    let d = registry();
    let bytes = xlsx_with("xl/sharedStrings.xml", |w| {
        w.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
              <sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
        )
        .unwrap();
        let block = b"<si/>".repeat(1 << 16);
        for _ in 0..(50_000_000 / (1 << 16)) {
            w.write_all(&block).unwrap();
        }
        w.write_all(b"</sst>").unwrap();
    });
    d.write("strings.xlsx", &bytes);
    assert_eq!(
        refused(&d, "strings.xlsx"),
        "错误：strings.xlsx 的共享字符串表有超过 8,388,608 个字符串 — 一份台账远没有这么多，\
         工作簿已损坏或不是台账，没有读取；用 Excel 或 WPS 打开检查，另存后再导入\n"
    );
}

#[test]
fn an_xlsx_of_thirteen_million_cell_formats_is_refused_unread() {
    let d = registry();
    let bytes = xlsx_with("xl/styles.xml", |w| {
        w.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
              <styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
              <cellXfs count=\"13000000\">",
        )
        .unwrap();
        let block = b"<xf numFmtId=\"14\"/>".repeat(1 << 16);
        for _ in 0..(13_000_000 / (1 << 16)) {
            w.write_all(&block).unwrap();
        }
        w.write_all(b"</cellXfs></styleSheet>").unwrap();
    });
    d.write("styles.xlsx", &bytes);
    assert_eq!(
        refused(&d, "styles.xlsx"),
        "错误：styles.xlsx 声明了超过 65,536 种单元格格式（Excel 最多 64,000 种）— 工作簿已损坏或不是台账，\
         没有读取；用 Excel 或 WPS 打开检查，另存后再导入\n"
    );
}

#[test]
fn a_csv_line_of_commas_is_refused_at_excel_s_last_column() {
    let d = registry();
    d.write("commas.csv", ",".repeat(1_000_000));
    assert_eq!(
        refused(&d, "commas.csv"),
        "错误：commas.csv: 第1行有 1,000,001 列，超过 Excel 一张表的上限 16,384 列 — 这不是台账；\
         检查文件是不是发错了或已损坏\n"
    );
    // Past a mebibyte, the line's length is what stops it.
    d.write("commas.csv", ",".repeat(8 << 20));
    assert_eq!(
        refused(&d, "commas.csv"),
        "错误：commas.csv: 第1行超过 1 MiB，读到这里为止 — 一行台账不会这么长，文件不是台账或已损坏；检查文件是不是发错了\n"
    );
}

#[test]
fn a_header_of_sixteen_thousand_cells_is_read_whole() {
    // Short of the column limit, mapping the header stays linear: refused for its content.
    let d = registry();
    d.write("wide.csv", format!("{}\n", "x,".repeat(16_000)));
    let o = refused(&d, "wide.csv");
    assert!(
        o.starts_with("错误：wide.csv: 前 1 行里没有找到表头"),
        "{o}"
    );
}

#[test]
fn a_csv_line_without_end_or_a_stray_quote_stops_at_a_mebibyte() {
    let d = registry();
    d.write(
        "long.csv",
        format!("姓名,手机号,从业类型,所属街道\n{}\n", "a".repeat(200 << 20)),
    );
    assert_eq!(
        refused(&d, "long.csv"),
        "错误：long.csv: 第2行超过 1 MiB，读到这里为止 — 一行台账不会这么长，文件不是台账或已损坏；检查文件是不是发错了\n"
    );
    let rows = "郭志伟,13623517804,快递员,柳巷\n".repeat(50_000);
    d.write(
        "quote.csv",
        format!("姓名,手机号,从业类型,所属街道\n李浩,\"1590351442,外卖员,柳巷\n{rows}"),
    );
    assert_eq!(
        refused(&d, "quote.csv"),
        "错误：quote.csv: 第2行的一个英文双引号（\"）一直没有配对，之后超过 1 MiB 的内容都被读成了一个单元格 — \
         在这一行找到多出来的引号，删掉后再导入\n"
    );
}

#[test]
fn a_csv_cell_past_excel_s_limit_is_refused() {
    let d = registry();
    d.write(
        "cell.csv",
        format!(
            "姓名,手机号,从业类型,所属街道\n郭志伟,13623517804,快递员,{}\n",
            "柳".repeat(32_768)
        ),
    );
    assert_eq!(
        refused(&d, "cell.csv"),
        "错误：cell.csv: 第2行 D 列: 单元格有 32,768 个字符，超过 Excel 一个单元格的上限 32,767 个 — \
         这不是台账该有的内容；检查这个单元格，改好后再导入\n"
    );
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let d = registry();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.csv")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.csv"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::create_dir(d.join("folder.csv")).unwrap();
    let fix = "不是普通文件 — 只能导入存在磁盘上的台账文件（.xlsx、.xls、.ods 或 CSV）；要从管道读入，文件名写 -\n";
    assert_eq!(
        refused(&d, "/dev/zero"),
        format!("错误：/dev/zero 是一个设备，{fix}")
    );
    assert_eq!(
        refused(&d, "zero.csv"),
        format!("错误：zero.csv 是一个设备，{fix}")
    );
    // Never opened: opening a pipe with no writer blocks.
    assert_eq!(
        refused(&d, "pipe.csv"),
        format!("错误：pipe.csv 是一个命名管道（FIFO），{fix}")
    );
    assert_eq!(
        refused(&d, "folder.csv"),
        format!("错误：folder.csv 是一个文件夹，{fix}")
    );
    // Standard input is still read.
    let o = d
        .nf(&["-q", "import", "workers", "-", "--dry-run"])
        .stdin("姓名,手机号,从业类型,所属街道\n郭志伟,13623517804,快递员,柳巷\n")
        .run_limited();
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

/// An export whose `-o` names a named pipe with no reader never opens it (that would
/// block): even with `--force` it is refused as what it is, and stays a pipe.
#[cfg(unix)]
#[test]
fn an_export_over_a_named_pipe_does_not_wait_for_a_reader() {
    let d = registry();
    let status = std::process::Command::new("mkfifo")
        .arg(d.join("out.csv"))
        .status()
        .unwrap();
    assert!(status.success());
    let o = d
        .nf(&[
            "-q", "worker", "list", "--format", "csv", "-o", "out.csv", "--force",
        ])
        .run_limited();
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert_eq!(
        o.stderr,
        "错误：out.csv 是一个命名管道（FIFO），不是普通文件 — 程序只写普通文件，加 --force 也不替换它：换一个文件名\n"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(d.join("out.csv"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_workbook_file_past_its_limit_is_not_read() {
    let d = registry();
    // 2 GiB that take no disk: an OLE header, then a hole.
    let file = std::fs::File::create(d.join("huge.xls")).unwrap();
    (&file)
        .write_all(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        .unwrap();
    file.set_len(2 * GIB).unwrap();
    let message = |name: &str| {
        format!(
            "错误：{name} 作为工作簿文件超过上限 256 MiB，没有读取 — 一份台账远没有这么大；检查文件是不是发错了，\
             或在 Excel 里另存为 .xlsx 再导入\n"
        )
    };
    assert_eq!(refused(&d, "huge.xls"), message("huge.xls"));
    // On standard input, reading stops one byte past the limit.
    let mut zip = b"PK\x03\x04".to_vec();
    zip.resize((300 << 20) as usize, 0);
    let o = d
        .nf(&["-q", "import", "workers", "-"])
        .stdin(zip)
        .code_limited(1);
    assert_eq!(o.stderr, message("<stdin>"));
}

#[test]
fn random_bytes_named_as_a_workbook_are_no_readable_workbook() {
    let d = registry();
    // Bytes of no text: a fixed pseudo-random sequence (xorshift).
    let mut x: u32 = 2463534242;
    let bytes: Vec<u8> = (0..5000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    for name in ["random.xlsx", "random.xls", "random.ods"] {
        d.write(name, &bytes);
        assert_eq!(
            refused(&d, name),
            format!(
                "错误：{name} 不是能读取的工作簿，也不是文本 — 文件已损坏，或者根本不是台账；用 Excel 或 WPS \
                 打开看看：打得开就另存为 .xlsx 再导入，打不开就请发来的人重新导出一份\n"
            )
        );
    }
}

/// A workbook cut off (a download or a copy stopped halfway) is said to be incomplete in the
/// program's words, never with the zip reader's English.
#[test]
fn a_workbook_cut_off_halfway_is_said_to_be_incomplete() {
    let d = registry();
    for (fixture, name) in [
        ("workbooks/numbers.xlsx", "cut.xlsx"),
        ("workbooks/workers.ods", "cut.ods"),
    ] {
        let bytes = crate::util::fixture_bytes(fixture);
        d.write(name, &bytes[..bytes.len() / 2]);
        let kind = &name[4..];
        assert_eq!(
            refused(&d, name),
            format!(
                "错误：{name} 不能按 {kind} 工作簿读取（文件不完整：像是下载或拷贝到一半，或已损坏）— \
                 重新拷贝或下载一份；还不行就用 Excel 或 WPS 打开，重新保存一次\n"
            )
        );
    }
}

#[test]
fn a_damaged_xls_is_damaged_not_protected() {
    let d = registry();
    // One record of the workbook stream damaged: CODEPAGE (0x0042) now reads as FILEPASS
    // (0x002F), which calamine takes for a password wherever it is.
    let mut bytes = crate::util::fixture_bytes("workbooks/workers.xls");
    let at = bytes
        .windows(6)
        .position(|w| w == [0x42, 0, 2, 0, 0xB0, 0x04])
        .expect("the CODEPAGE record");
    bytes[at] = 0x2F;
    d.write("flipped.xls", &bytes);
    assert_eq!(
        refused(&d, "flipped.xls"),
        "错误：flipped.xls 不能按 xls 工作簿读取（文件已损坏）— 用 Excel 或 WPS 打开，重新保存一次\n"
    );
}

#[test]
fn utf32_read_with_the_wrong_encoding_says_what_it_is() {
    let d = registry();
    let text = "姓名,手机号,从业类型,所属街道\n郭志伟,13623517804,快递员,柳巷\n";
    let bytes: Vec<u8> = text
        .chars()
        .flat_map(|c| (c as u32).to_be_bytes())
        .collect();
    d.write("wide.csv", &bytes);
    let o = d
        .nf(&["-q", "import", "workers", "wide.csv", "--encoding", "utf-8"])
        .code_limited(1);
    assert_eq!(
        o.stderr,
        "错误：wide.csv: 文件看起来是 UTF-32BE 编码，不能按 UTF-8 读取 — 去掉 --encoding，让程序自己识别；\
         或者在 Excel 里另存为“CSV UTF-8”或 .xlsx 再导入\n"
    );
    // Without --encoding it is read.
    d.nf(&["-q", "import", "workers", "wide.csv"])
        .code_limited(0);
}

#[test]
fn utf32_and_utf16_without_a_bom_full_of_emoji_are_read_as_what_they_are() {
    // Characters past U+FFFF leave few zero bytes: once read as GB18030, no header found.
    let d = registry();
    let mut text = "姓名,手机号,从业类型,所属街道\n".to_string();
    for i in 0..40 {
        text.push_str(&format!("😀😀😀😀😀😀𠀀{i},136235{i:05},快递员,柳巷\n"));
    }
    let utf32: Vec<u8> = text
        .chars()
        .flat_map(|c| (c as u32).to_le_bytes())
        .collect();
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    d.write("wide32.csv", &utf32);
    d.write("wide16.csv", &utf16);
    for (name, how) in [("wide32.csv", "UTF-32LE"), ("wide16.csv", "UTF-16BE")] {
        let o = d
            .nf(&["import", "workers", name, "--dry-run"])
            .code_limited(0);
        assert!(
            o.stderr.starts_with(&format!(
                "{name}: 按 {how} 读取\n{name}: 共 40 行：新增 40，"
            )),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn control_characters_in_stored_names_are_shown_escaped_in_a_table() {
    let d = registry();
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n郭志伟,13623517804,快递员,柳巷\n",
    );
    d.nf(&["-q", "import", "workers", "workers.csv"]).ok();
    // Written behind the program's back (or by a build that did not refuse them).
    d.conn()
        .execute(
            "UPDATE workers SET name = '郭' || char(27) || '[2J志伟' || char(27) || ']0;x' || char(7)",
            [],
        )
        .unwrap();
    let o = d.nf(&["worker", "list"]).run_limited();
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(!o.stdout.contains('\u{1b}'), "{}", o.stdout);
    assert!(!o.stdout.contains('\u{7}'), "{}", o.stdout);
    assert!(
        o.stdout.contains("郭\\x1b[2J志伟\\x1b]0;x\\x07"),
        "{}",
        o.stdout
    );
    // The stored name keeps its bytes.
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name = '郭' || char(27) || '[2J志伟' || char(27) || ']0;x' || char(7)"),
        1
    );
}

#[test]
fn an_error_echoing_an_argument_or_a_header_shows_it_escaped_and_cut() {
    let d = registry();
    let o = d
        .nf(&["worker", "list", "--street", "柳巷\u{1b}]0;x\u{7}"])
        .run_limited();
    assert!(
        o.stderr.starts_with("错误：--street 柳巷\\x1b]0;x\\x07: "),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains('\u{1b}'), "{}", o.stderr);
    // A street cell holding an escape, echoed in the row's problem: by its code points.
    d.write(
        "street.csv",
        "姓名,手机号,从业类型,所属街道\n郭志伟,13623517804,快递员,柳巷\u{1b}]0;x\u{7}\n",
    );
    let o = d
        .nf(&["-q", "import", "workers", "street.csv"])
        .code_limited(1);
    assert!(
        !o.stderr.contains('\u{1b}') && !o.stderr.contains('\u{7}'),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .starts_with("street.csv:第2行: 所属街道(D): 柳巷\\x1b]0;x\\x07: 含有控制字符 U+001B"),
        "{}",
        o.stderr
    );
    // A header cell as long as Excel allows, holding an escape: the warning quotes 60
    // characters of it. (A longer one is refused: `a_csv_cell_past_excel_s_limit_is_refused`.)
    let long = format!("\u{1b}[2J{}", "备".repeat(32_000));
    d.write(
        "workers.csv",
        format!("姓名,手机号,从业类型,所属街道,{long}\n郭志伟,13623517804,快递员,柳巷,\n"),
    );
    let o = d
        .nf(&["import", "workers", "workers.csv", "--dry-run"])
        .run_limited();
    assert!(!o.stderr.contains('\u{1b}'), "{}", o.stderr);
    assert!(o.stderr.len() < 4096, "{}", o.stderr.len());
    let shown = format!("\\x1b[2J{}…", "备".repeat(55));
    assert!(o.stderr.contains(&shown), "{}", o.stderr);
}

/// `n` with its digits grouped by three, as messages write counts and sizes.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}
