//! For other crates' tests: indexes as older troves left them.

use std::path::Path;

use tantivy::Index;

use crate::IndexError;
use crate::schema::{HAN_BIGRAM_UNBRIDGED_ANALYZER, build_schema_with_bigrams};

/// Makes an empty index in `dir` (which must hold none) as trove made it before its
/// bigrams bridged the marks in names: [`crate::SearchIndex::is_outdated`] says so.
pub fn index_before_name_bigrams(dir: &Path) -> Result<(), IndexError> {
    let wrap = |source| IndexError::Open {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| wrap(tantivy::TantivyError::from(e)))?;
    let (schema, _) = build_schema_with_bigrams(HAN_BIGRAM_UNBRIDGED_ANALYZER);
    Index::create_in_dir(dir, schema).map_err(wrap)?;
    Ok(())
}
