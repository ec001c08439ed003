//! The region table against an independent reference: yescallop/areacodes (CC0), every
//! code of GB/T 2260 since 1980 with its years, compiled from the Ministry of Civil
//! Affairs' year-end tables. It lives in `../shared`, outside the repository; without it
//! these tests say so and pass.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use trove_records::regions::{InUse, Level, Region, recorded_regions, region, region_history};

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/areacodes/result.csv"
);

/// Names gb2260 gives a code that the reference does not, each for a reason, as
/// (code, gb2260's name).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    // Characters outside GB 2312, written in gb2260 with a common substitute: 埇 瀍 浉 硚 猇 蓥.
    ("341302", "墉桥区"),
    ("410304", "廛河回族区"),
    ("411502", "师河区"),
    ("420104", "乔口区"),
    ("420505", "虎亭区"),
    ("511681", "华莹市"),
    // Other spellings in gb2260: 白云鄂博矿区, 菏泽市, 荔浦县, 江州区, 杨陵区 are the names
    // of the standard.
    ("150206", "白云矿区"),
    ("371700", "荷泽市"),
    ("450331", "荔蒲县"),
    ("451402", "江洲区"),
    ("610403", "杨凌区"),
    // Renames and retirements that gb2260 records a year or more after the year-end tables:
    // the old name lingers in later revisions (乌兰察布盟 became a city in 2003, 八道江区
    // was renamed 浑江区 in 2010, 金明区 merged into 龙亭区 in 2014 …).
    ("152600", "乌兰察布盟"),
    ("220602", "八道江区"),
    ("230106", "香坊区"),
    ("321011", "郊区"),
    ("330402", "秀城区"),
    ("410108", "邙山区"),
    ("410211", "金明区"),
    ("410881", "济源市"),
    ("510123", "温江县"),
    ("510802", "市中区"),
    ("620502", "秦城区"),
    ("620503", "北道区"),
    // Codes the two sources assign differently. gb2260 files 定州市 under 139001 (the
    // reference: 130682), 江源区 under 220604 (220605), 加格达奇区 under 232701 (a district
    // the civil-affairs tables never listed), 洛龙区 under 410307 (410311), 安西县 under
    // 620922 (620925, the code 瓜州县 took over in 2006); and until 2006 it numbered
    // Hainan's directly governed counties 469025–469033, where the reference has them at
    // 469021–469030 from 2001.
    ("139001", "定州市"),
    ("220604", "江源区"),
    ("232701", "加格达奇区"),
    ("410307", "洛龙区"),
    ("620922", "安西县"),
    ("469025", "定安县"),
    ("469026", "屯昌县"),
    ("469027", "澄迈县"),
    ("469028", "临高县"),
    ("469030", "白沙黎族自治县"),
    ("469031", "昌江黎族自治县"),
    ("469033", "乐东黎族自治县"),
];

/// Codes the reference has in use between 2003 and 2015 that gb2260 lacks: 安西县's own
/// code (gb2260 files it under 620922, above).
const UNKNOWN_TO_GB2260: &[&str] = &["620925"];

/// One line of the reference.
struct Line {
    code: String,
    /// 二级行政区: the prefecture, the division's own name for a prefecture, `直辖` for a
    /// county governed by the province, empty for a province.
    prefecture: String,
    name: String,
    first: u16,
    until: Option<u16>,
}

impl Line {
    /// Whether the code carried this name at the end of `year` (the tables are as of
    /// 31 December; a line is in use from `first` up to, not including, `until`).
    fn listed_at_end_of(&self, year: u16) -> bool {
        self.first <= year && self.until.is_none_or(|until| year < until)
    }
}

/// The reference by code, or `None` (with the message) when `../shared` is absent.
fn reference() -> Option<BTreeMap<String, Vec<Line>>> {
    let Ok(text) = std::fs::read_to_string(Path::new(REFERENCE)) else {
        println!("skipping: ../shared/data/areacodes not found");
        return None;
    };
    let mut lines: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    let mut rows = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        rows.next(),
        Some("代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码"),
        "the reference's columns changed"
    );
    for row in rows {
        let cells: Vec<&str> = row.split(',').collect();
        let &[
            code,
            _province,
            prefecture,
            name,
            _level,
            _status,
            first,
            until,
            _successors,
        ] = cells.as_slice()
        else {
            panic!("{row}: nine cells expected");
        };
        let year = |cell: &str| {
            cell.parse::<u16>()
                .unwrap_or_else(|_| panic!("{row}: `{cell}` is no year"))
        };
        lines.entry(code.to_owned()).or_default().push(Line {
            code: code.to_owned(),
            prefecture: prefecture.to_owned(),
            name: name.to_owned(),
            first: year(first),
            until: (!until.is_empty()).then(|| year(until)),
        });
    }
    Some(lines)
}

fn is_xinjiang(code: &str) -> bool {
    code.starts_with("65")
}

