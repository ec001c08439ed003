//! Leaked strings made safe to print inside a table, a CSV comment or an SVG: one line,
//! no invisible reordering, nothing XML forbids. Also how wide a string looks, so that
//! columns of Chinese names line up.

use std::borrow::Cow;

/// What stands in for a character that cannot be printed: visible, so that a reader sees
/// that the source held something there.
const REPLACEMENT: char = '\u{FFFD}';

/// `text` with control characters (line breaks, tabs, escapes), bidirectional overrides
/// and the XML non-characters U+FFFE and U+FFFF each replaced by U+FFFD.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    if text.chars().any(unprintable) {
        Cow::Owned(
            text.chars()
                .map(|c| if unprintable(c) { REPLACEMENT } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

fn unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FFFE}'
                | '\u{FFFF}'
        )
}

/// Columns a terminal gives `text`: two for East Asian wide characters (Han, kana,
/// Hangul, full-width forms), one for the rest. An approximation without a width table,
/// right for the Chinese, Latin and Arabic-script names of the lists.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

fn wide(c: char) -> bool {
    matches!(
        c,
        '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{303E}'
            | '\u{3041}'..='\u{33FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{A000}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{20000}'..='\u{3FFFD}'
    )
}

/// `text` padded with spaces on the right to `width` columns.
pub(crate) fn pad_right(text: &str, width: usize) -> String {
    let padding = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(padding))
}

/// `text` padded with spaces on the left to `width` columns.
pub(crate) fn pad_left(text: &str, width: usize) -> String {
    let padding = width.saturating_sub(display_width(text));
    format!("{}{text}", " ".repeat(padding))
}

/// `text` cut to at most `width` columns, with `…` where it was cut.
pub(crate) fn truncate(text: &str, width: usize) -> Cow<'_, str> {
    if display_width(text) <= width {
        return Cow::Borrowed(text);
    }
    let mut kept = String::new();
    let mut used = 1;
    for c in text.chars() {
        let w = if wide(c) { 2 } else { 1 };
        if used + w > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    kept.push('…');
    Cow::Owned(kept)
}

/// `text` broken at spaces into lines of at most `width` columns; a word longer than a
/// line gets a line of its own.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        if !line.is_empty() && display_width(&line) + 1 + display_width(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_bidi_overrides_become_visible_replacements() {
        assert_eq!(one_line("甲乡\n乙乡"), "甲乡\u{FFFD}乙乡");
        assert_eq!(one_line("a\u{202E}b\u{FFFF}"), "a\u{FFFD}b\u{FFFD}");
        assert!(matches!(one_line("托格拉克乡"), Cow::Borrowed(_)));
    }

    #[test]
    fn han_characters_are_two_columns_wide() {
        assert_eq!(display_width("托格拉克乡"), 10);
        assert_eq!(display_width("unknown"), 7);
        assert_eq!(pad_right("甲乡", 6), "甲乡  ");
        assert_eq!(pad_left("12", 4), "  12");
    }

    #[test]
    fn truncation_keeps_within_the_width() {
        assert_eq!(truncate("托格拉克乡", 10), "托格拉克乡");
        assert_eq!(truncate("托格拉克乡", 7), "托格拉…");
    }

    #[test]
    fn wrapping_breaks_at_spaces() {
        assert_eq!(
            wrap("Ages: all ages in bands", 10),
            ["Ages: all", "ages in", "bands"]
        );
    }
}
