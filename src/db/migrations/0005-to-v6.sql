-- Version 6: the change log records party organizations too (entity 'org'). SQLite cannot
-- change a CHECK in place: the table is rebuilt, its rows kept.
CREATE TABLE change_log_v6 (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('worker', 'station', 'rule', 'org')),
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    command   TEXT NOT NULL,         -- `worker update`, `import workers` …
    batch_id  INTEGER REFERENCES import_batches(id),
    operator  TEXT NOT NULL
);
INSERT INTO change_log_v6 (id, at, entity, entity_id, field, old, new, command, batch_id, operator)
    SELECT id, at, entity, entity_id, field, old, new, command, batch_id, operator FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_v6 RENAME TO change_log;
CREATE INDEX change_log_entity ON change_log(entity, entity_id);
