//! Archives (`07-压缩包`): zip within zip, 7z, tar.gz and a zip with an encrypted entry.
//! Each archive [`Doc`] carries its members, so the ground truth lists them as `a.zip!/b`.

use std::io::Cursor;

use sevenz_rust2::{ArchiveEntry, ArchiveWriter};
use trove_model::{FailureReason, FileKind};

use crate::error::SynthError;
use crate::leak::Doc;
use crate::zipcrypto::{Entry, stored_zip};
use crate::zipfile::zip_bytes;

/// A deflated zip of `members`.
pub(crate) fn zip_archive(label: &str, members: Vec<(String, Doc)>) -> Result<Doc, SynthError> {
    let entries: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(name, doc)| (name.as_str(), doc.bytes.as_slice()))
        .collect();
    let mut doc = Doc::new(FileKind::Zip, zip_bytes(label, &entries)?);
    doc.members = members;
    Ok(doc)
}

/// A 7z (LZMA2) of `members`, entries without timestamps.
pub(crate) fn seven_zip(label: &str, members: Vec<(String, Doc)>) -> Result<Doc, SynthError> {
    let mut writer =
        ArchiveWriter::new(Cursor::new(Vec::new())).map_err(|e| SynthError::encode(label, e))?;
    for (name, doc) in &members {
        writer
            .push_archive_entry(ArchiveEntry::new_file(name), Some(doc.bytes.as_slice()))
            .map_err(|e| SynthError::encode(label, e))?;
    }
    let bytes = writer
        .finish()
        .map_err(|e| SynthError::encode(label, e))?
        .into_inner();
    let mut doc = Doc::new(FileKind::SevenZip, bytes);
    doc.members = members;
    Ok(doc)
}

/// A gzip-compressed tar of `members` (members are listed directly under the .tar.gz).
pub(crate) fn tar_gz(label: &str, members: Vec<(String, Doc)>) -> Result<Doc, SynthError> {
    let fail = |e: std::io::Error| SynthError::encode(label, e);
    let gzip = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gzip);
    builder.mode(tar::HeaderMode::Deterministic);
    for (name, doc) in &members {
        let mut header = tar::Header::new_gnu();
        header.set_size(doc.bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_550_658_600); // 2019-02-20 10:30:00 UTC, as the zips' entries
        builder
            .append_data(&mut header, name, doc.bytes.as_slice())
            .map_err(fail)?;
    }
    let bytes = builder.into_inner().map_err(fail)?.finish().map_err(fail)?;
    let mut doc = Doc::new(FileKind::Gzip, bytes);
    doc.members = members;
    Ok(doc)
}

/// A stored zip with one readable member and one encrypted with `password`; the encrypted
/// member is recorded as failed (`encrypted`), with the BLAKE3 of its plaintext.
pub(crate) fn zip_with_encrypted_member(
    open: (String, Doc),
    secret: (String, Doc),
    password: &[u8],
) -> Doc {
    let bytes = stored_zip(&[
        Entry {
            name: &open.0,
            bytes: &open.1.bytes,
            password: None,
        },
        Entry {
            name: &secret.0,
            bytes: &secret.1.bytes,
            password: Some(password),
        },
    ]);
    let (name, mut secret_doc) = secret;
    secret_doc.failure = Some(FailureReason::Encrypted);
    secret_doc.texts.clear();
    let mut doc = Doc::new(FileKind::Zip, bytes);
    doc.members = vec![open, (name, secret_doc)];
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Doc {
        Doc::new(FileKind::Text, s.as_bytes().to_vec())
    }

    #[test]
    fn seven_zip_members_read_back() {
        let doc = seven_zip(
            "t.7z",
            vec![
                ("说明.txt".into(), text("培训材料")),
                ("a/b.txt".into(), text("b")),
            ],
        )
        .unwrap();
        let mut reader = sevenz_rust2::ArchiveReader::new(
            Cursor::new(doc.bytes),
            sevenz_rust2::Password::empty(),
        )
        .unwrap();
        assert_eq!(reader.read_file("说明.txt").unwrap(), "培训材料".as_bytes());
        assert_eq!(reader.read_file("a/b.txt").unwrap(), b"b");
        assert_eq!(doc.members.len(), 2);
    }

    #[test]
    fn encrypted_member_is_recorded_as_failed_without_texts() {
        let doc = zip_with_encrypted_member(
            ("open.txt".into(), text("open").with_texts(["open"])),
            ("secret.txt".into(), text("secret").with_texts(["secret"])),
            b"pw",
        );
        assert_eq!(doc.members[0].1.failure, None);
        assert_eq!(doc.members[1].1.failure, Some(FailureReason::Encrypted));
        assert!(doc.members[1].1.texts.is_empty());
    }
}
