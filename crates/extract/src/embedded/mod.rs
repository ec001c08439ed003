//! Files embedded in office documents and PDFs, handed back as children for
//! ingest to treat like email attachments: OOXML `embeddings/` parts, OLE
//! objects in .doc and .xls files, attachments of Outlook messages, and PDF
//! embedded files and file-attachment annotations. WPS Office, common in
//! Chinese administrations, writes the same structures.
//!
//! Finding them is best effort, beside the text: a damaged embedding never
//! fails the document whose text was read; it is left out and the document
//! marked truncated.

mod compound;
mod ole_object;
mod ooxml;
mod pdf;
mod presentation;

use std::panic::{AssertUnwindSafe, catch_unwind};

use trove_model::FileKind;

use crate::{Embedded, Limits};

/// The embedded files found in one document.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// The files, within the limits.
    pub files: Vec<Embedded>,
    /// Whether any were left out (too many, too large, unreadable).
    pub dropped: bool,
}

impl Found {
    pub(crate) fn new() -> Self {
        Found::default()
    }

    /// Keeps a file if the limits allow (judged before anything is copied).
    pub(crate) fn add(
        &mut self,
        limits: &Limits,
        name: String,
        bytes: impl AsRef<[u8]> + Into<Vec<u8>>,
    ) {
        if self.is_full(limits) || bytes.as_ref().len() > limits.max_child_bytes {
            self.dropped = true;
            return;
        }
        self.files.push(Embedded {
            name,
            bytes: bytes.into(),
        });
    }

    /// Whether no more files may be kept.
    pub(crate) fn is_full(&self, limits: &Limits) -> bool {
        self.files.len() >= limits.max_children
    }
}

/// The files embedded in `bytes`, a document of `kind`.
pub(crate) fn find(kind: FileKind, bytes: &[u8], limits: &Limits) -> Found {
    let search = || {
        let mut found = Found::new();
        match kind {
            FileKind::Docx | FileKind::Xlsx | FileKind::Xlsb | FileKind::Pptx => {
                ooxml::find(bytes, limits, &mut found);
            }
            FileKind::Doc | FileKind::Xls => compound::find_objects(bytes, limits, &mut found),
            FileKind::Ppt => presentation::find(bytes, limits, &mut found),
            FileKind::Ole => compound::find_message_attachments(bytes, limits, &mut found),
            FileKind::Pdf => pdf::find(bytes, limits, &mut found),
            _ => {}
        }
        found
    };
    // The readers index into file data; a panic is a damaged embedding.
    catch_unwind(AssertUnwindSafe(search)).unwrap_or_else(|_| Found {
        files: Vec::new(),
        dropped: true,
    })
}

/// The last component of a name a file gives for what it embeds (an attachment, a
/// packaged object), without control characters: such names are chosen by whoever made
/// the file and may try to climb out of a folder (`../../x`).
pub(crate) fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    last.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `stem.ext`, the extension from the content's detected kind, for embedded
/// files that carry no name of their own.
fn name_by_content(stem: &str, bytes: &[u8]) -> String {
    match crate::detect(bytes, "") {
        FileKind::Binary | FileKind::Empty => stem.to_owned(),
        kind => format!("{stem}.{}", kind.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_last_component_only() {
        assert_eq!(safe_name("C:\\Users\\张\\报告.pdf"), "报告.pdf");
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("a\u{0}b\n.txt"), "ab.txt");
    }

    #[test]
    fn limits_bound_what_is_kept() {
        let limits = Limits {
            max_children: 1,
            max_child_bytes: 3,
            ..Limits::default()
        };
        let mut found = Found::new();
        found.add(&limits, "big".into(), vec![0; 4]);
        found.add(&limits, "ok".into(), vec![0; 3]);
        found.add(&limits, "late".into(), vec![0; 1]);
        assert_eq!(found.files.len(), 1);
        assert!(found.dropped);
    }
}
