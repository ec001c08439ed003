//! The office extractors against real files other projects test with
//! (`../shared/corpus`, see its MANIFEST.tsv). Skipped when the corpus is
//! absent, as it is outside this repository.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use trove_extract::{ExtractError, Extracted, Limits, extract};
use trove_model::{FileKind, PartKind};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// Extensions of the formats this suite covers.
const OFFICE: &[&str] = &[
    "xls", "xlsx", "xlsm", "xlsb", "ods", "doc", "docx", "docm", "odt", "odp", "ppt", "pptx", "msg",
];

fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(CORPUS);
    if root.is_dir() {
        Some(root)
    } else {
        println!("skipping: ../shared/corpus not found");
        None
    }
}

/// The kind is taken from the extension: these tests are about the
/// extractors, not about detection.
fn kind_of(path: &Path) -> FileKind {
    FileKind::from_extension(&path.to_string_lossy()).expect("an office extension")
}

fn run(root: &Path, relative: &str) -> Result<Extracted, ExtractError> {
    let path = root.join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    extract(kind_of(&path), &bytes, &Limits::default())
        .map(|e| e.expect("an office kind is extracted"))
}

fn all_text(extracted: &Extracted) -> String {
    extracted
        .parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_contains(root: &Path, relative: &str, needles: &[&str]) {
    let extracted = run(root, relative).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let text = all_text(&extracted);
    for needle in needles {
        assert!(
            text.contains(needle),
            "{relative} lacks {needle:?}; text starts {:?}",
            text.chars().take(400).collect::<String>()
        );
    }
}

fn assert_encrypted(root: &Path, relative: &str) {
    match run(root, relative) {
        Err(ExtractError::Encrypted { .. }) => {}
        other => panic!(
            "{relative}: expected Encrypted, got {:?}",
            other.map(|e| all_text(&e))
        ),
    }
}

#[test]
fn workbooks_give_one_sheet_part_per_sheet_with_rows_as_lines() {
    let Some(root) = corpus() else { return };
    let book = run(&root, "aleph-ingest-file/file.xlsx").unwrap();
    let names: Vec<_> = book
        .parts
        .iter()
        .map(|p| p.label.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Sheet1", "Sheet2"]);
    assert!(book.parts.iter().all(|p| p.kind == PartKind::Sheet));
    let first: Vec<&str> = book.parts[0].text.lines().collect();
    assert_eq!(first.len(), 2);
    assert_eq!(
        first[0].split('\t').collect::<Vec<_>>(),
        ["Name", "Timestamp", "Price"]
    );
    assert!(first[1].starts_with("Mihai Viteazul\t"));
    assert_eq!(book.metadata.page_count, Some(2));

    for cyrillic in ["aleph-ingest-file/rom.xls", "aleph-ingest-file/rom.ods"] {
        let book = run(&root, cyrillic).unwrap();
        assert_eq!(book.parts[0].label.as_deref(), Some("Лист1"), "{cyrillic}");
        assert!(
            book.parts[0].text.contains("\t2011-01-13\t"),
            "{cyrillic}: dates render ISO"
        );
    }
    let staff = run(&root, "aleph-ingest-file/staff_list.xlsx").unwrap();
    assert_eq!(staff.parts.len(), 3);
    assert_eq!(
        staff.metadata.title.as_deref(),
        Some("Lists of Company Employees")
    );
}

#[test]
fn chinese_workbooks_keep_their_text() {
    let Some(root) = corpus() else { return };
    assert_contains(
        &root,
        "apache-poi/spreadsheet/19599-2.xls",
        &["业务统计月报", "订阅上行列表"],
    );
    assert_contains(
        &root,
        "apache-poi/spreadsheet/chinese-provinces.xls",
        &["Beijing\t北京市"],
    );
    assert_contains(
        &root,
        "apache-poi/spreadsheet/54071.xlsx",
        &["2012-11-11 23:59:59"],
    );
    assert_contains(
        &root,
        "apache-poi/spreadsheet/12843-1.xls",
        &["中華電信網路容量及使用現況雙週報表"],
    );
    let sheet = run(&root, "tafia-calamine/issue219.xls").unwrap();
    assert_eq!(sheet.parts[0].label.as_deref(), Some("工作表1"));
}

#[test]
fn word_documents_give_their_body_text_and_properties() {
    let Some(root) = corpus() else { return };
    let docx = run(&root, "aleph-ingest-file/hello world word.docx").unwrap();
    assert_eq!(all_text(&docx), "Hello world, Word!");
    assert_eq!(
        docx.metadata.created.as_deref(),
        Some("2015-09-07T10:57:00Z")
    );
    assert_eq!(
        docx.metadata.modified.as_deref(),
        Some("2015-10-05T08:57:00Z")
    );
    assert_contains(
        &root,
        "aleph-ingest-file/doc.doc",
        &[
            "This is a sample Microsoft Word Document.",
            "The Level 3 Bookmark",
        ],
    );
    let japanese = ["ゾルゲと尾崎、淡々と最期", "（ＧＨＱ）"];
    assert_contains(&root, "apache-tika/testWORD_various.doc", &japanese);
    assert_contains(&root, "apache-tika/testWORD_various.docx", &japanese);
    assert_contains(
        &root,
        "apache-tika/testWORD_phonetic.doc",
        &["東京 (とうきょう)"],
    );
    assert_contains(
        &root,
        "apache-poi/integration/stress009.docx",
        &["固态硬盘"],
    );
    assert_contains(
        &root,
        "aleph-ingest-file/Plan.odt",
        &["We should paint graffiti on all corners"],
    );
    assert_contains(
        &root,
        "aleph-ingest-file/rand-1670433101.440986000.odt",
        &["graphomaniac Talpa Deuteronomical tubber johannite"],
    );
}

#[test]
fn presentations_give_one_part_per_slide() {
    let Some(root) = corpus() else { return };
    let slides = run(&root, "aleph-ingest-file/slides.ppt").unwrap();
    assert_eq!(slides.parts[0].kind, PartKind::Slide);
    assert_eq!(slides.parts[0].text, "Now");
    let notes = run(&root, "apache-poi/slideshow/52244.ppt").unwrap();
    assert_eq!(notes.parts.len(), 2);
    assert!(
        notes.parts[0].text.contains("请注意店名和报告日期"),
        "notes follow the slide"
    );
    let japanese = ["ゾルゲと尾崎、淡々と最期", "（ＧＨＱ）"];
    assert_contains(&root, "apache-tika/testPPT_various.ppt", &japanese);
    assert_contains(&root, "apache-tika/testPPT_various.pptx", &japanese);
    assert_contains(
        &root,
        "apache-poi/slideshow/bug55902-mixedFontChineseCharacters.ppt",
        &["複数の文字"],
    );
    let demo = run(&root, "apache-poi/slideshow/copy-slide-demo.pptx").unwrap();
    assert_eq!(demo.parts[0].text, "demo\nCopy slide test");
}

#[test]
fn password_protected_files_are_encrypted_not_corrupt() {
    let Some(root) = corpus() else { return };
    for file in [
        "aleph-ingest-file/password_protected.xls",
        "aleph-ingest-file/password_protected.xlsx",
        "aleph-ingest-file/encypted_by_libreoffice.odt",
        "apache-tika/testODTEncrypted.odt",
        "apache-tika/testWORD_protected_passtika.doc",
        "apache-tika/testWORD_protected_passtika.docx",
        "apache-tika/testPPT_protected_passtika.ppt",
        "apache-tika/testPPT_protected_passtika.pptx",
        "apache-tika/testEXCEL_protected_passtika.xls",
        "apache-poi/spreadsheet/xor-encryption-abc.xls",
        "apache-poi/slideshow/Password_Protected-hello.ppt",
        "apache-poi/poifs/protected_sha512.xlsx",
        "tafia-calamine/pass_protected.ods",
    ] {
        assert_encrypted(&root, file);
    }
}

#[test]
fn outlook_messages_give_subject_and_body() {
    let Some(root) = corpus() else { return };
    let piste = run(&root, "aleph-ingest-file/piste.msg").unwrap();
    assert_eq!(piste.metadata.title.as_deref(), Some("Ab auf die Piste!"));
    assert_eq!(piste.parts[0].kind, PartKind::Message);
    assert_contains(&root, "apache-tika/testMSG_chinese.msg", &["陳惠珍"]);
}

#[test]
fn every_office_file_extracts_or_fails_cleanly() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut panics = Vec::new();
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let kind = kind_of(path);
        let result = catch_unwind(AssertUnwindSafe(|| {
            extract(kind, &bytes, &Limits::default())
        }));
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        match result {
            Err(_) => panics.push(name),
            Ok(Err(e)) => {
                let detail = match &e {
                    ExtractError::Encrypted { detail, .. }
                    | ExtractError::Corrupt { detail, .. } => detail,
                };
                assert!(
                    !detail.trim().is_empty(),
                    "{name}: an error without a reason"
                );
                failures.push(format!("{name}: {e}"));
            }
            Ok(Ok(_)) => {}
        }
    }
    println!("{} office files, {} refused:", files.len(), failures.len());
    for failure in &failures {
        println!("  {failure}");
    }
    assert!(panics.is_empty(), "extraction panicked on {panics:?}");
}

