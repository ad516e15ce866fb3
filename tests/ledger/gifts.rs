//! The gift shop for points (积分商城): a gift redeemed is a redemption on the ledger, taken
//! from stock and recorded as an order 待领取; an order is collected once or cancelled (its
//! points back, its items back in stock); the ledger and `check` hold throughout; two
//! processes redeeming the last item never both get it; the reports count the items and the
//! orders pending per street.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::{GUO_ZHIWEI, WANG_YU, YANG_LI, assert_balances_are_sums};
use crate::util::{BIN, DB, Dir, District};

/// 李浩, 柳巷街道: +2 on 2025-07-08 in `district/points.csv`.
const LI_HAO: &str = "15903514426";

const GIFTS: &str = "礼品名称,所需积分,库存数量,捐赠方\n\
                     绿豆礼包,15,3,晋阳大药房\n\
                     头盔,60,1,迎泽区交通安全协会\n\
                     洗衣液,30,10,柳巷爱心超市\n";

/// The district with its points, the shop of [`GIFTS`], and 100 points more for 杨丽 and
/// 王宇 (on 2025-08-01).
fn shop() -> Dir {
    let d = District::new().points().build();
    d.write("礼品.csv", GIFTS);
    d.nf(&["import", "gifts", "礼品.csv"]).ok();
    for who in [YANG_LI, WANG_YU] {
        d.by_operator(&[
            "points",
            "earn",
            who,
            "100",
            "--date",
            "2025-08-01",
            "--reason",
            "年中表彰",
        ])
        .ok();
    }
    d
}

fn stock(d: &Dir, gift: &str) -> i64 {
    d.int(&format!("SELECT stock FROM gifts WHERE name = '{gift}'"))
}

fn balance(d: &Dir, phone: &str) -> i64 {
    d.int(&format!(
        "SELECT coalesce(sum(p.points), 0) FROM point_entries p JOIN workers w ON w.id = p.worker_id
         WHERE w.phone = '{phone}'"
    ))
}

fn holds(d: &Dir) {
    d.nf(&["points", "check"]).ok();
    d.nf(&["check"]).ok();
    assert_balances_are_sums(d);
}

