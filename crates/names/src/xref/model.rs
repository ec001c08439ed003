//! How much each field's agreement says about a pair being one person: a Fellegi–Sunter
//! model. Each field's comparison falls into a level (the names agree well, the year
//! alone agrees, the places differ, …); each level weighs ln(m / u), where m is how often
//! pairs that are one person show it and u how often other pairs do. A pair's score is
//! the probability that it is one person: the prior odds times every field's weight.
//!
//! m, u and the prior are learnt from the pairs the matcher meets, by expectation
//! maximisation, without labelled pairs: fields that many different people share (a
//! birth year, a common surname met through its block) end up weighing little, and
//! fields that few share (a whole birth date, a village) weigh much. A field missing on
//! either side weighs nothing. An entry is one person, so at most one of the Persons it
//! meets is it: the fit lets an entry's pairs compete for that one match (a namesake born
//! years apart loses to the Person whose year agrees), which keeps a list of a few dozen
//! entries, where namesakes are as many as true matches, from learning that a name alone
//! makes a match.

/// A pair's level in each field of the model, [`MISSING`] where either side lacks it.
pub type Pattern = Vec<u8>;
/// The level of a field that either side lacks.
pub const MISSING: u8 = u8::MAX;

/// Starting guess of the odds that a pair met is one person.
const START_ODDS: f64 = 0.1;
/// The starting level probabilities count as this many pairs seen: they keep a level no
/// pair showed from weighing infinitely, and carry the fit when few pairs were met (a
/// list of a few entries says little about how its fields err); a list of thousands
/// outweighs them.
const PSEUDO_PAIRS: f64 = 20.0;
/// Each level is this many times likelier than the one below among pairs that are one
/// person at the start (and the one above among other pairs): the fit starts from
/// "agreement is evidence", which keeps the two classes from trading places.
const START_RATIO: f64 = 4.0;
const MAX_ITERATIONS: usize = 500;
const CONVERGED: f64 = 1e-9;

/// A learnt model: the prior and each field's level weights.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchModel {
    /// Log odds that a pair met is one person, before its fields are looked at.
    prior: f64,
    /// Per field, per level: ln(m / u).
    weights: Vec<Vec<f64>>,
}

impl MatchModel {
    /// Log odds that a pair met is one person before its fields are looked at.
    pub fn prior(&self) -> f64 {
        self.prior
    }

    /// The weight of `level` in `field`; a missing field weighs nothing.
    pub fn weight(&self, field: usize, level: u8) -> f64 {
        if level == MISSING {
            return 0.0;
        }
        self.weights[field][usize::from(level)]
    }

    /// The log odds of a pair with `pattern`: the prior and every field's weight.
    pub fn log_odds(&self, pattern: &[u8]) -> f64 {
        pattern
            .iter()
            .enumerate()
            .fold(self.prior, |sum, (field, &level)| {
                sum + self.weight(field, level)
            })
    }

    /// The most `field` can add to a pair's log odds (nothing, when every level speaks
    /// against the pair, as when the field is missing).
    pub fn best_weight(&self, field: usize) -> f64 {
        self.weights[field].iter().copied().fold(0.0, f64::max)
    }

    /// The probability of a pair whose log odds are `log_odds`.
    pub fn probability(log_odds: f64) -> f64 {
        1.0 / (1.0 + (-log_odds).exp())
    }

