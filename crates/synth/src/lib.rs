//! The demo leak: a deterministic synthetic cache of county police files, modelled on the
//! May 2022 "Xinjiang Police Files" (Konasheher / Shufu county), in every format trove
//! reads, with a `ground-truth.json` saying what every file holds.
//!
//! Everything is invented: names are drawn from lists of common names, ID numbers are valid
//! but random, photos are drawn silhouettes, villages do not exist. The same options always
//! give the same bytes (a seeded ChaCha RNG, fixed timestamps, ordered collections).
//!
//! ```no_run
//! let truth = trove_synth::write_demo_leak(
//!     std::path::Path::new("/tmp/demo"),
//!     &trove_synth::default_options(),
//! )?;
//! assert_eq!(truth.persons.len(), 2000);
//! # Ok::<(), trove_synth::SynthError>(())
//! ```

mod anomalies;
mod archives;
mod broken;
mod bulk;
mod calendar;
mod documents;
mod docx;
mod error;
mod exif;
mod ground_truth;
mod hostile;
mod leak;
mod lists;
mod mail;
mod pdf;
mod people;
mod photos;
mod pptx;
mod relatives;
mod resident_id;
mod scans;
mod spreadsheets;
mod vocabulary;
mod xpf;
mod zipcrypto;
mod zipfile;

use std::collections::BTreeMap;
use std::path::Path;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use anomalies::AnomalyTruth;
pub use bulk::write_register_workbooks;
pub use error::SynthError;
pub use ground_truth::{
    ExifTruth, Figures, FileTruth, GroundTruth, Outcome, PersonTruth, RelativeKind, RelativeTruth,
    RowKind, RowTruth, SearchTruth, TownshipRate,
};
pub use hostile::{HostileFile, HostileScale, OUTSIDE_MARKER, write_hostile_leak};
pub use photos::jpeg_with_exif;
pub use scans::{ARABIC_FONT, CHINESE_FONT, ScanTruth, degrade, draw_page};
pub use xpf::XPF_PEOPLE;

use crate::leak::{Doc, Leak, io_error};
use crate::mail::{Email, eml};
use crate::people::{REFERENCE_DATE, Resident};

/// How big a demo leak to make, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// Residents of the county's villages (about one in eight adults is held).
    pub people: usize,
    /// Seed of the ChaCha RNG: the same seed and `people` always give the same bytes.
    pub seed: u64,
    /// Plant what the authenticity report must find (see `anomalies`); without them the
    /// leak is clean: no file planted, no ID number under a code retired before its birth.
    pub anomalies: bool,
    /// The demo's few files of each kind, or the proportions of the real leak.
    pub shape: Shape,
}

/// Which leak to make of the residents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// A few files of every format: what tests and the tour need.
    #[default]
    Demo,
    /// The demo plus what gives a leak the Xinjiang Police Files' proportions: weekly
    /// lists of the held, a county-wide export and 80 work bulletins (see `xpf`). With
    /// [`XPF_PEOPLE`] residents: about 5,100 photos, 450 spreadsheets of about 260,000 rows,
    /// 100 documents, 1.2 GB.
    Xpf,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            people: 2000,
            seed: 2022,
            anomalies: true,
            shape: Shape::Demo,
        }
    }
}

/// 2,000 people, seed 2022: the leak `trove demo` uses.
pub fn default_options() -> SynthOptions {
    SynthOptions::default()
}

/// [`XPF_PEOPLE`] residents in the XPF shape, seed 2022: the leak `trove bench ingest
/// --shape xpf` measures.
pub fn xpf_options() -> SynthOptions {
    SynthOptions {
        people: XPF_PEOPLE,
        shape: Shape::Xpf,
        ..SynthOptions::default()
    }
}

/// Mixed into the seed for the photo stream, so that drawing pictures never shifts people.
const PHOTO_STREAM: u64 = 0x5048_4f54_4f53;
/// Mixed into the seed for the relatives' list, for the same reason.
const RELATIVES_STREAM: u64 = 0x5245_4c41_5449;
/// Mixed into the seed for the XPF shape's bulletins, for the same reason.
const XPF_STREAM: u64 = 0x5850_4653_4850;

