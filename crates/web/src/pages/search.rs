//! Search: the page with its facets and pages of hits, batch search by a
//! list of names, and the same as JSON.

use std::collections::BTreeSet;

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use trove_access::AuditAction;
use trove_index::{Facets, Hit, IndexError, SearchOptions, SearchResults};
use trove_model::{PartKind, SubjectKind};

use super::chrome::{Chrome, FacetGroup, FacetLink, render};
use crate::auth::CurrentUser;
use crate::case_data::CaseData;
use crate::document_view::{named_part, numbered_part};
use crate::error::{ApiError, WebError};
use crate::highlight::{Segment, segments};
use crate::i18n::{Lang, Phrase};
use crate::name_list::names_of_request;
use crate::open_case::OpenCase;
use crate::read_audit::{Disclosure, listed};
use crate::safe_json::SafeJson;
use crate::search_request::{MAX_PAGE, PAGE_SIZE, SearchParams, SearchRequest, Sort};
use crate::sheet_table::row_in_sheet;
use crate::state::AppState;

/// Search's routes: the page, batch search, and the same as JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/search", get(page))
        .route("/cases/{case}/search/batch", post(batch))
        .route("/api/cases/{case}/search", get(api_search))
        .route("/api/cases/{case}/search/batch", post(api_batch))
}

/// Names one batch may hold: each is a search of its own.
pub const MAX_BATCH_NAMES: usize = 200;
/// Longest name of a batch, in characters: an uploaded file that is not a list of
/// names (one huge line) is refused rather than searched.
const MAX_NAME_CHARS: usize = 200;

/// One hit as the page lists it.
pub struct HitView {
    pub id: String,
    pub short_id: String,
    pub kind: String,
    pub title: Option<String>,
    pub paths: Vec<String>,
    /// Where in the document: `page 3`, `sheet "名单" row 12`.
    pub part: String,
    /// What follows the document page's address to land on that part (for a sheet, the
    /// query that opens it on the hit's row, and the row's anchor).
    pub anchor: String,
    pub score: String,
    pub year: Option<i64>,
    pub snippet: Vec<Segment>,
}

impl HitView {
    /// The hit as a page in `lang` lists it.
    fn new(hit: &Hit, lang: Lang) -> Self {
        HitView {
            id: hit.blob.as_str().to_owned(),
            short_id: hit.blob.short().to_owned(),
            kind: hit.kind.clone(),
            title: hit.title.clone(),
            paths: hit.paths.clone(),
            part: describe_part(hit, lang),
            anchor: match (hit.part_kind, hit.part_index, hit.snippet.line) {
                // A hit in a sheet opens the sheet on its row.
                (Some(PartKind::Sheet), Some(index), Some(row)) => row_in_sheet("", index, row),
                (Some(kind), Some(index), _) => format!("#{}-{index}", kind.code()),
                _ => String::new(),
            },
            score: format!("{:.2}", hit.score),
            year: hit.year,
            snippet: segments(&hit.snippet),
        }
    }
}

/// `page 3`, `sheet “名单”, row 12`, or `metadata` for a document matched on
/// its paths or fields alone, in `lang`.
fn describe_part(hit: &Hit, lang: Lang) -> String {
    let part = match (hit.part_kind, hit.part_index, &hit.part_label) {
        (Some(PartKind::Body), _, _) => lang.t("hit.text").to_owned(),
        (Some(kind), _, Some(label)) => named_part(lang, kind, &format!("“{label}”")),
        (Some(kind), Some(index), None) => numbered_part(lang, kind, index),
        _ => return lang.t("hit.metadata").to_owned(),
    };
    let at = |key, name, number| lang.msg(key).arg("part", &part).arg(name, number);
    match (hit.part_kind, hit.snippet.line) {
        (Some(PartKind::Sheet), Some(row)) => at("hit.row", "row", row).to_string(),
        (Some(_), Some(line)) if line > 1 => at("hit.line", "line", line).to_string(),
        _ => part,
    }
}

