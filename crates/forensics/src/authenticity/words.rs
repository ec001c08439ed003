//! A finding's statement as words to say in any language: a message key and named values.
//! The English statement the command, the HTML report and the JSON carry is these words
//! said in English ([`Words::english`], from [`ENGLISH`]); the workbench says them in its
//! reader's language from its catalog, whose English is the same (a test of the workbench
//! checks). Values are data (ID numbers, dates, file names, counts) and stay as they are,
//! or are words themselves (`3 rows`, `12 days`).

use std::fmt;

/// A message key and its named values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The message key (`authenticity.finding.photo_edited`).
    pub key: &'static str,
    /// The values of its `{name}` placeholders.
    pub values: Vec<(&'static str, Value)>,
}

/// A value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Data, the same in every language.
    Text(String),
    /// Words, said in the reader's language.
    Words(Words),
}

impl From<Words> for Value {
    fn from(words: Words) -> Value {
        Value::Words(words)
    }
}

impl Value {
    /// The value in English: data as it is, words said.
    pub fn english_or_text(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Words(words) => words.english(),
        }
    }
}

impl Words {
    /// The message `key`, to fill with [`Words::arg`] and [`Words::words`].
    pub fn new(key: &'static str) -> Words {
        Words {
            key,
            values: Vec::new(),
        }
    }

    /// Fills `{name}` with data.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Words {
        self.values.push((name, Value::Text(value.to_string())));
        self
    }

    /// Fills `{name}` with a value (data or words).
    pub fn value(mut self, name: &'static str, value: impl Into<Value>) -> Words {
        self.values.push((name, value.into()));
        self
    }

    /// The words said with `template` (the message in some language), each nested
    /// [`Value::Words`] said by `say`: each `{name}` with a value replaced by it.
    pub fn fill(&self, template: &str, say: &dyn Fn(&Words) -> String) -> String {
        let value_of = |name: &str| {
            let (_, value) = self.values.iter().find(|(n, _)| *n == name)?;
            Some(match value {
                Value::Text(text) => text.clone(),
                Value::Words(words) => say(words),
            })
        };
        trove_model::fill_placeholders(template, &value_of)
    }

    /// The words in English: the statement.
    pub fn english(&self) -> String {
        self.fill(english(self.key), &Words::english)
    }
}

/// The English of `key` (the key itself for one [`ENGLISH`] lacks, which a test keeps
/// from happening).
pub fn english(key: &str) -> &'static str {
    ENGLISH
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("(missing text)", |(_, text)| text)
}

