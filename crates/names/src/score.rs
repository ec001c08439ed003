//! Scoring two names, with an explanation of every step.
//!
//! Each part of one name is paired with at most one part of the other, in whichever
//! order scores best (given · father or father · given). A pair's score is the best
//! [`part_similarity`] over the two parts' phonetic forms (so over every reading of
//! a Han part), less [`SUFFIX_PENALTY`] when only one carries a -jan marker. The name's
//! score is the mean of the pair scores averaged with the weakest pair's score, so one
//! shared common part (Memet) cannot carry two different people to a match, then
//! multiplied by `1 - penalty` for each part left without a partner.

pub use crate::fast::{
    EXTRA_PART_PENALTY, MISSING_FATHER_PENALTY, SIMILARITY_FLOOR, SUFFIX_PENALTY, part_similarity,
};
use crate::fast::{
    Matrix, best_alignment, combine, less_suffix_penalty, mean_and_weakest, unpaired_penalties,
};
use crate::structure::{MAX_PARTS, NameAnalysis, analyse};
use serde::Serialize;
use std::fmt;

/// Score at or above which two names are a [`Decision::Match`].
pub const MATCH_THRESHOLD: f64 = 0.85;
/// Score at or above which two names are a [`Decision::Possible`] match.
pub const POSSIBLE_THRESHOLD: f64 = 0.70;
/// What the score says about two names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// The same person's name, as far as names can tell (score ≥ [`MATCH_THRESHOLD`]).
    Match,
    /// Worth a look by a person (score ≥ [`POSSIBLE_THRESHOLD`]).
    Possible,
    /// Not the same name (score below [`POSSIBLE_THRESHOLD`]).
    NoMatch,
}

impl Decision {
    /// The decision for a score at the default thresholds.
    pub fn from_score(score: f64) -> Self {
        if score >= MATCH_THRESHOLD {
            Decision::Match
        } else if score >= POSSIBLE_THRESHOLD {
            Decision::Possible
        } else {
            Decision::NoMatch
        }
    }
}

/// Two parts paired by the alignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairScore {
    /// Index of the part in the first name.
    pub a: usize,
    /// Index of the part in the second name.
    pub b: usize,
    /// The forms that scored best.
    pub form_a: String,
    /// The second name's form that scored best.
    pub form_b: String,
    /// [`part_similarity`] of those forms, less the suffix penalty.
    pub score: f64,
    /// Whether only one of the two carried a suffix marker.
    pub suffix_differs: bool,
}

/// Why the score was lowered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Penalty {
    /// One name is a single part; the other's father's name has no partner.
    MissingFatherName {
        /// What the penalty takes off (see [`Penalty::amount`]).
        amount: f64,
    },
    /// A further part without a partner (index in the name it belongs to).
    UnpairedPart {
        /// Whether the part is in the first name (else the second).
        in_first: bool,
        /// Index of the part in its name.
        part: usize,
        /// What the penalty takes off (see [`Penalty::amount`]).
        amount: f64,
    },
}

/// How a score came about: both names analysed, the pairs, the penalties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchExplanation {
    /// The first name, analysed.
    pub a: NameAnalysis,
    /// The second name, analysed.
    pub b: NameAnalysis,
    /// The aligned part pairs, by the first name's part.
    pub pairs: Vec<PairScore>,
    /// Whether the parts were paired out of written order (given and father's name swapped).
    pub reordered: bool,
    /// Mean of the pair scores.
    pub mean: f64,
    /// The weakest pair's score.
    pub weakest: f64,
    /// The penalties for parts left unpaired, first name's parts first.
    pub penalties: Vec<Penalty>,
}

/// The result of [`compare`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// In [0, 1]; 1 is the same phonetic forms part for part.
    pub score: f64,
    /// [`Decision::from_score`] of the score.
    pub decision: Decision,
    /// How the score came about.
    pub explanation: MatchExplanation,
}

