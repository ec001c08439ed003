//! Adding and replacing documents.

use tantivy::Term;
use tantivy::indexer::UserOperation;

use crate::schema::Fields;
use crate::{IndexDocument, IndexError};

/// Writes to the index. Replacing a document deletes every part it had, so
/// re-indexing the same blob (after a new path was seen, or an interrupted
/// run) never leaves duplicates.
pub struct IndexWriter {
    pub(crate) writer: tantivy::IndexWriter,
    pub(crate) fields: Fields,
}

impl IndexWriter {
    /// Replaces everything the index holds for `document.blob`.
    ///
    /// The delete and the adds go in one batch, which tantivy hands to a
    /// single indexing thread: all parts of a document land in one segment,
    /// which facet counting relies on.
    pub fn replace(&mut self, document: &IndexDocument<'_>) -> Result<(), IndexError> {
        let delete = Term::from_field_text(self.fields.blob, document.blob.as_str());
        let mut operations = vec![UserOperation::Delete(delete)];
        operations.extend(
            document
                .to_tantivy(&self.fields)
                .into_iter()
                .map(UserOperation::Add),
        );
        self.writer.run(operations)?;
        Ok(())
    }

    /// Makes everything written so far durable and visible to new searches.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer.commit()?;
        Ok(())
    }

    /// Removes every document (before a full rebuild).
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }
}
