//! Crafted input: every trick is a recorded failure, never a crash, and the
//! rest of the folder is still ingested.

mod common;

use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

use common::ingest_fresh;
use trove_model::{FailureReason, Stage};
use trove_store::Catalog;
use zip::write::SimpleFileOptions;

fn zip_of(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        writer
            .start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn reasons(catalog: &dyn Catalog) -> Vec<(String, Stage, FailureReason)> {
    let mut rows: Vec<_> = catalog
        .failures()
        .unwrap()
        .into_iter()
        .map(|row| (row.path, row.failure.stage, row.failure.reason))
        .collect();
    rows.sort();
    rows
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn traversal_names_links_bombs_and_deep_nesting_are_refused_and_recorded() {
    let leak = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "This is a secret!").unwrap();
    let dir = leak.path();

    write(dir, "ok.txt", "应收尽收 ordinary notice".as_bytes());
    write(
        dir,
        "traversal.zip",
        &zip_of(
            &[("../../evil.txt", b"escaped"), ("fine.txt", b"inside")],
            zip::CompressionMethod::Stored,
        ),
    );
    let zeros = vec![0u8; 64 << 20];
    write(
        dir,
        "bomb.zip",
        &zip_of(&[("zeros.bin", &zeros)], zip::CompressionMethod::Deflated),
    );
    let mut nested = zip_of(&[("core.txt", b"deep")], zip::CompressionMethod::Stored);
    for level in 0..10 {
        nested = zip_of(
            &[(&format!("level{level}.zip"), &nested)],
            zip::CompressionMethod::Stored,
        );
    }
    write(dir, "nested.zip", &nested);
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.join("link-out")).unwrap();

    let ingested = ingest_fresh(dir);
    let catalog = &*ingested.store.catalog;
    assert_eq!(
        reasons(catalog),
        [
            ("bomb.zip!/zeros.bin".to_owned(), Stage::Unpack, FailureReason::DecompressionBomb),
            ("link-out".to_owned(), Stage::Walk, FailureReason::LinkOutsideTree),
            (
                "nested.zip!/level9.zip!/level8.zip!/level7.zip!/level6.zip!/level5.zip!/level4.zip!/level3.zip!/level2.zip".to_owned(),
                Stage::Unpack,
                FailureReason::TooDeep
            ),
            ("traversal.zip!/../../evil.txt".to_owned(), Stage::Unpack, FailureReason::PathTraversal),
        ]
    );
    // The rest is ingested, and nothing from outside the tree got in.
    assert_eq!(catalog.occurrences_at("ok.txt").unwrap().len(), 1);
    assert_eq!(
        catalog
            .occurrences_at("traversal.zip!/fine.txt")
            .unwrap()
            .len(),
        1
    );
    let secret = trove_store::hash_bytes(b"This is a secret!").blake3;
    assert!(catalog.document(&secret).unwrap().is_none());
    assert!(!ingested.store.blobs.contains(&secret));
    assert_eq!(ingested.report.failures_recorded, 4);
}

