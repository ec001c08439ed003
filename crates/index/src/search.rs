//! Opening the index and running searches.

use std::fs;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, Term};

use crate::facets::FacetCollector;
use crate::gate::Gate;
use crate::schema::{Fields, bigrams_bridge_names, build_schema, register_analyzers};
use crate::snippet::Highlighter;
use crate::stored_parts::{self, StoredParts};
use crate::{Facets, Hit, IndexError, IndexWriter, query};

/// How much of a result set to return.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Hits to return; `None` for all of them.
    pub limit: Option<usize>,
    /// Hits to skip (pagination).
    pub offset: usize,
    /// Longest snippet, in characters.
    pub snippet_chars: usize,
    /// Whether to count facets over the whole result set.
    pub facets: bool,
    /// The order hits are ranked and paged in.
    pub order: HitOrder,
    /// Facet values every hit must have; facet counts are taken after it applies.
    pub filter: SearchFilter,
}

/// Narrows a search to documents with these facet values, as the facet
/// links of a result page do. Values are matched exactly, outside the query
/// syntax, so a folder name may hold any character.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// A file type code (`xlsx`).
    pub kind: Option<String>,
    /// A top-level folder, as [`Facets::by_folder`] names it.
    pub folder: Option<String>,
    /// A year made, as [`Facets::by_year`] names it; documents without a year
    /// never match.
    pub year: Option<i64>,
    /// Only these documents, by id (those an editor tagged, say); an empty set matches
    /// nothing.
    pub blobs: Option<Vec<String>>,
}

/// The order hits come in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HitOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// Latest year first (the `year:` field), best match first within a year;
    /// hits without a year come last.
    Newest,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: Some(20),
            offset: 0,
            snippet_chars: 160,
            facets: true,
            order: HitOrder::Relevance,
            filter: SearchFilter::default(),
        }
    }
}

/// A page of hits, the total, and facets.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Matching parts in all.
    pub total: usize,
    /// Counts over every matching document, not only this page; `None` unless
    /// [`SearchOptions::facets`] asked for them.
    pub facets: Option<Facets>,
    /// The page asked for, after [`SearchOptions::offset`], at most
    /// [`SearchOptions::limit`] long.
    pub hits: Vec<Hit>,
}

