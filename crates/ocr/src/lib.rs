//! Optical character recognition for trove: page images to text with a confidence,
//! through Tesseract (the engine Datashare, Aleph and Hoover use) run as a subprocess
//! with a timeout per page; PDF pages rendered by poppler's `pdftoppm`; and a cheap
//! judgement of which images are documents worth reading (mugshots and scenery are not).
//!
//! Subprocesses rather than bindings: the Debian packages are all a machine needs, the
//! build needs neither libclang nor the Tesseract headers, and a page that hangs the
//! engine is killed without taking the ingest with it.

mod cer;
mod decide;
mod engine;
mod prepare;
mod render;
mod run;
mod tsv;

pub use cer::character_error_rate;
pub use decide::{Decision, judge_image};
pub use engine::{DEFAULT_LANGUAGES, Engine, OcrPage};
pub use prepare::rotate;
pub use render::render_pdf_page;

use std::path::PathBuf;

/// Why OCR could not be done.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// A program OCR needs is not installed.
    #[error(
        "{program} is not installed; OCR needs it (on Debian: apt install {package}, or run scripts/test.sh)"
    )]
    Missing {
        /// The program looked for.
        program: &'static str,
        /// The Debian package that provides it.
        package: &'static str,
    },
    /// Tesseract lacks the language data asked for.
    #[error(
        "Tesseract has no data for {missing}; install tesseract-ocr-{package}, or choose other languages with --ocr-languages"
    )]
    MissingLanguage {
        /// The language code (`uig`).
        missing: String,
        /// Its Debian package suffix (`uig`, `chi-sim`).
        package: String,
    },
    /// A program ran past its time limit and was stopped.
    #[error("{program} took longer than {seconds} s on {input} and was stopped")]
    Timeout {
        /// The program.
        program: &'static str,
        /// The limit.
        seconds: u64,
        /// What it was working on.
        input: PathBuf,
    },
    /// A program failed on its input.
    #[error("{program} failed on {input}: {detail}")]
    Failed {
        /// The program.
        program: &'static str,
        /// What it was working on.
        input: PathBuf,
        /// What it printed.
        detail: String,
    },
    /// Reading or writing a temporary file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
