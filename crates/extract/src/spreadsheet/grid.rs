//! A sheet's cells laid out as text: one line per row from row 1, cells
//! separated by tabs from column A, so that line N, field M is cell (N, M).

use super::cell::{Value, render};

/// Cells collected in whatever order the file gives them, their text in
/// one buffer (a sheet of millions of cells costs 16 bytes a cell, not a
/// `String` each).
#[derive(Default)]
pub(super) struct Grid {
    text: String,
    cells: Vec<Placed>,
}

struct Placed {
    row: u32,
    col: u32,
    start: usize,
    end: usize,
}

impl Grid {
    /// Adds the cell at 0-based (`row`, `col`); empty cells are not kept.
    pub(super) fn add(&mut self, row: u32, col: u32, value: Value<'_>) {
        let start = self.text.len();
        render(value, &mut self.text);
        if self.text.len() > start {
            self.cells.push(Placed {
                row,
                col,
                start,
                end: self.text.len(),
            });
        }
    }

    /// Bytes of cell text collected so far.
    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    /// The sheet as text, stopping once it is longer than `max_bytes`.
    pub(super) fn into_text(mut self, max_bytes: usize) -> String {
        // Files almost always list cells in order; sorting is then a scan.
        self.cells.sort_by_key(|c| (c.row, c.col));
        let mut out = String::new();
        // The cursor: the row being written and the column whose field it
        // is in (a line starts in column A's field, empty so far).
        let (mut row, mut col, mut filled) = (0u32, 0u32, false);
        for cell in &self.cells {
            if out.len() > max_bytes {
                break;
            }
            if cell.row == row && filled && cell.col <= col {
                // A second value for one position: keep the first.
                continue;
            }
            if cell.row > row {
                push_repeated(&mut out, '\n', cell.row - row, max_bytes);
                (row, col) = (cell.row, 0);
            }
            push_repeated(&mut out, '\t', cell.col - col, max_bytes);
            out.push_str(self.text.get(cell.start..cell.end).unwrap_or_default());
            (col, filled) = (cell.col, true);
        }
        out
    }
}

/// Pushes `count` copies of `c`, no further than just past `max_bytes`
/// (a lone cell at row 1,000,000 must not cost more than the budget).
fn push_repeated(out: &mut String, c: char, count: u32, max_bytes: usize) {
    let room = max_bytes.saturating_sub(out.len()).saturating_add(1);
    let n = usize::try_from(count).unwrap_or(usize::MAX).min(room);
    out.extend(std::iter::repeat_n(c, n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_n_is_row_n_and_gaps_are_kept() {
        let mut grid = Grid::default();
        grid.add(2, 1, Value::Text("阿依古丽"));
        grid.add(0, 0, Value::Text("姓名"));
        grid.add(0, 2, Value::Int(18));
        grid.add(2, 0, Value::Empty);
        grid.add(3, 0, Value::Text("甲"));
        grid.add(3, 1, Value::Text("乙"));
        assert_eq!(
            grid.into_text(usize::MAX),
            "姓名\t\t18\n\n\t阿依古丽\n甲\t乙"
        );
    }

    #[test]
    fn far_away_cells_are_bounded_by_the_budget() {
        let mut grid = Grid::default();
        grid.add(1_000_000, 16_000, Value::Text("x"));
        assert!(grid.into_text(100).len() <= 110);
    }
}
