//! PDF embedded files: the catalog's `EmbeddedFiles` name tree and
//! `FileAttachment` annotations on pages, each a file specification whose
//! `EF` entry holds the file as a stream.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::{Found, name_by_content, safe_name};
use crate::Limits;

/// How deep a name tree is followed (real ones are two or three levels).
const MAX_TREE_DEPTH: usize = 16;

pub(super) fn find(bytes: &[u8], limits: &Limits, found: &mut Found) {
    // Most PDFs embed nothing: skip the parse unless the words are there.
    let mentions = |word: &[u8]| bytes.windows(word.len()).any(|w| w == word);
    if !mentions(b"EmbeddedFile") && !mentions(b"FileAttachment") {
        return;
    }
    let Ok(document) = Document::load_mem(bytes) else {
        return;
    };
    let mut specs = Vec::new();
    if let Some(tree) = embedded_files_tree(&document) {
        collect_name_tree(&document, tree, 0, &mut HashSet::new(), &mut specs);
    }
    for page in document.get_pages().into_values() {
        for annotation in document.get_page_annotations(page).unwrap_or_default() {
            let is_attachment = annotation
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|name| name == b"FileAttachment");
            if is_attachment && let Ok(spec) = annotation.get(b"FS") {
                specs.push(spec.clone());
            }
        }
    }
    let mut seen: HashSet<ObjectId> = HashSet::new();
    for (index, spec) in specs.iter().enumerate() {
        if found.is_full(limits) {
            found.dropped = true;
            return;
        }
        match file_of(&document, spec, limits, &mut seen) {
            FileSpec::File(name, data) => {
                let name = name
                    .unwrap_or_else(|| name_by_content(&format!("embedded-{}", index + 1), &data));
                found.add(limits, name, data);
            }
            FileSpec::AlreadySeen => {}
            FileSpec::Unreadable => found.dropped = true,
        }
    }
}

fn embedded_files_tree(document: &Document) -> Option<&Dictionary> {
    let names = document.catalog().ok()?.get(b"Names").ok()?;
    let names = resolve(document, names)?.as_dict().ok()?;
    resolve(document, names.get(b"EmbeddedFiles").ok()?)?
        .as_dict()
        .ok()
}

/// The values of a name tree (`Names` pairs, and `Kids` followed). Each node is visited
/// once: a crafted tree whose kids point back at themselves must not multiply the work.
fn collect_name_tree(
    document: &Document,
    node: &Dictionary,
    depth: usize,
    visited: &mut HashSet<ObjectId>,
    out: &mut Vec<Object>,
) {
    if depth > MAX_TREE_DEPTH {
        return;
    }
    if let Ok(Object::Array(pairs)) = node
        .get(b"Names")
        .map(|o| resolve(document, o).unwrap_or(o))
    {
        out.extend(pairs.iter().skip(1).step_by(2).cloned());
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids").map(|o| resolve(document, o).unwrap_or(o)) {
        for kid in kids {
            let Ok((id, kid)) = document.dereference(kid) else {
                continue;
            };
            if id.is_some_and(|id| !visited.insert(id)) {
                continue;
            }
            if let Ok(kid) = kid.as_dict() {
                collect_name_tree(document, kid, depth + 1, visited, out);
            }
        }
    }
}

enum FileSpec {
    File(Option<String>, Vec<u8>),
    AlreadySeen,
    Unreadable,
}

/// The file a file specification embeds, decompressed within the limit.
fn file_of(
    document: &Document,
    spec: &Object,
    limits: &Limits,
    seen: &mut HashSet<ObjectId>,
) -> FileSpec {
    let Some(Ok(spec)) = resolve(document, spec).map(Object::as_dict) else {
        return FileSpec::Unreadable;
    };
    let Some(Ok(embedded)) = spec
        .get(b"EF")
        .ok()
        .and_then(|ef| resolve(document, ef))
        .map(Object::as_dict)
    else {
        return FileSpec::Unreadable;
    };
    let Some(stream_object) = embedded.get(b"UF").or_else(|_| embedded.get(b"F")).ok() else {
        return FileSpec::Unreadable;
    };
    if let Object::Reference(id) = stream_object
        && !seen.insert(*id)
    {
        // The same file attached twice (tree and annotation): one child.
        return FileSpec::AlreadySeen;
    }
    let Some(Ok(stream)) = resolve(document, stream_object).map(Object::as_stream) else {
        return FileSpec::Unreadable;
    };
    let data = if stream.dict.get(b"Filter").is_ok() {
        match stream.decompressed_content_with_limit(limits.max_child_bytes) {
            Ok(data) => data,
            Err(_) => return FileSpec::Unreadable,
        }
    } else {
        stream.content.clone()
    };
    let name = [&b"UF"[..], b"F"]
        .iter()
        .find_map(|key| spec.get(key).ok())
        .and_then(|name| resolve(document, name))
        .and_then(|name| name.as_str().ok())
        .map(|raw| safe_name(&pdf_text(raw)))
        .filter(|name| !name.is_empty());
    FileSpec::File(name, data)
}

fn resolve<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Object> {
    document.dereference(object).ok().map(|(_, object)| object)
}

/// A PDF text string: UTF-16 with a byte-order mark, or PDFDocEncoding
/// (read as Latin-1, which it matches for letters).
fn pdf_text(raw: &[u8]) -> String {
    match raw {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => match std::str::from_utf8(raw) {
            Ok(text) => text.to_owned(),
            Err(_) => raw.iter().map(|&b| char::from(b)).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, StringFormat, dictionary};

    /// A one-page PDF whose file is both in the name tree and attached to the page.
    fn pdf_with_attachment(name: &str, data: &[u8]) -> Vec<u8> {
        let mut document = Document::with_version("1.7");
        let file = document.add_object(Stream::new(
            dictionary! { "Type" => "EmbeddedFile" },
            data.to_vec(),
        ));
        let mut utf16 = vec![0xFE, 0xFF];
        utf16.extend(name.encode_utf16().flat_map(u16::to_be_bytes));
        let spec = document.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal("file.txt"),
            "UF" => Object::String(utf16, StringFormat::Hexadecimal),
            "EF" => dictionary! { "F" => file },
        });
        let pages = document.new_object_id();
        let annotation = document.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "FileAttachment", "FS" => spec,
        });
        let page = document.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Annots" => vec![annotation.into()],
        });
        document.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let names = dictionary! {
            "EmbeddedFiles" => dictionary! { "Names" => vec![Object::string_literal(name), spec.into()] },
        };
        let catalog = document.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages, "Names" => names,
        });
        document.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_name_tree_whose_kids_point_at_themselves_ends() {
        let mut document = Document::with_version("1.7");
        let node = document.new_object_id();
        let kids: Vec<Object> = (0..64).map(|_| node.into()).collect();
        document
            .objects
            .insert(node, Object::Dictionary(dictionary! { "Kids" => kids }));
        let root = document.get_dictionary(node).unwrap().clone();
        let mut out = Vec::new();
        collect_name_tree(&document, &root, 0, &mut HashSet::new(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn an_attached_file_is_found_once_with_its_unicode_name() {
        let bytes = pdf_with_attachment("证据.txt", b"names of the held");
        let mut found = Found::new();
        find(&bytes, &Limits::default(), &mut found);
        assert_eq!(
            found.files.len(),
            1,
            "{:?}",
            found.files.iter().map(|f| &f.name).collect::<Vec<_>>()
        );
        assert_eq!(found.files[0].name, "证据.txt");
        assert_eq!(found.files[0].bytes, b"names of the held");
        assert!(!found.dropped);
    }
}
