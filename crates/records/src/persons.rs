//! Persons: records with the same valid resident ID number are one person. Records without
//! one stay persons of their own, and same name with same birth date is only *proposed* as
//! the same person (a candidate for a reviewer), never merged silently.

use std::collections::BTreeMap;

use trove_model::{ListKind, Record, StatusCategory};

use crate::resident_id;
use crate::stats::PersonFacts;

/// The key of the person a record belongs to. Keys are hashes, so that a person's page
/// address or a log line does not carry the ID number itself.
pub fn person_key(record: &Record) -> String {
    match record.fields.id_number.as_deref() {
        Some(id) if record.fields.id_valid => person_key_for_id(id),
        _ => {
            let s = &record.source;
            hashed_key('r', &format!("{}:{}:{}", s.blob, s.part, s.row))
        }
    }
}

/// The key of the person with this (canonical, valid) resident ID number.
pub fn person_key_for_id(id_number: &str) -> String {
    hashed_key('p', id_number)
}

fn hashed_key(prefix: char, text: &str) -> String {
    let hash = blake3::hash(format!("trove-person:{text}").as_bytes());
    format!("{prefix}{}", &hash.to_hex()[..15])
}

/// The key under which records are proposed as the same person when no ID joins them: the
/// normalised name and the birth date, both present.
pub fn candidate_key(record: &Record) -> Option<String> {
    let name = record.fields.name.as_deref()?;
    let birth = record.fields.birth_date?;
    Some(format!("{name}|{birth}"))
}

/// Which status of a person's several records stands for the person: the held categories
/// first (the most severe first), then release, watch, and the ordinary.
fn status_rank(status: StatusCategory) -> u8 {
    match status {
        StatusCategory::Prison => 0,
        StatusCategory::DetentionCentre => 1,
        StatusCategory::TrainingCentre => 2,
        StatusCategory::Detained => 3,
        StatusCategory::Released => 4,
        StatusCategory::UnderWatch => 5,
        StatusCategory::Normal => 6,
    }
}

/// What statistics need of one person, from all their records. Where records disagree the
/// register's value wins for place, the most common value for the rest; birth date and sex
/// come from a valid ID number first.
pub fn facts_of(records: &[&Record]) -> PersonFacts {
    let id = records
        .iter()
        .filter(|r| r.fields.id_valid)
        .find_map(|r| r.fields.id_number.as_deref())
        .map(resident_id::decode);
    let in_rates = || records.iter().filter(|r| r.list.enters_rates());
    let listed = records.iter().any(|r| r.list == ListKind::Register);
    let registers: Vec<&Record> = records
        .iter()
        .copied()
        .filter(|r| r.list == ListKind::Register)
        .collect();
    let place_source: &[&Record] = if registers.is_empty() {
        records
    } else {
        &registers
    };
    PersonFacts {
        sex: id
            .as_ref()
            .and_then(|id| id.sex)
            .or_else(|| most_common(records.iter().filter_map(|r| r.fields.sex))),
        ethnicity: most_common(records.iter().filter_map(|r| r.fields.ethnicity.clone())),
        birth_date: id
            .as_ref()
            .and_then(|id| id.birth_date)
            .or_else(|| most_common(records.iter().filter_map(|r| r.fields.birth_date))),
        township: most_common(
            place_source
                .iter()
                .filter_map(|r| r.fields.township.clone()),
        ),
        village: most_common(place_source.iter().filter_map(|r| r.fields.village.clone())),
        listed,
        // Rates count only lists whose kind is established: a key-persons list, or one no
        // one has classified, says nothing about who is held among whom.
        detention_records: in_rates().filter(|r| r.is_detention_related()).count() as u32,
        status: in_rates()
            .filter_map(|r| r.fields.status)
            .min_by_key(|s| status_rank(*s)),
    }
}

/// The most frequent value; ties go to the one seen first.
fn most_common<T: Ord + Clone>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, (usize, usize)> = BTreeMap::new();
    for (order, value) in values.enumerate() {
        let entry = counts.entry(value).or_insert((0, order));
        entry.0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(value, _)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use trove_model::{BlobId, RecordFields, RowRef, Sex};

    fn record(row: u32, id: Option<&str>, valid: bool, list: ListKind) -> Record {
        Record {
            source: RowRef {
                blob: BlobId::from_digest([2; 32]),
                part: 0,
                sheet: None,
                row,
                column: 0,
            },
            list,
            raw: Vec::new(),
            fields: RecordFields {
                id_number: id.map(str::to_owned),
                id_valid: valid,
                name: Some("古丽".into()),
                birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
                ..RecordFields::default()
            },
            flags: Vec::new(),
        }
    }

    #[test]
    fn a_valid_id_makes_one_person_and_anything_else_a_person_of_its_own() {
        let a = record(2, Some("653121199001010027"), true, ListKind::Register);
        let b = record(9, Some("653121199001010027"), true, ListKind::Detainees);
        assert_eq!(person_key(&a), person_key(&b));
        assert_eq!(person_key(&a), person_key_for_id("653121199001010027"));
        assert!(person_key(&a).starts_with('p'));
        let invalid = record(3, Some("653121199001010021"), false, ListKind::Register);
        let none = record(4, None, false, ListKind::Register);
        assert_ne!(person_key(&invalid), person_key(&none));
        assert!(person_key(&none).starts_with('r'));
        assert_eq!(candidate_key(&none), candidate_key(&a));
        assert!(!person_key(&a).contains("653121"));
    }

    #[test]
    fn facts_prefer_the_id_and_count_detention_records() {
        let mut register = record(2, Some("653121199001010027"), true, ListKind::Register);
        register.fields.status = Some(StatusCategory::TrainingCentre);
        register.fields.township = Some("托克扎克镇".into());
        let mut list = record(5, Some("653121199001010027"), true, ListKind::Detainees);
        list.fields.township = Some("别的镇".into());
        let facts = facts_of(&[&register, &list]);
        assert!(facts.listed);
        assert_eq!(facts.detention_records, 2);
        assert_eq!(facts.township.as_deref(), Some("托克扎克镇"));
        assert_eq!(facts.sex, Some(Sex::Female));
        assert_eq!(facts.status, Some(StatusCategory::TrainingCentre));
    }

    #[test]
    fn lists_of_unestablished_kind_enter_no_rate() {
        let mut targeted = record(2, Some("653121199001010027"), true, ListKind::Targeted);
        targeted.fields.status = Some(StatusCategory::Detained);
        let mut unclassified = record(3, Some("653121199001010027"), true, ListKind::Other);
        unclassified.fields.status = Some(StatusCategory::Prison);
        let facts = facts_of(&[&targeted, &unclassified]);
        assert!(!facts.listed, "never a denominator");
        assert_eq!(facts.detention_records, 0, "never a numerator");
        assert_eq!(facts.status, None);
    }
}
