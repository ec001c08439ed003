//! Records, persons, the review queue, verification and statistics over HTTP, against a
//! real store: the demo leak ingested, its relatives' list imported and cross-referenced,
//! plus one planted sheet whose cells carry a script.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeDelta, Utc};
use trove_model::{Role, SubjectKind};
use trove_store::{IngestProgress, PROGRESS_FILE, Store};

use common::demo_case::{LIST, SCRIPT, demo_case, server};
use common::{empty_store, json, text};

/// Every new page and API address of a case, reachable by a viewer with GET.
fn case_routes(case: &str) -> Vec<String> {
    let demo = demo_case();
    let person = &demo.person_with_photo;
    vec![
        format!("/cases/{case}/records"),
        format!("/cases/{case}/records?q=valid:yes"),
        format!("/cases/{case}/sheets"),
        format!("/api/cases/{case}/sheets"),
        format!("/cases/{case}/persons/{person}"),
        format!("/cases/{case}/review?list={LIST}"),
        format!("/cases/{case}/stats?by=township&adults=1"),
        format!("/cases/{case}/stats.svg?by=sex"),
        format!("/cases/{case}/stats.csv"),
        format!("/api/cases/{case}/records?q=valid:yes"),
        format!("/api/cases/{case}/persons/{person}"),
        format!("/api/cases/{case}/review?list={LIST}"),
        format!("/api/cases/{case}/stats?by=age"),
        format!("/cases/{case}/authenticity"),
        format!("/api/cases/{case}/authenticity?until=2019-12-31"),
        format!("/cases/{case}"),
        format!("/api/cases/{case}"),
        format!("/cases/{case}/photos"),
        format!("/api/cases/{case}/photos?linked=yes"),
    ]
}

#[tokio::test]
async fn strangers_are_sent_to_log_in_and_the_api_answers_401() {
    let server = server();
    for path in case_routes("case-a") {
        let response = server.get(&path, None).await;
        if path.starts_with("/api/") {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        } else {
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(response.headers()[header::LOCATION], "/login", "{path}");
        }
    }
}

