//! `trove verify`: every original re-hashed against the catalog, nothing in the blob
//! folder that the catalog does not know, and the store digest to compare with partners.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde_json::json;
use trove_access::{AuditKey, Checkpoint, CheckpointVerdict};
use trove_model::BlobId;
use trove_store::{BlobStore, Catalog};

use super::open_store;
use super::serve::open_access;
use crate::output::json_line;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// One JSON object per problem, then a summary object.
    #[arg(long)]
    pub json: bool,
    /// Also check the audit trail's hash chain in this server folder (when it holds access.sqlite).
    #[arg(long, env = "TROVE_SERVER")]
    pub server: Option<PathBuf>,
    /// Checkpoints (from `trove audit checkpoint`) to prove against the trail: every event
    /// up to each must still be there, unchanged. Needs --server.
    #[arg(long, requires = "server", num_args = 1..)]
    pub checkpoint: Vec<PathBuf>,
    /// Server mode: the shared catalog in PostgreSQL (postgres://user@host:port/name)
    /// instead of --store. Needs --blobs.
    #[arg(long, env = "TROVE_DATABASE_URL")]
    pub database: Option<String>,
    /// Server mode: the folder of originals the workers share.
    #[arg(long, requires = "database")]
    pub blobs: Option<PathBuf>,
    /// Server mode: the bucket of shared originals (s3://bucket/prefix; endpoint and
    /// keys from the AWS_* variables), whose copies are hashed instead of --blobs'.
    #[arg(long, env = "TROVE_ORIGINALS", requires = "blobs")]
    pub originals: Option<String>,
}

