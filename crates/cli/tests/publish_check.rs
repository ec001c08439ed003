//! `trove publish --check DIR`: the leak scanner run on real files, a synthetic leak's
//! spreadsheets and camera photos, and on a folder that holds nothing to hide.

use std::path::Path;
use std::process::{Command, Output};

fn trove(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .args(args)
        .output()
        .expect("trove runs")
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["publish", "--check", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    trove(&args)
}

#[test]
fn a_leak_s_own_files_fail_the_check_and_a_clean_folder_passes() {
    let work = tempfile::tempdir().unwrap();
    let demo = work.path().join("demo");
    let made = trove(&[
        "synth",
        "--people",
        "20",
        "--seed",
        "3",
        "--out",
        demo.to_str().unwrap(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    // The leak itself: registers full of ID numbers, photos with camera EXIF.
    let leaked = check(&demo.join("leak"), &["--json"]);
    assert_eq!(leaked.status.code(), Some(2));
    let out = String::from_utf8_lossy(&leaked.stdout);
    assert!(out.contains("\"kind\":\"id_number\""), "{out}");
    assert!(out.contains("\"kind\":\"image_metadata\""), "{out}");
    assert!(out.contains("\"clean\":false"));

    // A page naming a person who may not be published, and one with nothing to hide.
    let site = work.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<h1>Statistics</h1><p>12% held</p>",
    )
    .unwrap();
    let forbid = work.path().join("withheld.txt");
    std::fs::write(&forbid, "热依拉·奥迈尔\n").unwrap();
    let forbid = forbid.to_str().unwrap();
    let clean = check(&site, &["--forbid", forbid]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    std::fs::write(site.join("person.html"), "<h1>热依拉·奥迈尔</h1>").unwrap();
    let named = check(&site, &["--forbid", forbid]);
    assert_eq!(named.status.code(), Some(2));
    let out = String::from_utf8_lossy(&named.stdout);
    assert!(
        out.contains("LEAK Forbidden in person.html at byte 4"),
        "{out}"
    );
    assert!(
        !out.contains("热依拉·奥迈尔"),
        "the report itself leaks nothing: {out}"
    );
}
