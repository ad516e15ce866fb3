-- Version 3: a ledger entry can no longer be overwritten by INSERT OR REPLACE (which deletes
-- the row it replaces without firing DELETE triggers).
CREATE TRIGGER point_entries_no_replace BEFORE INSERT ON point_entries
WHEN EXISTS (SELECT 1 FROM point_entries WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM point_entries
             WHERE worker_id = NEW.worker_id AND date = NEW.date AND event_key = NEW.event_key)
  OR EXISTS (SELECT 1 FROM point_entries WHERE reverses = NEW.reverses)
  OR EXISTS (SELECT 1 FROM point_entries
             WHERE NEW.kind = 'earn' AND kind = 'earn' AND source_table = NEW.source_table
               AND source_id = NEW.source_id)
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: an entry is never replaced');
END;
