//! The photos of a case together: a grid of thumbnails, narrowed by folder, camera, year
//! and whether an ID number links the photo to a person; each opens on its document page
//! (EXIF, the person it is linked to). The thumbnails are the small JPEGs trove drew at
//! ingest, without the original's metadata.
//!
//! A gallery page is one read in the audit trail, naming every photo it shows. Its
//! thumbnails carry a keyed mark of the user and photo, so fetching them is not audited a
//! second time; a thumbnail fetched without the mark (by a script, say) is audited alone.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use trove_access::AuditAction;
use trove_forensics::authenticity::ImageFact;
use trove_model::BlobId;

use super::chrome::{Chrome, render};
use super::record_view::document_link;
use crate::auth::CurrentUser;
use crate::error::{ApiError, WebError};
use crate::open_case::OpenCase;
use crate::read_audit::{Disclosure, listed};
use crate::safe_json::SafeJson;
use crate::state::AppState;

/// Photos per page.
const PAGE_SIZE: usize = 48;

/// The gallery's routes: the page and each thumbnail.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/photos", get(gallery))
        .route("/cases/{case}/photos/{id}/thumbnail.jpg", get(thumbnail))
        .route("/api/cases/{case}/photos", get(api_gallery))
}

/// The gallery's filters, as sent (empty: any).
#[derive(Debug, Default, Deserialize)]
pub struct GalleryQuery {
    #[serde(default)]
    folder: String,
    #[serde(default)]
    camera: String,
    #[serde(default)]
    year: String,
    /// `yes`: only photos an ID number links to a person; `no`: only the others.
    #[serde(default)]
    linked: String,
    page: Option<u64>,
}

/// One photo of the grid.
#[derive(Serialize)]
pub struct Tile {
    pub id: String,
    pub document: String,
    pub thumbnail: String,
    pub name: String,
    pub taken: String,
    pub camera: String,
    pub folder: String,
    pub linked: bool,
}

/// One page of the gallery, as the page and the API give it.
#[derive(Serialize)]
pub struct Selection {
    pub total: usize,
    pub page: u64,
    pub pages: u64,
    pub photos: Vec<Tile>,
}

/// One choice of a filter, with how many photos it leaves.
struct Choice {
    value: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "photos.html")]
struct GalleryPage {
    chrome: Chrome,
    case: String,
    query: GalleryQuery,
    tiles: Vec<Tile>,
    total: usize,
    page: u64,
    pages: u64,
    folders: Vec<Choice>,
    cameras: Vec<Choice>,
    years: Vec<Choice>,
    previous_link: Option<String>,
    next_link: Option<String>,
}

/// What the gallery narrows by, for one photo.
struct Facets {
    folder: String,
    camera: String,
    year: String,
    linked: bool,
}

