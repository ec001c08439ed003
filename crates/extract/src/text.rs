//! Plain text and delimited tables (CSV, TSV) in any encoding.

mod decode;
mod utf32;

pub(crate) use decode::{decode_as, decode_text, is_garbage_control, sniff_encoding};
pub(crate) use utf32::utf32_to_utf8;

use trove_model::{Metadata, PartKind};

use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// Delimiters tried on CSV files: Chinese Excel exports use commas or tabs,
/// European ones semicolons.
const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];

/// Lines looked at to choose the delimiter.
const DELIMITER_SAMPLE_LINES: usize = 50;

/// Extracts a plain text file as one body part.
pub(crate) fn extract_plain(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let (text, encoding) = decode_text(bytes);
    let mut parts = PartsBuilder::new(limits);
    parts.push(PartKind::Body, 1, None, text);
    let (parts, truncated) = parts.finish();
    Ok(Extracted {
        parts,
        metadata: Metadata {
            encoding: Some(encoding.to_owned()),
            ..Metadata::default()
        },
        truncated,
        ..Extracted::default()
    })
}

/// Extracts a CSV or TSV file as one sheet part: one line per row, cells
/// separated by tabs, so that a line number in the part is the row number.
pub(crate) fn extract_csv(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let (text, encoding) = decode_text(bytes);
    let delimiter = choose_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut sheet = String::new();
    let mut truncated = false;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // Only an I/O error or invalid UTF-8 can stop the reader, and the
            // input is an in-memory `String`: keep what was read.
            Err(_) => break,
        }
        if sheet.len() >= limits.max_text_bytes {
            truncated = true;
            break;
        }
        push_row(&mut sheet, &record);
    }
    let mut parts = PartsBuilder::new(limits);
    parts.push(PartKind::Sheet, 1, None, sheet);
    let (parts, cut) = parts.finish();
    Ok(Extracted {
        parts,
        metadata: Metadata {
            encoding: Some(encoding.to_owned()),
            ..Metadata::default()
        },
        truncated: truncated || cut,
        ..Extracted::default()
    })
}

/// Appends one row, flattening line breaks and tabs inside quoted cells so
/// that the row stays on one line and its cells stay apart.
fn push_row(sheet: &mut String, record: &csv::StringRecord) {
    for (i, cell) in record.iter().enumerate() {
        if i > 0 {
            sheet.push('\t');
        }
        let cell = cell.trim_end_matches(['\r', '\n']);
        sheet.extend(cell.chars().map(|c| {
            if matches!(c, '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        }));
    }
    sheet.push('\n');
}

/// Picks the delimiter that splits the first lines most consistently: the
/// one whose smallest per-line count is highest (ties go to the larger
/// total, then to the comma).
fn choose_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(DELIMITER_SAMPLE_LINES)
        .collect();
    let score = |delimiter: u8| {
        let counts = lines
            .iter()
            .map(|line| line.bytes().filter(|&b| b == delimiter).count());
        let min = counts.clone().min().unwrap_or(0);
        (min, counts.sum::<usize>())
    };
    DELIMITERS
        .into_iter()
        .rev()
        .max_by_key(|&d| score(d))
        .filter(|&d| score(d).1 > 0)
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_text(bytes: &[u8]) -> String {
        let extracted = extract_csv(bytes, &Limits::default()).unwrap();
        assert_eq!(extracted.parts.len(), 1);
        assert_eq!(extracted.parts[0].kind, PartKind::Sheet);
        assert_eq!(extracted.parts[0].index, 1);
        extracted.parts[0].text.clone()
    }

    #[test]
    fn quoted_cells_keep_their_commas_and_lose_their_line_breaks() {
        let csv = "姓名,地址,备注\n阿依古丽,\"喀什, 疏附县\",\"第一行\n第二行\"\n";
        assert_eq!(
            sheet_text(csv.as_bytes()),
            "姓名\t地址\t备注\n阿依古丽\t喀什, 疏附县\t第一行 第二行\n"
        );
    }

    #[test]
    fn tab_and_semicolon_delimiters_are_detected() {
        assert_eq!(
            sheet_text(b"a\tb,c\td\n1\t2,3\t4\n"),
            "a\tb,c\td\n1\t2,3\t4\n"
        );
        assert_eq!(sheet_text(b"a;b;c\n1;2,5;3\n"), "a\tb\tc\n1\t2,5\t3\n");
    }

    #[test]
    fn gbk_csv_records_its_encoding() {
        let (bytes, _, _) =
            encoding_rs::GBK.encode("编号,姓名,民族\n1,买买提,维吾尔族\n2,古丽,维吾尔族\n");
        let extracted = extract_csv(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            extracted.parts[0].text,
            "编号\t姓名\t民族\n1\t买买提\t维吾尔族\n2\t古丽\t维吾尔族\n"
        );
        assert_eq!(extracted.metadata.encoding.as_deref(), Some("GBK"));
    }

    #[test]
    fn plain_text_is_one_body_part() {
        let extracted = extract_plain("第一行\n第二行".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(extracted.parts.len(), 1);
        assert_eq!(extracted.parts[0].kind, PartKind::Body);
        assert_eq!(extracted.parts[0].text, "第一行\n第二行");
        assert_eq!(extracted.metadata.encoding.as_deref(), Some("UTF-8"));
    }
}
