-- Version 18: the access log keeps the ledger digest (`db::ledger::Digest`, `820:3f2a…`) as
-- it was when each command with --show-pii opened the registry: a record, beside the digests
-- printed on reports, of how far the ledger went and what it held. Rows of earlier versions
-- have none (NULL).
ALTER TABLE pii_access ADD COLUMN ledger_digest TEXT;
