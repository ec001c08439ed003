//! Resident ID numbers: against their own rows (the records stage flags each
//! contradiction; here they are counted and weighed), against each other (one number
//! under several names), and as a population (does the sex digit agree with the sex
//! column, do birth dates heap where real registers' do, how are the sequence codes
//! spread, do the birth years agree with the ages the registers write).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use trove_model::Record;
use trove_records::resident_id::decode;

use super::words::count;
use super::{Evidence, Finding, Section, Strength, Words};

/// Row flags that are findings about ID numbers: code, strength, what they mean (a key
/// of [`super::words::ENGLISH`]).
const FLAGGED: &[(&str, Strength, &str)] = &[
    (
        "id_check_digit",
        Strength::Anomaly,
        "authenticity.flag.id_check_digit",
    ),
    (
        "id_region_retired_before_birth",
        Strength::Strong,
        "authenticity.flag.id_region_retired_before_birth",
    ),
    (
        "id_unknown_region",
        Strength::Anomaly,
        "authenticity.flag.id_unknown_region",
    ),
    (
        "id_future_birth",
        Strength::Strong,
        "authenticity.flag.id_future_birth",
    ),
    (
        "id_birth_date",
        Strength::Anomaly,
        "authenticity.flag.id_birth_date",
    ),
    (
        "sex_mismatch",
        Strength::Anomaly,
        "authenticity.flag.sex_mismatch",
    ),
    (
        "birth_date_mismatch",
        Strength::Anomaly,
        "authenticity.flag.birth_date_mismatch",
    ),
    (
        "age_mismatch",
        Strength::Anomaly,
        "authenticity.flag.age_mismatch",
    ),
    (
        "address_county_mismatch",
        Strength::Anomaly,
        "authenticity.flag.address_county_mismatch",
    ),
];

/// Checks that only say something over enough numbers.
const MIN_FOR_DISTRIBUTIONS: usize = 200;
/// Below this share of rows whose sex column agrees with the sex digit, a list is odd:
/// clerks copy both from the same card.
const SEX_AGREEMENT_FLOOR: f64 = 0.95;
/// Above this share of check-digit failures, typing errors no longer explain them.
const CHECK_DIGIT_STRONG_SHARE: f64 = 0.05;

pub(super) fn findings(records: &[Record]) -> Vec<Finding> {
    let with_number = records
        .iter()
        .filter(|r| r.fields.id_number.is_some())
        .count();
    let mut findings = flagged_rows(records, with_number);
    findings.extend(one_number_many_names(records));
    findings.extend(sex_digit_agreement(records));
    findings.extend(birth_date_heaping(records));
    findings.extend(sequence_codes(records));
    findings.extend(birth_years_and_ages(records));
    findings
}

/// One finding per kind of flagged contradiction, with every row as evidence.
fn flagged_rows(records: &[Record], with_number: usize) -> Vec<Finding> {
    FLAGGED
        .iter()
        .filter_map(|(code, strength, meaning)| {
            let rows: Vec<&Record> = records
                .iter()
                .filter(|r| r.flags.iter().any(|f| f.code == *code))
                .collect();
            if rows.is_empty() {
                return None;
            }
            let share = rows.len() as f64 / with_number.max(1) as f64;
            let strength = if *code == "id_check_digit" && share > CHECK_DIGIT_STRONG_SHARE {
                Strength::Strong
            } else {
                *strength
            };
            Some(
                Finding::new(
                    Section::Ids,
                    code,
                    strength,
                    Words::new("authenticity.finding.id_flagged")
                        .value(
                            "rows",
                            count(
                                rows.len(),
                                "authenticity.count.row",
                                "authenticity.count.rows",
                            ),
                        )
                        .arg("with_number", with_number)
                        .arg("share", format!("{:.1}", share * 100.0))
                        .value("meaning", Words::new(meaning)),
                )
                .with(rows.into_iter().map(Evidence::row)),
            )
        })
        .collect()
}