    /// Learns the model from the pairs each entry met: `patterns` are the distinct
    /// patterns, `entries` each entry's pairs as (pattern, how many pairs showed it);
    /// `levels` gives each field's number of levels. With `one_each`, an entry's pairs
    /// compete for its one match; without (the Persons repeat people, as when a file is
    /// matched against itself), each pair stands alone.
    pub fn fit(
        levels: &[usize],
        patterns: &[Pattern],
        entries: &[Vec<(u32, u32)>],
        one_each: bool,
    ) -> MatchModel {
        let start = |l: usize, of: usize, rising: bool| {
            let step = if rising { l } else { of - 1 - l };
            START_RATIO.powi(step as i32)
        };
        let starting = |rising: bool| -> Vec<Vec<f64>> {
            levels
                .iter()
                .map(|&n| normalised((0..n).map(|l| start(l, n, rising)).collect()))
                .collect()
        };
        let (start_m, start_u) = (starting(true), starting(false));
        let (mut m, mut u) = (start_m.clone(), start_u.clone());
        let mut odds = START_ODDS;
        // How many pairs showed each pattern.
        let mut met = vec![0.0; patterns.len()];
        for &(p, count) in entries.iter().flatten() {
            met[p as usize] += f64::from(count);
        }
        let total: f64 = met.iter().sum();
        let mut posterior = vec![0.0; patterns.len()];
        for _ in 0..MAX_ITERATIONS {
            // Expectation: how likely each pair is the one its entry is (none, or one of
            // them); maximisation: the probabilities that make those likelihoods likeliest.
            let ratios: Vec<f64> = patterns
                .iter()
                .map(|p| log_ratio(p, &m, &u).exp())
                .collect();
            posterior.fill(0.0);
            for pairs in entries {
                // The odds of "none of them" are 1; those of each pair, odds × its ratio.
                let none_or_any: f64 = 1.0
                    + odds
                        * pairs
                            .iter()
                            .map(|&(p, count)| f64::from(count) * ratios[p as usize])
                            .sum::<f64>();
                for &(p, count) in pairs {
                    let with = odds * ratios[p as usize];
                    let alone = if one_each { none_or_any } else { 1.0 + with };
                    posterior[p as usize] += f64::from(count) * with / alone;
                }
            }
            let mut m_counts = pseudo_counts(&start_m);
            let mut u_counts = pseudo_counts(&start_u);
            let mut matched = 0.0;
            for ((pattern, &in_match), &pairs) in patterns.iter().zip(&posterior).zip(&met) {
                matched += in_match;
                for (field, &level) in pattern.iter().enumerate() {
                    if level != MISSING {
                        m_counts[field][usize::from(level)] += in_match;
                        u_counts[field][usize::from(level)] += pairs - in_match;
                    }
                }
            }
            let next_odds = ((matched + 1.0) / (total - matched + 1.0)).max(1e-12);
            m = m_counts.into_iter().map(normalised).collect();
            u = u_counts.into_iter().map(normalised).collect();
            for (m, u) in m.iter_mut().zip(&mut u) {
                monotone(m, u);
            }
            let moved = (next_odds.ln() - odds.ln()).abs();
            odds = next_odds;
            if moved < CONVERGED {
                break;
            }
        }
        MatchModel {
            prior: odds.ln(),
            weights: m
                .iter()
                .zip(&u)
                .map(|(m, u)| m.iter().zip(u).map(|(m, u)| (m / u).ln()).collect())
                .collect(),
        }
    }
}

/// Pools adjacent levels whose ratio m / u falls as agreement rises, until it never
/// does: agreeing better is never evidence against a pair. Without this, a list whose
/// pairs met are mostly namesakes can teach the model that names agreeing speaks against
/// a match. (Pool-adjacent-violators: each pool keeps its total m and u, shared out in
/// proportion to u, so every level of a pool has the pool's ratio.)
fn monotone(m: &mut [f64], u: &mut [f64]) {
    // Pools as (first level, m, u), lowest first.
    let mut pools: Vec<(usize, f64, f64)> = Vec::with_capacity(m.len());
    for level in 0..m.len() {
        pools.push((level, m[level], u[level]));
        while let [.., (_, m_low, u_low), (_, m_high, u_high)] = pools[..] {
            if m_high / u_high >= m_low / u_low {
                break;
            }
            let (first, ..) = pools[pools.len() - 2];
            pools.truncate(pools.len() - 2);
            pools.push((first, m_low + m_high, u_low + u_high));
        }
    }
    let total_u: Vec<f64> = u.to_vec();
    for (i, &(first, pool_m, pool_u)) in pools.iter().enumerate() {
        let end = pools.get(i + 1).map_or(m.len(), |p| p.0);
        for level in first..end {
            m[level] = pool_m * total_u[level] / pool_u;
            u[level] = total_u[level];
        }
    }
}

fn log_ratio(pattern: &[u8], m: &[Vec<f64>], u: &[Vec<f64>]) -> f64 {
    pattern
        .iter()
        .enumerate()
        .filter(|&(_, &level)| level != MISSING)
        .map(|(field, &level)| {
            let l = usize::from(level);
            (m[field][l] / u[field][l]).ln()
        })
        .sum()
}

fn pseudo_counts(start: &[Vec<f64>]) -> Vec<Vec<f64>> {
    start
        .iter()
        .map(|p| p.iter().map(|x| x * PSEUDO_PAIRS).collect())
        .collect()
}

