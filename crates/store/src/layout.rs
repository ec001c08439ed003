//! The folder layout of a store.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{BlobStore, CaseCatalog, PgCatalog, RemoteOriginals, SqliteCatalog, StoreError};

/// The catalog's file name inside a store folder.
const CATALOG_FILE: &str = "trove.sqlite";

/// In a server-mode store folder, instead of the catalog file: the URL of the shared
/// catalog in PostgreSQL, one line. The folder keeps what is local to this machine (the
/// search index the indexer writes or a copy of it, previews, rules files); `blobs/`
/// there is the shared folder of originals (a mount or a link).
pub const DATABASE_FILE: &str = "database.url";

/// The file in a store folder that names the bucket of shared originals (server mode,
/// `s3://bucket/prefix`): the folder's `blobs/` is then a cache of it.
pub const ORIGINALS_FILE: &str = "originals.url";

/// Connections a store folder opens to its shared catalog: enough for the workbench's
/// requests of one case not to queue on one another.
const SHARED_CONNECTIONS: usize = 4;

/// An opened store folder: the catalog and the originals. The search index
/// lives in [`Store::index_dir`], opened by `trove-index`.
pub struct Store {
    root: PathBuf,
    /// The catalog: what was found where, extracted text, records, reviews; the
    /// folder's SQLite file, or the shared PostgreSQL catalog its `database.url` names.
    pub catalog: Box<dyn CaseCatalog>,
    /// The originals, by BLAKE3.
    pub blobs: BlobStore,
}

impl Store {
    /// Opens the store in `root`, creating the folder and its parts if needed.
    pub fn open(root: impl AsRef<Path>) -> Result<Self, StoreError> {
        let root = root.as_ref().to_path_buf();
        fs::create_dir_all(&root).map_err(|e| StoreError::io("create", &root, e))?;
        let shared = root.join(DATABASE_FILE);
        let catalog: Box<dyn CaseCatalog> = match fs::read_to_string(&shared) {
            Ok(url) => Box::new(PgCatalog::open_pool(url.trim(), SHARED_CONNECTIONS)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Box::new(SqliteCatalog::open(root.join(CATALOG_FILE))?)
            }
            Err(e) => return Err(StoreError::io("read", &shared, e)),
        };
        let mut blobs = BlobStore::open(root.join("blobs"))?;
        let bucket = root.join(ORIGINALS_FILE);
        match fs::read_to_string(&bucket) {
            Ok(url) => blobs = blobs.with_remote(RemoteOriginals::open(url.trim())?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io("read", &bucket, e)),
        }
        Ok(Store {
            root,
            catalog,
            blobs,
        })
    }

    /// Whether the folder `root` holds a store (its catalog file, or the URL of a shared
    /// catalog).
    pub fn exists_in(root: &Path) -> bool {
        root.join(CATALOG_FILE).is_file() || root.join(DATABASE_FILE).is_file()
    }

    /// Opens an existing store, failing with a clear message if `root` holds none.
    pub fn open_existing(root: impl AsRef<Path>) -> Result<Self, StoreError> {
        let root = root.as_ref();
        if !Self::exists_in(root) {
            return Err(StoreError::io(
                "find a trove store (trove.sqlite) in",
                root,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no store here; run `trove ingest FOLDER --store PATH` first or pass the right --store",
                ),
            ));
        }
        Self::open(root)
    }

    /// Whether the folder names a shared catalog (server mode), whose index the one
    /// indexer (`trove index`) keeps, rather than holding its own.
    pub fn is_shared(&self) -> bool {
        self.root.join(DATABASE_FILE).is_file()
    }

    /// The store folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes the store's writer lock, held until the returned file is dropped:
    /// two ingests writing one store at once would interleave their index
    /// commits. Fails at once, with a clear message, if another holds it.
    pub fn lock_for_writing(&self) -> Result<fs::File, StoreError> {
        let path = self.root.join("writer.lock");
        let file = fs::File::create(&path).map_err(|e| StoreError::io("create", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::io(
                "lock",
                &path,
                std::io::Error::other(
                    "another trove process is writing to this store; wait for it to finish (or stop it) and run again",
                ),
            )),
            Err(fs::TryLockError::Error(e)) => Err(StoreError::io("lock", &path, e)),
        }
    }

    /// Where the search index lives.
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }
}
