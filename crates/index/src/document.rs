//! What the index needs to know of one trove document.

use tantivy::TantivyDocument;
use trove_model::{BlobId, FileKind, Metadata, Part};

use crate::schema::Fields;

/// Parts longer than this are indexed as several index documents, each a run of whole
/// lines (for a sheet, whole rows): indexing a register of a million rows then needs
/// no more memory than a short one, and a hit reads only the rows around it.
pub(crate) const CHUNK_BYTES: usize = 64 << 10;

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
    /// One tantivy document per part, or per chunk of a long part (see [`CHUNK_BYTES`]);
    /// a document without text still gets one (with empty text) so that `type:`, `path:`
    /// and `camera:` find it.
    pub(crate) fn to_tantivy(self, fields: &Fields) -> Vec<TantivyDocument> {
        let base = self.shared_fields(fields);
        if self.parts.is_empty() {
            return vec![base];
        }
        // An index made before chunks has no field for a chunk's first line: its parts
        // stay whole, so that rows in hits stay right.
        let chunk_bytes = fields.part_line.map_or(usize::MAX, |_| CHUNK_BYTES);
        let mut docs = Vec::with_capacity(self.parts.len());
        for (seq, part) in self.parts.iter().enumerate() {
            for (first_line, text) in line_chunks(&part.text, chunk_bytes) {
                let mut doc = base.clone();
                doc.add_u64(fields.part_seq, seq as u64);
                doc.add_text(fields.part_kind, part.kind.code());
                doc.add_u64(fields.part_index, u64::from(part.index));
                if let Some(label) = &part.label {
                    doc.add_text(fields.part_label, label);
                }
                if let (Some(field), true) = (fields.part_line, first_line > 1) {
                    doc.add_u64(field, u64::from(first_line));
                }
                doc.add_text(fields.text, text);
                doc.add_text(fields.text_han, text);
                docs.push(doc);
            }
        }
        docs
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

/// `text` cut into runs of whole lines of at most `max` bytes, each with the 1-based
/// line it begins on; a single line longer than `max` is cut at a character boundary.
/// An empty text is one empty chunk. Every chunk holds at least one character, whatever
/// `max` is.
pub fn line_chunks(text: &str, max: usize) -> Vec<(u32, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut line = 1u32;
    loop {
        let rest = &text[start..];
        let len = if rest.len() <= max {
            rest.len()
        } else {
            match memchr::memrchr(b'\n', &rest.as_bytes()[..max]) {
                Some(newline) => newline + 1,
                None => (1..=max)
                    .rev()
                    .find(|&at| rest.is_char_boundary(at))
                    .unwrap_or_else(|| rest.char_indices().nth(1).map_or(rest.len(), |(at, _)| at)),
            }
        };
        let chunk = &rest[..len];
        chunks.push((line, chunk));
        let newlines = memchr::memchr_iter(b'\n', chunk.as_bytes()).count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        start += len;
        if start >= text.len() {
            return chunks;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_between_lines_and_know_their_first_line() {
        let text = "a1\nb22\nc333\nd\n";
        assert_eq!(line_chunks(text, 8), [(1, "a1\nb22\n"), (3, "c333\nd\n")]);
        assert_eq!(line_chunks(text, 100), [(1, text)]);
        assert_eq!(line_chunks("", 8), [(1, "")]);
        // A line longer than a chunk is cut inside, never inside a character.
        assert_eq!(
            line_chunks("阿不都\n", 4),
            [(1, "阿"), (1, "不"), (1, "都\n")]
        );
        let rows = "行\n".repeat(10_000);
        let chunks = line_chunks(&rows, 1_000);
        let joined: String = chunks.iter().map(|(_, c)| *c).collect();
        assert_eq!(joined, rows);
        assert!(chunks.iter().all(|(_, c)| c.len() <= 1_000));
        assert_eq!(chunks[1].0, 1 + (chunks[0].1.len() / 4) as u32);
    }

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
