//! Archives split into volumes: `x.7z.001, x.7z.002 …` (a byte split of any
//! archive), `x.zip` with `x.z01, x.z02 …` (a spanned zip), and
//! `x.part1.rar, x.part2.rar …` or `x.rar` with `x.r00, x.r01 …` (RAR).
//!
//! Volumes are found beside each other on disk, by name, when the first one is
//! ingested; the archive is then read once, from the first volume, and its
//! members hang under it. A later volume is catalogued as the file it is and
//! not opened on its own (alone it is only a fragment).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use trove_model::{Failure, FailureReason, Stage};

/// How a file takes part in a split archive, judged by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VolumeRole {
    /// Not part of a split archive.
    Whole,
    /// The first volume of a byte split (`x.7z.001`): the volumes, joined in
    /// order, are the archive.
    FirstOfSplit,
    /// The first volume of a RAR set, which the RAR reader follows itself.
    FirstOfRar,
    /// The `.zip` of a spanned zip, whose `.z01 …` siblings come first.
    LastOfSpannedZip,
    /// Any other volume: read as part of its set, never on its own.
    Later,
}

/// The role of the file at `path`, by its name and the names beside it.
pub(crate) fn role(path: &Path) -> VolumeRole {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return VolumeRole::Whole;
    };
    let lower = name.to_ascii_lowercase();
    if let Some(number) = numbered_suffix(&lower, 3) {
        return if number == 1 {
            VolumeRole::FirstOfSplit
        } else {
            VolumeRole::Later
        };
    }
    if let Some(stem) = lower.strip_suffix(".rar") {
        if let Some(part) = rar_part_number(stem) {
            return if part == 1 {
                VolumeRole::FirstOfRar
            } else {
                VolumeRole::Later
            };
        }
        let old_style_next = path.with_file_name(format!("{}.r00", &name[..stem.len()]));
        return if exists_any_case(&old_style_next) {
            VolumeRole::FirstOfRar
        } else {
            VolumeRole::Whole
        };
    }
    if lower.ends_with(".zip") {
        let first_part = path.with_file_name(format!("{}.z01", &name[..name.len() - 4]));
        return if exists_any_case(&first_part) {
            VolumeRole::LastOfSpannedZip
        } else {
            VolumeRole::Whole
        };
    }
    if is_later_spanned_or_rar_volume(&lower) {
        return VolumeRole::Later;
    }
    VolumeRole::Whole
}

/// `x.7z.001` → 1: a dot and exactly `digits` digits ending the name, after
/// a name that still has a stem.
fn numbered_suffix(lower: &str, digits: usize) -> Option<u32> {
    let (stem, number) = lower.rsplit_once('.')?;
    (number.len() == digits && !stem.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| number.parse().ok())
        .flatten()
}

