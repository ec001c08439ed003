//! Walking the folder to ingest: every regular file, in a stable order, with
//! links never followed and the store itself left out.

use std::fs;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use trove_model::{Failure, FailureReason, Stage};

use crate::IngestError;

/// What is being ingested: a folder, or a single file (an archive, say),
/// whose parent folder then serves as the root paths are relative to.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    /// Canonical absolute root.
    pub root: PathBuf,
    only: Option<PathBuf>,
    exclude: Vec<PathBuf>,
}

/// One thing the walk found.
#[derive(Debug)]
pub(crate) enum WalkEntry {
    File {
        /// Relative to the root, `/`-separated.
        relative: String,
        absolute: PathBuf,
        size: u64,
        mtime_ns: i64,
    },
    Refused {
        relative: String,
        failure: Failure,
    },
}

impl Tree {
    /// Resolves the user's input path. `exclude` names folders (the store)
    /// never to descend into.
    pub(crate) fn resolve(input: &Path, exclude: &[PathBuf]) -> Result<Tree, IngestError> {
        let canonical = fs::canonicalize(input).map_err(|source| IngestError::Source {
            path: input.to_path_buf(),
            source,
        })?;
        let exclude = exclude
            .iter()
            .filter_map(|path| fs::canonicalize(path).ok())
            .collect();
        if canonical.is_dir() {
            return Ok(Tree {
                root: canonical,
                only: None,
                exclude,
            });
        }
        let root = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        Ok(Tree {
            root,
            only: Some(canonical),
            exclude,
        })
    }

    /// The root as the catalog records it.
    pub(crate) fn root_label(&self) -> String {
        self.root.to_string_lossy().into_owned()
    }

    /// The name of what is ingested: the last component of the folder's path, or of the
    /// single file's.
    pub(crate) fn name(&self) -> String {
        let path = self.only.as_deref().unwrap_or(&self.root);
        path.file_name()
            .map_or_else(|| path.to_string_lossy(), |name| name.to_string_lossy())
            .into_owned()
    }

    /// Visits every file (sorted by name within each folder) until `visit`
    /// breaks.
    pub(crate) fn walk(&self, mut visit: impl FnMut(WalkEntry) -> ControlFlow<()>) {
        let start = self.only.as_deref().unwrap_or(&self.root);
        let walker = walkdir::WalkDir::new(start)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| !self.exclude.iter().any(|ex| entry.path() == ex));
        for entry in walker {
            let event = match entry {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) if entry.path_is_symlink() => match self.link_entry(entry.path()) {
                    Some(event) => event,
                    None => continue,
                },
                Ok(entry) if entry.file_type().is_file() => self.file_entry(entry.path()),
                // Sockets, FIFOs and devices hold no document.
                Ok(_) => continue,
                Err(error) => {
                    let path = error
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| start.to_path_buf());
                    WalkEntry::Refused {
                        relative: self.relative(&path),
                        failure: Failure::new(
                            Stage::Walk,
                            FailureReason::Io,
                            format!(
                                "cannot list or read this entry: {error}; check its permissions"
                            ),
                        ),
                    }
                }
            };
            if visit(event).is_break() {
                return;
            }
        }
    }

    fn file_entry(&self, path: &Path) -> WalkEntry {
        let relative = self.relative(path);
        match fs::metadata(path) {
            Ok(meta) => WalkEntry::File {
                relative,
                absolute: path.to_path_buf(),
                size: meta.len(),
                mtime_ns: mtime_ns(&meta),
            },
            Err(error) => WalkEntry::Refused {
                relative,
                failure: Failure::new(
                    Stage::Walk,
                    FailureReason::Io,
                    format!("cannot read the file's size and date: {error}"),
                ),
            },
        }
    }

    /// Links are never followed. One whose target lies outside the tree (or
    /// dangles) is recorded; one inside it is skipped, as its target is
    /// ingested where it lies.
    fn link_entry(&self, path: &Path) -> Option<WalkEntry> {
        let relative = self.relative(path);
        let target = fs::read_link(path).ok();
        let resolved = fs::canonicalize(path).ok();
        let inside = resolved
            .as_deref()
            .is_some_and(|t| t.starts_with(&self.root));
        if inside {
            return None;
        }
        let shown = target.map_or_else(|| "?".to_owned(), |t| t.display().to_string());
        Some(WalkEntry::Refused {
            relative,
            failure: Failure::new(
                Stage::Walk,
                FailureReason::LinkOutsideTree,
                format!(
                    "a link to {shown}, outside the ingested folder (or missing); it was not followed"
                ),
            ),
        })
    }

    fn relative(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let parts: Vec<String> = relative
            .components()
            .map(|c| name_as_text(c.as_os_str()))
            .collect();
        parts.join("/")
    }
}

