//! A catalogued document as the document page and the API show it: facts,
//! provenance and text by parts, all as plain strings for templates to
//! escape (never markup: an HTML document is shown by its extracted text).

use serde::Serialize;
use serde_json::Value;
use trove_model::{FailureReason, Metadata, Part, PartKind, Stage};
use trove_store::DocumentView;

use crate::i18n::{Lang, Message};

/// One place the document was seen.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The folder or archive that was ingested.
    pub root: String,
    /// Relative to the root; `!/` enters an archive or an email.
    pub path: String,
    /// The archive or email it was found in, by document id.
    pub parent: Option<String>,
    /// The type the file name claims, when the content says otherwise.
    pub name_suggests: Option<String>,
}

/// A document found inside this one.
#[derive(Debug, Clone, Serialize)]
pub struct Child {
    pub id: String,
    pub path: String,
}

/// A page, sheet, slide or message of text.
#[derive(Debug, Clone, Serialize)]
pub struct PartText {
    /// `page-3`: the anchor search hits link to.
    pub anchor: String,
    /// `page 3`, `sheet "名单"`.
    pub heading: String,
    pub kind: &'static str,
    pub index: u32,
    pub label: Option<String>,
    pub text: String,
}

impl From<&Part> for PartText {
    fn from(part: &Part) -> Self {
        PartText {
            anchor: format!("{}-{}", part.kind.code(), part.index),
            heading: part.describe(),
            kind: part.kind.code(),
            index: part.index,
            label: part.label.clone(),
            text: part.text.clone(),
        }
    }
}

impl PartText {
    /// The part's heading in `lang` (`page 3`, `sheet "名单"`); the API's `heading` is the
    /// English one.
    pub fn heading_in(&self, lang: Lang) -> String {
        match PartKind::from_code(self.kind) {
            Some(kind) => part_heading(lang, kind, self.index, self.label.as_deref()),
            None => self.heading.clone(),
        }
    }
}

/// A part's heading in `lang`, as [`Part::describe`] words it in English: `body`,
/// `page 3`, `sheet "名单"`, `page 2 (OCR, confidence 91%)`.
pub fn part_heading(lang: Lang, kind: PartKind, index: u32, label: Option<&str>) -> String {
    match (kind, label) {
        (PartKind::Body, _) => lang.t("part.body").to_owned(),
        (PartKind::Ocr, Some(label)) => lang
            .msg("part.ocr_named")
            .arg("index", index)
            .arg("label", label)
            .to_string(),
        (kind, Some(label)) => named_part(lang, kind, &format!("{label:?}")),
        (kind, None) => numbered_part(lang, kind, index),
    }
}

/// A part by its number in `lang`: `page 3`, `slide 2`.
pub fn numbered_part(lang: Lang, kind: PartKind, index: u32) -> String {
    let key = match kind {
        PartKind::Body => "part.body",
        PartKind::Page => "part.page",
        PartKind::Sheet => "part.sheet",
        PartKind::Slide => "part.slide",
        PartKind::Message => "part.message",
        PartKind::Ocr => "part.ocr",
    };
    lang.msg(key).arg("index", index).to_string()
}

/// A part by its name, quoted as the caller quotes it, in `lang`: `sheet "名单"`.
pub fn named_part(lang: Lang, kind: PartKind, quoted: &str) -> String {
    let noun = match kind {
        PartKind::Body => "part.body",
        PartKind::Page => "part.kind.page",
        PartKind::Sheet => "part.kind.sheet",
        PartKind::Slide => "part.kind.slide",
        PartKind::Message => "part.kind.message",
        PartKind::Ocr => "part.kind.ocr",
    };
    lang.msg("part.named")
        .arg("kind", lang.t(noun))
        .arg("label", quoted)
        .to_string()
}

/// Everything the page and the API show of a document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentFacts {
    pub id: String,
    pub blake3: String,
    pub sha256: String,
    pub size: u64,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub mime: &'static str,
    pub status: String,
    pub extractor_version: Option<u32>,
    /// Metadata fields as (name, value) rows; nested fields are dotted
    /// (`image.exif.model`).
    pub metadata: Vec<(String, String)>,
    pub provenance: Vec<Provenance>,
    pub children: Vec<Child>,
    /// Why extraction or unpacking failed, if it did, in English.
    pub failures: Vec<String>,
    /// The same failures, for the page to say in its language.
    #[serde(skip)]
    pub failure_lines: Vec<FailureLine>,
    pub truncated: bool,
    pub is_image: bool,
    pub is_html: bool,
    pub parts: Vec<PartText>,
}

