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
pub mod typed_password;
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

/// `--database`: server mode's shared catalog instead of the store folder's.
#[derive(Debug, Default, clap::Args)]
pub struct SharedCatalogArg {
    /// Server mode: the shared catalog in PostgreSQL (postgres://user@host:port/name)
    /// instead of --store's.
    #[arg(long, env = "TROVE_DATABASE_URL")]
    pub database: Option<String>,
}

/// A case's catalog, opened: a store folder's, or in server mode the shared one.
pub enum OpenCatalog {
    Store(Store),
    Shared(Box<trove_store::PgCatalog>),
}

impl OpenCatalog {
    /// The shared catalog when `shared` names one, else the store folder's.
    pub fn open(store: &Path, shared: &SharedCatalogArg) -> anyhow::Result<OpenCatalog> {
        Ok(match &shared.database {
            Some(url) => OpenCatalog::Shared(Box::new(server::open(url)?)),
            None => OpenCatalog::Store(Store::open_existing(store)?),
        })
    }

    pub fn catalog(&self) -> &dyn trove_store::CaseCatalog {
        match self {
            OpenCatalog::Store(store) => &*store.catalog,
            OpenCatalog::Shared(catalog) => catalog.as_ref(),
        }
    }

    /// Held while writing: a store's writer lock (one writing process), or on a shared
    /// catalog the role `role` (one process doing that work at a time; PostgreSQL's
    /// transactions keep the rest apart).
    pub fn lock_for_writing(&self, role: &str) -> anyhow::Result<WritingLock> {
        Ok(match self {
            OpenCatalog::Store(store) => WritingLock::Store(store.lock_for_writing()?),
            OpenCatalog::Shared(catalog) => WritingLock::Role(server::hold_role(catalog, role)?),
        })
    }
}

/// What [`OpenCatalog::lock_for_writing`] holds until dropped: a store's lock file or a
/// shared catalog's role.
#[must_use = "the lock is let go when it is dropped"]
#[allow(dead_code, reason = "held, never read: dropping it lets the lock go")]
pub enum WritingLock {
    Store(std::fs::File),
    Role(server::WatchedRole),
}

/// Refuses `action` on a store folder that points at a shared catalog: a local ingest or
/// reindex there would mark documents indexed in this folder's index alone, and the
/// indexer would skip them.
pub fn refuse_on_shared_store(store: &Path, action: &str) -> anyhow::Result<()> {
    if store.join(trove_store::DATABASE_FILE).exists() {
        anyhow::bail!(
            "{} points at a shared catalog ({}): {action} there with server mode's commands \
             (`trove ingest --database …` and `trove worker`; `trove index --database …`)",
            store.display(),
            trove_store::DATABASE_FILE
        );
    }
    Ok(())
}
