//! The benchmark's output for people.

use super::corpus::Measurement;
use super::trove_run::TroveRun;
use super::{BenchResults, Goals};

pub(super) fn print_results(results: &BenchResults) {
    println!(
        "trove bench ingest: demo leak of {} people (seed {}) in {}",
        results.people, results.seed, results.leak
    );
    println!(
        "{} workers on a machine with {} cores; dirty pages are written back and the page cache warmed (every file read once) before each measurement",
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

pub(super) fn print_row(label: &str, m: &Measurement) {
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

pub(super) fn print_goals(goals: &Goals, trove: &TroveRun) {
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
pub(super) fn print_time_split(trove: &TroveRun) {
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

pub(super) fn percent(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        100.0 * part / total
    } else {
        0.0
    }
}
