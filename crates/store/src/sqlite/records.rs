//! The records facet on SQLite: each [`RecordCatalog`] operation in full. How a record
//! is searched and filtered is in `record_search.rs`.

use std::sync::atomic::Ordering;

use rusqlite::{
    CachedStatement, Connection, OptionalExtension, TransactionBehavior, params, params_from_iter,
};
use trove_model::{BlobId, FileKind, Record, RecordFields, RowRef, Sex, StatusCategory};

use super::SqliteCatalog;
use super::record_filter::filter_sql;
use crate::StoreError;
use crate::connection::collect_rows;
use crate::decode::{parse_blob_id, parse_hidden, parse_kind, parse_list_kind, parse_record};
use crate::record_text::escape_like;
use crate::records::{
    BlobRecords, Candidate, PersonSheet, PersonVisitor, PhotoLinkRow, RecordCatalog, RecordFilter,
    RecordSource, RecordSummary, RecordToWrite, RecordsRevision, RowRecord, SheetPart,
    StoredRecord,
};
use crate::records::{RecordFacets, RecordOrder, exif_texts, top_values};

/// The photos with a thumbnail linked to the persons of a JSON array (`?1`), through the
/// persons' valid ID numbers: by the records' index led by the person
/// (`records_statistics`), then the links' number index.
const PHOTOS_OF_PERSONS: &str = "SELECT DISTINCT r.person, l.blob, l.id_number, l.via
     FROM records r
     JOIN photo_links l ON l.id_number = r.id_number
     JOIN blobs b ON b.id = l.blob AND b.thumbnail IS NOT NULL
     WHERE r.person IN (SELECT value FROM json_each(?1)) AND r.id_valid = 1
     ORDER BY r.person, l.blob";

/// Every record's statistics columns, grouped by person in source order: read from
/// `records_statistics`, which holds these columns in this order, so no row is opened and
/// nothing sorted (sorting a million rows, even in table order, took seconds; gathering
/// persons in a map costs more in memory).
const PERSONS_FOR_STATISTICS: &str =
    "SELECT person, list, id_number, id_valid, sex, ethnicity, birth_date, township, village,
            status, CASE WHEN detention THEN detained_since END
     FROM records ORDER BY person, blob, part, row, col";

/// The ORDER BY of an order: a column's, then the sources' as the tie-breaker.
fn order_sql(order: RecordOrder) -> String {
    const SOURCE: &str = "blob, part, row, col";
    match order.column_sql() {
        // Records without the value go last whichever way the sort runs.
        Some((column, direction)) => format!("{column} IS NULL, {column} {direction}, {SOURCE}"),
        None => SOURCE.to_owned(),
    }
}

/// Blobs that can hold records (a sheet part) or photo links (image facts).
const SOURCES_WHERE: &str = "b.status = 'extracted'
      AND (b.kind IN ('jpeg', 'png', 'tiff', 'webp', 'gif')
           OR EXISTS (SELECT 1 FROM parts p WHERE p.blob = b.id AND p.kind = 'sheet')
           OR EXISTS (SELECT 1 FROM ocr_pages o WHERE o.blob = b.id))
      AND NOT EXISTS (SELECT 1 FROM record_sources s WHERE s.blob = b.id AND s.version = ?1)";

/// Persons that share a name and birth date but no valid ID number: at least one of the
/// two has no valid ID, or the two IDs differ (a typo in one of them). The keys held by
/// two persons or more are found in the key's index alone first (it holds the person),
/// so that only their few entries are joined. Joining every record with the index read
/// the whole table (23 s of a million records' 41); keeping every key held more than once
/// joined each person's records with each other, as one person is on several lists
/// (2.1 s of a 254,000-record leak's 8.9 s records stage, 0.04 s now; counting distinct
/// persons in the ordered index is cheaper than comparing each key's least and greatest).
const SAME_NAME_AND_BIRTH: &str = "WITH shared AS (
         SELECT candidate_key FROM records WHERE candidate_key IS NOT NULL
         GROUP BY candidate_key HAVING COUNT(DISTINCT person) > 1)
     INSERT OR IGNORE INTO person_candidates (a, b, reason)
     SELECT DISTINCT x.person, y.person, 'same name and birth date'
     FROM shared s
     JOIN records x ON x.candidate_key = s.candidate_key
     JOIN records y ON y.candidate_key = s.candidate_key AND x.person < y.person";

/// The records table's look-up indexes, as the migrations make them: put off during a
/// large records build (see [`RecordCatalog::start_records_build`]). The unique key
/// (blob, part, row, col) stays: a blob's old records are found by it.
const RECORD_LOOKUPS: [(&str, &str); 3] = [
    ("records_id_number", "ON records(id_number)"),
    // As `migrations/sqlite/015_candidate_person.sql` makes it.
    (
        "records_candidate",
        "ON records(candidate_key, person) WHERE candidate_key IS NOT NULL",
    ),
    // As `migrations/sqlite/014_statistics_index.sql` makes it; also the look-up by person.
    (
        "records_statistics",
        "ON records(person, blob, part, row, col, list, id_number, id_valid, sex, ethnicity,
             birth_date, township, village, status, detention, detained_since)",
    ),
];

