//! The leak scanner: every file of a folder, every byte, decompressed where it is gzip (as
//! static-search indexes store their fragments). What it finds is reported masked, so the
//! report itself leaks nothing.
//!
//! Written here: no crate scans for these; each check is small and says exactly what it
//! looks for.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::Serialize;

use crate::numbers::{NumberKind, for_each_number};

/// Files larger than this are reported as unreadable rather than read whole: a published
/// site holds pages, data sets and photos, none this large.
const MAX_FILE_BYTES: u64 = 512 << 20;
/// Gzip layers opened inside one another.
const MAX_GZIP_DEPTH: usize = 3;
/// Findings reported per file and kind; a file with more fails all the same.
const MAX_SHOWN: usize = 20;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeakKind {
    /// A full resident ID number: 18 digits whose check character is right, or 15 digits
    /// of before 1999 with a sound region and birth date (also written with spaces or
    /// dashes between groups).
    IdNumber,
    /// A mainland mobile number (11 digits from 13–19).
    PhoneNumber,
    /// EXIF, XMP or IPTC metadata in an image, or GPS coordinates anywhere.
    ImageMetadata,
    /// A string the caller forbids: the name of a person not published, a source path.
    Forbidden,
    /// A file that could not be read (or is too large to read whole).
    Unreadable,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leak {
    /// The file, relative to the scanned folder.
    pub path: String,
    /// What sort of leak.
    pub kind: LeakKind,
    /// Where in the file (byte offset, in the decompressed bytes for gzip).
    pub offset: usize,
    /// What was found, masked: `653121********0027`, `138****5678`, `EXIF`, or the
    /// forbidden string's first character and length.
    pub excerpt: String,
}

/// The scan of a folder.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanReport {
    /// Files read.
    pub files: u64,
    /// Bytes read (before decompression).
    pub bytes: u64,
    /// Every finding, by path and offset.
    pub leaks: Vec<Leak>,
}

impl ScanReport {
    /// Nothing found.
    pub fn is_clean(&self) -> bool {
        self.leaks.is_empty()
    }
}

/// Why a folder could not be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Walking the folder failed.
    #[error("cannot read the folder {path}: {source}; check that it exists and is yours")]
    Folder {
        /// The folder scanned.
        path: PathBuf,
        /// Why.
        #[source]
        source: walkdir::Error,
    },
}

/// What to look for besides numbers and metadata.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    /// Strings that must not appear (persons not published, paths withheld), matched
    /// exactly, all in one pass; those shorter than two characters are ignored, as they
    /// would match anything.
    forbidden: Option<AhoCorasick>,
    /// Each forbidden string's first character and length, as the report names it.
    forbidden_shown: Vec<String>,
}

