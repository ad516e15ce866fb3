-- Version 16: CHECK constraints without constant IN lists. SQLite builds a temporary index of
-- an IN list of three or more constants every time a statement checks it, so once per row
-- written; `(col = 'a' OR col = 'b' OR …)` accepts and refuses the same values without it.
-- The change leaves every stored row as it is, so it is made in place, the way SQLite's
-- documentation describes for constraint changes (ALTER TABLE, "making other kinds of table
-- schema changes"): the table definitions are rewritten by expand_in_lists() (src/db/in_lists.rs),
-- and the upgrade then raises the schema cookie and runs PRAGMA quick_check, which checks
-- every row against the rewritten constraints.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = expand_in_lists(sql)
 WHERE type = 'table' AND sql IS NOT NULL AND sql <> expand_in_lists(sql);
PRAGMA writable_schema = OFF;
