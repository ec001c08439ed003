//! Scanned pages: parts of the demo's own speech drawn as 300-dpi page images, one clean,
//! one as a poor scan (turned a few degrees, blurred, speckled), and a notice in Uyghur
//! (Arabic script), with their true text in the ground truth for OCR to be measured
//! against. They are drawn by pango-view with Debian's fonts (`scripts/test.sh` installs
//! them); where pango-view is missing the leak has no scans and the truth says none.

use std::io::Cursor;
use std::process::Command;

use image::{GrayImage, ImageFormat, Luma};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use trove_model::FileKind;

use crate::SynthError;
use crate::leak::{Doc, Leak};

const FOLDER: &str = "疏附县公安局/07-扫描件";
/// The font Chinese pages are drawn in (Debian's fonts-wqy-microhei).
pub const CHINESE_FONT: &str = "WenQuanYi Micro Hei 11";
/// The font Uyghur (Arabic-script) pages are drawn in (Debian's fonts-dejavu-core).
pub const ARABIC_FONT: &str = "DejaVu Sans 12";
const UYGHUR_NOTICE: &str = "ئۇقتۇرۇش\nبارلىق يېزا-بازارلار ۋە ئورۇنلارغا\nيىغىن روھىنى ئەستايىدىل ئەمەلىيلەشتۈرۈش ئۈچۈن\nخىزمەت ئەھۋالىنى ۋاقتىدا دوكلات قىلىش كېرەك";

/// A scanned page of the demo leak and the text drawn on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanTruth {
    /// Path relative to the leak root.
    pub path: String,
    /// The text on the page, line by line.
    pub text: String,
    /// `han` or `arabic`.
    pub script: String,
    /// Drawn as a poor scan (skew, blur, speckles).
    pub degraded: bool,
}

/// Draws the scans into the leak, if pango-view can; `speech` is the speech's text lines.
pub(crate) fn write(
    leak: &mut Leak,
    speech: &[&str],
    seed: u64,
) -> Result<Vec<ScanTruth>, SynthError> {
    if Command::new("pango-view")
        .arg("--version")
        .output()
        .is_err()
    {
        return Ok(Vec::new());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pages = [
        (
            speech
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join("\n"),
            "han",
            false,
        ),
        (
            speech
                .iter()
                .skip(5)
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join("\n"),
            "han",
            true,
        ),
        (UYGHUR_NOTICE.to_owned(), "arabic", false),
    ];
    let mut truths = Vec::new();
    for (number, (text, script, degraded)) in pages.into_iter().enumerate() {
        let font = if script == "han" {
            CHINESE_FONT
        } else {
            ARABIC_FONT
        };
        let Some(page) = draw_page(&text, font)? else {
            return Ok(Vec::new());
        };
        let page = if degraded {
            degrade(&page, &mut rng)
        } else {
            page
        };
        let mut png = Cursor::new(Vec::new());
        page.write_to(&mut png, ImageFormat::Png)
            .map_err(|e| SynthError::encode("scanned page", e))?;
        let path = format!("{FOLDER}/扫描-{:03}.png", number + 1);
        leak.place(&path, Doc::new(FileKind::Png, png.into_inner()))?;
        truths.push(ScanTruth {
            path,
            text,
            script: script.to_owned(),
            degraded,
        });
    }
    Ok(truths)
}

/// `text` drawn black on white at 300 dpi in `font`, as a clean scan of a page; `None`
/// when pango-view cannot draw it (not installed, no such font).
pub fn draw_page(text: &str, font: &str) -> Result<Option<GrayImage>, SynthError> {
    let dir = tempfile::tempdir().map_err(|e| crate::leak::io_error(&std::env::temp_dir(), e))?;
    let source = dir.path().join("page.txt");
    let image = dir.path().join("page.png");
    std::fs::write(&source, text).map_err(|e| crate::leak::io_error(&source, e))?;
    let drawn = Command::new("pango-view")
        .args([
            "-q",
            "--dpi=300",
            "--margin=120",
            "--width=480",
            "--background=white",
        ])
        .arg(format!("--font={font}"))
        .arg("-o")
        .arg(&image)
        .arg(&source)
        .status()
        .is_ok_and(|s| s.success());
    Ok(drawn
        .then(|| image::open(&image).ok().map(|page| page.to_luma8()))
        .flatten())
}

/// The page as a poor scan: turned by 1–3 degrees, blurred, with speckle noise.
pub fn degrade(page: &GrayImage, rng: &mut impl Rng) -> GrayImage {
    let degrees = rng.random_range(1.0f32..3.0) * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
    let turned = trove_ocr::rotate(page, degrees.to_radians());
    let mut blurred = image::imageops::blur(&turned, 0.9);
    for pixel in blurred.pixels_mut() {
        if rng.random_bool(0.01) {
            *pixel = Luma([if rng.random_bool(0.5) { 0 } else { 255 }]);
        }
    }
    blurred
}
