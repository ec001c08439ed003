//! The [`RecordCatalog`] contract, run on every backend: the same records written the
//! same way read back the same, through every operation, on SQLite and PostgreSQL.

mod common;

use chrono::NaiveDate;
use common::{TestCatalog, assert_backends_agree, line, run_on_every_backend};
use trove_model::{
    BlobId, Exif, FileKind, Flag, Hidden, ImageFacts, ListKind, Metadata, Part, PartKind, RawCell,
    Record, RecordFields, RowRef, Sex, StatusCategory,
};
use trove_store::{
    BlobRecords, Catalog, Direction, ExtractionOutcome, NewBlob, Occurrence, PersonSheet,
    PhotoLinkRow, Piece, RecordCatalog, RecordColumn, RecordFilter, RecordOrder, RecordToWrite,
    StoredRecord, WriteBatch, hash_bytes,
};

const SHEET: &[u8] = b"the register of Tokzak";
const PHOTO: &[u8] = b"a mugshot with a thumbnail";
const BARE: &[u8] = b"a mugshot without one";
const VERSION: &str = "records v1";
const VALID_ID: &str = "653101198001010011";

fn id_of(bytes: &[u8]) -> BlobId {
    hash_bytes(bytes).blake3
}

fn documents() -> WriteBatch {
    let blob = |bytes: &[u8], kind| NewBlob {
        hashes: hash_bytes(bytes),
        size: bytes.len() as u64,
        kind,
    };
    let image = |description: &str| {
        Box::new(Metadata {
            image: Some(ImageFacts {
                exif: Exif {
                    description: Some(description.to_owned()),
                    ..Exif::default()
                },
                ..ImageFacts::default()
            }),
            ..Metadata::default()
        })
    };
    let sheet = Part {
        kind: PartKind::Sheet,
        index: 1,
        label: Some("名单".to_owned()),
        text: "姓名\t身份证号\n阿不都\t653101198001010011".to_owned(),
        hidden: Hidden {
            sheet: false,
            rows: vec![[4, 4]],
        },
    };
    let seen = |bytes: &[u8], path: &str| Occurrence {
        blob: id_of(bytes),
        root: "/leak".to_owned(),
        path: path.to_owned(),
        parent: None,
        name_kind: None,
        member_time: None,
    };
    WriteBatch {
        blobs: vec![
            blob(SHEET, FileKind::Xlsx),
            blob(PHOTO, FileKind::Jpeg),
            blob(BARE, FileKind::Jpeg),
        ],
        extractions: vec![
            (
                id_of(SHEET),
                5,
                ExtractionOutcome::Extracted {
                    parts: vec![sheet],
                    metadata: Box::default(),
                    thumbnail: None,
                    truncated: false,
                },
            ),
            (
                id_of(PHOTO),
                5,
                ExtractionOutcome::Extracted {
                    parts: vec![],
                    metadata: image("在押 653101198001010011"),
                    thumbnail: Some(vec![0xff, 0xd8]),
                    truncated: false,
                },
            ),
            (
                id_of(BARE),
                5,
                ExtractionOutcome::Extracted {
                    parts: vec![],
                    metadata: image("no number"),
                    thumbnail: None,
                    truncated: false,
                },
            ),
        ],
        occurrences: vec![
            seen(SHEET, "b/名单.xlsx"),
            seen(SHEET, "a/copy.xlsx"),
            seen(PHOTO, "photos/653101198001010011.jpg"),
            seen(BARE, "photos/other.jpg"),
        ],
        ..WriteBatch::default()
    }
}

/// A record of the sheet at `row`.
#[allow(clippy::too_many_arguments)]
fn record(
    row: u32,
    person: &str,
    name: &str,
    id_number: &str,
    id_valid: bool,
    birth: (i32, u32, u32),
    township: &str,
    status: Option<StatusCategory>,
    flags: &[&str],
) -> StoredRecord {
    let birth_date = NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2);
    StoredRecord {
        person: person.to_owned(),
        candidate_key: Some(format!("{name}|{}", birth_date.unwrap())),
        record: Record {
            source: RowRef {
                blob: id_of(SHEET),
                part: 0,
                sheet: Some("名单".to_owned()),
                row,
                column: 0,
            },
            list: ListKind::Other,
            raw: vec![RawCell {
                header: "姓名".to_owned(),
                value: name.to_owned(),
            }],
            fields: RecordFields {
                name: Some(name.to_owned()),
                id_number: Some(id_number.to_owned()),
                id_valid,
                sex: Some(if row.is_multiple_of(2) {
                    Sex::Female
                } else {
                    Sex::Male
                }),
                birth_date,
                township: Some(township.to_owned()),
                status,
                detained_since: NaiveDate::from_ymd_opt(2018, 3, row),
                ..RecordFields::default()
            },
            flags: flags
                .iter()
                .map(|code| Flag {
                    code: (*code).to_owned(),
                    detail: format!("{code} at row {row}"),
                })
                .collect(),
        },
    }
}

