//! The unpackers on bytes, for the fuzz targets in `fuzz/` (feature `fuzzing`): every
//! member is read to its end, within the usual limits, and dropped. Not part of trove's
//! API: the unpackers stay private to the pipeline.

use std::io::{self, Cursor, Read};

use chrono::NaiveDateTime;
use trove_model::{Failure, FileKind};

use crate::ArchiveLimits;
use crate::unpack::{ArchiveSource, ExpansionGuard, MemberVisitor, Scratch, unpack};

/// What unpacking fuzzed bytes came to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unpacked {
    /// Members read to their end.
    pub members: usize,
    /// Members refused (traversal, links, bombs …).
    pub refused: usize,
    /// Whether the archive as a whole was refused.
    pub failed: bool,
}

/// Unpacks `bytes` as an archive of `kind` (any kind [`FileKind::is_archive`] admits),
/// with the default limits but at most 256 MiB expanded.
pub fn unpack_bytes(kind: FileKind, bytes: &[u8]) -> Unpacked {
    // RAR's reader opens files itself; every kind gets a scratch folder.
    let dir = tempfile::tempdir().expect("a temporary folder for the fuzzed archive");
    let on_disk = dir.path().join("archive");
    if kind == FileKind::Rar {
        std::fs::write(&on_disk, bytes).expect("the fuzzed archive written");
    }
    let guard = ExpansionGuard::new(ArchiveLimits {
        max_expanded_bytes: 256 << 20,
        ..ArchiveLimits::default()
    });
    let source = ArchiveSource {
        reader: Cursor::new(bytes),
        on_disk: &on_disk,
        rar_volumes: None,
        scratch: Scratch {
            parent: dir.path(),
            max_in_memory_bytes: 64 << 20,
        },
    };
    let mut counter = Counter::default();
    let result = unpack(kind, "fuzzed", source, &guard, &mut counter);
    Unpacked {
        failed: result.is_err(),
        ..counter.0
    }
}

#[derive(Default)]
struct Counter(Unpacked);

impl MemberVisitor for Counter {
    fn member(
        &mut self,
        _path: &str,
        _modified: Option<NaiveDateTime>,
        reader: &mut dyn Read,
    ) -> Result<(), Failure> {
        io::copy(&mut reader.take(64 << 20), &mut io::sink())
            .map_err(|error| crate::unpack::member_read_failure(&error, "fuzzed member"))?;
        self.0.members += 1;
        Ok(())
    }

    fn refused(&mut self, _path: &str, _failure: Failure) {
        self.0.refused += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_is_unpacked_and_garbage_is_refused() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        writer
            .start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        io::Write::write_all(&mut writer, b"inside").unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        assert_eq!(
            unpack_bytes(FileKind::Zip, &bytes),
            Unpacked {
                members: 1,
                refused: 0,
                failed: false
            }
        );
        for kind in [
            FileKind::Zip,
            FileKind::SevenZip,
            FileKind::Rar,
            FileKind::Xz,
        ] {
            assert!(unpack_bytes(kind, b"not an archive").failed, "{kind}");
        }
    }
}
