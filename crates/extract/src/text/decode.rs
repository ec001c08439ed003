//! Turning bytes of unknown encoding into text.
//!
//! Leaked Chinese records come in every encoding their authors' machines
//! used: UTF-8, UTF-16 written by Windows tools (often without a byte-order
//! mark), GBK/GB18030 from mainland PCs and Big5 from Taiwan or Hong Kong.
//! The order of the checks matters: a byte-order mark is proof, a pattern of
//! zero bytes is near-proof of UTF-16, valid UTF-8 is very unlikely to be an
//! accident, and only then is a statistical guess (chardetng) made.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How much of a file the statistical guess looks at: enough to see many
/// multi-byte characters, little enough to keep guessing cheap on huge files.
const GUESS_WINDOW: usize = 256 << 10;

/// How much is looked at for the zero-byte pattern of BOM-less UTF-16.
const UTF16_WINDOW: usize = 4096;

/// The encoding of `bytes` and the length of its byte-order mark (0 if none).
///
/// `complete` says whether `bytes` is the whole file or only a prefix, in
/// which case a multi-byte character cut at the end is not held against UTF-8.
pub(crate) fn sniff_encoding(bytes: &[u8], complete: bool) -> (&'static Encoding, usize) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, bom_len);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (encoding, 0);
    }
    if is_utf8(bytes, complete) {
        return (UTF_8, 0);
    }
    let window = &bytes[..bytes.len().min(GUESS_WINDOW)];
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(window, complete && window.len() == bytes.len());
    (detector.guess(None, Utf8Detection::Allow), 0)
}

/// Decodes `bytes` as text in its detected encoding, returning the text and
/// the encoding's name (`UTF-8`, `UTF-16LE`, `GBK`, `Big5`, …).
///
/// Malformed sequences become U+FFFD rather than errors: a damaged line in a
/// leaked file should not hide the rest of it.
pub(crate) fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    let (encoding, bom_len) = sniff_encoding(bytes, true);
    (decode_as(encoding, &bytes[bom_len..]), encoding.name())
}

/// Decodes `bytes` (without a byte-order mark) as `encoding`.
pub(crate) fn decode_as(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// Whether `bytes` are valid UTF-8, forgiving a character cut off at the end
/// of a prefix.
fn is_utf8(bytes: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    }
}

/// Recognises UTF-16 without a byte-order mark by where its zero bytes fall:
/// ASCII characters (digits, punctuation, line breaks, which Chinese records
/// are full of) have a zero high byte, so zeros cluster on one parity.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = &bytes[..bytes.len().min(UTF16_WINDOW) & !1];
    let pairs = window.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_zeros, mut odd_zeros) = (0usize, 0usize);
    for pair in window.chunks_exact(2) {
        even_zeros += usize::from(pair[0] == 0);
        odd_zeros += usize::from(pair[1] == 0);
    }
    let clustered = |many: usize, few: usize| many * 10 >= pairs && few * 20 <= many;
    let encoding = if clustered(odd_zeros, even_zeros) {
        UTF_16LE
    } else if clustered(even_zeros, odd_zeros) {
        UTF_16BE
    } else {
        return None;
    };
    plausible_utf16(encoding, window).then_some(encoding)
}

/// Whether `window` decodes as `encoding` without broken surrogates or
/// control characters, so that binary data with a lucky zero pattern (UCS-2
/// tables in executables, pixel rows) is not taken for text.
fn plausible_utf16(encoding: &'static Encoding, window: &[u8]) -> bool {
    let (text, had_errors) = encoding.decode_without_bom_handling(window);
    // A surrogate pair cut at the window's end shows up as one error.
    let errors_allowed = usize::from(had_errors);
    let bad = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || is_garbage_control(c))
        .count();
    bad <= errors_allowed
}

/// Control characters that do not occur in text files (everything below
/// space except tab, line feed, form feed, carriage return and escape).
pub(crate) fn is_garbage_control(c: char) -> bool {
    matches!(c, '\0'..='\u{08}' | '\u{0B}' | '\u{0E}'..='\u{1A}' | '\u{1C}'..='\u{1F}' | '\u{7F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn gbk_bytes_decode_to_the_chinese_they_encode() {
        let text = "姓名：阿卜杜拉\n身份证号：653101199001011234\n籍贯：喀什地区疏附县\n";
        let text = text.repeat(4);
        let (bytes, _, _) = encoding_rs::GBK.encode(&text);
        let (decoded, encoding) = decode_text(&bytes);
        assert_eq!(decoded, text);
        assert!(encoding == "GBK" || encoding == "gb18030", "{encoding}");
    }

    #[test]
    fn big5_bytes_decode_to_the_chinese_they_encode() {
        let text = "中華民國臺灣省政府公報，新聞稿與會議記錄。\n";
        let text = text.repeat(4);
        let (bytes, _, _) = encoding_rs::BIG5.encode(&text);
        let (decoded, encoding) = decode_text(&bytes);
        assert_eq!(decoded, text);
        assert_eq!(encoding, "Big5");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_drops_the_mark() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16le("教育转化 2017"));
        assert_eq!(
            decode_text(&bytes),
            ("教育转化 2017".to_owned(), "UTF-16LE")
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend("名单".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode_text(&be), ("名单".to_owned(), "UTF-16BE"));
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised_by_its_zero_bytes() {
        let text = "编号\t姓名\r\n1\t买买提\r\n2\t古丽\r\n";
        assert_eq!(decode_text(&utf16le(text)), (text.to_owned(), "UTF-16LE"));
    }

    #[test]
    fn utf8_wins_over_guessing_and_its_bom_is_removed() {
        assert_eq!(decode_text("Îș unî©ođ€.".as_bytes()).1, "UTF-8");
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc"), ("abc".to_owned(), "UTF-8"));
    }

    #[test]
    fn a_prefix_cut_inside_a_character_is_still_utf8() {
        let bytes = "名单".as_bytes();
        assert_eq!(sniff_encoding(&bytes[..4], false).0, UTF_8);
    }
}