/// A build puts the look-up indexes off only while the records it keeps (those of sources
/// already done under its rules) are fewer than this: remaking the indexes over them
/// then costs under a second, where one new file in a store of a million records would
/// otherwise cost a full rebuild, and readers meanwhile a scan per look-up.
const PUT_OFF_BELOW_KEPT_RECORDS: i64 = 100_000;

/// Makes every look-up index of records that is missing, each in its own transaction so
/// that other writers wait for one index at a time, not for all of them.
fn make_record_lookups(connection: &mut Connection) -> Result<(), StoreError> {
    for (name, definition) in RECORD_LOOKUPS {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(&format!("CREATE INDEX IF NOT EXISTS {name} {definition}"))?;
        tx.commit()?;
    }
    Ok(())
}

impl RecordCatalog for SqliteCatalog {
    fn start_records_build(&self, version: &str, pending: u64) -> Result<bool, StoreError> {
        self.with_connection(|connection| {
            let kept: i64 = connection.query_row(
                "SELECT COUNT(*) FROM records r
                 JOIN record_sources s ON s.blob = r.blob AND s.version = ?1",
                [version],
                |row| row.get(0),
            )?;
            if pending == 0 || kept >= PUT_OFF_BELOW_KEPT_RECORDS {
                make_record_lookups(connection)?;
                return Ok(false);
            }
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for (name, _) in RECORD_LOOKUPS {
                tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
            }
            tx.commit()?;
            Ok(true)
        })
    }

    fn finish_records_build(&self) -> Result<(), StoreError> {
        self.with_connection(make_record_lookups)
    }

