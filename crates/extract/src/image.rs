//! Images: dimensions, EXIF, a thumbnail, a perceptual hash and the tones OCR's triage
//! judges by.
//!
//! A photo's evidential value is mostly in its EXIF (camera, serial, time,
//! place), so the facts are read in order of robustness: EXIF and the
//! dimensions come from the headers alone, and only then are the pixels
//! decoded, once, for the thumbnail, the hash and the tones. If the pixels cannot
//! be decoded (a truncated JPEG, an exotic TIFF) but the headers could be read,
//! the facts are kept without them: a damaged photo is still evidence.
//! Only when nothing at all can be read is the image [`ExtractError::Corrupt`].

mod exif;
mod scaled_jpeg;
mod shrink;

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};
use image_hasher::{FilterType, HashAlg, HasherConfig};
use trove_model::{FileKind, ImageFacts, Metadata, PartKind};

use crate::{ExtractError, Extracted, Limits, PartsBuilder};

/// Images above this many pixels are not decoded (a 10,000 × 10,000 scan
/// already needs 400 MB as RGBA), though their EXIF and size are kept.
const MAX_PIXELS: u64 = 100_000_000;

/// Memory the decoder may allocate, whatever the header claims.
const MAX_DECODE_ALLOC: u64 = 1 << 30;

/// JPEGs up to this many pixels (48 MB as RGB; a 12-megapixel camera photo is 36 MB) are
/// decoded in full, larger ones at reduced scale: zune-jpeg's full decode is faster than
/// jpeg-decoder's scaled one, and the full-size pixels give OCR's triage its tones.
const FULL_DECODE_JPEG_PIXELS: u64 = 16_000_000;

/// The longer side of a thumbnail, in pixels.
const THUMBNAIL_SIZE: u32 = 256;

const THUMBNAIL_QUALITY: u8 = 80;

/// Extracts an image's facts; a Body part holds its EXIF description, if
/// any, so that the description is searchable (OCR is a later stage).
pub(crate) fn extract(
    kind: FileKind,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    let format =
        image_format(kind).ok_or_else(|| ExtractError::corrupt(kind, "not an image kind"))?;
    let exif = exif::read_exif(bytes);
    let dimensions = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .ok();
    if exif.is_none() && dimensions.is_none() {
        return Err(ExtractError::corrupt(
            kind,
            "neither the image header nor EXIF could be read",
        ));
    }
    let (width, height) = dimensions.unwrap_or_default();
    let pixels = dimensions
        .filter(|&(w, h)| u64::from(w) * u64::from(h) <= MAX_PIXELS)
        .and_then(|(w, h)| decode_pixels(bytes, format, u64::from(w) * u64::from(h)));
    let mut facts = ImageFacts {
        width,
        height,
        exif: exif.unwrap_or_default(),
        ..ImageFacts::default()
    };
    let mut thumbnail = None;
    if let Some(pixels) = &pixels {
        // Only where OCR's triage could decode the picture itself: its judgement from
        // the tones is then the one it would make.
        if pixels.full_size && trove_ocr::within_triage_limits(&pixels.image) {
            facts.tones = Some(trove_ocr::measure_tones(&pixels.image));
        }
        // Both work on the shrunk picture: the hash looks at 9×8 pixels anyway, and
        // hashing a 24-megapixel photo at full size is wasted work.
        let small = DynamicImage::ImageRgb8(shrink::to_thumbnail(&pixels.image, THUMBNAIL_SIZE));
        facts.perceptual_hash = Some(perceptual_hash(&small));
        thumbnail = encode_thumbnail(&small);
    }
    let mut parts = PartsBuilder::new(limits);
    if let Some(description) = &facts.exif.description {
        parts.push(PartKind::Body, 1, None, description.clone());
    }
    let (parts, truncated) = parts.finish();
    Ok(Extracted {
        parts,
        metadata: Metadata {
            image: Some(facts),
            ..Metadata::default()
        },
        thumbnail,
        truncated,
        ..Extracted::default()
    })
}

fn image_format(kind: FileKind) -> Option<ImageFormat> {
    Some(match kind {
        FileKind::Jpeg => ImageFormat::Jpeg,
        FileKind::Png => ImageFormat::Png,
        FileKind::Tiff => ImageFormat::Tiff,
        FileKind::Webp => ImageFormat::WebP,
        FileKind::Gif => ImageFormat::Gif,
        _ => return None,
    })
}

/// Decoded pixels, and whether they are the picture's full size.
struct Pixels {
    image: DynamicImage,
    full_size: bool,
}

/// The pixels the thumbnail, the hash and the tones are made from: a JPEG of
/// `pixel_count` pixels in full up to [`FULL_DECODE_JPEG_PIXELS`], above it at the least
/// scale that still fills a thumbnail; anything else in full. What one JPEG decoder
/// cannot read the other tries.
fn decode_pixels(bytes: &[u8], format: ImageFormat, pixel_count: u64) -> Option<Pixels> {
    let full = || {
        decode(bytes, format).map(|image| Pixels {
            image,
            full_size: true,
        })
    };
    if format != ImageFormat::Jpeg {
        return full();
    }
    let scaled = || {
        let side = u16::try_from(THUMBNAIL_SIZE).unwrap_or(u16::MAX);
        let max_alloc = usize::try_from(MAX_DECODE_ALLOC).unwrap_or(usize::MAX);
        scaled_jpeg::decode_at_least(bytes, side, max_alloc).map(|image| Pixels {
            image,
            full_size: false,
        })
    };
    if pixel_count <= FULL_DECODE_JPEG_PIXELS {
        full().or_else(scaled)
    } else {
        scaled().or_else(full)
    }
}

/// Decodes the pixels (the first frame of an animation or multi-page TIFF)
/// within [`MAX_DECODE_ALLOC`]. `None` also when the decoder panics (third-party code on
/// distrusted bytes): the photo's EXIF, already read, must not be lost with it.
fn decode(bytes: &[u8], format: ImageFormat) -> Option<DynamicImage> {
    std::panic::catch_unwind(|| {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut decode_limits = image::Limits::default();
        decode_limits.max_alloc = Some(MAX_DECODE_ALLOC);
        reader.limits(decode_limits);
        reader.decode().ok()
    })
    .ok()
    .flatten()
}

/// A 64-bit gradient hash as 16 hex digits: robust to re-encoding and
/// resizing, which is what finding the same photo in two leaks needs.
fn perceptual_hash(pixels: &DynamicImage) -> String {
    let hasher = HasherConfig::new()
        .hash_alg(HashAlg::Gradient)
        .hash_size(8, 8)
        // Lanczos3 (the default) is several times slower and changes no bit
        // that matters for matching re-encoded copies.
        .resize_filter(FilterType::Triangle)
        .to_hasher();
    hasher
        .hash_image(pixels)
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The shrunk picture re-encoded as JPEG: a thumbnail never carries the
/// original's bytes (or any payload hidden in them).
fn encode_thumbnail(small: &DynamicImage) -> Option<Vec<u8>> {
    let rgb = small.to_rgb8();
    let width = u16::try_from(rgb.width()).ok()?;
    let height = u16::try_from(rgb.height()).ok()?;
    let mut jpeg = Vec::new();
    // jpeg-encoder, not the image crate's encoder: three times faster on
    // thumbnails, which are made for every photo of a leak.
    jpeg_encoder::Encoder::new(&mut jpeg, THUMBNAIL_QUALITY)
        .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .ok()?;
    Some(jpeg)
}

#[cfg(test)]
mod tests;
