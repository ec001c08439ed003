//! A person's page: what their records say, the ID number decoded, the linked mugshots,
//! every record with where it came from, same-person and list-match candidates, and the
//! verification status. Opening it (page or API) is audited: it shows one person's data.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;
use serde::Serialize;
use trove_access::AuditAction;
use trove_model::{Record, Review, SubjectKind};
use trove_records::persons::facts_of;
use trove_store::Catalog;

use super::annotations::{AnnotationPanel, annotation_panel};
use super::chrome::{Chrome, render};
use super::publication::{PublicationPanel, publication_panel};
use super::record_view::{
    IdView, Labelled, RecordLine, distinct_names, document_link, person_link, preview_link,
    records_of,
};
use super::verification::{VerificationPanel, VerificationView, verification_panel, view};
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::error::{ApiError, WebError};
use crate::i18n::Lang;
use crate::open_case::OpenCase;
use crate::read_audit::Disclosure;
use crate::safe_json::SafeJson;
use crate::state::AppState;

/// Everything known of one person.
#[derive(Debug, Serialize)]
pub struct PersonDetail {
    pub key: String,
    pub names: Vec<String>,
    /// Latin readings of the first name (as relatives abroad write it), most likely first.
    pub readings: Vec<String>,
    pub id: Option<IdView>,
    /// What the records agree on, each under its label.
    pub facts: Vec<Labelled>,
    pub records: Vec<RecordLine>,
    pub photos: Vec<PhotoView>,
    /// Other persons with the same name and birth date: proposed, never merged.
    pub same_person: Vec<SamePerson>,
    /// Entries of outside lists that may be this person.
    pub list_matches: Vec<ListMatch>,
    /// Detentions the records date and photos their EXIF dates, oldest first.
    pub timeline: Vec<TimelineEvent>,
}

#[derive(Debug, Serialize)]
pub struct PhotoView {
    pub preview: String,
    pub document: String,
    /// Where the photo carries the ID number (its name, an EXIF field).
    pub via: String,
    /// When it was taken, as its EXIF says.
    pub taken: Option<String>,
}

impl PhotoView {
    /// The ID number is in the photo's file name (`via` is an EXIF field's name otherwise).
    pub fn in_file_name(&self) -> bool {
        self.via == "file name"
    }
}

/// One dated event of a person's records and photos, for the timeline.
#[derive(Debug, Serialize)]
pub struct TimelineEvent {
    /// `2018-03-01`, or the EXIF time of a photo.
    pub when: String,
    pub what: String,
    pub link: String,
}

#[derive(Debug, Serialize)]
pub struct SamePerson {
    pub person: String,
    pub link: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ListMatch {
    pub list: String,
    pub row: u32,
    pub entry_name: String,
    pub score: String,
    pub review: Review,
    pub review_link: String,
}

/// A person's routes: the page and the same as JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/persons/{key}", get(show))
        .route("/api/cases/{case}/persons/{key}", get(api_show))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    case: String,
    person: PersonDetail,
    verification: VerificationPanel,
    publication: PublicationPanel,
    annotations: AnnotationPanel,
}

#[derive(Serialize)]
pub struct PersonAnswer {
    #[serde(flatten)]
    person: PersonDetail,
    /// Newest first.
    verification: Vec<VerificationView>,
}

/// Latin readings shown under a person's name.
const MAX_READINGS: usize = 3;

/// `GET /cases/{case}/persons/{key}`.
pub async fn show(
    user: CurrentUser,
    case: OpenCase,
    Path((_, key)): Path<(String, String)>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let panel_user = user.clone();
    let role = case.role;
    let (person, verification, publication, annotations) = case
        .run(move |data| {
            let person = load(data, &key, panel_user.language)?;
            let (kind, key) = (SubjectKind::Person, &person.key);
            let verification = verification_panel(data, &panel_user, role, kind, key)?;
            let publication = publication_panel(data, &panel_user, role, key)?;
            let annotations = annotation_panel(data, &panel_user, role, kind, key)?;
            Ok((person, verification, publication, annotations))
        })
        .await?;
    let read = disclosure(&case.name, &person.key);
    let page = render(&PersonPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.person").arg("case", &case.name),
        ),
        case: case.name,
        person,
        verification,
        publication,
        annotations,
    })?;
    Ok((read, page))
}

/// `GET /api/cases/{case}/persons/{key}`.
pub async fn api_show(
    case: OpenCase,
    Path((_, key)): Path<(String, String)>,
) -> Result<(Disclosure, SafeJson<PersonAnswer>), ApiError> {
    let answer = case
        .run(move |data| {
            // The API speaks English.
            let person = load(data, &key, Lang::English)?;
            let history = data
                .store
                .catalog
                .verification_history(SubjectKind::Person, &person.key)?;
            let verification = history.iter().rev().map(|v| view(&data.name, v)).collect();
            Ok(PersonAnswer {
                person,
                verification,
            })
        })
        .await?;
    Ok((disclosure(&case.name, &answer.person.key), SafeJson(answer)))
}

/// The audit record of a person's page: whose.
fn disclosure(case: &str, person: &str) -> Disclosure {
    Disclosure::new(AuditAction::ViewPerson, case).target(person)
}

