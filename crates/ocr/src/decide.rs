//! Which images are worth OCR: pages of text are mostly paper-white with dark strokes and
//! little colour or mid-tone; photographs of people or places are not. Judged from pixel
//! statistics of a small copy of the image; nothing here looks for faces or people.

use image::GenericImageView;

/// Images smaller than this on their shorter side hold no readable page.
const MIN_SIDE: u32 = 300;
/// About this many pixels are looked at, spread evenly over the full-size image (a
/// shrunk copy would blur thin strokes into mid-tones).
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
    let image = match crate::decode_bounded(bytes) {
        Ok(image) => image,
        Err(error) => {
            return Decision {
                ocr: false,
                reason: format!("the image cannot be decoded ({error})"),
            };
        }
    };
    let (width, height) = image.dimensions();
    if width.min(height) < MIN_SIDE {
        return Decision {
            ocr: false,
            reason: format!("{width}×{height} px is too small to hold a page"),
        };
    }
    let stride = ((u64::from(width) * u64::from(height) / SAMPLE_PIXELS) as f64)
        .sqrt()
        .max(1.0) as u32;
    let (mut light, mut dark, mut mid, mut colour) = (0u32, 0u32, 0u32, 0f64);
    let mut total = 0f64;
    let pixels = (0..height)
        .step_by(stride as usize)
        .flat_map(|y| (0..width).step_by(stride as usize).map(move |x| (x, y)));
    for (x, y) in pixels {
        total += 1.0;
        // Transparent parts are seen on white paper, as a viewer shows them.
        let [r, g, b, a] = image.get_pixel(x, y).0;
        let over_white =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        let (r, g, b) = (over_white(r), over_white(g), over_white(b));
        let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
        match luma {
            l if l >= 190.0 => light += 1,
            l if l <= 110.0 => dark += 1,
            _ => mid += 1,
        }
        colour += f64::from(r.max(g).max(b) - r.min(g).min(b)) / 255.0;
    }
    let total = total.max(1.0);
    let (light, dark, mid, colour) = (
        f64::from(light) / total,
        f64::from(dark) / total,
        f64::from(mid) / total,
        colour / total,
    );
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
    fn small_images_and_garbage_are_not() {
        assert!(!judge_image(&png(RgbImage::new(100, 100))).ocr);
        assert!(!judge_image(b"not an image").ocr);
    }
}
