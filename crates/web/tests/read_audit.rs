//! Every read of personal data leaves one audit event per request, naming what it
//! returned; a read that cannot be audited is not served; refusals on case routes and
//! CSRF refusals leave a trace; the audit page shows each user's reads per hour.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use trove_access::{AuditAction, NewAuditEvent};
use trove_model::AuditEvent;
use trove_store::{RecordCatalog, RecordFilter, Store};

use common::demo_case::{LIST, demo_case, server};
use common::{TestServer, text};

/// The address of the demo case's first record, and its person.
fn first_record() -> (String, String) {
    let store = Store::open(&demo_case().store).unwrap();
    let catalog: &dyn RecordCatalog = &*store.catalog;
    let mut found = None;
    catalog
        .for_each_record(&RecordFilter::default(), 0, Some(1), &mut |stored| {
            let source = &stored.record.source;
            found = Some((
                format!("{}/{}/{}", source.blob, source.part, source.row),
                stored.person.clone(),
            ));
            Ok(())
        })
        .unwrap();
    found.expect("the demo case has records")
}

/// Every route that returns personal data, as a GET, with the action its read is
/// recorded as.
fn reads() -> Vec<(String, AuditAction)> {
    let demo = demo_case();
    let person = &demo.person_with_photo;
    let photo = &demo.photo;
    let (record, _) = first_record();
    [
        (
            "/cases/case-a/records?q=valid:yes",
            AuditAction::ViewRecords,
        ),
        ("/api/cases/case-a/records", AuditAction::ViewRecords),
        (
            &format!("/cases/case-a/records/{record}"),
            AuditAction::ViewRecord,
        ),
        (
            &format!("/api/cases/case-a/records/{record}"),
            AuditAction::ViewRecord,
        ),
        (
            &format!("/cases/case-a/persons/{person}"),
            AuditAction::ViewPerson,
        ),
        (
            &format!("/api/cases/case-a/persons/{person}"),
            AuditAction::ViewPerson,
        ),
        (
            "/cases/case-a/search?q=%E5%90%8D%E5%8D%95",
            AuditAction::Search,
        ),
        ("/api/cases/case-a/search?q=person", AuditAction::Search),
        (
            &format!("/cases/case-a/documents/{photo}"),
            AuditAction::ViewDocument,
        ),
        (
            &format!("/api/cases/case-a/documents/{photo}"),
            AuditAction::ViewDocument,
        ),
        (
            &format!("/cases/case-a/documents/{photo}/preview.png"),
            AuditAction::ViewPreview,
        ),
        (
            &format!("/cases/case-a/documents/{photo}/original"),
            AuditAction::DownloadOriginal,
        ),
        (
            "/cases/case-a/stats?by=township",
            AuditAction::ViewStatistics,
        ),
        (
            "/api/cases/case-a/stats?by=age",
            AuditAction::ViewStatistics,
        ),
        ("/cases/case-a/stats.csv", AuditAction::Export),
        (
            &format!("/cases/case-a/review?list={LIST}"),
            AuditAction::ViewReviewQueue,
        ),
        (
            &format!("/api/cases/case-a/review?list={LIST}"),
            AuditAction::ViewReviewQueue,
        ),
        ("/cases/case-a/authenticity", AuditAction::ViewAuthenticity),
        ("/cases/case-a/photos?linked=yes", AuditAction::ViewPhotos),
        ("/api/cases/case-a/photos", AuditAction::ViewPhotos),
        (
            &format!("/cases/case-a/photos/{photo}/thumbnail.jpg"),
            AuditAction::ViewPreview,
        ),
        (
            "/api/cases/case-a/authenticity",
            AuditAction::ViewAuthenticity,
        ),
    ]
    .into_iter()
    .map(|(path, action)| (path.to_owned(), action))
    .collect()
}

fn events_by(server: &TestServer, user: &str) -> Vec<AuditEvent> {
    let filter = trove_access::AuditFilter {
        actor: Some(user.to_owned()),
        ..Default::default()
    };
    server
        .state
        .access()
        .audit_events(&filter, 0, 10_000)
        .unwrap()
}

async fn get_with_token(server: &TestServer, path: &str, token: &str) -> StatusCode {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    server.send(request).await.status()
}

#[tokio::test]
async fn every_read_of_personal_data_leaves_one_event_naming_what_it_returned() {
    let server = server();
    let token = server.api_token("vera", "copier");
    for (path, action) in reads() {
        let before = events_by(&server, "vera").len();
        assert_eq!(
            get_with_token(&server, &path, &token).await,
            StatusCode::OK,
            "{path}"
        );
        let events = events_by(&server, "vera");
        assert_eq!(events.len(), before + 1, "{path}: one event per request");
        let event = &events[0];
        assert_eq!(event.action, action.code(), "{path}");
        assert_eq!(event.case.as_deref(), Some("case-a"), "{path}");
        assert!(action.reads_personal_data(), "{action}");
    }

    let (record, person) = first_record();
    let records = server.audited("view_records");
    assert!(
        records.iter().any(|e| e.detail.contains(&person)),
        "a page of records names whose records it returned: {records:?}"
    );
    let record_event = &server.audited("view_record")[0];
    assert!(record_event.target.as_deref().unwrap().ends_with(&record));
    assert_eq!(record_event.detail, format!("person {person}"));
    let search = &server.audited("search");
    assert!(
        search
            .iter()
            .any(|e| e.detail.starts_with("query \"名单\"")),
        "{search:?}"
    );
    assert!(
        search
            .iter()
            .any(|e| e.detail.starts_with("query \"person\"")),
        "{search:?}"
    );
    let preview = &server.audited("view_preview")[0];
    assert_eq!(preview.target.as_deref(), Some(demo_case().photo.as_str()));
}