fn normalised(mut values: Vec<f64>) -> Vec<f64> {
    let sum: f64 = values.iter().sum();
    for v in &mut values {
        *v /= sum;
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries of one pair each, drawn exactly as a model with three two-level fields
    /// says: 10% are one person; the fields agree for 90%, 80% and 95% of those and for
    /// 5%, 20% and 10% of the rest.
    fn generated() -> (Vec<Pattern>, Vec<Vec<(u32, u32)>>) {
        let (m, u) = ([0.9, 0.8, 0.95], [0.05, 0.2, 0.1]);
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for bits in 0..8u8 {
            let pattern: Pattern = (0..3).map(|f| (bits >> f) & 1).collect();
            let chance = |p: &[f64; 3]| {
                (0..3)
                    .map(|f| if pattern[f] == 1 { p[f] } else { 1.0 - p[f] })
                    .product::<f64>()
            };
            let pairs = 200_000.0 * (0.1 * chance(&m) + 0.9 * chance(&u));
            entries.extend(std::iter::repeat_n(
                vec![(bits as u32, 1)],
                pairs.round() as usize,
            ));
            patterns.push(pattern);
        }
        (patterns, entries)
    }

    #[test]
    fn the_fit_recovers_the_probabilities_that_made_the_pairs() {
        let (patterns, entries) = generated();
        let model = MatchModel::fit(&[2, 2, 2], &patterns, &entries, true);
        // Within what the starting guess's few pseudo-pairs shift.
        let close = |a: f64, b: f64| (a - b).abs() < 0.02;
        assert!(close(model.prior(), (0.1f64 / 0.9).ln()), "{model:?}");
        assert!(close(model.weight(0, 1), (0.9f64 / 0.05).ln()), "{model:?}");
        assert!(close(model.weight(0, 0), (0.1f64 / 0.95).ln()), "{model:?}");
        assert!(close(model.weight(1, 1), (0.8f64 / 0.2).ln()), "{model:?}");
        assert!(close(model.weight(2, 0), (0.05f64 / 0.9).ln()), "{model:?}");
        assert_eq!(model.weight(1, MISSING), 0.0);
        assert!(close(model.best_weight(2), (0.95f64 / 0.1).ln()));
        assert!(close(
            model.log_odds(&[1, 1, MISSING]),
            model.prior() + model.weight(0, 1) + model.weight(1, 1)
        ));
    }

    #[test]
    fn a_namesake_born_years_apart_loses_to_the_person_whose_year_agrees() {
        // Fields: name (0 differs, 1 agrees) and birth year (0 differs, 1 agrees). 400
        // entries meet their Person and a namesake born years apart; 400 meet three
        // strangers; 200 meet their Person alone.
        let patterns = vec![vec![1, 1], vec![1, 0], vec![0, 0], vec![0, 1]];
        let mut entries = Vec::new();
        entries.extend(std::iter::repeat_n(vec![(0, 1), (1, 1)], 400));
        entries.extend(std::iter::repeat_n(vec![(2, 2), (3, 1)], 400));
        entries.extend(std::iter::repeat_n(vec![(0, 1)], 200));
        let model = MatchModel::fit(&[2, 2], &patterns, &entries, true);
        let probability = |p: &[u8]| MatchModel::probability(model.log_odds(p));
        assert!(probability(&[1, 1]) > 0.7, "{model:?}");
        assert!(probability(&[1, 0]) < 0.05, "{model:?}");
        assert!(probability(&[0, 1]) < probability(&[1, 1]), "{model:?}");
        // Were the Persons to repeat people, the namesakes would not compete: they would
        // weigh for more.
        let repeated = MatchModel::fit(&[2, 2], &patterns, &entries, false);
        let namesake = MatchModel::probability(repeated.log_odds(&[1, 0]));
        assert!(namesake > 10.0 * probability(&[1, 0]), "{repeated:?}");
    }

    #[test]
    fn a_level_that_speaks_less_than_the_one_below_is_pooled_with_it() {
        let (mut m, mut u) = (vec![0.1, 0.5, 0.1, 0.3], vec![0.4, 0.1, 0.4, 0.1]);
        monotone(&mut m, &mut u);
        // Levels 1 and 2 pooled: m 0.6 over u 0.5, shared out as u is.
        assert_eq!(u, vec![0.4, 0.1, 0.4, 0.1]);
        let expected = [0.1, 0.12, 0.48, 0.3];
        assert!(
            m.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-12),
            "{m:?}"
        );
    }

    #[test]
    fn without_pairs_the_starting_guess_stands() {
        let model = MatchModel::fit(&[3], &[], &[], true);
        // m = (1, 4, 16) / 21 and u = (16, 4, 1) / 21; the odds met are (0 + 1) / (0 + 1).
        assert_eq!(model.prior(), 0.0);
        assert!((model.weight(0, 2) - 16f64.ln()).abs() < 1e-12);
        assert!(model.weight(0, 1).abs() < 1e-12);
        assert!((model.weight(0, 0) + 16f64.ln()).abs() < 1e-12);
        assert_eq!(MatchModel::probability(0.0), 0.5);
    }
}
