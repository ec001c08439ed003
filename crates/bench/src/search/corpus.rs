//! The benchmark's text: the parts trove extracted from the XPF-shaped leak, cut into
//! pages and repeated, and the queries asked of it.

use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use serde::Deserialize;
use trove_index::{IndexDocument, SearchIndex};
use trove_ingest::{IngestOptions, Silent};
use trove_model::{BlobId, FileKind, Metadata, Part};
use trove_store::Store;

/// One document of the source store, its parts cut to page size.
pub(super) struct SourceDocument {
    id: BlobId,
    kind: FileKind,
    path: String,
    pub(super) pages: Vec<Part>,
}

/// The source store's documents with text.
pub(super) struct PageSource {
    pub(super) documents: Vec<SourceDocument>,
}

impl PageSource {
    /// Ingests the XPF-shaped leak in `xpf/leak` into `xpf/search-source-store` (once)
    /// and reads its documents' parts, cut into pages of at most `part_bytes`.
    pub(super) fn load(xpf: &Path, part_bytes: usize) -> anyhow::Result<PageSource> {
        let store_dir = xpf.join("search-source-store");
        let done = xpf.join("search-source-store.done");
        if !done.exists() {
            let _ = std::fs::remove_dir_all(&store_dir);
            eprintln!(
                "ingesting the XPF-shaped leak into {}…",
                store_dir.display()
            );
            let store = Store::open(&store_dir)?;
            let index = SearchIndex::open(&store.index_dir())?;
            let stop = AtomicBool::new(false);
            trove_ingest::ingest(
                &store,
                &index,
                &xpf.join("leak"),
                &IngestOptions::default(),
                &Silent,
                &stop,
            )?;
            std::fs::write(&done, b"").with_context(|| format!("writing {}", done.display()))?;
        }
        let store = Store::open(&store_dir)?;
        let mut ids = Vec::new();
        store.catalog.for_each_metadata(&mut |id, kind, _| {
            ids.push((id, kind));
            Ok(())
        })?;
        let mut documents = Vec::new();
        for (id, kind) in ids {
            let Some(document) = store.catalog.document(&id)? else {
                continue;
            };
            let pages: Vec<Part> = document
                .parts
                .iter()
                .flat_map(|part| pages_of(part, part_bytes))
                .collect();
            if pages.is_empty() {
                continue;
            }
            let path = document
                .occurrences
                .first()
                .map(|o| o.path.clone())
                .unwrap_or_default();
            documents.push(SourceDocument {
                id,
                kind,
                path,
                pages,
            });
        }
        Ok(PageSource { documents })
    }

    pub(super) fn parts(&self) -> u64 {
        self.documents.iter().map(|d| d.pages.len() as u64).sum()
    }

    pub(super) fn text_bytes(&self) -> u64 {
        self.documents
            .iter()
            .flat_map(|d| &d.pages)
            .map(|p| p.text.len() as u64)
            .sum()
    }
}

/// `part` cut into parts of at most `limit` bytes where lines end (as the index cuts
/// long parts), each keeping the part's kind, index and label; blank pieces dropped.
fn pages_of(part: &Part, limit: usize) -> Vec<Part> {
    trove_index::line_chunks(&part.text, limit)
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(_, text)| Part {
            text: text.to_owned(),
            ..part.clone()
        })
        .collect()
}

/// How many copies of the source make the text asked for.
pub(super) struct Corpus {
    pub(super) copies: u64,
    pub(super) parts: u64,
    pub(super) text_bytes: u64,
}

impl Corpus {
    pub(super) fn plan(source: &PageSource, text_bytes: u64) -> Corpus {
        let copies = text_bytes.div_ceil(source.text_bytes().max(1)).max(1);
        Corpus {
            copies,
            parts: copies * source.parts(),
            text_bytes: copies * source.text_bytes(),
        }
    }

