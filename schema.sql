-- nuanfeng schema, version 19. The whole current schema: a fresh database file is made from
-- this text (src/db/mod.rs sets PRAGMA user_version to the matching number). Older files are
-- brought here by the append-only migrations in src/db/migrations/.
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
    kind        TEXT NOT NULL,           -- the register kind: workers, checkins, services … (src/import/header.rs)
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    imported_at TEXT NOT NULL,           -- local time, 'YYYY-MM-DD HH:MM:SS'
    rows_read   INTEGER NOT NULL DEFAULT 0,
    rows_new    INTEGER NOT NULL DEFAULT 0,
    rows_updated   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    reading     TEXT NOT NULL DEFAULT '', -- how the file was read: build, encoding, sheet, header row, maps
    commit_counter INTEGER,  -- the file change counter its commit produced (src/db/sink.rs)
    origin_id   INTEGER REFERENCES merge_origins(id)  -- the registry a merge brought it from (NULL: imported here)
);
CREATE INDEX import_batches_sha256 ON import_batches(sha256);

-- 站点: courier stations, logistics firms, rider hubs and rest stations.
CREATE TABLE stations (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK ((kind = 'courier_station' OR kind = 'logistics_firm' OR kind = 'rider_hub' OR kind = 'rest_station')),
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

-- 从业人员: one person. Identified by id_number (身份证号) when known, else by phone. A worker
-- purged after leaving (purged_on) keeps the row, street, station, dates and every record,
-- but no name, numbers or note: nothing identifies them any more.
CREATE TABLE workers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    gender           TEXT CHECK (gender IN ('male', 'female')),
    id_number        TEXT UNIQUE CHECK (id_number IS NULL OR length(id_number) = 18),
    phone            TEXT UNIQUE CHECK (phone IS NULL OR length(phone) = 11),
    political_status TEXT CHECK ((political_status = 'party_member' OR political_status = 'probationary_member' OR political_status = 'league_member' OR
                                                      political_status = 'democratic_party' OR political_status = 'non_partisan' OR political_status = 'masses')),
    occupation       TEXT NOT NULL CHECK ((occupation = 'courier' OR occupation = 'delivery_rider' OR occupation = 'ride_hailing_driver' OR occupation = 'truck_driver' OR
                                                         occupation = 'instant_delivery' OR occupation = 'other')),
    enterprise_id    INTEGER REFERENCES enterprises(id),
    station_id       INTEGER REFERENCES stations(id),
    street_id        INTEGER NOT NULL REFERENCES streets(id),
    community_id     INTEGER REFERENCES communities(id),
    joined_on        TEXT,               -- first day counted in stock figures; NULL = always
    left_on          TEXT,               -- last day worked; NULL = still working
    note             TEXT,
    purged_on        TEXT,               -- the day `worker purge` erased name, numbers and note; NULL = never
    CHECK (id_number IS NOT NULL OR phone IS NOT NULL OR purged_on IS NOT NULL)
);
-- The stock figures of the reports read every worker: this narrow index holds all they need.
-- It is also the index of every lookup by street (street_id comes first).
CREATE INDEX workers_stock ON workers(street_id, station_id, political_status, joined_on, left_on);

-- 身份证号 and 手机号 a worker had before (until: the day the number was replaced), in full
-- like the current ones: an export made before a change still finds its worker. A number here
-- may since belong to another worker; the current owner wins and the row is refused naming
-- both (src/db/workers/index.rs).
CREATE TABLE worker_numbers (
    id        INTEGER PRIMARY KEY,
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    kind      TEXT NOT NULL CHECK (kind IN ('id_number', 'phone')),
    number    TEXT NOT NULL CHECK ((kind = 'id_number' AND length(number) = 18) OR (kind = 'phone' AND length(number) = 11)),
    until     TEXT NOT NULL,
    UNIQUE (kind, number, worker_id)
);
CREATE INDEX worker_numbers_worker ON worker_numbers(worker_id);

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

