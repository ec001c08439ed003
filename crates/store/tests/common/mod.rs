//! The catalogs a contract test runs on: SQLite always, PostgreSQL when
//! `TROVE_TEST_DATABASE_URL` names a server (`scripts/test.sh` starts a throwaway one).
//! Each PostgreSQL catalog lives in a schema of its own, dropped when the test ends.

#![allow(dead_code)] // each test file uses its own share of these helpers

use tempfile::TempDir;
use trove_store::testing::TestSchema;
use trove_store::{
    AnnotationCatalog, CaseCatalog, Catalog, ListCatalog, OcrCatalog, PgCatalog,
    PublicationCatalog, RecordCatalog, ReviewCatalog, SqliteCatalog,
};

/// A catalog with what backs it (a folder, a schema), kept while it lives.
pub struct TestCatalog {
    name: &'static str,
    // Dropped before the backing: the connection closes before its schema goes.
    catalog: Box<dyn CaseCatalog>,
    _backing: Backing,
}

enum Backing {
    Folder(TempDir),
    Schema(TestSchema),
}

impl TestCatalog {
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn catalog(&self) -> &dyn Catalog {
        self.catalog.as_ref()
    }

    pub fn ocr(&self) -> &dyn OcrCatalog {
        self.catalog.as_ref()
    }

    pub fn records(&self) -> &dyn RecordCatalog {
        self.catalog.as_ref()
    }

    pub fn lists(&self) -> &dyn ListCatalog {
        self.catalog.as_ref()
    }

    pub fn review(&self) -> &dyn ReviewCatalog {
        self.catalog.as_ref()
    }

    pub fn annotations(&self) -> &dyn AnnotationCatalog {
        self.catalog.as_ref()
    }

    pub fn publication(&self) -> &dyn PublicationCatalog {
        self.catalog.as_ref()
    }
}

/// A fresh SQLite catalog.
pub fn sqlite() -> TestCatalog {
    let dir = tempfile::tempdir().unwrap();
    let catalog = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
    TestCatalog {
        name: "sqlite",
        catalog: Box::new(catalog),
        _backing: Backing::Folder(dir),
    }
}

/// A fresh PostgreSQL catalog, or `None` (saying so once) when no server is named.
pub fn postgres() -> Option<(PgCatalog, TestSchema)> {
    let schema = TestSchema::create()?;
    let catalog = PgCatalog::connect(&schema.config()).unwrap();
    Some((catalog, schema))
}

/// Every backend this run can test, each fresh.
pub fn every_backend() -> Vec<TestCatalog> {
    let mut backends = vec![sqlite()];
    if let Some((catalog, schema)) = postgres() {
        backends.push(TestCatalog {
            name: "postgres",
            catalog: Box::new(catalog),
            _backing: Backing::Schema(schema),
        });
    }
    backends
}

/// The lines each backend's run of the same script gave, by backend name.
pub type Runs = Vec<(&'static str, Vec<String>)>;

/// Runs `script` on every backend.
pub fn run_on_every_backend(script: impl Fn(&TestCatalog) -> Vec<String>) -> Runs {
    let runs: Runs = every_backend()
        .iter()
        .map(|backend| (backend.name(), script(backend)))
        .collect();
    if std::env::var(trove_store::testing::DATABASE_URL).is_ok() {
        assert_eq!(runs.len(), 2, "both backends ran");
    }
    runs
}

/// The line of the first backend's run saying `what` (`what: …`).
pub fn line<'a>(runs: &'a Runs, what: &str) -> &'a str {
    runs[0]
        .1
        .iter()
        .find(|line| line.starts_with(&format!("{what}: ")))
        .unwrap_or_else(|| panic!("no {what} line"))
}

/// Every backend's lines equal the first's, line by line.
pub fn assert_backends_agree(runs: &Runs) {
    let (first_name, first) = &runs[0];
    for (name, lines) in &runs[1..] {
        for (theirs, ours) in lines.iter().zip(first) {
            assert_eq!(theirs, ours, "{name} against {first_name}");
        }
        assert_eq!(lines.len(), first.len(), "{name} against {first_name}");
    }
}