fn records() -> Vec<StoredRecord> {
    vec![
        record(
            2,
            "pA",
            "阿不都",
            VALID_ID,
            true,
            (1980, 1, 1),
            "托克扎克镇",
            Some(StatusCategory::TrainingCentre),
            &[],
        ),
        record(
            3,
            "pB",
            "Ablet_%",
            "65310119800101001X",
            false,
            (1975, 5, 5),
            "吾库萨克镇",
            None,
            &["bad_check_digit"],
        ),
        record(
            4,
            "pC",
            "吐尔逊",
            "653101199002020022",
            true,
            (1990, 2, 2),
            "托克扎克镇",
            Some(StatusCategory::Released),
            &["bad_check_digit", "hidden_row"],
        ),
        record(
            5,
            "pD",
            "吐尔逊",
            "653101199002020033",
            false,
            (1990, 2, 2),
            "托克扎克镇",
            None,
            &[],
        ),
    ]
}

fn to_write(records: &[StoredRecord]) -> Vec<RecordToWrite> {
    records
        .iter()
        .map(|stored| RecordToWrite::new(stored.clone()).unwrap())
        .collect()
}

/// The register written in two pieces, its kind judged only at the end.
fn write_records(catalog: &dyn RecordCatalog) {
    let all = records();
    let sheet = PersonSheet {
        blob: id_of(SHEET),
        part: 0,
        sheet: Some("名单".to_owned()),
        header_row: 1,
        list: ListKind::Detainees,
        evidence: "a column of detention dates".to_owned(),
        records: 4,
        paths: Vec::new(),
    };
    let first = BlobRecords {
        blob: id_of(SHEET),
        piece: Piece::First,
        records: to_write(&all[..2]),
        photos: Vec::new(),
        sheets: Vec::new(),
        relabel: Vec::new(),
        read_as: None,
    };
    let last = BlobRecords {
        blob: id_of(SHEET),
        piece: Piece::Last,
        records: to_write(&all[2..]),
        photos: Vec::new(),
        sheets: vec![sheet],
        relabel: vec![(0, ListKind::Detainees)],
        read_as: None,
    };
    let photo = |bytes: &[u8]| BlobRecords {
        photos: vec![PhotoLinkRow {
            blob: id_of(bytes),
            id_number: VALID_ID.to_owned(),
            via: "file name".to_owned(),
        }],
        ..no_records(&id_of(bytes), None)
    };
    catalog.replace_records(VERSION, &[first]).unwrap();
    catalog
        .replace_records(VERSION, &[last, photo(PHOTO), photo(BARE)])
        .unwrap();
}

fn filtered(
    catalog: &dyn RecordCatalog,
    filter: &RecordFilter,
    offset: u64,
    limit: Option<u64>,
) -> Vec<String> {
    let mut seen = Vec::new();
    catalog
        .for_each_record(filter, offset, limit, &mut |stored| {
            seen.push(format!(
                "{} row {}",
                stored.person, stored.record.source.row
            ));
            Ok(())
        })
        .unwrap();
    seen
}

