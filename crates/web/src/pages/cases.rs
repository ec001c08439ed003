//! The user's cases, and a case's home page with the case at a glance.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use trove_model::{FailureReason, Review, Role, Stage, VerificationStatus};
use trove_store::{IngestProgress, RecordSummary, ReviewProgress, Standing, read_progress};

use super::chrome::{Chrome, minute_utc, render};
use super::record_view::subject_link;
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::error::{ApiError, WebError};
use crate::i18n::{Lang, Message};
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
    /// (stage, reason, failures).
    failures: Vec<(Stage, FailureReason, u64)>,
    unindexed: u64,
    records: Arc<RecordSummary>,
    lists: Vec<ReviewProgress>,
    /// The latest decisions, statuses and notes, newest first.
    activity: Vec<ActivityView>,
    /// The ingest running into the case's store, or the last one.
    ingest: Option<IngestView>,
}

/// An ingest of the case's store, as the home page shows it: running, stopped without a
/// word, or ended. Counts and times only, and the name of the folder ingested.
struct IngestView {
    /// Running, stopped (not written for a while: killed), or how it ended.
    standing: Standing,
    progress: IngestProgress,
    started: String,
    /// When the file was last written.
    updated: String,
    finished: String,
    /// How long it has run, or ran, as h:mm:ss.
    elapsed: String,
}

impl IngestView {
    fn new(progress: IngestProgress, now: DateTime<Utc>) -> Self {
        IngestView {
            standing: progress.standing(now),
            started: minute_utc(progress.started_at),
            updated: minute_utc(progress.updated_at),
            finished: progress.finished_at.map(minute_utc).unwrap_or_default(),
            elapsed: clock_time(progress.elapsed(now)),
            progress,
        }
    }

    /// The progress file of the store in `data`, if an ingest wrote one; a file that
    /// cannot be read is left out of the page, with a warning to the server's log.
    fn read(data: &CaseData) -> Option<Self> {
        match read_progress(data.store.root()) {
            Ok(progress) => progress.map(|progress| Self::new(progress, Utc::now())),
            Err(error) => {
                eprintln!("warning: case {}: {error}", data.name);
                None
            }
        }
    }

    fn is_active(&self) -> bool {
        self.standing.is_active()
    }

    fn json(&self) -> serde_json::Value {
        let p = &self.progress;
        json!({
            "state": self.standing.code(),
            "source": p.source,
            "stage": p.stage,
            "files_found": p.files_found,
            "counted": p.counted,
            "files_processed": p.files_processed,
            "files_unchanged": p.files_unchanged,
            "failures": p.failures,
            "bytes_found": p.bytes_found,
            "bytes_done": p.bytes_done,
            "started_at": p.started_at.to_rfc3339(),
            "updated_at": p.updated_at.to_rfc3339(),
            "finished_at": p.finished_at.map(|at| at.to_rfc3339()),
            "elapsed_seconds": p.elapsed(Utc::now()).num_seconds(),
        })
    }
}

