//! What the web app's HTTP tests share: ingesting a folder into a store, a server folder
//! with its access database, sessions made directly, and requests sent through the router
//! without a network.

// Each test binary uses only some of these.
#![allow(dead_code)]

pub mod demo_case;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, header};
use chrono::Utc;
use tower::ServiceExt;
use trove_access::{Actor, AuditFilter, Grant, NewAccount};
use trove_index::SearchIndex;
use trove_ingest::{IngestOptions, Silent};
use trove_model::AuditEvent;
use trove_model::Role;
use trove_store::Store;
use trove_web::session::{SESSION_COOKIE, SESSION_LIMITS};
use trove_web::{AppConfig, AppState, csrf, router};

/// Ingests `input` into a store in `store_dir` (two workers, silently).
pub fn ingest(input: &Path, store_dir: &Path) -> Store {
    let store = Store::open(store_dir).expect("the store opens");
    {
        let index = SearchIndex::open(&store.index_dir()).expect("the index opens");
        let options = IngestOptions {
            workers: 2,
            ..IngestOptions::default()
        };
        trove_ingest::ingest(
            &store,
            &index,
            input,
            &options,
            &Silent,
            &AtomicBool::new(false),
        )
        .expect("ingest runs");
    }
    store
}

/// A folder kept after the test binary ends (fixtures shared by every test of a binary
/// live as long as it does).
pub fn scratch_dir(prefix: &str) -> PathBuf {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("a temporary folder")
        .keep()
}

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery staple";

/// Adds `name` to the server of `state` with the password [`PASSWORD`]: a server admin
/// with no `case`, else `role` of `case`.
pub fn add_user(state: &AppState, name: &str, role: Role, case: Option<&str>) {
    let grant = Grant::new(role, case).unwrap();
    let account = NewAccount {
        name,
        password: PASSWORD,
        grant: &grant,
    };
    state
        .access()
        .add_user(account, &Actor::CommandLine)
        .unwrap();
}

/// An empty store in a new folder under `parent`, to register as a case.
pub fn empty_store(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(name);
    Store::open(&dir).expect("the store opens");
    dir
}

/// A server folder with its access database, and requests to its router.
pub struct TestServer {
    pub dir: tempfile::TempDir,
    pub state: AppState,
}

impl TestServer {
    pub fn new() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(AppConfig {
            server_dir: dir.path().join("server"),
            secure_cookies: false,
            trusted_proxy: None,
        })
        .unwrap();
        TestServer { dir, state }
    }

    /// A session for `user`, as a login would make.
    pub fn session(&self, user: &str) -> String {
        self.state
            .access()
            .log_in(user, "192.0.2.1", Utc::now(), SESSION_LIMITS)
            .unwrap()
    }

    /// Makes the store folder `store` the case `name`.
    pub fn add_case(&self, name: &str, store: &Path) {
        self.state
            .access()
            .add_case(name, store, &Actor::CommandLine)
            .unwrap();
    }

    /// Adds `name` with the password [`PASSWORD`]: a server admin with no `case`, else
    /// `role` of `case`.
    pub fn add_user(&self, name: &str, role: Role, case: Option<&str>) {
        add_user(&self.state, name, role, case);
    }

    /// Gives `user` `role` in `case` too.
    pub fn grant(&self, user: &str, case: &str, role: Role) {
        self.state
            .access()
            .grant(user, case, role, &Actor::CommandLine)
            .unwrap();
    }

    /// An API token for `user`, labelled `label`.
    pub fn api_token(&self, user: &str, label: &str) -> String {
        self.state
            .access()
            .issue_token(user, label, &Actor::CommandLine)
            .unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        router(self.state.clone()).oneshot(request).await.unwrap()
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Response<Body> {
        let mut request = Request::get(path);
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("{SESSION_COOKIE}={token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// POSTs a form with the session's CSRF token.
    pub async fn post_form(
        &self,
        path: &str,
        session: &str,
        fields: &[(&str, &str)],
    ) -> Response<Body> {
        let token = self.state.csrf().token_for(session);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.send(
            Request::post(path)
                .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
                .unwrap(),
        )
        .await
    }

    /// POSTs JSON with a session cookie, with or without the CSRF header.
    pub async fn post_json(
        &self,
        path: &str,
        session: &str,
        body: &serde_json::Value,
        with_csrf: bool,
    ) -> Response<Body> {
        let mut request = Request::post(path)
            .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
            .header(header::CONTENT_TYPE, "application/json");
        if with_csrf {
            request = request.header(csrf::HEADER, self.state.csrf().token_for(session));
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// The audit events of one action, newest first.
    pub fn audited(&self, action: &str) -> Vec<AuditEvent> {
        let filter = AuditFilter {
            action: Some(action.to_string()),
            ..AuditFilter::default()
        };
        self.state.access().audit_events(&filter, 0, 1000).unwrap()
    }
}

pub async fn bytes(response: Response<Body>) -> Vec<u8> {
    to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

pub async fn text(response: Response<Body>) -> String {
    String::from_utf8(bytes(response).await).unwrap()
}

pub async fn json(response: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&text(response).await).unwrap()
}
