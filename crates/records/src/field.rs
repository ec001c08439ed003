//! The fields a column of a person list can fill.

use std::fmt;
use std::str::FromStr;

/// What a column holds. `Number` (序号) and `Remark` are recognised (a mapping may name
/// them) but fill no field; their cells stay in the raw row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The row's serial number within the list (序号, 编号); fills nothing.
    Number,
    /// The person's name (姓名); fills `name`.
    Name,
    /// The resident ID number (身份证号); fills `id_number` and `id_valid`, and is
    /// checked against sex, birth date and age.
    IdNumber,
    /// Sex as the row states it (性别); fills `sex`.
    Sex,
    /// Ethnic group (民族); fills `ethnicity` under its standard Chinese name.
    Ethnicity,
    /// Birth date as the row states it (出生日期); fills `birth_date`.
    BirthDate,
    /// Age in years as written (年龄); fills `age`.
    Age,
    /// A free-text address (住址, 户籍地址); fills `address`, and county, township
    /// and village where the row has no column of their own.
    Address,
    /// County or county-level city (县市); fills `county`.
    County,
    /// Township or town (乡镇); fills `township`.
    Township,
    /// Village or urban neighbourhood (村, 社区); fills `village`.
    Village,
    /// The person's category or situation (人员类别, 状态); fills `status_raw`
    /// and, through `data/status.tsv`, `status`.
    Status,
    /// Why the person is held or watched (收押原因, 主要问题); fills `reason`.
    Reason,
    /// The day detention began (收押时间, 入所时间); fills `detained_since`.
    DetainedSince,
    /// Where the person is held or works (关押地点, 所在单位); fills `place`.
    Place,
    /// Telephone number (联系电话); fills `phone` as written.
    Phone,
    /// Free-text remarks (备注); fills nothing.
    Remark,
    /// A mapping file says: leave this column out of the fields (it stays in the raw row).
    Ignore,
}

impl Field {
    /// Every field, `Ignore` included; parsing a code searches this list.
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

    /// The snake_case name mapping files use for the field (`id_number`), the same
    /// as the first column of `data/headers.tsv`; [`FromStr`] parses it back.
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
