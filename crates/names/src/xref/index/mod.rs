//! The matcher: Persons indexed by blocking key, entries looked up in parallel, candidate
//! pairs sifted by remembered name scores, the best kept per entry and explained, and
//! handed to the caller entry by entry (never all held at once).

//!
//! Split by job: [`options`] (options, scope, statistics), [`fit`] (the model learnt
//! from a sample of pairs), [`worker`] (one thread's matching of an entry); here the
//! index itself and the parallel run.

mod fit;
mod options;
mod worker;

pub use options::{
    DEFAULT_MAX_BLOCK, DEFAULT_MAX_PER_ENTRY, DEFAULT_MIN_SCORE, EntryMatches, Scope, XrefOptions,
    XrefStats,
};
use worker::Worker;

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::Datelike;
use rustc_hash::FxHashMap;
use trove_model::ListEntry;

use crate::xref::blocking::{Blockable, Key, Side, keys};
use crate::xref::fields::{FIRST_EXTRA, XrefPerson, entry_place};
use crate::xref::interned::{NameId, NameTable};

/// A Person's first name, and whether it is the only one.
#[derive(Clone, Copy)]
struct Primary {
    name: NameId,
    single: bool,
}

/// A Person as the matcher holds it: names and places by number.
struct Indexed {
    person: XrefPerson,
    names: Box<[NameId]>,
    places: Box<[u32]>,
}

/// Persons indexed by blocking key.
#[derive(Default)]
pub struct PersonIndex {
    table: NameTable,
    persons: Vec<Indexed>,
    /// Each Person's first name, apart, so that sifting reads 8 bytes a Person.
    primary_names: Vec<Primary>,
    blocks: FxHashMap<u64, Vec<u32>>,
    places: FxHashMap<Box<str>, u32>,
    place_texts: Vec<Box<str>>,
}

impl PersonIndex {
    /// An empty index.
    pub fn new() -> PersonIndex {
        PersonIndex::default()
    }

    /// An index of `persons`.
    pub fn of(persons: Vec<XrefPerson>) -> PersonIndex {
        let mut index = PersonIndex::new();
        index.add(persons);
        index
    }

    /// How many Persons the index holds.
    pub fn len(&self) -> usize {
        self.persons.len()
    }

    /// Whether the index holds no Person.
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    /// Distinct names (by their analysed parts) of the Persons and entries seen.
    pub fn distinct_names(&self) -> usize {
        self.table.len()
    }

    /// The Person at a position.
    pub fn person(&self, position: usize) -> &XrefPerson {
        &self.persons[position].person
    }

    /// Adds Persons, returning their positions (to match entries against them alone).
    pub fn add(&mut self, persons: Vec<XrefPerson>) -> Range<usize> {
        let start = self.persons.len();
        self.table.intern_all(
            persons
                .iter()
                .flat_map(|p| p.names.iter().map(String::as_str)),
        );
        let mut buffer = Vec::new();
        for person in persons {
            let position = self.persons.len() as u32;
            let names: Box<[NameId]> = person.names.iter().map(|n| self.table.intern(n)).collect();
            let places: Box<[u32]> = person.places.iter().map(|p| self.place_id(p)).collect();
            let who = Blockable {
                names: &names,
                birth_date: person.birth_date,
                birth_year: None,
                extra: &person.extra,
            };
            keys(&self.table, who, Side::Person, &mut buffer);
            for key in &buffer {
                self.blocks.entry(key.hash).or_default().push(position);
            }
            self.primary_names.push(Primary {
                name: names.first().copied().unwrap_or(NameId::MAX),
                single: names.len() == 1,
            });
            self.persons.push(Indexed {
                person,
                names,
                places,
            });
        }
        start..self.persons.len()
    }

    fn place_id(&mut self, place: &str) -> u32 {
        if let Some(&id) = self.places.get(place) {
            return id;
        }
        let id = self.place_texts.len() as u32;
        self.place_texts.push(place.into());
        self.places.insert(place.into(), id);
        id
    }

