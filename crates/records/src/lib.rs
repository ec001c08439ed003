//! Person records from the spreadsheets of a leak.
//!
//! Pure: every function takes what it works on (a sheet's text, a list of records) and
//! returns facts; nothing here reads files or the catalog, so all of it is easy to test
//! and to benchmark.
//!
//! - [`table::read_sheet`]: a sheet part's text to [`trove_model::Record`]s, through
//!   [`headers`] (synonyms in `data/headers.tsv`), [`mapping`] (TOML overrides) and [`row`]
//!   (normalisation in [`normalize`], consistency flags).
//! - [`resident_id`] and [`regions`]: GB 11643 numbers and GB/T 2260 region codes.
//! - [`persons`]: records to persons; [`photos`]: mugshots to ID numbers.
//! - [`stats`]: counts and rates with their definitions, as text, CSV, JSON and SVG.

pub mod csv_cell;
pub mod field;
pub mod headers;
pub mod list_kind;
pub mod lists;
pub mod mapping;
pub mod normalize;
pub mod persons;
pub mod photos;
pub mod regions;
pub mod resident_id;
pub mod row;
pub mod side_by_side;
pub mod stats;
pub mod summary;
pub mod table;

pub use field::Field;
pub use mapping::{Mapping, MappingError};
pub use table::{SheetInput, SheetOutcome, SheetRecords, read_sheet, read_sheet_in_chunks};

/// The version of the rules that turn rows into records. Raise it when a change alters
/// what records say, so that stores redo their records.
pub const RECORDS_VERSION: u32 = 3;

/// The data lines of a TSV table in `data/`: comments (`#`) and blank lines skipped, cells
/// split on tabs.
pub(crate) fn table_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').map(str::trim).collect())
}
