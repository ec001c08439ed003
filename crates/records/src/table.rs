//! A sheet's text to records. Sheet parts hold one row per line and cells separated by tabs
//! (line N is row N), so a record points at its exact row (and, where tables stand side
//! by side, at the first column of its table).

use std::ops::Range;

use trove_model::{BlobId, Flag, Hidden, ListKind, Record, RowRef};

use crate::field::Field;
use crate::headers::{
    HEADER_SCAN_ROWS, Header, field_for_header, find_header, header_at, is_person_header,
};
use crate::list_kind::{
    Classification, ListClues, StatusTally, classify, is_household_column, named_by_labels,
};
use crate::mapping::{ColumnKey, Mapping, Rule};
use crate::row::build_record;
use crate::side_by_side::{cells_under, header_over, table_columns};
use crate::summary::is_summary_row;

/// One sheet part of a blob, with the paths the blob was seen at (their file names help
/// tell a register from a list of the held, and mapping rules match them).
#[derive(Debug, Clone, Copy)]
pub struct SheetInput<'a> {
    /// The blob the sheet belongs to; records point back to it.
    pub blob: &'a BlobId,
    /// The part's position among the blob's parts.
    pub part: u32,
    /// The sheet's name in its workbook; `None` for a CSV.
    pub sheet: Option<&'a str>,
    /// The part's text: one row a line, cells separated by tabs.
    pub text: &'a str,
    /// Every path the blob was seen at, relative to its ingest root.
    pub paths: &'a [String],
    /// What the workbook hides of the sheet: records from hidden rows or a hidden sheet
    /// are flagged.
    pub hidden: &'a Hidden,
    /// For a table read by OCR from a page image, the page's mean word confidence: every
    /// record is flagged as read by OCR.
    pub ocr_confidence: Option<f32>,
}

/// What a sheet yielded.
#[derive(Debug, Clone, Default)]
pub struct SheetRecords {
    /// What was judged of the sheet as a whole.
    pub sheet: SheetOutcome,
    /// One record per row below the header that holds a person, in row order.
    pub records: Vec<Record>,
}

/// What was judged of a sheet as a whole, once all its rows were read.
#[derive(Debug, Clone, Default)]
pub struct SheetOutcome {
    /// 1-based row of the header, when the sheet is a person list.
    pub header_row: Option<u32>,
    /// The kind of list the whole sheet is (from the mapping rule or judged);
    /// `None` when the sheet is not a person list.
    pub list: Option<ListKind>,
    /// Why the sheet is of that kind, for the person checking it.
    pub evidence: Option<String>,
    /// How many records the sheet yielded.
    pub records: u64,
    /// Records were handed over before the kind was known, marked
    /// [`ListKind::Other`]: the caller sets `list` on them.
    pub provisional: bool,
}

/// Reads the person records of a sheet; a sheet that is not a person list yields none.
pub fn read_sheet(input: &SheetInput<'_>, mapping: &Mapping) -> SheetRecords {
    let mut records = Vec::new();
    let outcome = read_sheet_in_chunks(input, mapping, usize::MAX, |chunk| {
        records.extend(chunk);
        Ok::<(), std::convert::Infallible>(())
    });
    let Ok(sheet) = outcome;
    SheetRecords { sheet, records }
}

