//! A mapping file (TOML) that overrides header detection for layouts the synonym table
//! gets wrong: which sheets to read or skip, where the header is, what a column holds,
//! and what kind of list a sheet is; and whether records are read from tables that OCR
//! read on scanned pages (never unless asked: OCR misreads digits and characters).
//!
//! ```toml
//! ocr_tables = true          # optional: read records from OCR'd pages too, flagged
//!
//! [[sheet]]
//! path = "*学员名单*.xlsx"   # any path the file was seen at (`*` and `?` wildcards)
//! sheet = "Sheet1"           # optional: only this sheet
//! header_row = 2             # optional, 1-based
//! kind = "detainees"         # optional: register | detainees | targeted | other
//! [sheet.columns]            # header text or column letter → field
//! "C" = "id_number"
//! "姓名（维文）" = "ignore"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use trove_model::{BlobId, ListKind};

use crate::field::Field;

/// A mapping file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// The text is not TOML, or has keys or types a mapping file does not.
    #[error("the mapping file is not valid TOML for trove: {0}")]
    Toml(#[from] toml::de::Error),
    /// A `[[sheet]]` rule parsed but says something impossible.
    #[error("rule {rule} of the mapping file: {problem}")]
    Rule {
        /// 1-based position of the rule among the file's `[[sheet]]` tables.
        rule: usize,
        /// What is wrong (no selector, an unknown kind or field, `header_row = 0`).
        problem: String,
    },
}

/// Every rule of a mapping file, in order: the first rule that matches a sheet applies.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    rules: Vec<Rule>,
    /// Read records from the tables OCR found on page images (`ocr_tables = true`).
    ocr_tables: bool,
    /// A fingerprint of the text, so that records made under another mapping are redone.
    fingerprint: String,
}

/// One `[[sheet]]` rule.
#[derive(Debug, Clone, Default)]
pub struct Rule {
    /// Matches when any path the blob was seen at fits this pattern (`*` and `?`
    /// wildcards, see [`wildcard_match`]).
    pub path: Option<String>,
    /// Matches blobs whose id starts with this prefix, lower-cased.
    pub blob: Option<String>,
    /// Matches only the sheet of exactly this name.
    pub sheet: Option<String>,
    /// 0-based header row index.
    pub header_row: Option<usize>,
    /// The list kind to give the sheet's records instead of guessing it.
    pub kind: Option<ListKind>,
    /// Read no records from matching sheets.
    pub skip: bool,
    /// Columns by normalised header text or by letter (`C`), to a field.
    pub columns: Vec<(ColumnKey, Field)>,
}

/// How a rule names a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKey {
    /// 0-based index, from a letter such as `C` or `AB`.
    Index(usize),
    /// A header's text, without spaces and in lower case (brackets are kept: they are
    /// what tells `姓名（维文）` from `姓名`).
    Header(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    ocr_tables: bool,
    #[serde(default)]
    sheet: Vec<RuleToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    path: Option<String>,
    blob: Option<String>,
    sheet: Option<String>,
    header_row: Option<usize>,
    kind: Option<String>,
    #[serde(default)]
    skip: bool,
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

impl Mapping {
    /// Reads a mapping file's text.
    pub fn parse(text: &str) -> Result<Mapping, MappingError> {
        let file: FileToml = toml::from_str(text)?;
        let rules = file
            .sheet
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                Rule::from_toml(rule).map_err(|problem| MappingError::Rule {
                    rule: i + 1,
                    problem,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let fingerprint = if rules.is_empty() && !file.ocr_tables {
            String::new()
        } else {
            blake3::hash(text.as_bytes()).to_hex()[..16].to_owned()
        };
        Ok(Mapping {
            rules,
            ocr_tables: file.ocr_tables,
            fingerprint,
        })
    }

    /// Whether records are read from the tables OCR found on page images.
    pub fn ocr_tables(&self) -> bool {
        self.ocr_tables
    }

    /// A short fingerprint of the mapping; empty for no mapping.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The first rule for this sheet of this blob, seen at these paths.
    pub fn rule_for(&self, blob: &BlobId, paths: &[String], sheet: Option<&str>) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|rule| rule.matches(blob, paths, sheet))
    }
}

impl Rule {
    fn from_toml(rule: RuleToml) -> Result<Rule, String> {
        if rule.path.is_none() && rule.blob.is_none() && rule.sheet.is_none() {
            return Err("give at least one of `path`, `blob` or `sheet`".into());
        }
        let kind = match rule.kind.as_deref() {
            None => None,
            Some(code) => Some(ListKind::from_code(code).ok_or_else(|| {
                format!("kind `{code}` is not one of register, detainees, other")
            })?),
        };
        let header_row = match rule.header_row {
            Some(0) => return Err("header_row counts from 1".into()),
            other => other.map(|r| r - 1),
        };
        let columns = rule
            .columns
            .into_iter()
            .map(|(key, field)| {
                let field = field.parse::<Field>().map_err(|e| e.to_string())?;
                Ok((ColumnKey::parse(&key), field))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Rule {
            path: rule.path,
            blob: rule.blob.map(|b| b.to_lowercase()),
            sheet: rule.sheet,
            header_row,
            kind,
            skip: rule.skip,
            columns,
        })
    }

    fn matches(&self, blob: &BlobId, paths: &[String], sheet: Option<&str>) -> bool {
        let blob_ok = self
            .blob
            .as_ref()
            .is_none_or(|p| blob.as_str().starts_with(p.as_str()));
        let sheet_ok = self
            .sheet
            .as_ref()
            .is_none_or(|s| Some(s.as_str()) == sheet);
        let path_ok = self
            .path
            .as_ref()
            .is_none_or(|pattern| paths.iter().any(|p| wildcard_match(pattern, p)));
        blob_ok && sheet_ok && path_ok
    }

    /// The field this rule gives a column, if it names it.
    pub fn field_for(&self, index: usize, header: &str) -> Option<Field> {
        let normalized = compact(header);
        self.columns.iter().find_map(|(key, field)| match key {
            ColumnKey::Index(i) if *i == index => Some(*field),
            ColumnKey::Header(h) if !h.is_empty() && *h == normalized => Some(*field),
            _ => None,
        })
    }
}

impl ColumnKey {
    /// `C` or `AB` are column letters; anything else is header text.
    fn parse(key: &str) -> ColumnKey {
        let letters =
            key.len() <= 3 && !key.is_empty() && key.bytes().all(|b| b.is_ascii_uppercase());
        if letters {
            let index = key
                .bytes()
                .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1));
            ColumnKey::Index(index - 1)
        } else {
            ColumnKey::Header(compact(key))
        }
    }
}

