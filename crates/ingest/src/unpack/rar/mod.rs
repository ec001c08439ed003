//! RAR archives (RAR 1.5 to 5, solid or not, single or in volumes), through
//! the reference UnRAR decoder. UnRAR opens files itself, so it reads a file
//! on disk: the stored original, or for a volume set links to its volumes
//! (see [`volume_set`]).
//!
//! Each member streams into a sink that stops the decoder at the member's
//! declared size and at what is left of the archive budget, so neither memory
//! nor disk follow a lying header. Members small enough for memory are
//! decoded into it; larger ones into a scratch file inside the store.

mod unrar;
mod volume_set;

use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use trove_model::{Failure, FailureReason, Stage};

use super::member_path::{accept_member_path, link_refused};
use super::volumes::missing_volume;
use super::{ExpansionGuard, MemberVisitor};
use unrar::{Code, Header, RarArchive, Sink};

pub(crate) use volume_set::VolumeSet;

/// Where members too large for memory are written while they are read.
pub(crate) struct Scratch<'a> {
    /// A folder inside the store, in which a private folder is made for each
    /// such member (and for a volume set's links) and removed after use.
    pub parent: &'a Path,
    /// Members up to this size are read into memory.
    pub max_in_memory_bytes: u64,
}

/// What to open: one file, or the first of a set of volumes.
pub(crate) enum RarInput<'a> {
    /// A RAR on its own (the stored copy).
    Single(&'a Path),
    /// The volumes of a set, in order.
    Volumes(&'a VolumeSet),
}

pub(super) fn unpack(
    input: &RarInput<'_>,
    guard: &ExpansionGuard,
    scratch: &Scratch<'_>,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    catch_unwind(AssertUnwindSafe(|| {
        open_and_read(input, guard, scratch, visitor)
    }))
    .unwrap_or_else(|_| {
        Err(Failure::new(
            Stage::Unpack,
            FailureReason::Corrupt,
            "the RAR is damaged in a way its reader could not handle",
        ))
    })
}

fn open_and_read(
    input: &RarInput<'_>,
    guard: &ExpansionGuard,
    scratch: &Scratch<'_>,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    match input {
        RarInput::Single(path) => match path.to_str().filter(|p| p.is_ascii()) {
            Some(ascii) => read_members(ascii, None, guard, scratch, visitor),
            None => {
                let linked = VolumeSet::single(path).link_into(scratch.parent)?;
                read_members(&linked.first(), None, guard, scratch, visitor)
            }
        },
        RarInput::Volumes(set) => {
            let linked = set.link_into(scratch.parent)?;
            let next = set.after_last();
            read_members(&linked.first(), Some(next), guard, scratch, visitor)
        }
    }
}

fn read_members(
    ascii_path: &str,
    next_volume: Option<PathBuf>,
    guard: &ExpansionGuard,
    scratch: &Scratch<'_>,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    let failure_of = |code: Code, members: usize| {
        or_volume(code, &next_volume, || archive_failure(code, members))
    };
    let mut archive = RarArchive::open(ascii_path).map_err(|code| failure_of(code, 0))?;
    let mut members = 0usize;
    let mut budget = guard.limits.max_expanded_bytes;
    while let Some(header) = archive
        .next_header()
        .map_err(|code| failure_of(code, members))?
    {
        members += 1;
        guard.check_members("RAR", members)?;
        let path = match refusal(&header, budget) {
            Some(failure) => {
                visitor.refused(&header.name, failure);
                None
            }
            None if header.is_directory => None,
            None => accept_member_path(&header.name, visitor),
        };
        let Some(path) = path else {
            archive.skip().map_err(|code| failure_of(code, members))?;
            continue;
        };
        budget = budget.saturating_sub(header.unpacked_size);
        let read = if header.unpacked_size <= scratch.max_in_memory_bytes {
            read_in_memory(&mut archive, &header, &path, guard, visitor)
        } else {
            read_through_disk(&mut archive, &header, &path, guard, scratch, visitor)
        };
        match read {
            Ok(()) => {}
            // The decoder was stopped: the member is refused, the archive goes on.
            Err(ReadError::Refused(failure)) => visitor.refused(&path, failure),
            Err(ReadError::Archive(code)) => {
                return Err(or_volume(code, &next_volume, || {
                    member_failure(code, &path)
                }));
            }
        }
    }
    Ok(())
}

/// The set's next volume named as missing when that is what UnRAR could not open;
/// otherwise `failure`.
fn or_volume(
    code: Code,
    next_volume: &Option<PathBuf>,
    failure: impl FnOnce() -> Failure,
) -> Failure {
    match next_volume {
        Some(next) if code.is_missing_volume() => missing_volume(next),
        _ => failure(),
    }
}

/// Why a member is not read at all, judged from its header alone.
fn refusal(header: &Header, budget: u64) -> Option<Failure> {
    let name = &header.name;
    if header.is_link {
        return Some(link_refused(name, None));
    }
    if header.is_encrypted {
        return Some(Failure::new(
            Stage::Unpack,
            FailureReason::Encrypted,
            format!("{name} is encrypted inside the RAR; it needs the password to be read"),
        ));
    }
    if !header.is_directory && header.unpacked_size > budget {
        return Some(Failure::new(
            Stage::Unpack,
            FailureReason::DecompressionBomb,
            format!(
                "{name}: declares {} bytes, beyond what is left of the archive limit; \
                 it was not read (a decompression bomb, or raise the archive limits)",
                header.unpacked_size
            ),
        ));
    }
    None
}

