//! The hostile leak (`trove synth --hostile`) ingested by the binary: no crash, nothing
//! written outside the store or read from outside the leak, and each file whose outcome is
//! certain recorded as a failure with its reason.

mod common;

use std::path::Path;

use common::trove;

#[test]
fn hostile_files_are_recorded_failures_never_crashes_or_escapes() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("hostile");
    common::synth(&out, &["--hostile", "--seed", "5"]);
    let files: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.join("hostile.json")).unwrap()).unwrap();

    let store = work.path().join("store");
    let ingested = trove(&store, &["ingest", out.join("leak").to_str().unwrap()]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&ingested.stdout),
        String::from_utf8_lossy(&ingested.stderr)
    );
    assert_eq!(
        ingested.status.code(),
        Some(2),
        "failures are recorded: {said}"
    );
    assert!(!said.contains("panicked"), "{said}");

    let catalog = rusqlite::Connection::open(store.join("trove.sqlite")).unwrap();
    let failures: Vec<(String, String, String)> = catalog
        .prepare("SELECT path, reason, message FROM failures")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (path, _, message) in &failures {
        assert!(!message.contains("crashed"), "{path}: {message}");
    }
    for file in &files {
        let path = file["path"].as_str().unwrap();
        let Some(reason) = file["expect"].as_str() else {
            continue;
        };
        assert!(
            failures
                .iter()
                .any(|(p, r, _)| p.starts_with(path) && r == reason),
            "{path} ({}): no `{reason}` failure among {failures:#?}",
            file["what"]
        );
    }

    // Nothing from outside the leak was read: no text holds /etc/passwd's first line.
    let outside: i64 = catalog
        .query_row(
            "SELECT count(*) FROM parts WHERE instr(text, ?1) > 0",
            [trove_synth::OUTSIDE_MARKER],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(outside, 0, "text from outside the leak was ingested");
    // Nothing was written outside the store by a member's name.
    for escaped in [
        Path::new("/tmp/evil-absolute.txt").to_path_buf(),
        Path::new("/tmp/evil-deep.txt").to_path_buf(),
        out.join("evil-parent.txt"),
        work.path().join("evil-parent.txt"),
        out.join("evil-tar.txt"),
    ] {
        assert!(!escaped.exists(), "{} was written", escaped.display());
    }
    // The honest large files were read.
    let read: i64 = catalog
        .query_row(
            "SELECT count(*) FROM occurrences WHERE path IN ('large/long-sheet.csv', 'large/many-pages.pdf', 'large/crowded.zip')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(read, 3);
}
