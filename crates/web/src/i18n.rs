//! The workbench's words in the languages its users read: English, Simplified Chinese, and
//! Uyghur as its translations arrive. Every message lives in one catalog,
//! `i18n/messages.tsv` (key, then one column a language); pages say `chrome.t("key")`, or
//! `chrome.msg("key").arg("name", value)` for a message with placeholders, and name codes
//! (roles, review states) through [`Named`]. A message not yet translated falls back to
//! English. Leaked content is never translated: only the workbench's own words are. The
//! JSON API speaks English whatever its user reads: scripts parse it.
//!
//! Each user reads the language of their account; a visitor, the one their browser asks
//! for first. Pages know it through their chrome; the error page, which has none, through
//! the request's language ([`speak_per_request`]).
//!
//! Written here: the catalog is a table read once at start, which is all a server-rendered
//! workbench needs; Fluent or gettext would bring plural rules and a toolchain for a few
//! hundred fixed phrases.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use trove_forensics::authenticity::{Section, Strength};
use trove_model::{Consent, FailureReason, FindingReview, Review, Role, Stage, VerificationStatus};
use trove_records::stats::Dimension;
use trove_store::IngestStage;

/// The catalog, as compiled in.
const CATALOG: &str = include_str!("../i18n/messages.tsv");

/// A language the workbench speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    English,
    SimplifiedChinese,
    /// Uyghur in its Arabic script; the catalog's column fills as translators write it.
    Uyghur,
}

impl Lang {
    /// Every language, with its code (BCP 47, as `<html lang>` takes it) and its own name.
    pub const ALL: [(Lang, &'static str, &'static str); 3] = [
        (Lang::English, "en", "English"),
        (Lang::SimplifiedChinese, "zh-Hans", "简体中文"),
        (Lang::Uyghur, "ug", "ئۇيغۇرچە"),
    ];

    /// The language of `code`, if the workbench speaks it.
    pub fn from_code(code: &str) -> Option<Lang> {
        Self::ALL
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(lang, _, _)| *lang)
    }

    /// The language's code (`en`, `zh-Hans`, `ug`).
    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(lang, _, _)| *lang == self)
            .map_or("en", |(_, code, _)| code)
    }

    /// The language a browser asks for first among those the workbench speaks, by the
    /// weights of its `Accept-Language` header (`zh-CN,zh;q=0.9,en;q=0.8`); English when
    /// it asks for none of them. For visitors, who have no account setting yet.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let mut asked: Vec<(f32, Lang)> = header
            .unwrap_or_default()
            .split(',')
            .filter_map(|item| {
                let mut pieces = item.split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let weight = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let lang = match tag.split('-').next()? {
                    "zh" => Lang::SimplifiedChinese,
                    "ug" => Lang::Uyghur,
                    "en" => Lang::English,
                    _ => return None,
                };
                Some((weight, lang))
            })
            .collect();
        // Stable: equal weights keep the browser's order.
        asked.sort_by(|a, b| b.0.total_cmp(&a.0));
        asked.first().map_or(Lang::English, |(_, lang)| *lang)
    }

    /// The catalog's column of this language (English is column 0).
    fn column(self) -> usize {
        match self {
            Lang::English => 0,
            Lang::SimplifiedChinese => 1,
            Lang::Uyghur => 2,
        }
    }

    /// The message `key` in this language, in English where it is not translated yet, or
    /// "(missing text)" for a key the catalog lacks (a test keeps that from shipping).
    pub fn t(self, key: &str) -> &'static str {
        let Some(texts) = MESSAGES.get(key) else {
            return "(missing text)";
        };
        match texts[self.column()] {
            "" => texts[0],
            text => text,
        }
    }

    /// The message `key` with `{name}` placeholders, to fill with [`Message::arg`].
    pub fn msg(self, key: &str) -> Message {
        Message {
            text: self.t(key),
            args: Vec::new(),
        }
    }

    /// The name of a code (a role, a review's state) in this language.
    pub fn name(self, code: impl Named) -> &'static str {
        self.t(code.key())
    }
}

