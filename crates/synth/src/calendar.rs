//! Civil dates without a clock: enough arithmetic to draw birth and capture dates and to
//! compute ages, so the leak never depends on the machine's time or time zone.

use std::fmt;

/// A date in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const fn new(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Whole years of age on `on` for someone born on `self`.
    pub fn age_on(self, on: Date) -> i32 {
        let had_birthday = (on.month, on.day) >= (self.month, self.day);
        on.year - self.year - i32::from(!had_birthday)
    }

    /// `YYYYMMDD`, as in a resident ID number.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// `YYYY.MM.DD`, a common way to type dates into a spreadsheet cell.
    pub fn dotted(self) -> String {
        format!("{:04}.{:02}.{:02}", self.year, self.month, self.day)
    }

    /// `YYYY年M月D日`.
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// ISO 8601 (`YYYY-MM-DD`).
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_across_leap_years() {
        for days in [-25_000, -1, 0, 59, 11_016, 17_532, 17_591, 20_000] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(
            Date::new(2018, 3, 1).days() - Date::new(2018, 2, 28).days(),
            1
        );
        assert_eq!(Date::from_days(0), Date::new(1970, 1, 1));
    }

    #[test]
    fn age_counts_the_birthday_itself() {
        let born = Date::new(1990, 3, 1);
        assert_eq!(born.age_on(Date::new(2018, 2, 28)), 27);
        assert_eq!(born.age_on(Date::new(2018, 3, 1)), 28);
    }

    #[test]
    fn formats_match_what_clerks_type() {
        let date = Date::new(1990, 1, 5);
        assert_eq!(date.to_string(), "1990-01-05");
        assert_eq!(date.compact(), "19900105");
        assert_eq!(date.dotted(), "1990.01.05");
        assert_eq!(date.chinese(), "1990年1月5日");
    }
}
