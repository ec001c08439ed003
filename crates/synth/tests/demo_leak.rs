//! The demo leak as a whole: deterministic, complete, and true to its ground truth.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Reader, Xlsx};
use trove_model::FileKind;
use trove_synth::{GroundTruth, Outcome, RowKind, SynthOptions, write_demo_leak};

fn demo(people: usize, seed: u64) -> (tempfile::TempDir, GroundTruth) {
    let dir = tempfile::tempdir().unwrap();
    let truth = write_demo_leak(
        dir.path(),
        &SynthOptions {
            people,
            seed,
            ..SynthOptions::default()
        },
    )
    .unwrap();
    (dir, truth)
}

/// BLAKE3 of every file under `root`, by `/`-separated relative path.
fn tree_hashes(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(root).unwrap();
            let key: Vec<_> = relative.iter().map(|p| p.to_str().unwrap()).collect();
            let bytes = std::fs::read(e.path()).unwrap();
            (key.join("/"), blake3::hash(&bytes).to_hex().to_string())
        })
        .collect()
}

#[test]
fn same_options_give_identical_trees_and_another_seed_differs() {
    let (a, _) = demo(200, 7);
    let (b, _) = demo(200, 7);
    let (c, _) = demo(200, 8);
    let (ha, hb, hc) = (
        tree_hashes(a.path()),
        tree_hashes(b.path()),
        tree_hashes(c.path()),
    );
    assert_eq!(ha, hb);
    assert_ne!(ha, hc);
    assert!(ha.contains_key("ground-truth.json"));
}

#[test]
fn refuses_to_write_over_an_earlier_leak() {
    let (dir, _) = demo(50, 1);
    let again = write_demo_leak(
        dir.path(),
        &SynthOptions {
            people: 50,
            seed: 1,
            ..SynthOptions::default()
        },
    );
    assert!(matches!(
        again,
        Err(trove_synth::SynthError::NotEmpty { .. })
    ));
}

/// ISO 7064 MOD 11-2, computed independently of the crate.
fn valid_id(id: &str) -> bool {
    let digits: Vec<u32> = id[..17].chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| d * (2u32.pow(17 - i as u32) % 11))
        .sum();
    let check = (12 - sum % 11) % 11;
    let expected = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap()
    };
    id.len() == 18 && id.ends_with(expected)
}

fn age(birth: &str, on: &str) -> i32 {
    let parse = |s: &str| -> (i32, i32, i32) {
        let p: Vec<i32> = s.split('-').map(|x| x.parse().unwrap()).collect();
        (p[0], p[1], p[2])
    };
    let (by, bm, bd) = parse(birth);
    let (y, m, d) = parse(on);
    y - by - i32::from((m, d) < (bm, bd))
}

#[test]
fn every_person_has_a_valid_unique_id_that_agrees_with_sex_and_birth() {
    let (_dir, truth) = demo(200, 2022);
    assert_eq!(truth.persons.len(), 200);
    let mut seen = BTreeSet::new();
    for p in &truth.persons {
        assert!(valid_id(&p.id_number), "{}", p.id_number);
        assert!(
            seen.insert(p.id_number.clone()),
            "duplicate {}",
            p.id_number
        );
        assert_eq!(&p.id_number[6..14], p.birth_date.replace('-', ""));
        let odd = p.id_number[16..17].parse::<u32>().unwrap() % 2 == 1;
        assert_eq!(odd, p.sex == "男", "{}", p.id_number);
        assert!(["653121", "653100", "654127", "654027"].contains(&&p.id_number[..6]));
        assert_eq!(p.detained, p.capture_date.is_some());
        assert_eq!(p.detained, p.photo.is_some());
        if let Some(capture) = &p.capture_date {
            assert!(capture.starts_with("2018-"));
            assert!((15..=73).contains(&age(&p.birth_date, capture)), "{p:?}");
            assert!(p.detained_since.as_deref().unwrap() <= capture.as_str());
            assert!(p.reason.is_some());
        }
    }
    let held = truth.persons.iter().filter(|p| p.detained).count();
    assert!(held > 5, "{held} held");
    assert!(truth.figures.adults_detained as usize <= held);
    assert!(truth.figures.adults_listed > 100);
}

