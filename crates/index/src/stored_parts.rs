//! The stored fields of the parts that searches return, read from tantivy's document
//! store once and kept for the next search that returns them.
//!
//! Reading a hit's stored fields means decompressing its block and validating its whole
//! text as UTF-8; a register sheet part holds hundreds of kilobytes of rows, so this is
//! most of what a search costs, and the same parts (the big registers) answer many
//! searches. Segments never change once written, so an entry keyed by segment and
//! document is never stale; the cache is bounded by the bytes of text it holds.

use std::str::FromStr;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument};
use trove_model::{BlobId, PartKind};

use crate::schema::Fields;
use crate::{Hit, IndexError, Snippet};

/// What a hit shows of one index document (a part of a document, or its metadata):
/// the hit itself, still without score and snippet, and the text snippets are cut from.
#[derive(Debug)]
pub(crate) struct StoredPart {
    /// Score 0 and an empty snippet until a search fills them in.
    pub hit: Hit,
    pub text: String,
    /// The line of its part the text begins on (a chunk of a long part begins further on).
    pub first_line: u32,
}

impl StoredPart {
    fn read(doc: &TantivyDocument, f: &Fields) -> Result<StoredPart, IndexError> {
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let blob = text_of(f.blob)
            .and_then(|id| BlobId::from_str(&id).ok())
            .ok_or_else(|| {
                IndexError::Tantivy(tantivy::TantivyError::InternalError(
                    "an index document has no valid blob id; run `trove reindex`".into(),
                ))
            })?;
        let hit = Hit {
            blob,
            kind: text_of(f.kind).unwrap_or_default(),
            paths: doc
                .get_all(f.path)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            title: text_of(f.title),
            part_kind: text_of(f.part_kind).and_then(|code| PartKind::from_code(&code)),
            part_index: doc
                .get_first(f.part_index)
                .and_then(|v| v.as_u64())
                .and_then(|i| u32::try_from(i).ok()),
            part_label: text_of(f.part_label),
            score: 0.0,
            year: doc.get_first(f.year).and_then(|v| v.as_i64()),
            snippet: Snippet::default(),
        };
        let first_line = f
            .part_line
            .and_then(|field| doc.get_first(field))
            .and_then(|v| v.as_u64())
            .and_then(|line| u32::try_from(line).ok())
            .unwrap_or(1);
        Ok(StoredPart {
            hit,
            text: text_of(f.text).unwrap_or_default(),
            first_line,
        })
    }

    /// What the part costs the cache: its text, plus a little for the rest.
    fn weight(&self) -> usize {
        self.text.len() + 256
    }
}

/// Parts read lately, most recent kept first, within a budget of bytes.
pub(crate) struct StoredParts {
    kept: Mutex<Kept>,
    budget: usize,
}

struct Kept {
    parts: LruCache<(SegmentId, DocId), Arc<StoredPart>>,
    bytes: usize,
}

impl StoredParts {
    /// A cache holding at most `budget` bytes of parts.
    pub(crate) fn new(budget: usize) -> StoredParts {
        StoredParts {
            kept: Mutex::new(Kept {
                parts: LruCache::unbounded(),
                bytes: 0,
            }),
            budget,
        }
    }

    /// The stored fields of the document at `address`, from the cache or the store.
    pub(crate) fn get(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        fields: &Fields,
    ) -> Result<Arc<StoredPart>, IndexError> {
        let segment = searcher.segment_reader(address.segment_ord).segment_id();
        let key = (segment, address.doc_id);
        if let Some(part) = self.lock().parts.get(&key) {
            return Ok(Arc::clone(part));
        }
        // Read outside the lock: other searches go on meanwhile.
        let doc: TantivyDocument = searcher.doc(address)?;
        let part = Arc::new(StoredPart::read(&doc, fields)?);
        self.keep(key, Arc::clone(&part));
        Ok(part)
    }

    fn keep(&self, key: (SegmentId, DocId), part: Arc<StoredPart>) {
        let weight = part.weight();
        if weight > self.budget {
            return;
        }
        let mut kept = self.lock();
        if let Some(old) = kept.parts.put(key, part) {
            kept.bytes -= old.weight();
        }
        kept.bytes += weight;
        while kept.bytes > self.budget {
            match kept.parts.pop_lru() {
                Some((_, evicted)) => kept.bytes -= evicted.weight(),
                None => break,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A poisoned lock means a search panicked; the cache itself is whole.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// The default budget: 64 MiB holds every sheet of a large county's registers.
pub(crate) const DEFAULT_BUDGET: usize = 64 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    fn part(text_bytes: usize) -> Arc<StoredPart> {
        let hit = Hit {
            blob: BlobId::from_str(&"ab".repeat(32)).unwrap(),
            kind: "xlsx".into(),
            paths: Vec::new(),
            title: None,
            part_kind: Some(PartKind::Sheet),
            part_index: Some(0),
            part_label: None,
            score: 0.0,
            year: None,
            snippet: Snippet::default(),
        };
        Arc::new(StoredPart {
            hit,
            text: "x".repeat(text_bytes),
            first_line: 1,
        })
    }

    #[test]
    fn the_least_recently_used_parts_go_when_the_budget_is_spent() {
        // Each part weighs 856 bytes: three fit, a fourth does not.
        let cache = StoredParts::new(3_000);
        let segment = SegmentId::generate_random();
        for doc in 0..3 {
            cache.keep((segment, doc), part(600));
        }
        assert!(
            cache.lock().parts.get(&(segment, 0)).is_some(),
            "touched: kept"
        );
        cache.keep((segment, 3), part(600));
        let kept = cache.lock();
        assert!(kept.parts.contains(&(segment, 0)));
        assert!(
            !kept.parts.contains(&(segment, 1)),
            "least recently used: gone"
        );
        drop(kept);
        assert_eq!(cache.bytes(), 3 * 856);
    }

    #[test]
    fn a_part_larger_than_the_budget_is_not_kept() {
        let cache = StoredParts::new(1_000);
        cache.keep((SegmentId::generate_random(), 0), part(5_000));
        assert_eq!(cache.bytes(), 0);
    }
}
