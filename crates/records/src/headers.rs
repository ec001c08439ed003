//! Finding the header row of a person list and mapping its cells to fields, through the
//! synonym table `data/headers.tsv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::field::Field;

/// How many rows from the top are searched for a header: titles, dates and signatures above
/// a list rarely take more than a few.
pub const HEADER_SCAN_ROWS: usize = 30;

static SYNONYMS: LazyLock<HashMap<String, Field>> = LazyLock::new(|| {
    crate::table_lines(include_str!("../data/headers.tsv"))
        .filter_map(|cols| {
            let field = cols.first()?.parse::<Field>().ok()?;
            Some((normalize_header(cols.get(1)?), field))
        })
        .collect()
});

/// A header cell reduced to what distinguishes it: no spaces, nothing in brackets (`身份证号
/// （18位）`), no trailing colon or asterisk, lower case.
pub fn normalize_header(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' | '（' | '[' | '【' | '〔' => depth += 1,
            ')' | '）' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 || c.is_whitespace() => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    let trimmed = out.trim_end_matches([':', '：', '*', '＊']);
    trimmed.to_owned()
}

/// The field a header names, if the synonym table knows it: the whole header first, then
/// each of its pieces, for headers written in two languages or on two lines (`姓名/Name`,
/// `姓名 ئىسىم`, `公民身份号码` over `ID number`).
pub fn field_for_header(cell: &str) -> Option<Field> {
    let lookup = |text: &str| {
        let key = normalize_header(text);
        (!key.is_empty())
            .then(|| SYNONYMS.get(&key).copied())
            .flatten()
    };
    lookup(cell).or_else(|| {
        cell.split(['/', '／', '|', '｜', '\n', '\r'])
            .flat_map(split_at_script_changes)
            .find_map(lookup)
    })
}

/// Splits where Han characters meet letters of another script (Latin, Arabic, Cyrillic):
/// `姓名Name` → `姓名`, `Name`. Spaces, digits and punctuation belong to either side.
fn split_at_script_changes(text: &str) -> Vec<&str> {
    let is_han = |c: char| matches!(u32::from(c), 0x3400..=0x9FFF | 0xF900..=0xFAFF);
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous: Option<bool> = None;
    for (at, c) in text.char_indices() {
        if !c.is_alphabetic() {
            continue;
        }
        let han = is_han(c);
        if previous.is_some_and(|was| was != han) {
            pieces.push(&text[start..at]);
            start = at;
        }
        previous = Some(han);
    }
    pieces.push(&text[start..]);
    pieces
}

/// The header row of a table and what each of its columns holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// 0-based index of the header row among the sheet's rows.
    pub index: usize,
    /// The header text of every column, verbatim.
    pub titles: Vec<String>,
    /// The field each column fills, parallel to `titles`; `None` where neither a
    /// synonym nor a mapping rule names the column (its cells stay only in the raw row).
    pub fields: Vec<Option<Field>>,
}

impl Header {
    /// Whether some column holds `field`.
    pub fn has(&self, field: Field) -> bool {
        self.fields.contains(&Some(field))
    }
}

/// Finds the first row, among the first [`HEADER_SCAN_ROWS`], that reads like the header
/// of a person list: it names a name or ID number column and at least one more personal
/// field (or both name and ID). Rows above it (merged titles, dates) are skipped. A header
/// spread over two rows (`身份证` above `号码`, or a second row finishing what merged cells
/// began) is read as one when together they name more fields than either row alone.
pub fn find_header(rows: &[Vec<&str>]) -> Option<Header> {
    let scanned = &rows[..rows.len().min(HEADER_SCAN_ROWS)];
    (0..scanned.len()).find_map(|index| header_at(scanned, index))
}

/// The header that begins at row `index`, over that row alone or with the row below, if
/// one does; its `index` is the last row it takes.
pub fn header_at(rows: &[Vec<&str>], index: usize) -> Option<Header> {
    let cells = rows.get(index)?;
    let single = header_of(index, cells.iter().map(|c| (*c).to_owned()).collect());
    let below = rows.get(index + 1);
    let joined = below.map(|below| header_of(index + 1, join_rows(cells, below)));
    let below_alone =
        below.map(|below| header_of(index + 1, below.iter().map(|c| (*c).to_owned()).collect()));
    let named = |header: &Header| header.fields.iter().flatten().count();
    match (joined, below_alone) {
        (Some(joined), Some(below))
            if is_person_header(&joined.fields)
                && named(&joined) > named(&single)
                && named(&joined) > named(&below) =>
        {
            Some(joined)
        }
        _ => is_person_header(&single.fields).then_some(single),
    }
}

