//! The audit trail, for server admins: filtered by actor, action, case and
//! date, newest first, a page at a time, under the trail's head (newest event and hash),
//! the signed checkpoints made of it, and each user's reads of personal data per hour
//! over the last day (so bulk copying stands out). Looking at it is itself audited.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use chrono::{Days, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use trove_access::{AuditAction, AuditFilter, Checkpoint, NewAuditEvent};
use trove_model::AuditEvent;

use super::chrome::{Chrome, render};
use crate::auth::{CurrentUser, require_server_admin};
use crate::error::WebError;
use crate::i18n::Phrase;
use crate::read_rates::{BULK_READS_PER_HOUR, CHART_WIDTH, UserRate, user_rates, window_start};
use crate::state::AppState;

/// The audit trail's route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(show))
}

/// Events per page.
const PAGE_SIZE: u64 = 50;

/// The filter form's fields, as sent (empty means "any").
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    case: String,
    /// First day shown, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    since: String,
    /// Last day shown, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    until: String,
    /// 1-based.
    #[serde(default)]
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    query: AuditQuery,
    events: Vec<AuditEvent>,
    total: u64,
    page: u64,
    pages: u64,
    previous_link: Option<String>,
    next_link: Option<String>,
    /// The newest event: keep its hash elsewhere, or sign it with a checkpoint.
    head: AuditEvent,
    checkpoints: Vec<Checkpoint>,
    rates: Vec<UserRate>,
    chart_width: u32,
    bulk_mark: u64,
}

/// `GET /admin/audit`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Html<String>, WebError> {
    require_server_admin(&user)?;
    let filter = filter_of(&query)?;
    let event = NewAuditEvent::new(AuditAction::AuditViewed)
        .actor(&user.name)
        .detail(describe(&query));
    let wanted = query.page;
    let now = Utc::now();
    let (events, total, page, pages, head, checkpoints, activity) = state
        .with_access(move |db| {
            let head = db.append_audit(event)?;
            let total = db.audit_count(&filter)?;
            let pages = total.div_ceil(PAGE_SIZE).max(1);
            let page = wanted.unwrap_or(1).clamp(1, pages);
            let events = db.audit_events(&filter, (page - 1) * PAGE_SIZE, PAGE_SIZE)?;
            let reads: Vec<AuditAction> = AuditAction::ALL
                .into_iter()
                .filter(|action| action.reads_personal_data())
                .collect();
            let since = window_start(now).to_rfc3339_opts(SecondsFormat::Secs, true);
            let activity = db.hourly_activity(&reads, &since)?;
            Ok((
                events,
                total,
                page,
                pages,
                head,
                db.checkpoints()?,
                activity,
            ))
        })
        .await?;
    let link = |to: u64| page_link(&query, to);
    render(&AuditPage {
        chrome: Chrome::for_user(&user, "nav.audit"),
        previous_link: (page > 1).then(|| link(page - 1)),
        next_link: (page < pages).then(|| link(page + 1)),
        query,
        events,
        total,
        page,
        pages,
        head,
        checkpoints,
        rates: user_rates(&activity, now),
        chart_width: CHART_WIDTH,
        bulk_mark: BULK_READS_PER_HOUR,
    })
}

fn filter_of(query: &AuditQuery) -> Result<AuditFilter, WebError> {
    let given = |text: &str| Some(text.trim().to_string()).filter(|text| !text.is_empty());
    let day = |text: &str, field: &str| -> Result<Option<NaiveDate>, WebError> {
        given(text)
            .map(|text| {
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                    WebError::Refused(
                        Phrase::new("error.date")
                            .arg("field", field)
                            .arg("text", format!("{text:?}")),
                    )
                })
            })
            .transpose()
    };
    let until = day(&query.until, "until")?
        // Events are compared as text with the start of the day after.
        .map(|day| day.checked_add_days(Days::new(1)).unwrap_or(day));
    Ok(AuditFilter {
        actor: given(&query.actor),
        action: given(&query.action),
        case: given(&query.case),
        since: day(&query.since, "since")?.map(|day| day.to_string()),
        until: until.map(|day| day.to_string()),
    })
}

/// The filter in words, for the audit event that records the viewing.
fn describe(query: &AuditQuery) -> String {
    let parts: Vec<String> = [
        ("actor", &query.actor),
        ("action", &query.action),
        ("case", &query.case),
        ("since", &query.since),
        ("until", &query.until),
    ]
    .into_iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .map(|(name, value)| format!("{name}={value}"))
    .collect();
    if parts.is_empty() {
        "all events".to_string()
    } else {
        parts.join(", ")
    }
}

fn page_link(query: &AuditQuery, page: u64) -> String {
    let fields = [
        ("actor", query.actor.as_str()),
        ("action", query.action.as_str()),
        ("case", query.case.as_str()),
        ("since", query.since.as_str()),
        ("until", query.until.as_str()),
        ("page", &page.to_string()),
    ];
    let query = serde_urlencoded::to_string(fields).unwrap_or_default();
    format!("/admin/audit?{query}")
}
