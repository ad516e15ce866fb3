-- Version 14: nuanfeng seals each new ledger entry itself, in the same transaction and with
-- the same seal (src/db/ledger/seal.rs `Chain::append`), so an insert no longer runs triggers
-- that look the ledger up. An entry inserted around nuanfeng, INSERT OR REPLACE included,
-- has no seal or one that does not match its columns, and `points check` names it. UPDATE
-- and DELETE of an entry or a seal stay refused.
DROP TRIGGER point_entries_no_replace;
DROP TRIGGER point_entries_seal;