#[test]
fn damaged_copies_of_every_office_file_fail_without_panicking() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut panics = Vec::new();
    for path in &files {
        let original = std::fs::read(path).unwrap();
        let kind = kind_of(path);
        for eighth in 1..8 {
            let at = original.len() * eighth / 8;
            let mut scribbled = original.clone();
            let end = (at + 64).min(scribbled.len());
            scribbled[at..end].fill(0xFF);
            for damaged in [&original[..at], &scribbled[..]] {
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    extract(kind, damaged, &Limits::default())
                }));
                if outcome.is_err() {
                    panics.push(format!("{} damaged at {at}", path.display()));
                }
            }
        }
    }
    assert!(panics.is_empty(), "extraction panicked on {panics:#?}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| OFFICE.contains(&e.to_ascii_lowercase().as_str()))
        {
            files.push(path);
        }
    }
}

/// calamine's own binary workbooks: detected as .xlsb by content (not as a
/// damaged .xlsx) and read sheet by sheet; the encrypted one says so.
#[test]
fn binary_workbooks_are_detected_and_read_as_xlsb() {
    let Some(root) = corpus() else { return };
    let detected = |relative: &str| {
        let bytes = std::fs::read(root.join(relative)).unwrap();
        trove_extract::detect(&bytes, relative)
    };
    for (relative, needles) in [
        (
            "tafia-calamine/issues.xlsb",
            &["aaa ' aaa", "☺", "2016-10-20"][..],
        ),
        ("tafia-calamine/date.xlsb", &["2021-01-01\t15"][..]),
        ("tafia-calamine/date_1904.xlsb", &["2021-01-02\t16"][..]),
        ("tafia-calamine/issue_186.xlsb", &["12345.67"][..]),
        ("tafia-calamine/issue_182.xlsb", &["Ab"][..]),
        ("tafia-calamine/issue_419.xlsb", &["Hello"][..]),
        (
            "tafia-calamine/any_sheets.xlsb",
            &["This workbook contains 4 sheets"][..],
        ),
    ] {
        assert_eq!(detected(relative), FileKind::Xlsb, "{relative}");
        assert_contains(&root, relative, needles);
    }
    for relative in [
        "tafia-calamine/picture.xlsb",
        "tafia-calamine/issue127.xlsb",
        "tafia-calamine/issue_666_lost_sheets.xlsb",
        "tafia-calamine/issue_666_panic.xlsb",
    ] {
        assert_eq!(detected(relative), FileKind::Xlsb, "{relative}");
        let book = run(&root, relative).unwrap_or_else(|e| panic!("{relative}: {e}"));
        assert!(
            book.metadata.page_count >= Some(1),
            "{relative} has its sheets"
        );
    }
    // Encrypted OOXML of any flavour is a compound file; it is reported as such.
    assert_eq!(
        detected("tafia-calamine/pass_protected.xlsb"),
        FileKind::Ole
    );
}

