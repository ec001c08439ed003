//! Text PDFs: Latin text in the standard Helvetica font, Chinese text in a Type0 font with
//! Identity-H encoding and a ToUnicode CMap, so text comes back out without an embedded font
//! (a viewer substitutes glyphs; extraction only needs the CMap).

use std::collections::BTreeSet;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};
use trove_model::FileKind;

use crate::error::SynthError;
use crate::leak::Doc;

/// Which font the text is set in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Helvetica, WinAnsi: ASCII text only.
    Latin,
    /// Type0 / Identity-H, each character's code being its UTF-16 unit.
    Chinese,
}

/// A PDF with one page per entry of `pages` (each a list of lines). `created` is a PDF date
/// (`D:20180305090000+08'00'`). The planted texts are every line; `pages` is the page count.
pub(crate) fn pdf(
    label: &str,
    script: Script,
    title: &str,
    created: &str,
    pages: &[Vec<&str>],
) -> Result<Doc, SynthError> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font_id = match script {
        Script::Latin => document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        }),
        Script::Chinese => chinese_font(&mut document, pages),
    };
    let resources_id = document.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for lines in pages {
        let content = page_content(script, lines)
            .encode()
            .map_err(|e| SynthError::encode(label, e))?;
        let content_id = document.add_object(Stream::new(Dictionary::new(), content));
        let page_id = document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::Reference(page_id));
    }
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages.len() as i64,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = document.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    let info_id = document.add_object(dictionary! {
        "Title" => Object::String(utf16_text(title), StringFormat::Hexadecimal),
        "Producer" => Object::string_literal("trove synthetic demo data"),
        "CreationDate" => Object::string_literal(created),
    });
    document.trailer.set("Root", catalog_id);
    document.trailer.set("Info", info_id);
    let mut bytes = Vec::new();
    document
        .save_to(&mut bytes)
        .map_err(|e| SynthError::encode(label, e))?;
    let mut doc = Doc::new(FileKind::Pdf, bytes).with_texts(pages.iter().flatten().copied());
    doc.pages = Some(pages.len() as u32);
    Ok(doc)
}

/// One line per `Tj`, 18 points apart, from the top left of an A4 page.
fn page_content(script: Script, lines: &[&str]) -> Content {
    let mut operations = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 14.into()]),
        Operation::new("TL", vec![22.into()]),
        Operation::new("Td", vec![60.into(), 780.into()]),
    ];
    for line in lines {
        let shown = match script {
            Script::Latin => Object::string_literal(line.as_bytes()),
            Script::Chinese => Object::String(utf16_units(line), StringFormat::Hexadecimal),
        };
        operations.push(Operation::new("Tj", vec![shown]));
        operations.push(Operation::new("T*", vec![]));
    }
    operations.push(Operation::new("ET", vec![]));
    Content { operations }
}

/// A Type0 font whose codes are UTF-16 units, with a ToUnicode CMap for every character used.
fn chinese_font(document: &mut Document, pages: &[Vec<&str>]) -> lopdf::ObjectId {
    let used: BTreeSet<u16> = pages
        .iter()
        .flatten()
        .flat_map(|line| line.encode_utf16())
        .collect();
    let to_unicode_id = document.add_object(Stream::new(Dictionary::new(), to_unicode_cmap(&used)));
    let descendant_id = document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType0",
        "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("GB1"),
            "Supplement" => 2,
        },
        "DW" => 1000,
    });
    document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "STSong-Light",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(descendant_id)],
        "ToUnicode" => to_unicode_id,
    })
}

/// A ToUnicode CMap mapping each two-byte code to the same UTF-16 unit, in blocks of at most
/// 100 `bfchar` entries as the CMap format requires.
fn to_unicode_cmap(codes: &BTreeSet<u16>) -> Vec<u8> {
    let mut cmap = String::from(concat!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n",
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n",
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    ));
    let codes: Vec<u16> = codes.iter().copied().collect();
    for block in codes.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for code in block {
            cmap.push_str(&format!("<{code:04X}> <{code:04X}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

/// Big-endian UTF-16 units of `text`, no byte-order mark (content-stream codes).
fn utf16_units(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// A PDF text string: UTF-16BE with its byte-order mark.
fn utf16_text(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(utf16_units(text));
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extracted(doc: &Doc) -> String {
        let document = Document::load_mem(&doc.bytes).unwrap();
        let pages: Vec<u32> = document.get_pages().keys().copied().collect();
        document.extract_text(&pages).unwrap()
    }

    #[test]
    fn chinese_text_comes_back_through_the_to_unicode_cmap() {
        let pages = vec![
            vec!["关于报送在押人员信息的通知", "教育转化培训中心"],
            vec!["第二页"],
        ];
        let doc = pdf(
            "t.pdf",
            Script::Chinese,
            "通知",
            "D:20180305090000+08'00'",
            &pages,
        )
        .unwrap();
        let text = extracted(&doc);
        assert!(text.contains("关于报送在押人员信息的通知"), "{text}");
        assert!(text.contains("教育转化培训中心"), "{text}");
        assert!(text.contains("第二页"), "{text}");
        assert_eq!(doc.pages, Some(2));
    }

    #[test]
    fn latin_text_comes_back() {
        let pages = vec![vec!["Monthly report", "Guards carry firearms."]];
        let doc = pdf(
            "t.pdf",
            Script::Latin,
            "Report",
            "D:20180305090000+08'00'",
            &pages,
        )
        .unwrap();
        let text = extracted(&doc);
        assert!(text.contains("Guards carry firearms."), "{text}");
    }
}
