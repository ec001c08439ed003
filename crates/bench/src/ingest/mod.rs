//! `trove bench ingest`: ingest a demo leak and compare it with two references
//! on the same files: merely reading and hashing them (the floor no ingest can
//! beat) and a Python script that extracts the same text and metadata with the
//! libraries Aleph's ingest-file relies on.
//!
//! Every measurement runs on a warm page cache, so the figures compare the
//! work done, not the disk.
//!
//! The trove ingest runs as a child process of the `trove` executable named in
//! [`IngestBenchOptions::trove_exe`], so that its peak RSS is its own.

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use trove_synth::{Shape, SynthOptions};

mod cases;
mod corpus;
mod python;
mod report;
mod trove_run;
mod xpf;

use crate::output::json_line;
pub(crate) use corpus::Corpus;
use corpus::{Measurement, measure_floor};
use python::{PythonRun, measure_python};
use report::print_results;
use trove_run::{TroveRun, measure_trove};

/// The speed-up over the Python reference the issue asks for.
const GOAL_SPEEDUP: f64 = 10.0;
/// The peak RSS the issue allows trove.
const GOAL_RSS_BYTES: u64 = 1 << 30;
/// The Python reference, run from the checkout this binary was built from.
const PYTHON_REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scripts/bench/python-reference.sh"
);

/// What `trove bench ingest` measures, and how.
#[derive(Debug, Clone)]
pub struct IngestBenchOptions {
    /// People in the demo leak's village registers (default: the shape's).
    pub people: Option<usize>,
    /// The demo leak, or one shaped like the 2022 leak (measured part by part, see `xpf`).
    pub shape: Shape,
    /// Random seed of the demo leak.
    pub seed: u64,
    /// Where the leak and the benchmark's store go (default: trove-bench-PEOPLE-SEED in the temp folder).
    /// A leak written there before with the same people and seed is reused.
    pub dir: Option<PathBuf>,
    /// Worker threads for trove and the floor, processes for the Python reference.
    pub workers: usize,
    /// Skip the Python reference (it needs python3 and, the first time, PyPI).
    pub skip_python: bool,
    /// Print the results as one JSON object.
    pub json: bool,
    /// The `trove` executable whose `ingest` command is measured (the CLI passes itself).
    pub trove_exe: PathBuf,
}

/// Runs the ingest benchmark and prints its results. A missed goal is a finding
/// reported in the output, not an error.
pub fn run(args: &IngestBenchOptions) -> anyhow::Result<()> {
    let workers = args.workers.max(1);
    let shaped = match args.shape {
        Shape::Demo => trove_synth::default_options(),
        Shape::Xpf => trove_synth::xpf_options(),
    };
    let options = SynthOptions {
        people: args.people.unwrap_or(shaped.people),
        seed: args.seed,
        ..shaped
    };
    let dir = args.dir.clone().unwrap_or_else(|| leak_dir(&options));
    ensure_leak(&dir, &options)?;
    if options.shape == Shape::Xpf {
        return xpf::run(args, &dir, workers);
    }
    let load_average = load_average();
    let leak = dir.join("leak");
    let corpus = Corpus::list(&leak)?;

    eprintln!(
        "floor: reading and hashing {} files on {workers} threads…",
        corpus.files.len()
    );
    let floor = measure_floor(&corpus, workers)?;
    eprintln!("trove: ingesting in a child process with {workers} workers…");
    let trove = measure_trove(&args.trove_exe, &leak, &dir, "bench", &corpus, workers)?;
    let python = if args.skip_python {
        None
    } else {
        eprintln!("python: running the Aleph-style reference with {workers} processes…");
        Some(measure_python(&leak, &corpus, workers)?)
    };

    let results = BenchResults {
        people: options.people,
        seed: args.seed,
        leak: leak.display().to_string(),
        workers,
        cores: thread::available_parallelism().map_or(1, |n| n.get()),
        load_average,
        goals: Goals::judge(&trove, python.as_ref()),
        floor,
        trove,
        python,
    };
    if args.json {
        json_line(&results)?;
    } else {
        print_results(&results);
    }
    Ok(())
}

