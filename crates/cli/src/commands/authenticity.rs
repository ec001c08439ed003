//! `trove authenticity`: the machine part of showing a leak is genuine: ID numbers,
//! cameras and clocks, duplicates, document metadata, each finding with its evidence.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;
use trove_forensics::authenticity::{
    DateWindow, DocumentFact, Evidence, Facts, ImageFact, Report, report,
};
use trove_model::{BlobId, Record};
use trove_store::{Catalog, RecordCatalog, RecordFilter, Store};

use super::open_store;
use crate::output::json_line;

/// Evidence shown per finding in the text report (JSON has all of it).
const EVIDENCE_SHOWN: usize = 5;

#[derive(Debug, Args)]
pub struct AuthenticityArgs {
    /// The earliest date the leak's material should carry (YYYY-MM-DD); earlier dates
    /// in photos and documents are anomalies to check.
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// The latest such date; later ones are anomalies to check (after today: strong).
    #[arg(long)]
    pub until: Option<NaiveDate>,
    /// The report as one JSON object, every piece of evidence included.
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &Path, args: &AuthenticityArgs) -> anyhow::Result<ExitCode> {
    let (store, _index) = open_store(store)?;
    let gathered = Gathered::from(&store)?;
    let digest = super::custody::digest_of(&store)?;
    let report = report(&Facts {
        records: &gathered.records,
        images: &gathered.images,
        documents: &gathered.documents,
        window: DateWindow {
            from: args.from,
            until: args.until,
            today: chrono::Utc::now().date_naive(),
        },
        store_digest: &digest,
    });
    if args.json {
        json_line(&report)?;
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

/// The catalog's facts, as the report reads them.
struct Gathered {
    records: Vec<Record>,
    images: Vec<ImageFact>,
    documents: Vec<DocumentFact>,
}

impl Gathered {
    fn from(store: &Store) -> anyhow::Result<Gathered> {
        let mut paths: HashMap<BlobId, Vec<String>> = HashMap::new();
        store.catalog.for_each_occurrence(&mut |seen| {
            paths
                .entry(seen.occurrence.blob)
                .or_default()
                .push(seen.occurrence.path);
            Ok(())
        })?;
        let records_catalog: &dyn RecordCatalog = &store.catalog;
        let mut ids: HashMap<BlobId, Vec<String>> = HashMap::new();
        for link in records_catalog.photo_links()? {
            ids.entry(link.blob).or_default().push(link.id_number);
        }
        let mut records = Vec::new();
        records_catalog.for_each_record(&RecordFilter::default(), 0, None, &mut |stored| {
            records.push(stored.record);
            Ok(())
        })?;
        let (mut images, mut documents) = (Vec::new(), Vec::new());
        store
            .catalog
            .for_each_metadata(&mut |blob, kind, mut metadata| {
                let seen_at = paths.remove(&blob).unwrap_or_default();
                match metadata.image.take() {
                    Some(facts) if kind.is_image() => images.push(ImageFact {
                        id_numbers: ids.remove(&blob).unwrap_or_default(),
                        blob,
                        paths: seen_at,
                        facts,
                    }),
                    _ => documents.push(DocumentFact {
                        blob,
                        kind,
                        paths: seen_at,
                        metadata,
                    }),
                }
                Ok(())
            })?;
        Ok(Gathered {
            records,
            images,
            documents,
        })
    }
}

fn print_report(report: &Report) {
    let summary = &report.summary;
    println!(
        "Authenticity report: {} strong anomalies, {} anomalies to check, {} facts",
        summary.strong, summary.anomalies, summary.facts
    );
    println!(
        "computed from the store with digest {}",
        report.store_digest
    );
    let mut section = None;
    for finding in &report.findings {
        if section != Some(finding.section) {
            section = Some(finding.section);
            println!("\n## {}", finding.section.title());
        }
        println!("- [{}] {}", finding.strength.label(), finding.statement);
        for evidence in finding.evidence.iter().take(EVIDENCE_SHOWN) {
            match evidence {
                Evidence::Row { blob, place, .. } => println!("    {} {place}", &blob[..12]),
                Evidence::Document { blob, path } => println!("    {} {path}", &blob[..12]),
            }
        }
        if finding.evidence.len() > EVIDENCE_SHOWN {
            println!(
                "    … and {} more (--json lists all)",
                finding.evidence.len() - EVIDENCE_SHOWN
            );
        }
    }
    if report.findings.is_empty() {
        println!("\nnothing to report: ingest a leak first");
    }
}
