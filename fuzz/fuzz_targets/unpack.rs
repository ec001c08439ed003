//! The unpackers (zip, 7z, tar, gzip, bzip2, xz, RAR), chosen by the bytes' detected kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_extract::detect;
use trove_fuzz::escaping_panics_only;
use trove_ingest::fuzzing::unpack_bytes;

fuzz_target!(|bytes: &[u8]| {
    escaping_panics_only(|| {
        let kind = detect(bytes, "");
        if kind.is_archive() {
            let _ = unpack_bytes(kind, bytes);
        }
    });
});