impl Scanner {
    /// A scanner that also refuses each of `forbidden`. A list the matcher cannot be
    /// built from is an error: a scanner that looked for none would pass them all.
    pub fn forbidding(
        forbidden: impl IntoIterator<Item = String>,
    ) -> Result<Self, aho_corasick::BuildError> {
        let strings: Vec<String> = forbidden
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| s.chars().count() >= 2)
            .collect();
        let forbidden_shown = strings
            .iter()
            .map(|s| {
                let first = s.chars().next().unwrap_or('?');
                format!("{first}… ({} characters)", s.chars().count())
            })
            .collect();
        let forbidden = match strings.is_empty() {
            true => None,
            false => Some(AhoCorasick::new(&strings)?),
        };
        Ok(Scanner {
            forbidden,
            forbidden_shown,
        })
    }

    /// Reads every file under `dir`.
    pub fn scan_dir(&self, dir: &Path) -> Result<ScanReport, ScanError> {
        let mut report = ScanReport::default();
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|source| ScanError::Folder {
                path: dir.to_owned(),
                source,
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let name = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            report.files += 1;
            match read_whole(path) {
                Ok(bytes) => {
                    report.bytes += bytes.len() as u64;
                    report.leaks.extend(self.scan_bytes(&name, &bytes));
                }
                Err(why) => report.leaks.push(Leak {
                    path: name,
                    kind: LeakKind::Unreadable,
                    offset: 0,
                    excerpt: why,
                }),
            }
        }
        Ok(report)
    }

    /// The findings in one file's bytes; gzip is read decompressed too, a gzip inside it
    /// as well, at most [`MAX_GZIP_DEPTH`] deep and [`MAX_FILE_BYTES`] inflated in all.
    pub fn scan_bytes(&self, name: &str, bytes: &[u8]) -> Vec<Leak> {
        let mut budget = MAX_FILE_BYTES;
        self.scan_nested(name, bytes, 0, &mut budget)
    }

    fn scan_nested(&self, name: &str, bytes: &[u8], depth: usize, budget: &mut u64) -> Vec<Leak> {
        let mut leaks = self.scan_plain(name, bytes);
        if depth < MAX_GZIP_DEPTH && *budget > 0 && bytes.starts_with(&[0x1f, 0x8b]) {
            let mut inflated = Vec::new();
            let decoder = flate2::read::MultiGzDecoder::new(bytes);
            if decoder.take(*budget).read_to_end(&mut inflated).is_ok() {
                *budget -= inflated.len() as u64;
                let inner = format!("{name} (decompressed)");
                leaks.extend(self.scan_nested(&inner, &inflated, depth + 1, budget));
            }
        }
        leaks
    }

    /// The findings in `bytes` as they are.
    fn scan_plain(&self, name: &str, bytes: &[u8]) -> Vec<Leak> {
        let mut leaks = Vec::new();
        let mut add = |kind: LeakKind, offset: usize, excerpt: String| {
            let shown = leaks.iter().filter(|l: &&Leak| l.kind == kind).count();
            if shown < MAX_SHOWN {
                leaks.push(Leak {
                    path: name.to_owned(),
                    kind,
                    offset,
                    excerpt,
                });
            }
        };
        for_each_number(bytes, |number| match number.kind {
            NumberKind::IdNumber => add(LeakKind::IdNumber, number.start, mask_id(&number.digits)),
            NumberKind::Phone => add(
                LeakKind::PhoneNumber,
                number.start,
                mask_phone(&number.digits),
            ),
        });
        for found in METADATA_MARKERS.find_iter(bytes) {
            let (_, what) = METADATA[found.pattern().as_usize()];
            add(LeakKind::ImageMetadata, found.start(), what.to_owned());
        }
        if let Some(forbidden) = &self.forbidden {
            for found in forbidden.find_overlapping_iter(bytes) {
                let shown = self.forbidden_shown[found.pattern().as_usize()].clone();
                add(LeakKind::Forbidden, found.start(), shown);
            }
        }
        leaks
    }
}

/// Where an image carries metadata: EXIF and XMP (JPEG APP1, PNG chunks, WebP, TIFF
/// alike), IPTC, and GPS tags anywhere; with what the report calls each.
const METADATA: [(&[u8], &str); 6] = [
    (b"Exif\0\0", "EXIF"),
    (b"http://ns.adobe.com/xap/1.0/", "XMP"),
    (b"Photoshop 3.0\0", "IPTC"),
    (b"eXIf", "EXIF (PNG chunk)"),
    (b"exif:GPS", "GPS (XMP)"),
    (b"GPSLatitude", "GPS"),
];
/// The markers as one automaton, built once.
static METADATA_MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(METADATA.iter().map(|(marker, _)| marker))
        .unwrap_or_else(|e| unreachable!("six fixed markers build: {e}"))
});

fn read_whole(path: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("{size} bytes: too large to read whole"));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// The region code and the last four characters, the rest masked.
fn mask_id(number: &str) -> String {
    let len = number.len();
    format!(
        "{}{}{}",
        &number[..6],
        "*".repeat(len - 10),
        &number[len - 4..]
    )
}

