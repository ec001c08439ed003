//! The catalog's facts as the authenticity report (`trove_forensics::authenticity`) reads
//! them. Shared by the workbench's Authenticity page and `trove authenticity`: the report
//! is pure, and this is where a store is read for it.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use trove_forensics::authenticity::{
    CameraTimeline, DateWindow, DocumentFact, Facts, ImageFact, Report, camera_timelines, report,
};
use trove_forensics::{DigestLeaf, store_digest};
use trove_model::{BlobId, Record};
use trove_store::{Catalog, RecordCatalog, RecordFilter, Store, StoreError};

/// Everything the report reads, owned.
pub struct CaseFacts {
    records: Vec<Record>,
    images: Vec<ImageFact>,
    documents: Vec<DocumentFact>,
    digest: String,
}

impl CaseFacts {
    /// Reads the store's records, image facts, document metadata, photo links and paths.
    pub fn read(store: &Store) -> Result<CaseFacts, StoreError> {
        let records_catalog: &dyn RecordCatalog = &*store.catalog;
        let mut records = Vec::new();
        records_catalog.for_each_record(&RecordFilter::default(), 0, None, &mut |stored| {
            records.push(stored.record);
            Ok(())
        })?;
        let (images, documents) = read_files(store)?;
        Ok(CaseFacts {
            records,
            images,
            documents,
            digest: digest_of(&*store.catalog)?,
        })
    }

    /// The report, with dates judged against `from`..`until` and today.
    pub fn report(&self, from: Option<NaiveDate>, until: Option<NaiveDate>) -> Report {
        report(&Facts {
            records: &self.records,
            images: &self.images,
            documents: &self.documents,
            window: DateWindow {
                from,
                until,
                today: chrono::Utc::now().date_naive(),
            },
            store_digest: &self.digest,
        })
    }

    /// Photos per day of each camera, as the report's `cameras` lists them.
    pub fn camera_timelines(&self) -> Vec<CameraTimeline> {
        camera_timelines(&self.images)
    }
}

/// Every image with its facts and every other document with its metadata, each with its
/// paths, the earliest time an archive records for it, and (images) the ID numbers
/// linking it to persons. Reads per file, never per record: the photo gallery reads this
/// alone.
pub fn read_files(store: &Store) -> Result<(Vec<ImageFact>, Vec<DocumentFact>), StoreError> {
    let mut paths: HashMap<BlobId, Vec<String>> = HashMap::new();
    // The earliest time any archive records for a blob: its content existed then.
    let mut archived: HashMap<BlobId, NaiveDateTime> = HashMap::new();
    store.catalog.for_each_occurrence(&mut |seen| {
        let occurrence = seen.occurrence;
        if let Some(time) = occurrence.member_time {
            archived
                .entry(occurrence.blob.clone())
                .and_modify(|earliest| *earliest = (*earliest).min(time))
                .or_insert(time);
        }
        paths
            .entry(occurrence.blob)
            .or_default()
            .push(occurrence.path);
        Ok(())
    })?;
    let records_catalog: &dyn RecordCatalog = &*store.catalog;
    let mut ids: HashMap<BlobId, Vec<String>> = HashMap::new();
    for link in records_catalog.photo_links()? {
        ids.entry(link.blob).or_default().push(link.id_number);
    }
    let (mut images, mut documents) = (Vec::new(), Vec::new());
    store
        .catalog
        .for_each_metadata(&mut |blob, kind, mut metadata| {
            let seen_at = paths.remove(&blob).unwrap_or_default();
            let archived_at = archived.remove(&blob);
            match metadata.image.take() {
                Some(facts) if kind.is_image() => images.push(ImageFact {
                    id_numbers: ids.remove(&blob).unwrap_or_default(),
                    blob,
                    paths: seen_at,
                    facts,
                    archived_at,
                }),
                _ => documents.push(DocumentFact {
                    blob,
                    kind,
                    paths: seen_at,
                    metadata,
                    archived_at,
                }),
            }
            Ok(())
        })?;
    Ok((images, documents))
}

/// The store digest (see `trove_forensics::digest`) over every original the catalog records.
pub fn digest_of(catalog: &dyn Catalog) -> Result<String, StoreError> {
    let mut leaves = Vec::new();
    catalog.for_each_blob(&mut |blob| {
        leaves.push(DigestLeaf {
            blake3: blob.id.to_string(),
            sha256: blob.sha256,
            size: blob.size,
        });
        Ok(())
    })?;
    Ok(store_digest(leaves))
}