#[test]
fn a_gift_redeemed_is_paid_from_the_ledger_taken_from_stock_and_collected_once() {
    let d = shop();
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            YANG_LI,
            "--gift",
            "绿豆礼包",
            "--quantity",
            "2",
            "--date",
            "2025-08-03",
        ])
        .ok();
    let entry = d.int("SELECT max(id) FROM point_entries");
    assert_eq!(
        o.stderr,
        format!(
            "订单 1：杨丽 兑换 绿豆礼包 ×2，扣 30 分（记录 {entry}），待领取；余额 70，库存还剩 1\n"
        )
    );
    assert_eq!(stock(&d, "绿豆礼包"), 1);
    assert_eq!(balance(&d, YANG_LI), 70);
    assert_eq!(
        d.rows("SELECT kind, category, points, reason FROM point_entries WHERE id = (SELECT entry_id FROM gift_orders WHERE id = 1)"),
        vec![crate::util::some(&["redeem", "redemption", "-30", "绿豆礼包 ×2"])]
    );
    // Points and a gift at once are refused, and so is neither.
    d.by_operator(&["points", "redeem", YANG_LI, "15", "--gift", "绿豆礼包"])
        .code(2)
        .stderr_has(&["积分和 --gift 不能同时给出"]);
    // An unknown gift is named with the nearest one.
    let o = d
        .by_operator(&["points", "redeem", YANG_LI, "--gift", "绿豆包"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分商城里没有礼品“绿豆包” — 是不是“绿豆礼包”？\n"
    );
    // More than the stock left: refused, naming what is left; nothing lands.
    let entries = d.int("SELECT count(*) FROM point_entries");
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            WANG_YU,
            "--gift",
            "绿豆礼包",
            "--quantity",
            "2",
            "--date",
            "2025-08-03",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：礼品“绿豆礼包”库存只剩 1 件，不够兑换 2 件 — 到货后用 gift update --add-stock 补充库存\n"
    );
    // Beyond the balance: the ledger's own refusal; the stock stays.
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            GUO_ZHIWEI,
            "--gift",
            "头盔",
            "--date",
            "2025-08-03",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：积分不足：136****7804 可用 5 分，本次兑换 60 分 — 先查 nuanfeng points balance 136****7804\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), entries);
    assert_eq!(d.int("SELECT count(*) FROM gift_orders"), 1);
    assert_eq!(stock(&d, "头盔"), 1);
    // With leave to overdraw (and a reason) the redemption is an exception, recorded.
    d.by_operator(&[
        "points",
        "redeem",
        GUO_ZHIWEI,
        "--gift",
        "头盔",
        "--date",
        "2025-08-03",
        "--allow-negative",
        "--reason",
        "困难帮扶",
    ])
    .ok();
    assert_eq!(balance(&d, GUO_ZHIWEI), -55);
    assert_eq!(stock(&d, "头盔"), 0);
    d.by_operator(&[
        "points",
        "redeem",
        WANG_YU,
        "--gift",
        "头盔",
        "--date",
        "2025-08-04",
    ])
    .code(1)
    .stderr_has(&["礼品“头盔”库存只剩 0 件，不够兑换 1 件"]);

    // Collected once.
    d.by_operator(&["points", "pickup", "1", "--date", "2025-08-05"])
        .ok()
        .stderr_has(&["订单 1：杨丽 已于 2025-08-05 领取 绿豆礼包 ×2"]);
    let o = d.by_operator(&["points", "pickup", "1"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：订单 1 已于 2025-08-05 领取 — 已领取的订单不能再领取或取消\n"
    );
    d.by_operator(&["points", "cancel", "1"])
        .code(1)
        .stderr_has(&["订单 1 已于 2025-08-05 领取"]);

    // Cancelled: the points come back by a reversal, the items return to stock.
    let paid = d.int("SELECT entry_id FROM gift_orders WHERE id = 2");
    let o = d
        .by_operator(&["points", "reverse", &paid.to_string(), "--reason", "录错"])
        .code(1);
    assert_eq!(
        o.stderr,
        format!(
            "错误：记录 {paid} 是兑换订单 2 的扣分 — 用 nuanfeng points cancel 2 取消订单（积分退回，礼品回到库存）\n"
        )
    );
    d.by_operator(&["points", "cancel", "2", "--date", "2025-08-02"])
        .code(1)
        .stderr_has(&["订单 2 是 2025-08-03 下的 — 日期不能早于下单日期"]);
    d.by_operator(&[
        "points",
        "cancel",
        "2",
        "--date",
        "2025-08-06",
        "--reason",
        "本人放弃",
    ])
    .ok()
    .stderr_has(&["订单 2 已取消：郭志伟 的 头盔 ×1 回到库存，60 分已退回"]);
    assert_eq!(balance(&d, GUO_ZHIWEI), 5);
    assert_eq!(stock(&d, "头盔"), 1);
    d.by_operator(&["points", "cancel", "2"])
        .code(1)
        .stderr_has(&["订单 2 已于 2025-08-06 取消"]);
    d.by_operator(&["points", "pickup", "2"])
        .code(1)
        .stderr_has(&["订单 2 已于 2025-08-06 取消"]);
    assert_eq!(
        d.rows("SELECT status, collected_on, cancelled_on FROM gift_orders ORDER BY id"),
        vec![
            crate::util::some(&["collected", "2025-08-05"])
                .into_iter()
                .chain([None])
                .collect::<Vec<_>>(),
            vec![Some("cancelled".into()), None, Some("2025-08-06".into())],
        ]
    );
    // Redemptions without a gift work as before, and make no order.
    d.by_operator(&[
        "points",
        "redeem",
        WANG_YU,
        "15",
        "--reason",
        "绿豆礼包",
        "--date",
        "2025-08-04",
    ])
    .ok();
    assert_eq!(d.int("SELECT count(*) FROM gift_orders"), 2);
    holds(&d);

    // The list: stock left and what was taken in a period (cancelled orders not).
    let list = d
        .nf(&["gift", "list", "--month", "2025-08", "--format", "json"])
        .ok();
    let taken: Vec<(String, i64, i64, i64)> = list
        .json_array()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["stock"].as_i64().unwrap(),
                g["taken"].as_i64().unwrap(),
                g["pending"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        taken,
        vec![
            ("头盔".to_string(), 1, 0, 0),
            ("洗衣液".to_string(), 10, 0, 0),
            ("绿豆礼包".to_string(), 1, 2, 0),
        ]
    );
    let july = d
        .nf(&["gift", "list", "--month", "2025-07", "--format", "json"])
        .ok();
    assert!(july.json_array().iter().all(|g| g["taken"] == 0));
    // A worker's history shows the orders with their status.
    d.nf(&["report", "worker", GUO_ZHIWEI])
        .ok()
        .stdout_has(&["订单 2：头盔 ×1，60 分 · 已取消（2025-08-06）"]);
}

