//! Spanned zips (`x.z01, x.z02 …, x.zip`, as `zip -s` and WinZip write them),
//! joined into one zip that any zip reader takes.
//!
//! A spanned zip's central directory records, for each member, the volume its
//! data starts on and an offset *within that volume*; no zip reader in Rust
//! follows that. Joining the volumes end to end keeps every byte where it is,
//! so the directory only needs its offsets made absolute (the volume's start
//! plus the offset) and its volume numbers set to 0. That rewritten
//! directory is held in memory after the joined volumes, which are cut where
//! the old directory began. Written here because no maintained crate reads
//! spanned zips.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use trove_model::{Failure, FailureReason, Stage};

use super::volumes::{JoinedVolumes, missing_volume, spanned_zip_volumes};

const END_SIGNATURE: &[u8; 4] = b"PK\x05\x06";
const ENTRY_SIGNATURE: &[u8; 4] = b"PK\x01\x02";
const END_LENGTH: usize = 22;
const ENTRY_FIXED_LENGTH: usize = 46;
/// The end record sits within its own length plus the longest comment of the end.
const END_SEARCH: u64 = (END_LENGTH + u16::MAX as usize) as u64;
/// A directory larger than this is refused (it would list millions of members).
const MAX_DIRECTORY_BYTES: u64 = 64 << 20;

/// The volumes of the spanned zip whose last part is `last`, joined into one
/// plain zip.
pub(crate) fn join(last: &Path) -> Result<JoinedVolumes, Failure> {
    let (volumes, next) = spanned_zip_volumes(last);
    let mut joined = JoinedVolumes::open(&volumes).map_err(|e| io_failure(last, &e))?;
    let end_at = find_end(&mut joined, last)?;
    let end = read_at(&mut joined, end_at, END_LENGTH).map_err(|e| io_failure(last, &e))?;
    let field16 = |at: usize| u16::from_le_bytes([end[at], end[at + 1]]);
    let field32 = |at: usize| u32::from_le_bytes([end[at], end[at + 1], end[at + 2], end[at + 3]]);
    let (this_disk, directory_disk) = (field16(4), field16(6));
    let (entries, directory_size, directory_offset) = (field16(10), field32(12), field32(16));
    if [this_disk, directory_disk, entries].contains(&u16::MAX)
        || [directory_size, directory_offset].contains(&u32::MAX)
    {
        return Err(corrupt(
            "the spanned zip uses 64-bit (Zip64) fields, which trove does not join yet",
        ));
    }
    let disks = usize::from(this_disk) + 1;
    if volumes.len() < disks {
        return Err(missing_volume(&next_missing(last, &volumes, &next)));
    }
    let starts = joined.volume_starts().to_vec();
    let directory_start = starts
        .get(usize::from(directory_disk))
        .map(|start| start + u64::from(directory_offset))
        .ok_or_else(|| corrupt("the spanned zip's directory names a volume it does not have"))?;
    if u64::from(directory_size) > MAX_DIRECTORY_BYTES {
        return Err(corrupt("the spanned zip's directory is implausibly large"));
    }
    let mut directory = read_at(&mut joined, directory_start, directory_size as usize)
        .map_err(|e| io_failure(last, &e))?;
    make_offsets_absolute(&mut directory, &starts)?;
    let absolute_start = u32::try_from(directory_start)
        .map_err(|_| corrupt("the joined zip is larger than 4 GiB, which needs Zip64"))?;
    directory.extend_from_slice(&end_record(entries, directory_size, absolute_start));
    joined.truncate(directory_start);
    joined.append(directory);
    joined
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_failure(last, &e))?;
    Ok(joined)
}

/// The first `.zNN` the set lacks (the run stops at the first gap).
fn next_missing(last: &Path, volumes: &[PathBuf], next: &Path) -> PathBuf {
    if volumes.len() > 1 {
        next.to_path_buf()
    } else {
        last.with_extension("z01")
    }
}

/// Where the end-of-directory record starts, searched backwards from the end.
fn find_end(joined: &mut JoinedVolumes, last: &Path) -> Result<u64, Failure> {
    let length = joined.len();
    let from = length.saturating_sub(END_SEARCH);
    let tail = read_at(joined, from, (length - from) as usize).map_err(|e| io_failure(last, &e))?;
    (0..tail.len().saturating_sub(END_LENGTH - 1))
        .rev()
        .find(|&at| tail[at..].starts_with(END_SIGNATURE))
        .map(|at| from + at as u64)
        .ok_or_else(|| corrupt("the spanned zip has no end-of-directory record"))
}

/// Rewrites each directory entry's volume number to 0 and its local-header
/// offset to the absolute offset in the joined volumes.
fn make_offsets_absolute(directory: &mut [u8], starts: &[u64]) -> Result<(), Failure> {
    let mut at = 0usize;
    while at + ENTRY_FIXED_LENGTH <= directory.len() {
        let entry = &mut directory[at..];
        if !entry.starts_with(ENTRY_SIGNATURE) {
            return Err(corrupt("the spanned zip's directory is damaged"));
        }
        let field16 = |e: &[u8], i: usize| usize::from(u16::from_le_bytes([e[i], e[i + 1]]));
        let disk = field16(entry, 34);
        let offset = u32::from_le_bytes([entry[42], entry[43], entry[44], entry[45]]);
        let start = starts
            .get(disk)
            .ok_or_else(|| corrupt("a member of the spanned zip lies in a volume it lacks"))?;
        let absolute = u32::try_from(start + u64::from(offset))
            .map_err(|_| corrupt("the joined zip is larger than 4 GiB, which needs Zip64"))?;
        entry[34..36].copy_from_slice(&0u16.to_le_bytes());
        entry[42..46].copy_from_slice(&absolute.to_le_bytes());
        at += ENTRY_FIXED_LENGTH + field16(entry, 28) + field16(entry, 30) + field16(entry, 32);
    }
    Ok(())
}

/// An end-of-directory record for a zip on one volume.
fn end_record(entries: u16, directory_size: u32, directory_start: u32) -> Vec<u8> {
    let mut end = Vec::with_capacity(END_LENGTH);
    end.extend_from_slice(END_SIGNATURE);
    end.extend_from_slice(&[0; 4]); // this volume, the directory's volume
    end.extend_from_slice(&entries.to_le_bytes());
    end.extend_from_slice(&entries.to_le_bytes());
    end.extend_from_slice(&directory_size.to_le_bytes());
    end.extend_from_slice(&directory_start.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes()); // no comment
    end
}

fn read_at(joined: &mut JoinedVolumes, at: u64, length: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0; length];
    joined.seek(SeekFrom::Start(at))?;
    joined.read_exact(&mut bytes)?;
    Ok(bytes)
}

fn corrupt(message: &str) -> Failure {
    Failure::new(Stage::Unpack, FailureReason::Corrupt, message)
}

fn io_failure(last: &Path, error: &std::io::Error) -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::Corrupt,
        format!(
            "the volumes of the spanned zip {} cannot be read as one: {error}",
            last.display()
        ),
    )
}
