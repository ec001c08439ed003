//! Tesseract, run once per page image.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use std::io::Read;

use crate::OcrError;
use crate::prepare::prepare;
use crate::run::run;
use crate::tsv::page_text;

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
}

/// Tesseract with the languages to read.
#[derive(Debug, Clone)]
pub struct Engine {
    program: PathBuf,
    languages: String,
    timeout: Duration,
}

impl Engine {
    /// Tesseract from `PATH`, checked to be installed with data for every one of
    /// `languages` (`chi_sim+uig+eng`).
    pub fn find(languages: &str) -> Result<Engine, OcrError> {
        let engine = Engine {
            program: PathBuf::from("tesseract"),
            languages: languages.to_owned(),
            timeout: PAGE_TIMEOUT,
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
        let mut command = Command::new(&self.program);
        match prepared {
            Some(_) => command.arg("stdin"),
            None => command.arg(image),
        };
        command
            .arg("stdout")
            .args(["-l", &self.languages])
            // One thread per page: the ingest runs pages side by side instead.
            .env("OMP_THREAD_LIMIT", "1")
            .arg("tsv");
        let output = run("tesseract", command, image, self.timeout, prepared)?;
        let (text, confidence) = page_text(&String::from_utf8_lossy(&output));
        Ok(OcrPage { text, confidence })
    }
}
