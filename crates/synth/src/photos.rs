//! Mugshots as the bureau's cameras take them: portrait photos of 480×640 up to 1080×1440
//! pixels and 60–400 KB, with camera EXIF that embeds a thumbnail, named after the ID
//! number and the capture time. The picture is a drawn head-and-shoulders silhouette (never
//! a face) under sensor grain; the grain is what gives a JPEG of that size its bytes.

use rand::Rng;
use rand::seq::IndexedRandom;
use trove_model::FileKind;

use crate::error::SynthError;
use crate::exif::{tiff_block, tiff_block_with_thumbnail};
use crate::ground_truth::ExifTruth;
use crate::leak::Doc;
use crate::people::Resident;
use crate::vocabulary::Camera;

/// The cameras' portrait frames (width, height), from a webcam's to a compact camera's,
/// with the grain (± luminance levels) that puts each frame's JPEG at 60–400 KB: the small
/// sensors are the noisy ones.
const FRAMES: [((u32, u32), std::ops::RangeInclusive<u8>); 5] = [
    ((480, 640), 18..=26),
    ((600, 800), 15..=21),
    ((768, 1024), 11..=15),
    ((960, 1280), 9..=12),
    ((1080, 1440), 7..=10),
];

/// The thumbnail cameras embed in IFD1, and the frame every pose is drawn in.
const THUMBNAIL: (u32, u32) = (120, 160);

const QUALITY: u8 = 88;
const THUMBNAIL_QUALITY: u8 = 75;

/// The mugshot of a held `resident`, or `None` for people not photographed.
pub(crate) fn mugshot(
    rng: &mut impl Rng,
    cameras: &[Camera],
    resident: &Resident,
    label: &str,
) -> Result<Option<Doc>, SynthError> {
    let Some([year, month, day, hour, minute, second]) = capture_time(resident) else {
        return Ok(None);
    };
    let Some(camera) = cameras.choose(rng) else {
        return Ok(None);
    };
    let exif = ExifTruth {
        make: camera.make.to_owned(),
        model: camera.model.to_owned(),
        body_serial: camera.body_serial.to_owned(),
        date_time_original: format!(
            "{year:04}:{month:02}:{day:02} {hour:02}:{minute:02}:{second:02}"
        ),
    };
    let pose = Pose::random(rng);
    let ((width, height), grains) = FRAMES.choose(rng).cloned().unwrap_or(FRAMES[0].clone());
    let grain = Grain {
        amplitude: rng.random_range(grains),
        seed: rng.random(),
    };
    let thumbnail = encode(
        &pose.draw(THUMBNAIL.0, THUMBNAIL.1, &Grain::NONE),
        THUMBNAIL,
        THUMBNAIL_QUALITY,
        None,
        label,
    )?;
    let tiff = tiff_block_with_thumbnail(&exif, &thumbnail);
    let bytes = encode(
        &pose.draw(width, height, &grain),
        (width, height),
        QUALITY,
        Some(tiff),
        label,
    )?;
    let mut doc = Doc::new(FileKind::Jpeg, bytes);
    doc.exif = Some(exif);
    Ok(Some(doc))
}

/// The file name a camera station gives a mugshot: the ID number, then the capture time.
fn file_name(resident: &Resident) -> Option<String> {
    let [year, month, day, hour, minute, second] = capture_time(resident)?;
    Some(format!(
        "{}_{year:04}{month:02}{day:02}_{hour:02}{minute:02}{second:02}.jpg",
        resident.id_number
    ))
}

/// When the resident's mugshot was taken: year, month, day, hour, minute, second.
fn capture_time(resident: &Resident) -> Option<[u32; 6]> {
    let capture = resident.capture?;
    let second = resident.capture_second;
    Some([
        u32::try_from(capture.year).ok()?,
        capture.month,
        capture.day,
        second / 3600,
        second / 60 % 60,
        second % 60,
    ])
}

