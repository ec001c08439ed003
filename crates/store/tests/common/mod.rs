//! The catalogs a contract test runs on: SQLite always, PostgreSQL when
//! `TROVE_TEST_DATABASE_URL` names a server (`scripts/test.sh` starts a throwaway one).
//! Each PostgreSQL catalog lives in a schema of its own, dropped when the test ends.

#![allow(dead_code)] // each test file uses its own share of these helpers

use tempfile::TempDir;
use trove_store::testing::TestSchema;
use trove_store::{PgCatalog, SqliteCatalog};

/// A catalog that keeps its backing (a folder, a schema) while it lives.
pub enum TestCatalog {
    Sqlite(SqliteCatalog, TempDir),
    Postgres(PgCatalog, TestSchema),
}

impl TestCatalog {
    pub fn name(&self) -> &'static str {
        match self {
            TestCatalog::Sqlite(..) => "sqlite",
            TestCatalog::Postgres(..) => "postgres",
        }
    }

    pub fn catalog(&self) -> &dyn trove_store::Catalog {
        match self {
            TestCatalog::Sqlite(catalog, _) => catalog,
            TestCatalog::Postgres(catalog, _) => catalog,
        }
    }
}

/// A fresh SQLite catalog.
pub fn sqlite() -> TestCatalog {
    let dir = tempfile::tempdir().unwrap();
    let catalog = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
    TestCatalog::Sqlite(catalog, dir)
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
        backends.push(TestCatalog::Postgres(catalog, schema));
    }
    backends
}
