//! What the authenticity report must find, planted in `疏附县公安局/08-核查材料`: a camera
//! whose clock jumps a year and back, a photo whose file-name time disagrees with its EXIF,
//! a photo taken before the birth of the person whose number it carries, one picture
//! (re-encoded and cropped) under two ID numbers, a list row whose sex contradicts its ID
//! number, a document whose metadata says 2031, a Traditional-Chinese (Big5) notice. Each
//! is listed in the ground truth.
//!
//! The planted photos are pictures of their own (smooth random patterns), unlike the
//! mugshots, so that the perceptual hash can tell them apart; their ID numbers belong to
//! no resident, so that no person of the registers gains a photo.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder, RgbImage};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use trove_model::FileKind;

use crate::SynthError;
use crate::calendar::Date;
use crate::exif::tiff_block;
use crate::ground_truth::ExifTruth;
use crate::leak::{Doc, Leak};
use crate::people::Resident;
use crate::resident_id::id_number;

const FOLDER: &str = "疏附县公安局/08-核查材料";
/// Mixed into the seed, so that planting never shifts anything else.
const STREAM: u64 = 0x414e_4f4d_414c;
const WIDTH: u32 = 240;
const HEIGHT: u32 = 320;

/// One planted anomaly: the report's finding code and the file that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnomalyTruth {
    /// The finding code `trove authenticity` gives it.
    pub code: String,
    /// A file of the leak the finding's evidence names; `None` for findings on rows
    /// spread over the registers.
    pub path: Option<String>,
    /// What was planted, in words.
    pub note: String,
}

/// The anomaly the registers carry themselves (see `data/region_codes.tsv`), when some
/// resident has it: a number under Tekes's code of 1984–2001, its holder born after 2001.
pub(crate) fn retired_region_codes(residents: &[Resident]) -> Option<AnomalyTruth> {
    let count = residents
        .iter()
        .filter(|r| r.id_number.starts_with("654127") && r.birth.year > 2001)
        .count();
    (count > 0).then(|| AnomalyTruth {
        code: "id_region_retired_before_birth".to_owned(),
        path: None,
        note: format!(
            "{count} ID numbers under 654127 (Tekes until 2001) of people born after 2001"
        ),
    })
}

/// Writes the planted files and returns what they plant.
pub(crate) fn write(leak: &mut Leak, seed: u64) -> Result<Vec<AnomalyTruth>, SynthError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM);
    let mut planted = Vec::new();
    let mut plant = |code: &str, path: String, note: &str| {
        planted.push(AnomalyTruth {
            code: code.to_owned(),
            path: Some(path),
            note: note.to_owned(),
        });
    };

    // A camera whose clock jumps a year forward between two consecutive files, and back.
    let times = [
        "2018:05:01 10:00:00",
        "2018:05:01 10:05:00",
        "2019:05:01 10:07:00",
        "2018:05:01 10:09:00",
    ];
    for (n, time) in times.iter().enumerate() {
        let path = format!("{FOLDER}/相机/IMG_{:04}.JPG", 101 + n);
        leak.place(&path, photo(&mut rng, &camera(time), &path)?)?;
        if n == 2 {
            plant(
                "camera_clock_jump",
                path,
                "the clock jumps a year forward, then back",
            );
        }
    }

    // A file name that says one time and an EXIF that says another, three days later.
    let named = id_number("653121", Date::new(1987, 4, 9), 412);
    let path = format!("{FOLDER}/照片/{named}_20180412103000.jpg");
    leak.place(
        &path,
        photo(&mut rng, &camera("2018:04:15 14:00:00"), &path)?,
    )?;
    plant(
        "photo_name_time_disagrees",
        path,
        "named 2018-04-12 10:30, taken 2018-04-15 14:00",
    );

    // A photo taken in 2000 of someone born in 2001.
    let unborn = id_number("653121", Date::new(2001, 5, 5), 236);
    let path = format!("{FOLDER}/照片/{unborn}.jpg");
    leak.place(
        &path,
        photo(&mut rng, &camera("2000:01:01 09:00:00"), &path)?,
    )?;
    plant(
        "photo_before_birth",
        path,
        "taken 2000-01-01, the number's holder born 2001-05-05",
    );

    // One picture under two ID numbers: saved again at another quality, a few pixels cropped.
    let pattern = pattern(&mut rng);
    let first = id_number("653121", Date::new(1979, 11, 2), 58);
    let second = id_number("653121", Date::new(1983, 6, 17), 77);
    let exif = camera("2018:06:02 11:20:00");
    let path = format!("{FOLDER}/照片/{first}.jpg");
    leak.place(&path, encode(&pattern, &exif, &path, 92)?)?;
    let cropped = image::imageops::crop_imm(&pattern, 3, 4, WIDTH - 6, HEIGHT - 8).to_image();
    let path = format!("{FOLDER}/照片/{second}.jpg");
    leak.place(&path, encode(&cropped, &exif, &path, 70)?)?;
    plant(
        "same_photo_two_ids",
        path,
        "one picture, re-encoded and cropped, under two numbers",
    );

    // A document whose metadata says it was written in 2031.
    let path = format!("{FOLDER}/情况说明.docx");
    let lines = ["情况说明", "关于核查工作的情况说明。"];
    leak.place(
        &path,
        crate::docx::docx(&path, "疏附县公安局", "2031-05-01T08:00:00Z", &lines)?,
    )?;
    plant(
        "document_date_outside_leak",
        path,
        "created 2031-05-01 by its metadata",
    );

    // A notice in Traditional Chinese, in Big5, among mainland files.
    let text = "關於加強社會穩定工作的通報\n各單位：現將有關事項通報如下，請遵照執行。\n";
    let bytes = encoding_rs::BIG5.encode(text).0.into_owned();
    let path = format!("{FOLDER}/通報.txt");
    leak.place(
        &path,
        Doc::new(FileKind::Text, bytes).with_texts(["關於加強社會穩定工作的通報"]),
    )?;
    plant(
        "document_traditional_encoding",
        path,
        "Traditional Chinese in Big5",
    );

    // A list whose row says 男 of a number whose sex digit (even) says female.
    let number = id_number("653121", Date::new(1992, 8, 14), 246);
    let list = format!("序号,姓名,性别,公民身份号码\n1,阿不都热依木·吐尔逊,男,{number}\n");
    let path = format!("{FOLDER}/核查名单.csv");
    leak.place(
        &path,
        Doc::new(FileKind::Csv, list.into_bytes()).with_texts([number.as_str()]),
    )?;
    // Its evidence is the row (by the file's hash), not a path.
    planted.push(AnomalyTruth {
        code: "sex_mismatch".to_owned(),
        path: None,
        note: format!("{path}, row 2: the row says 男, the number's sex digit says female"),
    });

    Ok(planted)
}