/// A name with separators and spaces dropped, to compare how clerks wrote it.
fn bare_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Valid numbers whose rows give different names (beyond separators and spaces).
fn one_number_many_names(records: &[Record]) -> Vec<Finding> {
    let mut by_number: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for record in records.iter().filter(|r| r.fields.id_valid) {
        if let Some(number) = &record.fields.id_number {
            by_number.entry(number).or_default().push(record);
        }
    }
    by_number
        .into_iter()
        .filter_map(|(number, rows)| {
            let names: BTreeSet<String> = rows
                .iter()
                .filter_map(|r| r.fields.name.as_deref())
                .map(bare_name)
                .filter(|n| !n.is_empty())
                .collect();
            (names.len() > 1).then(|| {
                let written: BTreeSet<&str> = rows
                    .iter()
                    .filter_map(|r| r.fields.name.as_deref())
                    .collect();
                Finding::new(
                    Section::Ids,
                    "id_many_names",
                    Strength::Anomaly,
                    Words::new("authenticity.finding.id_many_names")
                        .arg("number", number)
                        .arg("count", names.len())
                        .arg("names", written.into_iter().collect::<Vec<_>>().join(", ")),
                )
                .with(rows.into_iter().map(Evidence::row))
            })
        })
        .collect()
}

/// How often the sex column agrees with the sex digit, over rows that have both.
fn sex_digit_agreement(records: &[Record]) -> Option<Finding> {
    let pairs: Vec<(&Record, bool)> = records
        .iter()
        .filter(|r| r.fields.id_valid)
        .filter_map(|r| {
            let column = r.fields.sex?;
            let digit = decode(r.fields.id_number.as_deref()?).sex?;
            Some((r, column == digit))
        })
        .collect();
    if pairs.len() < MIN_FOR_DISTRIBUTIONS {
        return None;
    }
    let agreeing = pairs.iter().filter(|(_, agrees)| *agrees).count();
    let share = agreeing as f64 / pairs.len() as f64;
    let statement = Words::new("authenticity.finding.id_sex_digit_agreement")
        .arg("agreeing", agreeing)
        .arg("rows", pairs.len())
        .arg("share", format!("{:.1}", share * 100.0));
    Some(if share < SEX_AGREEMENT_FLOOR {
        Finding::new(
            Section::Ids,
            "id_sex_digit_agreement",
            Strength::Strong,
            statement,
        )
        .with(
            pairs
                .iter()
                .filter(|(_, a)| !a)
                .map(|(r, _)| Evidence::row(r)),
        )
    } else {
        Finding::new(
            Section::Ids,
            "id_sex_digit_agreement",
            Strength::Fact,
            statement,
        )
    })
}

/// Birth dates on the 1st of a month and on 1 January. Registers of people born before
/// births were recorded heap there (an unknown day written as the 1st); a list whose
/// dates were drawn at random does not.
fn birth_date_heaping(records: &[Record]) -> Option<Finding> {
    let dates: Vec<chrono::NaiveDate> = records
        .iter()
        .filter(|r| r.fields.id_valid)
        .filter_map(|r| decode(r.fields.id_number.as_deref()?).birth_date)
        .collect();
    if dates.len() < MIN_FOR_DISTRIBUTIONS {
        return None;
    }
    let firsts = dates.iter().filter(|d| d.day() == 1).count();
    let new_year = dates
        .iter()
        .filter(|d| d.day() == 1 && d.month() == 1)
        .count();
    let share = |n: usize| n as f64 / dates.len() as f64 * 100.0;
    Some(Finding::new(
        Section::Ids,
        "id_birth_day_distribution",
        Strength::Fact,
        Words::new("authenticity.finding.id_birth_day_distribution")
            .arg("dates", dates.len())
            .arg("firsts", format!("{:.1}", share(firsts)))
            .arg("new_year", format!("{:.2}", share(new_year))),
    ))
}

/// Above this share of all numbers, one sequence code is a copied number, not an
/// allocation: police stations are given ranges of codes, never one for everyone.
const ONE_SEQUENCE_STRONG_SHARE: f64 = 0.2;

