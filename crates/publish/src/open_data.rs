//! The open data sets beside the site: `persons.csv` and `persons.json` (the published
//! persons, allowed fields only), `records.csv` (which row of which document each was read
//! from), and FollowTheMoney entities, one JSON object a line, for Aleph and its kin.

use std::collections::HashMap;

use serde_json::{Value, json};
use trove_records::csv_cell::csv_cell;

use crate::person::PublishedPerson;
use crate::site::PublishedDocument;

/// `persons.csv`: a header, then one published person a row.
pub fn persons_csv(persons: &[PublishedPerson]) -> String {
    let mut out = String::from(
        "id,name,latin_readings,masked_id,sex,age_at_capture,township,village,status,reason,detained_since,photographed,verification,photo\n",
    );
    for p in persons {
        let cells = [
            p.id.clone(),
            p.name.clone().unwrap_or_default(),
            p.readings.join("; "),
            p.masked_id.clone().unwrap_or_default(),
            p.sex.clone().unwrap_or_default(),
            p.age_at_capture.map(|a| a.to_string()).unwrap_or_default(),
            p.township.clone().unwrap_or_default(),
            p.village.clone().unwrap_or_default(),
            p.status.clone().unwrap_or_default(),
            p.reason.clone().unwrap_or_default(),
            p.detained_since.map(|d| d.to_string()).unwrap_or_default(),
            p.photographed.map(|d| d.to_string()).unwrap_or_default(),
            p.verification.clone().unwrap_or_default(),
            p.photo.clone().unwrap_or_default(),
        ];
        push_row(&mut out, &cells);
    }
    out
}

/// `records.csv`: one source row of a published person a line.
pub fn records_csv(persons: &[PublishedPerson]) -> String {
    let mut out = String::from("person,document,path,sheet,row\n");
    for p in persons {
        for source in &p.sources {
            let cells = [
                p.id.clone(),
                source.document.clone(),
                source.path.clone().unwrap_or_default(),
                source.sheet.to_string(),
                source.row.to_string(),
            ];
            push_row(&mut out, &cells);
        }
    }
    out
}

fn push_row(out: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    out.push_str(&row.join(","));
    out.push('\n');
}

/// FollowTheMoney entities: a Person for each published person (with `proof` links to
/// the Documents they were read from), a Document for each source and published document,
/// an Image with `pictured` for each published photo. `source_hashes` gives the SHA-256
/// of each source document by published id. One JSON object a line.
pub fn ftm_entities(
    persons: &[PublishedPerson],
    documents: &[PublishedDocument],
    photo_hashes: &dyn Fn(&str) -> Option<String>,
    source_hashes: &HashMap<String, String>,
) -> String {
    let mut lines: Vec<Value> = Vec::new();
    let mut sources: Vec<&str> = Vec::new();
    for p in persons {
        let mut properties = serde_json::Map::new();
        let name = p.name.clone().unwrap_or_else(|| p.label());
        properties.insert("name".into(), json!([name]));
        if !p.readings.is_empty() {
            properties.insert("alias".into(), json!(p.readings));
        }
        if let Some(sex) = &p.sex {
            properties.insert("gender".into(), json!([sex]));
        }
        let place: Vec<&str> = [p.village.as_deref(), p.township.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !place.is_empty() {
            properties.insert("address".into(), json!([place.join(", ")]));
        }
        if let Some(status) = &p.status {
            properties.insert("status".into(), json!([status]));
        }
        if let Some(reason) = &p.reason {
            properties.insert("description".into(), json!([reason]));
        }
        if !p.evidence.is_empty() {
            properties.insert("sourceUrl".into(), json!(p.evidence));
        }
        let proofs: Vec<String> = p
            .sources
            .iter()
            .map(|s| document_entity(&s.document))
            .collect();
        if !proofs.is_empty() {
            properties.insert("proof".into(), json!(dedup(proofs)));
        }
        properties.insert("country".into(), json!(["cn"]));
        lines.push(json!({"id": p.id, "schema": "Person", "properties": properties}));
        sources.extend(p.sources.iter().map(|s| s.document.as_str()));
        if let Some(photo) = &p.photo {
            let mut image = json!({
                "fileName": [photo],
                "pictured": [p.id],
            });
            if let Some(hash) = photo_hashes(photo) {
                image["contentHash"] = json!([hash]);
            }
            lines.push(
                json!({"id": format!("img-{}", p.id), "schema": "Image", "properties": image}),
            );
        }
    }
    sources.sort_unstable();
    sources.dedup();
    for source in sources {
        if documents.iter().any(|d| d.id == source) {
            continue;
        }
        let mut properties = json!({"title": [format!("Source document {source}")]});
        if let Some(sha256) = source_hashes.get(source) {
            properties["contentHash"] = json!([sha256]);
        }
        lines.push(json!({
            "id": document_entity(source),
            "schema": "Document",
            "properties": properties,
        }));
    }
    for d in documents {
        lines.push(json!({
            "id": document_entity(&d.id),
            "schema": "Document",
            "properties": {
                "title": [d.title],
                "fileName": [d.title],
                "contentHash": [d.sha256],
                "fileSize": [d.size.to_string()],
            },
        }));
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The FollowTheMoney id of a document by its published id.
fn document_entity(document: &str) -> String {
    format!("doc-{document}")
}

fn dedup(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values.dedup();
    values
}
