//! What the record, person and review pages show of records: a row in its sheet, an ID
//! number decoded, a one-line summary. Plain data for templates and JSON; every value is
//! escaped by the templates, never marked safe.

use serde::Serialize;
use trove_model::{BlobId, Record, RowRef};
use trove_records::resident_id::{IdProblem, decode};
use trove_store::{RecordCatalog, RecordFilter, StoreError, StoredRecord};

use crate::i18n::Lang;

/// Sheet rows shown above and below a record's row, for context.
const CONTEXT_ROWS: u32 = 2;
/// Cells shown per context row: sheets can be very wide.
const MAX_CONTEXT_CELLS: usize = 40;

/// Where a record sits: the address of its page. A table beside another on its sheet
/// adds its first column, as one row of the sheet is a row of each.
pub fn record_link(case: &str, record: &Record) -> String {
    let source = &record.source;
    row_link(case, &source.blob, source.part, source.row, source.column)
}

/// The page of the record at a row of a sheet part, in the table starting at `column`.
pub fn row_link(
    case: &str,
    blob: &impl std::fmt::Display,
    part: u32,
    row: u32,
    column: u32,
) -> String {
    let link = format!("/cases/{case}/records/{blob}/{part}/{row}");
    match column {
        0 => link,
        column => format!("{link}?column={column}"),
    }
}

pub fn person_link(case: &str, person: &str) -> String {
    format!("/cases/{case}/persons/{person}")
}

pub fn document_link(case: &str, blob: &impl std::fmt::Display) -> String {
    format!("/cases/{case}/documents/{blob}")
}

/// The page of a person (by key) or a document (by id): where verification, notes and
/// activity about it lead.
pub fn subject_link(case: &str, kind: trove_model::SubjectKind, subject: &str) -> String {
    match kind {
        trove_model::SubjectKind::Person => person_link(case, subject),
        trove_model::SubjectKind::Document => document_link(case, &subject),
    }
}

/// A thumbnail, re-encoded by the document pages: originals are never shown inline.
pub fn preview_link(case: &str, blob: &BlobId) -> String {
    format!("/cases/{case}/documents/{blob}/preview.png")
}

/// A value a page shows under a label of the workbench's own (`Born`: 1985-03-02): the
/// label's message key, and the value as written. The API gives it as `[label, value]`,
/// the label in English.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub label: &'static str,
    pub value: String,
}

impl Labelled {
    /// The labels of `lines` that have a value, with it.
    pub fn present(lines: impl IntoIterator<Item = (&'static str, Option<String>)>) -> Vec<Self> {
        lines
            .into_iter()
            .filter_map(|(label, value)| value.map(|value| Labelled { label, value }))
            .collect()
    }
}

impl Serialize for Labelled {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (Lang::English.t(self.label), &self.value).serialize(serializer)
    }
}

/// One line of a records table.
#[derive(Debug, Clone, Serialize)]
pub struct RecordLine {
    pub person: String,
    pub link: String,
    pub name: String,
    pub id_number: String,
    pub id_valid: bool,
    pub sex: String,
    pub birth_date: String,
    pub township: String,
    pub status: String,
    pub path: String,
    pub place: String,
    pub flags: usize,
}

impl RecordLine {
    pub fn new(case: &str, stored: &StoredRecord, path: String) -> Self {
        let record = &stored.record;
        let fields = &record.fields;
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        RecordLine {
            person: stored.person.clone(),
            link: record_link(case, record),
            name: text(&fields.name),
            id_number: text(&fields.id_number),
            id_valid: fields.id_valid,
            sex: fields.sex.map(|s| s.code().to_owned()).unwrap_or_default(),
            birth_date: fields.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            township: text(&fields.township),
            status: text(&fields.status_raw),
            path,
            place: record.source.describe(),
            flags: record.flags.len(),
        }
    }
}