#[test]
fn bad_gifts_are_refused_with_the_fix_and_nothing_lands() {
    let d = District::new().build();
    d.write(
        "礼品.csv",
        "物品名称,兑换积分,数量\n雨衣,0,5\n充电宝,60,-1\n头盔,-5,2\n",
    );
    let o = d.nf(&["import", "gifts", "礼品.csv"]).code(1);
    o.stderr_has(&[
        "所需积分须大于 0 — 写兑换一件礼品要花的积分",
        "库存不能是负数 — 写现有的件数，没有了写 0",
    ]);
    assert_eq!(d.int("SELECT count(*) FROM gifts"), 0);
    let o = d
        .nf(&["gift", "add", "雨衣", "--price", "0", "--stock", "-1"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--price: 0: 所需积分须大于 0 — 写兑换一件礼品要花的积分\n--stock: -1: 库存不能是负数 — 写现有的件数，没有了写 0\n"
    );
    d.nf(&["gift", "add", "雨衣", "--price", "40", "--stock", "5"])
        .ok();
    d.nf(&["gift", "update", "雨衣", "--price", "-3"])
        .code(2)
        .stderr_has(&["--price -3：所需积分须大于 0"]);
    d.nf(&["gift", "update", "雨衣", "--stock", "-1"])
        .code(2)
        .stderr_has(&["--stock -1：库存不能是负数"]);
    d.nf(&["gift", "update", "雨依", "--add-stock", "2"])
        .code(1)
        .stderr_has(&["积分商城里没有礼品“雨依” — 是不是“雨衣”？"]);
    d.nf(&["gift", "update", "雨衣", "--add-stock", "2"])
        .ok()
        .stderr_has(&["礼品“雨衣”：40 分，库存 7"]);
    assert_eq!(stock(&d, "雨衣"), 7);
    d.nf(&["gift", "add", "雨衣", "--price", "40", "--stock", "5"])
        .code(1)
        .stderr_has(&["礼品“雨衣”已经有了（40 分，库存 7）"]);
}

/// Two processes redeem the last 头盔 at once. The test holds the registry's write lock while
/// both start, so that both wait inside their write transaction's begin; released, one takes
/// the item, the other then finds none left.
#[test]
fn two_processes_redeeming_the_last_item_never_both_get_it() {
    let d = shop();
    let lock = d.conn();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let spawn = |who: &str| {
        Command::new(BIN)
            .current_dir(d.path())
            .env_remove("NUANFENG_DB")
            .args([
                "--db",
                DB,
                "points",
                "redeem",
                who,
                "--gift",
                "头盔",
                "--date",
                "2025-08-03",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nuanfeng")
    };
    let a = spawn(YANG_LI);
    let b = spawn(WANG_YU);
    std::thread::sleep(Duration::from_millis(700));
    lock.execute_batch("COMMIT").unwrap();
    let outs: Vec<_> = [a, b]
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    let ok: Vec<_> = outs.iter().filter(|o| o.status.success()).collect();
    let refused: Vec<_> = outs.iter().filter(|o| o.status.code() == Some(1)).collect();
    assert_eq!((ok.len(), refused.len()), (1, 1), "{outs:?}");
    assert!(String::from_utf8_lossy(&ok[0].stderr).contains("库存还剩 0"));
    assert_eq!(
        String::from_utf8_lossy(&refused[0].stderr),
        "错误：礼品“头盔”库存只剩 0 件，不够兑换 1 件 — 到货后用 gift update --add-stock 补充库存\n"
    );
    assert_eq!(stock(&d, "头盔"), 0);
    assert_eq!(d.int("SELECT count(*) FROM gift_orders"), 1);
    assert_eq!(balance(&d, YANG_LI) + balance(&d, WANG_YU), 205 - 60);
    holds(&d);
}

/// An order of the report test: worker, street, gift, items, day, and then (`pickup` or
/// `cancel`, on a day).
type Placed<'a> = (
    &'a str,
    &'a str,
    &'a str,
    i64,
    &'a str,
    Option<(&'a str, &'a str)>,
);

/// `report streets` counts the items of the orders of the period (not cancelled, even when
/// cancelled after it) and the orders pending on its last day, under the worker's street.
#[test]
fn the_reports_count_gifts_redeemed_and_orders_pending_per_street() {
    let d = shop();
    // (worker, street, gift, items, day, then)
    let orders: [Placed; 5] = [
        (
            YANG_LI,
            "迎泽街道",
            "洗衣液",
            2,
            "2025-08-03",
            Some(("pickup", "2025-08-04")),
        ),
        (YANG_LI, "迎泽街道", "绿豆礼包", 1, "2025-08-10", None),
        (
            WANG_YU,
            "文庙街道",
            "洗衣液",
            1,
            "2025-08-12",
            Some(("cancel", "2025-08-13")),
        ),
        (
            WANG_YU,
            "文庙街道",
            "绿豆礼包",
            2,
            "2025-08-30",
            Some(("pickup", "2025-09-02")),
        ),
        (
            LI_HAO,
            "柳巷街道",
            "洗衣液",
            1,
            "2025-08-31",
            Some(("cancel", "2025-09-05")),
        ),
    ];
    d.by_operator(&[
        "points",
        "earn",
        LI_HAO,
        "40",
        "--date",
        "2025-08-01",
        "--reason",
        "表彰",
    ])
    .ok();
    for (i, (who, _, gift, n, day, then)) in orders.iter().enumerate() {
        let n = n.to_string();
        d.by_operator(&[
            "points",
            "redeem",
            who,
            "--gift",
            gift,
            "--quantity",
            &n,
            "--date",
            day,
        ])
        .ok();
        if let Some((what, on)) = then {
            d.by_operator(&["points", what, &(i + 1).to_string(), "--date", on])
                .ok();
        }
    }
    holds(&d);
    let report = d
        .nf(&[
            "report", "streets", "--month", "2025-08", "--format", "json",
        ])
        .ok()
        .json();
    // Expected from the orders above: items not cancelled ever; pending on 2025-08-31.
    let mut expect: std::collections::BTreeMap<&str, (i64, i64)> = Default::default();
    for (_, street, _, n, _, then) in &orders {
        let e = expect.entry(street).or_default();
        let cancelled = matches!(then, Some(("cancel", _)));
        if !cancelled {
            e.0 += n;
        }
        let handled = matches!(then, Some((_, on)) if *on <= "2025-08-31");
        if !handled {
            e.1 += 1;
        }
    }
    for s in report["streets"].as_array().unwrap() {
        let name = s["street"].as_str().unwrap();
        let (items, pending) = expect.get(name).copied().unwrap_or_default();
        assert_eq!(s["gifts_redeemed"], items, "{name}");
        assert_eq!(s["gift_orders_pending"], pending, "{name}");
    }
    assert_eq!(expect[&"迎泽街道"], (3, 1));
    assert_eq!(expect[&"文庙街道"], (2, 1));
    assert_eq!(expect[&"柳巷街道"], (0, 1));
    assert_eq!(report["total"]["gifts_redeemed"], 5);
    assert_eq!(report["total"]["gift_orders_pending"], 3);
    // September: nothing redeemed; 杨丽's 绿豆礼包 still waits.
    let sep = d
        .nf(&[
            "report", "streets", "--month", "2025-09", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(sep["total"]["gifts_redeemed"], 0);
    assert_eq!(sep["total"]["gift_orders_pending"], 1);
    // The orders list, by status.
    let pending = d
        .nf(&["points", "orders", "--status", "待领取", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["gift"], "绿豆礼包");
    assert_eq!(pending[0]["name"], "杨丽");
}

/// One step of the shop, as an instructor would type it.
#[derive(Debug, Clone)]
enum ShopOp {
    /// `points redeem WORKER --gift GIFT --quantity N`.
    Redeem {
        worker: usize,
        gift: usize,
        quantity: i64,
    },
    /// `points pickup ORDER` of the nth order placed (if any).
    Pickup(proptest::sample::Index),
    /// `points cancel ORDER` of the nth order placed (if any).
    Cancel(proptest::sample::Index),
    /// `gift update GIFT --add-stock N`.
    AddStock { gift: usize, n: i64 },
}

fn shop_op() -> impl proptest::strategy::Strategy<Value = ShopOp> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0usize..2, 0usize..3, 1i64..=3)
            .prop_map(|(worker, gift, quantity)| ShopOp::Redeem { worker, gift, quantity }),
        2 => any::<proptest::sample::Index>().prop_map(ShopOp::Pickup),
        2 => any::<proptest::sample::Index>().prop_map(ShopOp::Cancel),
        1 => (0usize..3, 1i64..=2).prop_map(|(gift, n)| ShopOp::AddStock { gift, n }),
    ]
}

/// The registry of [`shop`], built once: each case starts from a copy.
fn shop_bytes() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| shop().read(DB))
}