    fn pending_record_sources(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<RecordSource>, StoreError> {
        self.with_connection(|connection| {
            let sql = format!(
                "SELECT b.id, b.kind FROM blobs b WHERE {SOURCES_WHERE} AND b.id > ?2
                 ORDER BY b.id LIMIT ?3"
            );
            let mut statement = connection.prepare_cached(&sql)?;
            let after = after.map(BlobId::as_str).unwrap_or("");
            let pending: Vec<(BlobId, FileKind)> = collect_rows::<_, _, StoreError>(
                &mut statement,
                params![version, after, limit as i64],
                |row| {
                    let blob = parse_blob_id(&row.get::<_, String>(0)?)?;
                    Ok((blob, parse_kind(&row.get::<_, String>(1)?)?))
                },
            )?;
            // Paths are looked up once the scan is done, not while its statement runs.
            pending
                .into_iter()
                .map(|(blob, kind)| {
                    Ok(RecordSource {
                        paths: paths_of(connection, &blob)?,
                        blob,
                        kind,
                        row_version: None,
                    })
                })
                .collect()
        })
    }

    fn pending_record_count(&self, version: &str) -> Result<u64, StoreError> {
        self.with_connection(|connection| {
            let sql = format!("SELECT COUNT(*) FROM blobs b WHERE {SOURCES_WHERE}");
            let count: i64 = connection.query_row(&sql, [version], |row| row.get(0))?;
            Ok(count as u64)
        })
    }

    fn blob_paths(&self, blob: &BlobId) -> Result<Vec<String>, StoreError> {
        self.with_connection(|connection| paths_of(connection, blob))
    }

    fn sheet_parts(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT seq, label, text, hidden, idx FROM parts
                 WHERE blob = ?1 AND kind = 'sheet' ORDER BY seq",
            )?;
            collect_rows(&mut statement, [blob.as_str()], |row| {
                Ok(SheetPart {
                    part: row.get(0)?,
                    index: row.get(4)?,
                    label: row.get(1)?,
                    text: row.get(2)?,
                    hidden: parse_hidden(row.get(3)?)?,
                    ocr_confidence: None,
                })
            })
        })
    }

    fn records_in_rows(
        &self,
        blob: &BlobId,
        part: u32,
        first: u32,
        last: u32,
    ) -> Result<Vec<RowRecord>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT row, col, person, name FROM records
                 WHERE blob = ?1 AND part = ?2 AND row BETWEEN ?3 AND ?4 ORDER BY row, col",
            )?;
            collect_rows(
                &mut statement,
                params![blob.as_str(), part, first, last],
                |row| {
                    Ok(RowRecord {
                        row: row.get(0)?,
                        column: row.get(1)?,
                        person: row.get(2)?,
                        name: row.get(3)?,
                    })
                },
            )
        })
    }

    fn header_row(&self, blob: &BlobId, part: u32) -> Result<Option<u32>, StoreError> {
        self.with_connection(|connection| {
            Ok(connection
                .query_row(
                    "SELECT header_row FROM person_sheets WHERE blob = ?1 AND part = ?2",
                    params![blob.as_str(), part],
                    |row| row.get(0),
                )
                .optional()?)
        })
    }

    fn ocr_tables(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT p.seq, p.idx, o.layout, o.confidence FROM parts p
                 JOIN ocr_pages o ON o.blob = p.blob AND o.page = p.idx
                 WHERE p.blob = ?1 AND p.kind = 'ocr' AND o.confidence IS NOT NULL
                 ORDER BY p.seq",
            )?;
            collect_rows(&mut statement, [blob.as_str()], |row| {
                let page: u32 = row.get(1)?;
                Ok(SheetPart {
                    part: row.get(0)?,
                    index: page,
                    label: Some(format!("page {page} (OCR)")),
                    text: row.get(2)?,
                    hidden: trove_model::Hidden::default(),
                    ocr_confidence: row.get::<_, Option<f64>>(3)?.map(|c| c as f32),
                })
            })
        })
    }

    fn image_texts(&self, blob: &BlobId) -> Result<Vec<(String, String)>, StoreError> {
        let metadata: Option<String> = self.with_connection(|connection| {
            Ok(connection
                .prepare_cached("SELECT metadata FROM blobs WHERE id = ?1")?
                .query_row([blob.as_str()], |row| row.get(0))
                .optional()?)
        })?;
        metadata.map_or(Ok(Vec::new()), |metadata| exif_texts(&metadata))
    }

    fn replace_records(&self, version: &str, batch: &[BlobRecords]) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            {
                let mut delete_records =
                    tx.prepare_cached("DELETE FROM records WHERE blob = ?1")?;
                let mut delete_links =
                    tx.prepare_cached("DELETE FROM photo_links WHERE blob = ?1")?;
                let mut delete_sheets =
                    tx.prepare_cached("DELETE FROM person_sheets WHERE blob = ?1")?;
                let mut insert_sheet = tx.prepare_cached(
                    "INSERT OR REPLACE INTO person_sheets
                         (blob, part, sheet, header_row, list, evidence, records)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                // A record met again replaces the old one, as on PostgreSQL, by an
                // upsert: `OR REPLACE` made SQLite copy every page each insert touched
                // to a statement journal, in case the replacing delete had to be undone
                // (~3 s of a million records' 30); an upsert changes the row in place.
                let mut insert_record = tx.prepare_cached(
                    "INSERT INTO records (blob, part, row, sheet, list, person,
                         id_number, id_valid, name, sex, ethnicity, birth_date, township, village,
                         status, detention, flags, candidate_key, search, data, col,
                         detained_since)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                         ?16, ?17, ?18, ?19, ?20, ?21, ?22)
                     ON CONFLICT (blob, part, row, col) DO UPDATE SET
                         sheet = excluded.sheet, list = excluded.list,
                         person = excluded.person, id_number = excluded.id_number,
                         id_valid = excluded.id_valid, name = excluded.name,
                         sex = excluded.sex, ethnicity = excluded.ethnicity,
                         birth_date = excluded.birth_date, township = excluded.township,
                         village = excluded.village, status = excluded.status,
                         detention = excluded.detention, flags = excluded.flags,
                         candidate_key = excluded.candidate_key, search = excluded.search,
                         data = excluded.data, detained_since = excluded.detained_since",
                )?;
                let mut insert_link = tx.prepare_cached(
                    "INSERT OR IGNORE INTO photo_links (blob, id_number, via) VALUES (?1, ?2, ?3)",
                )?;
                let mut mark = tx.prepare_cached(
                    "INSERT INTO record_sources (blob, version) VALUES (?1, ?2)
                     ON CONFLICT (blob) DO UPDATE SET version = excluded.version",
                )?;
                // Everything `insert_record_row` derives from the kind: the column, the
                // stored record and whether the row tells of a detention.
                let mut relabel = tx.prepare_cached(
                    "UPDATE records SET list = ?3, data = json_set(data, '$.list', ?3),
                         detention = (detention OR ?3 = 'detainees')
                     WHERE blob = ?1 AND part = ?2 AND list != ?3",
                )?;
                for BlobRecords {
                    blob,
                    piece,
                    records,
                    photos: links,
                    sheets,
                    relabel: relabelled,
                    // One process writes a SQLite catalog: nothing changes a blob
                    // between its listing and its records.
                    read_as: _,
                } in batch
                {
                    if piece.clears() {
                        delete_records.execute([blob.as_str()])?;
                        delete_links.execute([blob.as_str()])?;
                        delete_sheets.execute([blob.as_str()])?;
                    }
                    for sheet in sheets {
                        insert_sheet.execute(params![
                            blob.as_str(),
                            sheet.part,
                            sheet.sheet,
                            sheet.header_row,
                            sheet.list.code(),
                            sheet.evidence,
                            sheet.records as i64,
                        ])?;
                    }
                    for written in records {
                        insert_record_row(&mut insert_record, written)?;
                    }
                    for link in links {
                        insert_link.execute(params![
                            link.blob.as_str(),
                            link.id_number,
                            link.via
                        ])?;
                    }
                    for (part, list) in relabelled {
                        relabel.execute(params![blob.as_str(), part, list.code()])?;
                    }
                    if !piece.completes() {
                        continue;
                    }
                    mark.execute(params![blob.as_str(), version])?;
                }
            }
            tx.commit()?;
            Ok(())
        })?;
        // Counted once written: a reader takes the revision before it reads the
        // records, so whatever it read under the old count is stale under the new.
        self.record_writes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn records_revision(&self) -> Result<RecordsRevision, StoreError> {
        let elsewhere = self.with_connection(|connection| {
            Ok(connection.query_row("PRAGMA data_version", [], |row| row.get(0))?)
        })?;
        Ok(RecordsRevision {
            elsewhere,
            here: self.record_writes.load(Ordering::SeqCst),
        })
    }

    fn refresh_candidates(&self) -> Result<u64, StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            tx.execute("DELETE FROM person_candidates", [])?;
            tx.execute(SAME_NAME_AND_BIRTH, [])?;
            let count: i64 =
                tx.query_row("SELECT COUNT(*) FROM person_candidates", [], |r| r.get(0))?;
            tx.commit()?;
            Ok(count as u64)
        })
    }

    fn candidate_count(&self) -> Result<u64, StoreError> {
        self.with_connection(|connection| {
            let count: i64 =
                connection.query_row("SELECT COUNT(*) FROM person_candidates", [], |row| {
                    row.get(0)
                })?;
            Ok(count as u64)
        })
    }

    fn record_blob_paths(&self) -> Result<Vec<(BlobId, String)>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT o.blob, MIN(o.path) FROM occurrences o
                 WHERE o.blob IN (SELECT DISTINCT blob FROM records) GROUP BY o.blob",
            )?;
            collect_rows(&mut statement, [], |row| {
                Ok((parse_blob_id(&row.get::<_, String>(0)?)?, row.get(1)?))
            })
        })
    }

    fn record_at(&self, source: &RowRef) -> Result<Option<StoredRecord>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT person, candidate_key, data FROM records
                 WHERE blob = ?1 AND part = ?2 AND row = ?3 AND col = ?4",
            )?;
            let mut rows = statement.query(params![
                source.blob.as_str(),
                source.part,
                source.row,
                source.column
            ])?;
            rows.next()?.map(stored_record).transpose()
        })
    }

    fn for_each_record(
        &self,
        filter: &RecordFilter,
        offset: u64,
        limit: Option<u64>,
        visit: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let (clause, values) = filter_sql(filter);
            let limit = limit.map_or(-1, |l| l as i64);
            let order = order_sql(filter.order);
            let sql = format!(
                "SELECT person, candidate_key, data FROM records WHERE {clause}
                 ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            );
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(params_from_iter(values))?;
            while let Some(row) = rows.next()? {
                visit(stored_record(row)?)?;
            }
            Ok(())
        })
    }

    fn record_facets(&self, filter: &RecordFilter) -> Result<RecordFacets, StoreError> {
        self.with_connection(|connection| {
            let (clause, values) = filter_sql(filter);
            // One pass: the combinations of the five fields with their counts, summed
            // per field here.
            let mut statement = connection.prepare(&format!(
                "SELECT township, village, status, list, flags, COUNT(*) FROM records
                 WHERE {clause} GROUP BY township, village, status, list, flags"
            ))?;
            let mut rows = statement.query(params_from_iter(values))?;
            let mut counts: [std::collections::HashMap<String, u64>; 5] = Default::default();
            let mut total = 0u64;
            while let Some(row) = rows.next()? {
                let n = row.get::<_, i64>(5)?.max(0) as u64;
                total += n;
                for (facet, column) in counts.iter_mut().take(4).zip(0..) {
                    if let Some(value) = row.get::<_, Option<String>>(column)?
                        && !value.is_empty()
                    {
                        *facet.entry(value).or_default() += n;
                    }
                }
                let flags: String = row.get(4)?;
                for flag in flags.split_whitespace() {
                    *counts[4].entry(flag.to_owned()).or_default() += n;
                }
            }
            let [township, village, status, list, flag] = counts.map(top_values);
            Ok(RecordFacets {
                total,
                township,
                village,
                status,
                list,
                flag,
            })
        })
    }

    fn for_each_person(&self, visit: &mut PersonVisitor<'_>) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT person, data FROM records ORDER BY person, blob, part, row, col",
            )?;
            group_by_person(
                statement.query([])?,
                |row| parse_record(&row.get::<_, String>(1)?),
                visit,
            )
        })
    }

    fn for_each_person_for_statistics(
        &self,
        visit: &mut PersonVisitor<'_>,
    ) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare(PERSONS_FOR_STATISTICS)?;
            group_by_person(statement.query([])?, statistics_record, visit)
        })
    }

    fn resolve_person(&self, query: &str) -> Result<Option<String>, StoreError> {
        let query = query.trim();
        self.with_connection(|connection| {
            let by_id: Option<String> = connection
                .prepare_cached(
                    "SELECT person FROM records WHERE id_number = ?1 AND id_valid = 1 LIMIT 1",
                )?
                .query_row([query.to_uppercase()], |row| row.get(0))
                .optional()?;
            if by_id.is_some() {
                return Ok(by_id);
            }
            let escaped = escape_like(query);
            let mut statement = connection.prepare_cached(
                "SELECT DISTINCT person FROM records WHERE person LIKE ?1 ESCAPE '\\' LIMIT 2",
            )?;
            let keys: Vec<String> =
                collect_rows(&mut statement, [format!("{escaped}%")], |row| row.get(0))?;
            Ok(match keys.as_slice() {
                [only] => Some(only.clone()),
                _ => None,
            })
        })
    }

    fn photo_links(&self) -> Result<Vec<PhotoLinkRow>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT blob, id_number, via FROM photo_links ORDER BY blob")?;
            collect_rows(&mut statement, [], |row| {
                Ok(PhotoLinkRow {
                    blob: parse_blob_id(&row.get::<_, String>(0)?)?,
                    id_number: row.get(1)?,
                    via: row.get(2)?,
                })
            })
        })
    }

    fn person_photos(&self, person: &str) -> Result<Vec<PhotoLinkRow>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT DISTINCT l.blob, l.id_number, l.via FROM photo_links l
                 JOIN records r ON r.id_number = l.id_number AND r.id_valid = 1
                 WHERE r.person = ?1 ORDER BY l.blob",
            )?;
            collect_rows(&mut statement, [person], |row| {
                Ok(PhotoLinkRow {
                    blob: parse_blob_id(&row.get::<_, String>(0)?)?,
                    id_number: row.get(1)?,
                    via: row.get(2)?,
                })
            })
        })
    }

    fn thumbnailed_photos_of(
        &self,
        persons: &[&str],
    ) -> Result<Vec<(String, PhotoLinkRow)>, StoreError> {
        if persons.is_empty() {
            return Ok(Vec::new());
        }
        // The persons as one JSON array: one statement, cached, whatever their number.
        let persons = serde_json::to_string(persons)
            .map_err(|error| StoreError::Corrupt(format!("person keys as JSON: {error}")))?;
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(PHOTOS_OF_PERSONS)?;
            collect_rows(&mut statement, [persons], |row| {
                Ok((
                    row.get(0)?,
                    PhotoLinkRow {
                        blob: parse_blob_id(&row.get::<_, String>(1)?)?,
                        id_number: row.get(2)?,
                        via: row.get(3)?,
                    },
                ))
            })
        })
    }

    fn person_candidates(&self, person: &str) -> Result<Vec<Candidate>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT b, reason FROM person_candidates WHERE a = ?1
                 UNION SELECT a, reason FROM person_candidates WHERE b = ?1 ORDER BY 1",
            )?;
            collect_rows(&mut statement, [person], |row| {
                Ok(Candidate {
                    person: row.get(0)?,
                    reason: row.get(1)?,
                })
            })
        })
    }

    fn record_summary(&self) -> Result<RecordSummary, StoreError> {
        self.with_connection(|connection| {
            let count = |sql: &str| -> Result<u64, StoreError> {
                let n: i64 = connection.query_row(sql, [], |row| row.get(0))?;
                Ok(n as u64)
            };
            Ok(RecordSummary {
                records: count("SELECT COUNT(*) FROM records")?,
                persons: count("SELECT COUNT(DISTINCT person) FROM records")?,
                persons_with_valid_id: count(
                    "SELECT COUNT(DISTINCT person) FROM records WHERE id_valid = 1",
                )?,
                flagged_records: count("SELECT COUNT(*) FROM records WHERE flags != ''")?,
                linked_photos: count(
                    "SELECT COUNT(DISTINCT l.blob) FROM photo_links l
                     WHERE EXISTS (SELECT 1 FROM records r WHERE r.id_number = l.id_number AND r.id_valid = 1)",
                )?,
                persons_with_photo: count(
                    "SELECT COUNT(DISTINCT r.person) FROM records r
                     WHERE r.id_valid = 1 AND EXISTS (SELECT 1 FROM photo_links l WHERE l.id_number = r.id_number)",
                )?,
                candidates: count("SELECT COUNT(*) FROM person_candidates")?,
            })
        })
    }

    fn person_sheets(&self) -> Result<Vec<PersonSheet>, StoreError> {
        self.with_connection(|connection| read_person_sheets(connection))
    }
}

