//! Documents: the programs that wrote them and the authors they name (an inventory), and
//! dates and encodings that do not fit the leak: a date after today, or outside the
//! window the leak covers; Traditional Chinese in the files of a mainland office, which
//! writes Simplified: a Big5 encoding, or Traditional characters in GBK or UTF-8 text (the
//! extractor judges the script, see `Metadata::script`).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use trove_model::{FileKind, Metadata};

use super::time::metadata_date;
use super::words::count;
use super::{DateWindow, DocumentFact, Evidence, Finding, Section, Strength, Value, Words};

pub(super) fn findings(documents: &[DocumentFact], window: &DateWindow) -> Vec<Finding> {
    let mut findings = inventory(
        documents,
        ("generator", "authenticity.finding.document_generator"),
        |d| d.metadata.generator.as_deref(),
    );
    findings.extend(inventory(
        documents,
        ("author", "authenticity.finding.document_author"),
        |d| d.metadata.author.as_deref(),
    ));
    findings.extend(inventory(
        documents,
        ("last_editor", "authenticity.finding.document_last_editor"),
        |d| d.metadata.last_editor.as_deref(),
    ));
    findings.extend(dates_by_year(documents));
    for document in documents {
        findings.extend(dates_outside(document, window));
        findings.extend(saved_before_its_writer(document));
        findings.extend(traditional_encoding(document));
        findings.extend(traditional_script(document));
    }
    findings
}

/// One fact per program (or author) the metadata names, with how many documents: `what`
/// is the field, and the key of the words that say it.
fn inventory(
    documents: &[DocumentFact],
    (what, key): (&str, &'static str),
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
        .map(|(value, number)| {
            Finding::new(
                Section::Documents,
                &format!("document_{what}"),
                Strength::Fact,
                Words::new(key).arg("value", value).value(
                    "documents",
                    count(
                        number,
                        "authenticity.count.document",
                        "authenticity.count.documents",
                    ),
                ),
            )
        })
        .collect()
}

/// The documents' creation and last-save dates by year: the timeline of the office the
/// leak came from, where a year with nothing or a sudden flood stands out.
fn dates_by_year(documents: &[DocumentFact]) -> Option<Finding> {
    let count_by_year = |date: fn(&Metadata) -> Option<&String>| {
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        for document in documents {
            if let Some(day) = date(&document.metadata).and_then(|text| metadata_date(text)) {
                *years.entry(day.year()).or_default() += 1;
            }
        }
        years
    };
    let created = count_by_year(|m| m.created.as_ref());
    let saved = count_by_year(|m| m.modified.as_ref());
    if created.is_empty() && saved.is_empty() {
        return None;
    }
    let line = |years: &BTreeMap<i32, usize>| -> Value {
        if years.is_empty() {
            return Words::new("authenticity.finding.none_dated").into();
        }
        Value::Text(
            years
                .iter()
                .map(|(year, n)| format!("{year}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    Some(Finding::new(
        Section::Documents,
        "document_dates",
        Strength::Fact,
        Words::new("authenticity.finding.document_dates")
            .value("created", line(&created))
            .value("saved", line(&saved)),
    ))
}

fn dates_outside(document: &DocumentFact, window: &DateWindow) -> Vec<Finding> {
    let metadata = &document.metadata;
    [
        (
            "authenticity.finding.document_created_outside_leak",
            &metadata.created,
        ),
        (
            "authenticity.finding.document_modified_outside_leak",
            &metadata.modified,
        ),
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
                Words::new(which)
                    .value("name", name(document))
                    .arg("date", date)
                    .value("why", why),
            )
            .with([Evidence::document(&document.blob, &document.paths)]),
        )
    })
    .collect()
}