#[test]
fn ground_truth_lists_every_file_on_disk_with_its_hash() {
    let (dir, truth) = demo(200, 2022);
    let on_disk = tree_hashes(&dir.path().join("leak"));
    let listed: BTreeMap<&str, &str> = truth
        .files
        .iter()
        .filter(|f| !f.path.contains("!/"))
        .map(|f| (f.path.as_str(), f.blake3.as_str()))
        .collect();
    let on_disk_ref: BTreeMap<&str, &str> = on_disk
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(listed, on_disk_ref);

    let json = std::fs::read(dir.path().join("ground-truth.json")).unwrap();
    let read_back: GroundTruth = serde_json::from_slice(&json).unwrap();
    assert_eq!(read_back, truth);

    let mut first_by_hash = BTreeMap::new();
    for file in &truth.files {
        if let Some((outer, _)) = file.path.rsplit_once("!/") {
            assert!(truth.files.iter().any(|f| f.path == outer), "{}", file.path);
        }
        assert_eq!(
            file.outcome == Outcome::Failed,
            file.failure.is_some(),
            "{}",
            file.path
        );
        match first_by_hash.get(&file.blake3) {
            Some(first) => assert_eq!(file.duplicate_of.as_ref(), Some(first)),
            None => {
                assert_eq!(file.duplicate_of, None);
                first_by_hash.insert(file.blake3.clone(), file.path.clone());
            }
        }
    }
    let kinds: BTreeSet<FileKind> = truth.files.iter().map(|f| f.kind).collect();
    for kind in [
        FileKind::Xlsx,
        FileKind::Csv,
        FileKind::Docx,
        FileKind::Pptx,
        FileKind::Pdf,
        FileKind::Html,
        FileKind::Text,
        FileKind::Eml,
        FileKind::Jpeg,
        FileKind::Zip,
        FileKind::SevenZip,
        FileKind::Gzip,
        FileKind::Empty,
    ] {
        assert!(kinds.contains(&kind), "no {kind}");
    }
    let failures: Vec<_> = truth.files.iter().filter_map(|f| f.failure).collect();
    assert_eq!(
        failures.len(),
        3,
        "truncated docx, corrupt zip, encrypted member"
    );
}

/// The bytes of a file or of an archive member (`a.zip!/b.zip!/c`), through zip and
/// tar.gz layers; `None` for members of other containers.
fn bytes_at(leak: &Path, path: &str) -> Option<Vec<u8>> {
    let mut parts = path.split("!/");
    let mut bytes = std::fs::read(leak.join(parts.next()?)).unwrap();
    let mut container = path.split("!/").next()?.to_owned();
    for inner in parts {
        bytes = if container.ends_with(".zip") {
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            let mut out = Vec::new();
            archive
                .by_name(inner)
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            out
        } else if container.ends_with(".tar.gz") {
            let gz = flate2::read::GzDecoder::new(Cursor::new(bytes));
            let mut archive = tar::Archive::new(gz);
            let mut found = None;
            for entry in archive.entries().unwrap() {
                let mut entry = entry.unwrap();
                if entry.path().unwrap().to_str() == Some(inner) {
                    let mut out = Vec::new();
                    entry.read_to_end(&mut out).unwrap();
                    found = Some(out);
                }
            }
            found.unwrap()
        } else {
            return None;
        };
        container = inner.to_owned();
    }
    Some(bytes)
}

const ID_HEADERS: [&str; 2] = ["身份证号", "公民身份号码"];

