//! The web workbench: accounts and cases, server-rendered pages and a JSON
//! API, served by axum.
//!
//! Access comes first: every route knows its user ([`auth::CurrentUser`],
//! from a session cookie or an API token), every case route checks the
//! user's role there ([`auth::require_case_role`]), every POST carries a CSRF
//! token ([`csrf`]), and every response carries a strict Content-Security-
//! Policy ([`headers`]). Pages are askama templates, which escape every value:
//! leaked content is hostile and is never marked safe.

pub mod app;
pub mod auth;
pub mod case_data;
pub mod csrf;
pub mod document_view;
pub mod download;
pub mod error;
pub mod headers;
pub mod highlight;
pub mod name_list;
mod pages;
pub mod password;
pub mod preview;
pub mod safe_json;
pub mod search_request;
pub mod session;
pub mod throttle;

pub use app::{AppConfig, AppState, ServeError, router, serve};
