//! Hostile sheets: whatever text a sheet part holds, reading it for records never panics,
//! and every record it yields points at a row that exists and keeps that row verbatim.

use proptest::prelude::*;
use trove_model::{BlobId, Hidden};
use trove_records::{Mapping, SheetInput, read_sheet};

/// Cells drawn from header words, ID-like digits, dates, separators and noise, so that
/// generated sheets often look like person lists.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("姓名".to_owned()),
        Just("身份证号".to_owned()),
        Just("性别".to_owned()),
        Just("出生日期".to_owned()),
        Just("人员类别".to_owned()),
        Just("年龄".to_owned()),
        "[0-9Xx]{15,19}",
        "[0-9]{4}[./年-][0-9]{1,2}[./月-][0-9]{1,2}日?",
        "[男女12MF]",
        "\\PC{0,12}",
        ".{0,20}",
    ]
}

fn sheet() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(cell(), 0..8), 0..20).prop_map(|rows| {
        rows.iter()
            .map(|cells| {
                cells
                    .iter()
                    .map(|c| c.replace(['\t', '\n', '\r'], " "))
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reading_any_sheet_never_panics_and_records_point_at_their_rows(text in sheet()) {
        let blob = BlobId::from_digest([9; 32]);
        let paths = vec!["名单.xlsx".to_owned()];
        let hidden = Hidden::default();
        let input = SheetInput {
            blob: &blob, part: 0, sheet: Some("Sheet1"), text: &text, paths: &paths,
            hidden: &hidden, ocr_confidence: None,
        };
        let result = read_sheet(&input, &Mapping::default());
        let lines: Vec<&str> = text.lines().collect();
        for record in &result.records {
            let line = lines[record.source.row as usize - 1];
            let values: Vec<&str> = record.raw.iter().map(|c| c.value.as_str()).collect();
            // A table beside another holds the cells of its own columns only.
            let cells: Vec<&str> = line.split('\t').collect();
            let first = record.source.column as usize;
            prop_assert_eq!(&values[..], &cells[first..first + values.len()]);
            let split = result.sheet.evidence.as_deref().is_some_and(|e| e.contains("side by side"));
            if !split {
                prop_assert_eq!(values.join("\t"), line);
            }
            prop_assert!(record.source.row > result.sheet.header_row.unwrap_or(0));
        }
    }
}
