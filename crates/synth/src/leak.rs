//! Generated documents and where they go: [`Doc`] is a file's bytes plus what trove should
//! find in it; [`Leak`] writes docs under `leak/` and records each one (and each archive or
//! email member, recursively) in the ground truth.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use trove_model::{FailureReason, FileKind, MEMBER_SEPARATOR};

use crate::error::SynthError;
use crate::ground_truth::{ExifTruth, FileTruth, Outcome, RowKind, RowTruth};

/// One generated file, not yet placed.
#[derive(Clone)]
pub(crate) struct Doc {
    pub bytes: Vec<u8>,
    pub kind: FileKind,
    pub failure: Option<FailureReason>,
    pub texts: Vec<String>,
    pub sheets: Vec<String>,
    pub pages: Option<u32>,
    pub exif: Option<ExifTruth>,
    /// Members of an archive, attachments of an email: (name inside, doc).
    pub members: Vec<(String, Doc)>,
    /// Spreadsheet rows holding a person.
    pub rows: Vec<SheetRow>,
}

/// A row of a generated spreadsheet, before the spreadsheet has a path.
#[derive(Clone)]
pub(crate) struct SheetRow {
    pub sheet: Option<String>,
    pub row: u32,
    pub id_number: String,
    pub kind: RowKind,
}

impl Doc {
    /// A readable document of `kind` with no facts yet.
    pub fn new(kind: FileKind, bytes: Vec<u8>) -> Doc {
        Doc {
            bytes,
            kind,
            failure: None,
            texts: Vec::new(),
            sheets: Vec::new(),
            pages: None,
            exif: None,
            members: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds strings that must appear in the extracted text.
    pub fn with_texts<S: Into<String>>(mut self, texts: impl IntoIterator<Item = S>) -> Doc {
        self.texts.extend(texts.into_iter().map(Into::into));
        self
    }
}

/// The leak folder being written, and the record of everything in it.
pub(crate) struct Leak {
    root: PathBuf,
    pub files: Vec<FileTruth>,
    pub rows: Vec<RowTruth>,
    /// First path seen for each BLAKE3 hash, to mark later copies.
    first_by_hash: BTreeMap<String, String>,
}

impl Leak {
    /// A leak rooted at `root` (created as needed).
    pub fn new(root: PathBuf) -> Leak {
        Leak {
            root,
            files: Vec::new(),
            rows: Vec::new(),
            first_by_hash: BTreeMap::new(),
        }
    }

    /// Writes `doc` at `path` (relative, `/`-separated) and records it and its members.
    pub fn place(&mut self, path: &str, doc: Doc) -> Result<(), SynthError> {
        let target = path
            .split('/')
            .fold(self.root.clone(), |p, part| p.join(part));
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|source| io_error(parent, source))?;
        }
        std::fs::write(&target, &doc.bytes).map_err(|source| io_error(&target, source))?;
        self.record(path, doc);
        Ok(())
    }

    /// Records `doc` as living at `path` without writing it (archive members).
    fn record(&mut self, path: &str, doc: Doc) {
        let blake3 = blake3::hash(&doc.bytes).to_hex().to_string();
        let duplicate_of = match self.first_by_hash.get(&blake3) {
            Some(first) => Some(first.clone()),
            None => {
                self.first_by_hash.insert(blake3.clone(), path.to_owned());
                None
            }
        };
        self.rows.extend(doc.rows.iter().map(|r| RowTruth {
            file: path.to_owned(),
            sheet: r.sheet.clone(),
            row: r.row,
            id_number: r.id_number.clone(),
            kind: r.kind,
        }));
        self.files.push(FileTruth {
            path: path.to_owned(),
            kind: doc.kind,
            outcome: if doc.failure.is_some() {
                Outcome::Failed
            } else {
                Outcome::Ingested
            },
            failure: doc.failure,
            texts: doc.texts,
            sheets: doc.sheets,
            pages: doc.pages,
            exif: doc.exif,
            duplicate_of,
            blake3,
        });
        for (name, member) in doc.members {
            self.record(&format!("{path}{MEMBER_SEPARATOR}{name}"), member);
        }
    }
}

/// An I/O failure on `path`.
pub(crate) fn io_error(path: &Path, source: std::io::Error) -> SynthError {
    SynthError::Io {
        path: path.to_owned(),
        source,
    }
}