proptest::proptest! {
    #![proptest_config(crate::util::proptest_config(12))]

    /// After any sequence of redemptions, pickups, cancellations and new stock, `points
    /// check` and `check` hold, every stock is what came in less what was taken and not
    /// given back, every balance is what the test expects, and each step did what the model
    /// says (a refusal only for too few items or too few points, a pickup or cancellation
    /// only of an order still pending).
    #[test]
    fn any_sequence_of_orders_keeps_stock_points_and_checks(
        steps in proptest::collection::vec(shop_op(), 1..10)
    ) {
        const NAMES: [&str; 3] = ["绿豆礼包", "头盔", "洗衣液"];
        const PRICES: [i64; 3] = [15, 60, 30];
        const WORKERS: [&str; 2] = [YANG_LI, WANG_YU];
        let d = Dir::new();
        d.write(DB, shop_bytes());
        // Private, as nuanfeng makes a registry (`check` names one others can read).
        #[cfg(unix)]
        std::fs::set_permissions(
            d.join(DB),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        let mut stock = [3i64, 1, 10];
        let stock_of = self::stock;
        let initial = stock;
        let mut added = [0i64; 3];
        let mut points = [balance(&d, YANG_LI), balance(&d, WANG_YU)];
        // (worker, gift, quantity, status): 0 pending, 1 collected, 2 cancelled.
        let mut orders: Vec<(usize, usize, i64, u8)> = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            // A day of its own for each step: a cancellation gives points back from its day
            // on, never to a redemption dated before it.
            let day = format!("2025-08-{:02}", n + 2);
            match step {
                ShopOp::Redeem { worker, gift, quantity } => {
                    let q = quantity.to_string();
                    let o = d.by_operator(&[
                        "points", "redeem", WORKERS[*worker], "--gift", NAMES[*gift],
                        "--quantity", &q, "--date", &day,
                    ]).run();
                    let cost = PRICES[*gift] * quantity;
                    if stock[*gift] < *quantity {
                        proptest::prop_assert_eq!(o.code, Some(1), "{}", o.stderr);
                        proptest::prop_assert!(o.stderr.contains("库存只剩"), "{}", o.stderr);
                    } else if points[*worker] < cost {
                        proptest::prop_assert_eq!(o.code, Some(1), "{}", o.stderr);
                        proptest::prop_assert!(o.stderr.contains("积分不足"), "{}", o.stderr);
                    } else {
                        proptest::prop_assert_eq!(o.code, Some(0), "{}", o.stderr);
                        stock[*gift] -= quantity;
                        points[*worker] -= cost;
                        orders.push((*worker, *gift, *quantity, 0));
                    }
                }
                ShopOp::Pickup(i) | ShopOp::Cancel(i) => {
                    if orders.is_empty() {
                        continue;
                    }
                    let n = i.index(orders.len());
                    let cancel = matches!(step, ShopOp::Cancel(_));
                    let id = (n + 1).to_string();
                    let verb = if cancel { "cancel" } else { "pickup" };
                    let o = d.by_operator(&["points", verb, &id, "--date", &day]).run();
                    let (worker, gift, quantity, status) = orders[n];
                    if status == 0 {
                        proptest::prop_assert_eq!(o.code, Some(0), "{}", o.stderr);
                        if cancel {
                            stock[gift] += quantity;
                            points[worker] += PRICES[gift] * quantity;
                            orders[n].3 = 2;
                        } else {
                            orders[n].3 = 1;
                        }
                    } else {
                        proptest::prop_assert_eq!(o.code, Some(1), "{}", o.stderr);
                    }
                }
                ShopOp::AddStock { gift, n } => {
                    let n_text = n.to_string();
                    d.nf(&["gift", "update", NAMES[*gift], "--add-stock", &n_text]).ok();
                    stock[*gift] += n;
                    added[*gift] += n;
                }
            }
        }
        holds(&d);
        for g in 0..3 {
            let taken: i64 = orders.iter().filter(|o| o.1 == g && o.3 != 2).map(|o| o.2).sum();
            proptest::prop_assert_eq!(stock[g], initial[g] + added[g] - taken);
            proptest::prop_assert_eq!(stock_of(&d, NAMES[g]), stock[g]);
        }
        proptest::prop_assert_eq!([balance(&d, YANG_LI), balance(&d, WANG_YU)], points);
        proptest::prop_assert_eq!(
            d.int("SELECT count(*) FROM gift_orders WHERE status = 'cancelled'"),
            orders.iter().filter(|o| o.3 == 2).count() as i64
        );
    }
}

