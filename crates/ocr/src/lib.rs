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
pub use decide::{
    Decision, judge_from_thumbnail, judge_image, judge_image_or_its_thumbnail, judge_tones,
    measure_tones,
};
pub use engine::{DEFAULT_LANGUAGES, Engine, OcrPage};
pub use prepare::rotate;
pub use render::render_pdf_page;

use std::io::Cursor;
use std::path::PathBuf;

/// Decoded pages larger than this (bytes of pixels) are refused: a crafted image can
/// claim dimensions whose pixels would not fit in memory.
const MAX_DECODED_BYTES: u64 = 512 << 20;
/// Pages wider or taller than this (pixels) are refused (A0 at 600 dpi is about 20,000).
const MAX_SIDE: u32 = 30_000;

/// Width and height from the image's header, without decoding it.
pub fn image_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Whether `image`, decoded, lies within the limits above: what the triage would decode
/// itself, and so may be judged from tones counted elsewhere ([`measure_tones`]).
pub fn within_triage_limits(image: &image::DynamicImage) -> bool {
    image.width().max(image.height()) <= MAX_SIDE
        && image.as_bytes().len() as u64 <= MAX_DECODED_BYTES
}

/// Decodes an image within the limits above.
pub(crate) fn decode_bounded(bytes: &[u8]) -> image::ImageResult<image::DynamicImage> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    reader.decode()
}

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
