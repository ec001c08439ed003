//! The one scoring path: part similarity, the suffix penalty, the best alignment of
//! parts, the penalties for unpaired parts and how they combine into a name's score.
//! [`score_analysed`] gives the score alone, for scoring many pairs (no allocation per
//! pair beyond what the string similarity measures make); [`crate::compare`] runs the
//! same steps and records them as an explanation. Sift candidates here, then
//! [`crate::compare`] the ones kept to explain them.

use crate::phonetic::weighted_similarity;
use crate::structure::{MAX_PARTS, NameAnalysis};

/// Raw part similarity that counts as nothing in common (see [`part_similarity`]).
pub const SIMILARITY_FLOOR: f64 = 0.5;
/// Penalty when one name has a single part and the other more: the father's name is
/// missing, so a perfect given name alone scores 0.8, a possible match at best.
pub const MISSING_FATHER_PENALTY: f64 = 0.20;
/// Penalty for each further part without a partner (a grandfather's name written on
/// one side only).
pub const EXTRA_PART_PENALTY: f64 = 0.05;
/// Penalty for a pair where only one part carries a suffix marker (Tursun / Tursunjan).
pub const SUFFIX_PENALTY: f64 = 0.02;

/// Similarity of two phonetic forms: the mean of Jaro-Winkler (strsim) and the
/// phonetically weighted normalised Levenshtein similarity, with everything at or below
/// [`SIMILARITY_FLOOR`] mapped to 0 and the rest stretched over [0, 1]: names that share
/// nothing still share half their letters' positions, so raw similarities start high.
pub fn part_similarity(a: &str, b: &str) -> f64 {
    let raw = (strsim::jaro_winkler(a, b) + weighted_similarity(a, b)) / 2.0;
    ((raw - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)).clamp(0.0, 1.0)
}

pub(crate) type Matrix = [[f64; MAX_PARTS]; MAX_PARTS];

/// The score of two analysed names, equal to `compare_analysed(a, b).score`.
pub fn score_analysed(a: &NameAnalysis, b: &NameAnalysis) -> f64 {
    let (n, m) = (a.parts.len().min(MAX_PARTS), b.parts.len().min(MAX_PARTS));
    let mut matrix: Matrix = [[0.0; MAX_PARTS]; MAX_PARTS];
    for (i, row) in matrix.iter_mut().enumerate().take(n) {
        for (j, cell) in row.iter_mut().enumerate().take(m) {
            *cell = pair_score(a, i, b, j);
        }
    }
    score_of_matrix(&matrix, n, m)
}

/// A name score from the scores of its part pairs (`matrix[i][j]`: part `i` of a name of
/// `n` parts against part `j` of a name of `m` parts): the best alignment, its mean and
/// weakest pair, and the penalties for parts left unpaired. [`crate::compare`] explains
/// the same steps (see [`best_alignment`] and [`unpaired_penalties`]).
pub(crate) fn score_of_matrix(matrix: &Matrix, n: usize, m: usize) -> f64 {
    let Some((pairs, k)) = best_alignment(matrix, n, m) else {
        return 0.0;
    };
    let scores = pairs[..k].iter().map(|&(i, j)| matrix[i][j]);
    let (mean, weakest) = mean_and_weakest(scores);
    let factor: f64 = unpaired_penalties(n, m, k).map(|p| 1.0 - p).product();
    combine(mean, weakest, factor)
}

/// The name score from the mean and weakest pair score and the product of the
/// penalty factors: one formula for the fast path and the explanation.
pub(crate) fn combine(mean: f64, weakest: f64, factor: f64) -> f64 {
    ((mean + weakest) / 2.0 * factor).clamp(0.0, 1.0)
}

/// Mean and weakest of the pair scores of an alignment; (0, 0) when there are none.
pub(crate) fn mean_and_weakest(scores: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut sum, mut count, mut weakest) = (0.0, 0usize, f64::INFINITY);
    for s in scores {
        sum += s;
        count += 1;
        weakest = weakest.min(s);
    }
    if count == 0 {
        (0.0, 0.0)
    } else {
        (sum / count as f64, weakest)
    }
}

/// The penalty amounts, in order, for the `n + m - 2k` parts left unpaired when `k`
/// parts are paired: the first is the missing father's name when one name has a
/// single part and the other more, every other is an extra part.
pub(crate) fn unpaired_penalties(n: usize, m: usize, k: usize) -> impl Iterator<Item = f64> {
    let single = k == 1 && n.max(m) > 1;
    (0..(n + m).saturating_sub(2 * k)).map(move |index| {
        if single && index == 0 {
            MISSING_FATHER_PENALTY
        } else {
            EXTRA_PART_PENALTY
        }
    })
}

