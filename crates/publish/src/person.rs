//! A published person: what the field rules let leave of one person's records, named by a
//! published id that cannot be turned back into an ID number.

use chrono::NaiveDate;
use serde::Serialize;
use trove_model::{Record, VerificationStatus};
use trove_records::persons::facts_of;
use trove_records::stats::age_on;

use crate::redact::{Redactor, masked_id};
use crate::rules::{AddressRule, Field, IdRule, Rules};

/// What a published page and data set say of one person.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedPerson {
    /// `P` and ten hex digits of a keyed hash of the person key.
    pub id: String,
    /// The name as written in the source, when the rules show it.
    pub name: Option<String>,
    /// Its Latin readings (Uyghur Latin, passport pinyin), most likely first.
    pub readings: Vec<String>,
    /// Region and birth year, the rest masked.
    pub masked_id: Option<String>,
    /// `male` / `female`.
    pub sex: Option<String>,
    /// Age when photographed (or first recorded as detained).
    pub age_at_capture: Option<u32>,
    /// Township (乡/镇), as the address rule allows.
    pub township: Option<String>,
    /// Village (村/社区), as the address rule allows.
    pub village: Option<String>,
    /// The status category (`detained`, `released` …).
    pub status: Option<String>,
    /// The reason as recorded, redacted like document text.
    pub reason: Option<String>,
    /// The earliest detention date the records give.
    pub detained_since: Option<NaiveDate>,
    /// The day the photo was taken.
    pub photographed: Option<NaiveDate>,
    /// The published photo's path inside the site.
    pub photo: Option<String>,
    /// The rows the person was read from.
    pub sources: Vec<SourceRow>,
    /// The current verification status.
    pub verification: Option<String>,
    /// Public evidence of the verification: web addresses only (internal document ids
    /// and notes stay in the newsroom).
    pub evidence: Vec<String>,
}

/// A row of a source document, as published.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    /// The document's published id: the first 16 hex digits of its BLAKE3 hash.
    pub document: String,
    /// Its path in the leak, when the rules show paths.
    pub path: Option<String>,
    /// The sheet's position in the workbook (1-based).
    pub sheet: u32,
    /// The row as a spreadsheet program numbers it.
    pub row: u32,
}

/// Everything known of one person that a published page may draw on.
pub struct PersonEvidence<'a> {
    /// The person key.
    pub key: &'a str,
    /// Every record of the person.
    pub records: &'a [Record],
    /// When the linked photo was taken, if there is one with a date.
    pub photographed: Option<NaiveDate>,
    /// The path of each source document (first seen), for `show_paths`.
    pub path_of: &'a dyn Fn(&trove_model::BlobId) -> Option<String>,
    /// The current verification status.
    pub status: Option<VerificationStatus>,
    /// The evidence cited by the current status.
    pub evidence: &'a [String],
}

/// The person's published id, keyed by the store's secret: stable between publications,
/// and no one without the secret can test an ID number against it.
pub fn published_id(secret: &[u8; 32], key: &str) -> String {
    let hash = blake3::keyed_hash(secret, key.as_bytes());
    format!("P{}", &hash.to_hex()[..10])
}

/// A document's published id.
pub fn document_id(blob: &trove_model::BlobId) -> String {
    blob.to_string()[..16].to_owned()
}

/// Age at capture: when photographed or first recorded as detained, whichever came
/// first, so that a person held as a child and photographed later stays protected;
/// `None` when the birth date or both moments are unknown (the rules then treat the
/// person as a minor).
pub fn age_at_capture(records: &[Record], photographed: Option<NaiveDate>) -> Option<u32> {
    let refs: Vec<&Record> = records.iter().collect();
    let born = facts_of(&refs).birth_date?;
    let captured = [photographed, earliest_detention(records)]
        .into_iter()
        .flatten()
        .min()?;
    age_on(born, captured)
}