/// A resident ID number taken apart.
#[derive(Debug, Clone, Serialize)]
pub struct IdView {
    pub number: String,
    pub valid: bool,
    /// Read from a 15-digit number, issued before 1999.
    pub legacy: bool,
    pub region_code: Option<String>,
    /// The region with its divisions and the years of its code, when the code is known.
    pub region: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    /// The check character, and whether the first 17 digits call for it.
    pub check_character: Option<char>,
    pub check_correct: bool,
    pub problems: Vec<IdProblemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdProblemView {
    /// Fatal problems make the number invalid; the rest are notes.
    pub fatal: bool,
    pub text: String,
}

impl IdView {
    pub fn decode(input: &str) -> Self {
        let id = decode(input);
        let check_correct = !id
            .problems
            .iter()
            .any(|p| matches!(p, IdProblem::CheckDigit { .. }));
        IdView {
            number: id.canonical.clone().unwrap_or_else(|| id.input.clone()),
            valid: id.is_valid(),
            legacy: id.legacy,
            region: id.region.as_ref().map(ToString::to_string),
            region_code: id.region_code.clone(),
            birth_date: id.birth_date.map(|d| d.to_string()),
            sex: id.sex.map(|s| format!("{} ({})", s.code(), s.chinese())),
            check_character: id.canonical.as_deref().and_then(|c| c.chars().last()),
            check_correct,
            problems: id
                .problems
                .iter()
                .map(|p| IdProblemView {
                    fatal: p.is_fatal(),
                    text: p.to_string(),
                })
                .collect(),
        }
    }
}

/// A record's row among its neighbours in the sheet, as the sheet's text holds them.
#[derive(Debug, Clone, Serialize)]
pub struct SheetExcerpt {
    pub rows: Vec<SheetRow>,
    /// The sheet's number among its document's sheets (1-based), for the link to the whole
    /// sheet opened on this row.
    pub sheet: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// 1-based, as a spreadsheet numbers rows.
    pub number: u32,
    pub cells: Vec<String>,
    /// The record's own row.
    pub current: bool,
}

/// Rows around `record`'s from its sheet part, when the catalog still holds that part.
pub fn sheet_excerpt(
    catalog: &dyn RecordCatalog,
    record: &Record,
) -> Result<Option<SheetExcerpt>, StoreError> {
    let parts = catalog.sheet_parts(&record.source.blob)?;
    let Some(part) = parts.iter().find(|p| p.part == record.source.part) else {
        return Ok(None);
    };
    let row = record.source.row;
    let first = row.saturating_sub(CONTEXT_ROWS).max(1);
    let rows = part
        .text
        .lines()
        .enumerate()
        .map(|(index, line)| (index as u32 + 1, line))
        .skip_while(|(number, _)| *number < first)
        .take_while(|(number, _)| *number <= row + CONTEXT_ROWS)
        .map(|(number, line)| SheetRow {
            number,
            cells: line
                .split('\t')
                .take(MAX_CONTEXT_CELLS)
                .map(str::to_owned)
                .collect(),
            current: number == row,
        })
        .collect::<Vec<_>>();
    Ok((!rows.is_empty()).then_some(SheetExcerpt {
        rows,
        sheet: part.index,
    }))
}

/// Every record of a person, in (blob, part, row) order.
pub fn records_of(catalog: &dyn RecordCatalog, person: &str) -> Result<Vec<Record>, StoreError> {
    let filter = RecordFilter {
        person: Some(person.to_owned()),
        ..RecordFilter::default()
    };
    let mut records = Vec::new();
    catalog.for_each_record(&filter, 0, None, &mut |stored| {
        records.push(stored.record);
        Ok(())
    })?;
    Ok(records)
}

/// The record at (blob, part, row) in the table starting at `column`, with its person:
/// one look-up by the records' key, not a walk through its blob's records.
pub fn find_record(
    catalog: &dyn RecordCatalog,
    blob: &BlobId,
    part: u32,
    row: u32,
    column: u32,
) -> Result<Option<StoredRecord>, StoreError> {
    catalog.record_at(&RowRef {
        blob: blob.clone(),
        part,
        sheet: None,
        row,
        column,
    })
}

/// The names a person's records give, in first-seen order, each once.
pub fn distinct_names(records: &[Record]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in records.iter().filter_map(|r| r.fields.name.as_ref()) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}
