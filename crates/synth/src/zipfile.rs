//! Zip containers with fixed entry times, for archives and for Office Open XML packages.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::SynthError;

/// The time stamped on every zip entry, so that output never depends on the clock: after
/// every date the demo's documents and photos carry, as a real backup made when the
/// leak's files were gathered would be (the authenticity report holds members' own
/// dates against it).
fn entry_time() -> DateTime {
    DateTime::from_date_and_time(2019, 2, 20, 10, 30, 0).unwrap_or_default()
}

/// A deflated zip of `entries` (name inside, bytes), in order. `label` names the document
/// in errors.
pub(crate) fn zip_bytes(label: &str, entries: &[(&str, &[u8])]) -> Result<Vec<u8>, SynthError> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(entry_time())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        writer
            .start_file(*name, options)
            .map_err(|e| SynthError::encode(label, e))?;
        writer
            .write_all(bytes)
            .map_err(|e| SynthError::encode(label, e))?;
    }
    let cursor = writer.finish().map_err(|e| SynthError::encode(label, e))?;
    Ok(cursor.into_inner())
}

/// `text` with the five XML special characters escaped.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `docProps/core.xml` of an Office Open XML package.
pub(crate) fn core_properties(title: &str, creator: &str, created: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{}</dc:title><dc:creator>{}</dc:creator>",
            "<dc:description>trove synthetic demo data</dc:description>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created>"#,
            "</cp:coreProperties>"
        ),
        xml_escape(title),
        xml_escape(creator),
        created
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(xml_escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn same_entries_give_same_bytes() {
        let a = zip_bytes("a.zip", &[("x.txt", b"hello")]).unwrap();
        let b = zip_bytes("a.zip", &[("x.txt", b"hello")]).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..4], b"PK\x03\x04");
    }
}
