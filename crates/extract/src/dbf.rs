//! dBase tables (.dbf), the export format of many older registration and case systems:
//! one sheet part with the field names as its first line and a record per line after,
//! cells verbatim; records marked deleted (kept in the file until it is packed, and so
//! evidence too) in a second sheet, `deleted records`.
//!
//! Read by hand rather than through the `dbase` crate: that crate turns numeric fields
//! into `f64`, which loses digits of an 18-digit ID number stored as `N(18,0)`, while a
//! dBase cell is text already and is kept here exactly as written. The format is a fixed
//! header, 32-byte field descriptors and fixed-width records (dBASE III–V, FoxPro).

use encoding_rs::Encoding;
use trove_model::{FileKind, Metadata, PartKind};

use crate::assemble::extracted;
use crate::text::sniff_encoding;
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// Where the field descriptors begin, and the size of each.
const DESCRIPTORS: usize = 32;
const DESCRIPTOR_LEN: usize = 32;
/// Ends the descriptors.
const TERMINATOR: u8 = 0x0D;
/// Marks a deleted record; an active one begins with a space.
const DELETED: u8 = b'*';
/// Ends the records, when a writer puts it there.
const END_OF_FILE: u8 = 0x1A;
/// Version bytes of the dBase and FoxPro tables this reader knows.
const VERSIONS: &[u8] = &[
    0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB,
];
/// Field types of those versions.
const FIELD_TYPES: &[u8] = b"CNFDLMIBTYG@+O0VPQW";

/// A table's layout, read from its header.
struct Layout {
    header_len: usize,
    record_len: usize,
    records: usize,
    language_driver: u8,
    fields: Vec<Field>,
}

struct Field {
    name: Vec<u8>,
    len: usize,
}

/// Whether `bytes` begin like a dBase table: a known version, a plausible date of last
/// update, and field descriptors whose widths add up to the record length. Content alone
/// decides, as for every kind; no other format passes all of that by chance.
pub(crate) fn looks_like_dbf(bytes: &[u8]) -> bool {
    layout(bytes).is_some()
}

fn layout(bytes: &[u8]) -> Option<Layout> {
    let header = bytes.get(..DESCRIPTORS)?;
    // Some writers leave the date of last update empty (all zero).
    let (month, day) = (header[2], header[3]);
    let dated = (1..=12).contains(&month) && (1..=31).contains(&day);
    if !VERSIONS.contains(&header[0]) || !(dated || (month, day) == (0, 0)) {
        return None;
    }
    let records = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let header_len = usize::from(u16::from_le_bytes([header[8], header[9]]));
    let record_len = usize::from(u16::from_le_bytes([header[10], header[11]]));
    let mut fields = Vec::new();
    let mut at = DESCRIPTORS;
    loop {
        match bytes.get(at)? {
            &TERMINATOR => break,
            _ if at + DESCRIPTOR_LEN > header_len => return None,
            _ => {}
        }
        let descriptor = bytes.get(at..at + DESCRIPTOR_LEN)?;
        if !FIELD_TYPES.contains(&descriptor[11]) {
            return None;
        }
        let name_end = descriptor[..11].iter().position(|b| *b == 0).unwrap_or(11);
        fields.push(Field {
            name: descriptor[..name_end].to_vec(),
            len: usize::from(descriptor[16]),
        });
        at += DESCRIPTOR_LEN;
    }
    let widths: usize = fields.iter().map(|f| f.len).sum();
    (!fields.is_empty() && widths + 1 == record_len && header_len > at).then_some(Layout {
        header_len,
        record_len,
        records,
        language_driver: header[29],
        fields,
    })
}

/// The code page a table's language driver byte names (the values dBase, FoxPro and
/// the ESRI tools write); `None` for 0 (not said) and for drivers not listed.
fn code_page(driver: u8) -> Option<&'static Encoding> {
    let label: &[u8] = match driver {
        0x4D | 0x7A | 0x86 => b"gb18030",
        0x78 | 0x82 => b"big5",
        0x79 | 0x83 => b"euc-kr",
        0x13 | 0x7B | 0x81 => b"shift_jis",
        0x03 | 0x57 | 0x58 | 0x59 => b"windows-1252",
        0xC8 => b"windows-1250",
        0xC9 => b"windows-1251",
        0xCA => b"windows-1254",
        0xCB => b"windows-1253",
        0x26 | 0x65 => b"ibm866",
        _ => return None,
    };
    Encoding::for_label(label)
}

