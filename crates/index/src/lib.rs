//! The full-text index.
//!
//! One tantivy document per part of a trove document (a page, a sheet, a
//! slide, a message body), so that every hit says exactly where it came from.
//! Han text is segmented with jieba *and* cut into overlapping bigrams in a
//! second field, because jieba keeps some words whole (乌鲁木齐) and a
//! search for a word inside them would otherwise miss. Latin text is
//! lowercased and stemmed; Arabic-script (Uyghur) and Cyrillic words are split
//! on spaces and punctuation.
//!
//! The index is derived data: everything in it can be rebuilt from the
//! catalog, and this crate knows nothing of the catalog.

mod anew;
mod document;
mod error;
mod facets;
mod gate;
mod hit;
mod query;
mod schema;
mod search;
mod snippet;
mod stored_parts;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod tokenizer;
mod writer;

pub use document::{IndexDocument, line_chunks};
pub use error::IndexError;
pub use facets::Facets;
pub use hit::Hit;
pub use query::any_phrase_query;
pub use search::{HitOrder, SearchFilter, SearchIndex, SearchOptions, SearchResults};
pub use snippet::Snippet;
pub use writer::IndexWriter;
