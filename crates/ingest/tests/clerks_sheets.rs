//! Lists as clerks make them: totals under and inside the rows, a list of people singled
//! out beside the register, a list nothing names, a list run in two blocks side by side,
//! hidden rows and a hidden sheet. Totals are never persons; each sheet's kind comes with
//! its evidence; only established kinds enter a rate; what the workbook hides is flagged.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::ingest_fresh;
use trove_model::{ListKind, Record};
use trove_records::stats::{Dimension, StatsOptions, compute};
use trove_store::RecordCatalog;

const REGISTER: &str = "\
阿亚格村人口登记表
序号,姓名,性别,公民身份号码,乡镇,人员类别
1,古丽,女,653121199001010027,托克扎克镇,正常
2,艾买提,男,653121198503150017,托克扎克镇,教育转化培训中心
小计,2人,,,,
3,阿依努尔,女,653121197807200031,托克扎克镇,正常
合  计,3人,,,,
";

/// People singled out, one of them held and listed nowhere else: a rate must see none of it.
const KEY_PERSONS: &str = "\
序号,姓名,性别,公民身份号码,乡镇,人员类别
1,古丽,女,653121199001010027,托克扎克镇,正常
2,买买提,男,653121199511110044,托克扎克镇,在押
共2人,,,,,
";

/// A list nothing names: mixed statuses, no title, a neutral file name.
const UNNAMED: &str = "\
姓名,性别,公民身份号码,乡镇,人员类别
热依拉,女,653121200002290054,托克扎克镇,正常
阿不都,男,653121197807200031,托克扎克镇,判刑
";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn totals_are_not_persons_and_only_established_lists_enter_rates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "阿亚格村人口登记表.csv", REGISTER);
    write(dir.path(), "涉稳重点人员排查.csv", KEY_PERSONS);
    write(dir.path(), "名单.csv", UNNAMED);
    let ingested = ingest_fresh(dir.path());
    let catalog: &dyn RecordCatalog = &*ingested.store.catalog;

    let records: Vec<Record> = common::all_records(&ingested.store);
    let names: Vec<&str> = records
        .iter()
        .filter_map(|r| r.fields.name.as_deref())
        .collect();
    assert_eq!(
        records.len(),
        7,
        "one record per person row, no totals: {names:?}"
    );
    assert!(!names.iter().any(|n| n.contains('人') || n.contains('计')));

    let sheets = catalog.person_sheets().unwrap();
    let kind_of = |file: &str| {
        let sheet = sheets
            .iter()
            .find(|s| s.paths.iter().any(|p| p == file))
            .unwrap_or_else(|| panic!("{file} is a person sheet"));
        (sheet.list, sheet.evidence.clone())
    };
    let (register, evidence) = kind_of("阿亚格村人口登记表.csv");
    assert_eq!(register, ListKind::Register);
    assert!(evidence.contains("人口"), "{evidence}");
    let (targeted, evidence) = kind_of("涉稳重点人员排查.csv");
    assert_eq!(targeted, ListKind::Targeted);
    assert!(evidence.contains("涉稳"), "{evidence}");
    assert_eq!(kind_of("名单.csv").0, ListKind::Other);
    assert!(
        !sheets[0].list.enters_rates(),
        "undecided kinds are listed first"
    );

    let facts = common::person_facts(&ingested.store);
    let at = NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
    let table = compute(&facts, &StatsOptions::new(Dimension::Township, at));
    assert_eq!(
        table.total.listed, 3,
        "the register alone is the denominator"
    );
    assert_eq!(
        table.total.held, 1,
        "only the register's held person is held"
    );
}

/// A register run in two blocks side by side to fit a page, one row hidden, and a hidden
/// sheet holding one more person.
fn side_by_side_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("登记表").unwrap();
    let header = ["序号", "姓名", "性别", "公民身份号码"];
    // Each row of the sheet: the left block's person, then the right block's.
    let rows = [
        [
            ["1", "古丽", "女", "653121199001010027"],
            ["3", "艾买提", "男", "653121198503150017"],
        ],
        [
            ["2", "阿依努尔", "男", "653121197807200031"],
            ["4", "买买提", "女", "653121199511110044"],
        ],
    ];
    sheet.write_string(0, 0, "阿亚格村人口登记表").unwrap();
    for (block, first_column) in [(0usize, 0u16), (1, 5)] {
        for (col, title) in header.iter().enumerate() {
            sheet
                .write_string(1, first_column + col as u16, *title)
                .unwrap();
        }
        for (row, cells) in rows.iter().enumerate() {
            for (col, value) in cells[block].iter().enumerate() {
                sheet
                    .write_string(2 + row as u32, first_column + col as u16, *value)
                    .unwrap();
            }
        }
    }
    sheet.set_row_hidden(3).unwrap();
    let hidden = book.add_worksheet();
    hidden.set_name("另册").unwrap();
    for (col, title) in header.iter().enumerate() {
        hidden.write_string(0, col as u16, *title).unwrap();
    }
    for (col, value) in ["1", "热依拉", "男", "653121200002290054"]
        .iter()
        .enumerate()
    {
        hidden.write_string(1, col as u16, *value).unwrap();
    }
    hidden.set_hidden(true);
    book.save_to_buffer().unwrap()
}

#[test]
fn tables_side_by_side_are_two_tables_and_hidden_rows_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("人口登记表.xlsx"), side_by_side_workbook()).unwrap();
    let ingested = ingest_fresh(dir.path());
    let catalog: &dyn RecordCatalog = &*ingested.store.catalog;
    let records: Vec<Record> = common::all_records(&ingested.store);
    // (sheet, row, first column of the table, name, flags)
    type Seen<'a> = (Option<&'a str>, u32, u32, &'a str, Vec<&'a str>);
    let seen: Vec<Seen<'_>> = records
        .iter()
        .map(|r| {
            (
                r.source.sheet.as_deref(),
                r.source.row,
                r.source.column,
                r.fields.name.as_deref().unwrap_or_default(),
                r.flags.iter().map(|f| f.code.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (Some("登记表"), 3, 0, "古丽", vec![]),
            (Some("登记表"), 3, 5, "艾买提", vec![]),
            (Some("登记表"), 4, 0, "阿依努尔", vec!["hidden_row"]),
            (Some("登记表"), 4, 5, "买买提", vec!["hidden_row"]),
            (Some("另册"), 2, 0, "热依拉", vec!["hidden_sheet"]),
        ],
        "{records:#?}"
    );
    let right = &records[1];
    assert_eq!(
        right.source.describe(),
        "sheet 登记表, row 3, columns from F"
    );
    assert_eq!(
        right.raw.len(),
        4,
        "the right table's own cells: {:?}",
        right.raw
    );
    assert_eq!(
        right.fields.id_number.as_deref(),
        Some("653121198503150017")
    );
    let sheets = catalog.person_sheets().unwrap();
    let register = sheets
        .iter()
        .find(|s| s.sheet.as_deref() == Some("登记表"))
        .unwrap();
    assert_eq!(register.list, ListKind::Register);
    assert!(
        register.evidence.contains("2 tables side by side"),
        "{}",
        register.evidence
    );
    let hidden = sheets
        .iter()
        .find(|s| s.sheet.as_deref() == Some("另册"))
        .unwrap();
    assert!(hidden.evidence.contains("hidden"), "{}", hidden.evidence);
}
