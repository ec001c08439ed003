//! Custody and authenticity end to end: a hashdeep audit of the ingested folder against
//! trove's manifest passes, and fails once an original changes; the CSV and DFXML
//! manifests list archive members too; `trove verify` names every tampering with the blob
//! folder and prints a store digest that two stores of the same originals share; the
//! authenticity report is computed from that digest, the same twice over.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::trove;

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A small demo leak of its own (the tests change its files) and a store of it.
fn ingested(dir: &Path) -> (PathBuf, PathBuf) {
    common::synth(&dir.join("demo"), &["--people", "40", "--seed", "5"]);
    let leak = dir.join("demo").join("leak");
    let store = dir.join("store");
    let ingest = trove(
        &store,
        &["ingest", leak.to_str().unwrap(), "--ocr", "never"],
    );
    assert!(
        ingest.status.code().is_some_and(|c| c <= 2),
        "{}",
        text(&ingest)
    );
    (leak, store)
}

fn store_digest(output: &Output) -> String {
    let out = text(output);
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("store digest "))
        .unwrap_or_else(|| panic!("a digest line in {out}"));
    line.split_whitespace().next().unwrap().to_owned()
}

#[test]
fn hashdeep_audits_the_folder_against_the_manifest() {
    if Command::new("hashdeep").arg("-V").output().is_err() {
        eprintln!("skipping: hashdeep is not installed (scripts/test.sh installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (leak, store) = ingested(dir.path());
    let manifest = dir.path().join("manifest.txt");
    let export = trove(
        &store,
        &[
            "custody",
            "export",
            "--format",
            "hashdeep",
            "--out",
            manifest.to_str().unwrap(),
        ],
    );
    assert!(export.status.success(), "{}", text(&export));
    let audit = |label: &str| {
        let output = Command::new("hashdeep")
            .arg("-a")
            .arg("-k")
            .arg(&manifest)
            .arg("-r")
            .arg(&leak)
            .output()
            .unwrap();
        let said = text(&output);
        eprintln!("{label}: {said}");
        said
    };
    assert!(audit("as ingested").contains("Audit passed"));

    let sheet = walk_files(&leak)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .expect("a workbook in the demo leak");
    let mut bytes = std::fs::read(&sheet).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&sheet, bytes).unwrap();
    assert!(audit("one original changed").contains("Audit failed"));
}

#[test]
fn csv_and_dfxml_manifests_list_archive_members_with_their_parents() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ingested(dir.path());
    let csv = trove(&store, &["custody", "export", "--format", "csv"]);
    assert!(csv.status.success(), "{}", text(&csv));
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("path,root,parent_blake3,size,sha256,blake3,first_seen\n"));
    let member = csv
        .lines()
        .find(|l| l.contains("!/"))
        .expect("a member of an archive");
    let parent = member.split(',').nth(2).unwrap();
    assert_eq!(parent.len(), 64, "its archive's BLAKE3: {member}");

    let dfxml = trove(&store, &["custody", "export", "--format", "dfxml"]);
    let dfxml = String::from_utf8(dfxml.stdout).unwrap();
    assert_eq!(
        dfxml.matches("<fileobject>").count(),
        csv.lines().count() - 1,
        "one object per path"
    );
    assert!(dfxml.contains("<parent_object>"));
}

