//! `trove ingest`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use clap::Args;
use serde::{Deserialize, Serialize};
use trove_index::SearchIndex;
use trove_ingest::{IngestOptions, IngestReport, OcrMode, OcrOptions, StageTimings, TimedStage};
use trove_store::Store;

use crate::output::{human_bytes, json_line};
use crate::progress::IngestBar;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The folder or archive to ingest.
    pub path: PathBuf,
    /// Re-run only the files whose processing failed before.
    #[arg(long)]
    pub retry_failed: bool,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    pub workers: Option<usize>,
    #[command(flatten)]
    pub limits: FileLimits,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// A TOML file of rules for reading odd person-list layouts (see the README); kept in
    /// the store for later runs.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Read scanned pages and images of documents with Tesseract: auto (when it is
    /// installed), always (fail without it) or never. Runs last, after all else is searchable.
    #[arg(long, value_enum, default_value_t = OcrChoice::Auto)]
    pub ocr: OcrChoice,
    /// Tesseract languages for OCR, joined with + (chi_sim, chi_tra, uig, eng …); kept in
    /// the store for later runs (default: the store's, else chi_sim+uig+eng).
    #[arg(long)]
    pub ocr_languages: Option<String>,
    /// Server mode: queue the files for `trove worker` processes sharing this PostgreSQL
    /// catalog (postgres://user@host:port/name) instead of ingesting into --store here.
    #[arg(
        long,
        env = "TROVE_DATABASE_URL",
        conflicts_with_all = ["mapping", "ocr", "ocr_languages", "workers", "max_file_mb", "max_file_seconds"]
    )]
    pub database: Option<String>,
    /// Server mode: the folder of originals the workers will share, made now if missing
    /// (and never walked, should it lie inside the folder ingested).
    #[arg(long, requires = "database")]
    pub blobs: Option<PathBuf>,
}

/// How much of one file ingest reads: shared by `trove ingest` and `trove worker`.
#[derive(Debug, Args)]
pub struct FileLimits {
    /// Files larger than this (MB) are stored and hashed but not extracted.
    #[arg(long, default_value_t = 128)]
    pub max_file_mb: u64,
    /// Seconds one file's extraction may take; past them what was read is kept and a
    /// `timed_out` failure recorded (`--retry-failed` with more seconds reads it again).
    #[arg(long, default_value_t = 60)]
    pub max_file_seconds: u64,
}

impl FileLimits {
    /// Ingest options with these limits.
    pub fn options(&self) -> IngestOptions {
        IngestOptions {
            max_in_memory_bytes: self.max_file_mb << 20,
            max_file_time: std::time::Duration::from_secs(self.max_file_seconds),
            ..IngestOptions::default()
        }
    }
}

/// `--ocr`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OcrChoice {
    /// When Tesseract and the language data are installed.
    Auto,
    /// Always; an error without Tesseract.
    Always,
    /// Never.
    Never,
}

impl From<OcrChoice> for OcrMode {
    fn from(choice: OcrChoice) -> Self {
        match choice {
            OcrChoice::Auto => OcrMode::Auto,
            OcrChoice::Always => OcrMode::Always,
            OcrChoice::Never => OcrMode::Never,
        }
    }
}

pub fn run(store: &Path, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.database {
        return super::server::queue(url, args);
    }
    let mut options = IngestOptions {
        retry_failed: args.retry_failed,
        mapping: super::records::store_mapping(store, args.mapping.as_deref())?,
        ocr: OcrOptions {
            mode: args.ocr.into(),
            languages: store_ocr_languages(store, args.ocr_languages.as_deref())?,
            ..OcrOptions::default()
        },
        ..args.limits.options()
    };
    if let Some(workers) = args.workers {
        options.workers = workers;
    }
    let report = ingest_with_progress(store, &args.path, &options)?;
    if args.json {
        json_line(&ReportJson::from(&report))?;
    } else {
        print_report(&report);
    }
    Ok(exit_code(&report))
}

