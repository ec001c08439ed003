//! `trove export ftm --out FILE`: the whole store as FollowTheMoney entities for a
//! partner's Aleph or OpenAleph instance. Not redacted: every name, full ID number,
//! address and phone number. A warning says so, and the file is made readable by its
//! owner only.

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use trove_publish::export_ftm::export_ftm;
use trove_store::Store;

use crate::output::json_line;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// FollowTheMoney entities (Person, Document, Image), one JSON object a line. NOT
    /// redacted: for partners' own instances only, never for publication.
    Ftm(ExportFtmArgs),
}

#[derive(Debug, Args)]
pub struct ExportFtmArgs {
    /// The file to write (created; an existing file is refused).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Print the counts as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &Path, command: &ExportCommand) -> anyhow::Result<ExitCode> {
    let ExportCommand::Ftm(args) = command;
    eprintln!(
        "WARNING: this export is NOT redacted. It holds every name, full ID number, address and \
         phone number of the store. Send it only to a partner's own Aleph/OpenAleph instance over \
         an encrypted channel; to publish, use `trove publish`."
    );
    let opened = Store::open_existing(store)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&args.out)
        .with_context(|| format!("creating {} (it must not exist yet)", args.out.display()))?;
    let mut out = BufWriter::new(file);
    let counts = export_ftm(&*opened.catalog, &mut out)
        .with_context(|| format!("writing {}", args.out.display()))?;
    out.flush()?;
    if args.json {
        json_line(&counts)?;
    } else {
        println!(
            "{} persons, {} documents, {} images written to {}",
            counts.persons,
            counts.documents,
            counts.images,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
