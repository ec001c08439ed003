//! The authenticity report: what the machine can check of a leak's genuineness, each
//! finding with how strong it is and the evidence a reviewer opens to judge it.
//!
//! Sections: [`ids`] (resident ID numbers against their rows and each other), [`photos`]
//! (cameras and their clocks), [`duplicates`] (one file at several paths, one picture
//! under several files), [`documents`] (authors, programs, dates, encodings). The report
//! is a pure function of the facts it is handed: the same store gives the same report.

mod archives;
mod documents;
mod duplicates;
pub mod html;
mod ids;
mod photos;
mod time;
pub mod words;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use trove_model::{BlobId, FileKind, ImageFacts, Metadata, Record};

pub use words::{Value, Words};

/// What the report reads.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// Every person record.
    pub records: &'a [Record],
    /// Every image, with the ID numbers its name or EXIF carries.
    pub images: &'a [ImageFact],
    /// Every other extracted document.
    pub documents: &'a [DocumentFact],
    /// The dates the leak is believed to cover, and today.
    pub window: DateWindow,
    /// The store digest the facts come from (see [`crate::digest`]).
    pub store_digest: &'a str,
}

/// An image and what it carries.
#[derive(Debug, Clone)]
pub struct ImageFact {
    /// The image.
    pub blob: BlobId,
    /// Every path it was seen at.
    pub paths: Vec<String>,
    /// Dimensions, EXIF, perceptual hash.
    pub facts: ImageFacts,
    /// Resident ID numbers read from its file name or EXIF.
    pub id_numbers: Vec<String>,
    /// The earliest modification time an archive records for it, when it was found in
    /// one (archives keep local time, without a zone).
    pub archived_at: Option<NaiveDateTime>,
}

/// A document other than an image.
#[derive(Debug, Clone)]
pub struct DocumentFact {
    /// The document.
    pub blob: BlobId,
    /// Its kind.
    pub kind: FileKind,
    /// Every path it was seen at.
    pub paths: Vec<String>,
    /// Its metadata.
    pub metadata: Metadata,
    /// The earliest modification time an archive records for it, when it was found in
    /// one.
    pub archived_at: Option<NaiveDateTime>,
}

/// The dates a leak is believed to cover (either end may be unknown), and today: a date
/// after today is impossible, one outside the window is to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    /// The earliest date the leak's material should carry.
    pub from: Option<NaiveDate>,
    /// The latest.
    pub until: Option<NaiveDate>,
    /// The day the report is made.
    pub today: NaiveDate,
}

impl DateWindow {
    /// How a date sits against the window: `None` when it is inside.
    fn judge(&self, date: NaiveDate) -> Option<(Strength, Words)> {
        let said = |key| Words::new(key).arg("date", date);
        if date > self.today {
            return Some((Strength::Strong, said("authenticity.when.after_today")));
        }
        if self.until.is_some_and(|until| date > until) {
            return Some((Strength::Anomaly, said("authenticity.when.after_end")));
        }
        if self.from.is_some_and(|from| date < from) {
            return Some((Strength::Anomaly, said("authenticity.when.before_start")));
        }
        None
    }
}

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// A fact for the record (an inventory, a distribution).
    Fact,
    /// Something a person should look at: it has innocent explanations.
    Anomaly,
    /// Something hard to explain in genuine material.
    Strong,
}

impl Strength {
    /// The word the text report uses.
    pub fn label(self) -> &'static str {
        match self {
            Strength::Fact => "fact",
            Strength::Anomaly => "anomaly to check",
            Strength::Strong => "strong anomaly",
        }
    }
}

/// The report's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Resident ID numbers.
    Ids,
    /// Photos and cameras.
    Photos,
    /// Duplicates.
    Duplicates,
    /// Document metadata.
    Documents,
}

impl Section {
    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::Ids => "Identity numbers",
            Section::Photos => "Photos and cameras",
            Section::Duplicates => "Duplicates",
            Section::Documents => "Documents",
        }
    }
}

/// What a finding points at, for a reviewer to open.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    /// A row of a sheet (a person record).
    Row {
        /// The spreadsheet.
        blob: String,
        /// The sheet part.
        part: u32,
        /// The 1-based row.
        row: u32,
        /// The first column of the row's table.
        column: u32,
        /// `sheet 名单, row 12`.
        place: String,
        /// The sheet's name, as the leak writes it: with `row` and `column`, the place
        /// said in another language. Not in the JSON, whose `place` says it in English.
        #[serde(skip)]
        sheet: Option<String>,
    },
    /// A document or photo.
    Document {
        /// The file.
        blob: String,
        /// A path it was seen at.
        path: String,
    },
}