-- 积分规则: how many points a record grants. Changing a rule never changes points already
-- granted: each entry holds its own points.
CREATE TABLE point_rules (
    code       TEXT PRIMARY KEY CHECK ((code = 'volunteer_hour' OR code = 'tip_approved' OR code = 'suggestion_adopted')),
    points     INTEGER NOT NULL CHECK (points >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO point_rules (code, points, updated_at, updated_by) VALUES
    ('volunteer_hour', 1, '2025-01-01 00:00:00', 'default'),
    ('tip_approved', 1, '2025-01-01 00:00:00', 'default'),
    ('suggestion_adopted', 1, '2025-01-01 00:00:00', 'default');

-- 积分: the points ledger. Entries are only appended (the triggers below refuse UPDATE and
-- DELETE); a balance is the sum of a worker's entries. kind: earn (> 0), redeem (< 0),
-- reverse (the opposite of the entry it reverses, once), adjust (either sign, with a reason).
-- An entry granted for a record names its rule and the record (source_table, source_id); a
-- record grants once. allow_negative marks a redemption allowed to overdraw (with a reason).
CREATE TABLE point_entries (
    id             INTEGER PRIMARY KEY,
    worker_id      INTEGER NOT NULL REFERENCES workers(id),
    date           TEXT NOT NULL,
    points         INTEGER NOT NULL CHECK (points <> 0),
    kind           TEXT NOT NULL CHECK ((kind = 'earn' OR kind = 'redeem' OR kind = 'reverse' OR kind = 'adjust')),
    category       TEXT NOT NULL CHECK ((category = 'volunteer_service' OR category = 'tip' OR category = 'suggestion' OR category = 'redemption' OR category = 'other')),
    reason         TEXT NOT NULL DEFAULT '',
    occurrence     INTEGER NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
    event_key      INTEGER NOT NULL,     -- XXH3-64 of (worker, date, category, points, reason, occurrence)
    rule           TEXT REFERENCES point_rules(code),
    source_table   TEXT CHECK (source_table IN ('services', 'tips')),
    source_id      INTEGER,
    reverses       INTEGER REFERENCES point_entries(id),
    allow_negative INTEGER NOT NULL DEFAULT 0 CHECK (allow_negative IN (0, 1)),
    operator       TEXT NOT NULL,        -- who entered it: the OS user name
    entered_at     TEXT NOT NULL,        -- local time, 'YYYY-MM-DD HH:MM:SS'
    batch_id       INTEGER REFERENCES import_batches(id),     -- NULL when typed at the terminal
    street_id      INTEGER REFERENCES streets(id),    -- merged: the street it counted under in its registry (else NULL)
    CHECK ((kind = 'earn' AND points > 0) OR (kind = 'redeem' AND points < 0) OR kind IN ('reverse', 'adjust')),
    CHECK ((kind = 'reverse') = (reverses IS NOT NULL)),
    CHECK ((source_table IS NULL) = (source_id IS NULL))
);
-- Identity, and the per-worker balances by date (overdraw checks, statements).
CREATE UNIQUE INDEX point_entries_event ON point_entries(worker_id, date, event_key);
-- The reports' points figures by date, read from the index alone.
CREATE INDEX point_entries_figures ON point_entries(date, worker_id, points, kind, reverses);
-- An entry is reversed at most once; a record grants points at most once.
CREATE UNIQUE INDEX point_entries_reversal ON point_entries(reverses) WHERE reverses IS NOT NULL;
CREATE UNIQUE INDEX point_entries_source ON point_entries(source_table, source_id) WHERE kind = 'earn' AND source_table IS NOT NULL;

CREATE TRIGGER point_entries_no_update BEFORE UPDATE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: correct an entry with a reversing entry');
END;
CREATE TRIGGER point_entries_no_delete BEFORE DELETE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: correct an entry with a reversing entry');
END;
-- Check-ins rolled up per month, worker and street (src/db/events.rs keeps it current), for
-- the distinct workers of a street and period.
CREATE TABLE checkin_months (
    month     INTEGER NOT NULL,          -- YYYYMM
    worker_id INTEGER NOT NULL,
    street_id INTEGER NOT NULL,
    checkins  INTEGER NOT NULL CHECK (checkins > 0),
    PRIMARY KEY (month, worker_id, street_id)
) WITHOUT ROWID;

-- 志愿服务: volunteer service, in minutes. Identified like check-ins (event_key with the day
-- in its high bits).
CREATE TABLE services (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    date         TEXT NOT NULL,
    activity     TEXT NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    street_id    INTEGER NOT NULL REFERENCES streets(id),
    community_id INTEGER REFERENCES communities(id),
    occurrence   INTEGER NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
    event_key    INTEGER NOT NULL,
    batch_id     INTEGER REFERENCES import_batches(id),
    entered_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX services_event ON services(event_key);
CREATE INDEX services_worker ON services(worker_id);

-- 随手拍: governance reports. status: pending → approved (points granted, once) → resolved.
CREATE TABLE tips (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    date         TEXT NOT NULL,
    category     TEXT NOT NULL CHECK ((category = 'safety_hazard' OR category = 'sanitation' OR category = 'dispute' OR category = 'incivility' OR
                                                  category = 'street_vending' OR category = 'suggestion' OR category = 'other')),
    content      TEXT NOT NULL,
    street_id    INTEGER NOT NULL REFERENCES streets(id),
    community_id INTEGER REFERENCES communities(id),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK ((status = 'pending' OR status = 'approved' OR status = 'resolved')),
    approved_on  TEXT,
    approved_by  TEXT,
    resolved_on  TEXT,
    resolved_by  TEXT,
    occurrence   INTEGER NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
    event_key    INTEGER NOT NULL,
    batch_id     INTEGER REFERENCES import_batches(id),
    entered_at   TEXT NOT NULL,
    CHECK (status = 'pending' OR approved_on IS NOT NULL),
    CHECK (status <> 'resolved' OR resolved_on IS NOT NULL)
);
CREATE UNIQUE INDEX tips_event ON tips(event_key);
CREATE INDEX tips_worker ON tips(worker_id);

-- 微心愿: a small wish, collected on a date and later fulfilled (by a person or unit).
CREATE TABLE wishes (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    wish         TEXT NOT NULL,
    date         TEXT NOT NULL,
    fulfilled_on TEXT,
    fulfilled_by TEXT,
    batch_id     INTEGER REFERENCES import_batches(id),
    street_id    INTEGER REFERENCES streets(id),   -- merged: the street it counted under in its registry (else NULL)
    UNIQUE (worker_id, wish, date)
);

-- 评选: titles given each year (最美快递员 …).
CREATE TABLE awards (
    id        INTEGER PRIMARY KEY,
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    title     TEXT NOT NULL,
    year      INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    batch_id  INTEGER REFERENCES import_batches(id),
    street_id INTEGER REFERENCES streets(id),  -- merged: the street it counted under in its registry (else NULL)
    UNIQUE (worker_id, title, year)
);

-- 关爱活动: an activity held for the workers (困难帮扶, 法律援助, 送清凉 …) on one day, in a
-- street (and community), or at a 暖蜂驿站 (station_id, a rest_station of that street). The
-- organizer is a 街道, 社区, 行业党委 or a partner (by name; merchant_id when the partner is a
-- recorded merchant). Participants: the named workers (each once per activity) and a count of
-- people not named. An activity is identified by its day, street and title.
CREATE TABLE care_activities (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK ((kind = 'hardship_aid' OR kind = 'legal_aid' OR kind = 'counseling' OR kind = 'social' OR
                                                 kind = 'childcare' OR kind = 'seasonal_care' OR kind = 'health_check' OR
                                                 kind = 'skills_training' OR kind = 'other')),
    title          TEXT NOT NULL,
    date           TEXT NOT NULL,
    street_id      INTEGER NOT NULL REFERENCES streets(id),
    community_id   INTEGER REFERENCES communities(id),
    station_id     INTEGER REFERENCES stations(id),
    organizer_kind TEXT NOT NULL CHECK ((organizer_kind = 'street' OR organizer_kind = 'community' OR organizer_kind = 'industry_committee' OR
                                                           organizer_kind = 'partner' OR organizer_kind = 'other')),
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
    kind         TEXT NOT NULL CHECK ((kind = 'barber' OR kind = 'catering' OR kind = 'repair' OR kind = 'legal' OR kind = 'medical' OR kind = 'other')),
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
    status       TEXT NOT NULL DEFAULT 'pending' CHECK ((status = 'pending' OR status = 'collected' OR status = 'cancelled')),
    collected_on TEXT,
    cancelled_on TEXT,
    reversal_id  INTEGER UNIQUE REFERENCES point_entries(id),
    operator     TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    street_id    INTEGER REFERENCES streets(id),   -- merged: the street it counted under in its registry (else NULL)
    CHECK ((status = 'collected') = (collected_on IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_on IS NOT NULL AND reversal_id IS NOT NULL))
);
CREATE INDEX gift_orders_worker ON gift_orders(worker_id);
CREATE INDEX gift_orders_gift ON gift_orders(gift_id, date);

-- 党建工作指导员 and the stations each is assigned to (a station has one instructor).
CREATE TABLE instructors (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    phone     TEXT NOT NULL UNIQUE CHECK (length(phone) = 11),
    street_id INTEGER REFERENCES streets(id),
    unit      TEXT,                  -- 工作单位
    batch_id  INTEGER REFERENCES import_batches(id)
);
-- A station's instructor over time: an assignment ends (until_on, its last day) when the
-- station moves to another instructor or is unassigned; one current assignment per station.
CREATE TABLE instructor_stations (
    id            INTEGER PRIMARY KEY,
    instructor_id INTEGER NOT NULL REFERENCES instructors(id),
    station_id    INTEGER NOT NULL REFERENCES stations(id),
    assigned_on   TEXT NOT NULL,         -- first day
    until_on      TEXT,                  -- last day; NULL while current
    -- 1: the register gave no 选派日期; assigned_on is the day of import and the assignment
    -- counts in every period until until_on (version 12)
    undated       INTEGER NOT NULL DEFAULT 0 CHECK (undated IN (0, 1)),
    CHECK (until_on IS NULL OR until_on >= assigned_on)
);
CREATE UNIQUE INDEX instructor_stations_current ON instructor_stations(station_id) WHERE until_on IS NULL;
CREATE INDEX instructor_stations_instructor ON instructor_stations(instructor_id);

-- The ledger's seals: each entry's SHA-256 chained to the previous one, written with the entry
-- by nuanfeng (src/db/ledger/seal.rs), so that `points check` finds an entry changed, removed
-- or added (INSERT OR REPLACE included) by another program.
CREATE TABLE ledger_seals (
    entry_id INTEGER PRIMARY KEY REFERENCES point_entries(id),
    seal     TEXT NOT NULL               -- hex SHA-256 (src/db/ledger/seal.rs `seal_of`)
);
CREATE TRIGGER ledger_seals_no_update BEFORE UPDATE ON ledger_seals
BEGIN
    SELECT RAISE(ABORT, 'ledger_seals is append-only');
END;
CREATE TRIGGER ledger_seals_no_delete BEFORE DELETE ON ledger_seals
BEGIN
    SELECT RAISE(ABORT, 'ledger_seals is append-only');
END;
-- 党组织: party organizations and the stations they cover (dated).
CREATE TABLE party_orgs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK ((kind = 'industry_committee' OR kind = 'branch' OR kind = 'joint_branch' OR kind = 'functional_branch')),
    parent_id  INTEGER REFERENCES party_orgs(id),
    street_id  INTEGER REFERENCES streets(id),
    founded_on TEXT,                     -- 'YYYY-MM-DD'
    secretary  TEXT,                     -- 书记
    batch_id   INTEGER REFERENCES import_batches(id)
);
-- 组织覆盖: which organization covers a station, from which day until which day (NULL while it
-- still does). A station is covered by at most one organization at a time.
CREATE TABLE org_coverage (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES party_orgs(id),
    station_id INTEGER NOT NULL REFERENCES stations(id),
    from_on    TEXT NOT NULL,
    until_on   TEXT,                     -- last day covered
    -- 1: the register gave no 成立日期; from_on is the day of import and the coverage counts
    -- in every period until until_on (version 12)
    undated    INTEGER NOT NULL DEFAULT 0 CHECK (undated IN (0, 1)),
    CHECK (until_on IS NULL OR until_on >= from_on)
);
CREATE UNIQUE INDEX org_coverage_current ON org_coverage(station_id) WHERE until_on IS NULL;
CREATE INDEX org_coverage_org ON org_coverage(org_id);
-- 组织关系: where a party member's membership is registered — one of ours (org_id, home_org
-- NULL), or elsewhere (home_org, the home branch as written): a mobile member (流动党员),
-- attached to org_id for activities (双重管理).
CREATE TABLE memberships (
    worker_id INTEGER PRIMARY KEY REFERENCES workers(id),
    org_id    INTEGER REFERENCES party_orgs(id),
    home_org  TEXT,
    CHECK (org_id IS NOT NULL OR home_org IS NOT NULL)
);
-- 入党: the membership pipeline, appended stage by stage (applicant → activist → candidate →
-- probationary → full_member), never overwritten.
CREATE TABLE worker_stages (
    id            INTEGER PRIMARY KEY,
    worker_id     INTEGER NOT NULL REFERENCES workers(id),
    stage         TEXT NOT NULL CHECK ((stage = 'applicant' OR stage = 'activist' OR stage = 'candidate' OR stage = 'probationary' OR stage = 'full_member')),
    date          TEXT NOT NULL,
    instructor_id INTEGER REFERENCES instructors(id),
    operator      TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    street_id     INTEGER REFERENCES streets(id),  -- merged: the street it counted under in its registry (else NULL)
    UNIQUE (worker_id, stage)
);
CREATE INDEX worker_stages_date ON worker_stages(date);
CREATE TRIGGER worker_stages_no_update BEFORE UPDATE ON worker_stages
BEGIN
    SELECT RAISE(ABORT, 'worker_stages is append-only: stages are never overwritten');
END;
CREATE TRIGGER worker_stages_no_delete BEFORE DELETE ON worker_stages
BEGIN
    SELECT RAISE(ABORT, 'worker_stages is append-only: stages are never overwritten');
END;

-- 变更记录: every change to a worker, station or party organization (by import or by hand)
-- and to a points rule: when, by which command or import batch, which field, old → new.
-- 身份证号 and 手机号 are stored masked.
CREATE TABLE change_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK ((entity = 'worker' OR entity = 'station' OR entity = 'rule' OR entity = 'org')),
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    command   TEXT NOT NULL,         -- `worker update`, `import workers` …
    batch_id  INTEGER REFERENCES import_batches(id),
    operator  TEXT NOT NULL,
    origin_id INTEGER REFERENCES merge_origins(id)   -- the registry a merge brought it from (NULL: made here)
);
-- A record's changes, by the number of its id: an import logs ascending ids, which this order
-- appends (the text order would scatter them). A rule's code reads as 0 (lookups compare
-- entity_id as well).
CREATE INDEX change_log_entity ON change_log(entity, CAST(entity_id AS INTEGER));
-- The street of a worker on a past day (reports count flows there: src/db/figures.rs).
CREATE INDEX change_log_street ON change_log(entity) WHERE field = 'street';

