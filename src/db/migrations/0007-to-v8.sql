-- Version 8: check-ins rolled up per month, worker and street, kept current by every writer of
-- check-ins, so that the distinct workers of any street and period come from one row per
-- worker-month instead of every check-in. Filled here from the check-ins already stored.
CREATE TABLE checkin_months (
    month     INTEGER NOT NULL,          -- YYYYMM
    worker_id INTEGER NOT NULL,
    street_id INTEGER NOT NULL,
    checkins  INTEGER NOT NULL CHECK (checkins > 0),
    PRIMARY KEY (month, worker_id, street_id)
) WITHOUT ROWID;
INSERT INTO checkin_months (month, worker_id, street_id, checkins)
    SELECT CAST(substr(date, 1, 4) || substr(date, 6, 2) AS INTEGER), worker_id, street_id, count(*)
    FROM checkins GROUP BY 1, 2, 3;
