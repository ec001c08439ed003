//! Reading members out of the zip package that holds an OOXML or
//! OpenDocument file, with every member's size capped.
//!
//! A hostile package may declare a member of terabytes or compress a
//! gigabyte of zeros into a kilobyte; the caps here refuse both before any
//! memory is spent on them.

use std::io::{Cursor, Read};

use trove_model::FileKind;
use zip::ZipArchive;
use zip::result::ZipError;

use crate::{ExtractError, Limits, legacy, xml_text};

/// The largest member read whatever the text budget (a 64 MiB budget of
/// text can come from a few hundred MiB of markup).
const MAX_MEMBER_BYTES: u64 = 256 << 20;

/// Expansion beyond this ratio (uncompressed / compressed) is a zip bomb:
/// real office XML compresses 5-30x, rarely past 100x.
const MAX_RATIO: u64 = 1000;

/// Below this size the ratio is not checked: a tiny member that compresses
/// well is harmless.
const RATIO_FLOOR: u64 = 1 << 20;

/// An opened package.
pub(crate) struct Package<'a> {
    kind: FileKind,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    max_member: u64,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip package of `kind`. A compound (OLE) file in
    /// its place is how Office stores a password-protected OOXML file.
    pub(crate) fn open(
        kind: FileKind,
        bytes: &'a [u8],
        limits: &Limits,
    ) -> Result<Self, ExtractError> {
        if legacy::is_compound_file(bytes) {
            return Err(legacy::compound_instead_of_zip(kind, bytes));
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ExtractError::corrupt(kind, format!("not a readable zip package ({e})"))
        })?;
        let budget = u64::try_from(limits.max_text_bytes).unwrap_or(u64::MAX);
        Ok(Package {
            kind,
            archive,
            max_member: budget.saturating_mul(4).clamp(1 << 20, MAX_MEMBER_BYTES),
        })
    }

    /// The names of all members, in central-directory order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .flatten()
            .map(|n| n.into_owned())
            .collect()
    }

    /// Whether a member of this name exists (names compare exactly, then
    /// ignoring ASCII case, as some writers vary it).
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.archive.index_for_name(name).or_else(|| {
            self.archive
                .file_names()
                .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
        })
    }

    /// The bytes of member `name`, or `None` when there is no such member.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        let kind = self.kind;
        let max = self.max_member;
        let Some(mut member) = self.stream(name)? else {
            return Ok(None);
        };
        // The declared size may lie (either way): reserve modestly, and let
        // the cap on what is read, not the header, bound the memory.
        let mut bytes = Vec::with_capacity(member.declared.min(16 << 20) as usize);
        member.reader.read_to_end(&mut bytes).map_err(|e| {
            ExtractError::corrupt(kind, format!("zip member {name} is damaged ({e})"))
        })?;
        if bytes.len() as u64 > max {
            return Err(ExtractError::corrupt(
                kind,
                format!("zip member {name} expands past the {max}-byte limit"),
            ));
        }
        Ok(Some(bytes))
    }

    /// Member `name` as a stream, for parts too large to hold whole (a worksheet of a
    /// million rows), or `None` when there is no such member. The stream ends one byte
    /// past the member limit, so that a reader can tell a member that exceeds it.
    pub(crate) fn stream(&mut self, name: &str) -> Result<Option<Member<'_>>, ExtractError> {
        let Some(index) = self.index_of(name) else {
            return Ok(None);
        };
        let kind = self.kind;
        let max = self.max_member;
        let member = self.archive.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(why) if why.contains("assword") => {
                ExtractError::encrypted(kind, format!("zip member {name} is encrypted"))
            }
            other => {
                ExtractError::corrupt(kind, format!("zip member {name} cannot be read ({other})"))
            }
        })?;
        if member.encrypted() {
            return Err(ExtractError::encrypted(
                kind,
                format!("zip member {name} is encrypted"),
            ));
        }
        let declared = member.size();
        check_size(kind, name, declared, member.compressed_size(), max)?;
        Ok(Some(Member {
            declared,
            reader: Box::new(member.take(max + 1)),
        }))
    }

    /// Checks every member's declared size and compression ratio, for
    /// packages handed whole to a reader that inflates members unbounded.
    pub(crate) fn vet(&mut self) -> Result<(), ExtractError> {
        for index in 0..self.archive.len() {
            let member = self.archive.by_index_raw(index).map_err(|e| {
                ExtractError::corrupt(
                    self.kind,
                    format!("zip member {index} cannot be read ({e})"),
                )
            })?;
            let name = member
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| format!("#{index}"));
            check_size(
                self.kind,
                &name,
                member.size(),
                member.compressed_size(),
                self.max_member,
            )?;
        }
        Ok(())
    }

    /// Member `name` decoded as XML text, or `None` when absent.
    pub(crate) fn read_xml(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        Ok(self
            .read(name)?
            .map(|bytes| xml_text::decode(&bytes).into_owned()))
    }
}

/// A member being read: the size its header declares, and its bytes.
pub(crate) struct Member<'a> {
    pub(crate) declared: u64,
    pub(crate) reader: Box<dyn Read + 'a>,
}

/// Refuses a member that declares more than `max` bytes or expands like a
/// decompression bomb.
fn check_size(
    kind: FileKind,
    name: &str,
    declared: u64,
    compressed: u64,
    max: u64,
) -> Result<(), ExtractError> {
    if declared > max {
        return Err(ExtractError::corrupt(
            kind,
            format!("zip member {name} declares {declared} bytes, more than the {max}-byte limit"),
        ));
    }
    let ratio = declared / compressed.max(1);
    if declared > RATIO_FLOOR && ratio > MAX_RATIO {
        return Err(ExtractError::corrupt(
            kind,
            format!("zip member {name} expands {ratio}x: a decompression bomb"),
        ));
    }
    Ok(())
}

/// Turns an XML error in member `member` into a [`ExtractError::Corrupt`].
pub(crate) fn malformed(kind: FileKind, member: &str, error: xml_text::XmlError) -> ExtractError {
    ExtractError::corrupt(kind, format!("{member} is {error}"))
}

/// A zip package built in memory, for the tests of every zip-based format.
#[cfg(test)]
pub(crate) fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in members {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}