/// `x.part01` → 1 (the stem of `x.part01.rar`).
fn rar_part_number(stem: &str) -> Option<u32> {
    let (_, part) = stem.rsplit_once(".part")?;
    (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        .then(|| part.parse().ok())
        .flatten()
}

/// `.z01` … `.z99` and `.r00` … `.r99`.
fn is_later_spanned_or_rar_volume(lower: &str) -> bool {
    let Some((stem, ext)) = lower.rsplit_once('.') else {
        return false;
    };
    let bytes = ext.as_bytes();
    !stem.is_empty()
        && bytes.len() == 3
        && matches!(bytes[0], b'z' | b'r')
        && bytes[1..].iter().all(u8::is_ascii_digit)
}

/// Whether `path` exists, its extension in either case (`.Z01` beside `.ZIP`).
fn exists_any_case(path: &Path) -> bool {
    if path.is_file() {
        return true;
    }
    let upper = path.with_extension(
        path.extension()
            .map(|e| e.to_string_lossy().to_ascii_uppercase())
            .unwrap_or_default(),
    );
    upper.is_file()
}

/// The volumes of a byte split, from the first (`x.7z.001`) on, as far as they
/// run without a gap. The volume after the last one found is named too: when
/// the archive turns out to be cut short, it is the one missing.
pub(crate) fn split_volumes(first: &Path) -> (Vec<PathBuf>, PathBuf) {
    numbered_run(first, |n| format!("{n:03}"), 1)
}

/// The volumes of a spanned zip in reading order (`x.z01 … x.zNN`, then
/// `x.zip`), and the name after the last `.zNN` found.
pub(crate) fn spanned_zip_volumes(last: &Path) -> (Vec<PathBuf>, PathBuf) {
    let (mut volumes, next) = numbered_run(last, |n| format!("z{n:02}"), 1);
    volumes.push(last.to_path_buf());
    (volumes, next)
}

/// Files named by `suffix(n)` in place of `path`'s extension, from `start`
/// up while they exist, and the first name that does not.
fn numbered_run(
    path: &Path,
    suffix: impl Fn(u32) -> String,
    start: u32,
) -> (Vec<PathBuf>, PathBuf) {
    let mut found = Vec::new();
    let mut number = start;
    loop {
        let candidate = path.with_extension(suffix(number));
        let upper = path.with_extension(suffix(number).to_ascii_uppercase());
        let existing = [candidate.clone(), upper].into_iter().find(|p| p.is_file());
        match existing {
            Some(volume) => found.push(volume),
            None => return (found, candidate),
        }
        number += 1;
    }
}

/// The failure of a split archive whose next volume is not beside it.
pub(crate) fn missing_volume(missing: &Path) -> Failure {
    let name = missing
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| missing.display().to_string());
    Failure::new(
        Stage::Unpack,
        FailureReason::MissingVolume,
        format!(
            "the archive is split into volumes and {name} is not beside the others; \
             put every volume in one folder and run the ingest again with --retry-failed"
        ),
    )
}

/// Several files read as one, in order: the volumes of a byte split, or of
/// a spanned zip followed by the directory rewritten for the joined whole.
#[derive(Debug)]
pub(crate) struct JoinedVolumes {
    segments: Vec<Segment>,
    /// Where each segment starts in the joined whole; one more entry for the end.
    starts: Vec<u64>,
    position: u64,
}

#[derive(Debug)]
enum Segment {
    File(File),
    Bytes(Vec<u8>),
}

impl JoinedVolumes {
    /// Opens `volumes` to be read as one.
    pub(crate) fn open(volumes: &[PathBuf]) -> io::Result<Self> {
        let mut joined = JoinedVolumes {
            segments: Vec::with_capacity(volumes.len()),
            starts: vec![0],
            position: 0,
        };
        for volume in volumes {
            let file = File::open(volume)?;
            let length = file.metadata()?.len();
            joined.push(Segment::File(file), length);
        }
        Ok(joined)
    }

    /// Where each volume starts in the joined whole.
    pub(crate) fn volume_starts(&self) -> &[u64] {
        &self.starts[..self.segments.len()]
    }

    /// The joined length.
    pub(crate) fn len(&self) -> u64 {
        self.starts.last().copied().unwrap_or(0)
    }

    /// Keeps the first `length` bytes only.
    pub(crate) fn truncate(&mut self, length: u64) {
        while self.segments.len() > 1 && self.starts[self.segments.len() - 1] >= length {
            self.segments.pop();
            self.starts.pop();
        }
        if let Some(end) = self.starts.last_mut() {
            *end = (*end).min(length);
        }
    }

    /// Appends bytes held in memory after the volumes.
    pub(crate) fn append(&mut self, bytes: Vec<u8>) {
        let length = bytes.len() as u64;
        self.push(Segment::Bytes(bytes), length);
    }

    fn push(&mut self, segment: Segment, length: u64) {
        self.starts.push(self.len() + length);
        self.segments.push(segment);
    }
}

