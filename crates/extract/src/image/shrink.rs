//! The thumbnail's pixels: a picture shrunk by averaging blocks of its pixels.
//!
//! The image crate's `thumbnail` weighs every input pixel in floating point through its
//! generic pixel types, which took longer on a camera photo decoded in full than the
//! decoding did. Here every input pixel is added, as an integer, into the one output
//! pixel it falls in: rows are summed whole (which the compiler vectorises), and each
//! output row is then divided out once.

use image::{DynamicImage, RgbImage};

/// `image` at most `side` pixels on its longer side (a smaller one keeps its size), as
/// RGB; transparency is dropped, as `DynamicImage::to_rgb8` drops it.
pub(super) fn to_thumbnail(image: &DynamicImage, side: u32) -> RgbImage {
    let (width, height) = (image.width(), image.height());
    if width.max(height) <= side || width == 0 || height == 0 {
        return image.to_rgb8();
    }
    let (out_width, out_height) = fit(width, height, side);
    let size = Size {
        width: width as usize,
        height: height as usize,
        out_width: out_width as usize,
        out_height: out_height as usize,
    };
    let rgb = match image {
        DynamicImage::ImageRgb8(rgb) => block_means::<3>(rgb.as_raw(), &size),
        DynamicImage::ImageRgba8(rgba) => block_means::<4>(rgba.as_raw(), &size).map(|means| {
            means
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect()
        }),
        DynamicImage::ImageLuma8(grey) => block_means::<1>(grey.as_raw(), &size)
            .map(|means| means.into_iter().flat_map(|level| [level; 3]).collect()),
        // 16-bit and float pictures are rare in a leak: made 8-bit RGB first.
        other => block_means::<3>(other.to_rgb8().as_raw(), &size),
    };
    // `rgb` holds exactly `out_width × out_height` pixels when there is one; the image
    // crate's own shrinking stands in for what block means do not take.
    rgb.and_then(|rgb| RgbImage::from_raw(out_width, out_height, rgb))
        .unwrap_or_else(|| image.thumbnail(out_width, out_height).to_rgb8())
}

/// The size of a `width`×`height` picture fitted within `side`×`side`, its proportions
/// kept (to the nearest pixel, and at least one).
fn fit(width: u32, height: u32, side: u32) -> (u32, u32) {
    let scaled = |short: u32, long: u32| {
        let fitted = (u64::from(short) * u64::from(side) + u64::from(long) / 2) / u64::from(long);
        (fitted as u32).max(1)
    };
    if width >= height {
        (side, scaled(height, width))
    } else {
        (scaled(width, height), side)
    }
}

struct Size {
    width: usize,
    height: usize,
    out_width: usize,
    out_height: usize,
}

/// Means of the blocks of `raw` (`C` bytes a pixel, rows of `size.width`) that make each
/// output pixel: input column `x` falls in output column `x * out_width / width`, and
/// rows alike, so that every input pixel counts once.
fn block_means<const C: usize>(raw: &[u8], size: &Size) -> Option<Vec<u8>> {
    let columns = block_starts(size.width, size.out_width);
    let rows = block_starts(size.height, size.out_height);
    let tallest = rows.windows(2).map(|block| block[1] - block[0]).max()?;
    if tallest > (u32::MAX / 255) as usize {
        // Millions of rows a block: a picture far longer than wide, left to the image crate.
        return None;
    }
    let row_bytes = size.width * C;
    let mut sums = vec![0u32; row_bytes];
    let mut out = Vec::with_capacity(size.out_width * size.out_height * C);
    for block_rows in rows.windows(2) {
        sums.fill(0);
        let (top, bottom) = (block_rows[0], block_rows[1]);
        // Rows of 255 at most: checked above to fit a u32, which sums twice as fast as a u64.
        for row in raw[top * row_bytes..bottom * row_bytes].chunks_exact(row_bytes) {
            for (sum, &level) in sums.iter_mut().zip(row) {
                *sum += u32::from(level);
            }
        }
        let tall = (bottom - top) as u64;
        for block_columns in columns.windows(2) {
            let (left, right) = (block_columns[0], block_columns[1]);
            let count = tall * (right - left) as u64;
            let block = &sums[left * C..right * C];
            for channel in 0..C {
                let total: u64 = block
                    .iter()
                    .skip(channel)
                    .step_by(C)
                    .map(|&s| u64::from(s))
                    .sum();
                out.push(((total + count / 2) / count) as u8);
            }
        }
    }
    Some(out)
}

