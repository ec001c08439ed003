//! The static site's pages: askama templates (escaped by default) rendered into files
//! that work from `file://` and from any static host, under a strict Content-Security-
//! Policy, with no request to any other host.

use std::fs;
use std::path::{Path, PathBuf};

use askama::Template;

use crate::PublishError;
use crate::person::PublishedPerson;

/// The stylesheet, the search script and the icon, as compiled in.
pub const STYLESHEET: &str = include_str!("../assets/site.css");
pub const SEARCH_SCRIPT: &str = include_str!("../assets/search.js");
pub const FAVICON: &str = include_str!("../assets/favicon.svg");

/// What every page shows around itself.
pub struct SiteChrome {
    pub title: String,
    /// The way back to the site's root from the page: `` or `../`.
    pub root: &'static str,
    /// The day of publication.
    pub published: String,
}

impl PublishedPerson {
    /// How pages name the person: the name, or that it is withheld.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => format!("Name withheld ({})", self.id),
        }
    }
}

#[derive(Template)]
#[template(path = "site_index.html")]
pub struct IndexPage<'a> {
    pub site: &'a SiteChrome,
    /// This page's persons.
    pub persons: &'a [PublishedPerson],
    /// All persons published.
    pub total: usize,
    /// This page's number (1-based).
    pub page: usize,
    /// Every gallery page: (number, file).
    pub pages: &'a [(usize, String)],
}

/// Persons a gallery page shows.
pub const GALLERY_PAGE: usize = 240;

/// The file of gallery page `number`: the first is the site's home page.
pub fn gallery_file(number: usize) -> String {
    if number == 1 {
        "index.html".to_owned()
    } else {
        format!("gallery-{number}.html")
    }
}

#[derive(Template)]
#[template(path = "site_person.html")]
pub struct PersonPage<'a> {
    pub site: &'a SiteChrome,
    pub person: &'a PublishedPerson,
}

/// A published document: hashes and redacted text by parts.
pub struct PublishedDocument {
    pub id: String,
    pub title: String,
    pub sha256: String,
    pub blake3: String,
    pub size: u64,
    /// Marks left in its text.
    pub redactions: usize,
    /// The original's path inside the site, when the rules publish it.
    pub original: Option<String>,
    pub parts: Vec<PublishedPart>,
}

pub struct PublishedPart {
    pub heading: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "site_documents.html")]
pub struct DocumentsPage<'a> {
    pub site: &'a SiteChrome,
    pub documents: &'a [PublishedDocument],
}

#[derive(Template)]
#[template(path = "site_document.html")]
pub struct DocumentPage<'a> {
    pub site: &'a SiteChrome,
    pub document: &'a PublishedDocument,
}

/// A statistics table as the page shows it.
pub struct StatsSection {
    pub title: String,
    pub definition: Vec<String>,
    /// The SVG chart's path inside the site.
    pub chart: String,
    pub csv: String,
    /// (group, listed, held, rate).
    pub rows: Vec<(String, u64, u64, String)>,
}

#[derive(Template)]
#[template(path = "site_statistics.html")]
pub struct StatisticsPage<'a> {
    pub site: &'a SiteChrome,
    pub tables: &'a [StatsSection],
}

#[derive(Template)]
#[template(path = "site_methodology.html")]
pub struct MethodologyPage<'a> {
    pub site: &'a SiteChrome,
    pub rules: Vec<String>,
    pub published: usize,
    pub withheld: usize,
    pub withheld_reasons: Vec<(&'static str, usize)>,
    pub store_digest: String,
}

#[derive(Template)]
#[template(path = "site_search.html")]
pub struct SearchPage<'a> {
    pub site: &'a SiteChrome,
}

#[derive(Template)]
#[template(path = "site_data.html")]
pub struct DataPage<'a> {
    pub site: &'a SiteChrome,
}

/// The folder a site is written into, remembering every file for the manifest.
pub struct SiteFolder {
    root: PathBuf,
    files: Vec<String>,
}

impl SiteFolder {
    /// A new, empty folder at `root` (which must not exist yet).
    pub fn create(root: &Path) -> Result<SiteFolder, PublishError> {
        fs::create_dir_all(root).map_err(|e| PublishError::io("create", root, e))?;
        Ok(SiteFolder {
            root: root.to_path_buf(),
            files: Vec::new(),
        })
    }

    /// Writes `bytes` at `relative` (a `/`-separated path inside the site).
    pub fn write(&mut self, relative: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| PublishError::io("create", parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| PublishError::io("write", &path, e))?;
        self.files.push(relative.to_owned());
        Ok(())
    }

    /// Renders `page` into `relative`.
    pub fn page(&mut self, relative: &str, page: &impl Template) -> Result<(), PublishError> {
        let html = page
            .render()
            .map_err(|e| PublishError::Render(relative.to_owned(), e.to_string()))?;
        self.write(relative, html.as_bytes())
    }

    /// Every file written so far, in order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}
