//! The `trove` binary end to end: the commands a user types, their output,
//! exit codes, and surviving `kill -9`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{catalog_dump, trove};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?} is not JSON: {e}"))
        })
        .collect()
}

/// A small demo leak written once with `trove synth`.
fn leak() -> &'static PathBuf {
    static LEAK: OnceLock<PathBuf> = OnceLock::new();
    LEAK.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("trove-cli-leak")
            .tempdir()
            .unwrap()
            .keep();
        common::synth(&dir, &["--people", "200", "--seed", "11"]);
        dir.join("leak")
    })
}

fn leak_str() -> &'static str {
    leak().to_str().unwrap()
}

#[test]
fn ingest_search_show_status_and_verify_work_together() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");

    let ingest = trove(&store, &["ingest", leak_str(), "--json"]);
    assert_eq!(
        ingest.status.code(),
        Some(2),
        "planted broken files make the exit code 2"
    );
    let report = &json_lines(&ingest)[0];
    assert!(report["files_processed"].as_u64().unwrap() > 40);
    assert_eq!(report["failures_this_run"], report["failures_recorded"]);

    let hits = json_lines(&trove(&store, &["search", "教育", "--json"]));
    assert!(hits.len() > 5, "every hit is streamed");
    let hit = &hits[0];
    for field in ["blob", "type", "paths", "part_kind", "score", "snippet"] {
        assert!(hit.get(field).is_some(), "hit has {field}: {hit}");
    }
    let phrase = json_lines(&trove(&store, &["search", "\"shoot to kill\"", "--json"]));
    assert_eq!(phrase.len(), 1);
    assert!(
        phrase[0]["snippet"]["text"]
            .as_str()
            .unwrap()
            .contains("shoot to kill")
    );

    let id = hit["blob"].as_str().unwrap();
    let shown = json_lines(&trove(&store, &["show", &id[..10], "--json"]));
    assert_eq!(shown[0]["id"], id);
    assert!(shown[0]["sha256"].as_str().unwrap().len() == 64);
    assert!(!shown[0]["occurrences"].as_array().unwrap().is_empty());
    assert!(!shown[0]["parts"].as_array().unwrap().is_empty());

    let path = hit["paths"][0].as_str().unwrap();
    let by_path = json_lines(&trove(&store, &["show", path, "--json", "--no-text"]));
    assert_eq!(by_path[0]["id"], id);
    assert!(by_path[0].get("parts").is_none());

    let status = trove(&store, &["status", "--json"]);
    assert_eq!(status.status.code(), Some(2));
    let status = json_lines(&status);
    assert!(status[0]["documents"].as_u64().unwrap() > 40);
    assert!(
        status
            .iter()
            .skip(1)
            .all(|line| line.get("failure").is_some())
    );

    let verify = trove(&store, &["verify"]);
    assert!(verify.status.success(), "{}", stdout(&verify));

    // Tamper with one original: verify names it.
    let blob = store.join("blobs").join(&id[..2]).join(id);
    let mut permissions = std::fs::metadata(&blob).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&blob, permissions).unwrap();
    std::fs::write(&blob, b"altered").unwrap();
    let verify = trove(&store, &["verify", "--json"]);
    assert_eq!(verify.status.code(), Some(2));
    let problems = json_lines(&verify);
    assert_eq!(problems[0]["id"], id);
    assert_eq!(problems[0]["problem"], "changed");
}

#[test]
fn a_missing_store_and_a_bad_query_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = trove(&dir.path().join("nowhere"), &["search", "x"]);
    assert_eq!(missing.status.code(), Some(1));
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("trove ingest"),
        "says what to do: {message}"
    );

    let store = dir.path().join("store");
    trove(&store, &["ingest", leak_str()]);
    let bad = trove(&store, &["search", "nosuchfield:x"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("nosuchfield"));
}

