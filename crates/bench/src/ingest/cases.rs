//! The parts of a leak measured on their own: its documents, its large files, and a
//! folder of tiny files. A part is a folder of hard links to the leak's files, so that
//! trove, the floor and the Python reference all read the very same bytes.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::corpus::Corpus;

/// Extensions of the files that are pictures, not documents.
const PICTURE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "gif", "webp"];

/// A file of this size or more is "large" (the 1 MB).
pub(super) const LARGE_BYTES: u64 = 1_000_000;

/// Size of each tiny file.
pub(super) const TINY_BYTES: usize = 4096;

/// A set of files measured on its own.
pub(super) struct Case {
    /// Short name, used for its store and log.
    pub(super) name: &'static str,
    /// What the files are, for the report.
    pub(super) what: String,
    /// The folder trove ingests.
    pub(super) dir: PathBuf,
    pub(super) corpus: Corpus,
}

impl Case {
    /// The whole leak.
    pub(super) fn whole(leak: &Path) -> anyhow::Result<Case> {
        let corpus = Corpus::list(leak)?;
        Ok(Case {
            name: "whole",
            what: "the whole leak".to_owned(),
            dir: leak.to_owned(),
            corpus,
        })
    }

    /// The leak's documents: every file but the pictures.
    pub(super) fn documents(leak: &Corpus, root: &Path, work: &Path) -> anyhow::Result<Case> {
        let dir = work.join("part-documents");
        let corpus = linked_part(leak, root, &dir, |path, _| !is_picture(path))?;
        Ok(Case {
            name: "documents",
            what: "documents alone (sheets, office files, PDFs, mail, archives)".to_owned(),
            dir,
            corpus,
        })
    }

    /// The leak's files of [`LARGE_BYTES`] or more.
    pub(super) fn large(leak: &Corpus, root: &Path, work: &Path) -> anyhow::Result<Case> {
        let dir = work.join("part-large");
        let corpus = linked_part(leak, root, &dir, |_, size| size >= LARGE_BYTES)?;
        Ok(Case {
            name: "large",
            what: "files of 1 MB and more".to_owned(),
            dir,
            corpus,
        })
    }

    /// `count` text files of [`TINY_BYTES`] each, every one different (identical files
    /// would be stored once and flatter the figure).
    pub(super) fn tiny(work: &Path, count: usize) -> anyhow::Result<Case> {
        let dir = work.join(format!("part-tiny-{count}"));
        if !dir.is_dir() {
            write_tiny_files(&dir, count)?;
        }
        let corpus = Corpus::list(&dir)?;
        Ok(Case {
            name: "tiny",
            what: format!("{count} files of 4 KB"),
            dir,
            corpus,
        })
    }
}

fn is_picture(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PICTURE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Rebuilds `dir` as hard links to the files of `leak` (rooted at `root`) that `keep`
/// chooses by path and size, in the same relative places.
fn linked_part(
    leak: &Corpus,
    root: &Path,
    dir: &Path,
    keep: impl Fn(&Path, u64) -> bool,
) -> anyhow::Result<Corpus> {
    if dir.exists() {
        fs::remove_dir_all(dir)
            .with_context(|| format!("removing the old part {}", dir.display()))?;
    }
    for path in &leak.files {
        let size = fs::metadata(path)
            .with_context(|| format!("reading the size of {}", path.display()))?
            .len();
        if !keep(path, size) {
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .with_context(|| format!("{} is not under {}", path.display(), root.display()))?;
        let link = dir.join(relative);
        if let Some(parent) = link.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::hard_link(path, &link)
            .or_else(|_| fs::copy(path, &link).map(drop))
            .with_context(|| format!("linking {} to {}", path.display(), link.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    Corpus::list(dir)
}

/// Phrases of the tiny notices (invented, in the bureau's register).
const PHRASES: &[&str] = &[
    "各派出所要按时报送本辖区人员信息，不得迟报漏报。",
    "社区民警每日走访重点人员家庭，做好登记。",
    "请各单位于本周五前将材料报县局综合办。",
    "对外来人员逐一核查身份，发现异常及时上报。",
    "值班人员必须坚守岗位，严格执行交接班制度。",
    "Station reports are due every Friday before noon.",
    "检查站对过往车辆和人员进行查验，并录入系统。",
    "做好会议记录，会后形成纪要，报分管领导审阅。",
];

/// Writes `count` notices of exactly [`TINY_BYTES`] bytes of UTF-8 into `dir` (through a
/// temporary folder, so that a cut-short run leaves no half part behind).
fn write_tiny_files(dir: &Path, count: usize) -> anyhow::Result<()> {
    let partial = dir.with_extension("partial");
    if partial.exists() {
        fs::remove_dir_all(&partial).with_context(|| format!("removing {}", partial.display()))?;
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 0..count {
        let folder = partial.join(format!("{:03}", n / 1000));
        if n % 1000 == 0 {
            fs::create_dir_all(&folder)
                .with_context(|| format!("creating {}", folder.display()))?;
        }
        let mut text = format!("通报 第{n}号\n");
        while text.len() < TINY_BYTES {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            text.push_str(PHRASES[(state >> 33) as usize % PHRASES.len()]);
            text.push('\n');
        }
        let mut cut = TINY_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        let mut bytes = text.into_bytes();
        bytes.resize(TINY_BYTES, b'\n');
        let path = folder.join(format!("通报{n:05}.txt"));
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    fs::rename(&partial, dir)
        .with_context(|| format!("moving {} to {}", partial.display(), dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_files_are_all_four_kilobytes_and_all_different() {
        let work = tempfile::tempdir().unwrap();
        let case = Case::tiny(work.path(), 50).unwrap();
        assert_eq!(case.corpus.files.len(), 50);
        assert_eq!(case.corpus.bytes, 50 * TINY_BYTES as u64);
        let mut contents: Vec<Vec<u8>> = case
            .corpus
            .files
            .iter()
            .map(|f| fs::read(f).unwrap())
            .collect();
        contents.sort();
        contents.dedup();
        assert_eq!(contents.len(), 50);
    }

    #[test]
    fn parts_link_the_files_they_choose() {
        let work = tempfile::tempdir().unwrap();
        let leak = work.path().join("leak");
        fs::create_dir_all(leak.join("a")).unwrap();
        fs::write(leak.join("a/photo.JPG"), b"jpeg").unwrap();
        fs::write(leak.join("a/list.xlsx"), vec![0; LARGE_BYTES as usize]).unwrap();
        let corpus = Corpus::list(&leak).unwrap();
        let documents = Case::documents(&corpus, &leak, work.path()).unwrap();
        assert_eq!(
            documents.corpus.files,
            vec![documents.dir.join("a/list.xlsx")]
        );
        let large = Case::large(&corpus, &leak, work.path()).unwrap();
        assert_eq!(large.corpus.bytes, LARGE_BYTES);
    }
}
