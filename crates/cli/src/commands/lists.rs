//! `trove lists import`: an outside list (relatives' reports of the missing, a published
//! list) into the store, each entry keeping the file's hash and its row.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use trove_ingest::{MAX_LIST_BYTES, read_list};
use trove_model::ListInfo;
use trove_records::lists::ListMap;

#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// Import a list from CSV, XLSX (or XLS, ODS) or JSON (an array of objects).
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// The list's name in the store (importing again under the name replaces it).
    #[arg(long)]
    pub name: String,
    /// Which columns hold what: name=COL,birth=COL,sex=COL,place=COL (found by their
    /// headers when not given).
    #[arg(long)]
    pub map: Option<String>,
    #[command(flatten)]
    pub shared: super::SharedCatalogArg,
}

pub fn run(store: &Path, command: &ListsCommand) -> anyhow::Result<ExitCode> {
    let ListsCommand::Import(args) = command;
    let opened = super::OpenCatalog::open(store, &args.shared)?;
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("reading the list {}", args.file.display()))?
        .len();
    if size > MAX_LIST_BYTES {
        bail!(
            "the list {} is {} MB; lists up to {} MB are read: split it into several lists",
            args.file.display(),
            size >> 20,
            MAX_LIST_BYTES >> 20
        );
    }
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("reading the list {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let map = ListMap::parse(args.map.as_deref().unwrap_or_default())?;
    let entries = read_list(&bytes, &file_name, &map)
        .with_context(|| format!("reading the list {}", args.file.display()))?;
    let info = ListInfo {
        name: args.name.clone(),
        file_name,
        blake3: blake3::hash(&bytes).to_hex().to_string(),
        entries: entries.len() as u32,
    };
    let _lock = opened.lock_for_writing(&format!("lists import {}", info.name))?;
    opened.catalog().import_list(&info, &entries)?;
    println!(
        "imported {} entries into list `{}` from {} (BLAKE3 {})",
        info.entries, info.name, info.file_name, info.blake3
    );
    Ok(ExitCode::SUCCESS)
}
