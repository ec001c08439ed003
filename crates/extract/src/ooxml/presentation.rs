//! PowerPoint presentations (.pptx): one slide part per slide, in the
//! order the presentation lists them, each followed by its speaker notes.

use quick_xml::Reader;
use quick_xml::events::Event;
use trove_model::{FileKind, PartKind};

use super::properties::{self, PageCounter};
use super::{main_part, missing, relationships_of};
use crate::assemble::extracted;
use crate::xml_text::{Vocabulary, XmlError, value_of, walk};
use crate::zip_package::{Package, malformed};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// DrawingML text: runs `a:t` in paragraphs `a:p`. Paragraph properties
/// hold tab stops; `mc:Fallback` repeats `mc:Choice`.
const DRAWING: Vocabulary = Vocabulary {
    text: &["t"],
    paragraph: &["p"],
    tab: &[],
    line_break: &["br"],
    spaces: None,
    skip: &["pPr", "rPr", "endParaRPr", "Fallback"],
    section: None,
    collapse_whitespace: false,
};

/// Extracts a .pptx.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let kind = FileKind::Pptx;
    let mut package = Package::open(kind, bytes, limits)?;
    let main = main_part(&mut package, "ppt/presentation.xml")?;
    let xml = package
        .read_xml(&main)?
        .ok_or_else(|| missing(kind, &main))?;
    let listed = slide_ids(&xml).map_err(|e| malformed(kind, &main, e))?;
    let rels = relationships_of(&mut package, &main)?;
    let mut slides: Vec<String> = listed
        .iter()
        .filter_map(|id| rels.iter().find(|r| &r.id == id && r.kind == "slide"))
        .map(|r| r.target.clone())
        .filter(|target| package.contains(target))
        .collect();
    if slides.is_empty() {
        slides = numbered_slides(&package.names());
    }

    let mut builder = PartsBuilder::new(limits);
    let mut index = 0;
    for slide in &slides {
        if builder.is_full() {
            break;
        }
        let Some(xml) = package.read_xml(slide)? else {
            continue;
        };
        let mut text = walk(&xml, &DRAWING, limits.max_text_bytes)
            .map_err(|e| malformed(kind, slide, e))?
            .text;
        if let Some(notes) = notes_of(&mut package, slide, limits)?
            && !notes.trim().is_empty()
        {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&notes);
        }
        index += 1;
        builder.push(PartKind::Slide, index, None, text);
    }
    let mut metadata = properties::read(&mut package, PageCounter::Slides)?;
    metadata.page_count = metadata.page_count.or(u32::try_from(slides.len()).ok());
    Ok(extracted(builder, metadata))
}

/// The text of a slide's notes page, if it has one. Unreadable notes are
/// left out rather than costing the slide its own text.
fn notes_of(
    package: &mut Package<'_>,
    slide: &str,
    limits: &Limits,
) -> Result<Option<String>, ExtractError> {
    let rels = relationships_of(package, slide)?;
    let Some(notes) = rels.iter().find(|r| r.kind == "notesSlide") else {
        return Ok(None);
    };
    let Some(xml) = package.read_xml(&notes.target)? else {
        return Ok(None);
    };
    Ok(walk(&xml, &DRAWING, limits.max_text_bytes)
        .ok()
        .map(|w| w.text))
}

/// The relationship ids of `p:sldIdLst`, in presentation order.
fn slide_ids(xml: &str) -> Result<Vec<String>, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut ids = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::from_reader(&reader, &e))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sldId" => {
                // Both `id` (a number) and `r:id` (the relationship) share a
                // local name: the relationship is the prefixed one.
                let rel = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "id" && a.key.prefix().is_some());
                if let Some(value) = rel.and_then(|a| value_of(&a)) {
                    ids.push(value);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(ids)
}

/// `ppt/slides/slideN.xml` members in numeric order, for packages whose
/// slide list is missing or broken.
fn numbered_slides(names: &[String]) -> Vec<String> {
    let mut numbered: Vec<(u32, &String)> = names
        .iter()
        .filter_map(|name| {
            let number = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?;
            Some((number.parse().ok()?, name))
        })
        .collect();
    numbered.sort();
    numbered.into_iter().map(|(_, name)| name.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip_package::zip_of;

    const PRESENTATION: &str = r#"<p:presentation xmlns:p="p" xmlns:r="r">
        <p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst>
    </p:presentation>"#;

    const PRESENTATION_RELS: &str = r#"<Relationships>
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/>
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide2.xml"/>
    </Relationships>"#;

    fn slide(lines: &[&str]) -> String {
        let paragraphs: String = lines
            .iter()
            .map(|l| format!("<a:p><a:pPr><a:tabLst><a:tab pos=\"1\"/></a:tabLst></a:pPr><a:r><a:rPr lang=\"zh-CN\"/><a:t>{l}</a:t></a:r></a:p>"))
            .collect();
        format!(
            r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    }

    const SLIDE1_RELS: &str = r#"<Relationships>
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide" Target="../notesSlides/notesSlide1.xml"/>
    </Relationships>"#;

    #[test]
    fn slides_follow_the_presentation_order_with_their_notes() {
        let first = slide(&["教育转化培训中心", "第一期"]);
        let second = slide(&["封面"]);
        let notes = slide(&["讲话要点"]);
        let bytes = zip_of(&[
            ("ppt/presentation.xml", PRESENTATION),
            ("ppt/_rels/presentation.xml.rels", PRESENTATION_RELS),
            ("ppt/slides/slide1.xml", &first),
            ("ppt/slides/slide2.xml", &second),
            ("ppt/slides/_rels/slide1.xml.rels", SLIDE1_RELS),
            ("ppt/notesSlides/notesSlide1.xml", &notes),
        ]);
        let extracted = extract(&bytes, &Limits::default()).unwrap();
        let slides: Vec<(u32, &str)> = extracted
            .parts
            .iter()
            .map(|p| (p.index, p.text.as_str()))
            .collect();
        assert_eq!(
            slides,
            vec![(1, "封面"), (2, "教育转化培训中心\n第一期\n讲话要点")]
        );
        assert!(extracted.parts.iter().all(|p| p.kind == PartKind::Slide));
        assert_eq!(extracted.metadata.page_count, Some(2));
    }

    #[test]
    fn without_a_slide_list_slides_go_in_numeric_order() {
        let names = [
            "ppt/slides/slide10.xml",
            "ppt/slides/slide2.xml",
            "ppt/slides/_rels/slide2.xml.rels",
        ];
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            numbered_slides(&names),
            vec!["ppt/slides/slide2.xml", "ppt/slides/slide10.xml"]
        );
    }
}
