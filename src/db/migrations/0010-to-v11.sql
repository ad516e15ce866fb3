-- Version 11: the monthly cycle.
-- 从业类型 gains instant_delivery (闪送, 跑腿, 同城配送) and other (其他): the workers table is
-- rebuilt to change its CHECK (SQLite's procedure: new table, copy, drop, rename, indexes
-- again), its rows and ids kept.
-- worker_numbers: the 身份证号 and 手机号 a worker had before, in full like the current ones,
-- so that an export made before a change still finds its worker (src/db/workers/index.rs).
CREATE TABLE workers_v11 (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    gender           TEXT CHECK (gender IN ('male', 'female')),
    id_number        TEXT UNIQUE CHECK (id_number IS NULL OR length(id_number) = 18),
    phone            TEXT UNIQUE CHECK (phone IS NULL OR length(phone) = 11),
    political_status TEXT CHECK (political_status IN ('party_member', 'probationary_member', 'league_member',
                                                      'democratic_party', 'non_partisan', 'masses')),
    occupation       TEXT NOT NULL CHECK (occupation IN ('courier', 'delivery_rider', 'ride_hailing_driver', 'truck_driver',
                                                         'instant_delivery', 'other')),
    enterprise_id    INTEGER REFERENCES enterprises(id),
    station_id       INTEGER REFERENCES stations(id),
    street_id        INTEGER NOT NULL REFERENCES streets(id),
    community_id     INTEGER REFERENCES communities(id),
    joined_on        TEXT,
    left_on          TEXT,
    note             TEXT,
    purged_on        TEXT,
    CHECK (id_number IS NOT NULL OR phone IS NOT NULL OR purged_on IS NOT NULL)
);
INSERT INTO workers_v11 (id, name, gender, id_number, phone, political_status, occupation,
                         enterprise_id, station_id, street_id, community_id, joined_on, left_on, note,
                         purged_on)
    SELECT id, name, gender, id_number, phone, political_status, occupation,
           enterprise_id, station_id, street_id, community_id, joined_on, left_on, note, purged_on
    FROM workers;
DROP TABLE workers;
ALTER TABLE workers_v11 RENAME TO workers;
CREATE INDEX workers_street ON workers(street_id);
CREATE INDEX workers_stock ON workers(street_id, station_id, political_status, joined_on, left_on);

CREATE TABLE worker_numbers (
    id        INTEGER PRIMARY KEY,
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    kind      TEXT NOT NULL CHECK (kind IN ('id_number', 'phone')),
    number    TEXT NOT NULL CHECK ((kind = 'id_number' AND length(number) = 18) OR (kind = 'phone' AND length(number) = 11)),
    until     TEXT NOT NULL,
    UNIQUE (kind, number, worker_id)
);
CREATE INDEX worker_numbers_worker ON worker_numbers(worker_id);
