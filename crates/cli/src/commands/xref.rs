//! `trove xref`: candidate matches between a list's entries and the Persons of the leak,
//! scored field by field and stored for review. Running it again scores only new entries
//! and new Persons; reviews already made are kept.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_model::{MatchCandidate, Record, Review};
use trove_names::xref::{DEFAULT_MIN_SCORE, PersonIndex, XrefPerson};
use trove_records::persons::facts_of;
use trove_store::{ListCatalog, RecordCatalog, Store, XrefBatch};

use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct XrefArgs {
    /// The list to cross-reference (see `trove lists import`).
    #[arg(long)]
    pub list: String,
    /// Lowest score kept as a candidate.
    #[arg(long, default_value_t = DEFAULT_MIN_SCORE)]
    pub min_score: f64,
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
    let persons = persons_to_match(catalog)?;
    let all_persons: Vec<String> = persons.iter().map(|p| p.key.clone()).collect();
    let index = PersonIndex::new(persons);
    let seen = catalog.xref_persons(&args.list)?;
    let entries = catalog.list_entries(&args.list)?;
    let mut batch = XrefBatch::default();
    let (mut new_entries, mut old_entries) = (0, 0);
    for stored in &entries {
        let found = if stored.scored {
            old_entries += 1;
            index.candidates(&stored.entry, args.min_score, |key| !seen.contains(key))
        } else {
            new_entries += 1;
            index.candidates(&stored.entry, args.min_score, |_| true)
        };
        batch
            .candidates
            .extend(found.into_iter().map(|s| MatchCandidate {
                list: args.list.clone(),
                row: s.row,
                person: s.person,
                score: s.score,
                fields: s.fields,
                review: Review::Unreviewed,
            }));
        batch.scored_rows.push(stored.entry.row);
    }
    batch.persons = all_persons;
    catalog.save_xref(&args.list, &batch)?;
    let new_persons = batch.persons.iter().filter(|p| !seen.contains(*p)).count();
    eprintln!(
        "scored {new_entries} new entries against {} Persons and {old_entries} earlier entries against {new_persons} new Persons; {} candidates found this run",
        index.len(),
        batch.candidates.len()
    );
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
        });
        Ok(())
    })?;
    Ok(persons)
}
