//! Speed of cross-reference from 10,000 to a million Persons. Persons are named as in the
//! police files (Uyghur names in Chinese characters, drawn with a skew like real name
//! frequencies, a grandfather's name now and then); entries as relatives write them (Latin
//! spellings, some in reversed order or without the father's name, a birth year mostly).
//! Half the entries are Persons of the leak, half are drawn afresh (and meet namesakes).

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use trove_model::{ListEntry, Sex};
use trove_names::han::{dictionary_forms, dictionary_readings};
use trove_names::xref::{PersonIndex, Scope, XrefOptions, XrefPerson, XrefStats};

use super::XrefBenchOptions;
use crate::rss::peak_rss_bytes;

const TOWNSHIPS: [&str; 8] = [
    "托克扎克镇",
    "乌帕尔镇",
    "阿瓦提乡",
    "塔孜洪乡",
    "吾库萨克镇",
    "铁日木乡",
    "布拉克苏乡",
    "英阿瓦提乡",
];

#[derive(Debug, Clone, Serialize)]
pub struct ScaleResult {
    pub run: String,
    pub persons: usize,
    pub entries: usize,
    /// Distinct names among Persons and entries (by their analysed parts).
    pub distinct_names: usize,
    /// Indexing the Persons (names analysed and numbered, keys made).
    pub index_seconds: f64,
    /// Matching the entries (their names analysed, pairs scored, candidates explained).
    pub match_seconds: f64,
    pub seconds: f64,
    pub threads: usize,
    pub pairs_scored: u64,
    pub pairs_per_second_per_core: f64,
    pub candidates: u64,
    pub blocks_too_common: u64,
    pub name_cache_hit_rate: f64,
    pub peak_rss_bytes: u64,
}

