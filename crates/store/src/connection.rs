//! What every trove SQLite database shares about its connection: opening it with its
//! pragmas and migrations, the lock around it, and turning result rows into values.
//!
//! The helpers return plain `rusqlite` errors (or the caller's own error type), so each
//! database can say in its own error which file failed.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, Params, Row, Statement};

/// Opens or creates the SQLite file at `path`, runs `pragmas` (SQL, several statements
/// allowed) and applies the `migrations` it has not had yet.
pub fn open_sqlite(
    path: &Path,
    pragmas: &str,
    migrations: &[&str],
) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.execute_batch(pragmas)?;
    migrate(&connection, migrations)?;
    Ok(connection)
}

/// Applies the migrations a database has not had yet, each in its own transaction;
/// `PRAGMA user_version` counts those applied.
fn migrate(connection: &Connection, migrations: &[&str]) -> rusqlite::Result<()> {
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
pub fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `statement` with `params` and decodes every row with `decode`, stopping at the
/// first error: one line for each query that returns rows. `decode` may fail with the
/// caller's error type (a value the database holds but cannot be read, say).
pub fn collect_rows<C, T, E>(
    statement: &mut Statement<'_>,
    params: impl Params,
    mut decode: impl FnMut(&Row<'_>) -> Result<T, E>,
) -> Result<C, E>
where
    C: FromIterator<T>,
    E: From<rusqlite::Error>,
{
    let mut rows = statement.query(params)?;
    std::iter::from_fn(|| match rows.next() {
        Ok(Some(row)) => Some(decode(row)),
        Ok(None) => None,
        Err(error) => Some(Err(error.into())),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATIONS: &[&str] = &["CREATE TABLE t (n INTEGER NOT NULL)"];

    #[test]
    fn opening_twice_migrates_once_and_rows_decode_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite");
        open_sqlite(&path, "PRAGMA foreign_keys = ON;", MIGRATIONS).unwrap();
        let connection = open_sqlite(&path, "", MIGRATIONS).unwrap();
        connection
            .execute_batch("INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let mut statement = connection.prepare("SELECT n FROM t ORDER BY n").unwrap();
        let numbers: Vec<i64> =
            collect_rows(&mut statement, [], |row| row.get::<_, i64>(0)).unwrap();
        assert_eq!(numbers, [1, 2, 3]);
    }
}
