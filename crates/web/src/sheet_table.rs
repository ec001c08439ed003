//! A sheet as the document page shows it: a table with column letters and row numbers, a
//! window of rows at a time (a 50,000-row register opens at once; the page links to the
//! windows before and after), the header row the records stage found marked, and each row
//! that produced a record linking to it. Cells are plain strings: templates escape them.

use trove_store::RowRecord;

/// Rows shown at once.
pub const WINDOW_ROWS: u32 = 200;
/// Rows shown above a row the page was opened on (from a record or a search hit).
const ROWS_ABOVE_FOCUS: u32 = 20;
/// Columns shown; wider sheets say how many more they have.
const MAX_COLUMNS: usize = 64;

/// One sheet's window.
#[derive(Debug, Clone)]
pub struct SheetTable {
    /// Column letters of the cells shown: A, B, … AA.
    pub columns: Vec<String>,
    /// Columns beyond [`MAX_COLUMNS`] not shown.
    pub more_columns: usize,
    pub rows: Vec<TableRow>,
    /// 1-based rows shown, and how many the sheet has.
    pub first: u32,
    pub last: u32,
    pub total: u32,
    /// The windows before and after, as addresses of the document page.
    pub earlier: Option<String>,
    pub later: Option<String>,
}

/// One row of the window.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// 1-based, as a spreadsheet numbers rows.
    pub number: u32,
    /// The row's anchor: `sheet-2-row-17`.
    pub anchor: String,
    pub cells: Vec<String>,
    /// The header row the records stage read the sheet by.
    pub header: bool,
    /// The row the page was opened on.
    pub current: bool,
    /// The records read from this row, as (address, label).
    pub records: Vec<(String, String)>,
}

/// Where a sheet is and what to show of it.
pub struct SheetWindow<'a> {
    /// The document page's address, without a query.
    pub page: &'a str,
    /// The sheet's number among the document's sheets (1-based).
    pub index: u32,
    /// The sheet's text: one row a line, cells separated by tabs.
    pub text: &'a str,
    /// The first row to show, when the page asks for one.
    pub from: Option<u32>,
    /// The row to show and mark, when the page was opened on one.
    pub focus: Option<u32>,
    pub header_row: Option<u32>,
}

impl SheetWindow<'_> {
    /// The rows this window covers of a sheet of `total` rows, 1-based and inclusive.
    fn span(&self, total: u32) -> (u32, u32) {
        let wanted = match (self.focus, self.from) {
            (Some(row), _) => row.saturating_sub(ROWS_ABOVE_FOCUS),
            (None, Some(from)) => from,
            (None, None) => 1,
        };
        let last_start = total.saturating_sub(WINDOW_ROWS - 1).max(1);
        let first = wanted.clamp(1, last_start);
        (first, (first + WINDOW_ROWS - 1).min(total.max(1)))
    }

    /// The table: `records_in(first, last)` gives the records read from the rows shown,
    /// each linked from its row through `record_link(row, column)`.
    pub fn table<E>(
        &self,
        records_in: impl FnOnce(u32, u32) -> Result<Vec<RowRecord>, E>,
        record_link: impl Fn(u32, u32) -> String,
    ) -> Result<SheetTable, E> {
        let total = self.text.lines().count() as u32;
        let (first, last) = self.span(total);
        let records = records_in(first, last)?;
        let mut widest = 0usize;
        let rows: Vec<TableRow> = self
            .text
            .lines()
            .enumerate()
            .skip(first as usize - 1)
            .take((last + 1 - first) as usize)
            .map(|(line, text)| {
                let number = line as u32 + 1;
                // Counted, not collected: a crafted row may hold a million cells.
                widest = widest.max(text.split('\t').count());
                TableRow {
                    number,
                    anchor: format!("sheet-{}-row-{number}", self.index),
                    cells: text
                        .split('\t')
                        .take(MAX_COLUMNS)
                        .map(str::to_owned)
                        .collect(),
                    header: self.header_row == Some(number),
                    current: self.focus == Some(number),
                    records: records
                        .iter()
                        .filter(|r| r.row == number)
                        .map(|r| {
                            let label = r.name.clone().unwrap_or_else(|| "record".to_owned());
                            (record_link(r.row, r.column), label)
                        })
                        .collect(),
                }
            })
            .collect();
        let shown = widest.min(MAX_COLUMNS);
        let link = |from: u32| {
            format!(
                "{}?sheet={}&from={from}#sheet-{}",
                self.page, self.index, self.index
            )
        };
        Ok(SheetTable {
            columns: (0..shown).map(column_letter).collect(),
            more_columns: widest - shown,
            rows,
            first,
            last: last.min(total),
            total,
            earlier: (first > 1).then(|| link(first.saturating_sub(WINDOW_ROWS).max(1))),
            later: (last < total).then(|| link(last + 1)),
        })
    }
}

