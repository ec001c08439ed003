//! Moving a SQLite catalog into PostgreSQL, where the two backends' rules differ.

mod common;

use trove_model::{Failure, FailureReason, FileKind, Part, PartKind, Stage};
use trove_store::{
    Catalog, ExtractionOutcome, FailureRow, NewBlob, Occurrence, SourceFile, SqliteCatalog,
    WriteBatch, canonical_lines, hash_bytes, migrate_to_postgres, verify_migrated,
};

const ROOT: &str = "/leak";
const SHEET: &[u8] = b"a register whose cells held _x0000_";

/// A catalog written before a NUL was kept as U+FFFD: SQLite kept the NUL as it came,
/// in a sheet's text and label, a member's path and a failure's message.
fn catalog_holding_nul() -> WriteBatch {
    let id = hash_bytes(SHEET).blake3;
    let path = "county.zip!/名单\0.xlsx";
    WriteBatch {
        blobs: vec![NewBlob {
            hashes: hash_bytes(SHEET),
            size: SHEET.len() as u64,
            kind: FileKind::Xlsx,
        }],
        extractions: vec![(
            id.clone(),
            5,
            ExtractionOutcome::Extracted {
                parts: vec![Part {
                    kind: PartKind::Sheet,
                    index: 1,
                    label: Some("名单\0".to_owned()),
                    text: "阿不都\0\t653101198001010011".to_owned(),
                    hidden: Default::default(),
                }],
                metadata: Box::default(),
                thumbnail: None,
                truncated: false,
            },
        )],
        occurrences: vec![Occurrence {
            blob: id.clone(),
            root: ROOT.to_owned(),
            path: path.to_owned(),
            parent: None,
            name_kind: None,
            member_time: None,
        }],
        failures: vec![FailureRow {
            root: ROOT.to_owned(),
            source: "county.zip".to_owned(),
            path: path.to_owned(),
            blob: Some(id),
            failure: Failure::new(Stage::Extract, FailureReason::Corrupt, "cell \0 unreadable"),
        }],
        sources_done: vec![SourceFile {
            root: ROOT.to_owned(),
            path: "county.zip".to_owned(),
            size: 1,
            mtime_ns: 1,
        }],
    }
}

/// A store whose catalog holds [`catalog_holding_nul`], with its folder.
fn store_holding_nul() -> (tempfile::TempDir, SqliteCatalog) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteCatalog::open(dir.path().join("trove.sqlite")).unwrap();
    store.write(&catalog_holding_nul()).unwrap();
    (dir, store)
}

#[test]
fn a_catalog_kept_with_nul_moves_and_reads_back_the_same() {
    let Some((target, _schema)) = common::postgres() else {
        return;
    };
    let (_dir, store) = store_holding_nul();
    let kept = store.failures().unwrap();
    assert!(kept[0].failure.message.contains('\0'), "SQLite keeps NUL");

    let report = migrate_to_postgres(&store, &target, &mut |_, _| {}).unwrap();

    assert_eq!(
        report.tables.iter().find(|(t, _)| *t == "parts").unwrap().1,
        1
    );
    assert_eq!(
        canonical_lines(&target).unwrap(),
        canonical_lines(&store).unwrap()
    );
    let moved = target.failures().unwrap();
    assert_eq!(moved[0].failure.message, "cell \u{FFFD} unreadable");
    assert_eq!(moved[0].path, "county.zip!/名单\u{FFFD}.xlsx");
}

#[test]
fn a_copy_that_differs_in_one_cell_is_not_taken_for_the_store() {
    let Some((target, schema)) = common::postgres() else {
        return;
    };
    let (_dir, store) = store_holding_nul();
    migrate_to_postgres(&store, &target, &mut |_, _| {}).unwrap();
    assert!(verify_migrated(&store, &target).is_ok());

    // A cell no trait reads back the same way: the hidden rows of a sheet, written
    // behind the catalog's back.
    schema
        .client()
        .execute("UPDATE parts SET hidden = '{\"sheet\":true}'", &[])
        .unwrap();
    let error = verify_migrated(&store, &target).unwrap_err().to_string();
    assert!(error.contains("parts in"), "{error}");
}
