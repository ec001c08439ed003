//! The real files of ../shared/corpus, ingested whole: no panic, every file
//! catalogued, encrypted files reported as such.

mod common;

use std::collections::BTreeSet;

use common::{corpus, ingest_fresh};
use trove_model::FailureReason;
use trove_store::RecordFilter;

#[test]
fn every_corpus_file_is_catalogued_and_encrypted_ones_are_reported() {
    let Some(corpus) = corpus() else { return };
    let ingested = ingest_fresh(&corpus);
    let catalog = &*ingested.store.catalog;
    let failures = catalog.failures().unwrap();
    let failed_paths: BTreeSet<&str> = failures.iter().map(|row| row.path.as_str()).collect();

    let mut files = 0;
    for entry in walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        files += 1;
        let relative = entry
            .path()
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let seen = !catalog.occurrences_at(&relative).unwrap().is_empty();
        assert!(
            seen || failed_paths.contains(relative.as_str()),
            "{relative} is neither catalogued nor recorded as failed"
        );
    }
    assert!(files > 500, "the corpus has its files ({files})");
    assert_sheets_that_are_not_person_lists_yield_no_records(&ingested);

    let encrypted = |path: &str| {
        failures
            .iter()
            .any(|row| row.path == path && row.failure.reason == FailureReason::Encrypted)
    };
    for path in [
        "aleph-ingest-file/password-hunter2.pdf",
        "aleph-ingest-file/password_protected.xls",
        "aleph-ingest-file/password_protected.xlsx",
        "aleph-ingest-file/encypted_by_libreoffice.odt",
        "aleph-ingest-file/7z_password.7z",
    ] {
        assert!(
            encrypted(path),
            "{path} is reported as encrypted: {:?}",
            failures
                .iter()
                .filter(|r| r.path == path)
                .collect::<Vec<_>>()
        );
    }
    assert!(ingested.report.files_processed >= files as u64 - 5);
    assert_eq!(catalog.status().unwrap().unindexed, 0);
}

#[test]
fn corpus_facts_survive_the_whole_pipeline() {
    let Some(corpus) = corpus() else { return };
    let ingested = ingest_fresh(&corpus.join("aleph-ingest-file"));
    let search = |query: &str| {
        let options = trove_index::SearchOptions {
            limit: None,
            ..Default::default()
        };
        ingested.index.search(query, &options).unwrap()
    };
    let paths = |query: &str| -> Vec<String> {
        search(query)
            .hits
            .into_iter()
            .flat_map(|hit| hit.paths)
            .collect()
    };
    assert!(paths("\"Mihai Viteazul\"").contains(&"file.xlsx".to_owned()));
    assert!(paths("\"paint graffiti on all corners\"").contains(&"Plan.odt".to_owned()));
    assert!(paths("\"Ingestors extract useful information\"").contains(&"readme.pdf".to_owned()));
    let pages = |name: &str| {
        let occurrence = ingested
            .store
            .catalog
            .occurrences_at(name)
            .unwrap()
            .remove(0);
        ingested
            .store
            .catalog
            .document(&occurrence.blob)
            .unwrap()
            .unwrap()
            .metadata
            .page_count
    };
    assert_eq!(pages("500 pages.pdf"), Some(500));
    assert_eq!(pages("106972554.pdf"), Some(3));
    // Members of the 7z are documents of their own, each with its path.
    assert!(
        search("type:pdf")
            .hits
            .iter()
            .any(|hit| hit.paths.iter().any(|p| p.starts_with("500_pages.7z!/")))
    );
}

