//! Cross-reference of an imported list with the Persons of the leak: the catalog's
//! Persons and entries handed to the matcher, its candidates stored for review. A run
//! scores only what is new (entries not yet scored, Persons added since the last run);
//! reviews already made are kept.

use std::collections::BTreeSet;

use trove_model::{MatchCandidate, Record, Review};
use trove_names::xref::{EntryMatches, PersonIndex, Scope, XrefOptions, XrefPerson, XrefStats};
use trove_records::persons::facts_of;
use trove_store::{ListCatalog, RecordCatalog, StoreError, StoredEntry, XrefBatch};

/// What one run did.
#[derive(Debug, Clone, Default)]
pub struct XrefReport {
    /// Entries scored for the first time, against every Person.
    pub new_entries: usize,
    /// Entries scored before, now scored against the new Persons only.
    pub earlier_entries: usize,
    /// Persons in the catalog the list was matched against.
    pub persons: usize,
    /// Of those, Persons not matched against this list before.
    pub new_persons: usize,
    /// Candidates found this run (kept with those of earlier runs).
    pub candidates: usize,
    /// Pairs scored by key, candidates kept, blocks skipped, name-score cache use.
    pub stats: XrefStats,
}

/// Cross-references `list` and stores its candidates. `on_entry` is called once per
/// entry scored, for progress. The caller holds the store's writer lock.
pub fn cross_reference<C: ListCatalog + RecordCatalog + ?Sized>(
    catalog: &C,
    list: &str,
    options: &XrefOptions,
    on_entry: &mut dyn FnMut(),
) -> Result<XrefReport, StoreError> {
    if catalog.list_info(list)?.is_none() {
        return Err(StoreError::NotFound {
            what: "list",
            name: list.to_owned(),
            hint: "import it first with `trove lists import FILE --name NAME`",
        });
    }
    let seen = catalog.xref_persons(list)?;
    // Persons already matched against the list go first, so the new ones are a range.
    let (old, new): (Vec<XrefPerson>, Vec<XrefPerson>) = persons_to_match(catalog)?
        .into_iter()
        .partition(|p| seen.contains(&p.key));
    let new_persons = new.len();
    let mut index = PersonIndex::new();
    index.add(old);
    let new_range = index.add(new);
    let (scored, unscored): (Vec<StoredEntry>, Vec<StoredEntry>) = catalog
        .list_entries(list)?
        .into_iter()
        .partition(|e| e.scored);
    let mut batch = XrefBatch::default();
    let mut keep = |found: EntryMatches| {
        on_entry();
        batch
            .candidates
            .extend(found.candidates.into_iter().map(|s| MatchCandidate {
                list: list.to_owned(),
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
    stats.merge(&index.match_entries(&entries(&unscored), Scope::All, options, &mut keep));
    if new_persons > 0 {
        let from = Scope::From(new_range.start);
        stats.merge(&index.match_entries(&entries(&scored), from, options, &mut keep));
    }
    batch.scored_rows = unscored.iter().map(|e| e.entry.row).collect();
    batch.persons = (0..index.len())
        .map(|p| index.person(p).key.clone())
        .collect();
    catalog.save_xref(list, &batch)?;
    Ok(XrefReport {
        new_entries: unscored.len(),
        earlier_entries: scored.len(),
        persons: index.len(),
        new_persons,
        candidates: batch.candidates.len(),
        stats,
    })
}

/// Every Person's names, birth date, sex and places, from their records.
fn persons_to_match<C: RecordCatalog + ?Sized>(catalog: &C) -> Result<Vec<XrefPerson>, StoreError> {
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
