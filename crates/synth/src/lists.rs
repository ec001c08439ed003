//! The bureau's lists of people (`01-人员名单`): village registers of every resident, lists
//! of the detained by township and by camp, and CSV exports, each in its own layout.

use crate::error::SynthError;
use crate::ground_truth::{RowKind, SearchTruth};
use crate::leak::{Doc, Leak};
use crate::people::Resident;
use crate::spreadsheets::{Column, CsvEncoding, DateStyle, Field, SheetSpec, csv, xlsx};
use crate::vocabulary::Vocabulary;

/// Where the person lists live in the share.
const FOLDER: &str = "疏附县公安局/01-人员名单";

/// A village register with a merged title row (one workbook per village).
pub(crate) const REGISTER: &[Column] = &[
    ("序号", Field::Number),
    ("姓名", Field::Name),
    ("性别", Field::Sex),
    ("民族", Field::Ethnicity),
    ("公民身份号码", Field::IdNumber),
    ("出生日期", Field::Birth(DateStyle::Excel)),
    ("现住址", Field::Address),
    ("人员类别", Field::Status),
    ("联系电话", Field::Phone),
    ("备注", Field::Remark),
];

/// A township's population roll, one sheet per village, header in row 1.
fn roll(birth: DateStyle) -> [Column; 9] {
    [
        ("姓名", Field::Name),
        ("身份证号", Field::IdNumber),
        ("性别", Field::Sex),
        ("民族", Field::Ethnicity),
        ("出生年月", Field::Birth(birth)),
        ("乡镇", Field::Township),
        ("村/社区", Field::Village),
        ("住址", Field::Address),
        ("状态", Field::Status),
    ]
}

pub(crate) const DETAINEES: &[Column] = &[
    ("序号", Field::Number),
    ("姓名", Field::Name),
    ("身份证号", Field::IdNumber),
    ("性别", Field::Sex),
    ("民族", Field::Ethnicity),
    ("出生日期", Field::Birth(DateStyle::Compact)),
    ("乡镇", Field::Township),
    ("村", Field::Village),
    ("人员类别", Field::Status),
    ("收押原因", Field::Reason),
    ("收押时间", Field::DetainedSince(DateStyle::Excel)),
    ("关押地点", Field::Place),
    ("备注", Field::Remark),
];

const TRAINEES: &[Column] = &[
    ("序号", Field::Number),
    ("姓名", Field::Name),
    ("公民身份号码", Field::IdNumber),
    ("性别", Field::Sex),
    ("出生年月", Field::Birth(DateStyle::Chinese)),
    ("乡镇", Field::Township),
    ("村/社区", Field::Village),
    ("所在单位", Field::Place),
    ("原因", Field::Reason),
    ("收押时间", Field::DetainedSince(DateStyle::Dotted)),
];

const SUMMARY: &[Column] = &[
    ("姓名", Field::Name),
    ("公民身份号码", Field::IdNumber),
    ("性别", Field::Sex),
    ("民族", Field::Ethnicity),
    ("出生日期", Field::Birth(DateStyle::Iso)),
    ("现住址", Field::Address),
    ("人员类别", Field::Status),
    ("原因", Field::Reason),
    ("收押时间", Field::DetainedSince(DateStyle::Dotted)),
];

pub(crate) const EXPORT: &[Column] = &[
    ("姓名", Field::Name),
    ("身份证号", Field::IdNumber),
    ("性别", Field::Sex),
    ("民族", Field::Ethnicity),
    ("出生日期", Field::Birth(DateStyle::Compact)),
    ("乡镇", Field::Township),
    ("村", Field::Village),
    ("住址", Field::Address),
    ("人员类别", Field::Status),
    ("联系电话", Field::Phone),
];

/// Documents other writers reuse (email attachments, archive members, misnamed copies).
pub(crate) struct Lists {
    /// A township's detainee list, and its path.
    pub detainee_list: (String, Doc),
    /// A village register, and its path.
    pub register: (String, Doc),
    pub searches: Vec<SearchTruth>,
}

