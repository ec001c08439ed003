//! The review queue: candidate matches between an outside list's entries and the Persons
//! of the leak, each with its field-by-field explanation; reviewers accept, reject or
//! mark them unsure, with a note. Every decision is kept and audited; none merges anyone.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use trove_access::{AuditAction, NewAuditEvent};
use trove_model::{FieldScore, ListEntry, Review, ReviewDecision, Role};
use trove_store::{CandidateFilter, ReviewProgress};

use super::chrome::{Chrome, minute_utc, render};
use super::photos::marked_thumbnail;
use super::record_view::{distinct_names, document_link, person_link, records_of};
use crate::auth::CurrentUser;
use crate::error::{ApiError, WebError};
use crate::i18n::{Lang, Phrase};
use crate::open_case::OpenCase;
use crate::read_audit::{Disclosure, listed};
use crate::safe_json::SafeJson;
use crate::state::{AppState, audit_before_commit};

/// Candidates per page.
const PAGE_SIZE: usize = 20;
/// Longest note kept, in characters.
const MAX_NOTE_CHARS: usize = 4000;

/// The review queue's routes: the queue and decisions, page and JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/review", get(show).post(decide))
        .route("/api/cases/{case}/review", get(api_show).post(api_decide))
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    list: String,
    /// Only candidates with this review (`unreviewed`, `accepted` …); all when empty.
    #[serde(default)]
    status: String,
    /// Only candidates in this score band (`strong`, `likely`, `weak`); all when empty.
    #[serde(default)]
    band: String,
    /// 1-based.
    page: Option<u64>,
}

/// The queue of one list (or, with no list named, the lists there are).
#[derive(Debug, Serialize)]
pub struct Queue {
    pub lists: Vec<ReviewProgress>,
    pub list: Option<String>,
    /// How far the list's review has come.
    pub progress: Option<ReviewProgress>,
    pub status: String,
    pub band: String,
    pub page: u64,
    pub more: bool,
    pub candidates: Vec<CandidateView>,
}

/// A candidate as the queue shows it: the entry, the Person, the score explained, the
/// review so far.
#[derive(Debug, Serialize)]
pub struct CandidateView {
    pub anchor: String,
    pub row: u32,
    pub entry: Option<ListEntry>,
    pub person: String,
    pub person_link: String,
    pub person_names: Vec<String>,
    pub score: String,
    pub fields: Vec<FieldScore>,
    pub review: Review,
    /// Oldest first.
    pub history: Vec<DecisionView>,
    /// Thumbnails of the photos linked to the Person, as (thumbnail, photo's page).
    pub photos: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct DecisionView {
    pub review: Review,
    pub note: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "review.html")]
struct QueuePage {
    chrome: Chrome,
    case: String,
    queue: Queue,
    can_review: bool,
    statuses: [Review; 4],
    /// Each band's code and the message key of its name.
    bands: [(&'static str, &'static str); 3],
    previous_link: Option<String>,
    next_link: Option<String>,
}

/// A decision as the form and the API send it.
#[derive(Debug, Deserialize)]
pub struct DecisionRequest {
    list: String,
    row: u32,
    person: String,
    /// accept, reject or unsure.
    decision: String,
    #[serde(default)]
    note: String,
}

/// `GET /cases/{case}/review?list=…`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<QueueQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let queue = load_queue(&state, &user, &case, query).await?;
    let read = queue_disclosure(&case.name, &queue);
    let link = |page: u64| {
        let encoded = serde_urlencoded::to_string([
            ("list", queue.list.as_deref().unwrap_or_default()),
            ("status", queue.status.as_str()),
            ("band", queue.band.as_str()),
        ])
        .unwrap_or_default();
        format!("/cases/{}/review?{encoded}&page={page}", case.name)
    };
    let page = render(&QueuePage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.review").arg("case", &case.name),
        ),
        previous_link: (queue.page > 1).then(|| link(queue.page - 1)),
        next_link: queue.more.then(|| link(queue.page + 1)),
        can_review: case.role.at_least(Role::Reviewer),
        statuses: Review::ALL,
        bands: SCORE_BANDS.map(|(code, name, _, _)| (code, name)),
        case: case.name,
        queue,
    })?;
    Ok((read, page))
}

