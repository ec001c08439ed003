//! Outside lists to [`ListEntry`]s: a header row and rows of cells (from a CSV, a workbook
//! or a JSON array of objects), the columns for name, birth, sex and place given by a
//! `--map` or found by their headers.

use chrono::Datelike;
use trove_model::{ListEntry, RawCell};

use crate::normalize::date::{ParsedDate, parse_date};
use crate::normalize::sex::parse_sex;

/// Headers recognised without a map, compared in lower case.
const NAME_HEADERS: &[&str] = &[
    "name",
    "full name",
    "姓名",
    "ism",
    "isim",
    "имя",
    "исм",
    "ئىسىم",
];
const BIRTH_HEADERS: &[&str] = &[
    "birth",
    "born",
    "dob",
    "date of birth",
    "birth date",
    "birthdate",
    "birth year",
    "year of birth",
    "出生日期",
    "出生年月",
    "tughulghan waqti",
];
const SEX_HEADERS: &[&str] = &["sex", "gender", "性别", "jins", "пол"];
const PLACE_HEADERS: &[&str] = &[
    "place",
    "birthplace",
    "place of birth",
    "hometown",
    "home town",
    "home",
    "county",
    "address",
    "region",
    "籍贯",
    "住址",
    "yurti",
];

/// Which column holds what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListMap {
    /// Header of the name column, matched exactly after trimming; `None` to look for
    /// a known name header (`name`, `姓名`, `isim` …).
    pub name: Option<String>,
    /// Header of the birth date or birth year column; `None` to look for a known one.
    pub birth: Option<String>,
    /// Header of the sex column; `None` to look for a known one.
    pub sex: Option<String>,
    /// Header of the home place column (birthplace, hometown, address); `None` to
    /// look for a known one.
    pub place: Option<String>,
}

/// A list that cannot be read as asked.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListError {
    /// The `--map` text (given whole) is not `field=COLUMN` pairs of known fields.
    #[error(
        "`--map {0}`: write field=COLUMN pairs separated by commas, fields name, birth, sex, place"
    )]
    BadMap(String),
    /// The map names a column the list's header does not have.
    #[error("no column `{column}` in the list (its columns: {columns})")]
    NoSuchColumn {
        /// The column header the map asked for.
        column: String,
        /// Every header of the list, comma-separated, to show the user what exists.
        columns: String,
    },
    /// No column was given as the name column and none has a known name header;
    /// holds the list's headers, comma-separated.
    #[error("no name column found (columns: {0}); say which with --map name=COLUMN")]
    NoNameColumn(String),
}

impl ListMap {
    /// `name=Full name,birth=DOB`.
    pub fn parse(text: &str) -> Result<ListMap, ListError> {
        let mut map = ListMap::default();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| ListError::BadMap(text.to_owned()))?;
            let column = Some(column.trim().to_owned());
            match field.trim() {
                "name" => map.name = column,
                "birth" => map.birth = column,
                "sex" => map.sex = column,
                "place" => map.place = column,
                _ => return Err(ListError::BadMap(text.to_owned())),
            }
        }
        Ok(map)
    }
}

/// Entries from a header and rows. Row numbers are 1-based with the header as row 1 (for
/// JSON, pass the array position + 1 as if a header preceded it). Rows without a name are
/// skipped.
pub fn entries_from_rows(
    header: &[String],
    rows: &[(u32, Vec<String>)],
    map: &ListMap,
) -> Result<Vec<ListEntry>, ListError> {
    let columns = header.join(", ");
    let find = |given: &Option<String>, known: &[&str]| -> Result<Option<usize>, ListError> {
        match given {
            Some(column) => header
                .iter()
                .position(|h| h.trim() == column)
                .map(Some)
                .ok_or_else(|| ListError::NoSuchColumn {
                    column: column.clone(),
                    columns: columns.clone(),
                }),
            None => Ok(header
                .iter()
                .position(|h| known.contains(&h.trim().to_lowercase().as_str()))),
        }
    };
    let name =
        find(&map.name, NAME_HEADERS)?.ok_or_else(|| ListError::NoNameColumn(columns.clone()))?;
    let birth = find(&map.birth, BIRTH_HEADERS)?;
    let sex = find(&map.sex, SEX_HEADERS)?;
    let place = find(&map.place, PLACE_HEADERS)?;
    let cell = |cells: &[String], index: Option<usize>| -> Option<String> {
        index
            .and_then(|i| cells.get(i))
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
    };
    Ok(rows
        .iter()
        .filter_map(|(row, cells)| {
            let entry_name = cell(cells, Some(name))?;
            let birth = cell(cells, birth).and_then(|b| parse_date(&b));
            Some(ListEntry {
                row: *row,
                name: entry_name,
                birth_date: birth.and_then(ParsedDate::day),
                birth_year: birth.map(|b| match b {
                    ParsedDate::Day(d) => d.year(),
                    ParsedDate::Month(y, _) | ParsedDate::Year(y) => y,
                }),
                sex: cell(cells, sex).and_then(|s| parse_sex(&s)),
                place: cell(cells, place),
                extra: Vec::new(),
                raw: header
                    .iter()
                    .zip(cells)
                    .map(|(h, v)| RawCell {
                        header: h.clone(),
                        value: v.clone(),
                    })
                    .collect(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trove_model::Sex;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn headers_are_found_and_values_read() {
        let header = strings(&["Name", "DOB", "Gender", "Hometown"]);
        let rows = vec![
            (2, strings(&["Rahile Omer", "1990", "F", "Konasheher"])),
            (3, strings(&["", "1980", "M", ""])),
            (4, strings(&["Memet Tursun", "1980-05-05", "male", ""])),
        ];
        let entries = entries_from_rows(&header, &rows, &ListMap::default()).unwrap();
        assert_eq!(entries.len(), 2, "a row without a name is skipped");
        assert_eq!(entries[0].birth_year, Some(1990));
        assert_eq!(entries[0].birth_date, None);
        assert_eq!(entries[0].sex, Some(Sex::Female));
        assert_eq!(entries[0].place.as_deref(), Some("Konasheher"));
        assert_eq!(entries[1].row, 4);
        assert!(entries[1].birth_date.is_some());
    }

    #[test]
    fn a_map_names_odd_columns_and_mistakes_are_explained() {
        let header = strings(&["Missing person", "Year"]);
        let rows = vec![(2, strings(&["Rahile Omer", "1990"]))];
        assert!(matches!(
            entries_from_rows(&header, &rows, &ListMap::default()),
            Err(ListError::NoNameColumn(_))
        ));
        let map = ListMap::parse("name=Missing person,birth=Year").unwrap();
        assert_eq!(
            entries_from_rows(&header, &rows, &map).unwrap()[0].birth_year,
            Some(1990)
        );
        assert!(ListMap::parse("colour=x").is_err());
        let wrong = ListMap::parse("name=Nom").unwrap();
        assert!(
            entries_from_rows(&header, &rows, &wrong)
                .unwrap_err()
                .to_string()
                .contains("no column `Nom`")
        );
    }
}
