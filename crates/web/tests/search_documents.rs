//! Search and documents over HTTP, on real ingested stores: the demo leak,
//! and a small case of planted XSS payloads.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use trove_model::{BlobId, Role};
use trove_store::Store;
use trove_synth::{ExifTruth, GroundTruth, PersonTruth, RowTruth, SynthOptions};
use trove_web::session::SESSION_COOKIE;

use common::{TestServer, bytes, ingest, scratch_dir, text};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

/// A leak ingested into a store once for the whole test binary.
struct IngestedCase {
    store: PathBuf,
    truth: Option<GroundTruth>,
}

/// The demo leak of 60 people.
fn demo() -> &'static IngestedCase {
    static DEMO: OnceLock<IngestedCase> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = scratch_dir("trove-web-demo");
        let truth = trove_synth::write_demo_leak(
            &dir,
            &SynthOptions {
                people: 60,
                seed: 7,
                ..SynthOptions::default()
            },
        )
        .expect("the demo leak is written");
        let store = dir.join("store");
        ingest(&dir.join("leak"), &store);
        IngestedCase {
            store,
            truth: Some(truth),
        }
    })
}

/// A case whose files carry script payloads in their text, a file name, an
/// HTML page, a spreadsheet cell and a photo's EXIF (make, model, serial).
fn planted() -> &'static IngestedCase {
    static PLANTED: OnceLock<IngestedCase> = OnceLock::new();
    PLANTED.get_or_init(|| {
        let dir = scratch_dir("trove-web-xss");
        let leak = dir.join("leak");
        std::fs::create_dir_all(&leak).unwrap();
        std::fs::write(
            leak.join("notes.txt"),
            format!("教育 planted {SCRIPT} and {IMG} in plain text"),
        )
        .unwrap();
        std::fs::write(
            leak.join(format!("{IMG}.txt")),
            "教育 planted: the payload is in this file's name",
        )
        .unwrap();
        // Entities, so that the payload survives as the page's *text*; the
        // live tags are there too, and must vanish with the markup.
        std::fs::write(
            leak.join("page.html"),
            format!(
                "<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></head>\
                 <body><p>教育 planted &lt;script&gt;alert(1)&lt;/script&gt; \
                 &lt;img src=x onerror=alert(1)&gt;</p>{SCRIPT}{IMG}</body></html>"
            ),
        )
        .unwrap();
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(IMG.replace(['<', '>', '/'], "")).unwrap();
        sheet.write_string(0, 0, "姓名").unwrap();
        sheet.write_string(0, 1, "备注").unwrap();
        sheet.write_string(1, 0, SCRIPT).unwrap();
        sheet
            .write_string(1, 1, format!("教育 planted {IMG}"))
            .unwrap();
        workbook.save(leak.join("cells.xlsx")).unwrap();
        let exif = ExifTruth {
            make: SCRIPT.to_owned(),
            model: IMG.to_owned(),
            body_serial: format!("\"><svg onload=alert(1)>{SCRIPT}"),
            date_time_original: "2018:03:01 09:30:00".to_owned(),
        };
        let photo = trove_synth::jpeg_with_exif(&exif, "exif.jpg").unwrap();
        std::fs::write(leak.join("exif.jpg"), photo).unwrap();
        let store = dir.join("store");
        ingest(&leak, &store);
        IngestedCase { store, truth: None }
    })
}

/// A server with the demo case `demo` and the planted case `xss`: `vera`
/// views both, `otto` only `xss`.
fn server() -> TestServer {
    let server = TestServer::new();
    server.add_case("demo", &demo().store);
    server.add_case("xss", &planted().store);
    // Sessions are made directly: logging in is tests/access.rs's subject.
    server.add_user("vera", Role::Viewer, Some("demo"));
    server.grant("vera", "xss", Role::Viewer);
    server.add_user("otto", Role::Viewer, Some("xss"));
    server
}

fn search_path(case: &str, query: &str) -> String {
    let query = serde_urlencoded::to_string([("q", query)]).unwrap();
    format!("/cases/{case}/search?{query}")
}

