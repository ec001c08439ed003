//! PowerPoint 97-2003 (.ppt): embedded objects are `ExOleObjStg` records
//! ([MS-PPT] 2.10.34) among the top-level records of the `PowerPoint Document`
//! stream, each an OLE object's compound file, zlib-compressed when the
//! record's instance is 1.

use std::io::{Cursor, Read};

use cfb::CompoundFile;
use flate2::read::ZlibDecoder;

use super::ole_object::{self, read};
use super::{Found, name_by_content};
use crate::Limits;
use crate::binary::{u16_at, u32_at};

const EX_OLE_OBJ_STG: u16 = 0x1011;
const HEADER: usize = 8;
const COMPRESSED: u16 = 1;

pub(super) fn find(bytes: &[u8], limits: &Limits, found: &mut Found) {
    let Ok(mut file) = CompoundFile::open(Cursor::new(bytes)) else {
        return;
    };
    let Some(stream) = read(&mut file, "/PowerPoint Document") else {
        return;
    };
    let mut at = 0usize;
    let mut index = 0;
    while let (Some(ver_instance), Some(kind), Some(length)) = (
        u16_at(&stream, at),
        u16_at(&stream, at + 2),
        u32_at(&stream, at + 4),
    ) {
        let start = at + HEADER;
        let Some(end) = usize::try_from(length)
            .ok()
            .and_then(|l| start.checked_add(l))
        else {
            return;
        };
        let Some(body) = stream.get(start..end) else {
            return;
        };
        if kind == EX_OLE_OBJ_STG {
            if found.is_full(limits) {
                found.dropped = true;
                return;
            }
            index += 1;
            let compressed = ver_instance >> 4 == COMPRESSED;
            match object(body, compressed, limits).and_then(|object| file_of(&object, index)) {
                Some((name, data)) => found.add(limits, name, data),
                None => found.dropped = true,
            }
        }
        at = end;
    }
}

/// The object's compound file, inflated within the child limit.
fn object(body: &[u8], compressed: bool, limits: &Limits) -> Option<Vec<u8>> {
    if !compressed {
        return Some(body.to_vec());
    }
    let mut inflated = Vec::new();
    let limit = u64::try_from(limits.max_child_bytes).unwrap_or(u64::MAX);
    ZlibDecoder::new(body.get(4..)?)
        .take(limit + 1)
        .read_to_end(&mut inflated)
        .ok()?;
    (inflated.len() as u64 <= limit).then_some(inflated)
}

fn file_of(object: &[u8], index: usize) -> Option<(String, Vec<u8>)> {
    let stem = format!("object-{index}");
    let mut file = CompoundFile::open(Cursor::new(object)).ok()?;
    ole_object::file_in(&mut file, "/", &stem, Some(object))
        .or_else(|| Some((name_by_content(&stem, object), object.to_vec())))
}