/// `check` names an order that another program changed so that it no longer matches its
/// ledger entry.
#[test]
fn check_names_an_order_that_disagrees_with_its_entry() {
    let d = shop();
    d.by_operator(&[
        "points",
        "redeem",
        YANG_LI,
        "--gift",
        "洗衣液",
        "--date",
        "2025-08-03",
    ])
    .ok();
    let entry = d.int("SELECT entry_id FROM gift_orders WHERE id = 1");
    d.conn()
        .execute("UPDATE gift_orders SET points = 99 WHERE id = 1", [])
        .unwrap();
    let o = d.nf(&["check"]).code(1);
    o.stdout_has(&[&format!(
        "兑换订单 1：记录 {entry} 不是本人当天兑换 99 分的扣分"
    )]);
    o.stderr_has(&["积分商城"]);
}

/// The register's template has the standard headers; a gift of a street's own shop names a
/// known street; a retired gift is no longer redeemed.
#[test]
fn template_street_shop_and_retired_gifts() {
    let d = shop();
    let o = d.nf(&["template", "gifts"]).ok();
    assert_eq!(
        o.stdout.trim_start_matches('\u{feff}').trim_end(),
        "礼品名称,所需积分,库存,捐赠单位,街道"
    );
    d.nf(&["template", "gifts", "-o", "礼品.xlsx"]).ok();
    assert!(d.exists("礼品.xlsx"));
    d.write(
        "街道礼品.csv",
        "礼品名称,所需积分,库存,街道\n保温杯,30,5,柳巷\n雨衣,40,5,柳港街道\n",
    );
    d.nf(&["import", "gifts", "街道礼品.csv"])
        .code(1)
        .stderr_has(&["柳港街道"]);
    assert_eq!(d.int("SELECT count(*) FROM gifts"), 3);
    d.write(
        "街道礼品.csv",
        "礼品名称,所需积分,库存,街道\n保温杯,30,5,柳巷\n",
    );
    d.nf(&["import", "gifts", "街道礼品.csv"]).ok();
    let list = d
        .nf(&["gift", "list", "--street", "柳巷街道", "--format", "json"])
        .ok()
        .json_array();
    let shop: Vec<(String, Option<String>)> = list
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["street"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        shop,
        [
            ("保温杯".to_string(), Some("柳巷街道".to_string())),
            ("头盔".to_string(), None),
            ("洗衣液".to_string(), None),
            ("绿豆礼包".to_string(), None),
        ]
    );
    d.nf(&["gift", "update", "头盔", "--retire", "--date", "2025-08-31"])
        .ok()
        .stderr_has(&["礼品“头盔”已下架，最后一天 2025-08-31"]);
    // Its last day it is still in the shop.
    d.by_operator(&[
        "points",
        "redeem",
        WANG_YU,
        "--gift",
        "头盔",
        "--date",
        "2025-08-31",
    ])
    .ok();
    d.nf(&["gift", "update", "头盔", "--add-stock", "1"]).ok();
    let o = d
        .by_operator(&[
            "points",
            "redeem",
            YANG_LI,
            "--gift",
            "头盔",
            "--date",
            "2025-09-01",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：礼品“头盔”已于 2025-08-31 下架，不能再兑换\n"
    );
}

/// The register's 库存 is a count on the shelf, applied only when it changes: the same file
/// imported again leaves the stock as redemptions made it; next month's count replaces it,
/// with a note.
#[test]
fn the_same_register_again_leaves_the_stock_a_new_count_replaces_it() {
    let d = shop();
    d.by_operator(&[
        "points",
        "redeem",
        YANG_LI,
        "--gift",
        "洗衣液",
        "--quantity",
        "3",
        "--date",
        "2025-08-03",
    ])
    .ok();
    assert_eq!(stock(&d, "洗衣液"), 7);
    let o = d.nf(&["import", "gifts", "礼品.csv"]).ok();
    assert_eq!(
        o.stderr.lines().nth(1),
        Some("礼品.csv: 共 3 行：新增 0，更新 0，未变 3")
    );
    assert_eq!(stock(&d, "洗衣液"), 7);
    holds(&d);
    d.write("礼品.csv", GIFTS.replace("洗衣液,30,10,", "洗衣液,30,20,"));
    let o = d.nf(&["import", "gifts", "礼品.csv"]).ok();
    assert_eq!(
        o.stderr.lines().skip(1).collect::<Vec<_>>(),
        [
            "礼品.csv:第4行: 提示：礼品“洗衣液”：台账的库存是新的清点，库存由 7 改为 20；另有 1 个订单待领取，其礼品不计入库存",
            "礼品.csv: 共 3 行：新增 0，更新 1，未变 2"
        ]
    );
    assert_eq!(stock(&d, "洗衣液"), 20);
    holds(&d);
    // In English, without orders pending.
    d.by_operator(&["points", "pickup", "1", "--date", "2025-08-04"])
        .ok();
    d.write("礼品.csv", GIFTS.replace("洗衣液,30,10,", "洗衣液,30,12,"));
    let o = d.nf(&["--lang", "en", "import", "gifts", "礼品.csv"]).ok();
    o.stderr_has(&["礼品.csv:4: note: the gift 洗衣液: the register's stock is a new count, the stock goes from 20 to 12\n"]);
    // gift update --stock is a count too; --add-stock is not: the register again leaves it.
    d.nf(&["gift", "update", "洗衣液", "--stock", "9"]).ok();
    d.nf(&["import", "gifts", "礼品.csv"]).ok();
    assert_eq!(stock(&d, "洗衣液"), 12);
    d.nf(&["gift", "update", "洗衣液", "--add-stock", "3"]).ok();
    d.nf(&["import", "gifts", "礼品.csv"]).ok();
    assert_eq!(stock(&d, "洗衣液"), 15);
    // A new count that finds what the shop holds changes nothing and says nothing.
    d.write("礼品.csv", GIFTS.replace("洗衣液,30,10,", "洗衣液,30,15,"));
    let o = d.nf(&["import", "gifts", "礼品.csv"]).ok();
    assert_eq!(
        o.stderr.lines().skip(1).collect::<Vec<_>>(),
        ["礼品.csv: 共 3 行：新增 0，更新 0，未变 3"]
    );
    assert_eq!(stock(&d, "洗衣液"), 15);
    holds(&d);
}

/// A street's own gift may be redeemed by a worker of another street: allowed, and said.
#[test]
fn a_street_gift_redeemed_by_another_street_is_said() {
    let d = shop();
    d.write(
        "街道礼品.csv",
        "礼品名称,所需积分,库存,街道\n保温杯,30,5,柳巷\n",
    );
    d.nf(&["import", "gifts", "街道礼品.csv"]).ok();
    d.by_operator(&[
        "points",
        "earn",
        LI_HAO,
        "100",
        "--date",
        "2025-08-01",
        "--reason",
        "表彰",
    ])
    .ok();
    let mut seen = Vec::new();
    for (lang, who) in [("zh", YANG_LI), ("en", WANG_YU), ("zh", LI_HAO)] {
        let o = d
            .by_operator(&[
                "--lang",
                lang,
                "points",
                "redeem",
                who,
                "--gift",
                "保温杯",
                "--date",
                "2025-08-03",
            ])
            .ok();
        seen.push(o.stderr.lines().nth(1).map(str::to_string));
    }
    assert_eq!(
        seen,
        [
            Some("提示：礼品“保温杯”是柳巷街道自己的礼品，杨丽 属于迎泽街道 — 兑换照常记入".to_string()),
            Some("note: the gift 保温杯 is 柳巷街道's own, 王宇 belongs to 文庙街道 — the redemption is recorded all the same".to_string()),
            None,
        ]
    );
    holds(&d);
}
