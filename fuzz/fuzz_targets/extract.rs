//! Every extractor, chosen as ingest chooses it: by the bytes' detected kind. A crash,
//! a hang or memory past the limit is a finding; an `Err` is the right answer to garbage.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_extract::{Limits, detect, extract};
use trove_fuzz::escaping_panics_only;

fuzz_target!(|bytes: &[u8]| {
    escaping_panics_only(|| {
        let kind = detect(bytes, "");
        let limits = Limits {
            max_text_bytes: 16 << 20,
            max_child_bytes: 16 << 20,
            ..Limits::default()
        };
        let _ = extract(kind, bytes, &limits);
    });
});
