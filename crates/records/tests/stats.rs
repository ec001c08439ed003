//! The statistics of a hand-built population whose rates are known, and the renderers'
//! output for it.

use chrono::NaiveDate;
use proptest::prelude::*;
use trove_model::{Sex, StatusCategory};
use trove_records::stats::{
    Dimension, Measure, Notes, PersonFacts, Row, StatsOptions, StatsTable, Tally, compute, to_csv,
    to_svg, to_text,
};

const UYGHUR: &str = "维吾尔族";
const HAN: &str = "汉族";
const TOWNSHIP_A: &str = "甲乡";
const TOWNSHIP_B: &str = "乙乡";

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn at() -> NaiveDate {
    date(2018, 1, 1)
}

fn person(
    township: Option<&str>,
    born: Option<NaiveDate>,
    listed: bool,
    detention_records: u32,
) -> PersonFacts {
    PersonFacts {
        ethnicity: Some(UYGHUR.to_owned()),
        birth_date: born,
        township: township.map(str::to_owned),
        listed,
        detention_records,
        ..PersonFacts::default()
    }
}

/// Twelve listed persons and two unlisted ones, Uyghur unless said; ages on 2018-01-01.
fn population() -> Vec<PersonFacts> {
    let a = Some(TOWNSHIP_A);
    let b = Some(TOWNSHIP_B);
    vec![
        // 甲乡
        person(a, Some(date(1980, 3, 1)), true, 2), // 37, held
        person(a, Some(date(1990, 6, 15)), true, 1), // 27, held on one record only
        person(a, Some(date(1985, 1, 1)), true, 0), // 33
        person(a, Some(date(2000, 1, 1)), true, 0), // 18 on the reference date itself
        person(a, Some(date(2000, 1, 2)), true, 3), // 17: turns 18 the day after, held
        // 乙乡
        person(b, Some(date(1970, 5, 5)), true, 2), // 47, held
        person(b, Some(date(1995, 7, 7)), true, 0), // 22
        person(b, None, true, 0),                   // no birth date
        person(b, None, true, 2),                   // no birth date, held
        PersonFacts {
            ethnicity: Some(HAN.to_owned()),
            ..person(b, Some(date(1975, 1, 1)), true, 1) // 43, held
        },
        PersonFacts {
            ethnicity: None,
            ..person(b, Some(date(1960, 1, 1)), true, 0) // 58, no ethnic group
        },
        // no township
        person(None, Some(date(1992, 2, 2)), true, 0), // 25
        // in no register
        person(a, Some(date(1988, 8, 8)), false, 2), // 29, held
        person(a, Some(date(1950, 1, 1)), false, 0), // 68, on some other list
    ]
}

fn options(by: Dimension) -> StatsOptions {
    StatsOptions::new(by, at())
}

/// The "published figure" options: adult Uyghurs with at least two detention records.
fn adult_uyghurs_two_records(by: Dimension) -> StatsOptions {
    StatsOptions {
        adults: true,
        ethnicity: Some(UYGHUR.to_owned()),
        min_records: 2,
        ..options(by)
    }
}

fn row(group: &str, listed: u64, held: u64, rate: Option<f64>) -> Row {
    Row {
        group: group.to_owned(),
        listed,
        held,
        rate,
    }
}

/// A row with its rate rounded to a tenth of a percent, for exact comparison.
fn rounded(row: &Row) -> Row {
    Row {
        rate: row.rate.map(|rate| (rate * 1000.0).round() / 1000.0),
        ..row.clone()
    }
}

#[test]
fn rates_by_township_count_listed_and_held_persons_of_all_ages() {
    let table = compute(&population(), &options(Dimension::Township));
    assert_eq!(
        table.rows,
        [
            row(TOWNSHIP_B, 6, 3, Some(0.5)),
            row(TOWNSHIP_A, 5, 3, Some(0.6)),
            row("unknown", 1, 0, Some(0.0)),
        ]
    );
    assert_eq!(table.total, row("total", 12, 6, Some(0.5)));
    assert_eq!(
        table.notes,
        Notes {
            held_not_listed: 1,
            unknown_group: Tally { listed: 1, held: 0 },
            ..Notes::default()
        }
    );
}

