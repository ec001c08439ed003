//! `trove bench`: benchmarks, run by hand (never by the tests).

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Ingest a demo leak and report files/s, MB/s, peak RSS and time by stage.
    Ingest(super::bench_ingest::BenchIngestArgs),
    /// Person records from a million spreadsheet rows: time of the records stage.
    Records(super::bench_records::BenchRecordsArgs),
    /// Cross-reference: quality on the demo's planted list and FEBRL, speed to a million.
    Xref(super::bench_xref::BenchXrefArgs),
}

pub fn run(command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ingest(args) => super::bench_ingest::run(args),
        BenchCommand::Records(args) => super::bench_records::run(args),
        BenchCommand::Xref(args) => super::bench_xref::run(args),
    }
}

/// This process's peak resident memory.
pub(super) fn peak_rss_bytes() -> u64 {
    // SAFETY: rusage is plain integers, for which all zeroes is a valid value, and
    // getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    // ru_maxrss is in KiB on Linux.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}
