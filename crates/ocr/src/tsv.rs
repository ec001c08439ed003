//! Tesseract's TSV output (one row per page, block, paragraph, line and word, each word
//! with a confidence) to lines of text and one confidence for the page.

/// The text of a page, one line per line Tesseract found, and the mean confidence of its
/// words (0–100, weighted by their length), `None` when it found no words.
pub(crate) fn page_text(tsv: &str) -> (String, Option<f32>) {
    let mut lines: Vec<String> = Vec::new();
    let mut current: Option<(u32, u32, u32)> = None;
    let mut weighted = 0f64;
    let mut characters = 0usize;
    for row in tsv.lines().skip(1) {
        let cells: Vec<&str> = row.split('\t').collect();
        let (Some(level), Some(confidence), Some(word)) =
            (cells.first(), cells.get(10), cells.get(11))
        else {
            continue;
        };
        let word = word.trim();
        let confidence: f64 = confidence.trim().parse().unwrap_or(-1.0);
        if *level != "5" || word.is_empty() || confidence < 0.0 {
            continue;
        }
        let number = |i: usize| {
            cells
                .get(i)
                .and_then(|c| c.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let line = (number(2), number(3), number(4));
        if current != Some(line) {
            lines.push(String::new());
            current = Some(line);
        }
        let text = lines.last_mut().expect("a line was just pushed");
        if needs_space(text, word) {
            text.push(' ');
        }
        text.push_str(word);
        let length = word.chars().count();
        weighted += confidence * length as f64;
        characters += length;
    }
    let confidence = (characters > 0).then(|| (weighted / characters as f64) as f32);
    (lines.join("\n"), confidence)
}

/// Words are separated by a space, except between two characters of scripts written
/// without spaces (Han, kana) and before closing punctuation.
fn needs_space(before: &str, word: &str) -> bool {
    let (Some(last), Some(first)) = (before.chars().next_back(), word.chars().next()) else {
        return false;
    };
    !(is_unspaced(last) && is_unspaced(first))
}

fn is_unspaced(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";

    fn word(line: u32, conf: &str, text: &str) -> String {
        format!("5\t1\t1\t1\t{line}\t1\t0\t0\t10\t10\t{conf}\t{text}")
    }

    #[test]
    fn words_become_lines_and_han_is_not_spaced() {
        let tsv = [
            HEADER.to_owned(),
            "4\t1\t1\t1\t1\t0\t0\t0\t10\t10\t-1\t".to_owned(),
            word(1, "90", "关于"),
            word(1, "80", "通知"),
            word(2, "95", "Rahile"),
            word(2, "85", "Omer"),
        ]
        .join("\n");
        let (text, confidence) = page_text(&tsv);
        assert_eq!(text, "关于通知\nRahile Omer");
        let expected = (90.0 * 2.0 + 80.0 * 2.0 + 95.0 * 6.0 + 85.0 * 4.0) / 14.0;
        assert!((confidence.unwrap() - expected).abs() < 0.01);
    }

    #[test]
    fn a_page_without_words_has_no_confidence() {
        assert_eq!(page_text(HEADER), (String::new(), None));
    }
}
