//! The choices behind a figure: what the rows are, who is counted, and how many records
//! make a person count as held. Two published rates for one county differ only in these.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

/// What the rows of a table are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Townships, by name as recorded.
    Township,
    /// Villages, told apart by their township: every township has a 1村.
    Village,
    /// Bands of completed age on the reference date.
    Age,
    /// Male and female (both rows shown even when empty).
    Sex,
    /// The person's status category; rows give shares of the listed, not rates.
    Status,
    /// Ethnic groups, by their standard Chinese name.
    Ethnicity,
}

impl Dimension {
    /// Every dimension, in the order an unknown name's error lists their codes.
    pub const ALL: [Dimension; 6] = [
        Dimension::Township,
        Dimension::Village,
        Dimension::Age,
        Dimension::Sex,
        Dimension::Status,
        Dimension::Ethnicity,
    ];

    /// The name scripts and the command line use (`township`).
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Township => "township",
            Dimension::Village => "village",
            Dimension::Age => "age",
            Dimension::Sex => "sex",
            Dimension::Status => "status",
            Dimension::Ethnicity => "ethnicity",
        }
    }

    /// What one row is, in words (`ethnic group`).
    pub fn noun(self) -> &'static str {
        match self {
            Dimension::Township => "township",
            Dimension::Village => "village",
            Dimension::Age => "age band",
            Dimension::Sex => "sex",
            Dimension::Status => "status",
            Dimension::Ethnicity => "ethnic group",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Dimension {
    type Err = ParseDimensionError;

    /// Reads a code (`township`, `age` …), ignoring case and surrounding spaces.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let code = input.trim();
        Self::ALL
            .into_iter()
            .find(|dimension| dimension.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| ParseDimensionError {
                input: input.to_owned(),
            })
    }
}

/// A dimension name that is none of [`Dimension::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown statistics dimension `{input}`: use one of {}",
    dimension_codes()
)]
pub struct ParseDimensionError {
    /// The text given, untrimmed.
    pub input: String,
}

fn dimension_codes() -> String {
    let codes: Vec<&str> = Dimension::ALL.iter().map(|d| d.code()).collect();
    codes.join(", ")
}

/// How to compute a table. [`StatsOptions::new`] gives the defaults: all ages, all ethnic
/// groups, one detention-related record, 5-year age bands, adults from 18.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsOptions {
    /// What the rows of the table are.
    pub by: Dimension,
    /// Count only persons aged `adult_age` or older on `at`.
    pub adults: bool,
    /// The age, in completed years on `at`, from which a person is an adult;
    /// used only when `adults` is set.
    pub adult_age: u32,
    /// Count only persons of this ethnic group (its standard name, `维吾尔族`).
    pub ethnicity: Option<String>,
    /// The reference date ages are taken on: the date the lists describe, not today.
    pub at: NaiveDate,
    /// How many detention-related records make a person count as held (at least 1).
    pub min_records: u32,
    /// Width of an age band in years (at least 1).
    pub age_band: u32,
}

impl StatsOptions {
    /// Default [`StatsOptions::adult_age`]: 18, the age of majority in China.
    pub const ADULT_AGE: u32 = 18;
    /// Default [`StatsOptions::min_records`]: one detention-related record suffices.
    pub const MIN_RECORDS: u32 = 1;
    /// Default [`StatsOptions::age_band`], in years.
    pub const AGE_BAND: u32 = 5;

    /// The defaults, grouped `by` one dimension with ages taken on `at`.
    pub fn new(by: Dimension, at: NaiveDate) -> StatsOptions {
        StatsOptions {
            by,
            adults: false,
            adult_age: Self::ADULT_AGE,
            ethnicity: None,
            at,
            min_records: Self::MIN_RECORDS,
            age_band: Self::AGE_BAND,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_round_trip_through_their_codes() {
        for dimension in Dimension::ALL {
            assert_eq!(dimension.to_string().parse(), Ok(dimension));
        }
        assert_eq!(" Township ".parse(), Ok(Dimension::Township));
    }

    #[test]
    fn an_unknown_dimension_names_the_valid_ones() {
        let error = "county".parse::<Dimension>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown statistics dimension `county`: use one of township, village, age, sex, status, ethnicity"
        );
    }
}
