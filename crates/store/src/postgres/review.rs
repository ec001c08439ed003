//! The review facet on PostgreSQL: `review_decisions`, `verifications` and
//! `finding_reviews`, append-only (triggers refuse changes), each written with the
//! caller's audit step before it commits, as on SQLite (`sqlite/review.rs`).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{GenericClient, Transaction};
use trove_model::{
    FindingDecision, MatchCandidate, ReviewDecision, SubjectKind, Verification, VerificationStatus,
};

use super::PgCatalog;
use super::lists::candidates_of_person;
use crate::StoreError;
use crate::decode::{parse_review, parse_timestamp, timestamp};
use crate::review::{BeforeCommit, ReviewCatalog, ReviewProgress};

impl PgCatalog {
    /// Runs `write` and the caller's `before_commit` step (its audit append) in one
    /// transaction: the change is kept only if both succeed.
    pub(super) fn write_then(
        &self,
        write: impl FnOnce(&mut Transaction<'_>) -> Result<(), StoreError>,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            write(&mut tx)?;
            before_commit()?;
            tx.commit()?;
            Ok(())
        })
    }
}

impl ReviewCatalog for PgCatalog {
    fn record_review_then(
        &self,
        decision: &ReviewDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        crate::review::check_decision(decision)?;
        let row = i64::from(decision.row);
        self.write_then(
            |tx| {
                let changed = tx.execute(
                    "UPDATE match_candidates SET review = $4
                     WHERE list = $1 AND row = $2 AND person = $3",
                    &[
                        &decision.list,
                        &row,
                        &decision.person,
                        &decision.review.code(),
                    ],
                )?;
                if changed == 0 {
                    return Err(crate::review::no_such_candidate(decision));
                }
                tx.execute(
                    "INSERT INTO review_decisions (list, row, person, review, note, by_user, at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        &decision.list,
                        &row,
                        &decision.person,
                        &decision.review.code(),
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

    fn review_progress(&self) -> Result<Vec<ReviewProgress>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    r#"SELECT list COLLATE "C", COUNT(*), COUNT(*) FILTER (WHERE review = 'unreviewed')
                       FROM match_candidates GROUP BY 1 ORDER BY 1"#,
                    &[],
                )?
                .iter()
                .map(|row| ReviewProgress {
                    list: row.get(0),
                    candidates: row.get::<_, i64>(1).max(0) as u64,
                    unreviewed: row.get::<_, i64>(2).max(0) as u64,
                })
                .collect())
        })
    }

    fn person_matches(&self, person: &str) -> Result<Vec<MatchCandidate>, StoreError> {
        self.with_client(|client| candidates_of_person(client, person))
    }

    fn review_history(&self, list: &str) -> Result<Vec<ReviewDecision>, StoreError> {
        self.with_client(|client| decisions_where(client, list, "list = $1", &[&list]))
    }

    fn candidate_history(
        &self,
        list: &str,
        row: u32,
        person: &str,
    ) -> Result<Vec<ReviewDecision>, StoreError> {
        self.with_client(|client| {
            decisions_where(
                client,
                list,
                "list = $1 AND row = $2 AND person = $3",
                &[&list, &i64::from(row), &person],
            )
        })
    }

    fn record_verification_then(
        &self,
        verification: &Verification,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        let evidence = serde_json::to_string(&verification.evidence)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.write_then(
            |tx| {
                tx.execute(
                    "INSERT INTO verifications
                         (subject_kind, subject, status, note, evidence, by_user, at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        &verification.subject_kind.code(),
                        &verification.subject,
                        &verification.status.code(),
                        &verification.note,
                        &evidence,
                        &verification.by,
                        &timestamp(&verification.at),
                    ],
                )?;
                Ok(())
            },
            before_commit,
        )
    }

    fn verification_history(
        &self,
        kind: SubjectKind,
        subject: &str,
    ) -> Result<Vec<Verification>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    "SELECT status, note, evidence, by_user, at FROM verifications
                     WHERE subject_kind = $1 AND subject = $2 ORDER BY seq",
                    &[&kind.code(), &subject],
                )?
                .iter()
                .map(|row| {
                    Ok(Verification {
                        subject_kind: kind,
                        subject: subject.to_owned(),
                        status: row
                            .get::<_, &str>(0)
                            .parse()
                            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                        note: row.get(1),
                        evidence: serde_json::from_str(row.get(2))
                            .map_err(|e| StoreError::Corrupt(format!("evidence JSON: {e}")))?,
                        by: row.get(3),
                        at: parse_timestamp(row.get(4))?,
                    })
                })
                .collect()
        })
    }

    fn current_statuses(
        &self,
        kind: SubjectKind,
    ) -> Result<HashMap<String, VerificationStatus>, StoreError> {
        self.with_client(|client| {
            // The latest row of each subject.
            client
                .query(
                    "SELECT DISTINCT ON (subject) subject, status FROM verifications
                     WHERE subject_kind = $1 ORDER BY subject, seq DESC",
                    &[&kind.code()],
                )?
                .iter()
                .map(|row| {
                    let status: VerificationStatus = row
                        .get::<_, &str>(1)
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("{e}")))?;
                    Ok((row.get(0), status))
                })
                .collect()
        })
    }

    fn record_finding_review_then(
        &self,
        decision: &FindingDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        self.write_then(
            |tx| {
                tx.execute(
                    "INSERT INTO finding_reviews (finding, review, note, by_user, at)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[
                        &decision.finding,
                        &decision.review.code(),
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

    fn finding_reviews(&self) -> Result<Vec<FindingDecision>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    "SELECT finding, review, note, by_user, at FROM finding_reviews ORDER BY seq",
                    &[],
                )?
                .iter()
                .map(|row| {
                    Ok(FindingDecision {
                        finding: row.get(0),
                        review: row
                            .get::<_, &str>(1)
                            .parse()
                            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                        note: row.get(2),
                        by: row.get(3),
                        at: parse_timestamp(row.get(4))?,
                    })
                })
                .collect()
        })
    }
}

/// The decisions of `list` matching `condition` (SQL over `values`), oldest first.
fn decisions_where(
    client: &mut impl GenericClient,
    list: &str,
    condition: &str,
    values: &[&(dyn ToSql + Sync)],
) -> Result<Vec<ReviewDecision>, StoreError> {
    client
        .query(
            &format!(
                "SELECT row, person, review, note, by_user, at FROM review_decisions
                 WHERE {condition} ORDER BY seq"
            ),
            values,
        )?
        .iter()
        .map(|row| {
            Ok(ReviewDecision {
                list: list.to_owned(),
                row: row.get::<_, i64>(0) as u32,
                person: row.get(1),
                review: parse_review(row.get(2))?,
                note: row.get(3),
                by: row.get(4),
                at: parse_timestamp(row.get(5))?,
            })
        })
        .collect()
}