enum ReadError {
    /// The member could not be read; the archive goes on.
    Refused(Failure),
    /// UnRAR failed; the archive cannot go on.
    Archive(Code),
}

/// Bytes decoded into memory, up to a limit.
struct MemorySink {
    bytes: Vec<u8>,
    limit: u64,
}

impl Sink for MemorySink {
    fn accept(&mut self, chunk: &[u8]) -> bool {
        if self.bytes.len() as u64 + chunk.len() as u64 > self.limit {
            return false;
        }
        self.bytes.extend_from_slice(chunk);
        true
    }
}

/// Bytes decoded into a scratch file, up to a limit.
struct FileSink {
    file: File,
    written: u64,
    limit: u64,
    error: Option<io::Error>,
}

impl Sink for FileSink {
    fn accept(&mut self, chunk: &[u8]) -> bool {
        if self.written + chunk.len() as u64 > self.limit {
            return false;
        }
        match self.file.write_all(chunk) {
            Ok(()) => {
                self.written += chunk.len() as u64;
                true
            }
            Err(error) => {
                self.error = Some(error);
                false
            }
        }
    }
}

fn read_in_memory(
    archive: &mut RarArchive,
    header: &Header,
    path: &str,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), ReadError> {
    let mut sink = MemorySink {
        bytes: Vec::new(),
        limit: header.unpacked_size,
    };
    decode(archive, &mut sink, path)?;
    hand_over(path, &mut Cursor::new(sink.bytes), header, guard, visitor);
    Ok(())
}

fn read_through_disk(
    archive: &mut RarArchive,
    header: &Header,
    path: &str,
    guard: &ExpansionGuard,
    scratch: &Scratch<'_>,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), ReadError> {
    let no_room = |e: io::Error| {
        ReadError::Refused(Failure::new(
            Stage::Unpack,
            FailureReason::Io,
            format!(
                "{path}: no room to read this large member in {}: {e}",
                scratch.parent.display()
            ),
        ))
    };
    let spooled = tempfile::Builder::new()
        .prefix("rar-member")
        .tempfile_in(scratch.parent)
        .map_err(no_room)?;
    let mut sink = FileSink {
        file: spooled.reopen().map_err(no_room)?,
        written: 0,
        limit: header.unpacked_size,
        error: None,
    };
    let decoded = decode(archive, &mut sink, path);
    if let Some(error) = sink.error {
        return Err(no_room(error));
    }
    decoded?;
    let mut file = spooled.reopen().map_err(no_room)?;
    hand_over(path, &mut file, header, guard, visitor);
    Ok(())
}

fn decode(archive: &mut RarArchive, sink: &mut dyn Sink, path: &str) -> Result<(), ReadError> {
    match archive.read_into(sink) {
        Ok(()) => Ok(()),
        Err(_) if archive.sink_stopped() => Err(ReadError::Refused(Failure::new(
            Stage::Unpack,
            FailureReason::DecompressionBomb,
            format!("{path}: expands beyond the size its header declares; reading stopped"),
        ))),
        Err(code) if code.is_password() => Err(ReadError::Refused(Failure::new(
            Stage::Unpack,
            FailureReason::Encrypted,
            format!("{path} is encrypted inside the RAR; it needs the password to be read"),
        ))),
        Err(code) => Err(ReadError::Archive(code)),
    }
}

fn hand_over(
    path: &str,
    reader: &mut dyn Read,
    header: &Header,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) {
    let modified = super::member_time::from_dos(header.dos_time);
    let mut guarded = guard.guard(reader, Some(header.packed_size));
    if let Err(failure) = visitor.member(path, modified, &mut guarded) {
        visitor.refused(path, failure);
    }
}

/// The failure of an archive whose headers stop being readable after
/// `members` were (old RAR 1.5 and 2.0 archives often end in bytes UnRAR
/// takes for a damaged header).
fn archive_failure(code: Code, members: usize) -> Failure {
    if code.is_password() {
        return Failure::new(
            Stage::Unpack,
            FailureReason::Encrypted,
            "the RAR's file list is encrypted; it needs the password to be read",
        );
    }
    if code.is_missing_volume() {
        return Failure::new(
            Stage::Unpack,
            FailureReason::MissingVolume,
            "the RAR continues in a volume that is not beside it; \
             put every volume (.partN.rar or .rNN) in one folder and run the ingest again with --retry-failed",
        );
    }
    let message = if members == 0 {
        format!("the RAR cannot be read: {}", code.describe())
    } else {
        format!(
            "the RAR is damaged after its first {members} members, which were handled: {}",
            code.describe()
        )
    };
    Failure::new(Stage::Unpack, FailureReason::Corrupt, message)
}

fn member_failure(code: Code, path: &str) -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::Corrupt,
        format!("{path}: the member cannot be read: {}", code.describe()),
    )
}