/// The search index of a store.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Parts read for earlier hits, kept for the next search that returns them.
    parts: StoredParts,
    /// Whether the bigram field bridges name marks, so a Han phrase need only be
    /// searched there.
    han_phrases_on_bigrams: bool,
    /// An older trove made the index (its schema is not today's). An open index's
    /// schema never changes, so this is settled once, not at every search page.
    outdated: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one if there is none. Searches see
    /// the commits made until now and after each [`SearchIndex::refresh`].
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        Self::open_with(dir, ReloadPolicy::Manual)
    }

    /// Opens the index in `dir` for a long-running reader (the web server): searches
    /// see every later commit (an ingest into the store while the server runs) within
    /// about a second, as tantivy watches the index's meta file.
    pub fn open_live(dir: &Path) -> Result<Self, IndexError> {
        // jieba's dictionary takes a few hundred milliseconds to load: loaded now, in
        // the background, it is not the first user's search that waits for it.
        crate::tokenizer::load_dictionary_in_background();
        Self::open_with(dir, ReloadPolicy::OnCommitWithDelay)
    }

    fn open_with(dir: &Path, reload: ReloadPolicy) -> Result<Self, IndexError> {
        let wrap = |source| IndexError::Open {
            path: dir.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(|e| wrap(tantivy::TantivyError::from(e)))?;
        let directory = MmapDirectory::open(dir).map_err(|e| wrap(e.into()))?;
        let index = if Index::exists(&directory).map_err(|e| wrap(e.into()))? {
            Index::open(directory).map_err(wrap)?
        } else {
            Index::create(directory, build_schema().0, Default::default()).map_err(wrap)?
        };
        register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema()).map_err(wrap)?;
        let han_phrases_on_bigrams = bigrams_bridge_names(&index.schema(), fields.text_han);
        let outdated = index.schema() != build_schema().0;
        let reader = index
            .reader_builder()
            .reload_policy(reload)
            .try_into()
            .map_err(wrap)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            parts: StoredParts::new(stored_parts::DEFAULT_BUDGET),
            han_phrases_on_bigrams,
            outdated,
        })
    }

    /// Whether an older trove made this index, with fields or analyzers made differently
    /// now (bigrams that do not bridge the marks in names, say): it answers as it did
    /// then until it is made anew (`trove reindex`).
    pub fn is_outdated(&self) -> bool {
        self.outdated
    }

    /// A writer with `heap_bytes` of indexing memory (tantivy splits it
    /// across its own threads; 50 MB per thread is plenty).
    pub fn writer(&self, heap_bytes: usize) -> Result<IndexWriter, IndexError> {
        Ok(IndexWriter {
            writer: self.index.writer(heap_bytes)?,
            fields: self.fields,
        })
    }

    /// Makes the latest commit visible to searches.
    pub fn refresh(&self) -> Result<(), IndexError> {
        self.reader.reload()?;
        Ok(())
    }

    /// Runs `query`, returning a page of hits (best first) and facets. Searches from
    /// many threads (the web server's requests, over every case it has open) run as many
    /// at once as there are cores, the others waiting their turn in the order they came.
    pub fn search(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults, IndexError> {
        let _turn = Gate::for_searches().enter();
        let searcher = self.reader.searcher();
        let parsed = self.narrowed(self.parse(query)?, &options.filter);
        let (total, facets, page) = count_and_page(&searcher, &parsed, options)?;
        let mut hits = Vec::with_capacity(page.len());
        self.visit_page(&searcher, &parsed, page, options.snippet_chars, |hit| {
            hits.push(hit);
            Ok(())
        })?;
        Ok(SearchResults {
            total,
            facets,
            hits,
        })
    }

    /// Calls `visit` for every hit, best first, with no cap: for `--json`
    /// output that streams the whole result set.
    pub fn for_each_hit(
        &self,
        query: &str,
        snippet_chars: usize,
        visit: impl FnMut(Hit) -> Result<(), IndexError>,
    ) -> Result<usize, IndexError> {
        let searcher = self.reader.searcher();
        let parsed = self.parse(query)?;
        let options = SearchOptions {
            limit: None,
            offset: 0,
            snippet_chars,
            facets: false,
            order: HitOrder::Relevance,
            filter: SearchFilter::default(),
        };
        let (total, _, page) = count_and_page(&searcher, &parsed, &options)?;
        self.visit_page(&searcher, &parsed, page, snippet_chars, visit)?;
        Ok(total)
    }

    fn parse(&self, query: &str) -> Result<Box<dyn Query>, IndexError> {
        query::parse(
            &self.index,
            &self.fields,
            query,
            self.han_phrases_on_bigrams,
        )
    }

    /// `query`, limited to the documents `filter` allows.
    fn narrowed(&self, query: Box<dyn Query>, filter: &SearchFilter) -> Box<dyn Query> {
        let f = &self.fields;
        let terms: Vec<Term> = [
            filter
                .kind
                .as_deref()
                .map(|kind| Term::from_field_text(f.kind, kind)),
            filter
                .folder
                .as_deref()
                .map(|folder| Term::from_field_text(f.folder, folder)),
            filter.year.map(|year| Term::from_field_i64(f.year, year)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if terms.is_empty() && filter.blobs.is_none() {
            return query;
        }
        let mut clauses = vec![(Occur::Must, query)];
        for term in terms {
            let exact: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            clauses.push((Occur::Must, exact));
        }
        if let Some(blobs) = &filter.blobs {
            let ids = blobs.iter().map(|id| Term::from_field_text(f.blob, id));
            clauses.push((Occur::Must, Box::new(TermSetQuery::new(ids))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Calls `visit` for each hit of `page`, in its order, with its snippet.
    fn visit_page(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        page: Vec<(f32, DocAddress)>,
        snippet_chars: usize,
        mut visit: impl FnMut(Hit) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        if page.is_empty() {
            return Ok(());
        }
        let mut highlighter = Highlighter::new(
            searcher,
            query,
            &[self.fields.text, self.fields.text_han],
            snippet_chars,
        )?;
        for (score, address) in page {
            visit(self.hit(searcher, address, score, &mut highlighter)?)?;
        }
        Ok(())
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        highlighter: &mut Highlighter,
    ) -> Result<Hit, IndexError> {
        let part = self.parts.get(searcher, address, &self.fields)?;
        let mut snippet = highlighter.snippet(&part.text);
        // The line within the part, not within its chunk.
        snippet.line = snippet
            .line
            .map(|line| line.saturating_add(part.first_line - 1));
        Ok(Hit {
            score,
            snippet,
            ..part.hit.clone()
        })
    }
}

/// A ranked page of matches, with their scores.
type Page = Vec<(f32, DocAddress)>;

/// The number of matches, their facets if `options` asks for them, and the page it asks
/// for. A page of known size is picked in the same pass over the matches as the count:
/// matching (phrases above all) is most of a search's cost, so a second pass would
/// nearly double it. A page of every hit needs the count first.
fn count_and_page(
    searcher: &Searcher,
    query: &dyn Query,
    options: &SearchOptions,
) -> Result<(usize, Option<Facets>, Page), IndexError> {
    let facets = options.facets.then_some(FacetCollector);
    // No page holds more than the index does: tantivy sets room aside for the whole page,
    // offset included, in every segment before it sees a match.
    let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let room = documents.saturating_sub(options.offset);
    if let Some(limit) = options
        .limit
        .map(|limit| limit.min(room))
        .filter(|&l| l > 0)
    {
        let ((total, facets), page) =
            ranked_page(searcher, query, limit, options, (Count, facets))?;
        return Ok((total, facets, page));
    }
    let (total, facets) = searcher.search(query, &(Count, facets))?;
    let limit = options
        .limit
        .unwrap_or(total)
        .min(total.saturating_sub(options.offset));
    let page = if limit == 0 {
        Vec::new()
    } else {
        ranked_page(searcher, query, limit, options, Count)?.1
    };
    Ok((total, facets, page))
}

/// The `limit` matches after `options.offset` in `options.order`, collected in one
/// pass with `alongside`.
fn ranked_page<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    options: &SearchOptions,
    alongside: C,
) -> Result<(C::Fruit, Page), IndexError> {
    let page = TopDocs::with_limit(limit).and_offset(options.offset);
    Ok(match options.order {
        HitOrder::Relevance => searcher.search(query, &(alongside, page.order_by_score()))?,
        HitOrder::Newest => {
            let newest_then_best = page.order_by((
                (SortByStaticFastValue::<i64>::for_field("year"), Order::Desc),
                (SortBySimilarityScore, Order::Desc),
            ));
            let (fruit, top) = searcher.search(query, &(alongside, newest_then_best))?;
            let page = top
                .into_iter()
                .map(|((_, score), address)| (score, address))
                .collect();
            (fruit, page)
        }
    })
}

#[cfg(test)]
mod tests {
    use trove_model::{BlobId, FileKind, Metadata, Part, PartKind};

    use super::*;
    use crate::IndexDocument;

    #[test]
    fn an_index_made_before_name_bigrams_still_finds_names_on_both_fields() {
        let dir = tempfile::tempdir().unwrap();
        crate::testing::index_before_name_bigrams(dir.path()).unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        assert!(index.is_outdated());
        assert!(!index.han_phrases_on_bigrams);
        let mut writer = index.writer(50_000_000).unwrap();
        let paths = ["list.txt".to_owned()];
        for (n, text) in [(1, "阿不都·吐尔逊"), (2, "序号\t阿不都\t吐尔逊")] {
            let parts = [Part {
                kind: PartKind::Body,
                index: 1,
                label: None,
                text: text.to_owned(),
                hidden: Default::default(),
            }];
            writer
                .replace(&IndexDocument {
                    blob: &BlobId::from_digest([n; 32]),
                    kind: FileKind::Text,
                    paths: &paths,
                    metadata: &Metadata::default(),
                    parts: &parts,
                })
                .unwrap();
        }
        writer.commit().unwrap();
        index.refresh().unwrap();
        // The jieba field still runs across the tab, as every search did before.
        let found = index
            .search("\"阿不都·吐尔逊\"", &SearchOptions::default())
            .unwrap();
        assert_eq!(found.total, 2);
    }
}
