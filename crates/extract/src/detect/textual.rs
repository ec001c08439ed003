//! Telling text apart from binary data, and HTML and email from plain text.

use encoding_rs::{UTF_16BE, UTF_16LE};
use trove_model::FileKind;

use crate::text::{decode_as, is_garbage_control, sniff_encoding};

/// How much of a file is decoded to judge it: a few pages of text.
const PREFIX: usize = 16 << 10;

/// Headers that mark the start of an RFC 822 message.
const MAIL_HEADERS: [&str; 8] = [
    "from",
    "to",
    "subject",
    "date",
    "received",
    "message-id",
    "mime-version",
    "content-type",
];

/// How many known headers must open a message before it counts as email.
const MIN_MAIL_HEADERS: usize = 2;

/// The textual kind of `bytes`, or `None` if they are not text.
pub(super) fn detect(bytes: &[u8], name: &str) -> Option<FileKind> {
    let prefix = &bytes[..bytes.len().min(PREFIX)];
    let complete = prefix.len() == bytes.len();
    let (encoding, bom_len) = sniff_encoding(prefix, complete);
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    if prefix.contains(&0) && mail_with_binary_body(prefix) {
        // A message whose parts are sent as raw bytes (`binary` transfer encoding) has
        // zero bytes in its body, not in its headers.
        return Some(FileKind::Eml);
    }
    if !utf16 && prefix.contains(&0) {
        return None;
    }
    let text = decode_as(encoding, &prefix[bom_len..]);
    if !looks_like_text(&text) {
        return None;
    }
    let kind = if is_html(&text) {
        FileKind::Html
    } else if let Some(rest) = text.strip_prefix("From ") {
        // An mbox opens with a "From sender date" separator line.
        let headers = rest.split_once('\n').map_or("", |(_, headers)| headers);
        if count_mail_headers(headers) >= MIN_MAIL_HEADERS {
            FileKind::Mbox
        } else {
            FileKind::Text
        }
    } else if count_mail_headers(&text) >= MIN_MAIL_HEADERS {
        FileKind::Eml
    } else if is_table_name(name) {
        FileKind::Csv
    } else {
        FileKind::Text
    };
    Some(kind)
}

/// Whether decoded text is free of the control characters and decoding
/// errors that betray binary data (a few are forgiven: a character cut at
/// the end of the prefix, a stray form of damage).
fn looks_like_text(text: &str) -> bool {
    let (mut total, mut bad) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        bad += usize::from(c == '\u{FFFD}' || is_garbage_control(c));
    }
    bad <= 1 + total / 100
}

/// Whether text opens (after white space, an XML declaration and comments)
/// with an HTML doctype or `<html>` tag.
fn is_html(text: &str) -> bool {
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map_or("", |(_, after)| after);
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, after)| after);
        } else {
            break;
        }
        rest = rest.trim_start();
    }
    let opening = rest.get(..14).unwrap_or(rest).to_ascii_lowercase();
    opening.starts_with("<!doctype html") || opening.starts_with("<html")
}

/// Counts known mail headers in the header block that opens `text`, or 0 if
/// a line that is neither a header nor a folded continuation comes before
/// the first blank line.
fn count_mail_headers(text: &str) -> usize {
    let mut known = 0;
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((field, _)) = line.split_once(':') else {
            return 0;
        };
        let well_formed = !field.is_empty() && field.bytes().all(|b| b.is_ascii_graphic());
        if !well_formed {
            return 0;
        }
        known += usize::from(MAIL_HEADERS.iter().any(|h| field.eq_ignore_ascii_case(h)));
    }
    known
}

/// Whether `bytes` open with an ASCII header block of a mail message (zero bytes may
/// follow it, in a body part sent as raw bytes).
fn mail_with_binary_body(bytes: &[u8]) -> bool {
    let end = memchr::memmem::find(bytes, b"\n\n")
        .or_else(|| memchr::memmem::find(bytes, b"\r\n\r\n"))
        .unwrap_or(0);
    let headers = &bytes[..end];
    !headers.is_empty()
        && headers.is_ascii()
        && !headers.contains(&0)
        && count_mail_headers(&String::from_utf8_lossy(headers)) >= MIN_MAIL_HEADERS
}

fn is_table_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".csv") || lower.ends_with(".tsv")
}

#[cfg(test)]
mod tests {
    use crate::detect;
    use trove_model::FileKind;

    #[test]
    fn html_is_found_after_a_bom_white_space_and_comments() {
        assert_eq!(
            detect(b"\xEF\xBB\xBF\n  <!DOCTYPE HTML><p>x", "a.xls"),
            FileKind::Html
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?>\n<!-- saved --><HTML><body>", "a"),
            FileKind::Html
        );
        assert_eq!(detect(b"<p>a fragment</p>", "a.html"), FileKind::Text);
    }

    #[test]
    fn email_with_raw_bytes_in_its_body_is_still_email() {
        let eml = b"Content-Type: multipart/mixed; boundary=\"1\"\nMIME-Version: 1.0\n\n--1\nContent-Transfer-Encoding: binary\n\n\xFF\xFEa\0b\0\n--1--\n";
        assert_eq!(detect(eml, "x"), FileKind::Eml);
        assert_eq!(
            detect(b"MIME-Version: 1.0\0\nSubject: x\n\nbody", "x"),
            FileKind::Binary
        );
    }

    #[test]
    fn email_needs_two_known_headers_before_the_blank_line() {
        let eml = b"Received: by x\r\nFrom: a@b.cn\r\nX-Mailer: Foxmail\r\nSubject: =?GBK?B?w/u1pQ==?=\r\n\r\nbody";
        assert_eq!(detect(eml, "a.txt"), FileKind::Eml);
        assert_eq!(
            detect(b"Subject: notes\n\nFrom: me", "a.txt"),
            FileKind::Text
        );
        assert_eq!(
            detect(b"From: a\nplain line\nTo: b\n", "a.txt"),
            FileKind::Text
        );
    }

    #[test]
    fn mbox_opens_with_a_from_line_then_headers() {
        let mbox =
            b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@b.cn\nSubject: x\n\nbody\n";
        assert_eq!(detect(mbox, "inbox"), FileKind::Mbox);
        assert_eq!(
            detect(b"From here we go.\nOn and on.\n", "a"),
            FileKind::Text
        );
    }

    #[test]
    fn the_name_only_separates_csv_from_text() {
        assert_eq!(detect(b"a,b\n1,2\n", "list.CSV"), FileKind::Csv);
        assert_eq!(detect(b"a\tb\n1\t2\n", "list.tsv"), FileKind::Csv);
        assert_eq!(detect(b"a,b\n1,2\n", "list.txt"), FileKind::Text);
    }

    #[test]
    fn chinese_text_in_legacy_and_utf16_encodings_is_text() {
        let text = "重点人员名单：买买提，古丽。\n".repeat(3);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        assert_eq!(detect(&gbk, "a"), FileKind::Text);
        let utf16: Vec<u8> = "编号 1\r\n编号 2\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&utf16, "a"), FileKind::Text);
    }

    #[test]
    fn control_garbage_is_binary() {
        assert_eq!(
            detect(b"\x01\x02\x03\x04\x05abc\x06\x07\x08", "a.txt"),
            FileKind::Binary
        );
    }
}
