//! Highlighted snippets, as plain data: the caller decides how to mark them
//! (terminal bold, `«»`, escaped HTML), so leaked text is never emitted as
//! markup by accident.

use std::collections::HashMap;
use std::ops::Range;

use memchr::memmem;
use serde::Serialize;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::tokenizer::{is_han, is_word_char};

/// A fragment of a part's text and the byte ranges in it that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// A stretch of the part's text, at most the asked-for number of characters,
    /// opening a little before its densest cluster of matches (at the start of
    /// the part when nothing in the text matched).
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
///
/// Han terms are found where they stand in the text (every occurrence of a
/// bigram is a bigram token, and one inside a longer jieba word is a match
/// worth marking too), so a Han query runs no analyzer at all; other terms are
/// lowercased and stemmed, so they are found by analysing the stretch of text
/// around their probes.
pub(crate) struct Highlighter {
    /// Fields with terms only their analyzer can find, with those terms' weights.
    analysed: Vec<(TextAnalyzer, HashMap<String, f32>)>,
    probes: Vec<Probe>,
    max_chars: usize,
}

/// Characters of context kept before the first match.
const LEAD_CHARS: usize = 24;

/// Bytes of a long part that are searched for matches. Analysing (jieba above all)
/// costs far more per byte than a substring search, and one register sheet part can hold
/// a megabyte of rows: a snippet needs only the stretch around the matches.
const ANALYSED_BYTES: usize = 2 * 1024;

/// Occurrences of one probe considered when placing that stretch.
const MAX_PROBE_HITS: usize = 64;

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
        let mut analysed = Vec::new();
        let mut probes: Vec<Probe> = Vec::new();
        for &field in fields {
            let mut weights = HashMap::new();
            for term in terms.iter().filter(|t| t.field() == field) {
                let value = term.value();
                let Some(text) = value.as_str() else {
                    continue;
                };
                let weight = 1.0 / (1.0 + searcher.doc_freq(term)? as f32);
                let Some(probe) = Probe::for_term(text, weight) else {
                    continue;
                };
                if !probe.is_match {
                    weights.insert(text.to_owned(), weight);
                }
                add_probe(&mut probes, probe);
            }
            if !weights.is_empty() {
                analysed.push((searcher.index().tokenizer_for_field(field)?, weights));
            }
        }
        Ok(Highlighter {
            analysed,
            probes,
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
            let newlines = memchr::memchr_iter(b'\n', &text.as_bytes()[..start + first]).count();
            u32::try_from(newlines + 1).unwrap_or(u32::MAX)
        });
        Snippet {
            text: text[start..end].to_owned(),
            highlights,
            line,
        }
    }

    /// (start, end, weight) of every match of a query term in the stretch of
    /// `text` that [`analysed_range`] picks.
    fn matches(&mut self, text: &str) -> Vec<(usize, usize, f32)> {
        let haystack = Haystack::new(text, &self.probes);
        let range = analysed_range(&haystack, &self.probes);
        let region = &text[range.clone()];
        let mut matches = Vec::new();
        for probe in self.probes.iter().filter(|probe| probe.is_match) {
            let searched = &haystack.for_probe(probe)[range.clone()];
            let finder = memmem::Finder::new(probe.text.as_bytes());
            let found = finder.find_iter(searched.as_bytes());
            matches.extend(
                found
                    .filter(|&at| !probe.whole_word || is_whole_word(region, at, probe.text.len()))
                    .map(|at| {
                        let start = range.start + at;
                        (start, start + probe.text.len(), probe.weight)
                    }),
            );
        }
        for (analyzer, weights) in &mut self.analysed {
            let mut stream = analyzer.token_stream(region);
            while stream.advance() {
                let token = stream.token();
                if let Some(&weight) = weights.get(&token.text) {
                    let start = range.start + token.offset_from;
                    matches.push((start, range.start + token.offset_to, weight));
                }
            }
        }
        matches.sort_by_key(|m| m.0);
        matches
    }
}

/// Adds `probe` unless the same text is probed already (a Han word is a term
/// of both the word and the bigram field); the heavier weight stays.
fn add_probe(probes: &mut Vec<Probe>, probe: Probe) {
    match probes.iter_mut().find(|known| {
        known.text == probe.text
            && known.ascii == probe.ascii
            && known.is_match == probe.is_match
            && known.whole_word == probe.whole_word
    }) {
        Some(known) => known.weight = known.weight.max(probe.weight),
        None => probes.push(probe),
    }
}

