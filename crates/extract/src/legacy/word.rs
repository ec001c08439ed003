//! Word 97-2003 documents (.doc): the text through the piece table of the
//! File Information Block ([MS-DOC] 2.4.1), with field codes dropped and
//! Word's control characters turned into line breaks.
//!
//! Word 6/95 files, which have no piece table, fall back to the single run
//! of text their header points at.

use trove_model::{FileKind, PartKind};

use super::{Compound, decode_guessed, open, read_stream, summary};
use crate::assemble::extracted;
use crate::binary::{u16_at, u32_at, utf16le};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

const KIND: FileKind = FileKind::Doc;

/// `wIdent` of Word 97+ and of Word 6/95.
const WORD_97: u16 = 0xA5EC;
const WORD_6: u16 = 0xA5DC;
/// The first `nFib` with a piece table in a separate table stream.
const NFIB_97: u16 = 101;

const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TABLE: u16 = 0x0200;

/// A piece's file offset has this bit set when it holds 8-bit text.
const F_COMPRESSED: u32 = 0x4000_0000;

/// Extracts a .doc as one body part.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut file = open(KIND, bytes)?;
    let word = read_stream(KIND, &mut file, "/WordDocument")?
        .ok_or_else(|| ExtractError::corrupt(KIND, "no WordDocument stream"))?;
    let ident = u16_at(&word, 0)
        .ok_or_else(|| ExtractError::corrupt(KIND, "WordDocument stream is empty"))?;
    if ident != WORD_97 && ident != WORD_6 {
        return Err(ExtractError::corrupt(
            KIND,
            format!("WordDocument stream starts with {ident:#06x}, not a Word header"),
        ));
    }
    let n_fib = u16_at(&word, 2).unwrap_or(0);
    let flags = u16_at(&word, 0x0A).unwrap_or(0);
    if flags & F_ENCRYPTED != 0 {
        return Err(ExtractError::encrypted(
            KIND,
            "the Word header's fEncrypted flag is set",
        ));
    }
    let raw = if n_fib >= NFIB_97 {
        text_from_pieces(&mut file, &word, flags, limits)?
    } else {
        word95_text(&word)?
    };
    let mut builder = PartsBuilder::new(limits);
    builder.push(PartKind::Body, 1, None, clean(&raw));
    let metadata = summary::read(KIND, &mut file)?;
    Ok(extracted(builder, metadata))
}

/// Follows FIB → CLX → PlcPcd and concatenates the pieces.
fn text_from_pieces(
    file: &mut Compound<'_>,
    word: &[u8],
    flags: u16,
    limits: &Limits,
) -> Result<String, ExtractError> {
    let corrupt = |what: &str| ExtractError::corrupt(KIND, what);
    let table_name = if flags & F_WHICH_TABLE != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let table = read_stream(KIND, file, table_name)?.ok_or_else(|| {
        corrupt(&format!(
            "the header names table stream {table_name}, which is missing"
        ))
    })?;
    let (fc_clx, lcb_clx) =
        clx_location(word).ok_or_else(|| corrupt("the Word header is cut short"))?;
    let clx = table
        .get(fc_clx..fc_clx.saturating_add(lcb_clx))
        .ok_or_else(|| corrupt("the piece table (CLX) lies outside the table stream"))?;
    let pieces = piece_table(clx).ok_or_else(|| corrupt("the piece table (CLX) is malformed"))?;
    let mut text = String::new();
    for piece in pieces {
        if text.len() > limits.max_text_bytes {
            break;
        }
        // A piece pointing outside the stream is skipped: the rest of the
        // document is still worth having.
        if let Some(chunk) = piece.read(word) {
            text.push_str(&chunk);
        }
    }
    Ok(text)
}

/// `fcClx` and `lcbClx`: entry 33 of `FibRgFcLcb97`, found by walking the
/// variable-length arrays before it.
fn clx_location(word: &[u8]) -> Option<(usize, usize)> {
    let csw = usize::from(u16_at(word, 32)?);
    let after_rgw = 34 + csw * 2;
    let cslw = usize::from(u16_at(word, after_rgw)?);
    let rg_fc_lcb = after_rgw + 2 + cslw * 4 + 2;
    let entry = rg_fc_lcb + 33 * 8;
    let fc = usize::try_from(u32_at(word, entry)?).ok()?;
    let lcb = usize::try_from(u32_at(word, entry + 4)?).ok()?;
    Some((fc, lcb))
}

/// One run of text in the WordDocument stream.
struct Piece {
    chars: usize,
    offset: usize,
    compressed: bool,
}

impl Piece {
    fn read(&self, word: &[u8]) -> Option<String> {
        if self.compressed {
            let bytes = word.get(self.offset..self.offset.checked_add(self.chars)?)?;
            Some(
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
            )
        } else {
            let bytes =
                word.get(self.offset..self.offset.checked_add(self.chars.checked_mul(2)?)?)?;
            Some(utf16le(bytes))
        }
    }
}

