//! The facts about one person that statistics use, and nothing else: the caller decides
//! how a person's records become these (which status wins, which birth date), so this
//! module never has to.

use chrono::NaiveDate;
use trove_model::{Sex, StatusCategory};

/// What statistics need to know of one person (the records that share one resident ID).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    /// The person's sex, for tables by sex.
    pub sex: Option<Sex>,
    /// The ethnic group's standard Chinese name (`维吾尔族`).
    pub ethnicity: Option<String>,
    /// The full birth date, from which ages on the reference date are reckoned
    /// (adults-only figures, tables by age).
    pub birth_date: Option<NaiveDate>,
    /// The township the person is listed in, as recorded; rows of tables by township.
    pub township: Option<String>,
    /// The village the person is listed in, as recorded; tables by village group it
    /// under `township`.
    pub village: Option<String>,
    /// Whether the person is in at least one population register: only listed persons
    /// enter the denominator of a rate.
    pub listed: bool,
    /// How many of the person's records say the person is held (a detention status, or a
    /// row of a list of the detained).
    pub detention_records: u32,
    /// The person's status category, as the caller chose it from the records.
    pub status: Option<StatusCategory>,
}
