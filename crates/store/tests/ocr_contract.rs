//! The [`OcrCatalog`] contract, run on every backend: which documents OCR still has to
//! consider, and what it read of them.

mod common;

use common::every_backend;
use trove_model::{BlobId, FileKind, Part, PartKind};
use trove_store::{ExtractionOutcome, NewBlob, OcrPageText, OcrResult, WriteBatch, hash_bytes};

const SCAN: &[u8] = b"a scanned order, two pages";
const PHOTO: &[u8] = b"a mugshot";
const SHEET: &[u8] = b"a register";
const VERSION: &str = "tesseract 5 chi_sim+uig";

fn id_of(bytes: &[u8]) -> BlobId {
    hash_bytes(bytes).blake3
}

fn extracted(bytes: &[u8], parts: Vec<Part>) -> (BlobId, u32, ExtractionOutcome) {
    (
        id_of(bytes),
        5,
        ExtractionOutcome::Extracted {
            parts,
            metadata: Box::default(),
            thumbnail: None,
            truncated: false,
        },
    )
}

fn page(index: u32, text: &str) -> Part {
    Part {
        kind: PartKind::Page,
        index,
        label: None,
        text: text.to_owned(),
        hidden: Default::default(),
    }
}

/// A PDF whose second page has no text layer, a photo and a sheet.
fn documents() -> WriteBatch {
    let blob = |bytes: &[u8], kind| NewBlob {
        hashes: hash_bytes(bytes),
        size: bytes.len() as u64,
        kind,
    };
    WriteBatch {
        blobs: vec![
            blob(SCAN, FileKind::Pdf),
            blob(PHOTO, FileKind::Jpeg),
            blob(SHEET, FileKind::Xlsx),
        ],
        extractions: vec![
            extracted(SCAN, vec![page(1, "关于 加强\n管理"), page(2, " \n\t ")]),
            extracted(PHOTO, vec![]),
            extracted(SHEET, vec![]),
        ],
        ..WriteBatch::default()
    }
}

fn read_scan() -> OcrResult {
    OcrResult {
        blob: id_of(SCAN),
        decision: "page 2 has no text layer".to_owned(),
        pages: vec![OcrPageText {
            page: 2,
            text: "通知 第二页".to_owned(),
            confidence: Some(87.5),
            layout: "通知\t第二页".to_owned(),
        }],
    }
}

#[test]
fn pdfs_and_images_wait_for_ocr_with_their_text_layers_measured() {
    for backend in every_backend() {
        let name = backend.name();
        backend.catalog().write(&documents()).unwrap();
        let pending = backend.ocr().pending_ocr(VERSION, None, 10).unwrap();
        let mut expected = vec![id_of(SCAN), id_of(PHOTO)];
        expected.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        let found: Vec<BlobId> = pending.iter().map(|c| c.blob.clone()).collect();
        assert_eq!(found, expected, "{name}: PDFs and images, in id order");
        let scan = pending.iter().find(|c| c.blob == id_of(SCAN)).unwrap();
        assert_eq!(scan.kind, FileKind::Pdf, "{name}");
        assert_eq!(
            scan.pages,
            [(1, 6), (2, 0)],
            "{name}: characters other than spaces"
        );

        let after = backend
            .ocr()
            .pending_ocr(VERSION, Some(&expected[0]), 10)
            .unwrap();
        assert_eq!(after.len(), 1, "{name}: paged by id");
        assert_eq!(
            backend.ocr().pending_ocr(VERSION, None, 1).unwrap().len(),
            1,
            "{name}"
        );
    }
}

#[test]
fn what_ocr_read_is_kept_as_parts_after_the_extracted_ones() {
    for backend in every_backend() {
        let name = backend.name();
        let (catalog, ocr) = (backend.catalog(), backend.ocr());
        catalog.write(&documents()).unwrap();
        catalog
            .mark_indexed(&[id_of(SCAN), id_of(PHOTO), id_of(SHEET)])
            .unwrap();
        let photo = OcrResult {
            blob: id_of(PHOTO),
            decision: "a photograph, not a page".to_owned(),
            pages: vec![],
        };
        ocr.write_ocr(VERSION, &[read_scan(), photo]).unwrap();
        // Written twice, as a resumed stage would: nothing doubles.
        ocr.write_ocr(VERSION, &[read_scan()]).unwrap();

        let scan = catalog.document(&id_of(SCAN)).unwrap().unwrap();
        let kinds: Vec<(PartKind, u32)> = scan.parts.iter().map(|p| (p.kind, p.index)).collect();
        assert_eq!(
            kinds,
            [(PartKind::Page, 1), (PartKind::Page, 2), (PartKind::Ocr, 2)],
            "{name}"
        );
        assert_eq!(scan.parts[2].text, "通知 第二页", "{name}");
        assert_eq!(
            scan.parts[2].label.as_deref(),
            Some("OCR, confidence 88%"),
            "{name}"
        );
        assert_eq!(
            ocr.ocr_confidences(&id_of(SCAN)).unwrap(),
            [(2, Some(87.5))],
            "{name}"
        );
        assert_eq!(ocr.ocr_confidences(&id_of(PHOTO)).unwrap(), [], "{name}");
        assert_eq!(
            catalog.unindexed(10).unwrap(),
            [id_of(SCAN)],
            "{name}: only new text goes to the index"
        );
        assert_eq!(
            ocr.pending_ocr(VERSION, None, 10).unwrap(),
            [],
            "{name}: considered"
        );
        assert_eq!(
            ocr.pending_ocr("tesseract 6", None, 10).unwrap().len(),
            2,
            "{name}: a new engine considers everything again"
        );
    }
}

#[test]
fn a_new_extraction_clears_what_ocr_read() {
    for backend in every_backend() {
        let name = backend.name();
        let (catalog, ocr) = (backend.catalog(), backend.ocr());
        catalog.write(&documents()).unwrap();
        ocr.write_ocr(VERSION, &[read_scan()]).unwrap();
        let again = WriteBatch {
            extractions: vec![extracted(SCAN, vec![page(1, "新的 文本")])],
            ..WriteBatch::default()
        };
        catalog.write(&again).unwrap();
        let scan = catalog.document(&id_of(SCAN)).unwrap().unwrap();
        assert_eq!(scan.parts.len(), 1, "{name}");
        assert_eq!(ocr.ocr_confidences(&id_of(SCAN)).unwrap(), [], "{name}");
        assert!(
            ocr.pending_ocr(VERSION, None, 10)
                .unwrap()
                .iter()
                .any(|c| c.blob == id_of(SCAN)),
            "{name}: to be considered again"
        );
    }
}
