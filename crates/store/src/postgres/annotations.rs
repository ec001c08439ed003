//! The annotations facet on PostgreSQL: each [`AnnotationCatalog`] operation, meaning
//! what it means on SQLite (`sqlite/annotations.rs`).

use chrono::{DateTime, Utc};
use trove_model::SubjectKind;

use super::PgCatalog;
use crate::StoreError;
use crate::annotations::{Activity, Annotation, AnnotationCatalog, Note};
use crate::decode::{parse_timestamp, timestamp};
use crate::review::BeforeCommit;

impl AnnotationCatalog for PgCatalog {
    fn annotate_then(
        &self,
        kind: SubjectKind,
        subject: &str,
        change: &Annotation,
        by: &str,
        at: DateTime<Utc>,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError> {
        let (kind, at) = (kind.code(), timestamp(&at));
        self.write_then(
            |tx| {
                match change {
                    Annotation::Tag(tag) => tx.execute(
                        "INSERT INTO tags (subject_kind, subject, tag, by_user, at)
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                        &[&kind, &subject, tag, &by, &at],
                    )?,
                    Annotation::Untag(tag) => tx.execute(
                        "DELETE FROM tags WHERE subject_kind = $1 AND subject = $2 AND tag = $3",
                        &[&kind, &subject, tag],
                    )?,
                    Annotation::Note(note) => tx.execute(
                        "INSERT INTO notes (subject_kind, subject, note, by_user, at)
                         VALUES ($1, $2, $3, $4, $5)",
                        &[&kind, &subject, note, &by, &at],
                    )?,
                    Annotation::Star => tx.execute(
                        "INSERT INTO stars (user_name, subject_kind, subject, at)
                         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        &[&by, &kind, &subject, &at],
                    )?,
                    Annotation::Unstar => tx.execute(
                        "DELETE FROM stars
                         WHERE user_name = $1 AND subject_kind = $2 AND subject = $3",
                        &[&by, &kind, &subject],
                    )?,
                };
                Ok(())
            },
            before_commit,
        )
    }

    fn tags_of(&self, kind: SubjectKind, subject: &str) -> Result<Vec<String>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    r#"SELECT tag FROM tags WHERE subject_kind = $1 AND subject = $2
                       ORDER BY tag COLLATE "C""#,
                    &[&kind.code(), &subject],
                )?
                .iter()
                .map(|row| row.get(0))
                .collect())
        })
    }

    fn notes_of(&self, kind: SubjectKind, subject: &str) -> Result<Vec<Note>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    "SELECT note, by_user, at FROM notes
                     WHERE subject_kind = $1 AND subject = $2 ORDER BY seq",
                    &[&kind.code(), &subject],
                )?
                .iter()
                .map(|row| {
                    Ok(Note {
                        note: row.get(0),
                        by: row.get(1),
                        at: parse_timestamp(row.get(2))?,
                    })
                })
                .collect()
        })
    }

    fn starred(&self, user: &str, kind: SubjectKind, subject: &str) -> Result<bool, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query_opt(
                    "SELECT 1 FROM stars WHERE user_name = $1 AND subject_kind = $2 AND subject = $3",
                    &[&user, &kind.code(), &subject],
                )?
                .is_some())
        })
    }

    fn tagged(&self, tag: &str, kind: SubjectKind) -> Result<Vec<String>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    r#"SELECT subject FROM tags WHERE tag = $1 AND subject_kind = $2
                       ORDER BY subject COLLATE "C""#,
                    &[&tag, &kind.code()],
                )?
                .iter()
                .map(|row| row.get(0))
                .collect())
        })
    }

    fn tag_counts(&self) -> Result<Vec<(String, u64)>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    r#"SELECT tag COLLATE "C", COUNT(*) FROM tags GROUP BY 1 ORDER BY 1"#,
                    &[],
                )?
                .iter()
                .map(|row| (row.get(0), row.get::<_, i64>(1).max(0) as u64))
                .collect())
        })
    }

    fn recent_activity(&self, limit: usize) -> Result<Vec<Activity>, StoreError> {
        let limit = limit.min(i64::MAX as usize) as i64;
        self.with_client(|client| {
            client
                .query(
                    r#"SELECT at COLLATE "C", by_user, 'review', 'person', person,
                              review || ', list ' || list || ' row ' || row
                       FROM review_decisions
                       UNION ALL
                       SELECT at, by_user, 'verification', subject_kind, subject, status
                       FROM verifications
                       UNION ALL
                       SELECT at, by_user, 'note', subject_kind, subject, substr(note, 1, 120)
                       FROM notes
                       ORDER BY 1 DESC LIMIT $1"#,
                    &[&limit],
                )?
                .iter()
                .map(|row| {
                    let kind: &str = row.get(2);
                    let subject_kind: &str = row.get(3);
                    Ok(Activity {
                        at: parse_timestamp(row.get(0))?,
                        by: row.get(1),
                        kind: match kind {
                            "review" => "review",
                            "verification" => "verification",
                            _ => "note",
                        },
                        subject_kind: subject_kind.parse().map_err(|_| {
                            StoreError::Corrupt(format!("subject kind {subject_kind:?}"))
                        })?,
                        subject: row.get(4),
                        detail: row.get(5),
                    })
                })
                .collect()
        })
    }
}
