//! Summary rows: the totals clerks put under and inside lists (合计, 小计, 共N人). They
//! sit where a name or a row number would, so without this they read as persons.

/// Labels that start a summary row, compared after spaces are removed.
const SUMMARY_WORDS: &[&str] = &[
    "合计", "总计", "小计", "共计", "累计", "总数", "汇总", "合", "总", "total", "subtotal", "sum",
];

/// Whether a row is a total rather than a person: its first filled cell, or the cell of
/// its name column, is a summary label. Only these cells are looked at, so a remark such as
/// 同案共3人 on a person's row never makes it a summary.
pub fn is_summary_row(cells: &[&str], name_column: Option<usize>) -> bool {
    let first_filled = cells.iter().find(|c| !c.trim().is_empty());
    let name = name_column.and_then(|i| cells.get(i));
    first_filled
        .into_iter()
        .chain(name)
        .any(|cell| is_summary_label(cell))
}

/// 合计, 合 计, 合计：, 合计125人, 共125人, 以上共125人, 总计(人), Total: 12.
pub fn is_summary_label(cell: &str) -> bool {
    let compact: String = cell
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let text = compact.trim_start_matches("以上");
    let rest = SUMMARY_WORDS
        .iter()
        .filter_map(|word| text.strip_prefix(word))
        .min_by_key(|rest| rest.len());
    let Some(rest) = rest.or_else(|| {
        let counted = text
            .strip_prefix('共')
            .or_else(|| text.strip_prefix('计'))?;
        counted_people(counted)
    }) else {
        return false;
    };
    // What may follow the word: punctuation, a count, a unit, a bracketed note.
    let rest = rest.trim_start_matches([':', '：', '(', '（', ')', '）', '-', '—']);
    rest.is_empty()
        || counted_people(rest).is_some()
        || rest
            .chars()
            .all(|c| c.is_ascii_digit() || "人名户个:：()（）".contains(c))
}

/// A count of people (`125人`, `125`): `Some("")` when `text` is one and nothing more.
fn counted_people(text: &str) -> Option<&str> {
    let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
    (after.len() < text.len())
        .then(|| after.trim_start_matches(['人', '名', '户']))
        .filter(|rest| rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_summary_labels() {
        for label in [
            "合计",
            "合  计",
            "合计：",
            "合计125人",
            "合计:125",
            "共125人",
            "以上共12人",
            "总计（人）",
            "小计",
            "Total",
            "Total: 12",
            "计3人",
        ] {
            assert!(is_summary_label(label), "{label}");
        }
    }

    #[test]
    fn names_and_remarks_are_not() {
        for cell in [
            "合依古丽",
            "总理",
            "同案共3人",
            "古丽",
            "125",
            "",
            "合计划生育",
            "Tom",
        ] {
            assert!(!is_summary_label(cell), "{cell}");
        }
    }

    #[test]
    fn only_the_first_filled_cell_and_the_name_decide() {
        assert!(is_summary_row(&["", "合计", "", "125"], Some(1)));
        assert!(is_summary_row(&["3", "共3人", ""], Some(1)));
        assert!(!is_summary_row(
            &["1", "古丽", "653121199001010027", "共3人"],
            Some(1)
        ));
    }
}
