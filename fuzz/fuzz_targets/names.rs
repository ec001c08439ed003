//! Name matching: two names (split at the first tab) in any scripts, compared and
//! explained; the comparison must not depend on which name comes first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove_fuzz::escaping_panics_only;

fuzz_target!(|text: &str| {
    escaping_panics_only(|| {
        let (a, b) = text.split_once('\t').unwrap_or((text, text));
        let forward = trove_names::compare(a, b);
        let backward = trove_names::compare(b, a);
        assert!(
            (forward.score - backward.score).abs() < 1e-6,
            "{a:?} and {b:?} score {} one way and {} the other",
            forward.score,
            backward.score
        );
        let _ = trove_names::blocking_keys(a);
    });
});
