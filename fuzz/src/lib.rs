//! What the fuzz targets share.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// The message of the latest panic on this thread.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `work` and aborts, which libFuzzer reports as a finding, only when a panic
/// escapes it. trove catches the panics of the third-party parsers it distrusts and
/// records the file as corrupt; such a caught panic is the right answer to a hostile
/// file, yet libFuzzer's panic hook would abort on it. So the hook is replaced by one that
/// only remembers the message, printed when a panic does escape.
pub fn escaping_panics_only(work: impl FnOnce()) {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        panic::set_hook(Box::new(|info| {
            LAST_PANIC.with(|last| *last.borrow_mut() = info.to_string());
        }));
    });
    if panic::catch_unwind(AssertUnwindSafe(work)).is_err() {
        LAST_PANIC.with(|last| eprintln!("a panic escaped trove: {}", last.borrow()));
        std::process::abort();
    }
}
