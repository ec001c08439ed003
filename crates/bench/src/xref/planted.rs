//! Quality on the demo leak's relatives' list: entries in Uyghur Latin, Arabic script and
//! English spellings, matched against the leak's people written in Chinese characters,
//! with true matches, near misses and strangers planted and recorded in the ground truth.

use std::collections::HashSet;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use serde::Serialize;
use trove_model::Sex;
use trove_names::xref::{PersonIndex, Scope, XrefOptions, XrefPerson};
use trove_records::lists::{ListMap, entries_from_rows};
use trove_synth::{RelativeKind, SynthOptions};

use super::febrl::{AtThreshold, THRESHOLDS};

#[derive(Debug, Clone, Serialize)]
pub struct PlantedResult {
    pub persons: usize,
    pub entries: usize,
    pub planted_matches: usize,
    pub pairs_scored: u64,
    pub at: Vec<AtThreshold>,
    pub seconds: f64,
}

pub fn run(seed: u64) -> anyhow::Result<PlantedResult> {
    let dir = tempfile::tempdir()?;
    let options = SynthOptions {
        seed,
        ..SynthOptions::default()
    };
    let truth = trove_synth::write_demo_leak(dir.path(), &options)?;
    let persons: Vec<XrefPerson> = truth
        .persons
        .iter()
        .map(|p| XrefPerson {
            key: p.id_number.clone(),
            names: vec![p.name.clone()],
            birth_date: NaiveDate::parse_from_str(&p.birth_date, "%Y-%m-%d").ok(),
            sex: match p.sex.as_str() {
                "男" => Some(Sex::Male),
                "女" => Some(Sex::Female),
                _ => None,
            },
            places: vec![p.township.clone(), p.village.clone()],
            extra: Vec::new(),
        })
        .collect();
    let list_path = dir.path().join("relatives.csv");
    let mut reader = csv::Reader::from_path(&list_path)
        .with_context(|| format!("reading {}", list_path.display()))?;
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        rows.push((i as u32 + 2, row?.iter().map(str::to_owned).collect()));
    }
    let entries = entries_from_rows(&header, &rows, &ListMap::default())?;
    let planted: HashSet<(u32, String)> = truth
        .relatives
        .iter()
        .filter(|r| r.kind == RelativeKind::Match)
        .filter_map(|r| Some((r.row, r.id_number.clone()?)))
        .collect();

    let started = Instant::now();
    let mut index = PersonIndex::of(persons);
    let options = XrefOptions {
        min_score: THRESHOLDS[0],
        ..XrefOptions::default()
    };
    let mut found: Vec<(u32, String, f64)> = Vec::new();
    let stats = index.match_entries(&entries, Scope::All, &options, &mut |m| {
        found.extend(m.candidates.into_iter().map(|c| (c.row, c.person, c.score)));
    });
    let seconds = started.elapsed().as_secs_f64();
    let at = THRESHOLDS
        .iter()
        .map(|&threshold| {
            let kept: Vec<_> = found.iter().filter(|(_, _, s)| *s >= threshold).collect();
            let right = kept
                .iter()
                .filter(|(row, person, _)| planted.contains(&(*row, person.clone())))
                .count();
            AtThreshold::new(threshold, right, kept.len(), planted.len())
        })
        .collect();
    Ok(PlantedResult {
        persons: truth.persons.len(),
        entries: entries.len(),
        planted_matches: planted.len(),
        pairs_scored: stats.pairs_scored,
        at,
        seconds,
    })
}
