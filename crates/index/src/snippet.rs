//! Highlighted snippets, as plain data: the caller decides how to mark them
//! (terminal bold, `«»`, escaped HTML), so leaked text is never emitted as
//! markup by accident.

use serde::Serialize;

/// A fragment of a part's text and the byte ranges in it that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Sorted, non-overlapping byte ranges into `text`.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    pub(crate) fn from_tantivy(snippet: &tantivy::snippet::Snippet) -> Snippet {
        let mut ranges: Vec<(usize, usize)> = snippet
            .highlighted()
            .iter()
            .map(|range| (range.start, range.end))
            .collect();
        Snippet {
            text: snippet.fragment().to_owned(),
            highlights: merge(&mut ranges),
        }
    }

    /// The text with every highlight wrapped in `open` … `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        self.render(open, close, |s| s.to_owned())
    }

    /// HTML with highlights in `<mark>` and everything else escaped.
    pub fn to_html(&self) -> String {
        self.render("<mark>", "</mark>", escape_html)
    }

    fn render(&self, open: &str, close: &str, text: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for &(start, end) in &self.highlights {
            out.push_str(&text(&self.text[at..start]));
            out.push_str(open);
            out.push_str(&text(&self.text[start..end]));
            out.push_str(close);
            at = end;
        }
        out.push_str(&text(&self.text[at..]));
        out
    }
}

/// Bigram highlights overlap (乌鲁 and 鲁木): merge them into one range.
fn merge(ranges: &mut [(usize, usize)]) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for &(start, end) in ranges.iter() {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_highlights_merge() {
        let mut ranges = vec![(3, 9), (0, 6), (12, 15)];
        assert_eq!(merge(&mut ranges), [(0, 9), (12, 15)]);
    }

    #[test]
    fn html_rendering_escapes_leaked_markup() {
        let snippet = Snippet {
            text: "<script>教育</script>".into(),
            highlights: vec![(8, 14)],
        };
        assert_eq!(
            snippet.to_html(),
            "&lt;script&gt;<mark>教育</mark>&lt;/script&gt;"
        );
        assert_eq!(snippet.marked("[", "]"), "<script>[教育]</script>");
    }
}
