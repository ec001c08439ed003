//! What a file is, judged by its content.
//!
//! Detection runs on every file of a leak, so it looks only at a prefix of
//! the bytes, except for zip and compound files, whose directories must be
//! read to tell a Word document from a spreadsheet or a plain archive. The
//! extension is never trusted: a leak's `.xls` files are as often HTML tables
//! or CSV as real workbooks. The one exception is CSV, which content alone
//! cannot tell from other text.

mod container;
mod textual;

use trove_model::FileKind;

/// Where tar's `ustar` magic sits in the first header block.
const TAR_MAGIC_OFFSET: usize = 257;

/// How far into a file `%PDF` may appear (some writers prefix junk).
const PDF_HEADER_WINDOW: usize = 1024;

/// Detects what `bytes` are, by content only. `name` is consulted solely to
/// choose between kinds that content cannot tell apart (CSV and plain text).
///
/// ```
/// use trove_model::FileKind;
/// assert_eq!(trove_extract::detect(b"%PDF-1.7\n", "scan.jpg"), FileKind::Pdf);
/// assert_eq!(trove_extract::detect("编号,姓名\n1,古丽\n".as_bytes(), "名单.csv"), FileKind::Csv);
/// assert_eq!(trove_extract::detect(b"", "empty.pdf"), FileKind::Empty);
/// ```
pub fn detect(bytes: &[u8], name: &str) -> FileKind {
    if bytes.is_empty() {
        return FileKind::Empty;
    }
    if let Some(kind) = by_magic(bytes) {
        return kind;
    }
    // dBase tables have no signature, but a header whose fields must add up.
    if crate::dbf::looks_like_dbf(bytes) {
        return FileKind::Dbf;
    }
    if let Some(utf8) = crate::text::utf32_to_utf8(bytes) {
        return textual::detect(&utf8, name).unwrap_or(FileKind::Binary);
    }
    textual::detect(bytes, name).unwrap_or(FileKind::Binary)
}

/// Kinds announced by a signature at a fixed place.
fn by_magic(bytes: &[u8]) -> Option<FileKind> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let kind = if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        container::zip_kind(bytes)
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        container::compound_file_kind(bytes)
    } else if starts(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        FileKind::SevenZip
    } else if starts(b"Rar!\x1A\x07") {
        FileKind::Rar
    } else if starts(&[0x1F, 0x8B]) {
        FileKind::Gzip
    } else if starts(b"BZh") && bytes.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        FileKind::Bzip2
    } else if starts(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
        FileKind::Xz
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        FileKind::Jpeg
    } else if starts(b"\x89PNG\r\n\x1A\n") {
        FileKind::Png
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        FileKind::Tiff
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        FileKind::Webp
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileKind::Gif
    } else if has_pdf_header(bytes) {
        FileKind::Pdf
    } else if bytes.get(TAR_MAGIC_OFFSET..TAR_MAGIC_OFFSET + 5) == Some(b"ustar") {
        FileKind::Tar
    } else {
        return None;
    };
    Some(kind)
}

fn has_pdf_header(bytes: &[u8]) -> bool {
    let window = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    window.windows(5).any(|w| w == b"%PDF-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_win_over_extensions() {
        assert_eq!(
            detect(b"\xFF\xD8\xFF\xE0\0\x10JFIF", "photo.pdf"),
            FileKind::Jpeg
        );
        assert_eq!(detect(b"GIF89a\x01\0\x01\0", "a.txt"), FileKind::Gif);
        assert_eq!(detect(b"\x1F\x8B\x08\0", "x"), FileKind::Gzip);
        assert_eq!(detect(b"BZh91AY&SY", "x"), FileKind::Bzip2);
        assert_eq!(detect(b"\xFD7zXZ\0\0", "x"), FileKind::Xz);
        assert_eq!(detect(b"7z\xBC\xAF\x27\x1C\0\x04", "x"), FileKind::SevenZip);
        assert_eq!(detect(b"Rar!\x1A\x07\x01\0", "x"), FileKind::Rar);
        assert_eq!(detect(b"RIFF\0\0\0\0WEBPVP8 ", "x"), FileKind::Webp);
        assert_eq!(detect(b"MM\0*\0\0\0\x08", "x"), FileKind::Tiff);
    }

    #[test]
    fn pdf_header_may_follow_junk() {
        let mut bytes = vec![b' '; 300];
        bytes.extend(b"%PDF-1.4\n");
        assert_eq!(detect(&bytes, "x"), FileKind::Pdf);
    }

    #[test]
    fn tar_is_found_by_its_ustar_magic() {
        let mut bytes = vec![0u8; 512];
        bytes[..5].copy_from_slice(b"a.txt");
        bytes[257..263].copy_from_slice(b"ustar\0");
        assert_eq!(detect(&bytes, "x"), FileKind::Tar);
    }

    #[test]
    fn unknown_binary_is_binary() {
        assert_eq!(
            detect(&[0, 1, 2, 3, 0xFE, 0x80, 0, 0], "a.txt"),
            FileKind::Binary
        );
    }
}
