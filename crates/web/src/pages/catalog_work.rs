//! Catalog calls block (SQLite behind a mutex): they run on tokio's blocking threads so
//! that one slow query never stalls the requests of other users.

use std::sync::Arc;

use crate::case_data::CaseData;
use crate::error::WebError;

/// Runs `work` on a blocking thread with the case's data.
pub async fn with_case<T, F>(data: &Arc<CaseData>, work: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&CaseData) -> Result<T, WebError> + Send + 'static,
{
    let data = Arc::clone(data);
    tokio::task::spawn_blocking(move || work(&data)).await?
}
