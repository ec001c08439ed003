//! The lists facet on SQLite: each [`ListCatalog`] operation in full, and the
//! candidate query the review facet shares.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use trove_model::{ListEntry, ListInfo, MatchCandidate};

use super::SqliteCatalog;
use crate::StoreError;
use crate::connection::collect_rows;
use crate::decode::{parse_list_json, parse_review, to_json};
use crate::lists::{CandidateFilter, ListCatalog, StoredEntry, XrefBatch};

impl ListCatalog for SqliteCatalog {
    fn import_list(&self, info: &ListInfo, entries: &[ListEntry]) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            // A list imported again starts over: its old entries and matches go.
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
                let mut insert = tx.prepare_cached(
                    "INSERT INTO list_entries (list, row, data) VALUES (?1, ?2, ?3)",
                )?;
                for entry in entries {
                    insert.execute(params![info.name, entry.row, to_json(entry)?])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn list_info(&self, name: &str) -> Result<Option<ListInfo>, StoreError> {
        self.with_connection(|connection| {
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
        })
    }

    fn list_entries(&self, name: &str) -> Result<Vec<StoredEntry>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection
                .prepare("SELECT data, scored FROM list_entries WHERE list = ?1 ORDER BY row")?;
            collect_rows(&mut statement, [name], |row| {
                Ok(StoredEntry {
                    entry: parse_list_json(&row.get::<_, String>(0)?)?,
                    scored: row.get(1)?,
                })
            })
        })
    }

    fn list_entry(&self, name: &str, row: u32) -> Result<Option<ListEntry>, StoreError> {
        self.with_connection(|connection| {
            let data: Option<String> = connection
                .query_row(
                    "SELECT data FROM list_entries WHERE list = ?1 AND row = ?2",
                    params![name, row],
                    |row| row.get(0),
                )
                .optional()?;
            data.map(|data| parse_list_json(&data)).transpose()
        })
    }

    fn xref_persons(&self, name: &str) -> Result<HashSet<String>, StoreError> {
        self.with_connection(|connection| {
            let mut statement =
                connection.prepare("SELECT person FROM xref_persons WHERE list = ?1")?;
            collect_rows(&mut statement, [name], |row| Ok(row.get(0)?))
        })
    }

    fn save_xref(&self, name: &str, batch: &XrefBatch) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            {
                let mut candidate = tx.prepare_cached(
                    "INSERT INTO match_candidates (list, row, person, score, fields)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (list, row, person) DO UPDATE SET score = excluded.score,
                         fields = excluded.fields",
                )?;
                for c in &batch.candidates {
                    candidate.execute(params![
                        name,
                        c.row,
                        c.person,
                        c.score,
                        to_json(&c.fields)?
                    ])?;
                }
                let mut scored = tx.prepare_cached(
                    "UPDATE list_entries SET scored = 1 WHERE list = ?1 AND row = ?2",
                )?;
                for row in &batch.scored_rows {
                    scored.execute(params![name, row])?;
                }
                let mut person = tx.prepare_cached(
                    "INSERT OR IGNORE INTO xref_persons (list, person) VALUES (?1, ?2)",
                )?;
                for key in &batch.persons {
                    person.execute(params![name, key])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn match_candidates(&self, name: &str) -> Result<Vec<MatchCandidate>, StoreError> {
        self.with_connection(|connection| {
            candidates_where(
                connection,
                "list = ?1 ORDER BY score DESC, row, person",
                &[Value::Text(name.to_owned())],
            )
        })
    }

    fn candidates_page(
        &self,
        name: &str,
        filter: &CandidateFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<MatchCandidate>, StoreError> {
        let count = |n: u64| Value::Integer(n.min(i64::MAX as u64) as i64);
        let mut values = vec![Value::Text(name.to_owned())];
        let mut condition = "list = ?1".to_owned();
        let mut and = |sql: &str, value: Value, values: &mut Vec<Value>| {
            values.push(value);
            condition.push_str(&format!(" AND {sql} ?{}", values.len()));
        };
        if let Some(review) = filter.review {
            and(
                "review =",
                Value::Text(review.code().to_owned()),
                &mut values,
            );
        }
        if let Some(min) = filter.min_score {
            and("score >=", Value::Real(min), &mut values);
        }
        if let Some(below) = filter.below_score {
            and("score <", Value::Real(below), &mut values);
        }
        values.extend([count(limit), count(offset)]);
        let sql = format!(
            "{condition} ORDER BY score DESC, row, person LIMIT ?{} OFFSET ?{}",
            values.len() - 1,
            values.len()
        );
        self.with_connection(|connection| candidates_where(connection, &sql, &values))
    }
}

/// Every list's candidates for one Person, best first.
pub(super) fn candidates_of_person(
    connection: &Connection,
    person: &str,
) -> Result<Vec<MatchCandidate>, StoreError> {
    candidates_where(
        connection,
        "person = ?1 ORDER BY score DESC, list, row",
        &[Value::Text(person.to_owned())],
    )
}

/// Candidates matching `condition` (SQL with numbered parameters for `values`, and its
/// order).
fn candidates_where(
    connection: &Connection,
    condition: &str,
    values: &[Value],
) -> Result<Vec<MatchCandidate>, StoreError> {
    let mut statement = connection.prepare(&format!(
        "SELECT list, row, person, score, fields, review FROM match_candidates WHERE {condition}"
    ))?;
    collect_rows(&mut statement, rusqlite::params_from_iter(values), |row| {
        Ok(MatchCandidate {
            list: row.get(0)?,
            row: row.get(1)?,
            person: row.get(2)?,
            score: row.get(3)?,
            fields: parse_list_json(&row.get::<_, String>(4)?)?,
            review: parse_review(&row.get::<_, String>(5)?)?,
        })
    })
}
