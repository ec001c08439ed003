//! Image previews: an original image decoded and drawn again as a small PNG.
//!
//! A browser never receives a leaked image's own bytes inline: a crafted file
//! can exploit a decoder, carry a script for a browser that sniffs content,
//! or leak its EXIF (GPS, serial numbers) to whoever sees the page. Decoding
//! and re-encoding keeps only the pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};
use trove_model::FileKind;

/// The longer side of a preview, in pixels.
pub const MAX_SIDE: u32 = 800;

/// Images with more pixels than this are not decoded (a 10,000 × 10,000 scan
/// already needs 400 MB).
const MAX_PIXELS: u64 = 100_000_000;

/// Memory the decoder may allocate, whatever the file's header claims.
const MAX_DECODE_BYTES: u64 = 1 << 30;

/// Why an image has no preview.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("a {0} document is not an image")]
    NotAnImage(FileKind),
    #[error("the image is {width} × {height} pixels, too large to preview; download the original")]
    TooLarge { width: u32, height: u32 },
    #[error("the image cannot be decoded ({0}); download the original to inspect it")]
    Undecodable(String),
}

/// The image `bytes` (of `kind`) as a PNG at most [`MAX_SIDE`] pixels on its
/// longer side; smaller images keep their size.
pub fn png_preview(kind: FileKind, bytes: &[u8]) -> Result<Vec<u8>, PreviewError> {
    let format = image_format(kind).ok_or(PreviewError::NotAnImage(kind))?;
    let undecodable = |error: image::ImageError| PreviewError::Undecodable(error.to_string());
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(undecodable)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PreviewError::TooLarge { width, height });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let pixels = reader.decode().map_err(undecodable)?;
    let small = if pixels.width().max(pixels.height()) > MAX_SIDE {
        pixels.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        pixels
    };
    // RGBA keeps transparency and drops exotic layouts (16-bit, CMYK) that
    // some browsers draw badly.
    let rgba = DynamicImage::ImageRgba8(small.to_rgba8());
    let mut png = Cursor::new(Vec::new());
    rgba.write_to(&mut png, ImageFormat::Png)
        .map_err(undecodable)?;
    Ok(png.into_inner())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut bytes = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(pixels)
            .write_to(&mut bytes, ImageFormat::Jpeg)
            .unwrap();
        bytes.into_inner()
    }

    fn size_of(png: &[u8]) -> (u32, u32) {
        let decoded = image::load_from_memory_with_format(png, ImageFormat::Png).unwrap();
        (decoded.width(), decoded.height())
    }

    #[test]
    fn a_large_photo_becomes_a_png_at_most_800_pixels_wide() {
        let png = png_preview(FileKind::Jpeg, &jpeg(1600, 1200)).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(size_of(&png), (800, 600));
    }

    #[test]
    fn a_small_photo_keeps_its_size() {
        let png = png_preview(FileKind::Jpeg, &jpeg(120, 160)).unwrap();
        assert_eq!(size_of(&png), (120, 160));
    }

    #[test]
    fn text_and_broken_images_have_no_preview() {
        assert!(matches!(
            png_preview(FileKind::Text, b"hello"),
            Err(PreviewError::NotAnImage(FileKind::Text))
        ));
        let mut cut = jpeg(64, 64);
        cut.truncate(40);
        assert!(matches!(
            png_preview(FileKind::Jpeg, &cut),
            Err(PreviewError::Undecodable(_))
        ));
    }
}