/// Reads the person records of a sheet and hands them to `emit` in row order, at most
/// `chunk` at a time, so that a sheet of a million rows is never held whole. The rows'
/// statuses may decide the list's kind only after the last row: when records had to be
/// handed over before then, they carry [`ListKind::Other`] and the outcome says so.
pub fn read_sheet_in_chunks<E>(
    input: &SheetInput<'_>,
    mapping: &Mapping,
    chunk: usize,
    mut emit: impl FnMut(Vec<Record>) -> Result<(), E>,
) -> Result<SheetOutcome, E> {
    let rule = mapping.rule_for(input.blob, input.paths, input.sheet);
    if rule.is_some_and(|r| r.skip) {
        return Ok(SheetOutcome::default());
    }
    let lines: Vec<&str> = input.text.lines().collect();
    let top_rows = HEADER_SCAN_ROWS.max(rule.and_then(|r| r.header_row).map_or(0, |r| r + 1));
    let top: Vec<Vec<&str>> = lines.iter().take(top_rows).map(|l| cells_of(l)).collect();
    let Some(header) = locate_header(&top, rule) else {
        return Ok(SheetOutcome::default());
    };
    let labels = labels(&top[..header.index], input);
    let known = match rule.and_then(|r| r.kind) {
        Some(kind) => Some(Classification {
            kind,
            evidence: "set by the mapping file".to_owned(),
        }),
        None => named_by_labels(&labels),
    };
    let provisional_kind = known.as_ref().map_or(ListKind::Other, |k| k.kind);

    let mut batch = Vec::new();
    let mut count = 0u64;
    let mut emitted_early = false;
    let mut statuses = StatusTally::default();
    let mut headers = vec![header.clone()];
    let mut tables = Tables::under(&header, rule);
    let mut side_by_side = tables.count();
    let mut current = header.clone();
    let mut index = header.index;
    while index + 1 < lines.len() {
        index += 1;
        let row = cells_of(lines[index]);
        // A second table stacked below the first brings its own header (another column
        // order, perhaps); a mapping rule fixes the layout, so it is not looked for then.
        if rule.is_none()
            && let Some(next) = header_starting_at(&lines, &row, index, &current)
        {
            index = next.index;
            tables = Tables::under(&next, rule);
            side_by_side = side_by_side.max(tables.count());
            headers.push(next.clone());
            current = next;
            continue;
        }
        for table in &mut tables.0 {
            let cells = cells_under(&row, &table.columns);
            if !holds_a_person(&table.header, cells) {
                continue;
            }
            let source = RowRef {
                blob: input.blob.clone(),
                part: input.part,
                sheet: input.sheet.map(str::to_owned),
                row: index as u32 + 1,
                column: table.columns.start as u32,
            };
            let mut record = build_record(&table.header, cells, source, provisional_kind);
            table.places.fill(&table.header, cells, &mut record);
            mark_provenance(input, &mut record);
            statuses.count(&record);
            batch.push(record);
            count += 1;
        }
        if batch.len() >= chunk {
            emit(std::mem::take(&mut batch))?;
            emitted_early = true;
        }
    }
    let Classification { kind, mut evidence } = known.unwrap_or_else(|| {
        classify(&ListClues {
            labels: &labels,
            statuses,
            detention_columns: [Field::Reason, Field::DetainedSince, Field::Place]
                .iter()
                .any(|f| headers.iter().any(|h| h.has(*f))),
            household_columns: headers
                .iter()
                .flat_map(|h| &h.titles)
                .any(|t| is_household_column(t)),
        })
    });
    if side_by_side > 1 {
        evidence.push_str(&format!("; {side_by_side} tables side by side"));
    }
    if input.hidden.sheet {
        evidence.push_str("; the sheet is hidden in its workbook");
    }
    for record in &mut batch {
        record.list = kind;
    }
    if !batch.is_empty() {
        emit(batch)?;
    }
    Ok(SheetOutcome {
        header_row: Some(header.index as u32 + 1),
        list: Some(kind),
        evidence: Some(evidence),
        records: count,
        provisional: emitted_early && kind != provisional_kind,
    })
}

/// A row's cells: the sheet part's text separates them by tabs.
fn cells_of(line: &str) -> Vec<&str> {
    line.split('\t').collect()
}

/// The tables a header row heads: one, or several side by side.
struct Tables(Vec<Table>);

/// One table: its columns, its part of the header, and the places written above.
struct Table {
    columns: Range<usize>,
    header: Header,
    places: MergedPlaces,
}

impl Tables {
    /// The tables under `header`. Columns a mapping rule names fix the layout: the row is
    /// then one table.
    fn under(header: &Header, rule: Option<&Rule>) -> Tables {
        let columns = if rule.is_some_and(|r| !r.columns.is_empty()) {
            let whole_row: Range<usize> = 0..usize::MAX;
            vec![whole_row]
        } else {
            table_columns(header)
        };
        Tables(
            columns
                .into_iter()
                .map(|columns| Table {
                    header: header_over(header, &columns),
                    columns,
                    places: MergedPlaces::default(),
                })
                .collect(),
        )
    }

