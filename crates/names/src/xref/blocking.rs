//! Blocking keys: an entry is scored only against the Persons that share a key with it.
//!
//! Keys come from the consonant skeletons of a name's parts (so spellings of one name in
//! any script share them), the birth date and any extra fields, so that one error, in a
//! part or in the date, still leaves a shared key:
//! - both parts: the unordered pair of two parts' skeletons (given · father or father ·
//!   given);
//! - a part and the whole birth date: one misspelt part is carried by the other and the
//!   date;
//! - the whole birth date: both parts misspelt, the date still joins them;
//! - a part alone: only for an entry of a single part (father's name missing), which
//!   nothing narrower can find; with the entry's birth year (± 1) when it gives one;
//!   Persons carry it for every part, alone and with their year;
//! - an extra field's value (an identifier, an address), when few share it.
//!
//! A pair or part key shared by too many Persons (a very common name) is looked up with
//! the birth year added instead (the entry's year and the years either side), so common
//! names do not make time blow up.

use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHasher;
use trove_model::ExtraField;

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
#[derive(Debug, Hash, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The unordered pair of two parts' skeletons.
    Pair,
    /// A [`KeyKind::Pair`] with a birth year, for pairs shared by too many Persons.
    PairYear,
    /// One part's skeleton with the whole birth date.
    PartDate,
    /// The whole birth date alone.
    Date,
    /// One part's skeleton alone (an entry's only when it has a single part).
    Part,
    /// One part's skeleton with a birth year.
    PartYear,
    /// An extra field's name and value, lower-cased and without white space.
    Extra,
}

impl KeyKind {
    /// Every kind, in the order [`XrefStats::pairs_by_key`] counts them.
    ///
    /// [`XrefStats::pairs_by_key`]: super::XrefStats::pairs_by_key
    pub const ALL: [KeyKind; 7] = [
        KeyKind::Pair,
        KeyKind::PairYear,
        KeyKind::PartDate,
        KeyKind::Date,
        KeyKind::Part,
        KeyKind::PartYear,
        KeyKind::Extra,
    ];

    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Pair => "both parts",
            KeyKind::PairYear => "both parts and year",
            KeyKind::PartDate => "a part and the date",
            KeyKind::Date => "the date",
            KeyKind::Part => "a part",
            KeyKind::PartYear => "a part and year",
            KeyKind::Extra => "an extra field",
        }
    }
}

/// How a key is used in a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// Looked up; when its block is too large, its narrow keys are looked up instead.
    Coarse,
    /// The coarse key `wider` with a birth year (on an entry: the year and the years
    /// either side of it): looked up only when that one's block is too large.
    Narrow {
        /// The hash of the coarse key this one narrows.
        wider: u64,
    },
    /// Looked up as it is.
    Plain,
    /// An extra field's value: looked up only when few share it.
    Rare,
}

/// A key's hash and how it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key itself: a hash of its kind and values, equal on both sides when they
    /// share the key.
    pub hash: u64,
    /// When the key is looked up.
    pub grain: Grain,
    /// What the key was made of, for statistics.
    pub kind: KeyKind,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// What blocking needs of one side of a pair.
#[derive(Debug, Clone, Copy)]
pub struct Blockable<'a> {
    /// Every name of the side, interned in the table passed to [`keys`].
    pub names: &'a [NameId],
    /// The full birth date, when known: makes the date and part-and-date keys.
    pub birth_date: Option<NaiveDate>,
    /// The birth year for the year keys; `None` falls back to `birth_date`'s year.
    pub birth_year: Option<i32>,
    /// Extra fields, each making a key of its own.
    pub extra: &'a [ExtraField],
}

/// Collects keys without repeats.
struct Keys<'o> {
    out: &'o mut Vec<Key>,
    year: Option<i32>,
    side: Side,
}

