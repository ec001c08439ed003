//! Compound files: the OLE objects of .doc (`ObjectPool/_N`) and .xls
//! (`MBD…` storages at the root), and the attachments of Outlook messages
//! (`__attach_version1.0_#N`, [MS-OXMSG]).

use std::io::Cursor;

use cfb::CompoundFile;

use super::ole_object::{self, read};
use super::{Found, name_by_content, safe_name};
use crate::Limits;
use crate::binary::utf16le;

type Compound<'a> = CompoundFile<Cursor<&'a [u8]>>;

/// The attachment's data, and its long then short file name (UTF-16).
const ATTACHMENT_DATA: &str = "__substg1.0_37010102";
const ATTACHMENT_NAMES: &[&str] = &["__substg1.0_3707001F", "__substg1.0_3704001F"];

pub(super) fn find_objects(bytes: &[u8], limits: &Limits, found: &mut Found) {
    let Ok(mut file) = CompoundFile::open(Cursor::new(bytes)) else {
        return;
    };
    let storages = object_storages(&file);
    for (storage, stem) in storages {
        if found.is_full(limits) {
            found.dropped = true;
            return;
        }
        match ole_object::file_in(&mut file, &storage, &stem, None) {
            Some((name, data)) => found.add(limits, name, data),
            None => found.dropped = true,
        }
    }
}

/// Storages holding one embedded object each, with a stem to name it by.
fn object_storages(file: &Compound<'_>) -> Vec<(String, String)> {
    let mut storages = Vec::new();
    if let Ok(pool) = file.read_storage("/ObjectPool") {
        for entry in pool.filter(|e| e.is_storage()) {
            storages.push((
                format!("/ObjectPool/{}", entry.name()),
                entry.name().to_owned(),
            ));
        }
    }
    for entry in file.read_root_storage() {
        if entry.is_storage() && entry.name().starts_with("MBD") {
            storages.push((format!("/{}", entry.name()), entry.name().to_owned()));
        }
    }
    storages
}

pub(super) fn find_message_attachments(bytes: &[u8], limits: &Limits, found: &mut Found) {
    let Ok(mut file) = CompoundFile::open(Cursor::new(bytes)) else {
        return;
    };
    let attachments: Vec<String> = file
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_"))
        .map(|e| format!("/{}", e.name()))
        .collect();
    for (index, storage) in attachments.into_iter().enumerate() {
        if found.is_full(limits) {
            found.dropped = true;
            return;
        }
        let Some(data) = read(&mut file, &format!("{storage}/{ATTACHMENT_DATA}")) else {
            // An embedded message or an OLE attachment: not read yet.
            found.dropped = true;
            continue;
        };
        let name = ATTACHMENT_NAMES
            .iter()
            .find_map(|stream| read(&mut file, &format!("{storage}/{stream}")))
            .map(|raw| safe_name(utf16le(&raw).trim_end_matches('\0')))
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| name_by_content(&format!("attachment-{}", index + 1), &data));
        found.add(limits, name, data);
    }
}
