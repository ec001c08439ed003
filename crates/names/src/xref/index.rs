//! The matcher: Persons indexed by blocking key, entries looked up in parallel, candidate
//! pairs sifted by remembered name scores, the best kept per entry and explained, and
//! handed to the caller entry by entry (never all held at once).

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::Datelike;
use rustc_hash::FxHashMap;
use trove_model::ListEntry;

use super::blocking::{Blockable, Grain, Key, KeyKind, Side, keys};
use super::cache::ScoreCache;
use super::fields::{
    BIRTH, BirthAgreement, FIRST_EXTRA, NAME, PLACE, SEX, Scored, Weighing, XrefPerson,
    birth_agreement, entry_place, explain, extra_level, extra_value, level_or_missing, name_level,
    person_extra, place_level, place_value, sex_value,
};
use super::interned::{NameId, NameTable};
use super::model::{MISSING, MatchModel, Pattern};

/// The default lowest score kept as a candidate.
pub const DEFAULT_MIN_SCORE: f64 = 0.7;
/// The default number of candidates kept per entry, best first: more than a reviewer can
/// weigh for one missing person.
pub const DEFAULT_MAX_PER_ENTRY: usize = 20;
/// Blocks holding more Persons than this are too common a name to scan: a pair key is
/// narrowed by the birth year, any other key is skipped (and counted).
pub const DEFAULT_MAX_BLOCK: usize = 2_000;
/// An extra field's value shared by more Persons than this is no key (a state, a street
/// number).
const MAX_RARE_BLOCK: usize = 8;

/// How candidates are chosen.
#[derive(Debug, Clone)]
pub struct XrefOptions {
    pub min_score: f64,
    pub max_per_entry: usize,
    pub max_block: usize,
    /// Worker threads (at least one).
    pub threads: usize,
    /// Drop pairs whose names are too far apart for the other fields to carry them to
    /// `min_score` before scoring those fields. Off only to measure blocking: every pair that shares a key is
    /// then scored and kept.
    pub sift: bool,
    /// Whether the Persons are distinct people, so that an entry is at most one of them
    /// (see [`MatchModel::fit`]); off when they repeat people, as when a list is matched
    /// against itself to find its duplicates.
    pub persons_distinct: bool,
}

impl Default for XrefOptions {
    fn default() -> Self {
        XrefOptions {
            min_score: DEFAULT_MIN_SCORE,
            max_per_entry: DEFAULT_MAX_PER_ENTRY,
            max_block: DEFAULT_MAX_BLOCK,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            sift: true,
            persons_distinct: true,
        }
    }
}

/// Which Persons an entry is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Only the Persons added from this position on (see [`PersonIndex::add`]): the new
    /// ones, when entries were matched against the others before.
    From(usize),
}

/// The candidates of one entry, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryMatches {
    pub row: u32,
    pub candidates: Vec<Scored>,
}

/// The model is learnt from the pairs of at most this many entries, spread evenly over
/// the list: enough to learn a few dozen weights, few enough to cost little beside the
/// matching itself.
const FIT_ENTRIES: usize = 1_000;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XrefStats {
    pub entries: u64,
    /// Entry–Person pairs scored (found through a shared key and admitted).
    pub pairs_scored: u64,
    /// The pairs scored by the kind of the first key that found them (in the order of
    /// [`KeyKind::ALL`]).
    pub pairs_by_key: [u64; KeyKind::ALL.len()],
    pub candidates: u64,
    /// Blocks left unscanned because too many Persons share the key and the entry has no
    /// birth year to narrow it.
    pub blocks_too_common: u64,
    /// Name scores found in memory, and computed.
    pub name_hits: u64,
    pub name_misses: u64,
}

