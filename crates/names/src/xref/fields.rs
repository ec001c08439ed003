//! Field-by-field comparison of an entry against a Person: name, birth date or year, sex,
//! place, and any extra fields both sides carry. Each field's similarity falls into a
//! level of the learnt [`MatchModel`], which weighs it; the numbers come from one set of
//! functions, used bare when sifting pairs and with words when explaining the pairs kept.

use chrono::{Datelike, NaiveDate};
use trove_model::{Compared, ExtraField, FieldScore, ListEntry, Sex};

use super::model::{MISSING, MatchModel};
use crate::score::{Decision, compare};

// The model's fields: name, birth, sex and place, then the list's extra fields.

/// The model's field for the name: the best score of the entry's name against any of
/// the Person's names.
pub const NAME: usize = 0;
/// The model's field for birth, levelled by [`BirthAgreement`].
pub const BIRTH: usize = 1;
/// The model's field for sex: level 0 when the two differ, 1 when they agree.
pub const SEX: usize = 2;
/// The model's field for place: the best of the entry's place against the Person's.
pub const PLACE: usize = 3;
/// The model's field for the first of the list's extra fields; the others follow it
/// in [`Weighing::extra_fields`] order.
pub const FIRST_EXTRA: usize = 4;

/// Lower bounds of the name levels above the lowest: one part of two agreeing scores
/// about 0.25, a possible match 0.70, a match 0.85.
const NAME_LEVELS: [f64; 5] = [0.2, 0.5, 0.7, 0.85, 0.95];
/// Lower bounds of the place levels above the lowest (1 is one place containing the other).
const PLACE_LEVELS: [f64; 2] = [0.7, 0.9];
/// Lower bounds of an extra field's levels above the lowest (1 is equal).
const EXTRA_LEVELS: [f64; 2] = [0.8, 1.0];

/// How the learnt model weighs pairs, and which extra fields it knows (in its order,
/// from [`FIRST_EXTRA`] on).
#[derive(Debug, Clone, PartialEq)]
pub struct Weighing {
    /// The learnt weight of every level of every field.
    pub model: MatchModel,
    /// The extra fields' names, in the model's order from [`FIRST_EXTRA`] on.
    pub extra_fields: Vec<String>,
}

impl Weighing {
    /// The number of levels of each field, for [`MatchModel::fit`].
    pub fn levels(extra_fields: usize) -> Vec<usize> {
        let mut levels = vec![
            NAME_LEVELS.len() + 1,
            BirthAgreement::LEVELS,
            2,
            PLACE_LEVELS.len() + 1,
        ];
        levels.extend(std::iter::repeat_n(EXTRA_LEVELS.len() + 1, extra_fields));
        levels
    }

    /// The model's field for an extra field's name.
    pub fn extra_field(&self, name: &str) -> Option<usize> {
        self.extra_fields
            .iter()
            .position(|f| f == name)
            .map(|i| FIRST_EXTRA + i)
    }
}

/// The level of a similarity among levels starting at `bounds` (the lowest level below
/// the first bound).
fn level_of(score: f64, bounds: &[f64]) -> u8 {
    bounds.iter().filter(|&&b| score >= b).count() as u8
}

/// The level of a name similarity in [0, 1]: 0 below 0.2, up to 5 at 0.95 or more.
pub fn name_level(score: f64) -> u8 {
    level_of(score, &NAME_LEVELS)
}

/// The level of a place similarity in [0, 1]: 0 below 0.7, 1 from 0.7, 2 from 0.9.
pub fn place_level(score: f64) -> u8 {
    level_of(score, &PLACE_LEVELS)
}

/// The level of an extra field's similarity in [0, 1]: 0 below 0.8, 1 from 0.8, 2
/// when equal.
pub fn extra_level(score: f64) -> u8 {
    level_of(score, &EXTRA_LEVELS)
}

/// The level of an optional similarity, [`MISSING`] when absent.
pub fn level_or_missing(score: Option<f64>, level: fn(f64) -> u8) -> u8 {
    score.map_or(MISSING, level)
}

/// How an entry's birth date or year agrees with a Person's birth date, as levels from
/// least to most alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthAgreement {
    /// The years are two or more apart.
    Differs,
    /// The years are one apart.
    YearApart,
    /// The same year, day or month differing.
    SameYear,
    /// One digit mistyped, or day and month swapped.
    SlipOfThePen,
    /// The entry gives a year alone, and it agrees.
    YearAgrees,
    /// The very same date.
    SameDay,
}

