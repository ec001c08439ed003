//! A case's data: its store (catalog and originals) and search index, opened on first use
//! and shared by every request after. Handlers reach it only through
//! [`crate::open_case::OpenCase`], which authorises first, so no route can read a case
//! without the check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use trove_access::AccessDb;
use trove_index::SearchIndex;
use trove_records::stats::Population;
use trove_store::{RecordCatalog, RecordsRevision, Store, StoreError};

use crate::error::WebError;

/// One case's opened store and index.
pub struct CaseData {
    pub name: String,
    pub store: Store,
    pub index: SearchIndex,
    /// Every person's facts for the statistics, read once per records revision:
    /// reading every record is the slow part of a statistics page.
    population: Mutex<Option<(RecordsRevision, Arc<Population>)>>,
}

impl CaseData {
    /// Every person's facts as the records stand now; call on a blocking thread.
    pub fn population(&self) -> Result<Arc<Population>, StoreError> {
        let catalog: &dyn RecordCatalog = &self.store.catalog;
        // Taken before reading: a change while reading leaves the kept copy stale.
        let revision = catalog.records_revision()?;
        if let Some((kept, population)) = &*self.kept_population()
            && *kept == revision
        {
            return Ok(Arc::clone(population));
        }
        let mut population = Population::default();
        catalog.for_each_person(&mut |_, records| {
            population.add(&records);
            Ok(())
        })?;
        let population = Arc::new(population);
        *self.kept_population() = Some((revision, Arc::clone(&population)));
        Ok(population)
    }

    fn kept_population(&self) -> MutexGuard<'_, Option<(RecordsRevision, Arc<Population>)>> {
        // A poisoned lock only means a reader panicked; the slot holds a whole value or none.
        self.population.lock().unwrap_or_else(|e| e.into_inner())
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
            population: Mutex::default(),
        });
        open.insert(case.to_owned(), Arc::clone(&data));
        Ok(data)
    }
}