/// A file name as the catalog records it: as is when it is UTF-8, else each byte that is
/// not as `\xNN` (a GBK name from a Windows machine, say). U+FFFD in their place would
/// give two names in another encoding one path (张三.jpg and 李四.jpg alike), and one file
/// would hide the other. A name escaped so also has its backslashes written `\x5c`, and so
/// has a UTF-8 name that holds `\x` itself: otherwise a crafted name such as `\xd5.jpg`
/// would read as the GBK byte's, and hide that file.
fn name_as_text(name: &std::ffi::OsStr) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    if let Some(text) = name.to_str()
        && !text.contains("\\x")
    {
        return text.to_owned();
    }
    let mut text = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        text.push_str(&chunk.valid().replace('\\', "\\x5c"));
        for byte in chunk.invalid() {
            let _ = write!(text, "\\x{byte:02x}");
        }
    }
    text
}

/// A file's modification time in nanoseconds since 1970, as sources record it (0 when the
/// file system gives none).
pub(crate) fn mtime_ns(meta: &fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_another_encoding_stay_apart() {
        use std::os::unix::ffi::OsStrExt;
        let gbk = |bytes: &[u8]| name_as_text(std::ffi::OsStr::from_bytes(bytes));
        // 张三.jpg and 李四.jpg in GBK.
        let (zhang, li) = (gbk(b"\xd5\xc5\xc8\xfd.jpg"), gbk(b"\xc0\xee\xcb\xc4.jpg"));
        assert_eq!(zhang, "\\xd5\\xc5\\xc8\\xfd.jpg");
        assert_ne!(zhang, li);
        assert_eq!(gbk("名单.xlsx".as_bytes()), "名单.xlsx");
        // A UTF-8 name spelling the escape out is kept apart from the bytes it spells.
        let spelled = gbk(br"\xd5\xc5\xc8\xfd.jpg");
        assert_ne!(spelled, zhang);
        assert_eq!(spelled, r"\x5cxd5\x5cxc5\x5cxc8\x5cxfd.jpg");
        assert_eq!(gbk(br"a\b.txt"), r"a\b.txt");
    }

    fn collect(tree: &Tree) -> Vec<String> {
        let mut seen = Vec::new();
        tree.walk(|entry| {
            seen.push(match entry {
                WalkEntry::File { relative, .. } => relative,
                WalkEntry::Refused { relative, failure } => {
                    format!("{relative} ({})", failure.reason)
                }
            });
            ControlFlow::Continue(())
        });
        seen
    }

    #[test]
    fn files_are_listed_in_order_and_the_store_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("b/c")).unwrap();
        fs::create_dir_all(dir.path().join("store")).unwrap();
        fs::write(dir.path().join("b/c/名单.xlsx"), b"x").unwrap();
        fs::write(dir.path().join("a.txt"), b"x").unwrap();
        fs::write(dir.path().join("store/trove.sqlite"), b"x").unwrap();
        let tree = Tree::resolve(dir.path(), &[dir.path().join("store")]).unwrap();
        assert_eq!(collect(&tree), ["a.txt", "b/c/名单.xlsx"]);
    }

    #[test]
    fn links_out_of_the_tree_are_refused_and_links_within_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), b"This is a secret!").unwrap();
        fs::write(dir.path().join("inside.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("out"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path().join("inside.txt"), dir.path().join("in")).unwrap();
        let tree = Tree::resolve(dir.path(), &[]).unwrap();
        assert_eq!(collect(&tree), ["inside.txt", "out (link_outside_tree)"]);
    }

    #[test]
    fn a_single_file_is_walked_alone_relative_to_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.zip"), b"x").unwrap();
        fs::write(dir.path().join("b.txt"), b"x").unwrap();
        let tree = Tree::resolve(&dir.path().join("a.zip"), &[]).unwrap();
        assert_eq!(collect(&tree), ["a.zip"]);
    }
}
