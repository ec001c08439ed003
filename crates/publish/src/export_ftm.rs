//! `trove export ftm`: a whole store as FollowTheMoney entities, NOT redacted, for a
//! partner's own Aleph or OpenAleph instance: every person with every name, full ID
//! number, birth date and address, `proof` links to the documents (with SHA-256) they were
//! read from, and every photo carrying an ID number as an Image `pictured` → Person. The
//! published site's entities are the redacted counterpart (`open_data`).

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use serde_json::{Map, Value, json};
use trove_model::{BlobId, Record};
use trove_records::persons::facts_of;
use trove_store::{CaseCatalog, Catalog, StoreError};

/// How many entities of each schema were written.
#[derive(Debug, Default, serde::Serialize)]
pub struct ExportCounts {
    /// Persons.
    pub persons: u64,
    /// Source documents (sheets and photos).
    pub documents: u64,
    /// Photos linked to persons.
    pub images: u64,
}

/// Why the export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The output could not be written.
    #[error("could not write the entities: {0}")]
    Write(#[from] std::io::Error),
}

/// Writes every person, source document and linked photo of `catalog` to `out`, one JSON
/// object a line.
pub fn export_ftm(
    catalog: &dyn CaseCatalog,
    out: &mut dyn Write,
) -> Result<ExportCounts, ExportError> {
    let mut counts = ExportCounts::default();
    let mut photos_of: HashMap<String, Vec<BlobId>> = HashMap::new();
    for link in catalog.photo_links()? {
        photos_of.entry(link.id_number).or_default().push(link.blob);
    }
    let mut documents: BTreeSet<BlobId> = BTreeSet::new();
    let mut images: Vec<(BlobId, String)> = Vec::new();
    let mut failed: Option<std::io::Error> = None;
    catalog.for_each_person(&mut |key, records| {
        let entity = person_entity(key, &records);
        documents.extend(records.iter().map(|r| r.source.blob.clone()));
        let id_number = records
            .iter()
            .filter(|r| r.fields.id_valid)
            .find_map(|r| r.fields.id_number.as_deref());
        if let Some(photos) = id_number.and_then(|id| photos_of.get(id)) {
            images.extend(photos.iter().map(|blob| (blob.clone(), person_id(key))));
        }
        if let Err(e) = writeln!(out, "{entity}") {
            failed.get_or_insert(e);
        }
        counts.persons += 1;
        Ok(())
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    for (blob, person) in &images {
        let mut properties = file_properties(catalog, blob)?;
        properties.insert("pictured".into(), json!([person]));
        let entity =
            json!({"id": format!("image-{blob}"), "schema": "Image", "properties": properties});
        writeln!(out, "{entity}")?;
        counts.images += 1;
    }
    for blob in &documents {
        let properties = file_properties(catalog, blob)?;
        let entity =
            json!({"id": document_id(blob), "schema": "Document", "properties": properties});
        writeln!(out, "{entity}")?;
        counts.documents += 1;
    }
    Ok(counts)
}

/// The FollowTheMoney id of a person: their key hashed (keys hold ID numbers, which an
/// id should not spell out even in an unredacted export's URLs).
fn person_id(key: &str) -> String {
    format!("person-{}", &blake3::hash(key.as_bytes()).to_hex()[..20])
}

fn document_id(blob: &BlobId) -> String {
    format!("document-{blob}")
}

fn person_entity(key: &str, records: &[Record]) -> Value {
    let refs: Vec<&Record> = records.iter().collect();
    let facts = facts_of(&refs);
    let mut properties = Map::new();
    let mut put = |name: &str, values: Vec<String>| {
        let mut values = values;
        values.sort();
        values.dedup();
        values.retain(|v| !v.is_empty());
        if !values.is_empty() {
            properties.insert(name.to_owned(), json!(values));
        }
    };
    let each = |field: fn(&Record) -> Option<String>| records.iter().filter_map(field).collect();
    put("name", each(|r| r.fields.name.clone()));
    put("idNumber", each(|r| r.fields.id_number.clone()));
    put(
        "birthDate",
        facts
            .birth_date
            .map(|d| d.to_string())
            .into_iter()
            .collect(),
    );
    put(
        "gender",
        facts.sex.map(|s| s.code().to_owned()).into_iter().collect(),
    );
    put("ethnicity", facts.ethnicity.into_iter().collect());
    put("address", each(|r| r.fields.address.clone()));
    put(
        "phone",
        each(|r| r.fields.phone.as_deref().and_then(international_phone)),
    );
    put("status", each(|r| r.fields.status_raw.clone()));
    put("description", each(|r| r.fields.reason.clone()));
    put(
        "proof",
        records
            .iter()
            .map(|r| document_id(&r.source.blob))
            .collect(),
    );
    put("country", vec!["cn".to_owned()]);
    json!({"id": person_id(key), "schema": "Person", "properties": properties})
}

/// A Chinese phone number as FollowTheMoney takes it (E.164): a mobile `1xxxxxxxxxx` or a
/// landline with its trunk `0` become `+86…`; anything else is left out.
fn international_phone(written: &str) -> Option<String> {
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        11 if digits.starts_with('1') => Some(format!("+86{digits}")),
        10..=12 if digits.starts_with('0') => Some(format!("+86{}", &digits[1..])),
        13 if digits.starts_with("86") => Some(format!("+{digits}")),
        _ => None,
    }
}

/// A file's name (its first path), SHA-256 and size.
fn file_properties(
    catalog: &dyn CaseCatalog,
    blob: &BlobId,
) -> Result<Map<String, Value>, StoreError> {
    let mut properties = Map::new();
    if let Some(path) = catalog.blob_paths(blob)?.into_iter().next() {
        properties.insert("fileName".into(), json!([path]));
    }
    if let Some(document) = Catalog::document(catalog, blob)? {
        properties.insert("contentHash".into(), json!([document.sha256]));
        properties.insert("fileSize".into(), json!([document.size.to_string()]));
    }
    Ok(properties)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_phone_numbers_become_international() {
        assert_eq!(
            international_phone("189 5733 3087").as_deref(),
            Some("+8618957333087")
        );
        assert_eq!(
            international_phone("0998-6212345").as_deref(),
            Some("+869986212345")
        );
        assert_eq!(
            international_phone("+86 189 5733 3087").as_deref(),
            Some("+8618957333087")
        );
        assert_eq!(international_phone("12345"), None);
    }
}