/// Parses the CLX: skips the `Prc` property blocks (type 1), then reads
/// the `Pcdt` (type 2) piece descriptors.
fn piece_table(clx: &[u8]) -> Option<Vec<Piece>> {
    let mut at = 0;
    while *clx.get(at)? == 1 {
        let size = usize::from(u16_at(clx, at + 1)?);
        at += 3 + size;
    }
    if *clx.get(at)? != 2 {
        return None;
    }
    let lcb = usize::try_from(u32_at(clx, at + 1)?).ok()?;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    // n+1 character positions (4 bytes) and n descriptors (8 bytes).
    let n = plc.len().checked_sub(4)? / 12;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let start = u32_at(plc, i * 4)?;
        let end = u32_at(plc, (i + 1) * 4)?;
        let fc = u32_at(plc, (n + 1) * 4 + i * 8 + 2)?;
        let compressed = fc & F_COMPRESSED != 0;
        let offset = (fc & !F_COMPRESSED) as usize;
        pieces.push(Piece {
            chars: end.saturating_sub(start) as usize,
            offset: if compressed { offset / 2 } else { offset },
            compressed,
        });
    }
    Some(pieces)
}

/// Word 6/95: the text is the bytes from `fcMin` to `fcMac`, in the
/// system code page of whoever wrote it, which the file does not record;
/// the encoding is guessed from the bytes.
fn word95_text(word: &[u8]) -> Result<String, ExtractError> {
    let range = u32_at(word, 0x18).zip(u32_at(word, 0x1C));
    let bytes = range
        .and_then(|(min, max)| word.get(min as usize..max as usize))
        .ok_or_else(|| {
            ExtractError::corrupt(KIND, "the Word 6/95 text range lies outside the stream")
        })?;
    Ok(decode_guessed(bytes))
}

/// Turns Word's in-band control characters into plain text: paragraph,
/// cell and page marks become line breaks; a field keeps its result and
/// loses its code (`HYPERLINK "…"`, `PAGE`), except an `EQ` field, which has
/// no result and carries its text (ruby, enclosed characters) in its code;
/// anchors of pictures and notes disappear.
fn clean(raw: &str) -> String {
    let mut fields: Vec<Field> = Vec::new();
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{13}' => fields.push(Field::default()),
            '\u{14}' => {
                if let Some(field) = fields.last_mut() {
                    field.in_result = true;
                }
            }
            '\u{15}' => {
                if let Some(field) = fields.pop()
                    && !field.in_result
                {
                    let text = equation_text(&field.code);
                    match fields.last_mut() {
                        Some(outer) if !outer.in_result => outer.code.push_str(&text),
                        _ => out.push_str(&text),
                    }
                }
            }
            c => match fields.last_mut() {
                Some(field) if !field.in_result => field.code.push(c),
                _ => push_visible(&mut out, c),
            },
        }
    }
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out
}

/// A field being read: its code so far, and whether the code has ended.
#[derive(Default)]
struct Field {
    in_result: bool,
    code: String,
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\r' | '\u{7}' | '\u{b}' | '\u{c}' | '\u{e}' => out.push('\n'),
        '\t' => out.push('\t'),
        '\u{1e}' => out.push('-'),
        c if c < ' ' => {}
        c => out.push(c),
    }
}

/// The text of an `EQ` field code such as
/// `EQ \* jc2 \* "Font:MS 明朝" \o\ad(\s\up 9(とうきょう),東京)`: its
/// arguments, the base text first and what is set over it in parentheses
/// (`東京 (とうきょう)`). Other fields without a result give nothing.
fn equation_text(code: &str) -> String {
    let code = code.trim_start();
    if !code.get(..2).is_some_and(|k| k.eq_ignore_ascii_case("EQ")) {
        return String::new();
    }
    // Quoted switch values name fonts, not text.
    let unquoted: String = code.split('"').step_by(2).collect();
    let mut arguments: Vec<&str> = unquoted
        .split(['(', ')', ','])
        .map(str::trim)
        .filter(|a| !a.is_empty() && !a.contains('\\') && !a.starts_with("EQ"))
        .collect();
    match arguments.pop() {
        Some(base) if arguments.is_empty() => base.to_owned(),
        Some(base) => format!("{base} ({})", arguments.join(" ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_result_and_marks_become_lines() {
        let raw =
            "标题\r\u{13}HYPERLINK \"http://x\"\u{14}链接\u{15}\u{1}文字\u{7}单元\u{7}\u{7}\r";
        assert_eq!(clean(raw), "标题\n链接文字\n单元");
    }

    #[test]
    fn ruby_in_an_eq_field_keeps_base_and_reading() {
        let raw = "\u{13} EQ \\* jc2 \\* \"Font:MS 明朝\" \\* hps10 \\o\\ad(\\s\\up 9(とうきょう),東京)\u{15}\r";
        assert_eq!(clean(raw), "東京 (とうきょう)");
    }

    #[test]
    fn pieces_mix_eight_bit_and_utf16_text() {
        // Stream: "Hi" as 8-bit at byte 0, "中文" as UTF-16 at byte 4.
        let mut word = b"Hi\0\0".to_vec();
        word.extend("中文".encode_utf16().flat_map(u16::to_le_bytes));
        let mut plc = Vec::new();
        for cp in [0u32, 2, 4] {
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        for fc in [F_COMPRESSED, 4] {
            plc.extend_from_slice(&[0, 0]);
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&[0, 0]);
        }
        let mut clx = vec![1, 2, 0, 9, 9, 2];
        clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        clx.extend_from_slice(&plc);
        let pieces = piece_table(&clx).unwrap();
        let text: String = pieces.iter().filter_map(|p| p.read(&word)).collect();
        assert_eq!(text, "Hi中文");
    }

    #[test]
    fn a_truncated_piece_table_is_refused_not_indexed() {
        assert!(piece_table(&[2, 255, 255, 0, 0]).is_none());
        assert!(piece_table(&[1, 255, 255]).is_none());
    }
}
