//! `trove status`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use trove_store::{Catalog, JobCounts, RecordSummary};

use super::open_store;
use crate::output::{human_bytes, json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// One JSON object for the summary, then one per failure.
    #[arg(long)]
    pub json: bool,
    /// List every failure, not only the tallies.
    #[arg(long)]
    pub failures: bool,
    /// Server mode: the shared catalog in PostgreSQL (postgres://user@host:port/name)
    /// instead of --store; shows the queue of the workers too.
    #[arg(long, env = "TROVE_DATABASE_URL")]
    pub database: Option<String>,
}

pub fn run(store: &Path, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.database {
        return super::server::status(url, args);
    }
    let (store, index) = open_store(store)?;
    if index.is_outdated() {
        eprintln!(
            "the search index was made by an older trove: `trove reindex` makes it anew, and names are then found faster"
        );
    }
    let records = store.catalog.record_summary()?;
    report(&*store.catalog, Some(&records), None, args)
}

/// Prints what `catalog` holds: documents, failures, and the person records and the
/// workers' queue where the catalog keeps them. Exit code 2 when failures are on record.
pub(super) fn report(
    catalog: &dyn Catalog,
    records: Option<&RecordSummary>,
    jobs: Option<&JobCounts>,
    args: &StatusArgs,
) -> anyhow::Result<ExitCode> {
    let summary = catalog.status()?;
    let failures = catalog.failures()?;
    if args.json {
        json_line(&json!({
            "documents": summary.documents,
            "occurrences": summary.occurrences,
            "bytes": summary.bytes,
            "unindexed": summary.unindexed,
            "by_type": summary.by_kind.iter().map(|(k, n, b)| json!({"type": k, "documents": n, "bytes": b})).collect::<Vec<_>>(),
            "by_status": summary.by_status.iter().map(|(s, n)| json!({"status": s, "documents": n})).collect::<Vec<_>>(),
            "failures": summary.failures.iter().map(|t| json!({"stage": t.stage, "reason": t.reason, "count": t.count})).collect::<Vec<_>>(),
            "records": records.map(|records| json!({
                "records": records.records, "flagged_records": records.flagged_records,
                "persons": records.persons, "persons_with_valid_id": records.persons_with_valid_id,
                "linked_photos": records.linked_photos, "persons_with_photo": records.persons_with_photo,
                "candidates": records.candidates,
            })),
            "jobs": jobs.map(|jobs| json!({
                "queued": jobs.queued, "running": jobs.running, "lapsed": jobs.lapsed,
                "done": jobs.done, "failed": jobs.failed,
            })),
        }))?;
        for row in &failures {
            json_line(&json!({
                "failure": {"root": row.root, "source": row.source, "path": row.path,
                            "blob": row.blob.as_ref().map(|b| b.as_str()),
                            "stage": row.failure.stage, "reason": row.failure.reason, "message": row.failure.message}
            }))?;
        }
    } else {
        if let Some(jobs) = jobs {
            println!(
                "workers' queue: {} files queued, {} being processed, {} held by a worker that stopped \
                 (taken again by the next free worker), {} done, {} given up",
                jobs.queued, jobs.running, jobs.lapsed, jobs.done, jobs.failed
            );
        }
        println!(
            "{} documents ({}), seen at {} paths",
            summary.documents,
            human_bytes(summary.bytes),
            summary.occurrences
        );
        println!("by type:");
        for (kind, count, bytes) in &summary.by_kind {
            println!("  {:<8} {count:>8}  {}", kind.code(), human_bytes(*bytes));
        }
        println!("by extraction status:");
        for (status, count) in &summary.by_status {
            println!("  {status:<12} {count:>8}");
        }
        if let Some(records) = records {
            println!(
                "person records: {} ({} flagged), {} persons ({} with a valid ID number, {} with a linked photo), {} same-person candidates",
                records.records,
                records.flagged_records,
                records.persons,
                records.persons_with_valid_id,
                records.persons_with_photo,
                records.candidates
            );
        }
        if summary.unindexed > 0 {
            println!(
                "{} documents not yet in the search index ({})",
                summary.unindexed,
                if jobs.is_some() {
                    "the indexer, `trove index --database … --follow`, catches up"
                } else {
                    "run `trove reindex`"
                }
            );
        }
        if summary.failures.is_empty() {
            println!("no failures");
        } else {
            println!("failures by stage and reason:");
            for tally in &summary.failures {
                println!(
                    "  {:<8} {:<20} {:>6}",
                    tally.stage.code(),
                    tally.reason.code(),
                    tally.count
                );
            }
            let shown = if args.failures {
                failures.len()
            } else {
                failures.len().min(20)
            };
            for row in failures.iter().take(shown) {
                println!(
                    "  - {} [{} {}]: {}",
                    terminal_safe(&row.path),
                    row.failure.stage,
                    row.failure.reason,
                    terminal_safe(&row.failure.message)
                );
            }
            if shown < failures.len() {
                println!(
                    "  … {} more (`trove status --failures` lists all)",
                    failures.len() - shown
                );
            }
        }
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
