//! `trove user`, `trove case` and `trove verify --server` end to end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

use common::trove_on_server as trove;

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A server folder in `dir` with one case, `demo`, over an empty store: (server, store).
fn server_with_demo_case(dir: &Path) -> (PathBuf, PathBuf) {
    let server = dir.join("server");
    let store = dir.join("store");
    trove_store::Store::open(&store).unwrap();
    succeeded(&trove(
        &server,
        &[
            "case",
            "add",
            "demo",
            "--case-store",
            store.to_str().unwrap(),
        ],
    ));
    (server, store)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

#[test]
fn users_and_cases_are_added_listed_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let server = dir.path().join("server");
    let store = dir.path().join("store");
    trove_store::Store::open(&store).unwrap();
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, "a long enough password\n").unwrap();
    let password_file = password_file.to_str().unwrap();

    let no_case = trove(
        &server,
        &[
            "user",
            "add",
            "vera",
            "--role",
            "viewer",
            "--password-file",
            password_file,
        ],
    );
    assert_eq!(no_case.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_case.stderr).contains("needs a case"));

    succeeded(&trove(
        &server,
        &[
            "case",
            "add",
            "demo",
            "--case-store",
            store.to_str().unwrap(),
        ],
    ));
    succeeded(&trove(
        &server,
        &[
            "user",
            "add",
            "root",
            "--role",
            "admin",
            "--password-file",
            password_file,
        ],
    ));
    succeeded(&trove(
        &server,
        &[
            "user",
            "add",
            "vera",
            "--role",
            "viewer",
            "--case",
            "demo",
            "--password-file",
            password_file,
        ],
    ));

    let users = json_lines(&succeeded(&trove(&server, &["user", "list", "--json"])));
    assert_eq!(users.len(), 2);
    assert_eq!(
        (users[0]["name"].as_str(), users[0]["is_admin"].as_bool()),
        (Some("root"), Some(true))
    );
    assert_eq!(users[1]["name"], "vera");
    assert_eq!(
        users[1]["cases"],
        serde_json::json!([{"case": "demo", "role": "viewer"}])
    );
    let cases = json_lines(&succeeded(&trove(&server, &["case", "list", "--json"])));
    assert_eq!(cases[0]["name"], "demo");

    let token = succeeded(&trove(
        &server,
        &["user", "token", "vera", "--label", "script"],
    ));
    assert_eq!(token.trim().len(), 64);
    succeeded(&trove(&server, &["user", "disable", "vera"]));
    let users = json_lines(&succeeded(&trove(&server, &["user", "list", "--json"])));
    assert_eq!(users[1]["disabled"], true);

    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_trove"))
            .args(["verify", "--store"])
            .arg(&store)
            .arg("--server")
            .arg(&server)
            .output()
            .unwrap()
    };
    assert!(succeeded(&verify()).contains("audit trail: 5 events, chain intact"));

    // Someone with the file rewrites who added vera.
    let access = rusqlite::Connection::open(server.join("access.sqlite")).unwrap();
    access
        .execute_batch(
            "DROP TRIGGER audit_events_no_update;
             UPDATE audit_events SET detail = 'nothing happened' WHERE seq = 3;",
        )
        .unwrap();
    let broken = verify();
    assert_eq!(broken.status.code(), Some(2));
    let report = String::from_utf8_lossy(&broken.stdout);
    assert!(
        report.contains("chain broken at event 3 (altered)"),
        "{report}"
    );
}

#[test]
fn a_case_needs_an_existing_store() {
    let dir = tempfile::tempdir().unwrap();
    let output = trove(
        &dir.path().join("server"),
        &[
            "case",
            "add",
            "demo",
            "--case-store",
            dir.path().join("nothing").to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("holds no trove store"));
}

/// A checkpoint sent to a partner proves the trail later: it holds while the trail only
/// grows, and names the cut when the newest events are deleted (which the chain alone
/// cannot see).
#[test]
fn a_signed_checkpoint_catches_a_trail_cut_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let (server, store) = server_with_demo_case(dir.path());
    let checkpoint = dir.path().join("checkpoint.json");
    let made = succeeded(&trove(
        &server,
        &["audit", "checkpoint", "--out", checkpoint.to_str().unwrap()],
    ));
    let json: Value = serde_json::from_str(&made).unwrap();
    assert_eq!(json["seq"], 1, "the case's event");
    assert_eq!(json["signature"].as_str().unwrap().len(), 128);
    let key = std::fs::read_to_string(server.join("audit-signing.key")).unwrap();
    assert!(
        !made.contains(key.trim()),
        "the private key never leaves the folder"
    );

    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_trove"))
            .args(["verify", "--store"])
            .arg(&store)
            .arg("--server")
            .arg(&server)
            .arg("--checkpoint")
            .arg(&checkpoint)
            .output()
            .unwrap()
    };
    let holds = succeeded(&verify());
    assert!(holds.contains("holds: events 1 to 1"), "{holds}");

    let access = rusqlite::Connection::open(server.join("access.sqlite")).unwrap();
    access
        .execute_batch(
            "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq >= 1;",
        )
        .unwrap();
    let cut = verify();
    assert_eq!(cut.status.code(), Some(2));
    let report = String::from_utf8_lossy(&cut.stdout);
    assert!(report.contains("chain intact"), "{report}");
    assert!(report.contains("event 1 is gone"), "{report}");
}

#[test]
fn the_audit_trail_is_listed_and_counted_by_action_and_the_listing_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = server_with_demo_case(dir.path());
    let count = |action: &str| {
        succeeded(&trove(
            &server,
            &["audit", "list", "--count", "--action", action],
        ))
        .trim()
        .to_owned()
    };
    assert_eq!(count("case_added"), "1");
    assert_eq!(count("audit_viewed"), "1", "the first count was recorded");
    let listed = json_lines(&succeeded(&trove(
        &server,
        &["audit", "list", "--json", "--action", "case_added"],
    )));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["case"], "demo");
    let wrong = trove(&server, &["audit", "list", "--action", "drop_table"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("is not an audit action"));
}
