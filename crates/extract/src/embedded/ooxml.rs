//! OOXML packages (.docx, .xlsx, .xlsb, .pptx): every part under an
//! `embeddings/` folder. OLE objects (`oleObjectN.bin`) are opened for the
//! file they hold; other parts (an embedded .xlsx, .docx, .pdf) are the file.

use std::io::Cursor;

use cfb::CompoundFile;
use trove_model::FileKind;

use super::{Found, ole_object, safe_name};
use crate::Limits;
use crate::legacy::is_compound_file;
use crate::zip_package::Package;

pub(super) fn find(bytes: &[u8], limits: &Limits, found: &mut Found) {
    // The kind only labels errors, which are not reported from here.
    let Ok(mut package) = Package::open(FileKind::Zip, bytes, limits) else {
        return;
    };
    let parts: Vec<String> = package
        .names()
        .into_iter()
        .filter(|name| is_embedding(name))
        .collect();
    for part in parts {
        if found.is_full(limits) {
            found.dropped = true;
            return;
        }
        let Ok(Some(data)) = package.read(&part) else {
            found.dropped = true;
            continue;
        };
        let name = safe_name(&part);
        match ole_object_file(&name, data) {
            Some((name, data)) => found.add(limits, name, data),
            None => found.dropped = true,
        }
    }
}

/// A part inside `word/embeddings/`, `xl/embeddings/` or `ppt/embeddings/`.
fn is_embedding(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut components = lower.split('/');
    matches!(
        (components.next(), components.next(), components.next()),
        (Some("word" | "xl" | "ppt"), Some("embeddings"), Some(file)) if !file.is_empty()
    )
}

/// The file a part stands for: an OLE object's content, or the part itself.
fn ole_object_file(name: &str, data: Vec<u8>) -> Option<(String, Vec<u8>)> {
    if !is_compound_file(&data) {
        return Some((name.to_owned(), data));
    }
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let mut file = CompoundFile::open(Cursor::new(data.as_slice())).ok()?;
    ole_object::file_in(&mut file, "/", stem, Some(&data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_parts_of_an_embeddings_folder_count() {
        assert!(is_embedding("word/embeddings/oleObject1.bin"));
        assert!(is_embedding("ppt/embeddings/Workbook2.xlsx"));
        assert!(is_embedding("xl/Embeddings/x.pdf"));
        assert!(!is_embedding("word/embeddings/"));
        assert!(!is_embedding("word/media/image1.png"));
        assert!(!is_embedding("docProps/embeddings/x"));
    }
}
