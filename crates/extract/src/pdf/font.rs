//! What the text walker needs of a PDF font: how its codes map to Unicode
//! (lopdf's encoding, ToUnicode CMaps included) and how wide its glyphs are,
//! so that the gap between two runs of text can tell a word break from a
//! glyph-by-glyph placement.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object};

/// Glyph width assumed when a font gives none (the standard 14 fonts carry
/// no widths in the file): half an em, a typical Latin average.
const ASSUMED_WIDTH: f32 = 500.0;

/// CID fonts' default width when `/DW` is absent (PDF 32000-1, 9.7.4.3).
const CID_DEFAULT_WIDTH: f32 = 1000.0;

/// Bound on `/W` entries read, against crafted fonts with huge ranges.
const MAX_CID_WIDTHS: usize = 1 << 16;

pub(super) struct PageFont<'d> {
    encoding: Option<Encoding<'d>>,
    /// A predefined CJK CMap that lopdf does not know, decoded through the
    /// character set it is built on.
    legacy: Option<&'static encoding_rs::Encoding>,
    /// Type 0 (composite) fonts: two-byte codes (Identity-H, UCS-2 CMaps).
    two_byte: bool,
    first_char: u32,
    widths: Vec<f32>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
}

impl<'d> PageFont<'d> {
    pub(super) fn load(document: &'d Document, font: &'d Dictionary, limit: usize) -> Self {
        let two_byte =
            font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice());
        let legacy = if two_byte && !font.has(b"ToUnicode") {
            font.get(b"Encoding")
                .and_then(Object::as_name)
                .ok()
                .and_then(cjk_cmap_charset)
        } else {
            None
        };
        let encoding = match legacy {
            Some(_) => None,
            None => font.get_font_encoding_with_limit(document, limit).ok(),
        };
        let mut loaded = PageFont {
            encoding,
            legacy,
            two_byte,
            first_char: 0,
            widths: Vec::new(),
            cid_widths: HashMap::new(),
            default_width: ASSUMED_WIDTH,
        };
        if two_byte {
            loaded.read_cid_widths(document, font);
        } else {
            loaded.read_simple_widths(document, font);
        }
        loaded
    }

    fn read_simple_widths(&mut self, document: &Document, font: &Dictionary) {
        self.first_char =
            number(document, font.get(b"FirstChar").ok()).map_or(0, |n| n.max(0.0) as u32);
        if let Some(Object::Array(widths)) = resolve(document, font.get(b"Widths").ok()) {
            self.widths = widths
                .iter()
                .take(MAX_CID_WIDTHS)
                .map(|w| number(document, Some(w)).unwrap_or(0.0))
                .collect();
        }
        let descriptor =
            resolve(document, font.get(b"FontDescriptor").ok()).and_then(|d| d.as_dict().ok());
        if let Some(missing) =
            descriptor.and_then(|d| number(document, d.get(b"MissingWidth").ok()))
            && missing > 0.0
        {
            self.default_width = missing;
        }
    }

    fn read_cid_widths(&mut self, document: &Document, font: &Dictionary) {
        self.default_width = CID_DEFAULT_WIDTH;
        let descendant = match resolve(document, font.get(b"DescendantFonts").ok()) {
            Some(Object::Array(fonts)) => fonts.first().and_then(|f| resolve(document, Some(f))),
            _ => None,
        };
        let Some(Ok(descendant)) = descendant.map(Object::as_dict) else {
            return;
        };
        if let Some(dw) = number(document, descendant.get(b"DW").ok()) {
            self.default_width = dw;
        }
        let Some(Object::Array(items)) = resolve(document, descendant.get(b"W").ok()) else {
            return;
        };
        // `/W` mixes `c [w1 w2 …]` (consecutive codes) and `c_first c_last w`.
        let mut i = 0;
        while i < items.len() && self.cid_widths.len() < MAX_CID_WIDTHS {
            let Some(first) = number(document, items.get(i)) else {
                break;
            };
            let first = first.max(0.0) as u32;
            match resolve(document, items.get(i + 1)) {
                Some(Object::Array(widths)) => {
                    for (offset, w) in widths.iter().enumerate().take(MAX_CID_WIDTHS) {
                        let width = number(document, Some(w)).unwrap_or(self.default_width);
                        self.cid_widths
                            .insert(first.saturating_add(offset as u32), width);
                    }
                    i += 2;
                }
                Some(last) => {
                    let last = number(document, Some(last)).unwrap_or(0.0).max(0.0) as u32;
                    let width = number(document, items.get(i + 2)).unwrap_or(self.default_width);
                    let end = last.min(first.saturating_add(MAX_CID_WIDTHS as u32));
                    for code in first..=end {
                        self.cid_widths.insert(code, width);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    /// The Unicode text of a shown string. A font whose encoding lopdf
    /// cannot read gives nothing, except simple fonts, read as Latin-1
    /// (right for the plain ASCII that most such fonts show).
    pub(super) fn decode(&self, bytes: &[u8]) -> String {
        if let Some(charset) = self.legacy {
            return charset.decode_without_bom_handling(bytes).0.into_owned();
        }
        match &self.encoding {
            Some(encoding) => encoding.bytes_to_string(bytes).unwrap_or_default(),
            None if !self.two_byte => bytes.iter().map(|&b| char::from(b)).collect(),
            None => String::new(),
        }
    }

    /// How far showing `bytes` moves the pen, in unscaled text space units.
    pub(super) fn advance(&self, bytes: &[u8], state: &TextState) -> f32 {
        let glyph = |code: u32, width: f32| {
            let word = if !self.two_byte && code == 32 {
                state.word_spacing
            } else {
                0.0
            };
            (width / 1000.0 * state.font_size + state.char_spacing + word) * state.horizontal_scale
        };
        if self.two_byte {
            bytes
                .chunks(2)
                .map(|pair| {
                    let code = pair.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
                    glyph(
                        code,
                        self.cid_widths
                            .get(&code)
                            .copied()
                            .unwrap_or(self.default_width),
                    )
                })
                .sum()
        } else {
            bytes
                .iter()
                .map(|&b| {
                    let code = u32::from(b);
                    let width = code
                        .checked_sub(self.first_char)
                        .and_then(|i| self.widths.get(i as usize))
                        .copied()
                        .filter(|&w| w > 0.0)
                        .unwrap_or(self.default_width);
                    glyph(code, width)
                })
                .sum()
        }
    }
}

/// The character set behind a predefined CJK CMap (PDF 32000-1, table
/// 118): text shown with these fonts is in that charset's bytes. lopdf knows
/// only UniGB-UCS2-H and UniGB-UTF16-H; Chinese PDFs from older writers use
/// GBK-EUC-H and Big5 CMaps without a ToUnicode map.
fn cjk_cmap_charset(name: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    Some(match name {
        b"GB-EUC-H" | b"GBpc-EUC-H" | b"GBK-EUC-H" | b"GBKp-EUC-H" | b"GBK2K-H" | b"GBT-EUC-H" => {
            encoding_rs::GB18030
        }
        b"B5pc-H" | b"ETen-B5-H" | b"ETenms-B5-H" | b"HKscs-B5-H" | b"HKdla-B5-H" => {
            encoding_rs::BIG5
        }
        b"UniCNS-UCS2-H" | b"UniCNS-UTF16-H" | b"UniJIS-UCS2-H" | b"UniJIS-UTF16-H"
        | b"UniKS-UCS2-H" | b"UniKS-UTF16-H" => encoding_rs::UTF_16BE,
        b"90ms-RKSJ-H" | b"90msp-RKSJ-H" | b"83pv-RKSJ-H" => encoding_rs::SHIFT_JIS,
        b"EUC-H" => encoding_rs::EUC_JP,
        b"KSC-EUC-H" | b"KSCms-UHC-H" | b"KSCpc-EUC-H" => encoding_rs::EUC_KR,
        _ => return None,
    })
}

/// The text state parameters that move the pen (PDF 32000-1, 9.3).
pub(super) struct TextState {
    pub(super) font_size: f32,
    pub(super) char_spacing: f32,
    pub(super) word_spacing: f32,
    pub(super) horizontal_scale: f32,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            font_size: 1.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
        }
    }
}

/// Follows a reference to the object it names (one level; the reader
/// already resolved chains when loading).
pub(super) fn resolve<'d>(
    document: &'d Document,
    object: Option<&'d Object>,
) -> Option<&'d Object> {
    match object? {
        Object::Reference(id) => document.get_object(*id).ok(),
        direct => Some(direct),
    }
}

fn number(document: &Document, object: Option<&Object>) -> Option<f32> {
    let value = match object? {
        Object::Reference(id) => document.get_object(*id).ok()?.as_float().ok()?,
        direct => direct.as_float().ok()?,
    };
    value.is_finite().then_some(value)
}
