//! Publication in the workbench over HTTP: an editor verifies a person and marks them for
//! publication on their page, previews what the rules publish and withhold, and downloads
//! the site the leak scanner passed; a viewer can do none of it; every step is audited.

mod common;

use axum::http::{StatusCode, header};

use common::demo_case::{demo_case, server};
use common::{bytes, text};

#[tokio::test]
async fn an_editor_marks_a_person_previews_the_rules_and_downloads_a_scanned_site() {
    let server = server();
    let eddie = server.session("eddie");
    let vera = server.session("vera");
    let person = &demo_case().other_persons[1];
    let verified = server
        .post_form(
            "/cases/case-a/verification",
            &eddie,
            &[
                ("subject_kind", "person"),
                ("subject", person),
                ("status", "verified"),
                ("evidence", "https://example.org/verified"),
            ],
        )
        .await;
    assert_eq!(verified.status(), StatusCode::SEE_OTHER);
    let decision = [
        ("person", person.as_str()),
        ("publish", "on"),
        ("consent", "family_consent"),
        ("note", "his sister agreed on a call"),
    ];
    let marked = server
        .post_form("/cases/case-a/publication/decision", &eddie, &decision)
        .await;
    assert_eq!(marked.status(), StatusCode::SEE_OTHER);
    let refused = server
        .post_form("/cases/case-a/publication/decision", &vera, &decision)
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let unknown = server
        .post_form(
            "/cases/case-a/publication/decision",
            &eddie,
            &[("person", "nobody"), ("consent", "family_consent")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let decisions = server.audited("publication_decision");
    assert!(
        decisions.iter().any(|e| e
            .target
            .as_deref()
            .is_some_and(|t| t.contains(person.as_str()))
            && e.detail.contains("family_consent")),
        "{decisions:?}"
    );

    let page = text(
        server
            .get(&format!("/cases/case-a/persons/{person}"), Some(&eddie))
            .await,
    )
    .await;
    assert!(page.contains("Marked for publication."), "{page}");
    assert!(page.contains("family consent recorded"));
    assert!(page.contains("his sister agreed on a call"));

    let preview = server.get("/cases/case-a/publication", Some(&eddie)).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = text(preview).await;
    assert!(preview.contains("persons published"), "{preview}");
    assert!(preview.contains("not verified enough"), "{preview}");
    assert!(
        preview.contains(&format!("/persons/{person}\"")),
        "the marked person is listed"
    );
    assert!(!server.audited("view_publication").is_empty());
    let hidden = server.get("/cases/case-a/publication", Some(&vera)).await;
    assert_eq!(hidden.status(), StatusCode::FORBIDDEN);

    let site = server
        .post_form("/cases/case-a/publication/site", &eddie, &[])
        .await;
    assert_eq!(site.status(), StatusCode::OK);
    assert_eq!(site.headers()[header::CONTENT_TYPE], "application/zip");
    let zip = bytes(site).await;
    assert!(zip.starts_with(b"PK"));
    for member in ["index.html", "SHA256SUMS", "data/entities.ftm.json"] {
        assert!(
            zip.windows(member.len()).any(|w| w == member.as_bytes()),
            "{member} is not in the zip"
        );
    }
    let published = server.audited("published");
    assert!(
        published.iter().any(|e| e.detail.contains("scanner clean")),
        "{published:?}"
    );
}
