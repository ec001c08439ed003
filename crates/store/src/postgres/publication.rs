//! The publication facet on PostgreSQL: `publication_decisions` (append-only) and
//! `publication_secret`, as on SQLite (`sqlite/publication.rs`).

use std::collections::HashMap;

use postgres::Row;
use trove_model::PublicationDecision;

use super::PgCatalog;
use crate::StoreError;
use crate::decode::{parse_timestamp, timestamp};
use crate::publication::PublicationCatalog;
use crate::review::BeforeCommit;

const COLUMNS: &str = "person, publish, consent, minor_allowed, note, by_user, at";

fn decision(row: &Row) -> Result<PublicationDecision, StoreError> {
    Ok(PublicationDecision {
        person: row.get(0),
        publish: row.get(1),
        consent: row
            .get::<_, &str>(2)
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        minor_allowed: row.get(3),
        note: row.get(4),
        by: row.get(5),
        at: parse_timestamp(row.get(6))?,
    })
}

impl PublicationCatalog for PgCatalog {
    fn record_publication_then(
        &self,
        decision: &PublicationDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        self.write_then(
            |tx| {
                tx.execute(
                    &format!(
                        "INSERT INTO publication_decisions ({COLUMNS})
                         VALUES ($1, $2, $3, $4, $5, $6, $7)"
                    ),
                    &[
                        &decision.person,
                        &decision.publish,
                        &decision.consent.code(),
                        &decision.minor_allowed,
                        &decision.note,
                        &decision.by,
                        &timestamp(&decision.at),
                    ],
                )?;
                Ok(())
            },
            before_commit,
        )
    }

    fn publication_history(&self, person: &str) -> Result<Vec<PublicationDecision>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    &format!(
                        "SELECT {COLUMNS} FROM publication_decisions WHERE person = $1 ORDER BY seq"
                    ),
                    &[&person],
                )?
                .iter()
                .map(decision)
                .collect()
        })
    }

    fn publication_decisions(&self) -> Result<HashMap<String, PublicationDecision>, StoreError> {
        self.with_client(|client| {
            // The latest row of each person.
            client
                .query(
                    &format!(
                        "SELECT DISTINCT ON (person) {COLUMNS} FROM publication_decisions
                         ORDER BY person, seq DESC"
                    ),
                    &[],
                )?
                .iter()
                .map(|row| {
                    let decision = decision(row)?;
                    Ok((decision.person.clone(), decision))
                })
                .collect()
        })
    }

    fn publication_secret(&self) -> Result<[u8; 32], StoreError> {
        self.with_client(|client| {
            let secret: Vec<u8> = client
                .query_one("SELECT secret FROM publication_secret WHERE id = 1", &[])?
                .get(0);
            secret
                .try_into()
                .map_err(|_| StoreError::Corrupt("the publication secret is not 32 bytes".into()))
        })
    }
}
