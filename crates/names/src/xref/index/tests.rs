//! Tests of the matcher: blocking, sifting, the model and the explanations together.

use super::*;
use crate::xref::fields::score_pair;
use crate::xref::model::{MISSING, MatchModel};
use chrono::NaiveDate;
use trove_model::Sex;

fn person(key: &str, name: &str, born: (i32, u32, u32), sex: Sex, place: &str) -> XrefPerson {
    XrefPerson {
        key: key.into(),
        names: vec![name.into()],
        birth_date: NaiveDate::from_ymd_opt(born.0, born.1, born.2),
        sex: Some(sex),
        places: vec![place.into()],
        extra: Vec::new(),
    }
}

fn entry(row: u32, name: &str, year: Option<i32>, sex: Option<Sex>) -> ListEntry {
    ListEntry {
        row,
        name: name.into(),
        birth_date: None,
        birth_year: year,
        sex,
        place: Some("Tokzak".into()),
        extra: Vec::new(),
        raw: Vec::new(),
    }
}

fn demo_index() -> PersonIndex {
    PersonIndex::of(vec![
        person(
            "p1",
            "热依拉·奥迈尔",
            (1990, 1, 1),
            Sex::Female,
            "托克扎克镇",
        ),
        person("p2", "买买提·吐尔逊", (1980, 5, 5), Sex::Male, "乌帕尔镇"),
    ])
}

#[test]
fn a_latin_entry_finds_the_person_written_in_chinese_characters() {
    let mut index = demo_index();
    let found = index.candidates(
        &entry(2, "Rahile Omer", Some(1990), Some(Sex::Female)),
        0.7,
        |_| true,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].person, "p1");
    assert!(found[0].score > 0.9);
    assert!(
        index
            .candidates(&entry(2, "Rahile Omer", None, None), 0.0, |k| k != "p1")
            .is_empty()
    );
}

#[test]
fn the_sifted_score_is_the_explained_score() {
    let mut index = demo_index();
    for (name, year) in [
        ("Rahile Omer", Some(1990)),
        ("Rahila Omar", Some(1991)),
        ("Memet Tursun", None),
    ] {
        let probe = entry(2, name, year, Some(Sex::Female));
        let options = XrefOptions {
            min_score: 0.0,
            threads: 1,
            ..XrefOptions::default()
        };
        let (prepared, weighing) = index.prepare_and_fit(std::slice::from_ref(&probe), &options);
        let mut worker = Worker::new(&index, &options);
        let found = worker.match_entry(&weighing, &prepared[0], Scope::All, &|_| true);
        assert!(!found.candidates.is_empty(), "{name}");
        for scored in found.candidates {
            let position = (0..index.len())
                .find(|&p| index.person(p).key == scored.person)
                .unwrap();
            let mut pattern = vec![MISSING; FIRST_EXTRA];
            worker.pattern(&prepared[0], &index.persons[position], &mut pattern);
            let fast = MatchModel::probability(weighing.model.log_odds(&pattern));
            assert!(
                (fast - scored.score).abs() < 1e-9,
                "{name}: {fast} vs {}",
                scored.score
            );
            // And both are what comparing the strings from scratch gives.
            let reference = score_pair(&weighing, &probe, index.person(position));
            assert!((reference.score - scored.score).abs() < 1e-9);
            assert_eq!(reference.fields, scored.fields);
        }
    }
}

#[test]
fn parallel_matching_streams_every_entry_and_new_persons_alone_can_be_matched() {
    let mut index = demo_index();
    let entries: Vec<ListEntry> = (0..50)
        .map(|row| {
            entry(
                row,
                if row % 2 == 0 {
                    "Rahile Omer"
                } else {
                    "Nobody Atall"
                },
                Some(1990),
                None,
            )
        })
        .collect();
    let options = XrefOptions {
        threads: 2,
        ..XrefOptions::default()
    };
    let mut rows = Vec::new();
    let stats = index.match_entries(&entries, Scope::All, &options, &mut |m| {
        rows.push((m.row, m.candidates.len()))
    });
    rows.sort();
    assert_eq!(rows.len(), 50);
    assert!(rows.iter().all(|&(row, n)| n == usize::from(row % 2 == 0)));
    assert_eq!(stats.candidates, 25);
    let new = index.add(vec![person(
        "p3",
        "Rahile Omer",
        (1990, 2, 2),
        Sex::Female,
        "Tekes",
    )]);
    // The new Person is the same as p1, so the Persons now repeat people.
    let options = XrefOptions {
        persons_distinct: false,
        ..options
    };
    let mut found = 0;
    index.match_entries(&entries, Scope::From(new.start), &options, &mut |m| {
        assert!(m.candidates.iter().all(|c| c.person == "p3"));
        found += m.candidates.len();
    });
    assert_eq!(found, 25);
}

#[test]
fn a_block_too_common_is_narrowed_by_the_year_or_skipped() {
    let persons: Vec<XrefPerson> = (0..30)
        .map(|i| {
            person(
                &format!("p{i}"),
                "Memet Tursun",
                (1950 + i, 1, 1),
                Sex::Male,
                "Tekes",
            )
        })
        .collect();
    let mut index = PersonIndex::of(persons);
    let options = XrefOptions {
        max_block: 10,
        threads: 1,
        ..XrefOptions::default()
    };
    let mut with_year = Vec::new();
    let entries = [
        entry(2, "Memet Tursun", Some(1960), None),
        entry(3, "Memet Tursun", None, None),
    ];
    let stats = index.match_entries(&entries, Scope::All, &options, &mut |m| with_year.push(m));
    with_year.sort_by_key(|m| m.row);
    assert_eq!(with_year[0].candidates[0].person, "p10");
    assert!(with_year[0].candidates.len() < 30);
    assert!(with_year[1].candidates.is_empty());
    assert!(stats.blocks_too_common >= 1);
}
