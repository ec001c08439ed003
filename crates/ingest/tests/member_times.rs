//! The modification time an archive records for each member is kept with the member's
//! occurrence, for the authenticity report to hold against the member's own dates.

mod common;

use std::io::{Cursor, Write};

use chrono::NaiveDateTime;
use common::ingest_fresh;
use trove_store::Catalog;
use zip::write::SimpleFileOptions;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn member_time(catalog: &dyn Catalog, path: &str) -> Option<NaiveDateTime> {
    let found = catalog.occurrences_at(path).unwrap();
    assert_eq!(found.len(), 1, "{path}");
    found[0].member_time
}

#[test]
fn zip_and_tar_members_keep_the_time_their_archive_records() {
    let leak = tempfile::tempdir().unwrap();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(2018, 3, 1, 9, 15, 30).unwrap();
    zip.start_file(
        "通知.txt",
        SimpleFileOptions::default().last_modified_time(time),
    )
    .unwrap();
    zip.write_all("关于加强管理的通知".as_bytes()).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    std::fs::write(leak.path().join("files.zip"), zip).unwrap();

    let mut tar = tar::Builder::new(Vec::new());
    let body = b"roster";
    let mut header = tar::Header::new_gnu();
    header.set_size(body.len() as u64);
    header.set_mtime(1_519_895_730);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "roster.txt", &body[..])
        .unwrap();
    std::fs::write(leak.path().join("files.tar"), tar.into_inner().unwrap()).unwrap();
    std::fs::write(leak.path().join("loose.txt"), "loose").unwrap();

    let ingested = ingest_fresh(leak.path());
    let catalog = &*ingested.store.catalog;
    assert_eq!(
        member_time(catalog, "files.zip!/通知.txt"),
        Some(at("2018-03-01 09:15:30"))
    );
    assert_eq!(
        member_time(catalog, "files.tar!/roster.txt"),
        Some(at("2018-03-01 09:15:30"))
    );
    assert_eq!(member_time(catalog, "loose.txt"), None);
    assert_eq!(member_time(catalog, "files.zip"), None);
}