/// Raw text to look for before analysing anything: where a Han term stands,
/// or where another term may stand, so that only that stretch of a long part
/// is analysed.
#[derive(Debug, Clone, PartialEq)]
struct Probe {
    text: String,
    /// Looked for in the ASCII-lowercased text: Latin terms are lowercased and stemmed.
    ascii: bool,
    /// An occurrence is itself a match (a Han term, a number); otherwise only a hint
    /// where the analyzer will find one.
    is_match: bool,
    /// An occurrence is a match only as a whole word (a number inside a longer run of
    /// letters and digits is not the token the index holds).
    whole_word: bool,
    weight: f32,
}

impl Probe {
    /// Han terms stand in the text as they are. So do numbers (an ID number, its check
    /// digit X lowercased), which neither lowercasing nor stemming changes: found where
    /// they stand as whole words, they need no analysis at all, which on a hit's text
    /// (jieba above all) is most of the cost of a search for an ID number.
    /// Arabic-script and Cyrillic terms are looked for as they are (Cyrillic
    /// lowercased, so a capitalised word is found only by the fallback). A Latin term
    /// is a lowercased stem whose last letter stemming may have changed
    /// (happy → happi), so all but that letter is looked for.
    fn for_term(term: &str, weight: f32) -> Option<Probe> {
        if term.is_empty() {
            return None;
        }
        if is_number(term) {
            return Some(Probe {
                text: term.to_owned(),
                ascii: true,
                is_match: true,
                whole_word: true,
                weight,
            });
        }
        let ascii = term.is_ascii();
        let text = if ascii && term.len() > 3 {
            &term[..term.len() - 1]
        } else {
            term
        };
        Some(Probe {
            text: text.to_owned(),
            ascii,
            is_match: term.chars().all(is_han),
            whole_word: false,
            weight,
        })
    }
}

/// ASCII digits, perhaps ending in the check digit `x` (as the index holds an ID number).
fn is_number(term: &str) -> bool {
    let digits = term.strip_suffix('x').unwrap_or(term);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `len` bytes at `at` in `text` are not part of a longer word.
fn is_whole_word(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// A text, and its ASCII-lowercased copy where some probe is ASCII (an ASCII probe is
/// lowercased, and lowercasing ASCII keeps every byte offset), made once per text.
struct Haystack<'t> {
    text: &'t str,
    lowered: Option<String>,
}

impl<'t> Haystack<'t> {
    fn new(text: &'t str, probes: &[Probe]) -> Self {
        let lowered = probes
            .iter()
            .any(|probe| probe.ascii)
            .then(|| text.to_ascii_lowercase());
        Haystack { text, lowered }
    }

    /// The form of the text `probe` is looked for in.
    fn for_probe(&self, probe: &Probe) -> &str {
        match &self.lowered {
            Some(lowered) if probe.ascii => lowered,
            _ => self.text,
        }
    }
}

/// The byte range of the text to search for matches: all of a short text; for a long
/// one, [`ANALYSED_BYTES`] starting at the line before the densest cluster of probe
/// occurrences, or the start of the text when no probe occurs (a hit on metadata).
fn analysed_range(haystack: &Haystack, probes: &[Probe]) -> Range<usize> {
    let text = haystack.text;
    if text.len() <= ANALYSED_BYTES {
        return 0..text.len();
    }
    let mut occurrences: Vec<(usize, f32)> = Vec::new();
    for probe in probes {
        occurrences.extend(
            memmem::find_iter(haystack.for_probe(probe).as_bytes(), probe.text.as_bytes())
                .take(MAX_PROBE_HITS)
                .map(|at| (at, probe.weight)),
        );
    }
    occurrences.sort_by_key(|&(at, _)| at);
    let anchor = densest_start(&occurrences, ANALYSED_BYTES / 2).unwrap_or(0);
    // Room for the lead of a snippet (up to four bytes a character), then back to
    // the start of that line if it is near, so jieba sees whole rows.
    let lead = floor_char_boundary(text, anchor.saturating_sub(LEAD_CHARS * 4));
    let start = line_start_near(text, lead, ANALYSED_BYTES / 4);
    let end = floor_char_boundary(text, start.saturating_add(ANALYSED_BYTES));
    start..end
}

/// The position that starts the `span`-byte stretch holding the greatest weight of
/// `occurrences` (sorted by position).
fn densest_start(occurrences: &[(usize, f32)], span: usize) -> Option<usize> {
    let mut best: Option<(f32, usize)> = None;
    for (i, &(at, _)) in occurrences.iter().enumerate() {
        let weight: f32 = occurrences[i..]
            .iter()
            .take_while(|&&(other, _)| other < at + span)
            .map(|&(_, weight)| weight)
            .sum();
        if best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, at));
        }
    }
    best.map(|(_, at)| at)
}