/// A catalog message with its `{name}` placeholders filled: `{{ chrome.msg("photos.count")
/// .arg("total", total) }}`. Word order is the translation's: each language places the
/// values where its sentence needs them. A value is never read for placeholders or marks,
/// and the template escapes the whole.
///
/// A message may mark runs for the template to wrap: `` `a command` `` in `<code>`,
/// `*a word*` in `<strong>`. Such a message is shown through `rich.html`, which escapes
/// each run; shown plainly, its marks would show.
#[derive(Debug, Clone)]
pub struct Message {
    text: &'static str,
    args: Vec<(&'static str, String)>,
}

/// A run of a message: plain, code or strong text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub code: bool,
    pub strong: bool,
}

impl Message {
    /// Fills the placeholder `{name}` with `value`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The message cut at its marks, each run filled.
    pub fn runs(&self) -> Vec<Run> {
        let mut runs = Vec::new();
        let (mut code, mut strong) = (false, false);
        let mut start = 0;
        let mut push = |text: &str, code: bool, strong: bool| {
            if !text.is_empty() {
                runs.push(Run {
                    text: self.fill(text),
                    code,
                    strong,
                });
            }
        };
        for (at, mark) in self.text.char_indices() {
            // A `*` inside code is the code's own (`prefix*`).
            if mark != '`' && (mark != '*' || code) {
                continue;
            }
            push(&self.text[start..at], code, strong);
            if mark == '`' {
                code = !code;
            } else {
                strong = !strong;
            }
            start = at + 1;
        }
        push(&self.text[start..], code, strong);
        runs
    }

    /// `text` with each `{name}` the message has a value for replaced by that value.
    fn fill(&self, text: &str) -> String {
        let value_of = |name: &str| {
            let (_, value) = self.args.iter().find(|(n, _)| *n == name)?;
            Some(value.clone())
        };
        trove_model::fill_placeholders(text, &value_of)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fill(self.text))
    }
}

/// A catalog message with its values, said once its reader's language is known: a
/// request's problem, found before the handler knows whether a page (in the reader's
/// language) or the JSON API (in English) tells it. Shown as itself, it is English.
#[derive(Debug, Clone)]
pub struct Phrase {
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Phrase {
    /// The message `key`, to fill with [`Phrase::arg`].
    pub fn new(key: &'static str) -> Self {
        Phrase {
            key,
            args: Vec::new(),
        }
    }

    /// Fills the placeholder `{name}` with `value`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The phrase in `lang`.
    pub fn said_in(&self, lang: Lang) -> String {
        let mut message = lang.msg(self.key);
        message.args.clone_from(&self.args);
        message.to_string()
    }
}

impl From<&trove_store::RecordQueryError> for Phrase {
    /// A records query that cannot be read, in the catalog's words.
    fn from(error: &trove_store::RecordQueryError) -> Phrase {
        use trove_store::RecordQueryError;
        match error {
            RecordQueryError::UnknownField { field, term } => Phrase::new("error.query_field")
                .arg("field", field)
                .arg("term", term)
                .arg("fields", trove_store::RECORD_QUERY_FIELDS),
            RecordQueryError::Validity { value } => {
                Phrase::new("error.query_valid").arg("value", value)
            }
            RecordQueryError::Blob { value } => Phrase::new("error.query_blob").arg("value", value),
        }
    }
}

impl From<&trove_model::ParseCodeError> for Phrase {
    /// A code a form sent that is none of the codes it may send.
    fn from(error: &trove_model::ParseCodeError) -> Phrase {
        Phrase::new("error.bad_code")
            .arg("input", &error.input)
            .arg("what", error.what)
            .arg("choices", error.choices)
    }
}

impl fmt::Display for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.said_in(Lang::English))
    }
}

/// A code the pages show by name (a role, a review's state, a score band): its message
/// key. The code itself stays what forms send and scripts read; only its name is
/// translated. Codes that users type (file types, record statuses, list kinds, flags:
/// `type:pdf`, `status:training_centre`) are shown as they are typed, and have no name.
pub trait Named {
    fn key(&self) -> &'static str;
}

impl<T: Named + ?Sized> Named for &T {
    fn key(&self) -> &'static str {
        (**self).key()
    }
}

impl Named for Role {
    fn key(&self) -> &'static str {
        match self {
            Role::Viewer => "role.viewer",
            Role::Reviewer => "role.reviewer",
            Role::Editor => "role.editor",
            Role::Admin => "role.admin",
        }
    }
}