/// Every read of the facet over the same writes, as text.
fn reads(backend: &TestCatalog) -> Vec<String> {
    let catalog = backend.catalog();
    let records = backend.records();
    let mut out = Vec::new();
    let mut say = |what: &str, value: String| out.push(format!("{what}: {value}"));

    catalog.write(&documents()).unwrap();
    let pending = records.pending_record_sources(VERSION, None, 10).unwrap();
    // Each as the backends share it (a shared catalog adds the row version it read).
    let listed: Vec<_> = pending
        .iter()
        .map(|source| (&source.blob, source.kind, &source.paths))
        .collect();
    say("pending", format!("{listed:?}"));
    say(
        "pending count",
        records.pending_record_count(VERSION).unwrap().to_string(),
    );
    let first = pending[0].blob.clone();
    say(
        "pending after the first",
        format!(
            "{}",
            records
                .pending_record_sources(VERSION, Some(&first), 10)
                .unwrap()
                .len()
        ),
    );
    say(
        "sheet parts",
        format!("{:?}", records.sheet_parts(&id_of(SHEET)).unwrap()),
    );
    say(
        "image texts",
        format!("{:?}", records.image_texts(&id_of(PHOTO)).unwrap()),
    );
    say(
        "blob paths",
        format!("{:?}", records.blob_paths(&id_of(SHEET)).unwrap()),
    );

    let before = records.records_revision().unwrap();
    write_records(records);
    let after = records.records_revision().unwrap();
    say("revision moved", (before != after).to_string());
    say(
        "pending when done",
        records.pending_record_count(VERSION).unwrap().to_string(),
    );
    say(
        "pending under new rules",
        records
            .pending_record_count("records v2")
            .unwrap()
            .to_string(),
    );

    say(
        "rows 3-4",
        format!(
            "{:?}",
            records.records_in_rows(&id_of(SHEET), 0, 3, 4).unwrap()
        ),
    );
    say(
        "header row",
        format!("{:?}", records.header_row(&id_of(SHEET), 0).unwrap()),
    );
    say(
        "no header row",
        format!("{:?}", records.header_row(&id_of(PHOTO), 0).unwrap()),
    );
    let at = RowRef {
        blob: id_of(SHEET),
        part: 0,
        sheet: None,
        row: 2,
        column: 0,
    };
    let stored = records.record_at(&at).unwrap().unwrap();
    say(
        "record at row 2",
        format!(
            "{:?} {:?} {:?}",
            stored.person, stored.candidate_key, stored.record
        ),
    );

    let all = RecordFilter::default();
    say("all", format!("{:?}", filtered(records, &all, 0, None)));
    say("page", format!("{:?}", filtered(records, &all, 1, Some(2))));
    let by = |column, direction| RecordFilter {
        order: RecordOrder::By(column, direction),
        ..RecordFilter::default()
    };
    for (column, direction) in [
        (RecordColumn::Name, Direction::Ascending),
        (RecordColumn::Name, Direction::Descending),
        (RecordColumn::Status, Direction::Ascending),
        (RecordColumn::BirthDate, Direction::Descending),
        (RecordColumn::IdNumber, Direction::Ascending),
        (RecordColumn::Township, Direction::Ascending),
    ] {
        say(
            &format!("by {column:?} {direction:?}"),
            format!("{:?}", filtered(records, &by(column, direction), 0, None)),
        );
    }
    let filters = [
        RecordFilter {
            words: vec!["吐尔逊".to_owned()],
            ..RecordFilter::default()
        },
        RecordFilter {
            words: vec!["ablet_%".to_owned()],
            ..RecordFilter::default()
        },
        RecordFilter {
            words: vec!["_".to_owned(), "%".to_owned()],
            ..RecordFilter::default()
        },
        RecordFilter {
            township: Some("托克扎克镇".to_owned()),
            id_valid: Some(true),
            ..RecordFilter::default()
        },
        RecordFilter {
            flag: Some("bad_check_digit".to_owned()),
            ..RecordFilter::default()
        },
        RecordFilter {
            flag: Some("bad_check".to_owned()),
            ..RecordFilter::default()
        },
        RecordFilter {
            list: Some("detainees".to_owned()),
            sex: Some("male".to_owned()),
            ..RecordFilter::default()
        },
        RecordFilter {
            status: Some("released".to_owned()),
            ..RecordFilter::default()
        },
        RecordFilter {
            person: Some("pA".to_owned()),
            id_number: Some(VALID_ID.to_owned()),
            ..RecordFilter::default()
        },
        RecordFilter {
            blob: Some(id_of(PHOTO)),
            ..RecordFilter::default()
        },
    ];
    for filter in &filters {
        say(
            &format!("filter {filter:?}"),
            format!("{:?}", filtered(records, filter, 0, None)),
        );
        say(
            &format!("facets {filter:?}"),
            format!("{:?}", records.record_facets(filter).unwrap()),
        );
    }

    let mut persons = Vec::new();
    records
        .for_each_person(&mut |person, found| {
            persons.push(format!("{person}: {found:?}"));
            Ok(())
        })
        .unwrap();
    say("persons", format!("{persons:?}"));
    let mut statistics = Vec::new();
    records
        .for_each_person_for_statistics(&mut |person, found| {
            let facts: Vec<String> = found
                .iter()
                .map(|r| format!("{:?} {:?} {:?}", r.list, r.fields, r.source.row))
                .collect();
            statistics.push(format!("{person}: {facts:?}"));
            Ok(())
        })
        .unwrap();
    say("statistics", format!("{statistics:?}"));

    for query in [
        VALID_ID,
        "653101198001010011 ",
        "pB",
        "p",
        "nobody",
        "%",
        "65310119800101001X",
    ] {
        say(
            &format!("resolve {query:?}"),
            format!("{:?}", records.resolve_person(query).unwrap()),
        );
    }
    say(
        "photo links",
        format!("{:?}", records.photo_links().unwrap()),
    );
    say(
        "photos of pA",
        format!("{:?}", records.person_photos("pA").unwrap()),
    );
    say(
        "photos of pB",
        format!("{:?}", records.person_photos("pB").unwrap()),
    );
    say(
        "thumbnailed photos",
        format!(
            "{:?}",
            records
                .thumbnailed_photos_of(&["pB", "pA", "p'\"]"])
                .unwrap()
        ),
    );
    say(
        "candidates found",
        records.refresh_candidates().unwrap().to_string(),
    );
    say(
        "candidates again",
        records.refresh_candidates().unwrap().to_string(),
    );
    say(
        "candidate count",
        records.candidate_count().unwrap().to_string(),
    );
    say(
        "candidates of pC",
        format!("{:?}", records.person_candidates("pC").unwrap()),
    );
    say(
        "candidates of pD",
        format!("{:?}", records.person_candidates("pD").unwrap()),
    );
    say(
        "summary",
        format!("{:?}", records.record_summary().unwrap()),
    );
    say(
        "person sheets",
        format!("{:?}", records.person_sheets().unwrap()),
    );
    say(
        "record blob paths",
        format!("{:?}", records.record_blob_paths().unwrap()),
    );
    say(
        "ocr tables",
        format!("{:?}", records.ocr_tables(&id_of(SHEET)).unwrap()),
    );

    // A new extraction of the sheet, and a new path of a photo: read again.
    let again = WriteBatch {
        extractions: documents().extractions.into_iter().take(1).collect(),
        ..WriteBatch::default()
    };
    catalog.write(&again).unwrap();
    let mut elsewhere = documents();
    elsewhere.blobs.clear();
    elsewhere.extractions.clear();
    elsewhere.occurrences.truncate(0);
    elsewhere.occurrences.push(Occurrence {
        blob: id_of(BARE),
        root: "/leak".to_owned(),
        path: "copies/653101198001010011.jpg".to_owned(),
        parent: None,
        name_kind: None,
        member_time: None,
    });
    catalog.write(&elsewhere).unwrap();
    say(
        "pending after changes",
        format!(
            "{:?}",
            records
                .pending_record_sources(VERSION, None, 10)
                .unwrap()
                .iter()
                .map(|s| s.blob.clone())
                .collect::<Vec<_>>()
        ),
    );
    out
}

