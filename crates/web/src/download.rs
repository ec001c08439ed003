//! Originals as downloads: a file name safe in any header and on any disk,
//! and the bytes streamed from the blob store without holding them in memory.

use std::fs::File;
use std::io::{self, Read};

use axum::body::{Body, Bytes};
use trove_model::BlobId;

use crate::blocking;

/// Bytes read from disk per chunk of a download.
const CHUNK_BYTES: usize = 256 * 1024;

/// Longest file name offered, in characters.
const MAX_NAME_CHARS: usize = 100;

/// A file name for the document at `path` (its last component, inside any
/// archive), kept to ASCII letters, digits, `.`, `-` and `_` so that it can
/// neither break the `Content-Disposition` header nor climb folders; the
/// short id goes first, so that two originals never share a name. Names in
/// other scripts are lost here, but the document page shows them in full.
pub fn safe_file_name(id: &BlobId, path: &str) -> String {
    let last = path.rsplit(['/', '\\', '!']).next().unwrap_or_default();
    let mut name = String::new();
    for c in last.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        let c = if keep { c } else { '_' };
        // One underscore stands for a run of dropped characters.
        if !(c == '_' && name.ends_with('_')) {
            name.push(c);
        }
    }
    let name: String = name
        .trim_matches(['.', '_'])
        .chars()
        .rev()
        .take(MAX_NAME_CHARS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if name.is_empty() {
        id.short().to_owned()
    } else {
        format!("{}-{name}", id.short())
    }
}

/// A response body that reads `file` a chunk at a time, off the async
/// threads.
pub fn file_body(file: File) -> Body {
    let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
        let (file, chunk) = blocking::run(move || {
            let mut chunk = vec![0; CHUNK_BYTES];
            let read = file.read(&mut chunk)?;
            chunk.truncate(read);
            Ok::<_, io::Error>((file, chunk))
        })
        .await?;
        Ok::<_, io::Error>((!chunk.is_empty()).then(|| (Bytes::from(chunk), file)))
    });
    Body::from_stream(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> BlobId {
        BlobId::from_digest([0xab; 32])
    }

    #[test]
    fn a_plain_name_keeps_its_letters_after_the_short_id() {
        assert_eq!(
            safe_file_name(&id(), "folder/list 2017.xlsx"),
            "abababababab-list_2017.xlsx"
        );
    }

    #[test]
    fn quotes_slashes_and_scripts_cannot_reach_the_header() {
        assert_eq!(
            safe_file_name(&id(), "a.zip!/<img src=x onerror=alert(1)>\".html"),
            "abababababab-img_src_x_onerror_alert_1_.html"
        );
        assert_eq!(
            safe_file_name(&id(), "疏附县/名单.xlsx"),
            "abababababab-xlsx"
        );
        assert_eq!(safe_file_name(&id(), "..\\..\\"), "abababababab");
    }

    #[test]
    fn a_long_name_keeps_its_end_where_the_extension_is() {
        let long = format!("{}.pdf", "x".repeat(300));
        let name = safe_file_name(&id(), &long);
        assert!(name.ends_with("xxx.pdf"), "{name}");
        assert_eq!(name.len(), "abababababab-".len() + MAX_NAME_CHARS);
    }
}
