//! A minimal EXIF block (the TIFF structure that goes after `Exif\0\0` in a JPEG's APP1
//! segment): IFD0 with Make, Model and the Exif IFD pointer; the Exif IFD with
//! DateTimeOriginal and BodySerialNumber; and, as cameras write it, IFD1 holding a small
//! JPEG thumbnail of the picture.

use crate::ground_truth::ExifTruth;

const MAKE: u16 = 0x010F;
const MODEL: u16 = 0x0110;
const COMPRESSION: u16 = 0x0103;
const EXIF_IFD_POINTER: u16 = 0x8769;
const THUMBNAIL_OFFSET: u16 = 0x0201;
const THUMBNAIL_LENGTH: u16 = 0x0202;
const DATE_TIME_ORIGINAL: u16 = 0x9003;
const BODY_SERIAL_NUMBER: u16 = 0xA431;

const ASCII: u16 = 2;
const SHORT: u16 = 3;
const LONG: u16 = 4;

/// Compression 6: the thumbnail is a JPEG.
const JPEG_COMPRESSION: u32 = 6;

/// Little-endian TIFF bytes holding `exif`.
pub(crate) fn tiff_block(exif: &ExifTruth) -> Vec<u8> {
    tiff(exif, None)
}

/// Little-endian TIFF bytes holding `exif` and `thumbnail` (a JPEG) in IFD1.
pub(crate) fn tiff_block_with_thumbnail(exif: &ExifTruth, thumbnail: &[u8]) -> Vec<u8> {
    tiff(exif, Some(thumbnail))
}

fn tiff(exif: &ExifTruth, thumbnail: Option<&[u8]>) -> Vec<u8> {
    let mut out = b"II*\0".to_vec();
    out.extend(8u32.to_le_bytes());
    let ifd0 = write_ifd(
        &mut out,
        &[
            Entry::ascii(MAKE, exif.make.as_bytes()),
            Entry::ascii(MODEL, exif.model.as_bytes()),
            Entry::number(EXIF_IFD_POINTER, LONG, 0),
        ],
    );
    point_to_end(&mut out, ifd0.numbers[0]);
    write_ifd(
        &mut out,
        &[
            Entry::ascii(DATE_TIME_ORIGINAL, exif.date_time_original.as_bytes()),
            Entry::ascii(BODY_SERIAL_NUMBER, exif.body_serial.as_bytes()),
        ],
    );
    if let Some(thumbnail) = thumbnail {
        point_to_end(&mut out, ifd0.next);
        let ifd1 = write_ifd(
            &mut out,
            &[
                Entry::number(COMPRESSION, SHORT, JPEG_COMPRESSION),
                Entry::number(THUMBNAIL_OFFSET, LONG, 0),
                Entry::number(THUMBNAIL_LENGTH, LONG, thumbnail.len() as u32),
            ],
        );
        point_to_end(&mut out, ifd1.numbers[1]);
        out.extend_from_slice(thumbnail);
    }
    out
}

/// One IFD entry: an ASCII text (written with its NUL) or a single SHORT or LONG.
struct Entry<'a> {
    tag: u16,
    kind: u16,
    text: &'a [u8],
    number: u32,
}

impl<'a> Entry<'a> {
    fn ascii(tag: u16, text: &'a [u8]) -> Entry<'a> {
        Entry {
            tag,
            kind: ASCII,
            text,
            number: 0,
        }
    }

    fn number(tag: u16, kind: u16, number: u32) -> Entry<'static> {
        Entry {
            tag,
            kind,
            text: &[],
            number,
        }
    }
}

/// Where the numbers of an IFD just written sit in the output, for offsets known later.
struct Written {
    /// The value field of each number entry, in entry order.
    numbers: Vec<usize>,
    /// The next-IFD offset (0 until patched).
    next: usize,
}

/// Makes the offset written at `at` point to what will be appended next.
fn point_to_end(out: &mut [u8], at: usize) {
    let end = out.len() as u32;
    out[at..at + 4].copy_from_slice(&end.to_le_bytes());
}

/// Appends an IFD (entries sorted by tag, no next IFD) and the texts that do not fit in an
/// entry.
fn write_ifd(out: &mut Vec<u8>, entries: &[Entry]) -> Written {
    let start = out.len();
    let values_start = start + 2 + entries.len() * 12 + 4;
    let mut values: Vec<u8> = Vec::new();
    let mut numbers = Vec::new();
    out.extend((entries.len() as u16).to_le_bytes());
    for entry in entries {
        out.extend(entry.tag.to_le_bytes());
        out.extend(entry.kind.to_le_bytes());
        if entry.kind != ASCII {
            out.extend(1u32.to_le_bytes());
            numbers.push(out.len());
            match entry.kind {
                // A SHORT sits in the first two bytes of the value field.
                SHORT => out.extend([(entry.number as u16).to_le_bytes(), [0, 0]].concat()),
                _ => out.extend(entry.number.to_le_bytes()),
            }
            continue;
        }
        let mut value = entry.text.to_vec();
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
    let next = out.len();
    out.extend(0u32.to_le_bytes());
    out.extend(values);
    Written { numbers, next }
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

    #[test]
    fn the_thumbnail_is_found_where_ifd1_points() {
        let truth = ExifTruth {
            make: "Hikvision".into(),
            model: "DS-2CD".into(),
            body_serial: "1".into(),
            date_time_original: "2018:03:01 09:15:00".into(),
        };
        let thumbnail = b"\xFF\xD8 a small picture \xFF\xD9";
        let tiff = tiff_block_with_thumbnail(&truth, thumbnail);
        let exif = exif::Reader::new().read_raw(tiff.clone()).unwrap();
        let number = |tag| {
            exif.get_field(tag, exif::In::THUMBNAIL)
                .and_then(|f| f.value.get_uint(0))
                .unwrap() as usize
        };
        let at = number(exif::Tag::JPEGInterchangeFormat);
        let length = number(exif::Tag::JPEGInterchangeFormatLength);
        assert_eq!(&tiff[at..at + length], thumbnail);
        assert_eq!(number(exif::Tag::Compression), 6);
        let model = exif.get_field(exif::Tag::Model, exif::In::PRIMARY).unwrap();
        assert_eq!(model.display_value().to_string(), "\"DS-2CD\"");
    }
}
