//! `trove bench xref`: cross-reference quality and speed.
//! - the demo's planted relatives' list (always): precision, recall, F1;
//! - FEBRL3 and FEBRL4 (`--febrl DIR`, written by scripts/bench-xref-febrl.sh);
//! - speed (`--scale`): synthetic Persons from 10,000 to a million against lists a tenth
//!   their size (`--million-entries` adds a million against a million), common names
//!   skewing the blocks, and a thousand Persons added to the million.

mod febrl;
mod planted;
mod scale;

use std::path::PathBuf;

use serde::Serialize;

use crate::output::json_line;

/// What `trove bench xref` measures.
#[derive(Debug, Clone)]
pub struct XrefBenchOptions {
    /// A folder with the FEBRL CSV files (see scripts/bench-xref-febrl.sh).
    pub febrl: Option<PathBuf>,
    /// Measure speed from 10,000 to 1,000,000 Persons.
    pub scale: bool,
    /// The largest Person count of the speed run.
    pub max_persons: usize,
    /// Also match a million entries against the million Persons.
    pub million_entries: bool,
    /// Worker threads.
    pub threads: usize,
    /// Random seed of the demo leak and the synthetic Persons.
    pub seed: u64,
    /// Print the results as JSON objects, one per line.
    pub json: bool,
}

#[derive(Debug, Serialize)]
#[serde(tag = "bench", rename_all = "snake_case")]
enum Report {
    Planted(planted::PlantedResult),
    Febrl(febrl::FebrlResult),
    Scale(scale::ScaleResult),
}

/// Runs the cross-reference benchmarks the options ask for and prints each result as it comes.
pub fn run(args: &XrefBenchOptions) -> anyhow::Result<()> {
    let show = |report: Report| -> anyhow::Result<()> {
        if args.json {
            json_line(&report)?;
        } else {
            print_report(&report);
        }
        Ok(())
    };
    show(Report::Planted(planted::run(args.seed)?))?;
    if let Some(dir) = &args.febrl {
        for fields in [febrl::Fields::All, febrl::Fields::NameBirthPlace] {
            show(Report::Febrl(febrl::febrl4(dir, fields)?))?;
            show(Report::Febrl(febrl::febrl3(dir, fields)?))?;
        }
    }
    if args.scale {
        for result in scale::run(args, &mut |r| {
            if !args.json {
                print_report(&Report::Scale(r.clone()));
            }
        })? {
            if args.json {
                json_line(&Report::Scale(result))?;
            }
        }
    }
    Ok(())
}

fn print_report(report: &Report) {
    match report {
        Report::Planted(r) => {
            println!(
                "demo relatives' list ({} entries, {} planted matches, {} Persons): {} pairs scored in {:.2} s",
                r.entries, r.planted_matches, r.persons, r.pairs_scored, r.seconds
            );
            for at in &r.at {
                println!(
                    "  score ≥ {:.2}: precision {:.3} recall {:.3} F1 {:.3}",
                    at.threshold, at.precision, at.recall, at.f1
                );
            }
        }
        Report::Febrl(r) => {
            println!(
                "{} ({:?}): {} true pairs; blocking kept {:.2}% of them, scoring {} pairs ({:.4}% of {}); {:.2} s",
                r.data,
                r.fields,
                r.true_pairs,
                100.0 * r.true_pairs_kept_by_blocking,
                r.pairs_scored,
                100.0 * r.pairs_scored_share,
                r.all_pairs,
                r.seconds
            );
            let keys: Vec<String> = r
                .pairs_by_key
                .iter()
                .map(|k| format!("{} {:.1}%", k.key, 100.0 * k.share))
                .collect();
            println!("  pairs found first by: {}", keys.join(", "));
            for at in &r.at {
                println!(
                    "  score ≥ {:.2}: precision {:.4} recall {:.4} F1 {:.4}",
                    at.threshold, at.precision, at.recall, at.f1
                );
            }
        }
        Report::Scale(r) => println!(
            "{:<34} {:>9} Persons × {:>9} entries: {:>7.2} s, {:>13} pairs, {:>6.2} M pairs/s/core, {:>9} candidates, {} too-common lookups, peak RSS {:.0} MiB",
            r.run,
            r.persons,
            r.entries,
            r.seconds,
            r.pairs_scored,
            r.pairs_per_second_per_core / 1e6,
            r.candidates,
            r.blocks_too_common,
            r.peak_rss_bytes as f64 / (1 << 20) as f64
        ),
    }
}
