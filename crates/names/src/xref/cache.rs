//! Scores remembered by number. Scoring a pair of names from scratch costs microseconds
//! (string similarity over every pair of forms); a leak repeats its names so often that
//! most pairs met were met before, and a lookup costs nanoseconds.

use rustc_hash::FxHashMap;

use super::interned::{NameId, NameTable, PartId};
use crate::fast::{Matrix, part_pair_score, score_of_matrix};
use crate::structure::MAX_PARTS;

/// Most remembered scores of each kind before the memory is cleared and filled again:
/// bounds memory (about 40 MB each) whatever the number of names.
const MAX_REMEMBERED: usize = 2_000_000;

/// One thread's remembered part-pair and name-pair scores.
#[derive(Debug, Default)]
pub struct ScoreCache {
    parts: FxHashMap<u64, f64>,
    names: FxHashMap<u64, f64>,
    /// Name pairs whose score came from memory.
    pub hits: u64,
    /// Name pairs whose score was computed (part pairs are not counted either way).
    pub misses: u64,
}

fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl ScoreCache {
    /// An empty cache; each thread keeps its own.
    pub fn new() -> ScoreCache {
        ScoreCache::default()
    }

    /// The score of two names, equal to [`crate::score_analysed`] of their analyses.
    pub fn name_score(&mut self, table: &NameTable, a: NameId, b: NameId) -> f64 {
        let key = pair_key(a, b);
        if let Some(&score) = self.names.get(&key) {
            self.hits += 1;
            return score;
        }
        self.misses += 1;
        let (pa, pb) = (table.parts_of(a), table.parts_of(b));
        let mut matrix: Matrix = [[0.0; MAX_PARTS]; MAX_PARTS];
        for (i, &x) in pa.iter().enumerate() {
            for (j, &y) in pb.iter().enumerate() {
                matrix[i][j] = self.part_score(table, x, y);
            }
        }
        let score = score_of_matrix(&matrix, pa.len(), pb.len());
        if self.names.len() >= MAX_REMEMBERED {
            self.names.clear();
        }
        self.names.insert(key, score);
        score
    }

    fn part_score(&mut self, table: &NameTable, a: PartId, b: PartId) -> f64 {
        let key = pair_key(a, b);
        if let Some(&score) = self.parts.get(&key) {
            return score;
        }
        let (x, y) = (table.part(a), table.part(b));
        let score = part_pair_score(&x.forms, x.suffix, &y.forms, y.suffix);
        if self.parts.len() >= MAX_REMEMBERED {
            self.parts.clear();
        }
        self.parts.insert(key, score);
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score_analysed;
    use crate::structure::analyse;

    #[test]
    fn remembered_scores_are_the_scores() {
        let names = [
            "热依拉·奥迈尔",
            "Rahile Omer",
            "Memet Tursun",
            "Tursun Memet",
            "Tursunjan Memet",
            "Rahile",
            "A B C D E F G",
            "",
        ];
        let mut table = NameTable::new();
        let mut cache = ScoreCache::new();
        for _ in 0..2 {
            for a in names {
                for b in names {
                    let (x, y) = (table.intern(a), table.intern(b));
                    let expected = score_analysed(&analyse(a), &analyse(b));
                    let got = cache.name_score(&table, x, y);
                    assert!(
                        (expected - got).abs() < 1e-12,
                        "{a} ~ {b}: {expected} vs {got}"
                    );
                }
            }
        }
        assert!(cache.hits > 0);
    }
}
