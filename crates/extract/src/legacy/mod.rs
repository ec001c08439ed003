//! Compound-file (OLE2) formats: Word 97-2003 (.doc), PowerPoint 97-2003
//! (.ppt), Outlook messages, and the compound wrapper Office puts around a
//! password-protected OOXML file.
//!
//! The container is read with `cfb`; the formats inside with readers of our
//! own, small enough to check against the specifications ([MS-DOC],
//! [MS-PPT], [MS-OLEPS]) and to keep panic-free on hostile input.

mod message;
mod powerpoint;
mod summary;
mod word;

use std::io::{Cursor, Read};

use cfb::CompoundFile;
use trove_model::FileKind;

use crate::assemble::extracted;
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

pub(crate) use powerpoint::extract as extract_ppt;
pub(crate) use word::extract as extract_doc;

/// The eight bytes every compound file starts with.
const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The largest stream read, whatever the file claims.
pub(crate) const MAX_STREAM_BYTES: u64 = 256 << 20;

/// A compound file read from bytes in memory.
pub(crate) type Compound<'a> = CompoundFile<Cursor<&'a [u8]>>;

/// Whether `bytes` is a compound (OLE2) file.
pub(crate) fn is_compound_file(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// The error for a compound file where a zip package of `kind` was
/// expected: Office encrypts OOXML files into exactly that.
pub(crate) fn compound_instead_of_zip(kind: FileKind, bytes: &[u8]) -> ExtractError {
    encrypted_ooxml_inside(kind, bytes)
        .unwrap_or_else(|| ExtractError::corrupt(kind, "a compound (OLE2) file, not a zip package"))
}

/// The error for `bytes` when they are a compound file wrapping an
/// encrypted OOXML package, whatever `kind` they were taken for.
pub(crate) fn encrypted_ooxml_inside(kind: FileKind, bytes: &[u8]) -> Option<ExtractError> {
    if !is_compound_file(bytes) {
        return None;
    }
    let file = CompoundFile::open(Cursor::new(bytes)).ok()?;
    is_encrypted_ooxml(&file).then(|| encrypted_ooxml(kind))
}

fn is_encrypted_ooxml(file: &Compound<'_>) -> bool {
    file.is_stream("/EncryptionInfo") || file.is_stream("/EncryptedPackage")
}

fn encrypted_ooxml(kind: FileKind) -> ExtractError {
    ExtractError::encrypted(
        kind,
        "an Office Open XML package encrypted into a compound file (EncryptionInfo, EncryptedPackage)",
    )
}

/// Opens the compound file, or says why it cannot be.
fn open(kind: FileKind, bytes: &[u8]) -> Result<Compound<'_>, ExtractError> {
    CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| ExtractError::corrupt(kind, format!("not a readable compound file ({e})")))
}

/// The bytes of stream `path`, or `None` when there is no such stream.
pub(crate) fn read_stream(
    kind: FileKind,
    file: &mut Compound<'_>,
    path: &str,
) -> Result<Option<Vec<u8>>, ExtractError> {
    if !file.is_stream(path) {
        return Ok(None);
    }
    let stream = file.open_stream(path).map_err(|e| {
        ExtractError::corrupt(kind, format!("stream {path} cannot be opened ({e})"))
    })?;
    let mut bytes = Vec::new();
    stream
        .take(MAX_STREAM_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| ExtractError::corrupt(kind, format!("stream {path} is damaged ({e})")))?;
    Ok(Some(bytes))
}

/// Extracts a compound file that is neither a .doc, .xls nor .ppt: an
/// encrypted OOXML file is reported as such, an Outlook message gives its
/// subject and body, anything else is catalogued without text.
pub(crate) fn extract_ole(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let kind = FileKind::Ole;
    let mut file = open(kind, bytes)?;
    if is_encrypted_ooxml(&file) {
        return Err(encrypted_ooxml(kind));
    }
    let mut builder = PartsBuilder::new(limits);
    let metadata = message::read(&mut file, &mut builder)?;
    Ok(extracted(builder, metadata))
}

/// Decodes 8-bit text whose code page the file does not record, guessing
/// the encoding from the bytes (UTF-8 allowed).
fn decode_guessed(bytes: &[u8]) -> String {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut file = CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (path, bytes) in streams {
            file.create_stream(path).unwrap().write_all(bytes).unwrap();
        }
        file.into_inner().into_inner()
    }

    #[test]
    fn an_encrypted_ooxml_package_is_encrypted_whatever_it_was_taken_for() {
        let bytes = compound(&[
            ("/EncryptionInfo", b"\x04\x00"),
            ("/EncryptedPackage", b"x"),
        ]);
        let limits = Limits::default();
        assert!(matches!(
            extract_ole(&bytes, &limits),
            Err(ExtractError::Encrypted { .. })
        ));
        assert!(matches!(
            crate::ooxml::extract_docx(&bytes, &limits),
            Err(ExtractError::Encrypted {
                kind: FileKind::Docx,
                ..
            })
        ));
        assert!(matches!(
            crate::spreadsheet::extract(FileKind::Xls, &bytes, &limits),
            Err(ExtractError::Encrypted {
                kind: FileKind::Xls,
                ..
            })
        ));
    }

    #[test]
    fn an_outlook_message_gives_subject_and_body() {
        let wide = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
        };
        let bytes = compound(&[
            ("/__substg1.0_0037001F", &wide("培训通知")),
            ("/__substg1.0_1000001F", &wide("明天开会\r\n地点：会议室")),
        ]);
        let extracted = extract_ole(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            extracted.parts[0].text,
            "培训通知\n\n明天开会\n地点：会议室"
        );
        assert_eq!(extracted.metadata.title.as_deref(), Some("培训通知"));
    }

    #[test]
    fn another_compound_file_has_no_text() {
        let bytes = compound(&[("/Something", b"data")]);
        assert_eq!(
            extract_ole(&bytes, &Limits::default()).unwrap(),
            Extracted::default()
        );
    }

    #[test]
    fn truncated_compound_files_are_corrupt() {
        let mut bytes = compound(&[("/WordDocument", &[0u8; 600])]);
        bytes.truncate(700);
        for result in [
            crate::legacy::extract_doc(&bytes, &Limits::default()),
            crate::legacy::extract_ppt(&bytes, &Limits::default()),
        ] {
            assert!(
                matches!(result, Err(ExtractError::Corrupt { .. })),
                "{result:?}"
            );
        }
    }
}
