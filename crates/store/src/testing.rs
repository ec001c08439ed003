//! For tests of this crate and the others: a PostgreSQL schema of its own on the server
//! `TROVE_TEST_DATABASE_URL` names (`scripts/test.sh` starts a throwaway one), dropped
//! with everything in it when the test ends; and a bucket of its own on the S3 server
//! `TROVE_TEST_S3_ENDPOINT` names (`scripts/s3.sh`). Without the variables, tests of
//! server mode skip, saying so once.

use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the test server.
pub const DATABASE_URL: &str = "TROVE_TEST_DATABASE_URL";

/// The test server `variable` names; `None`, said once per kind, when it names none.
fn named_server(variable: &str, kind: &str, said: &std::sync::Once) -> Option<String> {
    let server = std::env::var(variable).ok();
    if server.is_none() {
        said.call_once(|| {
            eprintln!(
                "note: {variable} is not set: the {kind} tests skip \
                 (scripts/test.sh starts a throwaway server and sets it)"
            )
        });
    }
    server
}

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
        static SAID: std::sync::Once = std::sync::Once::new();
        let server = named_server(DATABASE_URL, "PostgreSQL", &SAID)?;
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

/// The variable naming the test S3 server (`http://127.0.0.1:PORT`).
pub const S3_ENDPOINT: &str = "TROVE_TEST_S3_ENDPOINT";

/// A bucket of the test S3 server (s3s-fs over a folder), removed when this is dropped.
pub struct TestBucket {
    endpoint: String,
    /// The server's folder, whose subfolders are its buckets.
    root: std::path::PathBuf,
    name: String,
    access_key: String,
    secret_key: String,
}

impl TestBucket {
    /// A new, empty bucket; `None` when no test server is named.
    pub fn create() -> Option<TestBucket> {
        let variable = |name: &str| std::env::var(name).ok();
        static SAID: std::sync::Once = std::sync::Once::new();
        let endpoint = named_server(S3_ENDPOINT, "S3", &SAID)?;
        let required = |name: &str| {
            variable(name).unwrap_or_else(|| panic!("{S3_ENDPOINT} is set but {name} is not"))
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "trove-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::path::PathBuf::from(required("TROVE_TEST_S3_ROOT"));
        // The server's buckets are its folder's subfolders.
        std::fs::create_dir_all(root.join(&name))
            .unwrap_or_else(|e| panic!("cannot make the bucket {name} in {}: {e}", root.display()));
        Some(TestBucket {
            endpoint,
            root,
            name,
            access_key: required("TROVE_TEST_S3_ACCESS_KEY"),
            secret_key: required("TROVE_TEST_S3_SECRET_KEY"),
        })
    }

    /// The originals' place in the bucket, as `--originals` takes it.
    pub fn url(&self) -> String {
        format!("s3://{}/originals", self.name)
    }

    /// The `AWS_*` variables a `trove` process needs to reach the server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", self.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_key.clone()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
        ]
    }

    /// The bucket's client, set up as [`env`](Self::env) sets up a process.
    pub fn open(&self) -> crate::RemoteOriginals {
        let settings: Vec<(String, String)> = self
            .env()
            .into_iter()
            .map(|(key, value)| (key.to_ascii_lowercase(), value))
            .collect();
        let settings: Vec<(&str, String)> = settings
            .iter()
            .map(|(key, value)| (key.as_str(), value.clone()))
            .collect();
        crate::RemoteOriginals::configured(&self.url(), &settings)
            .unwrap_or_else(|e| panic!("cannot open the test bucket: {e}"))
    }

    /// Where the server keeps the objects under [`url`](Self::url): to look or change
    /// them behind trove's back.
    pub fn folder(&self) -> std::path::PathBuf {
        self.root.join(&self.name).join("originals")
    }

    /// Where the server keeps the object of `blob`.
    pub fn object_file(&self, blob: &trove_model::BlobId) -> std::path::PathBuf {
        let hex = blob.as_str();
        self.folder().join(&hex[..2]).join(hex)
    }
}

impl Drop for TestBucket {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.root.join(&self.name));
    }
}
