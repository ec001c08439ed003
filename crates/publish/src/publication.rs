//! `trove publish`: the whole build. The rules select persons; their pages, photos, the
//! chosen documents (redacted), statistics, methodology, search index, open data and
//! manifest are written into `<out>.building`; the leak scanner reads every byte of it;
//! only a clean site is renamed to `<out>`. A site the scanner refuses is kept aside as
//! `<out>.refused` for the editor to inspect, never where a deploy script looks.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;
use serde::Serialize;
use sha2::{Digest, Sha256};
use trove_model::{BlobId, SubjectKind};
use trove_records::stats::{Dimension, StatsOptions, compute, to_csv, to_svg};
use trove_store::{Catalog, Store};

use crate::PublishError;
use crate::manifest::write_manifest;
use crate::open_data::{ftm_entities, persons_csv, records_csv};
use crate::person::{PersonEvidence, PublishedPerson, document_id, publish_person};
use crate::photo::clean_photo_within;
use crate::redact::Redactor;
use crate::rules::{Field, Rules};
use crate::scan::{ScanReport, Scanner};
use crate::search_index::{SEARCH_INDEX, search_index};
use crate::selection::{Selection, select};
use crate::site::{
    DataPage, DocumentPage, DocumentsPage, FAVICON, GALLERY_PAGE, IndexPage, MethodologyPage,
    PersonPage, PublishedDocument, PublishedPart, SEARCH_SCRIPT, STYLESHEET, SearchPage,
    SiteChrome, SiteFolder, StatisticsPage, StatsSection, gallery_file,
};

/// What a publication needs besides the store.
pub struct PublishRequest<'a> {
    /// The publication rules.
    pub rules: &'a Rules,
    /// Where the site goes; it must not exist yet.
    pub out: &'a Path,
    /// The store's custody digest, printed on the methodology page.
    pub store_digest: String,
    /// The day of publication (`2026-12-04`).
    pub published_on: String,
}

