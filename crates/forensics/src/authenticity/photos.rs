//! Photos and cameras: an inventory of the cameras the EXIF names, and their clocks
//! against the calendar, against the time in the file name, against each other's order,
//! and against the birth of the person a photo is filed under.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use trove_model::Record;
use trove_records::resident_id::decode;

use super::time::{exif_time, time_in_name};
use super::words::count;
use super::{
    CameraTimeline, DateWindow, Evidence, Finding, ImageFact, Section, Strength, Value, Words,
};

/// A file name's time and the EXIF time farther apart than this disagree (cameras write
/// both from one clock; renaming tools copy one into the other).
const NAME_TOLERANCE_MINUTES: i64 = 10;
/// Consecutive photos of one camera (in file-name order) whose clocks go back by more
/// than this, or forward by more than [`JUMP_FORWARD_DAYS`], show a reset or a jump.
const JUMP_BACK_HOURS: i64 = 24;
const JUMP_FORWARD_DAYS: i64 = 180;
/// Programs whose name in EXIF Software says the photo was edited after it was taken.
const EDITORS: &[&str] = &[
    "photoshop",
    "gimp",
    "lightroom",
    "snapseed",
    "美图",
    "picsart",
];

/// A camera as EXIF names it.
type Camera = (String, String, String);

/// A photo taken this many days or more before the first detention its person's records
/// give is outside those records (intake photos are taken at or after it).
const BEFORE_DETENTION_DAYS: i64 = 30;

pub(super) fn findings(
    images: &[ImageFact],
    records: &[Record],
    window: &DateWindow,
) -> Vec<Finding> {
    let mut findings = inventory(images);
    let detained = first_detentions(records);
    for image in images {
        findings.extend(before_detention(image, &detained));
        findings.extend(clock_against_calendar(image, window));
        findings.extend(clock_against_name(image));
        findings.extend(digitized_apart(image));
        findings.extend(before_birth(image));
        findings.extend(edited(image));
    }
    findings.extend(clock_jumps(images));
    findings
}

fn camera_of(image: &ImageFact) -> Option<Camera> {
    let exif = &image.facts.exif;
    let part = |s: &Option<String>| s.as_deref().unwrap_or("").trim().to_owned();
    let camera = (part(&exif.make), part(&exif.model), part(&exif.body_serial));
    (camera != Default::default()).then_some(camera)
}

fn describe_camera(camera: &Camera) -> String {
    camera_words(camera).english_or_text()
}

/// The camera as the inventory names it: maker and model, with its body serial.
fn camera_words((make, model, serial): &Camera) -> Value {
    // Models often repeat the maker (`Canon` `Canon EOS 80D`, `NIKON CORPORATION` `NIKON D3400`).
    let maker_word = make.split_whitespace().next().unwrap_or("").to_lowercase();
    let repeats = !maker_word.is_empty() && model.to_lowercase().starts_with(&maker_word);
    let name = if repeats {
        model.clone()
    } else {
        format!("{make} {model}").trim().to_owned()
    };
    if serial.is_empty() {
        Value::Text(name)
    } else {
        Words::new("authenticity.finding.camera_serial")
            .arg("camera", name)
            .arg("serial", serial)
            .into()
    }
}

