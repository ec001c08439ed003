//! `trove publish --check DIR`: the leak scanner over a folder about to be published
//! (a site, data sets): every byte read, gzip included; full valid ID numbers, phone
//! numbers, image metadata and forbidden strings (names of persons not published, source
//! paths) named, masked, with the file and offset. Exit status 2 when anything is found.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_publish::Scanner;

use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Scan this folder for what must not leave the newsroom, and publish nothing.
    #[arg(long, value_name = "DIR")]
    pub check: PathBuf,
    /// A file of strings that must not appear, one a line: the names (in every spelling)
    /// and ID numbers of persons not published, paths that are withheld.
    #[arg(long, value_name = "FILE")]
    pub forbid: Option<PathBuf>,
    /// One JSON object per finding, then a summary object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &PublishArgs) -> anyhow::Result<ExitCode> {
    let forbidden = match &args.forbid {
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("reading the forbidden strings from {}", file.display()))?
            .lines()
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    let report = Scanner::forbidding(forbidden)
        .scan_dir(&args.check)
        .with_context(|| format!("scanning {}", args.check.display()))?;
    for leak in &report.leaks {
        if args.json {
            json_line(leak)?;
        } else {
            println!(
                "LEAK {:?} in {} at byte {}: {}",
                leak.kind,
                terminal_safe(&leak.path),
                leak.offset,
                terminal_safe(&leak.excerpt)
            );
        }
    }
    let summary = format!(
        "{} files, {} bytes read: {}",
        report.files,
        report.bytes,
        if report.is_clean() {
            "nothing that must not leave was found".to_owned()
        } else {
            format!(
                "{} findings; publish nothing until each is gone",
                report.leaks.len()
            )
        }
    );
    if args.json {
        json_line(&serde_json::json!({
            "files": report.files,
            "bytes": report.bytes,
            "findings": report.leaks.len(),
            "clean": report.is_clean(),
        }))?;
    } else {
        println!("{summary}");
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
