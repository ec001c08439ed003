//! 7-Zip archives.

use std::io::{Read, Seek, SeekFrom};

use sevenz_rust2::{Archive, BlockDecoder, Error, Password};
use trove_model::{Failure, FailureReason, Stage};

use super::guard::member_read_failure;
use super::member_path::accept_member_path;
use super::{ExpansionGuard, MemberVisitor, member_time};

/// Memory sevenz-rust2 may use for headers and decoder dictionaries (KiB):
/// enough for the 64 MiB dictionaries of `7z -mx=9`, not for a crafted header
/// that claims gigabytes.
const DECODER_MEMORY_KIB: usize = 256 * 1024;

pub(super) fn unpack<R: Read + Seek>(
    mut reader: R,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    if is_empty_archive(&mut reader) {
        return Ok(());
    }
    let password = Password::empty();
    let archive = Archive::read_with_memory_limit(&mut reader, &password, DECODER_MEMORY_KIB)
        .map_err(|e| archive_failure(&e))?;
    guard.check_members("7z", archive.files.len())?;
    // Block by block, so that one encrypted or damaged block (7z encrypts per block)
    // leaves the members of the others readable.
    let mut handed_over = 0usize;
    let mut unread: Vec<(String, Failure)> = Vec::new();
    for block in 0..archive.blocks.len() {
        let decoder = BlockDecoder::new_with_memory_limit(
            1,
            DECODER_MEMORY_KIB,
            block,
            &archive,
            &password,
            &mut reader,
        );
        let members: Vec<String> = decoder
            .entries()
            .iter()
            .filter(|e| !e.is_directory() && e.has_stream())
            .map(|e| e.name().to_owned())
            .collect();
        let mut reached = 0usize;
        let mut stopped_by: Option<Failure> = None;
        let result = decoder.for_each_entries(&mut |entry, data| {
            if entry.is_directory() || !entry.has_stream() {
                return Ok(true);
            }
            reached += 1;
            let Some(path) = accept_member_path(entry.name(), visitor) else {
                return Ok(true);
            };
            handed_over += 1;
            // A solid block has no per-member compressed size: judge by the total only.
            let modified = entry
                .has_last_modified_date
                .then(|| member_time::from_windows(entry.last_modified_date().into()))
                .flatten();
            let mut guarded = guard.guard(data, None);
            if let Err(failure) = visitor.member(&path, modified, &mut guarded) {
                let fatal = failure.reason == FailureReason::DecompressionBomb;
                visitor.refused(&path, failure.clone());
                if fatal {
                    stopped_by = Some(failure);
                    return Ok(false);
                }
            }
            Ok(true)
        });
        if let Some(failure) = stopped_by {
            return Err(failure);
        }
        if let Err(error) = result {
            let failure = archive_failure(&error);
            unread.extend(
                members
                    .into_iter()
                    .skip(reached)
                    .map(|name| (name, failure.clone())),
            );
        }
    }
    if handed_over == 0
        && let Some((_, failure)) = unread.first()
    {
        // Nothing could be read: the archive as a whole is encrypted or damaged.
        return Err(failure.clone());
    }
    for (name, failure) in unread {
        let message = match failure.reason {
            FailureReason::Encrypted => {
                format!("{name} is encrypted inside the 7z; it needs the password to be read")
            }
            _ => format!("{name}: {}", failure.message),
        };
        visitor.refused(&name, Failure::new(failure.stage, failure.reason, message));
    }
    Ok(())
}

/// A 7z of nothing (what `7z a` writes for an empty folder) is its 32-byte
/// start header alone, pointing at an end header of zero bytes; the reader
/// takes it for a truncated archive.
fn is_empty_archive<R: Read + Seek>(reader: &mut R) -> bool {
    const START_HEADER: usize = 32;
    let mut header = [0u8; START_HEADER];
    let read = reader.read_exact(&mut header);
    let rewound = reader.seek(SeekFrom::Start(0));
    read.is_ok() && rewound.is_ok() && header[12..28].iter().all(|&b| b == 0)
}

fn archive_failure(error: &Error) -> Failure {
    match error {
        // Built without AES support, an encrypted 7z shows as its cipher.
        Error::UnsupportedCompressionMethod(method) if method.contains("AES") => encrypted(),
        Error::PasswordRequired | Error::MaybeBadPassword(_) => encrypted(),
        Error::Io(io, _) => member_read_failure(io, "7z"),
        other => Failure::new(
            Stage::Unpack,
            FailureReason::Corrupt,
            format!("the 7z cannot be read: {other}"),
        ),
    }
}

fn encrypted() -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::Encrypted,
        "the 7z is encrypted; it needs the password to be read",
    )
}