/// What a publication did.
#[derive(Debug, Serialize)]
pub struct PublishReport {
    /// Where the site is: `out` when the scanner found nothing, else `<out>.refused`.
    pub site: PathBuf,
    /// Whether the scanner passed the site.
    pub accepted: bool,
    /// Persons published.
    pub persons: usize,
    /// Of them, those published without name or photo.
    pub without_identity: usize,
    /// Persons withheld, by reason.
    pub withheld: Vec<(&'static str, usize)>,
    /// Photos published.
    pub photos: usize,
    /// Photos left out because they could not be redrawn: (published id, why).
    pub photos_left_out: Vec<(String, String)>,
    /// Documents published.
    pub documents: usize,
    /// Files the site holds.
    pub files: usize,
    /// What the leak scanner found.
    pub scan: ScanReport,
}

/// Builds the site of `store` under `request`'s rules.
pub fn publish(store: &Store, request: &PublishRequest<'_>) -> Result<PublishReport, PublishError> {
    let out = request.out;
    if out.exists() {
        return Err(PublishError::OutExists(out.to_path_buf()));
    }
    let building = sibling(out, "building");
    let refused = sibling(out, "refused");
    for leftover in [&building, &refused] {
        remove_earlier_build(leftover)?;
    }
    let rules = request.rules;
    let catalog = &*store.catalog;
    let secret = catalog.publication_secret()?;
    let selection = select(catalog, rules)?;
    let unmatchable = |names: usize| {
        move |error: aho_corasick::BuildError| PublishError::NameMatcher(names, error.to_string())
    };
    let redactor = Redactor::new(&selection.withheld_names)
        .map_err(unmatchable(selection.withheld_names.len()))?;
    let mut site = SiteFolder::create(&building)?;
    let chrome = |root| SiteChrome {
        title: rules.site.title.clone(),
        root,
        published: request.published_on.clone(),
    };
    let (top, nested) = (chrome(""), chrome("../"));

    let mut photos_left_out = Vec::new();
    let mut photo_hashes: HashMap<String, String> = HashMap::new();
    let mut persons: Vec<PublishedPerson> = Vec::with_capacity(selection.chosen.len());
    let source_paths = source_paths(catalog, &selection)?;
    let path_of = |blob: &BlobId| source_paths.get(blob)?.first().cloned();
    let mut withheld_paths: Vec<String> = source_paths.values().flatten().cloned().collect();
    for chosen in &selection.chosen {
        let evidence = catalog
            .verification_history(SubjectKind::Person, &chosen.key)?
            .pop()
            .map(|v| v.evidence)
            .unwrap_or_default();
        let mut person = publish_person(
            rules,
            &secret,
            &PersonEvidence {
                key: &chosen.key,
                records: &chosen.records,
                photographed: chosen.photo.as_ref().and_then(|(_, day)| *day),
                path_of: &path_of,
                status: chosen.status,
                evidence: &evidence,
            },
            chosen.identity,
            &redactor,
        );
        if let Some((blob, _)) = &chosen.photo
            && chosen.identity
            && rules.fields.allows(Field::Photo)
        {
            let redrawn = store
                .blobs
                .read(blob)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    clean_photo_within(&bytes, rules.photos.max_side).map_err(|e| e.to_string())
                });
            match redrawn {
                Ok(jpeg) => {
                    let relative = format!("photos/{}.jpg", person.id);
                    photo_hashes.insert(relative.clone(), hex::encode(Sha256::digest(&jpeg)));
                    site.write(&relative, &jpeg)?;
                    person.photo = Some(relative);
                }
                Err(why) => photos_left_out.push((person.id.clone(), why)),
            }
        }
        persons.push(person);
    }
    persons.sort_by(|a, b| a.label().cmp(&b.label()).then(a.id.cmp(&b.id)));

    let documents = published_documents(store, rules, &redactor, &mut site, &mut withheld_paths)?;

    site.write("assets/site.css", STYLESHEET.as_bytes())?;
    site.write("assets/search.js", SEARCH_SCRIPT.as_bytes())?;
    site.write("assets/favicon.svg", FAVICON.as_bytes())?;
    site.write(SEARCH_INDEX, search_index(&persons, &documents).as_bytes())?;
    let chunks: Vec<&[PublishedPerson]> = persons.chunks(GALLERY_PAGE).collect();
    let pages: Vec<(usize, String)> = (1..=chunks.len().max(1))
        .map(|number| (number, gallery_file(number)))
        .collect();
    for (number, file) in &pages {
        let page = IndexPage {
            site: &top,
            persons: chunks.get(number - 1).copied().unwrap_or_default(),
            total: persons.len(),
            page: *number,
            pages: &pages,
        };
        site.page(file, &page)?;
    }
    for person in &persons {
        let page = PersonPage {
            site: &nested,
            person,
        };
        site.page(&format!("persons/{}.html", person.id), &page)?;
    }
    site.page(
        "documents.html",
        &DocumentsPage {
            site: &top,
            documents: &documents,
        },
    )?;
    for document in &documents {
        let page = DocumentPage {
            site: &nested,
            document,
        };
        site.page(&format!("documents/{}.html", document.id), &page)?;
    }
    let tables = statistics(&selection, &mut site)?;
    site.page(
        "statistics.html",
        &StatisticsPage {
            site: &top,
            tables: &tables,
        },
    )?;
    let withheld_counts = selection.withheld_counts();
    site.page(
        "methodology.html",
        &MethodologyPage {
            site: &top,
            rules: rules.describe(),
            published: persons.len(),
            withheld: selection.withheld.len(),
            withheld_reasons: withheld_counts.clone(),
            store_digest: request.store_digest.clone(),
        },
    )?;
    site.page("search.html", &SearchPage { site: &top })?;
    site.page("data.html", &DataPage { site: &top })?;
    site.write("data/persons.csv", persons_csv(&persons).as_bytes())?;
    let json = serde_json::to_vec_pretty(&persons)
        .map_err(|e| PublishError::Render("data/persons.json".into(), e.to_string()))?;
    site.write("data/persons.json", &json)?;
    site.write("data/records.csv", records_csv(&persons).as_bytes())?;
    let source_hashes = source_hashes(catalog, &persons)?;
    let entities = ftm_entities(
        &persons,
        &documents,
        &|photo| photo_hashes.get(photo).cloned(),
        &source_hashes,
    );
    site.write("data/entities.ftm.json", entities.as_bytes())?;
    write_manifest(&mut site)?;

    let forbidden = forbidden_strings(&selection.withheld_names, &persons, rules, withheld_paths);
    let scan = Scanner::forbidding(forbidden)
        .map_err(unmatchable(selection.withheld_names.len()))?
        .scan_dir(&building)
        .map_err(|e| PublishError::Scan(e.to_string()))?;
    let accepted = scan.is_clean();
    let site_dir = if accepted { out.to_path_buf() } else { refused };
    fs::rename(&building, &site_dir).map_err(|e| PublishError::io("rename", &building, e))?;
    Ok(PublishReport {
        site: site_dir,
        accepted,
        without_identity: selection.without_identity(),
        persons: persons.len(),
        withheld: withheld_counts,
        photos: photo_hashes.len(),
        photos_left_out,
        documents: documents.len(),
        files: site.files().len(),
        scan,
    })
}

