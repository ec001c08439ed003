//! The EXIF fields investigators use to authenticate photos.

use std::io::Cursor;

use exif::{Context, Field, In, Tag, Value};
use trove_model::{Exif, GpsPosition};

/// DNG's CameraSerialNumber, the serial tag some cameras write in IFD0 when
/// they leave the EXIF BodySerialNumber empty.
const CAMERA_SERIAL_NUMBER: Tag = Tag(Context::Tiff, 0xC62F);

/// Windows' XPComment: UTF-16LE bytes, written by Explorer's "Comments" box.
const XP_COMMENT: Tag = Tag(Context::Tiff, 0x9C9C);

/// Reads the EXIF block of an image, or `None` if it has none (or none that
/// can be parsed).
pub(super) fn read_exif(bytes: &[u8]) -> Option<Exif> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = |tag: Tag| exif.get_field(tag, In::PRIMARY);
    let ascii = |tag: Tag| field(tag).and_then(ascii_text);
    let descriptions: Vec<String> = [
        ascii(Tag::ImageDescription),
        field(Tag::UserComment).and_then(user_comment),
        field(XP_COMMENT).and_then(xp_text),
    ]
    .into_iter()
    .flatten()
    .fold(Vec::new(), |mut seen, text| {
        if !seen.contains(&text) {
            seen.push(text);
        }
        seen
    });
    Some(Exif {
        make: ascii(Tag::Make),
        model: ascii(Tag::Model),
        body_serial: ascii(Tag::BodySerialNumber).or_else(|| ascii(CAMERA_SERIAL_NUMBER)),
        date_time_original: ascii(Tag::DateTimeOriginal),
        date_time_digitized: ascii(Tag::DateTimeDigitized),
        lens: lens_of(ascii(Tag::LensMake), ascii(Tag::LensModel)),
        gps: gps_position(&exif),
        description: (!descriptions.is_empty()).then(|| descriptions.join("\n")),
        software: ascii(Tag::Software),
    })
}

/// `Canon EF-S 18-55mm`: the lens maker and model, the maker left out when the model
/// already names it.
fn lens_of(make: Option<String>, model: Option<String>) -> Option<String> {
    match (make, model) {
        (Some(make), Some(model)) if !model.to_lowercase().starts_with(&make.to_lowercase()) => {
            Some(format!("{make} {model}"))
        }
        (_, Some(model)) => Some(model),
        (make, None) => make,
    }
}

/// An ASCII field's text. Cameras and Chinese software write UTF-8 or GBK
/// into "ASCII" fields, which kamadak-exif shows as `????`, so the raw bytes
/// are decoded here: UTF-8 if valid, else GB18030.
fn ascii_text(field: &Field) -> Option<String> {
    match &field.value {
        Value::Ascii(strings) => {
            let joined: Vec<String> = strings.iter().filter_map(|s| decode_raw(s)).collect();
            non_empty(joined.join(" "))
        }
        Value::Byte(bytes) | Value::Undefined(bytes, _) => decode_raw(bytes),
        _ => None,
    }
}

fn decode_raw(bytes: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    non_empty(text)
}

/// UserComment: an 8-byte character code, then the text.
fn user_comment(field: &Field) -> Option<String> {
    let Value::Undefined(bytes, _) = &field.value else {
        return ascii_text(field);
    };
    let (code, text) = bytes.split_at_checked(8)?;
    match code {
        b"UNICODE\0" => {
            // The byte order is the file's; a BOM or the zero pattern tells.
            let (decoded, _) = crate::text::decode_text(text);
            non_empty(decoded)
        }
        b"JIS\0\0\0\0\0" => non_empty(
            encoding_rs::SHIFT_JIS
                .decode_without_bom_handling(text)
                .0
                .into_owned(),
        ),
        _ => decode_raw(text),
    }
}

fn xp_text(field: &Field) -> Option<String> {
    let Value::Byte(bytes) = &field.value else {
        return None;
    };
    non_empty(
        encoding_rs::UTF_16LE
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    )
}

/// Trims the padding (NULs, spaces) that writers leave in fixed-size fields.
fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn gps_position(exif: &exif::Exif) -> Option<GpsPosition> {
    let latitude = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?;
    let longitude = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?;
    let valid = (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude);
    valid.then_some(GpsPosition {
        latitude,
        longitude,
    })
}

/// Degrees, minutes and seconds as decimal degrees, negative when the
/// reference is `negative_ref` (south or west).
fn coordinate(exif: &exif::Exif, tag: Tag, reference: Tag, negative_ref: u8) -> Option<f64> {
    let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
        return None;
    };
    let mut degrees = 0.0;
    for (part, scale) in parts.iter().zip([1.0, 60.0, 3600.0]) {
        if part.denom == 0 {
            return None;
        }
        degrees += part.to_f64() / scale;
    }
    let negative = match &exif.get_field(reference, In::PRIMARY)?.value {
        Value::Ascii(strings) => strings
            .first()
            .and_then(|s| s.first())
            .is_some_and(|&c| c.eq_ignore_ascii_case(&negative_ref)),
        _ => false,
    };
    degrees
        .is_finite()
        .then_some(if negative { -degrees } else { degrees })
}
