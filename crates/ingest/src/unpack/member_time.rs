//! The modification time an archive records for a member, in each format's own clock:
//! DOS date and time (zip, RAR; local time), Unix seconds (tar; UTC), Windows file time
//! (7z; UTC). Kept without a zone, as written: the authenticity report compares it with
//! the member's own dates allowing a day either way.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// A DOS date and time packed as zip and RAR store them: the date in the high 16 bits
/// (years from 1980, month, day), the time in the low (hours, minutes, seconds / 2).
/// `None` for what writers leave when they know no time (zero, or the first moment DOS
/// can write, 1980-01-01 00:00, which reproducible builds and many libraries use), and
/// for impossible values.
pub(crate) fn from_dos(packed: u32) -> Option<NaiveDateTime> {
    const DOS_EPOCH: u32 = ((1 << 5) | 1) << 16;
    let (date, time) = (packed >> 16, packed & 0xFFFF);
    if date == 0 || packed == DOS_EPOCH {
        return None;
    }
    NaiveDate::from_ymd_opt(1980 + (date >> 9) as i32, (date >> 5) & 0xF, date & 0x1F)?.and_hms_opt(
        time >> 11,
        (time >> 5) & 0x3F,
        (time & 0x1F) * 2,
    )
}

/// Seconds since 1970 (UTC), as tar writes them; `None` for 0, which writers use for
/// "unknown".
pub(crate) fn from_unix(seconds: i64) -> Option<NaiveDateTime> {
    (seconds != 0)
        .then(|| DateTime::from_timestamp(seconds, 0))
        .flatten()
        .map(|time| time.naive_utc())
}

/// Hundreds of nanoseconds since 1601 (UTC), as 7z writes them; `None` for 0.
pub(crate) fn from_windows(ticks: u64) -> Option<NaiveDateTime> {
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    let seconds = i64::try_from(ticks / 10_000_000).ok()? - SECONDS_1601_TO_1970;
    (ticks != 0).then(|| from_unix(seconds)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").ok()
    }

    #[test]
    fn each_formats_clock_reads_as_the_same_moment() {
        // 2018-03-01 09:15:30 in DOS form: date (38 << 9 | 3 << 5 | 1), time (9 << 11 | 15 << 5 | 15).
        let dos = (((38 << 9) | (3 << 5) | 1) << 16) | ((9 << 11) | (15 << 5) | 15);
        assert_eq!(from_dos(dos), at("2018-03-01 09:15:30"));
        assert_eq!(from_unix(1_519_895_730), at("2018-03-01 09:15:30"));
        let windows = (1_519_895_730 + 11_644_473_600) * 10_000_000;
        assert_eq!(from_windows(windows), at("2018-03-01 09:15:30"));
    }

    #[test]
    fn unknown_and_impossible_times_are_none() {
        assert_eq!(from_dos(0), None);
        assert_eq!(from_dos(((1 << 5) | 1) << 16), None, "1980-01-01 00:00");
        assert_eq!(
            from_dos(((38 << 9) | (13 << 5) | 1) << 16),
            None,
            "month 13"
        );
        assert_eq!(from_unix(0), None);
        assert_eq!(from_windows(0), None);
    }
}
