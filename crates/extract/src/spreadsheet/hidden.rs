//! Rows a workbook hides. calamine reports which sheets are hidden but not which rows, so
//! they are read here from the sheets' own row records: `<row hidden="1">` in an .xlsx
//! worksheet part, the fDyZero bit of a BIFF ROW record in an .xls. A clerk who hides a
//! row takes a person out of a printout or a count, which is worth knowing about the row.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::ooxml::relationships;
use crate::xml_text::attribute;
use crate::zip_package::Package;

/// The hidden 1-based rows of each worksheet of an .xlsx, by sheet name; sheets hiding
/// nothing are left out. A part that cannot be read hides nothing: calamine reports the
/// damage when it reads the cells.
pub(super) fn xlsx_hidden_rows(package: &mut Package<'_>) -> HashMap<String, Vec<u32>> {
    let workbook = "xl/workbook.xml";
    let (Ok(Some(book)), Ok(Some(rels))) = (
        package.read_xml(workbook),
        package.read_xml(&relationships::rels_path(workbook)),
    ) else {
        return HashMap::new();
    };
    let targets: HashMap<String, String> = relationships::parse(workbook, &rels)
        .into_iter()
        .map(|r| (r.id, r.target))
        .collect();
    let mut hidden = HashMap::new();
    for (name, id) in sheet_ids(&book) {
        let Some(target) = targets.get(&id) else {
            continue;
        };
        // Most sheets hide nothing: a byte search spares them the XML walk. Both passes
        // stream the part, which can be far larger than the rows it holds.
        let mentions_hidden = match package.stream(target) {
            Ok(Some(member)) => mentions(member.reader, b"hidden="),
            _ => false,
        };
        if !mentions_hidden {
            continue;
        }
        let Ok(Some(member)) = package.stream(target) else {
            continue;
        };
        let rows = hidden_xml_rows(BufReader::new(member.reader));
        if !rows.is_empty() {
            hidden.insert(name, rows);
        }
    }
    hidden
}

/// `(name, relationship id)` of every `<sheet>` in workbook.xml.
fn sheet_ids(workbook: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(workbook);
    let mut sheets = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attribute(&e, "name"), attribute(&e, "id")) {
                    sheets.push((name, id));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    sheets
}

/// Whether `needle` occurs in what `reader` gives, read a block at a time.
fn mentions(mut reader: impl Read, needle: &[u8]) -> bool {
    let finder = memchr::memmem::Finder::new(needle);
    let mut block = vec![0u8; 64 << 10];
    // The end of the previous block is kept, for a needle cut in two.
    let keep = needle.len() - 1;
    let mut filled = 0;
    loop {
        let read = match reader.read(&mut block[filled..]) {
            Ok(0) | Err(_) => return false,
            Ok(read) => read,
        };
        let end = filled + read;
        if finder.find(&block[..end]).is_some() {
            return true;
        }
        let tail = end.saturating_sub(keep);
        block.copy_within(tail..end, 0);
        filled = end - tail;
    }
}

/// The 1-based numbers of the `<row>` elements marked hidden in a worksheet part. A row
/// without `r` follows the one before it, as the format says.
fn hidden_xml_rows(sheet: impl BufRead) -> Vec<u32> {
    let mut reader = Reader::from_reader(sheet);
    let mut buffer = Vec::new();
    let mut rows = Vec::new();
    let mut previous = 0u32;
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let number = attribute(&e, "r")
                    .and_then(|r| r.trim().parse().ok())
                    .unwrap_or(previous + 1);
                previous = number;
                if attribute(&e, "hidden").is_some_and(|h| h == "1" || h == "true") {
                    rows.push(number);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buffer.clear();
    }
    rows
}

/// BIFF record types read for hidden rows.
const BOUNDSHEET: u16 = 0x0085;
const BOF: u16 = 0x0809;
const ROW: u16 = 0x0208;
/// ROW's option flags: fDyZero, the row is hidden.
const ROW_HIDDEN: u16 = 0x0020;

