//! The review facet on SQLite: `review_decisions`, `verifications` and `finding_reviews`,
//! append-only, each written with the caller's audit step before it commits.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction, params};
use trove_model::{
    FindingDecision, MatchCandidate, ReviewDecision, SubjectKind, Verification, VerificationStatus,
};

use super::SqliteCatalog;
use super::lists::candidates_of_person;
use crate::StoreError;
use crate::connection::collect_rows;
use crate::decode::{parse_review, parse_timestamp, timestamp};
use crate::review::{BeforeCommit, ReviewCatalog, ReviewProgress};

impl SqliteCatalog {
    /// Runs `write` and the caller's `before_commit` step (its audit append) in one
    /// transaction: the change is kept only if both succeed.
    pub(super) fn write_then(
        &self,
        write: impl FnOnce(&Transaction<'_>) -> Result<(), StoreError>,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            write(&tx)?;
            before_commit()?;
            tx.commit()?;
            Ok(())
        })
    }
}

impl ReviewCatalog for SqliteCatalog {
    fn record_review_then(
        &self,
        decision: &ReviewDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        crate::review::check_decision(decision)?;
        self.write_then(
            |tx| {
                let changed = tx.execute(
                    "UPDATE match_candidates SET review = ?4
                 WHERE list = ?1 AND row = ?2 AND person = ?3",
                    params![
                        decision.list,
                        decision.row,
                        decision.person,
                        decision.review.code()
                    ],
                )?;
                if changed == 0 {
                    return Err(crate::review::no_such_candidate(decision));
                }
                tx.execute(
                    "INSERT INTO review_decisions (list, row, person, review, note, by_user, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        decision.list,
                        decision.row,
                        decision.person,
                        decision.review.code(),
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

    fn review_progress(&self) -> Result<Vec<ReviewProgress>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT list, COUNT(*), SUM(review = 'unreviewed') FROM match_candidates
                 GROUP BY list ORDER BY list",
            )?;
            collect_rows(&mut statement, [], |row| {
                Ok(ReviewProgress {
                    list: row.get(0)?,
                    candidates: row.get::<_, i64>(1)?.max(0) as u64,
                    unreviewed: row.get::<_, i64>(2)?.max(0) as u64,
                })
            })
        })
    }

    fn person_matches(&self, person: &str) -> Result<Vec<MatchCandidate>, StoreError> {
        self.with_connection(|connection| candidates_of_person(connection, person))
    }

    fn review_history(&self, list: &str) -> Result<Vec<ReviewDecision>, StoreError> {
        self.with_connection(|connection| {
            decisions_where(connection, list, "list = ?1", params![list])
        })
    }

    fn candidate_history(
        &self,
        list: &str,
        row: u32,
        person: &str,
    ) -> Result<Vec<ReviewDecision>, StoreError> {
        self.with_connection(|connection| {
            decisions_where(
                connection,
                list,
                "list = ?1 AND row = ?2 AND person = ?3",
                params![list, row, person],
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
                "INSERT INTO verifications (subject_kind, subject, status, note, evidence, by_user, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    verification.subject_kind.code(),
                    verification.subject,
                    verification.status.code(),
                    verification.note,
                    evidence,
                    verification.by,
                    timestamp(&verification.at)
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
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT status, note, evidence, by_user, at FROM verifications
                 WHERE subject_kind = ?1 AND subject = ?2 ORDER BY seq",
            )?;
            collect_rows(&mut statement, params![kind.code(), subject], |row| {
                Ok(Verification {
                    subject_kind: kind,
                    subject: subject.to_owned(),
                    status: row
                        .get::<_, String>(0)?
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    note: row.get(1)?,
                    evidence: serde_json::from_str(&row.get::<_, String>(2)?)
                        .map_err(|e| StoreError::Corrupt(format!("evidence JSON: {e}")))?,
                    by: row.get(3)?,
                    at: parse_timestamp(&row.get::<_, String>(4)?)?,
                })
            })
        })
    }

