//! The records facet on SQLite.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use trove_model::{BlobId, Metadata, Record};

use super::read::{parse_blob_id, parse_kind};
use crate::StoreError;
use crate::records::{
    BlobRecords, Candidate, PersonVisitor, PhotoLinkRow, RecordFilter, RecordSource, RecordSummary,
    SheetPart, StoredRecord,
};

/// Blobs that can hold records (a sheet part) or photo links (image facts).
const SOURCES_WHERE: &str = "b.status = 'extracted'
      AND (b.kind IN ('jpeg', 'png', 'tiff', 'webp', 'gif')
           OR EXISTS (SELECT 1 FROM parts p WHERE p.blob = b.id AND p.kind = 'sheet'))
      AND NOT EXISTS (SELECT 1 FROM record_sources s WHERE s.blob = b.id AND s.version = ?1)";

pub(super) fn pending(
    connection: &Connection,
    version: &str,
    after: Option<&BlobId>,
    limit: usize,
) -> Result<Vec<RecordSource>, StoreError> {
    let sql = format!(
        "SELECT b.id, b.kind FROM blobs b WHERE {SOURCES_WHERE} AND b.id > ?2 ORDER BY b.id LIMIT ?3"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let after = after.map(BlobId::as_str).unwrap_or("");
    let rows = statement
        .query_map(params![version, after, limit as i64], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, kind)| {
            let blob = parse_blob_id(&id)?;
            Ok(RecordSource {
                paths: blob_paths(connection, &blob)?,
                blob,
                kind: parse_kind(&kind)?,
            })
        })
        .collect()
}

