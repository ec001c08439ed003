//! PowerPoint 97-2003 presentations (.ppt): the text atoms of each slide,
//! found through the persist directory the way PowerPoint itself finds them
//! ([MS-PPT] 2.1.2), with the slide's notes after its text.
//!
//! When that chain is broken, every text atom of the stream, in stream
//! order, becomes one body part: the text is kept, the slide boundaries
//! are not invented.

use std::collections::HashMap;

use trove_model::{FileKind, PartKind};

use super::{open, read_stream, summary};
use crate::assemble::extracted;
use crate::binary::{u16_at, u32_at, utf16le};
use crate::{ExtractError, Extracted, Limits, PartsBuilder};

const KIND: FileKind = FileKind::Ppt;

const DOCUMENT: u16 = 0x03E8;
const SLIDE: u16 = 0x03EE;
const SLIDE_ATOM: u16 = 0x03EF;
const NOTES: u16 = 0x03F0;
const SLIDE_PERSIST_ATOM: u16 = 0x03F3;
const TEXT_CHARS_ATOM: u16 = 0x0FA0;
const TEXT_BYTES_ATOM: u16 = 0x0FA8;
const SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
const USER_EDIT_ATOM: u16 = 0x0FF5;
const PERSIST_DIRECTORY_ATOM: u16 = 0x1772;

/// `SlideListWithText` instances: the slides' list and the notes' list.
const SLIDES_LIST: u16 = 0;
const NOTES_LIST: u16 = 2;

/// The Current User stream's token for an encrypted document.
const ENCRYPTED_TOKEN: u32 = 0xF3D1_C4DF;

/// Nesting deeper than this is not a real presentation.
const MAX_DEPTH: u32 = 32;
/// Edits chained further than this are a loop.
const MAX_EDITS: usize = 4096;

/// Extracts a .ppt: one slide part per slide, or one body part when the
/// slides cannot be told apart.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut file = open(KIND, bytes)?;
    let encrypted =
        || ExtractError::encrypted(KIND, "the presentation is encrypted (CryptSession10)");
    if file.is_stream("/EncryptedSummary") {
        return Err(encrypted());
    }
    let current = read_stream(KIND, &mut file, "/Current User")?.unwrap_or_default();
    if u32_at(&current, 12) == Some(ENCRYPTED_TOKEN) {
        return Err(encrypted());
    }
    let stream = read_stream(KIND, &mut file, "/PowerPoint Document")?
        .ok_or_else(|| ExtractError::corrupt(KIND, "no PowerPoint Document stream"))?;
    let directory = u32_at(&current, 16).and_then(|at| Directory::read(&stream, at as usize));
    if directory.as_ref().is_some_and(|d| d.encrypted) {
        return Err(encrypted());
    }
    let slides = directory
        .and_then(|d| slides(&stream, &d))
        .filter(|s| !s.is_empty());

    let mut builder = PartsBuilder::new(limits);
    let mut metadata = summary::read(KIND, &mut file)?;
    match slides {
        Some(slides) => {
            metadata.page_count = u32::try_from(slides.len()).ok();
            for (index, text) in (1..).zip(slides) {
                if builder.is_full() {
                    break;
                }
                builder.push(PartKind::Slide, index, None, text);
            }
        }
        None => {
            let mut texts = Vec::new();
            for record in Records::new(&stream, 0, stream.len()) {
                collect_text(&stream, &record, 0, &mut texts);
            }
            builder.push(PartKind::Body, 1, None, texts.join("\n"));
        }
    }
    Ok(extracted(builder, metadata))
}

/// A record: its type, instance and where its body lies in the stream.
#[derive(Debug, Clone, Copy)]
struct Record {
    container: bool,
    instance: u16,
    kind: u16,
    start: usize,
    end: usize,
}

impl Record {
    fn at(stream: &[u8], offset: usize) -> Option<Record> {
        let ver_instance = u16_at(stream, offset)?;
        let kind = u16_at(stream, offset.checked_add(2)?)?;
        let len = u32_at(stream, offset.checked_add(4)?)? as usize;
        let start = offset.checked_add(8)?;
        let end = start.checked_add(len)?;
        (end <= stream.len()).then_some(Record {
            container: ver_instance & 0xF == 0xF,
            instance: ver_instance >> 4,
            kind,
            start,
            end,
        })
    }

