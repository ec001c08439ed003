//! Mugshots: a small generated head-and-shoulders silhouette per detainee (never a face),
//! with EXIF naming the camera and the capture time.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder};
use rand::Rng;
use rand::seq::IndexedRandom;
use trove_model::FileKind;

use crate::error::SynthError;
use crate::exif::tiff_block;
use crate::ground_truth::ExifTruth;
use crate::leak::Doc;
use crate::people::Resident;
use crate::vocabulary::Camera;

const WIDTH: u32 = 120;
const HEIGHT: u32 = 160;

/// The mugshot of a held `resident`, or `None` for people not photographed.
pub(crate) fn mugshot(
    rng: &mut impl Rng,
    cameras: &[Camera],
    resident: &Resident,
    label: &str,
) -> Result<Option<Doc>, SynthError> {
    let Some(capture) = resident.capture else {
        return Ok(None);
    };
    let Some(camera) = cameras.choose(rng) else {
        return Ok(None);
    };
    let second = resident.capture_second;
    let exif = ExifTruth {
        make: camera.make.to_owned(),
        model: camera.model.to_owned(),
        body_serial: camera.body_serial.to_owned(),
        date_time_original: format!(
            "{:04}:{:02}:{:02} {:02}:{:02}:{:02}",
            capture.year,
            capture.month,
            capture.day,
            second / 3600,
            second / 60 % 60,
            second % 60
        ),
    };
    let bytes = silhouette_jpeg(&silhouette(rng), &exif, label)?;
    let mut doc = Doc::new(FileKind::Jpeg, bytes);
    doc.exif = Some(exif);
    Ok(Some(doc))
}

/// A JPEG of a plain grey silhouette whose EXIF says `exif`: for tests that plant
/// chosen camera facts (hostile ones too) in a photo. `label` names it in errors.
pub fn jpeg_with_exif(exif: &ExifTruth, label: &str) -> Result<Vec<u8>, SynthError> {
    let grey = vec![128; (WIDTH * HEIGHT * 3) as usize];
    silhouette_jpeg(&grey, exif, label)
}

fn silhouette_jpeg(pixels: &[u8], exif: &ExifTruth, label: &str) -> Result<Vec<u8>, SynthError> {
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 70);
    encoder
        .set_exif_metadata(tiff_block(exif))
        .map_err(|e| SynthError::encode(label, e))?;
    encoder
        .write_image(pixels, WIDTH, HEIGHT, ExtendedColorType::Rgb8)
        .map_err(|e| SynthError::encode(label, e))?;
    Ok(bytes)
}

/// RGB pixels: a plain backdrop, an oval head and rounded shoulders in a random shade.
fn silhouette(rng: &mut impl Rng) -> Vec<u8> {
    let backdrop = [
        rng.random_range(170..230),
        rng.random_range(180..235),
        rng.random_range(190..245),
    ];
    let shade: u8 = rng.random_range(30..110);
    let figure = [shade, shade.saturating_add(rng.random_range(0..20)), shade];
    let head_x = 60.0 + rng.random_range(-6.0..6.0);
    let head_y = 62.0 + rng.random_range(-5.0..5.0);
    let (head_rx, head_ry) = (rng.random_range(22.0..28.0), rng.random_range(28.0..34.0));
    let shoulders_y = 128.0 + rng.random_range(-4.0..4.0);
    let mut pixels = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let (fx, fy) = (f64::from(x), f64::from(y));
            let in_head =
                ((fx - head_x) / head_rx).powi(2) + ((fy - head_y) / head_ry).powi(2) <= 1.0;
            let in_shoulders = fy >= shoulders_y - 20.0
                && ((fx - 60.0) / 58.0).powi(2) + ((fy - shoulders_y - 20.0) / 40.0).powi(2) <= 1.0;
            let in_neck = (fx - head_x).abs() < 10.0 && fy > head_y && fy < shoulders_y;
            let color = if in_head || in_shoulders || in_neck {
                figure
            } else {
                backdrop
            };
            pixels.extend(color);
        }
    }
    pixels
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
        let path = format!("{FOLDER}/{}/{}.jpg", resident.township, resident.id_number);
        let Some(doc) = mugshot(rng, cameras, resident, &path)? else {
            paths.push(None);
            continue;
        };
        let copy = rng.random_bool(0.03).then(|| doc.clone());
        if first.is_none() {
            first = Some((format!("{}.jpg", resident.id_number), doc.clone()));
        }
        leak.place(&path, doc)?;
        if let Some(copy) = copy {
            leak.place(&format!("{FOLDER}/备份/{}.jpg", resident.id_number), copy)?;
        }
        paths.push(Some(path));
    }
    Ok(Mugshots { paths, first })
}
