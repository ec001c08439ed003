//! GB 11643-1999 resident identity numbers (公民身份号码): the region code of first issue
//! (six digits, GB/T 2260), the birth date (`YYYYMMDD`), a sequence number whose parity is
//! the sex (odd: male), and an ISO 7064 MOD 11-2 check character (`0`-`9` or `X`). Numbers
//! issued before 1999 have 15 digits: a two-digit year meaning 19YY and no check character.
//!
//! Reading a number never fails: [`decode`] says what the number holds and lists what is
//! wrong with it, because a malformed number in a leaked list is itself evidence.
//!
//! ```
//! use trove_records::resident_id::decode;
//! use trove_model::Sex;
//!
//! let id = decode(" 653121 19900101 0027 ");
//! assert!(id.is_valid());
//! assert_eq!(id.canonical.as_deref(), Some("653121199001010027"));
//! assert_eq!(id.region.unwrap().name, "疏附县");
//! assert_eq!(id.sex, Some(Sex::Female));
//! ```

mod check;
mod clean;
mod find;
mod problem;

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Datelike, NaiveDate};
use serde::Serialize;
use trove_model::Sex;

use crate::regions::{self, Region};
use clean::Cleaned;

pub use check::check_character;
pub use find::find_ids;
pub use problem::IdProblem;

/// Birth years before this are no possible birth date: numbers were first issued in
/// 1984–85, and no one then alive was born earlier.
const EARLIEST_BIRTH_YEAR: i32 = 1870;

/// Everything an ID number says, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecodedId {
    /// The text as given.
    pub input: String,
    /// The 18-character form, upper-case `X`, a 15-digit number upgraded (`19` inserted
    /// before the year, the check character computed); `None` when the text is not 15 or
    /// 18 digits. Set even when the check character or the date is wrong, so that the
    /// number can still be matched and shown.
    pub canonical: Option<String>,
    /// Whether the text was a 15-digit number of before 1999.
    pub legacy: bool,
    /// The first six digits, when the text has the shape of a number.
    pub region_code: Option<String>,
    /// What the region code named for someone born in the birth year
    /// ([`regions::region_for_birth_year`]), or its latest name without a birth date.
    pub region: Option<Region>,
    /// The birth date the number encodes (digits 7–14; for a 15-digit number, `19`
    /// and digits 7–12); `None` when those digits are no possible date.
    pub birth_date: Option<NaiveDate>,
    /// The sex the number encodes: odd 17th digit male, even female (15th digit
    /// of a 15-digit number); `None` when the text has no number's shape.
    pub sex: Option<Sex>,
    /// Everything wrong or doubtful, in the order found; empty for a sound number.
    pub problems: Vec<IdProblem>,
}

impl DecodedId {
    /// Whether the number is well formed: no fatal problem ([`IdProblem::is_fatal`]).
    pub fn is_valid(&self) -> bool {
        self.problems.iter().all(|p| !p.is_fatal())
    }
}

/// Reads an ID number as of today (birth dates after today are a problem). Surrounding and
/// inner spaces, full-width digits and a lower-case `x` are accepted.
pub fn decode(input: &str) -> DecodedId {
    decode_on(input, today())
}

