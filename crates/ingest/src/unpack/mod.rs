//! Reading the members out of archives, with every member treated as
//! hostile: names are checked for traversal, links are never followed, and
//! the bytes a member may expand to are bounded (see [`ExpansionGuard`]).
//!
//! Nothing here writes a member to disk under its own name: members go to the
//! content store by hash, so a crafted name can never escape its folder. The
//! checks exist to *record* crafted archives as evidence of tampering.

mod code_page;
mod guard;
mod member_path;
mod member_time;
mod opening;
mod rar;
mod sevenz;
mod spanned_zip;
mod stream;
mod tar;
mod volumes;
mod zip;

use std::io::{Read, Seek};
use std::path::Path;

use chrono::NaiveDateTime;
use trove_model::{Failure, FileKind};

pub(crate) use guard::{ExpansionGuard, member_read_failure};
pub(crate) use opening::{ArchiveBytes, Opening, archive_kind, open as open_archive};
pub(crate) use rar::{Scratch, VolumeSet};
pub(crate) use volumes::missing_volume;

/// Where an archive's bytes are.
pub(crate) struct ArchiveSource<'a, R> {
    /// The bytes, for the formats read through a reader.
    pub reader: R,
    /// The archive as a file on disk, for RAR, whose reader opens files itself.
    pub on_disk: &'a Path,
    /// For the first volume of a RAR set, the whole set.
    pub rar_volumes: Option<&'a VolumeSet>,
    /// Where members too large for memory may be written while they are read.
    pub scratch: Scratch<'a>,
}

/// Receives the members of an archive as they are read.
pub(crate) trait MemberVisitor {
    /// A member file, `path` relative to the archive root, with the modification time
    /// the archive records for it (if any), its bytes readable (and bounded) through
    /// `reader`.
    fn member(
        &mut self,
        path: &str,
        modified: Option<NaiveDateTime>,
        reader: &mut dyn Read,
    ) -> Result<(), Failure>;

    /// A member trove refused to read (traversal, link, bomb, encrypted …).
    fn refused(&mut self, path: &str, failure: Failure);
}

/// Reads every member of an archive of `kind` and hands it to `visitor`.
/// `name` is the archive's own file name (to name the content of a bare
/// `.gz`). An `Err` means the archive as a whole could not be read; members
/// visited before that stay visited.
pub(crate) fn unpack<R: Read + Seek>(
    kind: FileKind,
    name: &str,
    source: ArchiveSource<'_, R>,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    let reader = source.reader;
    match kind {
        FileKind::Rar => {
            let input = match source.rar_volumes {
                Some(set) => rar::RarInput::Volumes(set),
                None => rar::RarInput::Single(source.on_disk),
            };
            rar::unpack(&input, guard, &source.scratch, visitor)
        }
        FileKind::Zip => zip::unpack(reader, guard, visitor),
        FileKind::SevenZip => sevenz::unpack(reader, guard, visitor),
        FileKind::Tar => tar::unpack(reader, guard, visitor),
        FileKind::Gzip | FileKind::Bzip2 | FileKind::Xz => {
            stream::unpack(kind, name, reader, guard, visitor)
        }
        other => Err(Failure::new(
            trove_model::Stage::Unpack,
            trove_model::FailureReason::Corrupt,
            format!("{other} is not an archive trove unpacks"),
        )),
    }
}
