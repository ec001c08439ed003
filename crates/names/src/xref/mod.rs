//! Cross-reference: list entries against Persons.
//!
//! Persons are indexed by the blocking keys of their names and birth dates
//! ([`blocking`]); an entry is scored only against the Persons that share a key with it.
//! Names and their parts are numbered once ([`interned`]) so that pair scores are
//! remembered ([`cache`]): a leak repeats its names, and a remembered score costs a
//! lookup. Each pair is compared on name, birth date or year, sex, place and any extra
//! fields ([`fields`]), and each field's level weighed by a Fellegi–Sunter model learnt
//! from the pairs met ([`model`]); the best per entry are explained field by field
//! ([`index`]).

pub mod blocking;
pub mod cache;
pub mod fields;
pub mod index;
pub mod interned;
pub mod model;

pub use blocking::KeyKind;
pub use fields::{Scored, Weighing, XrefPerson, score_pair};
pub use index::{
    DEFAULT_MAX_BLOCK, DEFAULT_MAX_PER_ENTRY, DEFAULT_MIN_SCORE, EntryMatches, PersonIndex, Scope,
    XrefOptions, XrefStats,
};
pub use interned::NameTable;
pub use model::MatchModel;
