//! The demo leak, ingested, checked against its ground truth.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use common::{Ingested, demo_leak, dump_catalog, ingest_fresh, ingest_into, options};
use trove_index::{SearchIndex, SearchOptions};
use trove_ingest::Progress;
use trove_model::{BlobId, FailureReason};
use trove_store::{FailureRow, IngestProgress, PROGRESS_FILE, RunState, Store, read_progress};
use trove_synth::Outcome;

/// The demo leak ingested once, shared by the read-only tests.
fn ingested() -> &'static Ingested {
    static INGESTED: OnceLock<Ingested> = OnceLock::new();
    INGESTED.get_or_init(|| ingest_fresh(&demo_leak().leak()))
}

fn failures_by_path(store: &Store) -> HashMap<String, FailureRow> {
    store
        .catalog
        .failures()
        .unwrap()
        .into_iter()
        .map(|row| (row.path.clone(), row))
        .collect()
}

#[test]
fn every_planted_file_is_ingested_or_failed_with_the_planted_reason() {
    let ingested = ingested();
    let failures = failures_by_path(&ingested.store);
    for file in &demo_leak().truth.files {
        let occurrences = ingested.store.catalog.occurrences_at(&file.path).unwrap();
        match file.outcome {
            Outcome::Ingested => {
                assert!(
                    !failures.contains_key(&file.path),
                    "{} failed: {:?}",
                    file.path,
                    failures.get(&file.path)
                );
                let [occurrence] = occurrences.as_slice() else {
                    panic!(
                        "{} should be seen exactly once, got {occurrences:?}",
                        file.path
                    );
                };
                assert_eq!(occurrence.blob.as_str(), file.blake3, "{}", file.path);
                let state = ingested
                    .store
                    .catalog
                    .blob_state(&occurrence.blob)
                    .unwrap()
                    .unwrap();
                assert_eq!(state.kind, file.kind, "{}: detected kind", file.path);
            }
            Outcome::Failed => {
                let failure = failures.get(&file.path).unwrap_or_else(|| {
                    panic!("{} should have failed ({:?})", file.path, file.failure)
                });
                assert_eq!(Some(failure.failure.reason), file.failure, "{}", file.path);
            }
        }
    }
    let planted_failures = demo_leak()
        .truth
        .files
        .iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .count();
    assert_eq!(
        failures.len(),
        planted_failures,
        "no failure beyond the planted ones: {failures:#?}"
    );
}

#[test]
fn a_broken_file_is_known_by_its_content_type_and_recorded_as_corrupt() {
    let ingested = ingested();
    let truncated = demo_leak()
        .truth
        .files
        .iter()
        .find(|f| {
            f.kind == trove_model::FileKind::Docx && f.failure == Some(FailureReason::Corrupt)
        })
        .expect("the demo plants a truncated docx");
    let failure = &failures_by_path(&ingested.store)[&truncated.path];
    assert_eq!(failure.failure.stage, trove_model::Stage::Extract);
    assert!(
        failure.failure.message.contains("docx"),
        "{}",
        failure.failure.message
    );
}

#[test]
fn each_format_yields_its_planted_text() {
    let ingested = ingested();
    for file in demo_leak()
        .truth
        .files
        .iter()
        .filter(|f| f.outcome == Outcome::Ingested)
    {
        let id: BlobId = file.blake3.parse().unwrap();
        let document = ingested.store.catalog.document(&id).unwrap().unwrap();
        let text: String = document
            .parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        for planted in &file.texts {
            assert!(
                text.contains(planted.as_str()),
                "{} ({}) lacks {planted:?}",
                file.path,
                file.kind
            );
        }
        if !file.sheets.is_empty() {
            let labels: Vec<&str> = document
                .parts
                .iter()
                .filter_map(|p| p.label.as_deref())
                .collect();
            assert_eq!(labels, file.sheets, "{}", file.path);
        }
        if let Some(pages) = file.pages {
            assert_eq!(document.metadata.page_count, Some(pages), "{}", file.path);
        }
    }
}