#[tokio::test]
async fn a_batch_search_records_every_name_searched() {
    let server = server();
    let token = server.api_token("vera", "batch");
    let request = Request::post("/api/cases/case-a/search/batch")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"names": ["Rahile Omer", "热依拉·奥迈尔", "Nobody Here"]})
                .to_string(),
        ))
        .unwrap();
    assert_eq!(server.send(request).await.status(), StatusCode::OK);
    let events = server.audited("batch_search");
    assert_eq!(events.len(), 1);
    let detail = &events[0].detail;
    assert!(detail.starts_with("3 names"), "{detail}");
    for name in ["Rahile Omer", "热依拉·奥迈尔", "Nobody Here"] {
        assert!(detail.contains(name), "{detail}");
    }
}

#[tokio::test]
async fn a_read_whose_audit_event_cannot_be_written_is_not_served() {
    let server = server();
    let vera = server.session("vera");
    rusqlite::Connection::open(server.state.access().path().unwrap())
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events
             BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be written'); END;",
        )
        .unwrap();
    let (record, person) = first_record();
    for path in [
        format!("/cases/case-a/records/{record}"),
        format!("/api/cases/case-a/records/{record}"),
        "/cases/case-a/records".to_owned(),
    ] {
        let response = server.get(&path, Some(&vera)).await;
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{path}"
        );
        let body = text(response).await;
        assert!(
            !body.contains(&person),
            "{path} served without its audit event"
        );
    }
}

#[tokio::test]
async fn refusals_on_case_routes_and_of_forms_leave_a_trace() {
    let server = server();
    let bob = server.session("bob");
    let vera = server.session("vera");

    // Probing another case, or an id that does not exist, is a 404 and recorded.
    let probe = "/cases/case-a/persons/653101198001011234";
    assert_eq!(
        server.get(probe, Some(&bob)).await.status(),
        StatusCode::NOT_FOUND
    );
    let missing = "/api/cases/case-a/records/nonsense/0/1";
    assert_eq!(
        server.get(missing, Some(&vera)).await.status(),
        StatusCode::NOT_FOUND
    );
    // A viewer's decision is refused (403); so is the admin page.
    let (row, candidate) = &demo_case().candidates[0];
    let decision = [
        ("list", LIST),
        ("row", &row.to_string()),
        ("person", candidate.as_str()),
        ("decision", "accept"),
    ];
    let response = server
        .post_form("/cases/case-a/review", &vera, &decision)
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        server.get("/admin/audit", Some(&vera)).await.status(),
        StatusCode::FORBIDDEN
    );
    // A form without its CSRF token.
    let forged = Request::post("/cases/case-a/review")
        .header(header::COOKIE, format!("trove_session={vera}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("list=relatives&row=1&person=x&decision=accept"))
        .unwrap();
    assert_eq!(server.send(forged).await.status(), StatusCode::FORBIDDEN);
    // A query that would walk the index's terms.
    let regex = "/api/cases/case-a/search?q=text:/.*a.*/";
    let response = server.get(regex, Some(&vera)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let refused = server.audited("refused");
    let seen: Vec<(Option<&str>, Option<&str>, &str)> = refused
        .iter()
        .rev()
        .map(|e| (e.actor.as_deref(), e.target.as_deref(), e.detail.as_str()))
        .collect();
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert_eq!(seen[0].0, Some("bob"));
    assert_eq!(seen[0].1, Some(format!("GET {probe}").as_str()));
    assert!(seen[0].2.starts_with("answered 404"), "{seen:?}");
    assert_eq!(refused.last().unwrap().case.as_deref(), Some("case-a"));
    assert_eq!(seen[1].1, Some(format!("GET {missing}").as_str()));
    assert_eq!(
        (seen[2].0, seen[2].2.starts_with("answered 403")),
        (Some("vera"), true)
    );
    assert_eq!(seen[3].1, Some("GET /admin/audit"));
    assert!(seen[4].2.contains("CSRF"), "{seen:?}");
    assert_eq!(seen[4].1, Some("POST /cases/case-a/review"));
    assert_eq!(seen[5].1, Some(format!("GET {regex}").as_str()));
    assert!(seen[5].2.starts_with("answered 400"), "{seen:?}");
}

#[tokio::test]
async fn the_audit_page_shows_reads_per_user_and_hour_and_marks_bulk_reading() {
    let server = server();
    let root = server.session("root");
    let vera = server.session("vera");
    let (record, _) = first_record();
    assert_eq!(
        server
            .get(&format!("/cases/case-a/records/{record}"), Some(&vera))
            .await
            .status(),
        StatusCode::OK
    );
    let page = text(server.get("/admin/audit", Some(&root)).await).await;
    assert!(page.contains("Reads of personal data, last 24 hours"));
    assert!(
        page.contains("href=\"/admin/audit?actor=vera\""),
        "vera's row"
    );
    assert!(!page.contains("bulk reading"), "one read is not bulk");

    // A burst as a script copying record after record leaves.
    for _ in 0..300 {
        server
            .state
            .access()
            .append_audit(
                NewAuditEvent::new(AuditAction::ViewRecord)
                    .actor("vera")
                    .case("case-a"),
            )
            .unwrap();
    }
    let page = text(server.get("/admin/audit", Some(&root)).await).await;
    assert!(page.contains("<tr class=\"bulk\">"), "vera's row is marked");
    assert!(page.contains("<strong>bulk reading</strong>"));
    assert!(
        page.contains(" UTC: 301 reads</title>"),
        "the hour's bar says how many"
    );
}
