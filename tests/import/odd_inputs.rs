//! Odd but real inputs: numbers protected from Excel (`'140106…`, a leading tab, `="…"`),
//! text in UTF-16 or UTF-32 with any line ends, files that are not registers at all, dates
//! written month first, the 政治面貌 入党积极分子 and 中国共产党员, the 从业类型 of instant
//! delivery, and cells too long or holding control characters.

use rust_xlsxwriter::Workbook;

use super::xlsx_in;
use crate::util::{Dir, bom_csv, some};

/// A registry with 迎泽区's streets.
fn registry() -> Dir {
    let d = Dir::new();
    d.init();
    d
}

const HEADER: &str = "姓名,身份证号,手机号,从业类型,所属街道";

#[test]
fn numbers_protected_from_excel_are_read_without_their_marks() {
    let d = registry();
    // An apostrophe, a leading tab and space, Excel's formula text with straight and curly
    // quotes: the ways people keep an 18-digit number from being rounded.
    d.write(
        "workers.csv",
        format!(
            "{HEADER},入职日期\n\
             贺新宇,'140106199203152131,'13623518847,外卖员,柳巷街道,'2025-03-01\n\
             王芳,\t140106198706224243, 13623518848,快递员,柳巷街道,\n\
             李强,=\"140106199309085117\",=“13623518849”,快递员,柳巷街道,\n\
             \"赵敏\",\"=\"\"140106198111306223\"\"\",\"' 13623518850\",快递员,柳巷街道,\n"
        ),
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv: 共 4 行：新增 4，更新 0，未变 0\n"
    );
    assert_eq!(
        d.rows("SELECT name, id_number, phone, joined_on FROM workers ORDER BY id"),
        [
            some(&["贺新宇", "140106199203152131", "13623518847", "2025-03-01"]),
            vec![
                Some("王芳".into()),
                Some("140106198706224243".into()),
                Some("13623518848".into()),
                None
            ],
            vec![
                Some("李强".into()),
                Some("140106199309085117".into()),
                Some("13623518849".into()),
                None
            ],
            vec![
                Some("赵敏".into()),
                Some("140106198111306223".into()),
                Some("13623518850".into()),
                None
            ],
        ]
    );

    // The same marks in a workbook's text cells, and in a check-in export.
    xlsx_in(
        &d,
        "workers.xlsx",
        "台账",
        1,
        1,
        &[
            &["姓名", "身份证号", "手机号", "从业类型", "所属街道"],
            &[
                "钱伟",
                "'140106199602147313",
                "=\"13623518851\"",
                "闪送",
                "柳巷街道",
            ],
        ],
    );
    d.nf(&["import", "workers", "workers.xlsx"]).ok();
    assert_eq!(
        d.rows("SELECT id_number, phone FROM workers WHERE name = '钱伟'"),
        [some(&["140106199602147313", "13623518851"])]
    );
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,事项\n'13623518847,=\"2025-07-16\",柳巷街道,党员报到\n",
    );
    d.nf(&["import", "checkins", "checkins.csv"]).ok();
    assert_eq!(
        d.rows("SELECT w.name, c.date FROM checkins c JOIN workers w ON w.id = c.worker_id"),
        [some(&["贺新宇", "2025-07-16"])]
    );

    // Typed at the terminal, pasted from a register.
    d.nf(&[
        "worker",
        "add",
        "--name",
        "孙丽",
        "--id-number",
        "=\"140106199007188428\"",
        "--phone",
        "'13623518860",
        "--occupation",
        "跑腿",
        "--street",
        "柳巷街道",
    ])
    .ok();
    assert_eq!(
        d.rows("SELECT id_number, phone, occupation FROM workers WHERE name = '孙丽'"),
        [some(&[
            "140106199007188428",
            "13623518860",
            "instant_delivery"
        ])]
    );
}