/// A person by key (or key prefix, or ID number, as `trove person` takes), told in `lang`.
fn load(data: &CaseData, query: &str, lang: Lang) -> Result<PersonDetail, WebError> {
    let catalog = &*data.store.catalog;
    let case = &data.name;
    let key = catalog.resolve_person(query)?.ok_or(WebError::NotFound)?;
    let records = records_of(catalog, &key)?;
    if records.is_empty() {
        return Err(WebError::NotFound);
    }
    let id = records
        .iter()
        .find(|r| r.fields.id_valid)
        .and_then(|r| r.fields.id_number.as_deref())
        .map(IdView::decode);
    let lines = records
        .iter()
        .map(|record| {
            let path = catalog
                .blob_paths(&record.source.blob)?
                .into_iter()
                .next()
                .unwrap_or_default();
            let stored = trove_store::StoredRecord {
                record: record.clone(),
                person: key.clone(),
                candidate_key: None,
            };
            Ok(RecordLine::new(case, &stored, path))
        })
        .collect::<Result<Vec<_>, WebError>>()?;
    // One document look-up per photo: a person has a few.
    let taken_at = |blob: &trove_model::BlobId| -> Result<Option<String>, WebError> {
        Ok(Catalog::document(catalog, blob)?
            .and_then(|document| document.metadata.image)
            .and_then(|image| image.exif.date_time_original))
    };
    let photos: Vec<PhotoView> = catalog
        .person_photos(&key)?
        .into_iter()
        .map(|photo| {
            Ok(PhotoView {
                preview: preview_link(case, &photo.blob),
                document: document_link(case, &photo.blob),
                taken: taken_at(&photo.blob)?,
                via: photo.via,
            })
        })
        .collect::<Result<_, WebError>>()?;
    let timeline = timeline(&records, &lines, &photos, lang);
    let same_person = catalog
        .person_candidates(&key)?
        .into_iter()
        .map(|candidate| SamePerson {
            link: person_link(case, &candidate.person),
            person: candidate.person,
            reason: candidate.reason,
        })
        .collect();
    let list_matches = list_matches(data, &key)?;
    let names = distinct_names(&records);
    Ok(PersonDetail {
        readings: names
            .first()
            .map(|name| trove_names::spellings::latin_readings(name, MAX_READINGS))
            .unwrap_or_default(),
        names,
        facts: fact_lines(&records, lang),
        key,
        id,
        records: lines,
        photos,
        same_person,
        list_matches,
        timeline,
    })
}

/// The dated events of a person: each record's detention date (with its status as
/// written and its list), each photo's capture time; oldest first; told in `lang`.
fn timeline(
    records: &[Record],
    lines: &[RecordLine],
    photos: &[PhotoView],
    lang: Lang,
) -> Vec<TimelineEvent> {
    let mut events: Vec<TimelineEvent> = records
        .iter()
        .zip(lines)
        .filter_map(|(record, line)| {
            let since = record.fields.detained_since?;
            let status = record
                .fields
                .status_raw
                .as_deref()
                .unwrap_or(lang.t("person.held"));
            let what = lang
                .msg("person.held_from")
                .arg("status", status)
                .arg("path", &line.path)
                .arg("list", record.list.code());
            Some(TimelineEvent {
                when: since.to_string(),
                what: what.to_string(),
                link: line.link.clone(),
            })
        })
        .collect();
    events.extend(photos.iter().filter_map(|photo| {
        Some(TimelineEvent {
            // EXIF writes 2018:03:01 09:15:00; the timeline sorts and shows it as a date.
            when: photo.taken.as_deref()?.replacen(':', "-", 2),
            what: lang.t("person.photographed").to_owned(),
            link: photo.document.clone(),
        })
    }));
    events.sort_by(|a, b| a.when.cmp(&b.when));
    events
}

fn list_matches(data: &CaseData, person: &str) -> Result<Vec<ListMatch>, WebError> {
    let catalog = &*data.store.catalog;
    let mut matches = Vec::new();
    for candidate in catalog.person_matches(person)? {
        let entry_name = catalog
            .list_entry(&candidate.list, candidate.row)?
            .map(|entry| entry.name)
            .unwrap_or_default();
        let list =
            serde_urlencoded::to_string([("list", candidate.list.as_str())]).unwrap_or_default();
        matches.push(ListMatch {
            review_link: format!("/cases/{}/review?{list}", data.name),
            list: candidate.list,
            row: candidate.row,
            entry_name,
            score: format!("{:.2}", candidate.score),
            review: candidate.review,
        });
    }
    Ok(matches)
}

/// What the records agree on (or the value `trove person` picks when they differ), told
/// in `lang`.
fn fact_lines(records: &[Record], lang: Lang) -> Vec<Labelled> {
    let refs: Vec<&Record> = records.iter().collect();
    let facts = facts_of(&refs);
    let held = lang
        .msg(if facts.listed {
            "person.records_listed"
        } else {
            "person.records_unlisted"
        })
        .arg("detention", facts.detention_records);
    Labelled::present([
        ("field.born", facts.birth_date.map(|d| d.to_string())),
        (
            "field.sex",
            facts.sex.map(|s| format!("{} ({})", s.code(), s.chinese())),
        ),
        ("field.ethnicity", facts.ethnicity),
        ("field.township", facts.township),
        ("field.village", facts.village),
        ("field.status", facts.status.map(|s| s.code().to_owned())),
        ("field.records", Some(held.to_string())),
    ])
}
