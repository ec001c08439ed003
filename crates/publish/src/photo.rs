//! Photos as a published site shows them: decoded and drawn again as a new JPEG at most
//! [`MAX_SIDE`] pixels a side, so that nothing of the original file travels: no EXIF
//! (camera serial, GPS, times), no XMP or IPTC, no ICC profile comments, no thumbnail.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageReader};

/// The longer side of a published photo, in pixels.
pub const MAX_SIDE: u32 = 800;
/// JPEG quality of published photos.
const QUALITY: u8 = 85;
/// Images with more pixels than this are not decoded.
const MAX_PIXELS: u64 = 100_000_000;

/// Why a photo cannot be published.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The bytes are no image the decoder reads.
    #[error("the photo cannot be decoded ({0}); leave it out or replace it")]
    Undecodable(String),
    /// Too many pixels to decode safely.
    #[error("the photo is {width} × {height} pixels, too large to redraw")]
    TooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
}

/// `bytes` (any format the decoder knows) drawn again as a JPEG without metadata, at most
/// [`MAX_SIDE`] pixels a side.
pub fn clean_photo(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    clean_photo_within(bytes, MAX_SIDE)
}

/// As [`clean_photo`], at most `max_side` pixels a side.
pub fn clean_photo_within(bytes: &[u8], max_side: u32) -> Result<Vec<u8>, PhotoError> {
    let undecodable = |e: image::ImageError| PhotoError::Undecodable(e.to_string());
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Undecodable(e.to_string()))?;
    let (width, height) = reader.into_dimensions().map_err(undecodable)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooLarge { width, height });
    }
    let pixels = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Undecodable(e.to_string()))?
        .decode()
        .map_err(undecodable)?;
    let small = if pixels.width().max(pixels.height()) > max_side {
        pixels.thumbnail(max_side, max_side)
    } else {
        pixels
    };
    let rgb = DynamicImage::ImageRgb8(small.to_rgb8());
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(undecodable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with an EXIF segment carrying a GPS tag, as a camera writes one.
    fn camera_jpeg() -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(1200, 1600, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut plain = Vec::new();
        JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&DynamicImage::ImageRgb8(pixels))
            .unwrap();
        let exif = [&b"Exif\0\0MM\0*"[..], b"GPSLatitude 43.6"].concat();
        let length = (exif.len() + 2) as u16;
        let segment = [&[0xFF, 0xE1][..], &length.to_be_bytes(), &exif].concat();
        // After SOI (2 bytes), before everything else.
        [&plain[..2], &segment, &plain[2..]].concat()
    }

    #[test]
    fn a_camera_photo_is_redrawn_small_without_its_metadata() {
        let original = camera_jpeg();
        assert!(
            !crate::Scanner::default()
                .scan_bytes("o.jpg", &original)
                .is_empty()
        );
        let cleaned = clean_photo(&original).unwrap();
        let decoded = image::load_from_memory(&cleaned).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (600, 800));
        let leaks = crate::Scanner::default().scan_bytes("p.jpg", &cleaned);
        assert!(leaks.is_empty(), "{leaks:?}");
        assert!(matches!(
            clean_photo(b"not an image"),
            Err(PhotoError::Undecodable(_))
        ));
    }
}
