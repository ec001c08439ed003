//! The synthetic population: who lives in which village, who is held, since when, and why.

use std::collections::BTreeSet;

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::calendar::Date;
use crate::ground_truth::PersonTruth;
use crate::resident_id::id_number;
use crate::vocabulary::{Status, Vocabulary};

/// The day on which registers are "current" and ages are reckoned for statistics.
pub(crate) const REFERENCE_DATE: Date = Date::new(2018, 6, 1);

/// Mugshots were taken between these dates (inclusive).
const FIRST_CAPTURE: Date = Date::new(2018, 1, 8);
const LAST_CAPTURE: Date = Date::new(2018, 11, 30);
/// The earliest detention date.
const FIRST_DETENTION: Date = Date::new(2017, 3, 1);

/// One resident, with the typed facts the file writers need.
pub(crate) struct Resident {
    pub id_number: String,
    pub name: String,
    pub male: bool,
    pub ethnicity: &'static str,
    pub birth: Date,
    pub township: &'static str,
    pub village: &'static str,
    pub address: String,
    pub phone: String,
    pub status: &'static Status,
    pub reason: Option<&'static str>,
    pub detained_since: Option<Date>,
    pub capture: Option<Date>,
    /// Seconds after midnight at which the mugshot was taken.
    pub capture_second: u32,
}

impl Resident {
    pub fn sex(&self) -> &'static str {
        if self.male { "男" } else { "女" }
    }

    pub fn detained(&self) -> bool {
        self.status.detained
    }

    pub fn is_adult(&self) -> bool {
        self.birth.age_on(REFERENCE_DATE) >= 18
    }

    /// The ground-truth record; `photo` is the mugshot's path, if one was written.
    pub fn truth(&self, photo: Option<String>) -> PersonTruth {
        PersonTruth {
            id_number: self.id_number.clone(),
            name: self.name.clone(),
            sex: self.sex().to_owned(),
            ethnicity: self.ethnicity.to_owned(),
            birth_date: self.birth.to_string(),
            township: self.township.to_owned(),
            village: self.village.to_owned(),
            address: self.address.clone(),
            status: self.status.name.to_owned(),
            detained: self.detained(),
            reason: self.reason.map(str::to_owned),
            detained_since: self.detained_since.map(|d| d.to_string()),
            capture_date: self.capture.map(|d| d.to_string()),
            photo,
        }
    }
}

/// Draws `count` residents of the county's villages, with unique ID numbers.
pub(crate) fn generate(
    rng: &mut impl Rng,
    vocabulary: &'static Vocabulary,
    count: usize,
    anomalies: bool,
) -> Vec<Resident> {
    let mut used_ids = BTreeSet::new();
    let villages: Vec<(&'static str, u32, &'static str)> = vocabulary
        .townships
        .iter()
        .flat_map(|t| {
            t.villages
                .iter()
                .map(move |v| (t.name, t.detention_percent, *v))
        })
        .collect();
    (0..count)
        .map(|_| {
            let &(township, percent, village) = villages.choose(rng).unwrap_or(&("", 0, ""));
            draw_resident(
                rng,
                vocabulary,
                &mut used_ids,
                township,
                percent,
                village,
                anomalies,
            )
        })
        .collect()
}

/// Tekes county's region code until 2001, and since.
const TEKES_BEFORE_2001: &str = "654127";
const TEKES_SINCE_2001: &str = "654027";

