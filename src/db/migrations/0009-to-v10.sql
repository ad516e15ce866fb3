-- Version 10: `worker purge` erases a departed worker's name, numbers and note but keeps the
-- row (street, station, dates, every record), so workers gain purged_on and the rule "a
-- 身份证号 or a 手机号" no longer binds a purged worker. SQLite cannot change a CHECK in place:
-- the table is rebuilt (SQLite's procedure for other ALTERs: new table, copy, drop, rename,
-- indexes again; workers has no triggers or views), its rows and ids kept. Foreign keys are
-- off during an upgrade and checked before it commits (src/db/mod.rs).
-- And pii_access: every command run with --show-pii.
CREATE TABLE workers_v10 (
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
    purged_on        TEXT,               -- the day `worker purge` erased name, numbers and note; NULL = never
    CHECK (id_number IS NOT NULL OR phone IS NOT NULL OR purged_on IS NOT NULL)
);
INSERT INTO workers_v10 (id, name, gender, id_number, phone, political_status, occupation,
                         enterprise_id, station_id, street_id, community_id, joined_on, left_on, note)
    SELECT id, name, gender, id_number, phone, political_status, occupation,
           enterprise_id, station_id, street_id, community_id, joined_on, left_on, note
    FROM workers;
DROP TABLE workers;
ALTER TABLE workers_v10 RENAME TO workers;
CREATE INDEX workers_street ON workers(street_id);
CREATE INDEX workers_stock ON workers(street_id, station_id, political_status, joined_on, left_on);

CREATE TABLE pii_access (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    command  TEXT NOT NULL,
    operator TEXT NOT NULL
);