/// Writes `DIR/leak/…`, `DIR/relatives.csv` (a relatives' list of the missing, from outside
/// the leak) and `DIR/ground-truth.json`, and returns the ground truth.
///
/// Refuses to write into an existing `DIR/leak` that is not empty, so that stale files never
/// mix with a new leak.
pub fn write_demo_leak(dir: &Path, options: &SynthOptions) -> Result<GroundTruth, SynthError> {
    let root = dir.join("leak");
    if std::fs::read_dir(&root).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(SynthError::NotEmpty { path: root });
    }
    let vocabulary = vocabulary::vocabulary();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let residents = people::generate(&mut rng, vocabulary, options.people, options.anomalies);
    let mut leak = Leak::new(root);

    let lists = lists::write(&mut leak, vocabulary, &residents)?;
    let mut searches = lists.searches;
    searches.extend(documents::write(&mut leak)?);
    let mut photo_rng = ChaCha8Rng::seed_from_u64(options.seed ^ PHOTO_STREAM);
    let mugshots = photos::write(&mut leak, &mut photo_rng, &vocabulary.cameras, &residents)?;
    write_emails(&mut leak, &lists.detainee_list)?;
    let backup = write_archives(&mut leak, &lists.register, mugshots.first)?;
    broken::write(
        &mut leak,
        &documents::speech_zh()?,
        &backup,
        lists.register.1,
    )?;
    let scans = scans::write(&mut leak, &documents::speech_lines(), options.seed)?;
    if options.shape == Shape::Xpf {
        let mut xpf_rng = ChaCha8Rng::seed_from_u64(options.seed ^ XPF_STREAM);
        xpf::write(&mut leak, &mut xpf_rng, vocabulary, &residents)?;
    }
    let anomalies = if options.anomalies {
        let mut planted: Vec<AnomalyTruth> = anomalies::retired_region_codes(&residents)
            .into_iter()
            .collect();
        planted.extend(anomalies::write(&mut leak, options.seed)?);
        planted
    } else {
        Vec::new()
    };

    let mut truth = GroundTruth {
        seed: options.seed,
        people: options.people,
        shape: options.shape,
        files: leak.files,
        persons: residents
            .iter()
            .zip(mugshots.paths)
            .map(|(resident, photo)| resident.truth(photo))
            .collect(),
        rows: leak.rows,
        searches,
        figures: figures(&residents),
        relatives: Vec::new(),
        scans,
        anomalies,
    };
    let mut relatives_rng = ChaCha8Rng::seed_from_u64(options.seed ^ RELATIVES_STREAM);
    let (relatives_csv, relatives) = relatives::write(&mut relatives_rng, &residents);
    let relatives_path = dir.join("relatives.csv");
    std::fs::write(&relatives_path, relatives_csv)
        .map_err(|source| io_error(&relatives_path, source))?;
    truth.relatives = relatives;
    let json_path = dir.join("ground-truth.json");
    let json = serde_json::to_vec_pretty(&truth)
        .map_err(|e| SynthError::encode("ground-truth.json", e))?;
    std::fs::write(&json_path, json).map_err(|source| io_error(&json_path, source))?;
    Ok(truth)
}

/// Two emails between police stations and the bureau, each with an attachment.
fn write_emails(leak: &mut Leak, detainee_list: &(String, Doc)) -> Result<(), SynthError> {
    let list_name = file_name(&detainee_list.0);
    leak.place(
        "疏附县公安局/06-邮件/关于报送在押人员名单.eml",
        eml(Email {
            from: "派出所 <pcs01@sfx-police.example>",
            to: "县局综合办 <zhb@sfx-police.example>",
            date: "Fri, 09 Mar 2018 17:42:00 +0800",
            message_id: "20180309174200.1@sfx-police.example",
            subject: "关于报送在押人员名单",
            body: &[
                "综合办：",
                "按照通知要求，现报送本辖区在押人员名单，请查收。",
                "派出所",
            ],
            attachment_name: list_name,
            attachment: detainee_list.1.clone(),
        }),
    )?;
    leak.place(
        "疏附县公安局/06-邮件/转发：县维稳会议讲话稿.eml",
        eml(Email {
            from: "县局综合办 <zhb@sfx-police.example>",
            to: "各派出所 <pcs-all@sfx-police.example>",
            date: "Mon, 05 Mar 2018 10:12:00 +0800",
            message_id: "20180305101200.7@sfx-police.example",
            subject: "转发：县维稳会议讲话稿",
            body: &[
                "各派出所：",
                "转发县维稳工作会议讲话稿，请组织民警认真学习，不得外传。",
            ],
            attachment_name: "讲话稿.docx",
            attachment: documents::speech_zh()?,
        }),
    )
}

