//! Server mode end to end, with processes: the demo leak queued, three `trove worker`
//! processes on it, one killed with SIGKILL while it holds a file; the survivors finish,
//! the shared PostgreSQL catalog equals a single-process SQLite ingest of the same leak
//! (canonical dump), and `trove verify` finds every original intact.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::trove;
use trove_store::testing::TestSchema;
use trove_store::{JobQueue, PgCatalog, SqliteCatalog, canonical_lines};

fn start_worker(url: &str, blobs: &Path, name: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(["worker", "--database", url, "--blobs"])
        .arg(blobs)
        .args(["--workers", "1", "--lease-seconds", "3", "--exit-when-idle"])
        .args(["--name", name, "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("trove worker starts")
}

/// The job `worker` holds now, if any.
fn held_by(client: &mut postgres::Client, worker: &str) -> Option<i64> {
    client
        .query_opt(
            "SELECT id FROM jobs WHERE worker = $1 AND state = 'running' LIMIT 1",
            &[&worker],
        )
        .unwrap()
        .map(|row| row.get(0))
}

#[test]
fn three_workers_one_killed_make_the_catalog_one_process_makes() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let url = schema.url();
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    common::synth(&demo, &["--people", "600", "--seed", "15"]);
    let leak = demo.join("leak");
    let leak = leak.to_str().unwrap();

    let reference = dir.path().join("reference");
    let local = trove(&reference, &["ingest", leak, "--ocr", "never"]);
    assert!(
        local.status.code().is_some_and(|c| c == 0 || c == 2),
        "{local:?}"
    );

    let blobs = dir.path().join("shared-originals");
    let queued = trove(
        &reference,
        &[
            "ingest",
            leak,
            "--database",
            &url,
            "--blobs",
            blobs.to_str().unwrap(),
        ],
    );
    assert!(queued.status.success(), "{queued:?}");

    let catalog = PgCatalog::connect(&schema.config()).unwrap();
    let mut client = schema.config().connect(postgres::NoTls).unwrap();
    let mut workers: Vec<Child> = ["w1", "w2", "w3"]
        .iter()
        .map(|name| start_worker(&url, &blobs, name))
        .collect();

    // Kill w1 once the work is under way and while it holds a file. The file it held is
    // read after the kill: one it finished just before the signal landed is no evidence
    // (a busy machine let that happen), and a fresh w1 is started to try again.
    let deadline = Instant::now() + Duration::from_secs(120);
    let killed_job = loop {
        assert!(Instant::now() < deadline, "the workers never got going");
        if catalog.job_counts().unwrap().done >= 10 && held_by(&mut client, "w1").is_some() {
            workers[0].kill().unwrap();
            workers[0].wait().unwrap();
            if let Some(job) = held_by(&mut client, "w1") {
                break job;
            }
            workers[0] = start_worker(&url, &blobs, "w1");
        }
        std::thread::sleep(Duration::from_millis(10));
    };

    for survivor in workers.drain(1..) {
        let output = survivor.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "a surviving worker failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let counts = catalog.job_counts().unwrap();
    assert_eq!((counts.open(), counts.failed), (0, 0), "{counts:?}");
    let attempts: i32 = client
        .query_one("SELECT attempts FROM jobs WHERE id = $1", &[&killed_job])
        .unwrap()
        .get(0);
    assert!(
        attempts >= 2,
        "the killed worker's file was taken over ({attempts} attempts)"
    );

    let expected =
        canonical_lines(&SqliteCatalog::open(reference.join("trove.sqlite")).unwrap()).unwrap();
    let got = canonical_lines(&catalog).unwrap();
    if got != expected {
        let first_difference = got.iter().zip(&expected).find(|(g, e)| g != e);
        panic!(
            "the workers' catalog differs from a single SQLite ingest's ({} lines against {}); first difference: {first_difference:#?}",
            got.len(),
            expected.len()
        );
    }

    let verified = trove(
        &reference,
        &[
            "verify",
            "--database",
            &url,
            "--blobs",
            blobs.to_str().unwrap(),
        ],
    );
    assert!(
        verified.status.success(),
        "trove verify: {}",
        String::from_utf8_lossy(&verified.stdout)
    );

    // The day's work goes on against the shared catalog, as against a store.
    let relatives = demo.join("relatives.csv");
    let relatives = relatives.to_str().unwrap();
    for args in [
        vec!["records", "--build", "--database", &url],
        vec![
            "lists",
            "import",
            relatives,
            "--name",
            "relatives",
            "--database",
            &url,
        ],
        vec!["xref", "--list", "relatives", "--quiet", "--database", &url],
        vec!["stats", "--database", &url],
    ] {
        let done = trove(&reference, &args);
        assert!(
            done.status.success(),
            "trove {args:?}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
    let summary = |args: &[&str]| -> serde_json::Value {
        let output = trove(&reference, args);
        let first = String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        serde_json::from_str(&first).unwrap()
    };
    let shared = summary(&["status", "--json", "--database", &url]);
    let local = summary(&["status", "--json"]);
    assert_eq!(
        shared["records"], local["records"],
        "the same person records and persons as the single ingest"
    );

    // The one indexer indexes every document once, and all of them again when asked to
    // make the index anew.
    let index_dir = dir.path().join("shared-index");
    let index_dir = index_dir.to_str().unwrap();
    let indexed = summary(&["index", "--database", &url, "--index", index_dir, "--json"]);
    let documents = indexed["indexed"].as_u64().unwrap();
    assert!(documents > 0, "{indexed}");
    let again = summary(&["index", "--database", &url, "--index", index_dir, "--json"]);
    assert_eq!(again["indexed"].as_u64(), Some(0), "nothing new");
    let rebuilt = summary(&[
        "index",
        "--database",
        &url,
        "--index",
        index_dir,
        "--rebuild",
        "--json",
    ]);
    assert_eq!(rebuilt["indexed"].as_u64(), Some(documents));

    // A slip of `--index` never deletes what is not an index.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "a source's name").unwrap();
    let refused = trove(
        &reference,
        &[
            "index",
            "--database",
            &url,
            "--index",
            dir.path().to_str().unwrap(),
            "--rebuild",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("nothing there was deleted"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "a source's name");
}

/// The server process holding a role of the test schema's catalog, once one does.
fn role_holder(client: &mut postgres::Client) -> Option<i32> {
    client
        .query_opt(
            "SELECT pid FROM pg_locks
              WHERE locktype = 'advisory' AND granted
                AND objid = hashtext(current_schema())::oid",
            &[],
        )
        .unwrap()
        .map(|row| row.get(0))
}

#[test]
fn an_indexer_whose_connection_breaks_stops_and_says_why() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(["index", "--database", &schema.url(), "--index"])
        .arg(dir.path().join("index"))
        .args(["--follow", "--poll-seconds", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("trove index starts");
    let mut client = schema.client();
    let deadline = Instant::now() + Duration::from_secs(60);
    let holder = loop {
        if let Some(pid) = role_holder(&mut client) {
            break pid;
        }
        assert!(Instant::now() < deadline, "the indexer never took its role");
        assert!(indexer.try_wait().unwrap().is_none(), "the indexer stopped");
        std::thread::sleep(Duration::from_millis(50));
    };

    // As a server restart or a network fault would: the role's connection ends, and
    // with it the role, which another indexer could take now.
    client
        .execute("SELECT pg_terminate_backend($1)", &[&holder])
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while indexer.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = indexer.kill();
            panic!("the indexer went on without its role");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = indexer.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{said}");
    assert!(said.contains("lost the `indexer` role"), "{said}");
    assert!(said.contains("run the command again"), "{said}");
}