/// Every path each source document and photo of the published persons was seen at, one
/// look-up per document however many persons it lists.
fn source_paths(
    catalog: &dyn trove_store::CaseCatalog,
    selection: &Selection,
) -> Result<HashMap<BlobId, Vec<String>>, PublishError> {
    let blobs: std::collections::BTreeSet<&BlobId> = selection
        .chosen
        .iter()
        .flat_map(|chosen| {
            let sources = chosen.records.iter().map(|record| &record.source.blob);
            sources.chain(chosen.photo.as_ref().map(|(blob, _)| blob))
        })
        .collect();
    let mut paths = HashMap::with_capacity(blobs.len());
    for blob in blobs {
        paths.insert(blob.clone(), catalog.blob_paths(blob)?);
    }
    Ok(paths)
}

/// The SHA-256 of every source document of the published persons, by published id: one
/// pass over the recorded blobs.
fn source_hashes(
    catalog: &dyn trove_store::CaseCatalog,
    persons: &[PublishedPerson],
) -> Result<HashMap<String, String>, PublishError> {
    let wanted: std::collections::HashSet<&str> = persons
        .iter()
        .flat_map(|p| p.sources.iter().map(|s| s.document.as_str()))
        .collect();
    let mut hashes = HashMap::new();
    catalog.for_each_blob(&mut |blob| {
        let id = document_id(&blob.id);
        if wanted.contains(id.as_str()) {
            hashes.insert(id, blob.sha256);
        }
        Ok(())
    })?;
    Ok(hashes)
}

/// `out` with `.suffix` added to its last component.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    out.with_file_name(name)
}

/// Removes an earlier unfinished or refused build, recognised by its manifest or its
/// stylesheet; anything else at that path is left alone and reported.
fn remove_earlier_build(path: &Path) -> Result<(), PublishError> {
    if !path.exists() {
        return Ok(());
    }
    let ours = path.join("assets/site.css").exists() || path.join("SHA256SUMS").exists();
    if !ours {
        return Err(PublishError::OutExists(path.to_path_buf()));
    }
    fs::remove_dir_all(path).map_err(|e| PublishError::io("remove", path, e))
}

/// What the scanner must not find: the names of persons not shown (except where a name
/// is part of a shown name: a withheld 古丽 inside a published 阿依古丽 is no leak of
/// her), and the source paths unless the rules show them.
fn forbidden_strings(
    withheld_names: &[String],
    persons: &[PublishedPerson],
    rules: &Rules,
    paths: Vec<String>,
) -> Vec<String> {
    let shown: String = persons
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect::<Vec<_>>()
        .join("\n");
    let inside_shown: Vec<bool> = match AhoCorasick::new(withheld_names) {
        Ok(names) => {
            let mut found = vec![false; withheld_names.len()];
            for hit in names.find_overlapping_iter(&shown) {
                found[hit.pattern().as_usize()] = true;
            }
            found
        }
        Err(_) => vec![false; withheld_names.len()],
    };
    let mut forbidden: Vec<String> = withheld_names
        .iter()
        .zip(inside_shown)
        .filter(|(name, inside)| !inside && name.chars().count() >= 2)
        .map(|(name, _)| name.clone())
        .collect();
    if !rules.site.show_paths {
        forbidden.extend(paths);
    }
    forbidden.sort();
    forbidden.dedup();
    forbidden
}

