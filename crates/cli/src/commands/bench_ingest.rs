//! `trove bench ingest`: ingest a demo leak and compare it with two references
//! on the same files: merely reading and hashing them (the floor no ingest can
//! beat) and a Python script that extracts the same text and metadata with the
//! libraries Aleph's ingest-file relies on.
//!
//! Every measurement runs on a warm page cache, so the figures compare the
//! work done, not the disk.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use clap::Args;
use serde::{Deserialize, Serialize};
use trove_synth::SynthOptions;

use super::ingest::{FormatSeconds, StageSeconds};
use crate::output::json_line;

/// The speed-up over the Python reference the issue asks for.
const GOAL_SPEEDUP: f64 = 10.0;
/// The peak RSS the issue allows trove.
const GOAL_RSS_BYTES: u64 = 1 << 30;
/// The Python reference, run from the checkout this binary was built from.
const PYTHON_REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scripts/bench/python-reference.sh"
);

#[derive(Debug, Args)]
pub struct BenchIngestArgs {
    /// People in the demo leak's village registers.
    #[arg(long, default_value_t = 20_000)]
    pub people: usize,
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

pub fn run(args: &BenchIngestArgs) -> anyhow::Result<ExitCode> {
    let workers = args.workers.max(1);
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("trove-bench-{}-{}", args.people, args.seed))
    });
    ensure_leak(&dir, args.people, args.seed)?;
    let load_average = load_average();
    let leak = dir.join("leak");
    let corpus = Corpus::list(&leak)?;

    eprintln!(
        "floor: reading and hashing {} files on {workers} threads…",
        corpus.files.len()
    );
    let floor = measure_floor(&corpus, workers)?;
    eprintln!("trove: ingesting in a child process with {workers} workers…");
    let trove = measure_trove(&dir, &corpus, workers)?;
    let python = if args.skip_python {
        None
    } else {
        eprintln!("python: running the Aleph-style reference with {workers} processes…");
        Some(measure_python(&leak, &corpus, workers)?)
    };

    let results = BenchResults {
        people: args.people,
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
    // A missed goal is a finding, not a failure of the benchmark.
    Ok(ExitCode::SUCCESS)
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
}

/// Writes the demo leak into `dir`, unless one with the same people and seed is there already.
fn ensure_leak(dir: &Path, people: usize, seed: u64) -> anyhow::Result<()> {
    let truth_path = dir.join("ground-truth.json");
    if truth_path.is_file() {
        let bytes =
            fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?;
        let header: TruthHeader = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is not a demo ground truth; remove {}",
                truth_path.display(),
                dir.display()
            )
        })?;
        if header.people == people && header.seed == seed {
            eprintln!("reusing the demo leak in {}", dir.display());
            return Ok(());
        }
        bail!(
            "{} holds a demo leak made with --people {} --seed {}; remove it or pass another --dir",
            dir.display(),
            header.people,
            header.seed
        );
    }
    eprintln!(
        "writing a demo leak of {people} people to {}…",
        dir.display()
    );
    trove_synth::write_demo_leak(dir, &SynthOptions { people, seed }).with_context(|| {
        format!(
            "writing the demo leak to {} (remove the folder if a run was cut short)",
            dir.display()
        )
    })?;
    Ok(())
}

/// The files of the leak, listed once so that every measurement sees the same set.
struct Corpus {
    files: Vec<PathBuf>,
    bytes: u64,
}

impl Corpus {
    fn list(leak: &Path) -> anyhow::Result<Corpus> {
        let mut files = Vec::new();
        let mut bytes = 0;
        for entry in walkdir::WalkDir::new(leak).sort_by_file_name() {
            let entry = entry.with_context(|| format!("listing {}", leak.display()))?;
            if entry.file_type().is_file() {
                let metadata = entry
                    .metadata()
                    .with_context(|| format!("reading the size of {}", entry.path().display()))?;
                bytes += metadata.len();
                files.push(entry.into_path());
            }
        }
        Ok(Corpus { files, bytes })
    }

    /// Reads every file once and throws the bytes away, so the next measurement finds them in the page cache.
    fn warm_page_cache(&self, workers: usize) -> anyhow::Result<()> {
        read_in_parallel(&self.files, workers, |_| ()).map(drop)
    }
}