/// The OCR languages to read with: `given` (then kept in the store, so that later runs
/// read the same way), or the store's, or the default.
fn store_ocr_languages(store: &Path, given: Option<&str>) -> anyhow::Result<String> {
    let kept = store.join("ocr-languages.txt");
    if let Some(languages) = given {
        let valid = !languages.is_empty()
            && languages
                .split('+')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !valid {
            anyhow::bail!(
                "--ocr-languages {languages:?} is not a list of Tesseract language codes joined by + (e.g. chi_sim+uig+eng)"
            );
        }
        std::fs::create_dir_all(store)
            .with_context(|| format!("creating the store folder {}", store.display()))?;
        std::fs::write(&kept, languages)
            .with_context(|| format!("keeping the OCR languages in {}", kept.display()))?;
        return Ok(languages.to_owned());
    }
    match std::fs::read_to_string(&kept) {
        Ok(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
        Ok(_) => Ok(trove_ocr::DEFAULT_LANGUAGES.to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(trove_ocr::DEFAULT_LANGUAGES.to_owned())
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", kept.display())),
    }
}

/// Ingests with a progress bar and Ctrl-C handling: the first Ctrl-C stops
/// cleanly (resumable), a second one exits at once.
pub fn ingest_with_progress(
    store: &Path,
    input: &Path,
    options: &IngestOptions,
) -> anyhow::Result<IngestReport> {
    super::refuse_on_shared_store(store, "ingest")?;
    let opened =
        Store::open(store).with_context(|| format!("opening the store {}", store.display()))?;
    let index = SearchIndex::open(&opened.index_dir())?;
    let stop = stop_on_ctrl_c();
    let bar = IngestBar::new();
    let report = trove_ingest::ingest(&opened, &index, input, options, &bar, &stop);
    bar.finish();
    Ok(report?)
}

/// A flag the first Ctrl-C sets, for work that stops cleanly after the files in hand; a
/// second Ctrl-C exits at once.
pub fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    // Installing fails only if a handler exists already (a second ingest in
    // one process, as in `trove bench`): the first one still stops us.
    let _ = ctrlc::set_handler(move || {
        if handler_stop.swap(true, Ordering::SeqCst) {
            eprintln!("\ninterrupted twice: exiting now; run the same command again to resume");
            std::process::exit(130);
        }
        eprintln!("\nstopping after the files in hand (Ctrl-C again to quit at once)…");
    });
    stop
}

pub fn print_report(report: &IngestReport) {
    println!("ingested {}", report.root);
    println!(
        "  {} files found, {} processed ({}), {} unchanged since the last run",
        report.files_found,
        report.files_processed,
        human_bytes(report.bytes_processed),
        report.files_unchanged
    );
    println!(
        "  {} failures this run; {} on record for this folder (see `trove status`)",
        report.failures_this_run, report.failures_recorded
    );
    if let Some(records) = &report.records {
        println!(
            "  person records: {} sheets and photos read, {} records from {} person lists, {} photos carrying an ID number",
            records.sources, records.records, records.person_sheets, records.photo_links
        );
    }
    if let Some(ocr) = &report.ocr {
        match &ocr.not_run {
            Some(why) => println!("  {why}"),
            None => println!("  {}", ocr_summary(ocr)),
        }
    }
    println!("  {:.1} s", report.elapsed.as_secs_f64());
    if report.interrupted {
        println!("  interrupted: run the same command again to resume");
    }
}

/// 0: everything ingested; 2: some files failed (recorded); 130: interrupted.
pub fn exit_code(report: &IngestReport) -> ExitCode {
    if report.interrupted {
        ExitCode::from(130)
    } else if report.failures_recorded > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Serialize)]
