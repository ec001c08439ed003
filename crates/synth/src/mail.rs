//! Emails (.eml): multipart/mixed with an RFC 2047-encoded Chinese subject, a text/plain
//! body and one attachment, whose document is recorded as the email's member.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use trove_model::FileKind;

use crate::leak::Doc;

/// What an email says and carries.
pub(crate) struct Email<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// RFC 5322 date (`Mon, 05 Mar 2018 10:12:00 +0800`).
    pub date: &'a str,
    pub message_id: &'a str,
    pub subject: &'a str,
    pub body: &'a [&'a str],
    pub attachment_name: &'a str,
    pub attachment: Doc,
}

const BOUNDARY: &str = "----=_trove_boundary_2018";

/// The message bytes; planted texts are the subject and the body lines.
pub(crate) fn eml(email: Email<'_>) -> Doc {
    let mime_type = email.attachment.kind.mime();
    let name = encoded_word(email.attachment_name);
    let message = format!(
        concat!(
            "From: {from}\r\nTo: {to}\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n",
            "Subject: {subject}\r\nMIME-Version: 1.0\r\n",
            "Content-Type: multipart/mixed; boundary=\"{b}\"\r\n\r\n",
            "This is a multi-part message in MIME format.\r\n\r\n",
            "--{b}\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n",
            "Content-Transfer-Encoding: base64\r\n\r\n{body}",
            "--{b}\r\nContent-Type: {mime}; name=\"{name}\"\r\n",
            "Content-Transfer-Encoding: base64\r\n",
            "Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{attachment}",
            "--{b}--\r\n"
        ),
        from = email.from,
        to = email.to,
        date = email.date,
        id = email.message_id,
        subject = encoded_word(email.subject),
        b = BOUNDARY,
        body = wrapped_base64(email.body.join("\r\n").as_bytes()),
        mime = mime_type,
        name = name,
        attachment = wrapped_base64(&email.attachment.bytes),
    );
    let mut doc = Doc::new(FileKind::Eml, message.into_bytes())
        .with_texts(std::iter::once(email.subject).chain(email.body.iter().copied()));
    doc.members
        .push((email.attachment_name.to_owned(), email.attachment));
    doc
}

/// An RFC 2047 encoded word (`=?UTF-8?B?…?=`).
fn encoded_word(text: &str) -> String {
    format!("=?UTF-8?B?{}?=", STANDARD.encode(text))
}

/// Base64 in lines of 76 characters, each ending in CRLF.
fn wrapped_base64(bytes: &[u8]) -> String {
    let encoded = STANDARD.encode(bytes);
    let mut out = String::with_capacity(encoded.len() + encoded.len() / 38);
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_an_encoded_word_and_attachment_a_member() {
        let doc = eml(Email {
            from: "a@example.org",
            to: "b@example.org",
            date: "Mon, 05 Mar 2018 10:12:00 +0800",
            message_id: "1@example.org",
            subject: "通知",
            body: &["正文"],
            attachment_name: "名单.csv",
            attachment: Doc::new(FileKind::Csv, b"a,b\r\n".to_vec()),
        });
        let text = String::from_utf8(doc.bytes).unwrap();
        assert!(text.contains("Subject: =?UTF-8?B?6YCa55+l?=\r\n"));
        assert!(text.contains("YSxiDQo=\r\n"));
        assert_eq!(doc.members[0].0, "名单.csv");
        assert_eq!(doc.texts, ["通知", "正文"]);
    }
}