impl Named for Review {
    fn key(&self) -> &'static str {
        match self {
            Review::Unreviewed => "review.state.unreviewed",
            Review::Accepted => "review.state.accepted",
            Review::Rejected => "review.state.rejected",
            Review::Unsure => "review.state.unsure",
        }
    }
}

impl Named for VerificationStatus {
    fn key(&self) -> &'static str {
        match self {
            VerificationStatus::Unverified => "verification.status.unverified",
            VerificationStatus::Corroborated => "verification.status.corroborated",
            VerificationStatus::Verified => "verification.status.verified",
            VerificationStatus::Disputed => "verification.status.disputed",
        }
    }
}

impl Named for Consent {
    fn key(&self) -> &'static str {
        match self {
            Consent::Unrecorded => "publication.consent.unrecorded",
            Consent::FamilyConsent => "publication.consent.family_consent",
            Consent::PublicInterest => "publication.consent.public_interest",
            Consent::Withheld => "publication.consent.withheld",
        }
    }
}

impl Named for FindingReview {
    fn key(&self) -> &'static str {
        match self {
            FindingReview::Explained => "authenticity.review.explained",
            FindingReview::Confirmed => "authenticity.review.confirmed",
            FindingReview::NeedsWork => "authenticity.review.needs_work",
        }
    }
}

impl Named for Strength {
    fn key(&self) -> &'static str {
        match self {
            Strength::Fact => "authenticity.strength.fact",
            Strength::Anomaly => "authenticity.strength.anomaly",
            Strength::Strong => "authenticity.strength.strong",
        }
    }
}

impl Named for Section {
    fn key(&self) -> &'static str {
        match self {
            Section::Ids => "authenticity.section.ids",
            Section::Photos => "authenticity.section.photos",
            Section::Duplicates => "authenticity.section.duplicates",
            Section::Documents => "authenticity.section.documents",
        }
    }
}

impl Named for Dimension {
    fn key(&self) -> &'static str {
        match self {
            Dimension::Township => "stats.by.township",
            Dimension::Village => "stats.by.village",
            Dimension::Age => "stats.by.age",
            Dimension::Sex => "stats.by.sex",
            Dimension::Status => "stats.by.status",
            Dimension::Ethnicity => "stats.by.ethnicity",
        }
    }
}

impl Named for IngestStage {
    fn key(&self) -> &'static str {
        match self {
            IngestStage::Files => "case.ingest.stage.files",
            IngestStage::Records => "case.ingest.stage.records",
            IngestStage::Ocr => "case.ingest.stage.ocr",
        }
    }
}

impl Named for Stage {
    fn key(&self) -> &'static str {
        match self {
            Stage::Walk => "failure.stage.walk",
            Stage::Unpack => "failure.stage.unpack",
            Stage::Read => "failure.stage.read",
            Stage::Store => "failure.stage.store",
            Stage::Extract => "failure.stage.extract",
            Stage::Index => "failure.stage.index",
        }
    }
}

impl Named for FailureReason {
    fn key(&self) -> &'static str {
        match self {
            FailureReason::Encrypted => "failure.reason.encrypted",
            FailureReason::Corrupt => "failure.reason.corrupt",
            FailureReason::PathTraversal => "failure.reason.path_traversal",
            FailureReason::LinkOutsideTree => "failure.reason.link_outside_tree",
            FailureReason::DecompressionBomb => "failure.reason.decompression_bomb",
            FailureReason::MissingVolume => "failure.reason.missing_volume",
            FailureReason::TooDeep => "failure.reason.too_deep",
            FailureReason::TooLarge => "failure.reason.too_large",
            FailureReason::Io => "failure.reason.io",
            FailureReason::Changed => "failure.reason.changed",
            FailureReason::TimedOut => "failure.reason.timed_out",
        }
    }
}

tokio::task_local! {
    /// The language of the request being answered: the browser's until the user is known,
    /// then the user's. Read where no page chrome is at hand (the error page).
    static REQUEST_LANG: Cell<Lang>;
}

/// Middleware: answers each request in a scope that knows its language (see
/// [`request_lang`]), starting from what the browser asks for.
pub(crate) async fn speak_per_request(request: Request, next: Next) -> Response {
    let asked = Lang::from_accept_language(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    );
    REQUEST_LANG
        .scope(Cell::new(asked), next.run(request))
        .await
}

