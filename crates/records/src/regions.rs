//! GB/T 2260 administrative division codes, the six digits that open a resident ID number,
//! with the years each code was in use.
//!
//! A code outlives its division's boundaries and is reused after renumbering, and an ID
//! number keeps the code it was first issued with: Tekes county is `652427` (1981–1984),
//! `654127` (1984–2001) and `654027` (since 2001). So a code is read with its years, and
//! two codes can name the same place ([`same_place`]).
//!
//! Two sources, in this order:
//! - trove's own table of every Xinjiang code since 1980 (`data/regions-xinjiang.tsv`,
//!   facts from the successive GB/T 2260 revisions), which the gb2260 crate lacks before
//!   2002;
//! - the gb2260 crate (MIT) for the rest of China: its revisions from 2002-12 to 2016-07,
//!   so codes retired before 2002 or created after 2016 outside Xinjiang are unknown. It
//!   also answers for the few Xinjiang codes the table leaves out, the standard's groupings
//!   (`650101` 市辖区, `659000` 自治区直辖县级行政区划), which name no place.
//!
//! ```
//! use trove_records::regions::{region, same_place};
//!
//! let tekes = region("654127").unwrap();
//! assert_eq!(tekes.name, "特克斯县");
//! assert_eq!(tekes.prefecture.as_deref(), Some("伊犁地区"));
//! assert_eq!(format!("{} ({})", tekes.name, tekes.in_use), "特克斯县 (1984–2001)");
//! assert!(same_place(&tekes, &region("654027").unwrap()));
//! ```

mod revisions;
mod xinjiang;

use std::fmt;

use serde::Serialize;

pub use revisions::Revision;

/// One name a code carried, with the divisions above it and the years of that name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// The six-digit code.
    pub code: String,
    /// The division's name while the code carried it (`特克斯县`).
    pub name: String,
    /// Province, prefecture or county, read from the code's trailing zeros.
    pub level: Level,
    /// The prefecture-level division a county-level one belonged to (`伊犁哈萨克自治州`);
    /// `None` for provinces, for prefectures themselves, and for counties governed directly
    /// by the province (石河子市, and the districts of Beijing, Tianjin, Shanghai, Chongqing).
    pub prefecture: Option<String>,
    /// The province-level division (`新疆维吾尔自治区`).
    pub province: String,
    /// When the code carried this name, and which source says so.
    pub in_use: InUse,
}

impl Region {
    /// Whether the code names a county-level division, the level an ID number's
    /// region code should have.
    pub fn is_county(&self) -> bool {
        self.level == Level::County
    }
}

/// The region with the divisions above it and the years of its code:
/// `特克斯县, 伊犁地区, 新疆维吾尔自治区: code 654127, 1984–2001`.
impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(prefecture) = &self.prefecture {
            write!(f, ", {prefecture}")?;
        }
        if self.level != Level::Province {
            write!(f, ", {}", self.province)?;
        }
        write!(f, ": code {}, {}", self.code, self.in_use)
    }
}

/// The level of a division, read from its code: `650000` a province, `653100` a
/// prefecture, `653121` a county.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Province-level (省, 自治区, 直辖市): a code ending `0000`.
    Province,
    /// Prefecture-level (地区, 自治州, 地级市): a code ending `00`.
    Prefecture,
    /// County-level (县, 县级市, 市辖区): any other code.
    County,
}

impl Level {
    fn of(code: &str) -> Level {
        if code.ends_with("0000") {
            Level::Province
        } else if code.ends_with("00") {
            Level::Prefecture
        } else {
            Level::County
        }
    }
}

/// The years a code carried a name. The two sources know different things, so each
/// variant says what its years mean; `Display` writes them for a person (`1984–2001`,
/// `since 2001`, `in use 2002–2016 (gb2260 revisions; earlier years not recorded)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum InUse {
    /// From trove's table of Xinjiang codes, built from the year-end code tables (as of
    /// 31 December) of every year since 1980.
    XinjiangTable {
        /// The first year whose table lists the code with this name (1981 is the earliest).
        first: u16,
        /// The year the code was changed or retired (its first table without it); `None`
        /// while it is still in use.
        until: Option<u16>,
    },
    /// Known only from the gb2260 crate's revisions of the standard (2002-12 to 2016-07):
    /// the first and last revision listing the code with this name. The code may be older
    /// than the first when that is 2002-12, and still in use when the last is 2016-07.
    Gb2260 {
        /// The earliest revision that lists the code with this name.
        first: Revision,
        /// The latest revision that lists the code with this name.
        last: Revision,
    },
}

