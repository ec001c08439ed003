//! Workbooks (.xlsx, .xlsb, .xls, .ods) through calamine: one sheet part per
//! worksheet, one line per row (see [`grid`]), what the workbook hides of each sheet
//! (see [`hidden`]), and the workbook's document properties.

mod cell;
mod grid;
mod hidden;
mod xls_guard;

use std::io::Cursor;

use calamine::{
    Data, Ods, OdsError, Range, Reader, Sheet, SheetVisible, WorkbookProperties, Xls, XlsError,
    Xlsb, XlsbError, Xlsx, XlsxError,
};
use trove_model::{FileKind, Hidden, Metadata};

use crate::assemble::extracted;
use crate::zip_package::Package;
use crate::{ExtractError, Extracted, Limits, PartsBuilder, legacy};

use cell::Value;
use grid::Grid;

type Bytes<'a> = Cursor<&'a [u8]>;

/// Extracts a workbook of `kind` (Xlsx, Xlsb, Xls or Ods).
///
/// calamine indexes into file data in places (compound-file sector chains,
/// BIFF record bodies), so a damaged workbook can make it panic; such a
/// panic is caught here and reported as the damage it is.
pub(crate) fn extract(
    kind: FileKind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    std::panic::catch_unwind(|| read_workbook(kind, bytes, limits)).unwrap_or_else(|_| {
        Err(ExtractError::corrupt(
            kind,
            "the workbook is damaged in a way its reader (calamine) could not handle",
        ))
    })
}

fn read_workbook(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut sheets = Sheets::new(limits);
    let properties = match kind {
        FileKind::Xls => {
            if let Some(encrypted) = legacy::encrypted_ooxml_inside(kind, bytes) {
                return Err(encrypted);
            }
            let mut hidden_rows = xls_guard::check(bytes)?;
            let mut book = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(kind, e))?;
            let hidden = hiding(book.sheets_metadata(), |position, _| {
                hidden_rows.remove(&position)
            });
            for (name, hidden) in hidden {
                match book.worksheet_range(&name) {
                    Ok(range) => sheets.add_range(name, &range, hidden),
                    Err(e) => sheets.skip(xls_error(kind, e))?,
                }
            }
            book.workbook_properties().ok()
        }
        FileKind::Ods => {
            // Refuse zip bombs before calamine inflates any member.
            Package::open(kind, bytes, limits)?.vet()?;
            let mut book: Ods<Bytes<'_>> =
                Ods::new(Cursor::new(bytes)).map_err(|e| ods_error(kind, e))?;
            let hidden = hiding(book.sheets_metadata(), |_, _| None);
            for (name, hidden) in hidden {
                match book.worksheet_range(&name) {
                    Ok(range) => sheets.add_range(name, &range, hidden),
                    Err(e) => sheets.skip(ods_error(kind, e))?,
                }
            }
            book.workbook_properties().ok()
        }
        FileKind::Xlsb => {
            Package::open(kind, bytes, limits)?.vet()?;
            let mut book: Xlsb<Bytes<'_>> =
                Xlsb::new(Cursor::new(bytes)).map_err(|e| xlsb_error(kind, e))?;
            let hidden = hiding(book.sheets_metadata(), |_, _| None);
            for (name, hidden) in hidden {
                match book.worksheet_range(&name) {
                    Ok(range) => sheets.add_range(name, &range, hidden),
                    Err(e) => sheets.skip(xlsb_error(kind, e))?,
                }
            }
            book.workbook_properties().ok()
        }
        _ => {
            let mut package = Package::open(kind, bytes, limits)?;
            package.vet()?;
            let mut hidden_rows = hidden::xlsx_hidden_rows(&mut package);
            let mut book: Xlsx<Bytes<'_>> =
                Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(kind, e))?;
            let hidden = hiding(book.sheets_metadata(), |_, name| hidden_rows.remove(name));
            for (name, hidden) in hidden {
                let read = sheets.add_xlsx(&mut book, &name, hidden);
                if let Err(e) = read {
                    sheets.skip(xlsx_error(kind, e))?;
                }
            }
            book.workbook_properties().ok()
        }
    };
    let count = sheets.count;
    let mut metadata = properties.map(metadata_of).unwrap_or_default();
    metadata.page_count = Some(count);
    Ok(extracted(sheets.builder, metadata))
}

