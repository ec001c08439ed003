//! Dates as clerks type them: ISO, dotted, slashed, Chinese (1990年1月1日), compact
//! (19900101), Excel serial numbers (32874), and partial dates (1990年1月, 199001).

use chrono::{Datelike, Duration, NaiveDate};

/// What a date cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedDate {
    /// A full calendar date.
    Day(NaiveDate),
    /// Year and month only (出生年月 columns often hold this).
    Month(i32, u32),
    /// A year alone (`1990`).
    Year(i32),
}

impl ParsedDate {
    /// The date, if the cell gave a full day; partial dates give `None`.
    pub fn day(self) -> Option<NaiveDate> {
        match self {
            ParsedDate::Day(d) => Some(d),
            _ => None,
        }
    }

    /// Whether a full date falls within what this (maybe partial) date says.
    pub fn admits(self, date: NaiveDate) -> bool {
        match self {
            ParsedDate::Day(d) => d == date,
            ParsedDate::Month(y, m) => date.year() == y && date.month() == m,
            ParsedDate::Year(y) => date.year() == y,
        }
    }
}

/// Years outside this range are typing errors, not dates in a police list.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1890..=2100;

/// Reads a date cell; `None` when it is empty or holds no date we can read.
pub fn parse_date(raw: &str) -> Option<ParsedDate> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    // A time of day after the date (`1990-01-01 00:00:00`) says nothing more.
    let text = text.split([' ', 'T']).next().unwrap_or(text);
    let parsed = excel_serial(text)
        .or_else(|| compact(text))
        .or_else(|| separated(text))?;
    let year = match parsed {
        ParsedDate::Day(d) => d.year(),
        ParsedDate::Month(y, _) | ParsedDate::Year(y) => y,
    };
    PLAUSIBLE_YEARS.contains(&year).then_some(parsed)
}

/// An Excel serial day number (days since 1899-12-30 in the 1900 date system), as a date
/// cell reads when its format was lost. Serials before March 1900 are refused: Excel counts
/// a 29 February 1900 that never was.
fn excel_serial(text: &str) -> Option<ParsedDate> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.len() != 5 || !all_digits(whole) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = whole.parse().ok()?;
    if days < 61 {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch
        .checked_add_signed(Duration::days(days))
        .map(ParsedDate::Day)
}

/// `19900101`, `199001`, `1990`.
fn compact(text: &str) -> Option<ParsedDate> {
    if !all_digits(text) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    match text.len() {
        8 => {
            let year = i32::try_from(number(0..4)?).ok()?;
            NaiveDate::from_ymd_opt(year, number(4..6)?, number(6..8)?).map(ParsedDate::Day)
        }
        6 => {
            let year = i32::try_from(number(0..4)?).ok()?;
            let month = number(4..6)?;
            (1..=12)
                .contains(&month)
                .then_some(ParsedDate::Month(year, month))
        }
        4 => Some(ParsedDate::Year(i32::try_from(number(0..4)?).ok()?)),
        _ => None,
    }
}

/// Two-digit years below this are read as 20xx, the others as 19xx.
const TWO_DIGIT_PIVOT: i32 = 30;

/// `1990-01-01`, `1990/1/1`, `1990.01.01`, `1990年1月1日`, `1990年1月`, `1990.01`, and
/// with month and day also `90.1.1`.
fn separated(text: &str) -> Option<ParsedDate> {
    let numbers: Vec<&str> = text
        .split(['-', '/', '.', '年', '月', '日', '号'])
        .filter(|s| !s.is_empty())
        .collect();
    if numbers.is_empty() || numbers.len() > 3 || !numbers.iter().all(|n| all_digits(n)) {
        return None;
    }
    let year: i32 = match numbers[0].len() {
        4 => numbers[0].parse().ok()?,
        // Two-digit years (`62.9.27`) only with month and day: 00–29 are this century.
        2 if numbers.len() == 3 => {
            let short: i32 = numbers[0].parse().ok()?;
            if short < TWO_DIGIT_PIVOT {
                2000 + short
            } else {
                1900 + short
            }
        }
        _ => return None,
    };
    let month: Option<u32> = numbers.get(1).and_then(|m| m.parse().ok());
    let day: Option<u32> = numbers.get(2).and_then(|d| d.parse().ok());
    match (month, day) {
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(year, m, d).map(ParsedDate::Day),
        (Some(m), None) => (1..=12).contains(&m).then_some(ParsedDate::Month(year, m)),
        _ => None,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<ParsedDate> {
        Some(ParsedDate::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn every_common_style_reads_the_same_day() {
        for raw in [
            "1990-01-01",
            "1990-01-01 00:00:00",
            "1990/1/1",
            "1990.01.01",
            "1990.1.1",
            "1990年1月1日",
            "1990年01月01日",
            "19900101",
            "32874",
        ] {
            assert_eq!(parse_date(raw), day(1990, 1, 1), "{raw}");
        }
    }

    #[test]
    fn partial_dates_say_what_they_know() {
        assert_eq!(parse_date("1990年3月"), Some(ParsedDate::Month(1990, 3)));
        assert_eq!(parse_date("1990.03"), Some(ParsedDate::Month(1990, 3)));
        assert_eq!(parse_date("199003"), Some(ParsedDate::Month(1990, 3)));
        assert_eq!(parse_date("1990"), Some(ParsedDate::Year(1990)));
        let march = ParsedDate::Month(1990, 3);
        assert!(march.admits(NaiveDate::from_ymd_opt(1990, 3, 17).unwrap()));
        assert!(!march.admits(NaiveDate::from_ymd_opt(1990, 4, 1).unwrap()));
    }

    #[test]
    fn impossible_or_implausible_dates_are_not_dates() {
        for raw in [
            "1990-02-30",
            "19901301",
            "abc",
            "",
            "12",
            "0001-01-01",
            "1990年13月",
        ] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }
}
