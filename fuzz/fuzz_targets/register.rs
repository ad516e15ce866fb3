//! Fuzz target `register`: any bytes, read as a register of every kind — CSV text in any
//! encoding, or a workbook when they start with the zip (`PK\x03\x04`) or OLE magic — through
//! header mapping, normalization and validation (`nuanfeng::internals::import::check_register`, the half
//! of `import` that needs no database). A refusal is an answer; a panic is a bug.
//!
//! Run with `cargo +nightly fuzz run register` (see README, "模糊测试与性质测试"). On stable,
//! `cargo build --manifest-path fuzz/Cargo.toml` builds it too, without coverage
//! instrumentation; the binary then runs the files given as arguments once each.

#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use nuanfeng::internals::import::check_register;
use nuanfeng::internals::model::RegisterKind;

/// Every register kind `import` takes.
const KINDS: [RegisterKind; 11] = [
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
];

fuzz_target!(
    init: {
        // calamine panics on some damaged workbooks; nuanfeng catches those and refuses the
        // file, so they are not crashes. Any other panic still aborts, for libFuzzer to see.
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !nuanfeng::internals::import::reading_workbook() {
                fuzzer_hook(info);
            }
        }));
    },
    |bytes: &[u8]| {
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date");
    let name = if bytes.starts_with(b"PK\x03\x04") {
        "register.xlsx"
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "register.xls"
    } else {
        "register.csv"
    };
    for kind in KINDS {
        if let Ok(checked) = check_register(kind, name, bytes, today) {
            assert!(checked.rejected <= checked.rows);
        }
    }
    }
);
