//! PDF: one part per page, and the document information dictionary.
//!
//! lopdf is pure Rust and copes with the CID fonts (UniGB-UCS2-H, ToUnicode
//! CMaps) of Chinese PDFs; pdf-extract, built on it, panics on them. lopdf is
//! still third-party code parsing hostile input, so every call into it runs
//! under `catch_unwind`, and a panic becomes [`ExtractError::Corrupt`].

mod font;
mod page_text;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Dictionary, Document, Object};
use trove_model::{FileKind, Metadata, PartKind};

use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// Decompressed size allowed for one page's content and fonts: generous for
/// real pages, small enough that a compression bomb cannot exhaust memory.
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// Extracts each page's text as a [`PartKind::Page`] part (1-based), with the
/// page count and the Info dictionary's title, author, subject, generator and
/// dates.
///
/// A PDF that needs a password is [`ExtractError::Encrypted`]; one encrypted
/// with an empty user password (common for "no printing" restrictions)
/// opens and is extracted.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    catch_unwind(AssertUnwindSafe(|| extract_document(bytes, limits))).unwrap_or_else(|_| {
        Err(ExtractError::corrupt(
            FileKind::Pdf,
            "the PDF parser failed on malformed content",
        ))
    })
}

fn extract_document(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let document = Document::load_mem(bytes).map_err(|e| load_error(&e))?;
    if document.trailer.get(b"Encrypt").is_ok() && document.encryption_state.is_none() {
        return Err(ExtractError::encrypted(
            FileKind::Pdf,
            "the PDF needs a password to open",
        ));
    }
    let pages = document.get_pages();
    let mut parts = PartsBuilder::new(limits);
    for (&number, &page_id) in &pages {
        if parts.is_full() {
            break;
        }
        let text = page_text::page_text(&document, page_id, MAX_PAGE_CONTENT);
        parts.push(PartKind::Page, number, None, text);
    }
    let (parts, truncated) = parts.finish();
    let mut metadata = info_metadata(&document);
    metadata.page_count = u32::try_from(pages.len()).ok();
    Ok(Extracted {
        parts,
        metadata,
        truncated,
        ..Extracted::default()
    })
}

fn load_error(error: &lopdf::Error) -> ExtractError {
    match error {
        lopdf::Error::Decryption(e) => ExtractError::encrypted(FileKind::Pdf, e),
        lopdf::Error::InvalidPassword => {
            ExtractError::encrypted(FileKind::Pdf, "the password is wrong")
        }
        lopdf::Error::UnsupportedSecurityHandler(handler) => ExtractError::encrypted(
            FileKind::Pdf,
            format!("security handler {}", String::from_utf8_lossy(handler)),
        ),
        other => ExtractError::corrupt(FileKind::Pdf, other),
    }
}

/// The document information dictionary's fields, where present.
fn info_metadata(document: &Document) -> Metadata {
    let Some(info) = info_dictionary(document) else {
        return Metadata::default();
    };
    let text = |key: &[u8]| {
        let object = info.get(key).ok()?;
        let object = match object {
            Object::Reference(id) => document.get_object(*id).ok()?,
            direct => direct,
        };
        let value = decode_text_string(object)?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    };
    Metadata {
        title: text(b"Title"),
        author: text(b"Author"),
        subject: text(b"Subject"),
        generator: text(b"Producer").or_else(|| text(b"Creator")),
        created: text(b"CreationDate").map(|d| pdf_date_to_iso(&d)),
        modified: text(b"ModDate").map(|d| pdf_date_to_iso(&d)),
        ..Metadata::default()
    }
}

fn info_dictionary(document: &Document) -> Option<&Dictionary> {
    match document.trailer.get(b"Info").ok()? {
        Object::Reference(id) => document.get_dictionary(*id).ok(),
        Object::Dictionary(dictionary) => Some(dictionary),
        _ => None,
    }
}

/// A PDF text string: UTF-16 with a byte-order mark, else PDFDocEncoding as
/// lopdf reads it; bytes neither can read (some Chinese writers put raw GBK
/// here) are decoded by detection.
fn decode_text_string(object: &Object) -> Option<String> {
    lopdf::decode_text_string(object).ok().or_else(|| {
        object
            .as_str()
            .ok()
            .map(|bytes| crate::text::decode_text(bytes).0)
    })
}

/// Converts a PDF date (`D:20140206153000+01'00'`) to ISO 8601
/// (`2014-02-06T15:30:00`), keeping as much as is written; a string that is
/// not a PDF date is returned unchanged.
fn pdf_date_to_iso(date: &str) -> String {
    let digits_part = date.strip_prefix("D:").unwrap_or(date);
    let digits: String = digits_part
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() < 4 {
        return date.to_owned();
    }
    let field = |range: std::ops::Range<usize>| digits.get(range);
    let mut iso = digits[..4].to_owned();
    for (range, separator) in [
        (4..6, '-'),
        (6..8, '-'),
        (8..10, 'T'),
        (10..12, ':'),
        (12..14, ':'),
    ] {
        match field(range) {
            Some(value) => {
                iso.push(separator);
                iso.push_str(value);
            }
            None => break,
        }
    }
    if digits.len() == 10 {
        // An hour without minutes is not valid ISO 8601.
        iso.push_str(":00");
    }
    iso
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_iso_dates() {
        assert_eq!(
            pdf_date_to_iso("D:20140206153000+01'00'"),
            "2014-02-06T15:30:00"
        );
        assert_eq!(pdf_date_to_iso("D:20170505"), "2017-05-05");
        assert_eq!(pdf_date_to_iso("D:2017"), "2017");
        assert_eq!(pdf_date_to_iso("2017050512"), "2017-05-05T12:00");
        assert_eq!(pdf_date_to_iso("yesterday"), "yesterday");
    }

    #[test]
    fn a_bare_header_is_corrupt_not_a_panic() {
        let result = extract(b"%PDF-", &Limits::default());
        assert!(
            matches!(result, Err(ExtractError::Corrupt { .. })),
            "{result:?}"
        );
    }
}
