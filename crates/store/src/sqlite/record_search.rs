//! How records are found: the text `trove records WORDS` searches, kept with each
//! record, and a [`RecordFilter`] as a SQL condition.

use rusqlite::types::Value;
use trove_model::Record;

use crate::records::RecordFilter;

/// What `trove records WORDS` searches: every raw cell and normalised field, lower-cased.
pub(super) fn search_text(record: &Record) -> String {
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

/// The WHERE clause and parameters of a filter.
pub(super) fn filter_sql(filter: &RecordFilter) -> (String, Vec<Value>) {
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
    if let Some(tag) = &filter.tag {
        values.push(Value::Text(tag.clone()));
        clauses.push(format!(
            "person IN (SELECT subject FROM tags WHERE subject_kind = 'person' AND tag = ?{})",
            values.len()
        ));
    }
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
pub(super) fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
