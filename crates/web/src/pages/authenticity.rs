//! The Authenticity page of a case: `trove authenticity` as a page and as JSON, each
//! finding with links to the rows and files it rests on, and what reviewers concluded
//! about it (explained, confirmed, needs work; reviewers and above may add a conclusion,
//! kept with every earlier one and audited). Reading it is audited too: its statements
//! name ID numbers and files.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use trove_access::{AuditAction, NewAuditEvent};
use trove_forensics::authenticity::html::timeline_svg;
use trove_forensics::authenticity::{Evidence, Report, Section, Strength};
use trove_model::{FindingDecision, FindingReview, Role};
use trove_store::ReviewCatalog;

use super::chrome::{Chrome, minute_utc, render};
use super::record_view::{document_link, row_link};
use crate::auth::CurrentUser;
use crate::error::{ApiError, WebError};
use crate::i18n::Phrase;
use crate::open_case::OpenCase;
use crate::read_audit::Disclosure;
use crate::safe_json::SafeJson;
use crate::state::{AppState, audit_before_commit};

/// Pieces of evidence listed under a finding on the page (the JSON has all).
const EVIDENCE_SHOWN: usize = 10;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/authenticity", get(show))
        .route("/cases/{case}/authenticity/camera.svg", get(camera_chart))
        .route("/cases/{case}/authenticity/review", post(submit_review))
        .route("/api/cases/{case}/authenticity", get(api_show))
        .route("/api/cases/{case}/authenticity/review", post(api_review))
}

/// Longest note kept with a conclusion, in characters.
const MAX_NOTE_CHARS: usize = 4000;

/// The window the leak is believed to cover, `YYYY-MM-DD` (empty: unknown).
#[derive(Debug, Default, Deserialize)]
pub struct WindowQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

/// `?n=N`: which camera of the report's list, from 0.
#[derive(Debug, Deserialize)]
pub struct CameraQuery {
    n: usize,
}

/// `GET /cases/{case}/authenticity/camera.svg?n=N`: one camera's photos per day, the
/// chart the page shows beside its list of cameras (counts per day, no one's data).
pub async fn camera_chart(
    case: OpenCase,
    Query(query): Query<CameraQuery>,
) -> Result<Response, WebError> {
    let svg = case
        .run(move |data| {
            let timelines = data.authenticity_facts()?.camera_timelines();
            let timeline = timelines.get(query.n).ok_or(WebError::NotFound)?;
            Ok(timeline_svg(timeline))
        })
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

/// A section of the report with its findings.
struct SectionView {
    section: Section,
    findings: Vec<FindingView>,
}

/// A finding as the page prints it.
struct FindingView {
    id: String,
    /// The latest conclusion, in words, with who and when.
    reviewed: Option<String>,
    strength: Strength,
    strength_class: &'static str,
    statement: String,
    evidence: Vec<(String, String)>,
    more: usize,
}

#[derive(Template)]
#[template(path = "authenticity.html")]
struct AuthenticityPage {
    chrome: Chrome,
    case: String,
    from: String,
    until: String,
    report: Report,
    sections: Vec<SectionView>,
    can_review: bool,
    csrf: String,
    reviews: [FindingReview; 3],
}

/// `GET /cases/{case}/authenticity?from=…&until=…`.
pub async fn show(
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<WindowQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let report = report_for(&case, &query).await?;
    let read = disclosure(&case.name, &report);
    let reviews = case
        .run(|data| Ok(data.store.catalog.finding_reviews()?))
        .await?;
    let latest: HashMap<&str, &FindingDecision> =
        reviews.iter().map(|d| (d.finding.as_str(), d)).collect();
    let can_review = case.role.at_least(Role::Reviewer);
    let lang = user.language;
    let name = case.name;
    let mut sections: Vec<SectionView> = Vec::new();
    for finding in &report.findings {
        let view = FindingView {
            id: finding.id.clone(),
            reviewed: latest.get(finding.id.as_str()).map(|d| {
                let key = if d.note.is_empty() {
                    "authenticity.reviewed_by"
                } else {
                    "authenticity.reviewed_by_note"
                };
                lang.msg(key)
                    .arg("review", lang.name(d.review))
                    .arg("by", &d.by)
                    .arg("at", minute_utc(d.at))
                    .arg("note", &d.note)
                    .to_string()
            }),
            strength: finding.strength,
            strength_class: match finding.strength {
                Strength::Fact => "fact",
                Strength::Anomaly => "anomaly",
                Strength::Strong => "strong",
            },
            statement: finding.statement.clone(),
            evidence: finding
                .evidence
                .iter()
                .take(EVIDENCE_SHOWN)
                .map(|e| evidence_link(&name, e))
                .collect(),
            more: finding.evidence.len().saturating_sub(EVIDENCE_SHOWN),
        };
        match sections.last_mut() {
            Some(section) if section.section == finding.section => section.findings.push(view),
            _ => sections.push(SectionView {
                section: finding.section,
                findings: vec![view],
            }),
        }
    }
    let page = render(&AuthenticityPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.authenticity").arg("case", &name),
        ),
        case: name,
        from: query.from,
        until: query.until,
        report,
        sections,
        can_review,
        csrf: user.csrf_token(),
        reviews: FindingReview::ALL,
    })?;
    Ok((read, page))
}