-- 查看记录: every command run with --show-pii (full 身份证号 and 手机号 shown): when (local
-- time, 'YYYY-MM-DD HH:MM:SS'), the command line (numbers in it masked) and the OS user.
CREATE TABLE pii_access (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    command  TEXT NOT NULL,
    operator TEXT NOT NULL,
    ledger_digest TEXT       -- the ledger digest then (db::ledger::Digest); NULL before v18
);

-- 待完成的清除: a `worker purge` whose erasure is not yet complete. The purge inserts the row
-- in its own transaction and deletes it once VACUUM has rewritten the file; a row left means
-- erased values may still lie in the file's free pages: the next command that opens the
-- registry finishes the erasure, and `check` names it.
CREATE TABLE pending_erasures (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,             -- when the purge committed, 'YYYY-MM-DD HH:MM:SS'
    workers INTEGER NOT NULL CHECK (workers >= 0),  -- how many workers it erased
    command TEXT NOT NULL              -- `worker purge`
);

-- 合并 (`nuanfeng merge`, version 19).
-- The registry's own identity: a random 128-bit number in hex, made once with the file and
-- carried by every copy of it; a registry merged into another is known there by it.
CREATE TABLE registry_identity (
    id TEXT NOT NULL PRIMARY KEY
);
INSERT INTO registry_identity (id) VALUES (lower(hex(randomblob(16))));
-- 来源: each registry merged into this one, known by its identity.
CREATE TABLE merge_origins (
    id              INTEGER PRIMARY KEY,
    registry        TEXT NOT NULL UNIQUE,   -- registry_identity.id of the merged registry
    file_name       TEXT NOT NULL,          -- the file as last given to `merge`
    first_merged_at TEXT NOT NULL,          -- local time, 'YYYY-MM-DD HH:MM:SS'
    last_merged_at  TEXT NOT NULL,
    merges          INTEGER NOT NULL DEFAULT 1 CHECK (merges >= 1),
    change_log_through INTEGER NOT NULL DEFAULT 0,  -- the origin's change-log rows copied so far (ids up to this)
    -- How far the origin's ledger and import history went at the last merge (highest ids): a
    -- copy of it that went less far is an older one, refused.
    ledger_through  INTEGER NOT NULL DEFAULT 0,
    batches_through INTEGER NOT NULL DEFAULT 0,
    -- Set for a registry that came in within another one merged here (a street's within its
    -- district's file): that one; such a registry is not merged here directly as well.
    via_origin_id   INTEGER REFERENCES merge_origins(id)
);
-- What a record of an origin became here, and the state both had when last merged: the
-- digests (XXH3-64 of the fields as this registry stores them) tell a change made in the
-- origin since from one made here (src/db/merge).
CREATE TABLE merge_rows (
    origin_id     INTEGER NOT NULL REFERENCES merge_origins(id),
    entity        TEXT NOT NULL,            -- worker, station, org, instructor, merchant, gift, batch
    source_id     INTEGER NOT NULL,         -- the row id in the origin
    local_id      INTEGER NOT NULL,         -- the row id here
    source_digest INTEGER NOT NULL,
    local_digest  INTEGER NOT NULL,
    PRIMARY KEY (origin_id, entity, source_id)
) WITHOUT ROWID;
-- 跨街道登记: a worker registered in a street besides the one of the worker row (a rider on
-- the registers of two streets, brought together by `merge`), with the station, enterprise,
-- community and dates of that street's register: counted in that street's stock figures too,
-- and once in the district's.
CREATE TABLE worker_postings (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES workers(id),
    street_id  INTEGER NOT NULL REFERENCES streets(id),
    station_id INTEGER REFERENCES stations(id),
    joined_on  TEXT,
    left_on    TEXT,
    origin_id  INTEGER REFERENCES merge_origins(id),
    enterprise_id INTEGER REFERENCES enterprises(id),   -- the job's there
    community_id  INTEGER REFERENCES communities(id),
    UNIQUE (worker_id, street_id)
);
-- 也计入的街道: a record without a place of its own (a point entry, a wish, a gift order, an
-- award, an admission) that two merged registries both held, each counting it under its own
-- street: the street besides the record's own where it counts too (once in the district).
CREATE TABLE record_streets (
    tbl       TEXT NOT NULL CHECK ((tbl = 'point_entries' OR tbl = 'wishes' OR tbl = 'gift_orders' OR tbl = 'awards' OR tbl = 'worker_stages')),
    record_id INTEGER NOT NULL,
    street_id INTEGER NOT NULL REFERENCES streets(id),
    PRIMARY KEY (tbl, record_id, street_id)
) WITHOUT ROWID;
