//! Facet counts over matching *documents* (not parts): by type, top-level
//! folder and year.
//!
//! All parts of a document are added in one batch, so they always share a
//! segment (merges keep them together); de-duplicating by the blob's ordinal
//! within each segment therefore counts each document once.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{BitSet, DocId, Score, SegmentOrdinal, SegmentReader};

/// Matching documents counted by facet value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Distinct documents that matched.
    pub documents: u64,
    /// Documents per file type code (`xlsx`, `pdf`).
    pub by_type: BTreeMap<String, u64>,
    /// Documents per top-level folder of their paths; a document seen under
    /// several folders counts once in each, so these may sum to more than
    /// [`Facets::documents`].
    pub by_folder: BTreeMap<String, u64>,
    /// Documents per year made (the `year:` field); documents without a
    /// plausible year are in no bucket.
    pub by_year: BTreeMap<i64, u64>,
}

impl Facets {
    fn merge(&mut self, other: Facets) {
        self.documents += other.documents;
        for (key, count) in other.by_type {
            *self.by_type.entry(key).or_default() += count;
        }
        for (key, count) in other.by_folder {
            *self.by_folder.entry(key).or_default() += count;
        }
        for (key, count) in other.by_year {
            *self.by_year.entry(key).or_default() += count;
        }
    }
}

pub(crate) struct FacetCollector;

pub(crate) struct FacetSegmentCollector {
    blob: Option<StrColumn>,
    kind: Option<StrColumn>,
    folder: Option<StrColumn>,
    year: Column<i64>,
    /// Blob ordinals already counted. A word search matches hundreds of thousands
    /// of parts, so each match costs a bit test and an array increment, never a hash.
    seen_blobs: BitSet,
    kind_counts: Vec<u64>,
    folder_counts: Vec<u64>,
    by_year: BTreeMap<i64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let blob = fast.str("blob")?;
        let kind = fast.str("type")?;
        let folder = fast.str("folder")?;
        let terms = |column: &Option<StrColumn>| column.as_ref().map_or(0, |c| c.num_terms());
        Ok(FacetSegmentCollector {
            seen_blobs: BitSet::with_max_value(u32::try_from(terms(&blob)).unwrap_or(u32::MAX)),
            kind_counts: vec![0; terms(&kind)],
            folder_counts: vec![0; terms(&folder)],
            blob,
            kind,
            folder,
            year: fast.i64("year")?,
            by_year: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut total = Facets::default();
        for fruit in fruits {
            total.merge(fruit);
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(blob) = &self.blob {
            let first = blob.term_ords(doc).next();
            let ord = first.and_then(|ord| u32::try_from(ord).ok());
            if let Some(ord) = ord.filter(|&ord| ord < self.seen_blobs.max_value())
                && !self.seen_blobs.insert(ord)
            {
                return;
            }
        }
        count_ords(self.kind.as_ref(), doc, &mut self.kind_counts);
        count_ords(self.folder.as_ref(), doc, &mut self.folder_counts);
        if let Some(year) = self.year.first(doc) {
            *self.by_year.entry(year).or_default() += 1;
        }
    }

    fn harvest(self) -> Facets {
        Facets {
            documents: self.seen_blobs.len() as u64,
            by_type: resolve(self.kind.as_ref(), &self.kind_counts),
            by_folder: resolve(self.folder.as_ref(), &self.folder_counts),
            by_year: self.by_year,
        }
    }
}

/// Adds one to the count of each of `doc`'s values in `column`.
fn count_ords(column: Option<&StrColumn>, doc: DocId, counts: &mut [u64]) {
    let Some(column) = column else {
        return;
    };
    for ord in column.term_ords(doc) {
        if let Some(count) = usize::try_from(ord).ok().and_then(|i| counts.get_mut(i)) {
            *count += 1;
        }
    }
}

/// Turns per-segment counts by term ordinal into counts by the strings they stand for.
fn resolve(column: Option<&StrColumn>, counts: &[u64]) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let Some(column) = column else {
        return out;
    };
    let mut text = String::new();
    for (ord, &count) in (0u64..).zip(counts) {
        if count == 0 {
            continue;
        }
        text.clear();
        if column.ord_to_str(ord, &mut text).unwrap_or(false) {
            *out.entry(text.clone()).or_default() += count;
        }
    }
    out
}
