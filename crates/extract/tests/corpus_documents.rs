//! Type detection and the text, PDF, HTML, email and image extractors
//! against real files from other projects' test suites (../shared/corpus).
//! The facts asserted come from the corpus's MANIFEST.tsv and
//! aleph-ingest-file/EXPECTED.md.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use trove_extract::{ExtractError, Extracted, Limits, detect, extract};
use trove_model::{FileKind, PartKind};

fn corpus() -> Option<PathBuf> {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    if root.is_dir() {
        Some(root.to_path_buf())
    } else {
        println!("skipping: ../shared/corpus not found");
        None
    }
}

/// Detects and extracts a corpus file, returning its kind and the outcome.
fn run(root: &Path, relative: &str) -> (FileKind, Result<Option<Extracted>, ExtractError>) {
    let bytes = std::fs::read(root.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let kind = detect(&bytes, relative);
    (kind, extract(kind, &bytes, &Limits::default()))
}

/// Extracts a file that must succeed, checking its detected kind.
fn extracted(root: &Path, relative: &str, expected: FileKind) -> Extracted {
    let (kind, result) = run(root, relative);
    assert_eq!(kind, expected, "{relative}");
    result
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .unwrap_or_else(|| panic!("{relative}: no extractor"))
}

fn all_text(extracted: &Extracted) -> String {
    let texts: Vec<&str> = extracted.parts.iter().map(|p| p.text.as_str()).collect();
    texts.join("\n")
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn chinese_legacy_encodings_decode_like_their_utf8_twins() {
    let Some(root) = corpus() else { return };
    for name in ["gbk", "gb2312", "big5hkscs"] {
        let file = format!("RustPython-RustPython/cjkencodings/{name}.txt");
        let twin = std::fs::read_to_string(root.join(format!(
            "RustPython-RustPython/cjkencodings/{name}-utf8.txt"
        )))
        .unwrap();
        let text = all_text(&extracted(&root, &file, FileKind::Text));
        assert_eq!(text, twin, "{file}");
    }
}

#[test]
fn aleph_text_files_decode() {
    let Some(root) = corpus() else { return };
    let non_utf = extracted(&root, "aleph-ingest-file/non_utf.txt", FileKind::Text);
    assert!(all_text(&non_utf).contains("größter"));
    let utf = extracted(&root, "aleph-ingest-file/utf.txt", FileKind::Text);
    assert_eq!(all_text(&utf).trim(), "Îș unî©ođ€.");
    assert_eq!(utf.metadata.encoding.as_deref(), Some("UTF-8"));
}

#[test]
fn aleph_csv_files_keep_every_row() {
    let Some(root) = corpus() else { return };
    // Aleph reports 257 and 22 rows; the files hold 256 and 21 records
    // (header included), as Python's csv module also reads them.
    for (file, rows) in [("countries.csv", 256), ("countries_nonutf.csv", 21)] {
        let sheet = extracted(&root, &format!("aleph-ingest-file/{file}"), FileKind::Csv);
        assert_eq!(sheet.parts.len(), 1);
        assert_eq!(sheet.parts[0].kind, PartKind::Sheet);
        assert_eq!(sheet.parts[0].text.lines().count(), rows, "{file}");
    }
    let bom = extracted(
        &root,
        "frictionlessdata-tabulator-py/special/bom.csv",
        FileKind::Csv,
    );
    assert_eq!(bom.parts[0].text, "id\tname\n1\tenglish\n2\t中国人\n");
}

#[test]
fn aleph_html_pages() {
    let Some(root) = corpus() else { return };
    let doc = extracted(&root, "aleph-ingest-file/doc.html", FileKind::Html);
    assert_eq!(
        normalise(&all_text(&doc)),
        "Ingestors Test web page. The GitHub page."
    );
    assert_eq!(doc.metadata.title.as_deref(), Some("Ingestors Title"));
    assert_eq!(
        doc.metadata.subject.as_deref(),
        Some("Ingestors description")
    );
    let edrm = extracted(
        &root,
        "aleph-ingest-file/EDRM Micro Datasets « EDRM.htm",
        FileKind::Html,
    );
    assert_eq!(
        edrm.metadata.title.as_deref(),
        Some("EDRM Micro Datasets « EDRM")
    );
    assert_eq!(edrm.metadata.subject, None);
    assert!(
        normalise(&all_text(&edrm)).contains("Creating Practical Resources to Improve E-Discovery")
    );
    let empty = extracted(
        &root,
        "aleph-ingest-file/empty_5_doc_pages.html",
        FileKind::Html,
    );
    assert!(empty.parts.is_empty());
    assert_eq!(empty.metadata.title, None);
    let utf16 = extracted(
        &root,
        "apache-tika/testHTML_charset_utf16le.html",
        FileKind::Html,
    );
    assert_eq!(utf16.metadata.title.as_deref(), Some("Title"));
    assert!(all_text(&utf16).contains("This is a sample text"));
}

#[test]
fn aleph_pdfs() {
    let Some(root) = corpus() else { return };
    let readme = extracted(&root, "aleph-ingest-file/readme.pdf", FileKind::Pdf);
    assert_eq!(readme.parts.len(), 1);
    assert!(
        normalise(&readme.parts[0].text)
            .contains("Ingestors extract useful information in a structured standard format")
    );

    let pages = extracted(&root, "aleph-ingest-file/500 pages.pdf", FileKind::Pdf);
    assert_eq!(pages.metadata.page_count, Some(500));
    assert_eq!(pages.parts.len(), 500);
    assert_eq!(
        (pages.parts[0].kind, pages.parts[0].index),
        (PartKind::Page, 1)
    );
    assert_eq!(
        normalise(&pages.parts[0].text),
        "Hello, World! Hello, World!"
    );

    let court = extracted(&root, "aleph-ingest-file/106972554.pdf", FileKind::Pdf);
    assert_eq!(court.parts.len(), 3);
    let phrases = [
        "UPON THE APPLICATION of the Plaintiff in this action",
        "The 1st, 2nd and 4th Defendants shall jointly",
        "On or around 6 February 2014",
    ];
    for (part, phrase) in court.parts.iter().zip(phrases) {
        assert!(
            normalise(&part.text).contains(phrase),
            "page {}: {:?}",
            part.index,
            part.text
        );
    }

    let udhr = extracted(&root, "aleph-ingest-file/udhr_ger.pdf", FileKind::Pdf);
    assert_eq!(udhr.parts.len(), 6);
    assert!(normalise(&udhr.parts[0].text).contains("Würde und der gleichen und unveräußerlichen"));
}

#[test]
fn chinese_pdfs_with_predefined_cmaps() {
    let Some(root) = corpus() else { return };
    for (file, phrase) in [
        ("mozilla-pdf.js/issue2128r.pdf", "浅谈校长的魅力"),
        ("mozilla-pdf.js/issue3521.pdf", "我们都是黑体字"),
        ("mozilla-pdf.js/90ms_rksj_h_sample.pdf", "日本語テスト"),
    ] {
        let pdf = extracted(&root, file, FileKind::Pdf);
        assert!(
            all_text(&pdf).contains(phrase),
            "{file}: {:?}",
            all_text(&pdf)
        );
    }
}

#[test]
fn encrypted_and_empty_pdfs() {
    let Some(root) = corpus() else { return };
    let (kind, result) = run(&root, "aleph-ingest-file/password-hunter2.pdf");
    assert_eq!(kind, FileKind::Pdf);
    assert!(
        matches!(result, Err(ExtractError::Encrypted { .. })),
        "{result:?}"
    );
    let (kind, result) = run(&root, "aleph-ingest-file/empty.pdf");
    assert_eq!(kind, FileKind::Empty);
    assert_eq!(result, Ok(None));
}

#[test]
fn aleph_emails() {
    let Some(root) = corpus() else { return };
    let base64 = extracted(&root, "aleph-ingest-file/email_base64.eml", FileKind::Eml);
    assert_eq!(base64.parts[0].kind, PartKind::Message);
    assert!(base64.parts[0].text.contains("Base64 email payload"));

    let thunderbird = extracted(
        &root,
        "aleph-ingest-file/testThunderbirdEml.eml",
        FileKind::Eml,
    );
    assert_eq!(
        thunderbird.metadata.title.as_deref(),
        Some("JUnit test message")
    );
    assert!(all_text(&thunderbird).contains("Dear Vladimir"));

    let stripped = extracted(
        &root,
        "aleph-ingest-file/email_strip_markup.eml",
        FileKind::Eml,
    );
    let text = all_text(&stripped);
    assert!(
        text.contains("This is the body of an HTML message."),
        "{text}"
    );
    assert!(!text.contains("<strong>"));

    let attached = extracted(
        &root,
        "aleph-ingest-file/email_attached_plaintext.eml",
        FileKind::Eml,
    );
    assert!(
        all_text(&attached).contains("This is the body of the email that contains the attachment.")
    );
    assert_eq!(attached.children.len(), 1);

    let mbox = extracted(&root, "aleph-ingest-file/plan.mbox", FileKind::Mbox);
    assert!(mbox.metadata.page_count.is_some_and(|n| n >= 1));
    assert_eq!(
        mbox.children.len() as u32,
        mbox.metadata.page_count.unwrap_or(0)
    );
    assert_eq!(mbox.children[0].name, "message-1.eml");
    assert_eq!(
        detect(&mbox.children[0].bytes, "message-1.eml"),
        FileKind::Eml
    );
}

#[test]
fn chinese_emails() {
    let Some(root) = corpus() else { return };
    let gb2312 = extracted(
        &root,
        "demisto-parse-emails/chinese_gb2312_encoding.eml",
        FileKind::Eml,
    );
    assert!(all_text(&gb2312).contains("你好，我是程序员，很高兴认识你"));
    let utf8 = extracted(
        &root,
        "demisto-parse-emails/chinese_email_test.eml",
        FileKind::Eml,
    );
    assert!(all_text(&utf8).contains("这是一个示例邮件，用于演示指定的条件。"));
    let jis = extracted(
        &root,
        "demisto-parse-emails/chinese_iso_2022_jp_encoding.eml",
        FileKind::Eml,
    );
    assert!(all_text(&jis).contains("中文字"));
}

#[test]
fn camera_exif() {
    let Some(root) = corpus() else { return };
    let canon = extracted(
        &root,
        "ianare-exif-samples/jpg/Canon_40D.jpg",
        FileKind::Jpeg,
    );
    let facts = canon.metadata.image.expect("image facts");
    assert_eq!(facts.exif.make.as_deref(), Some("Canon"));
    assert_eq!(facts.exif.model.as_deref(), Some("Canon EOS 40D"));
    assert_eq!(
        facts.exif.date_time_original.as_deref(),
        Some("2008:05:30 15:56:01")
    );
    assert!(facts.width > 0 && facts.height > 0);
    assert_eq!(facts.perceptual_hash.map(|h| h.len()), Some(16));
    assert!(canon.thumbnail.is_some());

    let nikon = extracted(
        &root,
        "ianare-exif-samples/jpg/gps/DSCN0010.jpg",
        FileKind::Jpeg,
    );
    let exif = nikon.metadata.image.expect("image facts").exif;
    assert_eq!(exif.make.as_deref(), Some("NIKON"));
    assert_eq!(
        exif.date_time_original.as_deref(),
        Some("2008:10:22 16:28:39")
    );
    let gps = exif.gps.expect("GPS position");
    assert!(
        (gps.latitude - (43.0 + 28.0 / 60.0 + 2.814 / 3600.0)).abs() < 1e-6,
        "{gps:?}"
    );
    assert!(
        (gps.longitude - (11.0 + 53.0 / 60.0 + 6.455_999_99 / 3600.0)).abs() < 1e-6,
        "{gps:?}"
    );
}

/// Every corpus file goes through detection and extraction; none may panic.
/// Errors are expected (encrypted, damaged files); those on whole files are
/// listed for a reader.
#[test]
fn every_corpus_file_is_handled_without_panicking() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    files.sort();
    let mut panics = Vec::new();
    println!("{:<70} {:<8} outcome", "file", "kind");
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        // The first half of each file stands in for a truncated download.
        let half = &bytes[..bytes.len() / 2];
        for (label, input) in [
            (name.clone(), bytes.as_slice()),
            (format!("{name} (first half)"), half),
        ] {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let kind = detect(input, &name);
                (kind, extract(kind, input, &Limits::default()))
            }));
            match outcome {
                Ok((_, Ok(_))) => {}
                Ok((kind, Err(error))) if input.len() == bytes.len() => {
                    println!("{label:<70} {:<8} {error}", kind.code());
                }
                Ok(_) => {}
                Err(_) => {
                    println!("{label:<70} {:<8} PANIC", "?");
                    panics.push(label);
                }
            }
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:?}");
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(&path, files),
            Ok(t) if t.is_file() => files.push(path),
            _ => {}
        }
    }
}