pub(super) fn blob_paths(
    connection: &Connection,
    blob: &BlobId,
) -> Result<Vec<String>, StoreError> {
    let mut statement = connection
        .prepare_cached("SELECT DISTINCT path FROM occurrences WHERE blob = ?1 ORDER BY path")?;
    let paths = statement
        .query_map([blob.as_str()], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(paths)
}

pub(super) fn pending_count(connection: &Connection, version: &str) -> Result<u64, StoreError> {
    let sql = format!("SELECT COUNT(*) FROM blobs b WHERE {SOURCES_WHERE}");
    let count: i64 = connection.query_row(&sql, [version], |row| row.get(0))?;
    Ok(count as u64)
}

pub(super) fn sheet_parts(
    connection: &Connection,
    blob: &BlobId,
) -> Result<Vec<SheetPart>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT seq, label, text FROM parts WHERE blob = ?1 AND kind = 'sheet' ORDER BY seq",
    )?;
    let parts = statement
        .query_map([blob.as_str()], |row| {
            Ok(SheetPart {
                part: row.get(0)?,
                label: row.get(1)?,
                text: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts)
}

pub(super) fn image_texts(
    connection: &Connection,
    blob: &BlobId,
) -> Result<Vec<(String, String)>, StoreError> {
    let metadata: Option<String> = connection
        .prepare_cached("SELECT metadata FROM blobs WHERE id = ?1")?
        .query_row([blob.as_str()], |row| row.get(0))
        .optional()?;
    let Some(metadata) = metadata else {
        return Ok(Vec::new());
    };
    let metadata: Metadata =
        serde_json::from_str(&metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let Some(image) = metadata.image else {
        return Ok(Vec::new());
    };
    let exif = image.exif;
    Ok([
        ("EXIF description", exif.description),
        ("EXIF body serial", exif.body_serial),
        ("EXIF software", exif.software),
    ]
    .into_iter()
    .filter_map(|(field, text)| Some((field.to_owned(), text?)))
    .collect())
}

pub(super) fn replace(
    connection: &mut Connection,
    version: &str,
    batch: &[BlobRecords],
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    {
        let mut delete_records = tx.prepare_cached("DELETE FROM records WHERE blob = ?1")?;
        let mut delete_links = tx.prepare_cached("DELETE FROM photo_links WHERE blob = ?1")?;
        let mut insert_record = tx.prepare_cached(
            "INSERT OR REPLACE INTO records (blob, part, row, sheet, list, person, id_number,
                 id_valid, name, sex, ethnicity, birth_date, township, village, status, detention,
                 flags, candidate_key, search, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20)",
        )?;
        let mut insert_link = tx.prepare_cached(
            "INSERT OR IGNORE INTO photo_links (blob, id_number, via) VALUES (?1, ?2, ?3)",
        )?;
        let mut mark = tx.prepare_cached(
            "INSERT INTO record_sources (blob, version) VALUES (?1, ?2)
             ON CONFLICT (blob) DO UPDATE SET version = excluded.version",
        )?;
        for BlobRecords {
            blob,
            records,
            photos: links,
        } in batch
        {
            delete_records.execute([blob.as_str()])?;
            delete_links.execute([blob.as_str()])?;
            for stored in records {
                let r = &stored.record;
                let f = &r.fields;
                let flags: Vec<&str> = r.flags.iter().map(|f| f.code.as_str()).collect();
                let data =
                    serde_json::to_string(r).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                insert_record.execute(params![
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
                    search_text(r),
                    data,
                ])?;
            }
            for link in links {
                insert_link.execute(params![link.blob.as_str(), link.id_number, link.via])?;
            }
            mark.execute(params![blob.as_str(), version])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// What `trove records WORDS` searches: every raw cell and normalised field, lower-cased.
fn search_text(record: &Record) -> String {
    let f = &record.fields;
    let mut text: Vec<&str> = record.raw.iter().map(|c| c.value.as_str()).collect();
    text.extend(
        [
            &f.name,
            &f.id_number,
            &f.township,
            &f.village,
            &f.county,
            &f.ethnicity,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str),
    );
    text.join(" ").to_lowercase()
}

pub(super) fn refresh_candidates(connection: &mut Connection) -> Result<u64, StoreError> {
    let tx = connection.transaction()?;
    tx.execute("DELETE FROM person_candidates", [])?;
    // Persons that share a name and birth date but no valid ID number: at least one of
    // the two has no valid ID, or the two IDs differ (a typo in one of them).
    tx.execute(
        "INSERT OR IGNORE INTO person_candidates (a, b, reason)
         SELECT DISTINCT x.person, y.person, 'same name and birth date'
         FROM records x JOIN records y
           ON x.candidate_key = y.candidate_key AND x.person < y.person",
        [],
    )?;
    let count: i64 = tx.query_row("SELECT COUNT(*) FROM person_candidates", [], |r| r.get(0))?;
    tx.commit()?;
    Ok(count as u64)
}

/// The WHERE clause and parameters of a filter.
fn filter_sql(filter: &RecordFilter) -> (String, Vec<Value>) {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut values: Vec<Value> = Vec::new();
    let mut equal = |column: &str, value: &Option<String>| {
        if let Some(v) = value {
            values.push(Value::Text(v.clone()));
            clauses.push(format!("{column} = ?{}", values.len()));
        }
    };
    equal("person", &filter.person);
    equal("id_number", &filter.id_number);
    equal("list", &filter.list);
    equal("status", &filter.status);
    equal("township", &filter.township);
    equal("village", &filter.village);
    equal("sex", &filter.sex);
    equal("blob", &filter.blob.as_ref().map(|b| b.as_str().to_owned()));
    if let Some(flag) = &filter.flag {
        values.push(Value::Text(format!("% {flag} %")));
        clauses.push(format!("(' ' || flags || ' ') LIKE ?{}", values.len()));
    }
    if let Some(valid) = filter.id_valid {
        clauses.push(format!("id_valid = {}", i32::from(valid)));
    }
    for word in &filter.words {
        let escaped = escape_like(&word.to_lowercase());
        values.push(Value::Text(format!("%{escaped}%")));
        clauses.push(format!("search LIKE ?{} ESCAPE '\\'", values.len()));
    }
    (clauses.join(" AND "), values)
}

/// Escapes LIKE's wildcards so that a word matches literally.
fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn for_each_record(
    connection: &Connection,
    filter: &RecordFilter,
    offset: u64,
    limit: Option<u64>,
    visit: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let (clause, values) = filter_sql(filter);
    let limit = limit.map_or(-1, |l| l as i64);
    let sql = format!(
        "SELECT person, candidate_key, data FROM records WHERE {clause}
         ORDER BY blob, part, row LIMIT {limit} OFFSET {offset}"
    );
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    while let Some(row) = rows.next()? {
        let data: String = row.get(2)?;
        visit(StoredRecord {
            record: parse_record(&data)?,
            person: row.get(0)?,
            candidate_key: row.get(1)?,
        })?;
    }
    Ok(())
}

fn parse_record(data: &str) -> Result<Record, StoreError> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt(format!("record JSON: {e}")))
}

pub(super) fn for_each_person(
    connection: &Connection,
    visit: &mut PersonVisitor<'_>,
) -> Result<(), StoreError> {
    let mut statement =
        connection.prepare("SELECT person, data FROM records ORDER BY person, blob, part, row")?;
    let mut rows = statement.query([])?;
    let mut current: Option<(String, Vec<Record>)> = None;
    while let Some(row) = rows.next()? {
        let person: String = row.get(0)?;
        let record = parse_record(&row.get::<_, String>(1)?)?;
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

pub(super) fn resolve_person(
    connection: &Connection,
    query: &str,
) -> Result<Option<String>, StoreError> {
    let query = query.trim();
    let by_id: Option<String> = connection
        .prepare_cached("SELECT person FROM records WHERE id_number = ?1 AND id_valid = 1 LIMIT 1")?
        .query_row([query.to_uppercase()], |row| row.get(0))
        .optional()?;
    if by_id.is_some() {
        return Ok(by_id);
    }
    let escaped = escape_like(query);
    let mut statement = connection.prepare_cached(
        "SELECT DISTINCT person FROM records WHERE person LIKE ?1 ESCAPE '\\' LIMIT 2",
    )?;
    let keys = statement
        .query_map([format!("{escaped}%")], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match keys.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    })
}

pub(super) fn person_photos(
    connection: &Connection,
    person: &str,
) -> Result<Vec<PhotoLinkRow>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT DISTINCT l.blob, l.id_number, l.via FROM photo_links l
         JOIN records r ON r.id_number = l.id_number AND r.id_valid = 1
         WHERE r.person = ?1 ORDER BY l.blob",
    )?;
    let rows = statement
        .query_map([person], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(blob, id_number, via)| {
            Ok(PhotoLinkRow {
                blob: parse_blob_id(&blob)?,
                id_number,
                via,
            })
        })
        .collect()
}

pub(super) fn person_candidates(
    connection: &Connection,
    person: &str,
) -> Result<Vec<Candidate>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT b, reason FROM person_candidates WHERE a = ?1
         UNION SELECT a, reason FROM person_candidates WHERE b = ?1 ORDER BY 1",
    )?;
    let rows = statement
        .query_map([person], |row| {
            Ok(Candidate {
                person: row.get(0)?,
                reason: row.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn summary(connection: &Connection) -> Result<RecordSummary, StoreError> {
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
}

pub(super) fn record_blob_paths(
    connection: &Connection,
) -> Result<Vec<(BlobId, String)>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT o.blob, MIN(o.path) FROM occurrences o
         WHERE o.blob IN (SELECT DISTINCT blob FROM records) GROUP BY o.blob",
    )?;
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(blob, path)| Ok((parse_blob_id(&blob)?, path)))
        .collect()
}
