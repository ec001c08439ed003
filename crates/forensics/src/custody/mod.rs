//! Custody manifests: every original with its size and hashes, every path it was found
//! at and the archive or email that held it, in formats other tools read.
//!
//! - [`ManifestFormat::Hashdeep`]: the originals found on disk (not members of archives,
//!   which no folder holds), for `hashdeep -a -k MANIFEST -r FOLDER` to audit the folder
//!   against. SHA-256 only: the format lists the algorithms it carries.
//! - [`ManifestFormat::Csv`]: every path, members of archives included, with both hashes.
//! - [`ManifestFormat::Dfxml`]: Digital Forensics XML, one `fileobject` per path.

mod dfxml;
mod hashdeep;
mod table;

use std::io::Write;

/// One path an original was found at, with what identifies the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyEntry {
    /// The folder that was ingested, absolute.
    pub root: String,
    /// Relative to `root`; `!/` enters an archive or an email.
    pub path: String,
    /// BLAKE3 of the archive or email that held it; `None` for a file on disk.
    pub parent: Option<String>,
    /// BLAKE3 (the original's id), hex.
    pub blake3: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// Length in bytes.
    pub size: u64,
    /// When trove first saw it there (RFC 3339, UTC).
    pub first_seen: String,
}

impl CustodyEntry {
    /// Whether the original is a file on disk under `root`, not a member of another.
    pub fn on_disk(&self) -> bool {
        self.parent.is_none()
    }

    /// The file's absolute path on disk: `root` joined with `path`.
    pub fn disk_path(&self) -> String {
        format!("{}/{}", self.root.trim_end_matches('/'), self.path)
    }
}

/// A manifest's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestFormat {
    /// hashdeep's known-hashes file (`size,sha256,filename`).
    Hashdeep,
    /// One CSV row per path.
    Csv,
    /// Digital Forensics XML.
    Dfxml,
}

/// What wrote a manifest, recorded in it.
#[derive(Debug, Clone, Copy)]
pub struct Producer<'a> {
    /// The program's version.
    pub version: &'a str,
    /// The command line that asked for it.
    pub command: &'a str,
    /// The store digest the manifest was made from (see [`crate::digest`]).
    pub store_digest: &'a str,
}

/// Writes `entries` (in the order given) as a manifest in `format`; returns how many were
/// written (hashdeep leaves out members of archives, and names it cannot represent).
pub fn write_manifest(
    format: ManifestFormat,
    entries: &[CustodyEntry],
    producer: Producer<'_>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    match format {
        ManifestFormat::Hashdeep => hashdeep::write(entries, producer, out),
        ManifestFormat::Csv => table::write(entries, out),
        ManifestFormat::Dfxml => dfxml::write(entries, producer, out),
    }
}

#[cfg(test)]
pub(crate) fn sample() -> Vec<CustodyEntry> {
    let entry = |path: &str, parent: Option<&str>, n: u8| CustodyEntry {
        root: "/leak".to_owned(),
        path: path.to_owned(),
        parent: parent.map(str::to_owned),
        blake3: format!("{n:02x}").repeat(32),
        sha256: format!("{:02x}", n + 100).repeat(32),
        size: u64::from(n) * 1000,
        first_seen: "2026-12-04T01:00:00Z".to_owned(),
    };
    vec![
        entry("名单/人口登记表.xlsx", None, 1),
        entry("files.zip", None, 2),
        entry("files.zip!/a,b & <c>.txt", Some(&"02".repeat(32)), 3),
    ]
}
