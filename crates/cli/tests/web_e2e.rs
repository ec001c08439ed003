//! The web workbench end to end, in Debian's Chromium driven by playwright-core
//! (scripts/e2e/workbench.mjs): log in, search 教育 and open a hit, open a person and see
//! the mugshot, accept a candidate match, see the chart. The browser and playwright-core
//! are installed by scripts/e2e/install.sh (which scripts/test.sh runs first); the
//! screenshots are kept in the target folder's `e2e-screenshots/`.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{browser_tools, repo_root};

fn trove(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(args)
        .output()
        .expect("the trove binary runs");
    assert!(
        output.status.success(),
        "trove {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A server that is stopped when dropped, even when the test fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

fn wait_for(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start listening on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_journalist_searches_opens_a_person_reviews_a_match_and_sees_the_chart() {
    if std::env::var_os("TROVE_SKIP_BROWSER_TESTS").is_some() {
        eprintln!("skipped: TROVE_SKIP_BROWSER_TESTS is set");
        return;
    }
    let tools = browser_tools();
    let work = tempfile::tempdir().unwrap();
    let (demo, store, server) = (
        work.path().join("demo"),
        work.path().join("store"),
        work.path().join("server"),
    );
    let (demo_s, store_s, server_s) = (
        demo.to_str().unwrap(),
        store.to_str().unwrap(),
        server.to_str().unwrap(),
    );
    trove(&["synth", "--out", demo_s, "--people", "150", "--seed", "7"]);
    let leak = demo.join("leak");
    // Ingest exits 2 for the demo's planted broken files; that is expected here.
    let status = Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(["ingest", leak.to_str().unwrap(), "--store", store_s])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.code() == Some(0) || status.code() == Some(2));
    let relatives = demo.join("relatives.csv");
    trove(&[
        "lists",
        "import",
        relatives.to_str().unwrap(),
        "--name",
        "relatives",
        "--store",
        store_s,
    ]);
    trove(&["xref", "--list", "relatives", "--quiet", "--store", store_s]);
    trove(&[
        "case",
        "add",
        "demo",
        "--case-store",
        store_s,
        "--server",
        server_s,
    ]);
    let password_file = work.path().join("password");
    std::fs::write(&password_file, "a long e2e password\n").unwrap();
    trove(&[
        "user",
        "add",
        "e2e",
        "--role",
        "admin",
        "--password-file",
        password_file.to_str().unwrap(),
        "--server",
        server_s,
    ]);

    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo.join("ground-truth.json")).unwrap()).unwrap();
    let person = truth["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["photo"].is_string())
        .and_then(|p| p["id_number"].as_str())
        .expect("the demo has a person with a mugshot")
        .to_owned();

    let port = free_port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_trove"))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--server",
                server_s,
            ])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(port);

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-screenshots");
    // Screenshots of an earlier run would mislead whoever reads this one's.
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let output = Command::new("node")
        .arg(repo_root().join("scripts/e2e/workbench.mjs"))
        .env("NODE_PATH", tools.join("node_modules"))
        .env("TROVE_URL", format!("http://127.0.0.1:{port}"))
        .env("TROVE_USER", "e2e")
        .env("TROVE_PASSWORD", "a long e2e password")
        .env("TROVE_CASE", "demo")
        .env("TROVE_PERSON", &person)
        .env("TROVE_LIST", "relatives")
        .env("TROVE_SHOTS", &shots)
        .output()
        .expect("node runs (Debian's nodejs)");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the browser test failed (screenshots in {}):\n{log}",
        shots.display()
    );
    assert!(
        log.contains("ok   accessibility"),
        "the accessibility check did not run:\n{log}"
    );
    for step in [
        "01-login",
        "02-search",
        "03-document",
        "04-sheet",
        "05-person",
        "06-photos",
        "07-review-by-keyboard",
        "08-review",
        "09-stats",
    ] {
        assert!(
            shots.join(format!("{step}.png")).is_file(),
            "no screenshot of {step}"
        );
    }
}
