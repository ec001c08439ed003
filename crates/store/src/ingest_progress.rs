//! How far a running ingest has come, kept in the store folder as
//! [`PROGRESS_FILE`] so that other processes (the workbench's case home) can show it:
//! `trove ingest` runs apart from `trove serve`, and the store folder is what they share.
//!
//! The file holds counts and times only, and the name of what is ingested (its last path
//! component): never the leak's file names. [`ProgressWriter`] writes it whole to a file
//! beside it and renames that into place, so a reader sees the old file or the new one,
//! never half of one; at most once every [`WRITE_EVERY`] while the counts change, and at
//! least once every [`HEARTBEAT`] while the run lasts, so that a reader can tell a run
//! that stopped without a word (killed, the machine down) from one that is busy: a
//! running file older than [`STALE_AFTER`] is [`Standing::Stopped`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// The progress file's name in the store folder.
pub const PROGRESS_FILE: &str = "ingest-progress.json";
/// What the file is written to before it is renamed into place.
const PROGRESS_TEMP: &str = "ingest-progress.json.tmp";

/// Changed counts are written at most this often.
pub const WRITE_EVERY: TimeDelta = TimeDelta::seconds(1);
/// A running ingest rewrites the file at least this often, changed or not.
pub const HEARTBEAT: TimeDelta = TimeDelta::seconds(10);
/// The most of a progress file a reader takes in.
const MAX_PROGRESS_BYTES: u64 = 64 * 1024;

/// A running ingest whose file is older than this has stopped without saying so.
pub const STALE_AFTER: TimeDelta = TimeDelta::seconds(30);

/// Where a run stands, as the file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Running (or stopped without a word: see [`IngestProgress::standing`]).
    Running,
    /// Ran to the end.
    Finished,
    /// Stopped on request (Ctrl-C); the same command resumes.
    Interrupted,
    /// Stopped by an error (a full disk, say); the same command resumes.
    Failed,
}

/// What a run is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IngestStage {
    /// Reading, hashing, keeping and extracting the files.
    Files,
    /// Reading person records from sheets and photos.
    Records,
    /// Reading scanned pages.
    Ocr,
}

/// The content of the progress file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestProgress {
    /// The last component of the ingested folder's (or file's) path.
    pub source: String,
    /// Running or how it ended.
    pub state: RunState,
    /// What the run is doing.
    pub stage: IngestStage,
    /// Files found so far (the count grows until `counted`).
    pub files_found: u64,
    /// Every file has been counted: `files_found` and `bytes_found` are final.
    pub counted: bool,
    /// Files read this run, whether or not they failed.
    pub files_processed: u64,
    /// Files unchanged since the last run, skipped.
    pub files_unchanged: u64,
    /// Failures recorded this run (a file inside an archive may fail on its own).
    pub failures: u64,
    /// Bytes of the files found so far.
    pub bytes_found: u64,
    /// Bytes of the files processed or skipped.
    pub bytes_done: u64,
    /// When the run began.
    pub started_at: DateTime<Utc>,
    /// When the file was last written.
    pub updated_at: DateTime<Utc>,
    /// When the run ended, once it has.
    pub finished_at: Option<DateTime<Utc>>,
}

/// How a reader should take a progress file at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Running, the file written lately.
    Running,
    /// Said to be running, but not written for longer than [`STALE_AFTER`]: the process
    /// was killed or its machine stopped. The same command resumes.
    Stopped,
    /// Ran to the end.
    Finished,
    /// Stopped on request; the same command resumes.
    Interrupted,
    /// Stopped by an error; the same command resumes.
    Failed,
}

impl Standing {
    /// The standing's name, as pages and the API give it.
    pub fn code(self) -> &'static str {
        match self {
            Standing::Running => "running",
            Standing::Stopped => "stopped",
            Standing::Finished => "finished",
            Standing::Interrupted => "interrupted",
            Standing::Failed => "failed",
        }
    }

    /// Whether the run may still be going (or was cut off while going).
    pub fn is_active(self) -> bool {
        matches!(self, Standing::Running | Standing::Stopped)
    }
}

impl IngestProgress {
    /// A run of `source` starting at `now`, nothing counted yet.
    pub fn starting(source: &str, now: DateTime<Utc>) -> Self {
        IngestProgress {
            source: source.to_owned(),
            state: RunState::Running,
            stage: IngestStage::Files,
            files_found: 0,
            counted: false,
            files_processed: 0,
            files_unchanged: 0,
            failures: 0,
            bytes_found: 0,
            bytes_done: 0,
            started_at: now,
            updated_at: now,
            finished_at: None,
        }
    }

    /// How to take the file at `now`.
    pub fn standing(&self, now: DateTime<Utc>) -> Standing {
        match self.state {
            RunState::Running if now - self.updated_at > STALE_AFTER => Standing::Stopped,
            RunState::Running => Standing::Running,
            RunState::Finished => Standing::Finished,
            RunState::Interrupted => Standing::Interrupted,
            RunState::Failed => Standing::Failed,
        }
    }

    /// Files processed or skipped as unchanged.
    pub fn files_done(&self) -> u64 {
        self.files_processed + self.files_unchanged
    }

