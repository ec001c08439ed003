//! The pages and API routes, one module per area. Each page module exposes its own
//! `routes()`; [`routes`] merges them (the server adds the CSRF check and the headers).
//! Page modules share the page chrome through [`chrome`], never through this module.

mod account;
mod admin;
mod admin_grants;
mod annotations;
mod api;
mod assets;
mod audit;
mod authenticity;
mod cases;
mod chrome;
mod documents;
mod invite;
mod login;
mod persons;
mod photos;
mod publication;
mod record_view;
mod records;
mod review;
mod search;
mod stats;
mod stats_words;
mod verification;

use axum::Router;

use crate::state::AppState;

/// Every page and API route, and the 404 page for any other address.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(login::routes())
        .merge(cases::routes())
        .merge(search::routes())
        .merge(documents::routes())
        .merge(records::routes())
        .merge(persons::routes())
        .merge(photos::routes())
        .merge(review::routes())
        .merge(verification::routes())
        .merge(publication::routes())
        .merge(annotations::routes())
        .merge(stats::routes())
        .merge(account::routes())
        .merge(authenticity::routes())
        .merge(admin::routes())
        .merge(admin_grants::routes())
        .merge(audit::routes())
        .merge(invite::routes())
        .merge(api::routes())
        .merge(assets::routes())
        .fallback(assets::not_found)
}
