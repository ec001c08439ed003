//! The publication facet of the catalog: editors' decisions on publishing persons (a
//! history per person, written with its audit event in one transaction) and the secret
//! that turns person keys into published ids.

use std::collections::HashMap;

use trove_model::PublicationDecision;

use crate::StoreError;
use crate::review::BeforeCommit;

/// The publication facet of a catalog.
pub trait PublicationCatalog: Send + Sync {
    /// Adds a decision; it becomes the person's current one. `before_commit` (the caller's
    /// audit append) must succeed for it to be kept.
    fn record_publication_then(
        &self,
        decision: &PublicationDecision,
        before_commit: &mut BeforeCommit<'_>,
    ) -> Result<(), StoreError>;

    /// Every decision on one person, oldest first: the last is the current one.
    fn publication_history(&self, person: &str) -> Result<Vec<PublicationDecision>, StoreError>;

    /// Every person's current decision, by person key.
    fn publication_decisions(&self) -> Result<HashMap<String, PublicationDecision>, StoreError>;

    /// The store's secret key for published ids (made once, with the store).
    fn publication_secret(&self) -> Result<[u8; 32], StoreError>;
}
