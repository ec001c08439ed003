//! Shared fixtures: a demo leak written once per test binary, and helpers to
//! ingest it and to read a catalog back in a canonical order.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use trove_index::SearchIndex;
use trove_ingest::{IngestOptions, IngestReport, Progress, Silent};
use trove_store::Store;
use trove_synth::{GroundTruth, SynthOptions};

/// People in the test leak: enough for every layout and file kind, small
/// enough to ingest in a few seconds.
pub const PEOPLE: usize = 300;

pub struct DemoLeak {
    pub dir: PathBuf,
    pub truth: GroundTruth,
}

impl DemoLeak {
    pub fn leak(&self) -> PathBuf {
        self.dir.join("leak")
    }
}

/// The demo leak, written once for the whole test binary.
pub fn demo_leak() -> &'static DemoLeak {
    static LEAK: OnceLock<DemoLeak> = OnceLock::new();
    LEAK.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("trove-demo-leak")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        let truth = trove_synth::write_demo_leak(
            &dir,
            &SynthOptions {
                people: PEOPLE,
                seed: 7,
                ..SynthOptions::default()
            },
        )
        .expect("the demo leak is written");
        DemoLeak { dir, truth }
    })
}

pub struct Ingested {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub index: SearchIndex,
    pub report: IngestReport,
}

/// Two workers; no OCR (tests/ocr.rs tests it on pages made for it), so that the other
/// tests read the same on machines with and without Tesseract.
pub fn options() -> IngestOptions {
    IngestOptions {
        workers: 2,
        ocr: trove_ingest::OcrOptions {
            mode: trove_ingest::OcrMode::Never,
            ..Default::default()
        },
        ..IngestOptions::default()
    }
}

/// ../shared/corpus (real files of other projects), or `None` with a note
/// when it is absent (it lives outside this repository).
pub fn corpus() -> Option<PathBuf> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipping: ../shared/corpus not found");
        None
    }
}

/// Ingests `input` into a fresh store.
pub fn ingest_fresh(input: &Path) -> Ingested {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open(dir.path().join("store")).expect("store opens");
    let index = SearchIndex::open(&store.index_dir()).expect("index opens");
    let report = ingest_into(&store, &index, input, &options(), &Silent);
    Ingested {
        _dir: dir,
        store,
        index,
        report,
    }
}

pub fn ingest_into(
    store: &Store,
    index: &SearchIndex,
    input: &Path,
    options: &IngestOptions,
    progress: &dyn Progress,
) -> IngestReport {
    let stop = AtomicBool::new(false);
    let report =
        trove_ingest::ingest(store, index, input, options, progress, &stop).expect("ingest runs");
    index.refresh().expect("index reloads");
    report
}

/// Every person record of the store, in (blob, part, row, column) order.
pub fn all_records(store: &Store) -> Vec<trove_model::Record> {
    use trove_store::{RecordCatalog, RecordFilter};
    let mut records = Vec::new();
    let catalog: &dyn RecordCatalog = &*store.catalog;
    catalog
        .for_each_record(&RecordFilter::default(), 0, None, &mut |stored| {
            records.push(stored.record);
            Ok(())
        })
        .expect("records are read");
    records
}

/// What statistics need of every person in the store, read as `trove stats` reads it.
pub fn person_facts(store: &Store) -> Vec<trove_records::stats::PersonFacts> {
    use trove_store::RecordCatalog;
    let mut facts = Vec::new();
    let catalog: &dyn RecordCatalog = &*store.catalog;
    catalog
        .for_each_person_for_statistics(&mut |_, records| {
            let refs: Vec<&trove_model::Record> = records.iter().collect();
            facts.push(trove_records::persons::facts_of(&refs));
            Ok(())
        })
        .expect("persons are read");
    facts
}

/// Every fact in a catalog, in a canonical order, without timestamps: two
/// catalogs that hold the same facts dump equal.
pub fn dump_catalog(store: &Store) -> Vec<String> {
    let connection =
        rusqlite::Connection::open(store.root().join("trove.sqlite")).expect("catalog opens");
    let queries = [
        "SELECT id, sha256, size, kind, status, extractor_version, metadata, truncated, length(thumbnail), indexed FROM blobs ORDER BY id",
        "SELECT blob, root, path, parent, name_kind FROM occurrences ORDER BY root, path, blob",
        "SELECT blob, seq, kind, idx, label, text FROM parts ORDER BY blob, seq",
        "SELECT root, source, path, blob, stage, reason, message FROM failures ORDER BY root, path, stage",
        "SELECT root, path, size, mtime_ns, done FROM sources ORDER BY root, path",
    ];
    let mut lines = Vec::new();
    for sql in queries {
        let mut statement = connection.prepare(sql).expect("query prepares");
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                let values: Vec<String> = (0..columns)
                    .map(|i| {
                        format!(
                            "{:?}",
                            row.get_ref(i).map(|v| format!("{v:?}")).unwrap_or_default()
                        )
                    })
                    .collect();
                Ok(values.join("|"))
            })
            .expect("query runs");
        lines.extend(rows.map(|row| row.expect("row reads")));
    }
    lines
}