/// One fact per camera: how many photos, first and last shot.
fn inventory(images: &[ImageFact]) -> Vec<Finding> {
    by_camera(images)
        .into_iter()
        .map(|(camera, shots)| {
            let times: Vec<NaiveDateTime> = shots.iter().filter_map(|i| shot_at(i)).collect();
            let words = match (times.iter().min(), times.iter().max()) {
                (Some(first), Some(last)) => Words::new("authenticity.finding.camera")
                    .arg("first", first)
                    .arg("last", last),
                _ => Words::new("authenticity.finding.camera_undated"),
            };
            let lenses: std::collections::BTreeSet<&str> = shots
                .iter()
                .filter_map(|i| i.facts.exif.lens.as_deref())
                .collect();
            let lenses = if lenses.is_empty() {
                Value::Text(String::new())
            } else {
                Words::new("authenticity.finding.lenses")
                    .arg("lenses", lenses.into_iter().collect::<Vec<_>>().join(", "))
                    .into()
            };
            Finding::new(
                Section::Photos,
                "camera",
                Strength::Fact,
                words
                    .value("camera", camera_words(&camera))
                    .value(
                        "photos",
                        count(
                            shots.len(),
                            "authenticity.count.photo",
                            "authenticity.count.photos",
                        ),
                    )
                    .value("lenses", lenses),
            )
        })
        .collect()
}

/// Each camera's photos per day.
pub(super) fn timelines(images: &[ImageFact]) -> Vec<CameraTimeline> {
    by_camera(images)
        .into_iter()
        .map(|(camera, shots)| {
            let mut days: BTreeMap<NaiveDate, u32> = BTreeMap::new();
            for at in shots.iter().filter_map(|image| shot_at(image)) {
                *days.entry(at.date()).or_default() += 1;
            }
            CameraTimeline {
                camera: describe_camera(&camera),
                days: days.into_iter().collect(),
            }
        })
        .filter(|timeline| !timeline.days.is_empty())
        .collect()
}

/// The images whose EXIF names a camera, by camera.
fn by_camera(images: &[ImageFact]) -> BTreeMap<Camera, Vec<&ImageFact>> {
    let mut cameras: BTreeMap<Camera, Vec<&ImageFact>> = BTreeMap::new();
    for image in images {
        if let Some(camera) = camera_of(image) {
            cameras.entry(camera).or_default().push(image);
        }
    }
    cameras
}

fn shot_at(image: &ImageFact) -> Option<NaiveDateTime> {
    image
        .facts
        .exif
        .date_time_original
        .as_deref()
        .and_then(exif_time)
}

fn name_of(image: &ImageFact) -> &str {
    let path = image.paths.first().map(String::as_str).unwrap_or("");
    path.rsplit(['/', '!']).next().unwrap_or(path)
}

fn clock_against_calendar(image: &ImageFact, window: &DateWindow) -> Option<Finding> {
    let at = shot_at(image)?;
    let (strength, why) = window.judge(at.date())?;
    Some(
        Finding::new(
            Section::Photos,
            "photo_date_outside_leak",
            strength,
            Words::new("authenticity.finding.photo_date_outside_leak")
                .arg("name", name_of(image))
                .arg("at", at)
                .value("why", why),
        )
        .with([Evidence::document(&image.blob, &image.paths)]),
    )
}

fn clock_against_name(image: &ImageFact) -> Option<Finding> {
    let at = shot_at(image)?;
    let named = time_in_name(name_of(image))?;
    let apart = (at - named).num_minutes().abs();
    (apart > NAME_TOLERANCE_MINUTES).then(|| {
        Finding::new(
            Section::Photos,
            "photo_name_time_disagrees",
            Strength::Anomaly,
            Words::new("authenticity.finding.photo_name_time_disagrees")
                .arg("name", name_of(image))
                .arg("named", named)
                .arg("at", at)
                .value("apart", human_span(apart)),
        )
        .with([Evidence::document(&image.blob, &image.paths)])
    })
}

fn human_span(minutes: i64) -> Words {
    match minutes {
        m if m < 120 => Words::new("authenticity.count.minutes").arg("n", m),
        m if m < 48 * 60 => Words::new("authenticity.count.hours").arg("n", m / 60),
        m => Words::new("authenticity.count.days").arg("n", m / (24 * 60)),
    }
}

