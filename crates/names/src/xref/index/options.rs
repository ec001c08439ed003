//! How candidates are chosen ([`XrefOptions`], [`Scope`]), what comes out per entry
//! ([`EntryMatches`]) and what a run counted ([`XrefStats`]).

use crate::xref::blocking::KeyKind;
use crate::xref::fields::Scored;

/// The default lowest score kept as a candidate.
pub const DEFAULT_MIN_SCORE: f64 = 0.7;
/// The default number of candidates kept per entry, best first: more than a reviewer can
/// weigh for one missing person.
pub const DEFAULT_MAX_PER_ENTRY: usize = 20;
/// Blocks holding more Persons than this are too common a name to scan: a pair key is
/// narrowed by the birth year, any other key is skipped (and counted).
pub const DEFAULT_MAX_BLOCK: usize = 2_000;

/// How candidates are chosen.
#[derive(Debug, Clone)]
pub struct XrefOptions {
    /// The lowest score kept as a candidate.
    pub min_score: f64,
    /// The most candidates kept per entry, best first.
    pub max_per_entry: usize,
    /// Blocks larger than this are narrowed by birth year or skipped (see [`DEFAULT_MAX_BLOCK`]).
    pub max_block: usize,
    /// Worker threads (at least one).
    pub threads: usize,
    /// Drop pairs whose names are too far apart for the other fields to carry them to
    /// `min_score` before scoring those fields. Off only to measure blocking: every pair that shares a key is
    /// then scored and kept.
    pub sift: bool,
    /// Whether the Persons are distinct people, so that an entry is at most one of them
    /// (see [`crate::xref::MatchModel::fit`]); off when they repeat people, as when a list is matched
    /// against itself to find its duplicates.
    pub persons_distinct: bool,
}

impl Default for XrefOptions {
    fn default() -> Self {
        XrefOptions {
            min_score: DEFAULT_MIN_SCORE,
            max_per_entry: DEFAULT_MAX_PER_ENTRY,
            max_block: DEFAULT_MAX_BLOCK,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            sift: true,
            persons_distinct: true,
        }
    }
}

/// Which Persons an entry is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every Person in the index.
    All,
    /// Only the Persons added from this position on (see [`PersonIndex::add`]): the new
    /// ones, when entries were matched against the others before.
    From(usize),
}

/// The candidates of one entry, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryMatches {
    /// The entry's row in its list.
    pub row: u32,
    /// Its candidates, best first.
    pub candidates: Vec<Scored>,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XrefStats {
    /// Entries matched.
    pub entries: u64,
    /// Entry–Person pairs scored (found through a shared key and admitted).
    pub pairs_scored: u64,
    /// The pairs scored by the kind of the first key that found them (in the order of
    /// [`KeyKind::ALL`]).
    pub pairs_by_key: [u64; KeyKind::ALL.len()],
    /// Candidates kept.
    pub candidates: u64,
    /// Blocks left unscanned because too many Persons share the key and the entry has no
    /// birth year to narrow it.
    pub blocks_too_common: u64,
    /// Name scores found in memory.
    pub name_hits: u64,
    /// Name scores computed.
    pub name_misses: u64,
}

impl XrefStats {
    /// Adds another run's counts to these.
    pub fn merge(&mut self, other: &XrefStats) {
        self.entries += other.entries;
        self.pairs_scored += other.pairs_scored;
        for (total, more) in self.pairs_by_key.iter_mut().zip(other.pairs_by_key) {
            *total += more;
        }
        self.candidates += other.candidates;
        self.blocks_too_common += other.blocks_too_common;
        self.name_hits += other.name_hits;
        self.name_misses += other.name_misses;
    }
}
