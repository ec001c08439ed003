//! A small streaming walker that turns the text of an office XML part (a
//! Word body, a slide, an OpenDocument `content.xml`) into plain lines.
//!
//! It never builds a tree: it counts how deep it is inside text-bearing and
//! skipped elements, so a deeply nested or huge part costs only its own bytes.

use std::borrow::Cow;
use std::fmt;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// The most spaces one `text:s` element may stand for: enough for any real
/// layout, and a crafted `text:c="4000000000"` costs nothing.
const MAX_SPACE_RUN: usize = 1024;

/// How one XML dialect marks its text up, by elements' local names
/// (namespace prefixes are ignored: real files use many different ones).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Vocabulary {
    /// Elements whose character content is document text (`w:t`, `a:t`; in
    /// OpenDocument the paragraphs themselves).
    pub text: &'static [&'static str],
    /// Elements that end a line when they close (paragraphs, headings).
    pub paragraph: &'static [&'static str],
    /// Elements that stand for a tab character.
    pub tab: &'static [&'static str],
    /// Elements that stand for a line break inside a paragraph.
    pub line_break: &'static [&'static str],
    /// An element that stands for a run of spaces, and its count attribute.
    pub spaces: Option<(&'static str, &'static str)>,
    /// Subtrees that hold no document text but may hold look-alike elements
    /// (tab stops in paragraph properties, fallback copies of text boxes).
    pub skip: &'static [&'static str],
    /// An element each of whose contents is a separate section (a slide).
    pub section: Option<&'static str>,
    /// Whether runs of XML white space collapse to one space, as
    /// OpenDocument prescribes (OOXML keeps `w:t` content verbatim).
    pub collapse_whitespace: bool,
}

/// The text of one XML part.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Walked {
    /// Text outside any section element (all of it when there are none).
    pub text: String,
    /// The text of each section element, in document order.
    pub sections: Vec<String>,
}

/// XML that is not well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    /// Byte offset in the part where the reader gave up.
    pub position: u64,
    pub message: String,
}

impl XmlError {
    /// The error `reader` just returned, with the position it stopped at.
    pub(crate) fn from_reader(reader: &Reader<&[u8]>, error: &quick_xml::Error) -> Self {
        XmlError {
            position: reader.error_position(),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not well-formed XML at byte {}: {}",
            self.position, self.message
        )
    }
}

/// Decodes an XML part's bytes: UTF-8 (with or without a byte-order mark),
/// or UTF-16 when a byte-order mark says so. Invalid sequences become U+FFFD
/// rather than failing the whole document.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Cow::Owned(utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Cow::Owned(utf16(rest, u16::from_be_bytes));
    }
    String::from_utf8_lossy(bytes)
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Walks `xml`, keeping the text `vocabulary` describes. Stops early once
/// more than `max_bytes` of text have been produced (the caller's budget
/// then cuts and flags the excess).
pub(crate) fn walk(
    xml: &str,
    vocabulary: &Vocabulary,
    max_bytes: usize,
) -> Result<Walked, XmlError> {
    let mut walker = Walker {
        vocabulary,
        walked: Walked::default(),
        out: String::new(),
        produced: 0,
        text_depth: 0,
        skip_depth: 0,
        in_section: false,
    };
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::from_reader(&reader, &e))?;
        match event {
            Event::Start(e) => walker.open(&e, false),
            Event::Empty(e) => walker.open(&e, true),
            Event::End(e) => walker.close(e.local_name().as_ref()),
            Event::Text(e) => walker.characters(&e.xml10_content()),
            Event::CData(e) => walker.characters(&e.xml10_content()),
            Event::GeneralRef(e) => {
                if let Some(c) = resolve_reference(&e) {
                    walker.characters(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if walker.produced > max_bytes {
            break;
        }
    }
    Ok(walker.finish())
}

struct Walker<'v> {
    vocabulary: &'v Vocabulary,
    walked: Walked,
    out: String,
    produced: usize,
    text_depth: u32,
    skip_depth: u32,
    in_section: bool,
}

impl Walker<'_> {
    fn open(&mut self, element: &BytesStart<'_>, empty: bool) {
        let local = element.local_name();
        let name = local.as_ref();
        if self.skip_depth > 0 {
            if !empty {
                self.skip_depth += 1;
            }
            return;
        }
        let v = self.vocabulary;
        if v.skip.contains(&name) {
            if !empty {
                self.skip_depth = 1;
            }
            return;
        }
        if v.section == Some(name) && !self.in_section {
            self.walked.text.push_str(&std::mem::take(&mut self.out));
            self.in_section = true;
        }
        if v.text.contains(&name) {
            self.text_depth += 1;
        }
        if v.tab.contains(&name) {
            self.push("\t");
        } else if v.line_break.contains(&name) {
            self.push("\n");
        } else if let Some((spaces, count)) = v.spaces
            && spaces == name
        {
            let n = attribute(element, count)
                .and_then(|c| c.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .min(MAX_SPACE_RUN);
            self.push(&" ".repeat(n));
        }
        if empty {
            self.close(name);
        }
    }

    fn close(&mut self, name: &str) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        let v = self.vocabulary;
        if v.text.contains(&name) {
            self.text_depth = self.text_depth.saturating_sub(1);
        }
        if v.paragraph.contains(&name) {
            self.push("\n");
        }
        if v.section == Some(name) && self.in_section {
            let section = std::mem::take(&mut self.out);
            self.walked
                .sections
                .push(section.trim_end_matches('\n').to_owned());
            self.in_section = false;
        }
    }

    fn characters(&mut self, text: &str) {
        if self.text_depth == 0 || self.skip_depth > 0 {
            return;
        }
        if !self.vocabulary.collapse_whitespace {
            self.push(text);
            return;
        }
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                let previous = collapsed.chars().last().or_else(|| self.out.chars().last());
                if matches!(previous, None | Some(' ' | '\n' | '\t')) {
                    continue;
                }
                collapsed.push(' ');
            } else {
                collapsed.push(c);
            }
        }
        self.push(&collapsed);
    }

    fn push(&mut self, text: &str) {
        self.produced += text.len();
        self.out.push_str(text);
    }

    fn finish(mut self) -> Walked {
        self.walked.text.push_str(&self.out);
        let trimmed = self.walked.text.trim_end_matches('\n').len();
        self.walked.text.truncate(trimmed);
        self.walked
    }
}

