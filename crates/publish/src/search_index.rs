//! The site's search index: a script that sets `window.TROVE_SEARCH`, read by
//! `assets/search.js` in the browser.
//!
//! Written here rather than with Pagefind: Pagefind's index is fetched in chunks and
//! searched by WebAssembly, and Chromium refuses both `fetch` and WebAssembly loading from
//! `file://`, where a site handed around on a USB stick must still search. A person's
//! entry holds only what their page shows already: the name as written, its Latin
//! readings (each folded by the script, so Rahile Ömer, Rahile Omer and RAHILE OMER all
//! find it), and the masked ID; a document's entry holds its redacted text, which a
//! substring search reads in any script (Chinese needs no word segmentation to match).

use serde_json::json;

use crate::person::PublishedPerson;
use crate::site::PublishedDocument;

/// The index's path inside the site.
pub const SEARCH_INDEX: &str = "assets/search-index.js";

/// The script that carries the index.
pub fn search_index(persons: &[PublishedPerson], documents: &[PublishedDocument]) -> String {
    let persons: Vec<_> = persons
        .iter()
        .map(|p| {
            let mut keys: Vec<&str> = Vec::new();
            keys.extend(p.name.as_deref());
            keys.extend(p.readings.iter().map(String::as_str));
            keys.extend(p.masked_id.as_deref());
            keys.push(&p.id);
            json!([p.id, p.label(), format!("persons/{}.html", p.id), keys])
        })
        .collect();
    let documents: Vec<_> = documents
        .iter()
        .map(|d| {
            let text: Vec<&str> = d.parts.iter().map(|part| part.text.as_str()).collect();
            json!([
                d.id,
                d.title,
                format!("documents/{}.html", d.id),
                text.join("\n")
            ])
        })
        .collect();
    let index = json!({ "persons": persons, "documents": documents });
    format!("window.TROVE_SEARCH = {index};\n")
}
