//! `trove custody export`: a manifest of every original, for tools other than trove.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use trove_forensics::custody::Producer;
use trove_forensics::{CustodyEntry, ManifestFormat, write_manifest};
use trove_store::Store;
use trove_web::authenticity_facts::digest_of;

use super::open_store;

#[derive(Debug, Args)]
pub struct CustodyArgs {
    #[command(subcommand)]
    pub command: CustodyCommand,
}

#[derive(Debug, Subcommand)]
pub enum CustodyCommand {
    /// Every original with its size and hashes, every path it was found at and the archive
    /// that held it. hashdeep: audit the ingested folder with
    /// `hashdeep -a -k MANIFEST -r FOLDER` (it lists the files on disk, not archive members).
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// hashdeep, csv or dfxml.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where to write it (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// hashdeep's known-hashes file (size, SHA-256, path).
    Hashdeep,
    /// A CSV row per path, archive members included.
    Csv,
    /// Digital Forensics XML.
    Dfxml,
}

pub fn run(store: &Path, args: &CustodyArgs) -> anyhow::Result<ExitCode> {
    let CustodyCommand::Export(export) = &args.command;
    let (store, _index) = open_store(store)?;
    let entries = custody_entries(&store)?;
    let digest = digest_of(&*store.catalog)?;
    let format = match export.format {
        Format::Hashdeep => ManifestFormat::Hashdeep,
        Format::Csv => ManifestFormat::Csv,
        Format::Dfxml => ManifestFormat::Dfxml,
    };
    let command: Vec<String> = std::env::args().collect();
    let producer = Producer {
        version: env!("CARGO_PKG_VERSION"),
        command: &command.join(" "),
        store_digest: &digest,
    };
    let written = match &export.out {
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("creating the manifest {}", path.display()))?,
            );
            let written = write_manifest(format, &entries, producer, &mut file)?;
            file.flush()
                .with_context(|| format!("writing the manifest {}", path.display()))?;
            eprintln!(
                "{written} entries written to {} (store digest {digest})",
                path.display()
            );
            written
        }
        None => write_manifest(format, &entries, producer, &mut std::io::stdout().lock())?,
    };
    if written == 0 {
        eprintln!("the store holds no originals yet: ingest a folder first");
    }
    Ok(ExitCode::SUCCESS)
}

/// Every place an original was seen, as custody entries.
fn custody_entries(store: &Store) -> anyhow::Result<Vec<CustodyEntry>> {
    let mut entries = Vec::new();
    store.catalog.for_each_occurrence(&mut |seen| {
        entries.push(CustodyEntry {
            root: seen.occurrence.root,
            path: seen.occurrence.path,
            parent: seen.occurrence.parent.map(|p| p.to_string()),
            blake3: seen.blob.id.to_string(),
            sha256: seen.blob.sha256,
            size: seen.blob.size,
            first_seen: seen.first_seen,
        });
        Ok(())
    })?;
    Ok(entries)
}
