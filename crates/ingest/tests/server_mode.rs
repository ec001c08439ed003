//! Server mode on the test server: the demo leak queued, then ingested by workers that
//! share one PostgreSQL catalog, one of them lost mid-job, ends as the catalog a single
//! local ingest makes of it.

mod common;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use trove_ingest::{SharedCatalog, Silent, WorkerOptions, WorkerReport, queue_ingest, run_worker};
use trove_store::testing::TestSchema;
use trove_store::{
    BlobStore, JobQueue, PgCatalog, RecordCatalog, canonical_lines, migrate_to_postgres,
};

/// Runs one worker process's worth of threads, on connections of its own, until no job
/// is open.
fn worker(schema: &TestSchema, blobs: &std::path::Path, name: &str) -> WorkerReport {
    let lookups = PgCatalog::connect(&schema.config()).unwrap();
    let writer = PgCatalog::connect(&schema.config()).unwrap();
    let blobs = BlobStore::open(blobs).unwrap();
    let catalog = SharedCatalog {
        lookups: &lookups,
        queue: &lookups,
        writer: &writer,
    };
    let options = WorkerOptions {
        name: name.to_owned(),
        lease: Duration::from_secs(30),
        poll: Duration::from_millis(100),
        exit_when_idle: true,
    };
    run_worker(
        catalog,
        &blobs,
        &common::options(),
        &options,
        &Silent,
        &AtomicBool::new(false),
    )
    .unwrap()
}

