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
    let normalised = normalise_and_not(query);
    let typed = match query_grammar::parse_query(&normalised) {
        Ok(typed) => typed,
        // The parser says what is wrong, in its own words.
        Err(_) => return parser.parse_query(&normalised).map_err(said_by_parser),
    };
    check_cost(&typed).map_err(refused)?;
    // Regexes serve the prefixes rewritten below; the check above refused typed ones.
    parser.allow_regexes();
    let mut ast = map_leaves(typed, &mut prefix_to_regexes);
    if han_phrases_on_bigrams {
        ast = map_leaves(ast, &mut han_phrase_to_bigram_field);
    }
    parser
        .build_query_from_user_input_ast(ast)
        .map_err(said_by_parser)
}

const REGEX_REFUSED: &str =
    "regular expressions (/…/) are not accepted: search with words, \"phrases\" or prefix*";

/// Calls `visit` on every leaf of `ast`.
fn for_each_leaf(ast: &UserInputAst, visit: &mut impl FnMut(&UserInputLeaf)) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (_, clause) in clauses {
                for_each_leaf(clause, visit);
            }
        }
        UserInputAst::Boost(boosted, _) => for_each_leaf(boosted, visit),
        UserInputAst::Leaf(leaf) => visit(leaf),
    }
}

/// `ast` with every leaf replaced by what `map` makes of it.
fn map_leaves(
    ast: UserInputAst,
    map: &mut impl FnMut(UserInputLeaf) -> UserInputAst,
) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, clause)| (occur, map_leaves(clause, map)))
                .collect(),
        ),
        UserInputAst::Boost(boosted, boost) => {
            UserInputAst::Boost(Box::new(map_leaves(*boosted, map)), boost)
        }
        UserInputAst::Leaf(leaf) => map(*leaf),
    }
}

/// Refuses a regular expression (`/…/`, bare or after `field:`), and more than
/// [`MAX_PREFIXES`] prefixes (`word*`, `"a phrase"*`): each walks part of the term
/// dictionary. The grammar's own reading of quotes and escapes settles what is a
/// pattern, so none hides in a spelling of a quote.
fn check_cost(typed: &UserInputAst) -> Result<(), String> {
    let mut regexes = 0;
    let mut prefixes = 0;
    for_each_leaf(typed, &mut |leaf| match leaf {
        UserInputLeaf::Regex { .. } => regexes += 1,
        UserInputLeaf::Literal(literal) => {
            prefixes += usize::from(literal.prefix || word_prefix(literal).is_some());
        }
        _ => {}
    });
    if regexes > 0 {
        return Err(REGEX_REFUSED.to_owned());
    }
    if prefixes > MAX_PREFIXES {
        return Err(format!(
            "{prefixes} prefixes (word*) in one query; at most {MAX_PREFIXES}: split the search"
        ));
    }
    Ok(())
}

