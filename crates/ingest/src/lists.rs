//! Outside lists (relatives' reports of the missing, published lists) read into entries:
//! a JSON array of objects, or the first sheet of anything trove reads as a spreadsheet
//! (CSV, XLSX, XLS, ODS).

use trove_model::{ListEntry, PartKind};
use trove_records::lists::{ListError, ListMap, entries_from_rows};

/// Lists are read whole; larger files are refused rather than risk the memory.
pub const MAX_LIST_BYTES: u64 = 256 << 20;

/// Why a list file gave no entries.
#[derive(Debug, thiserror::Error)]
pub enum ListReadError {
    /// The JSON's top level is not an array of objects.
    #[error("a JSON list must be an array of objects")]
    NotAnArray,
    /// The file is not valid JSON.
    #[error("the JSON cannot be read: {0}")]
    Json(#[from] serde_json::Error),
    /// The spreadsheet cannot be opened or read.
    #[error("the file cannot be read: {0}")]
    Extract(#[from] trove_extract::ExtractError),
    /// The file's type (named) is not one a list comes in.
    #[error("a {0} file is not a list trove can read: give CSV, XLSX, XLS, ODS or JSON")]
    NotAList(&'static str),
    /// The spreadsheet holds no sheet with rows.
    #[error("the file has no sheet of rows")]
    NoSheet,
    /// The rows were read but do not make valid entries (no name column, say).
    #[error(transparent)]
    Entries(#[from] ListError),
}

/// A header and rows, each row with its 1-based number (the header being row 1).
type Table = (Vec<String>, Vec<(u32, Vec<String>)>);

/// The entries of a list file, its columns found by their headers unless `map` names them.
pub fn read_list(
    bytes: &[u8],
    file_name: &str,
    map: &ListMap,
) -> Result<Vec<ListEntry>, ListReadError> {
    let (header, rows) = if file_name.to_lowercase().ends_with(".json") {
        json_table(bytes)?
    } else {
        sheet_table(bytes, file_name)?
    };
    Ok(entries_from_rows(&header, &rows, map)?)
}

fn sheet_table(bytes: &[u8], file_name: &str) -> Result<Table, ListReadError> {
    let kind = trove_extract::detect(bytes, file_name);
    let extracted = trove_extract::extract(kind, bytes, &trove_extract::Limits::default())?
        .ok_or(ListReadError::NotAList(kind.code()))?;
    let sheet = extracted
        .parts
        .into_iter()
        .find(|p| p.kind == PartKind::Sheet)
        .ok_or(ListReadError::NoSheet)?;
    let mut lines = sheet.text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split('\t')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .enumerate()
        .map(|(i, line)| (i as u32 + 2, line.split('\t').map(str::to_owned).collect()))
        .collect();
    Ok((header, rows))
}

fn json_table(bytes: &[u8]) -> Result<Table, ListReadError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)?;
    let items = value.as_array().ok_or(ListReadError::NotAnArray)?;
    let mut header: Vec<String> = Vec::new();
    for object in items.iter().filter_map(|v| v.as_object()) {
        for key in object.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
    }
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let cells = header
                .iter()
                .map(|key| match item.get(key) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect();
            (i as u32 + 2, cells)
        })
        .collect();
    Ok((header, rows))
}
