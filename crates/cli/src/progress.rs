//! The ingest progress bar: files, bytes, failures and an ETA, on stderr
//! (hidden automatically when stderr is not a terminal).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use trove_ingest::Progress;

pub struct IngestBar {
    bar: ProgressBar,
    files_total: AtomicU64,
    files_done: AtomicU64,
    failures: AtomicU64,
}

impl IngestBar {
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} · {msg} · ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        IngestBar {
            bar,
            files_total: AtomicU64::new(0),
            files_done: AtomicU64::new(0),
            failures: AtomicU64::new(0),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn refresh(&self) {
        self.bar.set_message(format!(
            "files {}/{} · failures {}",
            self.files_done.load(Ordering::Relaxed),
            self.files_total.load(Ordering::Relaxed),
            self.failures.load(Ordering::Relaxed),
        ));
    }
}

impl Progress for IngestBar {
    fn discovered(&self, files: u64, bytes: u64) {
        self.files_total.fetch_add(files, Ordering::Relaxed);
        self.bar.inc_length(bytes);
        self.refresh();
    }

    fn discovery_finished(&self) {
        self.refresh();
    }

    fn processed(&self, bytes: u64, failures: u64) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
        self.failures.fetch_add(failures, Ordering::Relaxed);
        self.bar.inc(bytes);
        self.refresh();
    }

    fn skipped(&self, bytes: u64) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
        self.bar.inc(bytes);
        self.refresh();
    }

    fn phase(&self, name: &str) {
        self.bar.println(name);
    }

    fn records_read(&self, done: u64, total: u64) {
        self.bar
            .set_message(format!("person records: {done}/{total} sheets and photos"));
    }
}
