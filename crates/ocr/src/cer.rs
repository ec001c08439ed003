//! Character error rate: how far OCR text is from the truth.

/// The edit distance between `read` and `truth` in characters, over the length of the
/// truth. Whitespace is ignored on both sides (layout is not what is measured), and
/// full-width forms count as their ASCII twins (`：` read as `:` is no error).
pub fn character_error_rate(read: &str, truth: &str) -> f64 {
    let plain = |text: &str| -> Vec<char> {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match u32::from(c) {
                code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect()
    };
    let (read, truth) = (plain(read), plain(truth));
    if truth.is_empty() {
        return if read.is_empty() { 0.0 } else { 1.0 };
    }
    // One row of the Levenshtein table at a time.
    let mut previous: Vec<usize> = (0..=read.len()).collect();
    for (i, t) in truth.iter().enumerate() {
        let mut current = vec![i + 1; read.len() + 1];
        for (j, r) in read.iter().enumerate() {
            let substitution = previous[j] + usize::from(t != r);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[read.len()] as f64 / truth.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_counted_per_character_of_the_truth() {
        assert_eq!(character_error_rate("关于通知", "关于 通知"), 0.0);
        assert_eq!(character_error_rate("关干通知", "关于通知"), 0.25);
        assert_eq!(character_error_rate("", "abcd"), 1.0);
        assert_eq!(character_error_rate("", ""), 0.0);
        assert_eq!(character_error_rate("单位:", "单位："), 0.0);
    }
}
