//! One row of a person list to a [`Record`]: the cells verbatim, the fields normalised,
//! and a flag for every value that cannot be read or that contradicts the ID number.

use chrono::{Datelike, NaiveDate};
use trove_model::{Flag, ListKind, RawCell, Record, RecordFields, RowRef, column_letter};

use crate::field::Field;
use crate::headers::Header;
use crate::normalize::address::parse_address;
use crate::normalize::date::{ParsedDate, parse_date};
use crate::normalize::ethnicity::standard_ethnicity;
use crate::normalize::name::{looks_like_name, normalize_name};
use crate::normalize::sex::parse_sex;
use crate::normalize::status::{status_category, status_in_text};
use crate::resident_id::{self, DecodedId};

/// Without a date in the row, an age column is checked against this span of years: the
/// lists trove is built for were drawn up in it.
const AGE_YEARS: std::ops::RangeInclusive<i32> = 2009..=2030;

/// Builds the record of one row. `list` is the kind of the table it belongs to.
pub fn build_record(header: &Header, cells: &[&str], source: RowRef, list: ListKind) -> Record {
    let raw = raw_cells(header, cells, source.column as usize);
    let mut builder = Builder::default();
    let value = |field: Field| first_value(header, cells, field);

    builder.name(value(Field::Name));
    let id = value(Field::IdNumber).map(resident_id::decode);
    builder.id(id.as_ref());
    builder.sex(value(Field::Sex), id.as_ref());
    builder.ethnicity(value(Field::Ethnicity));
    builder.birth_date(value(Field::BirthDate), id.as_ref());
    builder.places(
        value(Field::Address),
        value(Field::County),
        value(Field::Township),
        value(Field::Village),
        id.as_ref(),
    );
    match value(Field::Status) {
        Some(status) => builder.status(Some(status)),
        None => builder.status_from_remark(value(Field::Remark)),
    }
    builder.fields.reason = value(Field::Reason).map(str::to_owned);
    builder.fields.place = value(Field::Place).map(str::to_owned);
    builder.fields.phone = value(Field::Phone).map(str::to_owned);
    builder.detained_since(value(Field::DetainedSince));
    builder.age(value(Field::Age), id.as_ref());
    Record {
        source,
        list,
        raw,
        fields: builder.fields,
        flags: builder.flags,
    }
}

/// Every cell of the row under its column's header (or its letter in the sheet, for a
/// column without one; `first_column` is where the row's table begins).
fn raw_cells(header: &Header, cells: &[&str], first_column: usize) -> Vec<RawCell> {
    cells
        .iter()
        .enumerate()
        .map(|(i, value)| RawCell {
            header: header
                .titles
                .get(i)
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| column_letter(first_column + i)),
            value: (*value).to_owned(),
        })
        .collect()
}

/// The first non-empty cell of a column holding `field`, trimmed.
fn first_value<'a>(header: &Header, cells: &[&'a str], field: Field) -> Option<&'a str> {
    header
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Some(field))
        .filter_map(|(i, _)| cells.get(i).map(|c| c.trim()))
        .find(|c| !c.is_empty())
}

#[derive(Default)]
struct Builder {
    fields: RecordFields,
    flags: Vec<Flag>,
}

impl Builder {
    fn flag(&mut self, code: &str, detail: String) {
        self.flags.push(Flag {
            code: code.to_owned(),
            detail,
        });
    }

    fn name(&mut self, raw: Option<&str>) {
        let name = raw.and_then(normalize_name);
        match &name {
            Some(n) if !looks_like_name(n) => {
                self.flag(
                    "name_odd",
                    format!("the name `{n}` holds digits or symbols"),
                );
            }
            None => self.flag("name_missing", "the row has no name".into()),
            _ => {}
        }
        self.fields.name = name;
    }

    fn id(&mut self, id: Option<&DecodedId>) {
        let Some(id) = id else {
            self.flag("id_missing", "the row has no resident ID number".into());
            return;
        };
        self.fields.id_number = id.canonical.clone();
        self.fields.id_valid = id.is_valid();
        for problem in &id.problems {
            self.flag(
                &format!("id_{}", problem.code()),
                format!("ID number `{}`: {problem}", id.input),
            );
        }
    }

    fn sex(&mut self, raw: Option<&str>, id: Option<&DecodedId>) {
        let Some(raw) = raw else { return };
        let Some(sex) = parse_sex(raw) else {
            self.flag(
                "sex_unreadable",
                format!("the sex `{raw}` is not one trove knows"),
            );
            return;
        };
        self.fields.sex = Some(sex);
        if let Some(id_sex) = id.filter(|id| id.is_valid()).and_then(|id| id.sex)
            && id_sex != sex
        {
            self.flag(
                "sex_mismatch",
                format!(
                    "the row says {} but the ID number encodes {}",
                    sex.chinese(),
                    id_sex.chinese()
                ),
            );
        }
    }

