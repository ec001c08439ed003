//! The volumes of a RAR set, and the ASCII-named links UnRAR reads them through.
//!
//! UnRAR finds a set's next volume itself, by name, and on Unix converts names
//! through the C locale, which cannot carry the Chinese names leaks are full
//! of. So the volumes are linked, in order, into a private folder under plain
//! names (`set.part0001.rar …` or `set.rar, set.r00 …`), and UnRAR reads those:
//! the names are safe, and it can reach nothing but the set.

use std::path::{Path, PathBuf};

use tempfile::TempDir;
use trove_model::{Failure, FailureReason, Stage};

/// The volumes of one RAR set found beside each other on disk.
#[derive(Debug)]
pub(crate) struct VolumeSet {
    volumes: Vec<PathBuf>,
    numbering: Numbering,
    /// The name the volume after the last one found would have.
    after_last: PathBuf,
}

#[derive(Debug, Clone, Copy)]
enum Numbering {
    /// `x.part1.rar, x.part2.rar …` (RAR 3 and later).
    Parts,
    /// `x.rar, x.r00, x.r01 …` (older).
    Extensions,
}

/// A volume set linked under ASCII names, removed when dropped.
pub(crate) struct LinkedSet {
    _dir: TempDir,
    first: String,
}

impl LinkedSet {
    /// The first volume's link, for UnRAR.
    pub(crate) fn first(&self) -> String {
        self.first.clone()
    }
}

impl VolumeSet {
    /// The set whose first volume is `first` (`x.part1.rar`, or `x.rar` with
    /// `x.r00` beside it), as far as its volumes run without a gap.
    pub(crate) fn find(first: &Path) -> VolumeSet {
        let name = first
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let part_at = lower.rfind(".part");
        let (numbering, next_name): (Numbering, Box<dyn Fn(usize) -> String>) = match part_at {
            Some(at) if lower.ends_with(".rar") => {
                let digits = lower.len() - ".rar".len() - (at + ".part".len());
                let stem = name[..at + ".part".len()].to_owned();
                let extension = name[name.len() - ".rar".len()..].to_owned();
                (
                    Numbering::Parts,
                    Box::new(move |n| format!("{stem}{:0digits$}{extension}", n + 1)),
                )
            }
            _ => {
                let stem = name[..name.len().saturating_sub(".rar".len())].to_owned();
                let upper = name.ends_with(".RAR");
                let first_name = name.clone();
                (
                    Numbering::Extensions,
                    Box::new(move |n| match n {
                        0 => first_name.clone(),
                        n if upper => format!("{stem}.R{:02}", n - 1),
                        n => format!("{stem}.r{:02}", n - 1),
                    }),
                )
            }
        };
        let mut volumes = Vec::new();
        loop {
            let candidate = first.with_file_name(next_name(volumes.len()));
            if !candidate.is_file() {
                return VolumeSet {
                    volumes,
                    numbering,
                    after_last: candidate,
                };
            }
            volumes.push(candidate);
        }
    }

    /// A RAR on its own, to be linked under an ASCII name.
    pub(crate) fn single(path: &Path) -> VolumeSet {
        VolumeSet {
            volumes: vec![path.to_path_buf()],
            numbering: Numbering::Extensions,
            after_last: path.with_extension("r00"),
        }
    }

    /// The volume after the last one found, named for a missing-volume failure.
    pub(crate) fn after_last(&self) -> PathBuf {
        self.after_last.clone()
    }

    /// Links the volumes, in order, under ASCII names into a private folder in
    /// `preferred` (or the system's temporary folder when `preferred`'s own
    /// path is not ASCII: only links go there, never content).
    pub(crate) fn link_into(&self, preferred: &Path) -> Result<LinkedSet, Failure> {
        let dir = ascii_folder(preferred)?;
        let mut first = None;
        for (index, volume) in self.volumes.iter().enumerate() {
            let name = match self.numbering {
                Numbering::Parts => format!("set.part{:04}.rar", index + 1),
                Numbering::Extensions if index == 0 => "set.rar".to_owned(),
                Numbering::Extensions => format!("set.r{:02}", index - 1),
            };
            let link = dir.path().join(name);
            link_to(volume, &link).map_err(|e| {
                io_failure(format!("cannot link {} for reading: {e}", volume.display()))
            })?;
            first.get_or_insert_with(|| link.to_string_lossy().into_owned());
        }
        let first = first.ok_or_else(|| io_failure("the RAR set has no volume".to_owned()))?;
        Ok(LinkedSet { _dir: dir, first })
    }
}

/// A private folder whose path is ASCII, in `preferred` if it allows.
fn ascii_folder(preferred: &Path) -> Result<TempDir, Failure> {
    let ascii = |path: &Path| path.to_str().is_some_and(str::is_ascii);
    let parent = if ascii(preferred) {
        preferred.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    if !ascii(&parent) {
        return Err(io_failure(format!(
            "RAR archives need a folder with a plain (ASCII) path to be read through; \
             neither {} nor {} is one",
            preferred.display(),
            parent.display()
        )));
    }
    tempfile::Builder::new()
        .prefix("rar")
        .tempdir_in(&parent)
        .map_err(|e| io_failure(format!("cannot make a folder in {}: {e}", parent.display())))
}

#[cfg(unix)]
fn link_to(target: &Path, link: &Path) -> std::io::Result<()> {
    let target = std::fs::canonicalize(target)?;
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn link_to(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(target, link).map(|_| ())
}

fn io_failure(message: String) -> Failure {
    Failure::new(Stage::Unpack, FailureReason::Io, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_runs_in_its_own_numbering_until_a_gap() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "案卷.part01.rar",
            "案卷.part02.rar",
            "案卷.part04.rar",
            "old.rar",
            "old.r00",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let parts = VolumeSet::find(&dir.path().join("案卷.part01.rar"));
        assert_eq!(parts.volumes.len(), 2);
        assert_eq!(parts.after_last().file_name().unwrap(), "案卷.part03.rar");
        let old = VolumeSet::find(&dir.path().join("old.rar"));
        assert_eq!(old.volumes.len(), 2);
        assert_eq!(old.after_last().file_name().unwrap(), "old.r01");

        let linked = parts.link_into(dir.path()).unwrap();
        assert!(linked.first().ends_with("set.part0001.rar"));
        assert_eq!(std::fs::read(linked.first()).unwrap(), b"x");
    }
}