/// Header text without spaces, in lower case.
fn compact(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `text` matches `pattern`, where `*` is any run of characters (`/` included) and
/// `?` any one character. Iterative, so no pattern can make it slow.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((star, matched)) = backtrack {
            pi = star + 1;
            ti = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_from_ocr_are_read_only_when_asked() {
        assert!(!Mapping::default().ocr_tables());
        let asked = Mapping::parse("ocr_tables = true\n").unwrap();
        assert!(asked.ocr_tables());
        assert!(
            !asked.fingerprint().is_empty(),
            "asking must redo the records"
        );
    }

    fn blob() -> BlobId {
        BlobId::from_digest([0x3f; 32])
    }

    #[test]
    fn a_rule_maps_columns_by_letter_and_header() {
        let mapping = Mapping::parse(
            r#"
            [[sheet]]
            path = "*学员名单*"
            header_row = 2
            kind = "detainees"
            [sheet.columns]
            "C" = "id_number"
            "姓名（维文）" = "ignore"
            "#,
        )
        .unwrap();
        let paths = vec!["01/学员名单.xlsx".to_owned()];
        let rule = mapping.rule_for(&blob(), &paths, Some("Sheet1")).unwrap();
        assert_eq!(rule.header_row, Some(1));
        assert_eq!(rule.kind, Some(ListKind::Detainees));
        assert_eq!(rule.field_for(2, "whatever"), Some(Field::IdNumber));
        assert_eq!(rule.field_for(5, "姓名 （维文）"), Some(Field::Ignore));
        assert_eq!(rule.field_for(0, "姓名"), None);
        assert!(
            mapping
                .rule_for(&blob(), &["other.xlsx".into()], None)
                .is_none()
        );
        assert!(!mapping.fingerprint().is_empty());
    }

    #[test]
    fn mistakes_in_a_mapping_are_explained() {
        let unknown_field =
            Mapping::parse("[[sheet]]\nsheet = \"A\"\n[sheet.columns]\nB = \"surname\"\n");
        assert!(
            unknown_field
                .unwrap_err()
                .to_string()
                .contains("unknown field `surname`")
        );
        let no_target = Mapping::parse("[[sheet]]\nkind = \"register\"\n");
        assert!(no_target.unwrap_err().to_string().contains("rule 1"));
        assert!(Mapping::parse("[[sheet]]\nsheet = \"A\"\nkind = \"camp\"\n").is_err());
        assert!(Mapping::parse("[[sheet]]\nsheet = \"A\"\nheader_row = 0\n").is_err());
        assert!(Mapping::parse("not toml [").is_err());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*.xlsx", "a/b/名单.xlsx"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "abbc"));
        assert!(wildcard_match("*名单*", "01/在押人员名单.xlsx"));
        assert!(!wildcard_match("*.csv", "x.xlsx"));
        assert!(wildcard_match(&"*a".repeat(20), &"a".repeat(60)));
    }
}
