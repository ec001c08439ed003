//! What can be wrong with an ID number, each problem with the values involved.

use chrono::NaiveDate;
use serde::Serialize;

use crate::regions::InUse;

/// Something wrong or odd in an ID number. Fatal problems ([`IdProblem::is_fatal`]) mean
/// the text is no well-formed ID number; the others are doubts for a reviewer.
///
/// Serialised with its [`code`](IdProblem::code) under `code`, and its values beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum IdProblem {
    /// The number is neither 18 characters long nor a 15-digit number of before 1999.
    #[error("{found} characters, where an ID number has 18 (15 for one issued before 1999)")]
    Length {
        /// Characters counted once spaces are dropped.
        found: usize,
    },
    /// The first character (1-based, spaces not counted) that is neither a digit nor a
    /// final `X`.
    #[error("`{found}` (character {position}) is not a digit")]
    NotDigits {
        /// The offending character, after full-width digits and `x` were made ASCII.
        found: char,
        /// Its 1-based position, spaces not counted.
        position: usize,
    },
    /// No such day, or a year before anyone who ever held an ID number was born.
    #[error("the birth date digits {digits} are no possible date of birth")]
    BirthDate {
        /// The eight birth digits, `YYYYMMDD` (for a 15-digit number, with `19` put
        /// before its two-digit year).
        digits: String,
    },
    /// The 18th character is not the ISO 7064 MOD 11-2 check of the first 17: a
    /// typing error, or a made-up number.
    #[error("the check character is {found}, but the first 17 digits call for {expected}")]
    CheckDigit {
        /// The check character the first 17 digits give (`0`-`9` or `X`).
        expected: char,
        /// The check character as written (upper-case `X`).
        found: char,
    },
    /// Not fatal: the tables lack codes retired before 2002 or created after 2016 outside
    /// Xinjiang.
    #[error(
        "the region code {region_code} is in none of trove's tables (not wrong on its own: they lack \
         codes retired before 2002 or created after 2016 outside Xinjiang)"
    )]
    UnknownRegion {
        /// The first six digits of the number.
        region_code: String,
    },
    /// The cell holds a spreadsheet's rendering of a number (`6.53121199001011E+17`,
    /// `653121199001010000.0`) that has lost its last digits for good.
    #[error(
        "`{found}` is a number as a spreadsheet writes it, not an ID number: only 15 significant \
         digits were kept, so the rest is lost; the original or the cell stored as text is needed"
    )]
    ExcelNumber {
        /// The cell's text, trimmed.
        found: String,
    },
    /// Born after the date the number is read on (the day of reading, or a leak's date).
    #[error("the birth date {birth} is after {on}")]
    FutureBirth {
        /// The birth date the number encodes.
        birth: NaiveDate,
        /// The date the number was read as of.
        on: NaiveDate,
    },
    /// Not fatal, but suspect: a number takes the code in use when it is first issued, and a
    /// code retired before its holder was born was in use at no issue. People born before a
    /// code came into use are ordinary (numbers were first issued in 1984–85) and not flagged.
    #[error(
        "the region code {region_code} ({name}, {in_use}) went out of use before the holder was born in \
         {birth_year}; a number takes the code in use when it is first issued"
    )]
    RegionRetiredBeforeBirth {
        /// The first six digits of the number.
        region_code: String,
        /// The name the code last carried (`特克斯县`).
        name: String,
        /// The years the code carried that name.
        in_use: InUse,
        /// The birth year the number encodes.
        birth_year: i32,
    },
}

impl IdProblem {
    /// A stable name for scripts and flags (`check_digit`, `unknown_region` …).
    pub fn code(&self) -> &'static str {
        match self {
            IdProblem::Length { .. } => "length",
            IdProblem::NotDigits { .. } => "not_digits",
            IdProblem::BirthDate { .. } => "birth_date",
            IdProblem::CheckDigit { .. } => "check_digit",
            IdProblem::UnknownRegion { .. } => "unknown_region",
            IdProblem::ExcelNumber { .. } => "excel_number",
            IdProblem::FutureBirth { .. } => "future_birth",
            IdProblem::RegionRetiredBeforeBirth { .. } => "region_retired_before_birth",
        }
    }

    /// Whether the problem makes the number invalid. An unknown or retired region code does
    /// not: the number may still be real.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            IdProblem::UnknownRegion { .. } | IdProblem::RegionRetiredBeforeBirth { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_serialise_under_their_code() {
        let problem = IdProblem::CheckDigit {
            expected: 'X',
            found: '3',
        };
        assert_eq!(
            serde_json::to_value(&problem).unwrap(),
            serde_json::json!({"code": "check_digit", "expected": "X", "found": "3"})
        );
        assert_eq!(
            problem.to_string(),
            "the check character is 3, but the first 17 digits call for X"
        );
    }

    #[test]
    fn only_region_doubts_are_not_fatal() {
        let unknown = IdProblem::UnknownRegion {
            region_code: "999999".into(),
        };
        assert!(!unknown.is_fatal());
        assert!(IdProblem::Length { found: 16 }.is_fatal());
    }
}
