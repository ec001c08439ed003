//! Reading one source into records: the half of the records stage that never touches the
//! catalog, run on a thread of its own while the catalog writes the source before.

use trove_model::Record;
use trove_records::persons::{candidate_key, person_key};
use trove_records::photos::photo_links;
use trove_records::{Mapping, SheetInput, read_sheet_in_chunks};
use trove_store::{
    BlobRecords, PersonSheet, PhotoLinkRow, Piece, RecordSource, RecordToWrite, SheetPart,
    StoredRecord,
};

use crate::IngestError;

/// Records of one sheet held before they are handed to the writer.
const RECORDS_PER_PIECE: usize = 10_000;

/// What a source's records are read from, as the catalog gave it.
pub(super) struct SourceInput {
    pub source: RecordSource,
    /// Its sheets, and the tables OCR found on its pages where the mapping asks for them.
    pub tables: Vec<SheetPart>,
    /// An image's texts (EXIF fields), where an ID number may stand; `None` for a
    /// source that is not an image, whose file names are no photo's.
    pub image_texts: Option<Vec<(String, String)>>,
}

/// What reading one source found.
pub(super) struct SourceRead {
    pub person_sheets: u64,
    pub records: u64,
    pub photo_links: u64,
}

/// Reads the records and person sheets of a source's sheets, and the photo links of an
/// image, and hands them to `emit`: whole, or in pieces when its sheets are long.
pub(super) fn read_source(
    input: &SourceInput,
    mapping: &Mapping,
    emit: &mut dyn FnMut(BlobRecords) -> Result<(), IngestError>,
) -> Result<SourceRead, IngestError> {
    let source = &input.source;
    let blob = &source.blob;
    let mut records: Vec<RecordToWrite> = Vec::new();
    let mut pieces_written = 0usize;
    let mut person_sheets = Vec::new();
    let mut relabel = Vec::new();
    let mut count = 0u64;
    for part in &input.tables {
        let sheet_input = SheetInput {
            blob,
            part: part.part,
            sheet: part.label.as_deref(),
            text: &part.text,
            paths: &source.paths,
            hidden: &part.hidden,
            ocr_confidence: part.ocr_confidence,
        };
        let sheet = read_sheet_in_chunks(&sheet_input, mapping, RECORDS_PER_PIECE, |chunk| {
            for record in chunk {
                records.push(RecordToWrite::new(stored(record))?);
            }
            if records.len() < RECORDS_PER_PIECE {
                return Ok(());
            }
            let piece = if pieces_written == 0 {
                Piece::First
            } else {
                Piece::Middle
            };
            pieces_written += 1;
            emit(BlobRecords {
                blob: blob.clone(),
                piece,
                records: std::mem::take(&mut records),
                photos: Vec::new(),
                sheets: Vec::new(),
                relabel: Vec::new(),
                read_as: None,
            })
        })?;
        let (Some(header_row), Some(list), true) =
            (sheet.header_row, sheet.list, sheet.records > 0)
        else {
            continue;
        };
        count += sheet.records;
        if sheet.provisional {
            relabel.push((part.part, list));
        }
        person_sheets.push(PersonSheet {
            blob: blob.clone(),
            part: part.part,
            sheet: part.label.clone(),
            header_row,
            list,
            evidence: sheet.evidence.unwrap_or_default(),
            records: sheet.records,
            paths: Vec::new(),
        });
    }
    let links = input
        .image_texts
        .as_deref()
        .map_or_else(Vec::new, |texts| links_of_image(source, texts));
    let read = SourceRead {
        person_sheets: person_sheets.len() as u64,
        records: count,
        photo_links: links.len() as u64,
    };
    emit(BlobRecords {
        blob: blob.clone(),
        piece: if pieces_written == 0 {
            Piece::Whole
        } else {
            Piece::Last
        },
        records,
        photos: links,
        sheets: person_sheets,
        relabel,
        read_as: source.row_version.clone(),
    })?;
    Ok(read)
}

/// The ID numbers an image's file names and texts carry.
fn links_of_image(source: &RecordSource, texts: &[(String, String)]) -> Vec<PhotoLinkRow> {
    let texts: Vec<(&str, &str)> = texts
        .iter()
        .map(|(field, text)| (field.as_str(), text.as_str()))
        .collect();
    photo_links(&source.paths, &texts)
        .into_iter()
        .map(|link| PhotoLinkRow {
            blob: source.blob.clone(),
            id_number: link.id_number,
            via: link.via,
        })
        .collect()
}

fn stored(record: Record) -> StoredRecord {
    StoredRecord {
        person: person_key(&record),
        candidate_key: candidate_key(&record),
        record,
    }
}
