//! Person records: the list (the query language of `trove records`, a page at a time)
//! and one record's page (fields, flags, ID decoded, the row in its sheet).
//!
//! A row of the list whose person has a linked photo shows its thumbnail, linking to the
//! person's page. The page's audit event names the photos it showed, and their thumbnails
//! carry the gallery's mark (see [`super::photos`]), so fetching them is not audited again.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use trove_access::AuditAction;
use trove_model::{BlobId, Flag, RawCell, RowRef};
use trove_store::{
    Direction, RecordCatalog, RecordColumn, RecordFacets, RecordFilter, RecordOrder,
    parse_record_query,
};

use super::chrome::{Chrome, FacetGroup, FacetLink, render};
use super::photos::marked_thumbnail;
use super::record_view::{
    IdView, Labelled, RecordLine, SheetExcerpt, document_link, find_record, person_link, place,
    row_link, sheet_excerpt,
};
use crate::auth::CurrentUser;
use crate::error::{ApiError, WebError};
use crate::i18n::{Lang, Phrase};
use crate::open_case::OpenCase;
use crate::read_audit::{Disclosure, listed};
use crate::safe_json::SafeJson;
use crate::sheet_table::row_in_sheet;
use crate::state::AppState;

/// Records per page.
const PAGE_SIZE: u64 = 50;

/// The records' routes: the list and one record, pages and JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/records", get(list))
        .route("/cases/{case}/sheets", get(sheets))
        .route("/api/cases/{case}/sheets", get(api_sheets))
        .route("/cases/{case}/records/{blob}/{part}/{row}", get(show))
        .route("/api/cases/{case}/records", get(api_list))
        .route(
            "/api/cases/{case}/records/{blob}/{part}/{row}",
            get(api_show),
        )
}

/// `?column=N`: the first column of a record's table, where tables stand side by side.
#[derive(Debug, Default, Deserialize)]
pub struct TableQuery {
    #[serde(default)]
    column: u32,
}

#[derive(Debug, Default, Deserialize)]
pub struct RecordsQuery {
    #[serde(default)]
    q: String,
    /// 1-based.
    page: Option<u64>,
    /// A column to sort by: name, id, born, township, status (the sources' order if none).
    #[serde(default)]
    sort: String,
    /// `desc` for largest first.
    #[serde(default)]
    dir: String,
}

impl RecordsQuery {
    /// The order asked for; an unknown column is the user's to fix.
    fn order(&self) -> Result<RecordOrder, WebError> {
        if self.sort.is_empty() {
            return Ok(RecordOrder::Source);
        }
        let column = RecordColumn::from_code(&self.sort).ok_or_else(|| {
            WebError::Refused(
                Phrase::new("error.records_sort").arg("sort", format!("{:?}", self.sort)),
            )
        })?;
        let direction = match self.dir.as_str() {
            "desc" => Direction::Descending,
            _ => Direction::Ascending,
        };
        Ok(RecordOrder::By(column, direction))
    }
}

/// The records list's address for query `q`, sorted by `sort` (`dir`), at `page`.
fn records_link(case: &str, q: &str, sort: &str, dir: &str, page: u64) -> String {
    let mut fields = vec![("q", q)];
    if !sort.is_empty() {
        fields.extend([("sort", sort), ("dir", dir)]);
    }
    let query = serde_urlencoded::to_string(&fields).unwrap_or_default();
    format!("/cases/{case}/records?{query}&page={page}")
}

/// A page of records, as the list page and the API give it.
#[derive(Debug, Serialize)]
pub struct RecordsPage {
    pub query: String,
    pub page: u64,
    pub records: Vec<RecordRow>,
    /// Whether another page follows.
    pub more: bool,
    /// Records the query matches in all, and the pages they fill.
    pub total: u64,
    pub pages: u64,
}

/// A line of the records list: the record, and a photo linked to its person.
#[derive(Debug, Serialize)]
pub struct RecordRow {
    #[serde(flatten)]
    pub line: RecordLine,
    /// The first photo (by id) linked to the record's person, when they have one.
    pub photo: Option<RowPhoto>,
}

/// A photo shown beside a record: its thumbnail, linking to the person's page.
#[derive(Debug, Serialize)]
pub struct RowPhoto {
    /// The photo's document id.
    pub id: String,
    /// The thumbnail's address, with the mark that keeps it from being audited again.
    pub thumbnail: String,
    /// The page of the person the photo is linked to.
    pub person_link: String,
}

