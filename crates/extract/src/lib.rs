//! Bytes in, text and metadata out.
//!
//! `trove-extract` turns the bytes of one file into the [`Part`]s of its text,
//! its [`Metadata`] and the files embedded in it (email attachments, messages
//! of a mailbox). It is pure: it reads only the bytes it is handed, writes
//! nothing, and knows nothing of the catalog or the index, so every format can
//! be fuzzed and benchmarked alone. Archives are not unpacked here: walking
//! them with size and depth limits is the ingest pipeline's job.
//!
//! Every extractor treats its input as hostile: malformed bytes give an
//! [`ExtractError`], never a panic, and output is bounded by [`Limits`].

use trove_model::{FileKind, Metadata, Part};

mod assemble;
mod binary;
mod budget;
mod chinese_script;
mod dbf;
mod detect;
mod email;
mod embedded;
mod html;
mod image;
mod legacy;
mod odf;
mod ooxml;
mod pdf;
mod spreadsheet;
mod text;
mod xml_text;
mod zip_package;

pub use detect::detect;

pub(crate) use budget::PartsBuilder;

/// Bumped whenever an extractor's output changes, so that documents extracted
/// by an older version can be found and re-extracted deliberately.
pub const EXTRACTOR_VERSION: u32 = 6;

/// Bounds on what one extraction may produce, whatever the input claims.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Text kept per document; the rest is dropped and `truncated` is set.
    pub max_text_bytes: usize,
    /// Embedded files (attachments, mailbox messages) returned per document.
    pub max_children: usize,
    /// Size of one embedded file once decoded.
    pub max_child_bytes: usize,
    /// When set, extraction stops at the first page, sheet, slide or few thousand cells
    /// after this instant, keeps what it read and marks the document truncated: a crafted
    /// file cannot hold a worker for ever.
    pub deadline: Option<std::time::Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_text_bytes: 64 << 20,
            max_children: 10_000,
            max_child_bytes: 256 << 20,
            deadline: None,
        }
    }
}

/// What an extractor found in one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The text, divided as the format divides it (pages, sheets, slides,
    /// messages) in document order; together at most [`Limits::max_text_bytes`].
    pub parts: Vec<Part>,
    /// Title, author, dates and the like, as the file itself states them.
    pub metadata: Metadata,
    /// Files carried inside this one, to be ingested as its child documents.
    pub children: Vec<Embedded>,
    /// A small JPEG preview of an image (at most 256 px on its longer side).
    pub thumbnail: Option<Vec<u8>>,
    /// Set when text beyond [`Limits::max_text_bytes`] was dropped.
    pub truncated: bool,
}

/// A file embedded in another: an email attachment, a message in a mailbox, an
/// object in an office document, a file attached to a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded {
    /// The name the container gives it (attachment file name, `message-12.eml`).
    pub name: String,
    /// Its contents (an attachment with its transfer encoding undone, a mailbox
    /// message as stored), never more than [`Limits::max_child_bytes`]: larger
    /// ones are left out, not cut.
    pub bytes: Vec<u8>,
}

/// Why a file could not be extracted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    /// Password protection or encryption; the message says which scheme.
    #[error(
        "the {kind} is encrypted or password-protected ({detail}); it is catalogued but its text cannot be read without the password"
    )]
    Encrypted {
        /// The type the file was detected as.
        kind: FileKind,
        /// What is protected and how, e.g. `zip member word/document.xml is encrypted`.
        detail: String,
    },
    /// The bytes are not a valid file of the detected type.
    #[error("the {kind} is damaged or truncated: {detail}")]
    Corrupt {
        /// The type the file was detected as, which its bytes failed to parse as.
        kind: FileKind,
        /// The parser's own complaint, for the operator rather than for matching on.
        detail: String,
    },
}

impl ExtractError {
    pub(crate) fn corrupt(kind: FileKind, detail: impl ToString) -> Self {
        ExtractError::Corrupt {
            kind,
            detail: detail.to_string(),
        }
    }

    pub(crate) fn encrypted(kind: FileKind, detail: impl ToString) -> Self {
        ExtractError::Encrypted {
            kind,
            detail: detail.to_string(),
        }
    }
}

/// Extracts text and metadata from `bytes`, already detected as `kind`.
///
/// Returns `Ok(None)` for kinds trove has no extractor for (archives are
/// unpacked by the caller; unknown binaries): they are catalogued with
/// their hash and type only.
pub fn extract(
    kind: FileKind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Option<Extracted>, ExtractError> {
    use FileKind::*;
    // UTF-32 text is read as the UTF-8 it is turned into (see `text::utf32`).
    let transcoded = matches!(kind, Csv | Html | Text | Eml)
        .then(|| text::utf32_to_utf8(bytes))
        .flatten();
    let bytes = transcoded.as_deref().unwrap_or(bytes);
    let extracted = match kind {
        Xlsx | Xlsb | Xls | Ods => spreadsheet::extract(kind, bytes, limits),
        Csv => text::extract_csv(bytes, limits),
        Dbf => dbf::extract(bytes, limits),
        Docx => ooxml::extract_docx(bytes, limits),
        Pptx => ooxml::extract_pptx(bytes, limits),
        Odt => odf::extract_odt(bytes, limits),
        Odp => odf::extract_odp(bytes, limits),
        Doc => legacy::extract_doc(bytes, limits),
        Ppt => legacy::extract_ppt(bytes, limits),
        Ole => legacy::extract_ole(bytes, limits),
        Pdf => pdf::extract(bytes, limits),
        Html => html::extract(bytes, limits),
        Text => text::extract_plain(bytes, limits),
        Eml => email::extract_eml(bytes, limits),
        Mbox => email::extract_mbox(bytes, limits),
        Jpeg | Png | Tiff | Webp | Gif => image::extract(kind, bytes, limits),
        Zip | SevenZip | Tar | Gzip | Bzip2 | Xz | Rar | Empty | Binary => return Ok(None),
    }?;
    let embedded = embedded::find(kind, bytes, limits);
    let mut extracted = extracted;
    extracted.metadata.script =
        chinese_script::judge(extracted.parts.iter().map(|p| p.text.as_str())).map(str::to_owned);
    extracted.children.extend(embedded.files);
    extracted.truncated |= embedded.dropped;
    Ok(Some(extracted))
}
