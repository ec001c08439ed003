use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::coded_enum;

/// [`FileKind`] from one table: each kind's code, MIME type and description.
macro_rules! file_kinds {
    ($( $variant:ident => $code:literal, $mime:literal, $doc:literal; )*) => {
        coded_enum! {
            /// What a file is, judged by its content (never by its name alone).
            ///
            /// The `code` is the stable short name used in the catalog, the index
            /// (`type:xlsx`) and JSON output.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum FileKind {
                $( #[doc = $doc] $variant => $code, )*
            }
        }

        impl FileKind {
            /// The usual MIME type.
            pub fn mime(self) -> &'static str {
                match self { $(FileKind::$variant => $mime,)* }
            }
        }
    };
}

file_kinds! {
    Xlsx => "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook (Office Open XML).";
    Xlsb => "xlsb", "application/vnd.ms-excel.sheet.binary.macroEnabled.12", "Excel binary workbook (BIFF12 records in a zip package).";
    Xls => "xls", "application/vnd.ms-excel", "Legacy Excel workbook (BIFF in a compound file).";
    Ods => "ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet.";
    Csv => "csv", "text/csv", "Comma- or tab-separated values.";
    Dbf => "dbf", "application/x-dbf", "dBase table (fixed-width records; older registration systems export them).";
    Docx => "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document (Office Open XML).";
    Odt => "odt", "application/vnd.oasis.opendocument.text", "OpenDocument text.";
    Doc => "doc", "application/msword", "Legacy Word document (compound file).";
    Pptx => "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint presentation (Office Open XML).";
    Odp => "odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation.";
    Ppt => "ppt", "application/vnd.ms-powerpoint", "Legacy PowerPoint presentation (compound file).";
    Pdf => "pdf", "application/pdf", "Portable Document Format.";
    Html => "html", "text/html", "HTML page.";
    Text => "text", "text/plain", "Plain text in any detected encoding.";
    Eml => "eml", "message/rfc822", "A single email message.";
    Mbox => "mbox", "application/mbox", "A mailbox of concatenated messages.";
    Jpeg => "jpeg", "image/jpeg", "JPEG image.";
    Png => "png", "image/png", "PNG image.";
    Tiff => "tiff", "image/tiff", "TIFF image.";
    Webp => "webp", "image/webp", "WebP image.";
    Gif => "gif", "image/gif", "GIF image.";
    Zip => "zip", "application/zip", "Zip archive.";
    SevenZip => "7z", "application/x-7z-compressed", "7-Zip archive.";
    Tar => "tar", "application/x-tar", "Tar archive.";
    Gzip => "gzip", "application/gzip", "Gzip stream (often a .tar.gz).";
    Bzip2 => "bzip2", "application/x-bzip2", "Bzip2 stream (often a .tar.bz2).";
    Xz => "xz", "application/x-xz", "XZ stream (often a .tar.xz).";
    Rar => "rar", "application/vnd.rar", "RAR archive (versions 1.5 to 5).";
    Ole => "ole", "application/x-ole-storage", "Other compound file (Outlook .msg, encrypted Office, …).";
    Empty => "empty", "application/x-empty", "A file of zero bytes.";
    Binary => "binary", "application/octet-stream", "Content of a type trove has no extractor for.";
}

impl FileKind {
    /// Archives whose members trove unpacks and ingests as child documents.
    pub fn is_archive(self) -> bool {
        matches!(
            self,
            FileKind::Zip
                | FileKind::SevenZip
                | FileKind::Tar
                | FileKind::Gzip
                | FileKind::Bzip2
                | FileKind::Xz
                | FileKind::Rar
        )
    }

    /// Images, whose facts are dimensions, EXIF and a perceptual hash.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Jpeg | FileKind::Png | FileKind::Tiff | FileKind::Webp | FileKind::Gif
        )
    }

    /// Guesses a kind from a file name's extension, to compare with the kind
    /// detected from the content (a mismatch is recorded, never trusted).
    pub fn from_extension(name: &str) -> Option<FileKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        let kind = match ext.as_str() {
            "xlsx" | "xlsm" => FileKind::Xlsx,
            "xlsb" => FileKind::Xlsb,
            "xls" => FileKind::Xls,
            "ods" => FileKind::Ods,
            "csv" | "tsv" => FileKind::Csv,
            "dbf" => FileKind::Dbf,
            "docx" | "docm" => FileKind::Docx,
            "odt" => FileKind::Odt,
            "doc" => FileKind::Doc,
            "pptx" => FileKind::Pptx,
            "odp" => FileKind::Odp,
            "ppt" => FileKind::Ppt,
            "pdf" => FileKind::Pdf,
            "html" | "htm" | "xhtml" => FileKind::Html,
            "txt" | "text" | "log" | "md" => FileKind::Text,
            "eml" => FileKind::Eml,
            "mbox" => FileKind::Mbox,
            "jpg" | "jpeg" | "jpe" => FileKind::Jpeg,
            "png" => FileKind::Png,
            "tif" | "tiff" => FileKind::Tiff,
            "webp" => FileKind::Webp,
            "gif" => FileKind::Gif,
            "zip" => FileKind::Zip,
            "7z" => FileKind::SevenZip,
            "tar" => FileKind::Tar,
            "gz" | "tgz" => FileKind::Gzip,
            "bz2" | "tbz2" => FileKind::Bzip2,
            "xz" | "txz" => FileKind::Xz,
            "rar" => FileKind::Rar,
            "msg" => FileKind::Ole,
            _ => return None,
        };
        Some(kind)
    }
}

impl Serialize for FileKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for FileKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for FileKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FileKind::from_code(s).ok_or_else(|| format!("unknown file type {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_its_kind() {
        for kind in FileKind::ALL {
            assert_eq!(kind.code().parse::<FileKind>(), Ok(kind));
        }
    }

    #[test]
    fn extension_guess_ignores_case_and_path() {
        assert_eq!(
            FileKind::from_extension("a/b/名单.XLSX"),
            Some(FileKind::Xlsx)
        );
        assert_eq!(
            FileKind::from_extension("archive.tar.gz"),
            Some(FileKind::Gzip)
        );
        assert_eq!(FileKind::from_extension("README"), None);
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(
            serde_json::to_string(&FileKind::SevenZip).unwrap(),
            "\"7z\""
        );
        assert_eq!(serde_json::to_string(&FileKind::Xlsx).unwrap(), "\"xlsx\"");
    }
}
