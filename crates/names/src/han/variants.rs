//! Spelling variants from per-slot alternatives.

/// The `cap` cheapest concatenations that take one value from each slot, cheapest first, without
/// duplicates. Each slot lists its values most likely first; a value costs its index in the
/// slot, and a concatenation costs the sum. Keeping the `cap` cheapest prefixes at every step
/// is exact for a sum of costs, so the work stays linear in the number of slots.
pub(super) fn cheapest<S: AsRef<str>>(slots: &[Vec<S>], cap: usize) -> Vec<String> {
    let mut beam: Vec<(usize, String)> = vec![(0, String::new())];
    for slot in slots {
        if slot.is_empty() {
            continue;
        }
        let mut next: Vec<(usize, String)> = Vec::with_capacity(beam.len() * slot.len());
        for (cost, prefix) in &beam {
            for (rank, value) in slot.iter().enumerate() {
                next.push((cost + rank, format!("{prefix}{}", value.as_ref())));
            }
        }
        next.sort_by_key(|(cost, _)| *cost);
        let mut kept: Vec<(usize, String)> = Vec::with_capacity(cap);
        for candidate in next {
            if kept.len() == cap {
                break;
            }
            if !kept.iter().any(|(_, s)| *s == candidate.1) {
                kept.push(candidate);
            }
        }
        beam = kept;
    }
    beam.into_iter()
        .map(|(_, s)| s)
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_likely_values_come_first() {
        let slots = vec![vec!["e", "a"], vec!["r"], vec!["kin", "ken"]];
        assert_eq!(cheapest(&slots, 8), ["erkin", "erken", "arkin", "arken"]);
    }

    #[test]
    fn the_cap_holds_and_duplicates_go() {
        let slots = vec![vec!["l", "li"], vec!["i", ""], vec!["a", "b", "c"]];
        let out = cheapest(&slots, 3);
        assert_eq!(out, ["lia", "lib", "la"]);
    }
}
