//! Properties of normalization, validation and reading that must hold for any input: every
//! normalizer is idempotent, and any cell, row or byte string gives a value or an error —
//! never a panic. (The ledger's properties are in `ledger::properties`.)

use chrono::{Duration, NaiveDate};
// The library's internals these properties hold of, all named here.
use nuanfeng::internals::{
    import::{
        Checked, CsvRows, EncodingChoice, HeaderMap, RawRow, SharedHash, check_register, specs,
        validate::{self, Cells},
    },
    model::{IdNumber, Phone, RegisterKind, id_check_char, mask_numbers, normalize},
};
use proptest::prelude::*;

use crate::util::proptest_config;

/// Strings like register cells: digits (ASCII and full-width), Chinese, Latin, every kind of
/// space, zero-width characters, punctuation Excel and people use.
fn cell() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[0-9０-９a-zA-Z年月日号\\-/.,:+()（）xX 　\u{a0}\t\u{200b}\u{feff}柳巷街道社区居委会党员群众快递外卖刘超·]{0,24}",
    )
    .expect("a valid pattern")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date")
}

proptest! {
    #![proptest_config(proptest_config(1000))]

    #[test]
    fn normalizing_twice_equals_normalizing_once(s in cell()) {
        prop_assert_eq!(normalize::text(&normalize::text(&s)), normalize::text(&s));
        prop_assert_eq!(normalize::folded(&normalize::folded(&s)), normalize::folded(&s));
        prop_assert_eq!(normalize::name(&normalize::name(&s)), normalize::name(&s));
        prop_assert_eq!(normalize::phone(&normalize::phone(&s)), normalize::phone(&s));
        prop_assert_eq!(normalize::header(&normalize::header(&s)), normalize::header(&s));
        prop_assert_eq!(mask_numbers(&mask_numbers(&s)), mask_numbers(&s));
    }

    #[test]
    fn any_cell_is_a_value_or_an_error(s in cell()) {
        let _ = normalize::date(&s);
        let _ = normalize::event_date(&s, today(), false);
        let _ = normalize::date_in(&s, true);
        let _ = IdNumber::parse(&normalize::folded(&s));
        let _ = Phone::parse(&normalize::phone(&s));
        let _ = validate::facilities(&s);
    }

    #[test]
    fn a_valid_id_number_survives_normalization(seq in 0u32..1000, day in 1u32..28) {
        let first17 = format!("14010619900{:01}{:02}{:03}", 1, day, seq);
        let check = id_check_char(first17.as_bytes()) as char;
        let id = format!("{first17}{check}");
        let spaced = format!(" {}\u{3000}", id.to_lowercase());
        let parsed = IdNumber::parse(&normalize::folded(&spaced).replace(' ', ""));
        prop_assert_eq!(parsed.map(|i| i.as_str().to_string()), Ok(id));
    }

    #[test]
    fn any_row_of_any_register_is_a_record_or_row_errors(cells in proptest::collection::vec(cell(), 0..14)) {
        let headers: [(RegisterKind, &[&str]); 14] = [
            (RegisterKind::Workers, &["姓名", "性别", "手机号", "身份证号", "政治面貌", "从业类型", "所属企业", "所属站点", "所属街道", "所属社区", "备注", "入职日期", "离职日期"]),
            (RegisterKind::Checkins, &["姓名", "手机号", "身份证号", "报到日期", "报到街道", "报到社区", "事项"]),
            (RegisterKind::Points, &["姓名", "手机号", "身份证号", "日期", "类别", "积分", "说明"]),
            (RegisterKind::Stations, &["站点名称", "站点类型", "所属企业", "地址", "所属街道", "所属社区", "从业人数", "联系人", "联系电话", "服务设施"]),
            (RegisterKind::Streets, &["级别", "代码", "名称", "上级代码"]),
            (RegisterKind::Services, &["姓名", "手机号", "身份证号", "服务日期", "活动名称", "服务时长", "服务街道", "服务社区"]),
            (RegisterKind::Tips, &["姓名", "手机号", "身份证号", "上报日期", "类别", "内容", "街道", "社区", "状态", "办结日期"]),
            (RegisterKind::Wishes, &["姓名", "手机号", "身份证号", "心愿内容", "登记日期", "实现日期", "认领人"]),
            (RegisterKind::Awards, &["姓名", "手机号", "身份证号", "荣誉称号", "年度"]),
            (RegisterKind::Instructors, &["姓名", "手机号", "所属街道", "工作单位", "负责站点"]),
            (RegisterKind::Orgs, &["党组织名称", "类型", "上级党组织", "所属街道", "成立日期", "书记", "覆盖站点"]),
            (RegisterKind::Gifts, &["礼品名称", "所需积分", "库存", "捐赠单位", "街道"]),
            (RegisterKind::Activities, &["活动类型", "活动名称", "活动日期", "街道", "社区", "地点", "组织单位", "参与人员", "其他参与人数", "参与人数", "发放物品", "数量", "备注"]),
            (RegisterKind::Merchants, &["商家名称", "类型", "街道", "社区", "地址", "优惠内容", "联系人", "联系电话", "签约日期", "截止日期"]),
        ];
        let row = RawRow::new(2, 2, &cells);
        for (kind, header) in headers {
            let (map, _) = HeaderMap::detect(kind, &[RawRow::new(1, 1, header)], None, &[]).expect("standard headers");
            let mut c = Cells::new(&map, &row);
            // No problem found means a record (the import relies on it); a refused row says
            // why.
            let outcome = match kind {
                RegisterKind::Workers => { let r = validate::worker(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Checkins => { let r = validate::checkin(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Points => { let r = validate::points(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Stations => { let r = validate::station(&mut c); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Streets => { let r = validate::division(&mut c); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Services => { let r = validate::service(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Tips => { let r = validate::tip(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Wishes => { let r = validate::wish(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Awards => { let r = validate::award(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Gifts => { let r = validate::gift(&mut c); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Instructors => { let r = validate::instructor(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Orgs => { let r = validate::org(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Activities => { let r = validate::activity(&mut c, today()); c.finish(r).map(|r| r.is_some()) }
                RegisterKind::Merchants => { let r = validate::merchant(&mut c); c.finish(r).map(|r| r.is_some()) }
            };
            match outcome {
                Ok(has_record) => prop_assert!(has_record, "{kind:?}: no errors but no record for {cells:?}"),
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for e in &errors {
                        prop_assert!(!e.problem.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn any_bytes_read_as_rows_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for choice in [EncodingChoice::Auto, EncodingChoice::Utf8, EncodingChoice::Gb18030] {
            if let Ok(rows) = CsvRows::new(Box::new(std::io::Cursor::new(bytes.clone())), choice, SharedHash::default()) {
                for r in rows.take(100) {
                    let _ = r;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The whole register pipeline without a database (`import::check_register`): the same
// promise the fuzz target `register` (fuzz/) checks at length — any bytes give counts or a
// refusal, never a panic — and a row written from a good template always validates.
// ---------------------------------------------------------------------------------------

/// Every register kind `import` takes.
const KINDS: [RegisterKind; 12] = [
    RegisterKind::Streets,
    RegisterKind::Stations,
    RegisterKind::Workers,
    RegisterKind::Checkins,
    RegisterKind::Points,
    RegisterKind::Services,
    RegisterKind::Tips,
    RegisterKind::Wishes,
    RegisterKind::Awards,
    RegisterKind::Instructors,
    RegisterKind::Orgs,
    RegisterKind::Gifts,
];

/// Runs `bytes` through the pipeline as every register kind, named `name`.
fn check_every_kind(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    for kind in KINDS {
        if let Ok(c) = check_register(kind, name, bytes, today()) {
            prop_assert!(c.rejected <= c.rows, "{kind:?}: {c:?}");
        }
    }
    Ok(())
}

/// A valid 身份证号 (GB 11643-1999 check character) of someone born on `born` in 迎泽区.
fn id_number(born: NaiveDate, seq: u32) -> String {
    let first17 = format!("140106{}{:03}", born.format("%Y%m%d"), seq % 1000);
    let check = id_check_char(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

/// ASCII digits as full-width ones (０-９), as some input methods type them.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Cells a register may hold in any column: the usual ones, 身份证号-like and 手机号-like
/// numbers (right and wrong lengths, full-width, Excel's scientific display), quotes, commas
/// and line breaks inside a cell.
fn messy_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => cell(),
        2 => "1[3-9][0-9]{9}",
        1 => "1[0-9]{8,12}",
        2 => "[0-9]{17}[0-9Xx]",
        1 => "[0-9]{15,19}",
        1 => "[0-9]{11}".prop_map(|s| full_width(&s)),
        1 => "[0-9]{17}[Xx]".prop_map(|s| full_width(&s)),
        1 => Just("1.40106E+17".to_string()),
        1 => Just("#VALUE!".to_string()),
        1 => "[\"',\r\n;\t 　]{0,4}",
        1 => "[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?",
        1 => "-?[0-9]{1,7}",
    ]
}

/// A CSV cell as a spreadsheet writes it: bare, or quoted with its quotes doubled.
fn csv_cell(s: &str, quoted: bool) -> String {
    if quoted {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV-ish text: a title line or not, a header of `kind` (standard headers and synonyms,
/// shuffled, some unknown), then rows of messy cells (ragged, quoted or not) with any line
/// ending, and maybe a footer.
fn register_text() -> impl Strategy<Value = (RegisterKind, String)> {
    (
        prop::sample::select(KINDS.to_vec()),
        any::<prop::sample::Index>(),
        prop::collection::vec(any::<prop::sample::Index>(), 2..12),
        prop::collection::vec(
            prop::collection::vec((messy_cell(), any::<bool>()), 0..13),
            0..8,
        ),
        prop::sample::select(vec!["\r\n", "\n", "\r"]),
        prop::sample::select(vec![",", "\t", ";"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(kind, shuffle, picks, rows, eol, sep, title, footer)| {
            let specs = specs(kind);
            let mut heads: Vec<String> = picks
                .iter()
                .map(|i| {
                    let spec = &specs[i.index(specs.len())];
                    spec.headers[shuffle.index(spec.headers.len())].to_string()
                })
                .collect();
            heads.dedup();
            if heads.len() > 2 {
                let k = shuffle.index(heads.len());
                heads.swap(0, k);
            }
            let mut text = String::new();
            if title {
                text.push_str(&format!("{}台账（2025年）{eol}", kind.title()));
            }
            text.push_str(&heads.join(sep));
            for row in rows {
                text.push_str(eol);
                let cells: Vec<String> = row.iter().map(|(c, q)| csv_cell(c, *q)).collect();
                text.push_str(&cells.join(sep));
            }
            if footer {
                text.push_str(&format!(
                    "{eol}填表人：刘超{sep}{sep}填表日期：2025-07-31{eol}"
                ));
            }
            (kind, text)
        })
}

proptest! {
    #![proptest_config(proptest_config(256))]

    #[test]
    fn any_bytes_as_any_register_are_counts_or_a_refusal(
        bytes in proptest::collection::vec(any::<u8>(), 0..600)
    ) {
        check_every_kind("register.csv", &bytes)?;
    }

    #[test]
    fn any_bytes_behind_workbook_magic_are_counts_or_a_refusal(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        ole in any::<bool>(),
    ) {
        let (name, magic): (&str, &[u8]) = if ole {
            ("register.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        } else {
            ("register.xlsx", b"PK\x03\x04")
        };
        let mut all = magic.to_vec();
        all.extend(bytes);
        check_every_kind(name, &all)?;
    }

    #[test]
    fn any_csv_like_register_is_counts_or_a_refusal((kind, text) in register_text()) {
        // As written, with a BOM, and in GB18030 (as Excel on a Chinese Windows saves it).
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        let gbk: Vec<u8> = text.chars().flat_map(gbk_bytes).collect();
        for bytes in [text.as_bytes(), &bom, &gbk] {
            if let Ok(c) = check_register(kind, "register.csv", bytes, today()) {
                prop_assert!(c.rejected <= c.rows, "{kind:?}: {c:?}");
            }
        }
    }

    #[test]
    fn workers_written_from_the_template_always_validate(
        rows in prop::collection::vec(
            (
                prop::sample::select(vec!["郭志伟", "李浩", "王芳", "欧阳娜娜", "阿卜杜·热合曼"]),
                (0i64..20000, 0u32..1000),
                "1[3-9][0-9]{9}",
                prop::sample::select(vec!["中共党员", "党员", "预备党员", "共青团员", "团员", "群众", ""]),
                prop::sample::select(vec!["快递员", "外卖员", "外卖骑手", "网约车司机", "货车司机"]),
                (any::<bool>(), any::<bool>(), any::<bool>()),
            ),
            1..12,
        ),
        eol in prop::sample::select(vec!["\r\n", "\n"]),
    ) {
        let mut text = String::from("姓名,性别,手机号,身份证号,政治面貌,从业类型,所属街道");
        for (name, (days, seq), phone, status, job, (wide, lower, quoted)) in &rows {
            let born = NaiveDate::from_ymd_opt(1960, 1, 1).expect("valid date") + Duration::days(*days);
            let id = id_number(born, *seq);
            let gender = if id.as_bytes()[16] % 2 == 1 { "男" } else { "女" };
            let id = if *lower { id.to_lowercase() } else { id };
            let phone = if *wide { full_width(phone) } else { phone.clone() };
            let phone = if *quoted { format!("\" {phone}\u{3000}\"") } else { phone };
            text.push_str(&format!("{eol}{name},{gender},{phone},{id},{status},{job},柳巷街道"));
        }
        let c = check_register(RegisterKind::Workers, "workers.csv", text.as_bytes(), today());
        prop_assert_eq!(
            c.map_err(|e| format!("{e:#}")),
            Ok(Checked { rows: rows.len() as u64, rejected: 0 }),
            "{}", text
        );
    }

    #[test]
    fn checkins_and_points_written_from_the_template_always_validate(
        rows in prop::collection::vec(
            ("1[3-9][0-9]{9}", 0i64..3000, 1i64..200, any::<bool>(), 0usize..4),
            1..12,
        ),
    ) {
        let mut checkins = String::from("手机号,报到日期,报到街道,报到社区,事项");
        let mut points = String::from("手机号,日期,类别,积分,说明");
        for (phone, back, n, redeem, style) in &rows {
            let date = today() - Duration::days(*back);
            let shown = match style {
                0 => date.format("%Y-%m-%d").to_string(),
                1 => date.format("%Y/%m/%d").to_string(),
                2 => date.format("%Y年%m月%d日").to_string(),
                _ => date.format("%Y.%m.%d").to_string(),
            };
            checkins.push_str(&format!("\n{phone},{shown},柳巷街道,柳巷社区居委会,日常报到"));
            let (category, points_cell) = if *redeem { ("积分兑换", format!("-{n}")) } else { ("志愿服务", n.to_string()) };
            points.push_str(&format!("\n{phone},{shown},{category},{points_cell},第{n}次"));
        }
        let expected = Ok(Checked { rows: rows.len() as u64, rejected: 0 });
        let c = check_register(RegisterKind::Checkins, "checkins.csv", checkins.as_bytes(), today());
        prop_assert_eq!(c.map_err(|e| format!("{e:#}")), expected.clone(), "{}", checkins);
        let p = check_register(RegisterKind::Points, "points.csv", points.as_bytes(), today());
        prop_assert_eq!(p.map_err(|e| format!("{e:#}")), expected, "{}", points);
    }
}

/// `c` in GB18030 as far as the test needs it: ASCII as is; other characters as two bytes
/// in the GBK lead/trail ranges (not always the right character — the reader must cope
/// with any such text).
fn gbk_bytes(c: char) -> Vec<u8> {
    if c.is_ascii() {
        vec![c as u8]
    } else {
        let n = c as u32;
        vec![0x81 + (n % 0x7E) as u8, 0x40 + ((n / 0x7E) % 0xBE) as u8]
    }
}

/// Found by the fuzz target: .xls files whose sector chain loops back on itself made calamine
/// allocate without end (1 and 2 GiB and more) while opening them, and one whose last sector
/// is cut short made it panic (`slice index starts at 4096 but ends at 3903`). Each is
/// refused as a damaged workbook instead, for every register kind.
#[test]
fn damaged_xls_from_the_fuzzer_is_refused_not_read_forever() {
    for name in [
        "fuzz-chain-loop.xls",
        "fuzz-chain-loop-2.xls",
        "fuzz-sector-cut.xls",
    ] {
        let path = format!(
            "{}/tests/fixtures/workbooks/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).expect("the fixture");
        for kind in KINDS {
            let e = check_register(kind, "register.xls", &bytes, today())
                .expect_err("a damaged workbook");
            let e = format!("{e:#}");
            assert!(
                e.contains("cannot be read as an xls workbook (it is damaged)"),
                "{name}: {e}"
            );
        }
    }
}

proptest! {
    #![proptest_config(proptest_config(256))]

    /// A real .xls with a few of its words overwritten — sector numbers, lengths, records —
    /// as a damaged download or disk would: counts or a refusal, never a panic or a hang.
    #[test]
    fn damaged_xls_is_counts_or_a_refusal(
        damage in prop::collection::vec(
            (any::<prop::sample::Index>(), prop_oneof![
                any::<u32>(),
                Just(0xFFFF_FFFE),
                Just(0xFFFF_FFFF),
                0u32..64,
            ]),
            1..5,
        )
    ) {
        let mut bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/workbooks/workers.xls"
        ))
        .expect("the fixture");
        for (at, word) in damage {
            let at = at.index(bytes.len() / 4) * 4;
            bytes[at..at + 4].copy_from_slice(&word.to_le_bytes());
        }
        if let Ok(c) = check_register(RegisterKind::Workers, "workers.xls", &bytes, today()) {
            prop_assert!(c.rejected <= c.rows, "{c:?}");
        }
    }
}
