-- The language each user reads the workbench in (a code of the web crate's message
-- catalog: en, zh-Hans, ug). No row: English.
CREATE TABLE user_settings (
    user_name TEXT PRIMARY KEY REFERENCES users(name),
    language  TEXT NOT NULL
) WITHOUT ROWID;
