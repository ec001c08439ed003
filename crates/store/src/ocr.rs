//! The OCR facet of the catalog: which documents need reading, and the text and
//! confidence read from their pages. A trait of its own, like [`crate::RecordCatalog`].

use trove_model::{BlobId, FileKind, ImageTones};

use crate::StoreError;

/// A document the OCR stage has not yet considered under the current engine and languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrCandidate {
    /// The document.
    pub blob: BlobId,
    /// A PDF or an image.
    pub kind: FileKind,
    /// For a PDF, each page (1-based) with the number of non-space characters its text
    /// layer gave; empty for an image.
    pub pages: Vec<(u32, usize)>,
    /// The original's size in bytes.
    pub size: u64,
    /// An image's size and the tones extraction counted on it, when it did.
    pub tones: Option<MeasuredTones>,
}

/// The tones extraction counted on an image, with the image's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasuredTones {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What the triage judges by.
    pub tones: ImageTones,
}

/// What the OCR stage read from one page.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPageText {
    /// 1-based page of a PDF; 1 for an image.
    pub page: u32,
    /// The text read.
    pub text: String,
    /// Mean word confidence (0–100), `None` when no word was read.
    pub confidence: Option<f32>,
    /// The words laid out by position, a row of the page per line and a tab between
    /// cells (see `trove_ocr::OcrPage::layout`): what records are read from, when asked.
    pub layout: String,
}

/// The OCR stage's result for one document.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrResult {
    /// The document.
    pub blob: BlobId,
    /// What was decided and why (`reads as a page of text: …`, `3 pages without text`).
    pub decision: String,
    /// The pages read, if any.
    pub pages: Vec<OcrPageText>,
}

/// The OCR facet of a catalog.
pub trait OcrCatalog: Send + Sync {
    /// PDFs and images not yet considered under `version`, after `after` in id order.
    fn pending_ocr(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<OcrCandidate>, StoreError>;

    /// Keeps each document's OCR text as parts of kind `ocr` (replacing earlier ones),
    /// their confidences and the decision, marks it considered under `version`, and marks
    /// those with new text for the index: one transaction.
    fn write_ocr(&self, version: &str, results: &[OcrResult]) -> Result<(), StoreError>;

    /// The confidence of each page OCR read from a document, in page order.
    fn ocr_confidences(&self, blob: &BlobId) -> Result<Vec<(u32, Option<f32>)>, StoreError>;
}
