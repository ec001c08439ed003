//! Making an index anew in its folder, without ever deleting what is not the index's.
//!
//! `trove reindex` and `trove index --rebuild` empty the folder an index lives in. The
//! folder comes from a command line (`--index`), so a slip (`--index ~`) must not
//! delete anything but tantivy's own files: a folder that holds anything else is
//! refused, and only the index's files are removed.

use std::fs;
use std::io;
use std::path::Path;

use crate::error::IndexError;
use crate::search::SearchIndex;

impl SearchIndex {
    /// An empty, current index in `dir` (made if missing), in place of the index there.
    /// An index that opens and is current is cleared through tantivy, so that servers
    /// reading it see the change as one more commit; one that is outdated or damaged
    /// has its files removed first. A folder holding anything but an index's files is
    /// left as it is, and an error says so.
    pub fn open_empty(dir: &Path) -> Result<SearchIndex, IndexError> {
        let index_files = index_files(dir)?;
        if !index_files.is_empty() {
            match SearchIndex::open(dir) {
                Ok(index) if !index.is_outdated() => {
                    let mut writer = index.writer(32 << 20)?;
                    writer.clear()?;
                    writer.commit()?;
                    drop(writer);
                    index.refresh()?;
                    return Ok(index);
                }
                // Outdated or unreadable: its files go, whatever state they are in.
                _ => {
                    for name in &index_files {
                        remove_file(&dir.join(name)).map_err(|e| io_error(dir, e))?;
                    }
                }
            }
        }
        SearchIndex::open(dir)
    }
}

/// The names of the files in `dir` (none if it is missing), all of them an index's;
/// an error if anything else is there.
fn index_files(dir: &Path) -> Result<Vec<String>, IndexError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(dir, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, e))?;
        let is_file = entry.file_type().map_err(|e| io_error(dir, e))?.is_file();
        match entry.file_name().into_string() {
            Ok(name) if is_file && is_index_file(&name) => names.push(name),
            _ => {
                return Err(IndexError::NotAnIndex {
                    path: dir.to_path_buf(),
                    stranger: entry.file_name().to_string_lossy().into_owned(),
                });
            }
        }
    }
    Ok(names)
}

/// Whether `name` is one tantivy writes into an index folder: its meta files and locks,
/// its atomic writes' temporary files, and segment files named by a 32-digit hex id.
fn is_index_file(name: &str) -> bool {
    let segment_id = name.split('.').next().unwrap_or_default();
    matches!(name, "meta.json" | ".managed.json")
        || name.starts_with(".tantivy-")
        || name.starts_with(".tmp")
        || (segment_id.len() == 32
            && segment_id.bytes().all(|b| b.is_ascii_hexdigit())
            && name.len() > 33)
}

fn remove_file(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn io_error(dir: &Path, error: io::Error) -> IndexError {
    IndexError::Open {
        path: dir.to_path_buf(),
        source: tantivy::TantivyError::from(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivys_own_files_are_told_from_strangers() {
        for name in [
            "meta.json",
            ".managed.json",
            ".tantivy-writer.lock",
            ".tantivy-meta.lock",
            ".tmpA1b2C3",
            "0123456789abcdef0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdef.17.del",
        ] {
            assert!(is_index_file(name), "{name}");
        }
        for name in [
            "notes.txt",
            ".bashrc",
            "0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdeg.idx",
            "meta.json.bak",
        ] {
            assert!(!is_index_file(name), "{name}");
        }
    }

    #[test]
    fn an_outdated_index_is_made_anew_and_current() {
        let dir = tempfile::tempdir().unwrap();
        crate::testing::index_before_name_bigrams(dir.path()).unwrap();
        assert!(SearchIndex::open(dir.path()).unwrap().is_outdated());
        assert!(!SearchIndex::open_empty(dir.path()).unwrap().is_outdated());
    }
}
