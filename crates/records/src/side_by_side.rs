//! Tables standing side by side on one sheet. Clerks fit a long list onto a printed page
//! by running it in two (or more) blocks of the same columns next to each other, so one
//! row of the sheet holds two persons. Read as one table, the second person's cells would
//! sit under duplicate headers and be lost; each block is read as a table of its own.

use std::ops::Range;

use crate::field::Field;
use crate::headers::{Header, is_person_header, normalize_header};

/// The column ranges of the tables a header row heads, left to right; one range over the
/// whole row when it heads a single table. The last range runs to the end of any row
/// (`usize::MAX`): cells beyond the header belong to the rightmost table.
///
/// A new table begins at a column that follows an empty header cell or repeats the first
/// title of the table to its left (`序号 姓名 身份证号 序号 姓名 身份证号`), where the
/// table to the left is a person header and the columns to the right begin with the same
/// fields in the same order (blocks of one list are copies of each other). Requiring
/// that repetition keeps an ordinary list with one blank header cell in the middle whole.
pub fn table_columns(header: &Header) -> Vec<Range<usize>> {
    let width = header.titles.len();
    let mut starts = vec![0];
    let mut start = 0;
    for at in 1..width {
        let title = normalize_header(&header.titles[at]);
        if title.is_empty() {
            continue;
        }
        let after_gap = header.titles[at - 1].trim().is_empty();
        let repeats_first = header.titles[start..at]
            .iter()
            .map(|t| normalize_header(t))
            .find(|t| !t.is_empty())
            .is_some_and(|first| first == title);
        if (after_gap || repeats_first) && splits(&header.fields[start..at], &header.fields[at..]) {
            starts.push(at);
            start = at;
        }
    }
    starts
        .iter()
        .zip(starts.iter().skip(1).chain([&usize::MAX]))
        .map(|(from, to)| *from..*to)
        .collect()
}

/// Whether `left` and what follows it read as two tables of persons: `left` a person
/// header, and `right` starting with the same named fields in the same order.
fn splits(left: &[Option<Field>], right: &[Option<Field>]) -> bool {
    let named: Vec<Field> = left.iter().flatten().copied().collect();
    is_person_header(left) && right.iter().flatten().take(named.len()).eq(named.iter())
}

/// The part of `header` over `columns`, as the header of a table of its own.
pub fn header_over(header: &Header, columns: &Range<usize>) -> Header {
    let within = |len: usize| columns.start.min(len)..columns.end.min(len);
    Header {
        index: header.index,
        titles: header.titles[within(header.titles.len())].to_vec(),
        fields: header.fields[within(header.fields.len())].to_vec(),
    }
}

/// The cells of `row` under `columns` (fewer, or none, when the row is shorter).
pub fn cells_under<'r, 'a>(row: &'r [&'a str], columns: &Range<usize>) -> &'r [&'a str] {
    let end = columns.end.min(row.len());
    let start = columns.start.min(end);
    &row[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::field_for_header;

    fn header(titles: &[&str]) -> Header {
        Header {
            index: 0,
            titles: titles.iter().map(|t| (*t).to_owned()).collect(),
            fields: titles.iter().map(|t| field_for_header(t)).collect(),
        }
    }

    #[test]
    fn two_blocks_of_the_same_columns_are_two_tables() {
        let gapless = header(&["序号", "姓名", "身份证号", "序号", "姓名", "身份证号"]);
        assert_eq!(table_columns(&gapless), vec![0..3, 3..usize::MAX]);
        let gapped = header(&["姓名", "性别", "身份证号", "", "姓名", "性别", "身份证号"]);
        assert_eq!(table_columns(&gapped), vec![0..4, 4..usize::MAX]);
        let three = header(&[
            "姓名",
            "身份证号",
            "",
            "姓名",
            "身份证号",
            "",
            "姓名",
            "身份证号",
        ]);
        assert_eq!(table_columns(&three), vec![0..3, 3..6, 6..usize::MAX]);
    }

    #[test]
    fn a_blank_header_cell_alone_does_not_split_a_list() {
        let one = header(&["序号", "姓名", "性别", "", "身份证号", "现住址"]);
        assert_eq!(table_columns(&one), vec![0..usize::MAX]);
        let no_repeat = header(&["姓名", "身份证号", "性别", "", "父亲姓名", "民族"]);
        assert_eq!(table_columns(&no_repeat).len(), 1);
        let other_columns = header(&["身份证号", "姓名", "身份证号", "性别"]);
        assert_eq!(table_columns(&other_columns).len(), 1);
    }

    #[test]
    fn rows_are_cut_to_their_table() {
        let row = ["1", "古丽", "6531", "2", "艾买提"];
        assert_eq!(cells_under(&row, &(3..6)), ["2", "艾买提"]);
        assert!(cells_under(&row, &(6..9)).is_empty());
    }
}