/// DateTimeOriginal and DateTimeDigitized more than a minute apart: a camera writes both
/// at the moment of the shot; a scan of a print, or an editor, writes another.
fn digitized_apart(image: &ImageFact) -> Option<Finding> {
    let taken = shot_at(image)?;
    let digitized = exif_time(image.facts.exif.date_time_digitized.as_deref()?)?;
    let apart = (digitized - taken).num_minutes().abs();
    (apart > 1).then(|| {
        Finding::new(
            Section::Photos,
            "photo_digitized_apart",
            Strength::Anomaly,
            Words::new("authenticity.finding.photo_digitized_apart")
                .arg("name", name_of(image))
                .arg("taken", taken)
                .arg("digitized", digitized)
                .value("apart", human_span(apart)),
        )
        .with([Evidence::document(&image.blob, &image.paths)])
    })
}

/// The earliest detention date the records give for each valid ID number.
fn first_detentions(records: &[Record]) -> HashMap<&str, NaiveDate> {
    let mut first: HashMap<&str, NaiveDate> = HashMap::new();
    for record in records.iter().filter(|r| r.fields.id_valid) {
        if let (Some(number), Some(since)) = (
            record.fields.id_number.as_deref(),
            record.fields.detained_since,
        ) {
            first
                .entry(number)
                .and_modify(|d| *d = (*d).min(since))
                .or_insert(since);
        }
    }
    first
}

/// A photo of a held person taken well before their first detention in the records.
fn before_detention(image: &ImageFact, detained: &HashMap<&str, NaiveDate>) -> Option<Finding> {
    let at = shot_at(image)?.date();
    let (number, since) = image.id_numbers.iter().find_map(|number| {
        let since = *detained.get(number.as_str())?;
        ((since - at).num_days() >= BEFORE_DETENTION_DAYS).then_some((number, since))
    })?;
    Some(
        Finding::new(
            Section::Photos,
            "photo_before_detention",
            Strength::Anomaly,
            Words::new("authenticity.finding.photo_before_detention")
                .arg("name", name_of(image))
                .arg("number", number)
                .arg("since", since)
                .arg("days", (since - at).num_days())
                .arg("at", at),
        )
        .with([Evidence::document(&image.blob, &image.paths)]),
    )
}

/// A photo filed under an ID number but taken before that person was born.
fn before_birth(image: &ImageFact) -> Option<Finding> {
    let at = shot_at(image)?;
    let (number, birth) = image.id_numbers.iter().find_map(|number| {
        let birth = decode(number).birth_date?;
        (at.date() < birth).then_some((number, birth))
    })?;
    Some(
        Finding::new(
            Section::Photos,
            "photo_before_birth",
            Strength::Strong,
            Words::new("authenticity.finding.photo_before_birth")
                .arg("name", name_of(image))
                .arg("number", number)
                .arg("birth", birth)
                .arg("at", at),
        )
        .with([Evidence::document(&image.blob, &image.paths)]),
    )
}

fn edited(image: &ImageFact) -> Option<Finding> {
    let software = image.facts.exif.software.as_deref()?;
    let lower = software.to_lowercase();
    EDITORS.iter().any(|e| lower.contains(e)).then(|| {
        Finding::new(
            Section::Photos,
            "photo_edited",
            Strength::Anomaly,
            Words::new("authenticity.finding.photo_edited")
                .arg("name", name_of(image))
                .arg("software", software),
        )
        .with([Evidence::document(&image.blob, &image.paths)])
    })
}

/// The counter a camera writes into its file names (`IMG_0412`, `DSC01234`, `DSCN0007`,
/// `P1010001`): letters (and `_`) then at least four digits, nothing else. Names that
/// were given by people (an ID number, a time) carry no counter.
fn camera_counter(name: &str) -> Option<u64> {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let digits_at = stem.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = stem.split_at(digits_at);
    let prefix_ok = (1..=5).contains(&prefix.len())
        && prefix.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    let digits_ok = digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit());
    (prefix_ok && digits_ok)
        .then(|| digits.parse().ok())
        .flatten()
}

