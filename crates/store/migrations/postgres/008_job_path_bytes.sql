-- A file whose name is not UTF-8 (GBK from a Windows machine, say): `path` holds the
-- name as text with `\xNN` for each byte that is no UTF-8, as a local ingest records it,
-- and `path_bytes` the name's own bytes, by which a worker opens the file.
ALTER TABLE jobs ADD COLUMN path_bytes BYTEA;