impl From<&DocumentView> for DocumentFacts {
    fn from(doc: &DocumentView) -> Self {
        DocumentFacts {
            id: doc.id.as_str().to_owned(),
            blake3: doc.id.as_str().to_owned(),
            sha256: doc.sha256.clone(),
            size: doc.size,
            kind: doc.kind.code(),
            mime: doc.kind.mime(),
            status: doc.status.clone(),
            extractor_version: doc.extractor_version,
            metadata: metadata_rows(&doc.metadata),
            provenance: doc
                .occurrences
                .iter()
                .map(|o| Provenance {
                    root: o.root.clone(),
                    path: o.path.clone(),
                    parent: o.parent.as_ref().map(|p| p.as_str().to_owned()),
                    name_suggests: o.name_kind.map(|kind| kind.code().to_owned()),
                })
                .collect(),
            children: doc
                .children
                .iter()
                .map(|c| Child {
                    id: c.blob.as_str().to_owned(),
                    path: c.path.clone(),
                })
                .collect(),
            failures: doc
                .failures
                .iter()
                .map(|f| format!("{} (at {})", f.failure, f.path))
                .collect(),
            failure_lines: doc
                .failures
                .iter()
                .map(|f| FailureLine {
                    stage: f.failure.stage,
                    reason: f.failure.reason,
                    message: f.failure.message.clone(),
                    path: f.path.clone(),
                })
                .collect(),
            truncated: doc.truncated,
            is_image: doc.kind.is_image(),
            is_html: doc.kind == trove_model::FileKind::Html,
            parts: doc.parts.iter().map(PartText::from).collect(),
        }
    }
}

/// A failure of the document's ingest: its stage and reason are named in the page's
/// language; the message, written by ingest, stays English.
#[derive(Debug, Clone)]
pub struct FailureLine {
    pub stage: Stage,
    pub reason: FailureReason,
    pub message: String,
    pub path: String,
}

impl FailureLine {
    /// `extract failed (corrupt): … (at a/b.xlsx)`, in `lang`.
    pub fn line(&self, lang: &Lang) -> Message {
        lang.msg("document.failure")
            .arg("stage", lang.name(self.stage))
            .arg("reason", lang.name(self.reason))
            .arg("message", &self.message)
            .arg("path", &self.path)
    }
}

impl DocumentFacts {
    /// The extraction status in `lang` (`extracted`, `failed`…); a status the workbench
    /// does not know, as stored.
    pub fn status_in(&self, lang: &Lang) -> String {
        let key = match self.status.as_str() {
            "extracted" => "document.status.extracted",
            "unsupported" => "document.status.unsupported",
            "failed" => "document.status.failed",
            "skipped" => "document.status.skipped",
            "pending" => "document.status.pending",
            other => return other.to_owned(),
        };
        lang.t(key).to_owned()
    }

    /// What the page calls the document: its title, or the last part of the
    /// first path it was seen at.
    pub fn name(&self, title: Option<&str>) -> String {
        if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
            return title.to_owned();
        }
        self.provenance
            .first()
            .and_then(|p| p.path.rsplit(['/', '!']).find(|s| !s.is_empty()))
            .map_or_else(|| self.id[..12].to_owned(), str::to_owned)
    }
}

/// The metadata's fields by name, nested objects flattened, lists joined;
/// fields the extractor left empty are left out.
pub fn metadata_rows(metadata: &Metadata) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Ok(value) = serde_json::to_value(metadata) {
        flatten("", &value, &mut rows);
    }
    rows
}

fn flatten(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(fields) => {
            for (name, value) in fields {
                let key = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                flatten(&key, value, rows);
            }
        }
        Value::Null => {}
        Value::String(text) => rows.push((prefix.to_owned(), text.clone())),
        Value::Array(items) => {
            let joined: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect();
            rows.push((prefix.to_owned(), joined.join(", ")));
        }
        other => rows.push((prefix.to_owned(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trove_model::{Exif, ImageFacts};

    #[test]
    fn nested_metadata_becomes_dotted_rows() {
        let metadata = Metadata {
            title: Some("<b>名单</b>".into()),
            to: vec!["a@example.org".into(), "b@example.org".into()],
            image: Some(ImageFacts {
                width: 120,
                height: 160,
                exif: Exif {
                    model: Some("EOS".into()),
                    ..Exif::default()
                },
                perceptual_hash: None,
                tones: None,
            }),
            ..Metadata::default()
        };
        let rows = metadata_rows(&metadata);
        let row = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        assert_eq!(row("title"), Some("<b>名单</b>"));
        assert_eq!(row("to"), Some("a@example.org, b@example.org"));
        assert_eq!(row("image.width"), Some("120"));
        assert_eq!(row("image.exif.model"), Some("EOS"));
        assert_eq!(row("author"), None);
    }
}