pub fn run(store: &Path, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let originals_intact = match (&args.database, &args.blobs) {
        (Some(url), Some(blobs)) => {
            super::server::verify(url, blobs, args.originals.as_deref(), args.json)?
        }
        (Some(_), None) => {
            anyhow::bail!("--database needs --blobs: the folder of originals the workers share")
        }
        _ => {
            let (store, _index) = open_store(store)?;
            verify_originals(&*store.catalog, &store.blobs, args.json)?
        }
    };
    let chain_intact = match &args.server {
        Some(server) => {
            let chain = verify_audit_trail(server, args.json)?;
            let checkpoints = verify_checkpoints(server, &args.checkpoint, args.json)?;
            chain && checkpoints
        }
        None => true,
    };
    Ok(if originals_intact && chain_intact {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Re-hashes every original `catalog` records in `blobs`, and looks for files there it
/// does not record; prints what it finds. True when every original is intact and
/// nothing stray lies among them.
pub(super) fn verify_originals(
    catalog: &dyn Catalog,
    blobs: &BlobStore,
    json: bool,
) -> anyhow::Result<bool> {
    let mut checked = 0u64;
    // (original, what is wrong, what it hashes to now, which copy)
    let mut problems: Vec<(BlobId, &str, String, String)> = Vec::new();
    let mut known = HashSet::new();
    let local_copy = |id: &BlobId| blobs.path_of(id).display().to_string();
    catalog.for_each_blob(&mut |recorded| {
        checked += 1;
        let id = &recorded.id;
        let differs = |hashes: &trove_store::ContentHashes| {
            hashes.blake3 != *id || hashes.sha256 != recorded.sha256
        };
        // The shared copy: the bucket's when there is one, else the folder's (named only
        // when something is wrong with it: this runs once per original).
        let shared_copy = || match blobs.remote() {
            Some(bucket) => format!("{} object {id}", bucket.url()),
            None => local_copy(id),
        };
        match blobs.rehash(id)? {
            None => problems.push((id.clone(), "missing", String::new(), shared_copy())),
            Some(hashes) if differs(&hashes) => problems.push((
                id.clone(),
                "changed",
                hashes.blake3.to_string(),
                shared_copy(),
            )),
            Some(_) => {}
        }
        // With a bucket, this machine's cached copy too, where it has one.
        if blobs.remote().is_some()
            && let Some(hashes) = blobs.rehash_local(id)?
            && differs(&hashes)
        {
            problems.push((
                id.clone(),
                "changed",
                hashes.blake3.to_string(),
                local_copy(id),
            ));
        }
        known.insert(recorded.id);
        Ok(())
    })?;
    // Nothing but trove writes the blob folder. A file the catalog does not know whose
    // content still hashes to its name was stored by an ingest stopped before it could
    // record it (killed, or the disk full): the next ingest records it. Any other was put
    // there (or renamed) by someone else.
    let mut unrecorded: Vec<PathBuf> = Vec::new();
    let mut strays: Vec<PathBuf> = Vec::new();
    for (path, id) in blobs.stored_files()? {
        match id {
            Some(id) if known.contains(&id) => {}
            Some(id) if blobs.rehash_local(&id)?.is_some_and(|h| h.blake3 == id) => {
                unrecorded.push(path);
            }
            _ => strays.push(path),
        }
    }
    let digest = trove_web::authenticity_facts::digest_of(catalog)?;
    if json {
        for (id, problem, now, copy) in &problems {
            json_line(
                &json!({"id": id.as_str(), "problem": problem, "path": copy, "now_hashes_to": now}),
            )?;
        }
        for path in &strays {
            json_line(&json!({"problem": "stray", "path": path}))?;
        }
        for path in &unrecorded {
            json_line(&json!({"problem": "unrecorded", "path": path}))?;
        }
        json_line(&json!({
            "checked": checked,
            "problems": problems.len() + strays.len(),
            "store_digest": digest,
        }))?;
    } else {
        for (id, problem, _, copy) in &problems {
            println!("{problem}: {id} ({copy})");
        }
        for path in &strays {
            println!(
                "stray: {} is in the blob folder but no original of the catalog",
                path.display()
            );
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
        if !strays.is_empty() {
            println!(
                "{} stray files in the blob folder: someone put them there; keep them aside \
                 for examination and remove them from the store",
                strays.len()
            );
        }
        if !unrecorded.is_empty() {
            println!(
                "{} originals stored but not yet recorded, left by an ingest that stopped \
                 (killed, or the disk full): ingest the same folder again to record them",
                unrecorded.len()
            );
        }
        println!("store digest {digest} (a partner who ingests the same originals gets the same)");
    }
    Ok(problems.is_empty() && strays.is_empty())
}

/// Checks the audit trail's hash chain, if `server` holds an access
/// database; says whether it is intact.
fn verify_audit_trail(server: &Path, json: bool) -> anyhow::Result<bool> {
    if !trove_access::has_access_db(server) {
        return Ok(true);
    }
    let report = open_access(server)?.verify_audit_chain()?;
    if json {
        json_line(&json!({
            "audit_events_checked": report.checked,
            "audit_problem": report.first_problem.as_ref().map(|p| json!({
                "seq": p.seq, "kind": p.kind.as_str(), "message": p.message,
            })),
            "audit_head_hash": report.head_hash,
        }))?;
    } else {
        match &report.first_problem {
            None => {
                println!("audit trail: {} events, chain intact", report.checked);
                if let Some(head) = &report.head_hash {
                    println!(
                        "audit trail head: {head} (keep it elsewhere: it also reveals events removed from the end)"
                    );
                }
            }
            Some(problem) => println!(
                "audit trail: chain broken at event {} ({}): {}; the {} events before it are intact",
                problem.seq,
                problem.kind.as_str(),
                problem.message,
                report.checked
            ),
        }
    }
    Ok(report.first_problem.is_none())
}

/// Proves each checkpoint file against the trail; says whether all hold.
fn verify_checkpoints(server: &Path, files: &[PathBuf], json: bool) -> anyhow::Result<bool> {
    if files.is_empty() {
        return Ok(true);
    }
    if !trove_access::has_access_db(server) {
        anyhow::bail!(
            "{} holds no audit trail (access.sqlite, or database.url naming a shared one) to prove checkpoints against",
            server.display()
        );
    }
    let db = open_access(server)?;
    let key = AuditKey::load(server)?;
    let mut all_hold = true;
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("reading the checkpoint {}", file.display()))?;
        let checkpoint: Checkpoint = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a checkpoint written by `trove audit checkpoint`",
                file.display()
            )
        })?;
        let verdict = db.check_checkpoint(&checkpoint, key.as_ref())?;
        let holds = verdict == CheckpointVerdict::Holds;
        all_hold &= holds;
        if json {
            json_line(&json!({
                "checkpoint": file,
                "seq": checkpoint.seq,
                "holds": holds,
                "verdict": verdict.describe(&checkpoint),
            }))?;
        } else {
            println!(
                "checkpoint {} (events 1 to {}): {}",
                file.display(),
                checkpoint.seq,
                verdict.describe(&checkpoint)
            );
        }
    }
    Ok(all_hold)
}