/// Compares two names in any scripts.
///
/// ```
/// use trove_names::{compare, Decision};
/// let c = compare("Rahile Dawut", "راھىلە داۋۇت");
/// assert_eq!(c.decision, Decision::Match);
/// assert_eq!(compare("Memet Tursun", "Memet Ablimit").decision, Decision::NoMatch);
/// ```
pub fn compare(a: &str, b: &str) -> Comparison {
    compare_analysed(analyse(a), analyse(b))
}

/// Compares two names analysed before: when one name is compared with many (a list
/// entry against every candidate in its block), analyse each name once and call this.
pub fn compare_analysed(a: NameAnalysis, b: NameAnalysis) -> Comparison {
    let (n, m) = (a.parts.len().min(MAX_PARTS), b.parts.len().min(MAX_PARTS));
    let explained: Vec<Vec<PairScore>> = (0..n)
        .map(|i| (0..m).map(|j| pair_score(&a, i, &b, j)).collect())
        .collect();
    // The alignment is searched by the fast path on the bare scores, so the explained
    // pairing and score are the fast path's by construction.
    let mut matrix: Matrix = [[0.0; MAX_PARTS]; MAX_PARTS];
    for (row, explained_row) in matrix.iter_mut().zip(&explained) {
        for (cell, pair) in row.iter_mut().zip(explained_row) {
            *cell = pair.score;
        }
    }
    let (mut pairs, k): (Vec<PairScore>, usize) = match best_alignment(&matrix, n, m) {
        Some((aligned, k)) => (
            aligned[..k]
                .iter()
                .map(|&(i, j)| explained[i][j].clone())
                .collect(),
            k,
        ),
        None => (Vec::new(), 0),
    };
    pairs.sort_by_key(|p| p.a);
    let reordered = pairs.windows(2).any(|w| w[1].b < w[0].b);
    let (mean, weakest) = mean_and_weakest(pairs.iter().map(|p| p.score));
    let penalties = penalties(n, m, k, &pairs);
    let factor: f64 = penalties.iter().map(|p| 1.0 - p.amount()).product();
    let score = combine(mean, weakest, factor);
    Comparison {
        score,
        decision: Decision::from_score(score),
        explanation: MatchExplanation {
            a,
            b,
            pairs,
            reordered,
            mean,
            weakest,
            penalties,
        },
    }
}

fn pair_score(a: &NameAnalysis, i: usize, b: &NameAnalysis, j: usize) -> PairScore {
    let (pa, pb) = (&a.parts[i], &b.parts[j]);
    let mut best = (String::new(), String::new(), -1.0);
    for fa in &pa.forms {
        for fb in &pb.forms {
            let s = part_similarity(fa, fb);
            // Ties go to the lexically smaller pair, so compare(a, b) mirrors compare(b, a).
            if s > best.2 || (s == best.2 && (fa.min(fb), fa.max(fb)) < (&best.0, &best.1)) {
                best = (fa.clone(), fb.clone(), s);
            }
        }
    }
    best.2 = best.2.max(0.0);
    let suffix_differs = pa.suffix.is_some() != pb.suffix.is_some();
    let score = less_suffix_penalty(best.2, suffix_differs);
    PairScore {
        a: i,
        b: j,
        form_a: best.0,
        form_b: best.1,
        score,
        suffix_differs,
    }
}

/// The penalties of the parts left unpaired, first name's parts before the second's,
/// with the amounts [`unpaired_penalties`] gives.
fn penalties(n: usize, m: usize, k: usize, pairs: &[PairScore]) -> Vec<Penalty> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let unpaired_first = (0..n)
        .filter(|i| !pairs.iter().any(|p| p.a == *i))
        .map(|part| (true, part));
    let unpaired_second = (0..m)
        .filter(|j| !pairs.iter().any(|p| p.b == *j))
        .map(|part| (false, part));
    let single = k == 1 && n.max(m) > 1;
    unpaired_first
        .chain(unpaired_second)
        .zip(unpaired_penalties(n, m, k))
        .enumerate()
        .map(|(index, ((in_first, part), amount))| {
            if single && index == 0 {
                Penalty::MissingFatherName { amount }
            } else {
                Penalty::UnpairedPart {
                    in_first,
                    part,
                    amount,
                }
            }
        })
        .collect()
}