/// Reads a dBase table.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let kind = FileKind::Dbf;
    let layout = layout(bytes).ok_or_else(|| {
        ExtractError::corrupt(kind, "the table's header or field descriptors are damaged")
    })?;
    let data = bytes.get(layout.header_len..).unwrap_or_default();
    // Records the header claims beyond the file's end are not there to read.
    let present = data.len() / layout.record_len;
    let rows: Vec<&[u8]> = data
        .chunks_exact(layout.record_len)
        .take(layout.records.min(present))
        .take_while(|record| record[0] != END_OF_FILE)
        .collect();
    let encoding = code_page(layout.language_driver).unwrap_or_else(|| guess(&layout, &rows));
    let header_line = line(layout.fields.iter().map(|f| f.name.as_slice()), encoding);
    let mut active = header_line.clone();
    let mut deleted = header_line;
    let mut deleted_count = 0usize;
    let mut over_budget = false;
    for record in &rows {
        if active.len() + deleted.len() >= limits.max_text_bytes {
            over_budget = true;
            break;
        }
        let target = if record[0] == DELETED {
            deleted_count += 1;
            &mut deleted
        } else {
            &mut active
        };
        target.push_str(&line(cells(&layout, record), encoding));
    }
    let mut parts = PartsBuilder::new(limits);
    parts.push(PartKind::Sheet, 1, Some("records".to_owned()), active);
    if deleted_count > 0 {
        parts.push(
            PartKind::Sheet,
            2,
            Some("deleted records".to_owned()),
            deleted,
        );
    }
    let metadata = Metadata {
        encoding: Some(encoding.name().to_owned()),
        modified: last_update(bytes),
        page_count: Some(1 + u32::from(deleted_count > 0)),
        ..Metadata::default()
    };
    let mut extracted = extracted(parts, metadata);
    extracted.truncated |= over_budget || rows.len() < layout.records;
    Ok(extracted)
}

/// The cells of one record, after its deletion flag, by the fields' widths.
fn cells<'a>(layout: &'a Layout, record: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut at = 1;
    layout.fields.iter().map(move |field| {
        let cell = record.get(at..at + field.len).unwrap_or_default();
        at += field.len;
        cell
    })
}

