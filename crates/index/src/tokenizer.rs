//! Script-aware tokenizers.
//!
//! `trove` (the main text field): Han runs are segmented by jieba; runs of
//! other letters and digits (Latin, Arabic script, Cyrillic …) are one token
//! each. Lowercasing and English stemming are added as filters in the schema.
//!
//! `han_bigram`: only Han runs, cut into overlapping pairs of characters
//! (a lone character stays a unigram), so any Han substring of two or more
//! characters can be found as a phrase of bigrams.
//!
//! tantivy-jieba was not used: it hands whole strings to jieba, whose own
//! splitting of non-Han text does not separate Arabic-script words reliably,
//! and it offers no place to route scripts differently.

use std::sync::{Arc, Once, OnceLock};

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Jieba's dictionary takes a noticeable moment to load: do it once.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Starts loading jieba's dictionary in the background, once per process: a server
/// opening many cases starts one load, not one thread per case.
pub(crate) fn load_dictionary_in_background() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(jieba);
    });
}

/// Whether `c` is a Han ideograph (CJK unified ideographs and extensions,
/// compatibility ideographs).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x3134F)
}

/// Letters, digits and combining marks that belong inside a word of any
/// other script (Arabic-script Uyghur needs its marks and ZWNJ kept).
pub(crate) fn is_word_char(c: char) -> bool {
    !is_han(c) && (c.is_alphanumeric() || is_mark(c) || c == '\u{200C}')
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Han,
    Word,
}

/// Splits text into runs of Han characters and runs of word characters,
/// as (kind, byte offset, text).
fn runs(text: &str) -> impl Iterator<Item = (RunKind, usize, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            let kind = if is_han(c) {
                RunKind::Han
            } else if is_word_char(c) {
                RunKind::Word
            } else {
                continue;
            };
            let mut end = start + c.len_utf8();
            while let Some(&(offset, next)) = chars.peek() {
                let same = match kind {
                    RunKind::Han => is_han(next),
                    RunKind::Word => is_word_char(next),
                };
                if !same {
                    break;
                }
                end = offset + next.len_utf8();
                chars.next();
            }
            return Some((kind, start, &text[start..end]));
        }
    })
}

/// The main tokenizer: jieba for Han, whole words for every other script.
#[derive(Clone, Default)]
pub(crate) struct TroveTokenizer;

impl Tokenizer for TroveTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        for (kind, offset, run) in runs(text) {
            match kind {
                RunKind::Han => {
                    for word in jieba().cut(run, true) {
                        let start = offset + word.byte_start;
                        push(&mut tokens, start, start + word.word.len(), word.word);
                    }
                }
                RunKind::Word => push(&mut tokens, offset, offset + run.len(), run),
            }
        }
        VecTokenStream::new(tokens)
    }
}

/// The bigram tokenizer for Han runs. Han runs parted only by the marks that part a
/// transliterated name (`艾尔肯·阿卜杜热西提`, `艾尔肯 阿卜杜`) may be paired across the
/// mark as if it were not there, so a phrase finds a name however its parts are joined,
/// on this field alone; indexes made before keep their own form, under its own analyzer
/// name.
#[derive(Clone, Default)]
pub(crate) struct HanBigramTokenizer {
    pub(crate) bridging: NameBridging,
}

/// Which gaps between two Han runs the bigrams are paired across.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum NameBridging {
    /// None: indexes made before names were bridged.
    #[default]
    Never,
    /// Name marks, and a line break only beside a visible mark (`阿不都·` at a line's
    /// end): a bare line break parts the rows of a one-column sheet, two people.
    NameMarks,
    /// Name marks and bare line breaks: indexes made before line breaks were told apart,
    /// which join the names of two rows.
    NameMarksAndBareLineBreaks,
}

/// Longest stretch of name marks two Han runs may be bridged across (`阿不都 · 吐尔逊`).
const MAX_BRIDGE_CHARS: usize = 3;

/// Marks that may stand inside a name written in Han characters: middle dots of every
/// encoding, full stops and hyphens used in their place, and spaces. Never a tab or a
/// comma: those part the cells of a row, and a name is not found across two cells.
fn is_name_mark(c: char) -> bool {
    is_visible_name_mark(c) || matches!(c, ' ' | '\u{00A0}' | '\u{3000}')
}

