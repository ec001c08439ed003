//! `trove status`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use trove_store::{Catalog, RecordCatalog};

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
}

pub fn run(store: &Path, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let (store, _index) = open_store(store)?;
    let summary = store.catalog.status()?;
    let failures = store.catalog.failures()?;
    let records = store.catalog.record_summary()?;
    if args.json {
        json_line(&json!({
            "documents": summary.documents,
            "occurrences": summary.occurrences,
            "bytes": summary.bytes,
            "unindexed": summary.unindexed,
            "by_type": summary.by_kind.iter().map(|(k, n, b)| json!({"type": k, "documents": n, "bytes": b})).collect::<Vec<_>>(),
            "by_status": summary.by_status.iter().map(|(s, n)| json!({"status": s, "documents": n})).collect::<Vec<_>>(),
            "failures": summary.failures.iter().map(|t| json!({"stage": t.stage, "reason": t.reason, "count": t.count})).collect::<Vec<_>>(),
            "records": {
                "records": records.records, "flagged_records": records.flagged_records,
                "persons": records.persons, "persons_with_valid_id": records.persons_with_valid_id,
                "linked_photos": records.linked_photos, "persons_with_photo": records.persons_with_photo,
                "candidates": records.candidates,
            },
        }))?;
        for row in &failures {
            json_line(&json!({
                "failure": {"root": row.root, "source": row.source, "path": row.path,
                            "blob": row.blob.as_ref().map(|b| b.as_str()),
                            "stage": row.failure.stage, "reason": row.failure.reason, "message": row.failure.message}
            }))?;
        }
    } else {
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
        println!(
            "person records: {} ({} flagged), {} persons ({} with a valid ID number, {} with a linked photo), {} same-person candidates",
            records.records,
            records.flagged_records,
            records.persons,
            records.persons_with_valid_id,
            records.persons_with_photo,
            records.candidates
        );
        if summary.unindexed > 0 {
            println!(
                "{} documents not yet in the search index (run `trove reindex`)",
                summary.unindexed
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
