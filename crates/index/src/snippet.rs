//! Highlighted snippets, as plain data: the caller decides how to mark them
//! (terminal bold, `«»`, escaped HTML), so leaked text is never emitted as
//! markup by accident.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// A fragment of a part's text and the byte ranges in it that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Sorted, non-overlapping byte ranges into `text`.
    pub highlights: Vec<(usize, usize)>,
    /// The 1-based line of the part where the first highlight stands. Sheets
    /// are rendered a row a line, so for a sheet this is the row number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Snippet {
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

/// Finds query terms in a part's text and cuts the fragment that holds the
/// most of them.
///
/// tantivy's own snippet generator picks fragments by fixed boundaries and
/// can cut a matched name in half; this one centres the fragment on the
/// densest cluster of matches, in both the word field and the bigram field
/// (a Han query may only match through bigrams).
pub(crate) struct Highlighter {
    fields: Vec<(TextAnalyzer, HashMap<String, f32>)>,
    max_chars: usize,
}

/// Characters of context kept before the first match.
const LEAD_CHARS: usize = 24;

impl Highlighter {
    /// Collects the query's terms for each field, rarer terms weighing more.
    pub(crate) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &[Field],
        max_chars: usize,
    ) -> tantivy::Result<Highlighter> {
        let mut terms: Vec<Term> = Vec::new();
        query.query_terms(&mut |term, _| terms.push(term.clone()));
        let mut per_field = Vec::new();
        for &field in fields {
            let mut weights = HashMap::new();
            for term in terms.iter().filter(|t| t.field() == field) {
                if let Some(text) = term.value().as_str() {
                    let frequency = searcher.doc_freq(term)?;
                    weights.insert(text.to_owned(), 1.0 / (1.0 + frequency as f32));
                }
            }
            if !weights.is_empty() {
                per_field.push((searcher.index().tokenizer_for_field(field)?, weights));
            }
        }
        Ok(Highlighter {
            fields: per_field,
            max_chars,
        })
    }

    /// The best fragment of `text`, or its start when nothing matches (a hit
    /// on metadata or path only).
    pub(crate) fn snippet(&mut self, text: &str) -> Snippet {
        let matches = self.matches(text);
        let Some(start) = best_window_start(&matches, text, self.max_chars) else {
            return Snippet {
                text: text.chars().take(self.max_chars).collect(),
                highlights: Vec::new(),
                line: None,
            };
        };
        let start = back_up(text, start, LEAD_CHARS);
        let end = text[start..]
            .char_indices()
            .nth(self.max_chars)
            .map_or(text.len(), |(offset, _)| start + offset);
        let mut ranges: Vec<(usize, usize)> = matches
            .iter()
            .filter(|m| m.0 >= start && m.1 <= end)
            .map(|m| (m.0 - start, m.1 - start))
            .collect();
        let highlights = merge(&mut ranges);
        let line = highlights.first().map(|&(first, _)| {
            let newlines = text.as_bytes()[..start + first]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            u32::try_from(newlines + 1).unwrap_or(u32::MAX)
        });
        Snippet {
            text: text[start..end].to_owned(),
            highlights,
            line,
        }
    }

    /// (start, end, weight) of every token of `text` that is a query term.
    fn matches(&mut self, text: &str) -> Vec<(usize, usize, f32)> {
        let mut matches = Vec::new();
        for (analyzer, weights) in &mut self.fields {
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                if let Some(&weight) = weights.get(&token.text) {
                    matches.push((token.offset_from, token.offset_to, weight));
                }
            }
        }
        matches.sort_by_key(|m| m.0);
        matches
    }
}

/// The byte offset of the match that starts the window (of `max_chars`
/// characters) holding the greatest weight of matches.
fn best_window_start(
    matches: &[(usize, usize, f32)],
    text: &str,
    max_chars: usize,
) -> Option<usize> {
    let mut best: Option<(f32, usize)> = None;
    for (i, &(start, _, _)) in matches.iter().enumerate() {
        let limit = text[start..]
            .char_indices()
            .nth(max_chars.saturating_sub(LEAD_CHARS))
            .map_or(text.len(), |(offset, _)| start + offset);
        let weight: f32 = matches[i..]
            .iter()
            .take_while(|m| m.1 <= limit)
            .map(|m| m.2)
            .sum();
        if best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, start));
        }
    }
    best.map(|(_, start)| start)
}

/// Moves `at` back by up to `chars` characters, stopping after a line break
/// so a fragment starts at the beginning of its line (or row) when it can.
fn back_up(text: &str, at: usize, chars: usize) -> usize {
    let mut start = at;
    for (offset, c) in text[..at].char_indices().rev().take(chars) {
        if c == '\n' {
            break;
        }
        start = offset;
    }
    start
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
    fn a_fragment_backs_up_to_the_start_of_its_line() {
        let text = "title\nrow one: 古丽扎尔·吾买尔";
        let at = text.find("古").unwrap();
        assert_eq!(&text[back_up(text, at, 24)..], "row one: 古丽扎尔·吾买尔");
    }

    #[test]
    fn the_window_with_the_most_weight_wins() {
        let text = "a x x x x x x x x x b c";
        let matches = [(0, 1, 1.0), (20, 21, 1.0), (22, 23, 1.0)];
        assert_eq!(best_window_start(&matches, text, 30), Some(20));
    }

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
            line: None,
        };
        assert_eq!(
            snippet.to_html(),
            "&lt;script&gt;<mark>教育</mark>&lt;/script&gt;"
        );
        assert_eq!(snippet.marked("[", "]"), "<script>[教育]</script>");
    }
}
