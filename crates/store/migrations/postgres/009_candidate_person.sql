-- Same-person candidates: the key's index holds the person too, so that the keys two
-- persons or more hold are found in the index alone (see SQLite's 015).
DROP INDEX IF EXISTS records_candidate;
CREATE INDEX records_candidate ON records (candidate_key, person COLLATE "C")
    WHERE candidate_key IS NOT NULL;