/// A JPEG of a plain grey silhouette-sized picture whose EXIF says `exif`: for tests that
/// plant chosen camera facts (hostile ones too) in a photo. `label` names it in errors.
pub fn jpeg_with_exif(exif: &ExifTruth, label: &str) -> Result<Vec<u8>, SynthError> {
    let (width, height) = THUMBNAIL;
    let grey = vec![128; (width * height * 3) as usize];
    encode(&grey, THUMBNAIL, 70, Some(tiff_block(exif)), label)
}

/// RGB `pixels` of `size` as a baseline JPEG, with `exif` (TIFF bytes) in APP1.
fn encode(
    pixels: &[u8],
    (width, height): (u32, u32),
    quality: u8,
    exif: Option<Vec<u8>>,
    label: &str,
) -> Result<Vec<u8>, SynthError> {
    let as_u16 = |n: u32| u16::try_from(n).map_err(|e| SynthError::encode(label, e));
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, quality);
    if let Some(exif) = exif {
        encoder
            .add_exif_metadata(&exif)
            .map_err(|e| SynthError::encode(label, e))?;
    }
    encoder
        .encode(
            pixels,
            as_u16(width)?,
            as_u16(height)?,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|e| SynthError::encode(label, e))?;
    Ok(bytes)
}

/// Sensor grain: ± `amplitude` luminance levels per pixel, from `seed`.
struct Grain {
    amplitude: u8,
    seed: u64,
}

impl Grain {
    const NONE: Grain = Grain {
        amplitude: 0,
        seed: 0,
    };
}

/// Where the figure stands, in the 120 × 160 units of [`THUMBNAIL`], and its colours.
struct Pose {
    backdrop: [u8; 3],
    skin: [u8; 3],
    clothes: [u8; 3],
    head: (f64, f64),
    head_radii: (f64, f64),
    shoulders_y: f64,
}

impl Pose {
    /// A figure before the blue backdrop of an ID photo or a grey station wall: mid-tones
    /// and colour, as camera photos have (a dark cut-out on white would read as a page of
    /// text to OCR's triage, which no real mugshot does).
    fn random(rng: &mut impl Rng) -> Pose {
        let backdrop = if rng.random_bool(0.5) {
            [
                rng.random_range(50..100),
                rng.random_range(130..170),
                rng.random_range(200..240),
            ]
        } else {
            let grey: u8 = rng.random_range(140..180);
            [grey, grey, grey.saturating_add(rng.random_range(0..10))]
        };
        let skin: u8 = rng.random_range(140..200);
        let clothes: u8 = rng.random_range(30..110);
        Pose {
            backdrop,
            skin: [skin, skin.saturating_sub(40), skin.saturating_sub(65)],
            clothes: [
                clothes,
                clothes.saturating_add(rng.random_range(0..20)),
                clothes,
            ],
            head: (
                60.0 + rng.random_range(-6.0..6.0),
                62.0 + rng.random_range(-5.0..5.0),
            ),
            head_radii: (rng.random_range(22.0..28.0), rng.random_range(28.0..34.0)),
            shoulders_y: 128.0 + rng.random_range(-4.0..4.0),
        }
    }