fn mask_phone(number: &str) -> String {
    format!("{}****{}", &number[..3], &number[7..])
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::numbers::valid_id;

    #[test]
    fn valid_id_numbers_are_found_in_any_writing_and_reported_masked() {
        let id = valid_id();
        let spaced = format!("{} {} {} {}", &id[..6], &id[6..10], &id[10..14], &id[14..]);
        let text = format!("<td>{id}</td> {{\"id\":\"{spaced}\"}} 65312119800101009Z");
        let leaks = Scanner::default().scan_bytes("p.html", text.as_bytes());
        let ids: Vec<&Leak> = leaks
            .iter()
            .filter(|l| l.kind == LeakKind::IdNumber)
            .collect();
        assert_eq!(ids.len(), 2, "{leaks:?}");
        assert_eq!(ids[0].excerpt, format!("653121********{}", &id[14..]));
        assert!(
            !format!("{leaks:?}").contains(&id),
            "the report leaks nothing"
        );
        // A wrong check character, or a longer number, is not an ID number.
        let mut wrong = id.clone();
        wrong.replace_range(17.., if id.ends_with('0') { "1" } else { "0" });
        let noise = format!("{wrong} 9{id} {id}7");
        assert!(
            Scanner::default()
                .scan_bytes("x", noise.as_bytes())
                .is_empty()
        );
    }

    #[test]
    fn phones_metadata_and_forbidden_names_are_found() {
        let bytes = "call 13812345678 or 138-1234-5678; 热依拉·奥迈尔 lives".as_bytes();
        let scanner = Scanner::forbidding(["热依拉·奥迈尔".to_owned(), "x".to_owned()]).unwrap();
        let kinds: Vec<LeakKind> = scanner
            .scan_bytes("a.txt", bytes)
            .iter()
            .map(|l| l.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                LeakKind::PhoneNumber,
                LeakKind::PhoneNumber,
                LeakKind::Forbidden
            ]
        );
        let jpeg = [
            &[0xFF, 0xD8, 0xFF, 0xE1, 0, 16][..],
            b"Exif\0\0",
            b"MM\0*GPSLatitude",
        ]
        .concat();
        let found: Vec<String> = Scanner::default()
            .scan_bytes("photo.jpg", &jpeg)
            .into_iter()
            .filter(|leak| leak.kind == LeakKind::ImageMetadata)
            .map(|leak| leak.excerpt)
            .collect();
        assert_eq!(found, ["EXIF", "GPS"]);
    }

    #[test]
    fn a_folder_is_read_whole_including_gzip_fragments() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("index")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>nothing here</p>").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, format!("fragment {}", valid_id()).as_bytes()).unwrap();
        std::fs::write(
            dir.path().join("index/fragment.pf_fragment"),
            gz.finish().unwrap(),
        )
        .unwrap();
        let report = Scanner::default().scan_dir(dir.path()).unwrap();
        assert_eq!(report.files, 2);
        assert_eq!(report.leaks.len(), 1, "{report:?}");
        assert_eq!(
            report.leaks[0].path,
            "index/fragment.pf_fragment (decompressed)"
        );
        assert!(!report.is_clean());
        std::fs::remove_file(dir.path().join("index/fragment.pf_fragment")).unwrap();
        assert!(Scanner::default().scan_dir(dir.path()).unwrap().is_clean());
    }

    #[test]
    fn crafted_input_costs_bounded_work() {
        // A million digits in a row are no number, and are not held.
        let digits = "7".repeat(1_000_000);
        assert!(
            Scanner::default()
                .scan_bytes("digits.txt", digits.as_bytes())
                .is_empty()
        );
        // Gzip inside gzip is opened a few layers deep, no deeper.
        let gzip = |bytes: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, bytes).unwrap();
            gz.finish().unwrap()
        };
        let mut nested = format!("id {}", valid_id()).into_bytes();
        for _ in 0..MAX_GZIP_DEPTH {
            nested = gzip(&nested);
        }
        assert_eq!(Scanner::default().scan_bytes("a.gz", &nested).len(), 1);
        assert!(
            Scanner::default()
                .scan_bytes("b.gz", &gzip(&nested))
                .is_empty()
        );
    }
}
