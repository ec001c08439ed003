-- A count of the changes to what a blob's records are read from: a new extraction (or a
-- reset), a new path, OCR'd pages. Not the row version: the indexer's `indexed` flag
-- changes that too, and must not make the records stage read again. The records stage
-- keeps, with each blob it has read, the generation it read: a blob whose generation has
-- moved since is pending again, however a worker's write and the records stage's
-- interleave.
ALTER TABLE blobs ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE record_sources ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
