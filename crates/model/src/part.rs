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
    /// What the workbook hides of a sheet; nothing for other parts.
    #[serde(default, skip_serializing_if = "Hidden::is_nothing")]
    pub hidden: Hidden,
}

/// What a workbook hides of a sheet: the sheet itself, or some of its rows. Hidden content
/// is read like the rest (that a clerk hid it is a fact about it, not a reason to ignore
/// it) and marked, so that a reader knows a printout of the sheet never showed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hidden {
    /// The sheet is hidden (or "very hidden": only a macro can show it again).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sheet: bool,
    /// Hidden rows as inclusive spans of 1-based row numbers, ascending and apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<[u32; 2]>,
}

impl Hidden {
    /// Whether nothing is hidden.
    pub fn is_nothing(&self) -> bool {
        !self.sheet && self.rows.is_empty()
    }

    /// Whether 1-based `row` is hidden.
    pub fn row(&self, row: u32) -> bool {
        let after = self.rows.partition_point(|span| span[1] < row);
        self.rows.get(after).is_some_and(|span| span[0] <= row)
    }

    /// Spans from hidden 1-based row numbers in any order.
    pub fn spans_of(mut rows: Vec<u32>) -> Vec<[u32; 2]> {
        rows.sort_unstable();
        rows.dedup();
        let mut spans: Vec<[u32; 2]> = Vec::new();
        for row in rows {
            match spans.last_mut() {
                Some(last) if last[1] + 1 == row => last[1] = row,
                _ => spans.push([row, row]),
            }
        }
        spans
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_are_kept_as_spans_and_looked_up() {
        let hidden = Hidden {
            sheet: false,
            rows: Hidden::spans_of(vec![9, 3, 4, 5, 12, 4]),
        };
        assert_eq!(hidden.rows, vec![[3, 5], [9, 9], [12, 12]]);
        let found: Vec<u32> = (1..=13).filter(|r| hidden.row(*r)).collect();
        assert_eq!(found, vec![3, 4, 5, 9, 12]);
        assert!(Hidden::default().is_nothing());
    }
}
