//! The mapping file (TOML rules for odd sheet layouts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_fuzz::escaping_panics_only;

fuzz_target!(|text: &str| {
    escaping_panics_only(|| {
        let _ = trove_records::Mapping::parse(text);
    });
});
