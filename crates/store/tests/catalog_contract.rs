//! The [`Catalog`] contract, run on every backend: what ingest, search and the CLI rely
//! on, stated once, so that SQLite and PostgreSQL cannot drift apart.

mod common;

use chrono::NaiveDate;
use common::{TestCatalog, every_backend};
use trove_model::{
    BlobId, Failure, FailureReason, FileKind, Hidden, Metadata, Part, PartKind, Stage,
};
use trove_store::{
    Catalog, ContentHashes, ExtractionOutcome, FailureRow, NewBlob, Occurrence, SourceFile,
    SourceState, WriteBatch, canonical_lines, hash_bytes,
};

const ROOT: &str = "/leak";

fn new_blob(bytes: &[u8], kind: FileKind) -> NewBlob {
    NewBlob {
        hashes: hash_bytes(bytes),
        size: bytes.len() as u64,
        kind,
    }
}

fn id_of(bytes: &[u8]) -> BlobId {
    hash_bytes(bytes).blake3
}

fn seen(bytes: &[u8], path: &str, parent: Option<&[u8]>) -> Occurrence {
    Occurrence {
        blob: id_of(bytes),
        root: ROOT.to_owned(),
        path: path.to_owned(),
        parent: parent.map(id_of),
        name_kind: None,
        member_time: None,
    }
}

fn source(path: &str, size: u64) -> SourceFile {
    SourceFile {
        root: ROOT.to_owned(),
        path: path.to_owned(),
        size,
        mtime_ns: 1_650_000_000_000_000_000,
    }
}

const ARCHIVE: &[u8] = b"PK archive of the county";
const SHEET: &[u8] = b"the detainee register";
const PHOTO: &[u8] = b"a camera photo";
const BROKEN: &[u8] = b"a damaged document";

/// A small leak: an archive holding a register and a photo, and a damaged file beside it.
fn leak() -> WriteBatch {
    let register = Part {
        kind: PartKind::Sheet,
        index: 1,
        label: Some("名单".to_owned()),
        text: "姓名\t身份证号\n阿不都·吐尔逊\t653101198001010011".to_owned(),
        hidden: Hidden {
            sheet: false,
            rows: vec![[3, 4]],
        },
    };
    let metadata = Metadata {
        title: Some("在押人员".to_owned()),
        author: Some("县公安局".to_owned()),
        ..Metadata::default()
    };
    let mut in_archive = seen(
        PHOTO,
        "county.zip!/photos/653101198001010011.jpg",
        Some(ARCHIVE),
    );
    in_archive.member_time = NaiveDate::from_ymd_opt(2018, 5, 3)
        .unwrap()
        .and_hms_opt(9, 30, 0);
    let mut misnamed = seen(SHEET, "county.zip!/register.doc", Some(ARCHIVE));
    misnamed.name_kind = Some(FileKind::Doc);
    WriteBatch {
        blobs: vec![
            new_blob(ARCHIVE, FileKind::Zip),
            new_blob(SHEET, FileKind::Xlsx),
            new_blob(PHOTO, FileKind::Jpeg),
            new_blob(BROKEN, FileKind::Docx),
        ],
        extractions: vec![
            (
                id_of(ARCHIVE),
                5,
                ExtractionOutcome::Extracted {
                    parts: vec![],
                    metadata: Box::default(),
                    thumbnail: None,
                    truncated: false,
                },
            ),
            (
                id_of(SHEET),
                5,
                ExtractionOutcome::Extracted {
                    parts: vec![register],
                    metadata: Box::new(metadata),
                    thumbnail: None,
                    truncated: true,
                },
            ),
            (
                id_of(PHOTO),
                5,
                ExtractionOutcome::Extracted {
                    parts: vec![],
                    metadata: Box::default(),
                    thumbnail: Some(vec![0xff, 0xd8, 0xff, 0xd9]),
                    truncated: false,
                },
            ),
            (id_of(BROKEN), 5, ExtractionOutcome::Failed),
        ],
        occurrences: vec![
            seen(ARCHIVE, "county.zip", None),
            misnamed,
            in_archive,
            seen(BROKEN, "notes/speech.docx", None),
        ],
        failures: vec![FailureRow {
            root: ROOT.to_owned(),
            source: "notes/speech.docx".to_owned(),
            path: "notes/speech.docx".to_owned(),
            blob: Some(id_of(BROKEN)),
            failure: Failure::new(
                Stage::Extract,
                FailureReason::Corrupt,
                "no central directory",
            ),
        }],
        sources_done: vec![
            source("county.zip", ARCHIVE.len() as u64),
            source("notes/speech.docx", BROKEN.len() as u64),
        ],
    }
}

