//! The lists facet on SQLite.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};
use trove_model::{ListEntry, ListInfo, MatchCandidate, Review};

use crate::StoreError;
use crate::lists::{StoredEntry, XrefBatch};

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("list JSON: {e}")))
}

pub(super) fn import(
    connection: &mut Connection,
    info: &ListInfo,
    entries: &[ListEntry],
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    for table in ["match_candidates", "xref_persons", "list_entries"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE list = ?1"),
            [&info.name],
        )?;
    }
    tx.execute(
        "INSERT INTO lists (name, file_name, blake3, imported)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (name) DO UPDATE SET file_name = excluded.file_name,
             blake3 = excluded.blake3, imported = excluded.imported",
        params![info.name, info.file_name, info.blake3],
    )?;
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO list_entries (list, row, data) VALUES (?1, ?2, ?3)")?;
        for entry in entries {
            insert.execute(params![info.name, entry.row, json(entry)?])?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn info(connection: &Connection, name: &str) -> Result<Option<ListInfo>, StoreError> {
    let info = connection
        .query_row(
            "SELECT file_name, blake3, (SELECT COUNT(*) FROM list_entries WHERE list = ?1)
             FROM lists WHERE name = ?1",
            [name],
            |row| {
                Ok(ListInfo {
                    name: name.to_owned(),
                    file_name: row.get(0)?,
                    blake3: row.get(1)?,
                    entries: row.get(2)?,
                })
            },
        )
        .optional()?;
    Ok(info)
}

pub(super) fn entries(connection: &Connection, name: &str) -> Result<Vec<StoredEntry>, StoreError> {
    let mut statement =
        connection.prepare("SELECT data, scored FROM list_entries WHERE list = ?1 ORDER BY row")?;
    let rows = statement
        .query_map([name], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(data, scored)| {
            Ok(StoredEntry {
                entry: parse(&data)?,
                scored,
            })
        })
        .collect()
}

pub(super) fn persons(connection: &Connection, name: &str) -> Result<HashSet<String>, StoreError> {
    let mut statement = connection.prepare("SELECT person FROM xref_persons WHERE list = ?1")?;
    let persons = statement
        .query_map([name], |row| row.get::<_, String>(0))?
        .collect::<Result<HashSet<_>, _>>()?;
    Ok(persons)
}

pub(super) fn save(
    connection: &mut Connection,
    name: &str,
    batch: &XrefBatch,
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    {
        let mut candidate = tx.prepare_cached(
            "INSERT INTO match_candidates (list, row, person, score, fields)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (list, row, person) DO UPDATE SET score = excluded.score,
                 fields = excluded.fields",
        )?;
        for c in &batch.candidates {
            candidate.execute(params![name, c.row, c.person, c.score, json(&c.fields)?])?;
        }
        let mut scored =
            tx.prepare_cached("UPDATE list_entries SET scored = 1 WHERE list = ?1 AND row = ?2")?;
        for row in &batch.scored_rows {
            scored.execute(params![name, row])?;
        }
        let mut person =
            tx.prepare_cached("INSERT OR IGNORE INTO xref_persons (list, person) VALUES (?1, ?2)")?;
        for key in &batch.persons {
            person.execute(params![name, key])?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn candidates(
    connection: &Connection,
    name: &str,
) -> Result<Vec<MatchCandidate>, StoreError> {
    candidates_where(
        connection,
        "list = ?1 ORDER BY score DESC, row, person",
        name,
    )
}

/// Every list's candidates for one Person, best first.
pub(super) fn candidates_of_person(
    connection: &Connection,
    person: &str,
) -> Result<Vec<MatchCandidate>, StoreError> {
    candidates_where(
        connection,
        "person = ?1 ORDER BY score DESC, list, row",
        person,
    )
}

/// Candidates matching `condition` (SQL with one parameter, `?1`, and its order).
fn candidates_where(
    connection: &Connection,
    condition: &str,
    value: &str,
) -> Result<Vec<MatchCandidate>, StoreError> {
    let mut statement = connection.prepare(&format!(
        "SELECT list, row, person, score, fields, review FROM match_candidates WHERE {condition}"
    ))?;
    let rows = statement
        .query_map([value], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, f64>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(list, row, person, score, fields, review)| {
            Ok(MatchCandidate {
                list,
                row,
                person,
                score,
                fields: parse(&fields)?,
                review: Review::from_code(&review)
                    .ok_or_else(|| StoreError::Corrupt(format!("review {review:?}")))?,
            })
        })
        .collect()
}
