//! The fields a column of a person list can fill.

use std::fmt;
use std::str::FromStr;

/// What a column holds. `Number` (序号) and `Remark` are recognised (a mapping may name
/// them) but fill no field; their cells stay in the raw row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Number,
    Name,
    IdNumber,
    Sex,
    Ethnicity,
    BirthDate,
    Age,
    Address,
    County,
    Township,
    Village,
    Status,
    Reason,
    DetainedSince,
    Place,
    Phone,
    Remark,
    /// A mapping file says: leave this column out of the fields (it stays in the raw row).
    Ignore,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Number,
        Field::Name,
        Field::IdNumber,
        Field::Sex,
        Field::Ethnicity,
        Field::BirthDate,
        Field::Age,
        Field::Address,
        Field::County,
        Field::Township,
        Field::Village,
        Field::Status,
        Field::Reason,
        Field::DetainedSince,
        Field::Place,
        Field::Phone,
        Field::Remark,
        Field::Ignore,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Number => "number",
            Field::Name => "name",
            Field::IdNumber => "id_number",
            Field::Sex => "sex",
            Field::Ethnicity => "ethnicity",
            Field::BirthDate => "birth_date",
            Field::Age => "age",
            Field::Address => "address",
            Field::County => "county",
            Field::Township => "township",
            Field::Village => "village",
            Field::Status => "status",
            Field::Reason => "reason",
            Field::DetainedSince => "detained_since",
            Field::Place => "place",
            Field::Phone => "phone",
            Field::Remark => "remark",
            Field::Ignore => "ignore",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A field name that is not one of [`Field::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown field `{0}` (known: name, id_number, sex, ethnicity, birth_date, age, address, county, township, village, status, reason, detained_since, place, phone, number, remark, ignore)"
)]
pub struct UnknownField(pub String);

impl FromStr for Field {
    type Err = UnknownField;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .into_iter()
            .find(|f| f.code() == s)
            .ok_or_else(|| UnknownField(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for field in Field::ALL {
            assert_eq!(field.code().parse::<Field>(), Ok(field));
        }
        assert!("surname".parse::<Field>().is_err());
    }
}
