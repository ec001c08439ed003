//! The Python reference: Aleph's extraction libraries on the same files.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::PYTHON_REFERENCE;
use super::corpus::{Corpus, Measurement};

/// What the Python reference prints.
#[derive(Debug, Deserialize)]
pub(super) struct PythonJson {
    pub(super) files: u64,
    pub(super) bytes: u64,
    pub(super) seconds: f64,
    pub(super) failures: u64,
    pub(super) skipped: u64,
    pub(super) peak_rss_bytes: u64,
    pub(super) seven_zip: String,
}

#[derive(Debug, Serialize)]
pub(super) struct PythonRun {
    #[serde(flatten)]
    pub(super) measurement: Measurement,
    /// Documents (files, archive members, attachments) whose extraction raised.
    pub(super) failures: u64,
    /// Documents no library of the reference reads (legacy .doc/.xls/.ppt, unknown types).
    pub(super) skipped: u64,
    /// How the reference handled 7z archives.
    pub(super) seven_zip: String,
}

/// Runs the Python reference; its time excludes creating the venv and installing packages.
pub(super) fn measure_python(
    leak: &Path,
    corpus: &Corpus,
    workers: usize,
) -> anyhow::Result<PythonRun> {
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
