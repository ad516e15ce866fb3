-- Version 15: what an import batch proves about the file after it.
-- `reading`: how the batch read its file (this build, encoding, sheet, header row, column
-- maps), so that the same bytes read the same way are recognised. `commit_counter`: SQLite's
-- file change counter (header bytes 24..28) that the batch's own commit produced, when it could
-- be read (a plaintext file in rollback-journal mode); NULL otherwise. While the file's counter
-- still equals it, nothing at all was written to the file since that batch.
ALTER TABLE import_batches ADD COLUMN reading TEXT NOT NULL DEFAULT '';
ALTER TABLE import_batches ADD COLUMN commit_counter INTEGER;
