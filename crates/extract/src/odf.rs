//! OpenDocument text and presentations (.odt, .odp): `content.xml` for the
//! text, `meta.xml` for the metadata, `META-INF/manifest.xml` to tell an
//! encrypted package from a damaged one.
//!
//! Spreadsheets (.ods) are read by [`crate::spreadsheet`] through calamine.

use trove_model::{FileKind, Metadata, PartKind};

use crate::assemble::extracted;
use crate::xml_text::{Vocabulary, name_values, walk};
use crate::zip_package::{Package, malformed};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

const CONTENT: &str = "content.xml";
const META: &str = "meta.xml";
const MANIFEST: &str = "META-INF/manifest.xml";

/// OpenDocument text: characters directly inside `text:p` / `text:h`,
/// white space collapsed as the standard says, `text:s` for extra spaces.
/// Tracked deletions and footnote numbers are not the text as it reads.
const TEXT: Vocabulary = Vocabulary {
    text: &["p", "h"],
    paragraph: &["p", "h"],
    tab: &["tab"],
    line_break: &["line-break"],
    spaces: Some(("s", "c")),
    skip: &["tracked-changes", "note-citation"],
    section: None,
    collapse_whitespace: true,
};

/// A presentation is the same text, one section per `draw:page`.
const SLIDES: Vocabulary = Vocabulary {
    section: Some("page"),
    ..TEXT
};

/// Extracts an .odt as one body part.
pub(crate) fn extract_odt(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let kind = FileKind::Odt;
    let (mut package, content) = open(kind, bytes, limits)?;
    let walked =
        walk(&content, &TEXT, limits.max_text_bytes).map_err(|e| malformed(kind, CONTENT, e))?;
    let mut builder = PartsBuilder::new(limits);
    builder.push(PartKind::Body, 1, None, walked.text);
    let metadata = metadata(&mut package)?;
    Ok(extracted(builder, metadata))
}

/// Extracts an .odp as one slide part per page, notes included.
pub(crate) fn extract_odp(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let kind = FileKind::Odp;
    let (mut package, content) = open(kind, bytes, limits)?;
    let walked =
        walk(&content, &SLIDES, limits.max_text_bytes).map_err(|e| malformed(kind, CONTENT, e))?;
    let mut builder = PartsBuilder::new(limits);
    let count = u32::try_from(walked.sections.len()).ok();
    for (index, text) in (1..).zip(walked.sections) {
        if builder.is_full() {
            break;
        }
        builder.push(PartKind::Slide, index, None, text);
    }
    let mut metadata = metadata(&mut package)?;
    metadata.page_count = count;
    Ok(extracted(builder, metadata))
}