/// Reads the person sheets, unestablished kinds first (`other`, `targeted`), so that what
/// needs a person's eye comes at the top.
fn read_person_sheets(connection: &Connection) -> Result<Vec<PersonSheet>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT blob, part, sheet, header_row, list, evidence, records FROM person_sheets
         ORDER BY CASE list WHEN 'other' THEN 0 WHEN 'targeted' THEN 1 ELSE 2 END, blob, part",
    )?;
    let sheets: Vec<PersonSheet> = collect_rows(&mut statement, [], |row| {
        let blob: String = row.get(0)?;
        let list: String = row.get(4)?;
        Ok::<_, StoreError>(PersonSheet {
            blob: parse_blob_id(&blob)?,
            part: row.get(1)?,
            sheet: row.get(2)?,
            header_row: row.get(3)?,
            list: parse_list_kind(&list)?,
            evidence: row.get(5)?,
            records: row.get::<_, i64>(6)? as u64,
            paths: Vec::new(),
        })
    })?;
    sheets
        .into_iter()
        .map(|mut sheet| {
            sheet.paths = paths_of(connection, &sheet.blob)?;
            Ok(sheet)
        })
        .collect()
}

/// The distinct paths a blob was seen at: shared by `blob_paths` and the pending scan,
/// which already holds the connection.
fn paths_of(connection: &Connection, blob: &BlobId) -> Result<Vec<String>, StoreError> {
    let mut statement = connection
        .prepare_cached("SELECT DISTINCT path FROM occurrences WHERE blob = ?1 ORDER BY path")?;
    collect_rows(&mut statement, [blob.as_str()], |row| Ok(row.get(0)?))
}