/// The first day a file of this format (or from this program) could have been saved:
/// what wrote it, and since when. Public release dates.
fn writer_since(document: &DocumentFact) -> Option<(Value, NaiveDate)> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    // LibreOffice names itself and its version (`LibreOffice/7.0…`) as an ODF file's
    // generator: the program that saved it last.
    let generator = document.metadata.generator.as_deref().unwrap_or_default();
    if let Some(office) = microsoft_office(generator) {
        return Some(office);
    }
    if let Some(version) = generator.strip_prefix("LibreOffice/") {
        let major: u32 = version.split('.').next()?.parse().ok()?;
        let released = match major {
            3 => day(2011, 1, 25),
            4 => day(2013, 2, 7),
            5 => day(2015, 8, 5),
            6 => day(2018, 1, 31),
            7 => day(2020, 8, 5),
            _ => None,
        }?;
        return Some((Value::Text(format!("LibreOffice {major}")), released));
    }
    match document.kind {
        // Office Open XML: first written by the Office 2007 betas (late 2005).
        FileKind::Docx | FileKind::Xlsx | FileKind::Pptx => Some((
            Words::new("authenticity.finding.ooxml").into(),
            day(2005, 11, 1)?,
        )),
        // OpenDocument 1.0: an OASIS standard from 1 May 2005.
        FileKind::Odt | FileKind::Ods | FileKind::Odp => Some((
            Words::new("authenticity.finding.odf").into(),
            day(2005, 5, 1)?,
        )),
        _ => None,
    }
}

/// Microsoft Office by the version its packages write after the program's name
/// (`Microsoft Office Word 16.0000`), with the day that version was released.
fn microsoft_office(generator: &str) -> Option<(Value, NaiveDate)> {
    if !generator.starts_with("Microsoft") {
        return None;
    }
    let version = generator.rsplit(' ').next()?;
    let major: u32 = version.split('.').next()?.parse().ok()?;
    let (name, released) = match major {
        12 => ("Office 2007", NaiveDate::from_ymd_opt(2007, 1, 30)),
        14 => ("Office 2010", NaiveDate::from_ymd_opt(2010, 6, 15)),
        15 => ("Office 2013", NaiveDate::from_ymd_opt(2013, 1, 29)),
        16 => ("Office 2016", NaiveDate::from_ymd_opt(2015, 9, 22)),
        _ => return None,
    };
    Some((
        Words::new("authenticity.finding.office_version")
            .arg("office", name)
            .arg("version", version)
            .into(),
        released?,
    ))
}

/// A document last saved (by its metadata) before the format or program that saved it
/// existed: a wrong clock, or metadata written by hand. The creation date may be older
/// than the format (a converted .doc keeps its own), so the last save is compared.
fn saved_before_its_writer(document: &DocumentFact) -> Option<Finding> {
    let (writer, since) = writer_since(document)?;
    let saved = metadata_date(document.metadata.modified.as_deref()?)?;
    (saved < since).then(|| {
        Finding::new(
            Section::Documents,
            "document_saved_before_its_writer",
            Strength::Anomaly,
            Words::new("authenticity.finding.document_saved_before_its_writer")
                .value("name", name(document))
                .arg("saved", saved)
                .value("writer", writer)
                .arg("since", since),
        )
        .with([Evidence::document(&document.blob, &document.paths)])
    })
}

fn traditional_encoding(document: &DocumentFact) -> Option<Finding> {
    let encoding = document.metadata.encoding.as_deref()?;
    encoding.eq_ignore_ascii_case("big5").then(|| {
        Finding::new(
            Section::Documents,
            "document_traditional_encoding",
            Strength::Anomaly,
            Words::new("authenticity.finding.document_traditional_encoding")
                .value("name", name(document))
                .arg("encoding", encoding),
        )
        .with([Evidence::document(&document.blob, &document.paths)])
    })
}

