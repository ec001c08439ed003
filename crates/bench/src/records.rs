//! `trove bench records`: person records from a million spreadsheet rows. Writes village
//! registers in the demo's layout, ingests them into a fresh store, and reports the time of
//! the records stage (rows to records in the catalog) beside the whole ingest.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use trove_index::SearchIndex;
use trove_ingest::{IngestOptions, Silent};
use trove_store::Store;

use crate::output::json_line;
use crate::rss::peak_rss_bytes;

/// The time issue 18 allows the records stage for a million rows.
const GOAL_SECONDS_PER_MILLION: f64 = 30.0;
/// The time it allows reading a million rows again under new rules.
const REBUILD_GOAL_SECONDS_PER_MILLION: f64 = 45.0;

/// What `trove bench records` measures.
#[derive(Debug, Clone)]
pub struct RecordsBenchOptions {
    /// Spreadsheet rows in all.
    pub rows: usize,
    /// Rows per workbook (a village register rarely holds more than a few thousand).
    pub rows_per_file: usize,
    /// Random seed of the workbooks.
    pub seed: u64,
    /// Where the workbooks and the store go (default: trove-bench-records-ROWS-SEED in the
    /// temp folder). Workbooks written there before with the same options are reused.
    pub dir: Option<PathBuf>,
    /// Ingest worker threads.
    pub workers: usize,
    /// Print the results as one JSON object.
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Results {
    rows: usize,
    workbooks: usize,
    records: u64,
    persons: u64,
    /// Ingest of the workbooks: hash, store, extract, index (records stage excluded).
    ingest_seconds: f64,
    /// The records stage: sheet text to records in the catalog, persons and candidates.
    records_seconds: f64,
    records_per_second: f64,
    /// The records stage run again from scratch (`trove records --build` with new rules).
    rebuild_seconds: f64,
    goal_seconds: f64,
    rebuild_goal_seconds: f64,
    peak_rss_bytes: u64,
}

/// Runs the records benchmark and prints its results.
pub fn run(args: &RecordsBenchOptions) -> anyhow::Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("trove-bench-records-{}-{}", args.rows, args.seed))
    });
    let sheets = dir.join("sheets");
    let marker = dir.join(format!("written-{}-{}", args.rows_per_file, args.seed));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&sheets);
        eprintln!(
            "writing {} rows of village registers to {}…",
            args.rows,
            sheets.display()
        );
        trove_synth::write_register_workbooks(&sheets, args.rows, args.rows_per_file, args.seed)?;
        std::fs::write(&marker, b"").with_context(|| format!("writing {}", marker.display()))?;
    }
    let workbooks = std::fs::read_dir(&sheets)?.count();

    let store_dir = dir.join("store");
    let _ = std::fs::remove_dir_all(&store_dir);
    let store = Store::open(&store_dir)?;
    let index = SearchIndex::open(&store.index_dir())?;
    let options = IngestOptions {
        workers: args.workers.max(1),
        ..IngestOptions::default()
    };
    let stop = AtomicBool::new(false);
    eprintln!("ingesting {workbooks} workbooks…");
    let report = trove_ingest::ingest(&store, &index, &sheets, &options, &Silent, &stop)?;
    let records = report.records.context("the records stage did not run")?;

    eprintln!("reading every sheet again from scratch…");
    let started = Instant::now();
    let _lock = store.lock_for_writing()?;
    // A mapping that matches no sheet changes the rules' fingerprint, so every sheet is
    // read again, as after an upgrade of the record rules.
    let fresh_rules =
        trove_records::Mapping::parse("[[sheet]]\npath = \"*never-matches*\"\nskip = true\n")?;
    trove_ingest::build_records(&*store.catalog, &fresh_rules, &Silent, &stop)?;
    let rebuild_seconds = started.elapsed().as_secs_f64();

    let summary = store.catalog.record_summary()?;
    let records_seconds = records.elapsed.as_secs_f64();
    let results = Results {
        rows: args.rows,
        workbooks,
        records: summary.records,
        persons: summary.persons,
        ingest_seconds: (report.elapsed - records.elapsed).as_secs_f64(),
        records_seconds,
        records_per_second: summary.records as f64 / records_seconds.max(1e-9),
        rebuild_seconds,
        goal_seconds: GOAL_SECONDS_PER_MILLION * args.rows as f64 / 1e6,
        rebuild_goal_seconds: REBUILD_GOAL_SECONDS_PER_MILLION * args.rows as f64 / 1e6,
        peak_rss_bytes: peak_rss_bytes(),
    };
    if args.json {
        json_line(&results)?;
    } else {
        println!(
            "{} rows in {workbooks} workbooks → {} records, {} persons",
            results.rows, results.records, results.persons
        );
        println!(
            "  ingest (hash, store, extract, index): {:.1} s",
            results.ingest_seconds
        );
        println!(
            "  records stage: {:.1} s ({:.0} records/s; goal < {:.0} s); again from scratch: {:.1} s (goal < {:.0} s)",
            results.records_seconds,
            results.records_per_second,
            results.goal_seconds,
            results.rebuild_seconds,
            results.rebuild_goal_seconds
        );
        println!(
            "  peak RSS {:.0} MiB (goal < 1024 MiB)",
            results.peak_rss_bytes as f64 / (1 << 20) as f64
        );
    }
    Ok(())
}
