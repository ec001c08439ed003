//! Making an index anew deletes the index's files and nothing else.

use trove_index::{IndexDocument, IndexError, SearchIndex, SearchOptions};
use trove_model::{BlobId, FileKind, Metadata, Part, PartKind};

fn count(index: &SearchIndex, query: &str) -> usize {
    index
        .search(query, &SearchOptions::default())
        .unwrap()
        .total
}

fn index_one_text(dir: &std::path::Path, text: &str) {
    let index = SearchIndex::open(dir).unwrap();
    let mut writer = index.writer(50_000_000).unwrap();
    writer
        .replace(&IndexDocument {
            blob: &BlobId::from_digest([1; 32]),
            kind: FileKind::Text,
            paths: &["notice.txt".to_owned()],
            metadata: &Metadata::default(),
            parts: &[Part {
                kind: PartKind::Body,
                index: 1,
                label: None,
                text: text.to_owned(),
                hidden: Default::default(),
            }],
        })
        .unwrap();
    writer.commit().unwrap();
}

#[test]
fn a_current_index_is_emptied_in_place() {
    let dir = tempfile::tempdir().unwrap();
    index_one_text(dir.path(), "做到应收尽收");
    let index = SearchIndex::open_empty(dir.path()).unwrap();
    assert_eq!(count(&index, "应收尽收"), 0);
    assert!(dir.path().join("meta.json").is_file());
}

#[test]
fn a_damaged_or_missing_index_is_made_anew() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.json"), b"{ damaged").unwrap();
    let index = SearchIndex::open_empty(dir.path()).unwrap();
    assert_eq!(count(&index, "应收尽收"), 0);

    let missing = dir.path().join("not-yet");
    SearchIndex::open_empty(&missing).unwrap();
    assert!(missing.join("meta.json").is_file());
}

#[test]
fn a_folder_holding_anything_else_is_refused_and_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    index_one_text(dir.path(), "做到应收尽收");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, b"sources: do not lose").unwrap();
    std::fs::create_dir(dir.path().join("photos")).unwrap();

    let refused = SearchIndex::open_empty(dir.path()).err().expect("refused");
    assert!(
        matches!(&refused, IndexError::NotAnIndex { stranger, .. }
            if stranger == "notes.txt" || stranger == "photos"),
        "{refused}"
    );
    assert!(refused.to_string().contains("nothing there was deleted"));
    assert_eq!(std::fs::read(&notes).unwrap(), b"sources: do not lose");
    assert!(dir.path().join("photos").is_dir());
    let kept = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(
        count(&kept, "应收尽收"),
        1,
        "the index itself is untouched too"
    );
}
