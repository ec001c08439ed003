//! `trove xref`: candidate matches between a list's entries and the Persons of the leak,
//! scored field by field and stored for review. Running it again scores only new entries
//! and new Persons; reviews already made are kept.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use trove_ingest::cross_reference;
use trove_names::xref::{DEFAULT_MAX_PER_ENTRY, DEFAULT_MIN_SCORE, XrefOptions};

use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct XrefArgs {
    /// The list to cross-reference (see `trove lists import`).
    #[arg(long)]
    pub list: String,
    /// Lowest score kept as a candidate.
    #[arg(long, default_value_t = DEFAULT_MIN_SCORE)]
    pub min_score: f64,
    /// Most candidates kept per entry, best first.
    #[arg(long, default_value_t = DEFAULT_MAX_PER_ENTRY)]
    pub max_per_entry: usize,
    /// One JSON object per candidate.
    #[arg(long)]
    pub json: bool,
    /// Print only the summary, not the candidates.
    #[arg(long, conflicts_with = "json")]
    pub quiet: bool,
    #[command(flatten)]
    pub shared: super::SharedCatalogArg,
}

pub fn run(store: &Path, args: &XrefArgs) -> anyhow::Result<ExitCode> {
    let opened = super::OpenCatalog::open(store, &args.shared)?;
    let catalog = opened.catalog();
    let info = catalog.list_info(&args.list)?.with_context(|| {
        format!(
            "no list `{}` in this store: import it with `trove lists import FILE --name {}`",
            args.list, args.list
        )
    })?;
    let _lock = opened.lock_for_writing(&format!("xref {}", args.list))?;
    let options = XrefOptions {
        min_score: args.min_score,
        max_per_entry: args.max_per_entry,
        ..XrefOptions::default()
    };
    let bar = progress_bar(u64::from(info.entries));
    let report = cross_reference(catalog, &args.list, &options, &mut || bar.inc(1))?;
    bar.finish_and_clear();
    eprintln!(
        "scored {} new entries against {} Persons and {} earlier entries against {} new Persons: {} pairs scored, {} candidates found this run",
        report.new_entries,
        report.persons,
        report.earlier_entries,
        report.new_persons,
        report.stats.pairs_scored,
        report.candidates
    );
    if report.stats.blocks_too_common > 0 {
        eprintln!(
            "{} lookups skipped a name shared by more than {} Persons: give those entries a birth year to narrow them",
            report.stats.blocks_too_common, options.max_block
        );
    }
    for candidate in catalog.match_candidates(&args.list)? {
        if args.json {
            json_line(&candidate)?;
            continue;
        }
        println!(
            "row {} ~ person {}: score {:.3} ({})",
            candidate.row,
            candidate.person,
            candidate.score,
            candidate.review.code()
        );
        for field in &candidate.fields {
            let score = field.score.map_or("-".to_owned(), |s| format!("{s:.2}"));
            println!(
                "  {:<6} {score:>5}  {}",
                field.field,
                terminal_safe(&field.detail)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_bar(entries: u64) -> ProgressBar {
    let bar = ProgressBar::new(entries);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} entries · ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}
