//! A table as CSV for spreadsheets and scripts, with the definition kept in the file as
//! leading `# ` comment lines so that the numbers never travel without it.

use super::printable::one_line;
use super::table::{Row, StatsTable};

/// `# ` lines (title, definition, notes), then `group,listed,held,rate_percent`, the rows
/// and the total. `rate_percent` has one decimal and is empty where there is no rate.
/// Fields are quoted when they hold a comma, a quote or a line break, or begin with `#`
/// (a reader skipping comments would drop the row); group names are otherwise verbatim.
pub fn to_csv(table: &StatsTable) -> String {
    let mut out = String::new();
    for line in table.heading_lines() {
        out.push_str("# ");
        out.push_str(&one_line(&line));
        out.push('\n');
    }
    out.push_str("group,listed,held,rate_percent\n");
    for row in table.rows.iter().chain([&table.total]) {
        push_row(&mut out, row);
    }
    out
}

fn push_row(out: &mut String, row: &Row) {
    let rate = row
        .rate
        .map(|rate| format!("{:.1}", rate * 100.0))
        .unwrap_or_default();
    out.push_str(&field(&row.group));
    out.push_str(&format!(",{},{},{rate}\n", row.listed, row.held));
}

fn field(value: &str) -> String {
    let needs_quotes = value.starts_with('#') || value.contains([',', '"', '\n', '\r']);
    if needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(field("托格拉克乡"), "托格拉克乡");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("#1村"), "\"#1村\"");
    }
}
