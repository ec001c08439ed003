//! The persons a table is computed over, gathered one person at a time from their
//! records, as a catalog hands them out.

use chrono::NaiveDate;
use trove_model::Record;

use super::facts::PersonFacts;
use crate::persons::facts_of;

/// Every person's facts, and the latest detention date any record gives: the date a
/// table's ages are reckoned on when the user names none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Population {
    /// One entry per person added, in the order added.
    pub persons: Vec<PersonFacts>,
    /// The latest `detained_since` date among all records added; `None` when no
    /// record gives one.
    pub latest_detention: Option<NaiveDate>,
}

impl Population {
    /// Adds one person, from all of their records.
    pub fn add(&mut self, records: &[Record]) {
        self.latest_detention = records
            .iter()
            .filter_map(|r| r.fields.detained_since)
            .chain(self.latest_detention)
            .max();
        let refs: Vec<&Record> = records.iter().collect();
        self.persons.push(facts_of(&refs));
    }
}