#[test]
fn exif_fields_read_back_exactly() {
    let ingested = ingested();
    let mut checked = 0;
    for file in &demo_leak().truth.files {
        let Some(expected) = &file.exif else { continue };
        let id: BlobId = file.blake3.parse().unwrap();
        let document = ingested.store.catalog.document(&id).unwrap().unwrap();
        let image = document.metadata.image.expect("an image has image facts");
        assert_eq!(
            image.exif.make.as_deref(),
            Some(expected.make.as_str()),
            "{}",
            file.path
        );
        assert_eq!(image.exif.model.as_deref(), Some(expected.model.as_str()));
        assert_eq!(
            image.exif.body_serial.as_deref(),
            Some(expected.body_serial.as_str())
        );
        assert_eq!(
            image.exif.date_time_original.as_deref(),
            Some(expected.date_time_original.as_str())
        );
        assert!(image.perceptual_hash.is_some());
        assert!(document.has_thumbnail, "{} has a thumbnail", file.path);
        checked += 1;
    }
    assert!(checked > 10, "the demo has mugshots");
}

#[test]
fn a_duplicate_is_stored_once_with_every_path() {
    let ingested = ingested();
    let truth = &demo_leak().truth;
    let duplicates: Vec<_> = truth
        .files
        .iter()
        .filter(|f| f.duplicate_of.is_some())
        .collect();
    assert!(!duplicates.is_empty(), "the demo plants duplicates");
    for file in duplicates {
        let id: BlobId = file.blake3.parse().unwrap();
        let document = ingested.store.catalog.document(&id).unwrap().unwrap();
        let paths: Vec<&str> = document
            .occurrences
            .iter()
            .map(|o| o.path.as_str())
            .collect();
        assert!(paths.contains(&file.path.as_str()), "{paths:?}");
        assert!(
            paths.contains(&file.duplicate_of.as_deref().unwrap()),
            "{paths:?}"
        );
        assert!(ingested.store.blobs.contains(&id));
    }
    // Every file that was read is a blob, broken ones included; only members
    // refused unread (the encrypted one) are not.
    let distinct: BTreeSet<&str> = truth
        .files
        .iter()
        .filter(|f| f.failure != Some(FailureReason::Encrypted))
        .map(|f| f.blake3.as_str())
        .collect();
    let status = ingested.store.catalog.status().unwrap();
    assert_eq!(
        status.documents as usize,
        distinct.len(),
        "one blob per distinct content"
    );
}

#[test]
fn planted_searches_find_their_files_with_the_right_snippets() {
    let ingested = ingested();
    let options = SearchOptions {
        limit: None,
        ..SearchOptions::default()
    };
    for search in &demo_leak().truth.searches {
        let results = ingested.index.search(&search.query, &options).unwrap();
        let hit = results
            .hits
            .iter()
            .find(|hit| hit.paths.contains(&search.path))
            .unwrap_or_else(|| panic!("{:?} does not find {}", search.query, search.path));
        assert!(
            hit.snippet.text.contains(&search.snippet),
            "{:?}: snippet {:?} lacks {:?}",
            search.query,
            hit.snippet.text,
            search.snippet
        );
        assert!(
            !hit.snippet.highlights.is_empty(),
            "{:?} highlights something",
            search.query
        );
    }
}

#[test]
fn every_document_is_indexed() {
    let status = ingested().store.catalog.status().unwrap();
    assert_eq!(status.unindexed, 0);
}

/// The progress file an ingest left in `store`.
fn progress_of(store: &Store) -> IngestProgress {
    read_progress(store.root())
        .unwrap()
        .expect("a progress file")
}

#[test]
fn an_ingest_leaves_a_finished_progress_file_with_its_counts() {
    let ingested = ingested();
    let report = &ingested.report;
    let progress = progress_of(&ingested.store);
    assert_eq!(progress.state, RunState::Finished);
    assert_eq!(
        progress.source, "leak",
        "the source folder's name, not its path"
    );
    assert!(progress.counted);
    assert_eq!(progress.files_found, report.files_found);
    assert_eq!(progress.files_processed, report.files_processed);
    assert_eq!(progress.files_unchanged, 0);
    assert_eq!(progress.failures, report.failures_this_run);
    assert!(progress.failures > 0, "the demo leak plants broken files");
    assert!(progress.bytes_found > 0);
    assert_eq!(progress.bytes_done, progress.bytes_found);
    let finished = progress.finished_at.expect("the end is written");
    assert!(progress.started_at <= finished && finished == progress.updated_at);
    // Counts, codes and times: no name of the leak's files, no path.
    let file = std::fs::read_to_string(ingested.store.root().join(PROGRESS_FILE)).unwrap();
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&file).unwrap();
    for (field, value) in fields {
        if let Some(text) = value.as_str() {
            let a_time = chrono::DateTime::parse_from_rfc3339(text).is_ok();
            let a_code = ["finished", "files", "records", "ocr"].contains(&text);
            assert!(
                a_time || a_code || text == "leak",
                "{field}: {text:?} in {file}"
            );
        }
    }
}

