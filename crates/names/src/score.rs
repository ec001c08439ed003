//! Scoring two names, with an explanation of every step.
//!
//! Each part of one name is paired with at most one part of the other, in whichever
//! order scores best (given · father or father · given). A pair's score is the best
//! [`part_similarity`] over the two parts' phonetic forms (so over every reading of
//! a Han part), less [`SUFFIX_PENALTY`] when only one carries a -jan marker. The name's
//! score is the mean of the pair scores averaged with the weakest pair's score, so one
//! shared common part (Memet) cannot carry two different people to a match, then
//! multiplied by `1 - penalty` for each part left without a partner.

use crate::phonetic::weighted_similarity;
use crate::structure::{NameAnalysis, analyse};
use serde::Serialize;
use std::fmt;

/// Raw part similarity that counts as nothing in common (see [`part_similarity`]).
pub const SIMILARITY_FLOOR: f64 = 0.5;
/// Score at or above which two names are a [`Decision::Match`].
pub const MATCH_THRESHOLD: f64 = 0.85;
/// Score at or above which two names are a [`Decision::Possible`] match.
pub const POSSIBLE_THRESHOLD: f64 = 0.70;
/// Penalty when one name has a single part and the other more: the father's name is
/// missing, so a perfect given name alone scores 0.8, a possible match at best.
pub const MISSING_FATHER_PENALTY: f64 = 0.20;
/// Penalty for each further part without a partner (a grandfather's name written on
/// one side only).
pub const EXTRA_PART_PENALTY: f64 = 0.05;
/// Penalty for a pair where only one part carries a suffix marker (Tursun / Tursunjan).
pub const SUFFIX_PENALTY: f64 = 0.02;

/// What the score says about two names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// The same person's name, as far as names can tell (score ≥ [`MATCH_THRESHOLD`]).
    Match,
    /// Worth a look by a person (score ≥ [`POSSIBLE_THRESHOLD`]).
    Possible,
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
    MissingFatherName { amount: f64 },
    /// A further part without a partner (index in the name it belongs to).
    UnpairedPart {
        in_first: bool,
        part: usize,
        amount: f64,
    },
}

/// How a score came about: both names analysed, the pairs, the penalties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchExplanation {
    pub a: NameAnalysis,
    pub b: NameAnalysis,
    pub pairs: Vec<PairScore>,
    /// Whether the parts were paired out of written order (given and father's name swapped).
    pub reordered: bool,
    /// Mean of the pair scores.
    pub mean: f64,
    /// The weakest pair's score.
    pub weakest: f64,
    pub penalties: Vec<Penalty>,
}

/// The result of [`compare`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// In [0, 1]; 1 is the same phonetic forms part for part.
    pub score: f64,
    pub decision: Decision,
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
    let matrix: Vec<Vec<PairScore>> = (0..a.parts.len())
        .map(|i| {
            (0..b.parts.len())
                .map(|j| pair_score(&a, i, &b, j))
                .collect()
        })
        .collect();
    let pairs = best_alignment(&matrix, a.parts.len(), b.parts.len());
    let reordered = pairs.windows(2).any(|w| w[1].b < w[0].b);
    let (mean, weakest) = if pairs.is_empty() {
        (0.0, 0.0)
    } else {
        let sum: f64 = pairs.iter().map(|p| p.score).sum();
        let weakest = pairs.iter().map(|p| p.score).fold(f64::INFINITY, f64::min);
        (sum / pairs.len() as f64, weakest)
    };
    let penalties = penalties(&a, &b, &pairs);
    let factor: f64 = penalties
        .iter()
        .map(|p| match p {
            Penalty::MissingFatherName { amount } | Penalty::UnpairedPart { amount, .. } => {
                1.0 - amount
            }
        })
        .product();
    let score = ((mean + weakest) / 2.0 * factor).clamp(0.0, 1.0);
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
    let score = if suffix_differs {
        (best.2 - SUFFIX_PENALTY).max(0.0)
    } else {
        best.2
    };
    PairScore {
        a: i,
        b: j,
        form_a: best.0,
        form_b: best.1,
        score,
        suffix_differs,
    }
}

/// Similarity of two phonetic forms: the mean of Jaro-Winkler (strsim) and the
/// phonetically weighted normalised Levenshtein similarity, with everything at or below
/// [`SIMILARITY_FLOOR`] mapped to 0 and the rest stretched over [0, 1]: names that share
/// nothing still share half their letters' positions, so raw similarities start high.
pub fn part_similarity(a: &str, b: &str) -> f64 {
    let raw = (strsim::jaro_winkler(a, b) + weighted_similarity(a, b)) / 2.0;
    ((raw - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)).clamp(0.0, 1.0)
}

/// The pairing of parts with the highest total score; among equal totals, the one
/// closest to written order. Names have at most [`crate::structure::MAX_PARTS`] parts,
/// so every pairing is tried (at most 5! = 120).
fn best_alignment(matrix: &[Vec<PairScore>], n: usize, m: usize) -> Vec<PairScore> {
    // (total score, distance from written order, pairs of part indexes)
    type Candidate = (f64, usize, Vec<(usize, usize)>);
    let mut best: Option<Candidate> = None;
    for injection in injections(n.min(m), n.max(m)) {
        let pairs: Vec<(usize, usize)> = injection
            .into_iter()
            .enumerate()
            .map(|(s, l)| if n <= m { (s, l) } else { (l, s) })
            .collect();
        let total: f64 = pairs.iter().map(|&(i, j)| matrix[i][j].score).sum();
        let disorder: usize = pairs.iter().map(|&(i, j)| i.abs_diff(j)).sum();
        let better = match &best {
            None => true,
            Some((t, d, _)) => total > t + 1e-12 || ((total - t).abs() <= 1e-12 && disorder < *d),
        };
        if better {
            best = Some((total, disorder, pairs));
        }
    }
    let mut pairs: Vec<PairScore> = best
        .map(|(_, _, p)| p.into_iter().map(|(i, j)| matrix[i][j].clone()).collect())
        .unwrap_or_default();
    pairs.sort_by_key(|p| p.a);
    pairs
}

/// Every injective map from `0..k` into `0..m`, as the list of images.
fn injections(k: usize, m: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    for _ in 0..k {
        let mut next = Vec::new();
        for prefix in &out {
            for l in (0..m).filter(|l| !prefix.contains(l)) {
                let mut longer = prefix.clone();
                longer.push(l);
                next.push(longer);
            }
        }
        out = next;
    }
    out
}

fn penalties(a: &NameAnalysis, b: &NameAnalysis, pairs: &[PairScore]) -> Vec<Penalty> {
    let mut out = Vec::new();
    let (n, m) = (a.parts.len(), b.parts.len());
    if pairs.is_empty() {
        return out;
    }
    let single = n.min(m) == 1 && n.max(m) > 1;
    let mut first_unpaired = true;
    for (in_first, count, paired) in [
        (true, n, pairs.iter().map(|p| p.a).collect::<Vec<_>>()),
        (false, m, pairs.iter().map(|p| p.b).collect()),
    ] {
        for part in (0..count).filter(|i| !paired.contains(i)) {
            if single && first_unpaired {
                out.push(Penalty::MissingFatherName {
                    amount: MISSING_FATHER_PENALTY,
                });
            } else {
                out.push(Penalty::UnpairedPart {
                    in_first,
                    part,
                    amount: EXTRA_PART_PENALTY,
                });
            }
            first_unpaired = false;
        }
    }
    out
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
