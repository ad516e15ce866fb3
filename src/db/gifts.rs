//! 积分商城: the gifts priced in points (from a register or typed), their stock, the orders
//! that redeem them (待领取 → 已领取 or 取消), the list of `gift list` with what was taken in a
//! period, the orders of `points orders` and of one worker for `report worker`.
//!
//! An order's points are a redemption on the ledger, written by the ledger's own code (the
//! command puts the entry and the order in one write transaction); this module takes the
//! items from stock, never below zero, and gives them back when an order is cancelled. It
//! never writes the ledger itself except through `ledger::reverse_gift_order`.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;

use super::Reader;
use super::changes::Origin;
use super::events::days;
use super::ledger::{self, Correction};
use super::places::Places;
use crate::model::{Field, GiftRecord, Outcome, Period, Store, StoreError};

/// A gift as an order needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gift {
    /// Row id.
    pub id: i64,
    /// 礼品名称.
    pub name: String,
    /// Points per item.
    pub price: i64,
    /// Items left.
    pub stock: i64,
    /// The last day it was in the shop, `YYYY-MM-DD`; `None` while it is.
    pub retired_on: Option<String>,
}

const GIFT_SQL: &str = "SELECT id, name, price, stock, retired_on FROM gifts WHERE name = ?1";

fn gift_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Gift> {
    Ok(Gift {
        id: r.get(0)?,
        name: r.get(1)?,
        price: r.get(2)?,
        stock: r.get(3)?,
        retired_on: r.get(4)?,
    })
}

/// The gift named `name` (normalized as a name), or `None`.
///
/// Errors: database errors.
pub fn gift(db: &impl Reader, name: &str) -> Result<Option<Gift>> {
    let conn = db.conn().0;
    Ok(conn
        .prepare_cached(GIFT_SQL)?
        .query_row([name], gift_row)
        .optional()?)
}

