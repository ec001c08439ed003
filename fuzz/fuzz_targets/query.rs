//! The search query language (fields, phrases, boolean operators, prefixes, Chinese),
//! parsed and run on a small index.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove_fuzz::escaping_panics_only;
use trove_index::{IndexDocument, SearchIndex, SearchOptions};
use trove_model::{BlobId, FileKind, Metadata, Part, PartKind};

/// One index for the whole run: a document with a Chinese and an English part.
fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let index = SearchIndex::open(dir.path()).expect("an index");
            let mut writer = index.writer(20_000_000).expect("a writer");
            let part = |index, text: &str| Part {
                kind: PartKind::Page,
                index,
                label: None,
                text: text.to_owned(),
                hidden: Default::default(),
            };
            let parts = [
                part(
                    1,
                    "各乡镇要把教育转化培训中心的工作放在首位，做到应收尽收。",
                ),
                part(2, "Guards are ordered to shoot anyone who tries to escape."),
            ];
            writer
                .replace(&IndexDocument {
                    blob: &BlobId::from_digest([1; 32]),
                    kind: FileKind::Pdf,
                    paths: &["speech.pdf".to_owned()],
                    metadata: &Metadata::default(),
                    parts: &parts,
                })
                .expect("indexed");
            writer.commit().expect("committed");
            index.refresh().expect("reloaded");
            (dir, index)
        })
        .1
}

fuzz_target!(|query: &str| {
    escaping_panics_only(|| {
        let options = SearchOptions {
            facets: true,
            ..SearchOptions::default()
        };
        let _ = index().search(query, &options);
    });
});