    fn count(&self) -> usize {
        self.0.len()
    }
}

/// Flags a record whose row a reader of the workbook would not see, or that OCR read.
fn mark_provenance(input: &SheetInput<'_>, record: &mut Record) {
    let row = record.source.row;
    if input.hidden.sheet {
        record.flags.push(Flag {
            code: "hidden_sheet".to_owned(),
            detail: "the sheet is hidden in its workbook: a printout or a reader who \
                     opened the file would not have seen this row"
                .to_owned(),
        });
    }
    if input.hidden.row(row) {
        record.flags.push(Flag {
            code: "hidden_row".to_owned(),
            detail: format!(
                "row {row} is hidden in the workbook (a clerk hid it, perhaps to leave it \
                 out of a printout or a count); it is read like any other"
            ),
        });
    }
    if let Some(confidence) = input.ocr_confidence {
        record.flags.push(Flag {
            code: "from_ocr".to_owned(),
            detail: format!(
                "read by OCR from a page image (mean word confidence {confidence:.0}%): \
                 check every value against the image"
            ),
        });
    }
}

/// Places written once over the rows they cover (a merged cell: only its first row holds the
/// text). A person row whose county, township or village cell is empty takes the value
/// above it in the same table, flagged so that the cell's emptiness stays visible; the raw
/// cells are never changed.
#[derive(Default)]
struct MergedPlaces {
    county: Option<String>,
    township: Option<String>,
    village: Option<String>,
}

impl MergedPlaces {
    fn fill(&mut self, header: &Header, cells: &[&str], record: &mut Record) {
        let fields = &mut record.fields;
        for (field, slot, last) in [
            (Field::County, &mut fields.county, &mut self.county),
            (Field::Township, &mut fields.township, &mut self.township),
            (Field::Village, &mut fields.village, &mut self.village),
        ] {
            let column_empty = header
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| **f == Some(field))
                .all(|(i, _)| cells.get(i).is_none_or(|c| c.trim().is_empty()));
            if !header.has(field) || !column_empty {
                slot.clone_into(last);
                continue;
            }
            if slot.is_none()
                && let Some(above) = last.clone()
            {
                record.flags.push(Flag {
                    code: "place_from_above".to_owned(),
                    detail: format!(
                        "the {} cell is empty; `{above}` is taken from the rows above (a merged cell)",
                        field.code()
                    ),
                });
                *slot = Some(above);
            }
        }
    }
}

/// A header of another table beginning at row `index` (over one row or two), other than
/// the current one; its `index` is absolute. A row with a long number in any cell (an ID,
/// a phone number, a compact date) is data, and is not looked at as a header.
fn header_starting_at<'a>(
    lines: &[&'a str],
    row: &[&'a str],
    index: usize,
    current: &Header,
) -> Option<Header> {
    if row.iter().any(|cell| has_long_number(cell)) {
        return None;
    }
    let mut pair = vec![row.to_vec()];
    pair.extend(lines.get(index + 1).map(|next| cells_of(next)));
    let mut found = header_at(&pair, 0).filter(|found| found.titles != current.titles)?;
    found.index += index;
    Some(found)
}

/// Whether a cell holds six digits in a row (ASCII or full-width), which no header does.
fn has_long_number(cell: &str) -> bool {
    let mut run = 0;
    for c in cell.chars() {
        run = if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            run + 1
        } else {
            0
        };
        if run >= 6 {
            return true;
        }
    }
    false
}

/// The header from the mapping rule (its row, its column overrides) or found by synonyms.
fn locate_header(rows: &[Vec<&str>], rule: Option<&Rule>) -> Option<Header> {
    let forced_row = rule.and_then(|r| r.header_row);
    let mut header = match forced_row {
        Some(index) => {
            let cells = rows.get(index)?;
            Header {
                index,
                titles: cells.iter().map(|c| (*c).to_owned()).collect(),
                fields: cells.iter().map(|c| field_for_header(c)).collect(),
            }
        }
        None => match find_header(rows) {
            Some(found) => found,
            // Overrides may turn a row the synonyms missed into a header.
            None => return rule.and_then(|r| header_by_overrides(rows, r)),
        },
    };
    if let Some(rule) = rule {
        apply_overrides(&mut header, rule);
    }
    (forced_row.is_some() || is_person_header(&header.fields)).then_some(header)
}

