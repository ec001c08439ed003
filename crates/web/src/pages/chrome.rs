//! What every page shares: the chrome around it, rendering a template to HTML, and
//! moments written to the minute.

use std::fmt::Display;

use askama::Template;
use axum::response::Html;

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::i18n::{Lang, Message, Named};

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
    /// For a logged-in user, on a page titled by the catalog's message `title`.
    pub fn for_user(user: &CurrentUser, title: &str) -> Self {
        Self::titled(user, user.language.t(title))
    }

    /// For a logged-in user, on a page titled `title`: a message filled with what the page
    /// is about (`user.language.msg("title.records").arg("case", …)`), or the name of what
    /// it shows (a case, a document), as written.
    pub fn titled(user: &CurrentUser, title: impl Display) -> Self {
        Chrome {
            title: title.to_string(),
            user: Some(user.name.clone()),
            is_admin: user.is_admin,
            csrf: user.csrf_token(),
            lang: user.language,
        }
    }

    /// For someone not logged in, who reads `lang` (their browser's choice), on a page
    /// titled by the catalog's message `title`, whose forms carry `csrf`.
    pub fn for_visitor(lang: Lang, title: &str, csrf: String) -> Self {
        Chrome {
            title: lang.t(title).to_owned(),
            user: None,
            is_admin: false,
            csrf,
            lang,
        }
    }

    /// The workbench's message `key` in the page's language (see [`crate::i18n`]).
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The message `key` in the page's language, its placeholders to fill.
    pub fn msg(&self, key: &str) -> Message {
        self.lang.msg(key)
    }

    /// The name of a code (a role, a review's state) in the page's language.
    pub fn name(&self, code: impl Named) -> &'static str {
        self.lang.name(code)
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
    /// The heading's message key.
    pub heading: &'static str,
    pub links: Vec<FacetLink>,
}