/// Writes one record with the columns that filter it and the JSON that restores it.
fn insert_record_row(
    insert: &mut CachedStatement<'_>,
    written: &RecordToWrite,
) -> Result<(), StoreError> {
    let stored = &written.stored;
    let r = &stored.record;
    let f = &r.fields;
    let flags: Vec<&str> = r.flags.iter().map(|f| f.code.as_str()).collect();
    insert.execute(params![
        r.source.blob.as_str(),
        r.source.part,
        r.source.row,
        r.source.sheet,
        r.list.code(),
        stored.person,
        f.id_number,
        f.id_valid,
        f.name,
        f.sex.map(|s| s.code()),
        f.ethnicity,
        f.birth_date.map(|d| d.to_string()),
        f.township,
        f.village,
        f.status.map(|s| s.code()),
        r.is_detention_related(),
        flags.join(" "),
        stored.candidate_key,
        written.search,
        written.data,
        r.source.column,
        f.detained_since.map(|d| d.to_string()),
    ])?;
    Ok(())
}

/// A record row selected as (person, candidate_key, data).
fn stored_record(row: &rusqlite::Row<'_>) -> Result<StoredRecord, StoreError> {
    Ok(StoredRecord {
        record: parse_record(&row.get::<_, String>(2)?)?,
        person: row.get(0)?,
        candidate_key: row.get(1)?,
    })
}