#[test]
fn every_read_of_the_records_is_the_same_on_every_backend() {
    let runs = run_on_every_backend(reads);
    // The reads say what they should, so that agreeing on nothing cannot pass.
    let find = |what: &str| line(&runs, what);
    assert!(
        find("pending count").ends_with(": 3"),
        "{}",
        find("pending count")
    );
    assert!(find("pending when done").ends_with(": 0"));
    assert!(find("revision moved").ends_with("true"));
    assert!(find("all").contains("[\"pA row 2\", \"pB row 3\", \"pC row 4\", \"pD row 5\"]"));
    assert!(find("page").contains("[\"pB row 3\", \"pC row 4\"]"));
    assert!(find("candidates found").ends_with(": 1"));
    assert!(find("candidates of pC").contains("pD"));
    assert!(find("photos of pA").contains("file name"));
    assert!(
        find("record at row 2").contains("Detainees"),
        "relabelled at the end: {}",
        find("record at row 2")
    );
    assert!(find("resolve \"nobody\"").ends_with("None"));
    assert!(
        find("pending after changes").contains(&format!("{:?}", id_of(SHEET))),
        "{}",
        find("pending after changes")
    );
    assert_backends_agree(&runs);
}

/// A blob read whole and found to hold no records, as read under `read_as`.
fn no_records(blob: &BlobId, read_as: Option<String>) -> BlobRecords {
    BlobRecords {
        blob: blob.clone(),
        piece: Piece::Whole,
        records: Vec::new(),
        photos: Vec::new(),
        sheets: Vec::new(),
        relabel: Vec::new(),
        read_as,
    }
}

