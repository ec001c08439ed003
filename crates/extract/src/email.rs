//! Email: single messages (RFC 822 / MIME) and mailboxes (mbox).
//!
//! A message becomes one [`PartKind::Message`] part: the headers a reader
//! needs, then the body text. Attachments, attached messages included, are
//! returned as embedded files for the pipeline to ingest as children. A
//! mailbox is only a container: each message becomes a child `.eml`.
//!
//! mail-parser asserts on some malformed nesting (found by fuzzing), so it runs under
//! `catch_unwind`, and a panic becomes [`ExtractError::Corrupt`].

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mail_parser::{Address, Message, MessageParser, MimeHeaders, PartType};
use trove_model::{FileKind, Metadata, PartKind};

use crate::embedded::{Found, safe_name};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// Extracts one message: headers and body text, metadata, attachments.
pub(crate) fn extract_eml(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    guarded(FileKind::Eml, || read_eml(bytes, limits))
}

/// Splits a mailbox into its messages, each an embedded `message-N.eml`; the
/// mailbox's own text is the list of their subjects.
pub(crate) fn extract_mbox(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    guarded(FileKind::Mbox, || read_mbox(bytes, limits))
}

/// `read`, with a panic of the parser turned into a corrupt file.
fn guarded(
    kind: FileKind,
    read: impl FnOnce() -> Result<Extracted, ExtractError>,
) -> Result<Extracted, ExtractError> {
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(ExtractError::corrupt(
            kind,
            "the mail parser failed on malformed MIME structure",
        ))
    })
}

fn read_eml(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|message| !message.headers().is_empty())
        .ok_or_else(|| ExtractError::corrupt(FileKind::Eml, "no message headers could be read"))?;
    let metadata = message_metadata(&message);
    let mut text = header_block(&metadata, message.header_raw("Date").map(str::trim));
    text.push_str(&body_text(&message));
    let mut parts = PartsBuilder::new(limits);
    parts.push(PartKind::Message, 1, None, text);
    let (parts, text_truncated) = parts.finish();
    let children = attachments(&message, limits);
    Ok(Extracted {
        parts,
        metadata,
        children: children.files,
        truncated: text_truncated || children.dropped,
        ..Extracted::default()
    })
}

fn read_mbox(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut children = Found::new();
    let mut subjects = String::new();
    let mut count = 0u32;
    for message in mail_parser::mailbox::mbox::MessageIterator::new(bytes) {
        let Ok(message) = message else {
            break;
        };
        count += 1;
        let contents = message.contents();
        let kept = children.files.len();
        children.add(limits, format!("message-{count}.eml"), contents);
        if children.files.len() == kept {
            continue;
        }
        let subject = MessageParser::default()
            .parse_headers(contents)
            .and_then(|m| m.subject().map(str::to_owned))
            .unwrap_or_default();
        subjects.push_str(&format!("{count}. {subject}\n"));
    }
    if count == 0 {
        return Err(ExtractError::corrupt(FileKind::Mbox, "no messages found"));
    }
    let mut parts = PartsBuilder::new(limits);
    parts.push(PartKind::Body, 1, None, subjects);
    let (parts, truncated) = parts.finish();
    Ok(Extracted {
        parts,
        metadata: Metadata {
            page_count: Some(count),
            ..Metadata::default()
        },
        children: children.files,
        truncated: truncated || children.dropped,
        ..Extracted::default()
    })
}

fn message_metadata(message: &Message<'_>) -> Metadata {
    let non_empty = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    Metadata {
        title: message.subject().and_then(non_empty),
        from: message.from().and_then(|a| addresses(a).into_iter().next()),
        to: message.to().map(addresses).unwrap_or_default(),
        cc: message.cc().map(addresses).unwrap_or_default(),
        message_id: message.message_id().and_then(non_empty),
        created: message.date().map(|d| d.to_rfc3339()),
        ..Metadata::default()
    }
}

/// Every mailbox of a header (groups flattened), as `Name <address>`.
fn addresses(address: &Address<'_>) -> Vec<String> {
    address
        .iter()
        .filter_map(|addr| {
            let name = addr
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty());
            let email = addr
                .address
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty());
            match (name, email) {
                (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
                (None, Some(email)) => Some(email.to_owned()),
                (Some(name), None) => Some(name.to_owned()),
                (None, None) => None,
            }
        })
        .collect()
}

/// The headers a reader needs, one a line, then a blank line.
fn header_block(metadata: &Metadata, date: Option<&str>) -> String {
    let mut block = String::new();
    let mut line = |name: &str, value: &str| {
        if !value.is_empty() {
            block.push_str(&format!("{name}: {value}\n"));
        }
    };
    line("From", metadata.from.as_deref().unwrap_or_default());
    line("To", &metadata.to.join(", "));
    line("Cc", &metadata.cc.join(", "));
    line("Subject", metadata.title.as_deref().unwrap_or_default());
    line("Date", date.unwrap_or_default());
    block.push('\n');
    block
}

/// The message's readable body parts in order: plain text as written, HTML
/// (where no plain alternative exists) rendered as text.
fn body_text(message: &Message<'_>) -> String {
    let texts: Vec<Cow<'_, str>> = message
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some(Cow::Borrowed(text.as_ref())),
            PartType::Html(html) => Some(Cow::Owned(crate::html::to_text(html).text)),
            _ => None,
        })
        .filter(|text| !text.trim().is_empty())
        .collect();
    texts.join("\n\n")
}