impl Read for JoinedVolumes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.position >= self.len() {
            return Ok(0);
        }
        // The segment holding `position`: the last start at or before it.
        let index = self.starts.partition_point(|&start| start <= self.position) - 1;
        let offset = self.position - self.starts[index];
        let left = self.starts[index + 1] - self.position;
        let wanted = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let read = match &mut self.segments[index] {
            Segment::File(file) => {
                file.seek(SeekFrom::Start(offset))?;
                file.read(&mut buf[..wanted])?
            }
            Segment::Bytes(bytes) => {
                let from = usize::try_from(offset).unwrap_or(usize::MAX);
                let chunk = &bytes[from..from + wanted];
                buf[..wanted].copy_from_slice(chunk);
                wanted
            }
        };
        self.position += read as u64;
        Ok(read)
    }
}

impl Seek for JoinedVolumes {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let target = match pos {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.len().checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the first volume")
        })?;
        self.position = target;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, names: &[&str]) {
        for name in names {
            std::fs::write(dir.join(name), name.as_bytes()).unwrap();
        }
    }

    #[test]
    fn roles_follow_the_names_and_their_siblings() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        touch(
            d,
            &[
                "a.7z.001",
                "a.7z.002",
                "b.zip",
                "b.z01",
                "c.part1.rar",
                "c.part2.rar",
            ],
        );
        touch(
            d,
            &[
                "e.rar",
                "e.r00",
                "plain.zip",
                "plain.rar",
                "report.2019.pdf",
            ],
        );
        let role = |name: &str| role(&d.join(name));
        assert_eq!(role("a.7z.001"), VolumeRole::FirstOfSplit);
        assert_eq!(role("a.7z.002"), VolumeRole::Later);
        assert_eq!(role("b.zip"), VolumeRole::LastOfSpannedZip);
        assert_eq!(role("b.z01"), VolumeRole::Later);
        assert_eq!(role("c.part1.rar"), VolumeRole::FirstOfRar);
        assert_eq!(role("c.part2.rar"), VolumeRole::Later);
        assert_eq!(role("e.rar"), VolumeRole::FirstOfRar);
        assert_eq!(role("e.r00"), VolumeRole::Later);
        assert_eq!(role("plain.zip"), VolumeRole::Whole);
        assert_eq!(role("plain.rar"), VolumeRole::Whole);
        assert_eq!(role("report.2019.pdf"), VolumeRole::Whole);
    }

    #[test]
    fn a_split_runs_until_its_first_gap_which_is_named() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["a.7z.001", "a.7z.002", "a.7z.004"]);
        let (found, next) = split_volumes(&dir.path().join("a.7z.001"));
        assert_eq!(found.len(), 2);
        assert_eq!(next.file_name().unwrap(), "a.7z.003");
        let failure = missing_volume(&next);
        assert_eq!(failure.reason, FailureReason::MissingVolume);
        assert!(failure.message.contains("a.7z.003"), "{}", failure.message);
    }

    #[test]
    fn joined_volumes_read_and_seek_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = [&b"abc"[..], b"", b"defg", b"h"]
            .iter()
            .enumerate()
            .map(|(i, bytes)| {
                let path = dir.path().join(format!("v.{:03}", i + 1));
                std::fs::write(&path, bytes).unwrap();
                path
            })
            .collect();
        let mut joined = JoinedVolumes::open(&paths).unwrap();
        let mut all = String::new();
        joined.read_to_string(&mut all).unwrap();
        assert_eq!(all, "abcdefgh");
        joined.seek(SeekFrom::End(-3)).unwrap();
        let mut tail = String::new();
        joined.read_to_string(&mut tail).unwrap();
        assert_eq!(tail, "fgh");
        joined.seek(SeekFrom::Start(2)).unwrap();
        let mut two = [0u8; 2];
        joined.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"cd");

        joined.truncate(5);
        joined.append(b"XY".to_vec());
        joined.seek(SeekFrom::Start(0)).unwrap();
        let mut rewritten = String::new();
        joined.read_to_string(&mut rewritten).unwrap();
        assert_eq!(rewritten, "abcdeXY");
    }
}
