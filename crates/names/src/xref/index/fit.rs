//! The model-fitting step: the Fellegi–Sunter weights learnt (by EM, in
//! [`MatchModel::fit`]) from the field patterns of the pairs a sample of entries meets.

use rustc_hash::FxHashMap;
use trove_model::ListEntry;

use super::options::{Scope, XrefOptions};
use super::worker::Worker;
use super::{PersonIndex, Prepared};
use crate::xref::fields::{FIRST_EXTRA, Weighing};
use crate::xref::model::{MISSING, MatchModel, Pattern};

/// The model is learnt from the pairs of at most this many entries, spread evenly over
/// the list: enough to learn a few dozen weights, few enough to cost little beside the
/// matching itself.
const FIT_ENTRIES: usize = 1_000;

impl PersonIndex {
    /// Entries prepared for matching, and the weighing learnt from the pairs their keys
    /// lead to (against every Person, whatever the scope: the model describes the list).
    pub(super) fn prepare_and_fit<'e>(
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
}
