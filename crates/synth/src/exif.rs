//! A minimal EXIF block (the TIFF structure that goes after `Exif\0\0` in a JPEG's APP1
//! segment): IFD0 with Make, Model and the Exif IFD pointer; the Exif IFD with
//! DateTimeOriginal and BodySerialNumber.

use crate::ground_truth::ExifTruth;

const MAKE: u16 = 0x010F;
const MODEL: u16 = 0x0110;
const EXIF_IFD_POINTER: u16 = 0x8769;
const DATE_TIME_ORIGINAL: u16 = 0x9003;
const BODY_SERIAL_NUMBER: u16 = 0xA431;

const ASCII: u16 = 2;
const LONG: u16 = 4;

/// Little-endian TIFF bytes holding `exif`.
pub(crate) fn tiff_block(exif: &ExifTruth) -> Vec<u8> {
    let mut out = b"II*\0".to_vec();
    out.extend(8u32.to_le_bytes());
    let pointer_at = write_ifd(
        &mut out,
        &[
            (MAKE, ASCII, exif.make.as_bytes()),
            (MODEL, ASCII, exif.model.as_bytes()),
            (EXIF_IFD_POINTER, LONG, &[]),
        ],
    );
    let exif_ifd_offset = out.len() as u32;
    if let Some(at) = pointer_at {
        out[at..at + 4].copy_from_slice(&exif_ifd_offset.to_le_bytes());
    }
    write_ifd(
        &mut out,
        &[
            (
                DATE_TIME_ORIGINAL,
                ASCII,
                exif.date_time_original.as_bytes(),
            ),
            (BODY_SERIAL_NUMBER, ASCII, exif.body_serial.as_bytes()),
        ],
    );
    out
}

/// Appends an IFD (entries sorted by tag, no next IFD) and the values that do not fit in an
/// entry. ASCII values get their NUL terminator; a LONG entry is written as 0 and its
/// position in `out` returned, for the caller to patch.
fn write_ifd(out: &mut Vec<u8>, entries: &[(u16, u16, &[u8])]) -> Option<usize> {
    let start = out.len();
    let values_start = start + 2 + entries.len() * 12 + 4;
    let mut values: Vec<u8> = Vec::new();
    let mut long_at = None;
    out.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, bytes) in entries {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        if *kind == LONG {
            out.extend(1u32.to_le_bytes());
            long_at = Some(out.len());
            out.extend(0u32.to_le_bytes());
            continue;
        }
        let mut value = bytes.to_vec();
        value.push(0);
        out.extend((value.len() as u32).to_le_bytes());
        if value.len() <= 4 {
            value.resize(4, 0);
            out.extend(value);
        } else {
            out.extend(((values_start + values.len()) as u32).to_le_bytes());
            values.extend(&value);
            if values.len() % 2 == 1 {
                values.push(0);
            }
        }
    }
    out.extend(0u32.to_le_bytes());
    out.extend(values);
    long_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kamadak_exif_reads_every_field_back() {
        let truth = ExifTruth {
            make: "Canon".into(),
            model: "Canon EOS 1300D".into(),
            body_serial: "033021004512".into(),
            date_time_original: "2018:03:01 09:15:00".into(),
        };
        let exif = exif::Reader::new().read_raw(tiff_block(&truth)).unwrap();
        let field = |tag| {
            exif.get_field(tag, exif::In::PRIMARY)
                .map(|f| f.display_value().to_string())
                .unwrap()
        };
        assert_eq!(field(exif::Tag::Make), "\"Canon\"");
        assert_eq!(field(exif::Tag::Model), "\"Canon EOS 1300D\"");
        assert_eq!(field(exif::Tag::BodySerialNumber), "\"033021004512\"");
        assert_eq!(field(exif::Tag::DateTimeOriginal), "2018-03-01 09:15:00");
    }
}