impl InUse {
    /// The years `[from, until)` of the name, `until` being the year the code went out of
    /// use with it (`None`: not known to have).
    fn span(&self) -> (u16, Option<u16>) {
        match *self {
            InUse::XinjiangTable { first, until } => (first, until),
            InUse::Gb2260 { first, last } => {
                (first.year, revisions::next_after(last).map(|r| r.year))
            }
        }
    }

    /// Whether the code is known to have stopped carrying this name before `year` began.
    /// The year of a change itself is not counted: the change may have come late in it.
    pub fn ended_before(&self, year: i32) -> bool {
        self.span().1.is_some_and(|until| i32::from(until) < year)
    }

    /// Whether the code carried this name at some time in `year`.
    pub fn covers(&self, year: i32) -> bool {
        i32::from(self.span().0) <= year && !self.ended_before(year)
    }

    fn overlaps(&self, other: &InUse) -> bool {
        let ((a_from, a_until), (b_from, b_until)) = (self.span(), other.span());
        a_until.is_none_or(|until| b_from < until) && b_until.is_none_or(|until| a_from < until)
    }
}

impl fmt::Display for InUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            InUse::XinjiangTable {
                first,
                until: Some(until),
            } => write!(f, "{first}–{until}"),
            InUse::XinjiangTable { first, until: None } => write!(f, "since {first}"),
            InUse::Gb2260 { first, last } => {
                if first.year == last.year {
                    write!(f, "in use {}", first.year)?;
                } else {
                    write!(f, "in use {}–{}", first.year, last.year)?;
                }
                let unrecorded = match (first.is_earliest(), last.is_latest()) {
                    (true, true) => "; earlier and later years not recorded",
                    (true, false) => "; earlier years not recorded",
                    (false, true) => "; later years not recorded",
                    (false, false) => "",
                };
                write!(f, " (gb2260 revisions{unrecorded})")
            }
        }
    }
}

/// The division a code names: its latest name in the sources. `None` for anything but six
/// ASCII digits, and for codes neither source knows.
pub fn region(code: &str) -> Option<Region> {
    region_history(code).pop()
}

/// Every name a code carried, oldest first (`650107`: 南山矿区, 南泉区, 达坂城区). Empty
/// when the code is unknown or not six ASCII digits.
pub fn region_history(code: &str) -> Vec<Region> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let recorded = xinjiang::history(code);
    if recorded.is_empty() {
        revisions::history(code)
    } else {
        recorded.to_vec()
    }
}

/// What a code most likely named in the ID number of someone born in `year`: the name it
/// carried that year, or failing that (the code is younger than the person, who was issued
/// the number later) the first name it carried afterwards, or failing that its last name.
pub fn region_for_birth_year(code: &str, year: i32) -> Option<Region> {
    let mut history = region_history(code);
    let chosen = history
        .iter()
        .position(|r| r.in_use.covers(year))
        .or_else(|| history.iter().position(|r| !r.in_use.ended_before(year)))
        .unwrap_or(history.len().checked_sub(1)?);
    Some(history.swap_remove(chosen))
}

/// Every line of trove's own table, the Xinjiang codes since 1980, in code order.
pub fn recorded_regions() -> &'static [Region] {
    xinjiang::all()
}

