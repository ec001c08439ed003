//! Lists as clerks make them: totals under and inside the rows, a list of people singled
//! out beside the register, a list nothing names. Totals are never persons; each sheet's
//! kind comes with its evidence; only established kinds enter a rate.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::ingest_fresh;
use trove_model::{ListKind, Record};
use trove_records::stats::{Dimension, StatsOptions, compute};
use trove_store::{RecordCatalog, RecordFilter};

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
    let catalog: &dyn RecordCatalog = &ingested.store.catalog;

    let mut records: Vec<Record> = Vec::new();
    catalog
        .for_each_record(&RecordFilter::default(), 0, None, &mut |stored| {
            records.push(stored.record);
            Ok(())
        })
        .unwrap();
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
