//! The records facet on PostgreSQL: each [`RecordCatalog`] operation, meaning what it
//! means on SQLite (`sqlite/records.rs`); `tests/records_contract.rs` holds both to it.
//! Text is ordered `COLLATE "C"` (byte order, as SQLite) whatever the server's locale.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, Row, Transaction};
use trove_model::{BlobId, Record, RecordFields, RowRef, Sex, StatusCategory};

use super::{PgCatalog, last_of_each, walk};
use crate::StoreError;
use crate::decode::{parse_blob_id, parse_hidden, parse_kind, parse_list_kind, parse_record};
use crate::record_text::escape_like;
use crate::records::{
    BlobRecords, Candidate, PersonSheet, PersonVisitor, PhotoLinkRow, RecordCatalog, RecordFacets,
    RecordFilter, RecordOrder, RecordSource, RecordSummary, RecordToWrite, RecordsRevision,
    RowRecord, SheetPart, StoredRecord, exif_texts, top_values,
};

/// Blobs that can hold records (a sheet part, an OCR'd page) or photo links (images),
/// not yet read under the version `$1`.
const SOURCES_WHERE: &str = "b.status = 'extracted'
      AND (b.kind IN ('jpeg', 'png', 'tiff', 'webp', 'gif')
           OR EXISTS (SELECT 1 FROM parts p WHERE p.blob = b.id AND p.kind = 'sheet')
           OR EXISTS (SELECT 1 FROM ocr_pages o WHERE o.blob = b.id))
      AND NOT EXISTS (SELECT 1 FROM record_sources s
                      WHERE s.blob = b.id AND s.version = $1 AND s.generation = b.generation)";

/// Persons that share a name and birth date but no valid ID number (see SQLite's).
const SAME_NAME_AND_BIRTH: &str = "WITH shared AS (
         SELECT candidate_key FROM records WHERE candidate_key IS NOT NULL
         GROUP BY candidate_key HAVING COUNT(DISTINCT person) > 1)
     INSERT INTO person_candidates (a, b, reason)
     SELECT DISTINCT x.person, y.person, 'same name and birth date'
     FROM shared s
     JOIN records x ON x.candidate_key = s.candidate_key
     JOIN records y ON y.candidate_key = s.candidate_key
                   AND x.person COLLATE \"C\" < y.person COLLATE \"C\"
     ON CONFLICT DO NOTHING";

/// The source order of records: the tie-breaker of every order.
const SOURCE_ORDER: &str = r#"blob COLLATE "C", part, row, col"#;

