//! A statistics table's title, definition and notes in the page's language, written from
//! the definition's fields. [`StatsTable::heading_lines`] stays the English the command,
//! the CSV and the JSON carry; the catalog's English says the same words (a test checks).

use trove_model::StatusCategory;
use trove_records::stats::{Definition, Dimension, MAX_AGE, Measure, StatsTable, Tally};

use crate::i18n::{Lang, Message};

/// The title, the definition's sentences, then the notes on who was left out, in `lang`.
pub fn heading_lines(lang: Lang, table: &StatsTable) -> Vec<String> {
    let definition = &table.definition;
    let mut lines = vec![title(lang, definition)];
    lines.extend(
        definition_lines(lang, definition)
            .into_iter()
            .map(|line| line.to_string()),
    );
    lines.extend(note_lines(lang, table));
    lines
}

fn title(lang: Lang, definition: &Definition) -> String {
    let key = match definition.measure {
        Measure::DetentionRate => "stats.def.title_rate",
        Measure::ShareOfListed => "stats.def.title_share",
    };
    lang.msg(key)
        .arg("by", lang.name(definition.by))
        .to_string()
}

fn definition_lines(lang: Lang, definition: &Definition) -> Vec<Message> {
    let rate = match definition.measure {
        Measure::DetentionRate => lang
            .msg("stats.def.rate")
            .arg("by", lang.name(definition.by)),
        Measure::ShareOfListed => lang.msg("stats.def.rate_share"),
    };
    let detention: Vec<String> = StatusCategory::ALL
        .into_iter()
        .filter(|category| category.is_detention())
        .map(|category| category.code().replace('_', " "))
        .collect();
    let held = match definition.min_records {
        1 => lang.msg("stats.def.held_one"),
        _ => lang.msg("stats.def.held"),
    }
    .arg("min", definition.min_records)
    .arg("statuses", detention.join(", "));
    let unusable = |at| {
        lang.msg("stats.def.unusable_birth_date")
            .arg("at", at)
            .arg("max", MAX_AGE)
    };
    let ages = match (definition.adult_age, definition.reference_date) {
        (Some(adult_age), Some(at)) => lang
            .msg("stats.def.ages_adults")
            .arg("adult_age", adult_age)
            .arg("at", at)
            .arg("unusable", unusable(at)),
        _ => lang.msg("stats.def.ages_all"),
    };
    let ethnicity = match &definition.ethnicity {
        Some(name) => lang
            .msg("stats.def.ethnicity_only")
            .arg("name", name.replace(['\n', '\r'], " ")),
        None => lang.msg("stats.def.ethnicity_all"),
    };
    let rows = match definition.by {
        Dimension::Township => lang.msg("stats.def.rows_township"),
        Dimension::Village => lang.msg("stats.def.rows_village"),
        Dimension::Age => {
            let at = definition
                .reference_date
                .map(|at| at.to_string())
                .unwrap_or_default();
            let unusable = definition
                .reference_date
                .map(|at| unusable(at).to_string())
                .unwrap_or_default();
            match definition.adult_age {
                Some(adult_age) => lang
                    .msg("stats.def.rows_age_adults")
                    .arg("adult_age", adult_age),
                None => lang.msg("stats.def.rows_age").arg("unusable", unusable),
            }
            .arg("width", definition.age_band.unwrap_or(1))
            .arg("at", at)
        }
        Dimension::Sex => lang.msg("stats.def.rows_sex"),
        Dimension::Status => lang.msg("stats.def.rows_status"),
        Dimension::Ethnicity => lang.msg("stats.def.rows_ethnicity"),
    };
    vec![
        rate,
        lang.msg("stats.def.listed"),
        held,
        ages,
        ethnicity,
        rows,
    ]
}

/// `3 listed persons (1 of them held)`.
fn listed_persons(lang: Lang, tally: Tally) -> Message {
    match tally.listed {
        1 => lang.msg("stats.note.listed_one"),
        _ => lang.msg("stats.note.listed"),
    }
    .arg("listed", tally.listed)
    .arg("held", tally.held)
}

fn note_lines(lang: Lang, table: &StatsTable) -> Vec<String> {
    let notes = &table.notes;
    let mut lines = Vec::new();
    if notes.held_not_listed > 0 {
        let key = match notes.held_not_listed {
            1 => "stats.note.held_not_listed_one",
            _ => "stats.note.held_not_listed",
        };
        lines.push(lang.msg(key).arg("count", notes.held_not_listed));
    }
    if notes.no_birth_date.listed > 0 {
        lines.push(
            lang.msg("stats.note.no_birth_date")
                .arg("persons", listed_persons(lang, notes.no_birth_date)),
        );
    }
    if notes.no_ethnicity.listed > 0 {
        lines.push(
            lang.msg("stats.note.no_ethnicity")
                .arg("persons", listed_persons(lang, notes.no_ethnicity)),
        );
    }
    if notes.unknown_group.listed > 0 {
        let line = match table.definition.by {
            Dimension::Age => lang.msg("stats.note.unknown_no_birth_date"),
            by => lang.msg("stats.note.unknown").arg("by", lang.name(by)),
        };
        lines.push(line.arg("persons", listed_persons(lang, notes.unknown_group)));
    }
    lines.into_iter().map(|line| line.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use trove_records::stats::{Notes, Row, StatsOptions};

    fn table(options: &StatsOptions, notes: Notes) -> StatsTable {
        let row = Row {
            group: "total".into(),
            listed: 0,
            held: 0,
            rate: None,
        };
        StatsTable {
            definition: Definition::new(options),
            rows: Vec::new(),
            total: row,
            notes,
        }
    }

    #[test]
    fn the_english_definition_is_the_commands_word_for_word() {
        let at = "2018-06-01".parse().unwrap();
        let tally = |listed, held| Tally { listed, held };
        let notes = [
            Notes::default(),
            Notes {
                held_not_listed: 1,
                no_birth_date: tally(1, 0),
                no_ethnicity: tally(3, 1),
                unknown_group: tally(1, 1),
            },
            Notes {
                held_not_listed: 4,
                no_birth_date: tally(2, 1),
                no_ethnicity: tally(1, 1),
                unknown_group: tally(5, 2),
            },
        ];
        for by in Dimension::ALL {
            for adults in [false, true] {
                for min_records in [1, 2] {
                    for ethnicity in [None, Some("维吾尔族".to_owned())] {
                        for notes in notes {
                            let mut options = StatsOptions::new(by, at);
                            options.adults = adults;
                            options.min_records = min_records;
                            options.ethnicity = ethnicity.clone();
                            let table = table(&options, notes);
                            assert_eq!(
                                heading_lines(Lang::English, &table),
                                table.heading_lines(),
                                "{options:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_chinese_definition_is_chinese() {
        let at = "2018-06-01".parse().unwrap();
        let mut options = StatsOptions::new(Dimension::Township, at);
        options.adults = true;
        let lines = heading_lines(Lang::SimplifiedChinese, &table(&options, Notes::default()));
        assert_eq!(lines[0], "按乡镇统计的关押比例");
        assert!(lines[4].contains("仅限成年人"), "{lines:?}");
    }
}