fn header_by_overrides(rows: &[Vec<&str>], rule: &Rule) -> Option<Header> {
    rows.iter()
        .take(HEADER_SCAN_ROWS)
        .enumerate()
        .find_map(|(index, cells)| {
            let mut header = Header {
                index,
                titles: cells.iter().map(|c| (*c).to_owned()).collect(),
                fields: cells.iter().map(|c| field_for_header(c)).collect(),
            };
            apply_overrides(&mut header, rule);
            is_person_header(&header.fields).then_some(header)
        })
}

fn apply_overrides(header: &mut Header, rule: &Rule) {
    let width = header.titles.len().max(
        rule.columns
            .iter()
            .filter_map(|(key, _)| match key {
                ColumnKey::Index(i) => Some(i + 1),
                ColumnKey::Header(_) => None,
            })
            .max()
            .unwrap_or(0),
    );
    header.fields.resize(width, None);
    header.titles.resize(width, String::new());
    for index in 0..width {
        if let Some(field) = rule.field_for(index, &header.titles[index]) {
            header.fields[index] = Some(field);
        }
    }
}

/// Whether a row below the header is about a person: it has a name or digits under the ID
/// number (a second header row's `号码` is no person), is
/// not the header repeated (printed lists repeat it on every page) and is not a total.
fn holds_a_person(header: &Header, cells: &[&str]) -> bool {
    let filled =
        |field: Field| {
            header.fields.iter().enumerate().any(|(i, f)| {
                *f == Some(field) && cells.get(i).is_some_and(|c| !c.trim().is_empty())
            })
        };
    let repeated_header = cells
        .iter()
        .zip(&header.titles)
        .filter(|(c, t)| !t.is_empty() && c.trim() == t.trim())
        .count()
        >= 2;
    let name_column = header.fields.iter().position(|f| *f == Some(Field::Name));
    let id_digits = header.fields.iter().enumerate().any(|(i, f)| {
        *f == Some(Field::IdNumber)
            && cells.get(i).is_some_and(|c| {
                c.chars()
                    .any(|ch| ch.is_ascii_digit() || ('０'..='９').contains(&ch))
            })
    });
    (filled(Field::Name) || id_digits) && !repeated_header && !is_summary_row(cells, name_column)
}