    fn current_statuses(
        &self,
        kind: SubjectKind,
    ) -> Result<HashMap<String, VerificationStatus>, StoreError> {
        self.with_connection(|connection| {
            // The latest row of each subject: SQLite takes the bare columns from the row
            // where max(seq) is found.
            let mut statement = connection.prepare(
                "SELECT subject, status, max(seq) FROM verifications
                 WHERE subject_kind = ?1 GROUP BY subject",
            )?;
            collect_rows(&mut statement, params![kind.code()], |row| {
                let status: String = row.get(1)?;
                let status: VerificationStatus = status
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("{e}")))?;
                Ok::<_, StoreError>((row.get::<_, String>(0)?, status))
            })
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
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        decision.finding,
                        decision.review.code(),
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

    fn finding_reviews(&self) -> Result<Vec<FindingDecision>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT finding, review, note, by_user, at FROM finding_reviews ORDER BY seq",
            )?;
            collect_rows(&mut statement, [], |row| {
                Ok(FindingDecision {
                    finding: row.get(0)?,
                    review: row
                        .get::<_, String>(1)?
                        .parse()
                        .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    note: row.get(2)?,
                    by: row.get(3)?,
                    at: parse_timestamp(&row.get::<_, String>(4)?)?,
                })
            })
        })
    }
}

