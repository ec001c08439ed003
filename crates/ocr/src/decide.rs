//! Which images are worth OCR: pages of text are mostly paper-white with dark strokes and
//! little colour or mid-tone; photographs of people or places are not. Judged from the
//! tones of pixels sampled over the full-size image (counted at extraction, or here when
//! extraction did not), after a cheap look at a small copy where there is one; nothing
//! here looks for faces or people.

use image::{DynamicImage, GenericImageView};
use trove_model::ImageTones;

/// Images smaller than this on their shorter side hold no readable page.
const MIN_SIDE: u32 = 300;
/// About this many pixels are looked at, spread evenly over the full-size image (a
/// shrunk copy would blur thin strokes into mid-tones). Stores keep the tones counted
/// with this and the luma bounds below: changing any of them needs trove-extract's
/// `EXTRACTOR_VERSION` bumped, so that images are counted again.
const SAMPLE_PIXELS: u64 = 250_000;

/// Whether an image is read by OCR, and why, in words for the person checking.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Read it.
    pub ocr: bool,
    /// The figures it was judged by.
    pub reason: String,
}

/// Judges the image in `bytes` (any format the image crate reads).
pub fn judge_image(bytes: &[u8]) -> Decision {
    judge_image_or_its_small_copy(bytes, || None)
}

/// [`judge_image`], trying first the image's thumbnail (the small JPEG trove made of it
/// at extraction, already in the catalog): what the thumbnail rules out
/// ([`rule_out_from_small_copy`]) is not decoded in full.
pub fn judge_image_or_its_thumbnail(bytes: &[u8], thumbnail: Option<&[u8]>) -> Decision {
    judge_image_or_its_small_copy(bytes, || decode_thumbnail(thumbnail))
}

/// What can be told of the image in `bytes` without decoding it: too small by its
/// header, or no page by its thumbnail. `None` when only [`judge_image`] can tell, so
/// that a caller may bound how many images are decoded in full at once.
pub fn judge_from_thumbnail(bytes: &[u8], thumbnail: Option<&[u8]>) -> Option<Decision> {
    judge_without_decoding(bytes, || decode_thumbnail(thumbnail))
}

fn decode_thumbnail(thumbnail: Option<&[u8]>) -> Option<DynamicImage> {
    thumbnail.and_then(|jpeg| crate::decode_bounded(jpeg).ok())
}

fn judge_image_or_its_small_copy(
    bytes: &[u8],
    small_copy: impl FnOnce() -> Option<DynamicImage>,
) -> Decision {
    judge_without_decoding(bytes, small_copy).unwrap_or_else(|| judge_decoded(bytes))
}

fn judge_without_decoding(
    bytes: &[u8],
    small_copy: impl FnOnce() -> Option<DynamicImage>,
) -> Option<Decision> {
    // The header alone rules out what is too small, without decoding the pixels.
    if let Some((width, height)) = crate::image_dimensions(bytes)
        && width.min(height) < MIN_SIDE
    {
        return Some(too_small(width, height));
    }
    small_copy().as_ref().and_then(rule_out_from_small_copy)
}

/// Judges the image from its pixels, decoded in full.
fn judge_decoded(bytes: &[u8]) -> Decision {
    match crate::decode_bounded(bytes) {
        Ok(image) => judge_tones(image.width(), image.height(), &measure_tones(&image)),
        Err(error) => Decision {
            ocr: false,
            reason: format!("the image cannot be decoded ({error})"),
        },
    }
}

/// Counts the tones of about [`SAMPLE_PIXELS`] pixels spread evenly over `image`, which
/// must be the full-size picture (a shrunk copy would blur thin strokes into mid-tones).
/// Extraction counts them while it has the pixels, so that [`judge_tones`] can decide
/// later without decoding the image again.
pub fn measure_tones(image: &DynamicImage) -> ImageTones {
    let (width, height) = image.dimensions();
    let stride = ((u64::from(width) * u64::from(height) / SAMPLE_PIXELS) as f64)
        .sqrt()
        .max(1.0) as usize;
    let mut tones = ImageTones::default();
    for_each_sample(image, stride, |[r, g, b, a]| {
        // Transparent parts are seen on white paper, as a viewer shows them.
        let over_white =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        let (r, g, b) = if a == 255 {
            (r, g, b)
        } else {
            (over_white(r), over_white(g), over_white(b))
        };
        // Counted without branches, which a photo's pixels would take in no predictable
        // order.
        let luma = luma_thousandths(r, g, b);
        tones.samples += 1;
        tones.light += u32::from(luma >= LIGHT_LUMA);
        tones.dark += u32::from(luma <= DARK_LUMA);
        tones.colour += u64::from(chroma(r, g, b));
    });
    tones
}

