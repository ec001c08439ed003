//! Zip archives.

use std::io::{Read, Seek};

use ::zip::ZipArchive;
use ::zip::result::ZipError;
use trove_model::{Failure, FailureReason, Stage};

use super::code_page::CodePage;
use super::guard::member_read_failure;
use super::member_path::{accept_member_path, link_refused};
use super::{ExpansionGuard, MemberVisitor, member_time};

pub(super) fn unpack<R: Read + Seek>(
    reader: R,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    let mut archive = ZipArchive::new(reader).map_err(|e| archive_failure(&e))?;
    guard.check_members("zip", archive.len())?;
    refuse_overlapping_entries(&mut archive)?;
    // Names without the UTF-8 flag are in one code page per archive: judge it from all.
    let code_page = CodePage::judge(archive.file_names_raw());
    let mut damaged = 0usize;
    for index in 0..archive.len() {
        // Named up front: once `by_index` fails, the archive is still borrowed.
        let fallback_name = member_name(&archive, index);
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(ZipError::UnsupportedArchive(message))
                if message == ZipError::PASSWORD_REQUIRED =>
            {
                visitor.refused(&fallback_name, encrypted(&fallback_name));
                continue;
            }
            Err(error) => {
                visitor.refused(&fallback_name, member_failure(&fallback_name, &error));
                damaged += 1;
                continue;
            }
        };
        let name = code_page.decode(entry.name_raw());
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            visitor.refused(&name, link_refused(&name, None));
            continue;
        }
        let Some(path) = accept_member_path(&name, visitor) else {
            continue;
        };
        if entry.encrypted() {
            visitor.refused(&path, encrypted(&path));
            continue;
        }
        let compressed = entry.compressed_size();
        let modified = entry.last_modified().and_then(|time| {
            member_time::from_dos(u32::from(time.datepart()) << 16 | u32::from(time.timepart()))
        });
        let mut guarded = guard.guard(&mut entry, Some(compressed));
        if let Err(failure) = visitor.member(&path, modified, &mut guarded) {
            visitor.refused(&path, failure);
        }
    }
    if damaged > 0 && damaged == archive.len() {
        return Err(Failure::new(
            Stage::Unpack,
            FailureReason::Corrupt,
            "no member of the zip could be read",
        ));
    }
    Ok(())
}

/// Refuses a zip whose entries share or overlap their bytes: no archiver writes one, and it
/// is how a small file inflates the same block thousands of times (Fifield's
/// non-recursive zip bomb). Each entry spans from its local header to the end of its data.
fn refuse_overlapping_entries<R: Read + Seek>(archive: &mut ZipArchive<R>) -> Result<(), Failure> {
    let mut spans = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        // An entry that cannot be read is judged later, on its own.
        let Ok(entry) = archive.by_index_raw(index) else {
            continue;
        };
        let Some(data_start) = entry.data_start() else {
            continue;
        };
        let end = data_start.saturating_add(entry.compressed_size());
        spans.push((entry.header_start(), end));
    }
    spans.sort_unstable();
    let overlapping = spans.windows(2).any(|pair| pair[1].0 < pair[0].1);
    if overlapping {
        return Err(Failure::new(
            Stage::Unpack,
            FailureReason::DecompressionBomb,
            "entries of this zip share or overlap their bytes, which no archiver writes: an \
             overlapping-entry zip bomb; nothing was unpacked",
        ));
    }
    Ok(())
}

/// A member's name for a failure message, when the member itself is unreadable.
fn member_name<R: Read + Seek>(archive: &ZipArchive<R>, index: usize) -> String {
    match archive.name_for_index(index) {
        Some(Ok(name)) => name.into_owned(),
        _ => format!("member #{index}"),
    }
}

fn archive_failure(error: &ZipError) -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::Corrupt,
        format!("the zip cannot be opened: {error}"),
    )
}

fn member_failure(name: &str, error: &ZipError) -> Failure {
    match error {
        ZipError::Io(io) => member_read_failure(io, name),
        other => Failure::new(
            Stage::Unpack,
            FailureReason::Corrupt,
            format!("{name}: the member cannot be read: {other}"),
        ),
    }
}

fn encrypted(name: &str) -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::Encrypted,
        format!("{name} is encrypted inside the zip; it needs the password to be read"),
    )
}