/// The start of the line holding byte `at` (a char boundary) if it lies at most
/// `within` bytes before it; `at` itself otherwise.
fn line_start_near(text: &str, at: usize, within: usize) -> usize {
    let from = floor_char_boundary(text, at.saturating_sub(within));
    match memchr::memrchr(b'\n', &text.as_bytes()[from..at]) {
        Some(newline) => from + newline + 1,
        None if from == 0 => 0,
        None => at,
    }
}

/// The largest char boundary of `text` at or before `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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

    fn probe(text: &str) -> Probe {
        Probe::for_term(text, 1.0).unwrap()
    }

    fn range_for(text: &str, probe_text: &str) -> Range<usize> {
        let probes = [probe(probe_text)];
        analysed_range(&Haystack::new(text, &probes), &probes)
    }

    #[test]
    fn a_short_text_is_analysed_whole() {
        let text = "教育转化培训中心";
        assert_eq!(range_for(text, "教育"), 0..text.len());
    }

    #[test]
    fn a_long_text_is_analysed_from_the_line_before_its_densest_matches() {
        let filler = "某某村\t张三\t已释放\n".repeat(2_000);
        let row = "阿依古丽·吐尔逊\t教育转化培训中心\n";
        let text = format!("{filler}{row}{filler}");
        let range = range_for(&text, "教育");
        assert_analyses_whole_lines_around(&text, range, row);
    }

    /// `range` holds `needle`, is no longer than [`ANALYSED_BYTES`], starts a line
    /// and starts no further back than a snippet's lead and one line.
    fn assert_analyses_whole_lines_around(text: &str, range: Range<usize>, needle: &str) {
        let at = text.find(needle).unwrap();
        assert!(range.len() <= ANALYSED_BYTES);
        assert!(text[range.clone()].contains(needle));
        assert!(range.start == 0 || text.as_bytes()[range.start - 1] == b'\n');
        assert!(
            range.start + LEAD_CHARS * 4 + 40 >= at,
            "{range:?} starts far before {at}"
        );
    }

    #[test]
    fn a_latin_stem_is_found_whatever_the_case_and_ending() {
        let filler = "nothing to see here\n".repeat(1_000);
        let text = format!("{filler}Orders: the HAPPY few were KILLED.\n{filler}");
        for stem in ["happi", "kill"] {
            let range = range_for(&text, stem);
            assert_analyses_whole_lines_around(&text, range, "Orders: the HAPPY few");
        }
    }

    #[test]
    fn a_match_deep_in_one_long_line_is_analysed_around_it() {
        let text = format!("{}教育{}", "x".repeat(100_000), "y".repeat(100_000));
        let range = range_for(&text, "教育");
        assert!(text[range.clone()].contains("教育"), "{range:?}");
        assert!(range.len() <= ANALYSED_BYTES);
    }

    #[test]
    fn a_long_text_without_probes_is_analysed_from_its_start() {
        let text = "x".repeat(ANALYSED_BYTES * 3);
        assert_eq!(range_for(&text, "教育"), 0..ANALYSED_BYTES);
    }

    #[test]
    fn the_analysed_range_never_splits_a_character() {
        let text = "教".repeat(ANALYSED_BYTES);
        let range = range_for(&text, "育");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
    }

    #[test]
    fn a_number_is_matched_where_it_stands_as_a_whole_word() {
        let id = probe("65312119900101123x");
        assert!(id.is_match && id.whole_word);
        assert!(!probe("kill").is_match);
        let mut highlighter = Highlighter {
            analysed: Vec::new(),
            probes: vec![id],
            max_chars: 160,
        };
        let text = "身份证65312119900101123X\tID65312119900101123x\t65312119900101123x9";
        let snippet = highlighter.snippet(text);
        assert_eq!(
            snippet.marked("[", "]"),
            "身份证[65312119900101123X]\tID65312119900101123x\t65312119900101123x9"
        );
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
