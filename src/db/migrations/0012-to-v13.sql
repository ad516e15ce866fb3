-- Version 13: what the district does for the workers (关爱服务).
--
-- 关爱活动: an activity held for the workers (困难帮扶, 法律援助, 送清凉 …) on one day, in a
-- street (and community), or at a 暖蜂驿站 (station_id, a rest_station of that street). The
-- organizer is a 街道, 社区, 行业党委 or a partner (by name; merchant_id when the partner is a
-- recorded merchant). Participants: the named workers (each once per activity) and a count of
-- people not named. An activity is identified by its day, street and title.
CREATE TABLE care_activities (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('hardship_aid', 'legal_aid', 'counseling', 'social',
                                                 'childcare', 'seasonal_care', 'health_check',
                                                 'skills_training', 'other')),
    title          TEXT NOT NULL,
    date           TEXT NOT NULL,
    street_id      INTEGER NOT NULL REFERENCES streets(id),
    community_id   INTEGER REFERENCES communities(id),
    station_id     INTEGER REFERENCES stations(id),
    organizer_kind TEXT NOT NULL CHECK (organizer_kind IN ('street', 'community', 'industry_committee',
                                                           'partner', 'other')),
    organizer      TEXT NOT NULL DEFAULT '',
    merchant_id    INTEGER REFERENCES merchants(id),
    unnamed        INTEGER NOT NULL DEFAULT 0 CHECK (unnamed >= 0),   -- people taking part, not named
    note           TEXT NOT NULL DEFAULT '',
    batch_id       INTEGER REFERENCES import_batches(id),   -- NULL when typed at the terminal
    entered_at     TEXT NOT NULL,
    UNIQUE (date, street_id, title)
);
CREATE INDEX care_activities_street ON care_activities(street_id, date);
-- The named workers of an activity, each once.
CREATE TABLE care_participants (
    activity_id INTEGER NOT NULL REFERENCES care_activities(id),
    worker_id   INTEGER NOT NULL REFERENCES workers(id),
    PRIMARY KEY (activity_id, worker_id)
) WITHOUT ROWID;
CREATE INDEX care_participants_worker ON care_participants(worker_id);
-- Gifts handed out at an activity (送清凉 packs …): item and how many.
CREATE TABLE care_gifts (
    activity_id INTEGER NOT NULL REFERENCES care_activities(id),
    item        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (activity_id, item)
) WITHOUT ROWID;

-- 爱心商家/合作单位: partner merchants and units that offer the workers something (a discount,
-- free legal advice), in force from since_on to until_on (last day; NULL: no end); since_on
-- NULL: in force since before the registry knew it.
CREATE TABLE merchants (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('barber', 'catering', 'repair', 'legal', 'medical', 'other')),
    street_id    INTEGER NOT NULL REFERENCES streets(id),
    community_id INTEGER REFERENCES communities(id),
    address      TEXT NOT NULL DEFAULT '',
    offer        TEXT NOT NULL DEFAULT '',
    contact_name  TEXT,
    contact_phone TEXT,
    since_on     TEXT,
    until_on     TEXT,
    batch_id     INTEGER REFERENCES import_batches(id),
    entered_at   TEXT NOT NULL,
    UNIQUE (street_id, name),
    CHECK (since_on IS NULL OR until_on IS NULL OR until_on >= since_on)
);

-- 积分商城: gifts priced in points. stock is what is left (never below zero); counted the
-- count on the shelf last given (a register row applies its 库存 only when it differs); donor who gave
-- it; street_id a street's own shop (NULL: the district's). A gift leaves the shop by
-- retired_on; its orders stay.
CREATE TABLE gifts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    price      INTEGER NOT NULL CHECK (price > 0),       -- points per item
    stock      INTEGER NOT NULL CHECK (stock >= 0),      -- items left
    counted    INTEGER,                                  -- 库存 the last register row, gift add or --stock gave
    donor      TEXT NOT NULL DEFAULT '',
    street_id  INTEGER REFERENCES streets(id),
    retired_on TEXT,
    batch_id   INTEGER REFERENCES import_batches(id),
    entered_at TEXT NOT NULL
);
-- 兑换订单: a gift redeemed for points. The redemption is the ledger entry entry_id (points =
-- price × quantity at the time); pending (待领取) → collected (已领取, once) or cancelled
-- (取消: the entry reversed by reversal_id, the stock returned).
CREATE TABLE gift_orders (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    gift_id      INTEGER NOT NULL REFERENCES gifts(id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    points       INTEGER NOT NULL CHECK (points > 0),
    date         TEXT NOT NULL,
    entry_id     INTEGER NOT NULL UNIQUE REFERENCES point_entries(id),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'collected', 'cancelled')),
    collected_on TEXT,
    cancelled_on TEXT,
    reversal_id  INTEGER UNIQUE REFERENCES point_entries(id),
    operator     TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    CHECK ((status = 'collected') = (collected_on IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_on IS NOT NULL AND reversal_id IS NOT NULL))
);
CREATE INDEX gift_orders_worker ON gift_orders(worker_id);
CREATE INDEX gift_orders_gift ON gift_orders(gift_id, date);