fn facet_groups(case: &str, request: &SearchRequest, facets: &Facets) -> Vec<FacetGroup> {
    let filter = &request.filter;
    let link = |label: String, count: u64, active: bool, changed: SearchRequest| FacetLink {
        label,
        count,
        href: changed.link(case),
        active,
    };
    let by_type = facets.by_type.iter().map(|(kind, &count)| {
        let active = filter.kind.as_deref() == Some(kind.as_str());
        let changed = request.with_filter(|f| f.kind = (!active).then(|| kind.clone()));
        link(kind.clone(), count, active, changed)
    });
    let by_folder = facets.by_folder.iter().map(|(folder, &count)| {
        let active = filter.folder.as_deref() == Some(folder.as_str());
        let changed = request.with_filter(|f| f.folder = (!active).then(|| folder.clone()));
        link(folder.clone(), count, active, changed)
    });
    // Newest years first, as investigators read them.
    let by_year = facets.by_year.iter().rev().map(|(&year, &count)| {
        let active = filter.year == Some(year);
        let changed = request.with_filter(|f| f.year = (!active).then_some(year));
        link(year.to_string(), count, active, changed)
    });
    [
        ("search.facet.type", by_type.collect::<Vec<_>>()),
        ("search.facet.folder", by_folder.collect()),
        ("search.facet.year", by_year.collect()),
    ]
    .into_iter()
    .filter(|(_, links)| !links.is_empty())
    .map(|(heading, links)| FacetGroup { heading, links })
    .collect()
}

/// A page of results, ready to show.
pub struct ResultsView {
    pub total: usize,
    pub documents: u64,
    pub first: usize,
    pub last: usize,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetGroup>,
    pub previous_link: Option<String>,
    pub next_link: Option<String>,
}

impl ResultsView {
    fn new(case: &str, request: &SearchRequest, results: &SearchResults, lang: Lang) -> Self {
        let offset = (request.page - 1) * PAGE_SIZE;
        let pages = results.total.div_ceil(PAGE_SIZE).min(MAX_PAGE);
        ResultsView {
            total: results.total,
            documents: results.facets.as_ref().map_or(0, |f| f.documents),
            first: if results.hits.is_empty() {
                0
            } else {
                offset + 1
            },
            last: offset + results.hits.len(),
            hits: results
                .hits
                .iter()
                .map(|hit| HitView::new(hit, lang))
                .collect(),
            facets: results
                .facets
                .as_ref()
                .map(|facets| facet_groups(case, request, facets))
                .unwrap_or_default(),
            previous_link: (request.page > 1).then(|| request.at_page(request.page - 1).link(case)),
            next_link: (request.page < pages).then(|| request.at_page(request.page + 1).link(case)),
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    case: String,
    request: SearchRequest,
    by_date: bool,
    /// The case's index was made by an older trove: searched as it was then, more slowly,
    /// until an administrator remakes it with this command.
    index_remade_by: Option<&'static str>,
    problem: Option<String>,
    results: Option<ResultsView>,
}

/// `GET /cases/{case}/search`.
pub async fn page(
    user: CurrentUser,
    case: OpenCase,
    Query(params): Query<SearchParams>,
) -> Result<Response, WebError> {
    let request = SearchRequest::from_params(&params)?;
    let (results, problem, read) = if request.query.is_empty() {
        (None, None, None)
    } else {
        match search(&case, request.query.clone(), request.options()).await {
            Ok(results) => (
                Some(ResultsView::new(
                    &case.name,
                    &request,
                    &results,
                    user.language,
                )),
                None,
                Some(search_disclosure(&case.name, &request, &results)),
            ),
            Err(WebError::BadRequest(message)) => (None, Some(message), None),
            Err(WebError::Refused(phrase)) => (None, Some(phrase.said_in(user.language)), None),
            Err(other) => return Err(other),
        }
    };
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let html = render(&SearchPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.search").arg("case", &case.name),
        ),
        by_date: request.sort == Sort::Date,
        index_remade_by: case.data.index.is_outdated().then(|| {
            if case.data.store.is_shared() {
                "trove index --rebuild"
            } else {
                "trove reindex"
            }
        }),
        case: case.name,
        request,
        problem,
        results,
    })?;
    Ok((status, read, html).into_response())
}

/// The audit record of a search: the query, how much matched and which documents the
/// page returned.
fn search_disclosure(case: &str, request: &SearchRequest, results: &SearchResults) -> Disclosure {
    let documents = results.hits.iter().map(|hit| hit.blob.short().to_owned());
    Disclosure::new(AuditAction::Search, case).detail(format!(
        "query {:?}, page {}: {} parts matched; {}",
        request.query,
        request.page,
        results.total,
        listed("hits shown, in documents", documents)
    ))
}

/// The audit record of a batch search: every name searched, and how many were found.
fn batch_disclosure(case: &str, found: &[NameResults]) -> Disclosure {
    let names: Vec<&str> = found.iter().map(|found| found.name.as_str()).collect();
    let found_any = found.iter().filter(|found| found.total > 0).count();
    Disclosure::new(AuditAction::BatchSearch, case).detail(format!(
        "{} names, {found_any} found in some document: {}",
        names.len(),
        names.join("; ")
    ))
}