    /// Names the corpus in a finished build's stamp.
    pub(super) fn stamp(&self) -> String {
        format!("{} parts, {} bytes", self.parts, self.text_bytes)
    }
}

/// Calls `visit` for every document of every copy: a copy's documents are distinct
/// documents (their own ids and paths) with the same text.
pub(super) fn for_each_copy(
    source: &PageSource,
    corpus: &Corpus,
    mut visit: impl FnMut(u64, &BlobId, &SourceDocument, &[String]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for copy in 0..corpus.copies {
        for document in &source.documents {
            let digest = blake3::hash(format!("{copy}:{}", document.id.as_str()).as_bytes());
            let id = BlobId::from_str(&digest.to_hex())
                .map_err(|e| anyhow::anyhow!("a copy's id: {e}"))?;
            let paths = [format!("副本{copy:03}/{}", document.path)];
            visit(copy, &id, document, &paths)?;
        }
    }
    Ok(())
}

/// trove's index of every copy, committed copy by copy.
pub(super) fn build_trove_index(
    source: &PageSource,
    corpus: &Corpus,
    dir: &Path,
) -> anyhow::Result<()> {
    let index = SearchIndex::open(dir)?;
    let mut writer = index.writer(256 << 20)?;
    let metadata = Metadata::default();
    let mut last_copy = 0;
    for_each_copy(source, corpus, |copy, id, document, paths| {
        if copy != last_copy {
            writer.commit()?;
            eprintln!("  trove: {copy} of {} copies indexed", corpus.copies);
            last_copy = copy;
        }
        writer.replace(&IndexDocument {
            blob: id,
            kind: document.kind,
            paths,
            metadata: &metadata,
            parts: &document.pages,
        })?;
        Ok(())
    })?;
    writer.commit()?;
    Ok(())
}

/// What the benchmark reads of the ground truth.
#[derive(Deserialize)]
struct Truth {
    persons: Vec<Person>,
}

#[derive(Deserialize)]
struct Person {
    name: String,
    id_number: String,
}

/// The load benchmark's query set (see scripts/bench-web-load.sh): six fixed queries,
/// then 300 names (as phrases) and 100 ID numbers of people the leak lists.
pub(super) fn queries(xpf: &Path) -> anyhow::Result<Vec<String>> {
    let path = xpf.join("ground-truth.json");
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let truth: Truth = serde_json::from_reader(std::io::BufReader::new(file))
        .with_context(|| format!("reading {}", path.display()))?;
    let mut queries: Vec<String> = [
        "教育",
        "\"shoot to kill\"",
        "培训 AND type:docx",
        "名单",
        "camera:Canon",
        "稳定*",
    ]
    .map(str::to_owned)
    .to_vec();
    let people = &truth.persons;
    let names_step = (people.len() / 300).max(1);
    queries.extend(
        people
            .iter()
            .step_by(names_step)
            .take(300)
            .map(|p| format!("\"{}\"", p.name)),
    );
    let ids_step = (people.len() / 100).max(1);
    queries.extend(
        people
            .iter()
            .skip(7)
            .step_by(ids_step)
            .take(100)
            .map(|p| p.id_number.clone()),
    );
    Ok(queries)
}

#[cfg(test)]
mod tests {
    use trove_model::PartKind;

    use super::*;

    #[test]
    fn parts_are_cut_at_line_ends_within_the_limit() {
        let part = Part {
            kind: PartKind::Sheet,
            index: 1,
            label: Some("名单".into()),
            text: "甲\t1\n乙\t2\n丙丙丙丙丙丙丙丙\n".into(),
            hidden: Default::default(),
        };
        let pages = pages_of(&part, 10);
        assert!(pages.iter().all(|p| p.text.len() <= 10), "{pages:?}");
        let joined: String = pages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, part.text);
        assert_eq!(pages[0].text, "甲\t1\n");
        assert!(pages.iter().all(|p| p.label.as_deref() == Some("名单")));
    }
}
