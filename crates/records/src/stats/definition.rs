//! The definition of a figure in plain English. Published rates for one county differ
//! only by these choices (the 12.1% for Konasheher counts adults with at least two
//! detention-related records), so no number leaves trove without them.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;
use trove_model::StatusCategory;

use super::age::MAX_AGE;
use super::options::{Dimension, StatsOptions};
use super::printable::one_line;

/// The group of persons for whom the grouping value is not recorded.
pub const UNKNOWN_GROUP: &str = "unknown";

/// What a table's `rate` column measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Persons held ÷ persons listed, in each group.
    DetentionRate,
    /// Persons listed in each group ÷ all persons listed: the share of each status.
    ShareOfListed,
}

/// Everything a reader needs to reproduce or compare a figure. Values are the effective
/// ones: a `min_records` of 0 in the options is 1 here, because a rate where everyone is
/// held is no rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    /// What the table's rows are.
    pub by: Dimension,
    /// What the `rate` column means: detention rate, or share of the listed for
    /// tables by status.
    pub measure: Measure,
    /// The adult cut-off in completed years; `None`: all ages are counted.
    pub adult_age: Option<u32>,
    /// The date ages are taken on; `None` when the figure does not depend on age.
    pub reference_date: Option<NaiveDate>,
    /// The only ethnic group counted; `None`: all are.
    pub ethnicity: Option<String>,
    /// How many detention-related records make a listed person count as held.
    pub min_records: u32,
    /// Width of the age bands in years, for tables by age.
    pub age_band: Option<u32>,
}

impl Definition {
    /// The definition `options` describe, with the values [`compute`](super::compute)
    /// will use.
    pub fn new(options: &StatsOptions) -> Definition {
        let by_age = options.by == Dimension::Age;
        Definition {
            by: options.by,
            measure: match options.by {
                Dimension::Status => Measure::ShareOfListed,
                _ => Measure::DetentionRate,
            },
            adult_age: options.adults.then_some(options.adult_age),
            reference_date: (options.adults || by_age).then_some(options.at),
            ethnicity: options
                .ethnicity
                .as_deref()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
            min_records: options.min_records.max(1),
            age_band: by_age.then_some(options.age_band.max(1)),
        }
    }

    /// A heading such as `Detention rate by township`.
    pub fn title(&self) -> String {
        match self.measure {
            Measure::DetentionRate => format!("Detention rate by {}", self.by.noun()),
            Measure::ShareOfListed => format!("Listed persons by {}", self.by.noun()),
        }
    }

    /// The definition as sentences, one per choice: rate, listed, held, ages, ethnic
    /// groups, rows. Each is one line, whatever the leaked strings in it.
    pub fn lines(&self) -> Vec<String> {
        vec![
            self.rate_line(),
            "Listed: a person (the records that share one resident ID) in at least one \
             population register. Only listed persons enter a rate."
                .to_owned(),
            self.held_line(),
            self.ages_line(),
            self.ethnicity_line(),
            self.rows_line(),
        ]
    }

    fn rate_line(&self) -> String {
        match self.measure {
            Measure::DetentionRate => format!(
                "Rate: persons held ÷ persons listed, in each {}.",
                self.by.noun()
            ),
            Measure::ShareOfListed => "Rate: persons listed with each status ÷ all persons \
                 listed; `held` counts those of them who are held."
                .to_owned(),
        }
    }

    fn held_line(&self) -> String {
        let detention: Vec<String> = StatusCategory::ALL
            .into_iter()
            .filter(|category| category.is_detention())
            .map(|category| category.code().replace('_', " "))
            .collect();
        let records = if self.min_records == 1 {
            "record"
        } else {
            "records"
        };
        format!(
            "Held: a listed person with at least {} detention-related {records}: rows with a \
             detention status ({}) or rows of a list of the detained.",
            self.min_records,
            detention.join(", ")
        )
    }

    fn ages_line(&self) -> String {
        match (self.adult_age, self.reference_date) {
            (Some(adult_age), Some(at)) => format!(
                "Ages: adults only, {adult_age} or older in completed years on {at}; persons \
                 with no usable birth date ({}) are left out.",
                unusable_birth_date(at)
            ),
            _ => "Ages: all ages.".to_owned(),
        }
    }

    fn ethnicity_line(&self) -> String {
        match &self.ethnicity {
            Some(name) => format!(
                "Ethnic groups: only {}; persons with none recorded are left out.",
                one_line(name)
            ),
            None => "Ethnic groups: all.".to_owned(),
        }
    }

    fn rows_line(&self) -> String {
        let unknown = format!("are in row `{UNKNOWN_GROUP}`");
        match self.by {
            Dimension::Township => {
                format!("Rows: township as recorded; persons with none recorded {unknown}.")
            }
            Dimension::Village => format!(
                "Rows: village as recorded, with its township (`township/village`) because \
                 names such as 1村 recur; persons with no village recorded {unknown}."
            ),
            Dimension::Age => {
                let width = self.age_band.unwrap_or(1);
                let at = self
                    .reference_date
                    .map(|at| at.to_string())
                    .unwrap_or_default();
                match self.adult_age {
                    Some(adult_age) => format!(
                        "Rows: bands of {width} years of completed age on {at}, the first \
                         starting at {adult_age}."
                    ),
                    None => format!(
                        "Rows: bands of {width} years of completed age on {at}; persons with \
                         no usable birth date ({}) {unknown}.",
                        self.reference_date
                            .map(unusable_birth_date)
                            .unwrap_or_default()
                    ),
                }
            }
            Dimension::Sex => format!("Rows: sex; persons with none recorded {unknown}."),
            Dimension::Status => format!(
                "Rows: every status category, the person's status as chosen from their \
                 records; persons with none {unknown}."
            ),
            Dimension::Ethnicity => format!(
                "Rows: ethnic group by its standard name; persons with none recorded {unknown}."
            ),
        }
    }
}

fn unusable_birth_date(at: NaiveDate) -> String {
    format!("none recorded, or one after {at} or more than {MAX_AGE} years before it")
}

impl fmt::Display for Definition {
    /// The title, then [`Definition::lines`], one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title())?;
        for line in self.lines() {
            write!(f, "\n{line}")?;
        }
        Ok(())
    }
}