/// Reads every file on `workers` threads taking paths from a shared list, hands
/// the bytes to `consume`, and returns the wall time.
fn read_in_parallel(
    files: &[PathBuf],
    workers: usize,
    consume: impl Fn(&[u8]) + Sync,
) -> anyhow::Result<Duration> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    thread::scope(|scope| {
        let readers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let bytes = fs::read(path)
                            .with_context(|| format!("reading {}", path.display()))?;
                        consume(&bytes);
                    }
                    Ok(())
                })
            })
            .collect();
        readers.into_iter().try_for_each(|reader| {
            reader
                .join()
                .map_err(|_| anyhow!("a reader thread panicked"))?
        })
    })?;
    Ok(started.elapsed())
}

/// One measured run over the corpus.
#[derive(Debug, Serialize)]
struct Measurement {
    files: u64,
    bytes: u64,
    seconds: f64,
    files_per_second: f64,
    mb_per_second: f64,
    /// Peak resident memory; for the Python reference, of its largest process.
    peak_rss_bytes: Option<u64>,
}

impl Measurement {
    fn new(files: u64, bytes: u64, seconds: f64, peak_rss_bytes: Option<u64>) -> Measurement {
        Measurement {
            files,
            bytes,
            seconds,
            files_per_second: files as f64 / seconds,
            mb_per_second: bytes as f64 / 1e6 / seconds,
            peak_rss_bytes,
        }
    }
}

/// Read + BLAKE3 + SHA-256 of every file, with trove's own hashing code.
fn measure_floor(corpus: &Corpus, workers: usize) -> anyhow::Result<Measurement> {
    corpus.warm_page_cache(workers)?;
    let elapsed = read_in_parallel(&corpus.files, workers, |bytes| {
        // black_box: the digests are never used, and must not be optimised away.
        std::hint::black_box(trove_store::hash_bytes(bytes));
    })?;
    Ok(Measurement::new(
        corpus.files.len() as u64,
        corpus.bytes,
        elapsed.as_secs_f64(),
        None,
    ))
}

/// What `trove ingest --json` prints, as far as the benchmark needs it.
#[derive(Deserialize)]
struct IngestJson {
    files_processed: u64,
    bytes_processed: u64,
    failures_this_run: u64,
    seconds: f64,
    stages: Vec<StageSeconds>,
    formats: Vec<FormatSeconds>,
}

/// The trove run: the measurement plus its own account of where the time went.
#[derive(Debug, Serialize)]
struct TroveRun {
    #[serde(flatten)]
    measurement: Measurement,
    /// Wall time the ingest itself reports (without process start and store opening).
    ingest_seconds: f64,
    /// Failures recorded; the demo leak plants broken files on purpose.
    failures: u64,
    /// Summed over threads: CPU-ish time, not wall time.
    stages: Vec<StageSeconds>,
    formats: Vec<FormatSeconds>,
}

/// Runs a full ingest of the leak in a child process (a fresh store every
/// time) and measures its wall time and peak RSS.
fn measure_trove(dir: &Path, corpus: &Corpus, workers: usize) -> anyhow::Result<TroveRun> {
    let store = dir.join("bench-store");
    if store.exists() {
        fs::remove_dir_all(&store).with_context(|| {
            format!("removing the previous benchmark store {}", store.display())
        })?;
    }
    let log_path = dir.join("bench-ingest.log");
    let log =
        File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let exe = std::env::current_exe().context("finding the trove executable to run the ingest")?;
    let mut command = Command::new(exe);
    command
        .arg("--store")
        .arg(&store)
        .arg("ingest")
        .arg(dir.join("leak"))
        .arg("--json")
        .arg("--workers")
        .arg(workers.to_string())
        .stderr(log);

    corpus.warm_page_cache(workers)?;
    let child = run_measured(&mut command)?;
    // 2 means "some files failed", which the demo leak's planted broken files guarantee.
    if !matches!(child.exit_code, 0 | 2) {
        bail!(
            "the ingest exited with code {}; its messages are in {}",
            child.exit_code,
            log_path.display()
        );
    }
    let report: IngestJson = serde_json::from_str(child.stdout.trim()).with_context(|| {
        format!(
            "reading the ingest's JSON report (messages in {})",
            log_path.display()
        )
    })?;
    Ok(TroveRun {
        measurement: Measurement::new(
            report.files_processed,
            report.bytes_processed,
            child.wall.as_secs_f64(),
            Some(child.peak_rss_bytes),
        ),
        ingest_seconds: report.seconds,
        failures: report.failures_this_run,
        stages: report.stages,
        formats: report.formats,
    })
}

