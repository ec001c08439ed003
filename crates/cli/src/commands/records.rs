//! `trove records`: list person records, filtered by words and `field:value` terms, as a
//! table, CSV or JSON lines; `--build` (re)makes them first.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use clap::Args;
use serde_json::json;
use trove_model::{BlobId, Record};
use trove_records::Mapping;
use trove_records::csv_cell::csv_cell;
use trove_store::{RecordCatalog, RecordFilter, StoredRecord};

use crate::output::{json_line, terminal_safe};
use crate::progress::IngestBar;

#[derive(Debug, Args)]
pub struct RecordsArgs {
    /// Words every listed record must contain (in any cell), and `field:value` terms:
    /// status:training_centre, list:register|detainees, township:…, village:…,
    /// sex:male|female, flag:CODE, person:KEY, id:NUMBER, valid:yes|no.
    pub query: Vec<String>,
    /// Print CSV (a header line, then one line per record).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print one JSON object per record.
    #[arg(long)]
    pub json: bool,
    /// At most this many records (all when not given).
    #[arg(long)]
    pub limit: Option<u64>,
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Read person records from every sheet and photo first (ingest does this too); with
    /// a new --mapping, every sheet is read again.
    #[arg(long)]
    pub build: bool,
    /// A TOML file of mapping rules for odd layouts (see the README). It is kept in the
    /// store (`mapping.toml`) and used by every later ingest and build.
    #[arg(long, requires = "build")]
    pub mapping: Option<PathBuf>,
    /// Forget the mapping kept in the store, and read every sheet again without it.
    #[arg(long, requires = "build", conflicts_with = "mapping")]
    pub clear_mapping: bool,
    /// List the sheets read as person lists instead of records: the kind each was judged
    /// to be and the evidence; the kinds that enter no rate (other, targeted) come first.
    #[arg(long, conflicts_with = "csv")]
    pub sheets: bool,
    /// Server mode: the shared catalog in PostgreSQL (postgres://user@host:port/name)
    /// instead of --store. A --mapping is used for this build only (not kept).
    #[arg(long, env = "TROVE_DATABASE_URL", conflicts_with = "clear_mapping")]
    pub database: Option<String>,
}

