//! Search snippets as data a template can show safely.
//!
//! A snippet's text is leaked content. Rather than build HTML here (and mark
//! it safe in the template), a snippet becomes runs of text, each matched or
//! not; the template escapes every run like any other value and wraps only
//! the matched ones in `<mark>`.

use serde::Serialize;
use trove_index::Snippet;

/// A run of a snippet's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// Whether the run matched the query.
    pub matched: bool,
}

/// The snippet cut at its highlights. A highlight that does not fall on
/// character boundaries, overlaps the one before or runs past the end is
/// shown unmarked rather than trusted.
pub fn segments(snippet: &Snippet) -> Vec<Segment> {
    let text = snippet.text.as_str();
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in &snippet.highlights {
        let (Some(before), Some(matched)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        push(&mut out, before, false);
        push(&mut out, matched, true);
        at = end;
    }
    push(&mut out, &text[at..], false);
    out
}

fn push(out: &mut Vec<Segment>, text: &str, matched: bool) {
    if !text.is_empty() {
        out.push(Segment {
            text: text.to_owned(),
            matched,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, highlights: Vec<(usize, usize)>) -> Snippet {
        Snippet {
            text: text.to_owned(),
            highlights,
            line: None,
        }
    }

    fn shown(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| {
                if s.matched {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn matched_runs_are_marked_and_the_rest_kept_verbatim() {
        let text = "转化<b>教育</b>中心";
        let start = text.find("教育").unwrap();
        let segments = segments(&snippet(text, vec![(start, start + "教育".len())]));
        assert_eq!(shown(&segments), "转化<b>[教育]</b>中心");
        assert_eq!(segments.len(), 3);
    }

    #[test]
    fn a_highlight_inside_a_character_or_past_the_end_is_ignored() {
        let text = "教育";
        let segments = segments(&snippet(text, vec![(1, 3), (4, 99)]));
        assert_eq!(
            segments,
            [Segment {
                text: "教育".into(),
                matched: false
            }]
        );
    }

    #[test]
    fn overlapping_highlights_keep_the_first() {
        let segments = segments(&snippet("abcdef", vec![(0, 3), (2, 4)]));
        assert_eq!(shown(&segments), "[abc]def");
    }
}