/// Tika's WPS Office test files embed the same nine files (a text, a PDF, an XML
/// file, and a .doc/.docx/.xls/.xlsx/.ppt/.pptx each) in every office format;
/// every one of them comes back as a child, typed by content.
#[test]
fn files_embedded_by_wps_office_become_children() {
    let Some(root) = corpus() else { return };
    let expected = [
        FileKind::Text,
        FileKind::Pdf,
        FileKind::Doc,
        FileKind::Docx,
        FileKind::Xls,
        FileKind::Xlsx,
        FileKind::Ppt,
        FileKind::Pptx,
    ];
    for format in ["doc", "docx", "xls", "ppt", "pptx"] {
        let relative = format!("apache-tika/testWPSAttachment.{format}");
        let bytes = std::fs::read(root.join(&relative)).unwrap();
        let kind = trove_extract::detect(&bytes, &relative);
        let extracted = extract(kind, &bytes, &Limits::default()).unwrap().unwrap();
        let kinds: Vec<FileKind> = extracted
            .children
            .iter()
            .map(|child| trove_extract::detect(&child.bytes, &child.name))
            .collect();
        assert_eq!(extracted.children.len(), 9, "{relative}: {kinds:?}");
        for kind in expected {
            assert!(
                kinds.contains(&kind),
                "{relative} embeds a {kind}: {kinds:?}"
            );
        }
        let names: Vec<&str> = extracted.children.iter().map(|c| c.name.as_str()).collect();
        assert!(
            names.contains(&"PDF.pdf"),
            "{relative}: the packager's label names it"
        );
        assert!(!extracted.truncated, "{relative}: nothing left out");
    }
}

