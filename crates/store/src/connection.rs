//! What the catalog and the access database share about their SQLite connection: the
//! migrations that bring a file's schema up to date, and the lock around it.

use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

/// Applies the migrations a database has not had yet, each in its own transaction;
/// `PRAGMA user_version` counts those applied.
pub(crate) fn migrate(connection: &Connection, migrations: &[&str]) -> rusqlite::Result<()> {
    let applied: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (number, sql) in migrations.iter().enumerate().skip(applied.max(0) as usize) {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Locks a shared connection. A panic while holding the lock cannot leave SQLite
/// inconsistent (transactions roll back on drop), so a poisoned lock is still usable.
pub(crate) fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
