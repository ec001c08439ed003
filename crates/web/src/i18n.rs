//! The workbench's words in the languages its users read: English, Simplified Chinese, and
//! Uyghur as its translations arrive. Every message lives in one catalog,
//! `i18n/messages.tsv` (key, then one column a language); pages say `chrome.t("key")`. A
//! message not yet translated falls back to English. Leaked content is never translated:
//! only the workbench's own words are.
//!
//! Written here: the catalog is a table read once at start, which is all a server-rendered
//! workbench needs; Fluent or gettext would bring plural rules and a toolchain for a few
//! hundred fixed phrases.

use std::collections::HashMap;
use std::sync::LazyLock;

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

    /// Every `chrome.t("…")` of every template, with the template's name.
    fn keys_used() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut used = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("chrome.t(\"").skip(1) {
                let key = piece.split('"').next().unwrap().to_owned();
                used.push((
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    key,
                ));
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
    fn a_visitor_gets_the_language_their_browser_weighs_highest() {
        let from = |header| Lang::from_accept_language(Some(header));
        assert_eq!(from("zh-CN,zh;q=0.9,en;q=0.8"), Lang::SimplifiedChinese);
        assert_eq!(from("fr-FR,en;q=0.5,zh;q=0.7"), Lang::SimplifiedChinese);
        assert_eq!(from("de, en-GB"), Lang::English);
        assert_eq!(from("ug-CN"), Lang::Uyghur);
        assert_eq!(Lang::from_accept_language(None), Lang::English);
    }
}