/// The name marks that show: a space may end one name and begin the next, a dot not.
fn is_visible_name_mark(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '\u{2022}'
            | '\u{2027}'
            | '\u{2219}'
            | '\u{30FB}'
            | '\u{FF65}'
            | '.'
            | '\u{FF0E}'
            | '-'
            | '\u{FF0D}'
    )
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

impl NameBridging {
    /// Whether `gap`, the text between two Han runs, only parts the pieces of one name.
    fn bridges(self, gap: &str) -> bool {
        let marks_only = |line_breaks_need_a_mark: bool| {
            !gap.is_empty()
                && gap.chars().take(MAX_BRIDGE_CHARS + 1).count() <= MAX_BRIDGE_CHARS
                && gap.chars().all(|c| is_name_mark(c) || is_line_break(c))
                && !(line_breaks_need_a_mark
                    && gap.contains(is_line_break)
                    && !gap.contains(is_visible_name_mark))
        };
        match self {
            NameBridging::Never => false,
            NameBridging::NameMarks => marks_only(true),
            NameBridging::NameMarksAndBareLineBreaks => marks_only(false),
        }
    }
}

/// Whether `phrase` is two or more Han characters with nothing between, before or after
/// them but stretches the bridged bigrams cross (today's, which cross no more than an
/// older index's did): its bigrams are then one unbroken chain, whatever marks part it
/// here or in the text.
pub(crate) fn is_one_bridged_han_run(phrase: &str) -> bool {
    phrase.chars().filter(|&c| is_han(c)).count() >= 2
        && phrase
            .split(is_han)
            .filter(|gap| !gap.is_empty())
            .all(|gap| NameBridging::NameMarks.bridges(gap))
}

impl Tokenizer for HanBigramTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        // The Han characters of the runs bridged so far, with their byte offsets.
        let mut group: Vec<(usize, char)> = Vec::new();
        let mut group_end = 0;
        for (kind, offset, run) in runs(text) {
            if kind != RunKind::Han {
                continue;
            }
            if !self.bridging.bridges(&text[group_end..offset]) {
                push_bigrams(&mut tokens, text, &group);
                group.clear();
            }
            group.extend(run.char_indices().map(|(at, c)| (offset + at, c)));
            group_end = offset + run.len();
        }
        push_bigrams(&mut tokens, text, &group);
        VecTokenStream::new(tokens)
    }
}

/// Overlapping pairs of the Han characters `chars` (a lone one stays a unigram); a
/// pair spans whatever stands between its two characters in `text`.
fn push_bigrams(tokens: &mut Vec<Token>, text: &str, chars: &[(usize, char)]) {
    if let [(at, c)] = chars {
        push(
            tokens,
            *at,
            at + c.len_utf8(),
            &text[*at..at + c.len_utf8()],
        );
        return;
    }
    for pair in chars.windows(2) {
        let ((start, first), (second, c)) = (pair[0], pair[1]);
        let mut bigram = String::with_capacity(first.len_utf8() + c.len_utf8());
        bigram.push(first);
        bigram.push(c);
        push(tokens, start, second + c.len_utf8(), &bigram);
    }
}

fn push(tokens: &mut Vec<Token>, from: usize, to: usize, text: &str) {
    let position = tokens.len();
    tokens.push(Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text.to_owned(),
        position_length: 1,
    });
}

