//! `trove verify`: every original re-hashed against the catalog.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use trove_store::Catalog;

use super::open_store;
use crate::output::json_line;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// One JSON object per problem, then a summary object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &Path, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let (store, _index) = open_store(store)?;
    let mut checked = 0u64;
    let mut problems = Vec::new();
    store.catalog.for_each_blob(&mut |recorded| {
        checked += 1;
        match store.blobs.rehash(&recorded.id)? {
            None => problems.push((recorded.id, "missing", String::new())),
            Some(hashes) if hashes.blake3 != recorded.id || hashes.sha256 != recorded.sha256 => {
                problems.push((recorded.id, "changed", hashes.blake3.to_string()))
            }
            Some(_) => {}
        }
        Ok(())
    })?;
    let blobs = &store.blobs;
    if args.json {
        for (id, problem, now) in &problems {
            json_line(
                &json!({"id": id.as_str(), "problem": problem, "path": blobs.path_of(id), "now_hashes_to": now}),
            )?;
        }
        json_line(&json!({"checked": checked, "problems": problems.len()}))?;
    } else {
        for (id, problem, _) in &problems {
            println!("{problem}: {} ({})", id, blobs.path_of(id).display());
        }
        if problems.is_empty() {
            println!("all {checked} originals match their recorded BLAKE3 and SHA-256 hashes");
        } else {
            println!(
                "{} of {checked} originals are changed or missing: restore them from a backup; \
                 the catalog still records what they were",
                problems.len()
            );
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
