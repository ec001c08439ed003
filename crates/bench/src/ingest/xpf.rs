//! `trove bench ingest --shape xpf`: the goals of issue 18 on a leak shaped like the 2022
//! one, each part measured on its own beside the floor (read and hash) and, where a goal
//! compares with it, the Python reference:
//!
//! 1. the whole leak: trove at least 3× the Python reference;
//! 2. its documents alone: at least 10×;
//! 3. its files of 1 MB and more: trove's MB/s at least half the floor's;
//! 4. 10,000 files of 4 KB: at least 2,000 files/s;
//! 5. every trove run under 1 GiB peak RSS.

use std::path::Path;
use std::thread;

use serde::Serialize;

use super::cases::Case;
use super::corpus::{Measurement, measure_floor};
use super::python::{PythonRun, measure_python};
use super::report::{print_row, print_time_split};
use super::trove_run::{TroveRun, measure_trove};
use super::{GOAL_RSS_BYTES, IngestBenchOptions, load_average};
use crate::output::json_line;

const GOAL_WHOLE_SPEEDUP: f64 = 3.0;
const GOAL_DOCUMENTS_SPEEDUP: f64 = 10.0;
const GOAL_LARGE_SHARE_OF_FLOOR: f64 = 0.5;
const GOAL_TINY_FILES_PER_SECOND: f64 = 2000.0;
const TINY_FILES: usize = 10_000;

#[derive(Debug, Serialize)]
struct CaseResult {
    name: &'static str,
    what: String,
    floor: Measurement,
    trove: TroveRun,
    python: Option<PythonRun>,
}

impl CaseResult {
    /// Python's wall time over trove's.
    fn speedup(&self) -> Option<f64> {
        self.python
            .as_ref()
            .map(|p| p.measurement.seconds / self.trove.measurement.seconds)
    }
}

#[derive(Debug, Serialize)]
struct XpfGoals {
    whole_speedup: Option<f64>,
    whole_three_times_python: Option<bool>,
    documents_speedup: Option<f64>,
    documents_ten_times_python: Option<bool>,
    large_share_of_floor: Option<f64>,
    large_half_of_floor: Option<bool>,
    tiny_files_per_second: Option<f64>,
    tiny_2000_files_per_second: Option<bool>,
    peak_rss_bytes: u64,
    rss_under_1_gib: bool,
}

impl XpfGoals {
    fn judge(cases: &[CaseResult]) -> XpfGoals {
        let case = |name: &str| cases.iter().find(|c| c.name == name);
        let whole_speedup = case("whole").and_then(CaseResult::speedup);
        let documents_speedup = case("documents").and_then(CaseResult::speedup);
        let large_share_of_floor =
            case("large").map(|c| c.trove.measurement.mb_per_second / c.floor.mb_per_second);
        let tiny_files_per_second = case("tiny").map(|c| c.trove.measurement.files_per_second);
        let peak_rss_bytes = cases
            .iter()
            .filter_map(|c| c.trove.measurement.peak_rss_bytes)
            .max()
            .unwrap_or(0);
        XpfGoals {
            whole_speedup,
            whole_three_times_python: whole_speedup.map(|s| s >= GOAL_WHOLE_SPEEDUP),
            documents_speedup,
            documents_ten_times_python: documents_speedup.map(|s| s >= GOAL_DOCUMENTS_SPEEDUP),
            large_share_of_floor,
            large_half_of_floor: large_share_of_floor.map(|s| s >= GOAL_LARGE_SHARE_OF_FLOOR),
            tiny_files_per_second,
            tiny_2000_files_per_second: tiny_files_per_second
                .map(|f| f >= GOAL_TINY_FILES_PER_SECOND),
            peak_rss_bytes,
            rss_under_1_gib: peak_rss_bytes > 0 && peak_rss_bytes < GOAL_RSS_BYTES,
        }
    }
}

#[derive(Debug, Serialize)]
struct XpfResults {
    shape: &'static str,
    leak: String,
    seed: u64,
    workers: usize,
    cores: usize,
    load_average: Option<f64>,
    cases: Vec<CaseResult>,
    goals: XpfGoals,
}

