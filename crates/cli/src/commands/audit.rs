//! `trove audit checkpoint`: the audit trail's head, signed with the server folder's key,
//! to send to partners (see the README, "Custody").

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use trove_access::{Actor, AuditKey};

use super::serve::ServerDir;

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Sign the audit trail's head (newest event and its hash) with the server folder's
    /// key (made on first use) and keep it; print it as JSON, or write it to --out.
    /// Later, `trove verify --server DIR --checkpoint FILE` proves every event up to it
    /// is still in the trail, unchanged.
    Checkpoint(CheckpointArgs),
}

#[derive(Debug, Args)]
pub struct CheckpointArgs {
    #[command(flatten)]
    pub server: ServerDir,
    /// Write the checkpoint to this file as well.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let AuditCommand::Checkpoint(args) = &args.command;
    let db = args.server.open()?;
    let key = AuditKey::load_or_create(&args.server.dir)?;
    let checkpoint = db.make_checkpoint(&key, &Actor::CommandLine)?;
    let json = serde_json::to_string_pretty(&checkpoint)?;
    if let Some(out) = &args.out {
        std::fs::write(out, format!("{json}\n"))
            .with_context(|| format!("writing the checkpoint to {}", out.display()))?;
        eprintln!(
            "checkpoint of events 1 to {} written to {} (key {}): send it to your partners",
            checkpoint.seq,
            out.display(),
            checkpoint.key_id
        );
    }
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}