/// A token stream over tokens computed up front (jieba needs the whole run).
pub(crate) struct VecTokenStream {
    tokens: Arc<[Token]>,
    next: usize,
    current: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream {
            tokens: tokens.into(),
            next: 0,
            current: Token::default(),
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get(self.next) {
            Some(token) => {
                self.current = token.clone();
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Today's bigrams.
    const BRIDGED: HanBigramTokenizer = HanBigramTokenizer {
        bridging: NameBridging::NameMarks,
    };

    fn texts(tokenizer: &mut impl Tokenizer, text: &str) -> Vec<String> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn han_is_segmented_and_latin_kept_whole() {
        // jieba keeps 教育转化 whole: the bigram field is what finds 教育 in it.
        let tokens = texts(&mut TroveTokenizer, "教育转化培训中心 Shoot to kill");
        assert_eq!(tokens, ["教育转化", "培训中心", "Shoot", "to", "kill"]);
    }

    #[test]
    fn uyghur_arabic_script_is_split_on_spaces() {
        let tokens = texts(&mut TroveTokenizer, "راھىلە ئۆمەر، تۇرسۇن");
        assert_eq!(tokens, ["راھىلە", "ئۆمەر", "تۇرسۇن"]);
    }

    #[test]
    fn separators_split_transliterated_names() {
        let tokens = texts(&mut TroveTokenizer, "Rahile·Omer");
        assert_eq!(tokens, ["Rahile", "Omer"]);
    }

    #[test]
    fn bigrams_cover_every_pair_of_han_characters() {
        for bridging in [
            NameBridging::Never,
            NameBridging::NameMarks,
            NameBridging::NameMarksAndBareLineBreaks,
        ] {
            let tokens = texts(&mut HanBigramTokenizer { bridging }, "乌鲁木齐 and 疆");
            assert_eq!(tokens, ["乌鲁", "鲁木", "木齐", "疆"]);
        }
    }

    #[test]
    fn bridged_bigrams_read_a_name_the_same_however_its_parts_are_joined() {
        let mut bridged = BRIDGED;
        let joined = texts(&mut bridged, "阿不都吐尔逊");
        assert_eq!(joined, ["阿不", "不都", "都吐", "吐尔", "尔逊"]);
        for spelling in [
            "阿不都·吐尔逊",
            "阿不都•吐尔逊",
            "阿不都 吐尔逊",
            "阿不都 · 吐尔逊",
            "阿不都.吐尔逊",
        ] {
            assert_eq!(texts(&mut bridged, spelling), joined, "{spelling}");
        }
        // A name wrapped after its mark at a line's end, as a PDF's text or a scan has it.
        assert_eq!(texts(&mut bridged, "阿不都·\r\n吐尔逊"), joined);
        assert_eq!(texts(&mut bridged, "阿不都\n-吐尔逊"), joined);
        // Lone characters parted by a mark pair up too.
        assert_eq!(texts(&mut bridged, "张 三"), ["张三"]);
    }

    #[test]
    fn bigrams_are_not_bridged_across_cells_words_or_long_gaps() {
        let mut bridged = BRIDGED;
        for (text, tokens) in [
            ("阿不都\t吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
            ("阿不都，吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
            ("阿不都 x 吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
            ("阿不都 ·  吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
            // Two rows of a one-column sheet: two people.
            ("阿不都\n吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
            ("阿不都\r\n吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
            ("阿不都 \n吐尔逊", vec!["阿不", "不都", "吐尔", "尔逊"]),
        ] {
            assert_eq!(texts(&mut bridged, text), tokens, "{text:?}");
        }
        let mut unbridged = HanBigramTokenizer::default();
        assert_eq!(
            texts(&mut unbridged, "阿不都·吐尔逊"),
            ["阿不", "不都", "吐尔", "尔逊"]
        );
        // An index made before line breaks were told apart keeps its own reading.
        let mut older = HanBigramTokenizer {
            bridging: NameBridging::NameMarksAndBareLineBreaks,
        };
        assert_eq!(texts(&mut older, "阿不都\n吐尔逊").len(), 5);
    }

    #[test]
    fn a_phrase_is_one_bridged_run_only_across_marks_a_name_holds() {
        assert!(is_one_bridged_han_run("阿不都·吐尔逊"));
        assert!(is_one_bridged_han_run("阿不都·\n吐尔逊"));
        assert!(!is_one_bridged_han_run("阿不都\n吐尔逊"));
        assert!(!is_one_bridged_han_run("阿不都\t吐尔逊"));
        assert!(!is_one_bridged_han_run("阿"));
    }

    #[test]
    fn a_bridged_pair_spans_the_mark_it_crosses() {
        let text = "艾尔肯·阿卜";
        let mut bridged = BRIDGED;
        let mut stream = bridged.token_stream(text);
        let mut spans = Vec::new();
        while stream.advance() {
            let token = stream.token();
            spans.push(&text[token.offset_from..token.offset_to]);
        }
        assert_eq!(spans, ["艾尔", "尔肯", "肯·阿", "阿卜"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "abc 教育转化";
        let mut stream = TroveTokenizer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
        }
    }
}
