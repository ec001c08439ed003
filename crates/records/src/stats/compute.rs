//! Persons to a table: filter, group, count. Every person left out is counted in a note,
//! so that the table says what it does not cover.

use std::collections::BTreeMap;

use trove_model::{Sex, StatusCategory};

use super::age::{age_on, band_label, band_start};
use super::definition::Definition;
use super::definition::UNKNOWN_GROUP;
use super::facts::PersonFacts;
use super::options::{Dimension, StatsOptions};
use super::table::{Notes, Row, StatsTable, TOTAL_GROUP, Tally};

/// Counts `persons` as `options` say. A person is held with at least `min_records`
/// detention-related records; a row's rate is listed-and-held ÷ listed (for status rows:
/// listed in the category ÷ all listed), after the age and ethnicity filters.
pub fn compute(persons: &[PersonFacts], options: &StatsOptions) -> StatsTable {
    let definition = Definition::new(options);
    let mut groups: BTreeMap<GroupKey, Tally> = BTreeMap::new();
    let mut notes = Notes::default();
    for person in persons {
        let held = person.detention_records >= definition.min_records;
        let age = match admit(person, &definition) {
            Admission::Counted { age } => age,
            Admission::NoEthnicity => {
                count_listed(&mut notes.no_ethnicity, person, held);
                continue;
            }
            Admission::NoBirthDate => {
                count_listed(&mut notes.no_birth_date, person, held);
                continue;
            }
            Admission::OutOfScope => continue,
        };
        if !person.listed {
            notes.held_not_listed += u64::from(held);
            continue;
        }
        let key = group_key(person, age, &definition);
        groups.entry(key).or_default().count(held);
    }
    complete_groups(&mut groups, &definition);
    notes.unknown_group = groups.get(&GroupKey::Unknown).copied().unwrap_or_default();
    table(definition, groups, notes)
}

/// Whether a person enters the figure, and their age on the reference date if any.
enum Admission {
    Counted {
        age: Option<u32>,
    },
    /// Outside the figure by definition (another ethnic group, a minor).
    OutOfScope,
    NoEthnicity,
    NoBirthDate,
}

fn admit(person: &PersonFacts, definition: &Definition) -> Admission {
    if let Some(wanted) = &definition.ethnicity {
        match recorded(&person.ethnicity) {
            None => return Admission::NoEthnicity,
            Some(ethnicity) if ethnicity != wanted => return Admission::OutOfScope,
            Some(_) => {}
        }
    }
    let age = definition
        .reference_date
        .zip(person.birth_date)
        .and_then(|(at, birth_date)| age_on(birth_date, at));
    match (definition.adult_age, age) {
        (Some(_), None) => Admission::NoBirthDate,
        (Some(adult_age), Some(age)) if age < adult_age => Admission::OutOfScope,
        _ => Admission::Counted { age },
    }
}

fn count_listed(tally: &mut Tally, person: &PersonFacts, held: bool) {
    if person.listed {
        tally.count(held);
    }
}

/// A value as recorded, with surrounding spaces trimmed; `None` when blank.
fn recorded(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// A row's identity, ordered as the rows are printed: names by name, bands by age,
/// categories in their declared order, `unknown` last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Name(String),
    Village(Township, String),
    /// An age band, by its first age.
    Band(u32),
    Sex(Sex),
    Status(StatusCategory),
    Unknown,
}

/// A village's township; villages of an unknown township sort after the others.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Township {
    Named(String),
    Unknown,
}

fn group_key(person: &PersonFacts, age: Option<u32>, definition: &Definition) -> GroupKey {
    let key = match definition.by {
        Dimension::Township => recorded(&person.township).map(|t| GroupKey::Name(t.to_owned())),
        Dimension::Village => recorded(&person.village).map(|village| {
            let township = match recorded(&person.township) {
                Some(township) => Township::Named(township.to_owned()),
                None => Township::Unknown,
            };
            GroupKey::Village(township, village.to_owned())
        }),
        Dimension::Age => {
            let width = definition.age_band.unwrap_or(1);
            age.map(|age| GroupKey::Band(band_start(age, width)))
        }
        Dimension::Sex => person.sex.map(GroupKey::Sex),
        Dimension::Status => person.status.map(GroupKey::Status),
        Dimension::Ethnicity => recorded(&person.ethnicity).map(|e| GroupKey::Name(e.to_owned())),
    };
    key.unwrap_or(GroupKey::Unknown)
}

/// Adds the rows a reader expects even when empty: both sexes, every status category,
/// and every age band between the youngest and the oldest, so that a histogram has no
/// silent gaps.
fn complete_groups(groups: &mut BTreeMap<GroupKey, Tally>, definition: &Definition) {
    let wanted: Vec<GroupKey> = match definition.by {
        Dimension::Sex => vec![GroupKey::Sex(Sex::Male), GroupKey::Sex(Sex::Female)],
        Dimension::Status => StatusCategory::ALL.map(GroupKey::Status).to_vec(),
        Dimension::Age => {
            let width = definition.age_band.unwrap_or(1);
            let starts = groups.keys().filter_map(|key| match key {
                GroupKey::Band(start) => Some(*start),
                _ => None,
            });
            match (starts.clone().min(), starts.max()) {
                (Some(first), Some(last)) => (first..=last)
                    .step_by(width as usize)
                    .map(GroupKey::Band)
                    .collect(),
                _ => Vec::new(),
            }
        }
        Dimension::Township | Dimension::Village | Dimension::Ethnicity => Vec::new(),
    };
    for key in wanted {
        groups.entry(key).or_default();
    }
}

fn table(definition: Definition, groups: BTreeMap<GroupKey, Tally>, notes: Notes) -> StatsTable {
    let mut total = Tally::default();
    for tally in groups.values() {
        total.add(*tally);
    }
    let rows = groups
        .into_iter()
        .map(|(key, tally)| {
            Row::new(
                label(&key, &definition),
                tally,
                definition.measure,
                total.listed,
            )
        })
        .collect();
    let total = Row::new(
        TOTAL_GROUP.to_owned(),
        total,
        definition.measure,
        total.listed,
    );
    StatsTable {
        definition,
        rows,
        total,
        notes,
    }
}

fn label(key: &GroupKey, definition: &Definition) -> String {
    match key {
        GroupKey::Name(name) => name.clone(),
        GroupKey::Village(Township::Named(township), village) => format!("{township}/{village}"),
        GroupKey::Village(Township::Unknown, village) => format!("{UNKNOWN_GROUP}/{village}"),
        GroupKey::Band(start) => band_label(
            *start,
            definition.age_band.unwrap_or(1),
            definition.adult_age.unwrap_or(0),
        ),
        GroupKey::Sex(sex) => sex.code().to_owned(),
        GroupKey::Status(category) => category.code().to_owned(),
        GroupKey::Unknown => UNKNOWN_GROUP.to_owned(),
    }
}