/// Hidden rows of a legacy workbook's sheets, gathered while its records are scanned:
/// each BOUNDSHEET names where its sheet's records begin, and ROW records after that BOF
/// belong to that sheet.
#[derive(Debug, Default)]
pub(super) struct BiffHiddenRows {
    /// Stream offset of each sheet's BOF, in BOUNDSHEET (and so calamine's) order.
    sheet_starts: Vec<u32>,
    /// The sheet whose records are being scanned, by its BOUNDSHEET position.
    current: Option<usize>,
    /// Hidden 1-based rows by BOUNDSHEET position.
    rows: HashMap<usize, Vec<u32>>,
}

impl BiffHiddenRows {
    /// Takes note of record `typ` at stream offset `at` with `body`.
    pub(super) fn see(&mut self, at: usize, typ: u16, body: &[u8]) {
        match typ {
            BOUNDSHEET if body.len() >= 4 => {
                self.sheet_starts
                    .push(u32::from_le_bytes([body[0], body[1], body[2], body[3]]));
            }
            BOF => {
                self.current = self.sheet_starts.iter().position(|s| *s as usize == at);
            }
            ROW if body.len() >= 14 => {
                let flags = u16::from_le_bytes([body[12], body[13]]);
                if let Some(sheet) = self.current
                    && flags & ROW_HIDDEN != 0
                {
                    let row = u32::from(u16::from_le_bytes([body[0], body[1]])) + 1;
                    self.rows.entry(sheet).or_default().push(row);
                }
            }
            _ => {}
        }
    }

    /// The hidden rows of each sheet, by its position among the sheets.
    pub(super) fn finish(self) -> HashMap<usize, Vec<u32>> {
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_xml_rows_are_found_with_and_without_numbers() {
        let sheet = br#"<worksheet><sheetData>
            <row r="1"><c r="A1"/></row>
            <row r="3" hidden="1" spans="1:2"><c r="A3"/></row>
            <row hidden="true"/>
            <row r="9" hidden="0"/>
        </sheetData></worksheet>"#;
        assert_eq!(hidden_xml_rows(&sheet[..]), vec![3, 4]);
    }

    #[test]
    fn a_word_cut_between_two_blocks_is_found() {
        let mut text = vec![b'x'; (64 << 10) - 3];
        text.extend(b"hidden=\"1\"");
        assert!(mentions(&text[..], b"hidden="));
        assert!(!mentions(&vec![b'x'; 200_000][..], b"hidden="));
    }

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut bytes = typ.to_le_bytes().to_vec();
        bytes.extend((body.len() as u16).to_le_bytes());
        bytes.extend(body);
        bytes
    }

    fn row(number: u16, flags: u16) -> Vec<u8> {
        let mut body = number.to_le_bytes().to_vec();
        body.extend([0u8; 10]);
        body.extend(flags.to_le_bytes());
        body.extend([0u8; 2]);
        record(ROW, &body)
    }

    #[test]
    fn biff_rows_are_given_to_the_sheet_whose_records_hold_them() {
        // Globals, then two sheets; BOUNDSHEETs point at their BOFs.
        let bof = record(BOF, &[0u8; 16]);
        let globals_len = bof.len() + 2 * record(BOUNDSHEET, &[0u8; 8]).len();
        let first = globals_len as u32;
        let second_records = [bof.clone(), row(0, 0), row(4, ROW_HIDDEN)].concat();
        let second = first + second_records.len() as u32;
        let mut stream = bof.clone();
        for start in [first, second] {
            let mut body = start.to_le_bytes().to_vec();
            body.extend([0u8; 4]);
            stream.extend(record(BOUNDSHEET, &body));
        }
        stream.extend(second_records);
        stream.extend([bof, row(1, ROW_HIDDEN), row(2, ROW_HIDDEN | 0x0100)].concat());

        let mut hidden = BiffHiddenRows::default();
        let mut at = 0;
        while at + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
            hidden.see(at, typ, &stream[at + 4..at + 4 + len]);
            at += 4 + len;
        }
        let rows = hidden.finish();
        assert_eq!(rows[&0], vec![5]);
        assert_eq!(rows[&1], vec![2, 3]);
    }
}
