//! PowerPoint presentations written by hand: presentation, slide list and slides with text
//! runs (no masters or themes: enough for text extraction, not for PowerPoint's editor).

use trove_model::FileKind;

use crate::error::SynthError;
use crate::leak::Doc;
use crate::zipfile::{core_properties, xml_escape, zip_bytes};

const NS: &str = concat!(
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    "</Relationships>"
);

/// A presentation of `slides`, each a list of lines (the first is the slide title).
/// The planted texts are every line; `pages` is the slide count.
pub(crate) fn pptx(
    label: &str,
    author: &str,
    created: &str,
    slides: &[Vec<&str>],
) -> Result<Doc, SynthError> {
    let count = slides.len();
    let title = slides
        .first()
        .and_then(|s| s.first())
        .copied()
        .unwrap_or_default();

    let mut types = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>"#,
        r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    ));
    let mut ids = String::new();
    let mut rels = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    ));
    for n in 1..=count {
        types.push_str(&format!(
            r#"<Override PartName="/ppt/slides/slide{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>"#
        ));
        ids.push_str(&format!(r#"<p:sldId id="{}" r:id="rId{n}"/>"#, 255 + n));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide{n}.xml"/>"#
        ));
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    let presentation = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation {NS}><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>"#
    );
    let core = core_properties(title, author, created);
    let slide_xml: Vec<(String, String)> = slides
        .iter()
        .enumerate()
        .map(|(i, lines)| (format!("ppt/slides/slide{}.xml", i + 1), slide(lines)))
        .collect();

    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("ppt/presentation.xml", presentation.as_bytes()),
        ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
    ];
    entries.extend(
        slide_xml
            .iter()
            .map(|(name, xml)| (name.as_str(), xml.as_bytes())),
    );
    let mut doc = Doc::new(FileKind::Pptx, zip_bytes(label, &entries)?)
        .with_texts(slides.iter().flatten().copied());
    doc.pages = Some(count as u32);
    Ok(doc)
}

/// One slide: a title shape with the first line and a body shape with the rest.
fn slide(lines: &[&str]) -> String {
    let (title, body) = lines.split_first().map_or(("", &[][..]), |(t, b)| (*t, b));
    let paragraphs: String = body
        .iter()
        .map(|line| format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", xml_escape(line)))
        .collect();
    let paragraphs = if paragraphs.is_empty() {
        "<a:p/>".to_owned()
    } else {
        paragraphs
    };
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld {ns}><p:cSld><p:spTree>"#,
            r#"<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"#,
            "{title}{body}</p:spTree></p:cSld></p:sld>"
        ),
        ns = NS,
        title = shape(
            2,
            "Title 1",
            &format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", xml_escape(title))
        ),
        body = shape(3, "Content 2", &paragraphs),
    )
}

fn shape(id: u32, name: &str, paragraphs: &str) -> String {
    format!(
        concat!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="{}" name="{}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/>"#,
            "<p:txBody><a:bodyPr/><a:lstStyle/>{}</p:txBody></p:sp>"
        ),
        id, name, paragraphs
    )
}
