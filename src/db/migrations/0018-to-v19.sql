-- Version 19: registries merged into this one (`nuanfeng merge`).
-- The registry's own identity: a random 128-bit number in hex, made once with the file (or
-- by this upgrade) and carried by every copy of it. A registry merged into another is known
-- there by it, so merging an updated copy of the same street file brings what changed.
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
-- The import history and the change log keep the origin of what a merge brought.
ALTER TABLE import_batches ADD COLUMN origin_id INTEGER REFERENCES merge_origins(id);
ALTER TABLE change_log ADD COLUMN origin_id INTEGER REFERENCES merge_origins(id);
-- Records without a place of their own count under the worker's street on their day; one
-- merged from another registry counts under the street it counted under there (street_id),
-- so a worker of two streets keeps each street's figures.
ALTER TABLE point_entries ADD COLUMN street_id INTEGER REFERENCES streets(id);
ALTER TABLE wishes ADD COLUMN street_id INTEGER REFERENCES streets(id);
ALTER TABLE gift_orders ADD COLUMN street_id INTEGER REFERENCES streets(id);
ALTER TABLE awards ADD COLUMN street_id INTEGER REFERENCES streets(id);
ALTER TABLE worker_stages ADD COLUMN street_id INTEGER REFERENCES streets(id);
