//! `trove audit checkpoint`: the audit trail's head, signed with the server folder's key,
//! to send to partners (see the README, "Custody"); `trove audit list`: the trail's
//! events, filtered as on the admin page, for scripts and reviews.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use trove_access::{Actor, AuditAction, AuditFilter, AuditKey, NewAuditEvent};

use super::serve::ServerDir;
use crate::output::terminal_safe;

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
    /// List the audit trail's events, newest first, filtered by actor, action, case and
    /// time (as the admin page does); `--count` prints how many match. The listing is
    /// itself recorded in the trail.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub server: ServerDir,
    /// Only events by this user.
    #[arg(long)]
    pub actor: Option<String>,
    /// Only events of this action (`view_record`, `refused`, `login_failed` …).
    #[arg(long)]
    pub action: Option<String>,
    /// Only events in this case.
    #[arg(long)]
    pub case: Option<String>,
    /// Only events at or after this time (RFC 3339, or a date such as 2026-12-04).
    #[arg(long)]
    pub since: Option<String>,
    /// Only events before this time (RFC 3339, or a date).
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many events.
    #[arg(long, default_value_t = 100)]
    pub limit: u64,
    /// Print only how many events match.
    #[arg(long)]
    pub count: bool,
    /// One JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
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
    match &args.command {
        AuditCommand::Checkpoint(args) => checkpoint(args),
        AuditCommand::List(args) => list(args),
    }
}

fn list(args: &ListArgs) -> anyhow::Result<ExitCode> {
    if let Some(action) = &args.action {
        action.parse::<AuditAction>().map_err(|_| {
            anyhow::anyhow!(
                "--action {action:?} is not an audit action; the actions are: {}",
                AuditAction::ALL.map(|a| a.code()).join(", ")
            )
        })?;
    }
    let filter = AuditFilter {
        actor: args.actor.clone(),
        action: args.action.clone(),
        case: args.case.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
    };
    let db = args.server.open()?;
    // Counted and listed before the listing's own event is appended.
    let total = db.audit_count(&filter)?;
    let events = if args.count {
        Vec::new()
    } else {
        db.audit_events(&filter, 0, args.limit)?
    };
    db.append_audit(
        NewAuditEvent::new(AuditAction::AuditViewed)
            .by(&Actor::CommandLine)
            .detail(format!("trove audit list: {total} events matched")),
    )?;
    if args.count {
        println!("{total}");
        return Ok(ExitCode::SUCCESS);
    }
    for event in &events {
        if args.json {
            println!("{}", serde_json::to_string(event)?);
        } else {
            println!(
                "{:>6} {} {:<18} {:<12} {:<10} {} {}",
                event.seq,
                event.at,
                event.action,
                event.actor.as_deref().unwrap_or("-"),
                event.case.as_deref().unwrap_or("-"),
                terminal_safe(event.target.as_deref().unwrap_or("-")),
                terminal_safe(&event.detail)
            );
        }
    }
    if !args.json && total > events.len() as u64 {
        eprintln!("{} of {total} events shown; use --limit", events.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn checkpoint(args: &CheckpointArgs) -> anyhow::Result<ExitCode> {
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
