//! The per-thread worker: one thread's remembered scores, and how it finds, scores,
//! sifts and explains the candidates of one entry.

use rustc_hash::FxHashMap;

use super::options::{EntryMatches, Scope, XrefOptions, XrefStats};
use super::{Indexed, PersonIndex, Prepared};
use crate::xref::blocking::{Grain, KeyKind};
use crate::xref::cache::ScoreCache;
use crate::xref::fields::{
    BIRTH, BirthAgreement, FIRST_EXTRA, NAME, PLACE, SEX, Scored, Weighing, birth_agreement,
    explain, extra_level, extra_value, level_or_missing, name_level, person_extra, place_level,
    place_value, sex_value,
};
use crate::xref::interned::NameId;
use crate::xref::model::{MISSING, MatchModel, Pattern};

/// An extra field's value shared by more Persons than this is no key (a state, a street
/// number).
const MAX_RARE_BLOCK: usize = 8;

/// One thread's working memory: remembered scores and a stamp per Person, so that a
/// Person reached through several keys is scored once without sorting.
pub(super) struct Worker<'a> {
    pub(super) index: &'a PersonIndex,
    pub(super) options: &'a XrefOptions,
    pub(super) cache: ScoreCache,
    /// The current entry's name scores against each distinct name, valid where
    /// `name_stamps` holds the entry's stamp: most pairs are decided by one array read.
    pub(super) name_scores: Vec<f64>,
    pub(super) name_stamps: Vec<u32>,
    pub(super) places: FxHashMap<u64, f64>,
    pub(super) stamps: Vec<u32>,
    pub(super) stamp: u32,
    pub(super) stats: XrefStats,
}

impl<'a> Worker<'a> {
    pub(super) fn new(index: &'a PersonIndex, options: &'a XrefOptions) -> Worker<'a> {
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

    pub(super) fn finish(mut self) -> XrefStats {
        self.stats.name_hits = self.cache.hits;
        self.stats.name_misses = self.cache.misses;
        self.stats
    }

    /// The blocks an entry's keys lead to: a coarse key whose block is too large is
    /// replaced by its narrow keys (with the birth year); narrow keys are used only then.
    pub(super) fn blocks_of(&mut self, entry: &Prepared<'_>) -> Vec<(KeyKind, &'a [u32])> {
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
    pub(super) fn for_each_pair(
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

    pub(super) fn match_entry(
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
    pub(super) fn name_levels_that_can_reach(
        &self,
        model: &MatchModel,
        entry: &Prepared<'_>,
    ) -> Vec<bool> {
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
    pub(super) fn explain(
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
    pub(super) fn entry_name_score(&mut self, entry: &Prepared<'_>, name: NameId) -> f64 {
        let at = name as usize;
        if self.name_stamps[at] != self.stamp {
            self.name_stamps[at] = self.stamp;
            self.name_scores[at] = self.cache.name_score(&self.index.table, entry.name, name);
        }
        self.name_scores[at]
    }

    /// The pair's level in every field of the model, as [`explain`] finds them.
    pub(super) fn pattern(&mut self, entry: &Prepared<'_>, person: &Indexed, out: &mut Pattern) {
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

    pub(super) fn place_score(&mut self, entry: u32, person: u32) -> f64 {
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
