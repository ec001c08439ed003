//! The content of one document once it is hashed and kept in the store: held in
//! memory, or, above the in-memory bound, only in the store. The worker takes every
//! document down one path and reads its content through this type, whichever it is.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

use trove_model::{BlobId, Failure, FailureReason, Stage};
use trove_store::BlobStore;

/// How much of a large file type detection looks at.
const DETECTION_PREFIX: usize = 1 << 20;

/// The content of a document already kept in the store.
pub(crate) enum Content {
    /// Small enough to hold: detected, unpacked or extracted from memory.
    InMemory(Vec<u8>),
    /// Too large for memory: streamed into the store and read back from the stored
    /// copy. Archives among such files are unpacked; nothing else is extracted.
    Stored {
        /// The stored copy's id.
        id: BlobId,
        /// Its size in bytes.
        size: u64,
    },
}

impl Content {
    /// The size of the content in bytes.
    pub(crate) fn size(&self) -> u64 {
        match self {
            Content::InMemory(bytes) => bytes.len() as u64,
            Content::Stored { size, .. } => *size,
        }
    }

    /// What type detection looks at: all of the bytes in memory, the first MiB of a
    /// stored copy (detection needs only the start, and the rest may be gigabytes).
    pub(crate) fn detection_sample(&self, blobs: &BlobStore) -> Result<Cow<'_, [u8]>, Failure> {
        let id = match self {
            Content::InMemory(bytes) => return Ok(Cow::Borrowed(bytes)),
            Content::Stored { id, .. } => id,
        };
        let mut head = Vec::new();
        blobs
            .open_blob(id)
            .map_err(|e| e.to_string())
            .and_then(|file| {
                file.take(DETECTION_PREFIX as u64)
                    .read_to_end(&mut head)
                    .map_err(|e| {
                        format!(
                            "cannot read the stored copy {}: {e}",
                            blobs.path_of(id).display()
                        )
                    })
            })
            .map_err(|message| Failure::new(Stage::Read, FailureReason::Io, message))?;
        Ok(Cow::Owned(head))
    }

    /// A reader over the whole content, to unpack an archive from.
    pub(crate) fn reader(&self, blobs: &BlobStore) -> Result<ContentReader<'_>, Failure> {
        match self {
            Content::InMemory(bytes) => Ok(ContentReader::InMemory(Cursor::new(bytes))),
            Content::Stored { id, .. } => blobs
                .open_blob(id)
                .map(ContentReader::Stored)
                .map_err(|e| Failure::new(Stage::Unpack, FailureReason::Io, e.to_string())),
        }
    }
}

/// Reads a document's content from memory or from its stored copy.
pub(crate) enum ContentReader<'a> {
    /// The bytes held in memory.
    InMemory(Cursor<&'a [u8]>),
    /// The stored copy on disk.
    Stored(File),
}

impl Read for ContentReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ContentReader::InMemory(cursor) => cursor.read(buf),
            ContentReader::Stored(file) => file.read(buf),
        }
    }
}

impl Seek for ContentReader<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            ContentReader::InMemory(cursor) => cursor.seek(pos),
            ContentReader::Stored(file) => file.seek(pos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trove_store::hash_bytes;

    /// Keeps `bytes` in a fresh blob store and describes them as too large for memory.
    fn stored(bytes: &[u8]) -> (tempfile::TempDir, BlobStore, Content) {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::open(dir.path()).unwrap();
        let hashes = hash_bytes(bytes);
        blobs.put(&hashes, bytes).unwrap();
        let content = Content::Stored {
            id: hashes.blake3,
            size: bytes.len() as u64,
        };
        (dir, blobs, content)
    }

    #[test]
    fn detection_sees_all_bytes_in_memory_but_only_the_head_of_a_stored_copy() {
        let bytes = vec![7u8; DETECTION_PREFIX + 10];
        let (_dir, blobs, content) = stored(&bytes);
        assert_eq!(
            content.detection_sample(&blobs).unwrap().len(),
            DETECTION_PREFIX
        );
        let in_memory = Content::InMemory(bytes.clone());
        assert_eq!(
            in_memory.detection_sample(&blobs).unwrap().len(),
            bytes.len()
        );
        assert_eq!(in_memory.size(), content.size());
    }

    #[test]
    fn both_readers_give_the_same_bytes_and_seek() {
        let bytes = b"PK\x03\x04 an archive, say".to_vec();
        let (_dir, blobs, content) = stored(&bytes);
        let in_memory = Content::InMemory(bytes.clone());
        for content in [&content, &in_memory] {
            let mut reader = content.reader(&blobs).unwrap();
            reader.seek(SeekFrom::Start(3)).unwrap();
            let mut rest = Vec::new();
            reader.read_to_end(&mut rest).unwrap();
            assert_eq!(rest, bytes[3..]);
        }
    }

    #[test]
    fn a_missing_stored_copy_is_a_read_failure_for_detection_and_an_unpack_failure_for_archives() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::open(dir.path()).unwrap();
        let content = Content::Stored {
            id: hash_bytes(b"never kept").blake3,
            size: 10,
        };
        assert_eq!(
            content.detection_sample(&blobs).unwrap_err().stage,
            Stage::Read
        );
        assert!(matches!(
            content.reader(&blobs),
            Err(failure) if failure.stage == Stage::Unpack
        ));
    }
}
