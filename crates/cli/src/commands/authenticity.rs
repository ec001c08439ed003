//! `trove authenticity`: the machine part of showing a leak is genuine: ID numbers,
//! cameras and clocks, duplicates, document metadata, each finding with its evidence.

use std::path::{Path, PathBuf};

use anyhow::Context;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;
use trove_forensics::authenticity::html::to_html;
use trove_forensics::authenticity::{Evidence, Report};
use trove_web::authenticity_facts::CaseFacts;

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
    /// Also write the report as one self-contained HTML file (no scripts, each camera's
    /// photos per day as an SVG chart) to this path.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

pub fn run(store: &Path, args: &AuthenticityArgs) -> anyhow::Result<ExitCode> {
    let (store, _index) = open_store(store)?;
    let report = CaseFacts::read(&store)?.report(args.from, args.until);
    if let Some(path) = &args.html {
        std::fs::write(path, to_html(&report))
            .with_context(|| format!("writing the HTML report to {}", path.display()))?;
        eprintln!("HTML report written to {}", path.display());
    }
    if args.json {
        json_line(&report)?;
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
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