#[test]
fn adults_of_one_group_with_two_records_give_the_published_kind_of_figure() {
    let table = compute(
        &population(),
        &adult_uyghurs_two_records(Dimension::Township),
    );
    // 甲乡: the 17-year-old is out, the one who turned 18 that day is in; the person
    // held on one record only counts as listed, not held.
    assert_eq!(
        table.rows.iter().map(rounded).collect::<Vec<_>>(),
        [
            row(TOWNSHIP_B, 2, 1, Some(0.5)),
            row(TOWNSHIP_A, 4, 1, Some(0.25)),
            row("unknown", 1, 0, Some(0.0)),
        ]
    );
    assert_eq!(rounded(&table.total), row("total", 7, 2, Some(0.286)));
    assert_eq!(
        table.notes,
        Notes {
            held_not_listed: 1,
            no_birth_date: Tally { listed: 2, held: 1 },
            no_ethnicity: Tally { listed: 1, held: 0 },
            unknown_group: Tally { listed: 1, held: 0 },
        }
    );
}

#[test]
fn the_adult_cut_off_falls_on_the_birthday() {
    let turning_18 = |born| person(Some(TOWNSHIP_A), Some(born), true, 1);
    let persons = [turning_18(date(2000, 1, 1)), turning_18(date(2000, 1, 2))];
    let adults = StatsOptions {
        adults: true,
        ..options(Dimension::Township)
    };
    assert_eq!(compute(&persons, &adults).total.listed, 1);
    let a_day_later = StatsOptions {
        at: date(2018, 1, 2),
        ..adults
    };
    assert_eq!(compute(&persons, &a_day_later).total.listed, 2);
}

#[test]
fn a_single_record_does_not_make_a_person_held_when_two_are_required() {
    let persons = [
        person(Some(TOWNSHIP_A), None, true, 1),
        person(Some(TOWNSHIP_A), None, true, 2),
    ];
    let two = StatsOptions {
        min_records: 2,
        ..options(Dimension::Township)
    };
    assert_eq!(compute(&persons, &two).total, row("total", 2, 1, Some(0.5)));
    assert_eq!(
        compute(&persons, &options(Dimension::Township)).total,
        row("total", 2, 2, Some(1.0))
    );
}

#[test]
fn the_ethnicity_filter_compares_standard_names_and_notes_unknown_groups() {
    let han_only = StatsOptions {
        ethnicity: Some(format!(" {HAN} ")),
        ..options(Dimension::Township)
    };
    let table = compute(&population(), &han_only);
    assert_eq!(table.rows, [row(TOWNSHIP_B, 1, 1, Some(1.0))]);
    assert_eq!(table.notes.no_ethnicity, Tally { listed: 1, held: 0 });
    assert_eq!(table.notes.held_not_listed, 0);
}

#[test]
fn ages_fall_in_five_year_bands_with_no_gaps() {
    let table = compute(&population(), &options(Dimension::Age));
    assert_eq!(
        table.rows,
        [
            row("15–19", 2, 1, Some(0.5)),
            row("20–24", 1, 0, Some(0.0)),
            row("25–29", 2, 1, Some(0.5)),
            row("30–34", 1, 0, Some(0.0)),
            row("35–39", 1, 1, Some(1.0)),
            row("40–44", 1, 1, Some(1.0)),
            row("45–49", 1, 1, Some(1.0)),
            row("50–54", 0, 0, None),
            row("55–59", 1, 0, Some(0.0)),
            row("unknown", 2, 1, Some(0.5)),
        ]
    );
    assert_eq!(table.definition.age_band, Some(5));
}

#[test]
fn an_adults_only_age_table_starts_its_first_band_at_the_cut_off() {
    let adults = StatsOptions {
        adults: true,
        ..options(Dimension::Age)
    };
    let table = compute(&population(), &adults);
    assert_eq!(table.rows[0], row("18–19", 1, 0, Some(0.0)));
    assert!(table.rows.iter().all(|row| row.group != "unknown"));
    assert_eq!(table.notes.no_birth_date, Tally { listed: 2, held: 1 });
}

#[test]
fn status_rows_give_every_category_as_a_share_of_the_listed() {
    let with_status = |status, records| PersonFacts {
        status,
        ..person(Some(TOWNSHIP_A), None, true, records)
    };
    let persons = [
        with_status(Some(StatusCategory::TrainingCentre), 2),
        with_status(Some(StatusCategory::Released), 1),
        with_status(Some(StatusCategory::Normal), 0),
        with_status(None, 0),
    ];
    let table = compute(&persons, &options(Dimension::Status));
    assert_eq!(table.definition.measure, Measure::ShareOfListed);
    assert_eq!(
        table.rows,
        [
            row("training_centre", 1, 1, Some(0.25)),
            row("detention_centre", 0, 0, Some(0.0)),
            row("prison", 0, 0, Some(0.0)),
            row("detained", 0, 0, Some(0.0)),
            row("released", 1, 1, Some(0.25)),
            row("under_watch", 0, 0, Some(0.0)),
            row("normal", 1, 0, Some(0.25)),
            row("unknown", 1, 0, Some(0.25)),
        ]
    );
    assert_eq!(table.total, row("total", 4, 2, Some(1.0)));
}

