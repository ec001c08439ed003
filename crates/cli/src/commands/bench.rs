//! `trove bench`: benchmarks, run by hand (never by the tests).

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Ingest a demo leak and report files/s, MB/s, peak RSS and time by stage.
    Ingest(super::bench_ingest::BenchIngestArgs),
    /// Person records from a million spreadsheet rows: time of the records stage.
    Records(super::bench_records::BenchRecordsArgs),
}

pub fn run(command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ingest(args) => super::bench_ingest::run(args),
        BenchCommand::Records(args) => super::bench_records::run(args),
    }
}