/// Measures every part of the XPF-shaped leak in `dir/leak`.
pub(super) fn run(args: &IngestBenchOptions, dir: &Path, workers: usize) -> anyhow::Result<()> {
    let leak = dir.join("leak");
    let load_average = load_average();
    let whole = Case::whole(&leak)?;
    let parts = [
        Case::documents(&whole.corpus, &leak, dir)?,
        Case::large(&whole.corpus, &leak, dir)?,
        Case::tiny(dir, TINY_FILES)?,
    ];
    let mut cases = Vec::new();
    for case in std::iter::once(&whole).chain(&parts) {
        eprintln!(
            "{}: {} files, {:.0} MB — floor, trove{}…",
            case.what,
            case.corpus.files.len(),
            case.corpus.bytes as f64 / 1e6,
            if compares_with_python(case, args) {
                ", python"
            } else {
                ""
            }
        );
        let floor = measure_floor(&case.corpus, workers)?;
        let trove = measure_trove(
            &args.trove_exe,
            &case.dir,
            dir,
            case.name,
            &case.corpus,
            workers,
        )?;
        let python = compares_with_python(case, args)
            .then(|| measure_python(&case.dir, &case.corpus, workers))
            .transpose()?;
        cases.push(CaseResult {
            name: case.name,
            what: case.what.clone(),
            floor,
            trove,
            python,
        });
    }
    let results = XpfResults {
        shape: "xpf",
        leak: leak.display().to_string(),
        seed: args.seed,
        workers,
        cores: thread::available_parallelism().map_or(1, |n| n.get()),
        load_average,
        goals: XpfGoals::judge(&cases),
        cases,
    };
    if args.json {
        json_line(&results)
    } else {
        print_results(&results);
        Ok(())
    }
}

/// Goals 1 and 2 compare with Python; the other parts need only the floor.
fn compares_with_python(case: &Case, args: &IngestBenchOptions) -> bool {
    !args.skip_python && matches!(case.name, "whole" | "documents")
}

fn print_results(results: &XpfResults) {
    println!(
        "trove bench ingest --shape xpf: {} ({} workers, {} cores; load average before: {})",
        results.leak,
        results.workers,
        results.cores,
        results
            .load_average
            .map_or_else(|| "-".to_owned(), |l| format!("{l:.2}"))
    );
    println!(
        "dirty pages are written back and the page cache warmed (every file read once) before each measurement"
    );
    for case in &results.cases {
        println!();
        println!(
            "{:<34} {:>7} {:>9} {:>8} {:>9} {:>8} {:>10}",
            case.what, "files", "MB", "wall s", "files/s", "MB/s", "peak RSS"
        );
        print_row("  floor: read + BLAKE3 + SHA-256", &case.floor);
        print_row("  trove ingest", &case.trove.measurement);
        if let Some(python) = &case.python {
            print_row("  python reference", &python.measurement);
        }
        let trove = &case.trove;
        let files_only = trove.measurement.seconds - trove.records_seconds - trove.ocr_seconds;
        println!(
            "  of trove's {:.2} s: person records {:.2} s, OCR {:.2} s, the files themselves {:.2} s{}",
            trove.measurement.seconds,
            trove.records_seconds,
            trove.ocr_seconds,
            files_only,
            case.python
                .as_ref()
                .map_or_else(String::new, |python| format!(
                    " ({:.1}× Python, which makes no records and reads no scans)",
                    python.measurement.seconds / files_only
                ))
        );
    }
    println!();
    print_goals(&results.goals);
    if let Some(whole) = results.cases.iter().find(|c| c.name == "whole") {
        println!();
        print_time_split(&whole.trove);
    }
}

fn print_goals(goals: &XpfGoals) {
    let verdict = |met: Option<bool>| match met {
        Some(true) => "goal met   ",
        Some(false) => "GOAL MISSED",
        None => "not judged ",
    };
    let figure = |value: Option<f64>, unit: &str| {
        value.map_or_else(|| "skipped".to_owned(), |v| format!("{v:.2}{unit}"))
    };
    println!(
        "{} whole leak: trove is {} the Python reference's speed (goal ≥ 3×)",
        verdict(goals.whole_three_times_python),
        figure(goals.whole_speedup, "×")
    );
    println!(
        "{} documents alone: {} (goal ≥ 10×)",
        verdict(goals.documents_ten_times_python),
        figure(goals.documents_speedup, "×")
    );
    println!(
        "{} files of 1 MB and more: trove's MB/s is {} of the floor's (goal ≥ 50%)",
        verdict(goals.large_half_of_floor),
        goals.large_share_of_floor.map_or_else(
            || "skipped".to_owned(),
            |share| format!("{:.2}%", share * 100.0)
        )
    );
    println!(
        "{} tiny files: {} files/s (goal ≥ 2,000)",
        verdict(goals.tiny_2000_files_per_second),
        figure(goals.tiny_files_per_second, "")
    );
    println!(
        "{} peak RSS of the largest trove run: {:.0} MiB (goal < 1 GiB)",
        verdict(Some(goals.rss_under_1_gib)),
        goals.peak_rss_bytes as f64 / f64::from(1 << 20)
    );
}