#[test]
fn verify_names_every_tampering_with_the_blob_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (leak, store) = ingested(dir.path());
    let clean = trove(&store, &["verify"]);
    assert!(clean.status.success(), "{}", text(&clean));
    let digest = store_digest(&clean);

    // A second store of the same originals has the same digest.
    let other = dir.path().join("other");
    trove(
        &other,
        &["ingest", leak.to_str().unwrap(), "--ocr", "never"],
    );
    assert_eq!(store_digest(&trove(&other, &["verify"])), digest);

    let mut blobs = walk_files(&store.join("blobs"));
    blobs.retain(|p| !p.starts_with(store.join("blobs").join("staging")));
    let (flipped, deleted) = (&blobs[0], &blobs[1]);
    std::fs::set_permissions(flipped, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut bytes = std::fs::read(flipped).unwrap();
    bytes[0] ^= 0xFF;
    std::fs::write(flipped, bytes).unwrap();
    std::fs::remove_file(deleted).unwrap();
    let stray = store.join("blobs").join("ab").join("not-a-blob.txt");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, "planted").unwrap();

    let tampered = trove(&store, &["verify"]);
    let said = text(&tampered);
    assert_eq!(tampered.status.code(), Some(2), "{said}");
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        said.contains(&format!("changed: {}", name(flipped))),
        "{said}"
    );
    assert!(
        said.contains(&format!("missing: {}", name(deleted))),
        "{said}"
    );
    assert!(
        said.contains("stray: ") && said.contains("not-a-blob.txt"),
        "{said}"
    );
    assert_eq!(
        store_digest(&tampered),
        digest,
        "the digest is of what the catalog recorded, to compare with partners"
    );
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_authenticity_report_names_its_store_and_reads_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ingested(dir.path());
    let run = || trove(&store, &["authenticity", "--until", "2019-12-31", "--json"]);
    let first = run();
    assert!(first.status.success(), "{}", text(&first));
    assert_eq!(
        first.stdout,
        run().stdout,
        "the same store gives the same report"
    );
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let digest = store_digest(&trove(&store, &["verify"]));
    assert_eq!(report["store_digest"], digest.as_str());
    let findings = report["findings"].as_array().unwrap();
    let sections: Vec<&str> = findings
        .iter()
        .map(|f| f["section"].as_str().unwrap())
        .collect();
    let mut sorted = sections.clone();
    sorted.sort_by_key(|s| {
        ["ids", "photos", "duplicates", "documents"]
            .iter()
            .position(|x| x == s)
    });
    assert_eq!(sections, sorted, "findings come by section");
    for code in ["camera", "same_file_many_paths", "document_generator"] {
        assert!(
            findings.iter().any(|f| f["code"] == code),
            "the demo leak gives a {code} finding"
        );
    }
    let text_report = String::from_utf8(trove(&store, &["authenticity"]).stdout).unwrap();
    assert!(
        text_report.starts_with("Authenticity report: "),
        "{text_report}"
    );
    assert!(text_report.contains("## Photos and cameras"));
}

/// A leak written by `trove synth` (with or without planted anomalies), ingested, and the
/// authenticity report on it as JSON.
fn authenticity_of(dir: &Path, clean: bool) -> (serde_json::Value, serde_json::Value) {
    let out = dir.join("leak-out");
    let mut args = vec!["--people", "120", "--seed", "9"];
    if clean {
        args.push("--no-anomalies");
    }
    common::synth(&out, &args);
    let store = dir.join("store");
    let leak = out.join("leak");
    trove(
        &store,
        &["ingest", leak.to_str().unwrap(), "--ocr", "never"],
    );
    let report = trove(&store, &["authenticity", "--until", "2019-12-31", "--json"]);
    assert!(report.status.success(), "{}", text(&report));
    let truth = std::fs::read_to_string(out.join("ground-truth.json")).unwrap();
    (
        serde_json::from_slice(&report.stdout).unwrap(),
        serde_json::from_str(&truth).unwrap(),
    )
}

#[test]
fn every_planted_anomaly_is_found_and_a_clean_leak_has_no_strong_one() {
    let dir = tempfile::tempdir().unwrap();
    let (report, truth) = authenticity_of(&dir.path().join("planted"), false);
    let findings = report["findings"].as_array().unwrap();
    let planted = truth["anomalies"].as_array().unwrap();
    assert!(planted.len() >= 6, "{planted:?}");
    for anomaly in planted {
        let code = anomaly["code"].as_str().unwrap();
        let found = findings.iter().any(|f| {
            f["code"] == code
                && f["strength"] != "fact"
                && anomaly["path"].as_str().is_none_or(|path| {
                    f["evidence"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|e| e["path"] == path)
                })
        });
        assert!(
            found,
            "planted {code} ({}) is not reported",
            anomaly["note"]
        );
    }

    let (clean, truth) = authenticity_of(&dir.path().join("clean"), true);
    assert!(truth["anomalies"].as_array().unwrap().is_empty());
    let strong: Vec<&serde_json::Value> = clean["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["strength"] == "strong")
        .collect();
    assert!(
        strong.is_empty(),
        "a clean leak has no strong anomaly: {strong:#?}"
    );
    eprintln!(
        "clean leak: {} anomalies to check (false positives of the weaker kind)",
        clean["summary"]["anomalies"]
    );
}
