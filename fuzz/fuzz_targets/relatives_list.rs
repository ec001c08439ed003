//! A relatives' list of the missing (CSV or JSON) as `trove xref` reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_fuzz::escaping_panics_only;
use trove_records::lists::ListMap;

fuzz_target!(|bytes: &[u8]| {
    escaping_panics_only(|| {
        let map = ListMap::default();
        let _ = trove_ingest::read_list(bytes, "list.csv", &map);
        let _ = trove_ingest::read_list(bytes, "list.json", &map);
    });
});
