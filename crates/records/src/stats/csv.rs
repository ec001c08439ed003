//! A table as CSV for spreadsheets and scripts, with the definition kept in the file as
//! leading `# ` comment lines so that the numbers never travel without it.

use super::printable::one_line;
use super::table::{Row, StatsTable};
use crate::csv_cell::csv_cell;

/// `# ` lines (title, definition, notes), then `group,listed,held,rate_percent`, the rows
/// and the total. `rate_percent` has one decimal and is empty where there is no rate.
/// Group names are written with [`csv_cell`]: quoted where needed, formulas defused.
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
    out.push_str(&csv_cell(&row.group));
    out.push_str(&format!(",{},{},{rate}\n", row.listed, row.held));
}