/// The audit record of a page of the review queue: the list, and the persons its
/// candidates point at.
fn queue_disclosure(case: &str, queue: &Queue) -> Disclosure {
    let persons = queue.candidates.iter().map(|c| c.person.as_str());
    Disclosure::new(AuditAction::ViewReviewQueue, case).detail(format!(
        "list {}, {} candidates, page {}: {}",
        queue.list.as_deref().unwrap_or("(none chosen)"),
        queue.status,
        queue.page,
        listed("candidates, of persons", persons)
    ))
}

/// `GET /api/cases/{case}/review?list=…`.
pub async fn api_show(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<QueueQuery>,
) -> Result<(Disclosure, SafeJson<Queue>), ApiError> {
    let queue = load_queue(&state, &user, &case, query).await?;
    Ok((queue_disclosure(&case.name, &queue), SafeJson(queue)))
}

/// `POST /cases/{case}/review`: records a decision, then back to the candidate.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Form(request): Form<DecisionRequest>,
) -> Result<Response, WebError> {
    let decision = record(&state, &user, &case, request).await?;
    let list = serde_urlencoded::to_string([("list", decision.list.as_str())]).unwrap_or_default();
    let anchor = anchor(decision.row, &decision.person);
    Ok(Redirect::to(&format!("/cases/{}/review?{list}#{anchor}", case.name)).into_response())
}

/// `POST /api/cases/{case}/review` (JSON).
pub async fn api_decide(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Json(request): Json<DecisionRequest>,
) -> Result<Response, ApiError> {
    let decision = record(&state, &user, &case, request).await?;
    Ok((StatusCode::CREATED, SafeJson(decision)).into_response())
}

async fn record(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    request: DecisionRequest,
) -> Result<ReviewDecision, WebError> {
    case.require(Role::Reviewer)?;
    let review = parse_decision(&request.decision)?;
    let note = request.note.trim().to_owned();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(WebError::Refused(
            Phrase::new("error.note_too_long").arg("max", MAX_NOTE_CHARS),
        ));
    }
    let decision = ReviewDecision {
        list: request.list,
        row: request.row,
        person: request.person,
        review,
        note,
        by: user.name.clone(),
        at: Utc::now(),
    };
    let event = NewAuditEvent::new(AuditAction::ReviewDecision)
        .actor(&user.name)
        .case(&case.name)
        .target(&decision.person)
        .detail(format!(
            "{} list {} row {}",
            decision.review.code(),
            decision.list,
            decision.row
        ));
    let saved = decision.clone();
    let access = state.clone();
    case.run(move |data| {
        // The decision commits only once its audit event is written.
        let mut audit = audit_before_commit(&access, event);
        match data.store.catalog.record_review_then(&decision, &mut audit) {
            Ok(()) => Ok(()),
            Err(error @ trove_store::StoreError::NotFound { .. }) => {
                Err(WebError::BadRequest(error.to_string()))
            }
            Err(error) => Err(error.into()),
        }
    })
    .await?;
    Ok(saved)
}

fn parse_decision(text: &str) -> Result<Review, WebError> {
    match text.trim() {
        "accept" | "accepted" => Ok(Review::Accepted),
        "reject" | "rejected" => Ok(Review::Rejected),
        "unsure" => Ok(Review::Unsure),
        other => Err(WebError::Refused(
            Phrase::new("error.no_decision").arg("decision", other),
        )),
    }
}

/// The name of a compared field in `lang`: the four the cross-reference always compares by
/// the catalog, an extra field of the list by its name in the list.
pub fn field_name(lang: &Lang, field: &str) -> String {
    let key = match field {
        "name" => "review.field.name",
        "birth" => "review.field.birth",
        "sex" => "review.field.sex",
        "place" => "review.field.place",
        other => return other.to_owned(),
    };
    lang.t(key).to_owned()
}

/// What a field's comparison said, in `lang`: worded from its parts by the catalog, or the
/// English the cross-reference wrote for candidates scored before the parts were kept.
pub fn compared_words(lang: &Lang, field: &FieldScore) -> String {
    let Some(compared) = &field.compared else {
        return field.detail.clone();
    };
    let Some(key) = COMPARED_KEYS
        .iter()
        .find(|(code, _)| *code == compared.key)
        .map(|(_, key)| *key)
    else {
        return field.detail.clone();
    };
    let mut message = lang.msg(key);
    for (name, value) in &compared.values {
        let value = match (name.as_str(), value.as_str()) {
            ("decision", "Match") => lang.t("review.decision.match"),
            ("decision", "Possible") => lang.t("review.decision.possible"),
            ("decision", "NoMatch") => lang.t("review.decision.no_match"),
            _ => value.as_str(),
        };
        message = message.arg(placeholder(name), value);
    }
    match compared.weight {
        Some(weight) => lang
            .msg("review.compared.weighs")
            .arg("compared", message)
            .arg("weight", format!("{weight:+.1}"))
            .to_string(),
        None => message.to_string(),
    }
}