/// Whether two codes name the same place: the same name at the same level in the same
/// province (Tekes: `652427` ~ `654127` ~ `654027`). Two codes in use at the same time
/// name two places even when their names agree (several provinces had more than one 城区
/// or 郊区), and the groupings of the standard (市辖区, 县, 省直辖县级行政区划) are no
/// places at all.
pub fn same_place(a: &Region, b: &Region) -> bool {
    a.province == b.province
        && a.name == b.name
        && a.level == b.level
        && !revisions::is_grouping(&a.name)
        && (a.code == b.code || !a.in_use.overlaps(&b.in_use))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tekes_decodes_under_all_three_codes() {
        for (code, years, prefecture) in [
            ("652427", "1981–1984", "伊犁哈萨克自治州"),
            ("654127", "1984–2001", "伊犁地区"),
            ("654027", "since 2001", "伊犁哈萨克自治州"),
        ] {
            let tekes = region(code).expect(code);
            assert_eq!(tekes.name, "特克斯县");
            assert_eq!(tekes.province, "新疆维吾尔自治区");
            assert_eq!(tekes.prefecture.as_deref(), Some(prefecture));
            assert_eq!(tekes.in_use.to_string(), years);
            assert!(tekes.is_county());
        }
    }

    #[test]
    fn a_region_prints_with_its_divisions_and_years() {
        assert_eq!(
            region("654127").unwrap().to_string(),
            "特克斯县, 伊犁地区, 新疆维吾尔自治区: code 654127, 1984–2001"
        );
        assert_eq!(
            region("650000").unwrap().to_string(),
            "新疆维吾尔自治区: code 650000, since 1981"
        );
        assert_eq!(
            region("110105").unwrap().to_string(),
            "朝阳区, 北京市: code 110105, in use 2002–2016 \
             (gb2260 revisions; earlier and later years not recorded)"
        );
    }

    #[test]
    fn shufu_is_a_county_of_kashgar() {
        let shufu = region("653121").unwrap();
        assert_eq!(shufu.name, "疏附县");
        assert_eq!(shufu.prefecture.as_deref(), Some("喀什地区"));
        assert_eq!(shufu.level, Level::County);
    }

    #[test]
    fn provinces_and_prefectures_have_no_prefecture() {
        let xinjiang = region("650000").unwrap();
        assert_eq!(
            (xinjiang.level, xinjiang.prefecture),
            (Level::Province, None)
        );
        let kashgar = region("653100").unwrap();
        assert_eq!(
            (kashgar.name.as_str(), kashgar.level),
            ("喀什地区", Level::Prefecture)
        );
        assert_eq!(kashgar.prefecture, None);
        let shihezi = region("659001").unwrap();
        assert_eq!(
            (shihezi.name.as_str(), shihezi.prefecture),
            ("石河子市", None)
        );
    }

    #[test]
    fn codes_outside_xinjiang_come_from_gb2260_with_honest_years() {
        let chaoyang = region("110105").unwrap();
        assert_eq!(chaoyang.name, "朝阳区");
        assert_eq!(chaoyang.province, "北京市");
        assert_eq!(
            chaoyang.prefecture, None,
            "市辖区 is a grouping, not a prefecture"
        );
        assert_eq!(
            chaoyang.in_use.to_string(),
            "in use 2002–2016 (gb2260 revisions; earlier and later years not recorded)"
        );
        let suzhou = region("320500").unwrap();
        assert_eq!(
            (suzhou.name.as_str(), suzhou.level),
            ("苏州市", Level::Prefecture)
        );
    }

    #[test]
    fn a_code_reused_for_new_names_keeps_every_name() {
        let names: Vec<String> = region_history("650107")
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, ["南山矿区", "南泉区", "达坂城区"]);
        assert_eq!(region("650107").unwrap().name, "达坂城区");
        assert_eq!(
            region_for_birth_year("650107", 1990).unwrap().name,
            "南山矿区"
        );
        assert_eq!(
            region_for_birth_year("650107", 2000).unwrap().name,
            "南泉区"
        );
        assert_eq!(
            region_for_birth_year("650107", 1960).unwrap().name,
            "南山矿区"
        );
        assert_eq!(
            region_for_birth_year("650107", 2020).unwrap().name,
            "达坂城区"
        );
    }

    #[test]
    fn anything_but_six_digits_is_no_code() {
        for code in ["", "65312", "6531211", "65312x", "６５３１２１", "999999"] {
            assert_eq!(region(code), None, "{code}");
        }
    }

    #[test]
    fn same_place_follows_a_county_through_renumbering() {
        let [a, b, c] = ["652427", "654127", "654027"].map(|code| region(code).unwrap());
        assert!(same_place(&a, &b) && same_place(&b, &c) && same_place(&a, &c));
        let shufu = region("653121").unwrap();
        assert!(!same_place(&a, &shufu));
    }

    #[test]
    fn same_place_tells_apart_namesakes_and_levels() {
        // The county-level city of Turpan became a district when the prefecture-level city
        // of the same name was made: two places.
        let (city, prefecture) = (region("652101").unwrap(), region("650400").unwrap());
        assert_eq!(city.name, prefecture.name);
        assert!(!same_place(&city, &prefecture));
        // Urumqi's and Karamay's city districts are groupings, not places.
        let (urumqi, karamay) = (region("650101").unwrap(), region("650201").unwrap());
        assert_eq!(
            (urumqi.name.as_str(), karamay.name.as_str()),
            ("市辖区", "市辖区")
        );
        assert!(!same_place(&urumqi, &karamay));
    }

    #[test]
    fn regions_serialise_with_their_source() {
        let json = serde_json::to_value(region("654127").unwrap()).unwrap();
        assert_eq!(
            json["in_use"],
            serde_json::json!({"source": "xinjiang_table", "first": 1984, "until": 2001})
        );
        let json = serde_json::to_value(region("110105").unwrap()).unwrap();
        assert_eq!(
            json["in_use"],
            serde_json::json!({"source": "gb2260", "first": "2002-12", "last": "2016-07"})
        );
    }
}
