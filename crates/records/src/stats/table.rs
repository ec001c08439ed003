//! A computed table: rows, the total, who was left out and why, and the definition that
//! makes the numbers mean something.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::definition::{Definition, Measure, UNKNOWN_GROUP};
use super::options::Dimension;

/// The group of the total row.
pub const TOTAL_GROUP: &str = "total";

/// Listed persons, and how many of them are held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Persons in at least one population register (only they can enter a rate).
    pub listed: u64,
    /// Of those, persons with enough detention-related records to count as held.
    pub held: u64,
}

impl Tally {
    pub(crate) fn count(&mut self, held: bool) {
        self.listed += 1;
        self.held += u64::from(held);
    }

    pub(crate) fn add(&mut self, other: Tally) {
        self.listed += other.listed;
        self.held += other.held;
    }
}

/// One row of a table. `rate` is what the definition's [`Measure`] says, as a fraction
/// (0.121 for 12.1%); `None` when its denominator is 0.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// The row's label: a name, `township/village`, an age band, a sex or status
    /// code, `unknown`, or `total`.
    pub group: String,
    /// Listed persons in the group.
    pub listed: u64,
    /// Listed persons in the group who count as held.
    pub held: u64,
    /// `held ÷ listed`, or for [`Measure::ShareOfListed`] this group's `listed` ÷
    /// all listed; a fraction, not a percentage.
    pub rate: Option<f64>,
}

impl Row {
    pub(crate) fn new(group: String, tally: Tally, measure: Measure, all_listed: u64) -> Row {
        let (numerator, denominator) = match measure {
            Measure::DetentionRate => (tally.held, tally.listed),
            Measure::ShareOfListed => (tally.listed, all_listed),
        };
        Row {
            group,
            listed: tally.listed,
            held: tally.held,
            rate: (denominator > 0).then(|| numerator as f64 / denominator as f64),
        }
    }
}

/// Persons a figure could not count, so that a reader can judge what they might change.
/// Tallies count listed persons (only they could enter a rate).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Notes {
    /// Held persons who are in no population register: they cannot enter a rate, however
    /// certain their detention.
    pub held_not_listed: u64,
    /// Listed persons left out of an adults-only figure for want of a usable birth date.
    pub no_birth_date: Tally,
    /// Listed persons left out of a one-ethnic-group figure for want of a recorded group.
    pub no_ethnicity: Tally,
    /// Listed persons in the `unknown` row.
    pub unknown_group: Tally,
}

/// Rows sorted in the dimension's order (names, age bands, status categories), the
/// `unknown` row last, then the total over all rows.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsTable {
    /// The choices the numbers were computed under, to be printed with them.
    pub definition: Definition,
    /// One row per group, in the dimension's order, `unknown` last.
    pub rows: Vec<Row>,
    /// The sum over all rows, under the group `total`.
    pub total: Row,
    /// Who was left out of the figure or fell into `unknown`, and how many.
    pub notes: Notes,
}

impl StatsTable {
    /// The notes that apply, as sentences; none when no one was left out.
    pub fn note_lines(&self) -> Vec<String> {
        let notes = &self.notes;
        let mut lines = Vec::new();
        if notes.held_not_listed > 0 {
            lines.push(format!(
                "Not in any rate: {} held {} in no population register.",
                notes.held_not_listed,
                persons_are(notes.held_not_listed)
            ));
        }
        if notes.no_birth_date.listed > 0 {
            lines.push(format!(
                "Left out: {} with no usable birth date.",
                listed_persons(notes.no_birth_date)
            ));
        }
        if notes.no_ethnicity.listed > 0 {
            lines.push(format!(
                "Left out: {} with no ethnic group recorded.",
                listed_persons(notes.no_ethnicity)
            ));
        }
        if notes.unknown_group.listed > 0 {
            let missing = match self.definition.by {
                Dimension::Age => "no usable birth date".to_owned(),
                by => format!("no {} recorded", by.noun()),
            };
            lines.push(format!(
                "Row `{UNKNOWN_GROUP}`: {} with {missing}.",
                listed_persons(notes.unknown_group)
            ));
        }
        lines
    }

    /// What a renderer prints before the numbers: the title, the definition, the notes.
    pub fn heading_lines(&self) -> Vec<String> {
        let mut lines = vec![self.definition.title()];
        lines.extend(self.definition.lines());
        lines.extend(self.note_lines());
        lines
    }
}

fn persons_are(count: u64) -> &'static str {
    if count == 1 {
        "person is"
    } else {
        "persons are"
    }
}

fn listed_persons(tally: Tally) -> String {
    let persons = if tally.listed == 1 {
        "person"
    } else {
        "persons"
    };
    format!(
        "{} listed {persons} ({} of them held)",
        tally.listed, tally.held
    )
}

/// The table's fields, plus `title`, `definition_text` and `notes_text`: the sentences a reader
/// of the JSON needs as much as a reader of the text table.
impl Serialize for StatsTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut table = serializer.serialize_struct("StatsTable", 7)?;
        table.serialize_field("title", &self.definition.title())?;
        table.serialize_field("definition", &self.definition)?;
        table.serialize_field("definition_text", &self.definition.lines())?;
        table.serialize_field("rows", &self.rows)?;
        table.serialize_field("total", &self.total)?;
        table.serialize_field("notes", &self.notes)?;
        table.serialize_field("notes_text", &self.note_lines())?;
        table.end()
    }
}