/// Traditional characters in a text whose encoding does not already say so (Big5 has its
/// own finding): UTF-8 and GBK carry both scripts.
fn traditional_script(document: &DocumentFact) -> Option<Finding> {
    let metadata = &document.metadata;
    let big5 = metadata
        .encoding
        .as_deref()
        .is_some_and(|encoding| encoding.eq_ignore_ascii_case("big5"));
    (metadata.script.as_deref() == Some("Hant") && !big5).then(|| {
        Finding::new(
            Section::Documents,
            "document_traditional_script",
            Strength::Anomaly,
            match metadata.encoding.as_deref() {
                Some(encoding) => {
                    Words::new("authenticity.finding.document_traditional_script_encoded")
                        .arg("encoding", encoding)
                }
                None => Words::new("authenticity.finding.document_traditional_script"),
            }
            .value("name", name(document)),
        )
        .with([Evidence::document(&document.blob, &document.paths)])
    })
}

fn name(document: &DocumentFact) -> Value {
    match document.paths.first() {
        Some(path) => Value::Text(path.clone()),
        None => Words::new("authenticity.finding.a_document").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticity::codes_of;
    use trove_model::{BlobId, Metadata};

    #[test]
    fn a_document_from_the_future_one_in_big5_and_one_in_traditional_characters_are_found() {
        let document = |n: u8, path: &str, metadata: Metadata| DocumentFact {
            blob: BlobId::from_digest([n; 32]),
            kind: FileKind::Docx,
            paths: vec![path.into()],
            metadata,
            archived_at: None,
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
                    script: Some("Hant".into()),
                    ..Metadata::default()
                },
            ),
            document(
                3,
                "會議紀錄.docx",
                Metadata {
                    script: Some("Hant".into()),
                    ..Metadata::default()
                },
            ),
            document(
                4,
                "会议纪要.docx",
                Metadata {
                    script: Some("Hans".into()),
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
            found[1].statement,
            "documents created by year: 2031: 1; last saved by year: none dated"
        );
        assert_eq!(
            codes_of(&found),
            [
                ("document_generator", Strength::Fact),
                ("document_dates", Strength::Fact),
                ("document_date_outside_leak", Strength::Strong),
                ("document_traditional_encoding", Strength::Anomaly),
                ("document_traditional_script", Strength::Anomaly),
            ]
        );
    }

    #[test]
    fn a_file_saved_before_its_format_or_program_existed_is_found() {
        let document =
            |n: u8, kind: FileKind, generator: Option<&str>, modified: &str| DocumentFact {
                blob: BlobId::from_digest([n; 32]),
                kind,
                paths: vec![format!("doc-{n}")],
                metadata: Metadata {
                    generator: generator.map(str::to_owned),
                    created: Some("1999-01-01T00:00:00Z".into()),
                    modified: Some(modified.into()),
                    ..Metadata::default()
                },
                archived_at: None,
            };
        let saved_before = |document: DocumentFact| saved_before_its_writer(&document).is_some();
        assert!(saved_before(document(
            1,
            FileKind::Docx,
            None,
            "2004-03-01T00:00:00Z"
        )));
        assert!(!saved_before(document(
            2,
            FileKind::Docx,
            None,
            "2008-03-01T00:00:00Z"
        )));
        assert!(saved_before(document(3, FileKind::Odt, None, "2004-12-31")));
        assert!(saved_before(document(
            4,
            FileKind::Odt,
            Some("LibreOffice/7.0$Linux_X86_64"),
            "2019-06-01T10:00:00"
        )));
        assert!(!saved_before(document(
            5,
            FileKind::Odt,
            Some("LibreOffice/6.4"),
            "2019-06-01T10:00:00"
        )));
        assert!(saved_before(document(
            7,
            FileKind::Docx,
            Some("Microsoft Office Word 16.0000"),
            "2014-06-01T10:00:00Z"
        )));
        assert!(!saved_before(document(
            8,
            FileKind::Docx,
            Some("Microsoft Office Word 14.0000"),
            "2014-06-01T10:00:00Z"
        )));
        // An old .doc has no format date to compare: converted files keep their own.
        assert!(!saved_before(document(
            6,
            FileKind::Doc,
            None,
            "1998-01-01"
        )));
    }
}
