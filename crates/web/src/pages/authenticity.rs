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
use trove_forensics::authenticity::{Evidence, Report, Section, Strength, Words};
use trove_model::{FindingDecision, FindingReview, Role};

use super::chrome::{Chrome, minute_utc, render};
use super::record_view::{document_link, place_at, row_link};
use crate::auth::CurrentUser;
use crate::error::{ApiError, WebError};
use crate::i18n::{Lang, Phrase};
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
            statement: said(lang, &finding.words),
            evidence: finding
                .evidence
                .iter()
                .take(EVIDENCE_SHOWN)
                .map(|e| evidence_link(lang, &name, e))
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
        .map_err(|e: trove_model::ParseCodeError| WebError::Refused(Phrase::from(&e)))?;
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

/// A finding's words in `lang`, from the catalog, whose English is the statement the
/// command and the JSON carry (a test checks); values that are data stay as they are.
fn said(lang: Lang, words: &Words) -> String {
    words.fill(lang.t(words.key), &|inner| said(lang, inner))
}

/// Where a piece of evidence opens, and how it reads in `lang` (a row's place in its
/// sheet; a file's path, as the leak names it).
fn evidence_link(lang: Lang, case: &str, evidence: &Evidence) -> (String, String) {
    match evidence {
        Evidence::Row {
            blob,
            part,
            row,
            column,
            sheet,
            ..
        } => (
            row_link(case, blob, *part, *row, *column),
            place_at(lang, sheet.as_deref(), *row, *column),
        ),
        Evidence::Document { blob, path } => (document_link(case, blob), path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::NaiveDate;
    use trove_forensics::authenticity::words::ENGLISH;
    use trove_forensics::authenticity::{DateWindow, DocumentFact, Facts, ImageFact, report};
    use trove_model::{BlobId, Exif, FileKind, ImageFacts, Metadata};

    /// Every message a finding's statement is made of, as the catalog names it (each key
    /// written out, so that the catalog's test finds it used).
    const FINDING_WORDS: [&str; 68] = [
        "authenticity.count.row",
        "authenticity.count.rows",
        "authenticity.count.number",
        "authenticity.count.numbers",
        "authenticity.count.photo",
        "authenticity.count.photos",
        "authenticity.count.document",
        "authenticity.count.documents",
        "authenticity.count.minutes",
        "authenticity.count.hours",
        "authenticity.count.days",
        "authenticity.when.after_today",
        "authenticity.when.after_end",
        "authenticity.when.before_start",
        "authenticity.finding.id_flagged",
        "authenticity.flag.id_check_digit",
        "authenticity.flag.id_region_retired_before_birth",
        "authenticity.flag.id_unknown_region",
        "authenticity.flag.id_future_birth",
        "authenticity.flag.id_birth_date",
        "authenticity.flag.sex_mismatch",
        "authenticity.flag.birth_date_mismatch",
        "authenticity.flag.age_mismatch",
        "authenticity.flag.address_county_mismatch",
        "authenticity.finding.id_many_names",
        "authenticity.finding.id_sex_digit_agreement",
        "authenticity.finding.id_birth_day_distribution",
        "authenticity.finding.id_sequence_codes",
        "authenticity.finding.id_birth_years",
        "authenticity.finding.ages_none",
        "authenticity.finding.ages_agree",
        "authenticity.finding.camera_serial",
        "authenticity.finding.camera",
        "authenticity.finding.camera_undated",
        "authenticity.finding.lenses",
        "authenticity.finding.photo_date_outside_leak",
        "authenticity.finding.photo_name_time_disagrees",
        "authenticity.finding.photo_digitized_apart",
        "authenticity.finding.photo_before_detention",
        "authenticity.finding.photo_before_birth",
        "authenticity.finding.photo_edited",
        "authenticity.finding.camera_clock_back",
        "authenticity.finding.camera_clock_forward",
        "authenticity.finding.same_file_many_paths_one",
        "authenticity.finding.same_file_many_paths",
        "authenticity.finding.same_file_names",
        "authenticity.finding.photos_too_alike",
        "authenticity.finding.same_photo_two_ids",
        "authenticity.finding.near_duplicate_photos",
        "authenticity.finding.and_more",
        "authenticity.finding.document_generator",
        "authenticity.finding.document_author",
        "authenticity.finding.document_last_editor",
        "authenticity.finding.document_dates",
        "authenticity.finding.none_dated",
        "authenticity.finding.document_created_outside_leak",
        "authenticity.finding.document_modified_outside_leak",
        "authenticity.finding.a_document",
        "authenticity.finding.document_saved_before_its_writer",
        "authenticity.finding.office_version",
        "authenticity.finding.ooxml",
        "authenticity.finding.odf",
        "authenticity.finding.document_traditional_encoding",
        "authenticity.finding.document_traditional_script",
        "authenticity.finding.document_traditional_script_encoded",
        "authenticity.finding.member_taken_after_archive",
        "authenticity.finding.member_saved_after_archive",
        "authenticity.finding.an_archive_member",
    ];

    /// `{name}` filled with `<name>` for every placeholder of `template`.
    fn filled_with_names(key: &'static str, template: &str) -> Words {
        let mut words = Words::new(key);
        for piece in template.split('{').skip(1) {
            if let Some((name, _)) = piece.split_once('}') {
                let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
                words = words.arg(name, format!("<{name}>"));
            }
        }
        words
    }

    #[test]
    fn the_catalogs_english_is_the_statement_forensics_writes_for_every_message() {
        let keys: Vec<&str> = ENGLISH.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, FINDING_WORDS);
        for (key, english) in ENGLISH {
            assert_eq!(Lang::English.t(key), *english, "{key}");
            let words = filled_with_names(key, english);
            assert_eq!(said(Lang::English, &words), words.english(), "{key}");
            let chinese = said(Lang::SimplifiedChinese, &words);
            assert_ne!(chinese, words.english(), "{key} untranslated");
        }
    }

    fn photo(n: u8, name: &str, exif: Exif, ids: &[&str], hash: Option<&str>) -> ImageFact {
        ImageFact {
            blob: BlobId::from_digest([n; 32]),
            paths: vec![format!("照片/{name}")],
            facts: ImageFacts {
                width: 480,
                height: 640,
                exif,
                perceptual_hash: hash.map(str::to_owned),
                tones: None,
            },
            id_numbers: ids.iter().map(|id| (*id).to_owned()).collect(),
            archived_at: None,
        }
    }

    fn canon(at: &str) -> Exif {
        Exif {
            make: Some("Canon".into()),
            model: Some("EOS 80D".into()),
            body_serial: Some("0123".into()),
            date_time_original: Some(at.into()),
            ..Exif::default()
        }
    }

    fn document(n: u8, path: &str, kind: FileKind, metadata: Metadata) -> DocumentFact {
        DocumentFact {
            blob: BlobId::from_digest([n; 32]),
            kind,
            paths: vec![path.to_owned()],
            metadata,
            archived_at: None,
        }
    }

    /// Photos and documents with an anomaly of most kinds the report knows.
    fn findings() -> Vec<trove_forensics::authenticity::Finding> {
        let mut edited = canon("2018:03:01 09:15:00");
        edited.software = Some("Adobe Photoshop CC".into());
        edited.lens = Some("EF-S 18-55mm".into());
        edited.date_time_digitized = Some("2018:09:01 09:15:00".into());
        let mut copied = photo(3, "IMG_0003.jpg", canon("2018:03:02 10:00:00"), &[], None);
        copied.paths.push("备份/653121199001010017.jpg".into());
        copied.paths.push("备份/653121199001010025.jpg".into());
        let mut archived = photo(9, "x.jpg", canon("2018:05:02 10:00:00"), &[], None);
        archived.paths = vec!["照片.zip!/x.jpg".into()];
        archived.archived_at = Some("2018-01-01T00:00:00".parse().unwrap());
        let images = vec![
            photo(1, "IMG_0001.jpg", edited, &[], Some("ffff0000ffff0000")),
            photo(
                2,
                "IMG_0002_20180301_091500.jpg",
                canon("2017:01:01 09:15:00"),
                &["653121201901010012"],
                Some("ffff0000ffff0001"),
            ),
            copied,
            photo(4, "IMG_0004.jpg", canon("2031:01:01 00:00:00"), &[], None),
            archived,
            photo(5, "plain.jpg", Exif::default(), &[], None),
        ];
        let metadata = |author: &str, generator: &str, modified: &str| Metadata {
            author: Some(author.into()),
            last_editor: Some(author.into()),
            generator: Some(generator.into()),
            created: Some("2016-01-01T00:00:00Z".into()),
            modified: Some(modified.into()),
            ..Metadata::default()
        };
        let mut big5 = metadata(
            "王",
            "Microsoft Office Word 16.0000",
            "2014-03-01T00:00:00Z",
        );
        big5.encoding = Some("Big5".into());
        big5.script = Some("Hant".into());
        let mut hant = metadata("李", "LibreOffice/7.0", "2019-03-01T00:00:00Z");
        hant.script = Some("Hant".into());
        hant.encoding = Some("UTF-8".into());
        let mut saved = document(
            13,
            "材料.rar!/4.docx",
            FileKind::Docx,
            metadata("张", "x", "2004-03-01T00:00:00Z"),
        );
        saved.archived_at = Some("2003-01-01T00:00:00".parse().unwrap());
        let documents = vec![
            document(10, "a.docx", FileKind::Docx, big5),
            document(11, "b.odt", FileKind::Odt, hant),
            document(
                12,
                "c.odt",
                FileKind::Odt,
                metadata("李", "x", "2004-01-01T00:00:00Z"),
            ),
            saved,
            document(14, "d.txt", FileKind::Docx, Metadata::default()),
        ];
        let facts = Facts {
            records: &[],
            images: &images,
            documents: &documents,
            window: DateWindow {
                from: NaiveDate::from_ymd_opt(2017, 6, 1),
                until: NaiveDate::from_ymd_opt(2018, 12, 31),
                today: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            },
            store_digest: "ab",
        };
        report(&facts).findings
    }

    #[test]
    fn a_findings_statement_said_in_english_is_the_statement_forensics_writes() {
        let found = findings();
        let codes: std::collections::BTreeSet<&str> =
            found.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.len() >= 12, "{codes:?}");
        for finding in &found {
            assert_eq!(said(Lang::English, &finding.words), finding.statement);
            let chinese = said(Lang::SimplifiedChinese, &finding.words);
            assert_ne!(chinese, finding.statement, "{}", finding.code);
        }
    }
}