impl BirthAgreement {
    const LEVELS: usize = 6;

    /// The model level: 0 for [`BirthAgreement::Differs`] up to 5 for
    /// [`BirthAgreement::SameDay`].
    pub fn level(self) -> u8 {
        self as u8
    }

    /// Similarity shown to a reviewer: same day 1; same year 0.8 (a day or month misread);
    /// a slip 0.6; a year apart 0.4; else 0. A year alone that agrees scores 1: it is all
    /// the entry says.
    pub fn similarity(self) -> f64 {
        match self {
            BirthAgreement::SameDay | BirthAgreement::YearAgrees => 1.0,
            BirthAgreement::SameYear => 0.8,
            BirthAgreement::SlipOfThePen => 0.6,
            BirthAgreement::YearApart => 0.4,
            BirthAgreement::Differs => 0.0,
        }
    }
}

/// How the entry's birth date or year agrees with the Person's birth date.
pub fn birth_agreement(entry: &ListEntry, person: Option<NaiveDate>) -> Option<BirthAgreement> {
    let born = person?;
    let by_year = |year: i32, same: BirthAgreement| match (year - born.year()).abs() {
        0 => same,
        1 => BirthAgreement::YearApart,
        _ => BirthAgreement::Differs,
    };
    match (entry.birth_date, entry.birth_year) {
        (Some(date), _) if date == born => Some(BirthAgreement::SameDay),
        (Some(date), _) if slip_of_the_pen(date, born) => Some(BirthAgreement::SlipOfThePen),
        (Some(date), _) => Some(by_year(date.year(), BirthAgreement::SameYear)),
        (None, Some(year)) => Some(by_year(year, BirthAgreement::YearAgrees)),
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

/// What cross-reference needs to know of a Person.
#[derive(Debug, Clone, Default)]
pub struct XrefPerson {
    /// The Person's key, copied into the candidates it is proposed in.
    pub key: String,
    /// Every name the Person's records give.
    pub names: Vec<String>,
    /// The Person's birth date, when known (as trove_records' person facts give it:
    /// from a valid ID number first, else the records' most common).
    pub birth_date: Option<NaiveDate>,
    /// The Person's sex, when known (from a valid ID number first, else the records'
    /// most common).
    pub sex: Option<Sex>,
    /// County, township and village names from the records.
    pub places: Vec<String>,
    /// Further fields, compared with an entry's extra fields of the same name.
    pub extra: Vec<ExtraField>,
}

/// Sex similarity: 1 when both sides give the same sex, 0 when they differ, `None`
/// when either does not say.
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
    /// The entry's row in its list.
    pub row: u32,
    /// The Person's [`XrefPerson::key`].
    pub person: String,
    /// Probability in [0, 1] that the two are one person, under the model.
    pub score: f64,
    /// Each field's comparison, in the order name, birth, sex, place, extra fields.
    pub fields: Vec<FieldScore>,
}

/// An entry and a Person compared field by field, with the explanation of each field.
pub fn score_pair(weighing: &Weighing, entry: &ListEntry, person: &XrefPerson) -> Scored {
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
    explain(weighing, entry, person, name, place)
}

/// The explained comparison, given the best name and place scores with the Person's name
/// and place that gave them (worked out before, when pairs were sifted). Fields are
/// weighed in the order the sifting sums them (name, birth, sex, place, extra fields), so
/// both give the same score.
pub fn explain(
    weighing: &Weighing,
    entry: &ListEntry,
    person: &XrefPerson,
    name: Option<(f64, &str)>,
    place: Option<(f64, &str)>,
) -> Scored {
    let model = &weighing.model;
    let mut log_odds = model.prior();
    let mut weighed = |field: FieldScore, model_field: Option<usize>, level: u8| {
        let weight = model_field.map_or(0.0, |f| model.weight(f, level));
        log_odds += weight;
        if field.score.is_none() {
            return field;
        }
        FieldScore {
            detail: format!("{}; weighs {weight:+.1}", field.detail),
            compared: field.compared.map(|compared| Compared {
                weight: Some(weight),
                ..compared
            }),
            ..field
        }
    };
    let mut fields = Vec::with_capacity(4 + entry.extra.len());
    fields.push(weighed(
        name_score(entry, name),
        Some(NAME),
        level_or_missing(name.map(|n| n.0), name_level),
    ));
    let birth = birth_agreement(entry, person.birth_date);
    fields.push(weighed(
        birth_score(entry, person.birth_date, birth),
        Some(BIRTH),
        birth.map_or(MISSING, BirthAgreement::level),
    ));
    let sex = sex_value(entry.sex, person.sex);
    fields.push(weighed(
        sex_score(entry.sex, person.sex),
        Some(SEX),
        level_or_missing(sex, |s| s as u8),
    ));
    let place = place.filter(|_| entry_place(entry).is_some() && !person.places.is_empty());
    fields.push(weighed(
        place_score(entry, person, place),
        Some(PLACE),
        level_or_missing(place.map(|p| p.0), place_level),
    ));
    for extra in &entry.extra {
        let value = person_extra(person, &extra.field).filter(|_| !extra.value.trim().is_empty());
        let similarity = value.map(|v| extra_value(&extra.value, v));
        fields.push(weighed(
            extra_score(extra, value),
            weighing.extra_field(&extra.field),
            level_or_missing(similarity, extra_level),
        ));
    }
    Scored {
        row: entry.row,
        person: person.key.clone(),
        score: MatchModel::probability(log_odds),
        fields,
    }
}

/// A field not compared: `why` is the message key of the reason, `detail` its English.
fn missing(field: &str, why: &str, detail: &str) -> FieldScore {
    FieldScore {
        field: field.into(),
        score: None,
        detail: detail.into(),
        compared: Some(compared(why, &[])),
    }
}

/// A comparison's parts: the message key and the values it names.
fn compared(key: &str, values: &[(&str, &str)]) -> Compared {
    Compared {
        key: key.to_owned(),
        values: values
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        weight: None,
    }
}

/// Two values side by side, as `entry {entry}, Person {person}` words them.
fn values(field: &str, score: Option<f64>, entry: &str, person: &str) -> FieldScore {
    FieldScore {
        field: field.into(),
        score,
        detail: format!("entry {entry}, Person {person}"),
        compared: Some(compared("values", &[("entry", entry), ("person", person)])),
    }
}

fn name_score(entry: &ListEntry, name: Option<(f64, &str)>) -> FieldScore {
    match name {
        Some((score, matched)) => {
            let decision = format!("{:?}", Decision::from_score(score));
            FieldScore {
                field: "name".into(),
                score: Some(score),
                detail: format!("{} ~ {matched}: {decision}", entry.name),
                compared: Some(compared(
                    "name",
                    &[
                        ("entry", &entry.name),
                        ("matched", matched),
                        ("decision", &decision),
                    ],
                )),
            }
        }
        None => missing("name", "person_no_name", "the Person has no name"),
    }
}

fn birth_score(
    entry: &ListEntry,
    person: Option<NaiveDate>,
    agreement: Option<BirthAgreement>,
) -> FieldScore {
    let Some(born) = person else {
        return missing(
            "birth",
            "person_no_birth",
            "the Person's birth date is unknown",
        );
    };
    let said = match (entry.birth_date, entry.birth_year) {
        (Some(date), _) => date.to_string(),
        (None, Some(year)) => year.to_string(),
        (None, None) => {
            return missing("birth", "entry_no_birth", "the entry gives no birth date");
        }
    };
    let born = born.to_string();
    FieldScore {
        field: "birth".into(),
        score: agreement.map(BirthAgreement::similarity),
        detail: format!("entry {said}, Person born {born}"),
        compared: Some(compared("birth", &[("entry", &said), ("born", &born)])),
    }
}

fn sex_score(entry: Option<Sex>, person: Option<Sex>) -> FieldScore {
    match (entry, person) {
        (Some(a), Some(b)) => values("sex", sex_value(entry, person), a.code(), b.code()),
        _ => missing("sex", "one_side_silent", "one side does not say"),
    }
}

/// The best of the entry's place against each of the Person's places.
fn place_score(entry: &ListEntry, person: &XrefPerson, best: Option<(f64, &str)>) -> FieldScore {
    let Some(place) = entry_place(entry) else {
        return missing("place", "entry_no_place", "the entry gives no place");
    };
    let Some((score, matched)) = best.filter(|_| !person.places.is_empty()) else {
        return missing(
            "place",
            "person_no_place",
            "the Person's records give no place",
        );
    };
    values("place", Some(score), place, matched)
}

fn extra_score(extra: &ExtraField, person: Option<&str>) -> FieldScore {
    match person {
        Some(value) => values(
            &extra.field,
            Some(extra_value(&extra.value, value)),
            &extra.value,
            value,
        ),
        None => missing(&extra.field, "extra_missing", "one side does not give it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model's starting guess (no pairs to learn from), knowing the extra field `id`.
    fn untrained() -> Weighing {
        Weighing {
            model: MatchModel::fit(&Weighing::levels(1), &[], &[], true),
            extra_fields: vec!["id".into()],
        }
    }

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
        let scored = score_pair(
            &untrained(),
            &entry("Rahile Omer", Some(1990), Some(Sex::Female)),
            &p,
        );
        assert_eq!(scored.fields.len(), 4);
        assert!(scored.score > 0.9, "{scored:?}");
        assert_eq!(scored.fields[3].score, None, "the entry gives no place");
        let wrong = score_pair(
            &untrained(),
            &entry("Rahile Omer", Some(1960), Some(Sex::Male)),
            &p,
        );
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
        let scored = score_pair(&untrained(), &e, &p);
        assert_eq!(scored.fields.len(), 5);
        let id = scored.fields[4].score.unwrap();
        assert!(id > 0.8 && id < 1.0, "{id}");
        assert_eq!(extra_value(" AB 12 ", "ab12"), 1.0);
    }

    #[test]
    fn every_weight_is_shown_and_the_score_is_their_sum() {
        let weighing = untrained();
        let p = person("Rahile Omer", (1990, 1, 1), Sex::Female, "Tekes");
        let scored = score_pair(&weighing, &entry("Rahile Omer", Some(1991), None), &p);
        // Names the same (top of six levels: ln 4^5), a year apart (second of six: ln 4^-3).
        assert!(
            scored.fields[0].detail.ends_with("; weighs +6.9"),
            "{scored:?}"
        );
        assert_eq!(
            scored.fields[1].detail,
            "entry 1991, Person born 1990-01-01; weighs -4.2"
        );
        assert_eq!(scored.fields[1].score, Some(0.4));
        assert_eq!(scored.fields[2].detail, "one side does not say");
        let expected = MatchModel::probability(5.0 * 4f64.ln() - 3.0 * 4f64.ln());
        assert!((scored.score - expected).abs() < 1e-12, "{scored:?}");
    }

    #[test]
    fn similarities_fall_into_levels() {
        assert_eq!(
            [0.0, 0.25, 0.6, 0.7, 0.9, 0.95, 1.0].map(name_level),
            [0, 1, 2, 3, 4, 5, 5]
        );
        assert_eq!([0.5, 0.7, 1.0].map(place_level), [0, 1, 2]);
        assert_eq!([0.79, 0.8, 0.99, 1.0].map(extra_level), [0, 1, 1, 2]);
        assert_eq!(level_or_missing(None, name_level), MISSING);
    }

    #[test]
    fn a_birth_date_agrees_by_day_slip_year_or_not() {
        let born = NaiveDate::from_ymd_opt(1990, 3, 14);
        let on = |date: Option<(i32, u32, u32)>, year: Option<i32>| {
            let mut e = entry("x", year, None);
            e.birth_date = date.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            birth_agreement(&e, born)
        };
        use BirthAgreement::*;
        assert_eq!(on(Some((1990, 3, 14)), None), Some(SameDay));
        assert_eq!(on(Some((1980, 3, 14)), None), Some(SlipOfThePen));
        assert_eq!(on(Some((1990, 3, 15)), None), Some(SlipOfThePen));
        assert_eq!(on(Some((1990, 7, 2)), None), Some(SameYear));
        assert_eq!(on(Some((1991, 7, 2)), None), Some(YearApart));
        assert_eq!(on(Some((1975, 7, 2)), None), Some(Differs));
        assert_eq!(on(None, Some(1990)), Some(YearAgrees));
        assert_eq!(on(None, Some(1989)), Some(YearApart));
        assert_eq!(on(None, None), None);
        assert_eq!(birth_agreement(&entry("x", Some(1990), None), None), None);
    }

    #[test]
    fn a_place_in_latin_letters_matches_its_chinese_form() {
        assert_eq!(place_value("托克扎克", "托克扎克镇"), 1.0);
        assert!(place_value("Tekes", "特克斯县") > 0.7);
    }
}
