//! What both backends share about finding records: the text `trove records WORDS`
//! searches, kept with each record, and LIKE patterns that match a word literally.

use trove_model::Record;

/// What `trove records WORDS` searches: every raw cell and normalised field, lower-cased.
pub(crate) fn search_text(record: &Record) -> String {
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

/// Escapes LIKE's wildcards so that a word matches literally.
pub(crate) fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