/// One line of the sheet: the cells decoded, padding trimmed (dBase pads text with spaces
/// and numbers on the left), tabs and line breaks inside a cell made spaces.
fn line<'a>(cells: impl Iterator<Item = &'a [u8]>, encoding: &'static Encoding) -> String {
    let mut line = String::new();
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            line.push('\t');
        }
        let text = encoding.decode_without_bom_handling(cell).0;
        let text = text.trim_matches(|c: char| c == ' ' || c == '\0');
        line.extend(text.chars().map(|c| {
            if matches!(c, '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        }));
    }
    line.push('\n');
    line
}

/// The encoding of a table that does not say: judged from its field names and cells.
fn guess(layout: &Layout, rows: &[&[u8]]) -> &'static Encoding {
    let mut sample: Vec<u8> = layout
        .fields
        .iter()
        .flat_map(|f| f.name.iter().copied().chain([b' ']))
        .collect();
    for record in rows.iter().take(2000) {
        sample.extend_from_slice(&record[1..]);
        sample.push(b' ');
    }
    sniff_encoding(&sample, true).0
}

/// The date of last update the header gives (years counted from 1900), if it gives one.
fn last_update(bytes: &[u8]) -> Option<String> {
    (bytes[2] != 0).then(|| {
        format!(
            "{:04}-{:02}-{:02}",
            1900 + u32::from(bytes[1]),
            bytes[2],
            bytes[3]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table as dBase III writes it, with the given language driver.
    fn table(driver: u8, fields: &[(&str, u8, u8)], records: &[(bool, Vec<&[u8]>)]) -> Vec<u8> {
        let record_len: usize = 1 + fields.iter().map(|f| usize::from(f.2)).sum::<usize>();
        let header_len = DESCRIPTORS + DESCRIPTOR_LEN * fields.len() + 1;
        let mut bytes = vec![0x03, 118, 3, 1];
        bytes.extend((records.len() as u32).to_le_bytes());
        bytes.extend((header_len as u16).to_le_bytes());
        bytes.extend((record_len as u16).to_le_bytes());
        bytes.resize(29, 0);
        bytes.push(driver);
        bytes.resize(DESCRIPTORS, 0);
        for (name, typ, len) in fields {
            let mut descriptor = name.as_bytes().to_vec();
            descriptor.resize(11, 0);
            descriptor.push(*typ);
            descriptor.resize(16, 0);
            descriptor.push(*len);
            descriptor.resize(DESCRIPTOR_LEN, 0);
            bytes.extend(descriptor);
        }
        bytes.push(TERMINATOR);
        for (deleted, cells) in records {
            bytes.push(if *deleted { DELETED } else { b' ' });
            for ((_, _, len), cell) in fields.iter().zip(cells) {
                let mut cell = cell.to_vec();
                cell.resize(usize::from(*len), b' ');
                bytes.extend(cell);
            }
        }
        bytes.push(END_OF_FILE);
        bytes
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    #[test]
    fn a_gbk_register_keeps_its_id_numbers_whole_and_its_deleted_rows_apart() {
        let name = gbk("古丽");
        let deleted_name = gbk("艾买提");
        let bytes = table(
            0x7A,
            &[("XM", b'C', 10), ("SFZH", b'N', 18)],
            &[
                (false, vec![&name, b"653121199001010027"]),
                (true, vec![&deleted_name, b"653121198503150017"]),
            ],
        );
        assert!(looks_like_dbf(&bytes));
        let extracted = extract(&bytes, &Limits::default()).unwrap();
        let texts: Vec<(&str, &str)> = extracted
            .parts
            .iter()
            .map(|p| (p.label.as_deref().unwrap(), p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("records", "XM\tSFZH\n古丽\t653121199001010027\n"),
                ("deleted records", "XM\tSFZH\n艾买提\t653121198503150017\n"),
            ]
        );
        assert_eq!(extracted.metadata.encoding.as_deref(), Some("gb18030"));
        assert_eq!(extracted.metadata.modified.as_deref(), Some("2018-03-01"));
    }

    #[test]
    fn a_table_that_does_not_name_its_code_page_is_judged_from_its_text() {
        let name = gbk("阿依古丽·艾买提");
        let place = gbk("托克扎克镇阿亚格村");
        let bytes = table(
            0,
            &[("XM", b'C', 30), ("ZZ", b'C', 30)],
            &[(false, vec![&name, &place])],
        );
        let extracted = extract(&bytes, &Limits::default()).unwrap();
        assert!(
            extracted.parts[0]
                .text
                .contains("阿依古丽·艾买提\t托克扎克镇阿亚格村"),
            "{}",
            extracted.parts[0].text
        );
    }

    #[test]
    fn other_files_and_damaged_tables_are_not_taken_for_tables() {
        assert!(!looks_like_dbf(
            b"\x03\x76\x03\x01 plain text that is long enough to fill"
        ));
        let mut bytes = table(0x7A, &[("XM", b'C', 10)], &[(false, vec![b"x"])]);
        bytes[10] = 99; // the record length no longer matches the fields
        assert!(!looks_like_dbf(&bytes));
        assert!(extract(&bytes, &Limits::default()).is_err());
        // A header that claims a million records holds only what is there.
        let mut short = table(0x7A, &[("XM", b'C', 10)], &[(false, vec![b"x"])]);
        short[4..8].copy_from_slice(&1_000_000u32.to_le_bytes());
        let extracted = extract(&short, &Limits::default()).unwrap();
        assert_eq!(extracted.parts[0].text, "XM\nx\n");
        assert!(extracted.truncated);
    }
}