/// The stem of a `word*` typed without quotes (`None` for anything else, or a word with
/// more than its one trailing `*`).
fn word_prefix(literal: &UserInputLiteral) -> Option<&str> {
    let stem = literal.phrase.strip_suffix('*')?;
    (literal.delimiter == Delimiter::None && !stem.is_empty() && !stem.contains('*'))
        .then_some(stem)
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

/// A `word*` or `field:word*` on a text field as regex queries on the lowercased word
/// (see the module comment); any other leaf as it is.
fn prefix_to_regexes(leaf: UserInputLeaf) -> UserInputAst {
    let UserInputLeaf::Literal(literal) = &leaf else {
        return UserInputAst::Leaf(Box::new(leaf));
    };
    let fields: &[&str] = match literal.field_name.as_deref() {
        None => &PREFIX_FIELDS,
        Some(field) => match TEXT_FIELDS.iter().find(|&&known| known == field) {
            Some(field) => std::slice::from_ref(field),
            None => return UserInputAst::Leaf(Box::new(leaf)),
        },
    };
    let Some(stem) = word_prefix(literal) else {
        return UserInputAst::Leaf(Box::new(leaf));
    };
    let pattern = format!("{}.*", regex_escape(&stem.to_lowercase()));
    UserInputAst::Clause(
        fields
            .iter()
            .map(|field| {
                let regex = UserInputLeaf::Regex {
                    field: Some((*field).to_owned()),
                    pattern: pattern.clone(),
                };
                (Some(Occur::Should), UserInputAst::Leaf(Box::new(regex)))
            })
            .collect(),
    )
}

/// A bare phrase of Han characters (and the marks that part a name) on
/// [`HAN_PHRASE_FIELDS`]; any other leaf as it is. A phrase that names its field (or
/// stands in a group that does), with a slop (`~2`) or as a prefix (`"…"*`) is left as
/// written.
fn han_phrase_to_bigram_field(leaf: UserInputLeaf) -> UserInputAst {
    match leaf {
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
    }
}

fn is_bare_han_phrase(literal: &UserInputLiteral) -> bool {
    literal.field_name.is_none()
        && literal.delimiter != Delimiter::None
        && literal.slop == 0
        && !literal.prefix
        && is_one_bridged_han_run(&literal.phrase)
}

/// Escapes what a regex would read as syntax.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ".^$|?*+()[]{}\\".contains(c) {
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

    fn cost(query: &str) -> Result<(), String> {
        check_cost(&query_grammar::parse_query(query).unwrap())
    }

    #[test]
    fn typed_regexes_and_too_many_prefixes_are_refused() {
        assert!(cost("text:/.*a.*b.*/").is_err());
        assert!(cost("/abc/ AND x").is_err());
        assert!(cost("-(text:/x/)").is_err());
        assert!(cost(r#""a /b/ c" path:疏附县/02 名单*"#).is_ok());
        let many = (0..=MAX_PREFIXES)
            .map(|i| format!("w{i}*"))
            .collect::<Vec<_>>();
        assert!(cost(&many.join(" ")).is_err());
        assert!(cost(&many[1..].join(" ")).is_ok());
    }

    #[test]
    fn prefixes_are_counted_as_the_grammar_reads_quotes() {
        // An escaped quote does not open a phrase: the words after it are prefixes.
        let words: Vec<String> = (0..=MAX_PREFIXES).map(|i| format!("w{i}*")).collect();
        let escaped = format!(r#"\"x {}"#, words.join(" "));
        assert!(cost(&escaped).is_err(), "{escaped}");
        // Single quotes make a phrase: the stars inside it are not prefixes.
        let quoted = format!("'{}'", words.join(" "));
        assert!(cost(&quoted).is_ok(), "{quoted}");
        // Phrase prefixes walk the dictionary too.
        let phrases: Vec<String> = (0..=MAX_PREFIXES)
            .map(|i| format!(r#""a b{i}"*"#))
            .collect();
        let phrases = phrases.join(" ");
        assert!(cost(&phrases).is_err());
    }

    fn expanded(query: &str) -> String {
        let ast = query_grammar::parse_query(query).unwrap();
        format!("{:?}", map_leaves(ast, &mut prefix_to_regexes))
    }

    #[test]
    fn bare_prefix_searches_text_title_and_path() {
        assert_eq!(
            expanded("Educ* AND 名单"),
            r#"(+(?"text":/educ.*/ ?"title":/educ.*/ ?"path":/educ.*/) +名单)"#
        );
    }

    fn moved(query: &str) -> String {
        let ast = query_grammar::parse_query(query).unwrap();
        format!("{:?}", map_leaves(ast, &mut han_phrase_to_bigram_field))
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
        assert_eq!(expanded("-path:名单*"), r#"(-(?"path":/名单.*/))"#);
        assert_eq!(expanded("type:x*"), as_typed("type:x*"));
    }

    #[test]
    fn quoted_words_and_regex_syntax_are_left_alone_or_escaped() {
        assert_eq!(expanded(r#""shoot to*""#), as_typed(r#""shoot to*""#));
        assert_eq!(
            expanded("a.b*"),
            r#"(?"text":/a\.b.*/ ?"title":/a\.b.*/ ?"path":/a\.b.*/)"#
        );
    }
}
