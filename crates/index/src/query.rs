//! From the user's query string to a tantivy query.
//!
//! The syntax is tantivy's (words, "phrases", AND/OR/NOT, field:value, ranges)
//! with two conveniences: words are ANDed by default, and `prefix*` works on
//! any text field, and on text, title and path when no field is named.
//! tantivy would pass a wildcard's stem through the analyzer (where the
//! stemmer mangles partial words: `esca` is not a prefix of the stem of
//! "escape" once stemmed), so prefixes are rewritten into regex queries that
//! match the index's lowercased terms directly.

use tantivy::Index;
use tantivy::query::{Query, QueryParser};

use crate::IndexError;
use crate::schema::Fields;
use crate::tokenizer::{is_han, is_name_mark};

/// Fields a bare prefix expands to.
const PREFIX_FIELDS: [&str; 3] = ["text", "title", "path"];

/// Tokenized fields on which a prefix is rewritten into a regex.
const TEXT_FIELDS: [&str; 5] = ["text", "title", "path", "author", "camera"];

/// Prefixes (`word*`) one query may hold: each walks part of the term dictionary.
pub const MAX_PREFIXES: usize = 8;

/// Fields a phrase of Han characters is searched on where the bigram field bridges
/// name marks: the bigrams find every such phrase the jieba field would, and more
/// cheaply, since the pair across a name's mark is rare.
const HAN_PHRASE_FIELDS: [&str; 3] = ["text_han", "title", "path"];

/// Parses `query` for the index of `fields`. With `han_phrases_on_bigrams` (an index
/// whose bigram field bridges name marks), a bare phrase of Han characters is searched
/// on the bigram field rather than on both text fields: phrase matching is most of a
/// search's cost, and a name search is a phrase.
pub(crate) fn parse(
    index: &Index,
    fields: &Fields,
    query: &str,
    han_phrases_on_bigrams: bool,
) -> Result<Box<dyn Query>, IndexError> {
    let mut parser = QueryParser::for_index(
        index,
        vec![fields.text, fields.text_han, fields.title, fields.path],
    );
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 1.5);
    parser.set_field_boost(fields.path, 0.5);
    // Regexes serve the prefixes this module writes; one typed by a user could walk the
    // whole term dictionary, so none is accepted, and prefixes are counted.
    check_cost(query).map_err(|reason| IndexError::Query {
        query: query.to_owned(),
        reason,
    })?;
    parser.allow_regexes();
    let mut rewritten = expand_bare_prefixes(&normalise_and_not(query));
    if han_phrases_on_bigrams {
        rewritten = han_phrases_to_bigram_field(&rewritten);
    }
    parser
        .parse_query(&rewritten)
        .map_err(|error| IndexError::Query {
            query: query.to_owned(),
            reason: error.to_string(),
        })
}

/// Refuses a regular expression (`/…/`, bare or after `field:`) outside quotes, and
/// more than [`MAX_PREFIXES`] prefixes.
fn check_cost(query: &str) -> Result<(), String> {
    let mut prefixes = 0;
    for (i, segment) in query.split('"').enumerate() {
        // Odd segments are inside quotes: phrases, never patterns.
        if i % 2 == 1 {
            continue;
        }
        for word in segment.split_whitespace() {
            let word = word.trim_start_matches(['-', '+', '(']);
            let value = word.split_once(':').map_or(word, |(_, value)| value);
            if value.starts_with('/') {
                return Err(
                    "regular expressions (/…/) are not accepted: search with words, \"phrases\" or prefix*"
                        .to_owned(),
                );
            }
            prefixes += usize::from(word.trim_end_matches(')').ends_with('*'));
        }
    }
    if prefixes > MAX_PREFIXES {
        return Err(format!(
            "{prefixes} prefixes (word*) in one query; at most {MAX_PREFIXES}: split the search"
        ));
    }
    Ok(())
}

/// tantivy reads `a AND NOT b` as matching nothing; users mean `a AND -b`.
fn normalise_and_not(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for (i, segment) in query.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        // Even segments are outside quotes.
        if i % 2 == 0 {
            out.push_str(&segment.replace("AND NOT ", "AND -"));
        } else {
            out.push_str(segment);
        }
    }
    out
}

