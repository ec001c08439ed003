//! Dates and times as photos and documents write them.

use chrono::{NaiveDate, NaiveDateTime};

/// EXIF's `2018:03:01 09:15:00` (and the ISO forms some writers use instead).
pub(super) fn exif_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().trim_end_matches('\0');
    [
        "%Y:%m:%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// The date a document's metadata gives (`2031-05-01T08:00:00Z`, `D:20180301…` from a
/// PDF, `2018-03-01`).
pub(super) fn metadata_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim().trim_start_matches("D:");
    let digits: String = text.chars().filter(char::is_ascii_digit).take(8).collect();
    NaiveDate::parse_from_str(&digits, "%Y%m%d").ok()
}

/// A capture time written in a file name: fourteen digits `YYYYMMDDhhmmss` in a row, or
/// separated (`IMG_20180301_091500`, `2018-03-01 09.15.00`), not part of a longer run of
/// digits (an ID number holds eight date digits, never fourteen).
pub(super) fn time_in_name(name: &str) -> Option<NaiveDateTime> {
    let mut runs: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if matches!(c, '_' | '-' | '.' | ' ' | ':' | 'T') && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        } else {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            runs.push(String::new());
        }
    }
    runs.push(current);
    // Joined pieces of a timestamp: 8 + 6 digits, or 4+2+2 + 2+2+2.
    for window in 1..=6 {
        for start in 0..runs.len().saturating_sub(window - 1) {
            let pieces = &runs[start..start + window];
            if pieces.iter().any(String::is_empty) {
                continue;
            }
            let joined: String = pieces.concat();
            if joined.len() == 14
                && let Ok(time) = NaiveDateTime::parse_from_str(&joined, "%Y%m%d%H%M%S")
            {
                return Some(time);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_cameras_documents_and_file_names_write_them() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(
            exif_time("2018:03:01 09:15:00"),
            Some(at("2018-03-01 09:15:00"))
        );
        assert_eq!(
            metadata_date("D:20310501080000+08'00'"),
            NaiveDate::from_ymd_opt(2031, 5, 1)
        );
        assert_eq!(
            time_in_name("653121199001010027_20180301091500.jpg"),
            Some(at("2018-03-01 09:15:00"))
        );
        assert_eq!(
            time_in_name("IMG_20180301_091500.jpg"),
            Some(at("2018-03-01 09:15:00"))
        );
        assert_eq!(time_in_name("653121199001010027.jpg"), None);
        assert_eq!(time_in_name("scan-2018.jpg"), None);
    }
}
