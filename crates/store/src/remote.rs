//! Originals on S3-compatible storage (server mode): the shared copy of every original,
//! kept under `PREFIX/ab/<blake3>` as the local blob folder keeps them. The local
//! [`BlobStore`](crate::BlobStore) stays a cache in front of it: workers upload what they
//! kept before the catalog records it, and readers fetch what their cache lacks.
//!
//! The bucket is named by a URL (`s3://bucket/prefix`); the endpoint, region and keys
//! come from the usual `AWS_*` variables (`AWS_ENDPOINT`, `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ALLOW_HTTP` for a server without TLS), so
//! that no secret is written in a store folder or shown in a message.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path as FilePath;
use std::sync::Arc;

use futures::StreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use tokio::io::AsyncWriteExt;
use trove_model::BlobId;

use crate::StoreError;

/// Bytes read from a local original per upload request part.
const CHUNK: usize = 8 << 20;

/// Uploads in flight at once: the network waits overlap; the reads are local.
const PARALLEL_UPLOADS: usize = 4;

/// Parts of one upload in flight at once. With [`CHUNK`] and [`PARALLEL_UPLOADS`], at
/// most ~100 MB are held for uploads, whatever the size of the originals.
const PARTS_IN_FLIGHT: usize = 2;

/// The bucket of shared originals.
pub struct RemoteOriginals {
    /// The URL, for messages (it holds no secret).
    url: String,
    store: Arc<dyn ObjectStore>,
    prefix: Path,
    /// The client's own runtime: trove's callers block. `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
}

