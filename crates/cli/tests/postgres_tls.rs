//! Server mode over TLS: with `sslmode=require` the connection to PostgreSQL is encrypted
//! and the server's certificate checked (against the system's authorities and the one
//! `TROVE_PG_CA` names); a server whose certificate nobody vouches for is refused, not
//! talked to in clear. Runs against the throwaway cluster of `scripts/test.sh`, which
//! accepts TLS with a certificate from an authority of its own (`TROVE_TEST_PG_CA`).

use std::process::{Command, Output};

use trove_store::testing::TestSchema;

fn status(url: &str, ca: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trove"));
    command
        .args(["status", "--json", "--database", url])
        .env_remove("TROVE_DATABASE_URL")
        .env_remove("TROVE_PG_CA");
    if let Some(ca) = ca {
        command.env("TROVE_PG_CA", ca);
    }
    command.output().expect("trove runs")
}

#[test]
fn require_encrypts_and_checks_the_servers_certificate() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let Ok(ca) = std::env::var("TROVE_TEST_PG_CA") else {
        eprintln!(
            "note: TROVE_TEST_PG_CA is not set: the TLS test skips (scripts/test.sh sets it)"
        );
        return;
    };
    let url = format!("{}&sslmode=require", schema.url());

    let trusted = status(&url, Some(&ca));
    assert!(
        trusted.status.success(),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );

    let unknown = status(&url, None);
    assert!(
        !unknown.status.success(),
        "an unvouched-for server is refused"
    );
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(said.contains("certificate"), "{said}");

    let wrong = status(&url, Some("/nonexistent/ca.pem"));
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("TROVE_PG_CA"), "{said}");

    // An authority named is enough to ask for TLS; libpq's checking modes read as require.
    let verify_full = format!("{}&sslmode=verify-full", schema.url());
    let checked = status(&verify_full, Some(&ca));
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let named_only = status(&schema.url(), Some(&ca));
    assert!(
        named_only.status.success(),
        "{}",
        String::from_utf8_lossy(&named_only.stderr)
    );
    let not_pem = std::env::temp_dir().join(format!("trove-not-pem-{}", std::process::id()));
    std::fs::write(&not_pem, b"not a certificate").unwrap();
    let refused = status(&schema.url(), Some(not_pem.to_str().unwrap()));
    let _ = std::fs::remove_file(&not_pem);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("holds no PEM certificate"));
}
