//! PDF pages as images, through poppler's `pdftoppm`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::OcrError;
use crate::run::run;

/// How long rendering one page may take.
const RENDER_TIMEOUT: Duration = Duration::from_secs(120);

/// Renders page `page` (1-based) of the PDF at `pdf` as a greyscale PNG at `dpi` into
/// `folder`, and returns its path.
pub fn render_pdf_page(
    pdf: &Path,
    page: u32,
    dpi: u32,
    folder: &Path,
) -> Result<PathBuf, OcrError> {
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
