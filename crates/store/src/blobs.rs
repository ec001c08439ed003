//! The content-addressed store of originals: `blobs/ab/<blake3>`, one level
//! of 256 folders (two levels made a folder per blob on small leaks, and
//! folder creation is what file systems are slowest at).

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::Digest;
use trove_model::BlobId;

use crate::{RemoteOriginals, StoreError};

/// Both hashes of some content: BLAKE3 names the blob, SHA-256 is recorded
/// because it is what courts, journalists and other tools most often quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentHashes {
    /// The BLAKE3 hash, which names the blob.
    pub blake3: BlobId,
    /// The SHA-256 hash, lowercase hex.
    pub sha256: String,
}

/// Hashes bytes already in memory.
pub fn hash_bytes(bytes: &[u8]) -> ContentHashes {
    let mut hasher = DualHasher::default();
    hasher.update(bytes);
    hasher.finish()
}

#[derive(Default)]
struct DualHasher {
    blake3: blake3::Hasher,
    sha256: sha2::Sha256,
}

impl DualHasher {
    fn update(&mut self, bytes: &[u8]) {
        self.blake3.update(bytes);
        self.sha256.update(bytes);
    }

    fn finish(self) -> ContentHashes {
        ContentHashes {
            blake3: BlobId::from_digest(*self.blake3.finalize().as_bytes()),
            sha256: hex::encode(self.sha256.finalize()),
        }
    }
}

/// A blob once it is in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// The content's two hashes.
    pub hashes: ContentHashes,
    /// Length in bytes.
    pub size: u64,
    /// False when the store already held this content.
    pub newly_written: bool,
}

/// Originals, each kept once and read-only, named by BLAKE3.
///
/// In server mode the shared copy may live in a bucket ([`RemoteOriginals`]); the folder
/// is then this machine's cache of it: what is kept here is uploaded at the next
/// [`sync`](Self::sync), which runs before the catalog records it, and what a reader asks
/// for and the folder lacks is fetched (and its hash checked) first.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
    remote: Option<Arc<Remote>>,
}

#[derive(Debug)]
struct Remote {
    bucket: RemoteOriginals,
    /// Kept here since the last sync: to be in the bucket before the catalog names them.
    unsent: Mutex<BTreeSet<BlobId>>,
    /// Held through a sync's uploads: a second sync must not return while blobs the
    /// first took are still on their way.
    syncing: Mutex<()>,
}

impl Remote {
    /// A set of ids stays whole whatever panicked while holding it.
    fn unsent(&self) -> std::sync::MutexGuard<'_, BTreeSet<BlobId>> {
        self.unsent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl BlobStore {
    /// Opens (creating if needed) the blob folder.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, StoreError> {
        let dir = dir.into();
        let staging = dir.join("staging");
        fs::create_dir_all(&staging).map_err(|e| StoreError::io("create", &staging, e))?;
        Ok(BlobStore { dir, remote: None })
    }

    /// This folder as the cache of the shared originals in `bucket`.
    pub fn with_remote(mut self, bucket: RemoteOriginals) -> Self {
        self.remote = Some(Arc::new(Remote {
            bucket,
            unsent: Mutex::default(),
            syncing: Mutex::default(),
        }));
        self
    }

    /// The bucket behind this folder, if there is one.
    pub fn remote(&self) -> Option<&RemoteOriginals> {
        self.remote.as_ref().map(|remote| &remote.bucket)
    }

    /// Notes that `id`, in place in this folder, is to be in the bucket by the next sync
    /// (whether it was written now or found here: a cache may hold what an interrupted
    /// run never sent). Only once in place: a sync must never meet a half-written blob.
    fn to_send(&self, id: &BlobId) {
        if let Some(remote) = &self.remote {
            remote.unsent().insert(id.clone());
        }
    }

    /// The local path of `id`, fetched from the bucket first if this folder lacks it.
    /// Without a bucket, the path whether or not the blob is there.
    pub fn local_path(&self, id: &BlobId) -> Result<PathBuf, StoreError> {
        let path = self.path_of(id);
        if let Some(remote) = &self.remote
            && !path.is_file()
        {
            self.fetch(&remote.bucket, id)?;
        }
        Ok(path)
    }

    /// Copies `id` from the bucket into this folder, checking that it hashes to its name.
    fn fetch(&self, bucket: &RemoteOriginals, id: &BlobId) -> Result<(), StoreError> {
        let mut staged = self.stage()?;
        let mut hasher = DualHasher::default();
        let staged_path = staged.path().to_path_buf();
        let found = bucket.fetch(id, &mut |piece| {
            hasher.update(piece);
            staged
                .write_all(piece)
                .map_err(|e| StoreError::io("write", &staged_path, e))
        })?;
        if !found {
            return Err(StoreError::Remote {
                url: bucket.url().to_owned(),
                why: format!("original {id} is not in the bucket"),
            });
        }
        let hashes = hasher.finish();
        if hashes.blake3 != *id {
            return Err(StoreError::Remote {
                url: bucket.url().to_owned(),
                why: format!(
                    "original {id} in the bucket hashes to {}: it was changed there; it was not used",
                    hashes.blake3
                ),
            });
        }
        self.commit(staged, id)
    }

