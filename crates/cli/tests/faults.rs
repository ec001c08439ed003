//! Ingest under faults the disk brings: the store's disk filling up mid-ingest (a small
//! tmpfs in a private mount namespace), and a store whose folder turns read-only. Each
//! must end in a clear error, leave a store that verifies, and — once the fault is gone —
//! resume to the same catalog an undisturbed ingest makes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{catalog_dump, trove};

/// The demo leak.
fn demo_leak(work: &Path) -> PathBuf {
    let demo = work.join("demo");
    common::synth(&demo, &["--people", "60", "--seed", "7"]);
    demo.join("leak")
}

/// A store of `leak` ingested without any fault.
fn reference(work: &Path, leak: &Path) -> PathBuf {
    let reference = work.join("reference");
    let ingested = trove(&reference, &["ingest", leak.to_str().unwrap()]);
    assert!(matches!(ingested.status.code(), Some(0 | 2)));
    reference
}

fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[test]
fn a_full_disk_stops_ingest_with_a_clear_error_and_a_resume_loses_nothing() {
    let work = tempfile::tempdir().unwrap();
    let leak = demo_leak(work.path());
    let reference = reference(work.path(), &leak);
    // A disk with room for about half of what the store needs.
    let room_kib = folder_bytes(&reference) / 1024 / 2;
    let disk = work.path().join("disk");
    let copy = work.path().join("after");
    std::fs::create_dir_all(&disk).unwrap();
    // Everything happens inside one private mount namespace (the tmpfs is gone when it
    // ends): ingest onto the full disk, verify, make room, resume, verify, copy out.
    let script = format!(
        r#"set -u
mount -t tmpfs -o size={room_kib}k tmpfs "$DISK" || exit 97
"$TROVE" --store "$DISK/store" ingest "$LEAK" >"$WORK/full.out" 2>"$WORK/full.err"; echo $? >"$WORK/full.rc"
"$TROVE" --store "$DISK/store" verify >"$WORK/verify1.out" 2>&1; echo $? >"$WORK/verify1.rc"
mount -o remount,size=256m "$DISK"
"$TROVE" --store "$DISK/store" ingest "$LEAK" >"$WORK/resume.out" 2>&1; echo $? >"$WORK/resume.rc"
"$TROVE" --store "$DISK/store" verify >"$WORK/verify2.out" 2>&1; echo $? >"$WORK/verify2.rc"
cp -a "$DISK/store" "$WORK/after"
"#
    );
    if !in_private_mounts(&script, &disk, &leak, work.path()) {
        return;
    }
    let (read, rc) = outputs(work.path());

    assert_eq!(rc("full.rc"), 1, "{}{}", read("full.out"), read("full.err"));
    let error = read("full.err");
    assert!(
        error.contains("is full") && error.contains("run the same command again"),
        "{error}"
    );
    assert!(!error.contains("panicked"), "{error}");
    // The store the full disk left behind is sound: every recorded original intact.
    assert_eq!(rc("verify1.rc"), 0, "{}", read("verify1.out"));
    assert!(
        !read("verify1.out").contains("stray files"),
        "{}",
        read("verify1.out")
    );

    assert!(matches!(rc("resume.rc"), 0 | 2), "{}", read("resume.out"));
    assert_eq!(rc("verify2.rc"), 0, "{}", read("verify2.out"));
    assert!(!read("verify2.out").contains("not yet recorded"));
    assert_eq!(
        catalog_dump(&copy),
        catalog_dump(&reference),
        "the resumed catalog differs"
    );
}

#[test]
fn a_read_only_store_is_refused_with_what_to_do_and_works_again_once_writable() {
    let work = tempfile::tempdir().unwrap();
    let leak = demo_leak(work.path());
    let more = work.path().join("more");
    std::fs::create_dir_all(&more).unwrap();
    std::fs::write(more.join("notice.txt"), "关于教育转化工作的通知").unwrap();
    let disk = work.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let script = format!(
        r#"set -u
mount -t tmpfs -o size=256m tmpfs "$DISK" || exit 97
"$TROVE" --store "$DISK/store" ingest "$LEAK" >/dev/null 2>&1
mount -o remount,ro "$DISK"
"$TROVE" --store "$DISK/store" ingest "{more}" >"$WORK/ro.out" 2>"$WORK/ro.err"; echo $? >"$WORK/ro.rc"
mount -o remount,rw "$DISK"
"$TROVE" --store "$DISK/store" ingest "{more}" >"$WORK/rw.out" 2>&1; echo $? >"$WORK/rw.rc"
"$TROVE" --store "$DISK/store" verify >"$WORK/verify.out" 2>&1; echo $? >"$WORK/verify.rc"
"$TROVE" --store "$DISK/store" search 教育转化工作 >"$WORK/search.out" 2>&1
"#,
        more = more.display()
    );
    if !in_private_mounts(&script, &disk, &leak, work.path()) {
        return;
    }
    let (read, rc) = outputs(work.path());
    assert_eq!(rc("ro.rc"), 1, "{}", read("ro.out"));
    let error = read("ro.err");
    assert!(
        error.contains("read-only") && error.contains("copy the store"),
        "{error}"
    );
    assert!(!error.contains("panicked"), "{error}");
    assert_eq!(rc("rw.rc"), 0, "{}", read("rw.out"));
    assert_eq!(rc("verify.rc"), 0, "{}", read("verify.out"));
    assert!(
        read("search.out").contains("notice.txt"),
        "{}",
        read("search.out")
    );
}

/// Runs `script` under `sh` in a private user and mount namespace (so that it may mount a
/// tmpfs on `disk` without touching the machine), with `$DISK`, `$TROVE`, `$LEAK` and
/// `$WORK` set. False, with a message, where the machine allows no such namespace or no
/// tmpfs in it (the script exits 97 when its mount fails); any other failure of the
/// script fails the test.
fn in_private_mounts(script: &str, disk: &Path, leak: &Path, work: &Path) -> bool {
    let namespace = ["--user", "--map-root-user", "--mount"];
    let probe = Command::new("unshare").args(namespace).arg("true").output();
    if !probe.as_ref().is_ok_and(|out| out.status.success()) {
        eprintln!(
            "SKIPPED: this machine allows no private user and mount namespace (unshare --user --mount): {probe:?}"
        );
        return false;
    }
    let ran = Command::new("unshare")
        .args(namespace)
        .args(["sh", "-c", script])
        .env("DISK", disk)
        .env("TROVE", env!("CARGO_BIN_EXE_trove"))
        .env("LEAK", leak)
        .env("WORK", work)
        .output()
        .expect("unshare runs");
    if ran.status.code() == Some(97) {
        eprintln!("SKIPPED: this machine cannot mount a tmpfs in a private namespace");
        return false;
    }
    assert!(
        ran.status.success(),
        "the fault script failed: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    true
}

/// Readers of the files a script left in `work`: a file's text, and an exit status file's
/// number (-1 when missing).
fn outputs(work: &Path) -> (impl Fn(&str) -> String + '_, impl Fn(&str) -> i32 + '_) {
    let read = move |name: &str| std::fs::read_to_string(work.join(name)).unwrap_or_default();
    let rc = move |name: &str| read(name).trim().parse::<i32>().unwrap_or(-1);
    (read, rc)
}
