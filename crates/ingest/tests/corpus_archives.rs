//! Every RAR, 7z and split archive of ../shared/corpus, ingested: each is read
//! (its members become documents) or fails for the right reason. The files are
//! copied into one temporary folder so that volumes sit beside each other.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Ingested, corpus, ingest_fresh};
use trove_model::FailureReason;

fn is_archive_under_test(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".rar")
        || name.ends_with(".7z")
        || name.contains(".7z.0")
        || name.contains("spanned.z")
}

/// The archives of the corpus, copied flat into `dir`.
fn gather(corpus: &Path, dir: &Path) {
    for entry in walkdir::WalkDir::new(corpus)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && is_archive_under_test(&name) {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
}

struct Outcomes {
    /// Member paths (without the archive's own path) by archive.
    members: BTreeMap<String, Vec<String>>,
    /// Failure reasons by path (an archive's or a member's).
    failures: BTreeMap<String, FailureReason>,
}

fn outcomes(ingested: &Ingested) -> Outcomes {
    let connection =
        rusqlite::Connection::open(ingested.store.root().join("trove.sqlite")).unwrap();
    let mut statement = connection
        .prepare("SELECT path FROM occurrences ORDER BY path")
        .unwrap();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
    {
        let path = path.unwrap();
        match path.split_once("!/") {
            Some((archive, member)) => members
                .entry(archive.to_owned())
                .or_default()
                .push(member.to_owned()),
            None => {
                members.entry(path).or_default();
            }
        }
    }
    let failures = ingested
        .store
        .catalog
        .failures()
        .unwrap()
        .into_iter()
        .map(|row| (row.path, row.failure.reason))
        .collect();
    Outcomes { members, failures }
}

impl Outcomes {
    fn members_of(&self, archive: &str) -> &[String] {
        self.members
            .get(archive)
            .unwrap_or_else(|| panic!("{archive} is catalogued"))
    }

    fn assert_read(&self, archive: &str, expected: &[&str]) {
        let members = self.members_of(archive);
        for member in expected {
            assert!(
                members.iter().any(|m| m == member),
                "{archive} yields {member}; it yields {members:?}"
            );
        }
        assert_eq!(
            self.failures.get(archive),
            None,
            "{archive} is read without failure"
        );
    }

    fn assert_failed(&self, path: &str, reason: FailureReason) {
        assert_eq!(
            self.failures.get(path),
            Some(&reason),
            "{path} fails as {reason}"
        );
    }
}

#[test]
fn every_rar_7z_and_split_archive_is_read_or_fails_for_its_reason() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    gather(&corpus, dir.path());
    let seen = outcomes(&ingest_fresh(dir.path()));

    // RAR 1.5 to 5: plain, solid, Windows-made, Unicode names, several files.
    seen.assert_read("test-documents.rar", &["test-documents/testPDF.pdf"]);
    seen.assert_read("rar3-solid.rar", &["stest1.txt", "stest2.txt"]);
    seen.assert_read("rar5-solid.rar", &["stest1.txt"]);
    seen.assert_read("rar3-subdirs.rar", &[]);
    seen.assert_read("rar5-subdirs.rar", &[]);
    seen.assert_read("rar5-dups.rar", &["stest1.txt", "stest9.txt"]);
    seen.assert_read("test_read_format_rar5_stored.rar", &[]);
    seen.assert_read("test_read_format_rar5_compressed.rar", &[]);
    seen.assert_read("test_read_format_rar5_multiple_files.rar", &[]);
    seen.assert_read(
        "test_read_format_rar_windows.rar",
        &["test.txt", "testdir/test.txt"],
    );
    seen.assert_read("unicode2.rar", &["𝐀𝐁𝐁𝐂.txt"]);
    seen.assert_read(
        "test_read_format_rar_unicode.rar",
        &["表だよ/漢字長いファイル名long-filename-in-漢字.txt"],
    );
    assert!(seen.members_of("rar15-comment.rar").len() == 2);
    for archive in [
        "rar3-subdirs.rar",
        "rar5-subdirs.rar",
        "test_read_format_rar5_multiple_files.rar",
    ] {
        assert!(
            !seen.members_of(archive).is_empty(),
            "{archive} has members"
        );
    }

    // Encrypted file lists, and encrypted members beside readable ones.
    for archive in [
        "rar3-comment-hpsw.rar",
        "rar5-hpsw.rar",
        "test-documents-enc.rar",
        "test_read_format_rar_encryption_header.rar",
        "test_read_format_rar4_encrypted_filenames.rar",
        "test_read_format_rar5_encrypted_filenames.rar",
    ] {
        seen.assert_failed(archive, FailureReason::Encrypted);
    }
    seen.assert_failed("rar5-psw.rar!/stest1.txt", FailureReason::Encrypted);
    seen.assert_failed(
        "test_read_format_rar4_encrypted.rar!/b.txt",
        FailureReason::Encrypted,
    );
    seen.assert_failed(
        "test_read_format_rar_encryption_partially.rar!/foo.txt",
        FailureReason::Encrypted,
    );

    // Links are refused, never followed; damaged archives are damaged.
    seen.assert_failed("badrar.rar!/secret.txt", FailureReason::LinkOutsideTree);
    seen.assert_failed(
        "rar5-evil-symlink-traversal.rar!/up",
        FailureReason::LinkOutsideTree,
    );
    for archive in [
        "test_read_format_rar_invalid1.rar",
        "test_read_format_rar_endarc_huge.rar",
        "test_read_format_7zip_malformed.7z",
        "test_read_format_7zip_malformed2.7z",
    ] {
        seen.assert_failed(archive, FailureReason::Corrupt);
    }

    // 7z: every method and filter the corpus holds.
    for (archive, member) in [
        ("ppmd.7z", "apache2.txt"),
        ("test_read_format_7zip_ppmd.7z", "ppmd_test.txt"),
        ("test_read_format_7zip_zstd.7z", "file2"),
        ("zstdmt-brotli.7z", "LICENSE"),
        ("zstdmt-lz4.7z", "LICENSE"),
        ("test_read_format_7zip_deflate.7z", "file1"),
        ("test_read_format_7zip_bzip2.7z", "file1"),
        ("bzip2_file.7z", "hello.txt"),
        ("delta.7z", "delta.txt"),
        ("test_read_format_7zip_lzma2.7z", "file1"),
    ] {
        seen.assert_read(archive, &[member]);
    }
    seen.assert_read("test_read_format_7zip_empty_archive.7z", &[]);
    seen.assert_failed(
        "test_read_format_7zip_encryption.7z",
        FailureReason::Encrypted,
    );
    seen.assert_failed("full_encrypted.7z", FailureReason::Encrypted);

    // Split archives: a spanned zip read whole from its volumes, a 7z split
    // whose second volume is absent named as missing.
    seen.assert_read(
        "test-documents-spanned.zip",
        &["testPDF.pdf", "testWORD.doc", "testXML.xml"],
    );
    assert!(seen.members_of("test-documents-spanned.z01").is_empty());
    seen.assert_failed("500_pages.7z.001", FailureReason::MissingVolume);
}

/// A 7z cut into volumes as `7z -v` does: read whole while every volume is
/// there; without its last one, that volume is named as missing.
#[test]
fn a_byte_split_archive_is_read_from_all_its_volumes() {
    let Some(corpus) = corpus() else { return };
    let whole = std::fs::read(corpus.join("aleph-ingest-file/500_pages.7z")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let chunks: Vec<&[u8]> = whole.chunks(4096).collect();
    for (index, chunk) in chunks.iter().enumerate() {
        let name = format!("证据.7z.{:03}", index + 1);
        std::fs::write(dir.path().join(name), chunk).unwrap();
    }
    let seen = outcomes(&ingest_fresh(dir.path()));
    seen.assert_read("证据.7z.001", &["tests/fixtures/500 pages.pdf"]);
    assert!(seen.members_of("证据.7z.002").is_empty());

    let last = format!("证据.7z.{:03}", chunks.len());
    std::fs::remove_file(dir.path().join(&last)).unwrap();
    let seen = outcomes(&ingest_fresh(dir.path()));
    seen.assert_failed("证据.7z.001", FailureReason::MissingVolume);
}
