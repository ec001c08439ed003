//! The code page of an archive's member names, judged from all of them.
//!
//! Zip (without its UTF-8 flag) and tar store names as bytes in whatever code
//! page the writer's Windows used: GBK on Chinese Windows, Big5 in Taiwan and
//! Hong Kong, Shift-JIS (CP932) in Japan, CP437 in old Western tools. One
//! name is often too short to tell, so every name of the archive is scored
//! under each code page, and the best decodes them all. The scores count
//! characters each code page's speakers write often; text in the wrong code
//! page decodes into rare characters, kana, Greek or box drawing instead.

use encoding_rs::{BIG5, Encoding, GB18030, SHIFT_JIS};

/// How names that are not UTF-8 are decoded in one archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodePage {
    /// GBK and its superset GB 18030.
    Gbk,
    /// Big5.
    Big5,
    /// Shift-JIS as Windows writes it (CP932).
    ShiftJis,
    /// The original IBM PC code page, the zip format's default.
    Cp437,
}

impl CodePage {
    /// The code page that reads `names` best; names that are valid UTF-8 do
    /// not take part (they are read as UTF-8 whatever the others are).
    pub(crate) fn judge<'a>(names: impl IntoIterator<Item = &'a [u8]>) -> CodePage {
        let legacy: Vec<&[u8]> = names
            .into_iter()
            .filter(|name| std::str::from_utf8(name).is_err())
            .collect();
        if legacy.is_empty() {
            return CodePage::Gbk;
        }
        // In order of preference when scores tie: this field's material is Chinese.
        [CodePage::Gbk, CodePage::Big5, CodePage::ShiftJis]
            .into_iter()
            .filter_map(|page| page.score(&legacy).map(|score| (page, score)))
            .fold(
                None,
                |best: Option<(CodePage, i64)>, (page, score)| match best {
                    Some((_, top)) if top >= score => best,
                    _ => Some((page, score)),
                },
            )
            .filter(|&(_, score)| score > 0)
            .map_or(CodePage::Cp437, |(page, _)| page)
    }

    /// Decodes one name: UTF-8 when it is valid, otherwise in this code page.
    pub(crate) fn decode(self, raw: &[u8]) -> String {
        if let Ok(name) = std::str::from_utf8(raw) {
            return name.to_owned();
        }
        match self.encoding() {
            Some(encoding) => encoding.decode_without_bom_handling(raw).0.into_owned(),
            None => raw.iter().map(|&byte| cp437(byte)).collect(),
        }
    }

    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            CodePage::Gbk => Some(GB18030),
            CodePage::Big5 => Some(BIG5),
            CodePage::ShiftJis => Some(SHIFT_JIS),
            CodePage::Cp437 => None,
        }
    }

    /// How well this code page reads `names`; `None` if any fails to decode.
    fn score(self, names: &[&[u8]]) -> Option<i64> {
        let encoding = self.encoding()?;
        let mut total = 0i64;
        for name in names {
            let (text, had_errors) = encoding.decode_without_bom_handling(name);
            if had_errors {
                return None;
            }
            total += text.chars().map(|c| self.weight(c)).sum::<i64>();
            total += match self {
                // GB 2312's Hanzi area (levels 1 and 2): the characters Chinese text is made of.
                CodePage::Gbk => frequent_pairs(name, 0xB0..=0xF7, |t| (0xA1..=0xFE).contains(&t)),
                // Big5's frequently used Hanzi, as opposed to its less frequent area.
                CodePage::Big5 => frequent_pairs(name, 0xA4..=0xC6, |t| {
                    (0x40..=0x7E).contains(&t) || (0xA1..=0xFE).contains(&t)
                }),
                _ => 0,
            };
        }
        Some(total)
    }

    /// What one decoded character says for this code page.
    fn weight(self, c: char) -> i64 {
        let code = u32::from(c);
        let ideograph = (0x4E00..=0x9FFF).contains(&code);
        let kana = (0x3040..=0x30FF).contains(&code);
        let half_width_kana = (0xFF61..=0xFF9F).contains(&code);
        let foreign_script = (0x0370..=0x04FF).contains(&code) || (0x2500..=0x257F).contains(&code);
        let private_use = (0xE000..=0xF8FF).contains(&code);
        match self {
            // Their ideographs are counted through the bytes (see `frequent_pairs`).
            CodePage::Gbk | CodePage::Big5 if kana || foreign_script || private_use => -3,
            CodePage::Gbk | CodePage::Big5 => 0,
            CodePage::ShiftJis => match () {
                _ if kana => 2,
                _ if ideograph => 1,
                _ if half_width_kana || private_use => -3,
                _ => 0,
            },
            CodePage::Cp437 => 0,
        }
    }
}