impl Evidence {
    fn row(record: &Record) -> Evidence {
        Evidence::Row {
            blob: record.source.blob.to_string(),
            part: record.source.part,
            row: record.source.row,
            column: record.source.column,
            place: record.source.describe(),
            sheet: record.source.sheet.clone(),
        }
    }

    fn document(blob: &BlobId, paths: &[String]) -> Evidence {
        Evidence::Document {
            blob: blob.to_string(),
            path: paths.first().cloned().unwrap_or_default(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A short id, the same in every report while the finding's code, statement and
    /// evidence are: what a reviewer's conclusion is kept under.
    pub id: String,
    /// Its section.
    pub section: Section,
    /// A stable code for scripts (`id_check_digit`, `camera_clock_jump` …).
    pub code: String,
    /// How much it weighs.
    pub strength: Strength,
    /// What was found, in plain English words: [`Finding::words`] said in English.
    pub statement: String,
    /// What was found, as words to say in any language (a page says them in its
    /// reader's); not in the JSON, which keeps the English statement.
    #[serde(skip)]
    pub words: Words,
    /// Where to look.
    pub evidence: Vec<Evidence>,
}

impl Finding {
    fn new(section: Section, code: &str, strength: Strength, words: Words) -> Finding {
        Finding {
            id: String::new(),
            section,
            code: code.to_owned(),
            strength,
            statement: words.english(),
            words,
            evidence: Vec::new(),
        }
    }

    fn with(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Finding {
        self.evidence.extend(evidence);
        self.evidence.sort();
        self.evidence.dedup();
        self
    }

    /// The id: BLAKE3 over the code, the statement and the evidence, 16 hex digits.
    fn identify(&mut self) {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.code.as_bytes());
        hasher.update(b"\0");
        hasher.update(self.statement.as_bytes());
        for evidence in &self.evidence {
            hasher.update(b"\0");
            let key = match evidence {
                Evidence::Row {
                    blob,
                    part,
                    row,
                    column,
                    ..
                } => format!("{blob}/{part}/{row}/{column}"),
                Evidence::Document { blob, path } => format!("{blob}/{path}"),
            };
            hasher.update(key.as_bytes());
        }
        self.id = hasher.finalize().to_hex()[..16].to_owned();
    }
}

/// How many findings of each strength.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Facts for the record.
    pub facts: usize,
    /// Anomalies to check.
    pub anomalies: usize,
    /// Strong anomalies.
    pub strong: usize,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The store digest the report was computed from.
    pub store_digest: String,
    /// The window dates were judged against.
    pub from: Option<NaiveDate>,
    /// The window's end.
    pub until: Option<NaiveDate>,
    /// Counts by strength.
    pub summary: Summary,
    /// Every finding, by section, strongest first.
    pub findings: Vec<Finding>,
    /// Each camera's photos per day, for its timeline.
    pub cameras: Vec<CameraTimeline>,
}

/// How many photos a camera took on each day it took any, by its EXIF clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CameraTimeline {
    /// The camera as the inventory names it.
    pub camera: String,
    /// (day, photos), in day order.
    pub days: Vec<(NaiveDate, u32)>,
}

/// Makes the report.
pub fn report(facts: &Facts<'_>) -> Report {
    let mut findings = Vec::new();
    findings.extend(ids::findings(facts.records));
    findings.extend(photos::findings(facts.images, facts.records, &facts.window));
    findings.extend(duplicates::findings(facts.images, facts.documents));
    findings.extend(documents::findings(facts.documents, &facts.window));
    findings.extend(archives::findings(facts.images, facts.documents));
    findings.sort_by(|a, b| {
        (
            a.section,
            std::cmp::Reverse(a.strength),
            &a.code,
            &a.statement,
        )
            .cmp(&(
                b.section,
                std::cmp::Reverse(b.strength),
                &b.code,
                &b.statement,
            ))
    });
    for finding in &mut findings {
        finding.identify();
    }
    let count = |strength| findings.iter().filter(|f| f.strength == strength).count();
    Report {
        store_digest: facts.store_digest.to_owned(),
        from: facts.window.from,
        until: facts.window.until,
        summary: Summary {
            facts: count(Strength::Fact),
            anomalies: count(Strength::Anomaly),
            strong: count(Strength::Strong),
        },
        findings,
        cameras: camera_timelines(facts.images),
    }
}

/// Photos per day of each camera (make, model, body serial), for charts drawn apart
/// from the report; the report's `cameras` are these.
pub fn camera_timelines(images: &[ImageFact]) -> Vec<CameraTimeline> {
    photos::timelines(images)
}

/// Each finding's code and strength, in order: what tests compare.
#[cfg(test)]
pub(crate) fn codes_of(found: &[Finding]) -> Vec<(&str, Strength)> {
    found
        .iter()
        .map(|f| (f.code.as_str(), f.strength))
        .collect()
}
