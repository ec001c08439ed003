//! Redaction of published text, and ID numbers masked for publication. In a document's
//! text, every resident ID number (18 digits with a right check character, or 15 digits of
//! before 1999), every phone number and every name of a person who is not published is
//! replaced by a visible mark: a reader sees that something was withheld, never what.

use serde::Serialize;

use aho_corasick::{AhoCorasick, BuildError, MatchKind};

use crate::numbers::{NumberKind, for_each_number};

/// The mark left where an ID number was.
pub const ID_MARK: &str = "[ID number withheld]";
/// The mark left where a phone number was.
pub const PHONE_MARK: &str = "[phone number withheld]";
/// The mark left where a name was.
pub const NAME_MARK: &str = "[name withheld]";

/// A text with what it may not show replaced, and how many of each were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Redacted {
    /// The text with its marks.
    pub text: String,
    /// ID numbers replaced.
    pub id_numbers: usize,
    /// Phone numbers replaced.
    pub phone_numbers: usize,
    /// Names replaced.
    pub names: usize,
}

/// `text` with every ID and phone number, and each of `withheld_names`, replaced by its
/// mark. Names are replaced longest first, so that a full name goes before a part of it.
pub fn redact(text: &str, withheld_names: &[String]) -> Result<Redacted, BuildError> {
    Ok(Redactor::new(withheld_names)?.redact(text))
}

/// Redaction with its list of withheld names compiled once, for many texts.
pub struct Redactor {
    /// `None` when no name is withheld.
    names: Option<AhoCorasick>,
}

impl Redactor {
    /// Withholds `names` (each of at least two characters; shorter ones would mark
    /// ordinary words) besides every ID and phone number. A list the matcher cannot be
    /// built from is an error: redacting no name instead would publish them all.
    pub fn new(withheld_names: &[String]) -> Result<Redactor, BuildError> {
        let names: Vec<&str> = withheld_names
            .iter()
            .map(|name| name.trim())
            .filter(|name| name.chars().count() >= 2)
            .collect();
        let names = match names.is_empty() {
            true => None,
            false => Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&names)?,
            ),
        };
        Ok(Redactor { names })
    }

    /// `text` with what it may not show replaced by marks.
    pub fn redact(&self, text: &str) -> Redacted {
        let mut out = Redacted::default();
        // Names first, over the text as written (a mark never holds a name to find), in
        // one pass that prefers the longest name where several start at once.
        let named = match &self.names {
            Some(names) => {
                out.names = names.find_iter(text).count();
                names.replace_all(text, &vec![NAME_MARK; names.patterns_len()])
            }
            None => text.to_owned(),
        };
        out.text = mark_numbers(&named, &mut out);
        out
    }
}

/// `named` with every ID and phone number replaced by its mark, counted into `out`.
fn mark_numbers(named: &str, out: &mut Redacted) -> String {
    let mut numbered = String::with_capacity(named.len());
    let mut copied = 0;
    for_each_number(named.as_bytes(), |number| {
        let mark = match number.kind {
            NumberKind::IdNumber => {
                out.id_numbers += 1;
                ID_MARK
            }
            NumberKind::Phone => {
                out.phone_numbers += 1;
                PHONE_MARK
            }
        };
        // Numbers start and end on ASCII bytes, so these are character boundaries.
        numbered.push_str(&named[copied..number.start]);
        numbered.push_str(mark);
        copied = number.end;
    });
    numbered.push_str(&named[copied..]);
    numbered
}

/// An ID number as a published person's page may show it: the region code and birth year
/// kept, the rest masked (`653121 1980 ********`); `None` for text that is no ID number.
pub fn masked_id(number: &str) -> Option<String> {
    let number = number.trim();
    let mut found = None;
    for_each_number(number.as_bytes(), |n| {
        let whole = n.start == 0 && n.end == number.len();
        if whole && n.kind == NumberKind::IdNumber && n.digits.len() == 18 {
            found = Some(format!("{} {} ********", &n.digits[..6], &n.digits[6..10]));
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::valid_id;

    #[test]
    fn numbers_and_withheld_names_are_replaced_by_visible_marks() {
        let id = valid_id();
        let text = format!(
            "学员热依拉·奥迈尔（身份证号{id}，电话138-1234-5678）由古丽陪同；旧证号653121800101002。编号20180301。"
        );
        let redacted = redact(&text, &["热依拉·奥迈尔".to_owned(), "古丽".to_owned()]).unwrap();
        assert_eq!(
            redacted.text,
            "学员[name withheld]（身份证号[ID number withheld]，电话[phone number withheld]）由[name withheld]陪同；旧证号[ID number withheld]。编号20180301。"
        );
        assert_eq!(
            (redacted.id_numbers, redacted.phone_numbers, redacted.names),
            (2, 1, 2)
        );
        // What is left passes the scanner.
        let leaks = crate::Scanner::forbidding(["热依拉·奥迈尔".to_owned()])
            .unwrap()
            .scan_bytes("speech.html", redacted.text.as_bytes());
        assert!(leaks.is_empty(), "{leaks:?}");
    }

    #[test]
    fn a_published_id_keeps_its_region_and_birth_year_only() {
        assert_eq!(
            masked_id(&valid_id()).as_deref(),
            Some("653121 1980 ********")
        );
        assert_eq!(masked_id("12345"), None);
    }
}
