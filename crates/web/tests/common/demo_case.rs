//! The demo case the HTTP tests of records, persons, review and the read audit share:
//! the demo leak ingested, its relatives' list imported and cross-referenced, plus one
//! planted sheet whose cells carry a script; and a server with two cases and a user of
//! each role.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use trove_ingest::{cross_reference, read_list};
use trove_model::{ListInfo, Role};
use trove_names::xref::XrefOptions;
use trove_records::lists::ListMap;
use trove_records::resident_id::check_character;
use trove_store::{RecordCatalog, Store};
use trove_synth::SynthOptions;

use super::{TestServer, empty_store, ingest, scratch_dir};

pub const LIST: &str = "relatives";
pub const SCRIPT: &str = "<script>alert(1)</script>";

/// The ingested demo case, made once per test binary; tests that write to it (reviews,
/// verifications) each use their own candidate or person.
pub struct DemoCase {
    pub store: PathBuf,
    /// A person with a linked mugshot, and that photo's document id.
    pub person_with_photo: String,
    pub photo: String,
    /// Candidates of the relatives' list, as (row, person), best first. Tests run at
    /// once and may review the same one: each checks only its own decision.
    pub candidates: Vec<(u32, String)>,
    /// Persons without a photo, for verification tests.
    pub other_persons: Vec<String>,
}

pub fn demo_case() -> &'static DemoCase {
    static CASE: OnceLock<DemoCase> = OnceLock::new();
    CASE.get_or_init(build_demo_case)
}

fn build_demo_case() -> DemoCase {
    let dir = scratch_dir("trove-web-records");
    trove_synth::write_demo_leak(
        &dir,
        &SynthOptions {
            people: 60,
            seed: 7,
            ..SynthOptions::default()
        },
    )
    .expect("the demo leak is written");
    plant_script_sheet(&dir.join("leak"));
    let store_dir = dir.join("store");
    let store = ingest(&dir.join("leak"), &store_dir);
    import_and_cross_reference(&store, &dir.join("relatives.csv"));

    let catalog: &dyn RecordCatalog = &*store.catalog;
    let mut persons = Vec::new();
    catalog
        .for_each_person(&mut |key, _| {
            persons.push(key.to_owned());
            Ok(())
        })
        .unwrap();
    let (with_photo, without): (Vec<_>, Vec<_>) = persons
        .into_iter()
        .partition(|key| !catalog.person_photos(key).unwrap().is_empty());
    let person_with_photo = with_photo.first().expect("a person with a mugshot").clone();
    let photo = catalog.person_photos(&person_with_photo).unwrap()[0]
        .blob
        .to_string();
    let candidates: Vec<(u32, String)> = store
        .catalog
        .match_candidates(LIST)
        .unwrap()
        .into_iter()
        .map(|c| (c.row, c.person))
        .collect();
    assert!(
        !candidates.is_empty(),
        "the relatives' list yields a candidate"
    );
    DemoCase {
        store: store_dir,
        person_with_photo,
        photo,
        candidates,
        other_persons: without,
    }
}

/// A person list whose name and remark cells hold a script, with a valid ID number.
fn plant_script_sheet(leak: &Path) {
    let first17 = "65310119800101123";
    let id = format!("{first17}{}", check_character(first17).unwrap());
    let csv = format!("姓名,公民身份号码,性别,民族,备注\n{SCRIPT},{id},男,维吾尔族,{SCRIPT}\n");
    std::fs::write(leak.join("planted-script.csv"), csv).unwrap();
}

fn import_and_cross_reference(store: &Store, list: &Path) {
    let bytes = std::fs::read(list).unwrap();
    let entries = read_list(&bytes, "relatives.csv", &ListMap::default()).unwrap();
    let info = ListInfo {
        name: LIST.into(),
        file_name: "relatives.csv".into(),
        blake3: blake3::hash(&bytes).to_hex().to_string(),
        entries: entries.len() as u32,
    };
    store.catalog.import_list(&info, &entries).unwrap();
    cross_reference(&*store.catalog, LIST, &XrefOptions::default(), &mut || {}).unwrap();
}

/// A server with case A (the demo store) and case B (never opened); `root`, a server
/// admin; `vera`, `rita`, `eddie`: viewer, reviewer and editor of A; `bob`, viewer of B.
pub fn server() -> TestServer {
    let server = TestServer::new();
    server.add_case("case-a", &demo_case().store);
    // Case B's store folder is gone by the time anyone asks for it.
    let gone = empty_store(server.dir.path(), "no-store");
    server.add_case("case-b", &gone);
    std::fs::remove_dir_all(&gone).unwrap();
    server.add_user("root", Role::Admin, None);
    for (name, case, role) in [
        ("vera", "case-a", Role::Viewer),
        ("rita", "case-a", Role::Reviewer),
        ("eddie", "case-a", Role::Editor),
        ("bob", "case-b", Role::Viewer),
    ] {
        server.add_user(name, role, Some(case));
    }
    server
}
