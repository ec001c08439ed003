//! Word documents written by hand: the four parts a reader needs, nothing more.

use trove_model::FileKind;

use crate::error::SynthError;
use crate::leak::Doc;
use crate::zipfile::{core_properties, xml_escape, zip_bytes};

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    "</Types>"
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    "</Relationships>"
);

/// A document of one paragraph per line of `lines`, the first being the title.
/// `created` is an ISO 8601 time (`2018-03-05T09:00:00Z`). The planted texts are every line.
pub(crate) fn docx(
    label: &str,
    author: &str,
    created: &str,
    lines: &[&str],
) -> Result<Doc, SynthError> {
    let title = lines.first().copied().unwrap_or_default();
    let mut body = String::new();
    for line in lines {
        body.push_str(r#"<w:p><w:r><w:t xml:space="preserve">"#);
        body.push_str(&xml_escape(line));
        body.push_str("</w:t></w:r></w:p>");
    }
    let document = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            "<w:body>{}</w:body></w:document>"
        ),
        body
    );
    let core = core_properties(title, author, created);
    let bytes = zip_bytes(
        label,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", document.as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
        ],
    )?;
    Ok(Doc::new(FileKind::Docx, bytes).with_texts(lines.iter().copied().filter(|l| !l.is_empty())))
}