    /// RGB pixels of the pose drawn `width` × `height`: a backdrop lit from above, an oval
    /// head, a neck and rounded shoulders, all under `grain`.
    fn draw(&self, width: u32, height: u32, grain: &Grain) -> Vec<u8> {
        let (unit_w, unit_h) = (f64::from(THUMBNAIL.0), f64::from(THUMBNAIL.1));
        let mut noise = XorShift(grain.seed | 1);
        let spread = u64::from(grain.amplitude) * 2 + 1;
        let mut pixels = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            let fy = (f64::from(y) + 0.5) * unit_h / f64::from(height);
            let spans = self.spans(fy);
            let shadow = (fy / unit_h * 30.0) as u8;
            let backdrop = self.backdrop.map(|c| c.saturating_sub(shadow));
            let colors = [self.skin, self.skin, self.clothes];
            for x in 0..width {
                let fx = (f64::from(x) + 0.5) * unit_w / f64::from(width);
                let color = spans
                    .iter()
                    .zip(colors)
                    .find(|(span, _)| span.is_some_and(|(lo, hi)| lo <= fx && fx <= hi))
                    .map_or(backdrop, |(_, color)| color);
                let grain = if grain.amplitude == 0 {
                    0
                } else {
                    (noise.next() % spread) as i16 - i16::from(grain.amplitude)
                };
                pixels.extend(color.map(|c| (i16::from(c) + grain).clamp(0, 255) as u8));
            }
        }
        pixels
    }

    /// The figure's horizontal spans (unit x from, to) on the row at unit height `fy`:
    /// head, neck and shoulders.
    fn spans(&self, fy: f64) -> [Option<(f64, f64)>; 3] {
        let (head_x, head_y) = self.head;
        let (head_rx, head_ry) = self.head_radii;
        let half_width = |centre: f64, rx: f64, dy: f64| {
            (dy.abs() <= 1.0).then(|| {
                let dx = rx * (1.0 - dy * dy).sqrt();
                (centre - dx, centre + dx)
            })
        };
        let head = half_width(head_x, head_rx, (fy - head_y) / head_ry);
        let neck = (fy > head_y && fy < self.shoulders_y).then_some((head_x - 10.0, head_x + 10.0));
        let shoulders = (fy >= self.shoulders_y - 20.0)
            .then(|| half_width(60.0, 58.0, (fy - self.shoulders_y - 20.0) / 40.0))
            .flatten();
        [head, neck, shoulders]
    }
}

/// xorshift64: grain needs speed and repeatability, not quality.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Folder of the mugshots, one subfolder per township.
const FOLDER: &str = "疏附县公安局/04-照片";

/// The mugshots written.
pub(crate) struct Mugshots {
    /// Each resident's photo path (`None` if none), in the order of the residents.
    pub paths: Vec<Option<String>>,
    /// The first mugshot (file name, doc), for reuse in archives.
    pub first: Option<(String, Doc)>,
}

/// Writes a mugshot for every photographed resident, and byte-identical copies of about 3%
/// of them into `04-照片/备份/`.
pub(crate) fn write(
    leak: &mut crate::leak::Leak,
    rng: &mut impl Rng,
    cameras: &[Camera],
    residents: &[Resident],
) -> Result<Mugshots, SynthError> {
    let mut paths = Vec::with_capacity(residents.len());
    let mut first = None;
    for resident in residents {
        let Some(name) = file_name(resident) else {
            paths.push(None);
            continue;
        };
        let path = format!("{FOLDER}/{}/{name}", resident.township);
        let Some(doc) = mugshot(rng, cameras, resident, &path)? else {
            paths.push(None);
            continue;
        };
        let copy = rng.random_bool(0.03).then(|| doc.clone());
        if first.is_none() {
            first = Some((name.clone(), doc.clone()));
        }
        leak.place(&path, doc)?;
        if let Some(copy) = copy {
            leak.place(&format!("{FOLDER}/备份/{name}"), copy)?;
        }
        paths.push(Some(path));
    }
    Ok(Mugshots { paths, first })
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn every_frame_weighs_what_a_camera_photo_weighs() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for ((width, height), grains) in FRAMES {
            for amplitude in [*grains.start(), *grains.end()] {
                let pose = Pose::random(&mut rng);
                let grain = Grain { amplitude, seed: 9 };
                let pixels = pose.draw(width, height, &grain);
                let jpeg = encode(&pixels, (width, height), QUALITY, None, "test").unwrap();
                let kb = jpeg.len() / 1024;
                eprintln!("{width}x{height} grain {amplitude}: {kb} KB");
                assert!(
                    (60..=400).contains(&kb),
                    "{width}x{height} grain {amplitude}: {kb} KB"
                );
            }
        }
    }

    #[test]
    fn ocr_triage_takes_every_frame_for_a_photograph() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..12 {
            let pose = Pose::random(&mut rng);
            let ((width, height), _) = FRAMES.choose(&mut rng).cloned().unwrap();
            let grain = Grain {
                amplitude: 12,
                seed: 3,
            };
            let jpeg = encode(
                &pose.draw(width, height, &grain),
                (width, height),
                QUALITY,
                None,
                "t",
            )
            .unwrap();
            let decision = trove_ocr::judge_image(&jpeg);
            assert!(!decision.ocr, "{width}x{height}: {}", decision.reason);
        }
    }
}
