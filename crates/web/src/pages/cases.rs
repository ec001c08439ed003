//! The user's cases, and a case's home page with the case at a glance.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use serde_json::json;
use trove_model::Role;
use trove_store::{AnnotationCatalog, Catalog, RecordSummary, ReviewCatalog, ReviewProgress};

use super::chrome::{Chrome, minute_utc, render};
use super::record_view::subject_link;
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::error::{ApiError, WebError};
use crate::open_case::OpenCase;
use crate::safe_json::SafeJson;
use crate::state::AppState;

/// The routes of the case list and a case's home page.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/cases/{case}", get(home))
        .route("/api/cases/{case}", get(api_home))
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    chrome: Chrome,
    cases: Vec<(String, Role)>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CaseHomePage {
    chrome: Chrome,
    case: String,
    role: Role,
    dashboard: Dashboard,
}

/// The case at a glance: counts only, no one's data (the page is not a read to audit).
struct Dashboard {
    documents: u64,
    bytes: u64,
    /// (type, documents), most first.
    by_kind: Vec<(String, u64)>,
    /// (stage and reason, failures).
    failures: Vec<(String, u64)>,
    unindexed: u64,
    records: Arc<RecordSummary>,
    lists: Vec<ReviewProgress>,
    /// The latest decisions, statuses and notes, newest first.
    activity: Vec<ActivityView>,
}

/// Something a member did lately, as the home page lists it.
struct ActivityView {
    when: String,
    by: String,
    what: String,
    link: String,
}

/// Latest activity shown on the home page.
const RECENT_ACTIVITY: usize = 10;

impl Dashboard {
    fn read(data: &CaseData) -> Result<Dashboard, WebError> {
        let catalog = &data.store.catalog;
        let case = &data.name;
        let activity = catalog
            .recent_activity(RECENT_ACTIVITY)?
            .into_iter()
            .map(|activity| ActivityView {
                when: minute_utc(activity.at),
                by: activity.by,
                what: format!("{}: {}", activity.kind, activity.detail),
                link: subject_link(case, activity.subject_kind, &activity.subject),
            })
            .collect();
        let status = catalog.status()?;
        let records = data.record_summary()?;
        Ok(Dashboard {
            documents: status.documents,
            bytes: status.bytes,
            by_kind: status
                .by_kind
                .iter()
                .map(|(kind, documents, _)| (kind.to_string(), *documents))
                .collect(),
            failures: status
                .failures
                .iter()
                .map(|tally| (format!("{}: {}", tally.stage, tally.reason), tally.count))
                .collect(),
            unindexed: status.unindexed,
            records,
            lists: catalog.review_progress()?,
            activity,
        })
    }
}

/// `GET /`: the cases this user may open.
pub async fn list(user: CurrentUser) -> Result<Html<String>, WebError> {
    let cases = user
        .memberships
        .iter()
        .map(|membership| (membership.case.clone(), membership.role))
        .collect();
    render(&CasesPage {
        chrome: Chrome::for_user(&user, "title.cases"),
        cases,
    })
}

/// `GET /api/cases/{case}`: the case at a glance, as the home page shows it.
pub async fn api_home(case: OpenCase) -> Result<SafeJson<serde_json::Value>, ApiError> {
    let dashboard = case.run(Dashboard::read).await?;
    let records = &dashboard.records;
    let pairs = |pairs: &[(String, u64)]| -> Vec<serde_json::Value> {
        pairs
            .iter()
            .map(|(name, count)| json!({"name": name, "count": count}))
            .collect()
    };
    Ok(SafeJson(json!({
        "case": case.name,
        "role": case.role.to_string(),
        "documents": dashboard.documents,
        "bytes": dashboard.bytes,
        "unindexed": dashboard.unindexed,
        "by_type": pairs(&dashboard.by_kind),
        "failures": pairs(&dashboard.failures),
        "records": records.records,
        "persons": records.persons,
        "persons_with_valid_id": records.persons_with_valid_id,
        "flagged_records": records.flagged_records,
        "linked_photos": records.linked_photos,
        "persons_with_photo": records.persons_with_photo,
        "lists": dashboard.lists,
        "activity": dashboard.activity.iter().map(|a| json!({
            "when": a.when, "by": a.by, "what": a.what, "link": a.link,
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /cases/{case}`: the case's home page: where to go, and the case at a glance.
pub async fn home(user: CurrentUser, case: OpenCase) -> Result<Html<String>, WebError> {
    let dashboard = case.run(Dashboard::read).await?;
    render(&CaseHomePage {
        chrome: Chrome::titled(&user, &case.name),
        role: case.role,
        case: case.name,
        dashboard,
    })
}