/// Each sheet's name with what the workbook hides of it: the sheet itself (calamine reads
/// its visibility) and the rows `rows_of(position, name)` gives.
fn hiding(
    sheets: &[Sheet],
    mut rows_of: impl FnMut(usize, &str) -> Option<Vec<u32>>,
) -> Vec<(String, Hidden)> {
    sheets
        .iter()
        .enumerate()
        .map(|(position, sheet)| {
            let hidden = Hidden {
                sheet: sheet.visible != SheetVisible::Visible,
                rows: Hidden::spans_of(rows_of(position, &sheet.name).unwrap_or_default()),
            };
            (sheet.name.clone(), hidden)
        })
        .collect()
}

/// The sheets read so far, within the text budget.
struct Sheets {
    builder: PartsBuilder,
    /// Text still allowed (the builder cuts; this stops reading early).
    room: usize,
    /// Sheets in the workbook, read or not.
    count: u32,
    /// Parts pushed, for their 1-based index.
    pushed: u32,
}

/// Cells read between looks at the clock.
const CELLS_PER_CLOCK: usize = 4096;

impl Sheets {
    fn new(limits: &Limits) -> Self {
        Sheets {
            builder: PartsBuilder::new(limits),
            room: limits.max_text_bytes,
            count: 0,
            pushed: 0,
        }
    }

    fn add_range(&mut self, name: String, range: &Range<Data>, hidden: Hidden) {
        self.count += 1;
        if self.builder.is_full() {
            return;
        }
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut grid = Grid::default();
        for (cells, (row, col, data)) in range.used_cells().enumerate() {
            if grid.len() > self.room
                || (cells.is_multiple_of(CELLS_PER_CLOCK) && self.builder.is_full())
            {
                break;
            }
            let (row, col) = (row as u32, col as u32);
            grid.add(
                row0.saturating_add(row),
                col0.saturating_add(col),
                Value::from(data),
            );
        }
        self.push(name, grid, hidden);
    }

    fn add_xlsx(
        &mut self,
        book: &mut Xlsx<Bytes<'_>>,
        name: &str,
        hidden: Hidden,
    ) -> Result<(), XlsxError> {
        if self.builder.is_full() {
            self.count += 1;
            return Ok(());
        }
        let mut reader = book.worksheet_cells_reader(name)?;
        let mut grid = Grid::default();
        let mut cells = 0usize;
        while let Some(cell) = reader.next_cell()? {
            cells += 1;
            if grid.len() > self.room
                || (cells.is_multiple_of(CELLS_PER_CLOCK) && self.builder.is_full())
            {
                break;
            }
            let (row, col) = cell.get_position();
            grid.add(row, col, Value::from(cell.get_value()));
        }
        self.count += 1;
        self.push(name.to_owned(), grid, hidden);
        Ok(())
    }

    fn push(&mut self, name: String, grid: Grid, hidden: Hidden) {
        let text = grid.into_text(self.room);
        self.room = self.room.saturating_sub(text.len());
        self.pushed += 1;
        self.builder.push_sheet(self.pushed, name, text, hidden);
    }

    /// A sheet calamine could not read: an encrypted workbook fails as a
    /// whole; a chart sheet or damaged sheet is counted and left out.
    fn skip(&mut self, error: ExtractError) -> Result<(), ExtractError> {
        if matches!(error, ExtractError::Encrypted { .. }) {
            return Err(error);
        }
        self.count += 1;
        Ok(())
    }
}

fn metadata_of(p: WorkbookProperties) -> Metadata {
    let some = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Metadata {
        title: some(p.title),
        author: some(p.creator),
        subject: some(p.subject),
        created: some(p.created),
        modified: some(p.modified),
        generator: some(p.application),
        ..Metadata::default()
    }
}

fn xlsx_error(kind: FileKind, e: XlsxError) -> ExtractError {
    match e {
        XlsxError::Password => ExtractError::encrypted(kind, "the workbook is password-protected"),
        other => ExtractError::corrupt(kind, other),
    }
}

fn xlsb_error(kind: FileKind, e: XlsbError) -> ExtractError {
    match e {
        XlsbError::Password => ExtractError::encrypted(kind, "the workbook is password-protected"),
        other => ExtractError::corrupt(kind, other),
    }
}

