//! Resident ID numbers: test vectors of valid and invalid numbers, and properties over
//! numbers built from every code of the Xinjiang table.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use proptest::prelude::*;
use trove_model::Sex;
use trove_records::regions::recorded_regions;
use trove_records::resident_id::{
    DecodedId, IdProblem, check_character, decode, decode_on, find_ids,
};

/// The day the numbers are read on, so that no test depends on the clock.
fn reading_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

fn read(input: &str) -> DecodedId {
    decode_on(input, reading_day())
}

/// `first17` completed with its check character.
fn with_check(first17: &str) -> String {
    format!("{first17}{}", check_character(first17).unwrap())
}

fn codes(id: &DecodedId) -> Vec<&'static str> {
    id.problems.iter().map(IdProblem::code).collect()
}

#[test]
fn valid_numbers_in_every_accepted_spelling() {
    for (input, canonical, region, birth, sex) in [
        (
            "11010519491231002X",
            "11010519491231002X",
            "朝阳区",
            (1949, 12, 31),
            Sex::Female,
        ),
        (
            "11010519491231002x",
            "11010519491231002X",
            "朝阳区",
            (1949, 12, 31),
            Sex::Female,
        ),
        (
            "653121199001010027",
            "653121199001010027",
            "疏附县",
            (1990, 1, 1),
            Sex::Female,
        ),
        (
            " 653121 1990 0101 0027 ",
            "653121199001010027",
            "疏附县",
            (1990, 1, 1),
            Sex::Female,
        ),
        (
            "653121-19900101-0027",
            "653121199001010027",
            "疏附县",
            (1990, 1, 1),
            Sex::Female,
        ),
        (
            "'653121199001010027",
            "653121199001010027",
            "疏附县",
            (1990, 1, 1),
            Sex::Female,
        ),
        (
            "６５３１２１１９９００１０１００２７",
            "653121199001010027",
            "疏附县",
            (1990, 1, 1),
            Sex::Female,
        ),
        (
            "１１０１０５１９４９１２３１００２Ｘ",
            "11010519491231002X",
            "朝阳区",
            (1949, 12, 31),
            Sex::Female,
        ),
        (
            "653121199001010035",
            "653121199001010035",
            "疏附县",
            (1990, 1, 1),
            Sex::Male,
        ),
    ] {
        let id = read(input);
        assert!(id.is_valid(), "{input}: {:?}", id.problems);
        assert_eq!(id.problems, [], "{input}");
        assert_eq!(id.canonical.as_deref(), Some(canonical), "{input}");
        assert_eq!(
            id.region.map(|r| r.name).as_deref(),
            Some(region),
            "{input}"
        );
        assert_eq!(
            id.birth_date,
            NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2),
            "{input}"
        );
        assert_eq!(id.sex, Some(sex), "{input}");
        assert!(!id.legacy, "{input}");
    }
}

#[test]
fn legacy_numbers_are_upgraded_to_eighteen_characters() {
    let id = read("654127700315031");
    assert!(id.is_valid(), "{:?}", id.problems);
    assert!(id.legacy);
    assert_eq!(
        id.canonical.as_deref(),
        Some(with_check("65412719700315031").as_str())
    );
    assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1970, 3, 15));
    assert_eq!(id.sex, Some(Sex::Male));
    let tekes = id.region.unwrap();
    assert_eq!(
        (tekes.name.as_str(), tekes.prefecture.as_deref()),
        ("特克斯县", Some("伊犁地区"))
    );
}

#[test]
fn all_three_codes_of_tekes_decode_to_tekes() {
    for (first17, years) in [
        ("65242719820101001", "1981–1984"),
        ("65412719700101001", "1984–2001"),
        ("65402720050101001", "since 2001"),
    ] {
        let id = read(&with_check(first17));
        assert_eq!(id.problems, [], "{first17}");
        let region = id.region.unwrap();
        assert_eq!(region.name, "特克斯县");
        assert_eq!(region.in_use.to_string(), years);
    }
}

#[test]
fn invalid_numbers_say_what_is_wrong() {
    for (input, expected) in [
        ("653121199001010021", vec!["check_digit"]),
        ("6.53121199001011E+17", vec!["excel_number"]),
        ("653121199001010027.0", vec!["excel_number"]),
        ("65312119900101002", vec!["length"]),
        ("6531211990010100270", vec!["length"]),
        ("65312119900101002Y", vec!["not_digits"]),
        ("6531211990010100X7", vec!["not_digits"]),
        ("653121/19900101/0027", vec!["not_digits", "length"]),
        (&with_check("65312119901301002"), vec!["birth_date"]),
        (&with_check("65312119900229002"), vec!["birth_date"]),
        (&with_check("65312120300101002"), vec!["future_birth"]),
        ("653121901301002", vec!["birth_date"]),
        ("", vec!["length"]),
    ] {
        let id = read(input);
        assert_eq!(codes(&id), expected, "{input}");
        assert!(!id.is_valid(), "{input}");
    }
}

