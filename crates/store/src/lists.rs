//! The lists facet of the catalog: outside lists, their entries, and candidate matches
//! with Persons.

use std::collections::HashSet;

use trove_model::{ListEntry, ListInfo, MatchCandidate, Review};

use crate::StoreError;

/// An entry with whether it was scored before.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// The entry as imported.
    pub entry: ListEntry,
    /// Scored against the Persons of an earlier run; later runs score it against new Persons only.
    pub scored: bool,
}

/// Which candidates of a list a page shows; every field that is set must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CandidateFilter {
    /// Only candidates under this review.
    pub review: Option<Review>,
    /// Only candidates scoring at least this.
    pub min_score: Option<f64>,
    /// Only candidates scoring below this.
    pub below_score: Option<f64>,
}

/// What one cross-reference run learned, written in one transaction.
#[derive(Debug, Clone, Default)]
pub struct XrefBatch {
    /// Entry–Person pairs found, with their scores.
    pub candidates: Vec<MatchCandidate>,
    /// Rows now scored against every Person in `persons`.
    pub scored_rows: Vec<u32>,
    /// Persons now scored against every entry.
    pub persons: Vec<String>,
}

/// The lists facet of a catalog: outside lists (relatives' reports of the missing, say) and their matches with Persons.
pub trait ListCatalog: Send + Sync {
    /// Stores a list, replacing one of the same name (its entries, candidates and
    /// cross-reference state go with it).
    fn import_list(&self, info: &ListInfo, entries: &[ListEntry]) -> Result<(), StoreError>;

    /// What is known of the list of this name, if there is one.
    fn list_info(&self, name: &str) -> Result<Option<ListInfo>, StoreError>;

    /// Every entry of the list, in row order.
    fn list_entries(&self, name: &str) -> Result<Vec<StoredEntry>, StoreError>;

    /// The entry at `row` of the list, if there is one (one indexed look-up).
    fn list_entry(&self, name: &str, row: u32) -> Result<Option<ListEntry>, StoreError>;

    /// Persons already scored against every entry of the list.
    fn xref_persons(&self, name: &str) -> Result<HashSet<String>, StoreError>;

    /// Records a cross-reference run of a list. Candidates already on record keep their
    /// review.
    fn save_xref(&self, name: &str, batch: &XrefBatch) -> Result<(), StoreError>;

    /// Every candidate of a list, best first.
    fn match_candidates(&self, name: &str) -> Result<Vec<MatchCandidate>, StoreError>;

    /// One page of a list's candidates, best first (the order of
    /// [`match_candidates`](Self::match_candidates)), those `filter` lets through:
    /// skipping `offset`, at most `limit`. Read in order from an index, never the whole
    /// list.
    fn candidates_page(
        &self,
        name: &str,
        filter: &CandidateFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<MatchCandidate>, StoreError>;
}
