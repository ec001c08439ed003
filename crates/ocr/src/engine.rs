//! Tesseract, run once per page image.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use std::io::Read;

use crate::OcrError;
use crate::prepare::prepare;
use crate::run::run;
use crate::tsv::{page_layout, page_text};

/// The languages read when a store names none: Simplified Chinese, Uyghur (Arabic
/// script) and English, the languages of the records this field works on.
pub const DEFAULT_LANGUAGES: &str = "chi_sim+uig+eng";

/// Page images larger than this are read by Tesseract as they are, not cleaned first.
const MAX_PAGE_BYTES: u64 = 64 << 20;

/// How long one page may take before Tesseract is stopped.
const PAGE_TIMEOUT: Duration = Duration::from_secs(120);

/// The text Tesseract read from one page image.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPage {
    /// One line per line of the page.
    pub text: String,
    /// Mean word confidence (0–100); `None` when no word was found.
    pub confidence: Option<f32>,
    /// The words laid out by position: one line per row of the page, a tab between words
    /// far apart (the cells of a table). What records are read from, when asked.
    pub layout: String,
}

/// Tesseract with the languages to read.
#[derive(Debug, Clone)]
pub struct Engine {
    program: PathBuf,
    languages: String,
    timeout: Duration,
    tables: bool,
}

impl Engine {
    /// Tesseract from `PATH`, checked to be installed with data for every one of
    /// `languages` (`chi_sim+uig+eng`).
    pub fn find(languages: &str) -> Result<Engine, OcrError> {
        let engine = Engine {
            program: PathBuf::from("tesseract"),
            languages: languages.to_owned(),
            timeout: PAGE_TIMEOUT,
            tables: false,
        };
        let mut list = Command::new(&engine.program);
        list.arg("--list-langs");
        let output = run(
            "tesseract",
            list,
            Path::new("--list-langs"),
            PAGE_TIMEOUT,
            None,
        )?;
        let installed = String::from_utf8_lossy(&output);
        let installed: Vec<&str> = installed.lines().skip(1).map(str::trim).collect();
        for language in languages.split('+').filter(|l| !l.is_empty()) {
            if !installed.contains(&language) {
                return Err(OcrError::MissingLanguage {
                    missing: language.to_owned(),
                    package: language.replace('_', "-"),
                });
            }
        }
        Ok(engine)
    }

    /// An engine that also reads each page as one block of rows for its layout: a second
    /// Tesseract pass (page segmentation mode 6). Its automatic page segmentation, right
    /// for prose, drops the short, far-apart words of a table's cells (a sequence number,
    /// a two-character name, 女); read as one block, a register's rows come back whole.
    pub fn with_tables(mut self, tables: bool) -> Engine {
        self.tables = tables;
        self
    }

    /// The languages this engine reads, as Tesseract names them.
    pub fn languages(&self) -> &str {
        &self.languages
    }

    /// Reads one page image (PNG, JPEG, TIFF …), cleaned first if it is noisy or askew
    /// (the cleaned copy goes to Tesseract through a pipe, never to disk).
    pub fn read(&self, image: &Path) -> Result<OcrPage, OcrError> {
        let bytes = std::fs::File::open(image).and_then(|file| {
            let mut bytes = Vec::new();
            file.take(MAX_PAGE_BYTES)
                .read_to_end(&mut bytes)
                .map(|_| bytes)
        })?;
        // Decoded here within limits first: Tesseract would allocate whatever a crafted
        // header claims.
        let prepared = prepare(&bytes).map_err(|error| OcrError::Failed {
            program: "tesseract",
            input: image.to_path_buf(),
            detail: format!("the page image is not read: {error}"),
        })?;
        // The cleaned page is copied only when a second pass will need it.
        let for_tables = self.tables.then(|| prepared.clone());
        let output = self.tesseract(image, prepared, None)?;
        let tsv = String::from_utf8_lossy(&output);
        let (text, confidence) = page_text(&tsv);
        let layout = match for_tables {
            Some(prepared) => page_layout(&String::from_utf8_lossy(&self.tesseract(
                image,
                prepared,
                Some("6"),
            )?)),
            None => page_layout(&tsv),
        };
        Ok(OcrPage {
            text,
            confidence,
            layout,
        })
    }

    /// Tesseract's TSV for one page: the cleaned image through stdin when there is one,
    /// else the file; `psm` chooses a page segmentation mode other than the automatic one.
    fn tesseract(
        &self,
        image: &Path,
        prepared: Option<Vec<u8>>,
        psm: Option<&str>,
    ) -> Result<Vec<u8>, OcrError> {
        let mut command = Command::new(&self.program);
        match prepared {
            Some(_) => command.arg("stdin"),
            None => command.arg(image),
        };
        command.arg("stdout").args(["-l", &self.languages]);
        if let Some(psm) = psm {
            command.args(["--psm", psm]);
        }
        // One thread per page: the ingest runs pages side by side instead.
        command.env("OMP_THREAD_LIMIT", "1").arg("tsv");
        run("tesseract", command, image, self.timeout, prepared)
    }
}
