-- A count of the changes to what a blob's records are read from: a new extraction (or a
-- reset), a new path, OCR'd pages. The records stage lists a blob with it and marks the
-- blob done only if it has not moved meanwhile. Not the row version: the indexer's
-- `indexed` flag changes that too, and must not make the records stage read again.
ALTER TABLE blobs ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
