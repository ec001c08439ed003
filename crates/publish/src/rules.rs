//! The publication rules (`publish.toml`): who is published, which of their fields, how
//! photos and documents leave. Every rule has a safe default, so an empty file publishes
//! only verified persons with recorded consent and an explicit publish flag, minors
//! without name or photo, ID numbers masked, addresses to the village, no source paths.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use trove_model::VerificationStatus;

/// The file in a store's folder that holds its rules: the workbench's publication page
/// and `trove publish` without `--rules` both read it.
pub const STORE_RULES_FILE: &str = "publish.toml";

/// Everything `publish.toml` says.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// The site's title and whether paths show.
    pub site: SiteRules,
    /// Who is published.
    pub persons: PersonRules,
    /// Which of their fields.
    pub fields: FieldRules,
    /// How photos are redrawn.
    pub photos: PhotoRules,
    /// Which documents are published.
    pub documents: DocumentRules,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
/// The site as a whole.
pub struct SiteRules {
    /// The site's title.
    pub title: String,
    /// Show source file paths (they often carry names and ID numbers); off by default.
    pub show_paths: bool,
}

impl Default for SiteRules {
    fn default() -> Self {
        SiteRules {
            title: "Published records".to_owned(),
            show_paths: false,
        }
    }
}

/// Who is published.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonRules {
    /// The least verification status a published person needs.
    pub min_status: MinStatus,
    /// Whether an editor must have set the person's publish flag.
    pub require_flag: bool,
    /// Whether family consent or a documented public interest must be recorded.
    pub require_consent: bool,
    /// The age under which name and photo are withheld unless allowed per person.
    pub adult_age: u32,
}

impl Default for PersonRules {
    fn default() -> Self {
        PersonRules {
            min_status: MinStatus::Verified,
            require_flag: true,
            require_consent: true,
            adult_age: 18,
        }
    }
}

/// A verification status a person must at least have. Disputed persons are never published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MinStatus {
    /// Any status but disputed.
    Unverified,
    /// Corroborated or verified.
    Corroborated,
    /// Verified only.
    Verified,
}

impl MinStatus {
    /// Whether `status` (none: never set, unverified) reaches this level.
    pub fn admits(self, status: Option<VerificationStatus>) -> bool {
        let rank = match status.unwrap_or(VerificationStatus::Unverified) {
            VerificationStatus::Disputed => return false,
            VerificationStatus::Unverified => 0,
            VerificationStatus::Corroborated => 1,
            VerificationStatus::Verified => 2,
        };
        rank >= self as u8
    }

    /// The status's name as the rules file writes it.
    pub fn code(self) -> &'static str {
        match self {
            MinStatus::Unverified => "unverified",
            MinStatus::Corroborated => "corroborated",
            MinStatus::Verified => "verified",
        }
    }
}

/// Which of a published person's fields leave, and how coarse.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FieldRules {
    /// The fields that may appear (see [`Field`]); any other is left out.
    pub allow: Vec<Field>,
    /// How a resident ID number appears.
    pub id_number: IdRule,
    /// How precise an address may be.
    pub address: AddressRule,
}

impl Default for FieldRules {
    fn default() -> Self {
        FieldRules {
            allow: Field::ALL.to_vec(),
            id_number: IdRule::Masked,
            address: AddressRule::Village,
        }
    }
}

impl FieldRules {
    /// Whether `field` may appear.
    pub fn allows(&self, field: Field) -> bool {
        self.allow.contains(&field)
    }
}

/// A field of a published person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The name as written and its Latin readings.
    Name,
    /// The photo, redrawn.
    Photo,
    /// Sex.
    Sex,
    /// Age when photographed or first recorded.
    Age,
    /// Township and village, as coarse as the address rule says.
    Address,
    /// The status category (detained, released …).
    Status,
    /// The reason as recorded, redacted.
    Reason,
    /// Detention and photo dates.
    Dates,
    /// The source documents, sheets and rows.
    Sources,
    /// The verification status and its public evidence.
    Verification,
}

impl Field {
    /// Every field, in the order pages show them.
    pub const ALL: [Field; 10] = [
        Field::Name,
        Field::Photo,
        Field::Sex,
        Field::Age,
        Field::Address,
        Field::Status,
        Field::Reason,
        Field::Dates,
        Field::Sources,
        Field::Verification,
    ];
}

/// How a resident ID number appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdRule {
    /// Region and birth year kept, the rest masked: `653125 1990 ********`.
    Masked,
    /// Left out.
    Omit,
}

/// How precise a published place may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressRule {
    /// Township and village (村/社区), never a house or a street.
    Village,
    /// Township only.
    Township,
    /// No place at all.
    Omit,
}

/// How photos are published.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhotoRules {
    /// The longest side of a published photo, in pixels.
    pub max_side: u32,
}

impl Default for PhotoRules {
    fn default() -> Self {
        PhotoRules { max_side: 800 }
    }
}

