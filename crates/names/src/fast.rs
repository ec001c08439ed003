//! The score alone, for scoring many pairs: the same number as [`crate::compare`] gives,
//! without building its explanation (no allocation per pair beyond what the string
//! similarity measures make). Use it to sift candidate pairs, then [`crate::compare`] the
//! ones kept to explain them.

use crate::score::{EXTRA_PART_PENALTY, MISSING_FATHER_PENALTY, SUFFIX_PENALTY, part_similarity};
use crate::structure::{MAX_PARTS, NameAnalysis};

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
/// weakest pair, and the penalties for parts left unpaired, as `compare` does it.
pub(crate) fn score_of_matrix(matrix: &Matrix, n: usize, m: usize) -> f64 {
    let k = n.min(m);
    if k == 0 {
        return 0.0;
    }
    let mut search = Alignment {
        matrix,
        short_is_a: n <= m,
        long: n.max(m),
        best: None,
        current: [0; MAX_PARTS],
    };
    search.extend(0, k, 0);
    let Some(best) = search.best else {
        return 0.0;
    };
    let scores = &best.scores[..k];
    let mean = scores.iter().sum::<f64>() / k as f64;
    let weakest = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let unpaired = n + m - 2 * k;
    let single = k == 1 && n.max(m) > 1;
    let mut factor = 1.0;
    for index in 0..unpaired {
        factor *= if single && index == 0 {
            1.0 - MISSING_FATHER_PENALTY
        } else {
            1.0 - EXTRA_PART_PENALTY
        };
    }
    ((mean + weakest) / 2.0 * factor).clamp(0.0, 1.0)
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
    if suffix_a != suffix_b {
        (best - SUFFIX_PENALTY).max(0.0)
    } else {
        best
    }
}

#[derive(Clone, Copy)]
struct Best {
    total: f64,
    disorder: usize,
    scores: [f64; MAX_PARTS],
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
        let mut scores = [0.0; MAX_PARTS];
        let (mut total, mut disorder) = (0.0, 0);
        for (s, &l) in self.current[..k].iter().enumerate() {
            let (i, j) = if self.short_is_a { (s, l) } else { (l, s) };
            scores[s] = self.matrix[i][j];
            total += scores[s];
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
                scores,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::analyse;

    #[test]
    fn the_fast_score_is_the_explained_score() {
        for (a, b) in [
            ("热依拉·奥迈尔", "Rahile Omer"),
            ("Memet Tursun", "Memet Ablimit"),
            ("Rahile", "Rahile Dawut"),
            ("Ilham Tohti", "Tohti Ilham"),
            ("Tursunjan Memet", "Tursun Memet"),
            ("A B C D E F G", "G F"),
            ("", "Rahile"),
        ] {
            let explained = crate::compare(a, b).score;
            let fast = score_analysed(&analyse(a), &analyse(b));
            assert!(
                (explained - fast).abs() < 1e-12,
                "{a} ~ {b}: {explained} vs {fast}"
            );
        }
    }
}
