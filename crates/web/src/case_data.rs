//! A case's data: its store (catalog and originals) and search index, opened on first use
//! and shared by every request after. Handlers reach it only through
//! [`crate::open_case::OpenCase`], which authorises first, so no route can read a case
//! without the check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use trove_access::AccessDb;
use trove_forensics::authenticity::ImageFact;
use trove_index::SearchIndex;
use trove_records::stats::Population;
use trove_store::{
    RecordCatalog, RecordFacets, RecordFilter, RecordSummary, RecordsRevision, Store, StoreError,
};

use crate::authenticity_facts::{CaseFacts, read_files};
use crate::error::WebError;

/// One case's opened store and index.
pub struct CaseData {
    pub name: String,
    pub store: Store,
    pub index: SearchIndex,
    /// Every person's facts for the statistics, read once per records revision:
    /// reading every record is the slow part of a statistics page.
    population: Kept<Population>,
    /// What the authenticity report reads (records, image and document facts), likewise.
    authenticity: Kept<CaseFacts>,
    /// Every image with its facts, for the photo gallery, likewise (no records read).
    images: Kept<Vec<ImageFact>>,
    /// The records' counts the case home shows, likewise: several passes over every record.
    summary: Kept<RecordSummary>,
    /// The records list's counts and facets per query, likewise: a pass over every
    /// matching record (seconds at a million), paid once per query and catalog revision.
    facets: Mutex<KeptFacets>,
}

/// Facets kept for the queries asked since the records last changed.
#[derive(Default)]
struct KeptFacets {
    revision: Option<RecordsRevision>,
    by_query: HashMap<String, Arc<RecordFacets>>,
}

/// Queries whose facets are kept at once; the oldest are dropped all together past it.
const KEPT_FACET_QUERIES: usize = 256;

impl CaseData {
    /// Every person's facts as the records stand now; call on a blocking thread.
    pub fn population(&self) -> Result<Arc<Population>, StoreError> {
        self.population.get_or_read(&self.store, |store| {
            let mut population = Population::default();
            let catalog: &dyn RecordCatalog = &*store.catalog;
            catalog.for_each_person_for_statistics(&mut |_, records| {
                population.add(&records);
                Ok(())
            })?;
            Ok(population)
        })
    }

    /// How many records `filter` (the query `query` as typed) matches and how they
    /// spread, kept per query until the records change; call on a blocking thread.
    pub fn record_facets(
        &self,
        query: &str,
        filter: &RecordFilter,
    ) -> Result<Arc<RecordFacets>, StoreError> {
        let catalog: &dyn RecordCatalog = &*self.store.catalog;
        // Tags change without the records changing, so the revision cannot tell when a
        // tag's facets go stale; a tag narrows to the few persons editors marked, whose
        // facets are cheap to count each time.
        if filter.tag.is_some() {
            return Ok(Arc::new(catalog.record_facets(filter)?));
        }
        // Taken before reading: a change while reading leaves the kept copy stale.
        let revision = catalog.records_revision()?;
        let key = query.split_whitespace().collect::<Vec<_>>().join(" ");
        {
            let kept = self.facets.lock().unwrap_or_else(|e| e.into_inner());
            if kept.revision == Some(revision)
                && let Some(facets) = kept.by_query.get(&key)
            {
                return Ok(Arc::clone(facets));
            }
        }
        let facets = Arc::new(catalog.record_facets(filter)?);
        let mut kept = self.facets.lock().unwrap_or_else(|e| e.into_inner());
        if kept.revision != Some(revision) || kept.by_query.len() >= KEPT_FACET_QUERIES {
            kept.by_query.clear();
            kept.revision = Some(revision);
        }
        kept.by_query.insert(key, Arc::clone(&facets));
        Ok(facets)
    }

    /// How many records, persons and linked photos there are, as the records stand now;
    /// call on a blocking thread.
    pub fn record_summary(&self) -> Result<Arc<RecordSummary>, StoreError> {
        self.summary.get_or_read(&self.store, |store| {
            RecordCatalog::record_summary(&*store.catalog)
        })
    }

    /// Every image with its facts, paths and linking ID numbers, as the catalog stands now;
    /// call on a blocking thread.
    pub fn images(&self) -> Result<Arc<Vec<ImageFact>>, StoreError> {
        self.images
            .get_or_read(&self.store, |store| Ok(read_files(store)?.0))
    }

    /// The authenticity report's facts as the catalog stands now; call on a blocking thread.
    pub fn authenticity_facts(&self) -> Result<Arc<CaseFacts>, StoreError> {
        self.authenticity.get_or_read(&self.store, CaseFacts::read)
    }
}

/// A value derived from the whole catalog, kept until the catalog changes (see
/// [`RecordsRevision`]: commits of other processes, and record writes here).
struct Kept<T> {
    slot: Mutex<Option<(RecordsRevision, Arc<T>)>>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            slot: Mutex::new(None),
        }
    }
}

impl<T> Kept<T> {
    fn get_or_read(
        &self,
        store: &Store,
        read: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<Arc<T>, StoreError> {
        let catalog: &dyn RecordCatalog = &*store.catalog;
        // Taken before reading: a change while reading leaves the kept copy stale.
        let revision = catalog.records_revision()?;
        if let Some((kept, value)) = &*self.lock()
            && *kept == revision
        {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(read(store)?);
        *self.lock() = Some((revision, Arc::clone(&value)));
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, Option<(RecordsRevision, Arc<T>)>> {
        // A poisoned lock only means a reader panicked; the slot holds a whole value or none.
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The cases opened so far, by name.
#[derive(Default)]
pub struct OpenCases {
    open: Mutex<HashMap<String, Arc<CaseData>>>,
}

impl OpenCases {
    /// The case `case`, opened now if no request opened it before; call on a blocking
    /// thread (it reads the access database, and the first open reads the store).
    pub fn get_or_open(&self, access: &AccessDb, case: &str) -> Result<Arc<CaseData>, WebError> {
        // A poisoned lock only means another request panicked while holding it; the map
        // itself is still whole.
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(data) = open.get(case) {
            return Ok(Arc::clone(data));
        }
        let registered = access.case(case)?.ok_or(WebError::NotFound)?;
        let store = Store::open_existing(&registered.store)?;
        let index = SearchIndex::open_live(&store.index_dir()).map_err(|e| {
            WebError::CaseUnavailable(format!("the search index of case {case}: {e}"))
        })?;
        let data = Arc::new(CaseData {
            name: case.to_owned(),
            store,
            index,
            population: Kept::default(),
            authenticity: Kept::default(),
            images: Kept::default(),
            summary: Kept::default(),
            facets: Mutex::default(),
        });
        open.insert(case.to_owned(), Arc::clone(&data));
        Ok(data)
    }
}
