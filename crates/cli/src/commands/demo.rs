//! `trove demo` and `trove synth`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use trove_index::SearchOptions;
use trove_ingest::IngestOptions;
use trove_synth::{GroundTruth, Shape, SynthOptions};

use super::ingest::{ReportJson, exit_code, ingest_with_progress, print_report};
use super::open_store;
use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the demo leak is written (DIR/leak and DIR/ground-truth.json).
    #[arg(long, default_value = "trove-demo")]
    pub dir: PathBuf,
    /// People in the county's village registers.
    #[arg(long, default_value_t = 2000)]
    pub people: usize,
    /// Random seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// Print the ingest report as one JSON object instead of the tour.
    #[arg(long)]
    pub json: bool,
    /// Then serve the demo as a case of the web workbench on this address (the relatives'
    /// list is cross-referenced first, and an admin `demo` is made with a password printed
    /// once).
    #[arg(long, value_name = "ADDRESS", num_args = 0..=1, default_missing_value = "127.0.0.1:8080")]
    pub serve: Option<std::net::SocketAddr>,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Output folder (gets leak/ and ground-truth.json).
    #[arg(long)]
    pub out: PathBuf,
    /// Residents of the county (default: 2,000 for the demo, 55,000 for --shape xpf).
    #[arg(long)]
    pub people: Option<usize>,
    /// `demo`: a few files of every format; `xpf`: the proportions of the 2022 leak
    /// (about 5,100 camera photos, 450 spreadsheets of 260,000 rows, 100 documents, 1.2 GB).
    #[arg(long, value_enum, default_value = "demo")]
    pub shape: ShapeArg,
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
    /// A clean leak: plant nothing for the authenticity report to find.
    #[arg(long)]
    pub no_anomalies: bool,
    /// Write a leak of hostile files instead (bombs, traversal, link loops, XML entities,
    /// huge and truncated files), with hostile.json saying what ingest must make of each.
    #[arg(long)]
    pub hostile: bool,
    /// With --hostile: the sizes (a 1M-row sheet, a 10,000-page PDF, a
    /// 100,000-member archive) instead of the test run's.
    #[arg(long, requires = "hostile")]
    pub full: bool,
}

/// The leak shapes `trove synth --shape` offers.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ShapeArg {
    Demo,
    Xpf,
}

impl From<ShapeArg> for Shape {
    fn from(shape: ShapeArg) -> Shape {
        match shape {
            ShapeArg::Demo => Shape::Demo,
            ShapeArg::Xpf => Shape::Xpf,
        }
    }
}

