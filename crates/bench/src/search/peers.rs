//! The peer and the floor: SQLite FTS5 with the trigram tokenizer, and a memmem scan of
//! the same text in one flat file.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, params};

use super::corpus::{Corpus, PageSource, for_each_copy};
use super::latency::Latencies;

const FTS5_FILE: &str = "pages.sqlite";
const FLAT_FILE: &str = "text.txt";

/// Every page of every copy in an FTS5 table (trigram tokenizer), one transaction a copy.
pub(super) fn build_fts5(source: &PageSource, corpus: &Corpus, dir: &Path) -> anyhow::Result<()> {
    let path = dir.join(FTS5_FILE);
    let db = Connection::open(&path).with_context(|| format!("creating {}", path.display()))?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE pages USING fts5(text, tokenize = 'trigram');",
    )?;
    let mut insert = db.prepare("INSERT INTO pages (text) VALUES (?1)")?;
    let mut last_copy = u64::MAX;
    db.execute_batch("BEGIN")?;
    for_each_copy(source, corpus, |copy, _, document, _| {
        if copy != last_copy && last_copy != u64::MAX {
            db.execute_batch("COMMIT; BEGIN")?;
            eprintln!("  FTS5: {copy} of {} copies inserted", corpus.copies);
        }
        last_copy = copy;
        for page in &document.pages {
            insert.execute(params![page.text])?;
        }
        Ok(())
    })?;
    db.execute_batch("COMMIT")?;
    Ok(())
}

/// Every page of every copy, one after another, in one file.
pub(super) fn build_flat_file(
    source: &PageSource,
    corpus: &Corpus,
    dir: &Path,
) -> anyhow::Result<()> {
    let path = dir.join(FLAT_FILE);
    let file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    for_each_copy(source, corpus, |_, _, document, _| {
        for page in &document.pages {
            out.write_all(page.text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// `query` as FTS5 trigram MATCH syntax, when it can be said there: a phrase or a
/// single term of at least three characters (the trigram tokenizer matches nothing
/// shorter), without fields, operators or wildcards.
pub(super) fn fts5_query(query: &str) -> Option<String> {
    let text = query
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(query);
    let plain = !text.is_empty()
        && !text.contains(['"', ':', '*'])
        && (query.starts_with('"') || !text.contains(' '));
    (plain && text.chars().count() >= 3).then(|| format!("\"{text}\""))
}

/// FTS5, one user: each query counts its matches and fetches the best 20 with a
/// snippet, as trove's results page does.
pub(super) fn fts5_single(dir: &Path, queries: &[(String, String)]) -> anyhow::Result<Latencies> {
    let path = dir.join(FTS5_FILE);
    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {}", path.display()))?;
    let mut count = db.prepare("SELECT count(*) FROM pages WHERE pages MATCH ?1")?;
    let mut top = db.prepare(
        "SELECT rowid, snippet(pages, 0, '[', ']', '…', 16) FROM pages
         WHERE pages MATCH ?1 ORDER BY rank LIMIT 20",
    )?;
    let mut times = Vec::with_capacity(queries.len());
    for (_, fts) in queries {
        let started = Instant::now();
        let _total: i64 = count.query_row([fts], |row| row.get(0))?;
        let hits: Vec<(i64, String)> = top
            .query_map([fts], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(hits);
        times.push(started.elapsed());
    }
    Ok(Latencies::of(times))
}

/// memmem over the whole flat file (held in memory), for every tenth query: the floor
/// of a search that reads everything.
pub(super) fn brute_force(dir: &Path, queries: &[(String, String)]) -> anyhow::Result<Latencies> {
    let path = dir.join(FLAT_FILE);
    let text = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut times = Vec::new();
    for (query, _) in queries.iter().step_by(10) {
        let needle = query.trim_matches('"');
        let started = Instant::now();
        let found = memchr::memmem::find_iter(&text, needle.as_bytes()).count();
        std::hint::black_box(found);
        times.push(started.elapsed());
    }
    Ok(Latencies::of(times))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_trigrams_can_answer_goes_to_fts5() {
        assert_eq!(
            fts5_query("\"阿不都热依木·吐尔逊\"").as_deref(),
            Some("\"阿不都热依木·吐尔逊\"")
        );
        assert_eq!(
            fts5_query("653121199001010027").as_deref(),
            Some("\"653121199001010027\"")
        );
        assert_eq!(
            fts5_query("\"shoot to kill\"").as_deref(),
            Some("\"shoot to kill\"")
        );
        assert_eq!(fts5_query("教育"), None);
        assert_eq!(fts5_query("camera:Canon"), None);
        assert_eq!(fts5_query("稳定*"), None);
        assert_eq!(fts5_query("培训 AND type:docx"), None);
    }
}
