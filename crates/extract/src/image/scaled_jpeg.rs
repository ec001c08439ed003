//! JPEGs decoded at reduced scale for the thumbnail and the hash.
//!
//! A JPEG stores 8×8 blocks of frequencies; decoding at 1/2, 1/4 or 1/8 scale computes
//! each block's 4×4, 2×2 or single pixel straight from its lowest frequencies, so a
//! camera photo's 1.5 million pixels are never made only to be averaged down to a
//! 256-pixel thumbnail. (libjpeg-turbo and Pillow's `draft` mode do the same.)
//! The decoder is jpeg-decoder, whose IDCT supports these scales; zune-jpeg, which the
//! image crate uses, does not.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, RgbImage};
use jpeg_decoder::{Decoder, PixelFormat};

/// The JPEG in `bytes` decoded at the smallest scale whose longer side is still at least
/// `longer_side` pixels (or full size, for small pictures), within `max_alloc` bytes.
/// `None` when jpeg-decoder cannot read it, panics on it (third-party code on distrusted
/// bytes: the photo's EXIF, already read, must not be lost with it) or its pixels are
/// neither grey nor RGB (CMYK, 16-bit): the caller then decodes it in full with the image
/// crate.
pub(super) fn decode_at_least(
    bytes: &[u8],
    longer_side: u16,
    max_alloc: usize,
) -> Option<DynamicImage> {
    std::panic::catch_unwind(|| decode(bytes, longer_side, max_alloc))
        .ok()
        .flatten()
}

fn decode(bytes: &[u8], longer_side: u16, max_alloc: usize) -> Option<DynamicImage> {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(max_alloc);
    // The scale is chosen so that either side reaches the request; asking for the
    // longer side on both axes keeps the longer side at or above it.
    let (width, height) = decoder.scale(longer_side, longer_side).ok()?;
    let pixels = decoder.decode().ok()?;
    let (width, height) = (u32::from(width), u32::from(height));
    match decoder.info()?.pixel_format {
        PixelFormat::RGB24 => {
            RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        PixelFormat::L8 => GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8),
        PixelFormat::L16 | PixelFormat::CMYK32 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let pixels: Vec<u8> = (0..usize::from(width) * usize::from(height) * 3)
            .map(|i| (i % 251) as u8)
            .collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 85)
            .encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    #[test]
    fn camera_photos_are_decoded_at_a_quarter_or_a_half() {
        let big = decode_at_least(&jpeg(1080, 1440), 256, 1 << 30).unwrap();
        assert_eq!((big.width(), big.height()), (270, 360));
        let small = decode_at_least(&jpeg(480, 640), 256, 1 << 30).unwrap();
        assert_eq!((small.width(), small.height()), (240, 320));
        let tiny = decode_at_least(&jpeg(120, 160), 256, 1 << 30).unwrap();
        assert_eq!((tiny.width(), tiny.height()), (120, 160));
    }

    #[test]
    fn what_it_cannot_read_is_left_to_the_full_decoder() {
        assert!(decode_at_least(b"not a jpeg", 256, 1 << 30).is_none());
        assert!(decode_at_least(&jpeg(1080, 1440), 256, 1000).is_none());
    }
}
