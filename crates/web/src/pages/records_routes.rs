//! The routes of records, persons, the review queue, verification and statistics, pages
//! and API, merged into the app's router (which adds the CSRF check and the headers).

use axum::Router;
use axum::routing::{get, post};

use super::{persons, records, review, stats, verification};
use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/records", get(records::list))
        .route(
            "/cases/{case}/records/{blob}/{part}/{row}",
            get(records::show),
        )
        .route("/cases/{case}/persons/{key}", get(persons::show))
        .route(
            "/cases/{case}/review",
            get(review::show).post(review::decide),
        )
        .route("/cases/{case}/verification", post(verification::submit))
        .route("/cases/{case}/stats", get(stats::show))
        .route("/cases/{case}/stats.svg", get(stats::chart))
        .route("/cases/{case}/stats.csv", get(stats::csv))
        .route("/api/cases/{case}/records", get(records::api_list))
        .route(
            "/api/cases/{case}/records/{blob}/{part}/{row}",
            get(records::api_show),
        )
        .route("/api/cases/{case}/persons/{key}", get(persons::api_show))
        .route(
            "/api/cases/{case}/review",
            get(review::api_show).post(review::api_decide),
        )
        .route(
            "/api/cases/{case}/verification",
            post(verification::api_submit),
        )
        .route("/api/cases/{case}/stats", get(stats::api_show))
}