/// Every message a finding's statement is made of, in English.
pub const ENGLISH: &[(&str, &str)] = &[
    // Counts.
    ("authenticity.count.row", "1 row"),
    ("authenticity.count.rows", "{n} rows"),
    ("authenticity.count.number", "1 number"),
    ("authenticity.count.numbers", "{n} numbers"),
    ("authenticity.count.photo", "1 photo"),
    ("authenticity.count.photos", "{n} photos"),
    ("authenticity.count.document", "1 document"),
    ("authenticity.count.documents", "{n} documents"),
    ("authenticity.count.minutes", "{n} minutes"),
    ("authenticity.count.hours", "{n} hours"),
    ("authenticity.count.days", "{n} days"),
    // Dates against the leak's window.
    ("authenticity.when.after_today", "{date} is after today"),
    (
        "authenticity.when.after_end",
        "{date} is after the leak's end",
    ),
    (
        "authenticity.when.before_start",
        "{date} is before the leak's start",
    ),
    // Identity numbers.
    (
        "authenticity.finding.id_flagged",
        "{rows} of {with_number} with an ID number ({share}%): {meaning}",
    ),
    (
        "authenticity.flag.id_check_digit",
        "the check character does not match the other 17 digits (a typing error, or a made-up number)",
    ),
    (
        "authenticity.flag.id_region_retired_before_birth",
        "the region code was retired before the holder was born: no number was ever issued under it then",
    ),
    (
        "authenticity.flag.id_unknown_region",
        "the region code is in no table of codes in use",
    ),
    (
        "authenticity.flag.id_future_birth",
        "the number encodes a birth after the day it is read as of",
    ),
    (
        "authenticity.flag.id_birth_date",
        "the number's birth digits are no possible date",
    ),
    (
        "authenticity.flag.sex_mismatch",
        "the sex column contradicts the number's sex digit",
    ),
    (
        "authenticity.flag.birth_date_mismatch",
        "the birth date column contradicts the number",
    ),
    (
        "authenticity.flag.age_mismatch",
        "the age column contradicts the number's birth date",
    ),
    (
        "authenticity.flag.address_county_mismatch",
        "the address names another county than the number's region code",
    ),
    (
        "authenticity.finding.id_many_names",
        "ID number {number} is given to {count} names: {names}",
    ),
    (
        "authenticity.finding.id_sex_digit_agreement",
        "the sex column agrees with the ID number's sex digit (odd: male) on {agreeing} of {rows} rows ({share}%); in genuine registers both come from the same card and agree almost always",
    ),
    (
        "authenticity.finding.id_birth_day_distribution",
        "of {dates} birth dates in valid numbers, {firsts}% fall on the 1st of a month (3.3% if days were even) and {new_year}% on 1 January (0.27% if even); heaping there is what real registers show for people whose day was unknown",
    ),
    (
        "authenticity.finding.id_sequence_codes",
        "the {total} distinct valid numbers carry {codes} distinct sequence codes (digits 15–17); the commonest, {code}, is on {numbers} ({share}%); first sequence digit: {spread} (random digits would give 10% each; real allocations cluster by police station)",
    ),
    (
        "authenticity.finding.id_birth_years",
        "birth years of {years} valid numbers, by decade: {decades}; {ages}",
    ),
    ("authenticity.finding.ages_none", "no row writes an age"),
    (
        "authenticity.finding.ages_agree",
        "the age column agrees with the number's birth date on {agreeing} of {rows} rows that write one ({share}%)",
    ),
    // Photos and cameras.
    (
        "authenticity.finding.camera_serial",
        "{camera} (serial {serial})",
    ),
    (
        "authenticity.finding.camera",
        "{camera}: {photos}, first shot {first}, last {last}{lenses}",
    ),
    (
        "authenticity.finding.camera_undated",
        "{camera}: {photos}, no shot dated{lenses}",
    ),
    ("authenticity.finding.lenses", "; lens {lenses}"),
    (
        "authenticity.finding.photo_date_outside_leak",
        "{name} was taken at {at} by its EXIF: {why}",
    ),
    (
        "authenticity.finding.photo_name_time_disagrees",
        "{name}: the file name says {named}, the EXIF {at} ({apart} apart)",
    ),
    (
        "authenticity.finding.photo_digitized_apart",
        "{name}: taken {taken} but digitized {digitized} ({apart} apart); a camera writes both at once",
    ),
    (
        "authenticity.finding.photo_before_detention",
        "{name} carries ID number {number}, whose records give detention from {since}, but was taken {days} days before, on {at}",
    ),
    (
        "authenticity.finding.photo_before_birth",
        "{name} carries ID number {number} (born {birth}) but was taken at {at}, before that birth",
    ),
    (
        "authenticity.finding.photo_edited",
        "{name} was last written by {software}, an image editor",
    ),
    (
        "authenticity.finding.camera_clock_back",
        "{camera}: the clock goes back {span} between {name_a} ({at_a}) and {name_b} ({at_b})",
    ),
    (
        "authenticity.finding.camera_clock_forward",
        "{camera}: the clock jumps forward {span} between {name_a} ({at_a}) and {name_b} ({at_b})",
    ),
    // Duplicates.
    (
        "authenticity.finding.same_file_many_paths_one",
        "1 file was found at more than one path",
    ),
    (
        "authenticity.finding.same_file_many_paths",
        "{count} files were found at more than one path",
    ),
    (
        "authenticity.finding.same_file_names",
        "one file under {count} names: {names}",
    ),
    (
        "authenticity.finding.photos_too_alike",
        "{count} pictures lie within a few bits of each other: too alike (one backdrop and framing) for the perceptual hash to tell reuse from likeness; compare them by eye: {names}{more} (perceptual hashes within {bits} of 64 bits)",
    ),
    (
        "authenticity.finding.same_photo_two_ids",
        "one picture filed under {count} ID numbers ({numbers}): {names}{more} (perceptual hashes within {bits} of 64 bits)",
    ),
    (
        "authenticity.finding.near_duplicate_photos",
        "one picture in several files: {names}{more} (perceptual hashes within {bits} of 64 bits)",
    ),
    ("authenticity.finding.and_more", " and {more} more"),
    // Documents.
    (
        "authenticity.finding.document_generator",
        "generator {value}: {documents}",
    ),
    (
        "authenticity.finding.document_author",
        "author {value}: {documents}",
    ),
    (
        "authenticity.finding.document_last_editor",
        "last editor {value}: {documents}",
    ),
    (
        "authenticity.finding.document_dates",
        "documents created by year: {created}; last saved by year: {saved}",
    ),
    ("authenticity.finding.none_dated", "none dated"),
    (
        "authenticity.finding.document_created_outside_leak",
        "{name} says it was created on {date}: {why}",
    ),
    (
        "authenticity.finding.document_modified_outside_leak",
        "{name} says it was modified on {date}: {why}",
    ),
    ("authenticity.finding.a_document", "a document"),
    (
        "authenticity.finding.document_saved_before_its_writer",
        "{name} says it was last saved on {saved}, before {writer} existed ({since}): a wrong clock, or metadata written by hand",
    ),
    (
        "authenticity.finding.office_version",
        "{office} (version {version})",
    ),
    (
        "authenticity.finding.ooxml",
        "the Office Open XML format (.docx, .xlsx, .pptx)",
    ),
    (
        "authenticity.finding.odf",
        "the OpenDocument format (.odt, .ods, .odp)",
    ),
    (
        "authenticity.finding.document_traditional_encoding",
        "{name} is written in {encoding} (Traditional Chinese), not the GBK or UTF-8 of mainland offices",
    ),
    (
        "authenticity.finding.document_traditional_script",
        "{name} is written in Traditional Chinese characters, not the Simplified ones of mainland offices",
    ),
    (
        "authenticity.finding.document_traditional_script_encoded",
        "{name} is written in Traditional Chinese characters (encoded as {encoding}), not the Simplified ones of mainland offices",
    ),
    (
        "authenticity.finding.member_taken_after_archive",
        "{name} was taken on {when} by its own metadata, after its archive recorded it as last changed on {archived}: the metadata, a clock or the archive was altered",
    ),
    (
        "authenticity.finding.member_saved_after_archive",
        "{name} was saved on {when} by its own metadata, after its archive recorded it as last changed on {archived}: the metadata, a clock or the archive was altered",
    ),
    (
        "authenticity.finding.an_archive_member",
        "an archive member",
    ),
];

/// `n thing` or `n things`, as words: `key_one` for one, `key_many` with `{n}` else.
pub(super) fn count(n: usize, key_one: &'static str, key_many: &'static str) -> Words {
    if n == 1 {
        Words::new(key_one)
    } else {
        Words::new(key_many).arg("n", n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_said_in_english_with_their_values() {
        let words = Words::new("authenticity.finding.id_flagged")
            .value(
                "rows",
                count(3, "authenticity.count.row", "authenticity.count.rows"),
            )
            .arg("with_number", 40)
            .arg("share", "7.5")
            .value("meaning", Words::new("authenticity.flag.sex_mismatch"));
        assert_eq!(
            words.english(),
            "3 rows of 40 with an ID number (7.5%): the sex column contradicts the number's sex digit"
        );
        let keys: std::collections::BTreeSet<&str> = ENGLISH.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys.len(), ENGLISH.len(), "a key twice");
    }
}