fn header_of(index: usize, titles: Vec<String>) -> Header {
    let fields = titles.iter().map(|t| field_for_header(t)).collect();
    Header {
        index,
        titles,
        fields,
    }
}

/// Two header rows cell by cell: `身份证` over `号码` → `身份证号码`; a cell empty above
/// (under a merged group title) takes the text below.
fn join_rows(above: &[&str], below: &[&str]) -> Vec<String> {
    (0..above.len().max(below.len()))
        .map(|i| {
            let top = above.get(i).map_or("", |c| c.trim());
            let bottom = below.get(i).map_or("", |c| c.trim());
            format!("{top}{bottom}")
        })
        .collect()
}

/// Whether mapped fields make a person list: a name or an ID column, plus another column
/// that only describes people (ID number, sex, birth date, age, ethnicity, address). Words
/// such as "name", "status" or "category" head many tables that list no one (products,
/// colours, tasks), so they alone do not qualify, and a staff table with only 姓名 and 职务
/// does not either. A mapping file can still declare any sheet a person list.
pub fn is_person_header(fields: &[Option<Field>]) -> bool {
    let has = |field: Field| fields.contains(&Some(field));
    let personal = [
        Field::IdNumber,
        Field::Sex,
        Field::BirthDate,
        Field::Age,
        Field::Ethnicity,
        Field::Address,
    ];
    let describing = |besides: Field| personal.iter().any(|f| *f != besides && has(*f));
    (has(Field::Name) && describing(Field::Name))
        || (has(Field::IdNumber) && describing(Field::IdNumber))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_through_brackets_spaces_and_case() {
        assert_eq!(field_for_header("姓 名"), Some(Field::Name));
        assert_eq!(
            field_for_header("身份证号码（18位）"),
            Some(Field::IdNumber)
        );
        assert_eq!(field_for_header("公民身份号码："), Some(Field::IdNumber));
        assert_eq!(field_for_header("Date of Birth"), Some(Field::BirthDate));
        assert_eq!(field_for_header("村/社区"), Some(Field::Village));
        assert_eq!(field_for_header("职务"), None);
        assert_eq!(field_for_header(""), None);
    }

    #[test]
    fn the_header_is_found_below_a_merged_title() {
        let rows = vec![
            vec!["托克扎克镇阿亚格村人口登记表"],
            vec!["序号", "姓名", "性别", "公民身份号码", "备注"],
            vec!["1", "阿依古丽·艾买提", "女", "653121199001010023", ""],
        ];
        let header = find_header(&rows).unwrap();
        assert_eq!(header.index, 1);
        assert_eq!(header.fields[3], Some(Field::IdNumber));
        assert!(header.has(Field::Sex));
    }

    #[test]
    fn headers_in_two_languages_or_two_rows_are_read() {
        assert_eq!(field_for_header("姓名/Name"), Some(Field::Name));
        assert_eq!(field_for_header("姓名 ئىسىم"), Some(Field::Name));
        assert_eq!(
            field_for_header("ID number\n公民身份号码"),
            Some(Field::IdNumber)
        );
        assert_eq!(field_for_header("所属乡镇"), Some(Field::Township));
        assert_eq!(field_for_header("乡镇（街道）"), Some(Field::Township));
        assert_eq!(field_for_header("案由"), Some(Field::Reason));

        let rows = vec![
            vec!["序号", "姓名", "身份证", "出生", "户籍"],
            vec!["", "", "号码", "日期", "地址"],
            vec!["1", "古丽", "653121199001010027", "1990-01-01", "疏附县"],
        ];
        let header = find_header(&rows).unwrap();
        assert_eq!(
            header.index, 1,
            "the data starts below the second header row"
        );
        assert_eq!(header.fields[2], Some(Field::IdNumber));
        assert_eq!(header.fields[4], Some(Field::Address));
    }

    #[test]
    fn tables_that_are_not_person_lists_have_no_header() {
        let rows = vec![
            vec!["Name", "Category", "Status"],
            vec!["姓名", "职务", "联系电话"],
            vec!["张三", "局长"],
            vec!["序号", "日期", "事项"],
        ];
        assert_eq!(find_header(&rows), None);
    }
}
