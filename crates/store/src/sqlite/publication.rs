//! The publication facet on SQLite: `publication_decisions` (append-only) and
//! `publication_secret`.

use std::collections::HashMap;

use rusqlite::{Row, params};
use trove_model::PublicationDecision;

use super::SqliteCatalog;
use crate::StoreError;
use crate::connection::collect_rows;
use crate::decode::{parse_timestamp, timestamp};
use crate::publication::PublicationCatalog;
use crate::review::BeforeCommit;

const COLUMNS: &str = "person, publish, consent, minor_allowed, note, by_user, at";

fn decision(row: &Row<'_>) -> Result<PublicationDecision, StoreError> {
    Ok(PublicationDecision {
        person: row.get(0)?,
        publish: row.get(1)?,
        consent: row
            .get::<_, String>(2)?
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        minor_allowed: row.get(3)?,
        note: row.get(4)?,
        by: row.get(5)?,
        at: parse_timestamp(&row.get::<_, String>(6)?)?,
    })
}

impl PublicationCatalog for SqliteCatalog {
    fn record_publication_then(
        &self,
        decision: &PublicationDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        self.write_then(
            |tx| {
                tx.execute(
                    &format!("INSERT INTO publication_decisions ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                    params![
                        decision.person,
                        decision.publish,
                        decision.consent.code(),
                        decision.minor_allowed,
                        decision.note,
                        decision.by,
                        timestamp(&decision.at)
                    ],
                )?;
                Ok(())
            },
            before_commit,
        )
    }

    fn publication_history(&self, person: &str) -> Result<Vec<PublicationDecision>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS} FROM publication_decisions WHERE person = ?1 ORDER BY seq"
            ))?;
            collect_rows(&mut statement, params![person], decision)
        })
    }

    fn publication_decisions(&self) -> Result<HashMap<String, PublicationDecision>, StoreError> {
        self.with_connection(|connection| {
            // The latest row of each person: SQLite takes the bare columns from the row
            // where max(seq) is found.
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS}, max(seq) FROM publication_decisions GROUP BY person"
            ))?;
            collect_rows(&mut statement, [], |row| {
                let decision = decision(row)?;
                Ok::<_, StoreError>((decision.person.clone(), decision))
            })
        })
    }

    fn publication_secret(&self) -> Result<[u8; 32], StoreError> {
        self.with_connection(|connection| {
            let secret: Vec<u8> = connection.query_row(
                "SELECT secret FROM publication_secret WHERE id = 1",
                [],
                |row| row.get(0),
            )?;
            secret
                .try_into()
                .map_err(|_| StoreError::Corrupt("the publication secret is not 32 bytes".into()))
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use trove_model::Consent;

    use super::*;

    fn decision(person: &str, consent: Consent, second: u32) -> PublicationDecision {
        PublicationDecision {
            person: person.to_owned(),
            publish: true,
            consent,
            minor_allowed: false,
            note: "asked the family".to_owned(),
            by: "editor".to_owned(),
            at: Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, second).unwrap(),
        }
    }

    #[test]
    fn the_latest_decision_is_current_and_none_can_be_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = SqliteCatalog::open(dir.path().join("c.sqlite")).unwrap();
        let first = decision("p1", Consent::FamilyConsent, 1);
        let second = decision("p1", Consent::Withheld, 2);
        for d in [&first, &second, &decision("p2", Consent::PublicInterest, 3)] {
            catalog.record_publication_then(d, &mut || Ok(())).unwrap();
        }
        assert_eq!(
            catalog.publication_history("p1").unwrap(),
            [first, second.clone()]
        );
        let current = catalog.publication_decisions().unwrap();
        assert_eq!(current["p1"], second);
        assert_eq!(current["p2"].consent, Consent::PublicInterest);

        let refused = catalog
            .record_publication_then(&decision("p3", Consent::Unrecorded, 4), &mut || {
                Err(StoreError::Corrupt("audit trail unwritable".into()))
            });
        assert!(refused.is_err());
        assert!(catalog.publication_history("p3").unwrap().is_empty());

        let rewrite = catalog.with_connection(|c| {
            c.execute("UPDATE publication_decisions SET consent = 'withheld'", [])?;
            Ok(())
        });
        assert!(rewrite.is_err());
    }

    #[test]
    fn each_store_has_its_own_secret_for_published_ids() {
        let dir = tempfile::tempdir().unwrap();
        let a = SqliteCatalog::open(dir.path().join("a.sqlite")).unwrap();
        let b = SqliteCatalog::open(dir.path().join("b.sqlite")).unwrap();
        let secret = a.publication_secret().unwrap();
        assert_eq!(secret, a.publication_secret().unwrap());
        assert_ne!(secret, b.publication_secret().unwrap());
    }
}