impl Keys<'_> {
    fn push(&mut self, kind: KeyKind, hash: u64, grain: Grain) {
        if !self.out.iter().any(|k| k.hash == hash) {
            self.out.push(Key { hash, grain, kind });
        }
    }

    /// A coarse key and, when the year is known, its narrow keys: a Person's year; an
    /// entry's year and the years either side (a year misremembered by one).
    fn coarse(&mut self, kinds: [KeyKind; 2], coarse: u64, narrow: impl Fn(i32) -> u64) {
        self.push(kinds[0], coarse, Grain::Coarse);
        for hash in self.with_years(narrow) {
            self.push(kinds[1], hash, Grain::Narrow { wider: coarse });
        }
    }

    /// The narrow keys alone, looked up as they are.
    fn narrow_only(&mut self, kind: KeyKind, narrow: impl Fn(i32) -> u64) {
        for hash in self.with_years(narrow) {
            self.push(kind, hash, Grain::Plain);
        }
    }

    /// A key with each year of the side's: a Person's year; an entry's year and the years
    /// either side (a year misremembered by one).
    fn with_years(&self, narrow: impl Fn(i32) -> u64) -> Vec<u64> {
        let Some(year) = self.year else {
            return Vec::new();
        };
        let years = match self.side {
            Side::Person => year..=year,
            Side::Entry => year - 1..=year + 1,
        };
        years.map(narrow).collect()
    }
}

/// The keys of `who`, for `side`, in `out` (which is cleared first).
pub fn keys(table: &NameTable, who: Blockable<'_>, side: Side, out: &mut Vec<Key>) {
    out.clear();
    let date = who.birth_date.map(|d| d.num_days_from_ce());
    let mut keys = Keys {
        out,
        year: who.birth_year.or(who.birth_date.map(|d| d.year())),
        side,
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
                        let kinds = [KeyKind::Pair, KeyKind::PairYear];
                        keys.coarse(kinds, hash_of((kinds[0], lo, hi)), |y| {
                            hash_of((kinds[1], lo, hi, y))
                        });
                    }
                }
            }
            let alone = side == Side::Person || parts.len() == 1;
            for s in skeletons(i) {
                if let Some(days) = date {
                    let kind = KeyKind::PartDate;
                    keys.push(kind, hash_of((kind, &s, days)), Grain::Plain);
                }
                let narrow = |y: i32| hash_of((KeyKind::PartYear, &s, y));
                if side == Side::Entry && parts.len() == 1 && keys.year.is_some() {
                    // A part alone is shared by many; with the year it is shared by few, and
                    // loses only a Person whose year is wrong as well as a part missing.
                    keys.narrow_only(KeyKind::PartYear, narrow);
                } else if alone {
                    keys.coarse(
                        [KeyKind::Part, KeyKind::PartYear],
                        hash_of((KeyKind::Part, &s)),
                        narrow,
                    );
                }
            }
        }
    }
    if let Some(days) = date {
        keys.push(KeyKind::Date, hash_of((KeyKind::Date, days)), Grain::Plain);
    }
    for extra in who.extra {
        let value: String = extra
            .value
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if !value.is_empty() {
            let kind = KeyKind::Extra;
            keys.push(kind, hash_of((kind, &extra.field, value)), Grain::Rare);
        }
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
                extra: &[],
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
    fn one_misspelt_part_is_carried_by_the_other_and_the_date() {
        let mut table = NameTable::new();
        let person = keys_of(&mut table, "Rahile Dawut", Some((1990, 3, 1)), Side::Person);
        let entry = keys_of(&mut table, "Zahile Dawut", Some((1990, 3, 1)), Side::Entry);
        assert!(share(&person, &entry));
        let both_wrong = keys_of(&mut table, "Zahile Bawut", Some((1990, 3, 1)), Side::Entry);
        assert!(share(&person, &both_wrong), "the whole date joins them");
        let nothing = keys_of(&mut table, "Zahile Bawut", Some((1991, 3, 1)), Side::Entry);
        assert!(!share(&person, &nothing));
    }

    #[test]
    fn a_single_part_looks_up_the_part_alone() {
        let mut table = NameTable::new();
        let person = keys_of(&mut table, "Rahile Dawut", Some((1990, 3, 1)), Side::Person);
        let entry = keys_of(&mut table, "Rahile", None, Side::Entry);
        assert!(share(&person, &entry));
        let with_year = keys_of(&mut table, "Rahile", Some((1990, 1, 1)), Side::Entry);
        assert!(share(&person, &with_year));
        let two_parts = keys_of(&mut table, "Rahile Tursun", None, Side::Entry);
        assert!(
            !share(&person, &two_parts),
            "a two-part entry needs both parts"
        );
    }
}
