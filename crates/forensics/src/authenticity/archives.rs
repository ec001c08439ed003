//! Archive members against their contents. An archive records when each member was
//! last changed; the member's own metadata says when it was saved (a document) or taken
//! (a photo). A member cannot have been saved or photographed after the archive recorded
//! it, so a later own date means the metadata, a clock or the archive was altered.
//!
//! Archives write local time without a zone and metadata is often UTC: a day either way
//! is allowed before anything is said.

use chrono::{Days, NaiveDate, NaiveDateTime};

use super::time::{exif_time, metadata_date};
use super::{DocumentFact, Evidence, Finding, ImageFact, Section, Strength, Value, Words};

/// Time zones and clocks a day apart are not an anomaly.
const TOLERANCE: Days = Days::new(1);

pub(super) fn findings(images: &[ImageFact], documents: &[DocumentFact]) -> Vec<Finding> {
    let photos = images.iter().filter_map(|image| {
        let archived = image.archived_at?;
        let taken = exif_time(image.facts.exif.date_time_original.as_deref()?)?;
        later_than_archived(taken.date(), archived).then(|| {
            finding(
                &image.paths,
                "authenticity.finding.member_taken_after_archive",
                taken.to_string(),
                archived,
                Evidence::document(&image.blob, &image.paths),
            )
        })
    });
    let saved = documents.iter().filter_map(|document| {
        let archived = document.archived_at?;
        let metadata = &document.metadata;
        let text = metadata
            .modified
            .as_deref()
            .or(metadata.created.as_deref())?;
        let date = metadata_date(text)?;
        later_than_archived(date, archived).then(|| {
            finding(
                &document.paths,
                "authenticity.finding.member_saved_after_archive",
                date.to_string(),
                archived,
                Evidence::document(&document.blob, &document.paths),
            )
        })
    });
    photos.chain(saved).collect()
}

fn later_than_archived(own: NaiveDate, archived: NaiveDateTime) -> bool {
    archived
        .date()
        .checked_add_days(TOLERANCE)
        .is_some_and(|latest| own > latest)
}

fn finding(
    paths: &[String],
    what: &'static str,
    when: String,
    archived: NaiveDateTime,
    evidence: Evidence,
) -> Finding {
    let name: Value = match paths
        .iter()
        .find(|path| path.contains("!/"))
        .or(paths.first())
    {
        Some(path) => Value::Text(path.clone()),
        None => Words::new("authenticity.finding.an_archive_member").into(),
    };
    Finding::new(
        Section::Documents,
        "member_newer_than_archive",
        Strength::Anomaly,
        Words::new(what)
            .value("name", name)
            .arg("when", when)
            .arg("archived", archived),
    )
    .with([evidence])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticity::photos::tests::photo;
    use trove_model::{BlobId, FileKind, Metadata};

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn a_member_dated_after_its_archive_recorded_it_is_found_within_a_days_grace() {
        let mut later = photo(1, "x.jpg", Some("2018:05:02 10:00:00"), &[]);
        later.paths = vec!["照片.zip!/x.jpg".into()];
        later.archived_at = Some(at("2018-04-30 09:00:00"));
        let mut next_day = photo(2, "y.jpg", Some("2018:05:01 23:00:00"), &[]);
        next_day.archived_at = Some(at("2018-04-30 09:00:00"));
        let loose = photo(3, "z.jpg", Some("2030:01:01 00:00:00"), &[]);
        let document = |n: u8, modified: &str, archived: &str| DocumentFact {
            blob: BlobId::from_digest([n; 32]),
            kind: FileKind::Docx,
            paths: vec![format!("材料.rar!/{n}.docx")],
            metadata: Metadata {
                modified: Some(modified.into()),
                ..Metadata::default()
            },
            archived_at: Some(at(archived)),
        };
        let documents = [
            document(4, "2019-03-01T08:00:00Z", "2018-12-31 17:00:00"),
            document(5, "2018-12-31T08:00:00Z", "2018-12-31 17:00:00"),
        ];
        let found = findings(&[later, next_day, loose], &documents);
        let statements: Vec<&str> = found.iter().map(|f| f.statement.as_str()).collect();
        assert_eq!(found.len(), 2, "{statements:?}");
        assert!(statements[0].starts_with("照片.zip!/x.jpg was taken on 2018-05-02 10:00:00"));
        assert!(statements[1].contains("4.docx was saved on 2019-03-01"));
        assert!(found.iter().all(|f| f.strength == Strength::Anomaly));
    }
}