/// The sequence codes (digits 15–17) of valid numbers: how many distinct, how often the
/// commonest, and the first digit's spread. Codes are allocated to police stations in
/// ranges, so real lists cluster; digits drawn at random spread evenly (10% a digit);
/// a list built by copying one number and changing its birth date repeats one code.
fn sequence_codes(records: &[Record]) -> Option<Finding> {
    let mut numbers: BTreeMap<&str, &Record> = BTreeMap::new();
    for record in records.iter().filter(|r| r.fields.id_valid) {
        if let Some(number) = record.fields.id_number.as_deref() {
            numbers.entry(number).or_insert(record);
        }
    }
    if numbers.len() < MIN_FOR_DISTRIBUTIONS {
        return None;
    }
    let mut by_code: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    let mut first_digits = [0usize; 10];
    for (number, record) in &numbers {
        let Some(code) = number.get(14..17) else {
            continue;
        };
        by_code.entry(code).or_default().push(record);
        if let Some(digit) = code.chars().next().and_then(|c| c.to_digit(10)) {
            first_digits[digit as usize] += 1;
        }
    }
    let total = numbers.len();
    let (common_code, common_rows) = by_code.iter().max_by_key(|(_, rows)| rows.len())?;
    let common_share = common_rows.len() as f64 / total as f64;
    let spread: Vec<String> = first_digits
        .iter()
        .enumerate()
        .map(|(digit, &n)| format!("{digit}: {:.0}%", n as f64 / total as f64 * 100.0))
        .collect();
    let statement = Words::new("authenticity.finding.id_sequence_codes")
        .arg("total", total)
        .arg("codes", by_code.len())
        .arg("code", common_code)
        .value(
            "numbers",
            count(
                common_rows.len(),
                "authenticity.count.number",
                "authenticity.count.numbers",
            ),
        )
        .arg("share", format!("{:.1}", common_share * 100.0))
        .arg("spread", spread.join(", "));
    Some(if common_share >= ONE_SEQUENCE_STRONG_SHARE {
        Finding::new(
            Section::Ids,
            "id_sequence_codes",
            Strength::Strong,
            statement,
        )
        .with(common_rows.iter().map(|r| Evidence::row(r)))
    } else {
        Finding::new(Section::Ids, "id_sequence_codes", Strength::Fact, statement)
    })
}