/// The documents the rules allow, their text redacted, written as pages (and originals
/// where allowed and nothing needed redacting).
fn published_documents(
    store: &Store,
    rules: &Rules,
    redactor: &Redactor,
    site: &mut SiteFolder,
    paths: &mut Vec<String>,
) -> Result<Vec<PublishedDocument>, PublishError> {
    let catalog = &*store.catalog;
    let mut documents = Vec::new();
    for wanted in &rules.documents.allow {
        let blob = find_document(store, wanted)?;
        let view = Catalog::document(catalog, &blob)?
            .ok_or_else(|| PublishError::UnknownDocument(wanted.clone()))?;
        paths.extend(view.occurrences.iter().map(|o| o.path.clone()));
        let id = document_id(&blob);
        let mut redactions = 0;
        let parts = view
            .parts
            .iter()
            .map(|part| {
                let redacted = redactor.redact(&part.text);
                redactions += redacted.id_numbers + redacted.phone_numbers + redacted.names;
                PublishedPart {
                    heading: format!("{} {}", capitalised(part.kind.code()), part.index),
                    text: redacted.text,
                }
            })
            .collect();
        let original = if rules.documents.originals && redactions == 0 {
            let relative = format!("originals/{id}.{}", view.kind.code());
            site.write(&relative, &store.blobs.read(&blob)?)?;
            Some(relative)
        } else {
            None
        };
        let title = view
            .metadata
            .title
            .clone()
            .map(|title| redactor.redact(&title).text)
            .unwrap_or_else(|| format!("Document {id}"));
        documents.push(PublishedDocument {
            id,
            title,
            sha256: view.sha256.clone(),
            blake3: blob.to_string(),
            size: view.size,
            redactions,
            original,
            parts,
        });
    }
    Ok(documents)
}

/// A document the rules name: by BLAKE3 id or prefix (12+ hex digits), else by a path.
fn find_document(store: &Store, wanted: &str) -> Result<BlobId, PublishError> {
    let catalog = &*store.catalog;
    let looks_like_id = wanted.len() >= 12 && wanted.chars().all(|c| c.is_ascii_hexdigit());
    if looks_like_id && let Ok(blob) = catalog.resolve(wanted) {
        return Ok(blob);
    }
    catalog
        .occurrences_at(wanted)?
        .into_iter()
        .next()
        .map(|o| o.blob)
        .ok_or_else(|| PublishError::UnknownDocument(wanted.to_owned()))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The statistics over every person (counts only), by township and by age, each with its
/// definition, chart and CSV.
fn statistics(
    selection: &Selection,
    site: &mut SiteFolder,
) -> Result<Vec<StatsSection>, PublishError> {
    let population = &selection.population;
    if population.persons.is_empty() {
        return Ok(Vec::new());
    }
    let at = population
        .latest_detention
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut sections = Vec::new();
    for by in [Dimension::Township, Dimension::Age] {
        let table = compute(&population.persons, &StatsOptions::new(by, at));
        let name = by.code();
        let chart = format!("statistics/{name}.svg");
        let csv = format!("statistics/{name}.csv");
        let svg = to_svg(&table).map_err(|e| PublishError::Render(chart.clone(), e.to_string()))?;
        site.write(&chart, svg.as_bytes())?;
        site.write(&csv, to_csv(&table).as_bytes())?;
        let rows = table
            .rows
            .iter()
            .chain([&table.total])
            .map(|row| {
                let rate = row
                    .rate
                    .map(|r| format!("{:.1}%", r * 100.0))
                    .unwrap_or_default();
                (row.group.clone(), row.listed, row.held, rate)
            })
            .collect();
        sections.push(StatsSection {
            title: table.definition.title(),
            definition: table.definition.lines(),
            chart,
            csv,
            rows,
        });
    }
    Ok(sections)
}
