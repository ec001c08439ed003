//! `trove bench`: benchmarks, run by hand (never by the tests). The flags live here; the
//! harness itself is the `trove-bench` crate.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use trove_bench::{
    AuthenticityBenchOptions, IngestBenchOptions, OcrBenchOptions, PublishBenchOptions,
    RecordsBenchOptions, SearchBenchOptions, XrefBenchOptions,
};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Ingest a demo leak and report files/s, MB/s, peak RSS and time by stage.
    Ingest(BenchIngestArgs),
    /// Person records from a million spreadsheet rows: time of the records stage.
    Records(BenchRecordsArgs),
    /// Search at a million parts (the XPF-shaped leak's text repeated): trove's latency
    /// for one user and for many, beside SQLite FTS5 (trigram) and a memmem scan.
    Search(BenchSearchArgs),
    /// Cross-reference: quality on the demo's planted list and FEBRL, speed to a million.
    Xref(BenchXrefArgs),
    /// OCR's character error rate on clean, degraded and Uyghur pages, and its pages/s
    /// beside the tesseract command alone.
    Ocr(BenchOcrArgs),
    /// The authenticity report's near-duplicate photos among many (random hashes, one in a
    /// hundred copied under another ID number).
    Authenticity(BenchAuthenticityArgs),
    /// The public site of a demo leak in which every person is published: build time
    /// (scanner included) and search index size.
    Publish(BenchPublishArgs),
}

#[derive(Debug, Args)]
pub struct BenchSearchArgs {
    /// Text to index, in MB.
    #[arg(long, default_value_t = 2048)]
    pub text_mb: usize,
    /// Longest part, in bytes.
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(64..))]
    pub part_bytes: u32,
    /// Where the index, the FTS5 table and the flat file go (default: the temp folder);
    /// those built there before with the same sizes are reused.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Users searching at once in the load measurement.
    #[arg(long, default_value_t = 50)]
    pub users: usize,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchPublishArgs {
    /// People in the demo leak.
    #[arg(long, default_value_t = 20_000)]
    pub people: usize,
    /// Random seed of the demo leak.
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Where the leak, store and site go (default: trove-bench-publish-PEOPLE-SEED in the temp folder).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchAuthenticityArgs {
    /// Images in all.
    #[arg(long, default_value_t = 100_000)]
    pub images: usize,
    /// Random seed.
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchIngestArgs {
    /// People in the leak's village registers (default: 20,000 for the demo shape, 55,000
    /// for xpf).
    #[arg(long)]
    pub people: Option<usize>,
    /// `demo`: the demo leak, judged against Python as a whole; `xpf`: a leak of the 2022
    /// leak's proportions (camera photos, 450 sheets), each goal of issue 18 on its own part.
    #[arg(long, value_enum, default_value = "demo")]
    pub shape: super::demo::ShapeArg,
    /// Random seed of the demo leak.
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Where the leak and the benchmark's store go (default: trove-bench-PEOPLE-SEED in the temp folder).
    /// A leak written there before with the same people and seed is reused.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Worker threads for trove and the floor, processes for the Python reference.
    #[arg(long, default_value_t = 2)]
    pub workers: usize,
    /// Skip the Python reference (it needs python3 and, the first time, PyPI).
    #[arg(long)]
    pub skip_python: bool,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchRecordsArgs {
    /// Spreadsheet rows in all.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: usize,
    /// Rows per workbook (a village register rarely holds more than a few thousand).
    #[arg(long, default_value_t = 50_000)]
    pub rows_per_file: usize,
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Where the workbooks and the store go (default: trove-bench-records-ROWS-SEED in the
    /// temp folder). Workbooks written there before with the same options are reused.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Ingest worker threads.
    #[arg(long, default_value_t = 2)]
    pub workers: usize,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchOcrArgs {
    /// Pages of each kind (clean Chinese, degraded Chinese, Uyghur).
    #[arg(long, default_value_t = 20)]
    pub pages: usize,
    /// Tesseract languages, as a store would set them.
    #[arg(long, default_value = trove_ocr::DEFAULT_LANGUAGES)]
    pub languages: String,
    /// Pages read side by side.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Print the results as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchXrefArgs {
    /// A folder with the FEBRL CSV files (see scripts/bench-xref-febrl.sh).
    #[arg(long)]
    pub febrl: Option<PathBuf>,
    /// Measure speed from 10,000 to 1,000,000 Persons.
    #[arg(long)]
    pub scale: bool,
    /// The largest Person count of the speed run.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_persons: usize,
    /// Also match a million entries against the million Persons.
    #[arg(long)]
    pub million_entries: bool,
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Print the results as JSON objects, one per line.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ingest(args) => {
            // The ingest is measured in a child process of this very executable.
            let trove_exe = std::env::current_exe()
                .context("finding the trove executable to run the ingest")?;
            trove_bench::ingest::run(&IngestBenchOptions {
                people: args.people.or(match args.shape {
                    super::demo::ShapeArg::Demo => Some(20_000),
                    super::demo::ShapeArg::Xpf => None,
                }),
                shape: args.shape.into(),
                seed: args.seed,
                dir: args.dir.clone(),
                workers: args.workers,
                skip_python: args.skip_python,
                json: args.json,
                trove_exe,
            })?;
        }
        BenchCommand::Records(args) => trove_bench::records::run(&RecordsBenchOptions {
            rows: args.rows,
            rows_per_file: args.rows_per_file,
            seed: args.seed,
            dir: args.dir.clone(),
            workers: args.workers,
            json: args.json,
        })?,
        BenchCommand::Authenticity(args) => {
            trove_bench::authenticity::run(&AuthenticityBenchOptions {
                images: args.images,
                seed: args.seed,
                json: args.json,
            })?
        }
        BenchCommand::Search(args) => trove_bench::search::run(&SearchBenchOptions {
            text_mb: args.text_mb,
            part_bytes: args.part_bytes as usize,
            dir: args.dir.clone(),
            users: args.users,
            json: args.json,
        })?,
        BenchCommand::Publish(args) => trove_bench::publish::run(&PublishBenchOptions {
            people: args.people,
            seed: args.seed,
            dir: args.dir.clone(),
            trove_exe: std::env::current_exe()?,
            json: args.json,
        })?,
        BenchCommand::Ocr(args) => trove_bench::ocr::run(&OcrBenchOptions {
            pages: args.pages,
            languages: args.languages.clone(),
            threads: args.threads,
            seed: args.seed,
            json: args.json,
        })?,
        BenchCommand::Xref(args) => trove_bench::xref::run(&XrefBenchOptions {
            febrl: args.febrl.clone(),
            scale: args.scale,
            max_persons: args.max_persons,
            million_entries: args.million_entries,
            threads: args.threads,
            seed: args.seed,
            json: args.json,
        })?,
    }
    // A missed goal is a finding the output reports, not a failure of the benchmark.
    Ok(ExitCode::SUCCESS)
}