/// The document ids a results page links to, in order.
fn linked_documents(html: &str, case: &str) -> Vec<String> {
    let prefix = format!("/cases/{case}/documents/");
    html.match_indices(&prefix)
        .map(|(at, _)| html[at + prefix.len()..].chars().take(64).collect())
        .collect()
}

/// The blob id of the file at `path` (relative to the leak) in `store`.
fn blob_at(store: &Path, path: &str) -> BlobId {
    let store = Store::open_existing(store).unwrap();
    let occurrences = store.catalog.occurrences_at(path).unwrap();
    occurrences
        .first()
        .unwrap_or_else(|| panic!("{path} is in the catalog"))
        .blob
        .clone()
}

/// Fails if `body` holds a live `<script` or `<img` tag, or an `onerror=`
/// inside a tag (rather than in escaped text).
fn assert_inert(body: &str, what: &str) {
    assert!(!body.contains("<script"), "{what}: a live <script> tag");
    assert!(!body.contains("<img src=x"), "{what}: a live planted <img>");
    for (at, _) in body.match_indices("onerror=") {
        let before = &body[..at];
        let inside_tag = before.rfind('<') > before.rfind('>');
        assert!(!inside_tag, "{what}: onerror= inside a tag at byte {at}");
    }
}

#[tokio::test]
async fn searching_a_chinese_word_lists_hits_with_marked_snippets() {
    let server = server();
    let vera = server.session("vera");
    let response = server.get(&search_path("demo", "教育"), Some(&vera)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains("<mark>"), "no highlight in:\n{html}");
    assert!(html.contains("matching parts in"), "{html}");
    assert!(!linked_documents(&html, "demo").is_empty());
    // Facets narrow the query: every facet link keeps it.
    assert!(html.contains("Narrow the results"));
    assert!(html.contains("q=%E6%95%99%E8%82%B2&#38;type="), "{html}");
}

