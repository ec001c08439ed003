//! One embedded OLE object: a storage holding either the OLE packager's
//! `\x01Ole10Native` stream (any file, with its original name), a `Package`
//! stream (an embedded OOXML document), a `CONTENTS` stream (Acrobat's PDF),
//! or a whole compound document (an embedded .doc, .xls or .ppt).

use std::io::{Cursor, Write};

use cfb::CompoundFile;
use trove_model::FileKind;

use super::{name_by_content, safe_name};
use crate::binary::u32_at;
use crate::legacy::{Compound, MAX_STREAM_BYTES, read_stream};

/// Streams that make a storage a compound document of its own.
const DOCUMENT_STREAMS: &[&str] = &["WordDocument", "Workbook", "Book", "PowerPoint Document"];

/// The file an OLE object at `storage` ("/" for a whole object file) holds,
/// named after the packager's label or, failing one, `stem` and its content.
/// `whole` is the compound file's own bytes, the answer when the object is
/// the root of a compound document.
pub(super) fn file_in(
    file: &mut Compound<'_>,
    storage: &str,
    stem: &str,
    whole: Option<&[u8]>,
) -> Option<(String, Vec<u8>)> {
    let child = |name: &str| {
        if storage.ends_with('/') {
            format!("{storage}{name}")
        } else {
            format!("{storage}/{name}")
        }
    };
    if let Some(native) = read(file, &child("\u{1}Ole10Native")) {
        let (label, data) = native_package(&native)?;
        let name = label
            .map(|label| safe_name(&label))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| name_by_content(stem, &data));
        return Some((name, data));
    }
    for stream in ["Package", "CONTENTS"] {
        if let Some(data) = read(file, &child(stream)) {
            return Some((name_by_content(stem, &data), data));
        }
    }
    if !DOCUMENT_STREAMS.iter().any(|s| file.is_stream(child(s))) {
        return None;
    }
    let document = match whole {
        Some(bytes) if storage == "/" => bytes.to_vec(),
        _ => copy_storage(file, storage)?,
    };
    Some((name_by_content(stem, &document), document))
}

/// The bytes of stream `path`, or `None` when there is none or it cannot be read: an
/// embedding is found on a best-effort basis.
pub(super) fn read(file: &mut Compound<'_>, path: &str) -> Option<Vec<u8>> {
    read_stream(FileKind::Ole, file, path).ok().flatten()
}

/// The OLE packager's stream: a size, then (for a packaged file) a label,
/// the original path, two unknown words, a temporary path and the data.
/// Objects that are not packaged files hold only the data after the size.
fn native_package(stream: &[u8]) -> Option<(Option<String>, Vec<u8>)> {
    let size = usize::try_from(u32_at(stream, 0)?).ok()?;
    let body = stream.get(4..4 + size.min(stream.len() - 4))?;
    match packaged_file(body) {
        Some((label, data)) => Some((Some(label), data.to_vec())),
        None => Some((None, body.to_vec())),
    }
}

fn packaged_file(body: &[u8]) -> Option<(String, &[u8])> {
    let mut at = 2; // a version word
    let label = c_string(body, &mut at)?;
    let _original_path = c_string(body, &mut at)?;
    at += 8; // two words whose meaning is not documented
    let _temporary_path = c_string(body, &mut at)?;
    let length = usize::try_from(u32_at(body, at)?).ok()?;
    let data = body.get(at + 4..at.checked_add(4)?.checked_add(length)?)?;
    Some((decode_ansi(label), data))
}

/// A nul-terminated string at `at`, moving `at` past it.
fn c_string<'a>(bytes: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let rest = bytes.get(*at..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    *at += end + 1;
    Some(&rest[..end])
}

/// Packager names are in the writer's ANSI code page: GBK on Chinese Windows.
fn decode_ansi(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The storage at `storage` written out as a compound file of its own.
fn copy_storage(file: &mut Compound<'_>, storage: &str) -> Option<Vec<u8>> {
    let entries: Vec<(String, bool)> = file
        .walk_storage(storage)
        .ok()?
        .map(|entry| {
            (
                entry.path().to_string_lossy().into_owned(),
                entry.is_stream(),
            )
        })
        .collect();
    let mut copy = CompoundFile::create(Cursor::new(Vec::new())).ok()?;
    let mut copied = 0u64;
    for (path, is_stream) in entries {
        let relative = path.strip_prefix(storage)?;
        if relative.is_empty() {
            continue;
        }
        if !is_stream {
            copy.create_storage(relative).ok()?;
            continue;
        }
        let bytes = read(file, &path)?;
        copied += bytes.len() as u64;
        if copied > MAX_STREAM_BYTES {
            return None;
        }
        copy.create_stream(relative).ok()?.write_all(&bytes).ok()?;
    }
    copy.flush().ok()?;
    Some(copy.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packaged(label: &str, data: &[u8]) -> Vec<u8> {
        let mut body = vec![2, 0];
        body.extend_from_slice(&encoding_rs::GBK.encode(label).0);
        body.extend_from_slice(b"\0C:\\tmp\\x\0\0\0\x03\0\0\0\0\0C:\\tmp\\x\0");
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        let mut stream = (body.len() as u32).to_le_bytes().to_vec();
        stream.extend_from_slice(&body);
        stream
    }

    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut file = CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (path, bytes) in streams {
            if let Some((parent, _)) = path.rsplit_once('/')
                && !parent.is_empty()
                && !file.is_storage(parent)
            {
                file.create_storage_all(parent).unwrap();
            }
            file.create_stream(path).unwrap().write_all(bytes).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn a_packaged_file_keeps_its_label() {
        let bytes = compound(&[("/\u{1}Ole10Native", &packaged("名单.txt", b"hello"))]);
        let mut file = CompoundFile::open(Cursor::new(bytes.as_slice())).unwrap();
        let (name, data) = file_in(&mut file, "/", "oleObject1", Some(&bytes)).unwrap();
        assert_eq!(name, "名单.txt");
        assert_eq!(data, b"hello");
    }

    #[test]
    fn an_embedded_document_storage_becomes_a_compound_file_of_its_own() {
        let bytes = compound(&[
            ("/ObjectPool/_1/WordDocument", b"word"),
            ("/ObjectPool/_1/1Table", b"table"),
        ]);
        let mut file = CompoundFile::open(Cursor::new(bytes.as_slice())).unwrap();
        let (_, data) = file_in(&mut file, "/ObjectPool/_1", "_1", None).unwrap();
        let mut copy = CompoundFile::open(Cursor::new(data.as_slice())).unwrap();
        assert_eq!(read(&mut copy, "/WordDocument").unwrap(), b"word");
        assert_eq!(read(&mut copy, "/1Table").unwrap(), b"table");
    }

    #[test]
    fn a_damaged_native_stream_is_no_file_and_no_panic() {
        for stream in [&b""[..], b"\xFF\xFF\xFF\xFF", b"\x02\0\0\0ab"] {
            let _ = native_package(stream);
        }
    }
}