#[test]
fn villages_are_told_apart_by_their_township() {
    let in_village = |township: Option<&str>, village: &str, records| PersonFacts {
        village: Some(village.to_owned()),
        ..person(township, None, true, records)
    };
    let persons = [
        in_village(Some(TOWNSHIP_A), "1村", 1),
        in_village(Some(TOWNSHIP_B), "1村", 0),
        in_village(None, "1村", 0),
        in_village(Some(TOWNSHIP_A), " ", 0),
    ];
    let table = compute(&persons, &options(Dimension::Village));
    let groups: Vec<&str> = table.rows.iter().map(|row| row.group.as_str()).collect();
    assert_eq!(groups, ["乙乡/1村", "甲乡/1村", "unknown/1村", "unknown"]);
}

#[test]
fn both_sexes_have_a_row() {
    let persons = [PersonFacts {
        sex: Some(Sex::Female),
        ..person(Some(TOWNSHIP_A), None, true, 1)
    }];
    let table = compute(&persons, &options(Dimension::Sex));
    assert_eq!(
        table.rows,
        [row("male", 0, 0, None), row("female", 1, 1, Some(1.0))]
    );
}

#[test]
fn the_definition_names_every_choice() {
    let table = compute(
        &population(),
        &adult_uyghurs_two_records(Dimension::Township),
    );
    assert_eq!(
        table.definition.lines(),
        [
            "Rate: persons held ÷ persons listed, in each township.",
            "Listed: a person (the records that share one resident ID) in at least one \
             population register. Only listed persons enter a rate.",
            "Held: a listed person with at least 2 detention-related records: rows with a \
             detention status (training centre, detention centre, prison, detained) or rows \
             of a list of the detained.",
            "Ages: adults only, 18 or older in completed years on 2018-01-01; persons with no \
             usable birth date (none recorded, or one after 2018-01-01 or more than 150 years \
             before it) are left out.",
            "Ethnic groups: only 维吾尔族; persons with none recorded are left out.",
            "Rows: township as recorded; persons with none recorded are in row `unknown`.",
        ]
    );
    assert_eq!(
        table.note_lines(),
        [
            "Not in any rate: 1 held person is in no population register.",
            "Left out: 2 listed persons (1 of them held) with no usable birth date.",
            "Left out: 1 listed person (0 of them held) with no ethnic group recorded.",
            "Row `unknown`: 1 listed person (0 of them held) with no township recorded.",
        ]
    );
}

#[test]
fn without_filters_the_definition_says_all_ages_and_all_groups() {
    let definition = compute(&[], &options(Dimension::Township)).definition;
    let lines = definition.lines();
    assert!(lines.contains(&"Ages: all ages.".to_owned()));
    assert!(lines.contains(&"Ethnic groups: all.".to_owned()));
    assert!(
        lines[2].starts_with("Held: a listed person with at least 1 detention-related record:")
    );
    assert_eq!(definition.reference_date, None);
}

fn small_table() -> StatsTable {
    let persons = [
        person(Some(TOWNSHIP_A), None, true, 1),
        person(Some(TOWNSHIP_A), None, true, 0),
        person(Some(TOWNSHIP_A), None, true, 0),
        person(Some("托格拉克乡"), None, true, 0),
        person(Some("a,\"b\""), None, true, 1),
    ];
    compute(&persons, &options(Dimension::Township))
}

#[test]
fn text_puts_the_definition_first_and_aligns_chinese_names() {
    let text = to_text(&small_table());
    let expected_table = "\
township    listed  held    rate
a,\"b\"            1     1  100.0%
托格拉克乡       1     0    0.0%
甲乡             3     1   33.3%
--------------------------------
total            5     2   40.0%
";
    assert!(text.starts_with("Detention rate by township\nRate: persons held ÷ persons listed"));
    assert!(
        text.ends_with(&format!("are in row `unknown`.\n\n{expected_table}")),
        "{text}"
    );
}

#[test]
fn csv_keeps_the_definition_as_comments_and_quotes_fields() {
    let csv = to_csv(&small_table());
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "# Detention rate by township");
    assert_eq!(
        lines.iter().filter(|line| line.starts_with("# ")).count(),
        7
    );
    assert_eq!(
        lines[7..],
        [
            "group,listed,held,rate_percent",
            "\"a,\"\"b\"\"\",1,1,100.0",
            "托格拉克乡,1,0,0.0",
            "甲乡,3,1,33.3",
            "total,5,2,40.0",
        ]
    );
}

