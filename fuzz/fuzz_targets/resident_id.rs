//! Resident ID numbers: decoding (region, birth date, sex, checksum) of any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_fuzz::escaping_panics_only;

fuzz_target!(|text: &str| {
    escaping_panics_only(|| {
        let _ = trove_records::resident_id::decode(text);
    });
});
