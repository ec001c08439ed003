//! `trove reindex`: rebuild the search index from the catalog.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_index::SearchIndex;
use trove_ingest::StageTimings;
use trove_store::Store;

use crate::output::json_line;

#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Print the count as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Rebuilds even an index that no longer opens: it is derived data.
pub fn run(store: &Path, args: &ReindexArgs) -> anyhow::Result<ExitCode> {
    super::refuse_on_shared_store(store, "index")?;
    let store = Store::open_existing(store)?;
    let _writer_lock = store.lock_for_writing()?;
    // Marked first: should this stop half-way, the catalog knows that what the index
    // holds is not everything, and `trove status` says so.
    store.catalog.mark_all_unindexed()?;
    let dir = store.index_dir();
    // An outdated or damaged index is made anew too: it is derived data.
    let index = SearchIndex::open_empty(&dir)
        .with_context(|| format!("emptying the index {}", dir.display()))?;
    let mut writer = index.writer(64 << 20)?;
    let indexed = trove_ingest::sync_index(&*store.catalog, &mut writer, &StageTimings::default())?;
    if args.json {
        json_line(&serde_json::json!({ "reindexed": indexed }))?;
    } else {
        println!("re-indexed {indexed} documents");
    }
    Ok(ExitCode::SUCCESS)
}
