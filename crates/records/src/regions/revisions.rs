//! The gb2260 crate's revisions of GB/T 2260 (2002-12 to 2016-07), read as the history of
//! one code: a new entry whenever its name changes or it reappears after a gap.

use std::fmt;
use std::sync::LazyLock;

use gb2260::Division;
use serde::{Serialize, Serializer};

use super::{InUse, Level, Region};

/// A revision of the standard as the gb2260 crate files it: a year and a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Revision {
    /// The revision's year (`2002` for `200212`).
    pub year: u16,
    /// The revision's month, 1-based (`12` for `200212`).
    pub month: u8,
}

impl Revision {
    /// Reads the crate's key (`200212`); `None` for its Hong Kong and Macao tables
    /// (`hongkong-201512`), which are no revisions of the mainland standard.
    fn from_key(key: &str) -> Option<Revision> {
        if key.len() != 6 || !key.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Revision {
            year: key.get(..4)?.parse().ok()?,
            month: key.get(4..)?.parse().ok()?,
        })
    }

    /// Whether this is the crate's first revision: what it lists may be older.
    pub fn is_earliest(self) -> bool {
        REVISIONS.first().is_some_and(|(first, _)| *first == self)
    }

    /// Whether this is the crate's last revision: what it lists may still be in use.
    pub fn is_latest(self) -> bool {
        REVISIONS.last().is_some_and(|(last, _)| *last == self)
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// As `2002-12`, the way the revision is written for a person.
impl Serialize for Revision {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The crate's national revisions, oldest first, each with the key the crate files it under.
static REVISIONS: LazyLock<Vec<(Revision, &'static str)>> = LazyLock::new(|| {
    let mut revisions: Vec<(Revision, &'static str)> = Division::revisions()
        .into_iter()
        .filter_map(|key| Some((Revision::from_key(key)?, key)))
        .collect();
    revisions.sort_unstable();
    revisions
});

/// The revision after `revision`, the first that could show a change made after it.
pub(super) fn next_after(revision: Revision) -> Option<Revision> {
    REVISIONS.iter().map(|(r, _)| *r).find(|r| *r > revision)
}

/// Every name the revisions give `code`, oldest first; the divisions above it are those of
/// the last revision of each name.
pub(super) fn history(code: &str) -> Vec<Region> {
    let mut history: Vec<Region> = Vec::new();
    let mut listed_in_previous = false;
    for &(revision, key) in REVISIONS.iter() {
        let Some(region) = division(code, revision, key) else {
            listed_in_previous = false;
            continue;
        };
        match history.last_mut() {
            Some(current) if listed_in_previous && current.name == region.name => {
                if let InUse::Gb2260 { last, .. } = &mut current.in_use {
                    *last = revision;
                }
                current.prefecture = region.prefecture;
                current.province = region.province;
            }
            _ => history.push(region),
        }
        listed_in_previous = true;
    }
    history
}

/// `code` as one revision lists it, or `None` when it does not (or lacks its province).
fn division(code: &str, revision: Revision, key: &str) -> Option<Region> {
    let division = Division::get_by_revision(code, key)?;
    let province = Division::get_by_revision(&format!("{}0000", code.get(..2)?), key)?;
    let level = Level::of(code);
    let prefecture = match level {
        Level::County => Division::get_by_revision(&format!("{}00", code.get(..4)?), key)
            .map(|d| d.name)
            .filter(|name| !is_grouping(name))
            .map(str::to_owned),
        Level::Province | Level::Prefecture => None,
    };
    Some(Region {
        code: code.to_owned(),
        name: division.name.to_owned(),
        level,
        prefecture,
        province: province.name.to_owned(),
        in_use: InUse::Gb2260 {
            first: revision,
            last: revision,
        },
    })
}

/// Whether a name is one of the standard's groupings rather than a place: the city
/// districts (市辖区) and counties (县, 市) of a city, and the counties governed directly by
/// a province (省直辖县级行政区划, 自治区直辖县级行政单位 …).
pub(super) fn is_grouping(name: &str) -> bool {
    matches!(name, "市辖区" | "县" | "市") || name.contains("直辖")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_revisions_run_from_2002_to_2016() {
        let first = REVISIONS.first().map(|(r, _)| r.to_string());
        let last = REVISIONS.last().map(|(r, _)| r.to_string());
        assert_eq!(first.as_deref(), Some("2002-12"));
        assert_eq!(last.as_deref(), Some("2016-07"));
        assert_eq!(REVISIONS.len(), 19);
    }

    #[test]
    fn a_rename_starts_a_new_entry() {
        // 襄樊市 was renamed 襄阳市 in 2010 and kept its code.
        let names: Vec<(String, String)> = history("420600")
            .into_iter()
            .map(|r| (r.name, r.in_use.to_string()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "襄樊市".to_owned(),
                    "in use 2002–2010 (gb2260 revisions; earlier years not recorded)".to_owned()
                ),
                (
                    "襄阳市".to_owned(),
                    "in use 2011–2016 (gb2260 revisions; later years not recorded)".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_retired_code_ends_before_the_year_after_the_next_revision() {
        // 户县 became 鄠邑区 after the 2016-07 revision: not known to have ended.
        let huxian = history("610125");
        assert!(!huxian[0].in_use.ended_before(2030));
        // 华县 is in 2015-09, gone from 2016-07.
        let huaxian = history("610521");
        let in_use = huaxian.last().unwrap().in_use;
        assert_eq!(
            in_use.to_string(),
            "in use 2002–2015 (gb2260 revisions; earlier years not recorded)"
        );
        assert!(!in_use.ended_before(2016));
        assert!(in_use.ended_before(2017));
    }

    #[test]
    fn groupings_are_recognised() {
        for name in [
            "市辖区",
            "县",
            "市",
            "省直辖县级行政区划",
            "自治区直辖县级行政单位",
        ] {
            assert!(is_grouping(name), "{name}");
        }
        assert!(!is_grouping("疏附县"));
    }
}
