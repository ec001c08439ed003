//! `trove xref`: candidate matches between a list's entries and the Persons of the leak,
//! scored field by field and stored for review. Running it again scores only new entries
//! and new Persons; reviews already made are kept.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use trove_model::{MatchCandidate, Record, Review};
use trove_names::xref::{
    DEFAULT_MAX_PER_ENTRY, DEFAULT_MIN_SCORE, EntryMatches, PersonIndex, Scope, XrefOptions,
    XrefPerson, XrefStats,
};
use trove_records::persons::facts_of;
use trove_store::{ListCatalog, RecordCatalog, Store, StoredEntry, XrefBatch};

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
}

pub fn run(store: &Path, args: &XrefArgs) -> anyhow::Result<ExitCode> {
    let opened = Store::open_existing(store)?;
    let catalog = &opened.catalog;
    ListCatalog::list_info(catalog, &args.list)?.with_context(|| {
        format!(
            "no list `{}` in this store: import it with `trove lists import FILE --name {}`",
            args.list, args.list
        )
    })?;
    let _lock = opened.lock_for_writing()?;
    let seen = catalog.xref_persons(&args.list)?;
    // Persons already matched against the list go first, so the new ones are a range.
    let (old, new): (Vec<XrefPerson>, Vec<XrefPerson>) = persons_to_match(catalog)?
        .into_iter()
        .partition(|p| seen.contains(&p.key));
    let new_persons = new.len();
    let mut index = PersonIndex::new();
    index.add(old);
    let new_range = index.add(new);
    let (scored, unscored): (Vec<StoredEntry>, Vec<StoredEntry>) = catalog
        .list_entries(&args.list)?
        .into_iter()
        .partition(|e| e.scored);
    let options = XrefOptions {
        min_score: args.min_score,
        max_per_entry: args.max_per_entry,
        ..XrefOptions::default()
    };
    let bar = progress_bar((scored.len() + unscored.len()) as u64);
    let mut batch = XrefBatch::default();
    let mut keep = |found: EntryMatches| {
        bar.inc(1);
        batch
            .candidates
            .extend(found.candidates.into_iter().map(|s| MatchCandidate {
                list: args.list.clone(),
                row: s.row,
                person: s.person,
                score: s.score,
                fields: s.fields,
                review: Review::Unreviewed,
            }));
    };
    let entries =
        |stored: &[StoredEntry]| stored.iter().map(|e| e.entry.clone()).collect::<Vec<_>>();
    let mut stats = XrefStats::default();
    stats.merge(&index.match_entries(&entries(&unscored), Scope::All, &options, &mut keep));
    if new_persons > 0 {
        let from = Scope::From(new_range.start);
        stats.merge(&index.match_entries(&entries(&scored), from, &options, &mut keep));
    }
    bar.finish_and_clear();
    batch.scored_rows = unscored.iter().map(|e| e.entry.row).collect();
    batch.persons = (0..index.len())
        .map(|p| index.person(p).key.clone())
        .collect();
    catalog.save_xref(&args.list, &batch)?;
    eprintln!(
        "scored {} new entries against {} Persons and {} earlier entries against {new_persons} new Persons: {} pairs scored, {} candidates found this run",
        unscored.len(),
        index.len(),
        scored.len(),
        stats.pairs_scored,
        batch.candidates.len()
    );
    if stats.blocks_too_common > 0 {
        eprintln!(
            "{} lookups skipped a name shared by more than {} Persons: give those entries a birth year to narrow them",
            stats.blocks_too_common, options.max_block
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

/// Every Person's names, birth date, sex and places, from their records.
fn persons_to_match(catalog: &dyn RecordCatalog) -> anyhow::Result<Vec<XrefPerson>> {
    let mut persons = Vec::new();
    catalog.for_each_person(&mut |key, records| {
        let refs: Vec<&Record> = records.iter().collect();
        let facts = facts_of(&refs);
        let names: BTreeSet<String> = records
            .iter()
            .filter_map(|r| r.fields.name.clone())
            .collect();
        let places: BTreeSet<String> = records
            .iter()
            .flat_map(|r| [&r.fields.county, &r.fields.township, &r.fields.village])
            .flatten()
            .cloned()
            .collect();
        persons.push(XrefPerson {
            key: key.to_owned(),
            names: names.into_iter().collect(),
            birth_date: facts.birth_date,
            sex: facts.sex,
            places: places.into_iter().collect(),
            extra: Vec::new(),
        });
        Ok(())
    })?;
    Ok(persons)
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
