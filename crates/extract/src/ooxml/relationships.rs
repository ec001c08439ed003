//! OPC relationships: how one part of an OOXML package names the others
//! (`_rels/.rels`, `word/_rels/document.xml.rels`, …).

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::xml_text::attribute;

/// One `Relationship` element pointing inside the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relationship {
    pub id: String,
    /// The type URI's last segment (`officeDocument`, `slide`, `header` …),
    /// so that the transitional and strict namespaces compare equal.
    pub kind: String,
    /// The target as a package path without a leading slash.
    pub target: String,
}

/// The relationships part that belongs to `part` (`word/document.xml` →
/// `word/_rels/document.xml.rels`; the package itself is `""`).
pub(crate) fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Reads the internal relationships of `source` from its rels part's XML.
/// Malformed rels are treated as absent: the caller then falls back to the
/// conventional part names.
pub(crate) fn parse(source: &str, xml: &str) -> Vec<Relationship> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attribute(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")) {
                    continue;
                }
                let (Some(id), Some(kind), Some(target)) = (
                    attribute(&e, "Id"),
                    attribute(&e, "Type"),
                    attribute(&e, "Target"),
                ) else {
                    continue;
                };
                let kind = kind.rsplit('/').next().unwrap_or_default().to_owned();
                found.push(Relationship {
                    id,
                    kind,
                    target: resolve(source, &target),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// Resolves a relationship target against the folder of its source part.
fn resolve(source: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let relative_to_source = !target.starts_with('/');
    if relative_to_source && let Some((dir, _)) = source.rsplit_once('/') {
        segments.extend(dir.split('/'));
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(
            rels_path("ppt/slides/slide1.xml"),
            "ppt/slides/_rels/slide1.xml.rels"
        );
        assert_eq!(rels_path(""), "_rels/.rels");
        assert_eq!(
            resolve("ppt/slides/slide1.xml", "../notesSlides/notesSlide1.xml"),
            "ppt/notesSlides/notesSlide1.xml"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve("ppt/presentation.xml", "/ppt/slides/slide2.xml"),
            "ppt/slides/slide2.xml"
        );
    }

    #[test]
    fn external_targets_are_ignored() {
        let xml = r#"<Relationships>
            <Relationship Id="rId1" Type="http://x/relationships/hyperlink" Target="http://a" TargetMode="External"/>
            <Relationship Id="rId2" Type="http://x/relationships/slide" Target="slides/slide1.xml"/>
        </Relationships>"#;
        let rels = parse("ppt/presentation.xml", xml);
        assert_eq!(
            rels,
            vec![Relationship {
                id: "rId2".into(),
                kind: "slide".into(),
                target: "ppt/slides/slide1.xml".into()
            }]
        );
    }
}