/// The decisions of `list` matching `condition` (SQL over `values`), oldest first.
fn decisions_where(
    connection: &Connection,
    list: &str,
    condition: &str,
    values: impl rusqlite::Params,
) -> Result<Vec<ReviewDecision>, StoreError> {
    let mut statement = connection.prepare(&format!(
        "SELECT row, person, review, note, by_user, at FROM review_decisions
         WHERE {condition} ORDER BY seq"
    ))?;
    collect_rows(&mut statement, values, |row| {
        Ok(ReviewDecision {
            list: list.to_owned(),
            row: row.get(0)?,
            person: row.get(1)?,
            review: parse_review(&row.get::<_, String>(2)?)?,
            note: row.get(3)?,
            by: row.get(4)?,
            at: parse_timestamp(&row.get::<_, String>(5)?)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use trove_model::{ListInfo, MatchCandidate, Review};

    use chrono::Utc;
    use trove_model::VerificationStatus;

    use crate::review::ReviewCatalog;
    use crate::{CandidateFilter, ListCatalog, SqliteCatalog, StoreError, XrefBatch};

    use rusqlite::Connection;

    use super::*;

    fn catalog_with_candidate() -> (tempfile::TempDir, SqliteCatalog) {
        let dir = tempfile::tempdir().unwrap();
        let catalog = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
        let info = ListInfo {
            name: "relatives".into(),
            file_name: "relatives.csv".into(),
            blake3: "00".into(),
            entries: 0,
        };
        catalog.import_list(&info, &[]).unwrap();
        let batch = XrefBatch {
            candidates: vec![MatchCandidate {
                list: "relatives".into(),
                row: 2,
                person: "p1".into(),
                score: 0.9,
                fields: Vec::new(),
                review: Review::Unreviewed,
            }],
            ..XrefBatch::default()
        };
        catalog.save_xref("relatives", &batch).unwrap();
        (dir, catalog)
    }

    fn decision(review: Review, note: &str, second: u32) -> ReviewDecision {
        ReviewDecision {
            list: "relatives".into(),
            row: 2,
            person: "p1".into(),
            review,
            note: note.into(),
            by: "rita".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, second).unwrap(),
        }
    }

    #[test]
    fn decisions_are_kept_in_order_and_the_latest_is_the_candidates_review() {
        let (_dir, catalog) = catalog_with_candidate();
        let first = decision(Review::Unsure, "same village, other birth year", 1);
        let second = decision(Review::Accepted, "the photo matches", 2);
        catalog.record_review(&first).unwrap();
        catalog.record_review(&second).unwrap();
        assert_eq!(
            catalog.review_history("relatives").unwrap(),
            vec![first, second]
        );
        let candidates = catalog.match_candidates("relatives").unwrap();
        assert_eq!(candidates[0].review, Review::Accepted);
        assert_eq!(catalog.person_matches("p1").unwrap(), candidates);
        let progress = catalog.review_progress().unwrap();
        assert_eq!((progress[0].candidates, progress[0].unreviewed), (1, 0));
    }

    #[test]
    fn a_decision_on_an_unknown_candidate_is_refused_and_not_kept() {
        let (_dir, catalog) = catalog_with_candidate();
        let mut stray = decision(Review::Accepted, "", 1);
        stray.person = "p2".into();
        assert!(matches!(
            catalog.record_review(&stray),
            Err(StoreError::NotFound { .. })
        ));
        assert!(catalog.review_history("relatives").unwrap().is_empty());
    }

    #[test]
    fn verification_history_is_per_subject_and_cannot_be_rewritten() {
        let (dir, catalog) = catalog_with_candidate();
        let status = |status, subject: &str| Verification {
            subject_kind: SubjectKind::Person,
            subject: subject.into(),
            status,
            note: "checked".into(),
            evidence: vec!["https://example.org/report".into()],
            by: "eddie".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap(),
        };
        let corroborated = status(VerificationStatus::Corroborated, "p1");
        let disputed = status(VerificationStatus::Disputed, "p1");
        catalog.record_verification(&corroborated).unwrap();
        catalog
            .record_verification(&status(VerificationStatus::Verified, "p2"))
            .unwrap();
        catalog.record_verification(&disputed).unwrap();
        assert_eq!(
            catalog
                .verification_history(SubjectKind::Person, "p1")
                .unwrap(),
            vec![corroborated, disputed]
        );
        let raw = Connection::open(dir.path().join("trove.sqlite")).unwrap();
        assert!(raw.execute("DELETE FROM verifications", []).is_err());
        assert!(
            raw.execute("UPDATE verifications SET status = 'verified'", [])
                .is_err()
        );
    }

    #[test]
    fn a_page_of_candidates_is_the_same_slice_of_the_whole_list_in_order() {
        let (_dir, catalog) = catalog_with_candidate();
        let candidates: Vec<MatchCandidate> = (0..7)
            .map(|i| MatchCandidate {
                list: "relatives".into(),
                row: 10 + i % 3,
                person: format!("q{i}"),
                score: [0.5, 0.95, 0.7][i as usize % 3],
                fields: Vec::new(),
                review: Review::Unreviewed,
            })
            .collect();
        let batch = XrefBatch {
            candidates,
            ..XrefBatch::default()
        };
        catalog.save_xref("relatives", &batch).unwrap();
        let mut accepted = decision(Review::Accepted, "", 1);
        (accepted.row, accepted.person) = (11, "q1".into());
        catalog.record_review(&accepted).unwrap();

        let all = catalog.match_candidates("relatives").unwrap();
        assert_eq!(all.len(), 8);
        for (offset, limit) in [(0, 3), (3, 3), (6, 3), (9, 3)] {
            let page = catalog
                .candidates_page("relatives", &CandidateFilter::default(), offset, limit)
                .unwrap();
            let expected: Vec<MatchCandidate> = all
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .cloned()
                .collect();
            assert_eq!(page, expected, "{offset}");
        }
        let only = |filter: CandidateFilter| {
            catalog
                .candidates_page("relatives", &filter, 0, 100)
                .unwrap()
        };
        let unreviewed = only(CandidateFilter {
            review: Some(Review::Unreviewed),
            ..CandidateFilter::default()
        });
        assert_eq!(unreviewed.len(), 7);
        assert!(unreviewed.iter().all(|c| c.person != "q1"));
        let middle = only(CandidateFilter {
            min_score: Some(0.6),
            below_score: Some(0.9),
            ..CandidateFilter::default()
        });
        assert_eq!(middle.len(), 2, "the two at 0.7");
        assert!(middle.iter().all(|c| c.score == 0.7));
        assert_eq!(
            catalog.candidate_history("relatives", 11, "q1").unwrap(),
            vec![accepted]
        );
        assert!(
            catalog
                .candidate_history("relatives", 2, "p1")
                .unwrap()
                .is_empty()
        );
    }
}