impl RemoteOriginals {
    /// The bucket at `url` (`s3://bucket` or `s3://bucket/prefix`), with the settings
    /// of the `AWS_*` variables. Nothing is sent until the first request.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        Self::configured(url, &[])
    }

    /// [`open`](Self::open), with `settings` (`("aws_endpoint", "http://…")`, the
    /// lower-case names of the `AWS_*` variables) over those of the environment.
    pub fn configured(url: &str, settings: &[(&str, String)]) -> Result<Self, StoreError> {
        let refused = |why: String| StoreError::Remote {
            url: url.to_owned(),
            why,
        };
        let parsed = url::Url::parse(url).map_err(|error| refused(error.to_string()))?;
        if parsed.scheme() != "s3" {
            return Err(refused(
                "only s3://bucket/prefix URLs are understood (S3 and S3-compatible servers)"
                    .to_owned(),
            ));
        }
        let mut builder = AmazonS3Builder::from_env().with_url(url);
        for (key, value) in settings {
            let key: AmazonS3ConfigKey =
                key.parse().map_err(|error| refused(format!("{error}")))?;
            builder = builder.with_config(key, value);
        }
        let store = builder
            .build()
            .map_err(|error| refused(error.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("trove-s3")
            .enable_all()
            .build()
            .map_err(|error| refused(format!("cannot start its client: {error}")))?;
        Ok(RemoteOriginals {
            url: url.to_owned(),
            store: Arc::new(store),
            prefix: Path::from(parsed.path().trim_matches('/')),
            runtime: Some(runtime),
        })
    }

    /// The bucket's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the original `id` is kept in the bucket.
    fn key(&self, id: &BlobId) -> Path {
        let hex = id.as_str();
        self.prefix.clone().join(&hex[..2]).join(hex)
    }

    fn block_on<T>(&self, work: impl Future<Output = T>) -> T {
        self.runtime
            .as_ref()
            .expect("the runtime lives as long as the client")
            .block_on(work)
    }

    fn failed(&self, action: &str, id: &BlobId, error: impl fmt::Display) -> StoreError {
        StoreError::Remote {
            url: self.url.clone(),
            why: format!("cannot {action} original {id}: {error}"),
        }
    }

    /// Whether the bucket holds `id`.
    pub fn contains(&self, id: &BlobId) -> Result<bool, StoreError> {
        self.block_on(self.exists(id))
    }

    async fn exists(&self, id: &BlobId) -> Result<bool, StoreError> {
        match self.store.head(&self.key(id)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(self.failed("look up", id, error)),
        }
    }

    /// Uploads each `(id, local file)` the bucket does not hold yet, a few at a time.
    /// Returns how many were sent. An object appears whole or not at all (a single put,
    /// or a multipart upload completed only at its end).
    pub fn upload_missing(&self, blobs: &[(BlobId, &FilePath)]) -> Result<usize, StoreError> {
        self.block_on(async {
            let uploads = futures::stream::iter(blobs)
                .map(|(id, path)| async move {
                    if self.exists(id).await? {
                        return Ok(false);
                    }
                    self.upload(id, path).await.map(|()| true)
                })
                .buffer_unordered(PARALLEL_UPLOADS);
            let results: Vec<Result<bool, StoreError>> = uploads.collect().await;
            results
                .into_iter()
                .try_fold(0, |sent, result| Ok(sent + usize::from(result?)))
        })
    }

    /// Streams the file at `path` into the object of `id`, hashing as it goes: a file
    /// that does not hash to its name (changed in this machine's folder) is abandoned
    /// before the object is completed, so the bucket never holds it.
    async fn upload(&self, id: &BlobId, path: &FilePath) -> Result<(), StoreError> {
        let mut file = File::open(path).map_err(|e| StoreError::io("open", path, e))?;
        let mut writer = BufWriter::with_capacity(self.store.clone(), self.key(id), CHUNK)
            .with_max_concurrency(PARTS_IN_FLIGHT);
        if let Err(error) = self.write_checked(id, path, &mut file, &mut writer).await {
            let _ = writer.abort().await;
            return Err(error);
        }
        writer
            .shutdown()
            .await
            .map_err(|error| self.failed("upload", id, error))
    }

    /// Hands `writer` every byte of `file`, a part at a time, and checks that they hash
    /// to `id`; the caller completes the object or abandons it.
    async fn write_checked(
        &self,
        id: &BlobId,
        path: &FilePath,
        file: &mut File,
        writer: &mut BufWriter,
    ) -> Result<(), StoreError> {
        let mut hasher = blake3::Hasher::new();
        loop {
            // A part at a time: whole parts but the last, however the reads fall.
            let mut chunk = Vec::with_capacity(CHUNK);
            let read = file
                .take(CHUNK as u64)
                .read_to_end(&mut chunk)
                .map_err(|e| StoreError::io("read", path, e))?;
            if read == 0 {
                break;
            }
            hasher.update(&chunk);
            writer
                .put(chunk.into())
                .await
                .map_err(|error| self.failed("upload", id, error))?;
        }
        let read_as = BlobId::from_digest(*hasher.finalize().as_bytes());
        if read_as != *id {
            return Err(self.failed(
                "upload",
                id,
                format!(
                    "{} hashes to {read_as}: it was changed in this folder; restore it (`trove verify` lists such files)",
                    path.display()
                ),
            ));
        }
        Ok(())
    }

    /// Streams the original `id` into `sink`, a piece at a time; false when the bucket
    /// does not hold it.
    pub fn fetch(
        &self,
        id: &BlobId,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<bool, StoreError> {
        self.block_on(async {
            let found = match self.store.get(&self.key(id)).await {
                Ok(found) => found,
                Err(object_store::Error::NotFound { .. }) => return Ok(false),
                Err(error) => return Err(self.failed("fetch", id, error)),
            };
            let mut pieces = found.into_stream();
            while let Some(piece) = pieces.next().await {
                sink(&piece.map_err(|error| self.failed("fetch", id, error))?)?;
            }
            Ok(true)
        })
    }
}

impl fmt::Debug for RemoteOriginals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteOriginals")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Drop for RemoteOriginals {
    /// Stops the runtime on a thread of its own: dropping a runtime panics on a thread
    /// that drives another (the workbench's).
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            let _ = std::thread::spawn(move || drop(runtime)).join();
        }
    }
}