impl XrefStats {
    /// Adds another run's counts to these.
    pub fn merge(&mut self, other: &XrefStats) {
        self.entries += other.entries;
        self.pairs_scored += other.pairs_scored;
        for (total, more) in self.pairs_by_key.iter_mut().zip(other.pairs_by_key) {
            *total += more;
        }
        self.candidates += other.candidates;
        self.blocks_too_common += other.blocks_too_common;
        self.name_hits += other.name_hits;
        self.name_misses += other.name_misses;
    }
}

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
    pub fn new() -> PersonIndex {
        PersonIndex::default()
    }

    /// An index of `persons`.
    pub fn of(persons: Vec<XrefPerson>) -> PersonIndex {
        let mut index = PersonIndex::new();
        index.add(persons);
        index
    }

    pub fn len(&self) -> usize {
        self.persons.len()
    }

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
    ) -> Vec<Scored> {
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

    /// Entries prepared for matching, and the weighing learnt from the pairs their keys
    /// lead to (against every Person, whatever the scope: the model describes the list).
    fn prepare_and_fit<'e>(
        &mut self,
        entries: &'e [ListEntry],
        options: &XrefOptions,
    ) -> (Vec<Prepared<'e>>, Weighing) {
        let (prepared, extra_fields) = self.prepare(entries);
        let fields = FIRST_EXTRA + extra_fields.len();
        let mut worker = Worker::new(self, options);
        // Each distinct pattern numbered; each sampled entry's pairs by pattern number.
        let mut numbers: FxHashMap<Pattern, u32> = FxHashMap::default();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut met: Vec<Vec<(u32, u32)>> = Vec::new();
        let step = prepared.len().div_ceil(FIT_ENTRIES).max(1);
        let mut pattern = vec![MISSING; fields];
        for entry in prepared.iter().step_by(step) {
            let mut pairs: FxHashMap<u32, u32> = FxHashMap::default();
            worker.for_each_pair(entry, Scope::All, &mut |worker, position| {
                let person = &worker.index.persons[position as usize];
                worker.pattern(entry, person, &mut pattern);
                let number = match numbers.get(&pattern) {
                    Some(&number) => number,
                    None => {
                        let number = patterns.len() as u32;
                        numbers.insert(pattern.clone(), number);
                        patterns.push(pattern.clone());
                        number
                    }
                };
                *pairs.entry(number).or_default() += 1;
            });
            let mut pairs: Vec<(u32, u32)> = pairs.into_iter().collect();
            pairs.sort_unstable();
            met.push(pairs);
        }
        let levels = Weighing::levels(extra_fields.len());
        let model = MatchModel::fit(&levels, &patterns, &met, options.persons_distinct);
        let weighing = Weighing {
            model,
            extra_fields,
        };
        (prepared, weighing)
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

/// One thread's working memory: remembered scores and a stamp per Person, so that a
/// Person reached through several keys is scored once without sorting.
struct Worker<'a> {
    index: &'a PersonIndex,
    options: &'a XrefOptions,
    cache: ScoreCache,
    /// The current entry's name scores against each distinct name, valid where
    /// `name_stamps` holds the entry's stamp: most pairs are decided by one array read.
    name_scores: Vec<f64>,
    name_stamps: Vec<u32>,
    places: FxHashMap<u64, f64>,
    stamps: Vec<u32>,
    stamp: u32,
    stats: XrefStats,
}

