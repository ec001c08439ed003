//! The text of one PDF page, read from its content stream.
//!
//! lopdf's own `extract_text` breaks lines only at `ET` and `T*`, ignores
//! form XObjects and cannot tell a word gap from glyph-by-glyph placement.
//! This walker follows the text matrix and the glyph widths instead: a
//! vertical move starts a new line, a horizontal gap wider than a fraction
//! of an em separates words, and forms (where many generators put all of a
//! page's text) are walked with their own resources.

use std::collections::HashMap;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{PageFont, TextState, resolve};

/// A `TJ` adjustment (in thousandths of an em) wider than this is a word gap.
const WORD_GAP: f32 = 100.0;

/// A sideways gap wider than this fraction of an em between two runs of
/// text is a space between words.
const SPACE_GAP: f32 = 0.15;

/// A vertical move larger than this fraction of an em starts a new line.
const LINE_MOVE: f32 = 0.5;

/// How deep forms may nest inside forms.
const MAX_FORM_DEPTH: usize = 8;

const IDENTITY: [f32; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// The text of the page `page_id`; empty if its content cannot be read (a
/// damaged page should not cost the rest of the document). `limit` bounds
/// the decompressed content read for the page, forms included.
pub(super) fn page_text(document: &Document, page_id: ObjectId, limit: usize) -> String {
    let Ok((inline, inherited)) = document.get_page_resources(page_id) else {
        return String::new();
    };
    let resources: Vec<&Dictionary> = inline
        .into_iter()
        .chain(
            inherited
                .iter()
                .filter_map(|&id| document.get_dictionary(id).ok()),
        )
        .collect();
    let Ok(content) = document.get_page_content_with_limit(page_id, limit) else {
        return String::new();
    };
    let mut walker = TextWalker {
        document,
        budget: limit.saturating_sub(content.len()),
        limit,
        fonts: Vec::new(),
        font_index: HashMap::new(),
        font: None,
        state: TextState::default(),
        text_matrix: IDENTITY,
        line_matrix: IDENTITY,
        leading: 0.0,
        pen: None,
        break_before_next: false,
        out: String::new(),
    };
    walker.walk(&content, &resources, 0);
    walker.finish()
}

struct TextWalker<'d> {
    document: &'d Document,
    /// Decompressed bytes still allowed for forms on this page.
    budget: usize,
    limit: usize,
    fonts: Vec<PageFont<'d>>,
    /// Font dictionaries already loaded, by address (they live as long as
    /// the document).
    font_index: HashMap<*const Dictionary, usize>,
    font: Option<usize>,
    state: TextState,
    text_matrix: [f32; 6],
    line_matrix: [f32; 6],
    leading: f32,
    /// Where the last text shown ended (x, y), and its em size.
    pen: Option<(f32, f32, f32)>,
    break_before_next: bool,
    out: String,
}

impl<'d> TextWalker<'d> {
    fn walk(&mut self, content: &[u8], resources: &[&'d Dictionary], depth: usize) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        for operation in &content.operations {
            self.apply(operation, resources, depth);
        }
    }

    fn apply(&mut self, operation: &Operation, resources: &[&'d Dictionary], depth: usize) {
        let number = |i: usize| {
            operation
                .operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .filter(|n| n.is_finite())
                .unwrap_or(0.0)
        };
        match operation.operator.as_str() {
            "BT" => {
                self.text_matrix = IDENTITY;
                self.line_matrix = IDENTITY;
            }
            "Tf" => {
                self.font = operation
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| self.load_font(name, resources));
                self.state.font_size = number(1);
            }
            "Tc" => self.state.char_spacing = number(0),
            "Tw" => self.state.word_spacing = number(0),
            "Tz" => self.state.horizontal_scale = number(0) / 100.0,
            "TL" => self.leading = number(0),
            "Td" => self.move_line(number(0), number(1)),
            "TD" => {
                self.leading = -number(1);
                self.move_line(number(0), number(1));
            }
            "Tm" => {
                self.line_matrix = [0, 1, 2, 3, 4, 5].map(number);
                self.text_matrix = self.line_matrix;
            }
            "T*" => self.move_line(0.0, -self.leading),
            "Tj" | "TJ" => self.show(&operation.operands),
            "'" => {
                self.move_line(0.0, -self.leading);
                self.show(&operation.operands);
            }
            "\"" => {
                self.state.word_spacing = number(0);
                self.state.char_spacing = number(1);
                self.move_line(0.0, -self.leading);
                self.show(operation.operands.get(2..).unwrap_or_default());
            }
            "Do" if depth < MAX_FORM_DEPTH => {
                if let Some(name) = operation.operands.first().and_then(|o| o.as_name().ok()) {
                    self.walk_form(name, resources, depth);
                }
            }
            _ => {}
        }
    }

    fn move_line(&mut self, tx: f32, ty: f32) {
        let [a, b, c, d, e, f] = self.line_matrix;
        self.line_matrix[4] = tx * a + ty * c + e;
        self.line_matrix[5] = tx * b + ty * d + f;
        self.text_matrix = self.line_matrix;
    }

