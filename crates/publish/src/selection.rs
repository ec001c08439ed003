//! One pass over a case's persons: each judged by the rules (see [`crate::select`]), the
//! published kept with their records, the withheld counted by reason, and every name that
//! must not appear gathered for redaction and the leak scanner.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use trove_model::{BlobId, PublicationDecision, Record, SubjectKind, VerificationStatus};
use trove_records::stats::Population;
use trove_store::{CaseCatalog, Catalog, StoreError};

use crate::person::{age_at_capture, names_of};
use crate::rules::Rules;
use crate::select::{Standing, Verdict, Withheld, judge};

/// A person the rules publish, with what their page draws on.
pub struct Chosen {
    /// The person key.
    pub key: String,
    /// Every record of the person.
    pub records: Vec<Record>,
    /// Name and photo may appear.
    pub identity: bool,
    /// The photo linked to the person, and the day it was taken.
    pub photo: Option<(BlobId, Option<NaiveDate>)>,
    /// The current verification status.
    pub status: Option<VerificationStatus>,
}

/// A person the rules withhold, for the preview.
#[derive(Debug, Clone, Serialize)]
pub struct WithheldPerson {
    /// The person key.
    pub key: String,
    /// The first name the records give.
    pub name: Option<String>,
    /// Why the person is withheld.
    pub reason: Withheld,
}

/// What the rules make of a whole case.
pub struct Selection {
    /// The persons the rules publish.
    pub chosen: Vec<Chosen>,
    /// The persons they withhold.
    pub withheld: Vec<WithheldPerson>,
    /// Names (as written) of persons whose name is not published: withheld persons and
    /// minors published without identity.
    pub withheld_names: Vec<String>,
    /// Every person's facts, for the statistics pages (counts only).
    pub population: Population,
}

impl Selection {
    /// Chosen persons published without name or photo (a minor, an unknown age).
    pub fn without_identity(&self) -> usize {
        self.chosen.iter().filter(|c| !c.identity).count()
    }

    /// Withheld persons counted by reason, the commonest first.
    pub fn withheld_by_reason(&self) -> Vec<(Withheld, usize)> {
        let mut counts: BTreeMap<Withheld, usize> = BTreeMap::new();
        for person in &self.withheld {
            *counts.entry(person.reason).or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by_key(|&(reason, count)| (std::cmp::Reverse(count), reason));
        counts
    }

    /// The same, each reason in words.
    pub fn withheld_counts(&self) -> Vec<(&'static str, usize)> {
        self.withheld_by_reason()
            .into_iter()
            .map(|(reason, count)| (reason.reason(), count))
            .collect()
    }
}

/// Judges every person of `catalog` by `rules`.
pub fn select(catalog: &dyn CaseCatalog, rules: &Rules) -> Result<Selection, StoreError> {
    let statuses = catalog.current_statuses(SubjectKind::Person)?;
    let decisions: HashMap<String, PublicationDecision> = catalog.publication_decisions()?;
    let mut population = Population::default();
    let mut withheld = Vec::new();
    let mut withheld_names = Vec::new();
    // Persons who pass every rule but age: their photos are looked up after the pass,
    // which may not call back into the catalog.
    let mut passing: Vec<(String, Vec<Record>)> = Vec::new();
    catalog.for_each_person(&mut |key, records| {
        population.add(&records);
        let standing = Standing {
            status: statuses.get(key).copied(),
            decision: decisions.get(key),
            age_at_capture: None,
        };
        match judge(&rules.persons, &standing) {
            Verdict::Withheld(reason) => {
                withheld_names.extend(names_of(&records).map(str::to_owned));
                withheld.push(WithheldPerson {
                    key: key.to_owned(),
                    name: names_of(&records).next().map(str::to_owned),
                    reason,
                });
            }
            _ => passing.push((key.to_owned(), records)),
        }
        Ok(())
    })?;
    let mut chosen = Vec::with_capacity(passing.len());
    for (key, records) in passing {
        let photo = first_photo(catalog, &key)?;
        let photographed = photo.as_ref().and_then(|(_, day)| *day);
        let standing = Standing {
            status: statuses.get(&key).copied(),
            decision: decisions.get(&key),
            age_at_capture: age_at_capture(&records, photographed),
        };
        let identity = judge(&rules.persons, &standing) == Verdict::Published;
        if !identity {
            withheld_names.extend(names_of(&records).map(str::to_owned));
        }
        chosen.push(Chosen {
            status: standing.status,
            key,
            records,
            identity,
            photo,
        });
    }
    withheld_names.sort();
    withheld_names.dedup();
    Ok(Selection {
        chosen,
        withheld,
        withheld_names,
        population,
    })
}

/// The first photo linked to a person, with the day its EXIF says it was taken.
fn first_photo(
    catalog: &dyn CaseCatalog,
    key: &str,
) -> Result<Option<(BlobId, Option<NaiveDate>)>, StoreError> {
    let Some(link) = catalog.person_photos(key)?.into_iter().next() else {
        return Ok(None);
    };
    let taken = Catalog::document(catalog, &link.blob)?
        .and_then(|document| document.metadata.image)
        .and_then(|image| image.exif.date_time_original)
        .and_then(|time| exif_day(&time));
    Ok(Some((link.blob, taken)))
}

/// The day of an EXIF time (`2018:03:01 09:15:00`).
fn exif_day(time: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(time.get(..10)?, "%Y:%m:%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_times_give_their_day() {
        assert_eq!(
            exif_day("2018:03:01 09:15:00"),
            NaiveDate::from_ymd_opt(2018, 3, 1)
        );
        assert_eq!(exif_day("2018-03"), None);
    }
}