/// Real workbooks of the corpus in every sheet format (xls, ods) that are statistics or
/// equipment tables, not lists of people: the records stage reads them and finds nobody.
fn assert_sheets_that_are_not_person_lists_yield_no_records(ingested: &common::Ingested) {
    let catalog = &*ingested.store.catalog;
    let stage = ingested
        .report
        .records
        .as_ref()
        .expect("the records stage ran");
    assert!(!stage.interrupted);
    eprintln!(
        "corpus: {} sheets and photos read, {} records from {} person lists",
        stage.sources, stage.records, stage.person_sheets
    );
    for path in [
        "apache-poi/spreadsheet/chinese-provinces.xls",
        "apache-poi/spreadsheet/19599-2.xls",
        "apache-poi/spreadsheet/12843-1.xls",
        "aleph-ingest-file/rom.xls",
        "aleph-ingest-file/rom.ods",
    ] {
        let found = catalog.occurrences_at(path).unwrap();
        let Some(occurrence) = found.first() else {
            panic!("{path} is in the corpus and catalogued");
        };
        let filter = RecordFilter {
            blob: Some(occurrence.blob.clone()),
            ..RecordFilter::default()
        };
        let mut records = 0;
        catalog
            .for_each_record(&filter, 0, None, &mut |_| {
                records += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(records, 0, "{path} is not a person list");
    }
    // The one person-shaped table of the corpus: calamine's test file with the headers
    // `name` and `sex` (and a row `this error`). Tables headed only by name, status or
    // category (pivots.xlsx, a list of colours) are not taken for lists of people.
    let person_list = catalog
        .occurrences_at("tafia-calamine/issue_271.xls")
        .unwrap()
        .first()
        .map(|o| o.blob.clone());
    catalog
        .for_each_record(&RecordFilter::default(), 0, None, &mut |stored| {
            assert_eq!(Some(&stored.record.source.blob), person_list.as_ref());
            Ok(())
        })
        .unwrap();
}

/// Files embedded in an office document become documents of their own under
/// it, each with its path, and are read like any other (the PDF's text is searchable).
#[test]
fn embedded_files_become_child_documents() {
    let Some(corpus) = corpus() else { return };
    let ingested = ingest_fresh(&corpus.join("apache-tika/testWPSAttachment.docx"));
    let catalog = &*ingested.store.catalog;
    let parent = catalog
        .occurrences_at("testWPSAttachment.docx")
        .unwrap()
        .remove(0)
        .blob;
    for member in ["PDF.pdf", "TXT.txt", "oleObject5.docx", "oleObject8.ppt"] {
        let path = format!("testWPSAttachment.docx!/{member}");
        let found = catalog.occurrences_at(&path).unwrap();
        assert_eq!(found.len(), 1, "{path} is catalogued");
        assert_eq!(
            found[0].parent.as_ref(),
            Some(&parent),
            "{path} hangs under the document"
        );
    }
    assert!(catalog.failures().unwrap().is_empty());
}

/// What the corpus still holds that trove cannot read, each for a reason: formats no
/// reader in this build exists for, and files damaged past recognition. Anything else
/// left "unsupported" is a reader missing, and fails here.
#[test]
fn only_formats_without_a_reader_stay_unsupported() {
    let Some(corpus) = corpus() else { return };
    let ingested = ingest_fresh(&corpus);
    let no_reader = [
        ".mdb",               // Microsoft Access (mdbtools is C, not linked)
        ".djvu",              // DjVu scans (no Rust decoder)
        ".m4a",               // audio
        ".jp2",               // JPEG 2000 (no maintained pure-Rust decoder)
        ".heif",              // HEIF (libheif is C)
        ".pst",               // Outlook mailbox (no maintained reader)
        ".lnk",               // Windows shortcut
        ".tar.z",             // Unix compress (LZW)
        "iso2022_kr.txt",     // ISO-2022-KR: not in the Encoding Standard
        "shift_jisx0213.txt", // Shift_JIS X0213: not in the Encoding Standard
        ".bin",               // random test data inside archives
    ];
    let damaged = [
        "test_read_format_7zip_malformed3.7z",
        "test_read_format_tar_v_negative_size.tar",
        "test_read_format_tar_invalid_pax_size.tar",
        "bad_tables.txt",
        "invalid_cde_number_of_files_allocation_greater_offset.zip",
        "invalid_cde_number_of_files_allocation_smaller_offset.zip",
        "logo5.png",
        "map_of_argentina.gif",
    ];
    let catalog = rusqlite::Connection::open(ingested.store.root().join("trove.sqlite")).unwrap();
    let mut statement = catalog
        .prepare(
            "SELECT o.path FROM blobs b JOIN occurrences o ON o.blob = b.id
             WHERE b.status = 'unsupported' AND b.kind = 'binary'",
        )
        .unwrap();
    let unsupported: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let unexplained: Vec<&String> = unsupported
        .iter()
        .filter(|path| {
            let lower = path.to_lowercase();
            !no_reader.iter().any(|end| lower.ends_with(end))
                && !damaged.iter().any(|end| lower.ends_with(end))
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "unsupported without a reason: {unexplained:#?}"
    );
}
