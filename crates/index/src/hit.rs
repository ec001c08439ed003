//! One search hit: what the search returns and the stored-parts cache keeps.

use serde::Serialize;
use trove_model::{BlobId, PartKind};

use crate::Snippet;

/// One matching part of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The content hash of the matching document.
    pub blob: BlobId,
    /// The file type code.
    #[serde(rename = "type")]
    pub kind: String,
    /// Every path the document was seen at.
    pub paths: Vec<String>,
    /// The title the document gives itself (for an email, its Subject), if any.
    pub title: Option<String>,
    /// Page, sheet, slide or message the text came from; `None` for a
    /// document matched on its metadata alone.
    pub part_kind: Option<PartKind>,
    /// 1-based position of the part among parts of its kind (page 3, sheet 2).
    pub part_index: Option<u32>,
    /// The name the document gives the part (a sheet's name), if any.
    pub part_label: Option<String>,
    /// tantivy's BM25 relevance score, higher is better; comparable only
    /// between hits of the same query.
    pub score: f32,
    /// The year the document was made (the `year:` field), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    /// The stretch of the part's text with the most matches, highlighted.
    pub snippet: Snippet,
}
