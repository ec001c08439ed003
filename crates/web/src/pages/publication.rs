//! Publication in the workbench: on a person's page editors set the publish flag, the
//! consent and whether a minor's name and photo may show (each decision audited, kept as
//! history); the case's publication page previews what the rules publish and withhold and
//! why; and builds the site, scanned for leaks, as a zip to download. The rules are the
//! store's `publish.toml` (the safe defaults without one).

use std::fs::File;
use std::io;
use std::path::Path;

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use trove_access::{AuditAction, NewAuditEvent};
use trove_model::{Consent, PublicationDecision, Role, SubjectKind};
use trove_publish::select::Withheld;
use trove_publish::selection::select;
use trove_publish::{PublishRequest, Rules, STORE_RULES_FILE, publish};

use super::chrome::{Chrome, minute_utc, render};
use super::record_view::person_link;
use super::verification::subject_exists;
use crate::auth::CurrentUser;
use crate::authenticity_facts::digest_of;
use crate::case_data::CaseData;
use crate::download::file_body;
use crate::error::{ApiError, WebError};
use crate::i18n::Phrase;
use crate::open_case::OpenCase;
use crate::read_audit::Disclosure;
use crate::safe_json::SafeJson;
use crate::state::{AppState, audit_before_commit};

/// Publication's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/publication", get(preview))
        .route("/cases/{case}/publication/decision", post(decide))
        .route("/cases/{case}/publication/site", post(build_site))
        .route("/api/cases/{case}/publication/decision", post(api_decide))
}

/// Longest note kept, in characters.
const MAX_NOTE_CHARS: usize = 4000;
/// Persons listed on the preview page, of those published and of those withheld.
const PREVIEW_ROWS: usize = 200;

/// One decision as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub publish: bool,
    pub consent: Consent,
    pub minor_allowed: bool,
    pub note: String,
    pub by: String,
    pub at: String,
}

impl From<&PublicationDecision> for DecisionView {
    fn from(decision: &PublicationDecision) -> Self {
        DecisionView {
            publish: decision.publish,
            consent: decision.consent,
            minor_allowed: decision.minor_allowed,
            note: decision.note.clone(),
            by: decision.by.clone(),
            at: minute_utc(decision.at),
        }
    }
}

/// A person's publication decisions and (for editors) the form to make a new one, for
/// `templates/publication_panel.html`.
pub struct PublicationPanel {
    pub case: String,
    pub person: String,
    /// Newest first: the first is the current decision.
    pub history: Vec<DecisionView>,
    pub can_edit: bool,
    pub csrf: String,
    pub consents: [Consent; 4],
}

impl PublicationPanel {
    /// The current decision, if any was made.
    pub fn current(&self) -> Option<&DecisionView> {
        self.history.first()
    }
}

/// The panel of one person; call on a blocking thread.
pub fn publication_panel(
    data: &CaseData,
    user: &CurrentUser,
    role: Role,
    person: &str,
) -> Result<PublicationPanel, WebError> {
    let history = data.store.catalog.publication_history(person)?;
    Ok(PublicationPanel {
        case: data.name.clone(),
        person: person.to_owned(),
        history: history.iter().rev().map(DecisionView::from).collect(),
        can_edit: role.at_least(Role::Editor),
        csrf: user.csrf_token(),
        consents: Consent::ALL,
    })
}

/// The decision form (checkboxes send `on` when ticked, nothing when not).
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    person: String,
    #[serde(default)]
    publish: Option<String>,
    consent: String,
    #[serde(default)]
    minor_allowed: Option<String>,
    #[serde(default)]
    note: String,
}

