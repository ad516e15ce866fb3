-- nuanfeng schema, version 1. The whole current schema: a fresh database file is made from
-- this text (src/db/mod.rs sets PRAGMA user_version to the matching number). Older files are
-- brought here by the append-only migrations in src/db/migrations.rs.
--
-- Conventions: dates are TEXT 'YYYY-MM-DD'; points and minutes are INTEGER; enums are stored
-- as the stable English codes of DESIGN.md; 身份证号 and 手机号 are stored in full and masked
-- on output.

-- 街道/镇: subdistricts and towns. code is the 9-digit NBS 统计用区划代码 (NULL for a street
-- added by hand before it has one); district_code its 6-digit county-level code.
CREATE TABLE streets (
    id            INTEGER PRIMARY KEY,
    code          TEXT UNIQUE CHECK (code IS NULL OR (length(code) = 9 AND code NOT GLOB '*[^0-9]*')),
    name          TEXT NOT NULL UNIQUE,
    district_code TEXT CHECK (district_code IS NULL OR length(district_code) = 6)
);

-- Other spellings of a street that registers use (柳巷街道办事处 → 柳巷街道), beyond the
-- spellings derived from the name itself.
CREATE TABLE street_aliases (
    alias     TEXT PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES streets(id)
);

-- 社区/村: residents' and villagers' committees. code is the 12-digit NBS code, NULL for
-- communities first seen in a register.
CREATE TABLE communities (
    id        INTEGER PRIMARY KEY,
    street_id INTEGER NOT NULL REFERENCES streets(id),
    code      TEXT UNIQUE CHECK (code IS NULL OR (length(code) = 12 AND code NOT GLOB '*[^0-9]*')),
    name      TEXT NOT NULL,
    UNIQUE (street_id, name)
);

-- 企业/平台: brands and platforms (顺丰速运, 美团, 滴滴出行 …).
CREATE TABLE enterprises (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- 导入批次: one row per import of one file, kept even when it changed nothing.
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('streets', 'stations', 'workers', 'checkins', 'points')),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    imported_at TEXT NOT NULL,           -- local time, 'YYYY-MM-DD HH:MM:SS'
    rows_read   INTEGER NOT NULL DEFAULT 0,
    rows_new    INTEGER NOT NULL DEFAULT 0,
    rows_updated   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_batches_sha256 ON import_batches(sha256);

-- 站点: courier stations, logistics firms, rider hubs and rest stations.
CREATE TABLE stations (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('courier_station', 'logistics_firm', 'rider_hub', 'rest_station')),
    enterprise_id    INTEGER REFERENCES enterprises(id),
    street_id        INTEGER NOT NULL REFERENCES streets(id),
    community_id     INTEGER REFERENCES communities(id),
    address          TEXT,
    contact_name     TEXT,
    contact_phone    TEXT,               -- a mobile or a landline with area code
    facilities       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(facilities)),  -- JSON array of strings
    declared_workers INTEGER CHECK (declared_workers IS NULL OR declared_workers >= 0),  -- 从业人数 as the register states it
    UNIQUE (street_id, name)
);

-- 从业人员: one person. Identified by id_number (身份证号) when known, else by phone.
CREATE TABLE workers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    gender           TEXT CHECK (gender IN ('male', 'female')),
    id_number        TEXT UNIQUE CHECK (id_number IS NULL OR length(id_number) = 18),
    phone            TEXT UNIQUE CHECK (phone IS NULL OR length(phone) = 11),
    political_status TEXT CHECK (political_status IN ('party_member', 'probationary_member', 'league_member',
                                                      'democratic_party', 'non_partisan', 'masses')),
    occupation       TEXT NOT NULL CHECK (occupation IN ('courier', 'delivery_rider', 'ride_hailing_driver', 'truck_driver')),
    enterprise_id    INTEGER REFERENCES enterprises(id),
    station_id       INTEGER REFERENCES stations(id),
    street_id        INTEGER NOT NULL REFERENCES streets(id),
    community_id     INTEGER REFERENCES communities(id),
    joined_on        TEXT,               -- first day counted in stock figures; NULL = always
    left_on          TEXT,               -- last day worked; NULL = still working
    note             TEXT,
    CHECK (id_number IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX workers_street ON workers(street_id);

-- 报到: a worker reporting to a street/community on a date. An event is identified by its
-- content plus its occurrence number among identical rows of one file, so re-importing an
-- overlapping export adds only what is new. event_key holds that identity: the day (days
-- since 2000-01-01) in its high bits and 44 bits of the XXH3 hash of worker, street,
-- community, purpose and occurrence below (src/db/events.rs); a hash collision within a day
-- is resolved by comparing the stored content. Keys grow with the date, so an import in date
-- order fills the index at its end, and a period is one range of keys for the reports.
CREATE TABLE checkins (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    date         TEXT NOT NULL,
    street_id    INTEGER NOT NULL REFERENCES streets(id),
    community_id INTEGER REFERENCES communities(id),
    purpose      TEXT NOT NULL DEFAULT '',
    occurrence   INTEGER NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
    event_key    INTEGER NOT NULL,
    batch_id     INTEGER REFERENCES import_batches(id)   -- NULL when typed at the terminal
);
CREATE UNIQUE INDEX checkins_event ON checkins(event_key);

-- 积分: the points ledger. Entries are only appended (the triggers below refuse UPDATE and
-- DELETE); a balance is the sum of a worker's entries.
CREATE TABLE point_entries (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers(id),
    date       TEXT NOT NULL,
    points     INTEGER NOT NULL CHECK (points <> 0),
    kind       TEXT NOT NULL CHECK (kind IN ('earn', 'redeem')),
    category   TEXT NOT NULL CHECK (category IN ('volunteer_service', 'tip', 'suggestion', 'redemption', 'other')),
    reason     TEXT NOT NULL DEFAULT '',
    occurrence INTEGER NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
    event_key  INTEGER NOT NULL,         -- XXH3-64 of (worker, date, category, points, reason, occurrence)
    operator   TEXT NOT NULL,            -- who entered it: the OS user name
    entered_at TEXT NOT NULL,            -- local time, 'YYYY-MM-DD HH:MM:SS'
    batch_id   INTEGER REFERENCES import_batches(id),     -- NULL when typed at the terminal
    CHECK ((kind = 'earn' AND points > 0) OR (kind = 'redeem' AND points < 0))
);
-- Identity, and the per-worker balances by date (overdraw checks, statements).
CREATE UNIQUE INDEX point_entries_event ON point_entries(worker_id, date, event_key);
CREATE INDEX point_entries_date ON point_entries(date);

CREATE TRIGGER point_entries_no_update BEFORE UPDATE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: correct an entry with a reversing entry');
END;
CREATE TRIGGER point_entries_no_delete BEFORE DELETE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: correct an entry with a reversing entry');
END;
