//! The workbench on a case whose catalog is the shared one in PostgreSQL (server mode):
//! the demo case moved there with `migrate_to_postgres`, its folder holding only
//! `database.url` and links to the originals and the index. The pages read what the
//! SQLite case shows, and a review decision made on the page is kept in PostgreSQL.

mod common;

use std::path::PathBuf;

use axum::http::StatusCode;
use common::demo_case::{LIST, demo_case};
use common::{TestServer, json, text};
use trove_model::Role;
use trove_store::testing::TestSchema;
use trove_store::{DATABASE_FILE, PgCatalog, ReviewCatalog, SqliteCatalog, migrate_to_postgres};

/// A server with the demo case as `shared` (its catalog in `schema`) and `case-a` (the
/// same case in SQLite), and `rita`, reviewer of both.
fn shared_server(schema: &TestSchema) -> (TestServer, PathBuf) {
    let demo = &demo_case().store;
    let target = PgCatalog::connect(&schema.config()).unwrap();
    let sqlite = SqliteCatalog::open(demo.join("trove.sqlite")).unwrap();
    migrate_to_postgres(&sqlite, &target, &mut |_, _| {}).unwrap();

    let server = TestServer::new();
    let folder = server.dir.path().join("shared-case");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(DATABASE_FILE), schema.url()).unwrap();
    for shared in ["blobs", "index"] {
        std::os::unix::fs::symlink(demo.join(shared), folder.join(shared)).unwrap();
    }
    server.add_case("shared", &folder);
    server.add_case("case-a", demo);
    server.add_user("rita", Role::Reviewer, Some("shared"));
    server.grant("rita", "case-a", Role::Reviewer);
    (server, folder)
}

#[tokio::test]
async fn the_workbench_reads_and_writes_a_shared_catalog() {
    // The PostgreSQL client blocks (it runs a runtime of its own): it is used off the
    // test's async thread, as the workbench uses it on blocking threads.
    let setup = tokio::task::spawn_blocking(|| {
        let schema = TestSchema::create()?;
        let (server, _folder) = shared_server(&schema);
        Some((schema, server))
    });
    let Some((schema, server)) = setup.await.unwrap() else {
        return;
    };
    let rita = server.session("rita");
    let person = &demo_case().person_with_photo;

    for case in ["shared", "case-a"] {
        for path in [
            format!("/cases/{case}/records"),
            format!("/cases/{case}/persons/{person}"),
            format!("/cases/{case}/search?q=名单"),
        ] {
            let response = server.get(&path, Some(&rita)).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
        }
    }
    let person_page = text(
        server
            .get(&format!("/cases/shared/persons/{person}"), Some(&rita))
            .await,
    )
    .await;
    assert!(
        person_page.contains(&demo_case().photo),
        "the person's mugshot is linked"
    );
    let api = |case: &str| format!("/api/cases/{case}/persons/{person}");
    let shared = json(server.get(&api("shared"), Some(&rita)).await).await;
    let local = json(server.get(&api("case-a"), Some(&rita)).await).await;
    assert_eq!(
        shared["records"]
            .to_string()
            .replace("/cases/shared/", "/cases/case-a/"),
        local["records"].to_string(),
        "the same records"
    );
    assert!(shared["records"].as_array().is_some_and(|r| !r.is_empty()));

    let (row, candidate) = &demo_case().candidates[0];
    let note = "decided on the shared catalog";
    let response = server
        .post_form(
            "/cases/shared/review",
            &rita,
            &[
                ("list", LIST),
                ("row", &row.to_string()),
                ("person", candidate),
                ("decision", "accepted"),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (list_row, person) = (*row, candidate.clone());
    let kept = tokio::task::spawn_blocking(move || {
        PgCatalog::connect(&schema.config())
            .unwrap()
            .candidate_history(LIST, list_row, &person)
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        kept.iter().any(|d| d.note == note && d.by == "rita"),
        "the decision is in PostgreSQL: {kept:?}"
    );
}
