//! A table for a terminal or a report: the definition first, then aligned columns.

use super::printable::{display_width, one_line, pad_left, pad_right};
use super::table::{Row, StatsTable};

const COLUMN_GAP: &str = "  ";

/// The title, the definition and the notes, a blank line, then the rows and the total
/// under a rule. Rates are percentages with one decimal (`12.1%`), `n/a` where nobody is
/// listed. Group names are made one-line (control characters become U+FFFD); Han
/// characters count two columns, so Chinese names line up in a terminal.
pub fn to_text(table: &StatsTable) -> String {
    let mut out = String::new();
    for line in table.heading_lines() {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');

    let header = [
        table.definition.by.noun().to_owned(),
        "listed".to_owned(),
        "held".to_owned(),
        "rate".to_owned(),
    ];
    let body: Vec<[String; 4]> = table.rows.iter().map(cells).collect();
    let total = cells(&table.total);
    let mut widths = [0; 4];
    for row in std::iter::once(&header).chain(&body).chain([&total]) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(display_width(cell));
        }
    }

    push_line(&mut out, &header, &widths);
    for row in &body {
        push_line(&mut out, row, &widths);
    }
    let rule_width = widths.iter().sum::<usize>() + COLUMN_GAP.len() * (widths.len() - 1);
    out.push_str(&"-".repeat(rule_width));
    out.push('\n');
    push_line(&mut out, &total, &widths);
    out
}

fn cells(row: &Row) -> [String; 4] {
    [
        one_line(&row.group).into_owned(),
        row.listed.to_string(),
        row.held.to_string(),
        percent(row.rate),
    ]
}

fn push_line(out: &mut String, cells: &[String; 4], widths: &[usize; 4]) {
    let [group, rest @ ..] = cells;
    let [group_width, rest_widths @ ..] = widths;
    out.push_str(&pad_right(group, *group_width));
    for (cell, width) in rest.iter().zip(rest_widths) {
        out.push_str(COLUMN_GAP);
        out.push_str(&pad_left(cell, *width));
    }
    out.push('\n');
}

/// `12.1%`, or `n/a` when there is no rate.
pub(crate) fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{:.1}%", rate * 100.0),
        None => "n/a".to_owned(),
    }
}