pub fn run_synth(args: &SynthArgs) -> anyhow::Result<ExitCode> {
    if args.hostile {
        return run_hostile(args);
    }
    let shaped = match args.shape.into() {
        Shape::Demo => trove_synth::default_options(),
        Shape::Xpf => trove_synth::xpf_options(),
    };
    let options = SynthOptions {
        people: args.people.unwrap_or(shaped.people),
        seed: args.seed,
        anomalies: !args.no_anomalies,
        shape: shaped.shape,
    };
    let truth = trove_synth::write_demo_leak(&args.out, &options)?;
    println!(
        "wrote {} files for {} people to {} (ground truth: {})",
        truth.files.len(),
        truth.persons.len(),
        args.out.join("leak").display(),
        args.out.join("ground-truth.json").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `trove synth --hostile`: the hostile leak in OUT/leak and what ingest must make of each
/// file in OUT/hostile.json.
fn run_hostile(args: &SynthArgs) -> anyhow::Result<ExitCode> {
    let scale = if args.full {
        trove_synth::HostileScale::FULL
    } else {
        trove_synth::HostileScale::SMALL
    };
    let leak = args.out.join("leak");
    let files = trove_synth::write_hostile_leak(&leak, scale, args.seed)?;
    let truth = args.out.join("hostile.json");
    fs::write(&truth, serde_json::to_vec_pretty(&files)?)
        .with_context(|| format!("writing {}", truth.display()))?;
    println!(
        "wrote {} hostile files to {} (what ingest must make of each: {})",
        files.len(),
        leak.display(),
        truth.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_demo(store: &Path, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let options = SynthOptions {
        people: args.people,
        seed: args.seed,
        ..SynthOptions::default()
    };
    let truth = ensure_leak(&args.dir, &options)?;
    let leak = args.dir.join("leak");
    eprintln!(
        "demo leak: {} files, {} people, in {}",
        truth.files.len(),
        truth.persons.len(),
        leak.display()
    );
    let ingest_options = IngestOptions {
        mapping: super::records::store_mapping(store, None)?,
        ..IngestOptions::default()
    };
    let report = ingest_with_progress(store, &leak, &ingest_options)?;
    if args.json {
        json_line(&ReportJson::from(&report))?;
        return Ok(exit_code(&report));
    }
    print_report(&report);
    let planted_failures = truth.files.iter().filter(|f| f.failure.is_some()).count();
    println!(
        "  (the demo plants {planted_failures} broken files, so failures are expected: `trove status` lists them)"
    );
    let (opened, index) = open_store(store)?;
    for query in ["教育", "\"shoot to kill\""] {
        let results = index.search(
            query,
            &SearchOptions {
                limit: Some(3),
                ..SearchOptions::default()
            },
        )?;
        println!("\ntrove search '{query}': {} matching parts", results.total);
        for hit in &results.hits {
            println!(
                "  {}  {}",
                hit.blob.short(),
                terminal_safe(hit.paths.first().map_or("", String::as_str))
            );
            println!("      … {} …", terminal_safe(&hit.snippet.marked("«", "»")));
        }
    }
    print_detention_figures(&opened, &truth)?;
    println!(
        "\nnext: trove search 'QUERY' --store {0}   ·   trove records --store {0}   ·   trove stats --by age --format svg --out ages.svg   ·   trove person ID",
        store.display()
    );
    if report.interrupted {
        return Ok(ExitCode::from(130));
    }
    if let Some(listen) = args.serve {
        drop((opened, index));
        super::demo_serve::serve_demo(store, &args.dir, listen)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The headline figure of the demo, computed from the records as `trove stats` does, next
/// to what the demo planted.
fn print_detention_figures(opened: &trove_store::Store, truth: &GroundTruth) -> anyhow::Result<()> {
    let summary = trove_store::RecordCatalog::record_summary(&*opened.catalog)?;
    println!(
        "\nperson records: {} rows of person lists, {} persons ({} with a valid ID number), {} photos linked to a person",
        summary.records, summary.persons, summary.persons_with_valid_id, summary.linked_photos
    );
    let at: chrono::NaiveDate = truth.figures.reference_date.parse()?;
    let (facts, _) = super::stats::person_facts(&*opened.catalog)?;
    let mut options =
        trove_records::stats::StatsOptions::new(trove_records::stats::Dimension::Township, at);
    options.adults = true;
    let table = trove_records::stats::compute(&facts, &options);
    println!(
        "\ntrove stats --by township --adults --at {at}\n{}",
        trove_records::stats::to_text(&table)
    );
    println!(
        "(planted: {} of {} adults held)",
        truth.figures.adults_detained, truth.figures.adults_listed
    );
    Ok(())
}

/// Writes the demo leak, or reuses one written before with the same options.
fn ensure_leak(dir: &Path, options: &SynthOptions) -> anyhow::Result<GroundTruth> {
    let truth_path = dir.join("ground-truth.json");
    if truth_path.is_file() {
        let truth: GroundTruth = serde_json::from_slice(
            &fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
        )
        .with_context(|| format!("{} is not a demo ground truth", truth_path.display()))?;
        if truth.people == options.people && truth.seed == options.seed {
            return Ok(truth);
        }
        bail!(
            "{} holds a demo leak made with --people {} --seed {}; remove it or pass another --dir",
            dir.display(),
            truth.people,
            truth.seed
        );
    }
    trove_synth::write_demo_leak(dir, options)
        .with_context(|| format!("writing the demo leak to {}", dir.display()))
}