/// Names of the table, given forms in Chinese characters with their Latin spellings,
/// ordered so that a Zipf-like draw gives the common ones most often.
struct Names {
    forms: Vec<(&'static str, &'static [&'static str])>,
    weights: Vec<f64>,
    total_weight: f64,
}

impl Names {
    fn new() -> Names {
        let mut forms: Vec<(&'static str, &'static [&'static str])> = dictionary_forms()
            .map(|f| (f, dictionary_readings(f)))
            .filter(|(_, r)| !r.is_empty())
            .collect();
        forms.sort();
        // Name frequencies fall off roughly as 1/rank.
        let weights: Vec<f64> = (0..forms.len())
            .map(|rank| 1.0 / (rank as f64 + 1.0))
            .collect();
        let total_weight = weights.iter().sum();
        Names {
            forms,
            weights,
            total_weight,
        }
    }

    fn draw(&self, rng: &mut impl Rng) -> (&'static str, &'static [&'static str]) {
        let mut at = rng.random_range(0.0..self.total_weight);
        for (form, weight) in self.forms.iter().zip(&self.weights) {
            if at < *weight {
                return *form;
            }
            at -= weight;
        }
        self.forms[0]
    }
}

fn person(rng: &mut impl Rng, names: &Names, key: usize) -> XrefPerson {
    let parts = if rng.random_bool(0.1) { 3 } else { 2 };
    let name: Vec<&str> = (0..parts).map(|_| names.draw(rng).0).collect();
    let born = NaiveDate::from_ymd_opt(
        rng.random_range(1945..2005),
        rng.random_range(1..13),
        rng.random_range(1..29),
    );
    XrefPerson {
        key: format!("p{key}"),
        names: vec![name.join("·")],
        birth_date: born,
        sex: Some(if rng.random_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        }),
        places: vec![
            TOWNSHIPS
                .choose(rng)
                .copied()
                .unwrap_or("托克扎克镇")
                .to_owned(),
        ],
        extra: Vec::new(),
    }
}

fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A relative's entry for a Person: each part in one of its Latin spellings, now and then
/// reversed or without the father's name; the birth year mostly, sometimes a year off.
fn entry_for(rng: &mut impl Rng, person: &XrefPerson, row: u32) -> ListEntry {
    let mut parts: Vec<String> = person.names[0]
        .split('·')
        .map(|part| {
            let readings = dictionary_readings(part);
            title(readings.choose(rng).copied().unwrap_or(part))
        })
        .collect();
    if rng.random_bool(0.1) {
        parts.reverse();
    } else if rng.random_bool(0.05) {
        parts.truncate(1);
    }
    let year = person.birth_date.map(|d| d.year());
    ListEntry {
        row,
        name: parts.join(" "),
        birth_date: None,
        birth_year: match rng.random_range(0..20) {
            0 => None,
            1 => year.map(|y| y + 1),
            _ => year,
        },
        sex: person.sex.filter(|_| rng.random_bool(0.8)),
        place: None,
        extra: Vec::new(),
        raw: Vec::new(),
    }
}

fn entries(
    rng: &mut impl Rng,
    names: &Names,
    persons: &[XrefPerson],
    count: usize,
) -> Vec<ListEntry> {
    (0..count)
        .map(|row| {
            if row % 2 == 0 {
                let person = persons.choose(rng).cloned().unwrap_or_default();
                entry_for(rng, &person, row as u32)
            } else {
                let stranger = person(rng, names, 0);
                entry_for(rng, &stranger, row as u32)
            }
        })
        .collect()
}

struct Run<'a> {
    args: &'a XrefBenchOptions,
    options: XrefOptions,
}

impl Run<'_> {
    fn result(
        &self,
        run: &str,
        index: &PersonIndex,
        entries: usize,
        index_seconds: f64,
        match_seconds: f64,
        stats: &XrefStats,
    ) -> ScaleResult {
        let lookups = (stats.name_hits + stats.name_misses).max(1);
        ScaleResult {
            run: run.to_owned(),
            persons: index.len(),
            entries,
            distinct_names: index.distinct_names(),
            index_seconds,
            match_seconds,
            seconds: index_seconds + match_seconds,
            threads: self.options.threads,
            pairs_scored: stats.pairs_scored,
            pairs_per_second_per_core: stats.pairs_scored as f64
                / match_seconds.max(1e-9)
                / self.options.threads as f64,
            candidates: stats.candidates,
            blocks_too_common: stats.blocks_too_common,
            name_cache_hit_rate: stats.name_hits as f64 / lookups as f64,
            peak_rss_bytes: peak_rss_bytes(),
        }
    }

    /// Indexes `persons`, matches `list` against them; the index is handed back for more.
    fn measure(
        &self,
        run: &str,
        persons: Vec<XrefPerson>,
        list: &[ListEntry],
    ) -> (ScaleResult, PersonIndex) {
        let started = Instant::now();
        let mut index = PersonIndex::of(persons);
        let index_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let stats = index.match_entries(list, Scope::All, &self.options, &mut |_| {});
        let match_seconds = started.elapsed().as_secs_f64();
        (
            self.result(
                run,
                &index,
                list.len(),
                index_seconds,
                match_seconds,
                &stats,
            ),
            index,
        )
    }
}

pub fn run(
    args: &XrefBenchOptions,
    each: &mut dyn FnMut(&ScaleResult),
) -> anyhow::Result<Vec<ScaleResult>> {
    let names = Names::new();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let bench = Run {
        args,
        options: XrefOptions {
            threads: args.threads.max(1),
            ..XrefOptions::default()
        },
    };
    let mut results = Vec::new();
    let mut record = |r: ScaleResult, results: &mut Vec<ScaleResult>| {
        each(&r);
        results.push(r);
    };
    let mut size = 10_000;
    while size <= bench.args.max_persons {
        let persons: Vec<XrefPerson> = (0..size).map(|k| person(&mut rng, &names, k)).collect();
        let list = entries(&mut rng, &names, &persons, size / 10);
        let (result, mut index) = bench.measure(
            &format!("{size} Persons, a tenth as entries"),
            persons.clone(),
            &list,
        );
        record(result, &mut results);
        if size == bench.args.max_persons {
            // A thousand Persons arrive (a new spreadsheet): index and score them alone.
            let started = Instant::now();
            let new: Vec<XrefPerson> = (0..1000)
                .map(|k| person(&mut rng, &names, size + k))
                .collect();
            let added = index.add(new);
            let index_seconds = started.elapsed().as_secs_f64();
            let started = Instant::now();
            let stats =
                index.match_entries(&list, Scope::From(added.start), &bench.options, &mut |_| {});
            let match_seconds = started.elapsed().as_secs_f64();
            record(
                bench.result(
                    "1,000 Persons added, scored alone",
                    &index,
                    list.len(),
                    index_seconds,
                    match_seconds,
                    &stats,
                ),
                &mut results,
            );
            if bench.args.million_entries {
                drop(index);
                let list = entries(&mut rng, &names, &persons, size);
                let (result, _) =
                    bench.measure(&format!("{size} Persons × {size} entries"), persons, &list);
                record(result, &mut results);
            }
        }
        size *= 10;
    }
    // A fifth of everyone named Memet Tursun, and a fifth of the entries asking for one.
    let size = bench.args.max_persons;
    let persons: Vec<XrefPerson> = (0..size)
        .map(|k| {
            let mut p = person(&mut rng, &names, k);
            if k % 5 == 0 {
                p.names = vec!["买买提·吐尔逊".to_owned()];
            }
            p
        })
        .collect();
    let mut list = entries(&mut rng, &names, &persons, size / 10);
    for (i, entry) in list.iter_mut().enumerate() {
        if i % 5 == 0 {
            entry.name = "Memet Tursun".to_owned();
        }
    }
    let (result, _) = bench.measure("skewed: a fifth named Memet Tursun", persons, &list);
    record(result, &mut results);
    Ok(results)
}
