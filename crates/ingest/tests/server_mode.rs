//! Server mode on the test server: the demo leak queued, then ingested by workers that
//! share one PostgreSQL catalog, one of them lost mid-job, ends as the catalog a single
//! local ingest makes of it.

mod common;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use trove_ingest::{SharedCatalog, Silent, WorkerOptions, WorkerReport, queue_ingest, run_worker};
use trove_store::testing::TestSchema;
use trove_store::{BlobStore, JobQueue, PgCatalog, RecordCatalog, canonical_lines};

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
    let expected = canonical_lines(&local.store.catalog).unwrap();
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
    assert_eq!(records_of(&shared), records_of(&local.store.catalog));

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
    let expected = canonical_lines(&local.store.catalog).unwrap();
    assert!(expected.iter().any(|l| l.starts_with("failure ")));

    let shared = PgCatalog::connect(&schema.config()).unwrap();
    queue_ingest(&shared, &shared, &leak, &[], false, &Silent).unwrap();
    let blobs = tempfile::tempdir().unwrap();
    let report = worker(&schema, blobs.path(), "hostile");
    assert_eq!(report.jobs_done, local.report.files_processed);
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