/// The gift named `name`.
///
/// Errors: no gift of that name (naming the nearest one, if any is close).
pub fn find_gift(db: &impl Reader, name: &str) -> Result<Gift> {
    if let Some(g) = gift(db, name)? {
        return Ok(g);
    }
    let conn = db.conn().0;
    let names: Vec<String> = conn
        .prepare_cached("SELECT name FROM gifts ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let hint = crate::model::nearest(name, names.iter().map(String::as_str))
        .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
        .unwrap_or_default();
    let hint = if hint.is_empty() {
        t!("gifts.see_list").into_owned()
    } else {
        hint
    };
    bail!("{}", t!("gifts.unknown", name = name, hint = hint))
}

fn street_id(places: &mut Places, street: Option<&str>) -> Result<Option<i64>, String> {
    street.map(|s| places.street_cached(s)).transpose()
}

/// Adds a gift typed at the terminal. Returns its row id.
///
/// Errors: a gift of that name exists (use `gift update`); an unknown street.
pub fn add_gift(conn: &Connection, rec: &GiftRecord) -> Result<i64> {
    if let Some(g) = gift(conn, &rec.name)? {
        bail!(
            "{}",
            t!(
                "gifts.exists",
                name = g.name,
                price = g.price,
                stock = g.stock
            )
        );
    }
    let mut places = Places::load(conn)?;
    let street = street_id(&mut places, rec.street.as_deref())
        .map_err(|p| anyhow::anyhow!("--street {}: {p}", rec.street.as_deref().unwrap_or("")))?;
    insert(conn, rec, street, None)
}

fn insert(
    conn: &Connection,
    rec: &GiftRecord,
    street: Option<i64>,
    batch: Option<i64>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO gifts (name, price, stock, counted, donor, street_id, batch_id, entered_at)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        rec.name,
        rec.price,
        rec.stock,
        rec.donor.as_deref().unwrap_or(""),
        street,
        batch,
        super::now_text()
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Loads a gifts register: a gift is identified by its name. A new name adds the gift; a
/// known one takes the row's price, donor and street. The row's 库存 is a count on the
/// shelf: it is applied only when it differs from the count last given (`gifts.counted`),
/// so the same register imported again leaves the stock as redemptions made it; a new count
/// replaces the stock, with a note naming the gift, the stock before and after, and the
/// orders still to be collected.
pub struct GiftLoader<'c> {
    conn: &'c Connection,
    places: Places,
    origin: Origin,
    notes: Vec<(u64, String)>,
}

impl<'c> GiftLoader<'c> {
    /// Prepares to load into `conn` for `origin` (the command and the batch).
    ///
    /// Errors: the database failed.
    pub fn new(conn: &'c Connection, origin: Origin) -> Result<Self> {
        Ok(Self {
            conn,
            places: Places::load(conn)?,
            origin,
            notes: Vec::new(),
        })
    }
}

/// A known gift as the register loader compares it.
struct Known {
    id: i64,
    price: i64,
    stock: i64,
    counted: Option<i64>,
    donor: String,
    street: Option<i64>,
}

impl Store<GiftRecord> for GiftLoader<'_> {
    fn store(&mut self, rec: &GiftRecord, line: u64) -> Result<Outcome, StoreError> {
        let street = street_id(&mut self.places, rec.street.as_deref())
            .map_err(|p| StoreError::row(Field::Street, rec.street.as_deref().unwrap_or(""), p))?;
        let conn = self.conn;
        let found: Option<Known> = conn
            .prepare_cached(
                "SELECT id, price, stock, counted, donor, street_id FROM gifts WHERE name = ?1",
            )?
            .query_row([&rec.name], |r| {
                Ok(Known {
                    id: r.get(0)?,
                    price: r.get(1)?,
                    stock: r.get(2)?,
                    counted: r.get(3)?,
                    donor: r.get(4)?,
                    street: r.get(5)?,
                })
            })
            .optional()
            .map_err(|e| StoreError::Db(e.into()))?;
        let Some(k) = found else {
            insert(conn, rec, street, self.origin.batch).map_err(StoreError::Db)?;
            return Ok(Outcome::New);
        };
        let new_donor = rec.donor.clone().unwrap_or(k.donor.clone());
        let new_street = street.or(k.street);
        // A new count that finds what the shop holds changes no stock: it is only remembered.
        let recount = k.counted != Some(rec.stock) && k.stock != rec.stock;
        if !recount && k.counted != Some(rec.stock) {
            conn.execute(
                "UPDATE gifts SET counted = ?1 WHERE id = ?2",
                params![rec.stock, k.id],
            )
            .map_err(|e| StoreError::Db(e.into()))?;
        }
        if !recount
            && (k.price, k.donor.as_str(), k.street) == (rec.price, new_donor.as_str(), new_street)
        {
            return Ok(Outcome::Unchanged);
        }
        set_fields(conn, k.id, &[("price", k.price, rec.price)]).map_err(StoreError::Db)?;
        if recount {
            conn.execute(
                "UPDATE gifts SET stock = ?1, counted = ?1 WHERE id = ?2",
                params![rec.stock, k.id],
            )
            .map_err(|e| StoreError::Db(e.into()))?;
            let pending: i64 = conn
                .query_row(
                    "SELECT count(*) FROM gift_orders WHERE gift_id = ?1 AND status = 'pending'",
                    [k.id],
                    |r| r.get(0),
                )
                .map_err(|e| StoreError::Db(e.into()))?;
            let note = if pending > 0 {
                t!(
                    "gifts.recount_pending",
                    name = rec.name,
                    before = k.stock,
                    after = rec.stock,
                    pending = pending
                )
            } else {
                t!(
                    "gifts.recount",
                    name = rec.name,
                    before = k.stock,
                    after = rec.stock
                )
            };
            self.notes.push((line, note.into_owned()));
        }
        conn.execute(
            "UPDATE gifts SET donor = ?1, street_id = ?2 WHERE id = ?3",
            params![new_donor, new_street, k.id],
        )
        .map_err(|e| StoreError::Db(e.into()))?;
        Ok(Outcome::Updated)
    }

    fn notes(&self) -> &[(u64, String)] {
        &self.notes
    }
}

