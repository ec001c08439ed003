//! The one way off the async threads. SQLite (the access database, a case's catalog),
//! the search index, password hashing and reading originals all block: they run on
//! tokio's blocking threads so that one slow call never stalls other users' requests.

use tokio::task::JoinError;

/// Runs `work` on a blocking thread and waits for it without blocking this one. A task
/// that panicked comes back as an error (`WebError::Task`, or an `io::Error` for a
/// response body being streamed).
pub(crate) async fn run<T, E, F>(work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<JoinError> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    tokio::task::spawn_blocking(work).await?
}