/// The API's body.
#[derive(Debug, Deserialize)]
pub struct DecisionRequest {
    person: String,
    publish: bool,
    consent: String,
    #[serde(default)]
    minor_allowed: bool,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{case}/publication/decision`: records a decision, then back to the person.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let request = DecisionRequest {
        person: form.person,
        publish: form.publish.is_some(),
        consent: form.consent,
        minor_allowed: form.minor_allowed.is_some(),
        note: form.note,
    };
    let saved = record_decision(&state, &user, &case, request).await?;
    let back = person_link(&case.name, &saved.person);
    Ok(Redirect::to(&format!("{back}#publication")).into_response())
}

/// `POST /api/cases/{case}/publication/decision` (JSON).
pub async fn api_decide(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Json(request): Json<DecisionRequest>,
) -> Result<Response, ApiError> {
    let saved = record_decision(&state, &user, &case, request).await?;
    Ok((StatusCode::CREATED, SafeJson(DecisionView::from(&saved))).into_response())
}

async fn record_decision(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    request: DecisionRequest,
) -> Result<PublicationDecision, WebError> {
    case.require(Role::Editor)?;
    let consent: Consent = request
        .consent
        .parse()
        .map_err(|e: trove_model::ParseCodeError| WebError::Refused(Phrase::from(&e)))?;
    let note = request.note.trim().to_owned();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(WebError::Refused(
            Phrase::new("error.publication_note_too_long").arg("max", MAX_NOTE_CHARS),
        ));
    }
    let decision = PublicationDecision {
        person: request.person.trim().to_owned(),
        publish: request.publish,
        consent,
        minor_allowed: request.minor_allowed,
        note,
        by: user.name.clone(),
        at: Utc::now(),
    };
    let event = NewAuditEvent::new(AuditAction::PublicationDecision)
        .actor(&user.name)
        .case(&case.name)
        .target(&format!("person:{}", decision.person))
        .detail(format!(
            "publish={} consent={} minor_allowed={}",
            decision.publish, decision.consent, decision.minor_allowed
        ));
    let saved = decision.clone();
    let access = state.clone();
    case.run(move |data| {
        if !subject_exists(data, SubjectKind::Person, &decision.person)? {
            return Err(WebError::Refused(
                Phrase::new("error.no_person_their")
                    .arg("subject", format!("{:?}", decision.person)),
            ));
        }
        // The decision commits only once its audit event is written.
        let mut audit = audit_before_commit(&access, event);
        data.store
            .catalog
            .record_publication_then(&decision, &mut audit)?;
        Ok(())
    })
    .await?;
    Ok(saved)
}

/// The store's rules: `publish.toml` beside the catalog, else the safe defaults.
fn case_rules(data: &CaseData) -> Result<(Rules, bool), WebError> {
    match Rules::read(&data.store.root().join(STORE_RULES_FILE)) {
        Ok(Some(rules)) => Ok((rules, true)),
        Ok(None) => Ok((Rules::default(), false)),
        Err(error) => Err(WebError::BadRequest(error.to_string())),
    }
}

/// A person in the preview.
struct PreviewRow {
    name: String,
    link: String,
    /// Published: with name and photo or without; withheld: why.
    state: &'static str,
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PreviewPage {
    chrome: Chrome,
    case: String,
    rules_file: bool,
    rules: Vec<String>,
    published: usize,
    without_identity: usize,
    withheld: usize,
    withheld_by_reason: Vec<(&'static str, usize)>,
    published_rows: Vec<PreviewRow>,
    withheld_rows: Vec<PreviewRow>,
    csrf: String,
}

/// The message key of a reason to withhold.
fn reason_key(reason: Withheld) -> &'static str {
    match reason {
        Withheld::ConsentWithheld => "publication.withheld.consent_withheld",
        Withheld::NotVerified => "publication.withheld.not_verified",
        Withheld::NotMarked => "publication.withheld.not_marked",
        Withheld::NoConsent => "publication.withheld.no_consent",
    }
}

/// `GET /cases/{case}/publication`: what the rules publish and withhold, and why.
pub async fn preview(
    user: CurrentUser,
    case: OpenCase,
) -> Result<(Disclosure, Html<String>), WebError> {
    case.require(Role::Editor)?;
    let name = case.name.clone();
    let chosen = case
        .run(move |data| {
            let (rules, rules_file) = case_rules(data)?;
            let selection = select(&*data.store.catalog, &rules)?;
            Ok((rules, rules_file, selection))
        })
        .await;
    let (rules, rules_file, selection) = chosen?;
    let by_reason = selection
        .withheld_by_reason()
        .into_iter()
        .map(|(reason, count)| (reason_key(reason), count))
        .collect();
    let published_rows = selection
        .chosen
        .iter()
        .take(PREVIEW_ROWS)
        .map(|c| PreviewRow {
            name: c
                .records
                .iter()
                .find_map(|r| r.fields.name.clone())
                .unwrap_or_else(|| c.key.clone()),
            link: person_link(&name, &c.key),
            state: if c.identity {
                "publication.state.full"
            } else {
                "publication.state.without_identity"
            },
        })
        .collect();
    // Those not verified enough are most of a case: counted above, not listed. The list
    // holds the persons an editor has decided on or must decide on.
    let withheld_rows = selection
        .withheld
        .iter()
        .filter(|w| w.reason != Withheld::NotVerified)
        .take(PREVIEW_ROWS)
        .map(|w| PreviewRow {
            name: w.name.clone().unwrap_or_else(|| w.key.clone()),
            link: person_link(&name, &w.key),
            state: reason_key(w.reason),
        })
        .collect();
    let read = Disclosure::new(AuditAction::ViewPublication, &name).detail(format!(
        "{} published, {} withheld",
        selection.chosen.len(),
        selection.withheld.len()
    ));
    let page = render(&PreviewPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.publication").arg("case", &name),
        ),
        rules: rules.describe(),
        rules_file,
        published: selection.chosen.len(),
        without_identity: selection.without_identity(),
        withheld: selection.withheld.len(),
        withheld_by_reason: by_reason,
        published_rows,
        withheld_rows,
        csrf: user.csrf_token(),
        case: name,
    })?;
    Ok((read, page))
}

/// `POST /cases/{case}/publication/site`: builds the site under the rules, lets the leak
/// scanner read it, and sends it as a zip; a site the scanner refuses is not sent.
pub async fn build_site(case: OpenCase) -> Result<(Disclosure, Response), WebError> {
    case.require(Role::Editor)?;
    let today = Utc::now().date_naive();
    let (zip, report) = case
        .run(move |data| {
            let (rules, _) = case_rules(data)?;
            let work = tempfile::tempdir()
                .map_err(|e| WebError::Internal(format!("a folder to build the site in: {e}")))?;
            let out = work.path().join("site");
            let report = publish(
                &data.store,
                &PublishRequest {
                    rules: &rules,
                    out: &out,
                    store_digest: digest_of(&*data.store.catalog)?,
                    published_on: today.to_string(),
                },
            )
            .map_err(|e| WebError::Internal(format!("building the site: {e}")))?;
            if !report.accepted {
                return Err(WebError::Refused(
                    Phrase::new("error.site_refused")
                        .arg("findings", report.scan.leaks.len())
                        .arg("kinds", leak_kinds(&report.scan)),
                ));
            }
            let zip_path = work.path().join("site.zip");
            zip_folder(&out, &zip_path)
                .map_err(|e| WebError::Internal(format!("packing the site: {e}")))?;
            // Open before the folder goes: the open file stays readable.
            let zip = File::open(&zip_path)
                .map_err(|e| WebError::Internal(format!("reading the packed site: {e}")))?;
            Ok((zip, report))
        })
        .await?;
    let read = Disclosure::new(AuditAction::Published, &case.name).detail(format!(
        "{} persons, {} photos, {} documents, {} files; scanner clean",
        report.persons, report.photos, report.documents, report.files
    ));
    let length = zip.metadata().map(|m| m.len()).unwrap_or_default();
    let mut response = Response::new(file_body(zip));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"site-{today}.zip\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    Ok((read, response))
}

/// The kinds of what the scanner found, each once.
fn leak_kinds(scan: &trove_publish::ScanReport) -> String {
    let mut kinds: Vec<String> = scan.leaks.iter().map(|l| format!("{:?}", l.kind)).collect();
    kinds.sort();
    kinds.dedup();
    kinds.join(", ")
}

/// Every file under `dir` into a zip at `to`, paths relative to `dir`, each streamed.
fn zip_folder(dir: &Path, to: &Path) -> io::Result<()> {
    let mut zip = zip::ZipWriter::new(File::create(to)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
        let name = relative.to_string_lossy().replace('\\', "/");
        zip.start_file(name, options).map_err(io::Error::other)?;
        io::copy(&mut File::open(entry.path())?, &mut zip)?;
    }
    zip.finish().map_err(io::Error::other)?;
    Ok(())
}