/// A column heading that sorts the list by it (and, sorted so already, the other way).
pub struct SortLink {
    /// The heading's message key.
    pub label: &'static str,
    pub href: String,
    /// `ascending` or `descending` when the list is sorted by this column.
    pub sorted: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsListPage {
    chrome: Chrome,
    case: String,
    found: RecordsPage,
    problem: Option<String>,
    previous_link: Option<String>,
    next_link: Option<String>,
    facets: Vec<FacetGroup>,
    columns: Vec<SortLink>,
}

/// A sheet read as a person list, as the sheets page and the API give it.
#[derive(Debug, Serialize)]
pub struct SheetLine {
    pub kind: String,
    pub enters_rates: bool,
    pub records: u64,
    pub path: String,
    pub document_link: String,
    pub sheet: String,
    pub header_row: u32,
    pub evidence: String,
}

#[derive(Template)]
#[template(path = "sheets.html")]
struct SheetsPage {
    chrome: Chrome,
    case: String,
    sheets: Vec<SheetLine>,
    undecided: usize,
}

/// One record with everything its page shows.
#[derive(Debug, Serialize)]
pub struct RecordDetail {
    pub person: String,
    pub person_link: String,
    pub document_link: String,
    pub paths: Vec<String>,
    pub place: String,
    /// Where the record came from, for the page to say in its language.
    #[serde(skip)]
    pub source: RowRef,
    pub list: String,
    pub fields: Vec<Labelled>,
    pub raw: Vec<RawCell>,
    pub flags: Vec<Flag>,
    pub id: Option<IdView>,
    pub sheet: Option<SheetExcerpt>,
    /// The document page opened on this row of the whole sheet.
    pub sheet_link: Option<String>,
}

impl RecordDetail {
    /// [`Self::place`] in `lang`.
    pub fn place_in(&self, lang: &Lang) -> String {
        place(*lang, &self.source)
    }
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    chrome: Chrome,
    case: String,
    record: RecordDetail,
}

/// `GET /cases/{case}/records?q=…&page=…`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<RecordsQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let order = query.order()?;
    let (found, facets, problem) = match parse_record_query(&[query.q.as_str()]) {
        Ok(mut filter) => {
            filter.order = order;
            let (found, facets) = find_page(&state, &user, &case, &query, filter).await?;
            (found, facets, None)
        }
        Err(error) => (
            empty_page(&query),
            RecordFacets::default(),
            Some(Phrase::from(&error).said_in(user.language)),
        ),
    };
    let page_link = |page: u64| records_link(&case.name, &query.q, &query.sort, &query.dir, page);
    let read = list_disclosure(&case.name, &found);
    let page = render(&RecordsListPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.records").arg("case", &case.name),
        ),
        previous_link: (found.page > 1).then(|| page_link(found.page - 1)),
        next_link: found.more.then(|| page_link(found.page + 1)),
        facets: facet_groups(&case.name, &query, &facets),
        columns: sort_links(&case.name, &query),
        case: case.name,
        found,
        problem,
    })?;
    Ok((read, page))
}

/// The facets beside the list, each value a link that narrows the query to it.
fn facet_groups(case: &str, query: &RecordsQuery, facets: &RecordFacets) -> Vec<FacetGroup> {
    let terms: Vec<&str> = query.q.split_whitespace().collect();
    let group = |heading: &'static str, field: &str, values: &[(String, u64)]| FacetGroup {
        heading,
        links: values
            .iter()
            // The query language splits on spaces: a value holding one cannot be a term.
            .filter(|(value, _)| !value.contains(char::is_whitespace))
            .map(|(value, count)| {
                let term = format!("{field}:{value}");
                let active = terms.contains(&term.as_str());
                let q = if active {
                    terms
                        .iter()
                        .filter(|t| **t != term)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    format!("{} {term}", query.q.trim()).trim().to_owned()
                };
                FacetLink {
                    label: value.clone(),
                    count: *count,
                    href: records_link(case, &q, &query.sort, &query.dir, 1),
                    active,
                }
            })
            .collect(),
    };
    [
        group("field.township", "township", &facets.township),
        group("field.village", "village", &facets.village),
        group("field.status", "status", &facets.status),
        group("field.list_kind", "list", &facets.list),
        group("field.flags", "flag", &facets.flag),
    ]
    .into_iter()
    .filter(|group| !group.links.is_empty())
    .collect()
}

/// The sortable columns' headings: each sorts by its column, or the other way round when
/// the list is sorted by it already.
fn sort_links(case: &str, query: &RecordsQuery) -> Vec<SortLink> {
    [
        ("field.name", "name"),
        ("field.id_number", "id"),
        ("field.born", "born"),
        ("field.township", "township"),
        ("field.status", "status"),
    ]
    .into_iter()
    .map(|(label, code)| {
        let this = query.sort == code;
        let descending = this && query.dir == "desc";
        let dir = if this && !descending { "desc" } else { "asc" };
        SortLink {
            label,
            href: records_link(case, &query.q, code, dir, 1),
            sorted: this.then_some(if descending {
                "descending"
            } else {
                "ascending"
            }),
        }
    })
    .collect()
}

