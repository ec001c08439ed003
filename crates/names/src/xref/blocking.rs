//! Blocking keys: an entry is scored only against the Persons that share a key with it.
//!
//! Keys come from the consonant skeletons of a name's parts (so spellings of one name in
//! any script share them) and the birth date, in four kinds, so that one error, in a
//! part or in the date, still leaves a shared key:
//! - both parts: the unordered pair of two parts' skeletons (father · given or the reverse);
//! - a part and the birth year: one misspelt part is carried by the other and the year;
//! - the whole birth date: both parts misspelt, the date still joins them;
//! - a part alone: only for an entry of a single part and no birth year, which nothing
//!   narrower can find. Persons carry it for every part.
//!
//! A pair key shared by too many Persons (a very common name) is looked up with the birth
//! year added instead (both sides carry both), so common names do not make time blow up.

use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHasher;

use super::interned::{NameId, NameTable};

/// At most this many skeletons of one part make keys (Han parts can read several ways).
const MAX_SKELETONS: usize = 3;

/// Which side of the match a key is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The indexed side: every kind of key, always.
    Person,
    /// The looked-up side: part-alone keys only when nothing narrower exists.
    Entry,
}

/// Kinds of key, hashed in so that keys of different kinds never collide by design.
#[derive(Hash, Clone, Copy)]
enum Kind {
    Pair,
    PairYear,
    PartYear,
    Date,
    Part,
}

/// A key's hash, and its twin at the other grain (a pair key and the same pair with the
/// birth year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub hash: u64,
    /// For a pair key: the same pair with the birth year, looked up instead when the
    /// pair's block is too large.
    pub narrower: Option<u64>,
    /// For a pair-with-year key: the pair key, whose block decides whether this one is
    /// needed at all.
    pub wider: Option<u64>,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// What blocking needs of one side of a pair.
#[derive(Debug, Clone, Copy)]
pub struct Blockable<'a> {
    pub names: &'a [NameId],
    pub birth_date: Option<NaiveDate>,
    pub birth_year: Option<i32>,
}

/// The keys of `who`, for `side`, appended to `out` (which is cleared first).
pub fn keys(table: &NameTable, who: Blockable<'_>, side: Side, out: &mut Vec<Key>) {
    out.clear();
    let year = who.birth_year.or(who.birth_date.map(|d| d.year()));
    let push = |key: Key, out: &mut Vec<Key>| {
        if !out.iter().any(|k| k.hash == key.hash) {
            out.push(key);
        }
    };
    for &name in who.names {
        let parts = table.parts_of(name);
        let skeletons = |i: usize| {
            let part = table.part(parts[i]);
            part.skeletons[..part.skeletons.len().min(MAX_SKELETONS)].to_vec()
        };
        for i in 0..parts.len() {
            for j in i + 1..parts.len() {
                for a in skeletons(i) {
                    for b in skeletons(j) {
                        let (lo, hi) = if a <= b { (&a, &b) } else { (&b, &a) };
                        let pair = hash_of((Kind::Pair, lo, hi));
                        let narrower = year.map(|y| hash_of((Kind::PairYear, lo, hi, y)));
                        push(
                            Key {
                                hash: pair,
                                narrower,
                                wider: None,
                            },
                            out,
                        );
                        if let Some(hash) = narrower {
                            push(
                                Key {
                                    hash,
                                    narrower: None,
                                    wider: Some(pair),
                                },
                                out,
                            );
                        }
                    }
                }
            }
            let alone = side == Side::Person || (parts.len() == 1 && year.is_none());
            for s in skeletons(i) {
                if let Some(y) = year {
                    push(plain(hash_of((Kind::PartYear, &s, y))), out);
                }
                if alone {
                    push(plain(hash_of((Kind::Part, &s))), out);
                }
            }
        }
    }
    if let Some(date) = who.birth_date {
        push(plain(hash_of((Kind::Date, date.num_days_from_ce()))), out);
    }
}

fn plain(hash: u64) -> Key {
    Key {
        hash,
        narrower: None,
        wider: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(
        table: &mut NameTable,
        name: &str,
        born: Option<(i32, u32, u32)>,
        side: Side,
    ) -> Vec<u64> {
        let id = table.intern(name);
        let date = born.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        let mut out = Vec::new();
        keys(
            table,
            Blockable {
                names: &[id],
                birth_date: date,
                birth_year: None,
            },
            side,
            &mut out,
        );
        out.into_iter().map(|k| k.hash).collect()
    }

    fn share(a: &[u64], b: &[u64]) -> bool {
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn spellings_in_other_scripts_share_a_key() {
        let mut table = NameTable::new();
        let person = keys_of(
            &mut table,
            "热依拉·奥迈尔",
            Some((1990, 3, 1)),
            Side::Person,
        );
        for entry in ["Rahile Omer", "راھىلە ئۆمەر", "Omer Rahile"] {
            let found = keys_of(&mut table, entry, None, Side::Entry);
            assert!(share(&person, &found), "{entry}");
        }
    }

    #[test]
    fn one_misspelt_part_is_carried_by_the_other_and_the_year() {
        let mut table = NameTable::new();
        let person = keys_of(&mut table, "Rahile Dawut", Some((1990, 3, 1)), Side::Person);
        let entry = keys_of(&mut table, "Zahile Dawut", Some((1990, 1, 1)), Side::Entry);
        assert!(share(&person, &entry));
        let both_wrong = keys_of(&mut table, "Zahile Bawut", Some((1990, 3, 1)), Side::Entry);
        assert!(share(&person, &both_wrong), "the whole date joins them");
        let nothing = keys_of(&mut table, "Zahile Bawut", Some((1991, 3, 1)), Side::Entry);
        assert!(!share(&person, &nothing));
    }

    #[test]
    fn a_single_part_without_a_year_looks_up_the_part_alone() {
        let mut table = NameTable::new();
        let person = keys_of(&mut table, "Rahile Dawut", Some((1990, 3, 1)), Side::Person);
        let entry = keys_of(&mut table, "Rahile", None, Side::Entry);
        assert!(share(&person, &entry));
        let two_parts = keys_of(&mut table, "Rahile Tursun", None, Side::Entry);
        assert!(
            !share(&person, &two_parts),
            "a two-part entry needs both parts"
        );
    }
}