    fn block(&self, hash: u64) -> &[u32] {
        self.blocks.get(&hash).map_or(&[], Vec::as_slice)
    }

    /// Candidates for one entry among the Persons `admit` lets through, best first. For
    /// tests: each call sets up a worker sized to the whole index.
    #[cfg(test)]
    fn candidates(
        &mut self,
        entry: &ListEntry,
        min_score: f64,
        admit: impl Fn(&str) -> bool,
    ) -> Vec<crate::xref::fields::Scored> {
        let options = XrefOptions {
            min_score,
            max_per_entry: usize::MAX,
            threads: 1,
            ..XrefOptions::default()
        };
        let (prepared, weighing) = self.prepare_and_fit(std::slice::from_ref(entry), &options);
        let mut worker = Worker::new(self, &options);
        let found = worker.match_entry(&weighing, &prepared[0], Scope::All, &admit);
        found.candidates
    }

    /// Matches entries against the Persons in `scope`, in parallel; `sink` gets each
    /// entry's candidates (on the calling thread, in no particular order of entries).
    pub fn match_entries(
        &mut self,
        entries: &[ListEntry],
        scope: Scope,
        options: &XrefOptions,
        sink: &mut dyn FnMut(EntryMatches),
    ) -> XrefStats {
        let (prepared, weighing) = self.prepare_and_fit(entries, options);
        let index = &*self;
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::sync_channel::<EntryMatches>(1024);
        let mut totals = XrefStats::default();
        std::thread::scope(|scope_| {
            let workers: Vec<_> = (0..options.threads.max(1))
                .map(|_| {
                    let sender = sender.clone();
                    let (next, prepared, weighing) = (&next, &prepared, &weighing);
                    scope_.spawn(move || {
                        let mut worker = Worker::new(index, options);
                        loop {
                            let at = next.fetch_add(1, Ordering::Relaxed);
                            let Some(entry) = prepared.get(at) else { break };
                            let found = worker.match_entry(weighing, entry, scope, &|_| true);
                            if sender.send(found).is_err() {
                                break;
                            }
                        }
                        worker.finish()
                    })
                })
                .collect();
            drop(sender);
            for found in receiver {
                sink(found);
            }
            for worker in workers {
                // A worker panicking is a bug in this module; say so where it happened.
                let stats = worker.join().expect("a cross-reference worker panicked");
                totals.merge(&stats);
            }
        });
        totals
    }

    /// Entries with their names and places numbered and their blocking keys made, and the
    /// names of their extra fields (each entry's in the model's numbering).
    fn prepare<'e>(&mut self, entries: &'e [ListEntry]) -> (Vec<Prepared<'e>>, Vec<String>) {
        self.table
            .intern_all(entries.iter().map(|e| e.name.as_str()));
        let mut extra_fields: Vec<String> = Vec::new();
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let name = self.table.intern(&entry.name);
            let place = entry_place(entry).map(|p| self.place_id(p));
            let mut entry_keys = Vec::new();
            let who = Blockable {
                names: std::slice::from_ref(&name),
                birth_date: entry.birth_date,
                birth_year: entry.birth_year.or(entry.birth_date.map(|d| d.year())),
                extra: &entry.extra,
            };
            keys(&self.table, who, Side::Entry, &mut entry_keys);
            let extra = entry
                .extra
                .iter()
                .map(|f| {
                    let at = extra_fields.iter().position(|known| *known == f.field);
                    FIRST_EXTRA
                        + at.unwrap_or_else(|| {
                            extra_fields.push(f.field.clone());
                            extra_fields.len() - 1
                        })
                })
                .collect();
            out.push(Prepared {
                entry,
                name,
                place,
                keys: entry_keys,
                extra,
            });
        }
        (out, extra_fields)
    }
}

struct Prepared<'e> {
    entry: &'e ListEntry,
    name: NameId,
    place: Option<u32>,
    keys: Vec<Key>,
    /// The model's field of each of the entry's extra fields.
    extra: Vec<usize>,
}

#[cfg(test)]
mod tests;
