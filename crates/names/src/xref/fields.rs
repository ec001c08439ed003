//! Field-by-field scores of an entry against a Person: name, birth date or year, sex,
//! place, and any extra fields both sides carry. The numbers come from one set of
//! functions, used bare when sifting pairs and with words when explaining the pairs kept.

use chrono::{Datelike, NaiveDate};
use trove_model::{ExtraField, FieldScore, ListEntry, Sex};

use crate::score::{Decision, compare};

/// How much each field weighs in a candidate's score. Fields missing on either side are
/// left out and the rest re-weighted.
pub const NAME_WEIGHT: f64 = 0.6;
pub const BIRTH_WEIGHT: f64 = 0.2;
pub const SEX_WEIGHT: f64 = 0.1;
pub const PLACE_WEIGHT: f64 = 0.1;
/// Each extra field (an identifier, a street address) weighs this much: together they can
/// outweigh a name, as an identifier and an address agreeing outweigh a misspelt name.
pub const EXTRA_WEIGHT: f64 = 0.2;

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
    /// Further fields, compared with an entry's extra fields of the same name.
    pub extra: Vec<ExtraField>,
}

/// The weighted mean of the scores present.
pub fn weighted_total(scores: impl IntoIterator<Item = (Option<f64>, f64)>) -> f64 {
    let (sum, weight) = scores
        .into_iter()
        .filter_map(|(score, weight)| score.map(|s| (s * weight, weight)))
        .fold((0.0, 0.0), |(s, w), (fs, fw)| (s + fs, w + fw));
    if weight > 0.0 { sum / weight } else { 0.0 }
}

/// Same day 1; same year 0.8 (a day or month misread); one digit mistyped or day and month
/// swapped 0.6; a year apart 0.4; else 0. A year alone that agrees scores 1: it is all
/// the entry says.
pub fn birth_value(entry: &ListEntry, person: Option<NaiveDate>) -> Option<f64> {
    let born = person?;
    match (entry.birth_date, entry.birth_year) {
        (Some(date), _) if date == born => Some(1.0),
        (Some(date), _) if date.year() != born.year() && slip_of_the_pen(date, born) => Some(0.6),
        (Some(date), _) => Some(year_score(date.year(), born.year(), 0.8)),
        (None, Some(year)) => Some(year_score(year, born.year(), 1.0)),
        (None, None) => None,
    }
}

/// Two dates written YYYYMMDD that differ in one digit, or by day and month swapped.
fn slip_of_the_pen(a: NaiveDate, b: NaiveDate) -> bool {
    let digits = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let (x, y) = (digits(a), digits(b));
    let differing = x.bytes().zip(y.bytes()).filter(|(p, q)| p != q).count();
    let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
    differing == 1 || swapped
}

fn year_score(entry: i32, person: i32, same_year: f64) -> f64 {
    match (entry - person).abs() {
        0 => same_year,
        1 => 0.4,
        _ => 0.0,
    }
}

pub fn sex_value(entry: Option<Sex>, person: Option<Sex>) -> Option<f64> {
    match (entry, person) {
        (Some(a), Some(b)) => Some(if a == b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// An entry's place against one of the Person's: 1 when one contains the other, else the
/// name score of the two (a place in Latin letters against 托克扎克镇 compares its
/// reading, without the 县/乡/镇/村 ending).
pub fn place_value(entry: &str, person: &str) -> f64 {
    let bare = person.trim_end_matches(['县', '乡', '镇', '村', '市', '区']);
    if person.contains(entry) || (!bare.is_empty() && entry.contains(bare)) {
        1.0
    } else {
        compare(entry, bare).score
    }
}

/// The entry's place, when it gives one.
pub fn entry_place(entry: &ListEntry) -> Option<&str> {
    entry.place.as_deref().filter(|p| !p.trim().is_empty())
}

/// Two values of an extra field: 1 when equal ignoring case and spaces, else their
/// normalised edit similarity (a typed identifier with one wrong digit still scores high).
pub fn extra_value(a: &str, b: &str) -> f64 {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (clean(a), clean(b));
    if a == b {
        1.0
    } else {
        strsim::normalized_levenshtein(&a, &b)
    }
}

/// The Person's value of an extra field the entry gives.
pub fn person_extra<'a>(person: &'a XrefPerson, field: &str) -> Option<&'a str> {
    person
        .extra
        .iter()
        .find(|f| f.field == field && !f.value.trim().is_empty())
        .map(|f| f.value.as_str())
}

/// A scored pair, with the explanation of every field.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub row: u32,
    pub person: String,
    pub score: f64,
    pub fields: Vec<FieldScore>,
}

/// An entry and a Person compared field by field, with the explanation of each field.
pub fn score_pair(entry: &ListEntry, person: &XrefPerson) -> Scored {
    let name = person
        .names
        .iter()
        .map(|n| (compare(&entry.name, n).score, n.as_str()))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let place = entry_place(entry).and_then(|place| {
        person
            .places
            .iter()
            .map(|p| (place_value(place, p), p.as_str()))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    });
    explain(entry, person, name, place)
}

