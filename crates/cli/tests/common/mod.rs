//! What the binary's end-to-end tests share.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `trove ARGS… --server SERVER` (the user, case and audit commands) and waits for it.
pub fn trove_on_server(server: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(args)
        .arg("--server")
        .arg(server)
        .env_remove("TROVE_SERVER")
        .output()
        .expect("trove runs")
}

/// Runs `trove --store STORE ARGS…` and waits for it.
pub fn trove(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("trove runs")
}

/// Runs `trove synth ARGS… --out OUT` and fails the test, with trove's message, unless it
/// wrote the leak.
pub fn synth(out: &Path, args: &[&str]) {
    let made = Command::new(env!("CARGO_BIN_EXE_trove"))
        .arg("synth")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("trove runs");
    assert!(
        made.status.success(),
        "trove synth failed: {}",
        String::from_utf8_lossy(&made.stderr)
    );
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
        // The schema too: a records build killed while it had put its indexes off must
        // leave them made again once resumed.
        "SELECT type || name || coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
    ] {
        let mut statement = connection.prepare(sql).unwrap();
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap();
        lines.extend(rows.map(Result::unwrap));
    }
    lines
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The folder holding playwright-core's node_modules, installing it (and Chromium) if
/// needed.
pub fn browser_tools() -> PathBuf {
    let output = Command::new(repo_root().join("scripts/e2e/install.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("scripts/e2e/install.sh runs");
    assert!(
        output.status.success(),
        "scripts/e2e/install.sh could not install Chromium and playwright-core; run it by hand to see why"
    );
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}
