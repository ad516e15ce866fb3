-- Version 18.
-- The access log keeps the ledger digest (`db::ledger::Digest`, `820:3f2a…`) as it was when
-- each command with --show-pii opened the registry: a record, beside the digests printed on
-- reports, of how far the ledger went and what it held. Rows of earlier versions have none
-- (NULL).
ALTER TABLE pii_access ADD COLUMN ledger_digest TEXT;
-- Erasures not yet finished. `worker purge` inserts a row in the transaction that erases the
-- workers and deletes it once VACUUM has rewritten the file; a row left means the erased
-- values may still lie in the file's free pages, and the next command that opens the
-- registry finishes the erasure (src/db/purge.rs) while `check` names it.
CREATE TABLE pending_erasures (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,             -- when the purge committed, 'YYYY-MM-DD HH:MM:SS'
    workers INTEGER NOT NULL CHECK (workers >= 0),  -- how many workers it erased
    command TEXT NOT NULL              -- `worker purge`
);
