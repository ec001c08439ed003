//! For tests of this crate and the others: a PostgreSQL schema of its own on the server
//! `TROVE_TEST_DATABASE_URL` names (`scripts/test.sh` starts a throwaway one), dropped
//! with everything in it when the test ends. Without the variable, tests of server mode
//! skip, saying so once.

use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the test server.
pub const DATABASE_URL: &str = "TROVE_TEST_DATABASE_URL";

/// A schema of the test server, dropped (cascading) when this is dropped.
pub struct TestSchema {
    server: String,
    name: String,
}

impl TestSchema {
    /// A new, empty schema; `None` when no test server is named.
    ///
    /// # Panics
    /// When the server is named but cannot be reached: a test run that was promised a
    /// server must not pass without it.
    pub fn create() -> Option<TestSchema> {
        let Ok(server) = std::env::var(DATABASE_URL) else {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "note: {DATABASE_URL} is not set: the PostgreSQL tests skip \
                     (scripts/test.sh starts a throwaway server and sets it)"
                )
            });
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let name = format!(
            "test_{}_{}_{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = postgres::Client::connect(&server, postgres::NoTls).unwrap_or_else(|e| {
            panic!("cannot reach the test server {server} ({DATABASE_URL}): {e}")
        });
        client
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap_or_else(|e| panic!("cannot create schema {name} on {server}: {e}"));
        Some(TestSchema { server, name })
    }

    /// A URL that opens this schema (`trove … --database URL` in a test).
    pub fn url(&self) -> String {
        let joiner = if self.server.contains('?') { '&' } else { '?' };
        format!(
            "{}{joiner}options=-c%20search_path%3D{}",
            self.server, self.name
        )
    }

    /// A plain client on this schema, for what a test does behind the catalog's back.
    pub fn client(&self) -> postgres::Client {
        self.config()
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test server: {e}"))
    }

    /// The connection settings that open this schema.
    pub fn config(&self) -> postgres::Config {
        self.url()
            .parse()
            .unwrap_or_else(|e| panic!("{DATABASE_URL} is no PostgreSQL URL: {e}"))
    }
}

impl Drop for TestSchema {
    /// Drops the schema from a thread of its own: the client runs a runtime of its own,
    /// which cannot start on a thread of an async test.
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            if let Ok(mut client) = postgres::Client::connect(&server, postgres::NoTls) {
                let _ = client.batch_execute(&format!("DROP SCHEMA {name} CASCADE"));
            }
        })
        .join();
    }
}
