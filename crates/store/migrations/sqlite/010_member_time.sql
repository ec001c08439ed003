-- The time an archive records for a member (its directory's modification time, as the
-- archive writes it, without a time zone): the authenticity report holds it against the
-- member's own dates. NULL for loose files and for archives that record none.
ALTER TABLE occurrences ADD COLUMN member_time TEXT;
