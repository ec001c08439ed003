//! What the index needs to know of one trove document.

use tantivy::TantivyDocument;
use trove_model::{BlobId, FileKind, Metadata, Part};

use crate::schema::Fields;

/// A trove document as the index sees it: its parts, every path it was seen
/// at, and the metadata that `field:value` queries and facets use.
#[derive(Debug, Clone, Copy)]
pub struct IndexDocument<'a> {
    /// The content hash that identifies the document; stored on every part so
    /// that hits and facets can be grouped by document.
    pub blob: &'a BlobId,
    /// The detected file type, indexed by its code for `type:` and the type facet.
    pub kind: FileKind,
    /// Paths relative to their ingest root (`!/` enters archives).
    pub paths: &'a [String],
    /// Indexed as `title:`, `author:` (author or email sender), `camera:` and `year:`.
    pub metadata: &'a Metadata,
    /// The extracted text; each part becomes its own index document, so a hit
    /// names the page, sheet or slide it matched in.
    pub parts: &'a [Part],
}

impl IndexDocument<'_> {
    /// One tantivy document per part; a document without text still gets one
    /// (with empty text) so that `type:`, `path:` and `camera:` find it.
    pub(crate) fn to_tantivy(self, fields: &Fields) -> Vec<TantivyDocument> {
        let base = self.shared_fields(fields);
        if self.parts.is_empty() {
            return vec![base];
        }
        self.parts
            .iter()
            .enumerate()
            .map(|(seq, part)| {
                let mut doc = base.clone();
                doc.add_u64(fields.part_seq, seq as u64);
                doc.add_text(fields.part_kind, part.kind.code());
                doc.add_u64(fields.part_index, u64::from(part.index));
                if let Some(label) = &part.label {
                    doc.add_text(fields.part_label, label);
                }
                doc.add_text(fields.text, &part.text);
                doc.add_text(fields.text_han, &part.text);
                doc
            })
            .collect()
    }

    fn shared_fields(self, fields: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.blob, self.blob.as_str());
        doc.add_text(fields.kind, self.kind.code());
        let mut folders: Vec<&str> = Vec::new();
        for path in self.paths {
            doc.add_text(fields.path, path);
            let folder = top_folder(path);
            if !folders.contains(&folder) {
                folders.push(folder);
                doc.add_text(fields.folder, folder);
            }
        }
        let meta = self.metadata;
        if let Some(title) = &meta.title {
            doc.add_text(fields.title, title);
        }
        for author in [&meta.author, &meta.from].into_iter().flatten() {
            doc.add_text(fields.author, author);
        }
        if let Some(image) = &meta.image {
            let exif = &image.exif;
            for value in [&exif.make, &exif.model, &exif.body_serial]
                .into_iter()
                .flatten()
            {
                doc.add_text(fields.camera, value);
            }
        }
        if let Some(year) = meta.year() {
            doc.add_i64(fields.year, i64::from(year));
        }
        doc
    }
}

/// The first component of a path: the top-level folder a user browses by
/// (a file at the root of the ingested folder is its own "folder").
fn top_folder(path: &str) -> &str {
    path.split(['/', '!']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_folder_is_the_first_component() {
        assert_eq!(
            top_folder("疏附县公安局/01-人员名单/a.xlsx"),
            "疏附县公安局"
        );
        assert_eq!(top_folder("a.zip!/b/c.txt"), "a.zip");
        assert_eq!(top_folder("notice.txt"), "notice.txt");
    }
}