#[test]
fn an_ingest_killed_with_sigkill_resumes_to_the_same_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    trove(&reference, &["ingest", leak_str()]);

    let store = dir.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trove"))
        .arg("--store")
        .arg(&store)
        .args(["ingest", leak_str()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has committed something (or after a while regardless:
    // the assertion below holds wherever the kill lands).
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let committed = rusqlite::Connection::open(store.join("trove.sqlite"))
            .and_then(|c| {
                c.query_row("SELECT COUNT(*) FROM sources WHERE done = 1", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .unwrap_or(0);
        if committed > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let resumed = trove(&store, &["ingest", leak_str(), "--json"]);
    assert_eq!(
        resumed.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(catalog_dump(&store), catalog_dump(&reference));
    let count = |store: &Path| json_lines(&trove(store, &["search", "教育", "--json"])).len();
    assert_eq!(count(&store), count(&reference));
}

#[test]
fn reindex_rebuilds_a_lost_index_from_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    trove(&store, &["ingest", leak_str()]);
    let before = json_lines(&trove(&store, &["search", "教育", "--json"])).len();
    std::fs::remove_dir_all(store.join("index")).unwrap();
    std::fs::create_dir(store.join("index")).unwrap();
    std::fs::write(store.join("index").join("meta.json"), b"{ damaged").unwrap();
    let reindex = trove(&store, &["reindex"]);
    assert!(
        reindex.status.success(),
        "{}",
        String::from_utf8_lossy(&reindex.stderr)
    );
    assert_eq!(
        json_lines(&trove(&store, &["search", "教育", "--json"])).len(),
        before
    );
}

#[test]
fn records_person_id_and_stats_work_together() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let ingest = trove(&store, &["ingest", leak_str()]);
    assert!(
        stdout(&ingest).contains("person records:"),
        "{}",
        stdout(&ingest)
    );

    let records = json_lines(&trove(&store, &["records", "--json"]));
    assert!(records.len() > 200, "every listed person has a record");
    let first = records
        .iter()
        .find(|r| r["record"]["fields"]["id_valid"] == true)
        .expect("a record with a valid ID number");
    let id = first["record"]["fields"]["id_number"].as_str().unwrap();
    assert!(first["record"]["source"]["row"].as_u64().unwrap() >= 2);

    // Every person list of the demo says what it is, and why.
    let sheets = json_lines(&trove(&store, &["records", "--sheets", "--json"]));
    assert!(!sheets.is_empty());
    for sheet in &sheets {
        // The list planted for the authenticity report is a check list of one row.
        let planted = sheet["paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("08-核查材料"));
        assert!(
            planted || ["register", "detainees"].contains(&sheet["kind"].as_str().unwrap()),
            "the demo's lists are all named: {sheet}"
        );
        assert!(!sheet["evidence"].as_str().unwrap().is_empty());
    }
    let listed = stdout(&trove(&store, &["records", "--sheets"]));
    assert!(
        listed.contains(&format!("{} person lists", sheets.len())),
        "{listed}"
    );

    let person = json_lines(&trove(&store, &["person", id, "--json"]));
    assert_eq!(person[0]["person"], first["person"]);
    assert!(!person[0]["records"].as_array().unwrap().is_empty());
    assert_eq!(person[0]["id"]["canonical"], id);

    let csv = trove(&store, &["records", &format!("id:{id}"), "--csv"]);
    let lines: Vec<String> = stdout(&csv).lines().map(str::to_owned).collect();
    assert!(lines[0].starts_with("person,path,blob,sheet,row"));
    assert!(lines.len() >= 2 && lines[1..].iter().all(|l| l.contains(id)));

    let decoded = trove(&store, &["id", id, "653121199001010021", "--json"]);
    assert_eq!(decoded.status.code(), Some(2), "one number is invalid");
    let decoded = json_lines(&decoded);
    assert_eq!(decoded[0]["valid"], true);
    assert_eq!(decoded[1]["valid"], false);
    assert!(
        decoded[1]["problems_text"][0]
            .as_str()
            .unwrap()
            .contains("check")
    );

    let stats = json_lines(&trove(
        &store,
        &[
            "stats",
            "--by",
            "township",
            "--adults",
            "--at",
            "2018-06-01",
            "--format",
            "json",
        ],
    ));
    let total = &stats[0]["total"];
    assert!(total["listed"].as_u64().unwrap() > 0);
    assert!(total["held"].as_u64().unwrap() <= total["listed"].as_u64().unwrap());
    let svg = dir.path().join("ages.svg");
    let chart = trove(
        &store,
        &[
            "stats",
            "--by",
            "age",
            "--format",
            "svg",
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    assert!(
        chart.status.success(),
        "{}",
        String::from_utf8_lossy(&chart.stderr)
    );
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let csv = stdout(&trove(&store, &["stats", "--by", "sex", "--format", "csv"]));
    assert!(csv.starts_with("# ") && csv.contains("group,listed,held,rate_percent"));

    // A mapping that skips every sheet empties the records; it is kept for later builds
    // until cleared, and clearing it restores them.
    let mapping = dir.path().join("skip.toml");
    std::fs::write(&mapping, "[[sheet]]\npath = \"*\"\nskip = true\n").unwrap();
    let skipped = trove(
        &store,
        &["records", "--build", "--mapping", mapping.to_str().unwrap()],
    );
    assert!(
        skipped.status.success(),
        "{}",
        String::from_utf8_lossy(&skipped.stderr)
    );
    assert!(json_lines(&trove(&store, &["records", "--json"])).is_empty());
    assert!(trove(&store, &["records", "--build"]).status.success());
    assert!(json_lines(&trove(&store, &["records", "--json"])).is_empty());
    assert!(
        trove(&store, &["records", "--build", "--clear-mapping"])
            .status
            .success()
    );
    assert_eq!(
        json_lines(&trove(&store, &["records", "--json"])).len(),
        records.len()
    );

    let bad = trove(&store, &["records", "colour:red"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown field `colour`"));
}

#[test]
fn names_are_compared_across_scripts_with_an_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("no-store-needed");
    let matched = json_lines(&trove(
        &store,
        &["names", "compare", "热依拉·奥迈尔", "Rahile Omer", "--json"],
    ));
    assert_eq!(matched[0]["decision"], "Match");
    assert!(matched[0]["explanation"]["pairs"].as_array().unwrap().len() == 2);
    let apart = json_lines(&trove(
        &store,
        &[
            "names",
            "compare",
            "Memet Tursun",
            "Memet Ablimit",
            "--json",
        ],
    ));
    assert_eq!(apart[0]["decision"], "NoMatch");
    let key = json_lines(&trove(&store, &["names", "key", "راھىلە ئۆمەر", "--json"]));
    assert!(!key[0]["blocking_keys"].as_array().unwrap().is_empty());
}

#[test]
fn a_batch_of_latin_names_finds_their_chinese_forms_in_documents() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    trove(&store, &["ingest", leak_str()]);
    let names = dir.path().join("names.txt");
    std::fs::write(&names, "Rahile Omer\n\nZzyzx Qwerty\n").unwrap();
    let found = json_lines(&trove(
        &store,
        &["search", "--batch", names.to_str().unwrap(), "--json"],
    ));
    assert_eq!(found.len(), 2, "one object per name, blank lines skipped");
    assert!(
        found[0]["forms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "热依拉·奥迈尔")
    );
    let paths: Vec<&str> = found[0]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|hit| {
            hit["paths"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p.as_str())
        })
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("在全县维护稳定工作会议上的讲话.docx")),
        "the speech naming 热依拉·奥迈尔 is found: {paths:?}"
    );
    assert_eq!(found[1]["total"], 0);
}

#[test]
fn a_list_in_latin_letters_is_cross_referenced_with_the_persons() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    trove(&store, &["ingest", leak_str()]);
    let records = json_lines(&trove(&store, &["records", "list:register", "--json"]));
    // A Uyghur name (given·father) written in Latin letters the way a relative might.
    let (person, latin, born) = records
        .iter()
        .find_map(|r| {
            let name = r["record"]["fields"]["name"].as_str()?;
            let parts: Vec<String> = name
                .split('·')
                .map(|p| {
                    trove_names::han::dictionary_readings(p)
                        .first()
                        .map(|s| s.to_string())
                })
                .collect::<Option<_>>()?;
            let born = r["record"]["fields"]["birth_date"].as_str()?[..4].to_owned();
            (parts.len() == 2).then(|| {
                (
                    r["person"].as_str().unwrap().to_owned(),
                    parts.join(" "),
                    born,
                )
            })
        })
        .expect("a register lists a Uyghur name the dictionary knows");
    let list = dir.path().join("missing.csv");
    std::fs::write(
        &list,
        format!("Name,Year of birth\n{latin},{born}\nZzyzx Qwerty,1990\n"),
    )
    .unwrap();
    let candidates = import_and_cross_reference(&store, &list);
    let found = candidates
        .iter()
        .find(|c| c["person"] == person.as_str())
        .unwrap_or_else(|| panic!("{latin} ({born}) is matched to {person}: {candidates:?}"));
    assert_eq!(found["row"], 2);
    assert!(found["score"].as_f64().unwrap() >= 0.85);
    assert_eq!(found["review"], "unreviewed");
    assert!(
        candidates.iter().all(|c| c["row"] == 2),
        "nobody is Zzyzx Qwerty"
    );

    // Again: nothing new to score, the same candidates on record.
    let again = trove(&store, &["xref", "--list", "relatives", "--json"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 candidates found this run"));
    assert_eq!(json_lines(&again).len(), candidates.len());
}

#[test]
fn the_demo_relatives_list_is_matched_with_high_precision_and_recall() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    trove(&store, &["ingest", leak_str()]);
    let demo = leak().parent().unwrap();
    let truth: Value =
        serde_json::from_slice(&std::fs::read(demo.join("ground-truth.json")).unwrap()).unwrap();
    let list = demo.join("relatives.csv");
    let candidates = import_and_cross_reference(&store, &list);

    // The person each planted match means, by key.
    let mut meant = std::collections::HashMap::new();
    for entry in truth["relatives"].as_array().unwrap() {
        if let Some(id) = entry["id_number"].as_str() {
            let person = json_lines(&trove(&store, &["person", id, "--json"]));
            meant.insert(entry["row"].as_u64().unwrap(), person[0]["person"].clone());
        }
    }
    assert!(
        meant.len() >= 5,
        "the list plants matches ({})",
        meant.len()
    );
    // Candidates at the Match level (score ≥ 0.85) against the planted truth.
    let kept: Vec<&Value> = candidates
        .iter()
        .filter(|c| c["score"].as_f64().unwrap() >= 0.85)
        .collect();
    let correct = kept
        .iter()
        .filter(|c| meant.get(&c["row"].as_u64().unwrap()) == Some(&c["person"]))
        .count();
    let precision = correct as f64 / kept.len().max(1) as f64;
    let recall = correct as f64 / meant.len() as f64;
    eprintln!(
        "demo relatives: precision {precision:.3}, recall {recall:.3} ({correct} of {} planted, {} kept)",
        meant.len(),
        kept.len()
    );
    assert!(
        precision >= 0.9 && recall >= 0.9,
        "precision {precision:.3}, recall {recall:.3}"
    );
}

/// Imports `list` as the list `relatives` and cross-references it; the candidates.
fn import_and_cross_reference(store: &Path, list: &Path) -> Vec<Value> {
    let imported = trove(
        store,
        &[
            "lists",
            "import",
            list.to_str().unwrap(),
            "--name",
            "relatives",
        ],
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    json_lines(&trove(store, &["xref", "--list", "relatives", "--json"]))
}

#[test]
fn ocr_languages_given_once_are_kept_for_later_runs_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let folder = dir.path().join("leak");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("note.txt"), "维护稳定").unwrap();
    let folder = folder.to_str().unwrap();

    let refused = trove(
        &store,
        &["ingest", folder, "--ocr-languages", "chi_sim;rm -rf"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--ocr-languages"));

    let given = trove(
        &store,
        &[
            "ingest",
            folder,
            "--ocr",
            "never",
            "--ocr-languages",
            "chi_tra+eng",
        ],
    );
    assert!(
        given.status.success(),
        "{}",
        String::from_utf8_lossy(&given.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(store.join("ocr-languages.txt")).unwrap(),
        "chi_tra+eng"
    );
    let later = trove(&store, &["ingest", folder, "--ocr", "never"]);
    assert!(later.status.success());
    assert_eq!(
        std::fs::read_to_string(store.join("ocr-languages.txt")).unwrap(),
        "chi_tra+eng",
        "a run without the option keeps the store's"
    );
}
