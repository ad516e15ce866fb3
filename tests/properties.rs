//! Properties of normalization, validation and reading that must hold for any input: every
//! normalizer is idempotent, and any cell, row or byte string gives a value or an error —
//! never a panic.

use chrono::NaiveDate;
use nuanfeng::import::header::{HeaderMap, RegisterKind};
use nuanfeng::import::normalize;
use nuanfeng::import::read::{CsvRows, EncodingChoice, RawRow, SharedHash};
use nuanfeng::import::validate::{self, Cells};
use nuanfeng::model::{IdNumber, Phone, mask_numbers};
use proptest::prelude::*;

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
    #![proptest_config(ProptestConfig::with_cases(1000))]

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
        let check = nuanfeng::model::id_check_char(first17.as_bytes()) as char;
        let id = format!("{first17}{check}");
        let spaced = format!(" {}\u{3000}", id.to_lowercase());
        let parsed = IdNumber::parse(&normalize::folded(&spaced).replace(' ', ""));
        prop_assert_eq!(parsed.map(|i| i.as_str().to_string()), Ok(id));
    }

    #[test]
    fn any_row_of_any_register_is_a_record_or_row_errors(cells in proptest::collection::vec(cell(), 0..14)) {
        let headers: [(RegisterKind, &[&str]); 10] = [
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
                RegisterKind::Instructors => { let r = validate::instructor(&mut c); c.finish(r).map(|r| r.is_some()) }
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
