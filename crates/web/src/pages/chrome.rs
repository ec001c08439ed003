//! What every page shares: the chrome around it, rendering a template to HTML, and
//! moments written to the minute.

use askama::Template;
use axum::response::Html;

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::i18n::Lang;

/// What the base template shows around every page: the title, who is
/// logged in, and the CSRF token its forms (log out) carry.
pub struct Chrome {
    pub title: String,
    pub user: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    /// The language the page speaks in (its own words; leaked content stays as written).
    pub lang: Lang,
}

impl Chrome {
    /// For a logged-in user.
    pub fn for_user(user: &CurrentUser, title: &str) -> Self {
        Chrome {
            title: title.to_string(),
            user: Some(user.name.clone()),
            is_admin: user.is_admin,
            csrf: user.csrf_token(),
            lang: user.language,
        }
    }

    /// The same chrome speaking `lang` (a visitor's browser's choice, say).
    pub fn speaking(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// The workbench's message `key` in the page's language (see [`crate::i18n`]).
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// For someone not logged in, whose forms carry `csrf`.
    pub fn for_visitor(title: &str, csrf: String) -> Self {
        Chrome {
            title: title.to_string(),
            user: None,
            is_admin: false,
            csrf,
            lang: Lang::default(),
        }
    }
}

pub use trove_access::minute_utc;

/// Renders a page template to HTML.
pub fn render(page: &impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(page.render()?))
}

/// A facet value beside a list (search hits, records): a link that narrows the list to
/// it, or, when the list is narrowed to it already, widens it again.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    /// Already narrowed to this value: the link widens again.
    pub active: bool,
}

/// A field's facet values, under their heading.
pub struct FacetGroup {
    pub heading: &'static str,
    pub links: Vec<FacetLink>,
}
