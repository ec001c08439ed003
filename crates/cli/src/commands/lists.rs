//! `trove lists import`: an outside list (relatives' reports of the missing, a published
//! list) into the store, each entry keeping the file's hash and its row.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use trove_model::{ListInfo, PartKind};
use trove_records::lists::{ListMap, entries_from_rows};
use trove_store::{ListCatalog, Store};

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
}

pub fn run(store: &Path, command: &ListsCommand) -> anyhow::Result<ExitCode> {
    let ListsCommand::Import(args) = command;
    let opened = Store::open_existing(store)?;
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
    let (header, rows) = read_table(&bytes, &file_name)
        .with_context(|| format!("reading the list {}", args.file.display()))?;
    let map = ListMap::parse(args.map.as_deref().unwrap_or_default())?;
    let entries = entries_from_rows(&header, &rows, &map)
        .with_context(|| format!("in the list {}", args.file.display()))?;
    let info = ListInfo {
        name: args.name.clone(),
        file_name,
        blake3: blake3::hash(&bytes).to_hex().to_string(),
        entries: entries.len() as u32,
    };
    let _lock = opened.lock_for_writing()?;
    opened.catalog.import_list(&info, &entries)?;
    println!(
        "imported {} entries into list `{}` from {} (BLAKE3 {})",
        info.entries, info.name, info.file_name, info.blake3
    );
    Ok(ExitCode::SUCCESS)
}

type Table = (Vec<String>, Vec<(u32, Vec<String>)>);

/// Lists are read whole; larger files are refused rather than risk the memory.
const MAX_LIST_BYTES: u64 = 256 << 20;

/// A header and rows from a JSON array of objects, or from the first sheet of anything
/// trove reads as a spreadsheet.
fn read_table(bytes: &[u8], file_name: &str) -> anyhow::Result<Table> {
    if file_name.to_lowercase().ends_with(".json") {
        return json_table(bytes);
    }
    let kind = trove_extract::detect(bytes, file_name);
    let extracted = trove_extract::extract(kind, bytes, &trove_extract::Limits::default())?
        .with_context(|| format!("a {} file is not a list trove can read", kind.code()))?;
    let sheet = extracted
        .parts
        .into_iter()
        .find(|p| p.kind == PartKind::Sheet)
        .context("the file has no sheet of rows")?;
    let mut lines = sheet.text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split('\t')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .enumerate()
        .map(|(i, line)| (i as u32 + 2, line.split('\t').map(str::to_owned).collect()))
        .collect();
    Ok((header, rows))
}

fn json_table(bytes: &[u8]) -> anyhow::Result<Table> {
    let value: serde_json::Value = serde_json::from_slice(bytes)?;
    let Some(items) = value.as_array() else {
        bail!("a JSON list must be an array of objects");
    };
    let mut header: Vec<String> = Vec::new();
    for object in items.iter().filter_map(|v| v.as_object()) {
        for key in object.keys() {
            if !header.contains(key) {
                header.push(key.clone());
            }
        }
    }
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let cells = header
                .iter()
                .map(|key| match item.get(key) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect();
            (i as u32 + 2, cells)
        })
        .collect();
    Ok((header, rows))
}