/// The value of the attribute whose local name is `name`, unescaped.
pub(crate) fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| value_of(&a))
}

/// An attribute's value with references resolved, as XML 1.0 reads it.
pub(crate) fn value_of(attribute: &Attribute<'_>) -> Option<String> {
    attribute
        .normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(Cow::into_owned)
}

/// Resolves `&#…;` and the five predefined entities; others (which only a
/// DTD could define, and office parts have none) are dropped.
fn resolve_reference(reference: &BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c);
    }
    match reference.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Every element's direct text and every attribute, as `(local name, value)`
/// pairs in document order: enough to read flat property parts such as
/// `docProps/core.xml` or OpenDocument `meta.xml`.
pub(crate) fn name_values(xml: &str) -> Result<Vec<(String, String)>, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut pairs = Vec::new();
    let mut open: Option<String> = None;
    let mut text = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::from_reader(&reader, &e))?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                for a in e.attributes().with_checks(false).flatten() {
                    if let Some(value) = value_of(&a) {
                        pairs.push((a.key.local_name().as_ref().to_owned(), value));
                    }
                }
                open = Some(e.local_name().as_ref().to_owned());
                text.clear();
            }
            Event::Text(e) => text.push_str(&e.xml10_content()),
            Event::CData(e) => text.push_str(&e.xml10_content()),
            Event::GeneralRef(e) => {
                if let Some(c) = resolve_reference(&e) {
                    text.push(c);
                }
            }
            Event::End(e) => {
                if let Some(name) = open.take()
                    && name == e.local_name().as_ref()
                    && !text.trim().is_empty()
                {
                    pairs.push((name, text.trim().to_owned()));
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Vocabulary = Vocabulary {
        text: &["t"],
        paragraph: &["p"],
        tab: &["tab"],
        line_break: &["br"],
        spaces: None,
        skip: &["pPr"],
        section: None,
        collapse_whitespace: false,
    };

    #[test]
    fn paragraphs_become_lines_and_entities_resolve() {
        let xml = r#"<b><p><r><t>教育 &amp; </t><tab/><t>转化</t></r></p><p><pPr><tab/></pPr><t>&#x57F9;训</t><br/><t>中心</t></p></b>"#;
        let walked = walk(xml, &PLAIN, usize::MAX).unwrap();
        assert_eq!(walked.text, "教育 & \t转化\n培训\n中心");
    }

    #[test]
    fn whitespace_collapses_when_the_dialect_says_so() {
        let vocabulary = Vocabulary {
            text: &["p"],
            collapse_whitespace: true,
            spaces: Some(("s", "c")),
            ..PLAIN
        };
        let xml = "<p>  a \n  b<s c=\"3\"/>c</p>";
        assert_eq!(walk(xml, &vocabulary, usize::MAX).unwrap().text, "a b   c");
    }

    #[test]
    fn malformed_xml_reports_a_position() {
        let err = walk("<p><t>a</p>", &PLAIN, usize::MAX).unwrap_err();
        assert!(err.position > 0, "{err}");
    }

    #[test]
    fn name_values_reads_text_and_attributes() {
        let xml = r#"<m><dc:title>名单</dc:title><s page-count="3"/></m>"#;
        let pairs = name_values(xml).unwrap();
        assert!(pairs.contains(&("title".into(), "名单".into())));
        assert!(pairs.contains(&("page-count".into(), "3".into())));
    }
}
