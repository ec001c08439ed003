//! Server mode with the originals in a bucket (a real S3 server, s3s-fs over a folder,
//! started by `scripts/test.sh`): two `trove worker` processes, each with a cache folder
//! of its own as on two machines, ingest the demo leak; OCR on a third machine, whose
//! cache starts empty, reads the scans from the bucket; `trove verify` hashes the bucket's
//! copies and names one changed there. Skips without `TROVE_TEST_DATABASE_URL` and
//! `TROVE_TEST_S3_ENDPOINT`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use trove_store::testing::{TestBucket, TestSchema};

/// `trove ARGS…` with the bucket's settings in its environment, as on a worker machine.
fn trove_with(bucket: &TestBucket, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(args)
        .envs(bucket.env())
        .env_remove("TROVE_DATABASE_URL")
        .output()
        .expect("trove runs")
}

fn files_in(folder: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .collect()
}

#[test]
fn workers_keep_originals_in_a_bucket_that_other_machines_read_and_verify() {
    let (Some(schema), Some(bucket)) = (TestSchema::create(), TestBucket::create()) else {
        return;
    };
    let url = schema.url();
    let originals = bucket.url();
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    common::synth(&demo, &["--people", "200", "--seed", "7"]);
    let leak = demo.join("leak");
    let cache = |machine: &str| dir.path().join(machine).to_str().unwrap().to_owned();

    let queued = trove_with(
        &bucket,
        &[
            "ingest",
            leak.to_str().unwrap(),
            "--database",
            &url,
            "--blobs",
            &cache("queue"),
        ],
    );
    assert!(queued.status.success(), "{queued:?}");
    let workers: Vec<_> = ["w1", "w2"]
        .iter()
        .map(|name| {
            Command::new(env!("CARGO_BIN_EXE_trove"))
                .args(["worker", "--database", &url, "--blobs", &cache(name)])
                .args([
                    "--originals",
                    &originals,
                    "--workers",
                    "1",
                    "--exit-when-idle",
                ])
                .args(["--name", name])
                .envs(bucket.env())
                .output()
        })
        .collect();
    for worker in workers {
        let worker = worker.unwrap();
        assert!(
            worker.status.success(),
            "{}",
            String::from_utf8_lossy(&worker.stderr)
        );
    }
    let names = |paths: Vec<std::path::PathBuf>| -> std::collections::BTreeSet<String> {
        paths
            .iter()
            .filter(|path| !path.to_string_lossy().contains("/staging/"))
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    let in_bucket = names(files_in(&bucket.folder()));
    let kept: std::collections::BTreeSet<String> = ["w1", "w2"]
        .iter()
        .flat_map(|name| names(files_in(Path::new(&cache(name)))))
        .collect();
    assert!(kept.len() > 50, "the workers kept the leak's originals");
    assert_eq!(
        in_bucket, kept,
        "every original a worker kept is in the bucket"
    );

    // A third machine, its cache empty: OCR fetches the scans it reads.
    let ocr = trove_with(
        &bucket,
        &[
            "ocr",
            "--database",
            &url,
            "--blobs",
            &cache("ocr"),
            "--originals",
            &originals,
        ],
    );
    assert!(
        ocr.status.success(),
        "{}",
        String::from_utf8_lossy(&ocr.stderr)
    );
    let fetched = files_in(Path::new(&cache("ocr")))
        .iter()
        .filter(|path| !path.to_string_lossy().contains("/staging/"))
        .count();
    assert!(
        fetched > 0,
        "the scans were fetched into the OCR machine's cache"
    );

    let verify = || {
        trove_with(
            &bucket,
            &[
                "verify",
                "--database",
                &url,
                "--blobs",
                &cache("auditor"),
                "--originals",
                &originals,
            ],
        )
    };
    let clean = verify();
    assert!(
        clean.status.success(),
        "{}{}",
        String::from_utf8_lossy(&clean.stdout),
        String::from_utf8_lossy(&clean.stderr)
    );

    // One original changed in the bucket, behind trove's back: named.
    let objects = files_in(&bucket.folder());
    let victim = objects.first().unwrap();
    std::fs::write(victim, b"altered in the bucket").unwrap();
    let caught = verify();
    assert!(!caught.status.success());
    let said = String::from_utf8_lossy(&caught.stdout);
    let name = victim.file_name().unwrap().to_string_lossy();
    assert!(said.contains(name.as_ref()), "{said}");
}

#[test]
fn migrate_moves_a_cases_originals_into_the_bucket() {
    let (Some(schema), Some(bucket)) = (TestSchema::create(), TestBucket::create()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    common::synth(&demo, &["--people", "60", "--seed", "3"]);
    let store = dir.path().join("store");
    let ingested = common::trove(
        &store,
        &[
            "ingest",
            demo.join("leak").to_str().unwrap(),
            "--ocr",
            "never",
        ],
    );
    assert!(ingested.status.code().is_some_and(|c| c == 0 || c == 2));
    let store_arg = store.to_str().unwrap();
    let moved = trove_with(
        &bucket,
        &[
            "migrate",
            "--store",
            store_arg,
            "--to",
            &schema.url(),
            "--originals",
            &bucket.url(),
        ],
    );
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(
        moved.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    assert!(said.contains("sent now"), "{said}");
    let local = files_in(&store.join("blobs"))
        .into_iter()
        .filter(|path| !path.to_string_lossy().contains("/staging/"))
        .count();
    assert_eq!(
        files_in(&bucket.folder()).len(),
        local,
        "every original went"
    );

    let empty_cache = dir.path().join("auditor");
    let verified = trove_with(
        &bucket,
        &[
            "verify",
            "--database",
            &schema.url(),
            "--blobs",
            empty_cache.to_str().unwrap(),
            "--originals",
            &bucket.url(),
        ],
    );
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}
