//! Documents: the programs that wrote them and the authors they name (an inventory), and
//! dates and encodings that do not fit the leak: a date after today, or outside the
//! window the leak covers; Traditional Chinese encodings (Big5) in the files of a
//! mainland office, which writes GBK or UTF-8.

use std::collections::BTreeMap;

use super::time::metadata_date;
use super::{DateWindow, DocumentFact, Evidence, Finding, Section, Strength, plural};

pub(super) fn findings(documents: &[DocumentFact], window: &DateWindow) -> Vec<Finding> {
    let mut findings = inventory(documents, "generator", |d| d.metadata.generator.as_deref());
    findings.extend(inventory(documents, "author", |d| {
        d.metadata.author.as_deref()
    }));
    for document in documents {
        findings.extend(dates_outside(document, window));
        findings.extend(traditional_encoding(document));
    }
    findings
}

/// One fact per program (or author) the metadata names, with how many documents.
fn inventory(
    documents: &[DocumentFact],
    what: &str,
    field: impl Fn(&DocumentFact) -> Option<&str>,
) -> Vec<Finding> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for document in documents {
        if let Some(value) = field(document).map(str::trim).filter(|v| !v.is_empty()) {
            *counts.entry(value).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(value, count)| {
            Finding::new(
                Section::Documents,
                &format!("document_{what}"),
                Strength::Fact,
                format!("{what} {value}: {}", plural(count, "document")),
            )
        })
        .collect()
}

fn dates_outside(document: &DocumentFact, window: &DateWindow) -> Vec<Finding> {
    let metadata = &document.metadata;
    [
        ("created", &metadata.created),
        ("modified", &metadata.modified),
    ]
    .into_iter()
    .filter_map(|(which, text)| {
        let date = metadata_date(text.as_deref()?)?;
        let (strength, why) = window.judge(date)?;
        Some(
            Finding::new(
                Section::Documents,
                "document_date_outside_leak",
                strength,
                format!("{} says it was {which} on {date}: {why}", name(document)),
            )
            .with([Evidence::document(&document.blob, &document.paths)]),
        )
    })
    .collect()
}

fn traditional_encoding(document: &DocumentFact) -> Option<Finding> {
    let encoding = document.metadata.encoding.as_deref()?;
    encoding.eq_ignore_ascii_case("big5").then(|| {
        Finding::new(
            Section::Documents,
            "document_traditional_encoding",
            Strength::Anomaly,
            format!(
                "{} is written in {encoding} (Traditional Chinese), not the GBK or UTF-8 of mainland offices",
                name(document)
            ),
        )
        .with([Evidence::document(&document.blob, &document.paths)])
    })
}

fn name(document: &DocumentFact) -> &str {
    document
        .paths
        .first()
        .map(String::as_str)
        .unwrap_or("a document")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticity::codes_of;
    use chrono::NaiveDate;
    use trove_model::{BlobId, FileKind, Metadata};

    #[test]
    fn a_document_from_the_future_and_one_in_big5_are_found() {
        let document = |n: u8, path: &str, metadata: Metadata| DocumentFact {
            blob: BlobId::from_digest([n; 32]),
            kind: FileKind::Docx,
            paths: vec![path.into()],
            metadata,
        };
        let documents = vec![
            document(
                1,
                "讲话.docx",
                Metadata {
                    generator: Some("WPS Office".into()),
                    created: Some("2031-05-01T08:00:00Z".into()),
                    ..Metadata::default()
                },
            ),
            document(
                2,
                "通知.txt",
                Metadata {
                    encoding: Some("Big5".into()),
                    ..Metadata::default()
                },
            ),
        ];
        let window = DateWindow {
            from: None,
            until: NaiveDate::from_ymd_opt(2018, 12, 31),
            today: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        };
        let found = findings(&documents, &window);
        assert_eq!(
            codes_of(&found),
            [
                ("document_generator", Strength::Fact),
                ("document_date_outside_leak", Strength::Strong),
                ("document_traditional_encoding", Strength::Anomaly),
            ]
        );
    }
}
