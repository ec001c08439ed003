//! Age in completed years, the way a figure for "adults" must count it: a person born on
//! 2000-05-10 is 17 on 2018-05-09 and 18 on 2018-05-10.

use chrono::NaiveDate;

/// The oldest age taken for a person rather than for a mistyped birth date. Without a
/// bound, one birth date in year 1 would make an age histogram of four hundred empty bands.
pub const MAX_AGE: u32 = 150;

/// The age in completed years on `at`, or `None` when the birth date is after `at` or
/// more than [`MAX_AGE`] years before it. A person born on 29 February turns a year older
/// on 1 March in years without one.
pub fn age_on(birth_date: NaiveDate, at: NaiveDate) -> Option<u32> {
    at.years_since(birth_date).filter(|age| *age <= MAX_AGE)
}

/// The first age of the band holding `age`, bands being `width` years wide from 0.
pub(crate) fn band_start(age: u32, width: u32) -> u32 {
    age - age % width.max(1)
}

/// `15–19` for the band starting at `start`; the band is cut at `floor` from below (an
/// adults-only table's first band is `18–19`, not `15–19`, because no one younger counts).
pub(crate) fn band_label(start: u32, width: u32, floor: u32) -> String {
    let first = start.max(floor);
    let last = start + width.max(1) - 1;
    if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_year_is_completed_on_the_birthday() {
        assert_eq!(age_on(date(2000, 5, 10), date(2018, 5, 9)), Some(17));
        assert_eq!(age_on(date(2000, 5, 10), date(2018, 5, 10)), Some(18));
    }

    #[test]
    fn leap_day_birthdays_count_from_the_first_of_march() {
        assert_eq!(age_on(date(2000, 2, 29), date(2018, 2, 28)), Some(17));
        assert_eq!(age_on(date(2000, 2, 29), date(2018, 3, 1)), Some(18));
    }

    #[test]
    fn impossible_ages_are_none() {
        assert_eq!(age_on(date(2019, 1, 1), date(2018, 1, 1)), None);
        assert_eq!(age_on(date(1, 1, 1), date(2018, 1, 1)), None);
        assert_eq!(age_on(date(1868, 1, 1), date(2018, 1, 1)), Some(MAX_AGE));
    }

    #[test]
    fn bands_are_cut_at_the_floor() {
        assert_eq!(band_start(17, 5), 15);
        assert_eq!(band_label(15, 5, 0), "15–19");
        assert_eq!(band_label(15, 5, 18), "18–19");
        assert_eq!(band_label(40, 1, 18), "40");
    }
}
