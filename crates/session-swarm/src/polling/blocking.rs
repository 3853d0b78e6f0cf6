//! Store calls off the async threads (SQLite does file I/O).

use std::sync::Arc;

use crate::store::{Store, StoreError};

/// Runs `work` on the store in a blocking task; `None` when the task could not finish (the
/// runtime is shutting down).
pub(crate) async fn on_store<T, F>(store: &Arc<dyn Store>, work: F) -> Option<Result<T, StoreError>>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = store.clone();
    tokio::task::spawn_blocking(move || work(store.as_ref()))
        .await
        .ok()
}
