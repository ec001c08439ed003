//! CSV cells that are safe to open in a spreadsheet program.

/// A value as one CSV cell: quoted when it holds a comma, quote or line break, or begins
/// with `#` (a reader skipping comment lines would drop the row). A value a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) gets a leading
/// apostrophe: leaked text must never execute in the analyst's spreadsheet.
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.starts_with('#') || guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn cells_are_quoted_only_when_they_must_be_and_formulas_are_defused() {
        assert_eq!(csv_cell("托格拉克乡"), "托格拉克乡");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_cell("#1村"), "\"#1村\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    }
}
