-- Version 1 → 2: points rules, services, tips, wishes, awards, instructors, the change log;
-- the ledger gains reversals, adjustments, rules and record references; import batches take
-- the new register kinds. Tables whose constraints change are rebuilt: the old one renamed
-- (legacy_alter_table keeps other tables' references on the name), the new one made with the
-- text of schema.sql version 2, the rows copied. Append only, never edit.
PRAGMA legacy_alter_table = ON;

ALTER TABLE import_batches RENAME TO import_batches_v1;
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
    rows_rejected  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO import_batches SELECT * FROM import_batches_v1;
DROP TABLE import_batches_v1;
CREATE INDEX import_batches_sha256 ON import_batches(sha256);
CREATE TABLE point_rules (
    code       TEXT PRIMARY KEY CHECK (code IN ('volunteer_hour', 'tip_approved', 'suggestion_adopted')),
    points     INTEGER NOT NULL CHECK (points >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO point_rules (code, points, updated_at, updated_by) VALUES
    ('volunteer_hour', 1, '2025-01-01 00:00:00', 'default'),
    ('tip_approved', 1, '2025-01-01 00:00:00', 'default'),
    ('suggestion_adopted', 1, '2025-01-01 00:00:00', 'default');
ALTER TABLE point_entries RENAME TO point_entries_v1;
CREATE TABLE point_entries (
    id             INTEGER PRIMARY KEY,
    worker_id      INTEGER NOT NULL REFERENCES workers(id),
    date           TEXT NOT NULL,
    points         INTEGER NOT NULL CHECK (points <> 0),
    kind           TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'reverse', 'adjust')),
    category       TEXT NOT NULL CHECK (category IN ('volunteer_service', 'tip', 'suggestion', 'redemption', 'other')),
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
    CHECK ((kind = 'earn' AND points > 0) OR (kind = 'redeem' AND points < 0) OR kind IN ('reverse', 'adjust')),
    CHECK ((kind = 'reverse') = (reverses IS NOT NULL)),
    CHECK ((source_table IS NULL) = (source_id IS NULL))
);
INSERT INTO point_entries (id, worker_id, date, points, kind, category, reason, occurrence,
                           event_key, operator, entered_at, batch_id)
    SELECT id, worker_id, date, points, kind, category, reason, occurrence,
           event_key, operator, entered_at, batch_id
    FROM point_entries_v1;
DROP TABLE point_entries_v1;
CREATE UNIQUE INDEX point_entries_event ON point_entries(worker_id, date, event_key);
CREATE INDEX point_entries_date ON point_entries(date);
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
CREATE TABLE tips (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    date         TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('safety_hazard', 'sanitation', 'dispute', 'incivility',
                                                  'street_vending', 'suggestion', 'other')),
    content      TEXT NOT NULL,
    street_id    INTEGER NOT NULL REFERENCES streets(id),
    community_id INTEGER REFERENCES communities(id),
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'resolved')),
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
CREATE TABLE wishes (
    id           INTEGER PRIMARY KEY,
    worker_id    INTEGER NOT NULL REFERENCES workers(id),
    wish         TEXT NOT NULL,
    date         TEXT NOT NULL,
    fulfilled_on TEXT,
    fulfilled_by TEXT,
    batch_id     INTEGER REFERENCES import_batches(id),
    UNIQUE (worker_id, wish, date)
);
CREATE TABLE awards (
    id        INTEGER PRIMARY KEY,
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    title     TEXT NOT NULL,
    year      INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    batch_id  INTEGER REFERENCES import_batches(id),
    UNIQUE (worker_id, title, year)
);
CREATE TABLE instructors (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    phone     TEXT NOT NULL UNIQUE CHECK (length(phone) = 11),
    street_id INTEGER REFERENCES streets(id),
    unit      TEXT,                  -- 工作单位
    batch_id  INTEGER REFERENCES import_batches(id)
);
CREATE TABLE instructor_stations (
    instructor_id INTEGER NOT NULL REFERENCES instructors(id),
    station_id    INTEGER NOT NULL UNIQUE REFERENCES stations(id),
    assigned_on   TEXT NOT NULL,
    PRIMARY KEY (instructor_id, station_id)
);
CREATE TABLE change_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('worker', 'station', 'rule')),
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    command   TEXT NOT NULL,         -- `worker update`, `import workers` …
    batch_id  INTEGER REFERENCES import_batches(id),
    operator  TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);
PRAGMA legacy_alter_table = OFF;
