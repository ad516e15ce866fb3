//! A large check-in register for the crash and concurrency tests: [`CHECKINS`] synthetic
//! check-ins over 2025 for the workers of the district fixture (`util::district()`).

use std::fmt::Write as _;

use crate::util::Dir;

/// Check-ins in the generated register.
pub const CHECKINS: i64 = 20_000;

/// The generated register's file name in a test folder.
pub const FILE: &str = "checkins-2025.csv";

/// 事项 of the generated rows; none is 党员报到, which the tests type with `checkin add`.
const PURPOSES: [&str; 7] = [
    "日常报到",
    "驿站休息",
    "参加志愿服务",
    "参加培训",
    "领取慰问品",
    "参加学习",
    "走访慰问",
];

/// Writes [`FILE`] into `d`: every day of 2025 from 1 January, for each worker of
/// `district/workers.csv` at the worker's own street and community, one row per 事项, until
/// [`CHECKINS`] rows; every row a distinct check-in.
pub fn write_register(d: &Dir) {
    let workers = String::from_utf8(crate::util::fixture_bytes("district/workers.csv"))
        .expect("UTF-8 fixture");
    // 手机号, 所属街道, 所属社区.
    let workers: Vec<(String, String, String)> = workers
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].to_string(), f[8].to_string(), f[9].to_string())
        })
        .collect();
    assert_eq!(workers.len(), 8);
    let mut csv = String::from("手机号,报到日期,报到街道,报到社区,事项\n");
    let mut n = 0;
    let mut day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date");
    'days: loop {
        for (phone, street, community) in &workers {
            for purpose in PURPOSES {
                writeln!(csv, "{phone},{day},{street},{community},{purpose}").expect("write");
                n += 1;
                if n == CHECKINS {
                    break 'days;
                }
            }
        }
        day = day.succ_opt().expect("a next day");
        assert_eq!(
            chrono::Datelike::year(&day),
            2025,
            "the register fits in 2025"
        );
    }
    d.write(FILE, csv);
}