impl Penalty {
    /// How much the penalty takes off: the score is multiplied by `1 - amount`.
    pub fn amount(&self) -> f64 {
        match self {
            Penalty::MissingFatherName { amount } | Penalty::UnpairedPart { amount, .. } => *amount,
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.explanation;
        writeln!(
            f,
            "{} ~ {}: {:?}, score {:.3}",
            e.a.input, e.b.input, self.decision, self.score
        )?;
        for (label, name) in [("first", &e.a), ("second", &e.b)] {
            for (i, p) in name.parts.iter().enumerate() {
                write!(
                    f,
                    "  {label} part {i} {} ({:?}): forms {}",
                    p.text,
                    p.script,
                    p.forms.join(" / ")
                )?;
                if let Some(s) = &p.suffix {
                    write!(f, " +{s}")?;
                }
                writeln!(f)?;
            }
            if !name.titles.is_empty() {
                writeln!(f, "  {label} titles set apart: {}", name.titles.join(", "))?;
            }
        }
        for p in &e.pairs {
            write!(
                f,
                "  pair {} ↔ {}: {} ~ {} = {:.3}",
                e.a.parts[p.a].text, e.b.parts[p.b].text, p.form_a, p.form_b, p.score
            )?;
            if p.suffix_differs {
                write!(f, " (suffix on one side only, −{SUFFIX_PENALTY})")?;
            }
            writeln!(f)?;
        }
        if e.reordered {
            writeln!(f, "  parts paired out of written order")?;
        }
        writeln!(f, "  mean {:.3}, weakest pair {:.3}", e.mean, e.weakest)?;
        for p in &e.penalties {
            match p {
                Penalty::MissingFatherName { amount } => writeln!(
                    f,
                    "  penalty ×{:.2}: father's name missing on one side",
                    1.0 - amount
                )?,
                Penalty::UnpairedPart {
                    in_first,
                    part,
                    amount,
                } => {
                    let name = if *in_first { &e.a } else { &e.b };
                    writeln!(
                        f,
                        "  penalty ×{:.2}: part {} has no partner",
                        1.0 - amount,
                        name.parts[*part].text
                    )?
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score_analysed;

    /// The explanation adds up: its pairs give its mean and weakest pair, and those with
    /// its penalties give the score, which is the fast path's score.
    #[test]
    fn the_explanation_adds_up_to_the_fast_score() {
        for &(a, b) in crate::fast::EVERY_STEP {
            let c = compare(a, b);
            let e = &c.explanation;
            let scores: Vec<f64> = e.pairs.iter().map(|p| p.score).collect();
            if !scores.is_empty() {
                let mean = scores.iter().sum::<f64>() / scores.len() as f64;
                let weakest = scores.iter().copied().fold(f64::INFINITY, f64::min);
                assert!((e.mean - mean).abs() < 1e-12, "{a} ~ {b}");
                assert!((e.weakest - weakest).abs() < 1e-12, "{a} ~ {b}");
            }
            let factor: f64 = e.penalties.iter().map(|p| 1.0 - p.amount()).product();
            let total = ((e.mean + e.weakest) / 2.0 * factor).clamp(0.0, 1.0);
            let fast = score_analysed(&e.a, &e.b);
            assert!(
                (total - c.score).abs() < 1e-12,
                "{a} ~ {b}: {total} vs {}",
                c.score
            );
            assert!(
                (fast - c.score).abs() < 1e-12,
                "{a} ~ {b}: {fast} vs {}",
                c.score
            );
        }
    }
}
