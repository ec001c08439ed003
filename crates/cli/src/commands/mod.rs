//! One module per subcommand.

pub mod audit;
pub mod authenticity;
pub mod bench;
pub mod case;
pub mod custody;
pub mod demo;
mod demo_serve;
pub mod export;
pub mod id;
pub mod index;
pub mod ingest;
pub mod lists;
pub mod names;
pub mod person;
pub mod publish;
pub mod records;
pub mod reindex;
pub mod search;
pub mod serve;
pub mod server;
pub mod show;
pub mod stats;
pub mod status;
pub mod user;
pub mod verify;
pub mod xref;

use std::path::Path;

use anyhow::Context;
use trove_index::SearchIndex;
use trove_store::Store;

/// Opens an existing store and its index, with a message that says what to do if there is none.
pub fn open_store(store: &Path) -> anyhow::Result<(Store, SearchIndex)> {
    let opened = Store::open_existing(store)?;
    let index = SearchIndex::open(&opened.index_dir())
        .with_context(|| format!("opening the search index of {}", store.display()))?;
    Ok((opened, index))
}
