//! A scan of a legacy workbook's BIFF records before calamine reads it.
//!
//! calamine reserves memory from the sheet dimensions a file claims and
//! lays cells out densely by their column numbers, so one crafted record
//! could ask for terabytes and abort the process (an allocation failure is
//! not a panic that can be caught). BIFF5/8 sheets have at most 65,536 rows
//! and 256 columns; records beyond that are refused here. The scan also
//! finds FILEPASS, which calamine reads as a password only for RC4, not
//! for XOR obfuscation. While it walks the records it also notes the rows the sheets
//! hide, which calamine does not report.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use trove_model::FileKind;

use crate::ExtractError;
use crate::binary::{u16_at, u32_at};

use super::hidden::BiffHiddenRows;

const MAX_ROWS: u32 = 65_536;
const MAX_COLUMNS: u32 = 256;

const FILEPASS: u16 = 0x002F;
const DIMENSIONS: u16 = 0x0200;
/// Cell records whose first four bytes are row and column.
const CELLS: &[u16] = &[0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E];
const MUL_RK: u16 = 0x00BD;

/// The largest workbook stream scanned, as calamine reads no more either.
const MAX_STREAM_BYTES: u64 = 256 << 20;

/// Refuses encrypted workbooks and records beyond the BIFF limits, and returns the hidden
/// 1-based rows of each sheet by its position among the sheets. Files whose container
/// cannot be read are left for calamine to report.
pub(super) fn check(bytes: &[u8]) -> Result<HashMap<usize, Vec<u32>>, ExtractError> {
    let kind = FileKind::Xls;
    let mut hidden = BiffHiddenRows::default();
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(HashMap::new());
    };
    let Some(path) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|p| file.is_stream(p))
    else {
        return Ok(HashMap::new());
    };
    let mut stream = Vec::new();
    if let Ok(s) = file.open_stream(path) {
        // A damaged stream is calamine's to report; what was read is scanned.
        let _ = s.take(MAX_STREAM_BYTES).read_to_end(&mut stream);
    }
    let beyond =
        |what: String| ExtractError::corrupt(kind, format!("{what}, beyond the BIFF limits"));
    let mut at = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(&stream, at), u16_at(&stream, at + 2)) {
        let body = stream
            .get(at + 4..at + 4 + usize::from(len))
            .unwrap_or_default();
        hidden.see(at, typ, body);
        at += 4 + usize::from(len);
        match typ {
            FILEPASS => {
                return Err(ExtractError::encrypted(
                    kind,
                    "the workbook has a FILEPASS record",
                ));
            }
            DIMENSIONS => {
                // BIFF8 has 32-bit rows, BIFF5 16-bit; the last row and
                // column are one past the end, zero for an empty sheet.
                let (first_row, last_row, last_col) = if body.len() >= 14 {
                    (u32_at(body, 0), u32_at(body, 4), u16_at(body, 10))
                } else {
                    (
                        u16_at(body, 0).map(u32::from),
                        u16_at(body, 2).map(u32::from),
                        u16_at(body, 6),
                    )
                };
                let (first_row, last_row) = (first_row.unwrap_or(0), last_row.unwrap_or(0));
                let last_col = u32::from(last_col.unwrap_or(0));
                let inverted = last_row > 0 && first_row >= last_row;
                if inverted || last_row > MAX_ROWS || last_col > MAX_COLUMNS {
                    return Err(beyond(format!(
                        "a DIMENSIONS record claims rows {first_row}..{last_row} and {last_col} columns"
                    )));
                }
            }
            MUL_RK => {
                let last = body.len().checked_sub(2).and_then(|end| u16_at(body, end));
                if let Some(col) = last.filter(|c| u32::from(*c) >= MAX_COLUMNS) {
                    return Err(beyond(format!("a cell record names column {col}")));
                }
            }
            t if CELLS.contains(&t) => {
                if let Some(col) = u16_at(body, 2).filter(|c| u32::from(*c) >= MAX_COLUMNS) {
                    return Err(beyond(format!("a cell record names column {col}")));
                }
            }
            _ => {}
        }
    }
    Ok(hidden.finish())
}
