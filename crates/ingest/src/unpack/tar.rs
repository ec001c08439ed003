//! Tar archives (plain, or inside a compressed stream: see `stream`).

use std::io::Read;

use tar::{Archive, EntryType};
use trove_model::{Failure, FailureReason, Stage};

use super::guard::member_read_failure;
use super::member_path::{accept_member_path, decode_name, link_refused};
use super::{ExpansionGuard, MemberVisitor, member_time};

pub(super) fn unpack<R: Read>(
    reader: R,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    let mut archive = Archive::new(reader);
    let entries = archive.entries().map_err(|e| corrupt(&e))?;
    let mut count = 0usize;
    for entry in entries {
        let mut entry = entry.map_err(|e| member_read_failure(&e, "tar"))?;
        count += 1;
        guard.check_members("tar", count)?;
        let name = decode_name(&entry.path_bytes());
        match entry.header().entry_type() {
            EntryType::Regular | EntryType::Continuous => {}
            EntryType::Symlink | EntryType::Link => {
                let target = entry.link_name_bytes().map(|bytes| decode_name(&bytes));
                visitor.refused(&name, link_refused(&name, target.as_deref()));
                continue;
            }
            // Directories, devices, FIFOs and metadata records hold no content.
            _ => continue,
        }
        let Some(path) = accept_member_path(&name, visitor) else {
            continue;
        };
        let modified = entry
            .header()
            .mtime()
            .ok()
            .and_then(|seconds| i64::try_from(seconds).ok())
            .and_then(member_time::from_unix);
        let mut guarded = guard.guard(&mut entry, None);
        if let Err(failure) = visitor.member(&path, modified, &mut guarded) {
            let fatal = failure.reason == FailureReason::DecompressionBomb;
            visitor.refused(&path, failure.clone());
            if fatal {
                return Err(failure);
            }
        }
    }
    Ok(())
}

fn corrupt(error: &std::io::Error) -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::Corrupt,
        format!("the tar cannot be read: {error}"),
    )
}