/// Runs a search off the async threads. A query the index cannot read is the
/// user's to fix (400); anything else is the server's.
async fn search(
    case: &OpenCase,
    query: String,
    mut options: SearchOptions,
) -> Result<SearchResults, WebError> {
    case.run(move |data| {
        // `tag:NAME` is the catalog's, not the index's: it narrows to the documents
        // editors tagged so.
        let (words, tags) = split_tags(&query);
        if !tags.is_empty() {
            let mut tagged: Option<BTreeSet<String>> = None;
            for tag in tags {
                let these: BTreeSet<String> = data
                    .store
                    .catalog
                    .tagged(tag, SubjectKind::Document)?
                    .into_iter()
                    .collect();
                tagged = Some(match tagged {
                    Some(before) => before.intersection(&these).cloned().collect(),
                    None => these,
                });
            }
            options.filter.blobs = tagged.map(|set| set.into_iter().collect());
        }
        // Tags alone ask for every document that carries them.
        let words = if words.is_empty() {
            "*".to_owned()
        } else {
            words
        };
        data.index.search(&words, &options).map_err(search_error)
    })
    .await
}

/// A query's `tag:NAME` terms apart from the rest (outside quotes).
fn split_tags(query: &str) -> (String, Vec<&str>) {
    let mut rest = Vec::new();
    let mut tags = Vec::new();
    for (i, segment) in query.split('"').enumerate() {
        if i % 2 == 1 {
            rest.push(format!("\"{segment}\""));
            continue;
        }
        for word in segment.split_whitespace() {
            match word.strip_prefix("tag:") {
                Some(tag) if !tag.is_empty() => tags.push(tag),
                _ => rest.push(word.to_owned()),
            }
        }
    }
    (rest.join(" "), tags)
}

fn search_error(error: IndexError) -> WebError {
    match error {
        IndexError::Query { .. } => {
            WebError::Refused(Phrase::new("error.search_query").arg("error", error))
        }
        other => WebError::CaseUnavailable(format!("its search index failed: {other}")),
    }
}

/// What one name of a batch found.
pub struct NameResults {
    pub name: String,
    /// The spellings searched for.
    pub forms: Vec<String>,
    pub total: usize,
    pub documents: u64,
    pub hits: Vec<Hit>,
}

/// Searches each name in every spelling trove knows for it (Latin, Chinese
/// characters, Uyghur Arabic script): the documents where it appears in any.
fn search_names(data: &CaseData, names: &[String]) -> Result<Vec<NameResults>, WebError> {
    let options = SearchOptions {
        limit: Some(PAGE_SIZE),
        ..SearchOptions::default()
    };
    names
        .iter()
        .map(|name| {
            let forms = trove_names::spellings::search_forms(name);
            let query = trove_index::any_phrase_query(&forms);
            let results = if query.is_empty() {
                SearchResults {
                    total: 0,
                    facets: None,
                    hits: Vec::new(),
                }
            } else {
                data.index.search(&query, &options).map_err(search_error)?
            };
            Ok(NameResults {
                name: name.clone(),
                forms,
                total: results.total,
                documents: results.facets.map_or(0, |f| f.documents),
                hits: results.hits,
            })
        })
        .collect()
}

/// The non-empty lines of a list of names, at most [`MAX_BATCH_NAMES`] of at most
/// [`MAX_NAME_CHARS`] each.
fn names_of(text: &str) -> Result<Vec<String>, WebError> {
    let names: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        return Err(WebError::Refused(Phrase::new("error.names_empty")));
    }
    if names.len() > MAX_BATCH_NAMES {
        return Err(WebError::Refused(
            Phrase::new("error.names_too_many")
                .arg("names", names.len())
                .arg("max", MAX_BATCH_NAMES),
        ));
    }
    if let Some(long) = names
        .iter()
        .find(|name| name.chars().count() > MAX_NAME_CHARS)
    {
        return Err(WebError::Refused(
            Phrase::new("error.name_too_long")
                .arg("max", MAX_NAME_CHARS)
                .arg(
                    "start",
                    format!("{:?}", long.chars().take(40).collect::<String>()),
                ),
        ));
    }
    Ok(names)
}

async fn run_batch(case: &OpenCase, names: Vec<String>) -> Result<Vec<NameResults>, WebError> {
    case.run(move |data| search_names(data, &names)).await
}

/// One name's results as the batch page shows them.
pub struct NameView {
    pub name: String,
    pub forms: String,
    pub total: usize,
    pub documents: u64,
    pub hits: Vec<HitView>,
}

#[derive(Template)]
#[template(path = "search_batch.html")]
struct BatchPage {
    chrome: Chrome,
    case: String,
    names: Vec<NameView>,
}

