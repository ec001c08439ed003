use serde::{Deserialize, Serialize};

use crate::coded_enum;

coded_enum! {
    /// Where in a document a piece of text came from. The code is the stable lowercase
    /// name used in the catalog and JSON.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum PartKind {
        /// The whole text of a document that has no finer division.
        Body => "body",
        /// A page of a PDF (1-based `index`).
        Page => "page",
        /// A worksheet; `label` holds its name.
        Sheet => "sheet",
        /// A slide of a presentation (1-based `index`).
        Slide => "slide",
        /// The headers and body of an email message.
        Message => "message",
        /// Text read by OCR from a page image: a PDF page without a usable text layer
        /// (`index` is the page) or an image of a document (`index` 1); `label` gives the
        /// confidence, which the catalog also keeps per page.
        Ocr => "ocr",
    }
}

/// A piece of a document's text with its place in the document.
///
/// Spreadsheet sheets are rendered one row a line, cells separated by tabs, so
/// that a line number in a sheet part is the row number (1-based) in the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// What sort of division of the document this is.
    pub kind: PartKind,
    /// 1-based position among parts of the same kind.
    pub index: u32,
    /// A name the document gives this part (a sheet's name), if any.
    pub label: Option<String>,
    /// The extracted text of this part, as searched and shown (for a sheet, one
    /// row a line with tab-separated cells).
    pub text: String,
}

impl Part {
    /// A human label such as `page 3`, `sheet "名单"` or `slide 2`.
    pub fn describe(&self) -> String {
        match (&self.kind, &self.label) {
            (PartKind::Body, _) => "body".to_owned(),
            // `page 3 (OCR, confidence 91%)`: read from the image, not the text layer.
            (PartKind::Ocr, Some(label)) => format!("page {} ({label})", self.index),
            (kind, Some(label)) => format!("{} {:?}", kind.code(), label),
            (kind, None) => format!("{} {}", kind.code(), self.index),
        }
    }
}
