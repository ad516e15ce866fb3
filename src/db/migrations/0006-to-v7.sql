-- Version 7: instructor assignments keep their history. A station's assignment ends (until_on,
-- its last day) when the station moves to another instructor or is unassigned, instead of the
-- row being replaced, so 工作覆盖 of a past period stays as it was. Existing assignments are
-- kept as current ones.
CREATE TABLE instructor_stations_v7 (
    id            INTEGER PRIMARY KEY,
    instructor_id INTEGER NOT NULL REFERENCES instructors(id),
    station_id    INTEGER NOT NULL REFERENCES stations(id),
    assigned_on   TEXT NOT NULL,         -- first day
    until_on      TEXT,                  -- last day; NULL while current
    CHECK (until_on IS NULL OR until_on >= assigned_on)
);
INSERT INTO instructor_stations_v7 (instructor_id, station_id, assigned_on)
    SELECT instructor_id, station_id, assigned_on FROM instructor_stations ORDER BY rowid;
DROP TABLE instructor_stations;
ALTER TABLE instructor_stations_v7 RENAME TO instructor_stations;
CREATE UNIQUE INDEX instructor_stations_current ON instructor_stations(station_id) WHERE until_on IS NULL;
CREATE INDEX instructor_stations_instructor ON instructor_stations(instructor_id);
