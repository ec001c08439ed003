//! A sheet's text (a row a line, tab-separated cells) to person records: headers, places,
//! dates, statuses and ID numbers of any text, read whole and in chunks alike.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_fuzz::escaping_panics_only;
use trove_model::{BlobId, Hidden};
use trove_records::{Mapping, SheetInput, read_sheet, read_sheet_in_chunks};

fuzz_target!(|text: &str| {
    escaping_panics_only(|| {
        let blob = BlobId::from_digest([7; 32]);
        let paths = ["fuzzed.xlsx".to_owned()];
        let input = SheetInput {
            blob: &blob,
            part: 0,
            sheet: Some("Sheet1"),
            text,
            paths: &paths,
            hidden: &Hidden::default(),
            ocr_confidence: None,
        };
        let whole = read_sheet(&input, &Mapping::default());
        let mut chunked = Vec::new();
        let outcome = read_sheet_in_chunks(&input, &Mapping::default(), 3, |chunk| {
            chunked.extend(chunk);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(outcome.records, whole.records.len() as u64);
        assert_eq!(outcome.list, whole.sheet.list);
    });
});
