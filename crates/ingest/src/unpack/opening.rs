//! Choosing what an archive is read from: its own content, or, for the first
//! volume of a split archive found on disk, every volume of the set.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use trove_model::{Failure, FailureReason, FileKind, Stage};

use super::VolumeSet;
use super::spanned_zip;
use super::volumes::{JoinedVolumes, VolumeRole, missing_volume, role, split_volumes};
use crate::content::{Content, ContentReader};

/// The fixed start header of a 7z: signature, version, CRC, then the offset
/// and size of the header at the end, which together give the archive's length.
const SEVEN_ZIP_START_HEADER: usize = 32;

/// How an archive is to be read.
pub(crate) enum Opening<'a> {
    /// A later volume of a split archive: it is read with its first volume.
    LaterVolume,
    /// Read the archive from these bytes.
    Read(ArchiveBytes<'a>),
}

/// The bytes of an archive and where they lie.
pub(crate) struct ArchiveBytes<'a> {
    /// The archive's bytes, every volume joined for a split one.
    pub reader: ArchiveReader<'a>,
    /// The archive as a file on disk.
    pub on_disk: PathBuf,
    /// For the first volume of a RAR set, the set.
    pub rar_volumes: Option<VolumeSet>,
    /// For a byte split whose completeness cannot be checked up front, the
    /// volume after the last one found: a damaged archive is reported as
    /// missing it.
    pub next_volume: Option<PathBuf>,
}

/// The kind to unpack a document of `kind` as, if it is an archive. The last
/// part of a spanned zip (`x.zip` beside `x.z01`) is one, though on its own it
/// starts in the middle of a member and so looks like no known type.
pub(crate) fn archive_kind(kind: FileKind, original: Option<&Path>) -> Option<FileKind> {
    if kind.is_archive() {
        return Some(kind);
    }
    let spanned = original.is_some_and(|path| role(path) == VolumeRole::LastOfSpannedZip);
    spanned.then_some(FileKind::Zip)
}

/// Decides how to read an archive of `kind`. `original` is the file on disk
/// for a top-level file (volumes are looked for beside it), `None` for a
/// member of another container; `stored` is the kept copy of its content.
pub(crate) fn open<'a>(
    kind: FileKind,
    content: &'a Content,
    original: Option<&Path>,
    stored: PathBuf,
    blobs: &trove_store::BlobStore,
) -> Result<Opening<'a>, Failure> {
    let whole = || -> Result<Opening<'a>, Failure> {
        Ok(Opening::Read(ArchiveBytes {
            reader: ArchiveReader::Content(content.reader(blobs)?),
            on_disk: stored.clone(),
            rar_volumes: None,
            next_volume: None,
        }))
    };
    let Some(original) = original else {
        return whole();
    };
    match role(original) {
        VolumeRole::Whole => whole(),
        VolumeRole::LastOfSpannedZip => Ok(Opening::Read(ArchiveBytes {
            reader: ArchiveReader::Joined(spanned_zip::join(original)?),
            on_disk: stored,
            rar_volumes: None,
            next_volume: None,
        })),
        VolumeRole::Later => Ok(Opening::LaterVolume),
        VolumeRole::FirstOfRar if kind == FileKind::Rar => Ok(Opening::Read(ArchiveBytes {
            reader: ArchiveReader::Content(content.reader(blobs)?),
            on_disk: stored,
            rar_volumes: Some(VolumeSet::find(original)),
            next_volume: None,
        })),
        VolumeRole::FirstOfRar => whole(),
        VolumeRole::FirstOfSplit => {
            let (volumes, next) = split_volumes(original);
            let mut joined = JoinedVolumes::open(&volumes).map_err(|e| {
                Failure::new(
                    Stage::Unpack,
                    FailureReason::Io,
                    format!("cannot open the volumes beside {}: {e}", original.display()),
                )
            })?;
            let next_volume = match kind {
                FileKind::SevenZip => {
                    if seven_zip_is_cut_short(&mut joined) {
                        return Err(missing_volume(&next));
                    }
                    None
                }
                _ => Some(next),
            };
            Ok(Opening::Read(ArchiveBytes {
                reader: ArchiveReader::Joined(joined),
                on_disk: stored,
                rar_volumes: None,
                next_volume,
            }))
        }
    }
}

/// Whether a 7z's start header promises more bytes than the volumes hold.
fn seven_zip_is_cut_short(joined: &mut JoinedVolumes) -> bool {
    let mut header = [0u8; SEVEN_ZIP_START_HEADER];
    let read = joined.read_exact(&mut header);
    // Back to the start for the reader, whatever happened.
    let rewound = joined.seek(SeekFrom::Start(0));
    if read.is_err() || rewound.is_err() {
        return false;
    }
    let field = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or([0; 8]));
    let declared = (SEVEN_ZIP_START_HEADER as u64)
        .saturating_add(field(12))
        .saturating_add(field(20));
    joined.len() < declared
}

/// An archive's bytes: its own content, or a split archive's volumes joined.
pub(crate) enum ArchiveReader<'a> {
    /// The content of the one file.
    Content(ContentReader<'a>),
    /// Every volume of a split archive, in order.
    Joined(JoinedVolumes),
}

impl Read for ArchiveReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ArchiveReader::Content(reader) => reader.read(buf),
            ArchiveReader::Joined(reader) => reader.read(buf),
        }
    }
}

impl Seek for ArchiveReader<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            ArchiveReader::Content(reader) => reader.seek(pos),
            ArchiveReader::Joined(reader) => reader.seek(pos),
        }
    }
}