/// The request is the user's, who reads `lang` (set by [`crate::auth::CurrentUser`]).
pub(crate) fn set_request_lang(lang: Lang) {
    let _ = REQUEST_LANG.try_with(|current| current.set(lang));
}

/// The language of the request being answered; English outside a request.
pub(crate) fn request_lang() -> Lang {
    REQUEST_LANG.try_with(Cell::get).unwrap_or_default()
}

/// key → [English, Chinese, Uyghur].
static MESSAGES: LazyLock<HashMap<&'static str, [&'static str; 3]>> = LazyLock::new(|| {
    CATALOG
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let key = columns.next()?;
            let mut texts = [""; 3];
            for text in &mut texts {
                *text = columns.next().unwrap_or("");
            }
            Some((key, texts))
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::{Path, PathBuf};

    /// The files under `dir` (recursively) whose names end in `extension`, with their text.
    fn files(dir: &Path, extension: &str) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files(&path, extension));
            } else if path.extension().is_some_and(|e| e == extension) {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
        found.sort();
        found
    }

    fn templates() -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        files(&dir, "html")
            .into_iter()
            .map(|(path, text)| (path.file_name().unwrap().to_string_lossy().into(), text))
            .collect()
    }

    fn sources() -> Vec<(PathBuf, String)> {
        files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "rs")
    }

    /// Every `….t("…")` and `….msg("…")` of every template, with the template's name.
    fn keys_used() -> Vec<(String, String)> {
        let mut used = Vec::new();
        for (template, text) in templates() {
            for call in [".t(\"", ".msg(\""] {
                for piece in text.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap().to_owned();
                    used.push((template.clone(), key));
                }
            }
        }
        used
    }

    #[test]
    fn every_key_a_template_uses_has_english_and_chinese() {
        let used = keys_used();
        assert!(used.len() >= 20, "{used:?}");
        for (template, key) in used {
            let texts = MESSAGES
                .get(key.as_str())
                .unwrap_or_else(|| panic!("{template} uses {key}, which i18n/messages.tsv lacks"));
            assert!(
                !texts[0].is_empty() && !texts[1].is_empty(),
                "{key} untranslated"
            );
        }
    }

    #[test]
    fn an_untranslated_message_falls_back_to_english() {
        assert_eq!(Lang::SimplifiedChinese.t("nav.cases"), "案件");
        assert_eq!(Lang::Uyghur.t("nav.cases"), "Cases");
        assert_eq!(Lang::English.t("no.such.key"), "(missing text)");
        assert_eq!(Lang::from_code("zh-Hans"), Some(Lang::SimplifiedChinese));
        assert_eq!(Lang::SimplifiedChinese.code(), "zh-Hans");
    }

    #[test]
    fn query_and_code_errors_say_in_english_what_their_crates_say() {
        for error in [
            trove_store::parse_record_query(&["sex:x colour:red"]).unwrap_err(),
            trove_store::parse_record_query(&["valid:maybe"]).unwrap_err(),
            trove_store::parse_record_query(&["blob:abc"]).unwrap_err(),
        ] {
            let phrase = Phrase::from(&error);
            assert_eq!(phrase.said_in(Lang::English), error.to_string());
            assert_ne!(phrase.said_in(Lang::SimplifiedChinese), error.to_string());
        }
        let error = "maybe".parse::<VerificationStatus>().unwrap_err();
        let phrase = Phrase::from(&error);
        assert_eq!(phrase.said_in(Lang::English), error.to_string());
        assert_ne!(phrase.said_in(Lang::SimplifiedChinese), error.to_string());
    }

    #[test]
    fn a_visitor_gets_the_language_their_browser_weighs_highest() {
        let from = |header| Lang::from_accept_language(Some(header));
        assert_eq!(from("zh-CN,zh;q=0.9,en;q=0.8"), Lang::SimplifiedChinese);
        assert_eq!(from("fr-FR,en;q=0.5,zh;q=0.7"), Lang::SimplifiedChinese);
        assert_eq!(from("de, en-GB"), Lang::English);
        assert_eq!(from("ug-CN"), Lang::Uyghur);
        assert_eq!(Lang::from_accept_language(None), Lang::English);
    }

    /// Words a template may hold as they are, in every language: the workbench's own name
    /// and the names of the hash functions the document page lists (standards' names, as
    /// `SHA-256` is written in Chinese too). Everything else a reader sees comes from the
    /// catalog.
    const SAME_IN_EVERY_LANGUAGE: [&str; 3] = ["trove", "BLAKE3", "SHA-256"];

    /// Attributes whose values a reader sees or hears.
    const READ_ATTRIBUTES: [&str; 4] = ["title", "alt", "placeholder", "aria-label"];

    /// `template` without askama's `{{ }}`, `{% %}` and `{# #}`, each replaced by a NUL, so
    /// that the words on either side stay apart.
    fn without_askama(template: &str) -> String {
        let mut rest = template;
        let mut kept = String::new();
        while let Some(open) = rest.find(['{']) {
            kept.push_str(&rest[..open]);
            let close = match rest[open..].get(..2) {
                Some("{{") => "}}",
                Some("{%") => "%}",
                Some("{#") => "#}",
                _ => {
                    kept.push('{');
                    rest = &rest[open + 1..];
                    continue;
                }
            };
            let end = rest[open..]
                .find(close)
                .map_or(rest.len(), |end| open + end + 2);
            kept.push('\0');
            rest = &rest[end..];
        }
        kept.push_str(rest);
        kept
    }

    /// What a reader of `template` sees as it is written: the text between tags, and the
    /// values of the [`READ_ATTRIBUTES`]; askama's expressions and tags left out.
    fn written_text(template: &str) -> Vec<String> {
        let html = without_askama(template);
        let mut texts = Vec::new();
        let mut rest = html.as_str();
        while let Some(open) = rest.find('<') {
            texts.push(rest[..open].to_owned());
            let tag = &rest[open..];
            // A tag ends at the first `>` outside quotes.
            let mut quoted = false;
            let end = tag
                .char_indices()
                .find(|&(_, c)| {
                    quoted ^= c == '"';
                    c == '>' && !quoted
                })
                .map_or(tag.len(), |(end, _)| end + 1);
            let tag = &tag[..end];
            for attribute in READ_ATTRIBUTES {
                for value in tag.split(&format!(" {attribute}=\"")).skip(1) {
                    texts.push(value.split('"').next().unwrap_or_default().to_owned());
                }
            }
            rest = &rest[open + end..];
        }
        texts.push(rest.to_owned());
        texts
    }

    /// The words of `text` with two Latin letters in a row, but those allowed.
    fn english_words(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|word| {
                word.as_bytes()
                    .windows(2)
                    .any(|pair| pair.iter().all(u8::is_ascii_alphabetic))
            })
            .filter(|word| !SAME_IN_EVERY_LANGUAGE.contains(word))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn no_template_holds_a_word_outside_the_catalog() {
        let mut found = Vec::new();
        for (template, text) in templates() {
            for written in written_text(&text) {
                let words = english_words(&written);
                if !words.is_empty() {
                    let shown = written.trim().replace('\0', "{…}");
                    found.push(format!("{template}: {shown:?}"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "untranslated words in templates; put them in i18n/messages.tsv:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_scan_finds_words_in_text_and_read_attributes_only() {
        let template = r#"<p class="help">{{ chrome.t("a.b") }} Rows <code>{{ x }}</code>
            <img src="/x.png" alt="Photo {{ name }}" title="{{ chrome.t("c") }}">
            {% if a %}(valid){% endif %} SHA-256 · trove</p>"#;
        let words: Vec<String> = written_text(template)
            .iter()
            .flat_map(|text| english_words(text))
            .collect();
        assert_eq!(words, ["Rows", "Photo", "valid"]);
    }

    /// Every catalog key, with its English and Chinese.
    fn catalog() -> Vec<(&'static str, [&'static str; 3])> {
        let mut keys: Vec<_> = MESSAGES.iter().map(|(key, texts)| (*key, *texts)).collect();
        keys.sort();
        keys
    }

    /// Every key of the catalog is used: named in a template or in the crate's Rust, always
    /// as the whole literal `"key"`. Keys are never built from pieces (a code's name is a
    /// [`Named`] match arm, a heading a literal handed to the template), so that this search
    /// finds them all.
    #[test]
    fn every_key_of_the_catalog_is_used() {
        let mut everywhere: String = templates().into_iter().map(|(_, text)| text).collect();
        everywhere.extend(sources().into_iter().map(|(_, text)| text));
        let unused: Vec<&str> = catalog()
            .into_iter()
            .map(|(key, _)| key)
            .filter(|key| !everywhere.contains(&format!("\"{key}\"")))
            .collect();
        assert!(unused.is_empty(), "keys no page uses: {unused:?}");
    }

    /// A string literal of the Rust code shaped like a key of the catalog's families
    /// (`field.township`, `title.records`) is a key the catalog has, in English and Chinese:
    /// headings, labels and titles handed to templates cannot go missing. File names
    /// (`case.html`, `stats.svg`) are not keys.
    #[test]
    fn every_key_the_rust_code_names_is_in_the_catalog() {
        let families: std::collections::BTreeSet<&str> = catalog()
            .into_iter()
            .filter_map(|(key, _)| key.split_once('.').map(|(family, _)| family))
            .collect();
        const FILE_TYPES: [&str; 8] = ["html", "rs", "svg", "csv", "png", "jpg", "json", "js"];
        let is_key = |piece: &str| {
            let parts: Vec<&str> = piece.split('.').collect();
            parts.len() > 1
                && families.contains(parts[0])
                && !FILE_TYPES.contains(&parts[parts.len() - 1])
                && parts.iter().all(|part| {
                    !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                })
        };
        let mut named = 0;
        for (path, text) in sources() {
            for piece in text.split('"').filter(|piece| is_key(piece)) {
                named += 1;
                let texts = MESSAGES.get(piece).unwrap_or_else(|| {
                    panic!(
                        "{} names {piece}, which i18n/messages.tsv lacks",
                        path.display()
                    )
                });
                assert!(
                    !texts[0].is_empty() && !texts[1].is_empty(),
                    "{piece} untranslated"
                );
            }
        }
        assert!(named >= 50, "{named}");
    }

    /// The placeholders and marks of a message.
    fn shape(text: &str) -> (Vec<&str>, usize, usize) {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|piece| piece.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        (names, text.matches('`').count(), text.matches('*').count())
    }

    #[test]
    fn every_translation_keeps_the_placeholders_and_marks_of_the_english() {
        for (key, texts) in catalog() {
            for text in texts.iter().skip(1).filter(|text| !text.is_empty()) {
                assert_eq!(shape(text), shape(texts[0]), "{key}: {text}");
            }
        }
    }

    #[test]
    fn a_message_is_filled_and_cut_at_its_marks() {
        let message = Message {
            text: "Run `trove {what} *` on *{n}* {missing} files.",
            args: Vec::new(),
        }
        .arg("what", "`status` {n}")
        .arg("n", 3);
        assert_eq!(
            message.to_string(),
            "Run `trove `status` {n} *` on *3* {missing} files."
        );
        let runs: Vec<(String, bool, bool)> = message
            .runs()
            .into_iter()
            .map(|run| (run.text, run.code, run.strong))
            .collect();
        assert_eq!(
            runs,
            [
                ("Run ".into(), false, false),
                ("trove `status` {n} *".into(), true, false),
                (" on ".into(), false, false),
                ("3".into(), false, true),
                (" {missing} files.".into(), false, false),
            ]
        );
    }

    #[test]
    fn every_code_has_a_name_in_every_language() {
        let keys = Role::ALL
            .iter()
            .map(Named::key)
            .chain(Review::ALL.iter().map(Named::key))
            .chain(VerificationStatus::ALL.iter().map(Named::key))
            .chain(FindingReview::ALL.iter().map(Named::key))
            .chain(Dimension::ALL.iter().map(Named::key))
            .chain(Stage::ALL.iter().map(Named::key))
            .chain(FailureReason::ALL.iter().map(Named::key));
        for key in keys {
            assert_ne!(Lang::SimplifiedChinese.t(key), "(missing text)", "{key}");
        }
        assert_eq!(Lang::English.t(Role::Reviewer.key()), "reviewer");
        assert_eq!(Lang::SimplifiedChinese.t(Review::Accepted.key()), "已接受");
    }

    #[test]
    fn the_hour_format_of_every_language_is_a_valid_date_format() {
        for (lang, _, _) in Lang::ALL {
            let format = lang.t("audit.hour_format");
            let items = chrono::format::StrftimeItems::new(format);
            assert!(
                items
                    .into_iter()
                    .all(|item| item != chrono::format::Item::Error),
                "{format}"
            );
        }
    }
}