#[test]
fn ingesting_again_adds_nothing() {
    let first = ingest_fresh(&demo_leak().leak());
    let before = dump_catalog(&first.store);
    let report = ingest_into(
        &first.store,
        &first.index,
        &demo_leak().leak(),
        &options(),
        &trove_ingest::Silent,
    );
    assert_eq!(report.files_processed, 0);
    assert_eq!(report.files_unchanged, report.files_found);
    assert_eq!(dump_catalog(&first.store), before);
    let progress = progress_of(&first.store);
    assert_eq!(progress.state, RunState::Finished);
    assert_eq!(
        (progress.files_processed, progress.files_unchanged),
        (0, report.files_found)
    );
}

/// Stops the run once `after` files are processed.
struct StopAfter<'a> {
    stop: &'a AtomicBool,
    after: u64,
    seen: AtomicU64,
}

impl Progress for StopAfter<'_> {
    fn discovered(&self, _: u64, _: u64) {}
    fn discovery_finished(&self) {}
    fn processed(&self, _: u64, _: u64) {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
            self.stop.store(true, Ordering::SeqCst);
        }
    }
    fn skipped(&self, _: u64) {}
    fn phase(&self, _: &str) {}
}

#[test]
fn an_interrupted_ingest_resumes_to_the_same_catalog() {
    let leak = demo_leak().leak();
    let uninterrupted = ingest_fresh(&leak);

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("store")).unwrap();
    let index = SearchIndex::open(&store.index_dir()).unwrap();
    let stop = AtomicBool::new(false);
    let progress = StopAfter {
        stop: &stop,
        after: 40,
        seen: AtomicU64::new(0),
    };
    let partial =
        trove_ingest::ingest(&store, &index, &leak, &options(), &progress, &stop).unwrap();
    assert!(partial.interrupted);
    assert!(partial.files_processed < uninterrupted.report.files_processed);
    let stopped = progress_of(&store);
    assert_eq!(stopped.state, RunState::Interrupted);
    assert_eq!(stopped.files_processed, partial.files_processed);
    assert!(stopped.finished_at.is_some());

    let resumed = ingest_into(&store, &index, &leak, &options(), &trove_ingest::Silent);
    assert!(!resumed.interrupted);
    assert!(
        resumed.files_unchanged >= 40,
        "work done before the stop is kept"
    );
    assert_eq!(dump_catalog(&store), dump_catalog(&uninterrupted.store));
    for query in ["教育", "\"shoot to kill\"", "type:jpeg"] {
        let count = |index: &SearchIndex| {
            index
                .search(query, &SearchOptions::default())
                .unwrap()
                .total
        };
        assert_eq!(count(&index), count(&uninterrupted.index), "{query}");
    }
}

#[test]
fn retry_failed_redoes_only_the_failed_files() {
    let ingested = ingest_fresh(&demo_leak().leak());
    let failed_sources: BTreeSet<String> = ingested
        .store
        .catalog
        .failures()
        .unwrap()
        .into_iter()
        .map(|row| row.source)
        .collect();
    let before = dump_catalog(&ingested.store);
    let options = trove_ingest::IngestOptions {
        retry_failed: true,
        ..options()
    };
    let report = ingest_into(
        &ingested.store,
        &ingested.index,
        &demo_leak().leak(),
        &options,
        &trove_ingest::Silent,
    );
    assert_eq!(report.files_processed as usize, failed_sources.len());
    assert_eq!(
        dump_catalog(&ingested.store),
        before,
        "the same failures, recorded again"
    );
}

#[test]
fn a_hit_in_a_sheet_names_the_row_it_came_from() {
    let ingested = ingested();
    let options = SearchOptions {
        limit: None,
        ..SearchOptions::default()
    };
    let rows = demo_leak()
        .truth
        .rows
        .iter()
        .filter(|row| !row.file.contains('!'))
        .take(25);
    for row in rows {
        let results = ingested
            .index
            .search(&format!("\"{}\"", row.id_number), &options)
            .unwrap();
        let hit = results
            .hits
            .iter()
            .find(|hit| hit.paths.contains(&row.file) && hit.part_label == row.sheet)
            .unwrap_or_else(|| {
                panic!(
                    "{} not found in {} {:?}",
                    row.id_number, row.file, row.sheet
                )
            });
        assert_eq!(
            hit.snippet.line,
            Some(row.row),
            "{} in {} {:?}",
            row.id_number,
            row.file,
            row.sheet
        );
    }
}
