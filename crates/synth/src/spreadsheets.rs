//! Registers and detainee lists as .xlsx and .csv, in the layouts clerks actually use:
//! a merged title above the header or none, one sheet or one per village, dates as real
//! Excel dates or as text in several styles, ID numbers always as text.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};
use trove_model::FileKind;

use crate::calendar::Date;
use crate::error::SynthError;
use crate::ground_truth::RowKind;
use crate::leak::{Doc, SheetRow};
use crate::people::Resident;

/// How a date is written in a cell.
#[derive(Clone, Copy)]
pub(crate) enum DateStyle {
    /// A real Excel date (a number with a date format).
    Excel,
    /// `1990.01.01`
    Dotted,
    /// `1990年1月1日`
    Chinese,
    /// `19900101`
    Compact,
    /// `1990-01-01`
    Iso,
}

/// What a column holds.
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Number,
    Name,
    IdNumber,
    Sex,
    Ethnicity,
    Birth(DateStyle),
    Township,
    Village,
    Address,
    Status,
    Reason,
    DetainedSince(DateStyle),
    Place,
    Phone,
    Remark,
}

/// A column: its header and what it holds.
pub(crate) type Column = (&'static str, Field);

/// One sheet to write: name, optional merged title row, columns, residents (in order), and
/// whether a blank row interrupts the list half-way.
pub(crate) struct SheetSpec<'a> {
    pub name: String,
    pub title: Option<String>,
    pub columns: &'a [Column],
    pub residents: Vec<&'a Resident>,
    pub blank_row_midway: bool,
}

/// What a cell holds, before it is written to a workbook or a CSV line.
enum Cell {
    Text(String),
    Number(f64),
    Date(Date),
}

fn cell(field: Field, number: usize, resident: &Resident) -> Cell {
    let date = |style: DateStyle, date: Date| match style {
        DateStyle::Excel => Cell::Date(date),
        DateStyle::Dotted => Cell::Text(date.dotted()),
        DateStyle::Chinese => Cell::Text(date.chinese()),
        DateStyle::Compact => Cell::Text(date.compact()),
        DateStyle::Iso => Cell::Text(date.to_string()),
    };
    let text = |s: &str| Cell::Text(s.to_owned());
    match field {
        Field::Number => Cell::Number(number as f64),
        Field::Name => text(&resident.name),
        Field::IdNumber => text(&resident.id_number),
        Field::Sex => text(resident.sex()),
        Field::Ethnicity => text(resident.ethnicity),
        Field::Birth(style) => date(style, resident.birth),
        Field::Township => text(resident.township),
        Field::Village => text(resident.village),
        Field::Address => text(&resident.address),
        Field::Status => text(resident.status.name),
        Field::Reason => text(resident.reason.unwrap_or_default()),
        Field::DetainedSince(style) => match resident.detained_since {
            Some(since) => date(style, since),
            None => text(""),
        },
        Field::Place => text(resident.status.place.unwrap_or_default()),
        Field::Phone => text(&resident.phone),
        Field::Remark => text(""),
    }
}

/// A workbook of `sheets`. `kind` says what its rows are, for the ground truth.
pub(crate) fn xlsx(
    label: &str,
    kind: RowKind,
    sheets: &[SheetSpec<'_>],
) -> Result<Doc, SynthError> {
    let fail = |e: XlsxError| SynthError::encode(label, e);
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2018, 3, 1).map_err(fail)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_author("疏附县公安局")
            .set_creation_datetime(&created),
    );
    let mut doc = Doc::new(FileKind::Xlsx, Vec::new());
    for spec in sheets {
        let worksheet = workbook.add_worksheet();
        let rows = write_sheet(worksheet, spec).map_err(fail)?;
        doc.rows
            .extend(rows.into_iter().map(|(row, id_number)| SheetRow {
                sheet: Some(spec.name.clone()),
                row,
                id_number,
                kind,
            }));
        doc.sheets.push(spec.name.clone());
        doc.texts.extend(planted_texts(spec));
    }
    doc.bytes = workbook.save_to_buffer().map_err(fail)?;
    Ok(doc)
}

