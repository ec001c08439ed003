//! Cross-reference: list entries against Persons. Persons are indexed by the blocking keys
//! of their names, so an entry is scored only against the Persons that share a key with
//! it; each candidate is scored on name, birth date or year, sex and place, field by field.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use trove_model::{FieldScore, ListEntry, Sex};

use crate::fast::score_analysed;
use crate::key::blocking_keys;
use crate::score::{POSSIBLE_THRESHOLD, compare};
use crate::structure::{NameAnalysis, analyse};

/// What cross-reference needs to know of a Person.
#[derive(Debug, Clone, Default)]
pub struct XrefPerson {
    pub key: String,
    /// Every name the Person's records give.
    pub names: Vec<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    /// County, township and village names from the records.
    pub places: Vec<String>,
}

/// How much each field weighs in a candidate's score (fields missing on either side are
/// left out and the rest re-weighted).
const NAME_WEIGHT: f64 = 0.6;
const BIRTH_WEIGHT: f64 = 0.2;
const SEX_WEIGHT: f64 = 0.1;
const PLACE_WEIGHT: f64 = 0.1;

/// The default lowest score kept as a candidate.
pub const DEFAULT_MIN_SCORE: f64 = 0.7;

/// A scored pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub row: u32,
    pub person: String,
    pub score: f64,
    pub fields: Vec<FieldScore>,
}

/// Persons indexed by blocking key.
pub struct PersonIndex {
    persons: Vec<(XrefPerson, Vec<NameAnalysis>)>,
    blocks: HashMap<String, Vec<usize>>,
}

impl PersonIndex {
    pub fn new(persons: Vec<XrefPerson>) -> PersonIndex {
        let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
        let persons: Vec<(XrefPerson, Vec<NameAnalysis>)> = persons
            .into_iter()
            .enumerate()
            .map(|(index, person)| {
                for name in &person.names {
                    for key in blocking_keys(name) {
                        let block = blocks.entry(key).or_default();
                        if block.last() != Some(&index) {
                            block.push(index);
                        }
                    }
                }
                let analysed = person.names.iter().map(|n| analyse(n)).collect();
                (person, analysed)
            })
            .collect();
        PersonIndex { persons, blocks }
    }