/// The cross-reference's comparison keys and their messages.
const COMPARED_KEYS: [(&str, &str); 10] = [
    ("name", "review.compared.name"),
    ("birth", "review.compared.birth"),
    ("values", "review.compared.values"),
    ("person_no_name", "review.compared.person_no_name"),
    ("person_no_birth", "review.compared.person_no_birth"),
    ("entry_no_birth", "review.compared.entry_no_birth"),
    ("one_side_silent", "review.compared.one_side_silent"),
    ("entry_no_place", "review.compared.entry_no_place"),
    ("person_no_place", "review.compared.person_no_place"),
    ("extra_missing", "review.compared.extra_missing"),
];

/// A message's placeholder for a value the cross-reference names (its names are few and
/// fixed; an unknown one fills nothing).
fn placeholder(name: &str) -> &'static str {
    match name {
        "entry" => "entry",
        "matched" => "matched",
        "decision" => "decision",
        "born" => "born",
        "person" => "person",
        _ => "unknown",
    }
}

/// The id of a candidate's place on the page.
fn anchor(row: u32, person: &str) -> String {
    format!("candidate-{row}-{person}")
}

/// Score bands a reviewer can work through one at a time: (code, message key of its name,
/// at least, below).
pub const SCORE_BANDS: [(&str, &str, f64, f64); 3] = [
    ("strong", "review.band.strong", 0.9, f64::INFINITY),
    ("likely", "review.band.likely", 0.8, 0.9),
    ("weak", "review.band.weak", f64::NEG_INFINITY, 0.8),
];