    /// The blob folder.
    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Where the blob with this id lives (whether or not it exists yet).
    pub fn path_of(&self, id: &BlobId) -> PathBuf {
        let hex = id.as_str();
        self.dir.join(&hex[..2]).join(hex)
    }

    /// Whether the store holds this blob.
    pub fn contains(&self, id: &BlobId) -> bool {
        self.path_of(id).is_file()
    }

    /// Keeps `bytes` (whose hashes the caller computed) unless already kept.
    pub fn put(&self, hashes: &ContentHashes, bytes: &[u8]) -> Result<StoredBlob, StoreError> {
        let size = bytes.len() as u64;
        if self.contains(&hashes.blake3) {
            self.to_send(&hashes.blake3);
            return Ok(StoredBlob {
                hashes: hashes.clone(),
                size,
                newly_written: false,
            });
        }
        let mut staged = self.stage()?;
        staged
            .write_all(bytes)
            .map_err(|e| StoreError::io("write", staged.path(), e))?;
        self.commit(staged, &hashes.blake3)?;
        self.to_send(&hashes.blake3);
        Ok(StoredBlob {
            hashes: hashes.clone(),
            size,
            newly_written: true,
        })
    }

    /// Streams `reader` into the store, hashing as it copies, so that a file
    /// of any size is kept with bounded memory.
    pub fn put_reader(
        &self,
        mut reader: impl Read,
        origin: &Path,
    ) -> Result<StoredBlob, StoreError> {
        let mut staged = self.stage()?;
        let mut hasher = DualHasher::default();
        let mut buffer = vec![0u8; 1 << 20];
        let mut size = 0u64;
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StoreError::io("read", origin, e)),
            };
            hasher.update(&buffer[..n]);
            staged
                .write_all(&buffer[..n])
                .map_err(|e| StoreError::io("write", staged.path(), e))?;
            size += n as u64;
        }
        let hashes = hasher.finish();
        let newly_written = !self.contains(&hashes.blake3);
        if newly_written {
            self.commit(staged, &hashes.blake3)?;
        }
        self.to_send(&hashes.blake3);
        Ok(StoredBlob {
            hashes,
            size,
            newly_written,
        })
    }

    /// Opens a stored original for reading.
    pub fn open_blob(&self, id: &BlobId) -> Result<File, StoreError> {
        let path = self.local_path(id)?;
        File::open(&path).map_err(|e| StoreError::io("open", path, e))
    }

    /// Reads a stored original whole.
    pub fn read(&self, id: &BlobId) -> Result<Vec<u8>, StoreError> {
        let path = self.local_path(id)?;
        fs::read(&path).map_err(|e| StoreError::io("read", path, e))
    }

    /// Every file kept under the blob folder (the staging folder aside), with the id its
    /// place names: `None` for a file no blob would be kept as (a stray, or one renamed).
    /// Nothing but trove writes here, so anything unnamed is tampering to report.
    pub fn stored_files(&self) -> Result<Vec<(PathBuf, Option<BlobId>)>, StoreError> {
        let mut found = Vec::new();
        let list = |dir: &Path| -> Result<Vec<fs::DirEntry>, StoreError> {
            fs::read_dir(dir)
                .and_then(|entries| entries.collect::<io::Result<Vec<_>>>())
                .map_err(|e| StoreError::io("list", dir, e))
        };
        for entry in list(&self.dir)? {
            let path = entry.path();
            if path == self.staging_dir() {
                continue;
            }
            if !path.is_dir() {
                found.push((path, None));
                continue;
            }
            let folder = entry.file_name().to_string_lossy().into_owned();
            for file in list(&path)? {
                let name = file.file_name().to_string_lossy().into_owned();
                let id = name
                    .parse::<BlobId>()
                    .ok()
                    .filter(|id| id.as_str() == name && name.starts_with(&folder));
                found.push((file.path(), id));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Re-hashes a stored original; `None` when it is missing. With a bucket, the
    /// bucket's copy (the shared one) is hashed as it streams; [`rehash_local`](Self::rehash_local)
    /// hashes this folder's.
    pub fn rehash(&self, id: &BlobId) -> Result<Option<ContentHashes>, StoreError> {
        let Some(remote) = &self.remote else {
            return self.rehash_local(id);
        };
        let mut hasher = DualHasher::default();
        let found = remote.bucket.fetch(id, &mut |piece| {
            hasher.update(piece);
            Ok(())
        })?;
        Ok(found.then(|| hasher.finish()))
    }

    /// Re-hashes this folder's copy of an original; `None` when it has none.
    pub fn rehash_local(&self, id: &BlobId) -> Result<Option<ContentHashes>, StoreError> {
        let path = self.path_of(id);
        let mut file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io("open", path, e)),
        };
        let mut hasher = DualHasher::default();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => hasher.update(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StoreError::io("read", path, e)),
            }
        }
        Ok(Some(hasher.finish()))
    }

    /// A staging file created read-only (the open handle may still write),
    /// so that moving it into place is the only step left.
    /// A folder inside the store for files that exist only while they are
    /// read (a large archive member, say): it shares the store's disk and its
    /// protection, and never holds anything once ingest is done with it.
    pub fn staging_dir(&self) -> PathBuf {
        self.dir.join("staging")
    }

    fn stage(&self) -> Result<tempfile::NamedTempFile, StoreError> {
        let staging = self.staging_dir();
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o444));
        builder
            .tempfile_in(&staging)
            .map_err(|e| StoreError::io("create a file in", staging, e))
    }

    /// Flushes every blob written so far to stable storage. Called once per
    /// catalog transaction, before it, instead of once per file: an fsync per
    /// blob cost more than all of extraction on a leak of small photos, and
    /// the catalog never records a blob that is not yet durable either way.
    ///
    /// With a bucket, every blob kept since the last sync is then uploaded (unless the
    /// bucket holds it already): the catalog names no original the other machines
    /// cannot fetch. What fails to go stays due for the next sync.
    pub fn sync(&self) -> Result<(), StoreError> {
        let dir = File::open(&self.dir).map_err(|e| StoreError::io("open", &self.dir, e))?;
        sync_filesystem(&dir)
            .map_err(|e| StoreError::io("flush the file system of", &self.dir, e))?;
        let Some(remote) = &self.remote else {
            return Ok(());
        };
        let _one_at_a_time = remote
            .syncing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let due: Vec<BlobId> = std::mem::take(&mut *remote.unsent()).into_iter().collect();
        self.send(&remote.bucket, &due).map(drop).inspect_err(|_| {
            remote.unsent().extend(due.iter().cloned());
        })
    }

    /// Uploads the originals `ids` of this folder that `bucket` lacks, each checked
    /// against its name as it goes (a copy changed here is refused, never shared).
    /// Returns how many were sent.
    pub fn send(&self, bucket: &RemoteOriginals, ids: &[BlobId]) -> Result<usize, StoreError> {
        let paths: Vec<PathBuf> = ids.iter().map(|id| self.path_of(id)).collect();
        let pairs: Vec<(BlobId, &Path)> = ids
            .iter()
            .cloned()
            .zip(paths.iter().map(PathBuf::as_path))
            .collect();
        bucket.upload_missing(&pairs)
    }

    /// Moves a fully written staging file to its final name, read-only. The
    /// rename is atomic, so a process killed mid-write never leaves a
    /// half-written blob under a content name; [`BlobStore::sync`] makes the
    /// data durable against power loss.
    fn commit(&self, staged: tempfile::NamedTempFile, id: &BlobId) -> Result<(), StoreError> {
        let target = self.path_of(id);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| StoreError::io("create", parent, e))?;
        }
        #[cfg(not(unix))]
        {
            let mut permissions = staged
                .as_file()
                .metadata()
                .map_err(|e| StoreError::io("inspect", staged.path(), e))?
                .permissions();
            permissions.set_readonly(true);
            fs::set_permissions(staged.path(), permissions)
                .map_err(|e| StoreError::io("make read-only", staged.path(), e))?;
        }
        staged
            .persist(&target)
            .map_err(|e| StoreError::io("move into place", &target, e.error))?;
        Ok(())
    }
}

/// `syncfs(2)`: one call flushes the whole file system the store is on.
#[cfg(target_os = "linux")]
fn sync_filesystem(dir: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for the duration of the call.
    if unsafe { libc::syncfs(dir.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_: &File) -> io::Result<()> {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_is_kept_once_and_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path().join("blobs")).unwrap();
        let bytes = "教育转化培训中心".as_bytes();
        let hashes = hash_bytes(bytes);
        assert!(store.put(&hashes, bytes).unwrap().newly_written);
        let again = store.put_reader(bytes, Path::new("copy")).unwrap();
        assert!(!again.newly_written);
        assert_eq!(again.hashes, hashes);
        let path = store.path_of(&hashes.blake3);
        assert!(fs::metadata(&path).unwrap().permissions().readonly());
        assert_eq!(store.read(&hashes.blake3).unwrap(), bytes);
    }

    #[test]
    fn hashes_match_published_test_vectors() {
        let hashes = hash_bytes(b"abc");
        assert_eq!(
            hashes.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hashes.blake3.as_str(),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
    }

    #[test]
    fn rehash_reports_a_missing_blob_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let hashes = hash_bytes(b"gone");
        assert_eq!(store.rehash(&hashes.blake3).unwrap(), None);
    }
}