/// The audit record of a page of records: the query, the page, whose records, and the
/// photos shown beside them.
fn list_disclosure(case: &str, found: &RecordsPage) -> Disclosure {
    let persons = found.records.iter().map(|row| row.line.person.as_str());
    let mut photos: Vec<&str> = found
        .records
        .iter()
        .filter_map(|row| row.photo.as_ref())
        .map(|photo| &photo.id[..12.min(photo.id.len())])
        .collect();
    // A person's records share their photo.
    photos.sort_unstable();
    photos.dedup();
    Disclosure::new(AuditAction::ViewRecords, case).detail(format!(
        "query {:?}, page {}: {}; {}",
        found.query,
        found.page,
        listed("records, of persons", persons),
        listed("photos", photos)
    ))
}

/// The audit record of one record: its address, and whose it is.
fn record_disclosure(case: &str, record: &RecordDetail, address: String) -> Disclosure {
    Disclosure::new(AuditAction::ViewRecord, case)
        .target(address)
        .detail(format!("person {}", record.person))
}

/// `GET /cases/{case}/sheets`: every person list with the kind it was judged to be and why,
/// those that enter no rate first.
pub async fn sheets(user: CurrentUser, case: OpenCase) -> Result<Html<String>, WebError> {
    let sheets = person_sheets(&case).await?;
    render(&SheetsPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.sheets").arg("case", &case.name),
        ),
        undecided: sheets.iter().filter(|s| !s.enters_rates).count(),
        case: case.name,
        sheets,
    })
}

/// `GET /api/cases/{case}/sheets`.
pub async fn api_sheets(case: OpenCase) -> Result<SafeJson<Vec<SheetLine>>, ApiError> {
    Ok(SafeJson(person_sheets(&case).await?))
}

async fn person_sheets(case: &OpenCase) -> Result<Vec<SheetLine>, WebError> {
    case.run(move |data| {
        let catalog: &dyn RecordCatalog = &*data.store.catalog;
        Ok(catalog
            .person_sheets()?
            .into_iter()
            .map(|sheet| SheetLine {
                kind: sheet.list.code().to_owned(),
                enters_rates: sheet.list.enters_rates(),
                records: sheet.records,
                path: sheet.paths.first().cloned().unwrap_or_default(),
                document_link: document_link(&data.name, &sheet.blob),
                sheet: sheet.sheet.unwrap_or_default(),
                header_row: sheet.header_row,
                evidence: sheet.evidence,
            })
            .collect())
    })
    .await
}

/// `GET /api/cases/{case}/records?q=…&page=…`.
pub async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<RecordsQuery>,
) -> Result<(Disclosure, SafeJson<RecordsPage>), ApiError> {
    let mut filter = parse_record_query(&[query.q.as_str()])
        .map_err(|error| WebError::Refused(Phrase::from(&error)))?;
    filter.order = query.order()?;
    let (found, _) = find_page(&state, &user, &case, &query, filter).await?;
    Ok((list_disclosure(&case.name, &found), SafeJson(found)))
}

/// `GET /cases/{case}/records/{blob}/{part}/{row}`.
pub async fn show(
    user: CurrentUser,
    case: OpenCase,
    Path((_, blob, part, row)): Path<(String, String, u32, u32)>,
    Query(table): Query<TableQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let record = load_detail(&case, &blob, part, row, table.column).await?;
    let address = row_link(&case.name, &blob, part, row, table.column);
    let read = record_disclosure(&case.name, &record, address);
    let page = render(&RecordPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.record").arg("case", &case.name),
        ),
        case: case.name,
        record,
    })?;
    Ok((read, page))
}

/// `GET /api/cases/{case}/records/{blob}/{part}/{row}`.
pub async fn api_show(
    case: OpenCase,
    Path((_, blob, part, row)): Path<(String, String, u32, u32)>,
    Query(table): Query<TableQuery>,
) -> Result<(Disclosure, SafeJson<RecordDetail>), ApiError> {
    let record = load_detail(&case, &blob, part, row, table.column).await?;
    let address = row_link(&case.name, &blob, part, row, table.column);
    Ok((
        record_disclosure(&case.name, &record, address),
        SafeJson(record),
    ))
}

fn empty_page(query: &RecordsQuery) -> RecordsPage {
    RecordsPage {
        query: query.q.clone(),
        page: 1,
        records: Vec::new(),
        more: false,
        total: 0,
        pages: 1,
    }
}