    /// How long the run has lasted at `now`, or lasted in all when it ended.
    pub fn elapsed(&self, now: DateTime<Utc>) -> TimeDelta {
        (self.finished_at.unwrap_or(now) - self.started_at).max(TimeDelta::zero())
    }
}

/// The progress file of the store in `store_root`, if an ingest ever wrote one there.
pub fn read_progress(store_root: &Path) -> Result<Option<IngestProgress>, StoreError> {
    use std::io::Read;

    let path = store_root.join(PROGRESS_FILE);
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(StoreError::io("read", path, error)),
    };
    // Ingest writes a few hundred bytes; anything longer was not written by it.
    let mut bytes = Vec::new();
    file.take(MAX_PROGRESS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| StoreError::io("read", &path, error))?;
    let not_ours = |why: String| {
        let why = format!(
            "{why}; trove ingest did not write it: remove it, and the next ingest writes a new one"
        );
        StoreError::io(
            "read",
            &path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, why),
        )
    };
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        return Err(not_ours(format!(
            "larger than {} KiB",
            MAX_PROGRESS_BYTES / 1024
        )));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| not_ours(format!("not a progress record ({error})")))
}

/// Tells the time; a test's clock is set by hand.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Writes one run's progress file: at once when it starts and when it ends, and in between
/// at most once every [`WRITE_EVERY`] while the counts change (see [`ProgressWriter::update`])
/// and once every [`HEARTBEAT`] when they do not (see [`ProgressWriter::tick`]). A file
/// that cannot be written is skipped: progress is for the reader's eyes, and never stops
/// an ingest.
pub struct ProgressWriter<C: Clock = SystemClock> {
    root: PathBuf,
    clock: C,
    kept: Mutex<Kept>,
}

struct Kept {
    progress: IngestProgress,
    /// The counts changed since the last write.
    changed: bool,
    last_write: DateTime<Utc>,
}

impl ProgressWriter<SystemClock> {
    /// Starts the progress file of a run of `source` (a name, not a path) in the store
    /// folder `store_root`, writing it at once.
    pub fn start(store_root: &Path, source: &str) -> Self {
        Self::start_with_clock(store_root, source, SystemClock)
    }
}

impl<C: Clock> ProgressWriter<C> {
    /// [`ProgressWriter::start`], telling the time by `clock`.
    pub fn start_with_clock(store_root: &Path, source: &str, clock: C) -> Self {
        let now = clock.now();
        let progress = IngestProgress::starting(source, now);
        write_atomically(store_root, &progress);
        ProgressWriter {
            root: store_root.to_path_buf(),
            clock,
            kept: Mutex::new(Kept {
                progress,
                changed: false,
                last_write: now,
            }),
        }
    }

    /// Changes the progress, and writes it when the last write is [`WRITE_EVERY`] old.
    pub fn update(&self, change: impl FnOnce(&mut IngestProgress)) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut kept.progress);
        kept.changed = true;
        self.write_if_due(&mut kept);
    }

    /// Writes the progress if it changed and the last write is [`WRITE_EVERY`] old, or if
    /// the last write is [`HEARTBEAT`] old: call every second or so while the run lasts.
    pub fn tick(&self) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        self.write_if_due(&mut kept);
    }

    /// Ends the run as `state`, after a last change (the final counts), and writes it.
    pub fn finish(&self, state: RunState, change: impl FnOnce(&mut IngestProgress)) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut kept.progress);
        let now = self.clock.now();
        kept.progress.state = state;
        kept.progress.finished_at = Some(now);
        kept.progress.updated_at = now;
        write_atomically(&self.root, &kept.progress);
        kept.changed = false;
        kept.last_write = now;
    }

    /// The progress as it stands (written or not).
    pub fn progress(&self) -> IngestProgress {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.progress.clone()
    }

    fn write_if_due(&self, kept: &mut Kept) {
        if kept.progress.state != RunState::Running {
            return;
        }
        let now = self.clock.now();
        let since = now - kept.last_write;
        let due = (kept.changed && since >= WRITE_EVERY) || since >= HEARTBEAT;
        if !due {
            return;
        }
        kept.progress.updated_at = now;
        write_atomically(&self.root, &kept.progress);
        kept.changed = false;
        kept.last_write = now;
    }
}

