//! `kill -9` at twenty points spread over an ingest of a demo leak (its walk, extraction,
//! records and OCR stages alike), each followed by a resume: the catalog and the answers
//! to a fixed set of searches are those of an uninterrupted ingest, twenty times of twenty.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{catalog_dump, trove};

/// Where the kills fall: evenly over the uninterrupted ingest's duration.
const KILL_POINTS: u32 = 20;
/// Searches whose answers must not change.
const QUERIES: [&str; 5] = ["教育", "名单", "type:xlsx", "camera:Canon", "稳定*"];

/// The parts each query finds (document, part), sorted: what a search answers. Scores are
/// left out, as the index's term statistics count the entries a killed run wrote before
/// its resume replaced them until segments merge.
fn answers(store: &Path) -> Vec<Vec<String>> {
    QUERIES
        .iter()
        .map(|query| {
            let output = trove(store, &["search", query, "--json"]);
            let mut found: Vec<String> = String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(|line| {
                    let hit: serde_json::Value = serde_json::from_str(line).unwrap();
                    format!("{} {} {}", hit["blob"], hit["part_kind"], hit["part_index"])
                })
                .collect();
            found.sort();
            found
        })
        .collect()
}

#[test]
fn twenty_kills_spread_over_an_ingest_each_resume_to_the_same_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    common::synth(&demo, &["--people", "120", "--seed", "21"]);
    let leak = demo.join("leak");
    let leak = leak.to_str().unwrap();

    let reference = dir.path().join("reference");
    let started = Instant::now();
    trove(&reference, &["ingest", leak]);
    let whole = started.elapsed();
    let (expected_catalog, expected_answers) = (catalog_dump(&reference), answers(&reference));

    for point in 1..=KILL_POINTS {
        let store = dir.path().join(format!("killed-{point}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_trove"))
            .arg("--store")
            .arg(&store)
            .args(["ingest", leak])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * point / (KILL_POINTS + 1));
        // SIGKILL: no handler runs, nothing is flushed.
        let _ = child.kill();
        child.wait().unwrap();
        let resumed = trove(&store, &["ingest", leak]);
        assert!(
            matches!(resumed.status.code(), Some(0 | 2)),
            "resume after the kill at point {point}: {}",
            String::from_utf8_lossy(&resumed.stderr)
        );
        assert!(
            catalog_dump(&store) == expected_catalog,
            "the catalog after the kill at point {point} of {KILL_POINTS} ({:?} in) differs",
            whole * point / (KILL_POINTS + 1)
        );
        assert_eq!(
            answers(&store),
            expected_answers,
            "searches after the kill at point {point}"
        );
        std::fs::remove_dir_all(&store).unwrap();
    }
    // Don't let a broken clock make this vacuous: the ingest took some time to interrupt.
    assert!(whole > Duration::from_millis(200), "{whole:?}");
}