    fn body<'s>(&self, stream: &'s [u8]) -> &'s [u8] {
        stream.get(self.start..self.end).unwrap_or_default()
    }

    fn children<'s>(&self, stream: &'s [u8]) -> Records<'s> {
        if self.container {
            Records::new(stream, self.start, self.end)
        } else {
            Records::new(stream, 0, 0)
        }
    }
}

/// The records one after another in `start..end`, stopping at the first
/// that does not fit.
struct Records<'s> {
    stream: &'s [u8],
    at: usize,
    end: usize,
}

impl<'s> Records<'s> {
    fn new(stream: &'s [u8], start: usize, end: usize) -> Self {
        Records {
            stream,
            at: start,
            end,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let record = Record::at(self.stream, self.at).filter(|r| r.end <= self.end)?;
        self.at = record.end;
        Some(record)
    }
}

/// The persist directory: where each persist object (document, slide,
/// notes) lies, newest edit winning.
struct Directory {
    offsets: HashMap<u32, usize>,
    document: u32,
    encrypted: bool,
}

impl Directory {
    fn read(stream: &[u8], current_edit: usize) -> Option<Directory> {
        let mut offsets = HashMap::new();
        let mut newest: Option<(u32, bool)> = None;
        let mut next = current_edit;
        for _ in 0..MAX_EDITS {
            let edit = Record::at(stream, next).filter(|r| r.kind == USER_EDIT_ATOM)?;
            let body = edit.body(stream);
            let last_edit = u32_at(body, 8)? as usize;
            let directory_at = u32_at(body, 12)? as usize;
            // encryptSessionPersistIdRef is present only in encrypted files.
            newest.get_or_insert((u32_at(body, 16)?, body.len() >= 32));
            let directory =
                Record::at(stream, directory_at).filter(|r| r.kind == PERSIST_DIRECTORY_ATOM)?;
            read_directory_entries(directory.body(stream), &mut offsets);
            if last_edit == 0 || last_edit == next {
                break;
            }
            next = last_edit;
        }
        let (document, encrypted) = newest?;
        Some(Directory {
            offsets,
            document,
            encrypted,
        })
    }