#[test]
fn csv_leaves_the_rate_empty_where_no_one_is_listed() {
    let table = compute(&population(), &options(Dimension::Age));
    assert!(to_csv(&table).contains("\n50–54,0,0,\n"));
    assert!(to_text(&table).contains("n/a"));
}

#[test]
fn json_carries_the_definition_in_words_and_in_fields() {
    let table = compute(
        &population(),
        &adult_uyghurs_two_records(Dimension::Township),
    );
    let json = serde_json::to_value(&table).unwrap();
    assert_eq!(json["title"], "Detention rate by township");
    assert_eq!(json["definition"]["by"], "township");
    assert_eq!(json["definition"]["measure"], "detention_rate");
    assert_eq!(json["definition"]["adult_age"], 18);
    assert_eq!(json["definition"]["reference_date"], "2018-01-01");
    assert_eq!(json["definition"]["ethnicity"], UYGHUR);
    assert_eq!(json["definition"]["min_records"], 2);
    assert_eq!(json["definition_text"][0], table.definition.lines()[0]);
    assert_eq!(json["rows"][0]["group"], TOWNSHIP_B);
    assert_eq!(json["total"]["listed"], 7);
    assert_eq!(json["notes"]["no_birth_date"]["held"], 1);
    assert_eq!(json["notes_text"].as_array().map(Vec::len), Some(4));
}

#[test]
fn the_rate_chart_is_svg_with_names_and_definition() {
    let svg = to_svg(&compute(&population(), &options(Dimension::Township))).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
    assert!(svg.trim_end().ends_with("</svg>"));
    for text in [
        TOWNSHIP_A,
        TOWNSHIP_B,
        "Detention rate by township",
        "Ethnic groups: all.",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
    assert!(svg.contains("Red line: the rate over all rows, 50.0% (6 held of 12 listed)."));
}

#[test]
fn the_age_chart_is_a_histogram_of_bands() {
    let svg = to_svg(&compute(&population(), &options(Dimension::Age))).unwrap();
    assert!(svg.starts_with("<svg"));
    for text in [
        "15–19",
        "55–59",
        "listed",
        "held",
        "age in completed years on 2018-01-01",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
}

#[test]
fn hostile_group_names_cannot_break_the_svg() {
    let persons = [
        person(Some("<script>alert(1)</script>"), None, true, 1),
        person(Some("a & \"b\"\u{1}\u{202E}"), None, true, 0),
    ];
    let hostile_ethnicity = StatsOptions {
        ethnicity: Some("维吾尔族</text><script>".to_owned()),
        ..options(Dimension::Township)
    };
    for table in [
        compute(&persons, &options(Dimension::Township)),
        compute(&persons, &hostile_ethnicity),
    ] {
        let svg = to_svg(&table).unwrap();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains('\u{1}') && !svg.contains('\u{202E}'));
    }
    let svg = to_svg(&compute(&persons, &options(Dimension::Township))).unwrap();
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(svg.contains("a &amp; &quot;b&quot;\u{FFFD}\u{FFFD}"));
}

#[test]
fn an_empty_population_still_renders() {
    for by in Dimension::ALL {
        let table = compute(&[], &options(by));
        assert_eq!(table.total, row("total", 0, 0, None));
        assert!(to_svg(&table).is_ok());
        assert!(to_text(&table).contains("total"));
    }
}

proptest! {
    #[test]
    fn totals_add_up_and_every_name_renders(
        people in prop::collection::vec(
            (prop::option::of("\\PC{0,12}|[\\x00-\\x1f<>&\"]{0,4}"), any::<bool>(), 0u32..4, prop::option::of(-20000i32..40000)),
            0..40,
        ),
        by in prop::sample::select(Dimension::ALL.to_vec()),
        adults in any::<bool>(),
    ) {
        let persons: Vec<PersonFacts> = people
            .into_iter()
            .map(|(township, listed, records, days)| PersonFacts {
                village: township.clone(),
                birth_date: days.map(|days| date(1950, 1, 1) + chrono::Days::new(days.unsigned_abs().into())),
                ..person(township.as_deref(), None, listed, records)
            })
            .collect();
        let table = compute(&persons, &StatsOptions { adults, ..options(by) });
        let listed: u64 = table.rows.iter().map(|row| row.listed).sum();
        let held: u64 = table.rows.iter().map(|row| row.held).sum();
        prop_assert_eq!(listed, table.total.listed);
        prop_assert_eq!(held, table.total.held);
        prop_assert!(table.rows.iter().all(|row| row.held <= row.listed));
        let svg = to_svg(&table).unwrap();
        prop_assert!(!svg.contains("<script"));
        prop_assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
        prop_assert_eq!(to_text(&table).lines().count() >= table.rows.len() + 3, true);
    }
}
