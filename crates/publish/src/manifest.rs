//! `SHA256SUMS`: every published file with its SHA-256, in the format `sha256sum -c`
//! checks, so that anyone can tell the site they read is the one published.

use sha2::{Digest, Sha256};

use crate::PublishError;
use crate::site::SiteFolder;

/// The manifest's file name at the site's root.
pub const MANIFEST: &str = "SHA256SUMS";

/// Hashes every file `site` holds and writes the manifest beside them.
pub fn write_manifest(site: &mut SiteFolder) -> Result<(), PublishError> {
    let mut files = site.files().to_vec();
    files.sort();
    let mut manifest = String::new();
    for relative in files {
        let path = site.root().join(&relative);
        let bytes = std::fs::read(&path).map_err(|e| PublishError::io("read", &path, e))?;
        manifest.push_str(&format!(
            "{}  {relative}\n",
            hex::encode(Sha256::digest(&bytes))
        ));
    }
    site.write(MANIFEST, manifest.as_bytes())
}