/// The explained comparison, given the best name and place scores with the Person's name
/// and place that gave them (worked out before, when pairs were sifted).
pub fn explain(
    entry: &ListEntry,
    person: &XrefPerson,
    name: Option<(f64, &str)>,
    place: Option<(f64, &str)>,
) -> Scored {
    let mut fields = vec![match name {
        Some((score, matched)) => FieldScore {
            field: "name".into(),
            score: Some(score),
            detail: format!(
                "{} ~ {matched}: {:?}",
                entry.name,
                Decision::from_score(score)
            ),
        },
        None => missing("name", "the Person has no name"),
    }];
    let mut weights = vec![NAME_WEIGHT, BIRTH_WEIGHT, SEX_WEIGHT, PLACE_WEIGHT];
    fields.push(birth_score(entry, person.birth_date));
    fields.push(sex_score(entry.sex, person.sex));
    fields.push(place_score(entry, person, place));
    for extra in &entry.extra {
        fields.push(extra_score(extra, person_extra(person, &extra.field)));
        weights.push(EXTRA_WEIGHT);
    }
    let score = weighted_total(fields.iter().map(|f| f.score).zip(weights));
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

fn birth_score(entry: &ListEntry, person: Option<NaiveDate>) -> FieldScore {
    let Some(born) = person else {
        return missing("birth", "the Person's birth date is unknown");
    };
    let said = match (entry.birth_date, entry.birth_year) {
        (Some(date), _) => date.to_string(),
        (None, Some(year)) => year.to_string(),
        (None, None) => return missing("birth", "the entry gives no birth date"),
    };
    FieldScore {
        field: "birth".into(),
        score: birth_value(entry, person),
        detail: format!("entry {said}, Person born {born}"),
    }
}

fn sex_score(entry: Option<Sex>, person: Option<Sex>) -> FieldScore {
    match (entry, person) {
        (Some(a), Some(b)) => FieldScore {
            field: "sex".into(),
            score: sex_value(entry, person),
            detail: format!("entry {}, Person {}", a.code(), b.code()),
        },
        _ => missing("sex", "one side does not say"),
    }
}

/// The best of the entry's place against each of the Person's places.
fn place_score(entry: &ListEntry, person: &XrefPerson, best: Option<(f64, &str)>) -> FieldScore {
    let Some(place) = entry_place(entry) else {
        return missing("place", "the entry gives no place");
    };
    let Some((score, matched)) = best.filter(|_| !person.places.is_empty()) else {
        return missing("place", "the Person's records give no place");
    };
    FieldScore {
        field: "place".into(),
        score: Some(score),
        detail: format!("entry {place}, Person {matched}"),
    }
}

fn extra_score(extra: &ExtraField, person: Option<&str>) -> FieldScore {
    match person {
        Some(value) if !extra.value.trim().is_empty() => FieldScore {
            field: extra.field.clone(),
            score: Some(extra_value(&extra.value, value)),
            detail: format!("entry {}, Person {value}", extra.value),
        },
        _ => missing(&extra.field, "one side does not give it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, born: (i32, u32, u32), sex: Sex, place: &str) -> XrefPerson {
        XrefPerson {
            key: "p1".into(),
            names: vec![name.into()],
            birth_date: NaiveDate::from_ymd_opt(born.0, born.1, born.2),
            sex: Some(sex),
            places: vec![place.into()],
            extra: vec![ExtraField {
                field: "id".into(),
                value: "1234567".into(),
            }],
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
            extra: Vec::new(),
            raw: Vec::new(),
        }
    }

    #[test]
    fn every_field_is_explained_and_missing_ones_do_not_count() {
        let p = person("热依拉·奥迈尔", (1990, 1, 1), Sex::Female, "托克扎克镇");
        let scored = score_pair(&entry("Rahile Omer", Some(1990), Some(Sex::Female)), &p);
        assert_eq!(scored.fields.len(), 4);
        assert!(scored.score > 0.9, "{scored:?}");
        assert_eq!(scored.fields[3].score, None, "the entry gives no place");
        let wrong = score_pair(&entry("Rahile Omer", Some(1960), Some(Sex::Male)), &p);
        assert!(wrong.score < scored.score - 0.2);
    }

    #[test]
    fn extra_fields_count_when_both_sides_give_them() {
        let p = person("Rahile Omer", (1990, 1, 1), Sex::Female, "Tekes");
        let mut e = entry("Rahile Omer", Some(1990), None);
        e.extra.push(ExtraField {
            field: "id".into(),
            value: "1234557".into(),
        });
        let scored = score_pair(&e, &p);
        assert_eq!(scored.fields.len(), 5);
        let id = scored.fields[4].score.unwrap();
        assert!(id > 0.8 && id < 1.0, "{id}");
        assert_eq!(extra_value(" AB 12 ", "ab12"), 1.0);
    }

    #[test]
    fn a_place_in_latin_letters_matches_its_chinese_form() {
        assert_eq!(place_value("托克扎克", "托克扎克镇"), 1.0);
        assert!(place_value("Tekes", "特克斯县") > 0.7);
    }
}
