//! The pages and API routes, one module per area.

pub mod admin;
pub mod admin_grants;
pub mod api;
pub mod assets;
pub mod audit;
pub mod cases;
mod catalog_work;
pub mod documents;
pub mod invite;
pub mod login;
pub mod persons;
mod record_view;
pub mod records;
pub mod records_routes;
pub mod review;
pub mod search;
pub mod stats;
pub mod verification;

use askama::Template;
use axum::response::Html;
use chrono::{DateTime, Utc};

use crate::auth::CurrentUser;
use crate::error::WebError;

/// What the base template shows around every page: the title, who is
/// logged in, and the CSRF token its forms (log out) carry.
pub struct Chrome {
    pub title: String,
    pub user: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
}

impl Chrome {
    /// For a logged-in user.
    pub fn for_user(user: &CurrentUser, title: &str) -> Self {
        Chrome {
            title: title.to_string(),
            user: Some(user.name.clone()),
            is_admin: user.is_admin,
            csrf: user.csrf_token(),
        }
    }

    /// For someone not logged in, whose forms carry `csrf`.
    pub fn for_visitor(title: &str, csrf: String) -> Self {
        Chrome {
            title: title.to_string(),
            user: None,
            is_admin: false,
            csrf,
        }
    }
}

/// A moment as pages and audit details show it, to the minute: `2026-12-03 08:37 UTC`.
pub fn minute_utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Renders a page template to HTML.
pub fn render(page: &impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(page.render()?))
}