/// Reads an ID number as of `on`: a birth date after it is a problem. Reading as of a
/// leak's date shows numbers of people "born" after the list was drawn up.
pub fn decode_on(input: &str, on: NaiveDate) -> DecodedId {
    let mut id = DecodedId {
        input: input.to_owned(),
        canonical: None,
        legacy: false,
        region_code: None,
        region: None,
        birth_date: None,
        sex: None,
        problems: Vec::new(),
    };
    let characters = match clean::clean(input) {
        Cleaned::Characters(characters) => characters,
        Cleaned::SpreadsheetNumber => {
            id.problems.push(IdProblem::ExcelNumber {
                found: input.trim().to_owned(),
            });
            return id;
        }
    };
    let number = match Number::read(&characters) {
        Ok(number) => number,
        Err(problems) => {
            id.problems = problems;
            return id;
        }
    };
    if let (Some(found), Some(expected)) = (number.check, number.expected_check())
        && found != expected
    {
        id.problems.push(IdProblem::CheckDigit { expected, found });
    }
    id.birth_date = number.birth_date();
    match id.birth_date {
        None => id.problems.push(IdProblem::BirthDate {
            digits: number.birth.clone(),
        }),
        Some(birth) if birth > on => id.problems.push(IdProblem::FutureBirth { birth, on }),
        Some(_) => {}
    }
    id.region = match id.birth_date {
        Some(birth) => regions::region_for_birth_year(number.region, birth.year()),
        None => regions::region(number.region),
    };
    match (&id.region, id.birth_date) {
        (None, _) => id.problems.push(IdProblem::UnknownRegion {
            region_code: number.region.to_owned(),
        }),
        // The region chosen for a birth year has ended before it only when all its names have.
        (Some(region), Some(birth)) if region.in_use.ended_before(birth.year()) => {
            id.problems.push(IdProblem::RegionRetiredBeforeBirth {
                region_code: region.code.clone(),
                name: region.name.clone(),
                in_use: region.in_use,
                birth_year: birth.year(),
            });
        }
        _ => {}
    }
    id.sex = Some(if number.sequence_last % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    });
    id.region_code = Some(number.region.to_owned());
    id.canonical = number.canonical();
    id.legacy = number.legacy;
    id
}

/// Today's date in UTC; the latest date there is if the clock is before 1970, so that no
/// birth date counts as future.
fn today() -> NaiveDate {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|since| DateTime::from_timestamp(i64::try_from(since.as_secs()).ok()?, 0))
        .map_or(NaiveDate::MAX, |now| now.date_naive())
}

/// The parts of a text that has the shape of an ID number: 15 digits, or 17 digits and a
/// digit or `X`. All ASCII, so every part is a slice of it.
struct Number<'a> {
    /// The first 17 characters of the 18-character form (15-digit numbers: `19` inserted).
    first17: String,
    region: &'a str,
    birth: String,
    sequence_last: u8,
    /// The check character as written; `None` for a 15-digit number.
    check: Option<char>,
    legacy: bool,
}

