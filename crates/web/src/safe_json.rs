//! JSON answers that stay inert even if a browser mistakes them for HTML.
//!
//! API answers carry leaked text (snippets, file names, cells). The content
//! type and `nosniff` already tell browsers what they are; as a second wall,
//! `<`, `>` and `&` are written as `\u003c`, `\u003e` and `\u0026`, so no
//! answer ever holds a tag. JSON allows those escapes, and outside strings
//! it has no such characters, so the data reads back the same.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A value answered as JSON with markup characters escaped.
pub struct SafeJson<T>(pub T);

impl<T: Serialize> IntoResponse for SafeJson<T> {
    fn into_response(self) -> Response {
        match serde_json::to_string(&self.0) {
            Ok(json) => (
                [(header::CONTENT_TYPE, "application/json")],
                escape_markup(&json),
            )
                .into_response(),
            Err(error) => {
                eprintln!("error: an API answer could not be written as JSON: {error}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"error":"the answer could not be written as JSON; it has been logged"}"#,
                )
                    .into_response()
            }
        }
    }
}

/// `json` with every `<`, `>` and `&` as a `\u` escape.
pub fn escape_markup(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_reads_back_the_same() {
        let value =
            serde_json::json!({"text": "<script>alert(1)</script> & <img src=x onerror=alert(1)>"});
        let escaped = escape_markup(&value.to_string());
        assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }
}