/// The canonical dump, with what it leaves out (the index's state) added: equal dumps
/// mean equal catalogs, whatever the backend.
fn dump(catalog: &dyn Catalog) -> Vec<String> {
    let mut lines = canonical_lines(catalog).unwrap();
    lines.push(format!(
        "unindexed {:?}",
        catalog.unindexed(usize::MAX >> 1).unwrap()
    ));
    let status = catalog.status().unwrap();
    lines.push(format!(
        "status {} {} {} {:?} {:?} {:?} {}",
        status.documents,
        status.occurrences,
        status.bytes,
        status.by_kind,
        status.by_status,
        status.failures,
        status.unindexed
    ));
    lines
}

#[test]
fn a_written_batch_reads_back_whole() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        catalog.write(&leak()).unwrap();

        assert_eq!(
            catalog.source(ROOT, "county.zip").unwrap(),
            Some(SourceState {
                size: ARCHIVE.len() as u64,
                mtime_ns: 1_650_000_000_000_000_000,
                done: true
            }),
            "{name}"
        );
        assert_eq!(catalog.source(ROOT, "elsewhere").unwrap(), None, "{name}");
        let known = catalog
            .sources(ROOT, &["county.zip".to_owned(), "elsewhere".to_owned()])
            .unwrap();
        assert_eq!(known.len(), 1, "{name}: only what was seen");
        assert_eq!(
            known.get("county.zip"),
            catalog.source(ROOT, "county.zip").unwrap().as_ref(),
            "{name}: in one look-up, what one by one gives"
        );

        let state = catalog.blob_state(&id_of(SHEET)).unwrap().unwrap();
        assert_eq!(
            (state.kind, state.status.as_str(), state.extractor_version),
            (FileKind::Xlsx, "extracted", Some(5)),
            "{name}"
        );

        let sheet = catalog.document(&id_of(SHEET)).unwrap().unwrap();
        assert_eq!(sheet.parts.len(), 1, "{name}");
        assert_eq!(sheet.parts[0].label.as_deref(), Some("名单"), "{name}");
        assert_eq!(sheet.parts[0].hidden.rows, vec![[3, 4]], "{name}");
        assert!(sheet.parts[0].text.contains("阿不都·吐尔逊"), "{name}");
        assert_eq!(sheet.metadata.author.as_deref(), Some("县公安局"), "{name}");
        assert!(sheet.truncated, "{name}");
        assert_eq!(
            sheet.occurrences[0].name_kind,
            Some(FileKind::Doc),
            "{name}"
        );
        assert_eq!(sheet.occurrences[0].parent, Some(id_of(ARCHIVE)), "{name}");

        let archive = catalog.document(&id_of(ARCHIVE)).unwrap().unwrap();
        let children: Vec<&str> = archive.children.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            children,
            [
                "county.zip!/photos/653101198001010011.jpg",
                "county.zip!/register.doc"
            ],
            "{name}: children in path order"
        );
        assert_eq!(
            archive.children[0].member_time.map(|t| t.to_string()),
            Some("2018-05-03 09:30:00".to_owned()),
            "{name}"
        );

        let photo = catalog.document(&id_of(PHOTO)).unwrap().unwrap();
        assert!(photo.has_thumbnail, "{name}");
        assert_eq!(
            catalog.thumbnail(&id_of(PHOTO)).unwrap(),
            Some(vec![0xff, 0xd8, 0xff, 0xd9]),
            "{name}"
        );
        assert_eq!(catalog.thumbnail(&id_of(SHEET)).unwrap(), None, "{name}");

        let broken = catalog.document(&id_of(BROKEN)).unwrap().unwrap();
        assert_eq!(broken.status, "failed", "{name}");
        assert_eq!(broken.failures.len(), 1, "{name}");
        assert_eq!(catalog.failure_count(ROOT).unwrap(), 1, "{name}");
        assert_eq!(catalog.failure_count("/other").unwrap(), 0, "{name}");
        assert_eq!(
            catalog.failed_sources().unwrap(),
            [(ROOT.to_owned(), "notes/speech.docx".to_owned())],
            "{name}"
        );

        let at = catalog.occurrences_at("county.zip!/register.doc").unwrap();
        assert_eq!(at.len(), 1, "{name}");
        assert_eq!(at[0].blob, id_of(SHEET), "{name}");

        let status = catalog.status().unwrap();
        assert_eq!(
            (status.documents, status.occurrences, status.unindexed),
            (4, 4, 4),
            "{name}"
        );
        let total: u64 = [ARCHIVE, SHEET, PHOTO, BROKEN]
            .iter()
            .map(|b| b.len() as u64)
            .sum();
        assert_eq!(status.bytes, total, "{name}");
        assert_eq!(status.failures.len(), 1, "{name}");
        assert_eq!(status.failures[0].count, 1, "{name}");

        let mut first_seen = Vec::new();
        catalog
            .for_each_occurrence(&mut |seen| {
                first_seen.push(seen.first_seen);
                Ok(())
            })
            .unwrap();
        assert!(
            first_seen
                .iter()
                .all(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
            "{name}: first_seen is RFC 3339 {first_seen:?}"
        );
    }
}

