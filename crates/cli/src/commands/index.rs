//! `trove index`: the one indexer of a shared catalog (server mode). It follows the
//! catalog, indexing what workers wrote, and commits; web servers open the index
//! read-only and reload.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use trove_index::SearchIndex;
use trove_ingest::StageTimings;
use trove_store::Catalog;

use super::ingest::stop_on_ctrl_c;
use crate::output::json_line;

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The shared catalog: a PostgreSQL URL (postgres://user@host:port/name).
    #[arg(long, env = "TROVE_DATABASE_URL")]
    pub database: String,
    /// The index folder (made if missing).
    #[arg(long)]
    pub index: PathBuf,
    /// Keep following the catalog, indexing new documents as workers write them, until
    /// Ctrl-C; without it, index what is there and stop.
    #[arg(long)]
    pub follow: bool,
    /// With --follow: seconds between looks at the catalog.
    #[arg(long, default_value_t = 5)]
    pub poll_seconds: u64,
    /// Make the index anew: the index's files are removed (a folder holding anything
    /// else is refused) and every document of the catalog indexed again (after an upgrade that changed how text is indexed, which this
    /// command says at its start).
    #[arg(long)]
    pub rebuild: bool,
    /// Print the count as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let catalog = super::server::open(&args.database)?;
    let _role = super::server::hold_role(&catalog, "indexer")?;
    let index = if args.rebuild {
        // Marked first: should this stop half-way, the next run indexes everything still.
        catalog.mark_all_unindexed()?;
        SearchIndex::open_empty(&args.index)
            .with_context(|| format!("emptying the index {}", args.index.display()))?
    } else {
        SearchIndex::open(&args.index)
            .with_context(|| format!("opening the index {}", args.index.display()))?
    };
    if index.is_outdated() {
        eprintln!(
            "the index {} was made by an older trove: `trove index --rebuild` makes it anew, and names are then found faster",
            args.index.display()
        );
    }
    let mut writer = index.writer(64 << 20)?;
    let timings = StageTimings::default();
    let stop = stop_on_ctrl_c();
    let mut indexed = 0;
    loop {
        let now = trove_ingest::sync_index(&catalog, &mut writer, &timings)?;
        indexed += now;
        if args.follow && now > 0 && !args.json {
            println!("indexed {now} documents");
        }
        if !args.follow || stop.load(Ordering::SeqCst) {
            break;
        }
        let next = Instant::now() + Duration::from_secs(args.poll_seconds.max(1));
        while Instant::now() < next && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    if args.json {
        json_line(&serde_json::json!({ "indexed": indexed }))?;
    } else {
        println!("indexed {indexed} documents into {}", args.index.display());
    }
    Ok(ExitCode::SUCCESS)
}