/// The pairing of parts with the highest total score; among equal totals, the one
/// closest to written order, then the first found. Returns the pairs `(i, j)` (part `i`
/// of the first name, part `j` of the second) ordered by the shorter name's parts, and
/// their count; `None` when either name has no parts. Names have at most [`MAX_PARTS`]
/// parts, so every pairing is tried (at most 5! = 120).
pub(crate) fn best_alignment(
    matrix: &Matrix,
    n: usize,
    m: usize,
) -> Option<([(usize, usize); MAX_PARTS], usize)> {
    let k = n.min(m);
    if k == 0 {
        return None;
    }
    let mut search = Alignment {
        matrix,
        short_is_a: n <= m,
        long: n.max(m),
        best: None,
        current: [0; MAX_PARTS],
    };
    search.extend(0, k, 0);
    search.best.map(|best| (best.pairs, k))
}

/// The best score over the two parts' forms, less the suffix penalty (as in `compare`).
fn pair_score(a: &NameAnalysis, i: usize, b: &NameAnalysis, j: usize) -> f64 {
    let (pa, pb) = (&a.parts[i], &b.parts[j]);
    part_pair_score(
        &pa.forms,
        pa.suffix.is_some(),
        &pb.forms,
        pb.suffix.is_some(),
    )
}

/// Two parts given by their phonetic forms and whether each carries a suffix marker.
pub(crate) fn part_pair_score(
    forms_a: &[impl AsRef<str>],
    suffix_a: bool,
    forms_b: &[impl AsRef<str>],
    suffix_b: bool,
) -> f64 {
    let mut best: f64 = 0.0;
    for fa in forms_a {
        for fb in forms_b {
            best = best.max(part_similarity(fa.as_ref(), fb.as_ref()));
        }
    }
    less_suffix_penalty(best, suffix_a != suffix_b)
}

/// A part pair's similarity less [`SUFFIX_PENALTY`] when only one part carries a suffix.
pub(crate) fn less_suffix_penalty(similarity: f64, suffix_differs: bool) -> f64 {
    if suffix_differs {
        (similarity - SUFFIX_PENALTY).max(0.0)
    } else {
        similarity
    }
}

#[derive(Clone, Copy)]
struct Best {
    total: f64,
    disorder: usize,
    pairs: [(usize, usize); MAX_PARTS],
}

/// Depth-first search over every injective pairing of the shorter name's parts into the
/// longer's, in the order `compare` tries them, keeping the same winner: the highest
/// total, then the least departure from written order, then the first found.
struct Alignment<'a> {
    matrix: &'a Matrix,
    short_is_a: bool,
    long: usize,
    best: Option<Best>,
    current: [usize; MAX_PARTS],
}

impl Alignment<'_> {
    fn extend(&mut self, depth: usize, k: usize, used: u32) {
        if depth == k {
            self.consider(k);
            return;
        }
        for l in 0..self.long {
            if used & (1 << l) == 0 {
                self.current[depth] = l;
                self.extend(depth + 1, k, used | (1 << l));
            }
        }
    }

    fn consider(&mut self, k: usize) {
        let mut pairs = [(0, 0); MAX_PARTS];
        let (mut total, mut disorder) = (0.0, 0);
        for (s, &l) in self.current[..k].iter().enumerate() {
            let (i, j) = if self.short_is_a { (s, l) } else { (l, s) };
            pairs[s] = (i, j);
            total += self.matrix[i][j];
            disorder += i.abs_diff(j);
        }
        let better = match &self.best {
            None => true,
            Some(b) => {
                total > b.total + 1e-12
                    || ((total - b.total).abs() <= 1e-12 && disorder < b.disorder)
            }
        };
        if better {
            self.best = Some(Best {
                total,
                disorder,
                pairs,
            });
        }
    }
}

/// Pairs that exercise every scoring step (Han against Latin, one shared part, a missing
/// father's name, swapped order, a suffix, extra parts, an empty name), for the tests
/// that hold the explanation to this path's score.
#[cfg(test)]
pub(crate) const EVERY_STEP: &[(&str, &str)] = &[
    ("热依拉·奥迈尔", "Rahile Omer"),
    ("Memet Tursun", "Memet Ablimit"),
    ("Rahile", "Rahile Dawut"),
    ("Ilham Tohti", "Tohti Ilham"),
    ("Tursunjan Memet", "Tursun Memet"),
    ("A B C D E F G", "G F"),
    ("", "Rahile"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::analyse;

    #[test]
    fn the_fast_score_is_the_explained_score() {
        for &(a, b) in EVERY_STEP {
            let explained = crate::compare(a, b).score;
            let fast = score_analysed(&analyse(a), &analyse(b));
            assert!(
                (explained - fast).abs() < 1e-12,
                "{a} ~ {b}: {explained} vs {fast}"
            );
        }
    }
}