    fn ethnicity(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else { return };
        match standard_ethnicity(raw) {
            Some(standard) => self.fields.ethnicity = Some(standard.to_owned()),
            None => {
                self.flag(
                    "ethnicity_unknown",
                    format!("`{raw}` is not one of the 56 recognised groups"),
                );
                self.fields.ethnicity = Some(raw.to_owned());
            }
        }
    }

    fn birth_date(&mut self, raw: Option<&str>, id: Option<&DecodedId>) {
        let id_birth = id.filter(|id| id.is_valid()).and_then(|id| id.birth_date);
        let Some(raw) = raw else { return };
        let Some(parsed) = parse_date(raw) else {
            self.flag(
                "birth_date_unreadable",
                format!("the birth date `{raw}` is not a date"),
            );
            return;
        };
        match parsed {
            ParsedDate::Day(day) => self.fields.birth_date = Some(day),
            _ => self.flag(
                "birth_date_partial",
                format!("the birth date `{raw}` gives no day"),
            ),
        }
        if let Some(id_birth) = id_birth
            && !parsed.admits(id_birth)
        {
            self.flag(
                "birth_date_mismatch",
                format!("the row says `{raw}` but the ID number encodes {id_birth}"),
            );
        }
    }

    fn places(
        &mut self,
        address: Option<&str>,
        county: Option<&str>,
        township: Option<&str>,
        village: Option<&str>,
        id: Option<&DecodedId>,
    ) {
        let parts = address.map(parse_address).unwrap_or_default();
        self.fields.address = address.map(str::to_owned);
        self.fields.county = county.map(str::to_owned).or(parts.county);
        self.fields.township = township.map(str::to_owned).or(parts.township);
        self.fields.village = village.map(str::to_owned).or(parts.village);
        let region = id
            .filter(|id| id.is_valid())
            .and_then(|id| id.region.as_ref());
        if let (Some(county), Some(region)) = (&self.fields.county, region)
            && region.is_county()
            && region.name != *county
        {
            self.flag(
                "address_county_mismatch",
                format!(
                    "the address is in {county} but the ID number was issued in {} ({})",
                    region.name, region.code
                ),
            );
        }
    }

    fn status(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else { return };
        self.fields.status_raw = Some(raw.to_owned());
        self.fields.status = status_category(raw);
        if self.fields.status.is_none() {
            self.flag(
                "status_unknown",
                format!("the status `{raw}` is not in the status table"),
            );
        }
    }

    /// A status only a remark gives (`2017年送教育转化培训中心`): read, and flagged so that a
    /// person can check it.
    fn status_from_remark(&mut self, remark: Option<&str>) {
        let Some(remark) = remark else { return };
        let Some((category, keyword)) = status_in_text(remark) else {
            return;
        };
        self.fields.status = Some(category);
        self.fields.status_raw = Some(remark.to_owned());
        self.flag(
            "status_from_remark",
            format!("the status was read from the remark `{remark}`, which says {keyword}"),
        );
    }

    fn detained_since(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else { return };
        match parse_date(raw) {
            Some(ParsedDate::Day(day)) => self.fields.detained_since = Some(day),
            Some(_) => self.flag(
                "detained_since_partial",
                format!("the detention date `{raw}` gives no day"),
            ),
            None => self.flag(
                "detained_since_unreadable",
                format!("the detention date `{raw}` is not a date"),
            ),
        }
    }

    fn age(&mut self, raw: Option<&str>, id: Option<&DecodedId>) {
        let Some(raw) = raw else { return };
        let digits = raw.trim_end_matches(['岁', '周']).trim();
        let Ok(age) = digits.parse::<u32>() else {
            self.flag("age_unreadable", format!("the age `{raw}` is not a number"));
            return;
        };
        self.fields.age = Some(age);
        let birth = id
            .filter(|id| id.is_valid())
            .and_then(|id| id.birth_date)
            .or(self.fields.birth_date);
        let Some(birth) = birth else { return };
        if !age_fits(birth, age, self.fields.detained_since) {
            self.flag(
                "age_mismatch",
                format!("the row says age {age} but the person was born on {birth}"),
            );
        }
    }
}

