//! Word documents (.docx): the body, then headers, footers, footnotes,
//! endnotes and comments, as one body part.

use trove_model::{FileKind, PartKind};

use super::properties::{self, PageCounter};
use super::{main_part, missing, relationships_of};
use crate::assemble::extracted;
use crate::xml_text::{Vocabulary, walk};
use crate::zip_package::{Package, malformed};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// WordprocessingML: text in `w:t`, paragraphs `w:p`. Paragraph and run
/// properties are skipped because their tab stops are `w:tab` elements too;
/// `mc:Fallback` because it repeats the text boxes of `mc:Choice`.
const WORD: Vocabulary = Vocabulary {
    text: &["t"],
    paragraph: &["p"],
    tab: &["tab", "ptab"],
    line_break: &["br", "cr"],
    spaces: None,
    skip: &["pPr", "rPr", "Fallback"],
    section: None,
    collapse_whitespace: false,
};

/// Parts that follow the body, by relationship type, in this order.
const SECONDARY: &[&str] = &["header", "footer", "footnotes", "endnotes", "comments"];

/// Extracts a .docx.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let kind = FileKind::Docx;
    let mut package = Package::open(kind, bytes, limits)?;
    let main = main_part(&mut package, "word/document.xml")?;
    let xml = package
        .read_xml(&main)?
        .ok_or_else(|| missing(kind, &main))?;
    let max = limits.max_text_bytes;
    let mut text = walk(&xml, &WORD, max)
        .map_err(|e| malformed(kind, &main, e))?
        .text;

    let rels = relationships_of(&mut package, &main)?;
    let mut seen: Vec<&str> = Vec::new();
    for wanted in SECONDARY {
        for rel in rels.iter().filter(|r| r.kind == *wanted) {
            if text.len() > max || seen.contains(&rel.target.as_str()) {
                continue;
            }
            seen.push(&rel.target);
            let Some(xml) = package.read_xml(&rel.target)? else {
                continue;
            };
            // A damaged header must not cost the body its text: such a
            // part is left out, and the body stands on its own.
            let Ok(walked) = walk(&xml, &WORD, max) else {
                continue;
            };
            if !walked.text.trim().is_empty() {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&walked.text);
            }
        }
    }

    let mut builder = PartsBuilder::new(limits);
    builder.push(PartKind::Body, 1, None, text);
    let metadata = properties::read(&mut package, PageCounter::Pages)?;
    Ok(extracted(builder, metadata))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip_package::zip_of;

    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
    </Relationships>"#;

    const DOC_RELS: &str = r#"<Relationships>
        <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
        <Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
    </Relationships>"#;

    const BODY: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>教育转化培训中心</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">学员 </w:t></w:r><w:r><w:tab/><w:t>名单</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>阿依古丽</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p/>
</w:body></w:document>"#;

    const HEADER: &str = r#"<w:hdr xmlns:w="w"><w:p><w:r><w:t>内部资料</w:t></w:r></w:p></w:hdr>"#;
    const FOOTNOTES: &str = r#"<w:footnotes xmlns:w="w"><w:footnote><w:p><w:r><w:t>注释</w:t></w:r></w:p></w:footnote></w:footnotes>"#;

    const CORE: &str = r#"<cp:coreProperties xmlns:cp="cp" xmlns:dc="dc" xmlns:dcterms="dcterms">
        <dc:title>培训</dc:title><dc:creator>张三</dc:creator><cp:lastModifiedBy>李四</cp:lastModifiedBy>
        <dcterms:created>2017-03-01T09:00:00Z</dcterms:created></cp:coreProperties>"#;
    const APP: &str = r#"<Properties><Application>Microsoft Office Word</Application><Pages>2</Pages><AppVersion>16.0000</AppVersion></Properties>"#;

    fn docx() -> Vec<u8> {
        zip_of(&[
            ("_rels/.rels", RELS),
            ("word/document.xml", BODY),
            ("word/_rels/document.xml.rels", DOC_RELS),
            ("word/header1.xml", HEADER),
            ("word/footnotes.xml", FOOTNOTES),
            ("docProps/core.xml", CORE),
            ("docProps/app.xml", APP),
        ])
    }

    #[test]
    fn body_then_header_then_footnotes_in_one_part() {
        let extracted = extract(&docx(), &Limits::default()).unwrap();
        assert_eq!(extracted.parts.len(), 1);
        let part = &extracted.parts[0];
        assert_eq!(part.kind, PartKind::Body);
        assert_eq!(
            part.text,
            "教育转化培训中心\n学员 \t名单\n第二行\n姓名\n阿依古丽\n内部资料\n注释"
        );
    }

    #[test]
    fn metadata_comes_from_core_and_app_properties() {
        let meta = extract(&docx(), &Limits::default()).unwrap().metadata;
        assert_eq!(meta.title.as_deref(), Some("培训"));
        assert_eq!(meta.author.as_deref(), Some("张三"));
        assert_eq!(meta.last_editor.as_deref(), Some("李四"));
        assert_eq!(meta.created.as_deref(), Some("2017-03-01T09:00:00Z"));
        assert_eq!(
            meta.generator.as_deref(),
            Some("Microsoft Office Word 16.0000"),
            "the version says which Office"
        );
        assert_eq!(meta.page_count, Some(2));
    }

    #[test]
    fn malformed_body_is_corrupt_with_its_position() {
        let bytes = zip_of(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
        let err = extract(&bytes, &Limits::default()).unwrap_err();
        let ExtractError::Corrupt { detail, .. } = err else {
            panic!("expected corrupt, got {err:?}");
        };
        assert!(
            detail.starts_with("word/document.xml is not well-formed XML at byte"),
            "{detail}"
        );
    }

    #[test]
    fn not_a_zip_is_corrupt_and_missing_body_is_named() {
        assert!(matches!(
            extract(b"PK\x03\x04 truncated", &Limits::default()),
            Err(ExtractError::Corrupt { .. })
        ));
        let err = extract(&zip_of(&[("a.txt", "x")]), &Limits::default()).unwrap_err();
        assert_eq!(
            err,
            ExtractError::corrupt(FileKind::Docx, "the package has no word/document.xml")
        );
    }

    #[test]
    fn text_beyond_the_budget_is_cut_and_flagged() {
        let limits = Limits {
            max_text_bytes: 12,
            ..Limits::default()
        };
        let extracted = extract(&docx(), &limits).unwrap();
        assert!(extracted.truncated);
        assert_eq!(extracted.parts[0].text, "教育转化");
    }
}