fn facets_of(image: &ImageFact) -> Facets {
    let path = image.paths.first().map(String::as_str).unwrap_or_default();
    let folder = path
        .rsplit_once('/')
        .map(|(folder, _)| folder)
        .unwrap_or("");
    let exif = &image.facts.exif;
    let camera = [exif.make.as_deref(), exif.model.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let year = exif
        .date_time_original
        .as_deref()
        .and_then(|taken| taken.get(..4))
        .filter(|year| year.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("");
    Facets {
        folder: folder.to_owned(),
        camera,
        year: year.to_owned(),
        linked: !image.id_numbers.is_empty(),
    }
}

impl GalleryQuery {
    fn admits(&self, facets: &Facets) -> bool {
        let matches = |wanted: &str, value: &str| wanted.is_empty() || wanted == value;
        matches(&self.folder, &facets.folder)
            && matches(&self.camera, &facets.camera)
            && matches(&self.year, &facets.year)
            && match self.linked.as_str() {
                "yes" => facets.linked,
                "no" => !facets.linked,
                _ => true,
            }
    }

    fn link(&self, case: &str, page: u64) -> String {
        let fields = [
            ("folder", self.folder.as_str()),
            ("camera", self.camera.as_str()),
            ("year", self.year.as_str()),
            ("linked", self.linked.as_str()),
        ];
        let query = serde_urlencoded::to_string(fields).unwrap_or_default();
        format!("/cases/{case}/photos?{query}&page={page}")
    }
}

/// `GET /cases/{case}/photos?folder=…&camera=…&year=…&linked=yes|no&page=…`.
pub async fn gallery(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<GalleryQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let all = case.run(|data| Ok(data.images()?)).await?;
    let images: Vec<(&ImageFact, Facets)> =
        all.iter().map(|image| (image, facets_of(image))).collect();
    let selection = select(&state, &user, &case.name, &query, &images)?;
    let read = disclosure(&case.name, &query, &selection);
    let choices = |value: fn(&Facets) -> &str| -> Vec<Choice> {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for (_, facets) in &images {
            let value = value(facets);
            if !value.is_empty() {
                *counts.entry(value).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(value, count)| Choice {
                value: value.to_owned(),
                count,
            })
            .collect()
    };
    let Selection {
        total,
        page,
        pages,
        photos,
    } = selection;
    let html = render(&GalleryPage {
        chrome: Chrome::titled(
            &user,
            user.language.msg("title.photos").arg("case", &case.name),
        ),
        folders: choices(|f| &f.folder),
        cameras: choices(|f| &f.camera),
        years: choices(|f| &f.year),
        previous_link: (page > 1).then(|| query.link(&case.name, page - 1)),
        next_link: (page < pages).then(|| query.link(&case.name, page + 1)),
        case: case.name,
        tiles: photos,
        total,
        page,
        pages,
        query,
    })?;
    Ok((read, html))
}

/// `GET /api/cases/{case}/photos?…`: the same page of photos as JSON.
pub async fn api_gallery(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<GalleryQuery>,
) -> Result<(Disclosure, SafeJson<Selection>), ApiError> {
    let all = case.run(|data| Ok(data.images()?)).await?;
    let images: Vec<(&ImageFact, Facets)> =
        all.iter().map(|image| (image, facets_of(image))).collect();
    let selection = select(&state, &user, &case.name, &query, &images)?;
    Ok((
        disclosure(&case.name, &query, &selection),
        SafeJson(selection),
    ))
}

/// The page of photos `query` asks for.
fn select(
    state: &AppState,
    user: &CurrentUser,
    case: &str,
    query: &GalleryQuery,
    images: &[(&ImageFact, Facets)],
) -> Result<Selection, WebError> {
    let wanted = crate::paging::checked_page(query.page)?;
    let shown: Vec<&(&ImageFact, Facets)> = images
        .iter()
        .filter(|(_, facets)| query.admits(facets))
        .collect();
    let total = shown.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u64;
    let page = wanted.min(pages);
    let photos = shown
        .iter()
        .skip((page as usize - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(image, facets)| Tile {
            id: image.blob.to_string(),
            document: document_link(case, &image.blob),
            thumbnail: marked_thumbnail(state, &user.name, case, &image.blob),
            name: image
                .paths
                .first()
                .and_then(|path| path.rsplit(['/', '!']).next())
                .unwrap_or_default()
                .to_owned(),
            taken: image
                .facts
                .exif
                .date_time_original
                .clone()
                .unwrap_or_default(),
            camera: facets.camera.clone(),
            folder: facets.folder.clone(),
            linked: facets.linked,
        })
        .collect();
    Ok(Selection {
        total,
        page,
        pages,
        photos,
    })
}

/// The audit record of a page of photos: the filters and every photo shown.
fn disclosure(case: &str, query: &GalleryQuery, selection: &Selection) -> Disclosure {
    Disclosure::new(AuditAction::ViewPhotos, case).detail(format!(
        "folder {:?}, camera {:?}, year {:?}, linked {:?}, page {}: {}",
        query.folder,
        query.camera,
        query.year,
        query.linked,
        selection.page,
        listed("photos", selection.photos.iter().map(|tile| &tile.id[..12]))
    ))
}

/// A thumbnail's address for `user`, with its mark: for pages whose own audit event
/// already names the photo's person (a gallery page, the review queue, the records list).
pub(crate) fn marked_thumbnail(state: &AppState, user: &str, case: &str, blob: &BlobId) -> String {
    format!(
        "/cases/{case}/photos/{blob}/thumbnail.jpg?mark={}",
        thumbnail_mark(state, user, blob)
    )
}

/// The thumbnail's mark: a keyed hash of the user and the photo under the server's secret,
/// so that only a gallery page shown to this user can have made it.
fn thumbnail_mark(state: &AppState, user: &str, blob: &BlobId) -> String {
    state
        .csrf()
        .token_for(&format!("gallery thumbnail\n{user}\n{blob}"))
}

#[derive(Debug, Default, Deserialize)]
pub struct ThumbnailQuery {
    #[serde(default)]
    mark: String,
}

/// `GET /cases/{case}/photos/{id}/thumbnail.jpg`: the small JPEG drawn at ingest.
pub async fn thumbnail(
    State(state): State<AppState>,
    user: CurrentUser,
    case: OpenCase,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<ThumbnailQuery>,
) -> Result<Response, WebError> {
    let blob: BlobId = id.parse().map_err(|_| WebError::NotFound)?;
    let mark_matches = crate::csrf::same(&query.mark, &thumbnail_mark(&state, &user.name, &blob));
    let jpeg = {
        let blob = blob.clone();
        case.run(move |data| {
            data.store
                .catalog
                .thumbnail(&blob)?
                .ok_or(WebError::NotFound)
        })
        .await?
    };
    let response = (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        jpeg,
    );
    // Named by the gallery page's event already; alone, it is a read of its own.
    Ok(if mark_matches {
        response.into_response()
    } else {
        let read = Disclosure::new(AuditAction::ViewPreview, &case.name)
            .target(blob.as_str())
            .detail("thumbnail, outside a gallery page");
        (read, response).into_response()
    })
}