#[test]
fn garbage_named_like_documents_is_catalogued_not_crashed_on() {
    let leak = tempfile::tempdir().unwrap();
    let dir = leak.path();
    write(
        dir,
        "random.pdf",
        &(0..5000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    write(dir, "fake.xlsx", b"PK\x03\x04 not really a workbook");
    write(dir, "half.7z", b"7z\xbc\xaf\x27\x1c\x00\x04 truncated");
    write(dir, "empty.docx", b"");
    let ingested = ingest_fresh(dir);
    let status = ingested.store.catalog.status().unwrap();
    assert_eq!(status.documents, 4, "every file is catalogued");
    let failed: Vec<_> = reasons(&*ingested.store.catalog)
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(failed, ["fake.xlsx", "half.7z"]);
}

#[test]
fn a_second_ingest_of_a_grown_folder_processes_only_new_or_changed_files() {
    let leak = tempfile::tempdir().unwrap();
    let dir = leak.path();
    write(dir, "a.txt", "教育转化 first".as_bytes());
    write(dir, "b.txt", "second".as_bytes());
    let ingested = ingest_fresh(dir);
    assert_eq!(ingested.report.files_processed, 2);

    write(dir, "c.txt", "third, new".as_bytes());
    write(dir, "b.txt", "second, edited and longer".as_bytes());
    let options = common::options();
    let again = common::ingest_into(
        &ingested.store,
        &ingested.index,
        dir,
        &options,
        &trove_ingest::Silent,
    );
    assert_eq!((again.files_processed, again.files_unchanged), (2, 1));
    // The old content of b.txt stays on record as evidence, beside the new.
    assert_eq!(
        ingested
            .store
            .catalog
            .occurrences_at("b.txt")
            .unwrap()
            .len(),
        2
    );
    assert_eq!(ingested.store.catalog.status().unwrap().documents, 4);
}

#[test]
fn a_store_takes_one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = trove_store::Store::open(dir.path()).unwrap();
    let held = store.lock_for_writing().unwrap();
    let error = store.lock_for_writing().unwrap_err();
    assert!(
        error.to_string().contains("another trove process"),
        "{error}"
    );
    drop(held);
    assert!(store.lock_for_writing().is_ok());
}

#[test]
fn files_above_the_memory_bound_are_stored_and_hashed_but_not_extracted() {
    let leak = tempfile::tempdir().unwrap();
    let dir = leak.path();
    write(dir, "big.txt", &vec![b'a'; 3 << 20]);
    let big_member = vec![b'b'; 2 << 20];
    write(
        dir,
        "big.zip",
        &zip_of(
            &[("big-member.txt", &big_member), ("note.txt", b"fits")],
            zip::CompressionMethod::Stored,
        ),
    );
    write(
        dir,
        "small.zip",
        &zip_of(
            &[("inner.txt", "应收尽收".as_bytes())],
            zip::CompressionMethod::Stored,
        ),
    );
    let store_dir = tempfile::tempdir().unwrap();
    let store = trove_store::Store::open(store_dir.path()).unwrap();
    let index = trove_index::SearchIndex::open(&store.index_dir()).unwrap();
    let options = trove_ingest::IngestOptions {
        max_in_memory_bytes: 1 << 20,
        ..common::options()
    };
    common::ingest_into(&store, &index, dir, &options, &trove_ingest::Silent);
    let failures = reasons(&*store.catalog);
    assert_eq!(
        failures,
        [
            (
                "big.txt".to_owned(),
                Stage::Extract,
                FailureReason::TooLarge
            ),
            (
                "big.zip!/big-member.txt".to_owned(),
                Stage::Extract,
                FailureReason::TooLarge
            ),
        ]
    );
    // An archive too large for memory is unpacked from its stored copy.
    assert_eq!(
        store
            .catalog
            .occurrences_at("big.zip!/note.txt")
            .unwrap()
            .len(),
        1
    );
    let occurrence = store.catalog.occurrences_at("big.txt").unwrap().remove(0);
    let document = store.catalog.document(&occurrence.blob).unwrap().unwrap();
    assert_eq!(
        (document.kind, document.size),
        (trove_model::FileKind::Text, 3 << 20)
    );
    assert_eq!(
        store
            .blobs
            .rehash(&occurrence.blob)
            .unwrap()
            .unwrap()
            .blake3,
        occurrence.blob
    );
    assert_eq!(
        store
            .catalog
            .occurrences_at("small.zip!/inner.txt")
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_file_that_outlasts_its_time_is_recorded_and_read_again_on_retry() {
    let leak = tempfile::tempdir().unwrap();
    write(
        leak.path(),
        "notice.txt",
        "应收尽收 ordinary notice".as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = trove_store::Store::open(dir.path().join("store")).unwrap();
    let index = trove_index::SearchIndex::open(&store.index_dir()).unwrap();

    // No time at all: every extraction outlasts it.
    let hurried = trove_ingest::IngestOptions {
        max_file_time: std::time::Duration::ZERO,
        ..common::options()
    };
    common::ingest_into(&store, &index, leak.path(), &hurried, &trove_ingest::Silent);
    assert_eq!(
        reasons(&*store.catalog),
        [(
            "notice.txt".to_owned(),
            Stage::Extract,
            FailureReason::TimedOut
        )]
    );
    let failure = &store.catalog.failures().unwrap()[0].failure;
    assert!(
        failure.message.contains("--max-file-seconds"),
        "{}",
        failure.message
    );

    let retry = trove_ingest::IngestOptions {
        retry_failed: true,
        ..common::options()
    };
    common::ingest_into(&store, &index, leak.path(), &retry, &trove_ingest::Silent);
    assert!(reasons(&*store.catalog).is_empty(), "read again, in time");
    let found = index
        .search("应收尽收", &trove_index::SearchOptions::default())
        .unwrap();
    assert_eq!(found.total, 1);
}
