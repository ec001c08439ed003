//! The annotations facet on SQLite (`011_annotations.sql`).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use trove_model::SubjectKind;

use super::SqliteCatalog;
use crate::StoreError;
use crate::annotations::{Activity, Annotation, AnnotationCatalog, Note};
use crate::connection::collect_rows;
use crate::decode::{parse_timestamp, timestamp};
use crate::review::BeforeCommit;

impl AnnotationCatalog for SqliteCatalog {
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
                        "INSERT OR IGNORE INTO tags (subject_kind, subject, tag, by_user, at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![kind, subject, tag, by, at],
                    )?,
                    Annotation::Untag(tag) => tx.execute(
                        "DELETE FROM tags WHERE subject_kind = ?1 AND subject = ?2 AND tag = ?3",
                        params![kind, subject, tag],
                    )?,
                    Annotation::Note(note) => tx.execute(
                        "INSERT INTO notes (subject_kind, subject, note, by_user, at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![kind, subject, note, by, at],
                    )?,
                    Annotation::Star => tx.execute(
                        "INSERT OR IGNORE INTO stars (user_name, subject_kind, subject, at)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![by, kind, subject, at],
                    )?,
                    Annotation::Unstar => tx.execute(
                        "DELETE FROM stars
                         WHERE user_name = ?1 AND subject_kind = ?2 AND subject = ?3",
                        params![by, kind, subject],
                    )?,
                };
                Ok(())
            },
            before_commit,
        )
    }

    fn tags_of(&self, kind: SubjectKind, subject: &str) -> Result<Vec<String>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT tag FROM tags WHERE subject_kind = ?1 AND subject = ?2 ORDER BY tag",
            )?;
            collect_rows(&mut statement, params![kind.code(), subject], |row| {
                Ok(row.get(0)?)
            })
        })
    }

    fn notes_of(&self, kind: SubjectKind, subject: &str) -> Result<Vec<Note>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT note, by_user, at FROM notes
                 WHERE subject_kind = ?1 AND subject = ?2 ORDER BY seq",
            )?;
            collect_rows(&mut statement, params![kind.code(), subject], |row| {
                Ok(Note {
                    note: row.get(0)?,
                    by: row.get(1)?,
                    at: parse_timestamp(&row.get::<_, String>(2)?)?,
                })
            })
        })
    }

    fn starred(&self, user: &str, kind: SubjectKind, subject: &str) -> Result<bool, StoreError> {
        self.with_connection(|connection| {
            Ok(connection
                .query_row(
                    "SELECT 1 FROM stars WHERE user_name = ?1 AND subject_kind = ?2 AND subject = ?3",
                    params![user, kind.code(), subject],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
    }

    fn tagged(&self, tag: &str, kind: SubjectKind) -> Result<Vec<String>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT subject FROM tags WHERE tag = ?1 AND subject_kind = ?2 ORDER BY subject",
            )?;
            collect_rows(&mut statement, params![tag, kind.code()], |row| {
                Ok(row.get(0)?)
            })
        })
    }

    fn recent_activity(&self, limit: usize) -> Result<Vec<Activity>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT at, by_user, 'review', 'person', person,
                        review || ', list ' || list || ' row ' || row FROM review_decisions
                 UNION ALL
                 SELECT at, by_user, 'verification', subject_kind, subject, status
                 FROM verifications
                 UNION ALL
                 SELECT at, by_user, 'note', subject_kind, subject, substr(note, 1, 120)
                 FROM notes
                 ORDER BY 1 DESC LIMIT ?1",
            )?;
            collect_rows(
                &mut statement,
                [limit.min(i64::MAX as usize) as i64],
                |row| {
                    let kind: String = row.get(2)?;
                    let subject_kind: String = row.get(3)?;
                    Ok(Activity {
                        at: parse_timestamp(&row.get::<_, String>(0)?)?,
                        by: row.get(1)?,
                        kind: match kind.as_str() {
                            "review" => "review",
                            "verification" => "verification",
                            _ => "note",
                        },
                        subject_kind: subject_kind.parse().map_err(|_| {
                            StoreError::Corrupt(format!("subject kind {subject_kind:?}"))
                        })?,
                        subject: row.get(4)?,
                        detail: row.get(5)?,
                    })
                },
            )
        })
    }

    fn tag_counts(&self) -> Result<Vec<(String, u64)>, StoreError> {
        self.with_connection(|connection| {
            let mut statement =
                connection.prepare("SELECT tag, COUNT(*) FROM tags GROUP BY tag ORDER BY tag")?;
            collect_rows(&mut statement, [], |row| {
                Ok((row.get(0)?, row.get::<_, i64>(1)?.max(0) as u64))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_notes_and_stars_are_kept_per_subject_and_user() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
        let at = Utc::now();
        let apply = |kind, subject: &str, change: Annotation, by: &str| {
            catalog
                .annotate_then(kind, subject, &change, by, at, &mut || Ok(()))
                .unwrap();
        };
        let person = SubjectKind::Person;
        apply(
            person,
            "p1",
            Annotation::Tag("family-report".into()),
            "eddie",
        );
        apply(
            person,
            "p1",
            Annotation::Tag("family-report".into()),
            "eddie",
        );
        apply(person, "p1", Annotation::Tag("called".into()), "eddie");
        apply(person, "p2", Annotation::Tag("called".into()), "eddie");
        apply(person, "p1", Annotation::Untag("called".into()), "eddie");
        apply(
            person,
            "p1",
            Annotation::Note("the sister confirmed".into()),
            "eddie",
        );
        apply(person, "p1", Annotation::Star, "vera");
        assert_eq!(catalog.tags_of(person, "p1").unwrap(), ["family-report"]);
        assert_eq!(catalog.tagged("called", person).unwrap(), ["p2"]);
        assert_eq!(
            catalog.tag_counts().unwrap(),
            [("called".to_owned(), 1), ("family-report".to_owned(), 1)]
        );
        assert_eq!(
            catalog.notes_of(person, "p1").unwrap()[0].note,
            "the sister confirmed"
        );
        assert!(catalog.starred("vera", person, "p1").unwrap());
        assert!(!catalog.starred("eddie", person, "p1").unwrap());
        apply(person, "p1", Annotation::Unstar, "vera");
        assert!(!catalog.starred("vera", person, "p1").unwrap());
        // A change whose audit step fails is not kept.
        let failed = catalog.annotate_then(
            person,
            "p3",
            &Annotation::Tag("lost".into()),
            "eddie",
            at,
            &mut || Err(StoreError::NotRecorded("no audit".into())),
        );
        assert!(failed.is_err());
        assert!(catalog.tags_of(person, "p3").unwrap().is_empty());
        let recent = catalog.recent_activity(10).unwrap();
        assert_eq!(recent.len(), 1, "one note; tags and stars are not activity");
        assert_eq!((recent[0].kind, recent[0].by.as_str()), ("note", "eddie"));
    }
}