/// Where `trove bench ingest` keeps the leak `options` describe by default: the search
/// benchmark reads the XPF-shaped one from there too.
pub(crate) fn leak_dir(options: &SynthOptions) -> PathBuf {
    let shape = match options.shape {
        Shape::Demo => "",
        Shape::Xpf => "xpf-",
    };
    std::env::temp_dir().join(format!(
        "trove-bench-{shape}{}-{}",
        options.people, options.seed
    ))
}

/// The 1-minute load average, where the system reports one: other work on
/// the same cores skews every measurement, so the output says how busy they were.
fn load_average() -> Option<f64> {
    let loadavg = fs::read_to_string("/proc/loadavg").ok()?;
    loadavg.split_whitespace().next()?.parse().ok()
}

/// Only what the benchmark needs of `ground-truth.json`: which leak it describes.
#[derive(Deserialize)]
struct TruthHeader {
    people: usize,
    seed: u64,
    #[serde(default)]
    shape: Shape,
}

/// Writes the leak `options` describe into `dir`, unless it is there already.
pub(crate) fn ensure_leak(dir: &Path, options: &SynthOptions) -> anyhow::Result<()> {
    let truth_path = dir.join("ground-truth.json");
    if truth_path.is_file() {
        let header = read_truth_header(&truth_path).with_context(|| {
            format!(
                "{} is not a demo ground truth; remove {}",
                truth_path.display(),
                dir.display()
            )
        })?;
        if (header.people, header.seed, header.shape)
            == (options.people, options.seed, options.shape)
        {
            eprintln!("reusing the leak in {}", dir.display());
            return Ok(());
        }
        bail!(
            "{} holds a leak made with --people {} --seed {} (shape {:?}); remove it or pass another --dir",
            dir.display(),
            header.people,
            header.seed,
            header.shape
        );
    }
    eprintln!(
        "writing a {:?}-shaped leak of {} people to {}…",
        options.shape,
        options.people,
        dir.display()
    );
    trove_synth::write_demo_leak(dir, options).with_context(|| {
        format!(
            "writing the leak to {} (remove the folder if a run was cut short)",
            dir.display()
        )
    })?;
    Ok(())
}

/// The header fields of a ground truth, read without its (possibly 100 MB) lists.
fn read_truth_header(path: &Path) -> anyhow::Result<TruthHeader> {
    let file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    // The lists are skipped by serde as they stream past, never held.
    Ok(serde_json::from_reader(std::io::BufReader::new(file))?)
}

/// The goals, judged on this run.
#[derive(Debug, Serialize)]
struct Goals {
    /// Python's wall time over trove's; none when Python was skipped.
    speedup_over_python: Option<f64>,
    ten_times_python: Option<bool>,
    rss_under_1_gib: bool,
}

impl Goals {
    fn judge(trove: &TroveRun, python: Option<&PythonRun>) -> Goals {
        let speedup = python.map(|p| p.measurement.seconds / trove.measurement.seconds);
        Goals {
            speedup_over_python: speedup,
            ten_times_python: speedup.map(|s| s >= GOAL_SPEEDUP),
            rss_under_1_gib: trove
                .measurement
                .peak_rss_bytes
                .is_some_and(|rss| rss < GOAL_RSS_BYTES),
        }
    }
}

#[derive(Debug, Serialize)]
struct BenchResults {
    people: usize,
    seed: u64,
    leak: String,
    workers: usize,
    cores: usize,
    /// The 1-minute load average before measuring (Linux only).
    load_average: Option<f64>,
    floor: Measurement,
    trove: TroveRun,
    python: Option<PythonRun>,
    goals: Goals,
}