/// A span of time as h:mm:ss.
fn clock_time(span: TimeDelta) -> String {
    let seconds = span.num_seconds().max(0);
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Something a member did lately, as the home page lists it.
struct ActivityView {
    when: String,
    by: String,
    what: What,
    link: String,
}

/// What a member did: a review decision, a verification status set, or a note.
enum What {
    /// A decision on a candidate: the list's row and the review given, as the store
    /// writes it (`accepted, list L row 3`); the whole detail where it is not so shaped.
    Review {
        review: Option<Review>,
        list: String,
        row: String,
        detail: String,
    },
    Verification {
        status: Option<VerificationStatus>,
        detail: String,
    },
    Note(String),
}

impl What {
    /// The store's activity `kind` and `detail`, taken apart.
    fn new(kind: &str, detail: String) -> Self {
        match kind {
            "review" => {
                let parsed = detail.split_once(", list ").and_then(|(review, rest)| {
                    let (list, row) = rest.rsplit_once(" row ")?;
                    let review = Review::ALL.into_iter().find(|r| r.code() == review)?;
                    Some((review, list.to_owned(), row.to_owned()))
                });
                match parsed {
                    Some((review, list, row)) => What::Review {
                        review: Some(review),
                        list,
                        row,
                        detail,
                    },
                    None => What::Review {
                        review: None,
                        list: String::new(),
                        row: String::new(),
                        detail,
                    },
                }
            }
            "verification" => What::Verification {
                status: VerificationStatus::ALL
                    .into_iter()
                    .find(|status| status.code() == detail),
                detail,
            },
            _ => What::Note(detail),
        }
    }

    /// The line in `lang` (`review: accepted, list L row 3`, `note: …`).
    fn line(&self, lang: &Lang) -> Message {
        match self {
            What::Review {
                review: Some(review),
                list,
                row,
                ..
            } => lang
                .msg("case.activity.review")
                .arg("review", lang.name(review))
                .arg("list", list)
                .arg("row", row),
            What::Review { detail, .. } => {
                lang.msg("case.activity.review_other").arg("detail", detail)
            }
            What::Verification {
                status: Some(status),
                ..
            } => lang
                .msg("case.activity.verification")
                .arg("status", lang.name(status)),
            What::Verification { detail, .. } => {
                lang.msg("case.activity.verification").arg("status", detail)
            }
            What::Note(note) => lang.msg("case.activity.note").arg("note", note),
        }
    }
}

/// A failure tally's stage and reason in `lang` (`extract: corrupt`).
fn failure_line(lang: Lang, stage: Stage, reason: FailureReason) -> Message {
    lang.msg("case.failure_line")
        .arg("stage", lang.name(stage))
        .arg("reason", lang.name(reason))
}

/// Latest activity shown on the home page.
const RECENT_ACTIVITY: usize = 10;

impl Dashboard {
    fn read(data: &CaseData) -> Result<Dashboard, WebError> {
        let catalog = &*data.store.catalog;
        let case = &data.name;
        let activity = catalog
            .recent_activity(RECENT_ACTIVITY)?
            .into_iter()
            .map(|activity| ActivityView {
                when: minute_utc(activity.at),
                by: activity.by,
                what: What::new(activity.kind, activity.detail),
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
                .map(|tally| (tally.stage, tally.reason, tally.count))
                .collect(),
            unindexed: status.unindexed,
            records,
            lists: catalog.review_progress()?,
            activity,
            ingest: IngestView::read(data),
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
        "failures": dashboard.failures.iter().map(|(stage, reason, count)| json!({
            "name": failure_line(Lang::English, *stage, *reason).to_string(),
            "count": count,
        })).collect::<Vec<_>>(),
        "records": records.records,
        "persons": records.persons,
        "persons_with_valid_id": records.persons_with_valid_id,
        "flagged_records": records.flagged_records,
        "linked_photos": records.linked_photos,
        "persons_with_photo": records.persons_with_photo,
        "lists": dashboard.lists,
        "activity": dashboard.activity.iter().map(|a| json!({
            "when": a.when, "by": a.by, "what": a.what.line(&Lang::English).to_string(),
            "link": a.link,
        })).collect::<Vec<_>>(),
        "ingest": dashboard.ingest.as_ref().map(IngestView::json),
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

#[cfg(test)]
mod tests {
    use super::*;
    use trove_store::RunState;

    #[test]
    fn an_ingest_is_running_stopped_or_ended_as_its_file_and_the_clock_say() {
        let noon: DateTime<Utc> = "2024-05-01T12:00:00Z".parse().unwrap();
        let mut progress = IngestProgress::starting("leak", noon);
        progress.updated_at = noon + TimeDelta::seconds(3700);
        let at = |seconds| noon + TimeDelta::seconds(seconds);
        let running = IngestView::new(progress.clone(), at(3725));
        assert_eq!(running.standing, Standing::Running);
        assert_eq!(running.elapsed, "1:02:05");
        assert_eq!(running.started, "2024-05-01 12:00 UTC");
        assert!(running.is_active());
        let stopped = IngestView::new(progress.clone(), at(4000));
        assert_eq!(stopped.standing, Standing::Stopped);
        assert_eq!(stopped.updated, "2024-05-01 13:01 UTC");
        progress.state = RunState::Interrupted;
        progress.finished_at = Some(at(60));
        let ended = IngestView::new(progress, at(100_000));
        assert_eq!(ended.standing, Standing::Interrupted);
        assert_eq!(
            (ended.elapsed.as_str(), ended.finished.as_str()),
            ("0:01:00", "2024-05-01 12:01 UTC")
        );
        assert!(!ended.is_active());
    }
}