    fn record(&self, stream: &[u8], persist: u32, kind: u16) -> Option<Record> {
        let at = *self.offsets.get(&persist)?;
        Record::at(stream, at).filter(|r| r.kind == kind)
    }
}

/// `PersistDirectoryEntry`s: a 20-bit first id, a 12-bit count, then that
/// many offsets. Entries already known come from a newer edit and stay.
fn read_directory_entries(body: &[u8], offsets: &mut HashMap<u32, usize>) {
    let mut at = 0;
    while let Some(header) = u32_at(body, at) {
        let first = header & 0x000F_FFFF;
        let count = header >> 20;
        at += 4;
        for i in 0..count {
            let Some(offset) = u32_at(body, at) else {
                return;
            };
            offsets.entry(first + i).or_insert(offset as usize);
            at += 4;
        }
    }
}

/// One entry of a `SlideListWithText`: the persist object it describes,
/// its slide (or notes) id, and the placeholder text stored in the list.
struct Listed {
    persist: u32,
    id: u32,
    texts: Vec<String>,
}

/// The slides' text in presentation order: the list's placeholder text,
/// then the slide's own text boxes, then its notes.
fn slides(stream: &[u8], directory: &Directory) -> Option<Vec<String>> {
    let document = directory.record(stream, directory.document, DOCUMENT)?;
    let mut slides = Vec::new();
    let mut notes = Vec::new();
    for list in document
        .children(stream)
        .filter(|r| r.kind == SLIDE_LIST_WITH_TEXT)
    {
        match list.instance {
            SLIDES_LIST => slides = listed(stream, &list),
            NOTES_LIST => notes = listed(stream, &list),
            _ => {}
        }
    }
    let texts = slides
        .into_iter()
        .map(|slide| {
            let mut texts = slide.texts;
            let container = directory.record(stream, slide.persist, SLIDE);
            if let Some(container) = container {
                for text in drawing_text(stream, &container) {
                    // Other writers repeat the list's text in the slide's own
                    // text boxes; once is enough.
                    if !texts.contains(&text) {
                        texts.push(text);
                    }
                }
                let notes_id = container
                    .children(stream)
                    .find(|r| r.kind == SLIDE_ATOM)
                    .and_then(|atom| u32_at(atom.body(stream), 16))
                    .filter(|id| *id != 0);
                let page = notes_id.and_then(|id| notes.iter().find(|n| n.id == id));
                if let Some(page) = page {
                    texts.extend(page.texts.iter().cloned());
                    if let Some(container) = directory.record(stream, page.persist, NOTES) {
                        texts.extend(drawing_text(stream, &container));
                    }
                }
            }
            texts.join("\n")
        })
        .collect();
    Some(texts)
}

fn listed(stream: &[u8], list: &Record) -> Vec<Listed> {
    let mut entries: Vec<Listed> = Vec::new();
    for record in list.children(stream) {
        if record.kind == SLIDE_PERSIST_ATOM {
            let body = record.body(stream);
            if let (Some(persist), Some(id)) = (u32_at(body, 0), u32_at(body, 12)) {
                entries.push(Listed {
                    persist,
                    id,
                    texts: Vec::new(),
                });
            }
        } else if let (Some(text), Some(entry)) = (atom_text(stream, &record), entries.last_mut()) {
            entry.texts.push(text);
        }
    }
    entries
}

fn drawing_text(stream: &[u8], container: &Record) -> Vec<String> {
    let mut texts = Vec::new();
    collect_text(stream, container, 0, &mut texts);
    texts
}

/// Every text atom under `record`, depth first.
fn collect_text(stream: &[u8], record: &Record, depth: u32, texts: &mut Vec<String>) {
    if let Some(text) = atom_text(stream, record) {
        texts.push(text);
    } else if depth < MAX_DEPTH {
        for child in record.children(stream) {
            collect_text(stream, &child, depth + 1, texts);
        }
    }
}

/// The text of a `TextCharsAtom` (UTF-16) or `TextBytesAtom` (the low
/// bytes of UTF-16, that is Latin-1), with PowerPoint's paragraph and line
/// marks as line breaks. Empty atoms count as none, and so do atoms that
/// hold only `*`, PowerPoint's stand-in for a date or slide-number field.
fn atom_text(stream: &[u8], record: &Record) -> Option<String> {
    let body = record.body(stream);
    let raw = match record.kind {
        TEXT_CHARS_ATOM => utf16le(body),
        TEXT_BYTES_ATOM => body.iter().map(|&b| char::from(b)).collect(),
        _ => return None,
    };
    let text: String = raw
        .chars()
        .filter_map(|c| match c {
            '\r' | '\u{b}' => Some('\n'),
            '\t' => Some('\t'),
            c if c < ' ' => None,
            c => Some(c),
        })
        .collect();
    let text = text.trim_end_matches('\n');
    let shown = text.trim();
    (!shown.is_empty() && shown != "*").then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ver_instance: u16, kind: u16, body: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&ver_instance.to_le_bytes());
        bytes.extend_from_slice(&kind.to_le_bytes());
        bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
        bytes.extend_from_slice(body);
        bytes
    }

    fn chars(text: &str) -> Vec<u8> {
        let body: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        record(0, TEXT_CHARS_ATOM, &body)
    }

    #[test]
    fn text_atoms_are_found_in_nested_containers() {
        let inner = [
            chars("教育转化\r培训中心"),
            record(0, TEXT_BYTES_ATOM, b"Now"),
        ]
        .concat();
        let stream = record(0xF, SLIDE, &record(0xF, 0xF00D, &inner));
        let mut texts = Vec::new();
        for r in Records::new(&stream, 0, stream.len()) {
            collect_text(&stream, &r, 0, &mut texts);
        }
        assert_eq!(texts, vec!["教育转化\n培训中心", "Now"]);
    }

    #[test]
    fn a_record_longer_than_its_stream_is_not_read() {
        let mut stream = chars("abc");
        stream.truncate(stream.len() - 1);
        assert_eq!(Records::new(&stream, 0, stream.len()).count(), 0);
    }

    #[test]
    fn directory_entries_keep_the_newest_offset() {
        let mut offsets = HashMap::from([(2, 99)]);
        let mut body = Vec::new();
        body.extend_from_slice(&(1u32 | 2 << 20).to_le_bytes());
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&20u32.to_le_bytes());
        read_directory_entries(&body, &mut offsets);
        assert_eq!(offsets, HashMap::from([(1, 10), (2, 99)]));
    }
}
