-- Version 18: erasures not yet finished. `worker purge` inserts a row in the transaction that
-- erases the workers and deletes it once VACUUM has rewritten the file; a row left means the
-- erased values may still lie in the file's free pages, and the next command that opens the
-- registry finishes the erasure (src/db/purge.rs) while `check` names it.
CREATE TABLE pending_erasures (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,             -- when the purge committed, 'YYYY-MM-DD HH:MM:SS'
    workers INTEGER NOT NULL CHECK (workers >= 0),  -- how many workers it erased
    command TEXT NOT NULL              -- `worker purge`
);