#[tokio::test]
async fn each_role_opens_every_route_of_its_case_and_nothing_of_another() {
    let server = server();
    for user in ["vera", "rita", "eddie", "root"] {
        let session = server.session(user);
        for path in case_routes("case-a") {
            let response = server.get(&path, Some(&session)).await;
            assert_eq!(response.status(), StatusCode::OK, "{user} {path}");
        }
        if user != "root" {
            for path in case_routes("case-b") {
                let response = server.get(&path, Some(&session)).await;
                assert_eq!(response.status(), StatusCode::NOT_FOUND, "{user} {path}");
            }
        }
    }
    let bob = server.session("bob");
    for path in case_routes("case-a") {
        let response = server.get(&path, Some(&bob)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "bob {path}");
    }
    let (row, person) = &demo_case().candidates[0];
    let row = row.to_string();
    let decision = [
        ("list", LIST),
        ("row", row.as_str()),
        ("person", person.as_str()),
        ("decision", "accept"),
    ];
    let response = server
        .post_form("/cases/case-a/review", &bob, &decision)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_viewer_can_neither_review_nor_verify() {
    let server = server();
    let vera = server.session("vera");
    let (row, person) = &demo_case().candidates[0];
    let row = row.to_string();
    let response = server
        .post_form(
            "/cases/case-a/review",
            &vera,
            &[
                ("list", LIST),
                ("row", &row),
                ("person", person),
                ("decision", "accept"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body = serde_json::json!({"list": LIST, "row": 2, "person": person, "decision": "reject"});
    let response = server
        .post_json("/api/cases/case-a/review", &vera, &body, true)
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &vera,
            &[
                ("subject_kind", "person"),
                ("subject", person),
                ("status", "verified"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = text(
        server
            .get(&format!("/cases/case-a/review?list={LIST}"), Some(&vera))
            .await,
    )
    .await;
    assert!(
        !page.contains("Record decision"),
        "no review form for a viewer"
    );
    assert!(server.audited("review_decision").is_empty());
}

#[tokio::test]
async fn a_reviewer_reviews_but_neither_verifies_nor_manages_users() {
    let server = server();
    let rita = server.session("rita");
    let (row, person) = &demo_case().candidates[0];
    let row_text = row.to_string();
    let note = "same village, birth year one off";
    let response = server
        .post_form(
            "/cases/case-a/review",
            &rita,
            &[
                ("list", LIST),
                ("row", &row_text),
                ("person", person),
                ("decision", "unsure"),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let queue = json(
        server
            .get(
                &format!("/api/cases/case-a/review?list={LIST}"),
                Some(&rita),
            )
            .await,
    )
    .await;
    let candidate = queue["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["row"] == *row && c["person"] == person.as_str())
        .expect("the candidate is in the queue");
    let decision = candidate["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["note"] == note)
        .expect("the decision is kept with its note");
    assert_eq!(decision["review"], "unsure");
    assert_eq!(decision["by"], "rita");
    assert!(
        !candidate["fields"].as_array().unwrap().is_empty(),
        "explained"
    );

    let page = text(
        server
            .get(&format!("/cases/case-a/review?list={LIST}"), Some(&rita))
            .await,
    )
    .await;
    assert!(page.contains(note));

    let events = server.audited("review_decision");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some("rita"));
    assert_eq!(events[0].target.as_deref(), Some(person.as_str()));
    assert_eq!(events[0].case.as_deref(), Some("case-a"));

    assert_eq!(
        server.get("/admin", Some(&rita)).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &rita,
            &[
                ("subject_kind", "person"),
                ("subject", person),
                ("status", "verified"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// A review decision or a verification lives in the case's catalog, its audit event in
/// the server's access database: the change commits only once its event is written.
#[tokio::test]
async fn a_change_whose_audit_event_cannot_be_written_is_not_saved() {
    let server = server();
    let rita = server.session("rita");
    let eddie = server.session("eddie");
    rusqlite::Connection::open(server.state.access().path().unwrap())
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events
             BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be written'); END;",
        )
        .unwrap();

    let (row, person) = demo_case().candidates.last().unwrap();
    let note = "decided while the audit trail was broken";
    let response = server
        .post_form(
            "/cases/case-a/review",
            &rita,
            &[
                ("list", LIST),
                ("row", &row.to_string()),
                ("person", person),
                ("decision", "accept"),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);

    let subject = demo_case().other_persons.last().unwrap();
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &eddie,
            &[
                ("subject_kind", "person"),
                ("subject", subject),
                ("status", "verified"),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);

    let store = Store::open(&demo_case().store).unwrap();
    let history = store.catalog.review_history(LIST).unwrap();
    assert!(history.iter().all(|decision| decision.note != note));
    let statuses = store
        .catalog
        .verification_history(SubjectKind::Person, subject)
        .unwrap();
    assert!(statuses.iter().all(|status| status.note != note));
}

#[tokio::test]
async fn the_review_api_needs_the_csrf_header_with_a_cookie_but_not_with_a_token() {
    let server = server();
    let rita = server.session("rita");
    let (row, person) = &demo_case().candidates[0];
    let body = serde_json::json!({
        "list": LIST, "row": row, "person": person, "decision": "reject", "note": "other county"
    });
    let response = server
        .post_json("/api/cases/case-a/review", &rita, &body, false)
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = server
        .post_json("/api/cases/case-a/review", &rita, &body, true)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(json(response).await["review"], "rejected");

    let token = server.api_token("rita", "script");
    let response = server
        .send(
            Request::post("/api/cases/case-a/review")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({"list": LIST, "row": row, "person": person, "decision": "merge"})
                        .to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        json(response).await["error"]
            .as_str()
            .unwrap()
            .contains("accept, reject or unsure")
    );
}

#[tokio::test]
async fn the_person_page_shows_the_decoded_id_and_the_mugshot_and_is_audited() {
    let server = server();
    let vera = server.session("vera");
    let demo = demo_case();
    let key = &demo.person_with_photo;
    let response = server
        .get(&format!("/cases/case-a/persons/{key}"), Some(&vera))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = text(response).await;
    // Headed by the name as the source writes it, with its Latin readings.
    assert!(!page.contains("<h1>Person "), "not headed by a key");
    let store = trove_store::Store::open(&demo.store).unwrap();
    let records = names_of_person(&store, key);
    assert!(page.contains(&format!("<h1>{}</h1>", records[0])), "{page}");
    assert!(page.contains("Read in Latin letters as"), "{page}");
    assert!(
        page.contains("<h2 id=\"timeline-heading\">Timeline</h2>"),
        "{page}"
    );
    assert!(
        page.contains("photographed</a>"),
        "the mugshot's capture is an event"
    );
    assert!(page.contains("Taken "), "each photo says when it was taken");
    assert!(page.contains("ID number decoded"));
    assert!(page.contains("Issued in"), "the region is decoded");
    assert!(page.contains("Check character"));
    assert!(page.contains(&format!(
        "<img src=\"/cases/case-a/documents/{}/preview.png\"",
        demo.photo
    )));
    assert!(
        page.contains("/cases/case-a/records/"),
        "links to each record"
    );
    assert!(page.contains("Current status: <strong>unverified</strong>"));
    assert!(
        !page.contains("Set status"),
        "no verification form for a viewer"
    );

    let events = server.audited("view_person");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some("vera"));
    assert_eq!(events[0].target.as_deref(), Some(key.as_str()));

    let answer = json(
        server
            .get(&format!("/api/cases/case-a/persons/{key}"), Some(&vera))
            .await,
    )
    .await;
    assert_eq!(answer["key"], key.as_str());
    assert_eq!(answer["id"]["valid"], true);
    assert_eq!(
        server.audited("view_person").len(),
        2,
        "the API view is audited too"
    );

    let unknown = server
        .get("/cases/case-a/persons/nobody", Some(&vera))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_verification_status_and_its_history_show_on_the_person_page() {
    let server = server();
    let eddie = server.session("eddie");
    let person = &demo_case().other_persons[0];
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &eddie,
            &[
                ("subject_kind", "person"),
                ("subject", person),
                ("status", "corroborated"),
                ("evidence", "https://example.org/report-2019"),
                ("note", "a relative confirmed the detention"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &eddie,
            &[
                ("subject_kind", "person"),
                ("subject", person),
                ("status", "disputed"),
                ("note", "the birth date differs in the second list"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &eddie,
            &[
                ("subject_kind", "person"),
                ("subject", person),
                ("status", "verified"),
                ("evidence", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let page = text(
        server
            .get(&format!("/cases/case-a/persons/{person}"), Some(&eddie))
            .await,
    )
    .await;
    assert!(page.contains("Current status: <strong>disputed</strong>"));
    assert!(page.contains("a relative confirmed the detention"));
    assert!(page.contains("href=\"https://example.org/report-2019\""));
    assert!(page.contains("Set status"), "editors get the form");

    // Newest first.
    let events = server.audited("verification");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].detail, "disputed");
    assert_eq!(
        events[0].target.as_deref(),
        Some(format!("person:{person}").as_str())
    );
}

#[tokio::test]
async fn a_document_is_verified_from_its_own_page() {
    let server = server();
    let document = &demo_case().photo;
    let page_of = |who| {
        let server = &server;
        async move {
            let path = format!("/cases/case-a/documents/{document}");
            text(server.get(&path, Some(who)).await).await
        }
    };
    let vera = server.session("vera");
    let page = page_of(&vera).await;
    assert!(page.contains("Current status: <strong>unverified</strong>"));
    assert!(!page.contains("Set status"), "a viewer gets no form");

    let eddie = server.session("eddie");
    let page = page_of(&eddie).await;
    assert!(page.contains("name=\"subject_kind\" value=\"document\""));
    let response = server
        .post_form(
            "/cases/case-a/verification",
            &eddie,
            &[
                ("subject_kind", "document"),
                ("subject", document),
                ("status", "verified"),
                ("evidence", "https://example.org/camera-serial-check"),
                ("note", "EXIF serial matches the bureau camera"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    assert_eq!(
        location,
        format!("/cases/case-a/documents/{document}#verification")
    );
    let page = page_of(&vera).await;
    assert!(page.contains("Current status: <strong>verified</strong>"));
    assert!(page.contains("EXIF serial matches the bureau camera"));
}

#[tokio::test]
async fn the_person_lists_page_shows_each_kind_with_its_evidence() {
    let server = server();
    let vera = server.session("vera");
    let page = text(server.get("/cases/case-a/sheets", Some(&vera)).await).await;
    assert!(page.contains("<th scope=\"col\">Evidence</th>"), "{page}");
    assert!(page.contains("register") && page.contains("detainees"));
    assert!(
        page.contains("says"),
        "the evidence names the word that decided"
    );
}

#[tokio::test]
async fn statistics_show_their_definition_and_the_chart_is_svg_from_its_own_route() {
    let server = server();
    let vera = server.session("vera");
    let page = text(
        server
            .get("/cases/case-a/stats?by=township&adults=1", Some(&vera))
            .await,
    )
    .await;
    assert!(page.contains("<h2 id=\"definition-heading\">Definition</h2>"));
    assert!(
        page.contains("adults"),
        "the definition names the adults-only choice"
    );
    assert!(
        page.contains(
            "<img class=\"chart\" src=\"/cases/case-a/stats.svg?by=township&#38;adults=1\""
        )
    );
    assert!(!page.contains("<svg"), "the chart is never inline");

    let chart = server
        .get("/cases/case-a/stats.svg?by=township&adults=1", Some(&vera))
        .await;
    assert_eq!(chart.status(), StatusCode::OK);
    assert_eq!(
        chart.headers()[header::CONTENT_TYPE],
        "image/svg+xml; charset=utf-8"
    );
    assert!(
        chart
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    );
    assert!(text(chart).await.contains("<svg"));

    let csv = server
        .get("/cases/case-a/stats.csv?by=sex", Some(&vera))
        .await;
    assert!(
        csv.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let csv = text(csv).await;
    assert!(csv.starts_with("# "), "the definition leads the file");
    assert!(csv.contains("group,listed,held,rate_percent"));
    let exports = server.audited("export");
    assert_eq!(exports.len(), 1, "a CSV download is an audited export");
    assert_eq!(exports[0].actor.as_deref(), Some("vera"));
    assert_eq!(exports[0].target.as_deref(), Some("stats-by-sex.csv"));
    assert!(exports[0].detail.starts_with("by=sex: "), "{exports:?}");

    let table = json(
        server
            .get("/api/cases/case-a/stats?by=age", Some(&vera))
            .await,
    )
    .await;
    assert!(!table["definition_text"].as_array().unwrap().is_empty());
    let bad = server
        .get("/api/cases/case-a/stats?by=county", Some(&vera))
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_script_in_a_spreadsheet_cell_is_shown_as_text() {
    let server = server();
    let vera = server.session("vera");
    let found = json(
        server
            .get("/api/cases/case-a/records?q=alert", Some(&vera))
            .await,
    )
    .await;
    let records = found["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "the planted row is a record");
    let link = records[0]["link"].as_str().unwrap();
    let response = server.get(link, Some(&vera)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = text(response).await;
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(!page.contains(SCRIPT));
    assert!(page.contains("The row among its neighbours in the sheet"));

    let list = text(
        server
            .get("/cases/case-a/records?q=alert", Some(&vera))
            .await,
    )
    .await;
    assert!(list.contains("&#60;script&#62;") && !list.contains(SCRIPT));
    let bad = server
        .get("/cases/case-a/records?q=colour:red", Some(&vera))
        .await;
    assert!(text(bad).await.contains("unknown field `colour`"));
}

#[tokio::test]
async fn the_authenticity_page_links_each_finding_to_its_evidence_and_is_audited() {
    let server = server();
    let vera = server.session("vera");
    let page = text(
        server
            .get("/cases/case-a/authenticity?until=2019-12-31", Some(&vera))
            .await,
    )
    .await;
    assert!(page.contains("<h2>Photos and cameras</h2>"), "{page}");
    assert!(page.contains("strong anomaly"));
    // The planted photo under two ID numbers links to the photo's document page.
    assert!(page.contains("08-核查材料/照片/"));
    assert!(page.contains("href=\"/cases/case-a/documents/"));
    // Each camera's photos per day, drawn by its own route.
    assert!(page.contains("<h2>Camera timelines</h2>"));
    let chart = "/cases/case-a/authenticity/camera.svg?n=0";
    assert!(page.contains(&chart.replace('&', "&amp;")), "{page}");
    let svg = server.get(chart, Some(&vera)).await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(
        svg.headers()[header::CONTENT_TYPE],
        "image/svg+xml; charset=utf-8"
    );
    assert!(text(svg).await.contains("photos per day</title>"));
    let beyond = server
        .get("/cases/case-a/authenticity/camera.svg?n=999", Some(&vera))
        .await;
    assert_eq!(beyond.status(), StatusCode::NOT_FOUND);
    let viewed = server.audited("view_authenticity");
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0].case.as_deref(), Some("case-a"));
    let bad = server
        .get("/cases/case-a/authenticity?until=yesterday", Some(&vera))
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_reviewer_concludes_about_a_finding_and_the_page_shows_it() {
    let server = server();
    let rita = server.session("rita");
    let report: serde_json::Value = serde_json::from_str(
        &text(
            server
                .get(
                    "/api/cases/case-a/authenticity?until=2019-12-31",
                    Some(&rita),
                )
                .await,
        )
        .await,
    )
    .unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "same_photo_two_ids")
        .expect("the planted photo under two numbers");
    let id = finding["id"].as_str().unwrap();
    let fields = [
        ("finding", id),
        ("review", "needs_work"),
        ("note", "ask the county archive"),
    ];
    let vera = server.session("vera");
    let refused = server
        .post_form("/cases/case-a/authenticity/review", &vera, &fields)
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "a viewer only reads"
    );
    let kept = server
        .post_form("/cases/case-a/authenticity/review", &rita, &fields)
        .await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);
    let page = text(
        server
            .get("/cases/case-a/authenticity?until=2019-12-31", Some(&rita))
            .await,
    )
    .await;
    assert!(
        page.contains("Reviewed: needs_work by rita") && page.contains("ask the county archive"),
        "{page}"
    );
    let audited = server.audited("finding_reviewed");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].target.as_deref(), Some(id));
}

/// The demo case holds a cell with a script in it (see `plant_script_sheet`): no JSON
/// answer carries a markup character raw, whichever route gives it.
#[tokio::test]
async fn no_json_answer_holds_a_raw_markup_character() {
    let server = server();
    let eddie = server.session("eddie");
    let mut routes: Vec<String> = case_routes("case-a")
        .into_iter()
        .filter(|route| route.starts_with("/api/"))
        .collect();
    routes.push("/api/cases/case-a/records?q=script".to_owned());
    routes.push("/api/me".to_owned());
    routes.push("/api/cases/case-a/records/nonsense/0/1".to_owned());
    for route in routes {
        let body = text(server.get(&route, Some(&eddie)).await).await;
        assert!(
            !body.contains(['<', '>', '&']),
            "{route} answers markup characters raw: {body:.300}"
        );
    }
}

#[tokio::test]
async fn a_page_past_any_end_is_a_bad_request_not_a_failure() {
    let server = server();
    let vera = server.session("vera");
    for route in [
        "/cases/case-a/records?page=18446744073709551615",
        "/api/cases/case-a/records?page=18446744073709551615",
        "/cases/case-a/records?page=0",
        &format!("/api/cases/case-a/review?list={LIST}&page=18446744073709551615"),
    ] {
        let response = server.get(route, Some(&vera)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{route}");
    }
}

/// A register opens as a table: column letters, row numbers, its header row marked, each
/// row linked to the record read from it; a record links back to its row, marked.
#[tokio::test]
async fn a_sheet_is_a_table_whose_rows_link_to_their_records_and_back() {
    let server = server();
    let vera = server.session("vera");
    let store = trove_store::Store::open(&demo_case().store).unwrap();
    let catalog: &dyn trove_store::RecordCatalog = &*store.catalog;
    let mut first = None;
    catalog
        .for_each_record(&Default::default(), 0, Some(1), &mut |stored| {
            first = Some(stored);
            Ok(())
        })
        .unwrap();
    let stored = first.unwrap();
    let source = &stored.record.source;
    let record_page = format!(
        "/cases/case-a/records/{}/{}/{}",
        source.blob, source.part, source.row
    );
    let page = text(server.get(&record_page, Some(&vera)).await).await;
    let link_start = page
        .find("?sheet=")
        .expect("the record links to its row in the whole sheet");
    let href_start = page[..link_start].rfind("href=\"").unwrap() + 6;
    let href_end = href_start + page[href_start..].find('"').unwrap();
    // Askama writes `&` in attributes as `&#38;`; a browser reads it back as `&`.
    let link = page[href_start..href_end].replace("&#38;", "&");
    assert!(link.starts_with(&format!("/cases/case-a/documents/{}?sheet=", source.blob)));

    let sheet = text(server.get(&link, Some(&vera)).await).await;
    assert!(sheet.contains("<table class=\"sheet grid\">"));
    assert!(sheet.contains("<th scope=\"col\">A</th><th scope=\"col\">B</th>"));
    assert!(
        sheet.contains("class=\"header-row\""),
        "the header row is marked"
    );
    let row_id = link.rsplit('#').next().unwrap();
    assert!(
        sheet.contains(&format!("<tr id=\"{row_id}\" class=\"current\">")),
        "the record's row is marked: {link}"
    );
    assert!(
        sheet.contains(&format!("href=\"{record_page}\"")),
        "the row links to its record"
    );
    assert_eq!(server.audited("view_document").len(), 1);
}

/// The names a person's records give, in the order the person page lists them.
fn names_of_person(store: &Store, person: &str) -> Vec<String> {
    let catalog: &dyn trove_store::RecordCatalog = &*store.catalog;
    let filter = trove_store::RecordFilter {
        person: Some(person.to_owned()),
        ..Default::default()
    };
    let mut names: Vec<String> = Vec::new();
    catalog
        .for_each_record(&filter, 0, None, &mut |stored| {
            if let Some(name) = stored.record.fields.name
                && !names.contains(&name)
            {
                names.push(name);
            }
            Ok(())
        })
        .unwrap();
    names
}

#[tokio::test]
async fn the_review_queue_opens_on_the_list_with_work_left_and_filters_by_score() {
    let server = server();
    let rita = server.session("rita");
    let page = text(server.get("/cases/case-a/review", Some(&rita)).await).await;
    assert!(
        page.contains(&format!("<h2>List {LIST}, page 1</h2>")),
        "{page}"
    );
    assert!(page.contains(" reviewed</strong>"), "progress is shown");
    // (Which candidates show depends on what the other tests of this shared case decided:
    // the unreviewed ones while any are left.)
    assert!(page.contains("<script src=\"/static/review.js\" defer></script>"));
    assert!(
        page.contains("data-review=\""),
        "each candidate says its review"
    );

    let strong = json(
        server
            .get(
                &format!("/api/cases/case-a/review?list={LIST}&band=strong"),
                Some(&rita),
            )
            .await,
    )
    .await;
    let scores: Vec<f64> = strong["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["score"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(scores.iter().all(|s| *s >= 0.9), "{scores:?}");
    assert!(
        strong["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["photos"].as_array().is_some_and(|photos| photos
                .iter()
                .all(|p| p[0].as_str().unwrap().contains("/thumbnail.jpg?mark=")))),
        "each candidate lists the person's photos, marked"
    );
    let weak = server
        .get(
            &format!("/cases/case-a/review?list={LIST}&band=loud"),
            Some(&rita),
        )
        .await;
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);

    let script = server.get("/static/review.js", Some(&rita)).await;
    assert_eq!(
        script.headers()[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(text(script).await.contains("requestSubmit"));
}

#[tokio::test]
async fn the_records_list_counts_narrows_by_facets_and_sorts_by_column() {
    let server = server();
    let vera = server.session("vera");
    let page = text(server.get("/cases/case-a/records", Some(&vera)).await).await;
    let status_start = page.find("<p role=\"status\">").expect("a count") + 17;
    let total: u64 = page[status_start..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 50, "{total}");
    assert!(page.contains("<h2 id=\"facets-heading\">Narrow the records</h2>"));
    assert!(page.contains("<h3>Township</h3>"));
    // The first township's link narrows the list to it, and says how many.
    let link_start = page.find("q=township%3A").expect("a township facet link");
    let href_start = page[..link_start].rfind("href=\"").unwrap() + 6;
    let href_end = href_start + page[href_start..].find('"').unwrap();
    let href = page[href_start..href_end].replace("&#38;", "&");
    let narrowed = text(server.get(&href, Some(&vera)).await).await;
    assert!(
        narrowed.contains("aria-current=\"true\""),
        "the facet shows as chosen"
    );
    let narrowed_total: u64 = narrowed[narrowed.find("<p role=\"status\">").unwrap() + 17..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(narrowed_total < total);

    let sorted = json(
        server
            .get("/api/cases/case-a/records?sort=name&dir=desc", Some(&vera))
            .await,
    )
    .await;
    assert_eq!(sorted["total"].as_u64(), Some(total));
    let names: Vec<&str> = sorted["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.windows(2).all(|w| w[0] >= w[1]), "{names:?}");
    let page = text(
        server
            .get("/cases/case-a/records?sort=name", Some(&vera))
            .await,
    )
    .await;
    assert!(page.contains("aria-sort=\"ascending\""));
    let bad = server
        .get("/cases/case-a/records?sort=shoe_size", Some(&vera))
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // A person with a linked photo: its thumbnail in each of their rows, linking to their
    // page, named by the page's audit event and not audited again when fetched.
    let demo = demo_case();
    let person = &demo.person_with_photo;
    let theirs = text(
        server
            .get(
                &format!("/cases/case-a/records?q=person:{person}"),
                Some(&vera),
            )
            .await,
    )
    .await;
    assert!(theirs.contains("<th scope=\"col\">Photo</th>"), "{theirs}");
    let thumbnail = format!("/cases/case-a/photos/{}/thumbnail.jpg?mark=", demo.photo);
    let start = theirs.find(&thumbnail).expect("a thumbnail in the row");
    let link_start = theirs[..start].rfind("<a href=\"").unwrap();
    assert_eq!(
        &theirs[link_start..start],
        format!("<a href=\"/cases/case-a/persons/{person}\"><img class=\"thumb\" src=\"")
    );
    let img_end = start + theirs[start..].find('>').unwrap();
    let img = &theirs[start..img_end];
    assert!(img.contains(" alt=\"Photo of "), "{img}");
    assert!(img.contains(": open the person&#39;s page\""), "{img}");
    let src = theirs[start..start + theirs[start..].find('"').unwrap()].replace("&#38;", "&");
    let fetched = server.get(&src, Some(&vera)).await;
    assert_eq!(fetched.status(), StatusCode::OK);
    assert!(
        server.audited("view_preview").is_empty(),
        "read once, with the page"
    );
    let read = &server.audited("view_records")[0];
    assert!(read.detail.contains(&demo.photo[..12]), "{}", read.detail);
    let api = json(
        server
            .get(
                &format!("/api/cases/case-a/records?q=person:{person}"),
                Some(&vera),
            )
            .await,
    )
    .await;
    let row = &api["records"][0];
    assert_eq!(row["person"].as_str(), Some(person.as_str()));
    assert_eq!(row["photo"]["id"].as_str(), Some(demo.photo.as_str()));
    // A person without one has no thumbnail.
    let other = &demo.other_persons[0];
    let api = json(
        server
            .get(
                &format!("/api/cases/case-a/records?q=person:{other}"),
                Some(&vera),
            )
            .await,
    )
    .await;
    assert!(api["records"][0]["photo"].is_null(), "{api}");
}

/// The case home shows the ingest that made its store, and one running in another
/// process or stopped without a word, as the store folder's progress file tells.
#[tokio::test]
async fn the_case_home_shows_the_last_ingest_and_one_running_now() {
    let server = server();
    let vera = server.session("vera");
    let home = text(server.get("/cases/case-a", Some(&vera)).await).await;
    assert!(
        home.contains("<h2 id=\"ingest-heading\">Ingest</h2>"),
        "{home}"
    );
    assert!(
        home.contains("Last ingest: <strong>leak</strong>, finished at "),
        "{home}"
    );
    let api = json(server.get("/api/cases/case-a", Some(&vera)).await).await;
    assert_eq!(api["ingest"]["state"], "finished");
    assert_eq!(api["ingest"]["source"], "leak");

    let store = empty_store(server.dir.path(), "ingesting");
    server.add_case("case-c", &store);
    server.grant("vera", "case-c", Role::Viewer);
    let write = |progress: &IngestProgress| {
        std::fs::write(
            store.join(PROGRESS_FILE),
            serde_json::to_vec(progress).unwrap(),
        )
        .unwrap();
    };
    let mut progress = IngestProgress::starting("新疆-2024", Utc::now() - TimeDelta::seconds(75));
    progress.files_found = 120;
    progress.counted = true;
    progress.files_processed = 30;
    progress.files_unchanged = 4;
    progress.failures = 2;
    progress.bytes_found = 4096;
    progress.bytes_done = 1024;
    progress.updated_at = Utc::now() - TimeDelta::seconds(2);
    write(&progress);
    let home = text(server.get("/cases/case-c", Some(&vera)).await).await;
    for shown in [
        "Ingesting <strong>新疆-2024</strong>: started ",
        ", running for 0:01:1",
        "<progress max=\"4096\" value=\"1024\" aria-label=\"Bytes read\"></progress>",
        "<dt>Stage</dt><dd>reading the files</dd>",
        "<dt>Files found</dt><dd>120</dd>",
        "<dt>Files processed</dt><dd>30</dd>",
        "<dt>Unchanged since the last ingest</dt><dd>4</dd>",
        "<dt>Failed so far</dt><dd>2</dd>",
        "<dd>1024 of 4096</dd>",
    ] {
        assert!(home.contains(shown), "{shown} in {home}");
    }
    let api = json(server.get("/api/cases/case-c", Some(&vera)).await).await;
    let ingest = &api["ingest"];
    assert_eq!(ingest["state"], "running");
    assert_eq!(ingest["stage"], "files");
    assert_eq!(
        (
            ingest["files_found"].as_u64(),
            ingest["files_processed"].as_u64(),
            ingest["failures"].as_u64()
        ),
        (Some(120), Some(30), Some(2))
    );
    assert!(ingest["elapsed_seconds"].as_i64().unwrap() >= 75);

    // Killed: the file is left as it was, and grows old.
    progress.updated_at = Utc::now() - TimeDelta::seconds(90);
    write(&progress);
    let home = text(server.get("/cases/case-c", Some(&vera)).await).await;
    assert!(
        home.contains("Ingest of <strong>新疆-2024</strong> stopped (no update since "),
        "{home}"
    );
    assert!(home.contains("run the same ingest again to resume."));
    let api = json(server.get("/api/cases/case-c", Some(&vera)).await).await;
    assert_eq!(api["ingest"]["state"], "stopped");

    let chosen = server
        .post_form("/account/language", &vera, &[("language", "zh-Hans")])
        .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let chinese = text(server.get("/cases/case-c", Some(&vera)).await).await;
    for shown in [
        "<h2 id=\"ingest-heading\">导入</h2>",
        "<strong>新疆-2024</strong> 的导入已停止（自 ",
        "<dt>已发现文件</dt><dd>120</dd>",
        "<dt>阶段</dt><dd>读取文件</dd>",
    ] {
        assert!(chinese.contains(shown), "{shown} in {chinese}");
    }
    let chinese = text(server.get("/cases/case-a", Some(&vera)).await).await;
    assert!(
        chinese.contains("上次导入：<strong>leak</strong>，完成于 "),
        "{chinese}"
    );
}

/// The photos of a case in a grid: filtered, each opening on its page; a gallery page is
/// one audited read naming its photos, and its thumbnails are not audited again.
#[tokio::test]
async fn the_gallery_shows_a_cases_photos_and_its_thumbnails_are_read_once() {
    let server = server();
    let vera = server.session("vera");
    let demo = demo_case();
    let page = text(
        server
            .get("/cases/case-a/photos?linked=yes", Some(&vera))
            .await,
    )
    .await;
    assert!(page.contains("<ul class=\"gallery\">"), "{page}");
    assert!(page.contains(&format!("href=\"/cases/case-a/documents/{}\"", demo.photo)));
    assert!(page.contains("<span class=\"tag\">linked</span>"));
    let unlinked = text(
        server
            .get("/cases/case-a/photos?linked=no", Some(&vera))
            .await,
    )
    .await;
    assert!(!unlinked.contains(&format!("/documents/{}\"", demo.photo)));

    let events = server.audited("view_photos");
    assert_eq!(events.len(), 2);
    assert!(
        events[1].detail.contains(&demo.photo[..12]),
        "{}",
        events[1].detail
    );

    // The thumbnail as the page links it (with its mark) is not audited again.
    let start = page
        .find(&format!(
            "/cases/case-a/photos/{}/thumbnail.jpg?mark=",
            demo.photo
        ))
        .unwrap();
    let end = start + page[start..].find('"').unwrap();
    let thumbnail = server.get(&page[start..end], Some(&vera)).await;
    assert_eq!(thumbnail.status(), StatusCode::OK);
    assert_eq!(thumbnail.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert!(text_bytes(thumbnail).await.starts_with(&[0xFF, 0xD8]));
    assert!(server.audited("view_preview").is_empty());
    // Another user's mark, or none, is a read of its own.
    let rita = server.session("rita");
    let borrowed = server.get(&page[start..end], Some(&rita)).await;
    assert_eq!(borrowed.status(), StatusCode::OK);
    assert_eq!(server.audited("view_preview").len(), 1);

    // The photo's page names the person its ID number links it to.
    let photo_page = text(
        server
            .get(
                &format!("/cases/case-a/documents/{}", demo.photo),
                Some(&vera),
            )
            .await,
    )
    .await;
    assert!(
        photo_page.contains(&format!(
            "href=\"/cases/case-a/persons/{}\"",
            demo.person_with_photo
        )),
        "the photo links to its person"
    );

    let home = text(server.get("/cases/case-a", Some(&vera)).await).await;
    assert!(home.contains("<h2 id=\"documents-heading\">Documents</h2>"));
    assert!(home.contains("candidates reviewed"), "{home}");
    assert!(home.contains("/cases/case-a/photos"));
}

async fn text_bytes(response: axum::http::Response<Body>) -> Vec<u8> {
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

/// Editors tag and note persons and documents, members star them for themselves; the
/// records list narrows by tag and a tag's page lists what carries it; every change is
/// audited.
#[tokio::test]
async fn tags_notes_and_stars_are_kept_audited_and_narrow_the_records() {
    let server = server();
    let eddie = server.session("eddie");
    let vera = server.session("vera");
    let person = &demo_case().other_persons[3];
    let change = |change: &'static str, value: &'static str| {
        vec![
            ("subject_kind", "person"),
            ("subject", person.as_str()),
            ("change", change),
            ("value", value),
        ]
    };
    // Asked before the tag exists: nothing, and nothing kept stale after.
    let tagged_total = async || {
        json(
            server
                .get("/api/cases/case-a/records?q=tag:family-report", Some(&vera))
                .await,
        )
        .await["total"]
            .as_u64()
    };
    assert_eq!(tagged_total().await, Some(0));
    for (session, fields, expected) in [
        (
            &eddie,
            change("tag", "family-report"),
            StatusCode::SEE_OTHER,
        ),
        (
            &eddie,
            change("note", "The sister abroad confirmed the birth date."),
            StatusCode::SEE_OTHER,
        ),
        (&vera, change("star", ""), StatusCode::SEE_OTHER),
        (&vera, change("tag", "mine"), StatusCode::FORBIDDEN),
        (&eddie, change("tag", "two words"), StatusCode::BAD_REQUEST),
    ] {
        let response = server
            .post_form("/cases/case-a/annotations", session, &fields)
            .await;
        assert_eq!(response.status(), expected, "{fields:?}");
    }
    let page = text(
        server
            .get(&format!("/cases/case-a/persons/{person}"), Some(&vera))
            .await,
    )
    .await;
    assert!(
        page.contains(
            "<a class=\"tag\" href=\"/cases/case-a/tags/family-report\">family-report</a>"
        )
    );
    assert!(page.contains("The sister abroad confirmed the birth date."));
    assert!(page.contains("★ Starred for you"));
    assert!(!page.contains("New tag"), "no tag form for a viewer");
    let eddies = text(
        server
            .get(&format!("/cases/case-a/persons/{person}"), Some(&eddie))
            .await,
    )
    .await;
    assert!(
        eddies.contains("☆ Star for yourself"),
        "stars are each user's own"
    );

    let records = json(
        server
            .get("/api/cases/case-a/records?q=tag:family-report", Some(&vera))
            .await,
    )
    .await;
    let listed: Vec<&str> = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["person"].as_str().unwrap())
        .collect();
    assert!(
        !listed.is_empty() && listed.iter().all(|p| p == person),
        "{listed:?}"
    );
    assert_eq!(
        tagged_total().await,
        Some(listed.len() as u64),
        "the count follows the tag"
    );
    let tagged = text(
        server
            .get("/cases/case-a/tags/family-report", Some(&vera))
            .await,
    )
    .await;
    assert!(tagged.contains(&format!("/cases/case-a/persons/{person}")));
    assert_eq!(server.audited("view_tagged").len(), 1);
    // A tagged document: search narrows to it by `tag:`, alone or with words.
    let photo = &demo_case().photo;
    let tag_photo = [
        ("subject_kind", "document"),
        ("subject", photo.as_str()),
        ("change", "tag"),
        ("value", "check-camera"),
    ];
    let response = server
        .post_form("/cases/case-a/annotations", &eddie, &tag_photo)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let found = json(
        server
            .get("/api/cases/case-a/search?q=tag:check-camera", Some(&vera))
            .await,
    )
    .await;
    let hits = found["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{found}");
    assert!(
        hits.iter().all(|hit| hit["blob"] == photo.as_str()),
        "{found}"
    );
    let nothing = json(
        server
            .get(
                "/api/cases/case-a/search?q=tag:nobody-used-this",
                Some(&vera),
            )
            .await,
    )
    .await;
    assert_eq!(nothing["total"], 0);
    let changes = server.audited("annotated");
    assert_eq!(changes.len(), 4, "{changes:?}");
    assert!(
        changes
            .iter()
            .any(|e| e.detail == "tag added: family-report")
    );
    // The note is the case's latest activity on its home page.
    let home = text(server.get("/cases/case-a", Some(&vera)).await).await;
    assert!(
        home.contains("eddie: <a href=\"/cases/case-a/persons/"),
        "{home}"
    );
    assert!(home.contains("note: The sister abroad confirmed the birth date."));
}

/// A user who chooses Chinese reads the workbench's own words in Chinese; leaked content
/// stays as written.
#[tokio::test]
async fn a_user_reads_the_workbench_in_the_language_they_chose() {
    let server = server();
    let vera = server.session("vera");
    let english = text(server.get("/cases/case-a", Some(&vera)).await).await;
    assert!(english.contains("<html lang=\"en\">") && english.contains(">Cases</a>"));
    let chosen = server
        .post_form("/account/language", &vera, &[("language", "zh-Hans")])
        .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let chinese = text(server.get("/cases/case-a", Some(&vera)).await).await;
    assert!(chinese.contains("<html lang=\"zh-Hans\">"));
    assert!(
        chinese.contains(">案件</a>"),
        "the navigation speaks Chinese"
    );
    assert!(chinese.contains("<h2 id=\"activity-heading\">最近动态</h2>"));
    let account = text(server.get("/account", Some(&vera)).await).await;
    assert!(account.contains("<option value=\"zh-Hans\" lang=\"zh-Hans\" selected>"));
    let refused = server
        .post_form("/account/language", &vera, &[("language", "klingon")])
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let events = server.audited("language_set");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].detail, "zh-Hans");
}

/// A server admin who reads Chinese reads every page's own words in Chinese — titles,
/// headings, labels, buttons, the names of roles and states, the error page — while the
/// leak's content stays as written and the API keeps speaking English to scripts.
#[tokio::test]
async fn a_chinese_reader_reads_every_page_in_chinese() {
    let server = server();
    let demo = demo_case();
    let root = server.session("root");
    let chosen = server
        .post_form("/account/language", &root, &[("language", "zh-Hans")])
        .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let page = |path: String| {
        let (server, root) = (&server, &root);
        async move {
            let response = server.get(&path, Some(root)).await;
            let status = response.status();
            let html = text(response).await;
            assert!(html.contains("<html lang=\"zh-Hans\">"), "{path}");
            (status, html)
        }
    };
    let records = page("/cases/case-a/records".into()).await.1;
    let record = records
        .split("href=\"")
        .map(|piece| piece.split('"').next().unwrap())
        .find(|link| link.starts_with("/cases/case-a/records/"))
        .expect("a record's link")
        .to_owned();
    // (page, a Chinese phrase of its own, an English phrase of the same page it replaced)
    let pages = [
        ("/".to_owned(), "<h1>我的案件</h1>", "Your cases"),
        (
            "/admin".into(),
            "<h2 id=\"add-user-heading\">添加用户</h2>",
            "Add a user",
        ),
        ("/admin".into(), "<td>服务器管理员", "server admin"),
        (
            "/admin/audit".into(),
            "过去 24 小时内对个人数据的读取",
            "Reads of personal data",
        ),
        (
            "/admin/audit".into(),
            "已签名的检查点（",
            "Signed checkpoints",
        ),
        (
            "/cases/case-a/authenticity".into(),
            "<h2>照片与相机</h2>",
            "Photos and cameras",
        ),
        (
            "/cases/case-a/authenticity".into(),
            "<h2>相机时间线</h2>",
            "Camera timelines",
        ),
        // A finding's statement, said from its words: the camera's inventory.
        (
            "/cases/case-a/authenticity".into(),
            "张照片，首张拍摄于",
            ", first shot ",
        ),
        (
            "/cases/case-a/records".into(),
            "<title>记录 · case-a · trove</title>",
            "Page 1",
        ),
        (
            record.clone(),
            "<h2 id=\"row-heading\">该行原文</h2>",
            "The row as written",
        ),
        (record, "<h2 id=\"fields-heading\">字段</h2>", "Fields"),
        (
            format!("/cases/case-a/persons/{}", demo.person_with_photo),
            "<h2 id=\"annotations-heading\">标签与备注</h2>",
            "Tags and notes",
        ),
        (
            format!("/cases/case-a/persons/{}", demo.person_with_photo),
            "当前状态：<strong>未核实</strong>",
            "Current status",
        ),
        (
            format!("/cases/case-a/persons/{}", demo.person_with_photo),
            "<dt>签发地</dt>",
            "Issued in",
        ),
        (
            format!("/cases/case-a/documents/{}", demo.photo),
            "重新编码的预览图",
            "A re-encoded preview",
        ),
        (
            format!("/cases/case-a/documents/{}", demo.photo),
            ">设置状态</button>",
            "Set status",
        ),
        (
            "/cases/case-a/sheets".into(),
            "<th scope=\"col\">计入比例</th>",
            "In rates",
        ),
        (
            "/cases/case-a".into(),
            "<strong>管理员</strong>",
            "<strong>admin</strong>",
        ),
    ];
    for (path, chinese, english) in pages {
        let (status, html) = page(path.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(chinese), "{path} lacks {chinese:?}:\n{html}");
        assert!(
            !html.contains(english),
            "{path} still says {english:?}:\n{html}"
        );
    }
    // Texts the workbench builds from codes and numbers speak Chinese too: the case's
    // failures by stage and reason, a statistics table's definition and total, a record's
    // place in its sheet, and a request's problem.
    let home = page("/cases/case-a".into()).await.1;
    let failures = home
        .split("id=\"failures-heading\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the failures section");
    assert!(
        failures.contains("<td>"),
        "the demo leak has broken files: {failures}"
    );
    assert!(
        ["提取：", "解包：", "读取：", "遍历目录："]
            .iter()
            .any(|stage| failures.contains(stage)),
        "{failures}"
    );
    for english in [
        "<td>extract: ",
        "<td>unpack: ",
        "<td>read: ",
        "corrupt</td>",
    ] {
        assert!(!failures.contains(english), "{failures}");
    }
    let stats = page("/cases/case-a/stats?by=township&adults=1".into())
        .await
        .1;
    for chinese in [
        "<p>按乡镇统计的关押比例</p>",
        "年龄：仅限成年人",
        "<th scope=\"row\">合计</th>",
    ] {
        assert!(stats.contains(chinese), "stats lack {chinese:?}:\n{stats}");
    }
    for english in ["Detention rate by", "Ages: adults only", ">total<"] {
        assert!(!stats.contains(english), "stats still say {english:?}");
    }
    let listed = page("/cases/case-a/records".into()).await.1;
    assert!(listed.contains(" 行)</td>"), "{listed}");
    assert!(!listed.contains(", row "), "{listed}");
    let (status, refused) = page("/cases/case-a/stats?min_records=two".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused.contains("min_records 必须是整数"), "{refused}");
    // Leaked content is shown as written: the person's name, the photo's path.
    let person = page(format!("/cases/case-a/persons/{}", demo.person_with_photo))
        .await
        .1;
    let names = names_of_person(&Store::open(&demo.store).unwrap(), &demo.person_with_photo);
    assert!(
        person.contains(&format!("<h1>{}</h1>", names[0])),
        "{person}"
    );
    // The error page speaks the reader's language too.
    let (status, missing) = page("/cases/case-a/documents/nothing-here".into()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("此处没有内容") && missing.contains("返回我的案件"));
    assert!(!missing.contains("Back to your cases"));
    // Scripts read the API in English whatever their user reads.
    let api = json(
        server
            .get(
                &format!("/api/cases/case-a/persons/{}", demo.person_with_photo),
                Some(&root),
            )
            .await,
    )
    .await;
    let labels: Vec<&str> = api["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|fact| fact[0].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Records"), "{labels:?}");
}

/// A visitor whose browser asks for Chinese gets the invitation form and a missing page in
/// Chinese.
#[tokio::test]
async fn a_visitor_reads_the_invitation_in_the_language_of_their_browser() {
    let server = server();
    let root = server.session("root");
    let made = text(
        server
            .post_form(
                "/admin/invitations",
                &root,
                &[("role", "viewer"), ("case", "case-a")],
            )
            .await,
    )
    .await;
    let link = made
        .split("<code>")
        .map(|piece| piece.split('<').next().unwrap())
        .find(|piece| piece.starts_with("/invite/"))
        .expect("an invitation link")
        .to_owned();
    let ask = |path: String| {
        let server = &server;
        async move {
            let request = Request::get(path)
                .header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9")
                .body(Body::empty())
                .unwrap();
            server.send(request).await
        }
    };
    let invite = text(ask(link).await).await;
    assert!(invite.contains("<html lang=\"zh-Hans\">") && invite.contains("<h1>接受邀请</h1>"));
    assert!(
        invite.contains("<strong>查看者</strong>") && invite.contains("<strong>case-a</strong>")
    );
    assert!(!invite.contains("Make my account"), "{invite}");
    let missing = ask("/invite/no-such-token".into()).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(text(missing).await.contains("返回我的案件"));
}