/// The prefecture our table gives a division the reference lists under `line.prefecture`.
fn expected_prefecture(line: &Line) -> Option<&str> {
    let county = !line.code.ends_with("00");
    (county && line.prefecture != "直辖").then_some(line.prefecture.as_str())
}

fn matches_line(region: &Region, line: &Line) -> bool {
    region.code == line.code
        && region.name == line.name
        && region.prefecture.as_deref() == expected_prefecture(line)
        && region.in_use
            == InUse::XinjiangTable {
                first: line.first,
                until: line.until,
            }
}

#[test]
fn every_line_of_the_xinjiang_table_agrees_with_the_reference() {
    let Some(reference) = reference() else { return };
    let ours = recorded_regions();
    for region in ours {
        let lines = reference
            .get(&region.code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        assert!(
            lines.iter().any(|line| matches_line(region, line)),
            "{} {} ({}) is not in the reference",
            region.code,
            region.name,
            region.in_use
        );
    }
    let xinjiang_lines = reference
        .values()
        .flatten()
        .filter(|l| is_xinjiang(&l.code))
        .count();
    assert_eq!(
        ours.len(),
        xinjiang_lines,
        "one line of ours for each line of the reference"
    );
}

#[test]
fn every_xinjiang_code_of_the_reference_decodes_to_its_names_and_years() {
    let Some(reference) = reference() else { return };
    for (code, lines) in reference.iter().filter(|(code, _)| is_xinjiang(code)) {
        let history = region_history(code);
        for line in lines {
            assert!(
                history.iter().any(|region| matches_line(region, line)),
                "{code} {} ({}–{:?}) decodes to {history:?}",
                line.name,
                line.first,
                line.until
            );
        }
        let latest = lines
            .iter()
            .max_by_key(|line| line.first)
            .map(|line| line.name.as_str());
        assert_eq!(
            region(code).map(|r| r.name).as_deref(),
            latest,
            "{code}: the latest name"
        );
    }
}

#[test]
fn names_outside_xinjiang_agree_with_the_reference_but_for_known_differences() {
    let Some(reference) = reference() else { return };
    let mut decoded = 0;
    let mut undecoded = 0;
    let mut unknown_in_2003_to_2015 = BTreeSet::new();
    let mut differences = BTreeSet::new();
    for (code, lines) in reference.iter().filter(|(code, _)| !is_xinjiang(code)) {
        let history = region_history(code);
        if history.is_empty() {
            undecoded += 1;
            if (2003..=2015).any(|year| lines.iter().any(|line| line.listed_at_end_of(year))) {
                unknown_in_2003_to_2015.insert(code.as_str());
            }
            continue;
        }
        decoded += 1;
        for region in &history {
            let InUse::Gb2260 { first, last } = region.in_use else {
                panic!("{code}: outside Xinjiang every fact comes from gb2260");
            };
            // A revision of December shows the year-end table of its year; one of an earlier
            // month lies between the tables of the year before and of its year.
            let agrees_at = |revision: trove_records::regions::Revision| {
                let years = if revision.month == 12 {
                    revision.year..=revision.year
                } else {
                    revision.year - 1..=revision.year
                };
                years.into_iter().any(|year| {
                    lines
                        .iter()
                        .any(|line| line.listed_at_end_of(year) && line.name == region.name)
                })
            };
            if !(agrees_at(first) && agrees_at(last)) {
                differences.insert((code.as_str(), region.name.as_str().to_owned()));
            }
            if region.level == Level::County && region.prefecture.is_none() {
                assert!(
                    lines.iter().any(|line| line.prefecture == "直辖")
                        || code.starts_with("11")
                        || code.starts_with("12")
                        || code.starts_with("31")
                        || code.starts_with("50"),
                    "{code} {}: no prefecture, but the reference has one",
                    region.name
                );
            }
        }
    }
    let xinjiang = reference.keys().filter(|code| is_xinjiang(code)).count();
    println!(
        "reference codes: {}; decoded: {} ({xinjiang} from the Xinjiang table, {decoded} from gb2260); \
         not decoded: {undecoded} (outside Xinjiang, retired before 2002 or created after 2016)",
        reference.len(),
        xinjiang + decoded,
    );
    println!(
        "outside Xinjiang: {} names from gb2260 differ from the reference (all listed as known); \
         codes the reference has in use 2003–2015 that gb2260 lacks: {} {unknown_in_2003_to_2015:?}",
        differences.len(),
        unknown_in_2003_to_2015.len()
    );
    let known: BTreeSet<(&str, String)> = KNOWN_DIFFERENCES
        .iter()
        .map(|&(code, name)| (code, name.to_owned()))
        .collect();
    assert_eq!(
        differences, known,
        "differences between gb2260 and the reference"
    );
    assert_eq!(
        unknown_in_2003_to_2015,
        UNKNOWN_TO_GB2260.iter().copied().collect()
    );
}