async fn load_queue(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    query: QueueQuery,
) -> Result<Queue, WebError> {
    let (state, viewer) = (state.clone(), user.name.clone());
    let mut status = query.status.trim().to_owned();
    let band = query.band.trim().to_owned();
    let scores = match band.as_str() {
        "" => None,
        code => Some(
            SCORE_BANDS
                .iter()
                .find(|(band, _, _, _)| *band == code)
                .map(|&(_, _, min, below)| (min, below))
                .ok_or_else(|| WebError::Refused(Phrase::new("error.no_band").arg("band", code)))?,
        ),
    };
    let page = crate::paging::checked_page(query.page)?;
    let mut list = query.list.trim().to_owned();
    case.run(move |data| {
        let catalog = &*data.store.catalog;
        let lists = catalog.review_progress()?;
        // Opened with no list named: the first list with work left, its unreviewed
        // candidates first.
        if list.is_empty() {
            let Some(next) = lists.iter().find(|p| p.unreviewed > 0).or(lists.first()) else {
                return Ok(Queue {
                    lists,
                    list: None,
                    progress: None,
                    status,
                    band,
                    page: 1,
                    more: false,
                    candidates: Vec::new(),
                });
            };
            list = next.list.clone();
            if status.is_empty() && next.unreviewed > 0 {
                status = "unreviewed".to_owned();
            }
        }
        let only = match status.as_str() {
            "" => None,
            code => Some(Review::from_code(code).ok_or_else(|| {
                WebError::Refused(Phrase::new("error.no_review_status").arg("status", code))
            })?),
        };
        if catalog.list_info(&list)?.is_none() {
            return Err(WebError::NotFound);
        }
        let filter = CandidateFilter {
            review: only,
            min_score: scores.map(|(min, _)| min).filter(|min| min.is_finite()),
            below_score: scores
                .map(|(_, below)| below)
                .filter(|below| below.is_finite()),
        };
        // One page and one more, to know whether another follows; each candidate's
        // entry and history by index, never the whole list.
        let offset = (page - 1).saturating_mul(PAGE_SIZE as u64);
        let mut candidates =
            catalog.candidates_page(&list, &filter, offset, PAGE_SIZE as u64 + 1)?;
        let more = candidates.len() > PAGE_SIZE;
        candidates.truncate(PAGE_SIZE);
        let views = candidates
            .into_iter()
            .map(|candidate| {
                let names = distinct_names(&records_of(catalog, &candidate.person)?);
                let history = catalog
                    .candidate_history(&list, candidate.row, &candidate.person)?
                    .into_iter()
                    .map(|decision| DecisionView {
                        review: decision.review,
                        note: decision.note,
                        by: decision.by,
                        at: minute_utc(decision.at),
                    })
                    .collect();
                Ok(CandidateView {
                    anchor: anchor(candidate.row, &candidate.person),
                    row: candidate.row,
                    entry: catalog.list_entry(&list, candidate.row)?,
                    person_link: person_link(&data.name, &candidate.person),
                    person_names: names,
                    score: format!("{:.3}", candidate.score),
                    fields: candidate.fields,
                    review: candidate.review,
                    history,
                    photos: catalog
                        .person_photos(&candidate.person)?
                        .into_iter()
                        .map(|photo| {
                            (
                                marked_thumbnail(&state, &viewer, &data.name, &photo.blob),
                                document_link(&data.name, &photo.blob),
                            )
                        })
                        .collect(),
                    person: candidate.person,
                })
            })
            .collect::<Result<Vec<_>, WebError>>()?;
        let progress = lists.iter().find(|p| p.list == list).cloned();
        Ok(Queue {
            lists,
            list: Some(list),
            progress,
            status,
            band,
            page,
            more,
            candidates: views,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_read_in_either_form_and_nothing_else() {
        assert_eq!(parse_decision("accept").unwrap(), Review::Accepted);
        assert_eq!(parse_decision(" rejected ").unwrap(), Review::Rejected);
        assert_eq!(parse_decision("unsure").unwrap(), Review::Unsure);
        assert!(parse_decision("unreviewed").is_err());
        assert!(parse_decision("merge").is_err());
    }

    /// Every field of a pair compared with and without values on either side: the
    /// catalog's English says word for word what the cross-reference wrote, and the
    /// Chinese says something else.
    #[test]
    fn comparisons_are_worded_by_the_catalog_as_the_cross_reference_words_them() {
        use chrono::NaiveDate;
        use trove_model::{ExtraField, Sex};
        use trove_names::xref::model::MatchModel;
        use trove_names::xref::{Weighing, XrefPerson, score_pair};

        let weighing = Weighing {
            model: MatchModel::fit(&Weighing::levels(1), &[], &[], true),
            extra_fields: vec!["id".into()],
        };
        let full = XrefPerson {
            key: "p1".into(),
            names: vec!["热依拉·奥迈尔".into()],
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
            sex: Some(Sex::Female),
            places: vec!["托克扎克镇".into()],
            extra: vec![ExtraField {
                field: "id".into(),
                value: "1234567".into(),
            }],
        };
        let empty = XrefPerson {
            key: "p2".into(),
            names: Vec::new(),
            birth_date: None,
            sex: None,
            places: Vec::new(),
            extra: Vec::new(),
        };
        let entry = |year, sex, place: Option<&str>| ListEntry {
            row: 2,
            name: "Rahile Omer".into(),
            birth_date: None,
            birth_year: year,
            sex,
            place: place.map(str::to_owned),
            extra: vec![ExtraField {
                field: "id".into(),
                value: "1234567".into(),
            }],
            raw: Vec::new(),
        };
        let mut fields = Vec::new();
        for person in [&full, &empty] {
            for entry in [
                entry(Some(1990), Some(Sex::Female), Some("托克扎克镇")),
                entry(None, None, None),
            ] {
                fields.extend(score_pair(&weighing, &entry, person).fields);
            }
        }
        let keys: std::collections::BTreeSet<_> = fields
            .iter()
            .filter_map(|f| f.compared.as_ref().map(|c| c.key.clone()))
            .collect();
        assert!(keys.len() >= 8, "{keys:?}");
        for field in &fields {
            assert_eq!(compared_words(&Lang::English, field), field.detail);
            assert_ne!(
                compared_words(&Lang::SimplifiedChinese, field),
                field.detail
            );
        }
        let old = FieldScore {
            compared: None,
            ..fields[0].clone()
        };
        assert_eq!(compared_words(&Lang::SimplifiedChinese, &old), old.detail);
    }
}
