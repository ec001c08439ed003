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

/// Fields a bare prefix expands to.
const PREFIX_FIELDS: [&str; 3] = ["text", "title", "path"];

/// Tokenized fields on which a prefix is rewritten into a regex.
const TEXT_FIELDS: [&str; 5] = ["text", "title", "path", "author", "camera"];

pub(crate) fn parse(
    index: &Index,
    fields: &Fields,
    query: &str,
) -> Result<Box<dyn Query>, IndexError> {
    let mut parser = QueryParser::for_index(
        index,
        vec![fields.text, fields.text_han, fields.title, fields.path],
    );
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 1.5);
    parser.set_field_boost(fields.path, 0.5);
    parser.allow_regexes();
    let rewritten = expand_bare_prefixes(&normalise_and_not(query));
    parser
        .parse_query(&rewritten)
        .map_err(|error| IndexError::Query {
            query: query.to_owned(),
            reason: error.to_string(),
        })
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
    fn bare_prefix_searches_text_title_and_path() {
        assert_eq!(
            expand_bare_prefixes("Educ* AND 名单"),
            "(text:/educ.*/ OR title:/educ.*/ OR path:/educ.*/) AND 名单"
        );
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
