//! Tesseract on pages rendered here (pango-view with Debian's fonts, as scripts/test.sh
//! installs them): Chinese and Uyghur text read back within the error rates trove aims at.
//! Skipped, saying so, where the programs are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use trove_ocr::{Engine, character_error_rate, judge_image, render_pdf_page};

const CHINESE: &str = "关于进一步加强社会稳定工作的通知\n各乡镇、各单位：为认真贯彻落实上级会议精神，现就有关事项通知如下。\n一、提高认识，加强领导。二、明确责任，狠抓落实。";
const UYGHUR: &str = "ئۇيغۇر تىلى يېزىقى ھەققىدە ئۇقتۇرۇش\nبارلىق يېزا-بازارلار ۋە ئورۇنلارغا";

fn installed(program: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok();
    if !found {
        eprintln!("skipping: {program} is not installed (scripts/test.sh installs it)");
    }
    found
}

/// A page of `text` at 300 dpi in `font`, as a scanner would give it.
fn page(dir: &Path, name: &str, text: &str, font: &str) -> PathBuf {
    let source = dir.join(format!("{name}.txt"));
    std::fs::write(&source, text).unwrap();
    let image = dir.join(format!("{name}.png"));
    let status = Command::new("pango-view")
        .args(["--dpi=300", "--margin=80", "--width=480", "-q"])
        .arg(format!("--font={font}"))
        .arg("-o")
        .arg(&image)
        .arg(&source)
        .status()
        .unwrap();
    assert!(status.success());
    image
}

#[test]
fn chinese_and_uyghur_pages_are_read_within_the_error_rates() {
    if !installed("tesseract") || !installed("pango-view") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::find("chi_sim+uig+eng").expect("the language data is installed");
    let chinese = page(dir.path(), "zh", CHINESE, "WenQuanYi Micro Hei 12");
    let decision = judge_image(&std::fs::read(&chinese).unwrap());
    assert!(decision.ocr, "{}", decision.reason);
    let read = engine.read(&chinese).unwrap();
    let cer = character_error_rate(&read.text, CHINESE);
    assert!(cer <= 0.03, "CER {cer:.3}: {}", read.text);
    assert!(read.confidence.unwrap() > 50.0);

    let uyghur = Engine::find("uig").unwrap();
    let read = uyghur
        .read(&page(dir.path(), "ug", UYGHUR, "DejaVu Sans 12"))
        .unwrap();
    let cer = character_error_rate(&read.text, UYGHUR);
    assert!(cer <= 0.10, "CER {cer:.3}: {}", read.text);
}

#[test]
fn missing_language_data_is_named() {
    if !installed("tesseract") {
        return;
    }
    let error = Engine::find("chi_sim+xyz").unwrap_err().to_string();
    assert!(error.contains("xyz"), "{error}");
}

#[test]
fn a_pdf_page_is_rendered_for_reading() {
    if !installed("pdftoppm") || !installed("pango-view") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("p.txt");
    std::fs::write(&text, "Page one of a scanned report").unwrap();
    let pdf = dir.path().join("p.pdf");
    let made = Command::new("pango-view")
        .args(["-q", "--dpi=72", "-o"])
        .arg(&pdf)
        .arg(&text)
        .status()
        .unwrap();
    assert!(made.success());
    let image = render_pdf_page(&pdf, 1, 150, dir.path()).unwrap();
    assert!(image.is_file());
    assert!(
        render_pdf_page(&pdf, 9, 150, dir.path()).is_err(),
        "no page 9"
    );
}
