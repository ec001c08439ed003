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
use tantivy::query::{Occur, Query, QueryParser, QueryParserError};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};

use crate::IndexError;
use crate::schema::Fields;
use crate::tokenizer::is_one_bridged_han_run;

/// Fields a bare prefix expands to.
const PREFIX_FIELDS: [&str; 3] = ["text", "title", "path"];

/// Tokenized fields on which a prefix is rewritten into a regex.
const TEXT_FIELDS: [&str; 5] = ["text", "title", "path", "author", "camera"];

/// Prefixes (`word*`) one query may hold: each walks part of the term dictionary.
pub const MAX_PREFIXES: usize = 8;

/// Fields a phrase of Han characters is searched on where the bigram field bridges
/// name marks: the bigrams find such a phrase however marks that may stand in a name
/// part it (not across a tab or comma, i.e. two cells, where the jieba field did), and
/// more cheaply, since the pair across a name's mark is rare.
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
    let refused = |reason: String| IndexError::Query {
        query: query.to_owned(),
        reason,
    };
    let said_by_parser = |error: QueryParserError| refused(error.to_string());
    // Regexes serve the prefixes this module writes; one typed by a user could walk the
    // whole term dictionary, so none is accepted, and prefixes are counted.
    check_cost(query).map_err(refused)?;
    let normalised = normalise_and_not(query);
    // The check above reads quotes as plain `"`; the grammar also knows `\"` and '…',
    // which could hide a pattern from it. The grammar's own reading settles it.
    match query_grammar::parse_query(&normalised) {
        Ok(typed) if holds_regex(&typed) => return Err(refused(REGEX_REFUSED.to_owned())),
        Ok(_) => {}
        Err(_) => return parser.parse_query(&normalised).map_err(said_by_parser),
    }
    parser.allow_regexes();
    let rewritten = expand_bare_prefixes(&normalised);
    let mut ast = match query_grammar::parse_query(&rewritten) {
        Ok(ast) => ast,
        // The parser says what is wrong, in its own words.
        Err(_) => return parser.parse_query(&rewritten).map_err(said_by_parser),
    };
    if han_phrases_on_bigrams {
        ast = han_phrases_to_bigram_field(ast);
    }
    parser
        .build_query_from_user_input_ast(ast)
        .map_err(said_by_parser)
}

const REGEX_REFUSED: &str =
    "regular expressions (/…/) are not accepted: search with words, \"phrases\" or prefix*";

/// Whether `ast` holds a regular expression anywhere.
fn holds_regex(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, clause)| holds_regex(clause)),
        UserInputAst::Boost(boosted, _) => holds_regex(boosted),
        UserInputAst::Leaf(leaf) => matches!(**leaf, UserInputLeaf::Regex { .. }),
    }
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
                return Err(REGEX_REFUSED.to_owned());
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

/// Moves each bare phrase of Han characters (and the marks that part a name) in `ast`
/// to [`HAN_PHRASE_FIELDS`]. A phrase that names its field (or stands in a group that
/// does), with a slop (`~2`) or as a prefix (`"…"*`) is left as written.
fn han_phrases_to_bigram_field(ast: UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, clause)| (occur, han_phrases_to_bigram_field(clause)))
                .collect(),
        ),
        UserInputAst::Boost(boosted, boost) => {
            UserInputAst::Boost(Box::new(han_phrases_to_bigram_field(*boosted)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(phrase) if is_bare_han_phrase(&phrase) => UserInputAst::Clause(
                HAN_PHRASE_FIELDS
                    .iter()
                    .map(|field| {
                        let on_field = UserInputLiteral {
                            field_name: Some((*field).to_owned()),
                            ..phrase.clone()
                        };
                        let leaf = UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(on_field)));
                        (Some(Occur::Should), leaf)
                    })
                    .collect(),
            ),
            other => UserInputAst::Leaf(Box::new(other)),
        },
    }
}

fn is_bare_han_phrase(literal: &UserInputLiteral) -> bool {
    literal.field_name.is_none()
        && literal.delimiter != Delimiter::None
        && literal.slop == 0
        && !literal.prefix
        && is_one_bridged_han_run(&literal.phrase)
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

    fn moved(query: &str) -> String {
        let ast = query_grammar::parse_query(query).unwrap();
        format!("{:?}", han_phrases_to_bigram_field(ast))
    }

    fn as_typed(query: &str) -> String {
        format!("{:?}", query_grammar::parse_query(query).unwrap())
    }

    #[test]
    fn bare_han_phrases_move_to_the_bigram_field() {
        for query in [
            r#"-"阿不都·吐尔逊" AND 名单"#,
            r#"("阿不都 吐尔逊" OR x)"#,
            r#""阿不都·吐尔逊"^2"#,
        ] {
            let rewritten = moved(query);
            assert!(
                rewritten.contains(r#""text_han":"阿不都"#),
                "{query}: {rewritten}"
            );
            assert!(
                rewritten.contains(r#""path":"阿不都"#),
                "{query}: {rewritten}"
            );
        }
        for kept in [
            r#""shoot to kill""#,
            r#""教育 abc""#,
            r#""疆""#,
            r#"text:"阿不都吐尔逊""#,
            r#"title: "阿不都吐尔逊""#,
            r#"title:("阿不都吐尔逊" OR x)"#,
            r#"folder: IN ["喀什地区"]"#,
            r#""阿不都吐尔逊"~2"#,
            r#""阿不都吐"*"#,
            r#""阿不都    吐尔逊""#,
        ] {
            assert_eq!(moved(kept), as_typed(kept), "{kept}");
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
