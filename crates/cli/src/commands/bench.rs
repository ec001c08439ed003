//! `trove bench`: benchmarks, run by hand (never by the tests).

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Ingest a demo leak and report files/s, MB/s, peak RSS and time by stage.
    Ingest(super::bench_ingest::BenchIngestArgs),
}

pub fn run(command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ingest(args) => super::bench_ingest::run(args),
    }
}