fn xls_error(kind: FileKind, e: XlsError) -> ExtractError {
    match e {
        XlsError::Password => {
            ExtractError::encrypted(kind, "the workbook is password-protected (FILEPASS)")
        }
        other => ExtractError::corrupt(kind, other),
    }
}

fn ods_error(kind: FileKind, e: OdsError) -> ExtractError {
    match e {
        OdsError::Password => {
            ExtractError::encrypted(kind, "the spreadsheet is password-protected")
        }
        other => ExtractError::corrupt(kind, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    use trove_model::PartKind;

    fn workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        book.set_properties(
            &DocProperties::new()
                .set_title("学员名单")
                .set_author("管理员"),
        );
        let sheet = book.add_worksheet();
        sheet.set_name("教育转化培训中心").unwrap();
        sheet.write_string(0, 0, "姓名").unwrap();
        sheet.write_string(0, 1, "身份证号").unwrap();
        sheet.write_string(0, 2, "入学日期").unwrap();
        sheet.write_string(0, 3, "年龄").unwrap();
        sheet.write_string(2, 0, "阿依古丽").unwrap();
        sheet.write_string(2, 1, "653101199001011234").unwrap();
        let date = ExcelDateTime::from_ymd(2018, 3, 1).unwrap();
        let format = Format::new().set_num_format("yyyy-mm-dd");
        sheet
            .write_datetime_with_format(2, 2, &date, &format)
            .unwrap();
        sheet.write_number(2, 3, 28.0).unwrap();
        book.add_worksheet().set_name("空").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn each_sheet_is_a_part_and_each_row_a_line() {
        let extracted = extract(FileKind::Xlsx, &workbook(), &Limits::default()).unwrap();
        let parts: Vec<_> = extracted
            .parts
            .iter()
            .map(|p| (p.kind, p.index, p.label.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(
            parts,
            vec![
                (
                    PartKind::Sheet,
                    1,
                    Some("教育转化培训中心"),
                    "姓名\t身份证号\t入学日期\t年龄\n\n阿依古丽\t653101199001011234\t2018-03-01\t28"
                ),
                (PartKind::Sheet, 2, Some("空"), ""),
            ]
        );
        let meta = extracted.metadata;
        assert_eq!(meta.page_count, Some(2));
        assert_eq!(meta.title.as_deref(), Some("学员名单"));
        assert_eq!(meta.author.as_deref(), Some("管理员"));
    }

    #[test]
    fn hidden_sheets_and_rows_are_marked() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("名单").unwrap();
        for row in 0..6 {
            sheet.write_string(row, 0, format!("r{row}")).unwrap();
        }
        sheet.set_row_hidden(2).unwrap();
        sheet.set_row_hidden(3).unwrap();
        sheet.set_row_hidden(5).unwrap();
        let secret = book.add_worksheet();
        secret.set_name("隐藏").unwrap();
        secret.write_string(0, 0, "x").unwrap();
        secret.set_hidden(true);
        let bytes = book.save_to_buffer().unwrap();

        let extracted = extract(FileKind::Xlsx, &bytes, &Limits::default()).unwrap();
        let hidden: Vec<&Hidden> = extracted.parts.iter().map(|p| &p.hidden).collect();
        assert_eq!(
            hidden,
            vec![
                &Hidden {
                    sheet: false,
                    rows: vec![[3, 4], [6, 6]],
                },
                &Hidden {
                    sheet: true,
                    rows: Vec::new(),
                },
            ]
        );
    }

    #[test]
    fn the_text_budget_stops_reading_and_flags_truncation() {
        let limits = Limits {
            max_text_bytes: 10,
            ..Limits::default()
        };
        let extracted = extract(FileKind::Xlsx, &workbook(), &limits).unwrap();
        assert!(extracted.truncated);
        assert_eq!(extracted.parts[0].text, "姓名\t身");
    }

    #[test]
    fn garbage_is_corrupt_for_every_workbook_kind() {
        for kind in [FileKind::Xlsx, FileKind::Xls, FileKind::Ods] {
            let result = extract(kind, b"not a workbook at all", &Limits::default());
            assert!(
                matches!(result, Err(ExtractError::Corrupt { .. })),
                "{kind}: {result:?}"
            );
        }
    }
}