/// dBase tables, detected by their header and read as sheets: a shapefile's attribute
/// table in Windows-1252 (8 records under a header: the 9 rows Aleph expects, naming
/// Azad Kashmir) and Tika's table
/// in GB 18030 that names no code page.
#[test]
fn dbase_tables_are_sheets_in_their_code_page() {
    let Some(root) = corpus() else { return };
    let table = extracted(&root, "aleph-ingest-file/PAK_adm1.dbf", FileKind::Dbf);
    let sheet = &table.parts[0];
    assert_eq!(sheet.kind, PartKind::Sheet);
    assert_eq!(
        sheet.text.lines().count(),
        1 + 8,
        "a header line and 8 records"
    );
    assert!(sheet.text.contains("Azad Kashmir") && sheet.text.contains("Béloutchistan"));
    let gb = extracted(&root, "apache-tika/testDBF_gb18030.dbf", FileKind::Dbf);
    assert!(
        gb.parts[0].text.contains("虽然该指令经过重新发布"),
        "{}",
        gb.parts[0].text
    );
}

/// HTML in UTF-32, both byte orders (jsoup's byte-order-mark tests, a Korean page): read
/// as HTML.
#[test]
fn utf32_pages_are_read() {
    let Some(root) = corpus() else { return };
    for order in ["le", "be"] {
        let file = format!("jhy-jsoup/bomtests/bom_utf32{order}.html");
        let page = extracted(&root, &file, FileKind::Html);
        let text = all_text(&page);
        assert!(
            text.contains("UTF-32") && text.contains("현대 한국어의 한글 음절"),
            "{file}: {text}"
        );
    }
}

/// The lens and the digitized time of real camera files (exif-py's samples).
#[test]
fn cameras_write_their_lens_and_digitized_time() {
    let Some(root) = corpus() else { return };
    let sony = extracted(
        &root,
        "ianare-exif-py/jpg/Sony_alpha_a58.JPG",
        FileKind::Jpeg,
    );
    let exif = &sony.metadata.image.as_ref().unwrap().exif;
    assert_eq!(exif.lens.as_deref(), Some("70-300mm F4-5.6 SSM"));
    assert_eq!(
        exif.date_time_digitized.as_deref(),
        Some("2023:10:28 21:42:29")
    );
    assert_eq!(exif.date_time_digitized, exif.date_time_original);
}
