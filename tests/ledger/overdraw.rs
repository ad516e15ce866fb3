//! A balance may not go below zero: a redemption or deduction beyond it is refused, also when
//! backdated under a dip later in a day, unless allowed with `--allow-negative` and a reason.

use super::{GUO_ZHIWEI, WANG_YU, YANG_LI, assert_balances_are_sums};
use crate::util::{Dir, District, district};

/// A redemption beyond the balance is refused, also one dated before the earning it would
/// need, and so is leave to overdraw without a reason; with a reason the overdraw is recorded
/// as an exception, and while in debt nothing more is taken off without leave. Bad amounts
/// are refused, redeeming all that is left is no overdraw, and the ledger stays append-only.
#[test]
fn an_overdraw_is_refused_unless_allowed_with_a_reason() {
    let d = District::new().points().build();
    let before = d.int("SELECT count(*) FROM point_entries");
    // 郭志伟: +10 on 07-02, -5 on 07-18: balance 5.
    let o = d
        .by_operator(&["points", "redeem", GUO_ZHIWEI, "6", "--date", "2025-07-30"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：136****7804 可用 5 分，本次兑换 6 分 — 先查 nuanfeng points balance 136****7804\n"
    );
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            GUO_ZHIWEI,
            "8",
            "--reason",
            "头盔",
            "--date",
            "2025-07-20",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：136****7804 可用 5 分，本次兑换 8 分 — 先查 nuanfeng points balance 136****7804\n"
    );
    // A redemption dated before the earning it would need is refused too.
    d.by_operator(&["points", "redeem", GUO_ZHIWEI, "3", "--date", "2025-07-01"])
        .code(1)
        .stderr_has(&["积分不足：136****7804 可用 0 分，本次兑换 3 分"]);
    for reason in [None, Some("  ")] {
        let mut args = vec![
            "points",
            "redeem",
            GUO_ZHIWEI,
            "8",
            "--allow-negative",
            "--date",
            "2025-07-20",
        ];
        if let Some(r) = reason {
            args.extend(["--reason", r]);
        }
        let o = d.by_operator(&args).code(2);
        assert_eq!(
            o.stderr,
            "错误：--allow-negative 必须同时写 --reason：破例透支要记下原因\n"
        );
    }
    // Bad amounts.
    d.by_operator(&["points", "earn", GUO_ZHIWEI, "0", "--date", "2025-07-30"])
        .code(1)
        .stderr_has(&["POINTS: 0: 积分是 0 — 这一行不用填"]);
    d.by_operator(&["points", "earn", GUO_ZHIWEI, "1.5", "--date", "2025-07-30"])
        .code(1)
        .stderr_has(&["POINTS: 1.5: 不是整数"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
    assert_eq!(before, 8);

    d.by_operator(&[
        "points",
        "redeem",
        GUO_ZHIWEI,
        "8",
        "--allow-negative",
        "--reason",
        "困难帮扶",
        "--date",
        "2025-07-20",
    ])
    .ok()
    .stderr_has(&["郭志伟：-8 分，日期 2025-07-20（积分兑换），记录编号 9；余额 -3 分"]);
    assert_eq!(
        d.rows(
            "SELECT points, kind, category, reason, allow_negative, operator FROM point_entries WHERE id = 9"
        ),
        vec![vec![
            Some("-8".into()),
            Some("redeem".into()),
            Some("redemption".into()),
            Some("困难帮扶".into()),
            Some("1".into()),
            Some("wangli".into())
        ]]
    );
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 9 条记录，没有发现问题"]);

    // Earning back part of the debt breaks nothing (the balance is still below zero, but no
    // entry took points off without leave).
    d.by_operator(&[
        "points",
        "earn",
        GUO_ZHIWEI,
        "2",
        "--reason",
        "反诈宣传",
        "--date",
        "2025-07-21",
    ])
    .ok()
    .stderr_has(&["记录编号 10；余额 -1 分"]);
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误：已核对 10 条记录，没有发现问题"]);
    // While in debt, nothing more is taken off without leave.
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            GUO_ZHIWEI,
            "1",
            "--reason",
            "矿泉水",
            "--date",
            "2025-07-22",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：136****7804 可用 -1 分，本次兑换 1 分 — 先查 nuanfeng points balance 136****7804\n"
    );
    let o = d
        .by_operator(&[
            "points",
            "adjust",
            GUO_ZHIWEI,
            "-1",
            "--reason",
            "核对台账",
            "--date",
            "2025-07-22",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：可用 -1 分，本次扣减 1 分 — 余额不能低于零；确需透支，加 --allow-negative 并用 --reason 写明原因\n"
    );

    let s = d.by_operator(&["points", "statement", GUO_ZHIWEI]).ok();
    s.stdout_has(&["困难帮扶（允许透支）"]);
    assert_balances_are_sums(&d);

    // Redeeming all that is left is no overdraw: 王宇 (+5 on 07-12; 郭志伟 is in debt by now).
    d.by_operator(&["points", "redeem", WANG_YU, "5", "--date", "2025-07-30"])
        .ok()
        .stderr_has(&["余额 0 分"]);
    let b = d
        .by_operator(&["points", "balance", WANG_YU, "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        (b[0]["balance"].as_i64(), b[0]["redeemed"].as_i64()),
        (Some(0), Some(5))
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), 11);
    // The ledger is append-only.
    let err = d
        .conn()
        .execute("DELETE FROM point_entries", [])
        .unwrap_err()
        .to_string();
    assert!(err.contains("append-only"), "{err}");
}

/// 王宇 (+5 on 07-12 already): +5 on 03-01; on 03-10 −5 (running balance 0), then +10. An
/// entry dated 03-05 taking 3 off would leave the 03-10 redemption at −3, though that day ends
/// at +7.
fn dip_later_in_a_day(d: &Dir) {
    for (args, note) in [
        (["earn", WANG_YU, "5", "--date", "2025-03-01"], "余额 10 分"),
        (
            ["redeem", WANG_YU, "5", "--date", "2025-03-10"],
            "余额 5 分",
        ),
        (
            ["earn", WANG_YU, "10", "--date", "2025-03-10"],
            "余额 15 分",
        ),
    ] {
        let mut a = vec!["points"];
        a.extend(args);
        a.extend(["--reason", "台账"]);
        d.by_operator(&a).ok().stderr_has(&[note]);
    }
}

#[test]
fn a_backdated_correction_may_not_dig_under_a_dip_later_in_a_day() {
    let d = District::new().points().build();
    dip_later_in_a_day(&d);
    let before = d.int("SELECT count(*) FROM point_entries");
    let o = d
        .by_operator(&[
            "points",
            "adjust",
            WANG_YU,
            "-3",
            "--reason",
            "核对台账",
            "--date",
            "2025-03-05",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：可用 0 分，本次扣减 3 分（2025-03-05 的余额是 5 分，但 2025-03-10 的一笔后续记录之后只剩 0 分） — 余额不能低于零；确需透支，加 --allow-negative 并用 --reason 写明原因\n"
    );
    let first = d
        .int("SELECT p.id FROM point_entries p JOIN workers w ON w.id = p.worker_id WHERE w.name = '王宇' AND p.date = '2025-03-01'")
        .to_string();
    d.by_operator(&[
        "points",
        "reverse",
        &first,
        "--reason",
        "录错",
        "--date",
        "2025-03-05",
    ])
    .code(1)
    .stderr_has(&["积分不足：可用 0 分，本次扣减 5 分"]);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
    d.by_operator(&["points", "check"]).ok();
}

/// The same dip, through `points redeem` (and `import points`).
#[test]
fn a_backdated_redemption_may_not_dig_under_a_dip_later_in_a_day() {
    let d = District::new().points().build();
    dip_later_in_a_day(&d);
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            WANG_YU,
            "3",
            "--reason",
            "矿泉水",
            "--date",
            "2025-03-05",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：177****0683 可用 0 分，本次兑换 3 分（2025-03-05 的余额是 5 分，但 2025-03-10 的一笔后续记录之后只剩 0 分） — 先查 nuanfeng points balance 177****0683\n"
    );
    d.by_operator(&["points", "check"]).ok();
}

#[test]
fn allow_negative_is_recorded_only_on_an_entry_that_overdraws() {
    let d = district();
    d.by_operator(&[
        "points",
        "earn",
        YANG_LI,
        "3",
        "--reason",
        "x",
        "--date",
        "2025-07-01",
    ])
    .ok();
    d.by_operator(&[
        "points",
        "redeem",
        YANG_LI,
        "3",
        "--reason",
        "礼包",
        "--date",
        "2025-07-02",
        "--allow-negative",
    ])
    .ok();
    d.by_operator(&[
        "points",
        "adjust",
        YANG_LI,
        "-2分",
        "--reason",
        "核对台账",
        "--date",
        "2025-07-03",
        "--allow-negative",
    ])
    .ok()
    .stderr_has(&["杨丽：-2 分"]);
    assert_eq!(
        d.rows("SELECT kind, points, allow_negative FROM point_entries ORDER BY id"),
        [
            vec![Some("earn".into()), Some("3".into()), Some("0".into())],
            vec![Some("redeem".into()), Some("-3".into()), Some("0".into())],
            vec![Some("adjust".into()), Some("-2".into()), Some("1".into())],
        ]
    );
    d.by_operator(&["points", "adjust", YANG_LI, "1.5", "--reason", "x"])
        .code(1)
        .stderr_has(&["POINTS: 1.5: 不是整数"]);
}

/// The most common refusal, in both languages: a redemption beyond the balance names the
/// worker (masked) and what to look at in Chinese, and reads as before in English; a
/// deduction beyond it says how to record an exception. Nothing is written.
#[test]
fn an_overdraw_is_refused_in_chinese_and_in_english() {
    let d = District::new().points().build();
    let before = d.int("SELECT count(*) FROM point_entries");
    // 郭志伟: balance 5.
    let redeem = [
        "points",
        "redeem",
        GUO_ZHIWEI,
        "50",
        "--reason",
        "头盔",
        "--date",
        "2025-07-30",
    ];
    let zh = d.by_operator(&redeem).code(1);
    assert_eq!(
        zh.stderr,
        "错误：积分不足：136****7804 可用 5 分，本次兑换 50 分 — 先查 nuanfeng points balance 136****7804\n"
    );
    assert_eq!(crate::util::english_run(&zh.stderr), None, "{}", zh.stderr);
    assert!(!zh.stderr.contains(GUO_ZHIWEI));
    // Typed as a 身份证号, the number shown is masked as one.
    let by_id = d
        .by_operator(&[
            "points",
            "redeem",
            "140106198503126010",
            "50",
            "--date",
            "2025-07-30",
        ])
        .run();
    assert!(
        !by_id.stderr.contains("140106198503126010"),
        "{}",
        by_id.stderr
    );

    let mut args = vec!["--lang", "en"];
    args.extend(redeem);
    let en = d.by_operator(&args).code(1);
    assert_eq!(
        en.stderr,
        "error: not enough points: 136****7804 has 5 available, this redemption asks for 50 — check first: nuanfeng points balance 136****7804\n"
    );

    let adjust = [
        "points",
        "adjust",
        GUO_ZHIWEI,
        "-9",
        "--reason",
        "核对台账",
        "--date",
        "2025-07-30",
    ];
    let zh = d.by_operator(&adjust).code(1);
    assert_eq!(
        zh.stderr,
        "错误：积分不足：可用 5 分，本次扣减 9 分 — 余额不能低于零；确需透支，加 --allow-negative 并用 --reason 写明原因\n"
    );
    assert_eq!(crate::util::english_run(&zh.stderr), None, "{}", zh.stderr);
    let en = d.by_operator(&adjust).env("NUANFENG_LANG", "en").code(1);
    assert_eq!(
        en.stderr,
        "error: refused: balance 5, asked 9 — a balance may not go below zero (--allow-negative with --reason records an exception)\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), before);
}

/// The same dip, met by a redemption in an imported register: refused with the same words
/// as before the ledger was judged in memory, and nothing of the file is imported.
#[test]
fn an_imported_redemption_under_a_later_dip_is_refused_naming_the_dip() {
    let d = District::new().points().build();
    dip_later_in_a_day(&d);
    let before = d.rows("SELECT * FROM point_entries ORDER BY id");
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n17735240683,2025-03-05,积分兑换,-3,兑换矿泉水\n17735240683,2025-03-02,志愿服务,1,参加反诈宣传\n",
    );
    let o = d.by_operator(&["import", "points", "points.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "points.csv: 按 UTF-8 读取\npoints.csv:第2行: 积分(D): -3: 积分不足：可用 1 分，本次兑换 3 分（2025-03-05 的余额是 6 分，但 2025-03-10 的一笔后续记录之后只剩 1 分） — 余额不能低于零\n错误：points.csv: 共 2 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.rows("SELECT * FROM point_entries ORDER BY id"), before);
    d.by_operator(&["points", "check"]).ok();
}

/// The ledger an imported register gives, whatever it is sorted by: worker, date, points,
/// kind, category, reason, occurrence, leave to overdraw of every entry, in that order.
fn ledger_of(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows(
        "SELECT w.phone, p.date, p.points, p.kind, p.category, p.reason, p.occurrence,
                p.allow_negative
         FROM point_entries p JOIN workers w ON w.id = p.worker_id
         ORDER BY w.phone, p.date, p.points, p.reason, p.occurrence",
    )
}

/// A register sorted by category lists redemptions before the earnings that cover them; it
/// gives the same ledger, and refuses the same redemption, as the same rows sorted by date.
#[test]
fn a_register_sorted_by_category_gives_the_ledger_sorted_by_date_gives() {
    let by_date = [
        "17735240683,2025-07-13,积分兑换,-5,兑换理发券",
        "17735240683,2025-07-14,志愿服务,3,参加防汛值守",
        "17735240683,2025-07-15,积分兑换,-3,兑换矿泉水",
        "13623517804,2025-07-20,志愿服务,10,参加反诈宣传",
        "13623517804,2025-07-21,积分兑换,-12,兑换雨衣",
        "13623517804,2025-07-22,积分兑换,-4,兑换理发券",
        "13623517804,2025-07-23,志愿服务,1,参加创城志愿巡查",
    ];
    let mut by_category = by_date.to_vec();
    by_category.sort_by_key(|r| std::cmp::Reverse(r.split(',').nth(2).map(str::to_string)));
    assert!(by_category[0].contains("积分兑换") && by_category[6].contains("志愿服务"));
    let mut ledgers = Vec::new();
    for rows in [by_date.to_vec(), by_category] {
        let d = District::new().points().build();
        d.write(
            "points.csv",
            format!("手机号,日期,类别,积分,说明\n{}\n", rows.join("\n")),
        );
        d.by_operator(&[
            "import",
            "points",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "points.csv",
        ])
        .ok()
        .stderr_has(&[
            "积分不足：可用 3 分，本次兑换 4 分 — 余额不能低于零",
            "共 7 行：新增 6，更新 0，未变 0，有问题 1",
        ]);
        d.by_operator(&["points", "check"]).ok();
        assert_balances_are_sums(&d);
        ledgers.push(ledger_of(&d));
    }
    assert_eq!(ledgers[0], ledgers[1]);
    assert_eq!(ledgers[0].len(), 8 + 6);
}

/// `check` judges a worker's running balance in date order and, within one day, in the order
/// the entries were made: a redemption between two earnings of the same day is no overdraw,
/// though it is the smallest amount of that day; an entry added after them by another program
/// that takes the balance below zero is found, with the balance it leaves.
#[test]
fn check_follows_the_order_of_entries_within_a_day() {
    let d = District::new().points().build();
    // 郭志伟: balance 5 from July; on 08-10 +4, −9 (to 0), +2.
    for (verb, points) in [("earn", "4"), ("redeem", "9"), ("earn", "2")] {
        let mut args = vec!["points", verb, GUO_ZHIWEI, points, "--date", "2025-08-10"];
        if verb == "earn" {
            args.extend(["--reason", "补录"]);
        }
        d.by_operator(&args).ok();
    }
    assert_eq!(
        d.rows("SELECT points FROM point_entries WHERE date = '2025-08-10' ORDER BY id"),
        vec![
            vec![Some("4".to_string())],
            vec![Some("-9".to_string())],
            vec![Some("2".to_string())]
        ]
    );
    d.by_operator(&["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误"]);
    d.by_operator(&["check"]).ok();

    // Another program adds a redemption of 3 on the same day, after the others.
    d.conn()
        .execute_batch(
            "INSERT INTO point_entries (worker_id, date, points, kind, category, event_key, operator, entered_at)
             SELECT worker_id, '2025-08-10', -3, 'redeem', 'redemption', 77, 'x', '2025-08-10 09:00:00'
             FROM point_entries WHERE date = '2025-08-10' LIMIT 1",
        )
        .unwrap();
    let o = d.by_operator(&["points", "check"]).code(1);
    assert!(
        o.stdout
            .contains("这笔记录之后 2025-08-10 的余额是 -1 分，而这笔记录并未获准透支"),
        "{}",
        o.stdout
    );
    assert_eq!(o.stdout.matches("并未获准透支").count(), 1, "{}", o.stdout);
}