#[test]
fn rows_point_at_the_cell_holding_the_id_number() {
    let (dir, truth) = demo(200, 2022);
    let leak = dir.path().join("leak");
    let mut checked = 0;
    for row in &truth.rows {
        let Some(bytes) = bytes_at(&leak, &row.file) else {
            assert!(truth.files.iter().any(|f| f.path == row.file));
            continue;
        };
        let expected_hash = &truth
            .files
            .iter()
            .find(|f| f.path == row.file)
            .unwrap()
            .blake3;
        assert_eq!(&blake3::hash(&bytes).to_hex().to_string(), expected_hash);
        let cells: Vec<Vec<String>> = match &row.sheet {
            Some(sheet) => {
                let mut workbook = Xlsx::new(Cursor::new(bytes)).unwrap();
                let range = workbook.worksheet_range(sheet).unwrap();
                let (height, width) = (range.end().unwrap().0 + 1, range.end().unwrap().1 + 1);
                (0..height)
                    .map(|r| {
                        (0..width)
                            .map(|c| {
                                range
                                    .get_value((r, c))
                                    .map(|v| v.to_string())
                                    .unwrap_or_default()
                            })
                            .collect()
                    })
                    .collect()
            }
            None => {
                let text = match std::str::from_utf8(&bytes) {
                    Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
                    Err(_) => encoding_rs::GBK.decode(&bytes).0.into_owned(),
                };
                text.lines()
                    .map(|l| l.split(',').map(str::to_owned).collect())
                    .collect()
            }
        };
        let (header_row, id_col) = cells
            .iter()
            .enumerate()
            .take(3)
            .find_map(|(r, line)| {
                line.iter()
                    .position(|c| ID_HEADERS.contains(&c.as_str()))
                    .map(|c| (r, c))
            })
            .unwrap_or_else(|| panic!("no ID header in {}", row.file));
        assert!(row.row as usize > header_row + 1);
        assert_eq!(
            cells[row.row as usize - 1][id_col],
            row.id_number,
            "{row:?}"
        );
        checked += 1;
    }
    let registered: BTreeSet<&str> = truth
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Register && !r.file.contains("!/"))
        .map(|r| r.id_number.as_str())
        .collect();
    assert!(
        truth
            .persons
            .iter()
            .all(|p| registered.contains(p.id_number.as_str()))
    );
    assert!(checked > truth.persons.len());
}

#[test]
fn mugshots_carry_the_exif_of_the_ground_truth() {
    let (dir, truth) = demo(200, 2022);
    let leak = dir.path().join("leak");
    let photos: Vec<_> = truth
        .files
        .iter()
        // The mugshots; the photos planted for the authenticity report live elsewhere.
        .filter(|f| {
            f.kind == FileKind::Jpeg && !f.path.contains("!/") && f.path.contains("/04-照片/")
        })
        .collect();
    assert!(!photos.is_empty());
    for file in photos {
        let expected = file.exif.as_ref().unwrap();
        let bytes = std::fs::read(leak.join(&file.path)).unwrap();
        let kb = bytes.len() / 1024;
        let exif = exif::Reader::new()
            .read_from_container(&mut Cursor::new(bytes))
            .unwrap();
        let ascii = |tag| match &exif.get_field(tag, exif::In::PRIMARY).unwrap().value {
            exif::Value::Ascii(v) => String::from_utf8(v[0].clone()).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(ascii(exif::Tag::Make), expected.make);
        assert_eq!(ascii(exif::Tag::BodySerialNumber), expected.body_serial);
        assert_eq!(
            ascii(exif::Tag::DateTimeOriginal),
            expected.date_time_original
        );
        assert!(
            exif.get_field(exif::Tag::JPEGInterchangeFormat, exif::In::THUMBNAIL)
                .is_some(),
            "{}: no embedded thumbnail",
            file.path
        );
        assert!((60..=400).contains(&kb), "{}: {kb} KB", file.path);
        // `ID_YYYYMMDD_hhmmss.jpg`: the camera station's name carries the EXIF time.
        let name = file.path.rsplit('/').next().unwrap();
        let (id, time) = name.trim_end_matches(".jpg").split_once('_').unwrap();
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        assert_eq!(digits(time), digits(&expected.date_time_original));
        let person = truth.persons.iter().find(|p| p.id_number == id).unwrap();
        let capture = person.capture_date.as_ref().unwrap().replace('-', ":");
        assert!(expected.date_time_original.starts_with(&capture));
    }
}

#[test]
fn searches_point_at_files_holding_the_snippet() {
    let (_dir, truth) = demo(200, 2022);
    assert!(
        truth
            .searches
            .iter()
            .any(|s| s.query == "\"shoot to kill\"")
    );
    for search in &truth.searches {
        let file = truth.files.iter().find(|f| f.path == search.path).unwrap();
        assert!(
            file.texts.iter().any(|t| t.contains(&search.snippet)),
            "{search:?}"
        );
    }
}