/// Text that says what the list is: rows above the header, the sheet name, file names.
fn labels<'a>(above: &'a [Vec<&'a str>], input: &SheetInput<'a>) -> Vec<&'a str> {
    let mut labels: Vec<&str> = above
        .iter()
        .flatten()
        .copied()
        .filter(|c| !c.is_empty())
        .collect();
    labels.extend(input.sheet);
    labels.extend(
        input
            .paths
            .iter()
            .map(|p| p.rsplit(['/', '!']).next().unwrap_or(p)),
    );
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, sheet: Option<&str>, paths: &[&str], mapping: &Mapping) -> SheetRecords {
        let blob = BlobId::from_digest([1; 32]);
        let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
        read_sheet(
            &SheetInput {
                blob: &blob,
                part: 0,
                sheet,
                text,
                paths: &paths,
                hidden: &Hidden::default(),
                ocr_confidence: None,
            },
            mapping,
        )
    }

    #[test]
    fn rows_below_a_merged_title_become_records_with_their_row_numbers() {
        let text = "阿亚格村人口登记表\n序号\t姓名\t性别\t公民身份号码\t人员类别\n1\t古丽\t女\t653121199001010027\t正常\n\n2\t艾买提\t男\t\t教育转化培训中心\n合计\t\t\t\t";
        let sheet = read(
            text,
            Some("人口登记表"),
            &["a/登记表.xlsx"],
            &Mapping::default(),
        );
        assert_eq!(sheet.sheet.header_row, Some(2));
        assert_eq!(sheet.sheet.list, Some(ListKind::Register));
        let rows: Vec<u32> = sheet.records.iter().map(|r| r.source.row).collect();
        assert_eq!(rows, vec![3, 5]);
        assert_eq!(sheet.records[1].fields.name.as_deref(), Some("艾买提"));
    }

    #[test]
    fn sheets_that_are_not_person_lists_yield_nothing() {
        let text = "会议纪要\n时间\t地点\t内容\n2018-03-01\t县局\t部署";
        assert!(
            read(text, Some("Sheet1"), &["纪要.xlsx"], &Mapping::default())
                .records
                .is_empty()
        );
    }

    #[test]
    fn a_mapping_reads_a_layout_the_synonyms_miss() {
        let text = "人名\t证件\t去向\n古丽\t653121199001010027\t教育转化培训中心";
        assert!(
            read(text, None, &["x.csv"], &Mapping::default())
                .records
                .is_empty()
        );
        let mapping = Mapping::parse(
            "[[sheet]]\npath = \"x.csv\"\nkind = \"detainees\"\n[sheet.columns]\nA = \"name\"\nB = \"id_number\"\nC = \"status\"\n",
        )
        .unwrap();
        let sheet = read(text, None, &["x.csv"], &mapping);
        assert_eq!(sheet.records.len(), 1);
        assert_eq!(sheet.sheet.list, Some(ListKind::Detainees));
        assert_eq!(
            sheet.records[0].fields.id_number.as_deref(),
            Some("653121199001010027")
        );
    }

    #[test]
    fn a_skip_rule_silences_a_sheet() {
        let text = "姓名\t身份证号\n古丽\t653121199001010027";
        let mapping = Mapping::parse("[[sheet]]\nsheet = \"干部\"\nskip = true\n").unwrap();
        assert!(read(text, Some("干部"), &[], &mapping).records.is_empty());
        assert_eq!(read(text, Some("其他"), &[], &mapping).records.len(), 1);
    }

    /// Reads `text` in chunks of `chunk` records: the outcome and every chunk handed over.
    fn read_chunked(text: &str, paths: &[&str], chunk: usize) -> (SheetOutcome, Vec<Vec<Record>>) {
        let blob = BlobId::from_digest([1; 32]);
        let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
        let mut chunks = Vec::new();
        let input = SheetInput {
            blob: &blob,
            part: 0,
            sheet: None,
            text,
            paths: &paths,
            hidden: &Hidden::default(),
            ocr_confidence: None,
        };
        let outcome = read_sheet_in_chunks(&input, &Mapping::default(), chunk, |records| {
            chunks.push(records);
            Ok::<(), ()>(())
        })
        .unwrap();
        (outcome, chunks)
    }

    fn held_list(rows: usize) -> String {
        let mut text = String::from("姓名\t身份证号\t状态\n");
        for row in 0..rows {
            text.push_str(&format!("人员{row}\t\t教育转化培训中心\n"));
        }
        text
    }

    #[test]
    fn a_sheet_read_in_chunks_gives_the_records_read_whole() {
        let text = held_list(5);
        let whole = read(&text, None, &["x.csv"], &Mapping::default());
        let (outcome, chunks) = read_chunked(&text, &["x.csv"], 2);
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![2, 2, 1]
        );
        // Only the statuses of all rows make it a list of the held: the chunks handed over
        // before the last carry the provisional kind, and the outcome says so.
        assert_eq!(outcome.list, Some(ListKind::Detainees));
        assert_eq!(outcome.records, 5);
        assert!(outcome.provisional);
        assert!(chunks[0].iter().all(|r| r.list == ListKind::Other));
        assert!(chunks[2].iter().all(|r| r.list == ListKind::Detainees));
        let mut relabelled: Vec<Record> = chunks.into_iter().flatten().collect();
        for record in &mut relabelled {
            record.list = ListKind::Detainees;
        }
        assert_eq!(relabelled, whole.records);
        assert_eq!(outcome.evidence, whole.sheet.evidence);
    }

    #[test]
    fn a_kind_its_name_gives_is_on_every_chunk() {
        let (outcome, chunks) = read_chunked(&held_list(5), &["在押人员.csv"], 2);
        assert_eq!(outcome.list, Some(ListKind::Detainees));
        assert!(!outcome.provisional);
        assert!(
            chunks
                .iter()
                .flatten()
                .all(|r| r.list == ListKind::Detainees)
        );
    }
}
