//! The lists facet on PostgreSQL: each [`ListCatalog`] operation, meaning what it means
//! on SQLite (`sqlite/lists.rs`), and the candidate query the review facet shares.

use std::collections::HashSet;

use postgres::GenericClient;
use postgres::types::ToSql;
use trove_model::{ListEntry, ListInfo, MatchCandidate};

use super::PgCatalog;
use crate::StoreError;
use crate::decode::{parse_list_json, parse_review, to_json};
use crate::lists::{CandidateFilter, ListCatalog, StoredEntry, XrefBatch};

impl ListCatalog for PgCatalog {
    fn import_list(&self, info: &ListInfo, entries: &[ListEntry]) -> Result<(), StoreError> {
        let rows: Vec<i64> = entries.iter().map(|e| i64::from(e.row)).collect();
        let data = entries.iter().map(to_json).collect::<Result<Vec<_>, _>>()?;
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            // A list imported again starts over: its old entries and matches go.
            for table in ["match_candidates", "xref_persons", "list_entries"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE list = $1"),
                    &[&info.name],
                )?;
            }
            tx.execute(
                &format!(
                    "INSERT INTO lists (name, file_name, blake3, imported)
                     VALUES ($1, $2, $3, {})
                     ON CONFLICT (name) DO UPDATE SET file_name = excluded.file_name,
                         blake3 = excluded.blake3, imported = excluded.imported",
                    super::NOW
                ),
                &[&info.name, &info.file_name, &info.blake3],
            )?;
            tx.execute(
                "INSERT INTO list_entries (list, row, data)
                 SELECT $1, row, data FROM unnest($2::BIGINT[], $3::TEXT[]) AS new (row, data)",
                &[&info.name, &rows, &data],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn list_info(&self, name: &str) -> Result<Option<ListInfo>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query_opt(
                    "SELECT file_name, blake3,
                            (SELECT COUNT(*) FROM list_entries WHERE list = $1)
                     FROM lists WHERE name = $1",
                    &[&name],
                )?
                .map(|row| ListInfo {
                    name: name.to_owned(),
                    file_name: row.get(0),
                    blake3: row.get(1),
                    entries: row.get::<_, i64>(2) as u32,
                }))
        })
    }

    fn list_entries(&self, name: &str) -> Result<Vec<StoredEntry>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    "SELECT data, scored FROM list_entries WHERE list = $1 ORDER BY row",
                    &[&name],
                )?
                .iter()
                .map(|row| {
                    Ok(StoredEntry {
                        entry: parse_list_json(row.get(0))?,
                        scored: row.get(1),
                    })
                })
                .collect()
        })
    }

    fn list_entry(&self, name: &str, row: u32) -> Result<Option<ListEntry>, StoreError> {
        self.with_client(|client| {
            client
                .query_opt(
                    "SELECT data FROM list_entries WHERE list = $1 AND row = $2",
                    &[&name, &i64::from(row)],
                )?
                .map(|row| parse_list_json(row.get(0)))
                .transpose()
        })
    }

    fn xref_persons(&self, name: &str) -> Result<HashSet<String>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query("SELECT person FROM xref_persons WHERE list = $1", &[&name])?
                .iter()
                .map(|row| row.get(0))
                .collect())
        })
    }

    fn save_xref(&self, name: &str, batch: &XrefBatch) -> Result<(), StoreError> {
        let candidates = super::last_of_each(&batch.candidates, |c| (c.row, c.person.as_str()));
        let rows: Vec<i64> = candidates.iter().map(|c| i64::from(c.row)).collect();
        let persons: Vec<&str> = candidates.iter().map(|c| c.person.as_str()).collect();
        let scores: Vec<f64> = candidates.iter().map(|c| c.score).collect();
        let fields = candidates
            .iter()
            .map(|c| to_json(&c.fields))
            .collect::<Result<Vec<_>, _>>()?;
        let scored: Vec<i64> = batch.scored_rows.iter().map(|r| i64::from(*r)).collect();
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute(
                "INSERT INTO match_candidates (list, row, person, score, fields)
                 SELECT $1, row, person, score, fields
                 FROM unnest($2::BIGINT[], $3::TEXT[], $4::DOUBLE PRECISION[], $5::TEXT[])
                      AS new (row, person, score, fields)
                 ON CONFLICT (list, row, person) DO UPDATE SET score = excluded.score,
                     fields = excluded.fields",
                &[&name, &rows, &persons, &scores, &fields],
            )?;
            tx.execute(
                "UPDATE list_entries SET scored = TRUE WHERE list = $1 AND row = ANY($2)",
                &[&name, &scored],
            )?;
            tx.execute(
                "INSERT INTO xref_persons (list, person) SELECT $1, unnest($2::TEXT[])
                 ON CONFLICT DO NOTHING",
                &[&name, &batch.persons],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn match_candidates(&self, name: &str) -> Result<Vec<MatchCandidate>, StoreError> {
        self.with_client(|client| {
            candidates_where(
                client,
                r#"list = $1 ORDER BY score DESC, row, person COLLATE "C""#,
                &[&name],
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
        let review = filter.review.map(|review| review.code());
        let limit = limit.min(i64::MAX as u64) as i64;
        let offset = offset.min(i64::MAX as u64) as i64;
        self.with_client(|client| {
            candidates_where(
                client,
                r#"list = $1 AND ($2::TEXT IS NULL OR review = $2)
                   AND ($3::DOUBLE PRECISION IS NULL OR score >= $3)
                   AND ($4::DOUBLE PRECISION IS NULL OR score < $4)
                   ORDER BY score DESC, row, person COLLATE "C" LIMIT $5 OFFSET $6"#,
                &[
                    &name,
                    &review,
                    &filter.min_score,
                    &filter.below_score,
                    &limit,
                    &offset,
                ],
            )
        })
    }
}

/// Every list's candidates for one Person, best first.
pub(super) fn candidates_of_person(
    client: &mut impl GenericClient,
    person: &str,
) -> Result<Vec<MatchCandidate>, StoreError> {
    candidates_where(
        client,
        r#"person = $1 ORDER BY score DESC, list COLLATE "C", row"#,
        &[&person],
    )
}

/// Candidates matching `condition` (SQL over `values`, with its order).
fn candidates_where(
    client: &mut impl GenericClient,
    condition: &str,
    values: &[&(dyn ToSql + Sync)],
) -> Result<Vec<MatchCandidate>, StoreError> {
    client
        .query(
            &format!(
                "SELECT list, row, person, score, fields, review FROM match_candidates
                 WHERE {condition}"
            ),
            values,
        )?
        .iter()
        .map(|row| {
            Ok(MatchCandidate {
                list: row.get(0),
                row: row.get::<_, i64>(1) as u32,
                person: row.get(2),
                score: row.get(3),
                fields: parse_list_json(row.get(4))?,
                review: parse_review(row.get(5))?,
            })
        })
        .collect()
}