/// Attachments as embedded files, decoded, within the limits.
fn attachments(message: &Message<'_>, limits: &Limits) -> Found {
    let mut children = Found::new();
    for (i, part) in message.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(safe_name)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| {
                format!(
                    "attachment-{}.{}",
                    i + 1,
                    extension_for(part.content_type())
                )
            });
        children.add(limits, name, part.contents());
    }
    children
}

fn extension_for(content_type: Option<&mail_parser::ContentType<'_>>) -> &'static str {
    let Some(content_type) = content_type else {
        return "bin";
    };
    let subtype = content_type
        .subtype()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match (
        content_type.ctype().to_ascii_lowercase().as_str(),
        subtype.as_str(),
    ) {
        ("message", _) => "eml",
        ("text", "html") => "html",
        ("text", _) => "txt",
        ("image", "jpeg") => "jpg",
        ("image", "png") => "png",
        ("image", "gif") => "gif",
        ("application", "pdf") => "pdf",
        ("application", "zip") => "zip",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Embedded;

    #[test]
    fn a_message_nested_without_a_body_is_read_or_refused_without_a_panic() {
        // Found by fuzzing: mail-parser asserts (in builds with debug assertions) on an
        // attached message that is itself only a message/rfc822 header.
        let nested = "Subject: nested\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
\r\n\
--b1--\r\n";
        let _ = extract_eml(nested.as_bytes(), &Limits::default());
        let _ = extract_mbox(format!("From x\n{nested}").as_bytes(), &Limits::default());
    }

    const ATTACHED: &str = "From: =?UTF-8?B?5Y+k5Li9?= <guli@example.cn>\r\n\
To: officer@example.cn, =?GBK?B?wvLC8szh?= <maimaiti@example.cn>\r\n\
Subject: =?UTF-8?B?5YWz5LqO5Yqg5by6566h5o6n55qE6YCa55+l?=\r\n\
Date: Thu, 1 Mar 2018 09:15:00 +0800\r\n\
Message-ID: <abc@example.cn>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"XX\"\r\n\
\r\n\
--XX\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
请查收名单。\r\n\
--XX\r\n\
Content-Type: application/vnd.ms-excel\r\n\
Content-Disposition: attachment; filename=\"../list.xls\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
0M8R4A==\r\n\
--XX--\r\n";

    #[test]
    fn a_message_gives_headers_body_metadata_and_attachments() {
        let extracted = extract_eml(ATTACHED.as_bytes(), &Limits::default()).unwrap();
        let meta = &extracted.metadata;
        assert_eq!(meta.title.as_deref(), Some("关于加强管控的通知"));
        assert_eq!(meta.from.as_deref(), Some("古丽 <guli@example.cn>"));
        assert_eq!(
            meta.to,
            ["officer@example.cn", "买买提 <maimaiti@example.cn>"]
        );
        assert_eq!(meta.message_id.as_deref(), Some("abc@example.cn"));
        assert_eq!(meta.created.as_deref(), Some("2018-03-01T09:15:00+08:00"));
        assert_eq!(extracted.parts.len(), 1);
        assert_eq!(extracted.parts[0].kind, PartKind::Message);
        let text = &extracted.parts[0].text;
        assert!(text.starts_with("From: 古丽 <guli@example.cn>\nTo: officer@example.cn, 买买提 <maimaiti@example.cn>\nSubject: 关于加强管控的通知\nDate: "), "{text}");
        assert!(text.ends_with("\n\n请查收名单。"), "{text:?}");
        assert_eq!(
            extracted.children,
            [Embedded {
                name: "list.xls".into(),
                bytes: vec![0xD0, 0xCF, 0x11, 0xE0]
            }]
        );
    }

    #[test]
    fn attachments_beyond_the_limits_are_dropped_and_flagged() {
        let limits = Limits {
            max_child_bytes: 3,
            ..Limits::default()
        };
        let extracted = extract_eml(ATTACHED.as_bytes(), &limits).unwrap();
        assert!(extracted.children.is_empty());
        assert!(extracted.truncated);
    }

    #[test]
    fn html_only_messages_are_rendered_as_text() {
        let eml = "From: a@b.cn\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n<p>名单 <b>已</b>更新</p><script>x()</script>";
        let extracted = extract_eml(eml.as_bytes(), &Limits::default()).unwrap();
        assert!(
            extracted.parts[0].text.ends_with("\n\n名单 已更新"),
            "{:?}",
            extracted.parts[0].text
        );
    }

    #[test]
    fn a_mailbox_is_split_into_numbered_messages() {
        let mbox = b"From a@b.cn Thu Mar  1 09:15:00 2018\nFrom: a@b.cn\nSubject: one\n\nfirst\n\nFrom c@d.cn Thu Mar  1 10:00:00 2018\nFrom: c@d.cn\nSubject: two\n\nsecond\n";
        let extracted = extract_mbox(mbox, &Limits::default()).unwrap();
        assert_eq!(extracted.metadata.page_count, Some(2));
        let names: Vec<&str> = extracted.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["message-1.eml", "message-2.eml"]);
        assert!(extracted.children[1].bytes.starts_with(b"From: c@d.cn\n"));
        assert_eq!(extracted.parts[0].text, "1. one\n2. two\n");
    }
}