#[tokio::test]
async fn a_facet_link_narrows_and_pages_hold_twenty_hits() {
    let server = server();
    let vera = server.session("vera");
    let all = text(server.get(&search_path("demo", "教育"), Some(&vera)).await).await;
    let narrowed = text(
        server
            .get(
                "/cases/demo/search?q=%E6%95%99%E8%82%B2&type=xlsx",
                Some(&vera),
            )
            .await,
    )
    .await;
    assert!(narrowed.contains("aria-current=\"true\""), "{narrowed}");
    assert!(narrowed.contains("<strong>xlsx</strong>"));
    let hits = narrowed.matches("<li class=\"hit\">").count();
    assert!((1..=20).contains(&hits), "{hits} hits");
    assert!(all.matches("<li class=\"hit\">").count() <= 20);
    let by_date = server
        .get(
            "/cases/demo/search?q=%E6%95%99%E8%82%B2&sort=date&page=1",
            Some(&vera),
        )
        .await;
    assert_eq!(by_date.status(), StatusCode::OK);
    let bad_page = server
        .get("/cases/demo/search?q=x&page=zero", Some(&vera))
        .await;
    assert_eq!(bad_page.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_malformed_query_is_shown_on_the_search_page_as_a_400() {
    let server = server();
    let vera = server.session("vera");
    let response = server
        .get(&search_path("demo", "nosuchfield:x"), Some(&vera))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = text(response).await;
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("nosuchfield:x"));
}

#[tokio::test]
async fn the_api_answers_hits_facets_and_documents_as_json() {
    let server = server();
    let vera = server.session("vera");
    let response = server
        .get("/api/cases/demo/search?q=%E6%95%99%E8%82%B2", Some(&vera))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let found: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    assert!(found["facets"]["by_type"].is_object(), "{found}");
    let hit = &found["hits"][0];
    assert!(
        hit["segments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["matched"] == true),
        "{hit}"
    );
    let id = hit["blob"].as_str().unwrap();
    let document = server
        .get(&format!("/api/cases/demo/documents/{id}"), Some(&vera))
        .await;
    assert_eq!(document.status(), StatusCode::OK);
    let document: serde_json::Value = serde_json::from_str(&text(document).await).unwrap();
    assert_eq!(document["blake3"], id);
    assert_eq!(document["sha256"].as_str().unwrap().len(), 64);
    assert!(!document["provenance"].as_array().unwrap().is_empty());
    assert!(!document["parts"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_document_page_shows_provenance_hashes_and_text_by_parts() {
    let server = server();
    let vera = server.session("vera");
    let truth = demo().truth.as_ref().unwrap();
    let row = &truth.rows[0];
    let id = blob_at(&demo().store, &row.file);
    let response = server
        .get(&format!("/cases/demo/documents/{id}"), Some(&vera))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains(id.as_str()), "the BLAKE3 hash");
    assert!(html.contains("SHA-256"));
    assert!(html.contains(&row.file), "the path {}", row.file);
    assert!(html.contains("<section class=\"part\""));
    let missing = server
        .get(
            &format!("/cases/demo/documents/{}", "0".repeat(64)),
            Some(&vera),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let malformed = server
        .get("/cases/demo/documents/not-an-id", Some(&vera))
        .await;
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_preview_of_a_jpeg_mugshot_is_a_small_png() {
    let server = server();
    let vera = server.session("vera");
    let truth = demo().truth.as_ref().unwrap();
    let photo = truth
        .persons
        .iter()
        .filter_map(|person| person.photo.as_deref())
        .find(|path| path.ends_with(".jpg"))
        .expect("a JPEG mugshot in the demo leak");
    let id = blob_at(&demo().store, photo);
    let response = server
        .get(
            &format!("/cases/demo/documents/{id}/preview.png"),
            Some(&vera),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
    let png = bytes(response).await;
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
    assert!(image.width() <= 800 && image.height() <= 800);
    // Drawn once, then kept in the store's previews folder and served from it.
    let kept = demo().store.join("previews").join(format!("{id}.png"));
    assert_eq!(std::fs::read(&kept).unwrap(), png.to_vec());
    let again = server
        .get(
            &format!("/cases/demo/documents/{id}/preview.png"),
            Some(&vera),
        )
        .await;
    assert_eq!(bytes(again).await, png);
    // Text documents have no preview.
    let text_document = blob_at(&demo().store, &truth.rows[0].file);
    let none = server
        .get(
            &format!("/cases/demo/documents/{text_document}/preview.png"),
            Some(&vera),
        )
        .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn downloading_an_original_is_audited_and_never_inline() {
    let server = server();
    let vera = server.session("vera");
    let truth = demo().truth.as_ref().unwrap();
    let id = blob_at(&demo().store, &truth.rows[0].file);
    let response = server
        .get(&format!("/cases/demo/documents/{id}/original"), Some(&vera))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{}", id.short())),
        "{disposition}"
    );
    assert!(disposition.is_ascii());
    let original = bytes(response).await;
    assert_eq!(BlobId::from_digest(*blake3::hash(&original).as_bytes()), id);
    let downloads = server.audited("download_original");
    assert_eq!(downloads.len(), 1, "{downloads:?}");
    assert_eq!(downloads[0].actor.as_deref(), Some("vera"));
    assert_eq!(downloads[0].case.as_deref(), Some("demo"));
    assert_eq!(downloads[0].target.as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn a_viewer_of_another_case_gets_404_for_everything_here_and_nothing_is_audited() {
    let server = server();
    let otto = server.session("otto");
    let truth = demo().truth.as_ref().unwrap();
    let id = blob_at(&demo().store, &truth.rows[0].file);
    for path in [
        search_path("demo", "教育"),
        format!("/cases/demo/documents/{id}"),
        format!("/cases/demo/documents/{id}/preview.png"),
        format!("/cases/demo/documents/{id}/original"),
        "/api/cases/demo/search?q=x".to_owned(),
        format!("/api/cases/demo/documents/{id}"),
    ] {
        let response = server.get(&path, Some(&otto)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let batch = server
        .post_form("/cases/demo/search/batch", &otto, &[("names", "x")])
        .await;
    assert_eq!(batch.status(), StatusCode::NOT_FOUND);
    assert!(server.audited("download_original").is_empty());
    // Strangers are sent to log in; the API answers 401.
    let page = server.get(&search_path("demo", "x"), None).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    let api = server.get("/api/cases/demo/search?q=x", None).await;
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
}

/// The first row of the demo's person lists, and the person it lists.
fn first_listed_person() -> (&'static RowTruth, &'static PersonTruth) {
    let truth = demo().truth.as_ref().unwrap();
    let row = &truth.rows[0];
    let person = truth
        .persons
        .iter()
        .find(|person| person.id_number == row.id_number)
        .unwrap();
    (row, person)
}

#[tokio::test]
async fn a_batch_of_names_finds_the_sheets_that_list_them() {
    let server = server();
    let vera = server.session("vera");
    let (row, person) = first_listed_person();
    let names = format!("{}\n\n{SCRIPT}\n", person.name);
    let response = server
        .post_form("/cases/demo/search/batch", &vera, &[("names", &names)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains(&person.name));
    assert!(html.contains("2 names"), "{html}");
    assert_inert(&html, "the batch page");
    let ids = linked_documents(&html, "demo");
    let listing = blob_at(&demo().store, &row.file);
    assert!(
        ids.iter().any(|id| id == listing.as_str()),
        "{} not among {ids:?}",
        row.file
    );
    // The hit in the sheet opens the sheet on the person's row.
    let on_row = format!("&#38;row={row}#sheet-", row = row.row);
    assert!(
        html.contains(&format!("/cases/demo/documents/{listing}?sheet=")) && html.contains(&on_row),
        "no hit lands on row {} of {}",
        row.row,
        row.file
    );
    let without_token = server
        .send(
            Request::post("/cases/demo/search/batch")
                .header(header::COOKIE, format!("{SESSION_COOKIE}={vera}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("names=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
}

/// A `multipart/form-data` body of the batch form: the CSRF token (when given), an
/// empty box of typed names, and `list` uploaded as `names.txt`.
fn batch_upload(csrf: Option<&str>, list: &[u8]) -> (String, Vec<u8>) {
    let boundary = "trove-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let mut text_field = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    if let Some(token) = csrf {
        text_field("csrf", token);
    }
    text_field("names", "");
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"list\"; filename=\"names.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(list);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn an_uploaded_list_of_names_is_searched_like_a_typed_one() {
    let server = server();
    let vera = server.session("vera");
    let (row, person) = first_listed_person();
    // Saved by Windows Notepad as "Unicode": UTF-16 with a byte-order mark.
    let list: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("{}\r\n", person.name)
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let post = |csrf: Option<String>| {
        let (content_type, body) = batch_upload(csrf.as_deref(), &list);
        Request::post("/cases/demo/search/batch")
            .header(header::COOKIE, format!("{SESSION_COOKIE}={vera}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let response = server
        .send(post(Some(server.state.csrf().token_for(&vera))))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains(&person.name), "{html}");
    let listing = blob_at(&demo().store, &row.file);
    assert!(linked_documents(&html, "demo").contains(&listing.to_string()));

    let forged = server.send(post(None)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let wrong = server.send(post(Some("0".repeat(64)))).await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn planted_scripts_stay_text_in_every_page_and_answer() {
    let server = server();
    let otto = server.session("otto");
    let store = &planted().store;
    let documents: Vec<BlobId> = [
        "notes.txt",
        &format!("{IMG}.txt"),
        "page.html",
        "cells.xlsx",
        "exif.jpg",
    ]
    .iter()
    .map(|path| blob_at(store, path))
    .collect();

    let mut bodies = Vec::new();
    for query in [
        "planted",
        "alert",
        "onerror",
        "script",
        "svg",
        "camera:script",
    ] {
        let response = server.get(&search_path("xss", query), Some(&otto)).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        bodies.push((format!("search {query}"), response));
        let api = server
            .get(&format!("/api/cases/xss/search?q={query}"), Some(&otto))
            .await;
        bodies.push((format!("API search {query}"), api));
    }
    for id in &documents {
        let page = server
            .get(&format!("/cases/xss/documents/{id}"), Some(&otto))
            .await;
        assert_eq!(page.status(), StatusCode::OK);
        bodies.push((format!("document {id}"), page));
        let api = server
            .get(&format!("/api/cases/xss/documents/{id}"), Some(&otto))
            .await;
        bodies.push((format!("API document {id}"), api));
    }
    let batch = server
        .post_form("/cases/xss/search/batch", &otto, &[("names", SCRIPT)])
        .await;
    bodies.push(("batch".to_owned(), batch));

    let mut seen_escaped = false;
    for (what, response) in bodies {
        let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(policy.contains("script-src 'self'"), "{what}: {policy}");
        let body = text(response).await;
        assert_inert(&body, &what);
        seen_escaped |= body.contains("&#60;script&#62;alert(1)&#60;/script&#62;");
    }
    assert!(seen_escaped, "the payload should be shown, escaped");

    // The payload really is in the catalog's text, so the checks above bite.
    let catalog = Store::open_existing(store).unwrap();
    for (id, needle) in documents.iter().zip([SCRIPT, "教育", SCRIPT, SCRIPT]) {
        let document = catalog.catalog.document(id).unwrap().unwrap();
        let all_text: String = document.parts.iter().map(|p| p.text.as_str()).collect();
        assert!(all_text.contains(needle), "{id:?}: {all_text:?}");
    }
    let photo = catalog.catalog.document(&documents[4]).unwrap().unwrap();
    let image = photo
        .metadata
        .image
        .expect("the planted photo was read as an image");
    let camera = image.exif;
    assert_eq!(camera.make.as_deref(), Some(SCRIPT));
    assert_eq!(camera.model.as_deref(), Some(IMG));
    let photo_page = text(
        server
            .get(
                &format!("/cases/xss/documents/{}", documents[4]),
                Some(&otto),
            )
            .await,
    )
    .await;
    assert!(
        photo_page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "the EXIF make is shown, escaped"
    );
    let name_page = text(
        server
            .get(
                &format!("/cases/xss/documents/{}", documents[1]),
                Some(&otto),
            )
            .await,
    )
    .await;
    assert!(
        name_page.contains("&#60;img src&#61;x onerror&#61;alert(1)&#62;.txt")
            || name_page.contains("&#60;img src=x onerror=alert(1)&#62;.txt")
    );
}

#[tokio::test]
async fn a_case_whose_index_an_older_trove_made_says_so_on_its_search_page() {
    let dir = scratch_dir("trove-web-older-index");
    let leak = dir.join("leak");
    std::fs::create_dir_all(&leak).unwrap();
    std::fs::write(leak.join("list.txt"), "名单：阿不都·吐尔逊").unwrap();
    let store = dir.join("store");
    ingest(&leak, &store);
    let index = store.join("index");
    std::fs::remove_dir_all(&index).unwrap();
    trove_index::testing::index_before_name_bigrams(&index).unwrap();
    let server = TestServer::new();
    server.add_case("older", &store);
    server.add_case("demo", &demo().store);
    server.add_user("vera", Role::Viewer, Some("older"));
    server.grant("vera", "demo", Role::Viewer);
    let vera = server.session("vera");
    let older = server.get(&search_path("older", "名单"), Some(&vera)).await;
    assert_eq!(older.status(), StatusCode::OK);
    assert!(text(older).await.contains("trove reindex"));
    let current = server.get(&search_path("demo", "名单"), Some(&vera)).await;
    assert_eq!(current.status(), StatusCode::OK);
    assert!(!text(current).await.contains("trove reindex"));
}
