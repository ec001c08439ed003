//! trove's own table of Xinjiang codes since 1980 (`data/regions-xinjiang.tsv`): the
//! gb2260 crate starts in 2002, and most people in the leaked lists hold ID numbers issued
//! with older codes.

use std::sync::LazyLock;

use super::{InUse, Level, Region};

/// The table, sorted by code and then by year, parsed once.
static TABLE: LazyLock<Vec<Region>> = LazyLock::new(|| {
    parse(include_str!("../../data/regions-xinjiang.tsv"))
        .unwrap_or_else(|problem| panic!("data/regions-xinjiang.tsv: {problem}"))
});

pub(super) fn all() -> &'static [Region] {
    &TABLE
}

/// Every line for `code`, oldest first; empty when the table does not have it.
pub(super) fn history(code: &str) -> &'static [Region] {
    let start = TABLE.partition_point(|r| r.code.as_str() < code);
    let end = TABLE.partition_point(|r| r.code.as_str() <= code);
    &TABLE[start..end]
}

/// Reads the table and checks what lookups rely on: six-digit 65… codes, sorted, each
/// name's years in order, a prefecture only for counties.
fn parse(text: &'static str) -> Result<Vec<Region>, String> {
    let lines: Vec<Vec<&str>> = crate::table_lines(text).collect();
    let province = lines
        .iter()
        .find_map(|cells| {
            (cells.first() == Some(&"650000"))
                .then(|| cells.get(1))
                .flatten()
        })
        .ok_or("no line for the autonomous region itself (650000)")?;
    let mut regions: Vec<Region> = Vec::with_capacity(lines.len());
    for cells in &lines {
        let &[code, name, prefecture, first, until] = cells.as_slice() else {
            return Err(format!("{cells:?}: five cells expected"));
        };
        if code.len() != 6 || !code.starts_with("65") || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{code}: not a Xinjiang code"));
        }
        let year = |cell: &str| {
            cell.parse::<u16>()
                .map_err(|_| format!("{code}: `{cell}` is no year"))
        };
        let first = year(first)?;
        let until = if until.is_empty() {
            None
        } else {
            Some(year(until)?)
        };
        if until.is_some_and(|until| until <= first) {
            return Err(format!("{code} {name}: retired before it came into use"));
        }
        let level = Level::of(code);
        if level != Level::County && !prefecture.is_empty() {
            return Err(format!("{code} {name}: only counties have a prefecture"));
        }
        if let Some(previous) = regions.last()
            && (previous.code.as_str(), previous.in_use.span().0) >= (code, first)
        {
            return Err(format!("{code} {name}: out of order"));
        }
        regions.push(Region {
            code: code.to_owned(),
            name: name.to_owned(),
            level,
            prefecture: (!prefecture.is_empty()).then(|| prefecture.to_owned()),
            province: (*province).to_owned(),
            in_use: InUse::XinjiangTable { first, until },
        });
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_covers_every_level() {
        let table = all();
        assert_eq!(table.len(), 188);
        for level in [Level::Province, Level::Prefecture, Level::County] {
            assert!(table.iter().any(|r| r.level == level), "{level:?}");
        }
        assert!(table.iter().all(|r| r.province == "新疆维吾尔自治区"));
    }

    #[test]
    fn lookups_find_every_name_of_a_code_and_nothing_else() {
        assert_eq!(history("650107").len(), 3);
        assert_eq!(history("653121").len(), 1);
        assert!(history("653199").is_empty());
        assert!(history("110105").is_empty());
    }

    #[test]
    fn malformed_tables_are_refused() {
        for (text, expected) in [
            (
                "650100\t乌鲁木齐市\t\t1981\t\n",
                "no line for the autonomous region",
            ),
            ("650000\t新疆\t\t1981\n", "five cells expected"),
            (
                "650000\t新疆\t\t1981\t\n110000\t北京\t\t1981\t\n",
                "not a Xinjiang code",
            ),
            ("650000\t新疆\t\t198l\t\n", "is no year"),
            ("650000\t新疆\t\t1990\t1984\n", "retired before"),
            ("650000\t新疆\t伊犁\t1981\t\n", "only counties"),
            (
                "650000\t新疆\t\t1981\t\n650000\t新疆\t\t1981\t\n",
                "out of order",
            ),
        ] {
            let problem = parse(text).expect_err(text);
            assert!(problem.contains(expected), "{problem}");
        }
    }
}