/// The document page opened on a row of a sheet, marked: where a record's page and a
/// search hit in a sheet link to.
pub fn row_in_sheet(document_page: &str, sheet: u32, row: u32) -> String {
    format!("{document_page}?sheet={sheet}&row={row}#sheet-{sheet}-row-{row}")
}

/// A spreadsheet's name for the column at `index` (from 0): A … Z, AA … AZ, BA …
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: u32) -> String {
        (1..=rows)
            .map(|n| format!("姓名{n}\t65312119800101{n:04}\t男"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn no_records(_: u32, _: u32) -> Result<Vec<RowRecord>, ()> {
        Ok(Vec::new())
    }

    fn window(text: &str, from: Option<u32>, focus: Option<u32>) -> SheetWindow<'_> {
        SheetWindow {
            page: "/cases/demo/documents/abc",
            index: 2,
            text,
            from,
            focus,
            header_row: Some(1),
        }
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    #[test]
    fn a_long_sheet_shows_one_window_with_links_to_the_next() {
        let text = sheet(50_000);
        let table = window(&text, None, None)
            .table(no_records, |_, _| String::new())
            .unwrap();
        assert_eq!((table.first, table.last, table.total), (1, 200, 50_000));
        assert_eq!(table.rows.len(), 200);
        assert!(table.rows[0].header);
        assert_eq!(table.columns, ["A", "B", "C"]);
        assert_eq!(table.earlier, None);
        assert_eq!(
            table.later.as_deref(),
            Some("/cases/demo/documents/abc?sheet=2&from=201#sheet-2")
        );
        let last = window(&text, Some(49_990), None)
            .table(no_records, |_, _| String::new())
            .unwrap();
        assert_eq!(
            (last.first, last.last),
            (49_801, 50_000),
            "the last window is full"
        );
        assert_eq!(last.later, None);
    }

    #[test]
    fn a_row_opened_on_is_marked_and_its_records_linked() {
        let text = sheet(1_000);
        let records = [RowRecord {
            row: 500,
            column: 0,
            person: "p1".into(),
            name: Some("古丽".into()),
        }];
        let asked = std::cell::Cell::new((0, 0));
        let table = window(&text, None, Some(500))
            .table(
                |first, last| {
                    asked.set((first, last));
                    Ok::<_, ()>(records.to_vec())
                },
                |row, column| format!("/records/{row}/{column}"),
            )
            .unwrap();
        assert_eq!(
            asked.get(),
            (480, 679),
            "the records of the rows shown are asked for"
        );
        assert_eq!(table.first, 480);
        let current: Vec<&TableRow> = table.rows.iter().filter(|r| r.current).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].number, 500);
        assert_eq!(current[0].anchor, "sheet-2-row-500");
        assert_eq!(
            current[0].records,
            [("/records/500/0".to_owned(), "古丽".to_owned())]
        );
        assert!(
            table
                .rows
                .iter()
                .filter(|r| !r.current)
                .all(|r| r.records.is_empty())
        );
    }

    #[test]
    fn an_empty_sheet_is_an_empty_window() {
        let table = window("", None, None)
            .table(no_records, |_, _| String::new())
            .unwrap();
        assert!(table.rows.is_empty());
        assert_eq!((table.total, table.later), (0, None));
    }
}