fn draw_resident(
    rng: &mut impl Rng,
    vocabulary: &'static Vocabulary,
    used_ids: &mut BTreeSet<String>,
    township: &'static str,
    detention_percent: u32,
    village: &'static str,
    anomalies: bool,
) -> Resident {
    let region = weighted(rng, &vocabulary.region_codes, |(_, w)| *w).0;
    let tekes = region.starts_with("654");
    let ethnicity = match rng.random_range(0..100) {
        n if tekes && n < 70 => "哈萨克族",
        n if !tekes && n < 8 => "汉族",
        n if !tekes && n < 9 => "哈萨克族",
        _ => "维吾尔族",
    };
    let male = rng.random_bool(0.5);
    let name = draw_name(rng, vocabulary, ethnicity, male);
    let age = if rng.random_bool(0.85) {
        rng.random_range(0..=60)
    } else {
        rng.random_range(61..=85)
    };
    let birth = Date::from_days(REFERENCE_DATE.days() - age * 365 - rng.random_range(0..365));
    // Tekes's code of 1984–2001 on someone born later is a planted anomaly; a clean leak
    // gives them the code in use at their birth.
    let region = if !anomalies && region == TEKES_BEFORE_2001 && birth.year > 2001 {
        TEKES_SINCE_2001
    } else {
        region
    };
    let id = loop {
        let sequence = rng.random_range(0..500) * 2 + u32::from(male);
        let id = id_number(region, birth, sequence);
        if used_ids.insert(id.clone()) {
            break id;
        }
    };
    let address = format!(
        "新疆疏附县{township}{village}{}组{}号",
        rng.random_range(1..=8),
        rng.random_range(1..=200)
    );
    let phone = if age >= 16 {
        let prefix = ["138", "139", "150", "158", "180", "189", "199"]
            .choose(rng)
            .unwrap_or(&"138");
        format!("{prefix}{:08}", rng.random_range(0..100_000_000))
    } else {
        String::new()
    };
    let capture = Date::from_days(rng.random_range(FIRST_CAPTURE.days()..=LAST_CAPTURE.days()));
    let held = is_held(
        rng,
        detention_percent,
        birth.age_on(capture),
        male,
        ethnicity,
    );
    let statuses: Vec<&'static Status> = vocabulary
        .statuses
        .iter()
        .filter(|s| s.detained == held && (held || age >= 15 || s.name == "正常"))
        .collect();
    let status = *weighted(rng, &statuses, |s| s.weight);
    let (reason, detained_since, capture) = if held {
        let since = rng.random_range(FIRST_DETENTION.days()..=capture.days());
        (
            vocabulary.reasons.choose(rng).copied(),
            Some(Date::from_days(since)),
            Some(capture),
        )
    } else {
        (None, None, None)
    };
    Resident {
        id_number: id,
        name,
        male,
        ethnicity,
        birth,
        township,
        village,
        address,
        phone,
        status,
        reason,
        detained_since,
        capture,
        capture_second: rng.random_range(8 * 3600..19 * 3600),
    }
}

/// Whether a person is in a detention category: the township's share for working-age men,
/// less for women, teenagers, the old and Han residents; never outside ages 15-73.
fn is_held(
    rng: &mut impl Rng,
    percent: u32,
    age_at_capture: i32,
    male: bool,
    ethnicity: &str,
) -> bool {
    if !(15..=73).contains(&age_at_capture) {
        return false;
    }
    let mut p = f64::from(percent) / 100.0 * if male { 1.5 } else { 0.75 };
    if age_at_capture < 18 {
        p *= 0.3;
    } else if age_at_capture > 65 {
        p *= 0.5;
    }
    if ethnicity == "汉族" {
        p *= 0.05;
    }
    rng.random_bool(p.min(1.0))
}

/// Uyghur and Kazakh names are given name · father's given name; Han names surname + given.
fn draw_name(rng: &mut impl Rng, vocabulary: &Vocabulary, ethnicity: &str, male: bool) -> String {
    let names = &vocabulary.names;
    let pick = |rng: &mut _, list: &[&'static str]| *list.choose(rng).unwrap_or(&"");
    match ethnicity {
        "汉族" => {
            let given = if male {
                &names.han_male
            } else {
                &names.han_female
            };
            format!("{}{}", pick(rng, &names.han_surnames), pick(rng, given))
        }
        "哈萨克族" => {
            let given = if male {
                &names.kazakh_male
            } else {
                &names.kazakh_female
            };
            format!("{}·{}", pick(rng, given), pick(rng, &names.kazakh_male))
        }
        _ => {
            let given = if male {
                &names.uyghur_male
            } else {
                &names.uyghur_female
            };
            format!("{}·{}", pick(rng, given), pick(rng, &names.uyghur_male))
        }
    }
}

/// Picks an item with probability proportional to `weight`.
fn weighted<'a, T>(rng: &mut impl Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for item in items {
        let w = weight(item);
        if ticket < w {
            return item;
        }
        ticket -= w;
    }
    &items[items.len() - 1]
}