/// Judges a `width`×`height` image by the tones [`measure_tones`] counted on it.
pub fn judge_tones(width: u32, height: u32, tones: &ImageTones) -> Decision {
    if width.min(height) < MIN_SIDE {
        return too_small(width, height);
    }
    let total = f64::from(tones.samples.max(1));
    let light = f64::from(tones.light) / total;
    let dark = f64::from(tones.dark) / total;
    let mid = f64::from(
        tones
            .samples
            .saturating_sub(tones.light.saturating_add(tones.dark)),
    ) / total;
    let colour = tones.colour as f64 / 255.0 / total;
    let page = light >= 0.5 && (0.003..=0.35).contains(&dark) && mid <= 0.3 && colour <= 0.15;
    let figures = format!(
        "{:.0}% light, {:.0}% dark, {:.0}% mid-tone pixels, colour {:.2}",
        light * 100.0,
        dark * 100.0,
        mid * 100.0,
        colour
    );
    Decision {
        ocr: page,
        reason: if page {
            format!("reads as a page of text: {figures}")
        } else {
            format!("reads as a photograph, not a page: {figures}")
        },
    }
}

/// How far past a page's bounds a small copy's figures must lie before it rules the image
/// out: a thumbnail's pixels are close to, not exactly, means of the image's (they went
/// through block averaging, after a reduced-scale JPEG decode for older stores and huge
/// photos, and through JPEG again). Colour
/// needs the wider margin: full-size pixels of thin coloured strokes on white are
/// clipped to the RGB range after the JPEG's colour conversion, which lowers their
/// saturation, while their averages are not, so a thumbnail shows such a page about
/// 1.5 times as colourful (0.15 can read as 0.22). Photos before a blue backdrop read
/// about 0.5.
const SMALL_COPY_COLOUR_MAX: f64 = 0.30;
const SMALL_COPY_LIGHT_MIN: f64 = 0.40;

/// Rules an image out as a page from a small copy of it whose pixels are (about) the
/// means of blocks of the image's, as a thumbnail's are, or `None` when only the full
/// image can tell. Cheap where decoding the full image is not, and sound:
/// - a block's mean colour is never more saturated than its pixels are on average
///   (saturation, max − min of the channels, is convex), so the copy shows at most the
///   image's colour: too much colour in the copy is too much in the image;
/// - a block of mean luma `m` has at most `m / 190` of its pixels light (luma ≥ 190), so
///   the copy bounds how much of the image can be paper-white.
fn rule_out_from_small_copy(small: &DynamicImage) -> Option<Decision> {
    let (mut colour, mut light_at_most, mut total) = (0u64, 0f64, 0u64);
    for_each_sample(small, 1, |[r, g, b, _]| {
        total += 1;
        colour += u64::from(chroma(r, g, b));
        light_at_most += (f64::from(luma_thousandths(r, g, b)) / f64::from(LIGHT_LUMA)).min(1.0);
    });
    if total == 0 {
        return None;
    }
    let colour = colour as f64 / 255.0 / total as f64;
    let light_at_most = light_at_most / total as f64;
    let why = if colour > SMALL_COPY_COLOUR_MAX {
        format!("colour {colour:.2} or more")
    } else if light_at_most < SMALL_COPY_LIGHT_MIN {
        format!("at most {:.0}% light pixels", light_at_most * 100.0)
    } else {
        return None;
    };
    Some(Decision {
        ocr: false,
        reason: format!("reads as a photograph, not a page: {why}, judged from its thumbnail"),
    })
}

/// Luma at and above which a pixel is paper-light, and at and below which it is dark ink,
/// in [`luma_thousandths`]; between them lies mid-tone.
const LIGHT_LUMA: u32 = 190_000;
const DARK_LUMA: u32 = 110_000;

/// Rec. 601 luma, in thousandths of a level (0 to 255,000).
fn luma_thousandths(r: u8, g: u8, b: u8) -> u32 {
    299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)
}

/// Colourfulness: the spread between the strongest and the weakest channel.
fn chroma(r: u8, g: u8, b: u8) -> u8 {
    r.max(g).max(b) - r.min(g).min(b)
}

/// Calls `visit` with every `stride`-th pixel of every `stride`-th row, as RGBA. 8-bit
/// pictures are read straight from their buffers: `DynamicImage::get_pixel` converts each
/// pixel through the generic pixel types, which took as long as decoding the photo.
fn for_each_sample(image: &DynamicImage, stride: usize, mut visit: impl FnMut([u8; 4])) {
    let (width, height) = (image.width() as usize, image.height() as usize);
    if width == 0 || height == 0 {
        return;
    }
    match image {
        DynamicImage::ImageRgb8(rgb) => {
            for_each_sampled_pixel::<3>(rgb.as_raw(), width, stride, |p| {
                visit([p[0], p[1], p[2], 255]);
            });
        }
        DynamicImage::ImageRgba8(rgba) => {
            for_each_sampled_pixel::<4>(rgba.as_raw(), width, stride, |p| {
                visit([p[0], p[1], p[2], p[3]]);
            });
        }
        DynamicImage::ImageLuma8(grey) => {
            for_each_sampled_pixel::<1>(grey.as_raw(), width, stride, |p| {
                visit([p[0], p[0], p[0], 255]);
            });
        }
        other => {
            for y in (0..height).step_by(stride) {
                for x in (0..width).step_by(stride) {
                    visit(other.get_pixel(x as u32, y as u32).0);
                }
            }
        }
    }
}