impl RecordCatalog for PgCatalog {
    fn pending_record_sources(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<RecordSource>, StoreError> {
        let after = after.map_or("", BlobId::as_str);
        self.with_client(|client| {
            let rows = client.query(
                &format!(
                    r#"SELECT b.id, b.kind, b.generation::TEXT FROM blobs b
                       WHERE {SOURCES_WHERE} AND b.id COLLATE "C" > $2
                       ORDER BY b.id COLLATE "C" LIMIT $3"#
                ),
                &[&version, &after, &(limit as i64)],
            )?;
            rows.iter()
                .map(|row| {
                    let blob = parse_blob_id(row.get(0))?;
                    Ok(RecordSource {
                        paths: paths_of(client, &blob)?,
                        kind: parse_kind(row.get(1))?,
                        blob,
                        row_version: Some(row.get(2)),
                    })
                })
                .collect()
        })
    }

    fn pending_record_count(&self, version: &str) -> Result<u64, StoreError> {
        self.with_client(|client| {
            let sql = format!("SELECT COUNT(*) FROM blobs b WHERE {SOURCES_WHERE}");
            Ok(client.query_one(&sql, &[&version])?.get::<_, i64>(0) as u64)
        })
    }

    fn photo_links(&self) -> Result<Vec<PhotoLinkRow>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    r#"SELECT blob, id_number, via FROM photo_links
                       ORDER BY blob COLLATE "C", id_number COLLATE "C""#,
                    &[],
                )?
                .iter()
                .map(|row| photo_link(row, 0))
                .collect()
        })
    }

    fn blob_paths(&self, blob: &BlobId) -> Result<Vec<String>, StoreError> {
        self.with_client(|client| paths_of(client, blob))
    }

    fn sheet_parts(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    "SELECT seq, label, text, hidden, idx FROM parts
                     WHERE blob = $1 AND kind = 'sheet' ORDER BY seq",
                    &[&blob.as_str()],
                )?
                .iter()
                .map(|row| {
                    Ok(SheetPart {
                        part: row.get::<_, i32>(0) as u32,
                        index: row.get::<_, i64>(4) as u32,
                        label: row.get(1),
                        text: row.get(2),
                        hidden: parse_hidden(row.get(3))?,
                        ocr_confidence: None,
                    })
                })
                .collect()
        })
    }

    fn records_in_rows(
        &self,
        blob: &BlobId,
        part: u32,
        first: u32,
        last: u32,
    ) -> Result<Vec<RowRecord>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    "SELECT row, col, person, name FROM records
                     WHERE blob = $1 AND part = $2 AND row BETWEEN $3 AND $4 ORDER BY row, col",
                    &[
                        &blob.as_str(),
                        &i64::from(part),
                        &i64::from(first),
                        &i64::from(last),
                    ],
                )?
                .iter()
                .map(|row| RowRecord {
                    row: row.get::<_, i64>(0) as u32,
                    column: row.get::<_, i64>(1) as u32,
                    person: row.get(2),
                    name: row.get(3),
                })
                .collect())
        })
    }

    fn header_row(&self, blob: &BlobId, part: u32) -> Result<Option<u32>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query_opt(
                    "SELECT header_row FROM person_sheets WHERE blob = $1 AND part = $2",
                    &[&blob.as_str(), &i64::from(part)],
                )?
                .map(|row| row.get::<_, i64>(0) as u32))
        })
    }

    fn ocr_tables(&self, blob: &BlobId) -> Result<Vec<SheetPart>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    "SELECT p.seq, p.idx, o.layout, o.confidence FROM parts p
                     JOIN ocr_pages o ON o.blob = p.blob AND o.page = p.idx
                     WHERE p.blob = $1 AND p.kind = 'ocr' AND o.confidence IS NOT NULL
                     ORDER BY p.seq",
                    &[&blob.as_str()],
                )?
                .iter()
                .map(|row| {
                    let page = row.get::<_, i64>(1) as u32;
                    SheetPart {
                        part: row.get::<_, i32>(0) as u32,
                        index: page,
                        label: Some(format!("page {page} (OCR)")),
                        text: row.get(2),
                        hidden: trove_model::Hidden::default(),
                        ocr_confidence: row.get(3),
                    }
                })
                .collect())
        })
    }

    fn image_texts(&self, blob: &BlobId) -> Result<Vec<(String, String)>, StoreError> {
        let metadata = self.with_client(|client| {
            Ok(client
                .query_opt(
                    "SELECT metadata FROM blobs WHERE id = $1",
                    &[&blob.as_str()],
                )?
                .map(|row| row.get::<_, String>(0)))
        })?;
        metadata.map_or(Ok(Vec::new()), |metadata| exif_texts(&metadata))
    }

    fn replace_records(&self, version: &str, batch: &[BlobRecords]) -> Result<(), StoreError> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            for blob_records in batch {
                replace_blob_records(&mut tx, version, blob_records)?;
            }
            tx.execute("UPDATE records_revision SET revision = revision + 1", &[])?;
            tx.commit()?;
            Ok(())
        })?;
        // Counted once written, as on SQLite.
        self.record_writes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn records_revision(&self) -> Result<RecordsRevision, StoreError> {
        let elsewhere = self.with_client(|client| {
            Ok(client
                .query_one("SELECT revision FROM records_revision", &[])?
                .get::<_, i64>(0))
        })?;
        Ok(RecordsRevision {
            elsewhere,
            here: self.record_writes.load(Ordering::SeqCst),
        })
    }

    fn refresh_candidates(&self) -> Result<u64, StoreError> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute("DELETE FROM person_candidates", &[])?;
            tx.execute(SAME_NAME_AND_BIRTH, &[])?;
            tx.execute("UPDATE records_revision SET revision = revision + 1", &[])?;
            let count: i64 = tx
                .query_one("SELECT COUNT(*) FROM person_candidates", &[])?
                .get(0);
            tx.commit()?;
            Ok(count as u64)
        })
    }

    fn candidate_count(&self) -> Result<u64, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query_one("SELECT COUNT(*) FROM person_candidates", &[])?
                .get::<_, i64>(0) as u64)
        })
    }

    fn record_blob_paths(&self) -> Result<Vec<(BlobId, String)>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    r#"SELECT o.blob, MIN(o.path COLLATE "C") FROM occurrences o
                       WHERE o.blob IN (SELECT DISTINCT blob FROM records)
                       GROUP BY o.blob ORDER BY o.blob COLLATE "C""#,
                    &[],
                )?
                .iter()
                .map(|row| Ok((parse_blob_id(row.get(0))?, row.get(1))))
                .collect()
        })
    }

    fn record_at(&self, source: &RowRef) -> Result<Option<StoredRecord>, StoreError> {
        self.with_client(|client| {
            client
                .query_opt(
                    "SELECT person, candidate_key, data FROM records
                     WHERE blob = $1 AND part = $2 AND row = $3 AND col = $4",
                    &[
                        &source.blob.as_str(),
                        &i64::from(source.part),
                        &i64::from(source.row),
                        &i64::from(source.column),
                    ],
                )?
                .as_ref()
                .map(stored_record)
                .transpose()
        })
    }

    fn for_each_record(
        &self,
        filter: &RecordFilter,
        offset: u64,
        limit: Option<u64>,
        visit: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (clause, values) = filter_sql(filter);
        let limit = limit.map_or("ALL".to_owned(), |l| l.to_string());
        let sql = format!(
            "SELECT person, candidate_key, data FROM records WHERE {clause}
             ORDER BY {} LIMIT {limit} OFFSET {offset}",
            order_sql(filter.order)
        );
        self.with_client(|client| {
            walk(client, &sql, &text_params(&values), &mut |row| {
                visit(stored_record(row)?)
            })
        })
    }

    fn for_each_person(&self, visit: &mut PersonVisitor<'_>) -> Result<(), StoreError> {
        let sql = format!(
            r#"SELECT person, data FROM records ORDER BY person COLLATE "C", {SOURCE_ORDER}"#
        );
        self.with_client(|client| {
            group_by_person(client, &sql, |row| parse_record(row.get(1)), visit)
        })
    }

    fn for_each_person_for_statistics(
        &self,
        visit: &mut PersonVisitor<'_>,
    ) -> Result<(), StoreError> {
        // Only rows of the held are opened for their detention date.
        let sql = format!(
            r#"SELECT person, list, id_number, id_valid, sex, ethnicity, birth_date,
                      township, village, status,
                      CASE WHEN detention THEN data::jsonb -> 'fields' ->> 'detained_since' END
               FROM records ORDER BY person COLLATE "C", {SOURCE_ORDER}"#
        );
        self.with_client(|client| group_by_person(client, &sql, statistics_record, visit))
    }

    fn resolve_person(&self, query: &str) -> Result<Option<String>, StoreError> {
        let query = query.trim();
        self.with_client(|client| {
            let by_id = client.query_opt(
                "SELECT person FROM records WHERE id_number = $1 AND id_valid LIMIT 1",
                &[&query.to_uppercase()],
            )?;
            if let Some(row) = by_id {
                return Ok(Some(row.get(0)));
            }
            let pattern = format!("{}%", escape_like(query));
            let keys = client.query(
                r"SELECT DISTINCT person FROM records WHERE person ILIKE $1 ESCAPE '\' LIMIT 2",
                &[&pattern],
            )?;
            Ok(match keys.as_slice() {
                [only] => Some(only.get(0)),
                _ => None,
            })
        })
    }

    fn person_photos(&self, person: &str) -> Result<Vec<PhotoLinkRow>, StoreError> {
        self.with_client(|client| {
            client
                .query(
                    r#"SELECT DISTINCT l.blob COLLATE "C", l.id_number, l.via FROM photo_links l
                       JOIN records r ON r.id_number = l.id_number AND r.id_valid
                       WHERE r.person = $1 ORDER BY 1"#,
                    &[&person],
                )?
                .iter()
                .map(|row| photo_link(row, 0))
                .collect()
        })
    }

    fn thumbnailed_photos_of(
        &self,
        persons: &[&str],
    ) -> Result<Vec<(String, PhotoLinkRow)>, StoreError> {
        if persons.is_empty() {
            return Ok(Vec::new());
        }
        self.with_client(|client| {
            client
                .query(
                    r#"SELECT DISTINCT r.person COLLATE "C", l.blob COLLATE "C", l.id_number, l.via
                       FROM records r
                       JOIN photo_links l ON l.id_number = r.id_number
                       JOIN blobs b ON b.id = l.blob AND b.thumbnail IS NOT NULL
                       WHERE r.person = ANY($1) AND r.id_valid
                       ORDER BY 1, 2"#,
                    &[&persons],
                )?
                .iter()
                .map(|row| Ok((row.get(0), photo_link(row, 1)?)))
                .collect()
        })
    }

    fn person_candidates(&self, person: &str) -> Result<Vec<Candidate>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    r#"SELECT b COLLATE "C", reason FROM person_candidates WHERE a = $1
                       UNION SELECT a COLLATE "C", reason FROM person_candidates WHERE b = $1
                       ORDER BY 1"#,
                    &[&person],
                )?
                .iter()
                .map(|row| Candidate {
                    person: row.get(0),
                    reason: row.get(1),
                })
                .collect())
        })
    }

    fn record_summary(&self) -> Result<RecordSummary, StoreError> {
        self.with_client(|client| {
            let mut count = |sql: &str| -> Result<u64, StoreError> {
                Ok(client.query_one(sql, &[])?.get::<_, i64>(0) as u64)
            };
            Ok(RecordSummary {
                records: count("SELECT COUNT(*) FROM records")?,
                persons: count("SELECT COUNT(DISTINCT person) FROM records")?,
                persons_with_valid_id: count(
                    "SELECT COUNT(DISTINCT person) FROM records WHERE id_valid",
                )?,
                flagged_records: count("SELECT COUNT(*) FROM records WHERE flags <> ''")?,
                linked_photos: count(
                    "SELECT COUNT(DISTINCT l.blob) FROM photo_links l
                     WHERE EXISTS (SELECT 1 FROM records r
                                   WHERE r.id_number = l.id_number AND r.id_valid)",
                )?,
                persons_with_photo: count(
                    "SELECT COUNT(DISTINCT r.person) FROM records r
                     WHERE r.id_valid
                       AND EXISTS (SELECT 1 FROM photo_links l WHERE l.id_number = r.id_number)",
                )?,
                candidates: count("SELECT COUNT(*) FROM person_candidates")?,
            })
        })
    }

    fn person_sheets(&self) -> Result<Vec<PersonSheet>, StoreError> {
        self.with_client(|client| {
            // Unestablished kinds first, as on SQLite: what needs a person's eye on top.
            let rows = client.query(
                r#"SELECT blob, part, sheet, header_row, list, evidence, records
                   FROM person_sheets
                   ORDER BY CASE list WHEN 'other' THEN 0 WHEN 'targeted' THEN 1 ELSE 2 END,
                            blob COLLATE "C", part"#,
                &[],
            )?;
            rows.iter()
                .map(|row| {
                    let blob = parse_blob_id(row.get(0))?;
                    Ok(PersonSheet {
                        paths: paths_of(client, &blob)?,
                        blob,
                        part: row.get::<_, i64>(1) as u32,
                        sheet: row.get(2),
                        header_row: row.get::<_, i64>(3) as u32,
                        list: parse_list_kind(row.get(4))?,
                        evidence: row.get(5),
                        records: row.get::<_, i64>(6) as u64,
                    })
                })
                .collect()
        })
    }

    fn record_facets(&self, filter: &RecordFilter) -> Result<RecordFacets, StoreError> {
        let (clause, values) = filter_sql(filter);
        self.with_client(|client| {
            // One pass: the combinations of the five fields with their counts, summed per
            // field here.
            let rows = client.query(
                &format!(
                    "SELECT township, village, status, list, flags, COUNT(*) FROM records
                     WHERE {clause} GROUP BY township, village, status, list, flags"
                ),
                &text_params(&values),
            )?;
            let mut counts: [HashMap<String, u64>; 5] = Default::default();
            let mut total = 0u64;
            for row in &rows {
                let n = row.get::<_, i64>(5).max(0) as u64;
                total += n;
                for (facet, column) in counts.iter_mut().take(4).zip(0..) {
                    if let Some(value) = row.get::<_, Option<String>>(column)
                        && !value.is_empty()
                    {
                        *facet.entry(value).or_default() += n;
                    }
                }
                for flag in row.get::<_, &str>(4).split_whitespace() {
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
}

/// One blob's piece of records: cleared first if it is the first piece, marked done if it
/// is the last.
fn replace_blob_records(
    tx: &mut Transaction<'_>,
    version: &str,
    records: &BlobRecords,
) -> Result<(), StoreError> {
    let blob = records.blob.as_str();
    if records.piece.clears() {
        tx.execute("DELETE FROM records WHERE blob = $1", &[&blob])?;
        tx.execute("DELETE FROM photo_links WHERE blob = $1", &[&blob])?;
        tx.execute("DELETE FROM person_sheets WHERE blob = $1", &[&blob])?;
    }
    for sheet in &records.sheets {
        tx.execute(
            "INSERT INTO person_sheets (blob, part, sheet, header_row, list, evidence, records)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (blob, part) DO UPDATE SET
                 sheet = excluded.sheet, header_row = excluded.header_row,
                 list = excluded.list, evidence = excluded.evidence, records = excluded.records",
            &[
                &blob,
                &i64::from(sheet.part),
                &sheet.sheet,
                &i64::from(sheet.header_row),
                &sheet.list.code(),
                &sheet.evidence,
                &(sheet.records as i64),
            ],
        )?;
    }
    insert_records(tx, &records.records)?;
    for link in &records.photos {
        tx.execute(
            "INSERT INTO photo_links (blob, id_number, via) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&link.blob.as_str(), &link.id_number, &link.via],
        )?;
    }
    for (part, list) in &records.relabel {
        // Everything a record's row derives from the kind: the column, the stored
        // record and whether the row tells of a detention.
        tx.execute(
            "UPDATE records SET list = $3,
                 data = jsonb_set(data::jsonb, '{list}', to_jsonb($3::TEXT))::TEXT,
                 detention = (detention OR $3 = 'detainees')
             WHERE blob = $1 AND part = $2 AND list <> $3",
            &[&blob, &i64::from(*part), &list.code()],
        )?;
    }
    if records.piece.completes() {
        // Kept with the generation the records were read under (a new extraction, path
        // or OCR'd pages moves the blob's): if a worker moved it meanwhile, the blob is
        // pending again, whichever transaction commits first, and the next reading
        // clears these records first.
        let read_as = match &records.read_as {
            Some(generation) => Some(
                generation
                    .parse::<i64>()
                    .map_err(|_| StoreError::Corrupt(format!("blob generation {generation:?}")))?,
            ),
            None => None,
        };
        tx.execute(
            "INSERT INTO record_sources (blob, version, generation)
             SELECT $1, $2, COALESCE($3::BIGINT, generation) FROM blobs WHERE id = $1
             ON CONFLICT (blob) DO UPDATE SET
                 version = excluded.version, generation = excluded.generation",
            &[&blob, &version, &read_as],
        )?;
    }
    Ok(())
}

/// Writes records, with the columns that filter them and the JSON that restores them,
/// as arrays in one statement; a record met again replaces the old one.
fn insert_records(tx: &mut Transaction<'_>, records: &[RecordToWrite]) -> Result<(), StoreError> {
    let records = last_of_each(records, |written| {
        let source = &written.stored.record.source;
        (source.blob.as_str(), source.part, source.row, source.column)
    });
    if records.is_empty() {
        return Ok(());
    }
    let mut columns = RecordColumns::default();
    for written in records {
        columns.push(written);
    }
    let c = &columns;
    tx.execute(
        "INSERT INTO records (blob, part, row, col, sheet, list, person, id_number, id_valid,
             name, sex, ethnicity, birth_date, township, village, status, detention, flags,
             candidate_key, search, data)
         SELECT * FROM unnest($1::TEXT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[],
             $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::BOOLEAN[], $10::TEXT[],
             $11::TEXT[], $12::TEXT[], $13::TEXT[], $14::TEXT[], $15::TEXT[], $16::TEXT[],
             $17::BOOLEAN[], $18::TEXT[], $19::TEXT[], $20::TEXT[], $21::TEXT[])
         ON CONFLICT (blob, part, row, col) DO UPDATE SET
             sheet = excluded.sheet, list = excluded.list, person = excluded.person,
             id_number = excluded.id_number, id_valid = excluded.id_valid,
             name = excluded.name, sex = excluded.sex, ethnicity = excluded.ethnicity,
             birth_date = excluded.birth_date, township = excluded.township,
             village = excluded.village, status = excluded.status,
             detention = excluded.detention, flags = excluded.flags,
             candidate_key = excluded.candidate_key, search = excluded.search,
             data = excluded.data",
        &[
            &c.blob,
            &c.part,
            &c.row,
            &c.col,
            &c.sheet,
            &c.list,
            &c.person,
            &c.id_number,
            &c.id_valid,
            &c.name,
            &c.sex,
            &c.ethnicity,
            &c.birth_date,
            &c.township,
            &c.village,
            &c.status,
            &c.detention,
            &c.flags,
            &c.candidate_key,
            &c.search,
            &c.data,
        ],
    )?;
    Ok(())
}

/// Records column by column, for [`insert_records`].
#[derive(Default)]
struct RecordColumns<'a> {
    blob: Vec<&'a str>,
    part: Vec<i64>,
    row: Vec<i64>,
    col: Vec<i64>,
    sheet: Vec<Option<&'a str>>,
    list: Vec<&'static str>,
    person: Vec<&'a str>,
    id_number: Vec<Option<&'a str>>,
    id_valid: Vec<bool>,
    name: Vec<Option<&'a str>>,
    sex: Vec<Option<&'static str>>,
    ethnicity: Vec<Option<&'a str>>,
    birth_date: Vec<Option<String>>,
    township: Vec<Option<&'a str>>,
    village: Vec<Option<&'a str>>,
    status: Vec<Option<&'static str>>,
    detention: Vec<bool>,
    flags: Vec<String>,
    candidate_key: Vec<Option<&'a str>>,
    search: Vec<&'a str>,
    data: Vec<&'a str>,
}

impl<'a> RecordColumns<'a> {
    fn push(&mut self, written: &'a RecordToWrite) {
        let stored = &written.stored;
        let r = &stored.record;
        let f = &r.fields;
        self.blob.push(r.source.blob.as_str());
        self.part.push(i64::from(r.source.part));
        self.row.push(i64::from(r.source.row));
        self.col.push(i64::from(r.source.column));
        self.sheet.push(r.source.sheet.as_deref());
        self.list.push(r.list.code());
        self.person.push(&stored.person);
        self.id_number.push(f.id_number.as_deref());
        self.id_valid.push(f.id_valid);
        self.name.push(f.name.as_deref());
        self.sex.push(f.sex.map(|s| s.code()));
        self.ethnicity.push(f.ethnicity.as_deref());
        self.birth_date.push(f.birth_date.map(|d| d.to_string()));
        self.township.push(f.township.as_deref());
        self.village.push(f.village.as_deref());
        self.status.push(f.status.map(|s| s.code()));
        self.detention.push(r.is_detention_related());
        self.flags.push(
            r.flags
                .iter()
                .map(|flag| flag.code.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        self.candidate_key.push(stored.candidate_key.as_deref());
        self.search.push(&written.search);
        self.data.push(&written.data);
    }
}

/// The WHERE clause of a filter, with `$n` placeholders for its values (all text).
fn filter_sql(filter: &RecordFilter) -> (String, Vec<String>) {
    let mut clauses = vec!["TRUE".to_owned()];
    let mut values: Vec<String> = Vec::new();
    let mut equal = |column: &str, value: Option<&str>| {
        if let Some(v) = value {
            values.push(v.to_owned());
            clauses.push(format!("{column} = ${}", values.len()));
        }
    };
    equal("person", filter.person.as_deref());
    equal("id_number", filter.id_number.as_deref());
    equal("list", filter.list.as_deref());
    equal("status", filter.status.as_deref());
    equal("township", filter.township.as_deref());
    equal("village", filter.village.as_deref());
    equal("sex", filter.sex.as_deref());
    equal("blob", filter.blob.as_ref().map(BlobId::as_str));
    if let Some(tag) = &filter.tag {
        values.push(tag.clone());
        clauses.push(format!(
            "person IN (SELECT subject FROM tags WHERE subject_kind = 'person' AND tag = ${})",
            values.len()
        ));
    }
    if let Some(flag) = &filter.flag {
        values.push(format!("% {flag} %"));
        clauses.push(format!("(' ' || flags || ' ') ILIKE ${}", values.len()));
    }
    if let Some(valid) = filter.id_valid {
        clauses.push(format!("id_valid = {valid}"));
    }
    for word in &filter.words {
        values.push(format!("%{}%", escape_like(&word.to_lowercase())));
        clauses.push(format!(r"search ILIKE ${} ESCAPE '\'", values.len()));
    }
    (clauses.join(" AND "), values)
}

/// Text values as statement parameters.
fn text_params(values: &[String]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// The ORDER BY of an order: a column's, then the sources' as the tie-breaker; records
/// without the value last whichever way the sort runs.
fn order_sql(order: RecordOrder) -> String {
    match order.column_sql() {
        Some((column, direction)) => {
            format!(r#"{column} IS NULL, {column} COLLATE "C" {direction}, {SOURCE_ORDER}"#)
        }
        None => SOURCE_ORDER.to_owned(),
    }
}

/// The distinct paths a blob was seen at, in byte order.
fn paths_of(client: &mut impl GenericClient, blob: &BlobId) -> Result<Vec<String>, StoreError> {
    Ok(client
        .query(
            r#"SELECT DISTINCT path COLLATE "C" FROM occurrences WHERE blob = $1 ORDER BY 1"#,
            &[&blob.as_str()],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

/// A photo link from the row's columns `first`.. (blob, id_number, via).
fn photo_link(row: &Row, first: usize) -> Result<PhotoLinkRow, StoreError> {
    Ok(PhotoLinkRow {
        blob: parse_blob_id(row.get(first))?,
        id_number: row.get(first + 1),
        via: row.get(first + 2),
    })
}

/// A record row selected as (person, candidate_key, data).
fn stored_record(row: &Row) -> Result<StoredRecord, StoreError> {
    Ok(StoredRecord {
        record: parse_record(row.get(2))?,
        person: row.get(0),
        candidate_key: row.get(1),
    })
}

/// Hands `visit` each person's records from `sql`, sorted by person (column 0), each
/// record decoded by `decode`; the rows come through a cursor.
fn group_by_person(
    client: &mut Client,
    sql: &str,
    decode: impl Fn(&Row) -> Result<Record, StoreError>,
    visit: &mut PersonVisitor<'_>,
) -> Result<(), StoreError> {
    let mut current: Option<(String, Vec<Record>)> = None;
    walk(client, sql, &[], &mut |row| {
        let person: &str = row.get(0);
        let record = decode(row)?;
        match &mut current {
            Some((key, records)) if key == person => records.push(record),
            _ => {
                if let Some((key, records)) = current.take() {
                    visit(&key, records)?;
                }
                current = Some((person.to_owned(), vec![record]));
            }
        }
        Ok(())
    })?;
    if let Some((key, records)) = current {
        visit(&key, records)?;
    }
    Ok(())
}

/// A record holding only what statistics read (see SQLite's).
fn statistics_record(row: &Row) -> Result<Record, StoreError> {
    let date = |index| -> Option<chrono::NaiveDate> {
        row.get::<_, Option<&str>>(index)
            .and_then(|text| text.parse().ok())
    };
    let unknown = |what: &str, code: &str| StoreError::Corrupt(format!("{what} {code:?}"));
    let fields = RecordFields {
        id_number: row.get(2),
        id_valid: row.get(3),
        sex: row
            .get::<_, Option<&str>>(4)
            .map(|c| Sex::from_code(c).ok_or_else(|| unknown("sex", c)))
            .transpose()?,
        ethnicity: row.get(5),
        birth_date: date(6),
        township: row.get(7),
        village: row.get(8),
        status: row
            .get::<_, Option<&str>>(9)
            .map(|c| StatusCategory::from_code(c).ok_or_else(|| unknown("status", c)))
            .transpose()?,
        detained_since: date(10),
        ..RecordFields::default()
    };
    Ok(Record {
        source: RowRef {
            blob: BlobId::from_digest([0; 32]),
            part: 0,
            sheet: None,
            row: 0,
            column: 0,
        },
        list: parse_list_kind(row.get(1))?,
        raw: Vec::new(),
        fields,
        flags: Vec::new(),
    })
}