pub fn run(store: &Path, args: &RecordsArgs) -> anyhow::Result<ExitCode> {
    let opened = super::OpenCatalog::open(
        store,
        &super::SharedCatalogArg {
            database: args.database.clone(),
        },
    )?;
    let catalog: &dyn RecordCatalog = opened.catalog();
    if args.build {
        let _lock = opened.lock_for_writing("records")?;
        let mapping = match &args.database {
            Some(_) => match &args.mapping {
                Some(path) => read_mapping(path)?.0,
                None => Mapping::default(),
            },
            None => {
                if args.clear_mapping {
                    forget_mapping(store)?;
                }
                store_mapping(store, args.mapping.as_deref())?
            }
        };
        let bar = IngestBar::new();
        let report = trove_ingest::build_records(catalog, &mapping, &bar, &AtomicBool::new(false));
        bar.finish();
        let report = report?;
        eprintln!(
            "read {} sheets and photos: {} records from {} person lists, {} photos with an ID number, {} same-person candidates ({:.1} s)",
            report.sources,
            report.records,
            report.person_sheets,
            report.photo_links,
            report.candidates,
            report.elapsed.as_secs_f64()
        );
        if args.query.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    if args.sheets {
        return list_sheets(catalog, args.json);
    }
    let filter = parse_query(&args.query)?;
    // Looked up before streaming: the catalog is busy while records are visited.
    let paths: HashMap<BlobId, String> = catalog.record_blob_paths()?.into_iter().collect();
    let mut out = std::io::stdout().lock();
    if args.csv {
        writeln!(out, "{}", CSV_HEADER.join(","))?;
    } else if !args.json {
        writeln!(
            out,
            "{:<16} {:<22} {:<20} {:<4} {:<10} {:<10} {:<18} source",
            "person", "name", "id number", "sex", "born", "township", "status"
        )?;
    }
    let mut count = 0u64;
    catalog.for_each_record(&filter, args.offset, args.limit, &mut |stored| {
        count += 1;
        let path = paths
            .get(&stored.record.source.blob)
            .cloned()
            .unwrap_or_default();
        let written = if args.json {
            json_line(&json!({
                "person": stored.person,
                "path": path,
                "record": stored.record,
            }))
            .map_err(|e| e.to_string())
        } else if args.csv {
            writeln!(out, "{}", csv_line(&stored, &path)).map_err(|e| e.to_string())
        } else {
            writeln!(out, "{}", table_line(&stored, &path)).map_err(|e| e.to_string())
        };
        written.map_err(|e| {
            trove_store::StoreError::Stopped(format!("writing the records failed: {e}"))
        })
    })?;
    if !args.json && !args.csv {
        writeln!(out, "{count} records")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--sheets`: each person sheet's kind and evidence, and how to classify the undecided.
fn list_sheets(catalog: &dyn RecordCatalog, json: bool) -> anyhow::Result<ExitCode> {
    let sheets = catalog.person_sheets()?;
    let mut out = std::io::stdout().lock();
    for sheet in &sheets {
        let path = sheet.paths.first().cloned().unwrap_or_default();
        if json {
            json_line(&json!({
                "blob": sheet.blob.as_str(),
                "paths": sheet.paths,
                "sheet": sheet.sheet,
                "header_row": sheet.header_row,
                "kind": sheet.list.code(),
                "enters_rates": sheet.list.enters_rates(),
                "evidence": sheet.evidence,
                "records": sheet.records,
            }))?;
        } else {
            writeln!(
                out,
                "{:<10} {:>7} records  {} [{}] header row {}  — {}",
                sheet.list.code(),
                sheet.records,
                terminal_safe(&path),
                terminal_safe(sheet.sheet.as_deref().unwrap_or("-")),
                sheet.header_row,
                terminal_safe(&sheet.evidence)
            )?;
        }
    }
    let undecided = sheets.iter().filter(|s| !s.list.enters_rates()).count();
    if !json {
        writeln!(out, "{} person lists", sheets.len())?;
        if undecided > 0 {
            writeln!(
                out,
                "{undecided} of them enter no rate (kind other: nothing decides it; targeted: people \
                 singled out). To classify one, give it a [[sheet]] rule with kind = \"register\" \
                 or \"detainees\" in a mapping file and run `trove records --build --mapping FILE`."
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a store keeps the mapping rules it reads sheets with.
fn kept_mapping_path(store: &Path) -> PathBuf {
    store.join("mapping.toml")
}

/// The mapping to read sheets with: `given` (checked, then kept in the store for later
/// runs) or, without one, the mapping kept in the store, if any.
pub fn store_mapping(store: &Path, given: Option<&Path>) -> anyhow::Result<Mapping> {
    let kept = kept_mapping_path(store);
    if let Some(path) = given {
        let (mapping, text) = read_mapping(path)?;
        std::fs::create_dir_all(store)
            .and_then(|()| std::fs::write(&kept, &text))
            .with_context(|| format!("keeping the mapping in {}", kept.display()))?;
        return Ok(mapping);
    }
    match kept.try_exists() {
        Ok(false) => Ok(Mapping::default()),
        _ => Ok(read_mapping(&kept)?.0),
    }
}

/// The mapping file at `path`, parsed, with its text.
fn read_mapping(path: &Path) -> anyhow::Result<(Mapping, String)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the mapping file {}", path.display()))?;
    let mapping =
        Mapping::parse(&text).with_context(|| format!("in the mapping file {}", path.display()))?;
    Ok((mapping, text))
}

fn forget_mapping(store: &Path) -> anyhow::Result<()> {
    let kept = kept_mapping_path(store);
    match std::fs::remove_file(&kept) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", kept.display()))
        }
        _ => Ok(()),
    }
}

/// Words and `field:value` terms to a filter (the language is the store's, shared with
/// the workbench).
pub fn parse_query(terms: &[String]) -> anyhow::Result<RecordFilter> {
    Ok(trove_store::parse_record_query(terms)?)
}

/// `table_column`: the letter of the first column of the record's table (`A`, unless
/// tables stand side by side on the sheet).
const CSV_HEADER: [&str; 23] = [
    "person",
    "path",
    "blob",
    "sheet",
    "row",
    "table_column",
    "list",
    "name",
    "id_number",
    "id_valid",
    "sex",
    "ethnicity",
    "birth_date",
    "county",
    "township",
    "village",
    "address",
    "status",
    "status_raw",
    "reason",
    "detained_since",
    "place",
    "flags",
];

fn csv_line(stored: &StoredRecord, path: &str) -> String {
    let r: &Record = &stored.record;
    let f = &r.fields;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let flags: Vec<&str> = r.flags.iter().map(|f| f.code.as_str()).collect();
    let cells = [
        stored.person.clone(),
        path.to_owned(),
        r.source.blob.to_string(),
        text(&r.source.sheet),
        r.source.row.to_string(),
        trove_model::column_letter(r.source.column as usize),
        r.list.code().to_owned(),
        text(&f.name),
        text(&f.id_number),
        f.id_valid.to_string(),
        f.sex.map(|s| s.code().to_owned()).unwrap_or_default(),
        text(&f.ethnicity),
        f.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        text(&f.county),
        text(&f.township),
        text(&f.village),
        text(&f.address),
        f.status.map(|s| s.code().to_owned()).unwrap_or_default(),
        text(&f.status_raw),
        text(&f.reason),
        f.detained_since.map(|d| d.to_string()).unwrap_or_default(),
        text(&f.place),
        flags.join(" "),
    ];
    cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",")
}

fn table_line(stored: &StoredRecord, path: &str) -> String {
    let f = &stored.record.fields;
    let show = |v: &Option<String>| terminal_safe(v.as_deref().unwrap_or("-"));
    let id = match (&f.id_number, f.id_valid) {
        (Some(id), true) => id.clone(),
        (Some(id), false) => format!("{id}!"),
        (None, _) => "-".into(),
    };
    format!(
        "{:<16} {:<22} {:<20} {:<4} {:<10} {:<10} {:<18} {} ({}){}",
        stored.person,
        show(&f.name),
        terminal_safe(&id),
        f.sex.map(|s| s.chinese()).unwrap_or("-"),
        f.birth_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into()),
        show(&f.township),
        show(&f.status_raw),
        terminal_safe(path),
        stored.record.source.describe(),
        if stored.record.flags.is_empty() {
            String::new()
        } else {
            format!(" [{} flags]", stored.record.flags.len())
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_mix_words_and_fields() {
        let filter =
            parse_query(&["古丽 status:training_centre".into(), "valid:no".into()]).unwrap();
        assert_eq!(filter.words, vec!["古丽"]);
        assert_eq!(filter.status.as_deref(), Some("training_centre"));
        assert_eq!(filter.id_valid, Some(false));
        assert!(parse_query(&["colour:red".into()]).is_err());
    }
}
