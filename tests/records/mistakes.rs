//! The most common mistakes at the terminal, in both languages: an unknown worker (by 手机号
//! and by 身份证号), an unknown station with the nearest name, a bad date on `checkin add`,
//! and leaving twice. The Chinese text must hold no English sentence; `--lang en` gives the
//! English text.

use super::YANG_LI;
use crate::util::{Dir, Output, district, english_run};

fn zh(d: &Dir, args: &[&str], code: i32) -> Output {
    let o = d.nf(args).code(code);
    assert!(
        english_run(&o.stderr).is_none(),
        "an English sentence in the Chinese text of `{}`: {}",
        o.command,
        o.stderr
    );
    o
}

fn en(d: &Dir, args: &[&str], code: i32) -> Output {
    let mut all = vec!["--lang", "en"];
    all.extend_from_slice(args);
    d.nf(&all).code(code)
}

#[test]
fn an_unknown_worker_by_phone_is_named_masked_with_how_to_find_one() {
    let d = district();
    let o = zh(&d, &["worker", "show", "13900000000"], 1);
    assert_eq!(
        o.stderr,
        "错误：没有手机号为 139****0000 的从业人员 — 先用 nuanfeng worker list 查找，或用 worker add 登记\n"
    );
    let o = en(&d, &["worker", "show", "13900000000"], 1);
    assert_eq!(
        o.stderr,
        "error: no worker has the number 139****0000 — check it with `nuanfeng worker list`\n"
    );
}

#[test]
fn an_unknown_worker_by_id_number_is_named_masked_with_how_to_find_one() {
    let d = district();
    let o = zh(&d, &["worker", "leave", "140106199001011234"], 1);
    assert_eq!(
        o.stderr,
        "错误：没有身份证号为 140106********1234 的从业人员 — 先用 nuanfeng worker list 查找，或用 worker add 登记\n"
    );
    let o = en(&d, &["worker", "leave", "140106199001011234"], 1);
    assert_eq!(
        o.stderr,
        "error: no worker has the number 140106********1234 — check it with `nuanfeng worker list`\n"
    );
}

#[test]
fn an_unknown_worker_on_checkin_add_names_the_number_and_the_fix() {
    let d = district();
    let o = zh(
        &d,
        &["checkin", "add", "13900000000", "--date", "2025-07-16"],
        1,
    );
    assert_eq!(
        o.stderr,
        "错误：WORKER: 139****0000: 没有这个手机号的从业人员 — 先用 nuanfeng worker list 查找，或先导入、用 worker add 登记该从业人员\n"
    );
    let o = en(
        &d,
        &["checkin", "add", "13900000000", "--date", "2025-07-16"],
        1,
    );
    assert_eq!(
        o.stderr,
        "error: WORKER: 139****0000: no worker has this 手机号 — import the worker first, or correct the number\n"
    );
}

#[test]
fn an_unknown_station_suggests_the_nearest_name() {
    let d = district();
    let o = zh(&d, &["station", "show", "美团柳港站"], 1);
    assert_eq!(
        o.stderr,
        "错误：站点 美团柳港站：不在站点台账中 — 是不是“美团柳巷站”？\n"
    );
    let o = en(&d, &["station", "show", "美团柳港站"], 1);
    assert_eq!(
        o.stderr,
        "error: station 美团柳港站: not in the stations register — did you mean 美团柳巷站?\n"
    );
}

#[test]
fn an_unknown_street_suggests_the_nearest_name() {
    let d = district();
    let o = zh(&d, &["worker", "list", "--street", "柳港街道"], 2);
    assert!(
        o.stderr
            .contains("--street 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？"),
        "{}",
        o.stderr
    );
    let o = en(&d, &["worker", "list", "--street", "柳港街道"], 2);
    assert!(
        o.stderr
            .contains("--street 柳港街道: not a known street — did you mean 柳巷街道?"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_bad_date_on_checkin_add_names_the_flag_and_the_value() {
    let d = district();
    let o = zh(&d, &["checkin", "add", YANG_LI, "--date", "2025-13-01"], 1);
    assert!(
        o.stderr.starts_with("错误：--date: 2025-13-01: "),
        "{}",
        o.stderr
    );
    let o = en(&d, &["checkin", "add", YANG_LI, "--date", "2025-13-01"], 1);
    assert_eq!(
        o.stderr,
        "error: --date: 2025-13-01: is not a real calendar date\n"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM checkins WHERE date = '2025-13-01'"),
        0
    );
}

#[test]
fn leaving_twice_is_recorded_once_and_a_new_day_corrects_it() {
    let d = district();
    let o = zh(&d, &["worker", "leave", YANG_LI, "--date", "2025-08-31"], 0);
    assert_eq!(
        o.stderr,
        "杨丽 于 2025-08-31 离职：这一天之后不再计入统计\n"
    );
    let o = zh(&d, &["worker", "leave", YANG_LI, "--date", "2025-08-31"], 0);
    assert_eq!(o.stderr, "杨丽 于 2025-08-31 离职：已经登记过了\n");
    let o = en(&d, &["worker", "leave", YANG_LI, "--date", "2025-08-31"], 0);
    assert_eq!(o.stderr, "杨丽 left on 2025-08-31: recorded already\n");
    let o = zh(&d, &["worker", "leave", YANG_LI, "--date", "2025-08-15"], 0);
    assert_eq!(
        o.stderr,
        "杨丽：离职日期由 2025-08-31 更正为 2025-08-15；这一天之后不再计入统计\n"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE left_on = '2025-08-15'"),
        1
    );
}