fn earliest_detention(records: &[Record]) -> Option<NaiveDate> {
    records.iter().filter_map(|r| r.fields.detained_since).min()
}

/// The person as the rules let them leave; `identity` says whether name and photo may.
pub fn publish_person(
    rules: &Rules,
    secret: &[u8; 32],
    person: &PersonEvidence<'_>,
    identity: bool,
    redactor: &Redactor,
) -> PublishedPerson {
    let fields = &rules.fields;
    let allowed = |field| fields.allows(field);
    let records = person.records;
    let refs: Vec<&Record> = records.iter().collect();
    let facts = facts_of(&refs);
    let name = (identity && allowed(Field::Name))
        .then(|| records.iter().find_map(|r| r.fields.name.clone()))
        .flatten();
    let readings = name
        .as_deref()
        .map(|name| trove_names::spellings::latin_readings(name, 4))
        .unwrap_or_default();
    let id_number = records
        .iter()
        .filter(|r| r.fields.id_valid)
        .find_map(|r| r.fields.id_number.as_deref());
    let masked_id = match fields.id_number {
        IdRule::Masked if identity => id_number.and_then(masked_id),
        _ => None,
    };
    let (township, village) = match fields.address {
        _ if !allowed(Field::Address) => (None, None),
        AddressRule::Village => (facts.township.clone(), facts.village.clone()),
        AddressRule::Township => (facts.township.clone(), None),
        AddressRule::Omit => (None, None),
    };
    let sources = if allowed(Field::Sources) {
        records
            .iter()
            .map(|record| SourceRow {
                document: document_id(&record.source.blob),
                path: rules
                    .site
                    .show_paths
                    .then(|| (person.path_of)(&record.source.blob))
                    .flatten(),
                sheet: record.source.part + 1,
                row: record.source.row,
            })
            .collect()
    } else {
        Vec::new()
    };
    let verified = allowed(Field::Verification);
    PublishedPerson {
        id: published_id(secret, person.key),
        name,
        readings,
        masked_id,
        sex: allowed(Field::Sex)
            .then(|| facts.sex.map(|s| s.code().to_owned()))
            .flatten(),
        age_at_capture: allowed(Field::Age)
            .then(|| age_at_capture(records, person.photographed))
            .flatten(),
        township,
        village,
        status: allowed(Field::Status)
            .then(|| facts.status.map(|s| s.code().to_owned()))
            .flatten(),
        reason: allowed(Field::Reason)
            .then(|| records.iter().find_map(|r| r.fields.reason.as_deref()))
            .flatten()
            .map(|reason| redactor.redact(reason).text),
        detained_since: allowed(Field::Dates)
            .then(|| earliest_detention(records))
            .flatten(),
        photographed: allowed(Field::Dates)
            .then_some(person.photographed)
            .flatten(),
        photo: None,
        sources,
        verification: verified
            .then(|| person.status.map(|s| s.code().to_owned()))
            .flatten(),
        evidence: if verified {
            person
                .evidence
                .iter()
                .filter(|e| e.starts_with("https://") || e.starts_with("http://"))
                .cloned()
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The name strings by which a person may be recognised: the names as written, for
/// redaction and the leak scanner.
pub fn names_of(records: &[Record]) -> impl Iterator<Item = &str> {
    records.iter().filter_map(|r| r.fields.name.as_deref())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use trove_model::{BlobId, ListKind, RecordFields, RowRef, StatusCategory};

    use super::*;
    use crate::numbers::valid_id;

    fn record() -> Record {
        Record {
            source: RowRef {
                blob: BlobId::from_str(&"a".repeat(64)).unwrap(),
                part: 1,
                sheet: Some("名单".into()),
                row: 7,
                column: 0,
            },
            list: ListKind::Detainees,
            raw: Vec::new(),
            fields: RecordFields {
                name: Some("热依拉·奥迈尔".into()),
                id_number: Some(valid_id()),
                id_valid: true,
                township: Some("托格拉克乡".into()),
                village: Some("阔什艾日克村".into()),
                address: Some("新疆疏附县托格拉克乡阔什艾日克村3组45号".into()),
                reason: Some("其子电话13912345678".into()),
                detained_since: NaiveDate::from_ymd_opt(2017, 5, 1),
                status: Some(StatusCategory::TrainingCentre),
                ..RecordFields::default()
            },
            flags: Vec::new(),
        }
    }

    fn published(rules: &str, identity: bool) -> PublishedPerson {
        let rules = Rules::from_toml(rules).unwrap();
        let records = [record()];
        let path_of = |_: &BlobId| Some("泄露/名单/2017.xlsx".to_owned());
        let evidence = ["https://example.org/a".to_owned(), "a".repeat(64)];
        publish_person(
            &rules,
            &[1; 32],
            &PersonEvidence {
                key: "id:x",
                records: &records,
                photographed: None,
                path_of: &path_of,
                status: Some(VerificationStatus::Verified),
                evidence: &evidence,
            },
            identity,
            &Redactor::new(&[]).unwrap(),
        )
    }

    #[test]
    fn the_defaults_mask_the_id_stop_at_the_village_and_keep_web_evidence_only() {
        let person = published("", true);
        assert_eq!(person.name.as_deref(), Some("热依拉·奥迈尔"));
        assert!(
            person.readings.iter().any(|r| r.contains("Rahile")),
            "{:?}",
            person.readings
        );
        assert_eq!(person.masked_id.as_deref(), Some("653121 1980 ********"));
        assert_eq!(person.village.as_deref(), Some("阔什艾日克村"));
        assert_eq!(person.age_at_capture, Some(37));
        assert_eq!(
            person.reason.as_deref(),
            Some("其子电话[phone number withheld]")
        );
        assert_eq!(person.evidence, ["https://example.org/a"]);
        assert_eq!((person.sources[0].sheet, person.sources[0].row), (2, 7));
        assert_eq!(
            person.sources[0].path, None,
            "paths are withheld by default"
        );
        let json = serde_json::to_string(&person).unwrap();
        assert!(!json.contains("3组45号") && !json.contains(&valid_id()));
    }

    #[test]
    fn the_allow_list_and_the_coarser_rules_leave_fields_out() {
        let person = published(
            "[site]\nshow_paths = true\n[fields]\nallow = [\"status\", \"address\"]\nid_number = \"omit\"\naddress = \"township\"",
            true,
        );
        assert_eq!(person.name, None);
        assert!(person.readings.is_empty());
        assert_eq!(person.masked_id, None);
        assert_eq!(person.township.as_deref(), Some("托格拉克乡"));
        assert_eq!(person.village, None);
        assert_eq!(person.status.as_deref(), Some("training_centre"));
        assert_eq!(
            (person.reason, person.detained_since, person.age_at_capture),
            (None, None, None)
        );
        assert!(
            person.sources.is_empty()
                && person.verification.is_none()
                && person.evidence.is_empty()
        );
        let without_status = published("[fields]\nallow = [\"address\"]", true);
        assert_eq!(
            without_status.status, None,
            "status is not on the allow-list"
        );
    }

    #[test]
    fn without_identity_neither_name_nor_masked_id_appears() {
        let person = published("", false);
        assert_eq!((&person.name, &person.masked_id), (&None, &None));
        assert!(person.label().starts_with("Name withheld"));
    }

    #[test]
    fn published_ids_are_stable_per_secret_and_differ_between_stores() {
        let secret = [7u8; 32];
        let id = published_id(&secret, "id:653125199001011234");
        assert_eq!(id, published_id(&secret, "id:653125199001011234"));
        assert_eq!(id.len(), 11);
        assert!(id.starts_with('P'));
        assert_ne!(id, published_id(&[8u8; 32], "id:653125199001011234"));
    }
}
