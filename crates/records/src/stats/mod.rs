//! Detention rates and counts over persons, each printed with its full definition.
//!
//! Published figures from the same leak differ by choices, not by data: whether the
//! denominator is the whole population or only adults, on which date ages are taken, how
//! many detention-related records make a person count as held, which ethnic groups are
//! counted. A rate without those choices cannot be checked, so every [`StatsTable`] carries
//! its [`Definition`], and every renderer prints it before the numbers.
//!
//! Pure: [`compute`] takes what it needs of each person ([`PersonFacts`], built by the
//! caller from that person's records) and returns a table; the renderers turn a table
//! into text, CSV or an SVG chart. JSON is the table's `Serialize`.
//!
//! ```
//! use chrono::NaiveDate;
//! use trove_records::stats::{compute, to_text, Dimension, PersonFacts, StatsOptions};
//!
//! let at = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
//! let person = |township: &str, detention_records| PersonFacts {
//!     township: Some(township.into()),
//!     listed: true,
//!     detention_records,
//!     ..PersonFacts::default()
//! };
//! let persons = [person("甲乡", 1), person("甲乡", 0), person("乙乡", 0)];
//! let table = compute(&persons, &StatsOptions::new(Dimension::Township, at));
//! assert_eq!(table.total.held, 1);
//! assert!(to_text(&table).contains("50.0%"));
//! ```

mod age;
mod chart;
mod compute;
mod csv;
mod definition;
mod facts;
mod options;
mod population;
mod printable;
mod table;
mod text;

pub use age::{MAX_AGE, age_on};
pub use chart::{ChartError, to_svg};
pub use compute::compute;
pub use csv::to_csv;
pub use definition::UNKNOWN_GROUP;
pub use definition::{Definition, Measure};
pub use facts::PersonFacts;
pub use options::{Dimension, ParseDimensionError, StatsOptions};
pub use population::Population;
pub use table::{Notes, Row, StatsTable, TOTAL_GROUP, Tally};
pub use text::to_text;