/// Hands `visit` each person's records from `rows` sorted by person (column 0), each
/// record decoded by `decode`.
fn group_by_person(
    mut rows: rusqlite::Rows<'_>,
    decode: impl Fn(&rusqlite::Row<'_>) -> Result<Record, StoreError>,
    visit: &mut PersonVisitor<'_>,
) -> Result<(), StoreError> {
    let mut current: Option<(String, Vec<Record>)> = None;
    while let Some(row) = rows.next()? {
        let person: String = row.get(0)?;
        let record = decode(row)?;
        match &mut current {
            Some((key, records)) if *key == person => records.push(record),
            _ => {
                if let Some((key, records)) = current.take() {
                    visit(&key, records)?;
                }
                current = Some((person, vec![record]));
            }
        }
    }
    if let Some((key, records)) = current {
        visit(&key, records)?;
    }
    Ok(())
}

/// A record holding only what statistics read, from the columns
/// [`RecordCatalog::for_each_person_for_statistics`] selects.
fn statistics_record(row: &rusqlite::Row<'_>) -> Result<Record, StoreError> {
    let date = |index| -> Result<Option<chrono::NaiveDate>, StoreError> {
        Ok(row
            .get::<_, Option<String>>(index)?
            .and_then(|text| text.parse().ok()))
    };
    let code = |index| row.get::<_, Option<String>>(index);
    let unknown = |what: &str, code: &str| StoreError::Corrupt(format!("{what} {code:?}"));
    let fields = RecordFields {
        id_number: row.get(2)?,
        id_valid: row.get(3)?,
        sex: code(4)?
            .map(|c| Sex::from_code(&c).ok_or_else(|| unknown("sex", &c)))
            .transpose()?,
        ethnicity: row.get(5)?,
        birth_date: date(6)?,
        township: row.get(7)?,
        village: row.get(8)?,
        status: code(9)?
            .map(|c| StatusCategory::from_code(&c).ok_or_else(|| unknown("status", &c)))
            .transpose()?,
        detained_since: date(10)?,
        ..RecordFields::default()
    };
    Ok(Record {
        source: RowRef {
            blob: NO_BLOB.clone(),
            part: 0,
            sheet: None,
            row: 0,
            column: 0,
        },
        list: parse_list_kind(text_at(row, 1)?)?,
        raw: Vec::new(),
        fields,
        flags: Vec::new(),
    })
}

/// The text in column `index`, borrowed from the row.
fn text_at<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> Result<&'r str, StoreError> {
    Ok(row
        .get_ref(index)?
        .as_str()
        .map_err(rusqlite::Error::from)?)
}

/// The source of a record made for statistics, which read none.
static NO_BLOB: std::sync::LazyLock<BlobId> =
    std::sync::LazyLock::new(|| BlobId::from_digest([0; 32]));

#[cfg(test)]
mod tests {
    use super::*;

    /// 64 hex digits: a blob id.
    fn blob(digit: char) -> String {
        std::iter::repeat_n(digit, 64).collect()
    }

