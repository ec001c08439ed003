//! What the record, person and review pages show of records: a row in its sheet, an ID
//! number decoded, a one-line summary. Plain data for templates and JSON; every value is
//! escaped by the templates, never marked safe.

use serde::Serialize;
use trove_model::{BlobId, Record, RowRef, column_letter};
use trove_records::regions::{InUse, Level, Region};
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
    /// Where the record came from, for the page to say in its language.
    #[serde(skip)]
    pub source: RowRef,
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
            source: record.source.clone(),
            flags: record.flags.len(),
        }
    }

    /// [`Self::place`] in `lang`.
    pub fn place_in(&self, lang: &Lang) -> String {
        place(*lang, &self.source)
    }
}

/// Where in its document a record is, in `lang`: `sheet 人口登记表, row 12`, `row 12`
/// for a CSV file, with `, columns from H` for a table beside another. The sheet's name is
/// the leak's own, as written; [`RowRef::describe`] is the English one.
pub fn place(lang: Lang, source: &RowRef) -> String {
    place_at(lang, source.sheet.as_deref(), source.row, source.column)
}

/// [`place`] from the sheet's name, the 1-based row and the table's first column.
pub fn place_at(lang: Lang, sheet: Option<&str>, row: u32, column: u32) -> String {
    let row = match sheet {
        Some(sheet) => lang
            .msg("record.place.sheet_row")
            .arg("sheet", sheet)
            .arg("row", row),
        None => lang.msg("record.place.row").arg("row", row),
    };
    match column {
        0 => row.to_string(),
        column => lang
            .msg("record.place.columns_from")
            .arg("place", row)
            .arg("column", column_letter(column as usize))
            .to_string(),
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
    /// The same region, for the page to describe in its language.
    #[serde(skip)]
    pub region_parts: Option<Region>,
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
    /// In English, as the decoder words it.
    pub text: String,
    /// The problem, for the page to say in its language.
    #[serde(skip)]
    pub problem: IdProblem,
}

impl IdProblemView {
    /// The problem in `lang`; its values (digits, dates, region names) as the number and
    /// the region tables give them.
    pub fn text_in(&self, lang: &Lang) -> String {
        let message = match &self.problem {
            IdProblem::Length { found } => lang.msg("id.problem.length").arg("found", found),
            IdProblem::NotDigits { found, position } => lang
                .msg("id.problem.not_digits")
                .arg("found", found)
                .arg("position", position),
            IdProblem::BirthDate { digits } => {
                lang.msg("id.problem.birth_date").arg("digits", digits)
            }
            IdProblem::CheckDigit { expected, found } => lang
                .msg("id.problem.check_digit")
                .arg("expected", expected)
                .arg("found", found),
            IdProblem::UnknownRegion { region_code } => lang
                .msg("id.problem.unknown_region")
                .arg("region_code", region_code),
            IdProblem::ExcelNumber { found } => {
                lang.msg("id.problem.excel_number").arg("found", found)
            }
            IdProblem::FutureBirth { birth, on } => lang
                .msg("id.problem.future_birth")
                .arg("birth", birth)
                .arg("on", on),
            IdProblem::RegionRetiredBeforeBirth {
                region_code,
                name,
                in_use,
                birth_year,
            } => lang
                .msg("id.problem.region_retired")
                .arg("region_code", region_code)
                .arg("name", name)
                .arg("in_use", in_use_in(*lang, *in_use))
                .arg("birth_year", birth_year),
        };
        message.to_string()
    }
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
            region_parts: id.region.clone(),
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
                    problem: p.clone(),
                })
                .collect(),
        }
    }
}

impl IdView {
    /// The issuing region in `lang`: its names as the tables write them, then its code and
    /// the years of its name (`特克斯县, 伊犁哈萨克自治州, 新疆维吾尔自治区: code 654027, …`).
    pub fn region_in(&self, lang: &Lang) -> Option<String> {
        let region = self.region_parts.as_ref()?;
        let mut names = vec![region.name.as_str()];
        names.extend(region.prefecture.as_deref());
        if region.level != Level::Province {
            names.push(&region.province);
        }
        Some(
            lang.msg("id.region")
                .arg("names", names.join(", "))
                .arg("code", &region.code)
                .arg("in_use", in_use_in(*lang, region.in_use))
                .to_string(),
        )
    }
}

/// The years a region code carried its name, in `lang` (`1984–2001`, `since 2001`,
/// `in use 2002–2016 (gb2260 revisions; earlier years not recorded)`); the English is
/// [`InUse`]'s own.
fn in_use_in(lang: Lang, in_use: InUse) -> String {
    match in_use {
        InUse::XinjiangTable {
            first,
            until: Some(until),
        } => format!("{first}–{until}"),
        InUse::XinjiangTable { first, until: None } => {
            lang.msg("id.in_use.since").arg("first", first).to_string()
        }
        InUse::Gb2260 { first, last } => {
            let unrecorded = match (first.is_earliest(), last.is_latest()) {
                (true, true) => lang.t("id.in_use.unrecorded"),
                (true, false) => lang.t("id.in_use.unrecorded_earlier"),
                (false, true) => lang.t("id.in_use.unrecorded_later"),
                (false, false) => "",
            };
            let years = if first.year == last.year {
                lang.msg("id.in_use.year").arg("year", first.year)
            } else {
                lang.msg("id.in_use.years")
                    .arg("first", first.year)
                    .arg("last", last.year)
            };
            years.arg("unrecorded", unrecorded).to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_numbers_problems_and_region_read_in_english_as_the_decoder_words_them() {
        let inputs = [
            "653121199001011234",
            "65312119900101123",
            "6.53121199001011E+17",
            "65312119900A011234",
            "999999199001011234",
            "653121209901011234",
            "654027201001011234",
        ];
        let mut problems = 0;
        for input in inputs {
            let id = IdView::decode(input);
            assert_eq!(id.region_in(&Lang::English), id.region, "{input}");
            for problem in &id.problems {
                problems += 1;
                assert_eq!(problem.text_in(&Lang::English), problem.text, "{input}");
                assert_ne!(
                    problem.text_in(&Lang::SimplifiedChinese),
                    problem.text,
                    "{input}"
                );
            }
        }
        assert!(problems >= 4, "{problems}");
    }

    #[test]
    fn the_years_of_a_region_code_read_in_english_as_the_tables_word_them() {
        let mut codes = 0;
        for code in ["653121", "654027", "650107", "110101", "654028", "652101"] {
            for region in trove_records::regions::region_history(code) {
                codes += 1;
                assert_eq!(
                    in_use_in(Lang::English, region.in_use),
                    region.in_use.to_string(),
                    "{code}"
                );
            }
        }
        assert!(codes >= 4, "{codes}");
    }

    #[test]
    fn a_records_place_is_said_in_the_readers_language() {
        let source = RowRef {
            blob: BlobId::from_digest([7; 32]),
            part: 0,
            sheet: Some("人口登记表".into()),
            row: 12,
            column: 7,
        };
        assert_eq!(place(Lang::English, &source), source.describe());
        assert_eq!(
            place(Lang::SimplifiedChinese, &source),
            "工作表 人口登记表，第 12 行，自 H 列起"
        );
        let csv = RowRef {
            sheet: None,
            column: 0,
            ..source
        };
        assert_eq!(place(Lang::English, &csv), "row 12");
    }
}
