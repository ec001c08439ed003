//! PDF pages as images, through poppler's `pdftoppm`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::OcrError;
use crate::run::run;

/// How long rendering one page may take.
const RENDER_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest side a rendered page may have (pixels): A4 at 300 dpi is 3,508; a crafted
/// page size must not make a gigantic image.
const MAX_RENDER_SIDE: f64 = 8_000.0;

/// Renders page `page` (1-based) of the PDF at `pdf` as a greyscale PNG at `dpi` (lower
/// for a page so large that its image would pass [`MAX_RENDER_SIDE`]) into `folder`, and
/// returns its path.
pub fn render_pdf_page(
    pdf: &Path,
    page: u32,
    dpi: u32,
    folder: &Path,
) -> Result<PathBuf, OcrError> {
    let dpi = match longest_side_points(pdf, page)? {
        Some(points) if points > 0.0 => {
            dpi.min((MAX_RENDER_SIDE * 72.0 / points).floor().max(1.0) as u32)
        }
        _ => dpi,
    };
    let prefix = folder.join(format!("page-{page}"));
    let mut command = Command::new("pdftoppm");
    command
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .args(["-r", &dpi.to_string()])
        .args(["-gray", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix);
    run("pdftoppm", command, pdf, RENDER_TIMEOUT, None)?;
    let image = prefix.with_extension("png");
    if image.is_file() {
        Ok(image)
    } else {
        Err(OcrError::Failed {
            program: "pdftoppm",
            input: pdf.to_path_buf(),
            detail: format!("page {page} gave no image"),
        })
    }
}

/// The longer side of a page in points, as `pdfinfo` reports it (`Page 1 size: 595 x 842 pts`).
fn longest_side_points(pdf: &Path, page: u32) -> Result<Option<f64>, OcrError> {
    let mut command = Command::new("pdfinfo");
    command
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf);
    let output = run("pdftoppm", command, pdf, RENDER_TIMEOUT, None)?;
    let text = String::from_utf8_lossy(&output);
    Ok(text
        .lines()
        .find(|line| line.starts_with("Page") && line.contains("size:"))
        .and_then(|line| line.split("size:").nth(1))
        .and_then(|size| {
            let numbers: Vec<f64> = size
                .split_whitespace()
                .filter_map(|word| word.parse().ok())
                .collect();
            (numbers.len() >= 2).then(|| numbers[0].max(numbers[1]))
        }))
}