    /// Finds a font by its resource name and loads it once.
    fn load_font(&mut self, name: &[u8], resources: &[&'d Dictionary]) -> Option<usize> {
        let document = self.document;
        let font = resources.iter().find_map(|r| {
            let fonts = resolve(document, r.get(b"Font").ok())?.as_dict().ok()?;
            resolve(document, fonts.get(name).ok())?.as_dict().ok()
        })?;
        let key = std::ptr::from_ref(font);
        if let Some(&index) = self.font_index.get(&key) {
            return Some(index);
        }
        self.fonts.push(PageFont::load(document, font, self.limit));
        let index = self.fonts.len() - 1;
        self.font_index.insert(key, index);
        Some(index)
    }

    /// Walks a form XObject's content with its own resources (falling back
    /// to the caller's, which some writers rely on).
    fn walk_form(&mut self, name: &[u8], resources: &[&'d Dictionary], depth: usize) {
        let document = self.document;
        let form = resources.iter().find_map(|r| {
            let xobjects = resolve(document, r.get(b"XObject").ok())?.as_dict().ok()?;
            resolve(document, xobjects.get(name).ok())?.as_stream().ok()
        });
        let Some(form) = form else {
            return;
        };
        if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            return;
        }
        let content = if form.dict.has(b"Filter") {
            match form.decompressed_content_with_limit(self.budget) {
                Ok(content) => content,
                Err(_) => return,
            }
        } else if form.content.len() <= self.budget {
            form.content.clone()
        } else {
            return;
        };
        self.budget = self.budget.saturating_sub(content.len());
        let own =
            resolve(document, form.dict.get(b"Resources").ok()).and_then(|r| r.as_dict().ok());
        let nested: Vec<&Dictionary> = own.into_iter().chain(resources.iter().copied()).collect();
        let saved = (self.text_matrix, self.line_matrix);
        self.break_before_next = true;
        self.walk(&content, &nested, depth + 1);
        (self.text_matrix, self.line_matrix) = saved;
        self.break_before_next = true;
    }

    /// Appends shown strings, first separating them from earlier text by a
    /// line break (after a vertical move) or a space (after a gap).
    fn show(&mut self, operands: &[Object]) {
        let Some(font) = self.font.and_then(|i| self.fonts.get(i)) else {
            return;
        };
        let [a, b, _, d, _, _] = self.text_matrix;
        let scale = if a.abs() > f32::EPSILON {
            a.abs()
        } else {
            d.abs().max(f32::EPSILON)
        };
        let em = (self.state.font_size.abs() * scale).max(f32::EPSILON);
        let (x, y) = (self.text_matrix[4], self.text_matrix[5]);
        let mut shown = String::new();
        let mut advance = 0.0;
        collect(font, &self.state, operands, &mut shown, &mut advance);
        self.text_matrix[4] += advance * a;
        self.text_matrix[5] += advance * b;
        if shown.is_empty() {
            return;
        }
        let separator = match self.pen {
            _ if self.break_before_next => Some('\n'),
            // Measured against the larger of the two ems, so that a
            // superscript (`1st`) stays on its line.
            Some((_, py, pem)) if (y - py).abs() > LINE_MOVE * em.max(pem) => Some('\n'),
            Some((px, _, _)) if x - px > SPACE_GAP * em || px - x > em => Some(' '),
            _ => None,
        };
        if let Some(separator) = separator
            && !self.out.is_empty()
            && !self.out.ends_with(char::is_whitespace)
            && !shown.starts_with(char::is_whitespace)
        {
            self.out.push(separator);
        }
        self.break_before_next = false;
        self.out.push_str(&shown);
        self.pen = Some((self.text_matrix[4], self.text_matrix[5], em));
    }

    /// The page's text, without the control characters some fonts map
    /// glyphs to, and with no trailing space on any line. No-break spaces
    /// become spaces and soft hyphens hyphens: in a PDF both are glyphs
    /// that were drawn, not layout hints.
    fn finish(self) -> String {
        let cleaned: String = self
            .out
            .chars()
            .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
            .map(|c| match c {
                '\u{A0}' => ' ',
                '\u{AD}' => '-',
                other => other,
            })
            .collect();
        let lines: Vec<&str> = cleaned.lines().map(str::trim_end).collect();
        lines.join("\n").trim().to_owned()
    }
}

/// Decodes the strings of a `Tj`/`TJ` operand list and sums how far they
/// move the pen; a wide `TJ` gap becomes a space.
fn collect(
    font: &PageFont<'_>,
    state: &TextState,
    operands: &[Object],
    out: &mut String,
    advance: &mut f32,
) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                out.push_str(&font.decode(bytes));
                *advance += font.advance(bytes, state);
            }
            Object::Array(items) => collect(font, state, items, out, advance),
            Object::Integer(_) | Object::Real(_) => {
                let adjustment = operand.as_float().unwrap_or(0.0);
                if adjustment.is_finite() {
                    *advance -= adjustment / 1000.0 * state.font_size * state.horizontal_scale;
                    if -adjustment > WORD_GAP && !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
}