#[test]
fn workers_sharing_a_database_make_the_catalog_one_process_makes() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let leak = common::demo_leak().leak();
    let local = common::ingest_fresh(&leak);
    let expected = canonical_lines(&*local.store.catalog).unwrap();
    for kind in ["blob ", "part ", "seen ", "source "] {
        let lines = expected.iter().filter(|l| l.starts_with(kind)).count();
        assert!(lines >= 50, "the demo leak gives only {lines} {kind}lines");
    }

    let shared = PgCatalog::connect(&schema.config()).unwrap();
    let queued = queue_ingest(&shared, &shared, &leak, &[], false, &Silent).unwrap();
    assert_eq!(queued.files_queued, local.report.files_found);
    assert_eq!(queued.files_unchanged, 0);

    // A worker that claims a file and dies: its lease lapses at once, and another takes
    // the file over.
    let abandoned = shared.claim("killed", Duration::ZERO).unwrap().unwrap();

    let blobs = tempfile::tempdir().unwrap();
    let reports: Vec<WorkerReport> = std::thread::scope(|scope| {
        let workers: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let (schema, blobs) = (&schema, blobs.path());
                scope.spawn(move || worker(schema, blobs, name))
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let done: u64 = reports.iter().map(|r| r.jobs_done).sum();
    assert_eq!(done, queued.files_queued, "every job done once");
    assert!(
        !shared.complete(abandoned.id, "killed").unwrap(),
        "the lost worker's claim is void"
    );
    let counts = shared.job_counts().unwrap();
    assert_eq!((counts.open(), counts.failed), (0, 0), "{counts:?}");

    assert_same_catalog(&canonical_lines(&shared).unwrap(), &expected);

    // The records stage, run on the shared catalog, reads the same persons.
    let built = trove_ingest::build_records(
        &shared,
        &Default::default(),
        &Silent,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert!(built.records > 100, "{built:?}");
    assert_eq!(records_of(&shared), records_of(&*local.store.catalog));

    let again = queue_ingest(&shared, &shared, &leak, &[], false, &Silent).unwrap();
    assert_eq!(again.files_queued, 0, "nothing changed, nothing to do");
    assert_eq!(again.files_unchanged, local.report.files_found);
}

#[test]
fn hostile_files_fail_the_same_way_in_workers_as_in_one_process() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let leak = dir.path().join("hostile");
    trove_synth::write_hostile_leak(&leak, trove_synth::HostileScale::SMALL, 5).unwrap();
    let local = common::ingest_fresh(&leak);
    let expected = canonical_lines(&*local.store.catalog).unwrap();
    assert!(expected.iter().any(|l| l.starts_with("failure ")));

    let shared = PgCatalog::connect(&schema.config()).unwrap();
    queue_ingest(&shared, &shared, &leak, &[], false, &Silent).unwrap();
    let blobs = tempfile::tempdir().unwrap();
    let report = worker(&schema, blobs.path(), "hostile");
    assert_eq!(report.jobs_done, local.report.files_processed);
    assert_same_catalog(&canonical_lines(&shared).unwrap(), &expected);
}

#[test]
fn files_named_in_another_encoding_are_ingested_as_one_process_ingests_them() {
    use std::os::unix::ffi::OsStrExt;
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let leak = dir.path().join("copied-from-windows");
    std::fs::create_dir_all(leak.join("名单")).unwrap();
    // "张三.txt", "李四.txt" and "照片" as GBK: names a Windows machine's archive leaves
    // behind. The first two would read alike with U+FFFD for what is not UTF-8.
    let gbk = std::ffi::OsStr::from_bytes;
    std::fs::write(leak.join(gbk(b"\xd5\xc5\xc8\xfd.txt")), "张三\n").unwrap();
    std::fs::write(leak.join(gbk(b"\xc0\xee\xcb\xc4.txt")), "李四\n").unwrap();
    let folder = leak.join(gbk(b"\xd5\xd5\xc6\xac"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "在押\n").unwrap();
    std::fs::write(leak.join("名单").join("plain.txt"), "plain\n").unwrap();
    let local = common::ingest_fresh(&leak);
    let expected = canonical_lines(&*local.store.catalog).unwrap();
    assert_eq!(local.report.files_processed, 4, "{expected:#?}");
    let sources = expected.iter().filter(|l| l.starts_with("source ")).count();
    assert_eq!(sources, 4, "no name hides another: {expected:#?}");

    let shared = PgCatalog::connect(&schema.config()).unwrap();
    let queued = queue_ingest(&shared, &shared, &leak, &[], false, &Silent).unwrap();
    assert_eq!((queued.files_queued, queued.files_refused), (4, 0));
    let blobs = tempfile::tempdir().unwrap();
    let report = worker(&schema, blobs.path(), "gbk");
    assert_eq!((report.jobs_done, report.failures), (4, 0), "{report:?}");
    assert_same_catalog(&canonical_lines(&shared).unwrap(), &expected);
}

/// Fails with the first line that differs, as the whole dumps are too long to read.
fn assert_same_catalog(got: &[String], expected: &[String]) {
    if got != expected {
        let first_difference = got
            .iter()
            .zip(expected)
            .find(|(got, expected)| got != expected);
        panic!(
            "the workers' catalog differs from a local ingest's ({} lines against {}); first difference: {first_difference:#?}",
            got.len(),
            expected.len()
        );
    }
}

/// Every record with its person, the person lists and the summary, as text.
fn records_of(catalog: &dyn RecordCatalog) -> Vec<String> {
    let mut lines = Vec::new();
    catalog
        .for_each_record(&Default::default(), 0, None, &mut |stored| {
            lines.push(format!(
                "{} {:?} {:?}",
                stored.person, stored.candidate_key, stored.record
            ));
            Ok(())
        })
        .unwrap();
    lines.push(format!("{:?}", catalog.person_sheets().unwrap()));
    lines.push(format!("{:?}", catalog.photo_links().unwrap()));
    lines.push(format!("{:?}", catalog.record_summary().unwrap()));
    lines
}

#[test]
fn a_store_moves_into_postgres_and_reads_back_the_same() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let local = common::ingest_fresh(&common::demo_leak().leak());
    let reviewed = review_something(&*local.store.catalog);
    let target = PgCatalog::connect(&schema.config()).unwrap();
    let report = migrate_to_postgres(&sqlite_of(&local.store), &target, &mut |_, _| {}).unwrap();
    assert_eq!(
        review_of(&target),
        reviewed,
        "people's decisions move with the case"
    );
    assert_eq!(
        trove_store::PublicationCatalog::publication_secret(&target).unwrap(),
        trove_store::PublicationCatalog::publication_secret(&*local.store.catalog).unwrap(),
        "published ids stay the same"
    );
    let rows = |table: &str| report.tables.iter().find(|(t, _)| *t == table).unwrap().1;
    assert!(rows("blobs") >= 50 && rows("records") >= 100, "{report:?}");
    assert_eq!(report.compared_records, rows("records"));

    assert_eq!(
        canonical_lines(&target).unwrap(),
        canonical_lines(&*local.store.catalog).unwrap()
    );
    assert_eq!(records_of(&target), records_of(&*local.store.catalog));
    let first_seen = |catalog: &dyn trove_store::Catalog| {
        let mut times = Vec::new();
        catalog
            .for_each_occurrence(&mut |seen| {
                times.push(seen.first_seen);
                Ok(())
            })
            .unwrap();
        times
    };
    assert_eq!(
        first_seen(&target),
        first_seen(&*local.store.catalog),
        "when each file was first seen moves with it"
    );

    let again = migrate_to_postgres(&sqlite_of(&local.store), &target, &mut |_, _| {});
    assert!(
        again
            .unwrap_err()
            .to_string()
            .contains("already holds a catalog"),
        "a database holding a case is not written over"
    );
}

#[test]
fn ocr_over_the_shared_catalog_reads_what_a_local_ingest_reads() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    if std::process::Command::new("tesseract")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping: tesseract is not installed (scripts/test.sh installs it)");
        return;
    }
    let leak = common::demo_leak().leak();
    let ocr = trove_ingest::OcrOptions {
        mode: trove_ingest::OcrMode::Always,
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = trove_store::Store::open(dir.path().join("store")).unwrap();
    let index = trove_index::SearchIndex::open(&store.index_dir()).unwrap();
    let options = trove_ingest::IngestOptions {
        ocr: ocr.clone(),
        ..common::options()
    };
    let local = common::ingest_into(&store, &index, &leak, &options, &Silent);
    let read_locally = local.ocr.as_ref().map_or(0, |report| report.pages);

    let shared = PgCatalog::connect(&schema.config()).unwrap();
    queue_ingest(&shared, &shared, &leak, &[], false, &Silent).unwrap();
    let blobs = tempfile::tempdir().unwrap();
    worker(&schema, blobs.path(), "ocr");
    let report = trove_ingest::run_ocr(
        &shared,
        &BlobStore::open(blobs.path()).unwrap(),
        None,
        &ocr,
        2,
        &Silent,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(report.pages, read_locally);
    eprintln!("OCR read {} pages on both sides", report.pages);
    if report.pages == 0 {
        eprintln!("note: the demo leak has no scanned pages here (pango-view missing?)");
    }
    assert_same_catalog(
        &canonical_lines(&shared).unwrap(),
        &canonical_lines(&*store.catalog).unwrap(),
    );
}

/// A relatives' list with one candidate, reviewed, and a note on a person; returns
/// [`review_of`] the catalog.
fn review_something(catalog: &dyn trove_store::CaseCatalog) -> Vec<String> {
    use trove_model::{ListEntry, ListInfo, MatchCandidate, Review, ReviewDecision};
    let entry = ListEntry {
        row: 1,
        name: "Abdugheni Tursun".to_owned(),
        birth_date: None,
        birth_year: Some(1980),
        sex: None,
        place: None,
        extra: Vec::new(),
        raw: Vec::new(),
    };
    let info = ListInfo {
        name: "relatives".to_owned(),
        file_name: "relatives.csv".to_owned(),
        blake3: "00".repeat(32),
        entries: 1,
    };
    catalog.import_list(&info, &[entry]).unwrap();
    let candidate = MatchCandidate {
        list: "relatives".to_owned(),
        row: 1,
        person: "p1".to_owned(),
        score: 0.87,
        fields: Vec::new(),
        review: Review::Unreviewed,
    };
    let batch = trove_store::XrefBatch {
        candidates: vec![candidate],
        scored_rows: vec![1],
        persons: vec!["p1".to_owned()],
    };
    catalog.save_xref("relatives", &batch).unwrap();
    catalog
        .annotate_then(
            trove_model::SubjectKind::Person,
            "p1",
            &trove_store::Annotation::Note("the family called on 3 December".to_owned()),
            "ana",
            chrono::Utc::now(),
            &mut || Ok(()),
        )
        .unwrap();
    catalog
        .record_review(&ReviewDecision {
            list: "relatives".to_owned(),
            row: 1,
            person: "p1".to_owned(),
            review: Review::Accepted,
            note: "same father's name".to_owned(),
            by: "ana".to_owned(),
            at: chrono::Utc::now(),
        })
        .unwrap();
    review_of(catalog)
}

/// A catalog's list, candidates and review history, as text.
fn review_of(catalog: &dyn trove_store::CaseCatalog) -> Vec<String> {
    vec![
        format!(
            "{:?}",
            catalog
                .notes_of(trove_model::SubjectKind::Person, "p1")
                .unwrap()
        ),
        format!("{:?}", catalog.list_entries("relatives").unwrap()),
        format!("{:?}", catalog.match_candidates("relatives").unwrap()),
        format!("{:?}", catalog.review_history("relatives").unwrap()),
        format!("{:?}", catalog.review_progress().unwrap()),
    ]
}

/// The SQLite catalog of a store folder, opened on its own.
fn sqlite_of(store: &trove_store::Store) -> trove_store::SqliteCatalog {
    trove_store::SqliteCatalog::open(store.root().join("trove.sqlite")).unwrap()
}