#[test]
fn writing_the_same_batch_twice_changes_nothing() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        catalog.write(&leak()).unwrap();
        let once = dump(catalog);
        catalog.write(&leak()).unwrap();
        assert_eq!(dump(catalog), once, "{}", backend.name());
    }
}

#[test]
fn both_backends_hold_the_same_catalog_for_the_same_writes() {
    let dumps: Vec<(&str, Vec<String>)> = every_backend()
        .iter()
        .map(|backend| {
            let catalog = backend.catalog();
            catalog.write(&leak()).unwrap();
            catalog.reset_source(ROOT, "notes/speech.docx").unwrap();
            catalog.mark_indexed(&[id_of(SHEET)]).unwrap();
            (backend.name(), dump(catalog))
        })
        .collect();
    for (name, dump) in &dumps[1..] {
        assert_eq!(dump, &dumps[0].1, "{name} against {}", dumps[0].0);
    }
}

#[test]
fn a_reset_source_is_done_again_with_its_failed_blobs() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        catalog.write(&leak()).unwrap();
        catalog.reset_source(ROOT, "notes/speech.docx").unwrap();

        assert!(
            !catalog
                .source(ROOT, "notes/speech.docx")
                .unwrap()
                .unwrap()
                .done,
            "{name}"
        );
        assert!(
            catalog.source(ROOT, "county.zip").unwrap().unwrap().done,
            "{name}"
        );
        let state = catalog.blob_state(&id_of(BROKEN)).unwrap().unwrap();
        assert_eq!(
            (state.status.as_str(), state.extractor_version),
            ("pending", None),
            "{name}"
        );
        assert_eq!(catalog.failures().unwrap(), [], "{name}");
        assert_eq!(
            catalog.blob_state(&id_of(SHEET)).unwrap().unwrap().status,
            "extracted",
            "{name}: blobs without failures keep their text"
        );
    }
}

#[test]
fn a_failure_met_again_replaces_the_old_one() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        catalog.write(&leak()).unwrap();
        let mut again = WriteBatch::default();
        let mut failure = leak().failures.remove(0);
        failure.failure = Failure::new(Stage::Extract, FailureReason::TimedOut, "ran out of time");
        again.failures.push(failure);
        catalog.write(&again).unwrap();
        let failures = catalog.failures().unwrap();
        assert_eq!(failures.len(), 1, "{}", backend.name());
        assert_eq!(
            failures[0].failure.reason,
            FailureReason::TimedOut,
            "{}",
            backend.name()
        );
    }
}