/// A reviewer's conclusion, as the page's form or the API sends it.
#[derive(Debug, Deserialize)]
pub struct ReviewRequest {
    finding: String,
    review: String,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{case}/authenticity/review`: keeps a conclusion, then back to the finding.
pub async fn submit_review(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Form(request): Form<ReviewRequest>,
) -> Result<Response, WebError> {
    let saved = review(&state, &user, &case, request).await?;
    Ok(Redirect::to(&format!(
        "/cases/{}/authenticity#finding-{}",
        case.name, saved.finding
    ))
    .into_response())
}

/// `POST /api/cases/{case}/authenticity/review` (JSON).
pub async fn api_review(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Json(request): Json<ReviewRequest>,
) -> Result<Response, ApiError> {
    let saved = review(&state, &user, &case, request).await?;
    Ok((StatusCode::CREATED, SafeJson(saved)).into_response())
}

async fn review(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    request: ReviewRequest,
) -> Result<FindingDecision, WebError> {
    case.require(Role::Reviewer)?;
    let review: FindingReview = request
        .review
        .parse()
        .map_err(|e: trove_model::ParseCodeError| WebError::BadRequest(e.to_string()))?;
    let note = request.note.trim().to_owned();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(WebError::Refused(
            Phrase::new("error.note_too_long").arg("max", MAX_NOTE_CHARS),
        ));
    }
    let finding = request.finding.trim().to_owned();
    let is_id = finding.len() == 16 && finding.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_id {
        return Err(WebError::Refused(
            Phrase::new("error.finding_id").arg("finding", format!("{finding:?}")),
        ));
    }
    let decision = FindingDecision {
        finding,
        review,
        note,
        by: user.name.clone(),
        at: Utc::now(),
    };
    let event = NewAuditEvent::new(AuditAction::FindingReviewed)
        .actor(&user.name)
        .case(&case.name)
        .target(&decision.finding)
        .detail(review.code());
    let saved = decision.clone();
    let access = state.clone();
    case.run(move |data| {
        // The conclusion is kept only once its audit event is written.
        let mut audit = audit_before_commit(&access, event);
        data.store
            .catalog
            .record_finding_review_then(&decision, &mut audit)?;
        Ok(())
    })
    .await?;
    Ok(saved)
}

/// `GET /api/cases/{case}/authenticity?from=…&until=…`: the report as `trove
/// authenticity --json` prints it.
pub async fn api_show(
    case: OpenCase,
    Query(query): Query<WindowQuery>,
) -> Result<(Disclosure, SafeJson<Report>), ApiError> {
    let report = report_for(&case, &query).await?;
    Ok((disclosure(&case.name, &report), SafeJson(report)))
}

async fn report_for(case: &OpenCase, query: &WindowQuery) -> Result<Report, WebError> {
    let from = date(&query.from, "from")?;
    let until = date(&query.until, "until")?;
    case.run(move |data| Ok(data.authenticity_facts()?.report(from, until)))
        .await
}

/// The audit record of reading the report (it names ID numbers and files).
fn disclosure(case: &str, report: &Report) -> Disclosure {
    Disclosure::new(AuditAction::ViewAuthenticity, case).detail(format!(
        "{} findings ({} strong)",
        report.findings.len(),
        report.summary.strong
    ))
}

fn date(text: &str, field: &str) -> Result<Option<NaiveDate>, WebError> {
    match text.trim() {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                WebError::Refused(
                    Phrase::new("error.evidence_date")
                        .arg("field", field)
                        .arg("text", format!("{text:?}")),
                )
            }),
    }
}

/// Where a piece of evidence opens, and how it reads.
fn evidence_link(case: &str, evidence: &Evidence) -> (String, String) {
    match evidence {
        Evidence::Row {
            blob,
            part,
            row,
            column,
            place,
        } => (row_link(case, blob, *part, *row, *column), place.clone()),
        Evidence::Document { blob, path } => (document_link(case, blob), path.clone()),
    }
}
