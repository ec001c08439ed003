//! Telling office documents apart from the archives and compound files that
//! carry them, by the names of their members.

use std::io::{Cursor, Read};

use trove_model::FileKind;

/// Longest ODF `mimetype` member worth reading.
const MIMETYPE_MAX: u64 = 128;

/// Local file headers read when the central directory is missing.
const LOCAL_HEADERS_MAX: usize = 64;

/// A zip's kind: an Office Open XML or OpenDocument package, or a plain zip.
/// A zip whose central directory cannot be read (a truncated download, say)
/// is judged by its leading local file headers, so that a truncated .docx is
/// still known as a damaged docx rather than a damaged zip.
pub(super) fn zip_kind(bytes: &[u8]) -> FileKind {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return kind_from_local_headers(bytes);
    };
    let mut content_types = false;
    let mut ooxml = None;
    let mut mimetype = false;
    let mut binary_workbook = false;
    for name in archive.file_names_raw() {
        content_types |= name == b"[Content_Types].xml";
        mimetype |= name == b"mimetype";
        binary_workbook |= is_binary_workbook(name);
        if ooxml.is_none() {
            ooxml = ooxml_kind_of_member(name);
        }
    }
    if content_types && let Some(kind) = ooxml {
        return workbook_format(kind, binary_workbook);
    }
    if mimetype && let Some(kind) = odf_kind(&mut archive) {
        return kind;
    }
    FileKind::Zip
}

fn kind_from_local_headers(bytes: &[u8]) -> FileKind {
    let names = local_header_names(bytes);
    let content_types = names.iter().any(|name| *name == b"[Content_Types].xml");
    let ooxml = names.iter().find_map(|name| ooxml_kind_of_member(name));
    let binary_workbook = names.iter().any(|name| is_binary_workbook(name));
    match (content_types, ooxml) {
        (true, Some(kind)) => workbook_format(kind, binary_workbook),
        _ => FileKind::Zip,
    }
}

/// Member names from consecutive local file headers at the start of a zip,
/// stopping at the first header whose sizes cannot be trusted.
fn local_header_names(bytes: &[u8]) -> Vec<&[u8]> {
    const SIGNATURE: &[u8] = b"PK\x03\x04";
    const FIXED: usize = 30;
    let field = |at: usize, width: usize| -> Option<usize> {
        let raw = bytes.get(at..at + width)?;
        Some(
            raw.iter()
                .rev()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
        )
    };
    let mut names = Vec::new();
    let mut at = 0usize;
    while names.len() < LOCAL_HEADERS_MAX && bytes.get(at..at + 4) == Some(SIGNATURE) {
        let (Some(flags), Some(compressed), Some(name_len), Some(extra_len)) = (
            field(at + 6, 2),
            field(at + 18, 4),
            field(at + 26, 2),
            field(at + 28, 2),
        ) else {
            break;
        };
        let name_start = at + FIXED;
        let Some(name) = bytes.get(name_start..name_start + name_len) else {
            break;
        };
        names.push(name);
        // Bit 3: sizes follow the data in a descriptor, so the next header
        // cannot be found without inflating; what we have must do.
        if flags & 0x8 != 0 {
            break;
        }
        at = name_start + name_len + extra_len + compressed;
    }
    names
}

fn ooxml_kind_of_member(name: &[u8]) -> Option<FileKind> {
    if name.starts_with(b"word/") {
        Some(FileKind::Docx)
    } else if name.starts_with(b"xl/") {
        Some(FileKind::Xlsx)
    } else if name.starts_with(b"ppt/") {
        Some(FileKind::Pptx)
    } else {
        None
    }
}

/// Excel's binary workbook part; part names are case-insensitive in OPC.
fn is_binary_workbook(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"xl/workbook.bin")
}

/// An Excel package holding `xl/workbook.bin` is an .xlsb: the same zip
/// layout as an .xlsx, with binary (BIFF12) parts instead of XML.
fn workbook_format(kind: FileKind, binary_workbook: bool) -> FileKind {
    if kind == FileKind::Xlsx && binary_workbook {
        FileKind::Xlsb
    } else {
        kind
    }
}