/// Two points for each two-byte character whose lead byte is in `lead` and whose
/// trail byte `trail` accepts: the frequent characters of a double-byte code page.
fn frequent_pairs(
    name: &[u8],
    lead: std::ops::RangeInclusive<u8>,
    trail: impl Fn(u8) -> bool,
) -> i64 {
    let mut pairs = 0;
    let mut bytes = name.iter().copied();
    while let Some(first) = bytes.next() {
        if first < 0x80 {
            continue;
        }
        let Some(second) = bytes.next() else { break };
        if lead.contains(&first) && trail(second) {
            pairs += 2;
        }
    }
    pairs
}

/// CP437, which no encoding_rs decoder covers: ASCII below 0x80 and the PC's
/// accented letters, symbols and box drawing above.
fn cp437(byte: u8) -> char {
    const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}";
    if byte < 0x80 {
        char::from(byte)
    } else {
        HIGH.chars()
            .nth(usize::from(byte - 0x80))
            .unwrap_or('\u{FFFD}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(encoding: &'static Encoding, names: &[&str]) -> Vec<Vec<u8>> {
        names
            .iter()
            .map(|name| encoding.encode(name).0.into_owned())
            .collect()
    }

    fn judged(names: &[Vec<u8>]) -> CodePage {
        CodePage::judge(names.iter().map(Vec::as_slice))
    }

    #[test]
    fn each_code_page_is_told_from_its_names() {
        let gbk = encoded(
            GB18030,
            &["人员名单.xlsx", "疏附县/讲话材料.docx", "照片/0001.jpg"],
        );
        assert_eq!(judged(&gbk), CodePage::Gbk);
        assert_eq!(CodePage::Gbk.decode(&gbk[1]), "疏附县/讲话材料.docx");

        let big5 = encoded(BIG5, &["人員名單.xlsx", "會議記錄/講話.docx"]);
        assert_eq!(judged(&big5), CodePage::Big5);
        assert_eq!(CodePage::Big5.decode(&big5[0]), "人員名單.xlsx");

        let shift_jis = encoded(SHIFT_JIS, &["議事録/さくら.txt", "写真フォルダ/テスト.jpg"]);
        assert_eq!(judged(&shift_jis), CodePage::ShiftJis);
        assert_eq!(
            CodePage::ShiftJis.decode(&shift_jis[1]),
            "写真フォルダ/テスト.jpg"
        );

        let cp437 = vec![b"Stra\x94e/R\x82sum\x82.txt".to_vec()];
        assert_eq!(judged(&cp437), CodePage::Cp437);
        assert_eq!(CodePage::Cp437.decode(&cp437[0]), "Straöe/Résumé.txt");
    }

    #[test]
    fn utf8_names_are_read_as_utf8_whatever_the_others() {
        let mut names = encoded(BIG5, &["會議記錄.docx"]);
        names.push("名单.xlsx".as_bytes().to_vec());
        let page = judged(&names);
        assert_eq!(page, CodePage::Big5);
        assert_eq!(page.decode(&names[1]), "名单.xlsx");
    }
}
