//! What the binary's end-to-end tests share.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `trove --store STORE ARGS…` and waits for it.
pub fn trove(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trove"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("trove runs")
}