    /// A catalog with persons p1 (two photos with thumbnails, one without), p2 (no photo),
    /// p3 (a photo on an invalid number) and p4 (one photo).
    fn catalog_with_photos() -> (tempfile::TempDir, SqliteCatalog) {
        let dir = tempfile::tempdir().unwrap();
        let catalog = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
        let connection = catalog.lock();
        let mut blobs = String::new();
        for (digit, thumbnail) in [
            ('a', "x'ff'"),
            ('b', "x'ff'"),
            ('c', "NULL"),
            ('d', "x'ff'"),
            ('e', "x'ff'"),
            ('0', "NULL"),
        ] {
            blobs.push_str(&format!(
                "INSERT INTO blobs (id, sha256, size, kind, status, first_seen, thumbnail)
                     VALUES ('{}', 's', 1, 'jpeg', 'extracted', 'now', {thumbnail});\n",
                blob(digit)
            ));
        }
        connection.execute_batch(&blobs).unwrap();
        for (row, person, id, valid) in [
            (1, "p1", "ID1", 1),
            (2, "p1", "ID1", 1),
            (3, "p2", "ID2", 1),
            (4, "p3", "ID3", 0),
            (5, "p4", "ID4", 1),
        ] {
            connection
                .execute(
                    "INSERT INTO records (blob, part, row, list, person, id_number, id_valid,
                         detention, flags, search, data)
                         VALUES (?1, 0, ?2, 'register', ?3, ?4, ?5, 0, '', '', '{}')",
                    params![blob('0'), row, person, id, valid],
                )
                .unwrap();
        }
        for (digit, id) in [
            ('b', "ID1"),
            ('a', "ID1"),
            ('c', "ID1"),
            ('d', "ID3"),
            ('e', "ID4"),
        ] {
            connection
                .execute(
                    "INSERT INTO photo_links (blob, id_number, via) VALUES (?1, ?2, 'file name')",
                    params![blob(digit), id],
                )
                .unwrap();
        }
        drop(connection);
        (dir, catalog)
    }

    #[test]
    fn the_photos_of_a_page_of_persons_come_in_one_look_up() {
        let (_dir, catalog) = catalog_with_photos();
        let found: Vec<(String, String)> = catalog
            .thumbnailed_photos_of(&["p4", "p1", "p2", "p3", "nobody"])
            .unwrap()
            .into_iter()
            .map(|(person, photo)| (person, photo.blob.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                ("p1".to_owned(), blob('a')),
                ("p1".to_owned(), blob('b')),
                ("p4".to_owned(), blob('e')),
            ],
            "by person then photo; none without a thumbnail or on an invalid number"
        );
        assert!(catalog.thumbnailed_photos_of(&[]).unwrap().is_empty());
        // A person key with a quote or bracket is a value, not JSON or SQL.
        assert!(
            catalog
                .thumbnailed_photos_of(&["p1\"]', \"x"])
                .unwrap()
                .is_empty()
        );
    }

    /// How SQLite means to run `sql`, one step a line.
    fn query_plan(catalog: &SqliteCatalog, sql: &str, params: impl rusqlite::Params) -> String {
        let connection = catalog.lock();
        let plan: Vec<String> = connection
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(params, |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        plan.join("\n")
    }

    #[test]
    fn candidates_are_found_without_reading_every_record() {
        let (_dir, catalog) = catalog_with_photos();
        let plan = query_plan(&catalog, SAME_NAME_AND_BIRTH, []);
        assert!(plan.contains("COVERING INDEX records_candidate"), "{plan}");
        assert!(
            !plan.contains("SCAN records") && !plan.contains("SCAN x"),
            "{plan}"
        );
    }

    #[test]
    fn a_key_is_a_candidate_only_where_two_persons_hold_it() {
        let (_dir, catalog) = catalog_with_photos();
        catalog
            .lock()
            .execute_batch(
                "UPDATE records SET candidate_key = CASE person
                     WHEN 'p1' THEN '古丽|1980-01-01'
                     WHEN 'p4' THEN '古丽|1980-01-02'
                     ELSE '艾山|1975-05-05' END",
            )
            .unwrap();
        // p1 is on two rows under one key: one person, no candidate; p2 and p3 share one.
        assert_eq!(catalog.refresh_candidates().unwrap(), 1);
        let pairs: Vec<(String, String)> = catalog
            .lock()
            .prepare("SELECT a, b FROM person_candidates")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(pairs, [("p2".to_owned(), "p3".to_owned())]);
    }

    #[test]
    fn the_look_up_goes_through_the_indexes() {
        let (_dir, catalog) = catalog_with_photos();
        let plan = query_plan(&catalog, PHOTOS_OF_PERSONS, ["[\"p1\"]"]);
        assert!(plan.contains("records_statistics"), "{plan}");
        assert!(plan.contains("photo_links_id_number"), "{plan}");
        assert!(
            !plan.contains("SCAN r") && !plan.contains("SCAN l"),
            "{plan}"
        );
    }

    /// The look-up indexes of records the catalog has now.
    fn record_lookups(catalog: &SqliteCatalog) -> Vec<String> {
        let connection = catalog.lock();
        let mut statement = connection
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'
                     AND sql IS NOT NULL ORDER BY name",
            )
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn a_build_over_few_kept_records_makes_its_look_ups_afresh_and_others_keep_them() {
        let (_dir, catalog) = catalog_with_photos();
        let all = vec![
            "records_candidate",
            "records_id_number",
            "records_statistics",
        ];
        assert_eq!(record_lookups(&catalog), all);

        // Nothing done under v1 yet: every source is to be read, so the indexes wait.
        assert!(catalog.start_records_build("v1", 3).unwrap());
        assert!(record_lookups(&catalog).is_empty());
        catalog.finish_records_build().unwrap();
        assert_eq!(record_lookups(&catalog), all);
        assert_eq!(catalog.resolve_person("p4").unwrap().as_deref(), Some("p4"));

        // A build killed while they waited: the next one, small, makes them first.
        catalog.start_records_build("v1", 3).unwrap();
        for done in [blob('0'), blob('a')] {
            catalog
                .lock()
                .execute(
                    "INSERT INTO record_sources (blob, version) VALUES (?1, 'v1')",
                    [done],
                )
                .unwrap();
        }
        assert!(!catalog.start_records_build("v1", 0).unwrap());
        assert_eq!(record_lookups(&catalog), all);

        // One new file beside the five records kept: remaking the indexes is cheap.
        assert!(catalog.start_records_build("v1", 1).unwrap());
        catalog.finish_records_build().unwrap();

        // One new file beside a hundred thousand records kept: the indexes are kept up
        // row by row, and readers never lose them.
        catalog
            .lock()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n
                                         WHERE i < 100099)
                 INSERT INTO records (blob, part, row, list, person, id_valid, detention,
                     flags, search, data)
                 SELECT ?1, 0, i, 'register', 'q' || i, 0, 0, '', '', '{}' FROM n",
                [blob('0')],
            )
            .unwrap();
        assert!(!catalog.start_records_build("v1", 1).unwrap());
        assert_eq!(record_lookups(&catalog), all);
        catalog.finish_records_build().unwrap();
        assert_eq!(record_lookups(&catalog), all);
    }

    #[test]
    fn statistics_read_the_covering_index_without_sorting() {
        let (_dir, catalog) = catalog_with_photos();
        let plan = query_plan(&catalog, PERSONS_FOR_STATISTICS, []);
        assert!(plan.contains("COVERING INDEX records_statistics"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    fn row_record(blob: &BlobId, row: u32, list: trove_model::ListKind) -> StoredRecord {
        StoredRecord {
            person: format!("p{row}"),
            candidate_key: None,
            record: Record {
                source: RowRef {
                    blob: blob.clone(),
                    part: 0,
                    sheet: None,
                    row,
                    column: 0,
                },
                list,
                raw: Vec::new(),
                fields: Default::default(),
                flags: Vec::new(),
            },
        }
    }

    #[test]
    fn a_blob_written_in_pieces_is_done_only_with_its_last() {
        use crate::records::Piece;
        use trove_model::ListKind;

        let dir = tempfile::tempdir().unwrap();
        let catalog = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
        catalog
            .lock()
            .execute_batch(&format!(
                "INSERT INTO blobs (id, sha256, size, kind, status, first_seen)
                     VALUES ('{}', 's', 1, 'jpeg', 'extracted', 'now')",
                blob('f')
            ))
            .unwrap();
        let id = parse_blob_id(&blob('f')).unwrap();
        let piece = |piece, rows: std::ops::Range<u32>, list, relabel| BlobRecords {
            blob: id.clone(),
            piece,
            records: rows
                .map(|row| RecordToWrite::new(row_record(&id, row, list)).unwrap())
                .collect(),
            photos: Vec::new(),
            sheets: Vec::new(),
            relabel,
            read_as: None,
        };
        let pending = || {
            catalog
                .pending_record_sources("v1", None, 10)
                .unwrap()
                .len()
        };
        // The kind as the column, the stored record and the detention flag tell it.
        let lists = || -> Vec<(String, String, bool, i64)> {
            let connection = catalog.lock();
            let mut statement = connection
                .prepare(
                    "SELECT list, data ->> '$.list', detention, COUNT(*) FROM records
                     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                )
                .unwrap();
            statement
                .query_map([], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };

        // A run stopped after its first piece: the blob is not done.
        catalog
            .replace_records("v1", &[piece(Piece::First, 1..4, ListKind::Other, vec![])])
            .unwrap();
        assert_eq!(pending(), 1);

        // The next run begins again: its first piece clears the rows of the stopped one.
        catalog
            .replace_records("v1", &[piece(Piece::First, 1..3, ListKind::Other, vec![])])
            .unwrap();
        catalog
            .replace_records(
                "v1",
                &[
                    piece(Piece::Middle, 3..5, ListKind::Other, vec![]),
                    piece(
                        Piece::Last,
                        5..6,
                        ListKind::Detainees,
                        vec![(0, ListKind::Detainees)],
                    ),
                ],
            )
            .unwrap();
        assert_eq!(pending(), 0, "the last piece marks the blob done");
        assert_eq!(
            lists(),
            [("detainees".to_owned(), "detainees".to_owned(), true, 5)],
            "the kind judged at the end is set on the rows written before it was known"
        );
    }
}
