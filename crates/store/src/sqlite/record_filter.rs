//! A [`RecordFilter`] as a SQLite condition.

use rusqlite::types::Value;

use crate::record_text::escape_like;
use crate::records::RecordFilter;

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