/// Calls `visit` with the `C` bytes of every `stride`-th pixel of every `stride`-th row of
/// `raw`, rows of `width` pixels.
fn for_each_sampled_pixel<const C: usize>(
    raw: &[u8],
    width: usize,
    stride: usize,
    mut visit: impl FnMut(&[u8]),
) {
    for row in raw.chunks_exact(width * C).step_by(stride) {
        for pixel in row.chunks_exact(C).step_by(stride) {
            visit(pixel);
        }
    }
}

fn too_small(width: u32, height: u32) -> Decision {
    Decision {
        ocr: false,
        reason: format!("{width}×{height} px is too small to hold a page"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, RgbImage};

    fn png(image: RgbImage) -> Vec<u8> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn a_white_page_with_black_lines_is_read() {
        let page = RgbImage::from_fn(800, 1100, |x, y| {
            if y % 40 < 4 && (100..700).contains(&x) {
                Rgb([20, 20, 20])
            } else {
                Rgb([250, 250, 248])
            }
        });
        assert!(judge_image(&png(page)).ocr);
    }

    #[test]
    fn a_coloured_photograph_is_not() {
        let photo = RgbImage::from_fn(600, 800, |x, y| {
            Rgb([(x % 200 + 40) as u8, (y % 150 + 60) as u8, 120])
        });
        let decision = judge_image(&png(photo));
        assert!(!decision.ocr, "{}", decision.reason);
        assert!(decision.reason.contains("photograph"));
    }

    #[test]
    fn an_empty_picture_has_no_tones_and_is_too_small() {
        let empty = DynamicImage::ImageRgb8(RgbImage::new(0, 0));
        let tones = measure_tones(&empty);
        assert_eq!(tones, ImageTones::default());
        assert!(!judge_tones(0, 0, &tones).ocr);
    }

    #[test]
    fn small_images_and_garbage_are_not() {
        assert!(!judge_image(&png(RgbImage::new(100, 100))).ocr);
        assert!(!judge_image(b"not an image").ocr);
    }

    /// What a JPEG decoded at 1/8 scale gives: each 8×8 block's mean.
    fn block_means(image: &RgbImage) -> DynamicImage {
        let (width, height) = (image.width() / 8, image.height() / 8);
        DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |bx, by| {
            let mut sum = [0u32; 3];
            for y in by * 8..by * 8 + 8 {
                for x in bx * 8..bx * 8 + 8 {
                    let pixel = image.get_pixel(x, y).0;
                    (0..3).for_each(|c| sum[c] += u32::from(pixel[c]));
                }
            }
            Rgb(sum.map(|total| (total / 64) as u8))
        }))
    }

    /// Text lines: `dense` of the area inked.
    fn page(ink: [u8; 3], paper: [u8; 3], dense: u32) -> RgbImage {
        RgbImage::from_fn(800, 1104, |x, y| {
            if (y % 24) * 100 < 24 * dense && (x / 3) % 3 != 0 {
                Rgb(ink)
            } else {
                Rgb(paper)
            }
        })
    }

    #[test]
    fn a_small_copy_never_rules_out_a_page() {
        for (ink, paper, dense) in [
            ([20, 20, 20], [250, 250, 248], 30),
            ([10, 10, 90], [245, 240, 225], 40),
            ([140, 20, 20], [255, 255, 255], 20),
        ] {
            let page = page(ink, paper, dense);
            assert!(judge_image(&png(page.clone())).ocr, "{ink:?} on {paper:?}");
            let decision =
                judge_image_or_its_small_copy(&png(page.clone()), || Some(block_means(&page)));
            assert!(decision.ocr, "{ink:?} on {paper:?}: {}", decision.reason);
        }
    }

    #[test]
    fn a_small_copy_rules_out_a_photograph_before_a_blue_backdrop_or_in_the_dark() {
        let blue = RgbImage::from_fn(600, 800, |x, y| {
            if (200..400).contains(&x) && y > 200 {
                Rgb([150, 110, 90])
            } else {
                Rgb([40, 110, 200])
            }
        });
        let dark = RgbImage::from_fn(600, 800, |x, _| Rgb([(x % 60) as u8, 50, 55]));
        for photo in [blue, dark] {
            let decision =
                judge_image_or_its_small_copy(b"not decoded", || Some(block_means(&photo)));
            assert!(!decision.ocr);
            assert!(decision.reason.contains("thumbnail"), "{}", decision.reason);
            assert!(!judge_image(&png(photo)).ocr, "the full image agrees");
        }
    }

    #[test]
    fn a_grey_photograph_is_left_to_the_full_image() {
        let grey = RgbImage::from_fn(600, 800, |x, y| Rgb([(130 + (x + y) % 40) as u8; 3]));
        assert_eq!(rule_out_from_small_copy(&block_means(&grey)), None);
    }
}