/// Birth years of valid numbers by decade, and how often a row's age column agrees with
/// its number's birth date (the records stage flags each row that does not, judged at
/// the list's date).
fn birth_years_and_ages(records: &[Record]) -> Option<Finding> {
    let valid: Vec<&Record> = records.iter().filter(|r| r.fields.id_valid).collect();
    let years: Vec<i32> = valid
        .iter()
        .filter_map(|r| decode(r.fields.id_number.as_deref()?).birth_date)
        .map(|date| date.year())
        .collect();
    if years.len() < MIN_FOR_DISTRIBUTIONS {
        return None;
    }
    let mut decades: BTreeMap<i32, usize> = BTreeMap::new();
    for year in &years {
        *decades.entry(year - year.rem_euclid(10)).or_default() += 1;
    }
    let by_decade: Vec<String> = decades
        .iter()
        .map(|(decade, n)| format!("{decade}s: {n}"))
        .collect();
    let with_age: Vec<&&Record> = valid.iter().filter(|r| r.fields.age.is_some()).collect();
    let disagreeing = with_age
        .iter()
        .filter(|r| r.flags.iter().any(|f| f.code == "age_mismatch"))
        .count();
    let ages = if with_age.is_empty() {
        Words::new("authenticity.finding.ages_none")
    } else {
        Words::new("authenticity.finding.ages_agree")
            .arg("agreeing", with_age.len() - disagreeing)
            .arg("rows", with_age.len())
            .arg(
                "share",
                format!(
                    "{:.1}",
                    (with_age.len() - disagreeing) as f64 / with_age.len() as f64 * 100.0
                ),
            )
    };
    Some(Finding::new(
        Section::Ids,
        "id_birth_years",
        Strength::Fact,
        Words::new("authenticity.finding.id_birth_years")
            .arg("years", years.len())
            .arg("decades", by_decade.join(", "))
            .value("ages", ages),
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::authenticity::codes_of;
    use trove_model::{BlobId, Flag, ListKind, RecordFields, RowRef, Sex};

    pub(crate) fn record(row: u32, name: &str, id: &str, sex: Sex, flags: &[&str]) -> Record {
        let decoded = decode(id);
        Record {
            source: RowRef {
                blob: BlobId::from_digest([4; 32]),
                part: 0,
                sheet: Some("名单".into()),
                row,
                column: 0,
            },
            list: ListKind::Register,
            raw: Vec::new(),
            fields: RecordFields {
                name: Some(name.into()),
                id_number: decoded.canonical.clone(),
                id_valid: decoded.is_valid(),
                sex: Some(sex),
                ..RecordFields::default()
            },
            flags: flags
                .iter()
                .map(|code| Flag {
                    code: (*code).into(),
                    detail: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn flagged_rows_and_one_number_under_two_names_are_found() {
        let records = vec![
            record(2, "古丽·艾买提", "653121199001010027", Sex::Female, &[]),
            record(3, "古丽艾买提", "653121199001010027", Sex::Female, &[]),
            record(4, "阿依努尔", "653121199001010027", Sex::Female, &[]),
            record(
                5,
                "艾买提",
                "653121198503150017",
                Sex::Female,
                &["sex_mismatch"],
            ),
        ];
        let found = findings(&records);
        assert_eq!(
            codes_of(&found),
            [
                ("sex_mismatch", Strength::Anomaly),
                ("id_many_names", Strength::Anomaly)
            ]
        );
        assert!(
            found[1].statement.contains("2 names"),
            "separators do not count"
        );
        assert_eq!(found[1].evidence.len(), 3);
    }

    /// A valid number of region 653121, born `year`-01-`day`, with sequence code `code`.
    fn number(year: i32, day: u32, code: u32) -> String {
        let first17 = format!("653121{year}01{day:02}{code:03}");
        let check = trove_records::resident_id::check_character(&first17).unwrap();
        format!("{first17}{check}")
    }

    fn codes_found(records: &[Record], code: &str) -> Vec<Finding> {
        findings(records)
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }

    #[test]
    fn one_sequence_code_on_a_fifth_of_the_numbers_is_a_strong_anomaly() {
        let list = |copied: bool| -> Vec<Record> {
            (0..250u32)
                .map(|i| {
                    let code = if copied && i % 4 == 0 { 123 } else { 3 * i + 1 };
                    let id = number(1960 + (i % 40) as i32, 1 + i % 28, code);
                    record(i + 2, &format!("人{i}"), &id, Sex::Male, &[])
                })
                .collect()
        };
        let honest = codes_found(&list(false), "id_sequence_codes");
        assert_eq!(honest.len(), 1);
        assert_eq!(honest[0].strength, Strength::Fact);
        assert!(
            honest[0].statement.contains("250 distinct valid numbers"),
            "{}",
            honest[0].statement
        );
        let copied = codes_found(&list(true), "id_sequence_codes");
        assert_eq!(copied[0].strength, Strength::Strong);
        assert!(
            copied[0]
                .statement
                .contains("the commonest, 123, is on 63 numbers"),
            "{}",
            copied[0].statement
        );
        assert_eq!(copied[0].evidence.len(), 63);
    }

    #[test]
    fn birth_years_are_counted_by_decade_against_the_ages_written() {
        let records: Vec<Record> = (0..200u32)
            .map(|i| {
                let id = number(1950 + (i % 30) as i32, 1 + i % 28, i);
                let flags: &[&str] = if i < 10 { &["age_mismatch"] } else { &[] };
                let mut row = record(i + 2, "某", &id, Sex::Male, flags);
                row.fields.age = Some(40);
                row
            })
            .collect();
        let found = codes_found(&records, "id_birth_years");
        let statement = &found[0].statement;
        assert!(
            statement.contains("1950s: 70, 1960s: 70, 1970s: 60"),
            "{statement}"
        );
        assert!(
            statement.contains("agrees with the number's birth date on 190 of 200 rows"),
            "{statement}"
        );
        assert!(
            codes_found(&records[..150], "id_birth_years").is_empty(),
            "too few to say"
        );
    }
}
