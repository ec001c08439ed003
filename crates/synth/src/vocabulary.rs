//! The facts tables under `data/`, parsed once. Each table's source is stated in its header
//! comment; the parsers here only split lines and columns.

use std::sync::OnceLock;

/// A township with its (invented) villages and its synthetic detention share.
pub(crate) struct Township {
    pub name: &'static str,
    pub detention_percent: u32,
    pub villages: Vec<&'static str>,
}

/// A value of a register's status column.
pub(crate) struct Status {
    pub name: &'static str,
    pub detained: bool,
    pub weight: u32,
    /// Where the held are listed as being; `None` for those not held.
    pub place: Option<&'static str>,
}

/// A camera that "took" mugshots.
pub(crate) struct Camera {
    pub make: &'static str,
    pub model: &'static str,
    pub body_serial: &'static str,
}

/// Name lists by people and sex.
#[derive(Default)]
pub(crate) struct Names {
    pub uyghur_male: Vec<&'static str>,
    pub uyghur_female: Vec<&'static str>,
    pub kazakh_male: Vec<&'static str>,
    pub kazakh_female: Vec<&'static str>,
    pub han_surnames: Vec<&'static str>,
    pub han_male: Vec<&'static str>,
    pub han_female: Vec<&'static str>,
}

/// Every table, parsed.
pub(crate) struct Vocabulary {
    pub names: Names,
    pub townships: Vec<Township>,
    /// (region code, weight per mille).
    pub region_codes: Vec<(&'static str, u32)>,
    pub statuses: Vec<Status>,
    pub reasons: Vec<&'static str>,
    pub cameras: Vec<Camera>,
}

/// The parsed tables (parsed on first use).
pub(crate) fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(parse)
}

/// Non-comment, non-blank lines of a table, split on tabs.
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

/// Parses the bundled tables. They are part of the crate, so a malformed line is a bug that
/// the unit test below catches; it is skipped here rather than turned into a runtime error.
fn parse() -> Vocabulary {
    let mut names = Names::default();
    for row in rows(include_str!("../data/given_names.tsv")) {
        let [people, sex, name] = row[..] else {
            continue;
        };
        let list = match (people, sex) {
            ("uyghur", "男") => &mut names.uyghur_male,
            ("uyghur", "女") => &mut names.uyghur_female,
            ("kazakh", "男") => &mut names.kazakh_male,
            ("kazakh", "女") => &mut names.kazakh_female,
            ("han", "姓") => &mut names.han_surnames,
            ("han", "男") => &mut names.han_male,
            ("han", "女") => &mut names.han_female,
            _ => continue,
        };
        list.push(name);
    }
    let townships = rows(include_str!("../data/townships.tsv"))
        .filter_map(|row| match row[..] {
            [name, percent, villages] => Some(Township {
                name,
                detention_percent: percent.parse().ok()?,
                villages: villages.split(',').collect(),
            }),
            _ => None,
        })
        .collect();
    let region_codes = rows(include_str!("../data/region_codes.tsv"))
        .filter_map(|row| match row[..] {
            [code, _place, weight] => Some((code, weight.parse().ok()?)),
            _ => None,
        })
        .collect();
    let statuses = rows(include_str!("../data/statuses.tsv"))
        .filter_map(|row| match row[..] {
            [name, detained, weight, place] => Some(Status {
                name,
                detained: detained == "yes",
                weight: weight.parse().ok()?,
                place: (place != "-").then_some(place),
            }),
            _ => None,
        })
        .collect();
    let reasons = rows(include_str!("../data/reasons.tsv"))
        .map(|row| row[0])
        .collect();
    let cameras = rows(include_str!("../data/cameras.tsv"))
        .filter_map(|row| match row[..] {
            [make, model, body_serial] => Some(Camera {
                make,
                model,
                body_serial,
            }),
            _ => None,
        })
        .collect();
    Vocabulary {
        names,
        townships,
        region_codes,
        statuses,
        reasons,
        cameras,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_line_parses() {
        let v = vocabulary();
        assert!(v.names.uyghur_male.len() >= 60);
        assert!(v.names.uyghur_female.len() >= 50);
        assert!(!v.names.kazakh_male.is_empty() && !v.names.kazakh_female.is_empty());
        assert_eq!(v.names.han_surnames.len(), 20);
        assert_eq!(v.townships.len(), 7);
        assert!(
            v.townships
                .iter()
                .all(|t| (1..=6).contains(&t.villages.len()))
        );
        assert_eq!(v.region_codes.iter().map(|(_, w)| w).sum::<u32>(), 1000);
        assert_eq!(v.statuses.len(), 7);
        assert_eq!(v.statuses.iter().filter(|s| s.detained).count(), 3);
        assert!(v.statuses.iter().all(|s| s.detained == s.place.is_some()));
        assert_eq!(v.reasons.len(), 10);
        assert_eq!(v.cameras.len(), 4);
    }
}
