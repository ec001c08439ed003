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
    let index = match SearchIndex::open(&dir) {
        Ok(index) if index.is_outdated() => {
            eprintln!("the index was made by an older trove; making it anew");
            drop(index);
            made_anew(&dir)?
        }
        Ok(index) => index,
        Err(error) => {
            eprintln!("the index does not open ({error}); rebuilding it from scratch");
            made_anew(&dir)?
        }
    };
    let mut writer = index.writer(64 << 20)?;
    writer.clear()?;
    writer.commit()?;
    let indexed = trove_ingest::sync_index(&*store.catalog, &mut writer, &StageTimings::default())?;
    if args.json {
        json_line(&serde_json::json!({ "reindexed": indexed }))?;
    } else {
        println!("re-indexed {indexed} documents");
    }
    Ok(ExitCode::SUCCESS)
}

/// An empty index in `dir`, in place of whatever was there.
fn made_anew(dir: &Path) -> anyhow::Result<SearchIndex> {
    std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    Ok(SearchIndex::open(dir)?)
}