pub struct ReportJson<'a> {
    root: &'a str,
    files_found: u64,
    files_unchanged: u64,
    files_processed: u64,
    bytes_processed: u64,
    failures_this_run: u64,
    failures_recorded: u64,
    interrupted: bool,
    /// Wall time of the run.
    seconds: f64,
    /// Time by stage, summed over worker threads (so CPU-ish, not wall time).
    stages: Vec<StageSeconds>,
    /// Extraction time by detected format, summed over worker threads.
    formats: Vec<FormatSeconds>,
    /// The records stage (absent when the run was interrupted before it).
    records: Option<RecordsJson>,
    /// The OCR stage: pages read, or why it did not run.
    ocr: Option<OcrJson>,
}

/// Time by stage, summed over worker threads.
pub fn stage_seconds(timings: &StageTimings) -> Vec<StageSeconds> {
    TimedStage::ALL
        .iter()
        .map(|&stage| StageSeconds {
            stage: stage.name().to_owned(),
            seconds: timings.stage(stage).as_secs_f64(),
        })
        .collect()
}

/// What the OCR stage did, as `trove ingest --json` prints it.
#[derive(Debug, Serialize, Deserialize)]
pub struct OcrJson {
    pub not_run: Option<String>,
    pub documents: u64,
    pub pages: u64,
    pub failed: u64,
    pub seconds: f64,
}

/// What the records stage did, as `trove ingest --json` prints it.
#[derive(Debug, Serialize, Deserialize)]
pub struct RecordsJson {
    pub sources: u64,
    pub person_sheets: u64,
    pub records: u64,
    pub photo_links: u64,
    pub candidates: u64,
    pub seconds: f64,
}

/// Time spent in one ingest stage, as `trove ingest --json` prints it (and `trove bench` reads it).
#[derive(Debug, Serialize, Deserialize)]
pub struct StageSeconds {
    pub stage: String,
    pub seconds: f64,
}

/// Extraction time for one format, as `trove ingest --json` prints it (and `trove bench` reads it).
#[derive(Debug, Serialize, Deserialize)]
pub struct FormatSeconds {
    #[serde(rename = "type")]
    pub kind: String,
    pub files: u64,
    pub seconds: f64,
}

impl<'a> From<&'a IngestReport> for ReportJson<'a> {
    fn from(report: &'a IngestReport) -> Self {
        let timings = &report.timings;
        ReportJson {
            root: &report.root,
            files_found: report.files_found,
            files_unchanged: report.files_unchanged,
            files_processed: report.files_processed,
            bytes_processed: report.bytes_processed,
            failures_this_run: report.failures_this_run,
            failures_recorded: report.failures_recorded,
            interrupted: report.interrupted,
            seconds: report.elapsed.as_secs_f64(),
            stages: stage_seconds(timings),
            formats: timings
                .formats()
                .into_iter()
                .map(|(kind, files, time)| FormatSeconds {
                    kind: kind.code().to_owned(),
                    files,
                    seconds: time.as_secs_f64(),
                })
                .collect(),
            records: report.records.as_ref().map(|r| RecordsJson {
                sources: r.sources,
                person_sheets: r.person_sheets,
                records: r.records,
                photo_links: r.photo_links,
                candidates: r.candidates,
                seconds: r.elapsed.as_secs_f64(),
            }),
            ocr: report.ocr.as_ref().map(|o| OcrJson {
                not_run: o.not_run.clone(),
                documents: o.documents,
                pages: o.pages,
                failed: o.failed,
                seconds: o.elapsed.as_secs_f64(),
            }),
        }
    }
}

/// What an OCR stage did, in a line: `OCR: 3 pages read from 2 documents considered (1.2 s)`.
pub(super) fn ocr_summary(ocr: &trove_ingest::OcrReport) -> String {
    let failed = if ocr.failed > 0 {
        format!("; {} failed and will be tried again", ocr.failed)
    } else {
        String::new()
    };
    format!(
        "OCR: {} pages read from {} documents considered ({:.1} s){failed}",
        ocr.pages,
        ocr.documents,
        ocr.elapsed.as_secs_f64()
    )
}