#[test]
fn doubts_about_the_region_leave_a_number_valid() {
    let unknown = read(&with_check("99000019900101002"));
    assert_eq!(codes(&unknown), ["unknown_region"]);
    assert!(unknown.is_valid());
    let retired = read(&with_check("65242720000101002"));
    assert_eq!(codes(&retired), ["region_retired_before_birth"]);
    assert!(retired.is_valid());
}

#[test]
fn decoded_numbers_serialise_with_problem_codes() {
    let json = serde_json::to_value(read("653121199001010021")).unwrap();
    assert_eq!(json["canonical"], "653121199001010021");
    assert_eq!(json["birth_date"], "1990-01-01");
    assert_eq!(json["sex"], "female");
    assert_eq!(json["region"]["name"], "疏附县");
    assert_eq!(
        json["problems"],
        serde_json::json!([{"code": "check_digit", "expected": "7", "found": "1"}])
    );
}

#[test]
fn ids_are_found_in_file_names_and_descriptions() {
    assert_eq!(
        find_ids("照片/653121199001010027.jpg"),
        ["653121199001010027"]
    );
    assert_eq!(
        find_ids("在押人员 11010519491231002x 653121199001010035；653121199001010021"),
        ["11010519491231002X", "653121199001010035"]
    );
}

/// A date in one of `years`.
fn birth_dates(years: RangeInclusive<i32>) -> impl Strategy<Value = NaiveDate> {
    (years, 1u32..=12, 1u32..=31)
        .prop_filter_map("no such day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

proptest! {
    #[test]
    fn built_numbers_decode_to_what_they_were_made_from(
        index in 0..recorded_regions().len(),
        birth in birth_dates(1900..=2020),
        sequence in 0u32..=999,
    ) {
        let code = &recorded_regions()[index].code;
        let first17 = format!("{code}{}{sequence:03}", birth.format("%Y%m%d"));
        let number = with_check(&first17);
        let id = read(&number);
        prop_assert!(id.is_valid(), "{}: {:?}", number, id.problems);
        prop_assert!(id.problems.iter().all(|p| p.code() == "region_retired_before_birth"));
        prop_assert_eq!(id.canonical.as_deref(), Some(number.as_str()));
        prop_assert_eq!(id.region_code.as_deref(), Some(code.as_str()));
        prop_assert_eq!(id.region.map(|r| r.code), Some(code.clone()));
        prop_assert_eq!(id.birth_date, Some(birth));
        prop_assert_eq!(id.sex, Some(if sequence % 2 == 1 { Sex::Male } else { Sex::Female }));
        prop_assert!(!id.legacy);

        for (position, original) in number.char_indices() {
            for replacement in "0123456789X".chars().filter(|c| *c != original) {
                if replacement == 'X' && position != 17 {
                    continue;
                }
                let mut changed = number.clone();
                changed.replace_range(position..=position, &replacement.to_string());
                prop_assert!(!read(&changed).is_valid(), "{} is valid", changed);
            }
        }
    }

    #[test]
    fn legacy_numbers_decode_to_what_they_were_made_from(
        index in 0..recorded_regions().len(),
        birth in birth_dates(1900..=1999),
        sequence in 0u32..=999,
    ) {
        let code = &recorded_regions()[index].code;
        let legacy = format!("{code}{}{sequence:03}", birth.format("%y%m%d"));
        let id = read(&legacy);
        prop_assert!(id.is_valid(), "{}: {:?}", legacy, id.problems);
        prop_assert!(id.legacy);
        prop_assert_eq!(id.birth_date, Some(birth));
        prop_assert_eq!(
            id.canonical,
            Some(with_check(&format!("{code}{}{sequence:03}", birth.format("%Y%m%d"))))
        );
    }

    #[test]
    fn built_numbers_are_found_between_non_digits(
        index in 0..recorded_regions().len(),
        birth in birth_dates(1900..=2020),
        sequence in 0u32..=999,
        before in "[^0-9]{0,6}",
        after in "[^0-9]{0,6}",
    ) {
        let first17 = format!("{}{}{sequence:03}", recorded_regions()[index].code, birth.format("%Y%m%d"));
        let number = with_check(&first17);
        let text = format!("{before}{number}{after}");
        let found = find_ids(&text);
        prop_assert!(found.contains(&number), "{:?} in {:?}", found, text);
    }

    #[test]
    fn decode_never_panics(input in any::<String>()) {
        let id = decode(&input);
        prop_assert_eq!(id.input, input);
    }

    #[test]
    fn decode_never_panics_on_almost_numbers(input in "[0-9０-９xXＸ .eE+\u{3000}-]{0,24}") {
        let id = decode(&input);
        if id.is_valid() {
            prop_assert_eq!(id.canonical.map(|c| c.len()), Some(18));
        }
    }

    #[test]
    fn find_ids_never_panics_and_finds_only_valid_numbers(text in any::<String>()) {
        for id in find_ids(&text) {
            prop_assert!(decode(&id).is_valid());
        }
    }
}
