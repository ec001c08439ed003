//! Tesseract's TSV output (one row per page, block, paragraph, line and word, each word
//! with its box and a confidence) to lines of text and one confidence for the page, and to
//! the page's rows laid out by position (for tables).

/// The text of a page, one line per line Tesseract found, and the mean confidence of its
/// words (0–100, weighted by their length), `None` when it found no words.
pub(crate) fn page_text(tsv: &str) -> (String, Option<f32>) {
    let mut lines: Vec<String> = Vec::new();
    let mut current: Option<(u32, u32, u32)> = None;
    let mut weighted = 0f64;
    let mut characters = 0usize;
    for (cells, confidence, word) in tsv.lines().skip(1).filter_map(word_row) {
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

/// A word Tesseract read, with its box in pixels.
#[derive(Debug, Clone)]
struct Word<'a> {
    left: i64,
    top: i64,
    width: i64,
    height: i64,
    text: &'a str,
}

impl Word<'_> {
    fn middle(&self) -> i64 {
        self.top + self.height / 2
    }

    fn right(&self) -> i64 {
        self.left + self.width
    }
}

/// Gaps wider than this many times the usual word height separate cells of a table:
/// words of one cell stand about a character apart, columns much further.
const CELL_GAP_HEIGHTS: i64 = 2;

/// The page's words by position rather than in Tesseract's reading order: one line per
/// row of the page (words whose middles are within half a word height of each other),
/// left to right, with a tab where a gap wider than [`CELL_GAP_HEIGHTS`] word heights
/// separates two words. Tesseract reads a table column by column as separate blocks;
/// this puts each row of the table back on one line, its cells apart, as a sheet's text is.
pub(crate) fn page_layout(tsv: &str) -> String {
    let mut words: Vec<Word<'_>> = tsv.lines().skip(1).filter_map(word_of).collect();
    if words.is_empty() {
        return String::new();
    }
    let mut heights: Vec<i64> = words.iter().map(|w| w.height).collect();
    heights.sort_unstable();
    let height = heights[heights.len() / 2].max(1);
    words.sort_by_key(|w| (w.middle(), w.left));
    let mut rows: Vec<Vec<Word<'_>>> = Vec::new();
    for word in words {
        match rows.last_mut() {
            Some(row) if (word.middle() - row_middle(row)).abs() * 2 <= height => row.push(word),
            _ => rows.push(vec![word]),
        }
    }
    let lines: Vec<String> = rows
        .into_iter()
        .map(|mut row| {
            row.sort_by_key(|w| w.left);
            let mut line = String::new();
            let mut previous: Option<&Word<'_>> = None;
            for word in &row {
                if let Some(before) = previous {
                    if word.left - before.right() > CELL_GAP_HEIGHTS * height {
                        line.push('\t');
                    } else if needs_space(&line, word.text) {
                        line.push(' ');
                    }
                }
                line.push_str(word.text);
                previous = Some(word);
            }
            line
        })
        .collect();
    lines.join("\n")
}

fn row_middle(row: &[Word<'_>]) -> i64 {
    row.iter().map(Word::middle).sum::<i64>() / row.len() as i64
}

/// A word row of the TSV (level 5, with text and a confidence), with its box.
fn word_of(row: &str) -> Option<Word<'_>> {
    let (cells, _, text) = word_row(row)?;
    let number = |i: usize| cells.get(i)?.trim().parse::<i64>().ok();
    Some(Word {
        left: number(6)?,
        top: number(7)?,
        width: number(8)?,
        height: number(9)?,
        text,
    })
}

/// A row of the TSV that is a word (level 5) with text and a confidence of 0 or more: its
/// cells, its confidence and its text, trimmed.
fn word_row(row: &str) -> Option<(Vec<&str>, f64, &str)> {
    let cells: Vec<&str> = row.split('\t').collect();
    let confidence: f64 = cells.get(10)?.trim().parse().ok()?;
    let text = cells.get(11)?.trim();
    (*cells.first()? == "5" && !text.is_empty() && confidence >= 0.0)
        .then_some((cells, confidence, text))
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

    fn boxed(block: u32, left: u32, top: u32, text: &str) -> String {
        format!(
            "5\t1\t{block}\t1\t1\t1\t{left}\t{top}\t{}\t30\t90\t{text}",
            30 * text.chars().count()
        )
    }

    #[test]
    fn a_table_read_column_by_column_is_laid_out_row_by_row() {
        // Tesseract gave each column its own block, so reading order is column-wise.
        let tsv = [
            HEADER.to_owned(),
            boxed(1, 100, 100, "姓名"),
            boxed(1, 100, 160, "古丽"),
            boxed(1, 100, 220, "艾买提"),
            boxed(2, 400, 102, "身份证号"),
            boxed(2, 400, 158, "653121199001010027"),
            boxed(2, 400, 223, "653121198802020031"),
            boxed(3, 1200, 100, "民族"),
            boxed(3, 1200, 161, "维"),
            boxed(3, 1236, 161, "吾尔"),
        ]
        .join("\n");
        assert_eq!(
            page_layout(&tsv),
            "姓名\t身份证号\t民族\n古丽\t653121199001010027\t维吾尔\n艾买提\t653121198802020031"
        );
        assert_eq!(page_layout(HEADER), "");
    }

    #[test]
    fn a_page_without_words_has_no_confidence() {
        assert_eq!(page_text(HEADER), (String::new(), None));
    }
}
