//! Output helpers: JSON lines for scripts, small formatting for people.

use std::io::{self, Write};

use serde::Serialize;

/// Writes one JSON object on its own line to stdout.
pub fn json_line(value: &impl Serialize) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, value)?;
    stdout.write_all(b"\n")?;
    Ok(())
}

/// Today's date (UTC), from the system clock.
pub fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}

/// Bytes as a person reads them: 1.4 MB, 120 KB.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Leaked text made safe for a terminal: control characters (escape
/// sequences could rewrite the screen or the clipboard) and bidi overrides
/// are replaced, tabs and newlines become spaces. Every replacement has the
/// same UTF-8 length as what it replaces, so highlight offsets stay valid.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => ' ',
            '\u{0}'..='\u{7f}' if c.is_control() => '?',
            '\u{80}'..='\u{9f}' => '¿',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_in_leaked_text_are_neutralised() {
        let hostile = "a\x1b[2Jb\nc\u{9b}d\u{202E}e";
        let safe = terminal_safe(hostile);
        assert_eq!(safe, "a?[2Jb c¿d\u{FFFD}e");
        assert_eq!(safe.len(), hostile.len());
    }

    #[test]
    fn bytes_are_shown_in_decimal_units() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_400_000), "1.4 MB");
    }
}
