//! trove's own ingest, run as a child process so its peak RSS can be read.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::corpus::{Corpus, Measurement};

/// Time spent in one ingest stage, as `trove ingest --json` prints it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StageSeconds {
    pub(super) stage: String,
    pub(super) seconds: f64,
}

/// Extraction time for one format, as `trove ingest --json` prints it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FormatSeconds {
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) files: u64,
    pub(super) seconds: f64,
}

/// What `trove ingest --json` prints, as far as the benchmark needs it.
#[derive(Deserialize)]
pub(super) struct IngestJson {
    pub(super) files_processed: u64,
    pub(super) bytes_processed: u64,
    pub(super) failures_this_run: u64,
    pub(super) seconds: f64,
    pub(super) stages: Vec<StageSeconds>,
    pub(super) formats: Vec<FormatSeconds>,
    #[serde(default)]
    pub(super) records: Option<PhaseJson>,
    #[serde(default)]
    pub(super) ocr: Option<PhaseJson>,
}

/// A phase after the files are read (person records, OCR), as far as its time goes.
#[derive(Deserialize)]
pub(super) struct PhaseJson {
    pub(super) seconds: f64,
}

/// The trove run: the measurement plus its own account of where the time went.
#[derive(Debug, Serialize)]
pub(super) struct TroveRun {
    #[serde(flatten)]
    pub(super) measurement: Measurement,
    /// Wall time the ingest itself reports (without process start and store opening).
    pub(super) ingest_seconds: f64,
    /// Failures recorded; the demo leak plants broken files on purpose.
    pub(super) failures: u64,
    /// Making person records from the sheets read: work the Python reference does not do.
    pub(super) records_seconds: f64,
    /// OCR of scanned pages: likewise.
    pub(super) ocr_seconds: f64,
    /// Summed over threads: CPU-ish time, not wall time.
    pub(super) stages: Vec<StageSeconds>,
    pub(super) formats: Vec<FormatSeconds>,
}

/// Runs a full ingest of `source` (whose files are `corpus`) in a child process, into a
/// fresh store `work/NAME-store` with its messages in `work/NAME-ingest.log`, and measures
/// its wall time and peak RSS.
pub(super) fn measure_trove(
    trove_exe: &Path,
    source: &Path,
    work: &Path,
    name: &str,
    corpus: &Corpus,
    workers: usize,
) -> anyhow::Result<TroveRun> {
    let store = work.join(format!("{name}-store"));
    if store.exists() {
        fs::remove_dir_all(&store).with_context(|| {
            format!("removing the previous benchmark store {}", store.display())
        })?;
    }
    let log_path = work.join(format!("{name}-ingest.log"));
    let log =
        File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let mut command = Command::new(trove_exe);
    command
        .arg("--store")
        .arg(&store)
        .arg("ingest")
        .arg(source)
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
        records_seconds: report.records.map_or(0.0, |r| r.seconds),
        ocr_seconds: report.ocr.map_or(0.0, |o| o.seconds),
        stages: report.stages,
        formats: report.formats,
    })
}

/// A finished child process.
pub(super) struct ChildRun {
    pub(super) stdout: String,
    pub(super) exit_code: i32,
    pub(super) wall: Duration,
    pub(super) peak_rss_bytes: u64,
}

/// Runs `command` with its stdout captured, waiting for it with `wait4` to learn its peak RSS.
pub(super) fn run_measured(command: &mut Command) -> anyhow::Result<ChildRun> {
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
pub(super) fn wait_with_peak_rss(pid: u32) -> anyhow::Result<(i32, u64)> {
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
pub(super) fn wait_with_peak_rss(_: u32) -> anyhow::Result<(i32, u64)> {
    bail!("the ingest benchmark measures peak RSS with wait4, which needs Linux or macOS")
}
