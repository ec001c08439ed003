//! A relatives' list of missing persons, as a diaspora organisation might compile it: names
//! in Uyghur Latin, Uyghur Arabic script or English spellings, a birth year, the sex. Some
//! entries are people of the leak (true matches), some share a given name and almost a
//! birth year with one (near misses), some are nobody in it. Written beside the leak, not
//! in it: the list comes from outside the leaked files.

use std::collections::HashMap;
use std::sync::LazyLock;

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::ground_truth::{RelativeKind, RelativeTruth};
use crate::people::Resident;

/// Latin spellings of Uyghur and Kazakh names written in Chinese characters: the table of
/// the names crate (one table of facts for the whole project; synth reads it, so that the
/// demo's list and trove's matcher never drift apart in what names exist).
const NAMES_TABLE: &str = include_str!("../../names/data/han-uyghur-names.tsv");

/// Chinese form → (ULY spelling, other spellings).
static LATIN: LazyLock<HashMap<&'static str, (&'static str, Vec<&'static str>)>> =
    LazyLock::new(|| {
        NAMES_TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                let others = cols
                    .get(2)
                    .filter(|o| **o != "-")
                    .map(|o| o.split(',').map(str::trim).collect())
                    .unwrap_or_default();
                Some((*cols.first()?, (*cols.get(1)?, others)))
            })
            .collect()
    });

/// The list's CSV text and its truth.
pub(crate) fn write(rng: &mut impl Rng, residents: &[Resident]) -> (String, Vec<RelativeTruth>) {
    let mut csv = String::from("Name,Year of birth,Sex\r\n");
    let mut truth = Vec::new();
    let known: Vec<(&Resident, [&'static str; 2])> = residents
        .iter()
        .filter(|r| r.detained())
        .filter_map(|r| Some((r, latin_parts(&r.name)?)))
        .collect();
    let matches = (known.len() / 4).clamp(1, 60);
    let mut add = |name: String, script: &str, year: i32, male: bool, kind, id: Option<&str>| {
        let row = truth.len() as u32 + 2;
        let sex = if male { "M" } else { "F" };
        csv.push_str(&format!("{name},{year},{sex}\r\n"));
        truth.push(RelativeTruth {
            row,
            name,
            script: script.to_owned(),
            kind,
            id_number: id.map(str::to_owned),
        });
    };
    for (index, (resident, [given, father])) in known.iter().take(matches).enumerate() {
        let (name, script) = spelled(index, given, father);
        add(
            name,
            script,
            resident.birth.year,
            resident.male,
            RelativeKind::Match,
            Some(&resident.id_number),
        );
    }
    // Near misses: a person's given name with another father's name, born years apart.
    let fathers: Vec<&'static str> = known.iter().map(|(_, [_, f])| *f).collect();
    for (resident, [given, father]) in known.iter().skip(matches).take(matches / 2) {
        let others: Vec<&&'static str> = fathers
            .iter()
            .filter(|f| **f != *father && **f != *given)
            .collect();
        let Some(other) = others.choose(rng) else {
            continue;
        };
        let year = resident.birth.year + rng.random_range(6..12);
        add(
            format!("{} {}", title(given), title(other)),
            "latin",
            year,
            resident.male,
            RelativeKind::NearMiss,
            None,
        );
    }
    for _ in 0..matches / 2 {
        let first = ["Zumret", "Dilnur", "Abduqadir", "Nurmemet", "Gheni"]
            .choose(rng)
            .copied()
            .unwrap_or("Gheni");
        let last = ["Qasimova", "Hemrayev", "Yunusov", "Tashkentova"]
            .choose(rng)
            .copied()
            .unwrap_or("Yunusov");
        add(
            format!("{first} {last}"),
            "latin",
            rng.random_range(1950..2000),
            rng.random_bool(0.5),
            RelativeKind::Unrelated,
            None,
        );
    }
    (csv, truth)
}

/// The ULY spellings of a two-part name (given·father), when both parts are known.
fn latin_parts(name: &str) -> Option<[&'static str; 2]> {
    let (given, father) = name.split_once('·')?;
    Some([LATIN.get(given)?.0, LATIN.get(father)?.0])
}

/// A name in one of three writings, in turn: ULY, Uyghur Arabic script, an English spelling.
fn spelled(index: usize, given: &str, father: &str) -> (String, &'static str) {
    let latin = format!("{} {}", title(given), title(father));
    match index % 3 {
        0 => (latin, "latin"),
        1 => match umsc::convert(
            &format!("{given} {father}"),
            umsc::Script::Uls,
            umsc::Script::Uas,
        ) {
            Ok(arabic) if !arabic.trim().is_empty() => (arabic, "arabic"),
            _ => (latin, "latin"),
        },
        _ => (
            title(&english(given)) + " " + &title(&english(father)),
            "english",
        ),
    }
}

/// An English spelling of a ULY name, as relatives abroad often write: no diacritics,
/// q as k, x as kh, gh as g.
fn english(uly: &str) -> String {
    uly.replace('ö', "o")
        .replace('ü', "u")
        .replace('é', "e")
        .replace("gh", "g")
        .replace('q', "k")
        .replace('x', "kh")
}

fn title(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