/// The workers register of the encoding tests, as text.
const WIDE: &str = "姓名,身份证号,手机号,从业类型,所属街道\n\
                    贺新宇,140106199203152131,13623518847,外卖员,柳巷街道\n\
                    王芳,140106198706224243,13623518848,快递员,柳巷街道\n";

/// `text` in UTF-16 or UTF-32 of either byte order, with a BOM or without.
fn wide(text: &str, width: u8, big_endian: bool, bom: bool) -> Vec<u8> {
    let text = if bom {
        format!("\u{feff}{text}")
    } else {
        text.to_string()
    };
    let mut out = Vec::new();
    if width == 16 {
        for u in text.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
    } else {
        for c in text.chars() {
            let n = c as u32;
            out.extend(if big_endian {
                n.to_be_bytes()
            } else {
                n.to_le_bytes()
            });
        }
    }
    out
}

#[test]
fn utf16_and_utf32_registers_are_read_with_any_line_ends() {
    let d = registry();
    let cases = [
        // width, big-endian, BOM, line end, what the first message says
        (16, false, false, "\n", "UTF-16LE"),
        (16, false, true, "\r\n", "UTF-16LE"),
        (16, true, false, "\r", "UTF-16BE"),
        (16, true, true, "\n", "UTF-16BE"),
        (32, false, true, "\n", "UTF-32LE"),
        (32, false, false, "\r\n", "UTF-32LE"),
        (32, true, true, "\r", "UTF-32BE"),
        (32, true, false, "\n", "UTF-32BE"),
    ];
    for (i, (width, be, bom, eol, label)) in cases.into_iter().enumerate() {
        let name = format!("w{i}.csv");
        d.write(&name, wide(&WIDE.replace('\n', eol), width, be, bom));
        let o = d.nf(&["import", "workers", &name]).ok();
        let counts = if i == 0 {
            "新增 2，更新 0，未变 0"
        } else {
            "新增 0，更新 0，未变 2"
        };
        assert_eq!(
            o.stderr,
            format!("{name}: 按 {label} 读取\n{name}: 共 2 行：{counts}\n"),
            "{width} {be} {bom} {eol:?}"
        );
    }
    assert_eq!(
        d.rows("SELECT name, phone FROM workers ORDER BY id"),
        [
            some(&["贺新宇", "13623518847"]),
            some(&["王芳", "13623518848"])
        ]
    );

    // A check-in export in UTF-16 with LF line ends (it used to land nothing and exit 0).
    d.write(
        "checkins.csv",
        wide(
            "手机号,报到日期,报到街道,事项\n13623518847,2025-07-16,柳巷街道,党员报到\n",
            16,
            false,
            false,
        ),
    );
    d.nf(&["import", "checkins", "checkins.csv"])
        .ok()
        .stderr_has(&["共 1 行：新增 1"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), 1);
}

#[test]
fn utf16_read_as_another_encoding_is_an_error_never_an_empty_import() {
    let d = registry();
    // Digits and Latin letters only: valid UTF-8 byte by byte, but every other byte NUL.
    d.write(
        "w.csv",
        wide("phone,street\n13623518847,liuxiang\n", 16, false, false),
    );
    let o = d
        .nf(&["import", "workers", "--encoding", "utf-8", "w.csv"])
        .code(1);
    // Named for what it is, before a row is read.
    assert_eq!(
        o.stderr,
        "错误：w.csv: 文件看起来是 UTF-16LE 编码，不能按 UTF-8 读取 — 去掉 --encoding，让程序自己识别；\
         或者在 Excel 里另存为“CSV UTF-8”或 .xlsx 再导入\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
}

/// A minimal OLE2 compound file holding a stream named `stream` (UTF-16LE in the directory).
fn ole(stream: &str) -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(512, 0);
    b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
    b.resize(1024, 0);
    b
}