/// Writes `progress` to the file beside the progress file, then renames it into place.
/// Failures are dropped (see [`ProgressWriter`]).
fn write_atomically(root: &Path, progress: &IngestProgress) {
    let Ok(json) = serde_json::to_vec_pretty(progress) else {
        return;
    };
    let temp = root.join(PROGRESS_TEMP);
    if std::fs::write(&temp, json).is_ok() {
        let _ = std::fs::rename(&temp, root.join(PROGRESS_FILE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock a test sets.
    struct HandClock(Mutex<DateTime<Utc>>);

    impl HandClock {
        fn at(start: DateTime<Utc>) -> Self {
            HandClock(Mutex::new(start))
        }
    }

    impl Clock for &HandClock {
        fn now(&self) -> DateTime<Utc> {
            *self.0.lock().unwrap()
        }
    }

    impl HandClock {
        fn advance(&self, by: TimeDelta) {
            *self.0.lock().unwrap() += by;
        }
    }

    fn noon() -> DateTime<Utc> {
        "2024-05-01T12:00:00Z".parse().unwrap()
    }

    fn read(dir: &Path) -> IngestProgress {
        read_progress(dir).unwrap().expect("a progress file")
    }

    #[test]
    fn changes_are_written_at_most_once_a_second() {
        let dir = tempfile::tempdir().unwrap();
        let clock = HandClock::at(noon());
        let writer = ProgressWriter::start_with_clock(dir.path(), "leak", &clock);
        assert_eq!(read(dir.path()).files_processed, 0, "written at the start");

        clock.advance(TimeDelta::milliseconds(400));
        writer.update(|p| p.files_processed += 1);
        clock.advance(TimeDelta::milliseconds(400));
        writer.update(|p| p.files_processed += 1);
        assert_eq!(
            read(dir.path()).files_processed,
            0,
            "too soon to write again"
        );
        assert_eq!(writer.progress().files_processed, 2, "but counted");

        clock.advance(TimeDelta::milliseconds(200));
        writer.update(|p| p.files_processed += 1);
        let written = read(dir.path());
        assert_eq!(written.files_processed, 3);
        assert_eq!(written.updated_at, noon() + TimeDelta::seconds(1));

        // A tick writes what changed once a second has passed, and nothing sooner.
        writer.update(|p| p.failures += 1);
        clock.advance(TimeDelta::milliseconds(500));
        writer.tick();
        assert_eq!(read(dir.path()).failures, 0);
        clock.advance(TimeDelta::milliseconds(500));
        writer.tick();
        assert_eq!(read(dir.path()).failures, 1);
    }

    #[test]
    fn a_quiet_run_still_rewrites_its_file_every_heartbeat() {
        let dir = tempfile::tempdir().unwrap();
        let clock = HandClock::at(noon());
        let writer = ProgressWriter::start_with_clock(dir.path(), "leak", &clock);
        clock.advance(HEARTBEAT - TimeDelta::seconds(1));
        writer.tick();
        assert_eq!(read(dir.path()).updated_at, noon(), "nothing changed yet");
        clock.advance(TimeDelta::seconds(1));
        writer.tick();
        let written = read(dir.path());
        assert_eq!(written.updated_at, noon() + HEARTBEAT);
        assert_eq!(written.standing(noon() + HEARTBEAT), Standing::Running);
    }

    #[test]
    fn the_file_is_replaced_whole_and_nothing_is_left_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let clock = HandClock::at(noon());
        let writer = ProgressWriter::start_with_clock(dir.path(), "leak", &clock);
        // A reader holding the old file keeps reading the old file: the new one is
        // another inode renamed over it, not the old one rewritten.
        let before = std::fs::File::open(dir.path().join(PROGRESS_FILE)).unwrap();
        clock.advance(TimeDelta::seconds(2));
        writer.finish(RunState::Finished, |p| {
            p.files_found = 7;
            p.files_processed = 7;
        });
        let old: IngestProgress = serde_json::from_reader(before).unwrap();
        assert_eq!(old.state, RunState::Running);
        let new = read(dir.path());
        assert_eq!(new.state, RunState::Finished);
        assert_eq!(new.files_found, 7);
        assert_eq!(new.finished_at, Some(noon() + TimeDelta::seconds(2)));
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [PROGRESS_FILE]);
        // An ended run is never written again.
        clock.advance(HEARTBEAT);
        writer.update(|p| p.files_processed = 99);
        writer.tick();
        assert_eq!(read(dir.path()).files_processed, 7);
    }

    #[test]
    fn a_running_file_not_written_for_half_a_minute_has_stopped() {
        let mut progress = IngestProgress::starting("leak", noon());
        progress.updated_at = noon() + TimeDelta::seconds(60);
        let at = |seconds| noon() + TimeDelta::seconds(seconds);
        assert_eq!(progress.standing(at(60)), Standing::Running);
        assert_eq!(progress.standing(at(90)), Standing::Running);
        assert_eq!(progress.standing(at(91)), Standing::Stopped);
        assert_eq!(progress.elapsed(at(91)), TimeDelta::seconds(91));
        progress.state = RunState::Finished;
        progress.finished_at = Some(at(70));
        assert_eq!(progress.standing(at(10_000)), Standing::Finished);
        assert_eq!(progress.elapsed(at(10_000)), TimeDelta::seconds(70));
    }

    #[test]
    fn no_file_is_none_and_a_broken_one_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_progress(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join(PROGRESS_FILE), "{ half").unwrap();
        let error = read_progress(dir.path()).unwrap_err().to_string();
        assert!(error.contains(PROGRESS_FILE), "{error}");
        assert!(error.contains("not a progress record"), "{error}");
        let padded = format!("{{\"state\": \"running\"{}}}", " ".repeat(70_000));
        std::fs::write(dir.path().join(PROGRESS_FILE), padded).unwrap();
        let error = read_progress(dir.path()).unwrap_err().to_string();
        assert!(error.contains("larger than 64 KiB"), "{error}");
    }
}
