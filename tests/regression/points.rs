//! Points typed at the terminal: the redemption category, amounts beyond the limit, a balance
//! with no entries, numbers that are not mobile numbers.

use crate::util::District;

#[test]
fn points_earn_does_not_take_the_redemption_category() {
    let d = District::new().without_init().checkins().points().build();
    let before = d.int("SELECT count(*) FROM point_entries");
    for category in ["积分兑换", "兑换"] {
        let o = d
            .nf(&[
                "points",
                "earn",
                "15135296642",
                "5",
                "--category",
                category,
                "--date",
                "2025-07-20",
            ])
            .code(2);
        assert_eq!(
            o.stderr,
            "错误：points earn 只用来加分；兑换积分用 `points redeem WORKER POINTS --reason …`\n",
            "{category}"
        );
        assert_eq!(o.stdout, "");
    }
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
    assert_eq!(
        d.nf(&["points", "balance", "15135296642", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        0
    );
}

#[test]
fn points_beyond_the_limit_are_not_taken() {
    let d = District::new().without_init().checkins().points().build();
    for amount in ["2147483648", "9223372036854775807", "99999999999999999999"] {
        d.nf(&[
            "points",
            "earn",
            "15135296642",
            amount,
            "--date",
            "2025-07-20",
        ])
        .code(1)
        .stderr_has(&["数太大（最多 999999999）"]);
    }
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n15135296642,2025-07-20,志愿服务,9223372036854775807,助老送餐\n15135296642,2025-07-20,志愿服务,2147483648,助老送餐\n",
    );
    let o = d.nf(&["import", "points", "points.csv"]).code(1);
    o.stderr_has(&[
        "points.csv:第2行: 积分(D): ",
        "points.csv:第3行: 积分(D): ",
        "错误：points.csv: 共 2 行，其中 2 行有问题",
    ]);
    assert_eq!(
        o.stderr.matches(": 数太大（最多 999999999）\n").count(),
        2,
        "{}",
        o.stderr
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 8);
}

#[test]
fn most_negative_points_in_a_register_do_not_panic() {
    let d = District::new().without_init().checkins().points().build();
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n15135296642,2025-07-20,积分兑换,-9223372036854775808,兑换\n",
    );
    let o = d.nf(&["import", "points", "points.csv"]).code(1);
    o.stderr_has(&["points.csv:第2行: 积分(D): ", "数太大（最多 999999999）"]);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

#[test]
fn points_balance_of_a_worker_without_entries_is_not_silent() {
    let d = District::new().without_init().checkins().points().build();
    let o = d.nf(&["points", "balance", "15135296642"]).ok();
    assert_eq!(o.stderr, "杨丽 还没有积分记录（余额 0 分）\n");
    let o = d
        .nf(&[
            "points",
            "balance",
            "140106199006037169",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(o.json_array().len(), 0);
    o.stderr_has(&["杨丽 还没有积分记录"]);
}

#[test]
fn an_11_digit_non_mobile_number_is_not_taken_for_an_id_number() {
    let d = District::new().without_init().checkins().points().build();
    let o = d.nf(&["points", "balance", "23800138000"]).code(1);
    o.stderr_has(&["238****8000", "不是手机号"]);
    assert!(!o.stderr.contains("not 18"), "{}", o.stderr);
    assert!(!o.stderr.contains("身份证号"), "{}", o.stderr);
    o.hides(&["23800138000"]);
    // What checkin add and points earn already say.
    d.nf(&["points", "earn", "23800138000", "5"])
        .code(1)
        .stderr_has(&["错误：WORKER: 238****8000: 不是手机号（11 位，13–19 开头）— 核对号码\n"]);
}
