//! Images: dimensions, EXIF, a thumbnail and a perceptual hash.
//!
//! A photo's evidential value is mostly in its EXIF (camera, serial, time,
//! place), so the facts are read in order of robustness: EXIF and the
//! dimensions come from the headers alone, and only then are the pixels
//! decoded for the thumbnail and the hash. If the pixels cannot be decoded (a
//! truncated JPEG, an exotic TIFF) but the headers could be read, the facts
//! are kept without thumbnail or hash: a damaged photo is still evidence.
//! Only when nothing at all can be read is the image [`ExtractError::Corrupt`].

mod exif;
mod scaled_jpeg;

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
        .and_then(|_| decode_for_thumbnail(bytes, format));
    let mut facts = ImageFacts {
        width,
        height,
        exif: exif.unwrap_or_default(),
        perceptual_hash: None,
    };
    let mut thumbnail = None;
    if let Some(pixels) = &pixels {
        // Both work on the downscaled picture: the hash looks at 9×8 pixels
        // anyway, and hashing a 24-megapixel photo at full size is wasted work.
        let small = downscale(pixels);
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

/// The pixels the thumbnail and the hash are made from: a JPEG at the least scale that
/// still fills a thumbnail, where jpeg-decoder can read it; anything else in full.
fn decode_for_thumbnail(bytes: &[u8], format: ImageFormat) -> Option<DynamicImage> {
    if format == ImageFormat::Jpeg {
        let side = u16::try_from(THUMBNAIL_SIZE).unwrap_or(u16::MAX);
        let max_alloc = usize::try_from(MAX_DECODE_ALLOC).unwrap_or(usize::MAX);
        if let Some(small) = scaled_jpeg::decode_at_least(bytes, side, max_alloc) {
            return Some(small);
        }
    }
    decode(bytes, format)
}

/// Decodes the pixels (the first frame of an animation or multi-page TIFF)
/// within [`MAX_DECODE_ALLOC`].
fn decode(bytes: &[u8], format: ImageFormat) -> Option<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decode_limits = image::Limits::default();
    decode_limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(decode_limits);
    reader.decode().ok()
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

/// The picture at most [`THUMBNAIL_SIZE`] pixels on its longer side. Smaller
/// images keep their size: enlarging them adds nothing to see and made the
/// thumbnail the most expensive part of ingesting small photos.
fn downscale(pixels: &DynamicImage) -> DynamicImage {
    if pixels.width().max(pixels.height()) <= THUMBNAIL_SIZE {
        DynamicImage::ImageRgb8(pixels.to_rgb8())
    } else {
        DynamicImage::ImageRgb8(pixels.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE).to_rgb8())
    }
}

/// The downscaled picture re-encoded as JPEG: a thumbnail never carries the
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