fn set_fields(conn: &Connection, id: i64, fields: &[(&str, i64, i64)]) -> Result<()> {
    for &(field, old, new) in fields {
        if old == new {
            continue;
        }
        // Only these two columns, named here, are ever set.
        let sql = match field {
            "price" => "UPDATE gifts SET price = ?1 WHERE id = ?2",
            _ => "UPDATE gifts SET stock = ?1 WHERE id = ?2",
        };
        conn.execute(sql, params![new, id])?;
    }
    Ok(())
}

/// What `gift update` changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GiftUpdate {
    /// New price in points (positive).
    pub price: Option<i64>,
    /// New stock: the count on the shelf (zero or more).
    pub stock: Option<i64>,
    /// Items added to the stock (positive); the command line refuses it with `stock`.
    pub add_stock: Option<i64>,
    /// New donor.
    pub donor: Option<String>,
    /// The last day in the shop.
    pub retire: Option<NaiveDate>,
}

/// Changes gift `name` as `u` says. Returns the gift after.
///
/// Errors: no such gift (with a suggestion); a price of zero or less; a stock below zero;
/// a gift retired already.
pub fn update_gift(conn: &Connection, name: &str, u: &GiftUpdate) -> Result<Gift> {
    let g = find_gift(conn, name)?;
    if let Some(p) = u.price
        && p <= 0
    {
        bail!("{}", t!("gifts.price_positive", price = p));
    }
    let mut stock = u.stock.unwrap_or(g.stock);
    if stock < 0 {
        bail!("{}", t!("gifts.stock_negative", stock = stock));
    }
    if let Some(n) = u.add_stock {
        if n <= 0 {
            bail!("{}", t!("gifts.add_stock_positive", n = n));
        }
        stock += n;
    }
    set_fields(
        conn,
        g.id,
        &[
            ("price", g.price, u.price.unwrap_or(g.price)),
            ("stock", g.stock, stock),
        ],
    )?;
    if let Some(n) = u.stock {
        conn.execute(
            "UPDATE gifts SET counted = ?1 WHERE id = ?2",
            params![n, g.id],
        )?;
    }
    if let Some(d) = &u.donor {
        conn.execute(
            "UPDATE gifts SET donor = ?1 WHERE id = ?2",
            params![d, g.id],
        )?;
    }
    if let Some(day) = u.retire {
        if let Some(on) = &g.retired_on {
            bail!("{}", t!("gifts.retired_already", name = g.name, date = on));
        }
        conn.execute(
            "UPDATE gifts SET retired_on = ?1 WHERE id = ?2",
            params![day.to_string(), g.id],
        )?;
    }
    find_gift(conn, &g.name)
}

/// One gift as `gift list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftRow {
    /// Row id.
    pub id: i64,
    /// 礼品名称.
    pub name: String,
    /// Points per item.
    pub price: i64,
    /// Items left now.
    pub stock: i64,
    /// 捐赠单位; empty when not known.
    pub donor: String,
    /// The street whose shop it is; `None`: the district's.
    pub street: Option<String>,
    /// Last day in the shop.
    pub retired_on: Option<String>,
    /// Items of the orders dated in the period (all, without one), not cancelled.
    pub taken: i64,
    /// Orders waiting to be collected now.
    pub pending: i64,
}