/// Writes one sheet; returns (1-based row, ID number) of every person row.
fn write_sheet(
    worksheet: &mut Worksheet,
    spec: &SheetSpec<'_>,
) -> Result<Vec<(u32, String)>, XlsxError> {
    worksheet.set_name(&spec.name)?;
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let mut row: u32 = 0;
    if let Some(title) = &spec.title {
        let title_format = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center);
        let last = (spec.columns.len() as u16).saturating_sub(1);
        worksheet.merge_range(0, 0, 0, last, title, &title_format)?;
        row = 1;
    }
    for (col, (header, _)) in spec.columns.iter().enumerate() {
        worksheet.write_string_with_format(row, col as u16, *header, &bold)?;
    }
    worksheet.set_column_width(0, 8)?;
    let mut written = Vec::with_capacity(spec.residents.len());
    let midway = spec.residents.len() / 2;
    for (index, resident) in spec.residents.iter().enumerate() {
        row += 1;
        if spec.blank_row_midway && index == midway && index > 0 {
            row += 1;
        }
        for (col, (_, field)) in spec.columns.iter().enumerate() {
            let col = col as u16;
            match cell(*field, index + 1, resident) {
                Cell::Text(text) if text.is_empty() => {}
                Cell::Text(text) => {
                    worksheet.write_string(row, col, text)?;
                }
                Cell::Number(n) => {
                    worksheet.write_number(row, col, n)?;
                }
                Cell::Date(date) => {
                    let value = ExcelDateTime::from_ymd(
                        date.year as u16,
                        date.month as u8,
                        date.day as u8,
                    )?;
                    worksheet.write_datetime_with_format(row, col, &value, &date_format)?;
                }
            }
        }
        written.push((row + 1, resident.id_number.clone()));
    }
    Ok(written)
}

/// The title, the headers and the names and ID numbers of the first three people.
fn planted_texts(spec: &SheetSpec<'_>) -> Vec<String> {
    let mut texts: Vec<String> = spec.title.iter().cloned().collect();
    texts.extend(spec.columns.iter().map(|(header, _)| (*header).to_owned()));
    for resident in spec.residents.iter().take(3) {
        texts.push(resident.name.clone());
        texts.push(resident.id_number.clone());
    }
    texts
}

/// Text encodings for CSV files.
#[derive(Clone, Copy)]
pub(crate) enum CsvEncoding {
    /// UTF-8 with a byte-order mark, as Excel writes "CSV UTF-8".
    Utf8Bom,
    /// GBK, as Excel writes "CSV" on a Chinese Windows.
    Gbk,
}

/// A CSV file of `residents` under a header line (line 1).
pub(crate) fn csv(
    kind: RowKind,
    encoding: CsvEncoding,
    columns: &[Column],
    residents: &[&Resident],
) -> Doc {
    let mut text = String::new();
    let headers: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
    text.push_str(&headers.join(","));
    text.push_str("\r\n");
    let mut doc = Doc::new(FileKind::Csv, Vec::new());
    for (index, resident) in residents.iter().enumerate() {
        let fields: Vec<String> = columns
            .iter()
            .map(|(_, field)| match cell(*field, index + 1, resident) {
                Cell::Text(t) => csv_field(&t),
                Cell::Number(n) => n.to_string(),
                Cell::Date(d) => d.to_string(),
            })
            .collect();
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
        doc.rows.push(SheetRow {
            sheet: None,
            row: index as u32 + 2,
            id_number: resident.id_number.clone(),
            kind,
        });
    }
    doc.texts = headers.iter().map(|h| (*h).to_owned()).collect();
    for resident in residents.iter().take(3) {
        doc.texts.push(resident.name.clone());
        doc.texts.push(resident.id_number.clone());
    }
    doc.bytes = match encoding {
        CsvEncoding::Utf8Bom => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
        CsvEncoding::Gbk => encoding_rs::GBK.encode(&text).0.into_owned(),
    };
    doc
}

/// Quotes a field that holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
