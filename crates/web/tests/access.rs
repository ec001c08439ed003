//! Access to the workbench over HTTP, without a network: who gets in, who
//! sees which case, and what is refused and audited.

mod common;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use tower::ServiceExt;
use trove_access::{Actor, AuditFilter, new_token};
use trove_model::Role;
use trove_web::session::{SESSION_COOKIE, VISITOR_COOKIE};
use trove_web::{AppState, csrf, router};

use common::{PASSWORD, TestServer, empty_store};

/// An API token for `user`, as `trove user token` would issue.
fn issue_token(state: &AppState, user: &str, label: &str) -> String {
    state
        .access()
        .issue_token(user, label, &Actor::CommandLine)
        .unwrap()
}

/// A server with two cases, A and B; `root`, a server admin; and `vera`, a viewer of A.
struct Server {
    _dir: tempfile::TempDir,
    state: AppState,
}

impl Server {
    fn new() -> Self {
        let server = TestServer::new();
        server.add_case("case-a", &empty_store(server.dir.path(), "a"));
        server.add_case("case-b", &empty_store(server.dir.path(), "b"));
        server.add_user("root", Role::Admin, None);
        let TestServer { dir, state } = server;
        Server { _dir: dir, state }.with_user("vera", false)
    }

    /// Adds `name`: a server admin, or else a viewer of case A.
    fn with_user(self, name: &str, is_admin: bool) -> Self {
        match is_admin {
            true => common::add_user(&self.state, name, Role::Admin, None),
            false => common::add_user(&self.state, name, Role::Viewer, Some("case-a")),
        }
        self
    }

    fn app(&self) -> Router {
        router(self.state.clone())
    }