/// Reads the OpenDocument `mimetype` member, which is stored unencrypted even
/// in password-protected documents.
fn odf_kind(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<FileKind> {
    let member = archive.by_name("mimetype").ok()?;
    let mut mimetype = Vec::new();
    member.take(MIMETYPE_MAX).read_to_end(&mut mimetype).ok()?;
    let mimetype = mimetype.trim_ascii();
    match mimetype {
        b"application/vnd.oasis.opendocument.text" => Some(FileKind::Odt),
        b"application/vnd.oasis.opendocument.spreadsheet" => Some(FileKind::Ods),
        b"application/vnd.oasis.opendocument.presentation" => Some(FileKind::Odp),
        _ => None,
    }
}

/// A compound file's kind by its root streams. Encrypted OOXML documents are
/// compound files holding `EncryptionInfo` and `EncryptedPackage`, and Outlook
/// messages hold `__substg1.0_*` streams: both are [`FileKind::Ole`].
pub(super) fn compound_file_kind(bytes: &[u8]) -> FileKind {
    let Ok(file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return FileKind::Ole;
    };
    let names: Vec<String> = file
        .read_root_storage()
        .map(|entry| entry.name().to_owned())
        .collect();
    let has = |wanted: &str| names.iter().any(|name| name == wanted);
    if has("EncryptionInfo") || has("EncryptedPackage") {
        FileKind::Ole
    } else if has("WordDocument") {
        FileKind::Doc
    } else if has("Workbook") || has("Book") {
        FileKind::Xls
    } else if has("PowerPoint Document") {
        FileKind::Ppt
    } else {
        FileKind::Ole
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::detect;

    fn zip_with(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in members {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn compound_file_with(streams: &[&str]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for stream in streams {
            file.create_stream(format!("/{stream}"))
                .unwrap()
                .write_all(b"x")
                .unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn ooxml_packages_are_told_apart_by_their_parts() {
        let docx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w/>"),
        ]);
        let xlsx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<w/>"),
        ]);
        let pptx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("ppt/slides/slide1.xml", b"<p/>"),
        ]);
        assert_eq!(detect(&docx, "a.zip"), FileKind::Docx);
        assert_eq!(detect(&xlsx, "a.docx"), FileKind::Xlsx);
        assert_eq!(detect(&pptx, "a"), FileKind::Pptx);
    }

    #[test]
    fn a_package_with_a_binary_workbook_is_an_xlsb() {
        let xlsb = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/Workbook.bin", b"\x83\x01\x00"),
            ("xl/worksheets/sheet1.bin", &[b'x'; 4000]),
        ]);
        assert_eq!(detect(&xlsb, "a.xlsx"), FileKind::Xlsb);
        assert_eq!(zip_kind(&xlsb[..xlsb.len() / 2]), FileKind::Xlsb);
    }

    #[test]
    fn a_truncated_package_is_known_by_its_local_headers() {
        let docx = zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", &[b'x'; 4000]),
        ]);
        assert_eq!(zip_kind(&docx[..docx.len() / 2]), FileKind::Docx);
        assert_eq!(zip_kind(&b"PK\x03\x04garbage"[..]), FileKind::Zip);
    }

    #[test]
    fn a_zip_with_a_word_folder_but_no_content_types_is_a_zip() {
        let zip = zip_with(&[("word/notes.txt", b"hi")]);
        assert_eq!(detect(&zip, "a.docx"), FileKind::Zip);
    }

    #[test]
    fn opendocument_is_known_by_its_mimetype_member() {
        let odt = zip_with(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<x/>"),
        ]);
        let ods = zip_with(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        let odp = zip_with(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.presentation",
        )]);
        assert_eq!(detect(&odt, "a"), FileKind::Odt);
        assert_eq!(detect(&ods, "a"), FileKind::Ods);
        assert_eq!(detect(&odp, "a"), FileKind::Odp);
    }

    #[test]
    fn compound_files_are_told_apart_by_their_streams() {
        assert_eq!(
            detect(&compound_file_with(&["WordDocument", "1Table"]), "a"),
            FileKind::Doc
        );
        assert_eq!(
            detect(&compound_file_with(&["Workbook"]), "a"),
            FileKind::Xls
        );
        assert_eq!(detect(&compound_file_with(&["Book"]), "a"), FileKind::Xls);
        assert_eq!(
            detect(&compound_file_with(&["PowerPoint Document"]), "a"),
            FileKind::Ppt
        );
        assert_eq!(
            detect(
                &compound_file_with(&["EncryptionInfo", "EncryptedPackage"]),
                "a.docx"
            ),
            FileKind::Ole
        );
        assert_eq!(
            detect(&compound_file_with(&["__properties_version1.0"]), "a.msg"),
            FileKind::Ole
        );
    }
}
