-- Version 12: undated assignments and coverage.
-- A register may give no 选派日期 (instructors) or no 成立日期 (organizations, whose coverage
-- starts on that day): such a row is "in force throughout" — the reports count it in every
-- period until its last day, if any (src/db/figures.rs). The first day stored stays the day of
-- import (lists, moves and corrections keep working on it); `undated` = 1 says no day was given.
-- Rows stored before this version carry no such mark: their first day is kept as it was.
ALTER TABLE instructor_stations ADD COLUMN undated INTEGER NOT NULL DEFAULT 0 CHECK (undated IN (0, 1));
ALTER TABLE org_coverage ADD COLUMN undated INTEGER NOT NULL DEFAULT 0 CHECK (undated IN (0, 1));
-- Reports read every change of a worker's street to count a past day's flows under the street
-- of that day; this index holds just those rows.
CREATE INDEX change_log_street ON change_log(entity) WHERE field = 'street';