    async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.app().oneshot(request).await.unwrap()
    }

    /// Logs in from a fresh browser and returns the response.
    async fn try_login(&self, name: &str, password: &str) -> Response<Body> {
        let visitor = new_token();
        let body = serde_urlencoded::to_string([
            ("csrf", self.state.csrf().token_for(&visitor).as_str()),
            ("name", name),
            ("password", password),
        ])
        .unwrap();
        self.send(
            Request::post("/login")
                .header(header::COOKIE, format!("{VISITOR_COOKIE}={visitor}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Logs in and returns the session token.
    async fn login(&self, name: &str) -> String {
        let response = self.try_login(name, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "login of {name}");
        session_token(&response).expect("a session cookie")
    }

    async fn get(&self, path: &str, session: Option<&str>) -> Response<Body> {
        let mut request = Request::get(path);
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("{SESSION_COOKIE}={token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// POSTs a form with the session's CSRF token (or none).
    async fn post(&self, path: &str, session: &str, with_csrf: bool) -> Response<Body> {
        let body = if with_csrf {
            format!("csrf={}", self.state.csrf().token_for(session))
        } else {
            String::new()
        };
        self.send(
            Request::post(path)
                .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    fn audited(&self, action: &str) -> Vec<trove_model::AuditEvent> {
        let filter = AuditFilter {
            action: Some(action.to_string()),
            ..AuditFilter::default()
        };
        self.state.access().audit_events(&filter, 0, 100).unwrap()
    }
}

fn session_token(response: &Response<Body>) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix(&format!("{SESSION_COOKIE}=")))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
        .filter(|token| !token.is_empty())
}

async fn text(response: Response<Body>) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

#[tokio::test]
async fn strangers_are_sent_to_the_login_page_and_the_api_answers_401() {
    let server = Server::new();
    for path in ["/", "/cases/case-a", "/admin", "/admin/audit"] {
        let response = server.get(path, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/login", "{path}");
    }
    for path in ["/api/me", "/api/cases"] {
        let response = server.get(path, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(text(response).await.contains("\"error\""));
    }
    let forged = server.get("/", Some(&new_token())).await;
    assert_eq!(location(&forged), "/login");
}

#[tokio::test]
async fn the_login_page_gives_a_visitor_cookie_and_a_matching_form_token() {
    let server = Server::new();
    let response = server.get("/login", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    let visitor = cookie
        .strip_prefix(&format!("{VISITOR_COOKIE}="))
        .and_then(|rest| rest.split(';').next())
        .unwrap();
    let html = text(response).await;
    assert!(html.contains(&format!(
        "name=\"csrf\" value=\"{}\"",
        server.state.csrf().token_for(visitor)
    )));
}

#[tokio::test]
async fn a_right_password_sets_an_http_only_strict_session_cookie() {
    let server = Server::new();
    let response = server.try_login("vera", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap())
        .find(|cookie| cookie.starts_with(SESSION_COOKIE))
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    let session = session_token(&response).unwrap();
    let home = server.get("/", Some(&session)).await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(text(home).await.contains("case-a"));
    assert_eq!(server.audited("login")[0].actor.as_deref(), Some("vera"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_audited() {
    let server = Server::new();
    let response = server.try_login("vera", "not the password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(session_token(&response).is_none());
    assert!(
        text(response)
            .await
            .contains("Wrong user name or password.")
    );
    let failed = server.audited("login_failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].target.as_deref(), Some("vera"));
    assert_eq!(failed[0].actor, None);
}

#[tokio::test]
async fn five_failures_lock_the_name_out_even_with_the_right_password() {
    let server = Server::new();
    for _ in 0..4 {
        let response = server.try_login("vera", "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let fifth = server.try_login("vera", "guess").await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    let right = server.try_login("vera", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(session_token(&right).is_none());
    assert!(text(right).await.contains("Too many failed logins"));
    let lockouts = server.audited("lockout");
    assert_eq!(lockouts.len(), 1);
    assert_eq!(lockouts[0].target.as_deref(), Some("vera"));
    // Other names are not locked out.
    server.login("root").await;
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_forbidden() {
    let server = Server::new();
    let session = server.login("vera").await;
    let response = server.post("/logout", &session, false).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let forged = server
        .send(
            Request::post("/logout")
                .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
                .header(csrf::HEADER, server.state.csrf().token_for(&new_token()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Still logged in: nothing happened.
    assert_eq!(
        server.get("/", Some(&session)).await.status(),
        StatusCode::OK
    );
    let logout = server.post("/logout", &session, true).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&server.get("/", Some(&session)).await), "/login");
}

#[tokio::test]
async fn logging_out_everywhere_ends_the_other_sessions() {
    let server = Server::new();
    let laptop = server.login("vera").await;
    let phone = server.login("vera").await;
    let other_user = server.login("root").await;
    let response = server.post("/logout-everywhere", &laptop, true).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&server.get("/", Some(&phone)).await), "/login");
    assert_eq!(location(&server.get("/", Some(&laptop)).await), "/login");
    assert_eq!(
        server.get("/", Some(&other_user)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        server.audited("logout_everywhere")[0].detail,
        "2 sessions ended, 0 API tokens revoked"
    );
}

#[tokio::test]
async fn a_viewer_sees_only_their_case_and_not_the_admin_pages() {
    let server = Server::new();
    let session = server.login("vera").await;
    let own = server.get("/cases/case-a", Some(&session)).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert!(text(own).await.contains("<strong>viewer</strong>"));
    let other = server.get("/cases/case-b", Some(&session)).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let missing = server.get("/cases/no-such-case", Some(&session)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        text(other).await,
        text(missing).await,
        "a 404 reveals nothing"
    );
    for path in ["/admin", "/admin/audit"] {
        let response = server.get(path, Some(&session)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let home = text(server.get("/", Some(&session)).await).await;
    assert!(!home.contains("case-b"));
}

#[tokio::test]
async fn a_server_admin_sees_the_admin_page_and_every_case() {
    let server = Server::new();
    let session = server.login("root").await;
    let admin = server.get("/admin", Some(&session)).await;
    assert_eq!(admin.status(), StatusCode::OK);
    let html = text(admin).await;
    assert!(html.contains("vera") && html.contains("viewer of case-a"));
    let case = server.get("/cases/case-b", Some(&session)).await;
    assert_eq!(case.status(), StatusCode::OK);
    let audit = server
        .get("/admin/audit?action=login", Some(&session))
        .await;
    assert_eq!(audit.status(), StatusCode::OK);
    assert!(text(audit).await.contains("1 events"));
    assert_eq!(server.audited("audit_viewed")[0].detail, "action=login");
}

#[tokio::test]
async fn the_audit_page_shows_the_head_and_the_signed_checkpoints() {
    let server = Server::new();
    let key_dir = tempfile::tempdir().unwrap();
    let key = trove_access::AuditKey::load_or_create(key_dir.path()).unwrap();
    let checkpoint = server
        .state
        .access()
        .make_checkpoint(&key, &Actor::CommandLine)
        .unwrap();
    let session = server.login("root").await;
    let html = text(server.get("/admin/audit", Some(&session)).await).await;
    let head = server.audited("audit_viewed").remove(0);
    assert!(
        html.contains(&format!(
            "event {}, hash <code>{}</code>",
            head.seq, head.hash
        )),
        "{html}"
    );
    assert!(html.contains("Signed checkpoints (1)"));
    assert!(html.contains(&checkpoint.head_hash) && html.contains(&checkpoint.key_id));
}

#[tokio::test]
async fn a_bearer_token_opens_the_api_without_a_cookie_or_csrf() {
    let server = Server::new();
    let token = issue_token(&server.state, "vera", "script");
    let request = |token: &str| {
        Request::get("/api/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let response = server.send(request(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
    assert_eq!(me["name"], "vera");
    assert_eq!(
        me["cases"],
        serde_json::json!([{"name": "case-a", "role": "viewer"}])
    );
    let wrong = server.send(request(&new_token())).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = Server::new();
    let session = server.login("vera").await;
    for response in [
        server.get("/login", None).await,
        server.get("/", Some(&session)).await,
        server.get("/nowhere", Some(&session)).await,
        server.get("/static/app.css", None).await,
        server.post("/logout", &session, false).await,
    ] {
        let headers = response.headers();
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    }
    let page = server.get("/", Some(&session)).await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
    assert!(
        !page
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY),
        "plain HTTP on loopback: no HSTS"
    );
}

#[tokio::test]
async fn served_over_https_the_browser_is_told_to_stay_on_https() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(trove_web::AppConfig {
        server_dir: dir.path().join("server"),
        secure_cookies: true,
        trusted_proxy: None,
    })
    .unwrap();
    let response = router(state.clone())
        .oneshot(Request::get("/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.starts_with("__Host-trove_visitor="), "{cookie}");
    assert!(
        cookie.contains("; Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );

    // A login over HTTPS gives a __Host- session cookie, and only that name opens pages.
    let access = state.access();
    access
        .add_user(
            trove_access::NewAccount {
                name: "vera",
                password: PASSWORD,
                grant: &trove_access::Grant::new(Role::Admin, None).unwrap(),
            },
            &Actor::CommandLine,
        )
        .unwrap();
    let visitor = new_token();
    let body = serde_urlencoded::to_string([
        ("csrf", state.csrf().token_for(&visitor).as_str()),
        ("name", "vera"),
        ("password", PASSWORD),
    ])
    .unwrap();
    let login = router(state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::COOKIE, format!("__Host-trove_visitor={visitor}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let set = login.headers()[header::SET_COOKIE].to_str().unwrap();
    let session = set
        .strip_prefix("__Host-trove_session=")
        .and_then(|rest| rest.split(';').next())
        .expect("a __Host- session cookie")
        .to_owned();
    let home = |cookie: String| {
        router(state.clone()).oneshot(
            Request::get("/")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
    };
    let opened = home(format!("__Host-trove_session={session}"))
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::OK);
    let plain = home(format!("{SESSION_COOKIE}={session}")).await.unwrap();
    assert_eq!(
        plain.status(),
        StatusCode::SEE_OTHER,
        "the unprefixed name is not ours"
    );
}

#[tokio::test]
async fn a_script_as_a_user_name_is_shown_as_text() {
    let server = Server::new().with_user("<script>alert(1)</script>", false);
    let session = server.login("root").await;
    let html = text(server.get("/admin", Some(&session)).await).await;
    assert!(
        !html.contains("<script>"),
        "unescaped script tag in the admin page"
    );
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
}

#[tokio::test]
async fn an_invitation_link_makes_one_account_once() {
    let server = Server::new();
    let admin = server.login("root").await;
    let body = format!(
        "csrf={}&role=reviewer&case=case-b",
        server.state.csrf().token_for(&admin)
    );
    let response = server
        .send(
            Request::post("/admin/invitations")
                .header(header::COOKIE, format!("{SESSION_COOKIE}={admin}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let html = text(response).await;
    let start = html.find("/invite/").expect("an invitation link");
    let link = &html[start..start + "/invite/".len() + 64];

    let accept = |name: &'static str| {
        let visitor = new_token();
        let body = serde_urlencoded::to_string([
            ("csrf", server.state.csrf().token_for(&visitor).as_str()),
            ("name", name),
            ("password", PASSWORD),
            ("password_again", PASSWORD),
        ])
        .unwrap();
        Request::post(link)
            .header(header::COOKIE, format!("{VISITOR_COOKIE}={visitor}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let first = server.send(accept("rahim")).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = server.send(accept("mallory")).await;
    assert_eq!(second.status(), StatusCode::NOT_FOUND);

    let rahim = server.login("rahim").await;
    let page = text(server.get("/cases/case-b", Some(&rahim)).await).await;
    assert!(page.contains("<strong>reviewer</strong>"));
    assert_eq!(
        server.audited("invitation_used")[0].actor.as_deref(),
        Some("rahim")
    );
    assert_eq!(server.audited("invitation_created").len(), 1);
}

/// POSTs the form `fields` (plus the CSRF token) as `session` and returns the page.
async fn post_form(
    server: &Server,
    path: &str,
    session: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let csrf = server.state.csrf().token_for(session);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let response = server
        .send(
            Request::post(path)
                .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
                .unwrap(),
        )
        .await;
    (response.status(), text(response).await)
}

#[tokio::test]
async fn the_admin_page_changes_roles_and_takes_access_away() {
    let server = Server::new();
    let admin = server.login("root").await;
    let vera = server.login("vera").await;
    let (status, html) = post_form(
        &server,
        "/admin/access",
        &admin,
        &[("user", "vera"), ("case", "case-b"), ("role", "reviewer")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("reviewer of case-b"));
    assert_eq!(
        server.get("/cases/case-b", Some(&vera)).await.status(),
        StatusCode::OK
    );

    let (status, _) = post_form(
        &server,
        "/admin/access",
        &admin,
        &[("user", "vera"), ("case", "case-b"), ("role", "none")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let gone = server.get("/cases/case-b", Some(&vera)).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(server.audited("role_granted")[0].detail, "role reviewer");
    assert_eq!(
        server.audited("role_removed")[0].target.as_deref(),
        Some("vera")
    );

    // Nobody but a server admin may use these forms.
    let (status, _) = post_form(
        &server,
        "/admin/access",
        &vera,
        &[("user", "vera"), ("case", "case-b"), ("role", "admin")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_api_token_issued_on_the_admin_page_opens_the_api_until_revoked() {
    let server = Server::new();
    let admin = server.login("root").await;
    // A token acts in its user's name: an admin is not issued one for someone else.
    let (status, html) = post_form(
        &server,
        "/admin/tokens",
        &admin,
        &[("user", "vera"), ("label", "nightly export")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("issued only to its own user"), "{html}");
    assert!(server.audited("api_token_issued").is_empty());
    let (status, html) = post_form(
        &server,
        "/admin/tokens",
        &admin,
        &[("user", "root"), ("label", "nightly export")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let shown = "<p class=\"invitation\"><code>";
    let start = html.find(shown).expect("the token") + shown.len();
    let token = html[start..start + 64].to_owned();
    let me = |token: String| {
        let server = &server;
        async move {
            let request = Request::get("/api/me")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            server.send(request).await.status()
        }
    };
    assert_eq!(me(token.clone()).await, StatusCode::OK);
    let page = text(server.get("/admin", Some(&admin)).await).await;
    assert!(page.contains("nightly export (issued "));
    assert!(!page.contains(&token), "a token is shown once only");

    let (status, html) = post_form(
        &server,
        "/admin/tokens/revoke",
        &admin,
        &[("user", "root"), ("label", "nightly export")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(me(token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.audited("api_token_issued")[0].actor.as_deref(),
        Some("root")
    );
    assert_eq!(server.audited("api_token_revoked").len(), 1);
}

#[tokio::test]
async fn disabling_a_user_on_the_admin_page_ends_their_session() {
    let server = Server::new();
    let admin = server.login("root").await;
    let vera = server.login("vera").await;
    let (status, _) = post_form(&server, "/admin/users/disable", &admin, &[("user", "vera")]).await;
    assert_eq!(status, StatusCode::OK);
    let after = server.get("/cases/case-a", Some(&vera)).await;
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "sent to log in again"
    );
    assert_eq!(
        server.audited("user_disabled")[0].target.as_deref(),
        Some("vera")
    );

    let (status, html) =
        post_form(&server, "/admin/users/disable", &admin, &[("user", "root")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("You cannot disable yourself"));
}

#[tokio::test]
async fn a_server_admin_adds_a_case_from_the_admin_page() {
    let server = Server::new();
    let admin = server.login("root").await;
    let store = tempfile::tempdir().unwrap();
    let folder = store.path().to_str().unwrap();
    let (status, html) = post_form(
        &server,
        "/admin/cases",
        &admin,
        &[("name", "case-c"), ("store", folder)],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no store there yet");
    assert!(html.contains("holds no trove store"));

    std::fs::write(store.path().join("trove.sqlite"), b"").unwrap();
    let (status, html) = post_form(
        &server,
        "/admin/cases",
        &admin,
        &[("name", "case-c"), ("store", folder)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Added case case-c"));
    assert!(server.state.access().case("case-c").unwrap().is_some());
    assert_eq!(
        server.audited("case_added")[0].actor.as_deref(),
        Some("root")
    );

    let vera = server.login("vera").await;
    let (status, _) = post_form(
        &server,
        "/admin/cases",
        &vera,
        &[("name", "case-d"), ("store", folder)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn one_address_trying_many_logins_is_slowed_down_and_audited() {
    let server = Server::new();
    let mut statuses = Vec::new();
    for attempt in 0..=trove_web::MAX_ATTEMPTS_PER_ADDRESS {
        let name = format!("nobody-{}", attempt % 3);
        statuses.push(server.try_login(&name, "guess").await.status());
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    let right = server.try_login("vera", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    let lockouts = server.audited("lockout");
    let by_address: Vec<_> = lockouts
        .iter()
        .filter(|event| event.detail.contains("address"))
        .collect();
    assert_eq!(by_address.len(), 1, "{lockouts:?}");
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_their_other_sessions_end() {
    let server = Server::new();
    let here = server.login("vera").await;
    let elsewhere = server.login("vera").await;
    let (status, html) = post_form(
        &server,
        "/account/password",
        &here,
        &[
            ("current", "not my password"),
            ("new", "a new long password"),
            ("repeat", "a new long password"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("current password is wrong"), "{html}");
    let (status, html) = post_form(
        &server,
        "/account/password",
        &here,
        &[
            ("current", PASSWORD),
            ("new", "a new long password"),
            ("repeat", "a new long password"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("1 other sessions of yours have ended"),
        "{html}"
    );
    assert_eq!(server.get("/", Some(&here)).await.status(), StatusCode::OK);
    assert_eq!(
        server.get("/", Some(&elsewhere)).await.status(),
        StatusCode::SEE_OTHER,
        "the other session has ended"
    );
    assert_eq!(
        server
            .try_login("vera", "a new long password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let set = server.audited("password_set");
    assert_eq!(set[0].actor.as_deref(), Some("vera"));
}

#[tokio::test]
async fn logging_out_everywhere_also_revokes_the_users_api_tokens() {
    let server = Server::new();
    let token = issue_token(&server.state, "vera", "script");
    let session = server.login("vera").await;
    let me = || {
        Request::get("/api/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(server.send(me()).await.status(), StatusCode::OK);
    let (status, _) = post_form(&server, "/logout-everywhere", &session, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(server.send(me()).await.status(), StatusCode::UNAUTHORIZED);
    let event = server.audited("logout_everywhere").remove(0);
    assert!(
        event.detail.contains("1 API tokens revoked"),
        "{}",
        event.detail
    );
}

#[tokio::test]
async fn an_open_invitation_is_listed_and_revoked_on_the_admin_page() {
    let server = Server::new();
    let admin = server.login("root").await;
    let (status, html) = post_form(
        &server,
        "/admin/invitations",
        &admin,
        &[("role", "admin"), ("case", "")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("for a day (it makes a server admin)"),
        "{html}"
    );
    let start = html.find("/invite/").expect("an invitation link");
    let link = html[start..start + "/invite/".len() + 64].to_owned();
    assert!(html.contains("<caption>Open invitations</caption>"));
    let id_at = html.find("name=\"id\" value=\"").expect("a revoke form") + 17;
    let id = html[id_at..id_at + 64].to_owned();
    let (status, html) =
        post_form(&server, "/admin/invitations/revoke", &admin, &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        !html.contains("<caption>Open invitations</caption>"),
        "{html}"
    );
    assert_eq!(server.audited("invitation_revoked").len(), 1);
    let page = server.get(&link, None).await;
    assert_ne!(
        page.status(),
        StatusCode::OK,
        "a revoked link opens nothing"
    );
}

#[tokio::test]
async fn behind_the_trusted_proxy_the_client_address_is_the_forwarded_one() {
    for (trusted, expected) in [
        // Tests reach the router without a connection: the peer is 0.0.0.0.
        (Some("0.0.0.0".parse().unwrap()), "from 198.51.100.7"),
        (None, "from 0.0.0.0"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(trove_web::AppConfig {
            server_dir: dir.path().join("server"),
            secure_cookies: false,
            trusted_proxy: trusted,
        })
        .unwrap();
        let visitor = new_token();
        let body = serde_urlencoded::to_string([
            ("csrf", state.csrf().token_for(&visitor).as_str()),
            ("name", "nobody"),
            ("password", "wrong"),
        ])
        .unwrap();
        let request = Request::post("/login")
            .header(header::COOKIE, format!("{VISITOR_COOKIE}={visitor}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "203.0.113.9, 198.51.100.7")
            .body(Body::from(body))
            .unwrap();
        let response = router(state.clone()).oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let filter = AuditFilter {
            action: Some("login_failed".into()),
            ..AuditFilter::default()
        };
        let failed = state.access().audit_events(&filter, 0, 1).unwrap();
        assert!(failed[0].detail.ends_with(expected), "{}", failed[0].detail);
    }
}

/// A login form sent through the trusted proxy for the client `address`.
async fn login_through_proxy(
    state: &AppState,
    name: &str,
    password: &str,
    address: &str,
) -> StatusCode {
    let visitor = new_token();
    let body = serde_urlencoded::to_string([
        ("csrf", state.csrf().token_for(&visitor).as_str()),
        ("name", name),
        ("password", password),
    ])
    .unwrap();
    let request = Request::post("/login")
        .header(header::COOKIE, format!("{VISITOR_COOKIE}={visitor}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", address)
        .body(Body::from(body))
        .unwrap();
    router(state.clone())
        .oneshot(request)
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn guessing_an_admins_password_from_one_address_does_not_lock_the_admin_out_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(trove_web::AppConfig {
        server_dir: dir.path().join("server"),
        secure_cookies: false,
        // Tests reach the router without a connection: the peer is 0.0.0.0.
        trusted_proxy: Some("0.0.0.0".parse().unwrap()),
    })
    .unwrap();
    common::add_user(&state, "root", Role::Admin, None);
    let guesser = "203.0.113.9";
    for _ in 0..4 {
        let status = login_through_proxy(&state, "root", "wrong guess", guesser).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let status = login_through_proxy(&state, "root", "wrong guess", guesser).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the fifth locks it");
    // From the guesser's address even the right password is refused now …
    let status = login_through_proxy(&state, "root", PASSWORD, guesser).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // … but the admin, elsewhere, logs in.
    let status = login_through_proxy(&state, "root", PASSWORD, "198.51.100.7").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let filter = AuditFilter {
        action: Some("lockout".into()),
        ..AuditFilter::default()
    };
    let lockouts = state.access().audit_events(&filter, 0, 10).unwrap();
    assert_eq!(lockouts.len(), 1);
    assert!(
        lockouts[0].detail.contains("from 203.0.113.9"),
        "{lockouts:?}"
    );
}

#[tokio::test]
async fn the_login_page_speaks_the_language_the_browser_asks_for() {
    let server = Server::new();
    let ask = |language: &'static str| {
        Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, language)
            .body(Body::empty())
            .unwrap()
    };
    let chinese = text(server.send(ask("zh-CN,zh;q=0.9,en;q=0.8")).await).await;
    assert!(chinese.contains("<html lang=\"zh-Hans\">") && chinese.contains("<h1>登录</h1>"));
    let english = text(server.send(ask("de,en;q=0.5")).await).await;
    assert!(english.contains("<h1>Log in</h1>"));
}