/// Each camera's photos in the order of its file counter: a clock that goes back a day or
/// more, or forward half a year, between two consecutive shots.
fn clock_jumps(images: &[ImageFact]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (camera, images) in by_camera(images) {
        let mut shots: Vec<(u64, &str, NaiveDateTime, &ImageFact)> = images
            .into_iter()
            .filter_map(|image| {
                let name = name_of(image);
                Some((camera_counter(name)?, name, shot_at(image)?, image))
            })
            .collect();
        shots.sort_by_key(|shot| (shot.0, shot.2));
        let shots: Vec<(&str, NaiveDateTime, &ImageFact)> = shots
            .into_iter()
            .map(|(_, name, at, image)| (name, at, image))
            .collect();
        for pair in shots.windows(2) {
            let ((name_a, at_a, image_a), (name_b, at_b, image_b)) = (pair[0], pair[1]);
            let step = at_b - at_a;
            let jump = if step < -Duration::hours(JUMP_BACK_HOURS) {
                "authenticity.finding.camera_clock_back"
            } else if step > Duration::days(JUMP_FORWARD_DAYS) {
                "authenticity.finding.camera_clock_forward"
            } else {
                continue;
            };
            findings.push(
                Finding::new(
                    Section::Photos,
                    "camera_clock_jump",
                    Strength::Anomaly,
                    Words::new(jump)
                        .value("camera", camera_words(&camera))
                        .value("span", human_span(step.num_minutes().abs()))
                        .arg("name_a", name_a)
                        .arg("at_a", at_a)
                        .arg("name_b", name_b)
                        .arg("at_b", at_b),
                )
                .with([
                    Evidence::document(&image_a.blob, &image_a.paths),
                    Evidence::document(&image_b.blob, &image_b.paths),
                ]),
            );
        }
    }
    findings
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::NaiveDate;
    use trove_model::{BlobId, Exif, ImageFacts};

    pub(crate) fn photo(n: u8, name: &str, at: Option<&str>, ids: &[&str]) -> ImageFact {
        ImageFact {
            blob: BlobId::from_digest([n; 32]),
            paths: vec![format!("照片/{name}")],
            facts: ImageFacts {
                width: 480,
                height: 640,
                exif: Exif {
                    make: Some("Canon".into()),
                    model: Some("EOS 80D".into()),
                    body_serial: Some("0123".into()),
                    date_time_original: at.map(str::to_owned),
                    ..Exif::default()
                },
                perceptual_hash: None,
                tones: None,
            },
            id_numbers: ids.iter().map(|s| (*s).to_owned()).collect(),
            archived_at: None,
        }
    }

    fn window() -> DateWindow {
        DateWindow {
            from: NaiveDate::from_ymd_opt(2017, 1, 1),
            until: NaiveDate::from_ymd_opt(2018, 12, 31),
            today: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        }
    }

    #[test]
    fn clocks_are_checked_against_the_calendar_names_and_births() {
        let images = vec![
            photo(
                1,
                "653121199001010027_20180301091500.jpg",
                Some("2018:03:01 09:15:00"),
                &["653121199001010027"],
            ),
            photo(
                2,
                "653121199001010035_20180301092000.jpg",
                Some("2019:03:01 09:20:00"),
                &[],
            ),
            photo(
                3,
                "653121199001010043_20180301092500.jpg",
                Some("2018:03:01 09:25:00"),
                &[],
            ),
            photo(
                4,
                "653121202001010027_20180301093000.jpg",
                Some("2018:03:01 09:30:00"),
                &["653121202001010021"],
            ),
            photo(
                5,
                "653121199001010051_20180301093500.jpg",
                Some("2031:01:01 00:00:00"),
                &[],
            ),
        ];
        let found = findings(&images, &[], &window());
        let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes.iter().filter(|c| **c == "camera").count(), 1);
        let outside: Vec<Strength> = found
            .iter()
            .filter(|f| f.code == "photo_date_outside_leak")
            .map(|f| f.strength)
            .collect();
        assert_eq!(outside, [Strength::Anomaly, Strength::Strong], "2019; 2031");
        assert_eq!(
            codes
                .iter()
                .filter(|c| **c == "photo_name_time_disagrees")
                .count(),
            2
        );
        assert!(codes.contains(&"photo_before_birth"));
        assert!(
            !codes.contains(&"camera_clock_jump"),
            "names given by people carry no camera counter to order by"
        );
        assert!(
            found[0].statement.starts_with(
                "Canon EOS 80D (serial 0123): 5 photos, first shot 2018-03-01 09:15:00"
            ),
            "{}",
            found[0].statement
        );
    }

    #[test]
    fn a_photo_long_before_its_persons_first_detention_is_found() {
        let number = "653121199001010027";
        let mut record = crate::authenticity::ids::tests::record(
            2,
            "古丽",
            number,
            trove_model::Sex::Female,
            &[],
        );
        record.fields.detained_since = NaiveDate::from_ymd_opt(2018, 3, 1);
        let early = photo(1, "a.jpg", Some("2017:06:01 10:00:00"), &[number]);
        let intake = photo(2, "b.jpg", Some("2018:03:02 10:00:00"), &[number]);
        let found = findings(&[early, intake], &[record], &window());
        let before: Vec<&Finding> = found
            .iter()
            .filter(|f| f.code == "photo_before_detention")
            .collect();
        assert_eq!(before.len(), 1);
        assert!(
            before[0].statement.contains("273 days before"),
            "{}",
            before[0].statement
        );
    }

    #[test]
    fn a_digitized_time_apart_from_the_shot_and_the_lenses_are_reported() {
        let mut scanned = photo(1, "IMG_0001.JPG", Some("2018:03:01 09:00:00"), &[]);
        scanned.facts.exif.date_time_digitized = Some("2018:09:14 16:00:00".into());
        scanned.facts.exif.lens = Some("EF-S 18-55mm".into());
        let mut same = photo(2, "IMG_0002.JPG", Some("2018:03:01 09:05:00"), &[]);
        same.facts.exif.date_time_digitized = Some("2018:03:01 09:05:00".into());
        let found = findings(&[scanned, same], &[], &window());
        let apart: Vec<&Finding> = found
            .iter()
            .filter(|f| f.code == "photo_digitized_apart")
            .collect();
        assert_eq!(apart.len(), 1);
        assert!(
            apart[0].statement.contains("197 days apart"),
            "{}",
            apart[0].statement
        );
        assert!(
            found[0].statement.ends_with("; lens EF-S 18-55mm"),
            "{}",
            found[0].statement
        );
    }

    #[test]
    fn a_camera_clock_that_jumps_or_resets_between_consecutive_files_is_found() {
        let images = vec![
            photo(1, "IMG_0101.JPG", Some("2018:03:01 09:00:00"), &[]),
            photo(2, "IMG_0102.JPG", Some("2018:03:01 09:05:00"), &[]),
            photo(3, "IMG_0103.JPG", Some("2019:03:01 09:06:00"), &[]),
            photo(4, "IMG_0104.JPG", Some("2019:03:01 09:07:00"), &[]),
            photo(5, "IMG_0105.JPG", Some("2000:01:01 00:00:00"), &[]),
        ];
        let jumps: Vec<String> = findings(&images, &[], &window())
            .into_iter()
            .filter(|f| f.code == "camera_clock_jump")
            .map(|f| f.statement)
            .collect();
        assert_eq!(jumps.len(), 2, "{jumps:?}");
        assert!(jumps.iter().any(|j| j.contains("jumps forward 365 days")));
        assert!(jumps.iter().any(|j| j.contains("goes back")));
        assert_eq!(camera_counter("DSC01234.jpg"), Some(1234));
        assert_eq!(camera_counter("653121199001010027.jpg"), None);
    }
}
