//! The web workbench: accounts and cases, server-rendered pages and a JSON
//! API, served by axum.
//!
//! Access comes first: every route knows its user (`auth::CurrentUser`,
//! from a session cookie or an API token), every case route opens its case
//! through `open_case::OpenCase`, which checks the user's role there, every
//! POST carries a CSRF token ([`csrf`]), every read of personal data and every
//! refusal leaves an audit event (`read_audit`), and every response carries a strict
//! Content-Security-Policy (`headers`). Pages are askama templates, which escape
//! every value: leaked content is hostile and is never marked safe.
//!
//! Accounts, credentials and the audit trail belong to `trove_access`; this crate calls
//! its operations, off the async threads (`state::AppState::with_access`, `blocking`).
//!
//! Only what the command line and the HTTP tests need is public: the configuration, the
//! state, the router and the server, and the names of the cookies and CSRF token
//! ([`session`], [`csrf`]).

mod auth;
pub mod authenticity_facts;
mod blocking;
mod case_data;
pub mod csrf;
mod document_view;
mod download;
mod error;
mod headers;
mod highlight;
mod i18n;
mod name_list;
mod open_case;
mod pages;
mod paging;
mod preview;
mod read_audit;
mod read_rates;
mod safe_json;
mod search_request;
mod server;
pub mod session;
mod sheet_table;
mod state;
mod throttle;

pub use server::{ServeError, router, serve};
pub use state::{AppConfig, AppState};
pub use throttle::MAX_ATTEMPTS_PER_ADDRESS;
