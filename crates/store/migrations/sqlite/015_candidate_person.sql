-- Same-person candidates are persons sharing a name and birth date. The key's index now
-- holds the person too, so that the keys two persons or more hold are found in the index
-- alone. Before, every key held by more than one record was joined with itself, and one
-- person is on several lists: most of the keys.
DROP INDEX IF EXISTS records_candidate;
CREATE INDEX records_candidate ON records(candidate_key, person) WHERE candidate_key IS NOT NULL;