/// Opens the package, refuses an encrypted one, and reads `content.xml`.
fn open<'a>(
    kind: FileKind,
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<(Package<'a>, String), ExtractError> {
    let mut package = Package::open(kind, bytes, limits)?;
    if let Some(manifest) = package.read(MANIFEST)?
        && contains(&manifest, b"encryption-data")
    {
        return Err(ExtractError::encrypted(
            kind,
            "the package manifest lists encryption data for its parts",
        ));
    }
    let content = package
        .read_xml(CONTENT)?
        .ok_or_else(|| ExtractError::corrupt(kind, "the package has no content.xml"))?;
    Ok((package, content))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads `meta.xml`. `dc:creator` there is whoever saved last, so the
/// author is `meta:initial-creator`. A malformed meta.xml is skipped: it
/// must not cost the document its text.
fn metadata(package: &mut Package<'_>) -> Result<Metadata, ExtractError> {
    let mut meta = Metadata::default();
    let Some(xml) = package.read_xml(META)? else {
        return Ok(meta);
    };
    for (name, value) in name_values(&xml).unwrap_or_default() {
        let slot = match name.as_str() {
            "title" => &mut meta.title,
            "subject" => &mut meta.subject,
            "initial-creator" => &mut meta.author,
            // In ODF, dc:creator is whoever saved the document last.
            "creator" => &mut meta.last_editor,
            "creation-date" => &mut meta.created,
            "date" => &mut meta.modified,
            "generator" => &mut meta.generator,
            "language" => &mut meta.language,
            "page-count" => {
                meta.page_count = meta.page_count.or(value.parse().ok());
                continue;
            }
            _ => continue,
        };
        slot.get_or_insert(value);
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip_package::zip_of;

    const ODT: &str = r#"<office:document-content xmlns:office="o" xmlns:text="t">
  <office:body><office:text>
    <text:h text:outline-level="1">教育转化培训中心</text:h>
    <text:p>学员<text:s text:c="2"/>名单<text:tab/>第一期<text:line-break/>第二行</text:p>
    <text:p>  多余   空格 <text:span>保留</text:span></text:p>
  </office:text></office:body>
</office:document-content>"#;

    const META_XML: &str = r#"<office:document-meta xmlns:office="o" xmlns:meta="m" xmlns:dc="dc"><office:meta>
        <meta:generator>LibreOffice/7.0</meta:generator><dc:title>讲话稿</dc:title>
        <meta:initial-creator>王五</meta:initial-creator><dc:creator>赵六</dc:creator>
        <meta:creation-date>2017-04-01T10:00:00</meta:creation-date>
        <meta:document-statistic meta:page-count="1"/></office:meta></office:document-meta>"#;

    #[test]
    fn odt_paragraphs_spaces_tabs_and_breaks() {
        let bytes = zip_of(&[("content.xml", ODT), ("meta.xml", META_XML)]);
        let extracted = extract_odt(&bytes, &Limits::default()).unwrap();
        assert_eq!(extracted.parts.len(), 1);
        assert_eq!(
            extracted.parts[0].text,
            "教育转化培训中心\n学员  名单\t第一期\n第二行\n多余 空格 保留"
        );
        let meta = extracted.metadata;
        assert_eq!(meta.author.as_deref(), Some("王五"));
        assert_eq!(meta.last_editor.as_deref(), Some("赵六"));
        assert_eq!(meta.title.as_deref(), Some("讲话稿"));
        assert_eq!(meta.generator.as_deref(), Some("LibreOffice/7.0"));
        assert_eq!(meta.created.as_deref(), Some("2017-04-01T10:00:00"));
        assert_eq!(meta.page_count, Some(1));
    }

    #[test]
    fn odp_has_one_slide_per_page_with_notes() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:draw="d" xmlns:text="t" xmlns:presentation="p">
<office:body><office:presentation>
<draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>第一页</text:p></draw:text-box></draw:frame>
  <presentation:notes><draw:frame><draw:text-box><text:p>备注</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>
<draw:page draw:name="p2"><draw:frame><draw:text-box><text:p>第二页</text:p></draw:text-box></draw:frame></draw:page>
</office:presentation></office:body></office:document-content>"#;
        let bytes = zip_of(&[("content.xml", content)]);
        let extracted = extract_odp(&bytes, &Limits::default()).unwrap();
        let texts: Vec<&str> = extracted.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["第一页\n备注", "第二页"]);
        assert_eq!(extracted.parts[1].index, 2);
        assert_eq!(extracted.metadata.page_count, Some(2));
    }

    #[test]
    fn manifest_encryption_data_means_encrypted() {
        let manifest = r#"<manifest:manifest xmlns:manifest="m"><manifest:file-entry manifest:full-path="content.xml">
            <manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#;
        let bytes = zip_of(&[
            ("META-INF/manifest.xml", manifest),
            ("content.xml", "\u{1}\u{2}"),
        ]);
        assert!(matches!(
            extract_odt(&bytes, &Limits::default()),
            Err(ExtractError::Encrypted {
                kind: FileKind::Odt,
                ..
            })
        ));
    }
}