/// A page of the records `filter` matches, with how many match in all and how they
/// spread (the facets), and the photos of their persons, as `user` is shown them.
async fn find_page(
    state: &AppState,
    user: &CurrentUser,
    case: &OpenCase,
    query: &RecordsQuery,
    filter: RecordFilter,
) -> Result<(RecordsPage, RecordFacets), WebError> {
    let page = crate::paging::checked_page(query.page)?;
    let offset = (page - 1) * PAGE_SIZE;
    let text = query.q.clone();
    let (state, viewer) = (state.clone(), user.name.clone());
    case.run(move |data| {
        let case = &data.name;
        let catalog: &dyn RecordCatalog = &*data.store.catalog;
        // Looked up first: the catalog is busy while records are visited.
        let paths: HashMap<BlobId, String> = catalog.record_blob_paths()?.into_iter().collect();
        let mut records = Vec::new();
        // One more than a page, to know whether another page follows.
        catalog.for_each_record(&filter, offset, Some(PAGE_SIZE + 1), &mut |stored| {
            let path = paths
                .get(&stored.record.source.blob)
                .cloned()
                .unwrap_or_default();
            records.push(RecordLine::new(case, &stored, path));
            Ok(())
        })?;
        let more = records.len() as u64 > PAGE_SIZE;
        records.truncate(PAGE_SIZE as usize);
        let records = with_photos(catalog, records, |person, photo| RowPhoto {
            id: photo.to_string(),
            thumbnail: marked_thumbnail(&state, &viewer, case, photo),
            person_link: person_link(case, person),
        })?;
        let facets = data.record_facets(&text, &filter)?;
        Ok((
            RecordsPage {
                query: text,
                page,
                records,
                more,
                total: facets.total,
                pages: facets.total.div_ceil(PAGE_SIZE).max(1),
            },
            RecordFacets::clone(&facets),
        ))
    })
    .await
}

/// `lines` with the first photo of each one's person, looked up once for them all; `show`
/// says how a photo is shown.
fn with_photos(
    catalog: &dyn RecordCatalog,
    lines: Vec<RecordLine>,
    show: impl Fn(&str, &BlobId) -> RowPhoto,
) -> Result<Vec<RecordRow>, WebError> {
    let mut persons: Vec<&str> = lines.iter().map(|line| line.person.as_str()).collect();
    persons.sort_unstable();
    persons.dedup();
    let mut first: HashMap<String, BlobId> = HashMap::new();
    for (person, photo) in catalog.thumbnailed_photos_of(&persons)? {
        // By person then photo: the first is the lowest id.
        first.entry(person).or_insert(photo.blob);
    }
    Ok(lines
        .into_iter()
        .map(|line| RecordRow {
            photo: first
                .get(&line.person)
                .map(|photo| show(&line.person, photo)),
            line,
        })
        .collect())
}

async fn load_detail(
    case: &OpenCase,
    blob: &str,
    part: u32,
    row: u32,
    column: u32,
) -> Result<RecordDetail, WebError> {
    let blob: BlobId = blob.parse().map_err(|_| WebError::NotFound)?;
    case.run(move |data| {
        let case = &data.name;
        let catalog: &dyn RecordCatalog = &*data.store.catalog;
        let stored = find_record(catalog, &blob, part, row, column)?.ok_or(WebError::NotFound)?;
        let record = stored.record;
        let sheet = sheet_excerpt(catalog, &record)?;
        let sheet_link = sheet.as_ref().map(|excerpt| {
            row_in_sheet(
                &document_link(case, &blob),
                excerpt.sheet,
                record.source.row,
            )
        });
        let paths = catalog.blob_paths(&blob)?;
        let id = record.fields.id_number.as_deref().map(IdView::decode);
        Ok(RecordDetail {
            person_link: person_link(case, &stored.person),
            person: stored.person,
            document_link: document_link(case, &blob),
            paths,
            place: record.source.describe(),
            source: record.source.clone(),
            list: record.list.code().to_owned(),
            fields: field_lines(&record),
            raw: record.raw,
            flags: record.flags,
            id,
            sheet,
            sheet_link,
        })
    })
    .await
}

/// The normalised fields a record has, each under its label.
fn field_lines(record: &trove_model::Record) -> Vec<Labelled> {
    let f = &record.fields;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    Labelled::present([
        ("field.name", f.name.clone()),
        ("field.id_number", f.id_number.clone()),
        (
            "field.sex",
            f.sex.map(|s| format!("{} ({})", s.code(), s.chinese())),
        ),
        ("field.ethnicity", f.ethnicity.clone()),
        ("field.born", date(f.birth_date)),
        ("field.age", f.age.map(|a| a.to_string())),
        ("field.county", f.county.clone()),
        ("field.township", f.township.clone()),
        ("field.village", f.village.clone()),
        ("field.address", f.address.clone()),
        ("field.status_raw", f.status_raw.clone()),
        (
            "field.status_category",
            f.status.map(|s| s.code().to_owned()),
        ),
        ("field.reason", f.reason.clone()),
        ("field.held_since", date(f.detained_since)),
        ("field.place_held", f.place.clone()),
        ("field.phone", f.phone.clone()),
    ])
}