/// A zip holding parts with these names.
fn zip(parts: &[&str]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    for p in parts {
        z.start_file(*p, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut z, b"<x/>").unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

/// A zip holding `files` uncompressed, as some archivers store files that are already
/// compressed (an .xlsx is a zip itself).
fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        z.start_file(*name, stored).unwrap();
        std::io::Write::write_all(&mut z, bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

/// A small workers register as an .xlsx, in memory.
fn workbook_bytes() -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["姓名", "手机号", "从业类型", "所属街道"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["王芳", "13623518848", "快递员", "柳巷街道"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn files_that_are_not_registers_are_named_by_what_they_are() {
    let d = registry();
    let scan =
        "程序读不了扫描件或照片；请向报送单位要 Excel 原表，或把台账录入后另存为 .xlsx 或 CSV";
    let unpack = "先解压，再导入其中的台账（.xlsx 或 CSV）";
    let save = "把台账另存为 .xlsx 或 CSV 再导入";
    let sqlite = {
        let path = d.join("other.sqlite");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(c);
        std::fs::read(path).unwrap()
    };
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "台账.pdf",
            b"%PDF-1.7\n%\xE2\xE3\n".to_vec(),
            format!("一份 PDF 文档，不是台账 — {scan}"),
        ),
        // Names say nothing: the bytes do.
        (
            "台账.csv",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            format!("一张图片（PNG），不是台账 — {scan}"),
        ),
        (
            "照片.xlsx",
            b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec(),
            format!("一张图片（JPEG），不是台账 — {scan}"),
        ),
        (
            "a.gif",
            b"GIF89a\x01\0\x01\0".to_vec(),
            format!("一张图片（GIF），不是台账 — {scan}"),
        ),
        (
            "a.bmp",
            b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0".to_vec(),
            format!("一张图片（BMP），不是台账 — {scan}"),
        ),
        (
            "a.webp",
            b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(),
            format!("一张图片（WebP），不是台账 — {scan}"),
        ),
        (
            "台账.zip",
            zip(&["柳巷街道.xlsx"]),
            format!("一个压缩包（ZIP），不是台账 — {unpack}"),
        ),
        // A zip renamed .xlsx holds no workbook parts of its own: it is unpacked, not saved
        // again from Excel — also when a register inside is stored uncompressed.
        (
            "柳巷街道7月.xlsx",
            zip(&["柳巷街道7月/从业人员台账.xlsx", "柳巷街道7月/说明.txt"]),
            format!("一个压缩包（ZIP），不是台账 — {unpack}"),
        ),
        (
            "打包.xlsx",
            stored_zip(&[
                ("从业人员台账.xlsx", &workbook_bytes()),
                ("说明.txt", "7月台账".as_bytes()),
            ]),
            format!("一个压缩包（ZIP），不是台账 — {unpack}"),
        ),
        (
            "台账.rar",
            b"Rar!\x1a\x07\x01\0".to_vec(),
            format!("一个压缩包（RAR），不是台账 — {unpack}"),
        ),
        (
            "台账.7z",
            b"7z\xBC\xAF\x27\x1C\0\x04".to_vec(),
            format!("一个压缩包（7z），不是台账 — {unpack}"),
        ),
        (
            "workers.csv.gz",
            b"\x1F\x8B\x08\0\0\0\0\0".to_vec(),
            format!("一个压缩包（gzip），不是台账 — {unpack}"),
        ),
        (
            "台账.docx",
            zip(&["[Content_Types].xml", "word/document.xml"]),
            format!("一份 Word 文档，不是台账 — {save}"),
        ),
        (
            "台账.doc",
            ole("WordDocument"),
            format!("一份 Word 文档，不是台账 — {save}"),
        ),
        (
            "汇报.pptx",
            zip(&["[Content_Types].xml", "ppt/presentation.xml"]),
            format!("一份 PowerPoint 演示文稿，不是台账 — {save}"),
        ),
        // Word and PowerPoint files named .xlsx are still named for what they are.
        (
            "从业人员.xlsx",
            zip(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]),
            format!("一份 Word 文档，不是台账 — {save}"),
        ),
        (
            "汇报.xlsx",
            zip(&["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"]),
            format!("一份 PowerPoint 演示文稿，不是台账 — {save}"),
        ),
        (
            "data.db",
            sqlite,
            format!("一个 SQLite 数据库，不是台账 — {save}"),
        ),
    ];
    for (name, bytes, problem) in cases {
        d.write(name, bytes);
        let o = d.nf(&["import", "workers", name]).code(1);
        assert_eq!(o.stderr, format!("错误：{name} 是{problem}\n"));
    }
    // The registry itself, given as a register.
    std::fs::copy(d.join("nf.db"), d.join("柳巷.xlsx")).unwrap();
    let o = d.nf(&["import", "workers", "柳巷.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：柳巷.xlsx 是 nuanfeng 的数据库文件，不是台账 — 要查看或使用它，用 --db 柳巷.xlsx；导入的台账请另存为 .xlsx 或 CSV\n"
    );
    let o = d
        .nf(&["--lang", "en", "import", "checkins", "台账.pdf"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: 台账.pdf is a PDF document, not a register — scans and photos cannot be read; ask the office for the Excel file, or type the register in and save it as .xlsx or CSV\n"
    );
    // A real workbook is still a workbook.
    xlsx_in(
        &d,
        "w.xlsx",
        "台账",
        1,
        1,
        &[
            &["姓名", "手机号", "从业类型", "所属街道"],
            &["王芳", "13623518848", "快递员", "柳巷街道"],
        ],
    );
    d.nf(&["import", "workers", "w.xlsx"]).ok();
    assert_eq!(d.int("SELECT count(*) FROM workers"), 1);
}

#[test]
fn month_first_dates_are_read_when_only_one_reading_exists() {
    let d = registry();
    d.write(
        "workers.csv",
        format!("{HEADER}\n贺新宇,140106199203152131,13623518847,外卖员,柳巷街道\n"),
    );
    d.nf(&["import", "workers", "workers.csv"]).ok();
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,事项\n\
         13623518847,7/26/2025,柳巷街道,党员报到\n\
         13623518847,7/6/2025,柳巷街道,组织生活\n\
         13623518847,16/07/2025,柳巷街道,志愿服务\n\
         13623518847,7月6日,柳巷街道,学习\n\
         13623518847,8/8/2025,柳巷街道,日常报到\n",
    );
    let o = d.nf(&["import", "checkins", "checkins.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "checkins.csv: 按 UTF-8 读取\n\
             checkins.csv:第3行: 报到日期(B): 7/6/2025: 年份写在最后，分不清是 2025-07-06 还是 2025-06-07 — 写成其中对的那个\n\
             checkins.csv:第4行: 报到日期(B): 16/07/2025: 日写在月前面（只能是 2025-07-16）— 写成 2025-07-16\n\
             checkins.csv:第5行: 报到日期(B): 7月6日: 没有年份 — 写上四位年份：YYYY年7月6日（YYYY 换成年份）；年份不会替你猜\n\
             错误：checkins.csv: 共 5 行，其中 3 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    let o = d
        .nf(&["--lang", "en", "import", "checkins", "checkins.csv"])
        .code(1);
    assert!(
        o.stderr.contains(
            "checkins.csv:3: 报到日期 (B): 7/6/2025: puts the year last, so it could be 2025-07-06 or 2025-06-07 — write the right one\n"
        ),
        "{}",
        o.stderr
    );
    d.nf(&["import", "checkins", "--skip-invalid", "checkins.csv"])
        .ok();
    assert_eq!(
        d.rows("SELECT date, purpose FROM checkins ORDER BY date"),
        [
            some(&["2025-07-26", "党员报到"]),
            some(&["2025-08-08", "日常报到"])
        ]
    );
    // The same rule for a day typed at the terminal.
    d.nf(&["checkin", "add", "13623518847", "--date", "7/6/2025"])
        .code(1)
        .stderr_has(&["错误：--date: 7/6/2025: 年份写在最后，分不清是 2025-07-06 还是 2025-06-07"]);
}

#[test]
fn activists_and_party_member_spellings_and_instant_delivery_are_read() {
    let d = registry();
    d.write(
        "workers.csv",
        "姓名,身份证号,手机号,政治面貌,从业类型,所属街道\n\
         贺新宇,140106199203152131,13623518847,入党积极分子,同城配送员,柳巷街道\n\
         王芳,140106198706224243,13623518848,中国共产党员,闪送,柳巷街道\n\
         李强,140106199309085117,13623518849,共产党员,跑腿,柳巷街道\n\
         赵敏,140106198111306223,13623518850,党员,同城配送,柳巷街道\n\
         钱伟,140106199602147313,13623518851,群众,其他,柳巷街道\n",
    );
    d.nf(&["import", "workers", "workers.csv"])
        .ok()
        .stderr_has(&["共 5 行：新增 5，更新 0，未变 0"]);
    assert_eq!(
        d.rows("SELECT name, political_status, occupation FROM workers ORDER BY id"),
        [
            some(&["贺新宇", "masses", "instant_delivery"]),
            some(&["王芳", "party_member", "instant_delivery"]),
            some(&["李强", "party_member", "instant_delivery"]),
            some(&["赵敏", "party_member", "instant_delivery"]),
            some(&["钱伟", "masses", "other"]),
        ]
    );
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(
        d.rows("SELECT w.name, s.stage, s.date FROM worker_stages s JOIN workers w ON w.id = s.worker_id"),
        [some(&["贺新宇", "activist", &today])]
    );
    // Shown with their labels.
    let list = d.workers();
    let occupations: Vec<&str> = list
        .iter()
        .map(|w| w["occupation"].as_str().unwrap())
        .collect();
    assert!(
        occupations.contains(&"同城配送员") || occupations.contains(&"instant_delivery"),
        "{occupations:?}"
    );
    let shown = d.nf(&["worker", "show", "13623518847"]).ok();
    assert!(shown.stdout.contains("入党积极分子"), "{}", shown.stdout);
    assert!(shown.stdout.contains("同城配送员"), "{}", shown.stdout);
    d.nf(&["worker", "list"])
        .ok()
        .stdout_has(&["其他", "同城配送员"]);
    // Imported again: nothing changes, the stage is not added twice.
    d.nf(&["import", "workers", "workers.csv"])
        .ok()
        .stderr_has(&["新增 0，更新 0，未变 5"]);
    assert_eq!(d.int("SELECT count(*) FROM worker_stages"), 1);
    // The pipeline goes on from there by hand.
    d.nf(&[
        "worker",
        "stage",
        "13623518847",
        "--to",
        "发展对象",
        "--date",
        &today,
    ])
    .ok();
    assert_eq!(
        d.int("SELECT count(*) FROM worker_stages WHERE stage = 'candidate'"),
        1
    );
}

#[test]
fn cells_too_long_or_holding_control_characters_are_refused_without_echo() {
    let d = registry();
    let long_name = format!("李{}", "强".repeat(60));
    let long_note = "长".repeat(2500);
    d.write(
        "workers.csv",
        format!(
            "姓名,手机号,从业类型,所属街道,备注\n\
             {long_name},13623518849,快递员,柳巷街道,\n\
             赵\x1b[31m敏,13623518850,快递员,柳巷街道,\n\
             钱\u{202e}伟,13623518851,快递员,柳巷街道,{long_note}\n\
             孙丽,13623518852,快递员,柳巷\x07街道,\n\
             王芳,13623518848,快递员,柳巷街道,\"住3楼\n晚上在家\"\n"
        ),
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\n\
         workers.csv:第2行: 姓名(A): 李强强强强强强强强强…: 有 61 个字符，超过上限 50 个 — 删短；长的说明请另存别处\n\
         workers.csv:第3行: 姓名(A): 赵\\x1b[31m敏: 含有控制字符 U+001B — 它看不见，还会扰乱屏幕显示；删掉它后重新输入\n\
         workers.csv:第4行: 姓名(A): 钱\\u{202e}伟: 含有文字方向控制符 U+202E — 它会让文字显示得颠倒错乱；删掉它后重新输入\n\
         workers.csv:第4行: 备注(E): 长长长长长长长长长长…: 有 2500 个字符，超过上限 2000 个 — 删短；长的说明请另存别处\n\
         workers.csv:第5行: 所属街道(D): 柳巷\\x07街道: 含有控制字符 U+0007 — 它看不见，还会扰乱屏幕显示；删掉它后重新输入\n\
         错误：workers.csv: 共 5 行，其中 4 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    let o = d
        .nf(&["--lang", "en", "import", "workers", "workers.csv"])
        .code(1);
    assert!(
        o.stderr.contains("workers.csv:3: 姓名 (A): 赵\\x1b[31m敏: holds the control character U+001B — it is invisible and can garble a terminal; delete it and type the value again\n"),
        "{}",
        o.stderr
    );
    // The good row lands; the rejects file holds no control character either.
    d.nf(&[
        "import",
        "workers",
        "workers.csv",
        "--skip-invalid",
        "--rejects",
        "R.csv",
    ])
    .ok();
    assert_eq!(
        d.rows("SELECT name, note FROM workers"),
        [some(&["王芳", "住3楼\n晚上在家"])]
    );
    let rejects = d.read("R.csv");
    assert!(!rejects.iter().any(|b| *b == 0x1b || *b == 0x07));
    let rows = bom_csv(&rejects);
    assert_eq!(rows[2][4], "赵<U+001B>[31m敏");

    // Typed at the terminal: the same limits.
    let o = d
        .nf(&[
            "worker",
            "add",
            "--name",
            "孙\x1b]0;x\x07丽",
            "--phone",
            "13623518860",
            "--occupation",
            "快递员",
            "--street",
            "柳巷街道",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--name: 孙\\x1b]0;x\\x07丽: 含有控制字符 U+001B — 它看不见，还会扰乱屏幕显示；删掉它后重新输入\n"
    );
    let note = "备".repeat(2001);
    let o = d
        .nf(&[
            "worker",
            "add",
            "--name",
            "孙丽",
            "--phone",
            "13623518860",
            "--occupation",
            "快递员",
            "--street",
            "柳巷街道",
            "--note",
            &note,
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--note: 备备备备备备备备备备…: 有 2001 个字符，超过上限 2000 个 — 删短；长的说明请另存别处\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 1);
}

#[test]
fn harmless_invisible_characters_are_still_cleaned() {
    let d = registry();
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n\
         \u{200b}刘\u{3000}超\u{200e},１３６２３５１８８４７,快递员,柳巷街道\u{a0}\n\
         王\u{feff}芳\u{ad},13623518848\u{200d},外卖员,\u{200f}柳巷街道\n",
    );
    d.nf(&["import", "workers", "workers.csv"])
        .ok()
        .stderr_has(&["共 2 行：新增 2"]);
    assert_eq!(
        d.rows("SELECT name, phone FROM workers ORDER BY id"),
        [
            some(&["刘超", "13623518847"]),
            some(&["王芳", "13623518848"])
        ]
    );
}

#[test]
fn a_workbook_cell_with_an_escape_sequence_is_refused() {
    let d = registry();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["姓名", "手机号", "从业类型", "所属街道"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["刘\u{1b}[2J超", "13623518847", "快递员", "柳巷街道"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    book.save(d.join("w.xlsx")).unwrap();
    d.nf(&["import", "workers", "w.xlsx"])
        .code(1)
        .stderr_has(&["w.xlsx[Sheet1]:第2行: 姓名(A): 刘\\x1b[2J超: 含有控制字符 U+001B"])
        .hides(&["\u{1b}"]);
}

/// A 0-byte file (a failed download, an export that wrote nothing) is only said to be empty:
/// how its no bytes were read says nothing.
#[test]
fn an_empty_file_only_says_it_is_empty() {
    let d = registry();
    for name in ["workers.xlsx", "workers.csv"] {
        d.write(name, b"");
        let o = d.nf(&["import", "workers", name]).code(1);
        assert_eq!(
            o.stderr,
            format!("错误：{name}: 文件是空的 — 重新导出台账\n")
        );
    }
    let o = d
        .nf(&["--lang", "en", "import", "checkins", "workers.xlsx"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: workers.xlsx: the file is empty — export the register again\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

/// A bare number typed for a date flag is refused: Excel day numbers (`45846` =
/// 2025-07-08) are read from spreadsheet cells only, where Excel wrote them.
#[test]
fn typed_dates_refuse_excel_day_numbers() {
    let d = registry();
    d.nf(&[
        "worker",
        "add",
        "--name",
        "贺新宇",
        "--phone",
        "13623518847",
        "--occupation",
        "外卖员",
        "--street",
        "柳巷街道",
    ])
    .ok();
    let refusal = "是一个数，不是日期（Excel 的日期序号只在表格单元格里认）— 写成 2025-07-06 这样（2025/7/6、2025年7月6日、20250706 也可以）";
    // Each kind of date flag: an event's --date, a period's --from/--to, --left-before, a
    // date typed into a record (--joined-on), --missing left --date.
    for (args, flag) in [
        (
            vec!["checkin", "add", "13623518847", "--date", "45846"],
            "--date: 45846: ",
        ),
        (
            vec!["points", "earn", "13623518847", "5", "--date", "45846"],
            "--date: 45846: ",
        ),
        (
            vec!["report", "streets", "--from", "45839", "--to", "2025-07-31"],
            "--from 45839: ",
        ),
        (
            vec![
                "import",
                "workers",
                "w.csv",
                "--missing",
                "left",
                "--date",
                "45846",
            ],
            "--date 45846: ",
        ),
        (
            vec!["worker", "purge", "--left-before", "45846.0"],
            "--left-before 45846.0: ",
        ),
        (
            vec!["worker", "update", "13623518847", "--joined-on", "45846"],
            "--joined-on: 45846: ",
        ),
    ] {
        let o = d.nf(&args).run();
        assert_ne!(o.code, Some(0), "{args:?}");
        assert!(
            o.stderr.contains(&format!("{flag}{refusal}")),
            "{args:?}: {}",
            o.stderr
        );
    }
    let o = d
        .nf(&["--lang", "en", "report", "streets", "--from", "45839"])
        .run();
    assert!(
        o.stderr.contains(
            "--from 45839: is a number, not a date (Excel day numbers are read only from spreadsheet cells) — write it as 2025-07-06 (2025/7/6, 2025年7月6日, 20250706 also work)"
        ),
        "{}",
        o.stderr
    );
    // Written dates are read as before, 20250708 among them.
    d.nf(&["checkin", "add", "13623518847", "--date", "20250708"])
        .ok();
    assert_eq!(d.rows("SELECT date FROM checkins"), [some(&["2025-07-08"])]);
    // In a register's cell, the day number is Excel's own: read.
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道\n13623518847,45847,柳巷街道\n",
    );
    d.nf(&["import", "checkins", "checkins.csv"]).ok();
    assert_eq!(
        d.rows("SELECT date FROM checkins ORDER BY date"),
        [some(&["2025-07-08"]), some(&["2025-07-09"])]
    );
}