#[test]
fn a_blob_given_a_new_path_while_its_records_are_read_stays_to_be_read() {
    let Some((catalog, schema)) = common::postgres() else {
        return;
    };
    catalog.write(&documents()).unwrap();
    let listed = |catalog: &dyn RecordCatalog| {
        catalog
            .pending_record_sources(VERSION, None, 10)
            .unwrap()
            .into_iter()
            .find(|source| source.blob == id_of(SHEET))
    };
    let source = listed(&catalog).expect("the sheet is to be read");
    assert!(source.row_version.is_some());
    // The indexer marks it indexed meanwhile: that changes nothing records are read from.
    let mut behind = schema.client();
    let blob = source.blob.as_str();
    behind
        .execute("UPDATE blobs SET indexed = TRUE WHERE id = $1", &[&blob])
        .unwrap();
    catalog
        .replace_records(
            VERSION,
            &[no_records(&source.blob, source.row_version.clone())],
        )
        .unwrap();
    assert!(
        listed(&catalog).is_none(),
        "indexing is no change to its records"
    );
    // Read again under a new records version; a worker finds a new path for it meanwhile.
    catalog.write(&documents()).unwrap();
    behind
        .execute("DELETE FROM record_sources WHERE blob = $1", &[&blob])
        .unwrap();
    let source = listed(&catalog).expect("to be read again");
    let new_path = WriteBatch {
        occurrences: documents()
            .occurrences
            .into_iter()
            .filter(|occurrence| occurrence.blob == source.blob)
            .map(|occurrence| Occurrence {
                path: format!("{}-copy", occurrence.path),
                ..occurrence
            })
            .collect(),
        ..WriteBatch::default()
    };
    catalog.write(&new_path).unwrap();
    catalog
        .replace_records(
            VERSION,
            &[no_records(&source.blob, source.row_version.clone())],
        )
        .unwrap();
    let again = listed(&catalog).expect("read under its old generation: still to be read");
    assert_ne!(again.row_version, source.row_version);
    catalog
        .replace_records(VERSION, &[no_records(&source.blob, again.row_version)])
        .unwrap();
    assert!(
        listed(&catalog).is_none(),
        "read under its generation as it is: done"
    );
}

/// A record met again at its place replaces the one written before, on every backend:
/// in the same batch (the last of the two stays) as in a later one.
#[test]
fn a_record_met_again_at_its_place_replaces_the_old_one() {
    let runs = run_on_every_backend(|backend| {
        backend.catalog().write(&documents()).unwrap();
        let with_name = |name: &str| {
            let mut stored = records()[0].clone();
            stored.record.fields.name = Some(name.to_owned());
            stored
        };
        let piece = |piece, names: &[&str]| BlobRecords {
            piece,
            records: to_write(&names.iter().map(|name| with_name(name)).collect::<Vec<_>>()),
            ..no_records(&id_of(SHEET), None)
        };
        let records = backend.records();
        let mut out = Vec::new();
        let mut kept = |what: &str| {
            let mut names = Vec::new();
            records
                .for_each_record(&RecordFilter::default(), 0, None, &mut |stored| {
                    names.push(stored.record.fields.name);
                    Ok(())
                })
                .unwrap();
            out.push(format!("{what}: {names:?}"));
        };
        records
            .replace_records(VERSION, &[piece(Piece::First, &["first", "second"])])
            .unwrap();
        kept("same batch");
        records
            .replace_records(VERSION, &[piece(Piece::Last, &["third"])])
            .unwrap();
        kept("later batch");
        out
    });
    assert_eq!(line(&runs, "same batch"), "same batch: [Some(\"second\")]");
    assert_eq!(line(&runs, "later batch"), "later batch: [Some(\"third\")]");
    assert_backends_agree(&runs);
}