#[test]
fn the_index_queue_follows_writes() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        let mut pending = leak();
        pending.extractions.clear();
        catalog.write(&pending).unwrap();
        assert_eq!(
            catalog.unindexed(10).unwrap(),
            [],
            "{name}: pending blobs wait"
        );

        catalog.write(&leak()).unwrap();
        let mut all = [id_of(ARCHIVE), id_of(SHEET), id_of(PHOTO), id_of(BROKEN)];
        all.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        assert_eq!(catalog.unindexed(10).unwrap(), all, "{name}: in id order");
        assert_eq!(catalog.unindexed(2).unwrap(), all[..2], "{name}: limited");

        catalog.mark_indexed(&all).unwrap();
        assert_eq!(catalog.unindexed(10).unwrap(), [], "{name}");

        let mut elsewhere = WriteBatch::default();
        elsewhere
            .occurrences
            .push(seen(SHEET, "copy/register.xlsx", None));
        catalog.write(&elsewhere).unwrap();
        assert_eq!(
            catalog.unindexed(10).unwrap(),
            [id_of(SHEET)],
            "{name}: a new path makes the index entry stale"
        );
        catalog.write(&elsewhere).unwrap();
        catalog.mark_indexed(&[id_of(SHEET)]).unwrap();
        catalog.write(&elsewhere).unwrap();
        assert_eq!(
            catalog.unindexed(10).unwrap(),
            [],
            "{name}: a known path does not"
        );

        assert_eq!(catalog.mark_all_unindexed().unwrap(), 4, "{name}");
        assert_eq!(catalog.status().unwrap().unindexed, 4, "{name}");
    }
}

#[test]
fn ids_resolve_from_unique_prefixes_only() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        catalog.write(&leak()).unwrap();
        let sheet = id_of(SHEET);
        assert_eq!(
            catalog.resolve(&sheet.as_str()[..10]).unwrap(),
            sheet,
            "{name}"
        );
        assert_eq!(
            catalog
                .resolve(&sheet.as_str()[..12].to_uppercase())
                .unwrap(),
            sheet,
            "{name}: case does not matter"
        );
        assert_eq!(catalog.resolve(sheet.as_str()).unwrap(), sheet, "{name}");
        assert!(catalog.resolve("0123").is_err(), "{name}: too short");
        assert!(catalog.resolve("not-an-id").is_err(), "{name}");
        assert!(catalog.resolve("00000000ffff").is_err(), "{name}: unknown");
    }
}

#[test]
fn a_prefix_shared_by_two_ids_is_ambiguous() {
    // The catalog takes ids as given, so two made up to share ten digits will do.
    let crafted = |last: char| NewBlob {
        hashes: ContentHashes {
            blake3: format!("abcdef0123{}{last}", "0".repeat(53))
                .parse()
                .unwrap(),
            sha256: "0".repeat(64),
        },
        size: 1,
        kind: FileKind::Text,
    };
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        let batch = WriteBatch {
            blobs: vec![crafted('1'), crafted('2')],
            ..WriteBatch::default()
        };
        catalog.write(&batch).unwrap();
        let error = catalog.resolve("abcdef0123").unwrap_err().to_string();
        assert!(error.contains("2 documents"), "{name}: {error}");
        let one = format!("abcdef0123{}1", "0".repeat(53));
        assert_eq!(catalog.resolve(&one).unwrap().as_str(), one, "{name}");
    }
}