/// Whether someone born on `birth` was `age` on the row's date (give or take the year the
/// list may have taken to draw up), or, without a date, at some time in [`AGE_YEARS`].
fn age_fits(birth: NaiveDate, age: u32, row_date: Option<NaiveDate>) -> bool {
    let implied_year = birth.year() + age as i32;
    match row_date {
        Some(date) => (implied_year - date.year()).abs() <= 1,
        None => (AGE_YEARS.start() - 1..=AGE_YEARS.end() + 1).contains(&implied_year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::find_header;
    use trove_model::{BlobId, Sex, StatusCategory};

    fn source() -> RowRef {
        RowRef {
            blob: BlobId::from_digest([7; 32]),
            part: 0,
            sheet: Some("人口登记表".into()),
            row: 3,
            column: 0,
        }
    }

    fn record(header: &[&str], row: &[&str]) -> Record {
        let header = find_header(&[header.to_vec()]).expect("a person header");
        build_record(&header, row, source(), ListKind::Register)
    }

    fn codes(record: &Record) -> Vec<&str> {
        record.flags.iter().map(|f| f.code.as_str()).collect()
    }

    const HEADER: &[&str] = &[
        "姓名",
        "性别",
        "民族",
        "公民身份号码",
        "出生日期",
        "现住址",
        "人员类别",
    ];

    #[test]
    fn a_clean_row_normalises_without_flags() {
        let r = record(
            HEADER,
            &[
                "热依拉 奥迈尔",
                "女",
                "维吾尔族",
                "653121199001010027",
                "1990年1月1日",
                "新疆疏附县托克扎克镇阿亚格村3组12号",
                "教育转化培训中心",
            ],
        );
        assert_eq!(codes(&r), Vec::<&str>::new(), "{:?}", r.flags);
        let f = &r.fields;
        assert_eq!(f.name.as_deref(), Some("热依拉·奥迈尔"));
        assert_eq!(f.id_number.as_deref(), Some("653121199001010027"));
        assert!(f.id_valid);
        assert_eq!(f.sex, Some(Sex::Female));
        assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(1990, 1, 1));
        assert_eq!(f.county.as_deref(), Some("疏附县"));
        assert_eq!(f.township.as_deref(), Some("托克扎克镇"));
        assert_eq!(f.village.as_deref(), Some("阿亚格村"));
        assert_eq!(f.status, Some(StatusCategory::TrainingCentre));
        assert_eq!(r.raw[0].header, "姓名");
        assert_eq!(r.raw[0].value, "热依拉 奥迈尔");
    }

    #[test]
    fn contradictions_with_the_id_number_are_flagged() {
        let r = record(
            HEADER,
            &[
                "热依拉·奥迈尔",
                "男",
                "维吾尔族",
                "653121199001010027",
                "1991.01.01",
                "新疆特克斯县喀拉达拉镇",
                "正常",
            ],
        );
        assert_eq!(
            codes(&r),
            vec![
                "sex_mismatch",
                "birth_date_mismatch",
                "address_county_mismatch"
            ]
        );
    }

    #[test]
    fn garbage_gives_a_flagged_record_not_a_failure() {
        let r = record(
            HEADER,
            &["#REF!", "?", "火星人", "12345", "someday", "", "不详"],
        );
        let flags = codes(&r);
        for expected in [
            "name_odd",
            "sex_unreadable",
            "ethnicity_unknown",
            "birth_date_unreadable",
            "status_unknown",
        ] {
            assert!(
                flags.contains(&expected),
                "{expected} missing from {flags:?}"
            );
        }
        assert!(flags.iter().any(|f| f.starts_with("id_")), "{flags:?}");
        assert!(!r.fields.id_valid);
    }

    #[test]
    fn an_age_column_is_checked_against_the_id() {
        let header = &["姓名", "身份证号", "年龄", "收押时间"];
        let fits = record(
            header,
            &["古丽", "653121199001010027", "28岁", "2018-03-01"],
        );
        assert!(!codes(&fits).contains(&"age_mismatch"), "{:?}", fits.flags);
        let off = record(header, &["古丽", "653121199001010027", "45", "2018-03-01"]);
        assert!(codes(&off).contains(&"age_mismatch"));
    }

    #[test]
    fn a_status_only_a_remark_gives_is_read_and_flagged() {
        let header = ["姓名", "公民身份号码", "备注"];
        let held = record(
            &header,
            &["古丽", "653121199001010027", "2017年送教育转化培训中心"],
        );
        assert_eq!(held.fields.status, Some(StatusCategory::TrainingCentre));
        assert!(held.flags.iter().any(|f| f.code == "status_from_remark"));
        let free = record(&header, &["古丽", "653121199001010027", "未在押"]);
        assert_eq!(free.fields.status, None);
        assert!(free.flags.is_empty());
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
