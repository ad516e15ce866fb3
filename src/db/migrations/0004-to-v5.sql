-- Version 5: the ledger is sealed. Each entry gets a seal, the SHA-256 of the previous seal and
-- the entry's columns (nuanfeng_seal, a function nuanfeng registers on its connections), so
-- `points check` finds an entry changed, removed or added by another program. Entries already
-- in the file are sealed here, in id order.
CREATE TABLE ledger_seals (
    entry_id INTEGER PRIMARY KEY REFERENCES point_entries(id),
    seal     TEXT NOT NULL               -- hex SHA-256 (src/db/ledger.rs `seal_of`)
);
CREATE TRIGGER ledger_seals_no_update BEFORE UPDATE ON ledger_seals
BEGIN
    SELECT RAISE(ABORT, 'ledger_seals is append-only');
END;
CREATE TRIGGER ledger_seals_no_delete BEFORE DELETE ON ledger_seals
BEGIN
    SELECT RAISE(ABORT, 'ledger_seals is append-only');
END;
CREATE TRIGGER point_entries_seal AFTER INSERT ON point_entries
BEGIN
    INSERT INTO ledger_seals (entry_id, seal) VALUES (NEW.id, nuanfeng_seal(
        (SELECT seal FROM ledger_seals ORDER BY entry_id DESC LIMIT 1),
        NEW.id, NEW.worker_id, NEW.date, NEW.points, NEW.kind, NEW.category, NEW.reason,
        NEW.occurrence, NEW.event_key, NEW.rule, NEW.source_table, NEW.source_id, NEW.reverses,
        NEW.allow_negative, NEW.operator, NEW.entered_at, NEW.batch_id));
END;
WITH RECURSIVE chain(id, seal) AS (
    SELECT e.id, nuanfeng_seal(NULL, e.id, e.worker_id, e.date, e.points, e.kind, e.category,
           e.reason, e.occurrence, e.event_key, e.rule, e.source_table, e.source_id, e.reverses,
           e.allow_negative, e.operator, e.entered_at, e.batch_id)
    FROM point_entries e WHERE e.id = (SELECT min(id) FROM point_entries)
    UNION ALL
    SELECT e.id, nuanfeng_seal(chain.seal, e.id, e.worker_id, e.date, e.points, e.kind,
           e.category, e.reason, e.occurrence, e.event_key, e.rule, e.source_table, e.source_id,
           e.reverses, e.allow_negative, e.operator, e.entered_at, e.batch_id)
    FROM chain JOIN point_entries e ON e.id = (SELECT min(id) FROM point_entries WHERE id > chain.id)
)
INSERT INTO ledger_seals (entry_id, seal) SELECT id, seal FROM chain;