/// Which documents are published, beside the persons.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocumentRules {
    /// Documents by BLAKE3 id (or a unique prefix of at least 12 characters) or by a
    /// path they were seen at.
    pub allow: Vec<String>,
    /// Publish the original file beside its redacted text (never for a document whose
    /// text needed redaction).
    pub originals: bool,
}

/// A rules file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the publication rules are not valid: {0} (see the rules reference in README.md)")]
pub struct RulesError(#[from] toml::de::Error);

/// A rules file that could not be read or understood.
#[derive(Debug, thiserror::Error)]
pub enum ReadRulesError {
    /// The file could not be read.
    #[error("cannot read the publication rules {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid rules.
    #[error("in {path}: {source}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: RulesError,
    },
}

impl Rules {
    /// The rules in `file`; `None` when there is no such file.
    pub fn read(file: &Path) -> Result<Option<Rules>, ReadRulesError> {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ReadRulesError::Read {
                    path: file.to_path_buf(),
                    source,
                });
            }
        };
        Rules::from_toml(&text)
            .map(Some)
            .map_err(|source| ReadRulesError::Invalid {
                path: file.to_path_buf(),
                source,
            })
    }

    /// Reads `publish.toml`'s text.
    pub fn from_toml(text: &str) -> Result<Rules, RulesError> {
        Ok(toml::from_str(text)?)
    }

    /// The rules in words, for the methodology page.
    pub fn describe(&self) -> Vec<String> {
        let persons = &self.persons;
        let mut lines = vec![format!(
            "A person is published when their verification status is at least “{}” (a disputed person never is){}{}.",
            persons.min_status.code(),
            if persons.require_flag {
                ", an editor has marked them for publication"
            } else {
                ""
            },
            if persons.require_consent {
                ", and their family's consent or a documented public interest is recorded"
            } else {
                ""
            },
        )];
        lines.push("A person whose consent is recorded as withheld is never published, whatever else is set.".to_owned());
        lines.push(format!(
            "A person under {} when photographed (or whose age cannot be told) is published without name or photo, unless an editor allowed it for that person.",
            persons.adult_age
        ));
        let fields: Vec<&str> = self
            .fields
            .allow
            .iter()
            .map(|field| match field {
                Field::Name => "name and its Latin readings",
                Field::Photo => "photo",
                Field::Sex => "sex",
                Field::Age => "age at capture",
                Field::Address => "place",
                Field::Status => "status",
                Field::Reason => "reason as recorded",
                Field::Dates => "dates",
                Field::Sources => "source documents and rows",
                Field::Verification => "verification status and public evidence",
            })
            .collect();
        lines.push(format!("Fields published: {}.", fields.join(", ")));
        lines.push(match self.fields.id_number {
            IdRule::Masked => "Resident ID numbers are masked: region and birth year are kept, the rest is not published.".to_owned(),
            IdRule::Omit => "Resident ID numbers are not published.".to_owned(),
        });
        lines.push(match self.fields.address {
            AddressRule::Village => {
                "Places are given to the village, never a street or house.".to_owned()
            }
            AddressRule::Township => "Places are given to the township.".to_owned(),
            AddressRule::Omit => "Places are not published.".to_owned(),
        });
        lines.push(format!(
            "Photos are redrawn at most {} pixels on their longest side, with no metadata (EXIF, XMP, IPTC, GPS, ICC).",
            self.photos.max_side
        ));
        lines.push("In published documents, resident ID numbers, telephone numbers and the names of persons not published are replaced by visible marks.".to_owned());
        if !self.site.show_paths {
            lines.push(
                "Source file paths are not published: files are named by their hash.".to_owned(),
            );
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_gives_the_safe_defaults() {
        let rules = Rules::from_toml("").unwrap();
        assert_eq!(rules.persons.min_status, MinStatus::Verified);
        assert!(rules.persons.require_flag && rules.persons.require_consent);
        assert_eq!(rules.fields.id_number, IdRule::Masked);
        assert_eq!(rules.fields.address, AddressRule::Village);
        assert!(!rules.site.show_paths);
        assert!(rules.documents.allow.is_empty());
    }

    #[test]
    fn a_rules_file_narrows_fields_and_a_typo_is_refused() {
        let rules = Rules::from_toml(
            r#"
            [persons]
            min_status = "corroborated"
            [fields]
            allow = ["name", "status"]
            id_number = "omit"
            address = "township"
            "#,
        )
        .unwrap();
        assert!(rules.fields.allows(Field::Name) && !rules.fields.allows(Field::Photo));
        assert!(
            rules
                .persons
                .min_status
                .admits(Some(VerificationStatus::Verified))
        );
        assert!(!rules.persons.min_status.admits(None));
        assert!(!MinStatus::Unverified.admits(Some(VerificationStatus::Disputed)));
        let typo = Rules::from_toml("[persons]\nmin_stat = \"verified\"").unwrap_err();
        assert!(typo.to_string().contains("min_stat"), "{typo}");
        assert!(rules.describe().iter().any(|l| l.contains("corroborated")));
    }
}