impl<'a> Worker<'a> {
    fn new(index: &'a PersonIndex, options: &'a XrefOptions) -> Worker<'a> {
        Worker {
            index,
            options,
            cache: ScoreCache::new(),
            name_scores: vec![0.0; index.table.len()],
            name_stamps: vec![0; index.table.len()],
            places: FxHashMap::default(),
            stamps: vec![0; index.persons.len()],
            // Stamps start at 0, so the first entry's stamp must not.
            stamp: 1,
            stats: XrefStats::default(),
        }
    }

    fn finish(mut self) -> XrefStats {
        self.stats.name_hits = self.cache.hits;
        self.stats.name_misses = self.cache.misses;
        self.stats
    }

    /// The blocks an entry's keys lead to: a coarse key whose block is too large is
    /// replaced by its narrow keys (with the birth year); narrow keys are used only then.
    fn blocks_of(&mut self, entry: &Prepared<'_>) -> Vec<(KeyKind, &'a [u32])> {
        let index = self.index;
        let max = self.options.max_block;
        let mut out = Vec::with_capacity(entry.keys.len());
        let mut too_common = 0;
        for key in &entry.keys {
            let block = index.block(key.hash);
            match key.grain {
                Grain::Narrow { .. } => {}
                Grain::Rare if block.len() <= MAX_RARE_BLOCK => out.push((key.kind, block)),
                Grain::Rare => {}
                Grain::Plain | Grain::Coarse if block.len() <= max => out.push((key.kind, block)),
                Grain::Plain => too_common += 1,
                Grain::Coarse => {
                    let narrow: Vec<(KeyKind, &[u32])> = entry
                        .keys
                        .iter()
                        .filter(|k| k.grain == Grain::Narrow { wider: key.hash })
                        .map(|k| (k.kind, index.block(k.hash)))
                        .collect();
                    if narrow.is_empty() || narrow.iter().any(|(_, b)| b.len() > max) {
                        too_common += 1;
                    } else {
                        out.extend(narrow);
                    }
                }
            }
        }
        self.stats.blocks_too_common += too_common;
        out
    }

    /// Calls `visit` once for every Person in `scope` that shares a usable key with the
    /// entry; counts the pairs.
    fn for_each_pair(
        &mut self,
        entry: &Prepared<'_>,
        scope: Scope,
        visit: &mut dyn FnMut(&mut Self, u32),
    ) {
        self.stats.entries += 1;
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.fill(0);
            self.name_stamps.fill(0);
            self.stamp = 1;
        }
        let first = match scope {
            Scope::All => 0,
            Scope::From(start) => start as u32,
        };
        for (kind, block) in self.blocks_of(entry) {
            for &position in block {
                if position < first || self.stamps[position as usize] == self.stamp {
                    continue;
                }
                self.stamps[position as usize] = self.stamp;
                self.stats.pairs_scored += 1;
                self.stats.pairs_by_key[kind as usize] += 1;
                visit(self, position);
            }
        }
    }

    fn match_entry(
        &mut self,
        weighing: &Weighing,
        entry: &Prepared<'_>,
        scope: Scope,
        admit: &dyn Fn(&str) -> bool,
    ) -> EntryMatches {
        let model = &weighing.model;
        let reachable = self.name_levels_that_can_reach(model, entry);
        let mut kept: Vec<(f64, u32)> = Vec::new();
        let mut pattern = vec![MISSING; FIRST_EXTRA + weighing.extra_fields.len()];
        self.for_each_pair(entry, scope, &mut |worker, position| {
            let primary = worker.index.primary_names[position as usize];
            if primary.single
                && !reachable[usize::from(name_level(worker.entry_name_score(entry, primary.name)))]
            {
                return;
            }
            let person = &worker.index.persons[position as usize];
            if !admit(&person.person.key) {
                return;
            }
            worker.pattern(entry, person, &mut pattern);
            let score = MatchModel::probability(model.log_odds(&pattern));
            if score >= worker.options.min_score {
                kept.push((score, position));
            }
        });
        kept.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        kept.truncate(self.options.max_per_entry);
        let index = self.index;
        let mut candidates: Vec<Scored> = kept
            .into_iter()
            .map(|(_, position)| self.explain(weighing, entry, &index.persons[position as usize]))
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.person.cmp(&b.person)));
        self.stats.candidates += candidates.len() as u64;
        EntryMatches {
            row: entry.entry.row,
            candidates,
        }
    }

    /// Which name levels can still carry a pair to the lowest score kept, were every other
    /// field the entry gives to agree as well as it can: a pair whose names fall in
    /// another level is dropped on its remembered name score alone (when sifting).
    fn name_levels_that_can_reach(&self, model: &MatchModel, entry: &Prepared<'_>) -> Vec<bool> {
        let e = entry.entry;
        let mut others = model.prior();
        // A birth date can agree on the day, a year alone only on the year.
        let birth_levels: &[BirthAgreement] = match (e.birth_date, e.birth_year) {
            (Some(_), _) => &[
                BirthAgreement::SameDay,
                BirthAgreement::SlipOfThePen,
                BirthAgreement::SameYear,
                BirthAgreement::YearApart,
            ],
            (None, Some(_)) => &[BirthAgreement::YearAgrees, BirthAgreement::YearApart],
            (None, None) => &[],
        };
        others += birth_levels
            .iter()
            .map(|b| model.weight(BIRTH, b.level()))
            .fold(0.0, f64::max);
        if e.sex.is_some() {
            others += model.best_weight(SEX);
        }
        if entry.place.is_some() {
            others += model.best_weight(PLACE);
        }
        others += entry
            .extra
            .iter()
            .map(|&f| model.best_weight(f))
            .sum::<f64>();
        let min_score = self.options.min_score.clamp(1e-12, 1.0 - 1e-12);
        let needed = (min_score / (1.0 - min_score)).ln();
        (0..=name_level(1.0))
            .map(|level| !self.options.sift || others + model.weight(NAME, level) >= needed)
            .collect()
    }

    /// A kept pair explained field by field, from the scores remembered while sifting.
    fn explain(
        &mut self,
        weighing: &Weighing,
        entry: &Prepared<'_>,
        person: &'a Indexed,
    ) -> Scored {
        let index = self.index;
        let name = person
            .names
            .iter()
            .zip(&person.person.names)
            .map(|(&id, text)| (self.entry_name_score(entry, id), text.as_str()))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let place = entry.place.and_then(|place| {
            person
                .places
                .iter()
                .map(|&p| (self.place_score(place, p), &*index.place_texts[p as usize]))
                .max_by(|a, b| a.0.total_cmp(&b.0))
        });
        explain(weighing, entry.entry, &person.person, name, place)
    }

    /// The current entry's name score against a name, remembered for the entry.
    fn entry_name_score(&mut self, entry: &Prepared<'_>, name: NameId) -> f64 {
        let at = name as usize;
        if self.name_stamps[at] != self.stamp {
            self.name_stamps[at] = self.stamp;
            self.name_scores[at] = self.cache.name_score(&self.index.table, entry.name, name);
        }
        self.name_scores[at]
    }

    /// The pair's level in every field of the model, as [`explain`] finds them.
    fn pattern(&mut self, entry: &Prepared<'_>, person: &Indexed, out: &mut Pattern) {
        out.fill(MISSING);
        let name = person
            .names
            .iter()
            .map(|&n| self.entry_name_score(entry, n))
            .reduce(f64::max);
        let e = entry.entry;
        let p = &person.person;
        let place = entry.place.and_then(|place| {
            person
                .places
                .iter()
                .map(|&p| self.place_score(place, p))
                .reduce(f64::max)
        });
        out[NAME] = level_or_missing(name, name_level);
        out[BIRTH] = birth_agreement(e, p.birth_date).map_or(MISSING, BirthAgreement::level);
        out[SEX] = level_or_missing(sex_value(e.sex, p.sex), |s| s as u8);
        out[PLACE] = level_or_missing(place, place_level);
        for (extra, &field) in e.extra.iter().zip(&entry.extra) {
            let value = person_extra(p, &extra.field)
                .filter(|_| !extra.value.trim().is_empty())
                .map(|v| extra_value(&extra.value, v));
            out[field] = level_or_missing(value, extra_level);
        }
    }

    fn place_score(&mut self, entry: u32, person: u32) -> f64 {
        let key = (u64::from(entry) << 32) | u64::from(person);
        if let Some(&score) = self.places.get(&key) {
            return score;
        }
        let texts = &self.index.place_texts;
        let score = place_value(&texts[entry as usize], &texts[person as usize]);
        self.places.insert(key, score);
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xref::fields::score_pair;
    use chrono::NaiveDate;
    use trove_model::Sex;

    fn person(key: &str, name: &str, born: (i32, u32, u32), sex: Sex, place: &str) -> XrefPerson {
        XrefPerson {
            key: key.into(),
            names: vec![name.into()],
            birth_date: NaiveDate::from_ymd_opt(born.0, born.1, born.2),
            sex: Some(sex),
            places: vec![place.into()],
            extra: Vec::new(),
        }
    }

    fn entry(row: u32, name: &str, year: Option<i32>, sex: Option<Sex>) -> ListEntry {
        ListEntry {
            row,
            name: name.into(),
            birth_date: None,
            birth_year: year,
            sex,
            place: Some("Tokzak".into()),
            extra: Vec::new(),
            raw: Vec::new(),
        }
    }

    fn demo_index() -> PersonIndex {
        PersonIndex::of(vec![
            person(
                "p1",
                "热依拉·奥迈尔",
                (1990, 1, 1),
                Sex::Female,
                "托克扎克镇",
            ),
            person("p2", "买买提·吐尔逊", (1980, 5, 5), Sex::Male, "乌帕尔镇"),
        ])
    }

    #[test]
    fn a_latin_entry_finds_the_person_written_in_chinese_characters() {
        let mut index = demo_index();
        let found = index.candidates(
            &entry(2, "Rahile Omer", Some(1990), Some(Sex::Female)),
            0.7,
            |_| true,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].person, "p1");
        assert!(found[0].score > 0.9);
        assert!(
            index
                .candidates(&entry(2, "Rahile Omer", None, None), 0.0, |k| k != "p1")
                .is_empty()
        );
    }

    #[test]
    fn the_sifted_score_is_the_explained_score() {
        let mut index = demo_index();
        for (name, year) in [
            ("Rahile Omer", Some(1990)),
            ("Rahila Omar", Some(1991)),
            ("Memet Tursun", None),
        ] {
            let probe = entry(2, name, year, Some(Sex::Female));
            let options = XrefOptions {
                min_score: 0.0,
                threads: 1,
                ..XrefOptions::default()
            };
            let (prepared, weighing) =
                index.prepare_and_fit(std::slice::from_ref(&probe), &options);
            let mut worker = Worker::new(&index, &options);
            let found = worker.match_entry(&weighing, &prepared[0], Scope::All, &|_| true);
            assert!(!found.candidates.is_empty(), "{name}");
            for scored in found.candidates {
                let position = (0..index.len())
                    .find(|&p| index.person(p).key == scored.person)
                    .unwrap();
                let mut pattern = vec![MISSING; FIRST_EXTRA];
                worker.pattern(&prepared[0], &index.persons[position], &mut pattern);
                let fast = MatchModel::probability(weighing.model.log_odds(&pattern));
                assert!(
                    (fast - scored.score).abs() < 1e-9,
                    "{name}: {fast} vs {}",
                    scored.score
                );
                // And both are what comparing the strings from scratch gives.
                let reference = score_pair(&weighing, &probe, index.person(position));
                assert!((reference.score - scored.score).abs() < 1e-9);
                assert_eq!(reference.fields, scored.fields);
            }
        }
    }

    #[test]
    fn parallel_matching_streams_every_entry_and_new_persons_alone_can_be_matched() {
        let mut index = demo_index();
        let entries: Vec<ListEntry> = (0..50)
            .map(|row| {
                entry(
                    row,
                    if row % 2 == 0 {
                        "Rahile Omer"
                    } else {
                        "Nobody Atall"
                    },
                    Some(1990),
                    None,
                )
            })
            .collect();
        let options = XrefOptions {
            threads: 2,
            ..XrefOptions::default()
        };
        let mut rows = Vec::new();
        let stats = index.match_entries(&entries, Scope::All, &options, &mut |m| {
            rows.push((m.row, m.candidates.len()))
        });
        rows.sort();
        assert_eq!(rows.len(), 50);
        assert!(rows.iter().all(|&(row, n)| n == usize::from(row % 2 == 0)));
        assert_eq!(stats.candidates, 25);
        let new = index.add(vec![person(
            "p3",
            "Rahile Omer",
            (1990, 2, 2),
            Sex::Female,
            "Tekes",
        )]);
        // The new Person is the same as p1, so the Persons now repeat people.
        let options = XrefOptions {
            persons_distinct: false,
            ..options
        };
        let mut found = 0;
        index.match_entries(&entries, Scope::From(new.start), &options, &mut |m| {
            assert!(m.candidates.iter().all(|c| c.person == "p3"));
            found += m.candidates.len();
        });
        assert_eq!(found, 25);
    }

    #[test]
    fn a_block_too_common_is_narrowed_by_the_year_or_skipped() {
        let persons: Vec<XrefPerson> = (0..30)
            .map(|i| {
                person(
                    &format!("p{i}"),
                    "Memet Tursun",
                    (1950 + i, 1, 1),
                    Sex::Male,
                    "Tekes",
                )
            })
            .collect();
        let mut index = PersonIndex::of(persons);
        let options = XrefOptions {
            max_block: 10,
            threads: 1,
            ..XrefOptions::default()
        };
        let mut with_year = Vec::new();
        let entries = [
            entry(2, "Memet Tursun", Some(1960), None),
            entry(3, "Memet Tursun", None, None),
        ];
        let stats = index.match_entries(&entries, Scope::All, &options, &mut |m| with_year.push(m));
        with_year.sort_by_key(|m| m.row);
        assert_eq!(with_year[0].candidates[0].person, "p10");
        assert!(with_year[0].candidates.len() < 30);
        assert!(with_year[1].candidates.is_empty());
        assert!(stats.blocks_too_common >= 1);
    }
}