/// Outlook messages give their attachments, named as the sender named them.
#[test]
fn outlook_attachments_become_children() {
    let Some(root) = corpus() else { return };
    for (relative, name, starts) in [
        (
            "demisto-parse-emails/html_attachment.msg",
            "dummy-attachment.txt",
            &b"This is a text attachment"[..],
        ),
        (
            "demisto-parse-emails/msg_contains_eml.msg",
            "message.eml",
            b"",
        ),
    ] {
        let bytes = std::fs::read(root.join(relative)).unwrap();
        let extracted = extract(FileKind::Ole, &bytes, &Limits::default())
            .unwrap()
            .unwrap();
        let child = extracted
            .children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{relative} attaches {name}"));
        assert!(child.bytes.starts_with(starts), "{relative}: {name}");
    }
}

/// What a workbook hides is read from all four formats calamine reads: its test
/// workbooks have a hidden and a "very hidden" sheet; one of its sheets hides row 20,
/// and a legacy workbook hides rows 1–9 of a hidden sheet.
#[test]
fn hidden_sheets_and_rows_are_marked_in_real_workbooks() {
    let Some(root) = corpus() else { return };
    for format in ["xlsx", "xls", "xlsb", "ods"] {
        let relative = format!("tafia-calamine/any_sheets.{format}");
        let extracted = run(&root, &relative).unwrap_or_else(|e| panic!("{relative}: {e}"));
        let hidden: Vec<(&str, bool)> = extracted
            .parts
            .iter()
            .map(|p| (p.label.as_deref().unwrap_or_default(), p.hidden.sheet))
            .collect();
        for (name, is_hidden) in &hidden {
            let expected = name.contains("Hidden");
            assert_eq!(*is_hidden, expected, "{relative}: {hidden:?}");
        }
        assert!(
            hidden.iter().filter(|(_, h)| *h).count() == 2,
            "{relative}: {hidden:?}"
        );
    }
    let errors = run(&root, "tafia-calamine/errors.xlsx").unwrap();
    assert_eq!(errors.parts[0].hidden.rows, vec![[20, 20]]);
    let legacy = run(&root, "tafia-calamine/OOM_alloc.xls").unwrap();
    let data = legacy
        .parts
        .iter()
        .find(|p| p.label.as_deref() == Some("Data"))
        .expect("the Data sheet");
    assert!(data.hidden.sheet);
    assert_eq!(data.hidden.rows, vec![[1, 9]]);
}
