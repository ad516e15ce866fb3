-- Version 17: two indexes cheaper to keep as an import writes.
-- * workers_street (street_id) goes: workers_stock begins with street_id, so every lookup by
--   street finds its index there, and an import of workers writes one index fewer per row.
-- * change_log_entity orders a record's changes by the number of its id (CAST(entity_id AS
--   INTEGER)) rather than by its text: the ids an import logs are ascending numbers, which the
--   text order scatters over the whole index ('10' between '1' and '2') and the number order
--   appends at its end. A rule's code reads as 0; its changes are few, and the lookups compare
--   entity_id itself as well.
DROP INDEX workers_street;
DROP INDEX change_log_entity;
CREATE INDEX change_log_entity ON change_log(entity, CAST(entity_id AS INTEGER));