/// A finished child process.
struct ChildRun {
    stdout: String,
    exit_code: i32,
    wall: Duration,
    peak_rss_bytes: u64,
}

/// Runs `command` with its stdout captured, waiting for it with `wait4` to learn its peak RSS.
fn run_measured(command: &mut Command) -> anyhow::Result<ChildRun> {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the ingest child process")?;
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .context("the ingest child process has no stdout")?
        .read_to_string(&mut stdout)
        .context("reading the ingest's output")?;
    let (exit_code, peak_rss_bytes) = wait_with_peak_rss(child.id())?;
    Ok(ChildRun {
        stdout,
        exit_code,
        wall: started.elapsed(),
        peak_rss_bytes,
    })
}

/// Reaps the child `pid` and returns its exit code and peak RSS in bytes.
#[cfg(unix)]
fn wait_with_peak_rss(pid: u32) -> anyhow::Result<(i32, u64)> {
    // ru_maxrss is in KiB on Linux and in bytes on macOS.
    const MAXRSS_UNIT: u64 = if cfg!(target_os = "macos") { 1 } else { 1024 };
    let pid = libc::pid_t::try_from(pid).context("the child's process id does not fit a pid_t")?;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both out-pointers refer to live locals of the right types for the whole call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("waiting for the ingest child process");
        }
    }
    if !libc::WIFEXITED(status) {
        bail!(
            "the ingest child process was killed by signal {}",
            libc::WTERMSIG(status)
        );
    }
    let peak_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0) * MAXRSS_UNIT;
    Ok((libc::WEXITSTATUS(status), peak_rss))
}

#[cfg(not(unix))]
fn wait_with_peak_rss(_: u32) -> anyhow::Result<(i32, u64)> {
    bail!("the ingest benchmark measures peak RSS with wait4, which needs Linux or macOS")
}

/// What the Python reference prints.
#[derive(Debug, Deserialize)]
struct PythonJson {
    files: u64,
    bytes: u64,
    seconds: f64,
    failures: u64,
    skipped: u64,
    peak_rss_bytes: u64,
    seven_zip: String,
}

#[derive(Debug, Serialize)]
struct PythonRun {
    #[serde(flatten)]
    measurement: Measurement,
    /// Documents (files, archive members, attachments) whose extraction raised.
    failures: u64,
    /// Documents no library of the reference reads (legacy .doc/.xls/.ppt, unknown types).
    skipped: u64,
    /// How the reference handled 7z archives.
    seven_zip: String,
}

