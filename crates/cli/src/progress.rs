//! The ingest progress bar: files, bytes, failures and an ETA, on stderr
//! (hidden automatically when stderr is not a terminal).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use trove_ingest::Progress;

pub struct IngestBar {
    bar: ProgressBar,
    files_total: AtomicU64,
    files_done: AtomicU64,
    failures: AtomicU64,
    /// When the OCR stage read its first page, for its own rate and ETA.
    ocr_started: Mutex<Option<Instant>>,
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
            ocr_started: Mutex::new(None),
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

    fn ocr_pages(&self, done: u64, total: u64) {
        let Ok(mut started) = self.ocr_started.lock() else {
            return;
        };
        let elapsed = started
            .get_or_insert_with(Instant::now)
            .elapsed()
            .as_secs_f64();
        let rate = done as f64 / elapsed.max(0.001);
        let left = total.saturating_sub(done) as f64 / rate.max(0.001);
        self.bar.set_message(format!(
            "OCR: {done}/{total} pages · {rate:.1} pages/s · {left:.0} s left"
        ));
    }
}