/// Writes every list under `01-人员名单`.
pub(crate) fn write(
    leak: &mut Leak,
    vocabulary: &Vocabulary,
    residents: &[Resident],
) -> Result<Lists, SynthError> {
    let mut detainee_list = None;
    let mut register = None;
    let mut searches = Vec::new();
    for (index, township) in vocabulary.townships.iter().enumerate() {
        let of_village = |village: &str| -> Vec<&Resident> {
            residents
                .iter()
                .filter(|r| r.township == township.name && r.village == village)
                .collect()
        };
        if index % 2 == 0 {
            for (v, village) in township.villages.iter().enumerate() {
                let people = of_village(village);
                if people.is_empty() {
                    continue;
                }
                let path = format!("{FOLDER}/{0}/{0}{village}人口登记表.xlsx", township.name);
                let spec = SheetSpec {
                    name: "人口登记表".into(),
                    title: Some(format!("{}{village}人口登记表", township.name)),
                    columns: REGISTER,
                    residents: people,
                    blank_row_midway: v % 2 == 1,
                };
                let doc = xlsx(&path, RowKind::Register, &[spec])?;
                if register.is_none() {
                    register = Some((path.clone(), doc.clone()));
                }
                leak.place(&path, doc)?;
            }
        } else {
            let birth = if index % 4 == 1 {
                DateStyle::Dotted
            } else {
                DateStyle::Chinese
            };
            let columns = roll(birth);
            let specs: Vec<SheetSpec> = township
                .villages
                .iter()
                .map(|village| SheetSpec {
                    name: (*village).to_owned(),
                    title: None,
                    columns: &columns,
                    residents: of_village(village),
                    blank_row_midway: false,
                })
                .filter(|spec| !spec.residents.is_empty())
                .collect();
            if !specs.is_empty() {
                let path = format!("{FOLDER}/{0}/{0}人口花名册.xlsx", township.name);
                leak.place(&path, xlsx(&path, RowKind::Register, &specs)?)?;
            }
        }

        let held: Vec<&Resident> = residents
            .iter()
            .filter(|r| r.township == township.name && r.detained())
            .collect();
        if let Some(first) = held.first() {
            let path = format!("{FOLDER}/在押人员名单/{}在押人员名单.xlsx", township.name);
            searches.push(SearchTruth {
                query: first.id_number.clone(),
                path: path.clone(),
                snippet: first.id_number.clone(),
            });
            let spec = SheetSpec {
                name: "在押人员".into(),
                title: Some(format!("{}在押人员名单", township.name)),
                columns: DETAINEES,
                residents: held,
                blank_row_midway: false,
            };
            let doc = xlsx(&path, RowKind::Detainees, &[spec])?;
            if detainee_list.is_none() {
                detainee_list = Some((path.clone(), doc.clone()));
            }
            leak.place(&path, doc)?;
        }
    }

    let trainees: Vec<SheetSpec> = vocabulary
        .townships
        .iter()
        .map(|township| SheetSpec {
            name: township.name.to_owned(),
            title: None,
            columns: TRAINEES,
            residents: residents
                .iter()
                .filter(|r| r.township == township.name && r.status.name == "教育转化培训中心")
                .collect(),
            blank_row_midway: false,
        })
        .filter(|spec| !spec.residents.is_empty())
        .collect();
    if !trainees.is_empty() {
        let path = format!("{FOLDER}/学员名单.xlsx");
        leak.place(&path, xlsx(&path, RowKind::Detainees, &trainees)?)?;
    }

    let held: Vec<&Resident> = residents.iter().filter(|r| r.detained()).collect();
    let summary = csv(RowKind::Detainees, CsvEncoding::Utf8Bom, SUMMARY, &held);
    leak.place(&format!("{FOLDER}/汇总/在押人员汇总.csv"), summary)?;
    if let Some(township) = vocabulary.townships.first() {
        let people: Vec<&Resident> = residents
            .iter()
            .filter(|r| r.township == township.name)
            .collect();
        let export = csv(RowKind::Register, CsvEncoding::Gbk, EXPORT, &people);
        leak.place(
            &format!("{FOLDER}/汇总/{}人口信息导出.csv", township.name),
            export,
        )?;
    }

    let (Some(detainee_list), Some(register)) = (detainee_list, register) else {
        return Err(SynthError::encode(
            FOLDER,
            "too few people for a register and a detainee list",
        ));
    };
    if let Some(name) = register.1.texts.iter().find(|t| t.contains('·')) {
        searches.push(SearchTruth {
            query: name.clone(),
            path: register.0.clone(),
            snippet: name.clone(),
        });
    }
    Ok(Lists {
        detainee_list,
        register,
        searches,
    })
}