/// Runs the Python reference; its time excludes creating the venv and installing packages.
fn measure_python(leak: &Path, corpus: &Corpus, workers: usize) -> anyhow::Result<PythonRun> {
    let script = Path::new(PYTHON_REFERENCE);
    if !script.is_file() {
        bail!(
            "the Python reference {} is missing (it runs from the trove checkout the binary was built in); \
             pass --skip-python to measure without it",
            script.display()
        );
    }
    // Installing packages can take a while the first time; warm the cache just before the timed run.
    let setup = Command::new("bash")
        .arg(script)
        .arg("--setup-only")
        .status()
        .context("running bash for the Python reference")?;
    if !setup.success() {
        bail!(
            "setting up the Python reference's venv failed (see above); pass --skip-python to measure without it"
        );
    }
    corpus.warm_page_cache(workers)?;
    let output = Command::new("bash")
        .arg(script)
        .arg(leak)
        .arg("--workers")
        .arg(workers.to_string())
        .stderr(Stdio::inherit())
        .output()
        .context("running the Python reference")?;
    if !output.status.success() {
        bail!(
            "the Python reference failed ({}); see its messages above",
            output.status
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last_line = stdout
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let report: PythonJson = serde_json::from_str(last_line).with_context(|| {
        format!("reading the Python reference's JSON report from {last_line:?}")
    })?;
    Ok(PythonRun {
        measurement: Measurement::new(
            report.files,
            report.bytes,
            report.seconds,
            Some(report.peak_rss_bytes),
        ),
        failures: report.failures,
        skipped: report.skipped,
        seven_zip: report.seven_zip,
    })
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

fn print_results(results: &BenchResults) {
    println!(
        "trove bench ingest: demo leak of {} people (seed {}) in {}",
        results.people, results.seed, results.leak
    );
    println!(
        "{} workers on a machine with {} cores; the page cache is warmed (every file read once) before each measurement",
        results.workers, results.cores
    );
    if let Some(load) = results.load_average {
        println!(
            "load average before measuring: {load:.2} (other work on these cores slows every figure)"
        );
    }
    println!();
    println!(
        "{:<34} {:>7} {:>9} {:>8} {:>9} {:>8} {:>10}",
        "", "files", "MB", "wall s", "files/s", "MB/s", "peak RSS"
    );
    print_row("floor: read + BLAKE3 + SHA-256", &results.floor);
    print_row("trove ingest (child process)", &results.trove.measurement);
    match &results.python {
        Some(python) => {
            print_row("python reference (Aleph's libs)", &python.measurement);
            println!(
                "  python: {} processes, RSS of the largest, time from its own clock (without interpreter start and imports); \
                 {} documents failed, {} skipped; 7z: {}",
                results.workers, python.failures, python.skipped, python.seven_zip
            );
        }
        None => println!(
            "{:<34} skipped (--skip-python)",
            "python reference (Aleph's libs)"
        ),
    }
    println!(
        "  trove: {} failures recorded (the demo leak plants broken files); the ingest itself reports {:.2} s",
        results.trove.failures, results.trove.ingest_seconds
    );
    println!();
    print_goals(&results.goals, &results.trove);
    println!();
    print_time_split(&results.trove);
}

fn print_row(label: &str, m: &Measurement) {
    let rss = m.peak_rss_bytes.map_or_else(
        || "-".to_owned(),
        |rss| format!("{:.0} MiB", rss as f64 / f64::from(1 << 20)),
    );
    println!(
        "{label:<34} {:>7} {:>9.1} {:>8.2} {:>9.0} {:>8.1} {rss:>10}",
        m.files,
        m.bytes as f64 / 1e6,
        m.seconds,
        m.files_per_second,
        m.mb_per_second
    );
}

fn print_goals(goals: &Goals, trove: &TroveRun) {
    match (goals.speedup_over_python, goals.ten_times_python) {
        (Some(speedup), Some(true)) => {
            println!("goal met: trove is {speedup:.1}× the Python reference's speed (≥ 10×)")
        }
        (Some(speedup), _) => println!(
            "GOAL MISSED: trove is only {speedup:.1}× the Python reference's speed (goal ≥ 10×)"
        ),
        (None, _) => println!("goal not judged: ≥ 10× the Python reference (skipped)"),
    }
    let rss_mib = trove.measurement.peak_rss_bytes.unwrap_or(0) as f64 / f64::from(1 << 20);
    if goals.rss_under_1_gib {
        println!("goal met: trove's peak RSS is {rss_mib:.0} MiB (< 1 GiB)");
    } else {
        println!("GOAL MISSED: trove's peak RSS is {rss_mib:.0} MiB (goal < 1 GiB)");
    }
}

/// Stage and format times, which are summed over threads and so are shown as
/// shares of their own total rather than of the wall time.
fn print_time_split(trove: &TroveRun) {
    let stage_total: f64 = trove.stages.iter().map(|s| s.seconds).sum();
    println!(
        "trove time by stage (summed over worker and writer threads: CPU-ish time, not wall time; wall {:.2} s)",
        trove.measurement.seconds
    );
    for stage in &trove.stages {
        println!(
            "  {:<18} {:>8.3} s {:>5.1}%",
            stage.stage,
            stage.seconds,
            percent(stage.seconds, stage_total)
        );
    }
    println!("  {:<18} {:>8.3} s", "total", stage_total);
    let format_total: f64 = trove.formats.iter().map(|f| f.seconds).sum();
    println!("extraction by format (summed over threads)");
    for format in &trove.formats {
        println!(
            "  {:<8} {:>6} files {:>8.3} s {:>5.1}%  {:>7.2} ms/file",
            format.kind,
            format.files,
            format.seconds,
            percent(format.seconds, format_total),
            format.seconds * 1e3 / format.files.max(1) as f64
        );
    }
}

fn percent(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        100.0 * part / total
    } else {
        0.0
    }
}