/// The archives of `07-压缩包`; returns the backup zip, whose bytes the corrupt copy reuses.
fn write_archives(
    leak: &mut Leak,
    register: &(String, Doc),
    photo: Option<(String, Doc)>,
) -> Result<Doc, SynthError> {
    const FOLDER: &str = "疏附县公安局/07-压缩包";
    let text =
        |s: &str| Doc::new(trove_model::FileKind::Text, s.as_bytes().to_vec()).with_texts([s]);

    let inner_path = format!("{FOLDER}/资料备份.zip!/内层/旧资料.zip");
    let inner = archives::zip_archive(
        &inner_path,
        vec![
            ("通知.txt".into(), documents::notice_gbk()),
            ("说明.txt".into(), text("旧资料，二〇一七年整理归档")),
        ],
    )?;
    let mut members = vec![
        (
            format!("讲话/{}", file_name(documents::SPEECH_ZH_PATH)),
            documents::speech_zh()?,
        ),
        (
            format!("名单/{}", file_name(&register.0)),
            register.1.clone(),
        ),
    ];
    members.extend(photo.map(|(name, doc)| (format!("照片/{name}"), doc)));
    members.push(("内层/旧资料.zip".into(), inner));
    let backup_path = format!("{FOLDER}/资料备份.zip");
    let backup = archives::zip_archive(&backup_path, members)?;
    leak.place(&backup_path, backup.clone())?;

    let seven_path = format!("{FOLDER}/培训材料.7z");
    let seven = archives::seven_zip(
        &seven_path,
        vec![
            (
                "培训课件/教育转化培训中心安全管理培训.pptx".into(),
                documents::slides()?,
            ),
            (
                "报告/monthly-report-training-centre.pdf".into(),
                documents::report_en()?,
            ),
            ("说明.txt".into(), text("培训材料，仅限内部使用")),
        ],
    )?;
    leak.place(&seven_path, seven)?;

    let tar_path = format!("{FOLDER}/导出数据.tar.gz");
    let tar = archives::tar_gz(
        &tar_path,
        vec![
            (
                format!("导出/{}", file_name(&register.0)),
                register.1.clone(),
            ),
            ("导出/通知.txt".into(), documents::notice_gbk()),
        ],
    )?;
    leak.place(&tar_path, tar)?;

    let locked = archives::zip_with_encrypted_member(
        (
            "公开说明.txt".into(),
            text("本压缩包内名单已加密，密码另行通知"),
        ),
        ("机密/密码本.txt".into(), text("内网账号与密码登记（机密）")),
        b"sfx2018",
    );
    leak.place(&format!("{FOLDER}/加密资料.zip"), locked)?;
    Ok(backup)
}

/// The last component of a `/`-separated path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Adults (18+ on the reference date) listed per township, and how many of them are held.
fn figures(residents: &[Resident]) -> Figures {
    let mut by_township: BTreeMap<String, TownshipRate> = BTreeMap::new();
    for resident in residents.iter().filter(|r| r.is_adult()) {
        let rate = by_township
            .entry(resident.township.to_owned())
            .or_insert(TownshipRate {
                listed: 0,
                detained: 0,
            });
        rate.listed += 1;
        rate.detained += u32::from(resident.detained());
    }
    Figures {
        reference_date: REFERENCE_DATE.to_string(),
        adults_listed: by_township.values().map(|r| r.listed).sum(),
        adults_detained: by_township.values().map(|r| r.detained).sum(),
        detention_rate_by_township: by_township,
    }
}