#[test]
fn walks_visit_everything_in_order_and_stop_when_told() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        // More blobs than a PostgreSQL walk fetches at once.
        let mut batch = WriteBatch::default();
        for n in 0..2_500u32 {
            let bytes = n.to_le_bytes();
            batch.blobs.push(new_blob(&bytes, FileKind::Text));
            batch
                .occurrences
                .push(seen(&bytes, &format!("files/{n:05}.txt"), None));
        }
        catalog.write(&batch).unwrap();

        let mut ids = Vec::new();
        catalog
            .for_each_blob(&mut |blob| {
                ids.push(blob.id.as_str().to_owned());
                Ok(())
            })
            .unwrap();
        assert_eq!(ids.len(), 2_500, "{name}");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{name}: in id order");

        let mut paths = Vec::new();
        catalog
            .for_each_occurrence(&mut |seen| {
                paths.push(seen.occurrence.path);
                Ok(())
            })
            .unwrap();
        assert_eq!(paths.len(), 2_500, "{name}");
        assert!(
            paths.windows(2).all(|w| w[0] < w[1]),
            "{name}: in path order"
        );

        let mut visited = 0;
        let stopped = catalog.for_each_blob(&mut |_| {
            visited += 1;
            if visited == 3 {
                return Err(trove_store::StoreError::Stopped("enough".to_owned()));
            }
            Ok(())
        });
        assert!(stopped.is_err(), "{name}");
        assert_eq!(visited, 3, "{name}");
        // The catalog is still usable after a walk stopped half way.
        assert_eq!(catalog.status().unwrap().documents, 2_500, "{name}");
    }
}

#[test]
fn every_backend_starts_empty() {
    for backend in every_backend() {
        let backend: TestCatalog = backend;
        assert_eq!(
            backend.catalog().status().unwrap().documents,
            0,
            "{}",
            backend.name()
        );
    }
}

#[test]
fn a_batch_that_repeats_a_fact_keeps_the_last() {
    let dumps: Vec<(&str, Vec<String>)> = every_backend()
        .iter()
        .map(|backend| {
            let catalog = backend.catalog();
            let mut batch = leak();
            // The same content extracted twice in one merged batch, a failure and a
            // source met twice: the later one stands, as on disk order.
            let mut again = leak();
            if let Some((_, _, ExtractionOutcome::Extracted { parts, .. })) = again
                .extractions
                .iter_mut()
                .find(|(id, ..)| *id == id_of(SHEET))
            {
                parts[0].text.push_str("\n第二次");
            }
            again.failures[0].failure.message = "met again".to_owned();
            again.sources_done[0].size += 1;
            batch.append(again);
            catalog.write(&batch).unwrap();
            let sheet = catalog.document(&id_of(SHEET)).unwrap().unwrap();
            assert!(
                sheet.parts[0].text.ends_with("第二次"),
                "{}",
                backend.name()
            );
            assert_eq!(catalog.failures().unwrap()[0].failure.message, "met again");
            (backend.name(), dump(catalog))
        })
        .collect();
    for (name, dump) in &dumps[1..] {
        assert_eq!(dump, &dumps[0].1, "{name} against {}", dumps[0].0);
    }
}

#[test]
fn two_workers_writing_the_same_content_at_once_both_succeed() {
    let Some((first, schema)) = common::postgres() else {
        return;
    };
    let second = trove_store::PgCatalog::connect(&schema.config()).unwrap();
    std::thread::scope(|scope| {
        for catalog in [&first, &second] {
            scope.spawn(move || {
                for _ in 0..40 {
                    catalog.write(&leak()).unwrap();
                }
            });
        }
    });
    let once = every_backend().remove(0);
    once.catalog().write(&leak()).unwrap();
    assert_eq!(dump(&first), dump(once.catalog()));
}

#[test]
fn a_blob_a_worker_changes_while_it_is_indexed_stays_to_be_indexed() {
    for backend in every_backend() {
        let catalog = backend.catalog();
        let name = backend.name();
        catalog.write(&leak()).unwrap();
        let read = catalog.unindexed_as_read(10).unwrap();
        assert_eq!(read.len(), 4, "{name}");
        if name == "postgres" {
            // Another worker finds the register at a new path meanwhile.
            let mut elsewhere = WriteBatch::default();
            elsewhere
                .occurrences
                .push(seen(SHEET, "copy/register.xlsx", None));
            catalog.write(&elsewhere).unwrap();
        }
        catalog.mark_indexed_if_unchanged(&read).unwrap();
        let left = catalog.unindexed(10).unwrap();
        if name == "postgres" {
            assert_eq!(
                left,
                [id_of(SHEET)],
                "{name}: the new path is still to index"
            );
        } else {
            assert_eq!(left, [], "{name}: one writer, nothing changed meanwhile");
        }
    }
}