/// One query that matches any of `phrases` (say, every spelling of a name),
/// each kept whole as a quoted phrase and joined with OR. Characters the
/// query syntax gives a meaning are dropped from the phrases first, so a
/// name such as `Rahile (Dawut)` cannot change the query's structure.
pub fn any_phrase_query(phrases: &[String]) -> String {
    phrases
        .iter()
        .map(|phrase| {
            let plain: String = phrase
                .chars()
                .map(|c| {
                    if "+-&|!(){}[]^\"~*?:\\/".contains(c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            plain.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|words| !words.is_empty())
        .map(|words| format!("\"{words}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// Rewrites each `word*` and `field:word*` outside quotes into regex
/// queries on the lowercased word (see the module comment).
fn expand_bare_prefixes(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut in_quotes = false;
    let mut word = String::new();
    for c in query.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        if in_quotes || c == '"' || c.is_whitespace() || c == ')' {
            out.push_str(&rewrite_prefix(&word));
            word.clear();
            out.push(c);
        } else {
            word.push(c);
        }
    }
    out.push_str(&rewrite_prefix(&word));
    out
}

fn rewrite_prefix(word: &str) -> String {
    let (sign, rest) = match word.strip_prefix(['-', '+', '(']) {
        Some(rest) => (&word[..1], rest),
        None => ("", word),
    };
    let Some(stem) = rest.strip_suffix('*') else {
        return word.to_owned();
    };
    let (fields, stem): (Vec<&str>, &str) = match stem.split_once(':') {
        Some((field, stem)) if TEXT_FIELDS.contains(&field) => (vec![field], stem),
        Some(_) => return word.to_owned(),
        None => (PREFIX_FIELDS.to_vec(), stem),
    };
    if stem.is_empty() || stem.contains('*') {
        return word.to_owned();
    }
    let pattern = regex_escape(&stem.to_lowercase());
    let alternatives: Vec<String> = fields
        .iter()
        .map(|field| format!("{field}:/{pattern}.*/"))
        .collect();
    format!("{sign}({})", alternatives.join(" OR "))
}

/// Rewrites each bare phrase of Han characters (and the marks that part a name) into
/// the same phrase on [`HAN_PHRASE_FIELDS`]. A phrase after `field:`, or with a slop
/// (`~2`) or boost (`^2`) after it, is left as written.
fn han_phrases_to_bigram_field(query: &str) -> String {
    let mut segments = query.split('"');
    let mut out = String::with_capacity(query.len() * 2);
    out.push_str(segments.next().unwrap_or_default());
    let rest: Vec<&str> = segments.collect();
    // After the first, segments come in pairs: a phrase, then what follows its quote.
    for pair in rest.chunks(2) {
        match *pair {
            [phrase, after] => {
                let bare = !out.ends_with(':') && !after.starts_with(['~', '^']);
                if bare && is_han_phrase(phrase) {
                    let alternatives: Vec<String> = HAN_PHRASE_FIELDS
                        .iter()
                        .map(|field| format!("{field}:\"{phrase}\""))
                        .collect();
                    out.push_str(&format!("({})", alternatives.join(" OR ")));
                } else {
                    out.push_str(&format!("\"{phrase}\""));
                }
                out.push_str(after);
            }
            // An unterminated quote, left for the parser to report.
            [unterminated] => {
                out.push('"');
                out.push_str(unterminated);
            }
            _ => {}
        }
    }
    out
}

/// Two or more Han characters, with nothing else but the marks that part a name.
fn is_han_phrase(phrase: &str) -> bool {
    phrase.chars().all(|c| is_han(c) || is_name_mark(c))
        && phrase.chars().filter(|&c| is_han(c)).count() >= 2
}

/// Escapes what a regex (or the query grammar's `/…/`) would read as syntax.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ".^$|?*+()[]{}\\/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_joins_one_query_without_syntax_characters() {
        let forms = vec!["Rahile (Dawut)".to_owned(), "热依拉·达吾提".to_owned()];
        assert_eq!(
            any_phrase_query(&forms),
            "\"Rahile Dawut\" OR \"热依拉·达吾提\""
        );
    }

    #[test]
    fn typed_regexes_and_too_many_prefixes_are_refused() {
        assert!(check_cost("text:/.*a.*b.*/").is_err());
        assert!(check_cost("/abc/ AND x").is_err());
        assert!(check_cost("-(text:/x/)").is_err());
        assert!(check_cost(r#""a /b/ c" path:疏附县/02 名单*"#).is_ok());
        let many = (0..=MAX_PREFIXES)
            .map(|i| format!("w{i}*"))
            .collect::<Vec<_>>();
        assert!(check_cost(&many.join(" ")).is_err());
        assert!(check_cost(&many[1..].join(" ")).is_ok());
    }

    #[test]
    fn bare_prefix_searches_text_title_and_path() {
        assert_eq!(
            expand_bare_prefixes("Educ* AND 名单"),
            "(text:/educ.*/ OR title:/educ.*/ OR path:/educ.*/) AND 名单"
        );
    }

    #[test]
    fn bare_han_phrases_move_to_the_bigram_field() {
        assert_eq!(
            han_phrases_to_bigram_field(r#"-"阿不都·吐尔逊" AND 名单"#),
            r#"-(text_han:"阿不都·吐尔逊" OR title:"阿不都·吐尔逊" OR path:"阿不都·吐尔逊") AND 名单"#
        );
        for kept in [
            r#""shoot to kill""#,
            r#""教育 abc""#,
            r#""疆""#,
            r#"text:"阿不都吐尔逊""#,
            r#""阿不都吐尔逊"~2"#,
            r#""阿不都吐尔逊"^2"#,
            r#"a "阿不都吐尔逊"#,
        ] {
            assert_eq!(han_phrases_to_bigram_field(kept), kept);
        }
    }

    #[test]
    fn and_not_becomes_an_exclusion_outside_quotes() {
        assert_eq!(
            normalise_and_not(r#"a AND NOT b "x AND NOT y""#),
            r#"a AND -b "x AND NOT y""#
        );
    }

    #[test]
    fn fielded_and_negated_prefixes_keep_their_field_and_sign() {
        assert_eq!(expand_bare_prefixes("-path:名单*"), "-(path:/名单.*/)");
        assert_eq!(expand_bare_prefixes("type:x*"), "type:x*");
    }

    #[test]
    fn quoted_words_and_regex_syntax_are_left_alone_or_escaped() {
        assert_eq!(expand_bare_prefixes(r#""shoot to*""#), r#""shoot to*""#);
        assert_eq!(
            expand_bare_prefixes("a.b*"),
            "(text:/a\\.b.*/ OR title:/a\\.b.*/ OR path:/a\\.b.*/)"
        );
    }
}