/// Every gift by name, with the items taken in `period` (orders dated in it and not
/// cancelled) and the orders pending now; of one street's shop (and the district's) with
/// `street`.
///
/// Errors: database errors.
pub fn gifts(
    db: &impl Reader,
    period: Option<&Period>,
    street: Option<i64>,
) -> Result<Vec<GiftRow>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(
            "SELECT g.id, g.name, g.price, g.stock, g.donor, s.name, g.retired_on,
                    (SELECT coalesce(sum(o.quantity), 0) FROM gift_orders o
                     WHERE o.gift_id = g.id AND o.status <> 'cancelled' AND o.date BETWEEN ?1 AND ?2),
                    (SELECT count(*) FROM gift_orders o WHERE o.gift_id = g.id AND o.status = 'pending')
             FROM gifts g LEFT JOIN streets s ON s.id = g.street_id
             WHERE ?3 IS NULL OR g.street_id IS NULL OR g.street_id = ?3
             ORDER BY g.name",
        )?
        .query_map(params![from.to_string(), to.to_string(), street], |r| {
            Ok(GiftRow {
                id: r.get(0)?,
                name: r.get(1)?,
                price: r.get(2)?,
                stock: r.get(3)?,
                donor: r.get(4)?,
                street: r.get(5)?,
                retired_on: r.get(6)?,
                taken: r.get(7)?,
                pending: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Checks that gift `g` can be ordered on `date` (`YYYY-MM-DD`): in the shop that day.
///
/// Errors: the gift's last day in the shop is before `date`.
pub fn check_orderable(g: &Gift, date: &str) -> Result<()> {
    if let Some(on) = &g.retired_on
        && on.as_str() < date
    {
        bail!("{}", t!("gifts.retired", name = g.name, date = on));
    }
    Ok(())
}

/// Takes `quantity` items of gift `id` from stock, in the caller's write transaction: the
/// decrement is conditional, so that two processes redeeming the last item never both get it.
///
/// Errors: fewer than `quantity` left (naming how many).
pub fn take_stock(conn: &Connection, g: &Gift, quantity: i64) -> Result<()> {
    let n = conn
        .prepare_cached("UPDATE gifts SET stock = stock - ?1 WHERE id = ?2 AND stock >= ?1")?
        .execute(params![quantity, g.id])?;
    if n == 0 {
        let left: i64 = conn.query_row("SELECT stock FROM gifts WHERE id = ?1", [g.id], |r| {
            r.get(0)
        })?;
        bail!(
            "{}",
            t!(
                "gifts.out_of_stock",
                name = g.name,
                stock = left,
                asked = quantity
            )
        );
    }
    Ok(())
}

/// The streets of a street's own gift and of the worker redeeming it, `(gift's, worker's)`,
/// when they differ; `None` for a district gift or a worker of the gift's street.
///
/// Errors: database errors.
pub fn other_street(conn: &Connection, gift: i64, worker: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT gs.name, ws.name FROM gifts g JOIN streets gs ON gs.id = g.street_id,
                    workers w JOIN streets ws ON ws.id = w.street_id
             WHERE g.id = ?1 AND w.id = ?2 AND g.street_id <> w.street_id",
            params![gift, worker],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Records an order (待领取) of `quantity` items of gift `gift` by `worker` on `date`, paid
/// by the ledger entry `entry` of `points`. Returns the order number.
///
/// Errors: database errors.
pub fn insert_order(
    conn: &Connection,
    worker: i64,
    gift: i64,
    quantity: i64,
    points: i64,
    date: &str,
    entry: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO gift_orders (worker_id, gift_id, quantity, points, date, entry_id, operator, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        worker,
        gift,
        quantity,
        points,
        date,
        entry,
        super::operator(),
        super::now_text()
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One order, as `points orders` and `report worker` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Order number.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Worker row id.
    pub worker: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// 礼品名称.
    pub gift: String,
    /// Items.
    pub quantity: i64,
    /// Points paid (positive).
    pub points: i64,
    /// `pending`, `collected` or `cancelled`.
    pub status: String,
    /// 领取日期.
    pub collected_on: Option<String>,
    /// 取消日期.
    pub cancelled_on: Option<String>,
    /// The ledger entry of the redemption.
    pub entry: i64,
    /// The ledger entry that reversed it, for a cancelled order.
    pub reversal: Option<i64>,
    /// The worker's street (now).
    pub street: String,
}

const ORDER_SELECT: &str = "SELECT o.id, o.date, o.worker_id, w.name, w.phone, g.name, o.quantity,
            o.points, o.status, o.collected_on, o.cancelled_on, o.entry_id, o.reversal_id, s.name
     FROM gift_orders o JOIN workers w ON w.id = o.worker_id JOIN gifts g ON g.id = o.gift_id
     JOIN streets s ON s.id = w.street_id";

fn order_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Order> {
    Ok(Order {
        id: r.get(0)?,
        date: r.get(1)?,
        worker: r.get(2)?,
        name: r.get(3)?,
        phone: r.get(4)?,
        gift: r.get(5)?,
        quantity: r.get(6)?,
        points: r.get(7)?,
        status: r.get(8)?,
        collected_on: r.get(9)?,
        cancelled_on: r.get(10)?,
        entry: r.get(11)?,
        reversal: r.get(12)?,
        street: r.get(13)?,
    })
}

/// Order `id`, or `None`.
///
/// Errors: database errors.
pub fn order(db: &impl Reader, id: i64) -> Result<Option<Order>> {
    let conn = db.conn().0;
    Ok(conn
        .prepare(&format!("{ORDER_SELECT} WHERE o.id = ?1"))?
        .query_row([id], order_row)
        .optional()?)
}

/// Orders dated in `period` (all without one), of one status (`pending`, `collected`,
/// `cancelled`; all without), of workers of one street (their street now), of one worker;
/// by date then number.
///
/// Errors: database errors.
pub fn orders(
    db: &impl Reader,
    period: Option<&Period>,
    status: Option<&str>,
    street: Option<i64>,
    worker: Option<i64>,
) -> Result<Vec<Order>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(&format!(
            "{ORDER_SELECT} WHERE o.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR o.status = ?3)
               AND (?4 IS NULL OR w.street_id = ?4) AND (?5 IS NULL OR o.worker_id = ?5)
             ORDER BY o.date, o.id"
        ))?
        .query_map(
            params![from.to_string(), to.to_string(), status, street, worker],
            order_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The orders of worker `id` placed, collected or cancelled inside `period` (`None`: all),
/// by date then number, for `report worker`.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Order>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(&format!(
            "{ORDER_SELECT} WHERE o.worker_id = ?1
               AND (o.date BETWEEN ?2 AND ?3 OR o.collected_on BETWEEN ?2 AND ?3
                    OR o.cancelled_on BETWEEN ?2 AND ?3)
             ORDER BY o.date, o.id"
        ))?
        .query_map(params![id, from.to_string(), to.to_string()], order_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The order whose redemption is ledger entry `entry`, if any.
///
/// Errors: database errors.
pub fn order_of_entry(conn: &Connection, entry: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM gift_orders WHERE entry_id = ?1")?
        .query_row([entry], |r| r.get(0))
        .optional()?)
}

fn pending(conn: &Connection, id: i64, date: &str) -> Result<Order> {
    let Some(o) = order(conn, id)? else {
        bail!("{}", t!("gifts.no_order", id = id));
    };
    match o.status.as_str() {
        "collected" => bail!(
            "{}",
            t!(
                "gifts.collected_already",
                id = id,
                date = o.collected_on.as_deref().unwrap_or("")
            )
        ),
        "cancelled" => bail!(
            "{}",
            t!(
                "gifts.cancelled_already",
                id = id,
                date = o.cancelled_on.as_deref().unwrap_or("")
            )
        ),
        _ => {}
    }
    if date < o.date.as_str() {
        bail!("{}", t!("gifts.before_order", id = id, date = o.date));
    }
    Ok(o)
}

/// Marks order `id` collected (已领取) on `date`. Returns the order as it was.
///
/// Errors: no such order; collected already (on which day); cancelled; a day before the
/// order.
pub fn pickup(conn: &Connection, id: i64, date: &str) -> Result<Order> {
    let o = pending(conn, id, date)?;
    conn.execute(
        "UPDATE gift_orders SET status = 'collected', collected_on = ?1 WHERE id = ?2",
        params![date, id],
    )?;
    Ok(o)
}

/// Cancels order `id` on `date`: appends the reversal of its ledger entry (by the ledger's
/// reversal), returns the items to stock and marks it 取消. Returns the order as it was and
/// the reversal's entry number.
///
/// Errors: no such order; collected (a gift handed out is not cancelled); cancelled
/// already; a day before the order.
pub fn cancel(conn: &Connection, id: i64, date: &str, reason: &str) -> Result<(Order, i64)> {
    let o = pending(conn, id, date)?;
    let reason = t!("gifts.cancel_reason", id = id, reason = reason).into_owned();
    let c = Correction {
        date,
        reason: reason.trim_end_matches(['：', ':', ' ']),
        allow_negative: false,
    };
    let (reversal, _) = ledger::reverse_gift_order(conn, o.entry, &c)?;
    conn.execute(
        "UPDATE gifts SET stock = stock + ?1 WHERE id = (SELECT gift_id FROM gift_orders WHERE id = ?2)",
        params![o.quantity, id],
    )?;
    conn.execute(
        "UPDATE gift_orders SET status = 'cancelled', cancelled_on = ?1, reversal_id = ?2 WHERE id = ?3",
        params![date, reversal, id],
    )?;
    Ok((o, reversal))
}

/// What `check` finds wrong with the gift shop, a line each: an order whose entry is not a
/// redemption of its worker for its points on its day; a cancelled order whose reversal does
/// not reverse that entry; an order not cancelled whose entry was reversed all the same; a
/// stock below zero.
///
/// Errors: database errors.
pub fn contradictions(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT o.id, o.entry_id, o.points FROM gift_orders o
         LEFT JOIN point_entries e ON e.id = o.entry_id
         WHERE e.id IS NULL OR e.kind <> 'redeem' OR e.worker_id <> o.worker_id
            OR e.points <> -o.points OR e.date <> o.date
         ORDER BY o.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (order, entry, points): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        out.push(
            t!(
                "gifts.check.entry",
                order = order,
                entry = entry,
                points = points
            )
            .into_owned(),
        );
    }
    let mut stmt = conn.prepare(
        "SELECT o.id, o.entry_id, o.reversal_id FROM gift_orders o
         LEFT JOIN point_entries r ON r.id = o.reversal_id
         WHERE o.status = 'cancelled'
           AND (r.id IS NULL OR r.kind <> 'reverse' OR r.reverses IS NOT o.entry_id)
         ORDER BY o.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (order, entry, reversal): (i64, i64, Option<i64>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        out.push(
            t!(
                "gifts.check.reversal",
                order = order,
                entry = entry,
                reversal = reversal.unwrap_or_default()
            )
            .into_owned(),
        );
    }
    let mut stmt = conn.prepare(
        "SELECT o.id, o.entry_id, r.id FROM gift_orders o
         JOIN point_entries r ON r.reverses = o.entry_id
         WHERE o.status <> 'cancelled'
         ORDER BY o.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (order, entry, by): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        out.push(
            t!(
                "gifts.check.reversed",
                order = order,
                entry = entry,
                by = by
            )
            .into_owned(),
        );
    }
    let mut stmt = conn.prepare("SELECT name, stock FROM gifts WHERE stock < 0 ORDER BY name")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (name, stock): (String, i64) = (r.get(0)?, r.get(1)?);
        out.push(t!("gifts.check.stock", name = name, stock = stock).into_owned());
    }
    Ok(out)
}