/// A camera that appears nowhere else in the leak, with `time` as DateTimeOriginal.
fn camera(time: &str) -> ExifTruth {
    ExifTruth {
        make: "Panasonic".to_owned(),
        model: "DMC-ZS70".to_owned(),
        body_serial: "WF7KA001234".to_owned(),
        date_time_original: time.to_owned(),
    }
}

fn photo(rng: &mut impl Rng, exif: &ExifTruth, label: &str) -> Result<Doc, SynthError> {
    encode(&pattern(rng), exif, label, 85)
}

/// A smooth random picture: three waves of random direction and colour over a grey field,
/// large-scale enough that a perceptual hash tells any two apart and a crop keeps it.
fn pattern(rng: &mut impl Rng) -> RgbImage {
    let waves: Vec<(f64, f64, f64, [f64; 3])> = (0..3)
        .map(|_| {
            (
                rng.random_range(0.005..0.03),
                rng.random_range(0.005..0.03),
                rng.random_range(0.0..std::f64::consts::TAU),
                [
                    rng.random_range(-60.0..60.0),
                    rng.random_range(-60.0..60.0),
                    rng.random_range(-60.0..60.0),
                ],
            )
        })
        .collect();
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let mut rgb = [128.0f64; 3];
        for (fx, fy, phase, amplitude) in &waves {
            let wave = (f64::from(x) * fx + f64::from(y) * fy) * std::f64::consts::TAU + phase;
            for (channel, a) in rgb.iter_mut().zip(amplitude) {
                *channel += a * wave.sin();
            }
        }
        image::Rgb(rgb.map(|c| c.clamp(0.0, 255.0) as u8))
    })
}

fn encode(
    picture: &RgbImage,
    exif: &ExifTruth,
    label: &str,
    quality: u8,
) -> Result<Doc, SynthError> {
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, quality);
    encoder
        .set_exif_metadata(tiff_block(exif))
        .map_err(|e| SynthError::encode(label, e))?;
    encoder
        .write_image(
            picture.as_raw(),
            picture.width(),
            picture.height(),
            ExtendedColorType::Rgb8,
        )
        .map_err(|e| SynthError::encode(label, e))?;
    let mut doc = Doc::new(FileKind::Jpeg, bytes);
    doc.exif = Some(exif.clone());
    Ok(doc)
}
