//! What the binary's end-to-end tests share.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `trove --store STORE ARGS…` and waits for it.
pub fn trove(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("trove runs")
}

/// The catalog, in an order that does not depend on timing: what was found, extracted,
/// failed and recorded; what a resumed ingest must reproduce.
pub fn catalog_dump(store: &Path) -> Vec<String> {
    let connection = rusqlite::Connection::open(store.join("trove.sqlite")).unwrap();
    let mut lines = Vec::new();
    for sql in [
        "SELECT id || kind || status || metadata || indexed FROM blobs ORDER BY id",
        "SELECT blob || path || coalesce(parent, '') || coalesce(member_time, '')
         FROM occurrences ORDER BY path, blob",
        "SELECT blob || seq || kind || text FROM parts ORDER BY blob, seq",
        "SELECT path || stage || reason FROM failures ORDER BY path, stage",
        "SELECT path || done FROM sources ORDER BY path",
        "SELECT blob || part || row || col || person || data FROM records
         ORDER BY blob, part, row, col",
        "SELECT blob || id_number || via FROM photo_links ORDER BY blob, id_number, via",
    ] {
        let mut statement = connection.prepare(sql).unwrap();
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap();
        lines.extend(rows.map(Result::unwrap));
    }
    lines
}
