//! Image previews: an original image decoded and drawn again as a small PNG.
//!
//! A browser never receives a leaked image's own bytes inline: a crafted file
//! can exploit a decoder, carry a script for a browser that sniffs content,
//! or leak its EXIF (GPS, serial numbers) to whoever sees the page. Decoding
//! and re-encoding keeps only the pixels.
//!
//! A JPEG is decoded at reduced scale where it is much larger than the preview: the
//! decoder's inverse DCT writes 1/2, 1/4 or 1/8 of each side, so a 50-megapixel photo
//! never holds its 150 MB of pixels, only a few megabytes.

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
    let scaled = match format {
        ImageFormat::Jpeg => scaled_jpeg(bytes)?,
        _ => None,
    };
    let pixels = match scaled {
        Some(pixels) => pixels,
        None => {
            let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
            let mut limits = image::Limits::default();
            limits.max_alloc = Some(MAX_DECODE_BYTES);
            reader.limits(limits);
            reader.decode().map_err(undecodable)?
        }
    };
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

/// A JPEG decoded at the smallest scale (1/1 down to 1/8) that still covers a preview,
/// or `None` for the layouts the reduced decoder does not hand over as plain pixels
/// (CMYK, 16-bit), which take the full decoder.
fn scaled_jpeg(bytes: &[u8]) -> Result<Option<DynamicImage>, PreviewError> {
    let undecodable = |error: jpeg_decoder::Error| PreviewError::Undecodable(error.to_string());
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES as usize);
    decoder.read_info().map_err(undecodable)?;
    let side = MAX_SIDE as u16;
    let (width, height) = decoder.scale(side, side).map_err(undecodable)?;
    let Some(info) = decoder.info() else {
        return Ok(None);
    };
    let (width, height) = (u32::from(width), u32::from(height));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            let pixels = decoder.decode().map_err(undecodable)?;
            image::RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            let pixels = decoder.decode().map_err(undecodable)?;
            image::GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => return Ok(None),
    };
    image.map(Some).ok_or_else(|| {
        PreviewError::Undecodable("the decoder gave fewer pixels than its size".into())
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
    fn a_huge_photo_is_decoded_at_reduced_scale_to_the_same_preview_size() {
        let bytes = jpeg(6400, 4800);
        let scaled = scaled_jpeg(&bytes).unwrap().unwrap();
        assert_eq!(
            (scaled.width(), scaled.height()),
            (800, 600),
            "1/8 still covers 800 pixels on the longer side"
        );
        assert_eq!(
            size_of(&png_preview(FileKind::Jpeg, &bytes).unwrap()),
            (800, 600)
        );
    }

    #[test]
    fn a_grey_photo_is_decoded_at_reduced_scale_too() {
        let pixels = image::GrayImage::from_fn(3200, 2400, |x, _| image::Luma([(x % 256) as u8]));
        let mut bytes = Cursor::new(Vec::new());
        DynamicImage::ImageLuma8(pixels)
            .write_to(&mut bytes, ImageFormat::Jpeg)
            .unwrap();
        let scaled = scaled_jpeg(bytes.get_ref()).unwrap().unwrap();
        assert_eq!((scaled.width(), scaled.height()), (800, 600), "1/4");
        assert!(matches!(scaled, DynamicImage::ImageLuma8(_)));
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