/// `POST /cases/{case}/search/batch`: a list of names, one a line, typed or uploaded
/// as a text file (see [`crate::name_list`]).
pub async fn batch(
    user: CurrentUser,
    case: OpenCase,
    request: Request,
) -> Result<(Disclosure, Html<String>), WebError> {
    let names = names_of_request(request).await?;
    let found = run_batch(&case, names_of(&names)?).await?;
    let read = batch_disclosure(&case.name, &found);
    let names = found
        .into_iter()
        .map(|found| NameView {
            forms: found.forms.join(", "),
            hits: found
                .hits
                .iter()
                .map(|hit| HitView::new(hit, user.language))
                .collect(),
            name: found.name,
            total: found.total,
            documents: found.documents,
        })
        .collect();
    let page = render(&BatchPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.batch").arg("case", &case.name),
        ),
        case: case.name,
        names,
    })?;
    Ok((read, page))
}

/// A hit in JSON: the index's hit, plus its snippet cut into runs (byte
/// offsets are awkward in JavaScript).
#[derive(Serialize)]
pub struct ApiHit {
    #[serde(flatten)]
    hit: Hit,
    segments: Vec<Segment>,
}

impl From<Hit> for ApiHit {
    fn from(hit: Hit) -> Self {
        ApiHit {
            segments: segments(&hit.snippet),
            hit,
        }
    }
}

#[derive(Serialize)]
pub struct ApiSearchResults {
    query: String,
    page: usize,
    per_page: usize,
    sort: &'static str,
    /// Matching parts in all.
    total: usize,
    facets: Option<Facets>,
    hits: Vec<ApiHit>,
}

/// `GET /api/cases/{case}/search?q=…&page=…&sort=…&type=…&folder=…&year=…`.
pub async fn api_search(
    case: OpenCase,
    Query(params): Query<SearchParams>,
) -> Result<(Disclosure, SafeJson<ApiSearchResults>), ApiError> {
    let request = SearchRequest::from_params(&params)?;
    if request.query.is_empty() {
        return Err(WebError::Refused(Phrase::new("error.no_query")).into());
    }
    let results = search(&case, request.query.clone(), request.options()).await?;
    let read = search_disclosure(&case.name, &request, &results);
    let answer = SafeJson(ApiSearchResults {
        page: request.page,
        per_page: PAGE_SIZE,
        sort: request.sort.code(),
        total: results.total,
        facets: results.facets,
        hits: results.hits.into_iter().map(ApiHit::from).collect(),
        query: request.query,
    });
    Ok((read, answer))
}

/// The body of a batch search through the API.
#[derive(Debug, Deserialize)]
pub struct ApiBatch {
    names: Vec<String>,
}

#[derive(Serialize)]
pub struct ApiNameResults {
    name: String,
    forms: Vec<String>,
    total: usize,
    documents: u64,
    hits: Vec<ApiHit>,
}

/// `POST /api/cases/{case}/search/batch` with `{"names": […]}`.
pub async fn api_batch(
    case: OpenCase,
    Json(body): Json<ApiBatch>,
) -> Result<(Disclosure, SafeJson<Vec<ApiNameResults>>), ApiError> {
    let found = run_batch(&case, names_of(&body.names.join("\n"))?).await?;
    let read = batch_disclosure(&case.name, &found);
    let answer = SafeJson(
        found
            .into_iter()
            .map(|found| ApiNameResults {
                name: found.name,
                forms: found.forms,
                total: found.total,
                documents: found.documents,
                hits: found.hits.into_iter().map(ApiHit::from).collect(),
            })
            .collect(),
    );
    Ok((read, answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_taken_out_of_a_query_but_not_out_of_a_phrase() {
        assert_eq!(
            split_tags("教育 tag:called \"tag:in a phrase\" type:docx"),
            (
                "教育 \"tag:in a phrase\" type:docx".to_owned(),
                vec!["called"]
            )
        );
        assert_eq!(split_tags("tag:a tag:b"), (String::new(), vec!["a", "b"]));
    }

    #[test]
    fn a_list_is_its_non_empty_lines_trimmed() {
        let names = names_of("  热依拉·奥迈尔 \n\n Rahile Omer\n").unwrap();
        assert_eq!(names, ["热依拉·奥迈尔", "Rahile Omer"]);
    }

    #[test]
    fn a_line_too_long_for_a_name_is_refused() {
        let huge = "x".repeat(MAX_NAME_CHARS + 1);
        let error = names_of(&format!("Rahile Omer\n{huge}\n")).unwrap_err();
        assert!(
            error.to_string().contains("write one name a line"),
            "{error}"
        );
        assert!(names_of(&"x".repeat(MAX_NAME_CHARS)).is_ok());
    }
}
