//! HTML pages: their visible text, title and description, never their markup.
//!
//! Leaked HTML is hostile and often broken (Word's "Save as web page", Excel
//! tables saved as `.xls`, truncated downloads), and trove only needs its
//! text, so a small tolerant tokenizer of our own ([`to_text`]) does the job:
//! a full HTML5 tree builder (html5ever, scraper) would add a large
//! dependency to build a tree that is thrown away at once.

mod to_text;

pub(crate) use to_text::to_text;

use encoding_rs::Encoding;
use trove_model::{Metadata, PartKind};

use crate::text::{decode_as, decode_text};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// How far into a page a `<meta charset>` declaration is looked for; the
/// HTML standard's prescan uses the same bound.
const CHARSET_PRESCAN: usize = 1024;

/// Extracts the text of an HTML page as one body part (none if the page has
/// no visible text), with its title and meta description.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let (html, encoding) = decode_html(bytes);
    let page = to_text(&html);
    let mut parts = PartsBuilder::new(limits);
    if !page.text.is_empty() {
        parts.push(PartKind::Body, 1, None, page.text);
    }
    let (parts, truncated) = parts.finish();
    Ok(Extracted {
        parts,
        metadata: Metadata {
            title: page.title,
            subject: page.description,
            encoding: Some(encoding.to_owned()),
            ..Metadata::default()
        },
        truncated,
        ..Extracted::default()
    })
}

/// Decodes a page: a byte-order mark wins, then a `<meta>` charset
/// declaration, then detection from the bytes.
fn decode_html(bytes: &[u8]) -> (String, &'static str) {
    if Encoding::for_bom(bytes).is_none()
        && let Some(encoding) = declared_charset(bytes)
    {
        return (decode_as(encoding, bytes), encoding.name());
    }
    decode_text(bytes)
}

/// The encoding named by `charset=` in the page's first bytes. A page that
/// declares UTF-16 while its declaration is readable as ASCII is lying, and
/// is read as UTF-8, as browsers do.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(CHARSET_PRESCAN)].to_ascii_lowercase();
    let at = head.windows(8).position(|w| w == b"charset=")? + 8;
    let label: Vec<u8> = head[at..]
        .iter()
        .copied()
        .skip_while(|&b| b == b'"' || b == b'\'' || b == b' ')
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .collect();
    let encoding = Encoding::for_label(&label)?;
    Some(if encoding.is_ascii_compatible() {
        encoding
    } else {
        encoding_rs::UTF_8
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_charset_decides_the_encoding() {
        let page = "<html><head><meta charset=\"gb2312\"><title>通知</title></head><body>关于加强管控的通知</body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let extracted = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(extracted.metadata.encoding.as_deref(), Some("GBK"));
        assert_eq!(extracted.metadata.title.as_deref(), Some("通知"));
        assert_eq!(extracted.parts[0].text, "关于加强管控的通知");
    }

    #[test]
    fn http_equiv_content_type_is_read_too() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"><p>\xa4\xa4\xa4\xe5";
        let extracted = extract(page, &Limits::default()).unwrap();
        assert_eq!(extracted.metadata.encoding.as_deref(), Some("Big5"));
        assert_eq!(extracted.parts[0].text, "中文");
    }

    #[test]
    fn a_page_without_visible_text_has_no_parts() {
        let extracted = extract(
            b"<html><body><pre>\n\n\n</pre></body></html>",
            &Limits::default(),
        )
        .unwrap();
        assert!(extracted.parts.is_empty());
        assert_eq!(extracted.metadata.title, None);
    }
}
