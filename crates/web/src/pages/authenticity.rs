//! The Authenticity page of a case: `trove authenticity` as a page and as JSON, each
//! finding with links to the rows and files it rests on. Reading it is audited: its
//! statements name ID numbers and files.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use trove_access::{AuditAction, NewAuditEvent};
use trove_forensics::authenticity::{Evidence, Report};

use super::chrome::{Chrome, render};
use crate::auth::CurrentUser;
use crate::authenticity_facts::CaseFacts;
use crate::error::{ApiError, WebError};
use crate::open_case::OpenCase;
use crate::state::AppState;

/// Pieces of evidence listed under a finding on the page (the JSON has all).
const EVIDENCE_SHOWN: usize = 10;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/authenticity", get(show))
        .route("/api/cases/{case}/authenticity", get(api_show))
}

/// The window the leak is believed to cover, `YYYY-MM-DD` (empty: unknown).
#[derive(Debug, Default, Deserialize)]
pub struct WindowQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

/// A section of the report with its findings.
struct SectionView {
    title: &'static str,
    findings: Vec<FindingView>,
}

/// A finding as the page prints it.
struct FindingView {
    strength: &'static str,
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
}

/// `GET /cases/{case}/authenticity?from=…&until=…`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<WindowQuery>,
) -> Result<Html<String>, WebError> {
    let report = report_for(&state, &user, &case, &query).await?;
    let name = case.name;
    let mut sections: Vec<SectionView> = Vec::new();
    for finding in &report.findings {
        let view = FindingView {
            strength: finding.strength.label(),
            strength_class: match finding.strength {
                trove_forensics::authenticity::Strength::Fact => "fact",
                trove_forensics::authenticity::Strength::Anomaly => "anomaly",
                trove_forensics::authenticity::Strength::Strong => "strong",
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
        let title = finding.section.title();
        match sections.last_mut() {
            Some(section) if section.title == title => section.findings.push(view),
            _ => sections.push(SectionView {
                title,
                findings: vec![view],
            }),
        }
    }
    render(&AuthenticityPage {
        chrome: Chrome::for_user(&user, &format!("Authenticity · {name}")),
        case: name,
        from: query.from,
        until: query.until,
        report,
        sections,
    })
}

/// `GET /api/cases/{case}/authenticity?from=…&until=…`: the report as `trove
/// authenticity --json` prints it.
pub async fn api_show(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<WindowQuery>,
) -> Result<Json<Report>, ApiError> {
    Ok(Json(report_for(&state, &user, &case, &query).await?))
}

async fn report_for(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    query: &WindowQuery,
) -> Result<Report, WebError> {
    let from = date(&query.from, "from")?;
    let until = date(&query.until, "until")?;
    let report = case
        .run(move |data| Ok(CaseFacts::read(&data.store)?.report(from, until)))
        .await?;
    state
        .audit(
            NewAuditEvent::new(AuditAction::ViewAuthenticity)
                .actor(&user.name)
                .case(&case.name)
                .detail(format!(
                    "{} findings ({} strong)",
                    report.findings.len(),
                    report.summary.strong
                )),
        )
        .await?;
    Ok(report)
}

fn date(text: &str, field: &str) -> Result<Option<NaiveDate>, WebError> {
    match text.trim() {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                WebError::BadRequest(format!(
                    "{field} must be a date like 2018-12-31, not {text:?}"
                ))
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
        } => {
            let column = if *column == 0 {
                String::new()
            } else {
                format!("?column={column}")
            };
            (
                format!("/cases/{case}/records/{blob}/{part}/{row}{column}"),
                place.clone(),
            )
        }
        Evidence::Document { blob, path } => {
            (format!("/cases/{case}/documents/{blob}"), path.clone())
        }
    }
}