/// Where each of `out` blocks of an `length`-pixel line starts, and the line's end: the
/// first input `x` with `x * out / length` equal to the block. `out <= length`, so that
/// no block is empty.
fn block_starts(length: usize, out: usize) -> Vec<usize> {
    (0..=out)
        .map(|block| (block * length).div_ceil(out))
        .collect()
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma, Rgb, Rgba, RgbaImage};

    use super::*;

    #[test]
    fn a_camera_photo_fits_the_side_with_its_proportions() {
        for ((width, height), expected) in [
            ((1080, 1440), (192, 256)),
            ((1440, 1080), (256, 192)),
            ((3000, 7), (256, 1)),
            ((257, 257), (256, 256)),
        ] {
            let photo = DynamicImage::ImageRgb8(RgbImage::new(width, height));
            let small = to_thumbnail(&photo, 256);
            assert_eq!(small.dimensions(), expected, "{width}×{height}");
        }
    }

    #[test]
    fn a_small_picture_keeps_its_size() {
        let small = DynamicImage::ImageLuma8(GrayImage::from_pixel(40, 30, Luma([7])));
        let thumbnail = to_thumbnail(&small, 256);
        assert_eq!(thumbnail.dimensions(), (40, 30));
        assert_eq!(thumbnail.get_pixel(3, 3), &Rgb([7, 7, 7]));
    }

    #[test]
    fn each_output_pixel_is_the_mean_of_its_block() {
        // Columns alternate black and white: every block of two averages to mid-grey, and
        // the halves keep their own colours.
        let picture = RgbImage::from_fn(512, 400, |x, y| match (x % 2, y < 200) {
            (0, true) => Rgb([0, 0, 0]),
            (_, true) => Rgb([255, 255, 255]),
            (_, false) => Rgb([10, 200, 30]),
        });
        let small = to_thumbnail(&DynamicImage::ImageRgb8(picture), 256);
        assert_eq!(small.dimensions(), (256, 200));
        assert_eq!(small.get_pixel(17, 50), &Rgb([128, 128, 128]));
        assert_eq!(small.get_pixel(200, 150), &Rgb([10, 200, 30]));
    }

    #[test]
    fn every_pixel_kind_gives_rgb() {
        let rgba = RgbaImage::from_pixel(600, 300, Rgba([200, 100, 50, 0]));
        let grey = GrayImage::from_pixel(300, 600, Luma([90]));
        let wide = DynamicImage::ImageRgb16(image::ImageBuffer::from_pixel(
            600,
            600,
            Rgb([65535u16, 0, 0]),
        ));
        assert_eq!(
            to_thumbnail(&DynamicImage::ImageRgba8(rgba), 256).get_pixel(5, 5),
            &Rgb([200, 100, 50])
        );
        assert_eq!(
            to_thumbnail(&DynamicImage::ImageLuma8(grey), 256).get_pixel(5, 5),
            &Rgb([90, 90, 90])
        );
        assert_eq!(to_thumbnail(&wide, 256).get_pixel(5, 5), &Rgb([255, 0, 0]));
    }

    #[test]
    fn blocks_cover_the_line_once_without_an_empty_one() {
        for (length, out) in [(1440, 256), (257, 256), (3000, 1), (7, 7)] {
            let starts = block_starts(length, out);
            assert_eq!((starts[0], starts[out]), (0, length));
            assert!(starts.windows(2).all(|w| w[0] < w[1]), "{length} → {out}");
            for x in 0..length {
                let block = x * out / length;
                assert!(starts[block] <= x && x < starts[block + 1]);
            }
        }
    }
}
