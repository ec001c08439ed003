//! Reading the tab-separated tables under `data/`: `#` starts a comment line, blank lines are
//! skipped, every other line has a fixed number of tab-separated columns.

use std::fmt;

/// A line of a compiled-in name table that does not have the shape the table promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table}, line {line}: {reason}")]
pub struct TableError {
    /// The file name under `data/`.
    pub table: &'static str,
    /// One-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// The data lines of `text` split into exactly `columns` fields, with their line numbers.
pub(super) fn rows(
    table: &'static str,
    text: &'static str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, TableError> {
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        if fields.len() != columns || fields.iter().any(|f| f.is_empty()) {
            return Err(TableError {
                table,
                line: index + 1,
                reason: format!("expected {columns} non-empty tab-separated columns, got {line:?}"),
            });
        }
        rows.push((index + 1, fields));
    }
    Ok(rows)
}

/// A comma-separated list of Latin values; `-` is the empty list.
pub(super) fn values(field: &'static str) -> Vec<&'static str> {
    if field == "-" {
        return Vec::new();
    }
    field
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// Panics with the table error: the tables are compiled in, and a test loads each of them.
pub(super) fn loaded<T>(result: Result<T, TableError>) -> T {
    result.unwrap_or_else(|error| panic!("{}", Bad(error)))
}

struct Bad(TableError);

impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed compiled-in name table: {}", self.0)
    }
}
