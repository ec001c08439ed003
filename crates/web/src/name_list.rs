//! The list of names a batch search is given: typed into the form, uploaded as a text
//! file (one name a line), or both. Uploaded lists come from other people's computers:
//! UTF-8 with or without a byte-order mark, UTF-16 with one, or GB 18030 (Chinese
//! Windows) are read; anything else is refused with a clear message.

use axum::Form;
use axum::extract::{FromRequest, Multipart, Request};
use encoding_rs::{Encoding, GB18030};
use serde::Deserialize;

use crate::csrf::is_multipart;
use crate::error::WebError;
use crate::i18n::Phrase;

/// The form field of typed names.
const TYPED_FIELD: &str = "names";
/// The form field of an uploaded list.
const FILE_FIELD: &str = "list";

/// The typed-only form (URL-encoded), as scripts and older pages send it.
#[derive(Debug, Deserialize)]
struct TypedNames {
    #[serde(default)]
    names: String,
}

/// The names of the request's form, typed and uploaded, one a line.
pub async fn names_of_request(request: Request) -> Result<String, WebError> {
    if !is_multipart(request.headers()) {
        let Form(form) = Form::<TypedNames>::from_request(request, &())
            .await
            .map_err(|error| WebError::BadRequest(error.body_text()))?;
        return Ok(form.names);
    }
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|error| WebError::BadRequest(error.body_text()))?;
    let mut names = String::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != TYPED_FIELD && name != FILE_FIELD {
            continue;
        }
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(bad_upload)?;
        let text = if name == FILE_FIELD {
            decode_list(&bytes, file_name.as_deref().unwrap_or("the uploaded list"))?
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        names.push_str(&text);
        names.push('\n');
    }
    Ok(names)
}

fn bad_upload(error: axum::extract::multipart::MultipartError) -> WebError {
    WebError::Refused(Phrase::new("error.form_unreadable").arg("error", error.body_text()))
}

/// The text of an uploaded list, whatever of the usual encodings it was saved in.
pub fn decode_list(bytes: &[u8], file_name: &str) -> Result<String, WebError> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        if !had_errors {
            return Ok(text.into_owned());
        }
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    } else {
        let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(text.into_owned());
        }
    }
    Err(WebError::Refused(
        Phrase::new("error.list_encoding").arg("file", file_name),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Result<String, WebError> {
        decode_list(bytes, "names.txt")
    }

    #[test]
    fn lists_in_the_usual_encodings_are_read() {
        let names = "热依拉·奥迈尔\nRahile Omer\n";
        assert_eq!(decoded(names.as_bytes()).unwrap(), names);
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], names.as_bytes()].concat();
        assert_eq!(decoded(&with_bom).unwrap(), names);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(names.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decoded(&utf16).unwrap(), names);
        let (gbk, _, _) = GB18030.encode(names);
        assert_eq!(decoded(&gbk).unwrap(), names);
    }

    #[test]
    fn a_binary_file_is_refused_with_what_to_do() {
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFF, 0x00, 0x80,
        ];
        let error = decoded(&png).unwrap_err().to_string();
        assert!(error.contains("save the list as plain text"), "{error}");
    }
}