impl<'a> Number<'a> {
    fn read(characters: &'a str) -> Result<Number<'a>, Vec<IdProblem>> {
        let length = characters.chars().count();
        let mut problems = Vec::new();
        let stray = characters
            .chars()
            .enumerate()
            .find(|&(index, c)| !(c.is_ascii_digit() || (c == 'X' && index == 17 && length == 18)));
        if let Some((index, found)) = stray {
            problems.push(IdProblem::NotDigits {
                found,
                position: index + 1,
            });
        }
        if length != 15 && length != 18 {
            problems.push(IdProblem::Length { found: length });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let part = |range: std::ops::Range<usize>| characters.get(range).unwrap_or_default();
        let legacy = length == 15;
        let (birth, sequence, check) = if legacy {
            (format!("19{}", part(6..12)), part(12..15), None)
        } else {
            (
                part(6..14).to_owned(),
                part(14..17),
                characters.chars().nth(17),
            )
        };
        Ok(Number {
            first17: format!("{}{birth}{sequence}", part(0..6)),
            region: part(0..6),
            birth,
            sequence_last: sequence.bytes().last().map_or(0, |b| b.wrapping_sub(b'0')),
            check,
            legacy,
        })
    }

    fn expected_check(&self) -> Option<char> {
        check_character(&self.first17)
    }

    fn canonical(&self) -> Option<String> {
        let check = self.check.or_else(|| self.expected_check())?;
        Some(format!("{}{check}", self.first17))
    }

    fn birth_date(&self) -> Option<NaiveDate> {
        let number = |range: std::ops::Range<usize>| self.birth.get(range)?.parse::<u32>().ok();
        let year = i32::try_from(number(0..4)?).ok()?;
        NaiveDate::from_ymd_opt(year, number(4..6)?, number(6..8)?)
            .filter(|_| year >= EARLIEST_BIRTH_YEAR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn codes(id: &DecodedId) -> Vec<&'static str> {
        id.problems.iter().map(IdProblem::code).collect()
    }

    #[test]
    fn the_example_of_the_standard_is_valid() {
        let id = decode("11010519491231002X");
        assert!(id.is_valid(), "{:?}", id.problems);
        assert_eq!(id.problems, []);
        assert_eq!(id.birth_date, Some(date(1949, 12, 31)));
        assert_eq!(id.sex, Some(Sex::Female));
        assert_eq!(id.region.map(|r| r.name), Some("朝阳区".to_owned()));
        assert!(!id.legacy);
    }

    #[test]
    fn a_legacy_number_is_upgraded() {
        let id = decode("653121900101002");
        assert!(id.is_valid(), "{:?}", id.problems);
        assert!(id.legacy);
        assert_eq!(id.canonical.as_deref(), Some("653121199001010027"));
        assert_eq!(id.birth_date, Some(date(1990, 1, 1)));
        assert_eq!(id.sex, Some(Sex::Female));
    }

    #[test]
    fn a_wrong_check_character_says_what_was_expected() {
        let id = decode("653121199001010021");
        assert!(!id.is_valid());
        assert_eq!(
            id.problems,
            [IdProblem::CheckDigit {
                expected: '7',
                found: '1'
            }]
        );
        assert_eq!(
            id.canonical.as_deref(),
            Some("653121199001010021"),
            "still shown"
        );
    }

    #[test]
    fn an_unknown_region_is_reported_but_not_fatal() {
        let first17 = "99999919900101002";
        let number = format!("{first17}{}", check_character(first17).unwrap());
        let id = decode(&number);
        assert!(id.is_valid());
        assert_eq!(codes(&id), ["unknown_region"]);
        assert_eq!(id.region, None);
        assert_eq!(id.region_code.as_deref(), Some("999999"));
    }

    #[test]
    fn a_code_retired_before_birth_is_suspect_but_not_fatal() {
        // Tekes's first code, 652427, went out of use in 1984.
        let first17 = "65242719900101001";
        let id = decode(&format!("{first17}{}", check_character(first17).unwrap()));
        assert!(id.is_valid());
        assert_eq!(codes(&id), ["region_retired_before_birth"]);
        assert_eq!(
            id.problems[0].to_string(),
            "the region code 652427 (特克斯县, 1981–1984) went out of use before the holder was born \
             in 1990; a number takes the code in use when it is first issued"
        );
        // Born before the code came into use: ordinary, the number was issued later.
        let first17 = "65402719600101001";
        let id = decode(&format!("{first17}{}", check_character(first17).unwrap()));
        assert_eq!(id.problems, []);
    }

    #[test]
    fn impossible_and_future_birth_dates_are_fatal() {
        let on = date(2020, 6, 1);
        for (first17, expected) in [
            ("65312119900230001", "birth_date"),
            ("65312118000101001", "birth_date"),
            ("65312120210101001", "future_birth"),
        ] {
            let id = decode_on(
                &format!("{first17}{}", check_character(first17).unwrap()),
                on,
            );
            assert_eq!(codes(&id), [expected], "{first17}");
            assert!(!id.is_valid());
        }
    }

    #[test]
    fn spreadsheet_numbers_are_their_own_problem() {
        let id = decode("6.53121199001011E+17");
        assert_eq!(codes(&id), ["excel_number"]);
        assert_eq!(id.canonical, None);
        assert!(!id.is_valid());
    }

    #[test]
    fn shape_problems_stop_the_reading() {
        assert_eq!(codes(&decode("")), ["length"]);
        assert_eq!(codes(&decode("6531211990010100")), ["length"]);
        assert_eq!(
            decode("65312119900101002Y").problems,
            [IdProblem::NotDigits {
                found: 'Y',
                position: 18
            }]
        );
        assert_eq!(codes(&decode("X53121199001010027")), ["not_digits"]);
        assert_eq!(codes(&decode("65312119900101002")), ["length"]);
        assert_eq!(codes(&decode("someday")), ["not_digits", "length"]);
    }
}