    pub fn len(&self) -> usize {
        self.persons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    /// Candidates for an entry among the Persons `admit` lets through, scoring at least
    /// `min_score`, best first.
    pub fn candidates(
        &self,
        entry: &ListEntry,
        min_score: f64,
        admit: impl Fn(&str) -> bool,
    ) -> Vec<Scored> {
        let entry_name = analyse(&entry.name);
        let mut seen: Vec<usize> = blocking_keys(&entry.name)
            .iter()
            .filter_map(|key| self.blocks.get(key))
            .flatten()
            .copied()
            .collect();
        seen.sort_unstable();
        seen.dedup();
        let mut out: Vec<Scored> = seen
            .into_iter()
            .filter_map(|index| {
                let (person, names) = &self.persons[index];
                if !admit(&person.key) {
                    return None;
                }
                let name_score = names
                    .iter()
                    .map(|n| score_analysed(&entry_name, n))
                    .fold(0.0, f64::max);
                // The name decides whether a pair is worth explaining at all.
                if name_score < POSSIBLE_THRESHOLD {
                    return None;
                }
                let scored = score_pair(entry, person);
                (scored.score >= min_score).then_some(scored)
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.person.cmp(&b.person)));
        out
    }
}

/// An entry and a Person compared field by field, with the explanation of each field.
pub fn score_pair(entry: &ListEntry, person: &XrefPerson) -> Scored {
    let name = person
        .names
        .iter()
        .map(|n| compare(&entry.name, n))
        .max_by(|a, b| a.score.total_cmp(&b.score));
    let mut fields = vec![match &name {
        Some(c) => FieldScore {
            field: "name".into(),
            score: Some(c.score),
            detail: format!(
                "{} ~ {}: {:?}",
                c.explanation.a.input, c.explanation.b.input, c.decision
            ),
        },
        None => missing("name", "the Person has no name"),
    }];
    fields.push(birth_score(entry, person.birth_date));
    fields.push(sex_score(entry.sex, person.sex));
    fields.push(place_score(entry.place.as_deref(), &person.places));
    let weights = [NAME_WEIGHT, BIRTH_WEIGHT, SEX_WEIGHT, PLACE_WEIGHT];
    let (sum, weight) = fields
        .iter()
        .zip(weights)
        .filter_map(|(f, w)| f.score.map(|s| (s * w, w)))
        .fold((0.0, 0.0), |(s, w), (fs, fw)| (s + fs, w + fw));
    let score = if weight > 0.0 { sum / weight } else { 0.0 };
    Scored {
        row: entry.row,
        person: person.key.clone(),
        score,
        fields,
    }
}

fn missing(field: &str, detail: &str) -> FieldScore {
    FieldScore {
        field: field.into(),
        score: None,
        detail: detail.into(),
    }
}

/// Same day 1; same year 0.8 (a day or month misread); a year apart 0.4; else 0.
fn birth_score(entry: &ListEntry, person: Option<NaiveDate>) -> FieldScore {
    let Some(born) = person else {
        return missing("birth", "the Person's birth date is unknown");
    };
    let (score, said) = match (entry.birth_date, entry.birth_year) {
        (Some(date), _) if date == born => (1.0, date.to_string()),
        (Some(date), _) => (year_score(date.year(), born.year(), 0.8), date.to_string()),
        (None, Some(year)) => (year_score(year, born.year(), 1.0), year.to_string()),
        (None, None) => return missing("birth", "the entry gives no birth date"),
    };
    FieldScore {
        field: "birth".into(),
        score: Some(score),
        detail: format!("entry {said}, Person born {born}"),
    }
}

fn year_score(entry: i32, person: i32, same_year: f64) -> f64 {
    match (entry - person).abs() {
        0 => same_year,
        1 => 0.4,
        _ => 0.0,
    }
}

fn sex_score(entry: Option<Sex>, person: Option<Sex>) -> FieldScore {
    match (entry, person) {
        (Some(a), Some(b)) => FieldScore {
            field: "sex".into(),
            score: Some(if a == b { 1.0 } else { 0.0 }),
            detail: format!("entry {}, Person {}", a.code(), b.code()),
        },
        _ => missing("sex", "one side does not say"),
    }
}

/// The best name comparison of the entry's place with the Person's places (a place in
/// Latin letters against 托克扎克镇 compares its reading, without the 县/乡/镇/村 ending).
fn place_score(entry: Option<&str>, places: &[String]) -> FieldScore {
    let Some(place) = entry.filter(|p| !p.trim().is_empty()) else {
        return missing("place", "the entry gives no place");
    };
    if places.is_empty() {
        return missing("place", "the Person's records give no place");
    }
    let best = places
        .iter()
        .map(|p| {
            let bare = p.trim_end_matches(['县', '乡', '镇', '村', '市', '区']);
            let score = if p.contains(place) || place.contains(bare) {
                1.0
            } else {
                compare(place, bare).score
            };
            (score, p)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let (score, matched) = best.unwrap_or((0.0, &places[0]));
    FieldScore {
        field: "place".into(),
        score: Some(score),
        detail: format!("entry {place}, Person {matched}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(key: &str, name: &str, born: (i32, u32, u32), sex: Sex, place: &str) -> XrefPerson {
        XrefPerson {
            key: key.into(),
            names: vec![name.into()],
            birth_date: NaiveDate::from_ymd_opt(born.0, born.1, born.2),
            sex: Some(sex),
            places: vec![place.into()],
        }
    }

    fn entry(name: &str, year: Option<i32>, sex: Option<Sex>) -> ListEntry {
        ListEntry {
            row: 2,
            name: name.into(),
            birth_date: None,
            birth_year: year,
            sex,
            place: None,
            raw: Vec::new(),
        }
    }

    #[test]
    fn a_latin_entry_finds_the_person_written_in_chinese_characters() {
        let index = PersonIndex::new(vec![
            person(
                "p1",
                "热依拉·奥迈尔",
                (1990, 1, 1),
                Sex::Female,
                "托克扎克镇",
            ),
            person("p2", "买买提·吐尔逊", (1980, 5, 5), Sex::Male, "乌帕尔镇"),
        ]);
        let found = index.candidates(
            &entry("Rahile Omer", Some(1990), Some(Sex::Female)),
            0.7,
            |_| true,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].person, "p1");
        assert!(found[0].score > 0.9);
        assert_eq!(found[0].fields.len(), 4);
    }

    #[test]
    fn a_wrong_birth_year_and_sex_lower_the_score_and_admit_filters() {
        let index = PersonIndex::new(vec![person(
            "p1",
            "热依拉·奥迈尔",
            (1990, 1, 1),
            Sex::Female,
            "托克扎克镇",
        )]);
        let right = index.candidates(
            &entry("Rahile Omer", Some(1990), Some(Sex::Female)),
            0.0,
            |_| true,
        );
        let wrong = index.candidates(
            &entry("Rahile Omer", Some(1960), Some(Sex::Male)),
            0.0,
            |_| true,
        );
        assert!(wrong[0].score < right[0].score - 0.2);
        assert!(
            index
                .candidates(&entry("Rahile Omer", None, None), 0.0, |k| k != "p1")
                .is_empty()
        );
    }
}
