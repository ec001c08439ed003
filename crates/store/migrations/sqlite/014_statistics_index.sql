-- Statistics read every record grouped by person, in source order. Sorting a million wide
-- rows for that took seconds; an index that holds every column statistics read, in that
-- order, is read straight through instead. The detention date, until now only inside the
-- JSON, becomes a column so that the index can hold it. Led by the person, the index also
-- serves every look-up by person, so the person index goes.
ALTER TABLE records ADD COLUMN detained_since TEXT;
UPDATE records SET detained_since = data ->> '$.fields.detained_since';
CREATE INDEX records_statistics ON records(person, blob, part, row, col, list, id_number,
    id_valid, sex, ethnicity, birth_date, township, village, status, detention,
    detained_since);
DROP INDEX records_person;
