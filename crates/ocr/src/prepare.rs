//! Cleaning a page before Tesseract reads it: speckle noise removed by a 3×3 median
//! where the page has much of it, and a page scanned a few degrees askew turned straight
//! (the angle found by projection profiles: straight text lines give the sharpest row
//! histogram). A clean, straight page is left as it is.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma};

/// Below this luma a pixel is ink.
const INK: u8 = 128;
/// Share of isolated ink or paper pixels above which a page is called noisy.
const NOISY: f64 = 0.002;
/// Skew angles tried, in degrees either way, and the step.
const MAX_SKEW: f32 = 5.0;
const SKEW_STEP: f32 = 0.2;
/// Skews smaller than this are left alone (Tesseract copes).
const MIN_SKEW: f32 = 0.4;
/// The skew is measured on a copy about this wide.
const MEASURE_WIDTH: u32 = 800;

/// The page cleaned, as PNG bytes; `None` when it needs nothing; an error when it cannot
/// be decoded within the limits.
pub(crate) fn prepare(bytes: &[u8]) -> image::ImageResult<Option<Vec<u8>>> {
    let mut page = crate::decode_bounded(bytes)?.to_luma8();
    let mut changed = false;
    if isolated_share(&page) > NOISY {
        page = median3(&page);
        changed = true;
    }
    let skew = skew_degrees(&page);
    if skew.abs() >= MIN_SKEW {
        page = rotate(&page, -skew.to_radians());
        changed = true;
    }
    if !changed {
        return Ok(None);
    }
    let mut png = Cursor::new(Vec::new());
    page.write_to(&mut png, ImageFormat::Png)?;
    Ok(Some(png.into_inner()))
}

fn ink(page: &GrayImage, x: u32, y: u32) -> bool {
    page.get_pixel(x, y).0[0] < INK
}

/// The share of pixels unlike all eight neighbours: specks, not strokes.
fn isolated_share(page: &GrayImage) -> f64 {
    let (width, height) = page.dimensions();
    if width < 3 || height < 3 {
        return 0.0;
    }
    let mut isolated = 0u64;
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let here = ink(page, x, y);
            let alone = (-1i32..=1).all(|dy| {
                (-1i32..=1).all(|dx| {
                    (dx == 0 && dy == 0)
                        || ink(page, (x as i32 + dx) as u32, (y as i32 + dy) as u32) != here
                })
            });
            isolated += u64::from(alone);
        }
    }
    isolated as f64 / (f64::from(width) * f64::from(height))
}

fn median3(page: &GrayImage) -> GrayImage {
    let (width, height) = page.dimensions();
    GrayImage::from_fn(width, height, |x, y| {
        let mut window = [0u8; 9];
        let mut n = 0;
        for dy in -1i32..=1 {
            for dx in -1i32..=1 {
                let sx = (x as i32 + dx).clamp(0, width as i32 - 1) as u32;
                let sy = (y as i32 + dy).clamp(0, height as i32 - 1) as u32;
                window[n] = page.get_pixel(sx, sy).0[0];
                n += 1;
            }
        }
        window.sort_unstable();
        Luma([window[4]])
    })
}

/// The angle (degrees, positive clockwise) text lines run at.
fn skew_degrees(page: &GrayImage) -> f32 {
    let (width, height) = page.dimensions();
    let step = (width / MEASURE_WIDTH).max(1);
    let points: Vec<(f32, f32)> = (0..height)
        .step_by(step as usize)
        .flat_map(|y| (0..width).step_by(step as usize).map(move |x| (x, y)))
        .filter(|&(x, y)| ink(page, x, y))
        .map(|(x, y)| (x as f32, y as f32))
        .collect();
    if points.len() < 100 {
        return 0.0;
    }
    let steps = (MAX_SKEW / SKEW_STEP) as i32;
    let score = |degrees: f32| {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let mut rows = vec![0u32; (height / step + 2) as usize * 2];
        for &(x, y) in &points {
            let turned = (-sin * x + cos * y) / step as f32 + rows.len() as f32 / 4.0;
            if let Some(row) = rows.get_mut(turned.max(0.0) as usize) {
                *row += 1;
            }
        }
        rows.iter()
            .map(|&n| u64::from(n) * u64::from(n))
            .sum::<u64>()
    };
    (-steps..=steps)
        .map(|i| i as f32 * SKEW_STEP)
        .max_by_key(|&degrees| score(degrees))
        .unwrap_or(0.0)
}

/// Turns a page about its centre by `radians` (positive: clockwise on screen), the
/// corners filled with paper white.
pub fn rotate(page: &GrayImage, radians: f32) -> GrayImage {
    let (width, height) = page.dimensions();
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let (sin, cos) = radians.sin_cos();
    GrayImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let (sx, sy) = (cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy);
        if sx >= 0.0 && sy >= 0.0 && (sx as u32) < width && (sy as u32) < height {
            *page.get_pixel(sx as u32, sy as u32)
        } else {
            Luma([255])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Horizontal bars like lines of text.
    fn lines() -> GrayImage {
        GrayImage::from_fn(1000, 600, |x, y| {
            let on_line = (y % 60) < 12 && (100..900).contains(&x) && (x / 7) % 3 != 0;
            Luma([if on_line { 10 } else { 250 }])
        })
    }

    #[test]
    fn a_turned_page_is_measured_and_a_straight_one_left_alone() {
        assert!(skew_degrees(&lines()).abs() < MIN_SKEW);
        let turned = rotate(&lines(), 2.0f32.to_radians());
        let measured = skew_degrees(&turned);
        assert!((measured.abs() - 2.0).abs() <= 0.4, "{measured}");
    }

    #[test]
    fn speckles_are_noticed_and_removed() {
        let mut noisy = lines();
        for i in 0..4000u32 {
            let (x, y) = ((i * 7919) % 1000, (i * 104_729) % 600);
            noisy.put_pixel(x, y, Luma([0]));
        }
        assert!(isolated_share(&noisy) > NOISY);
        assert!(isolated_share(&median3(&noisy)) < NOISY);
        assert!(isolated_share(&lines()) < NOISY);
    }
}
