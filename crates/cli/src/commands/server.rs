//! Server mode on the command line: `trove ingest --database` fills the queue, `trove
//! worker` (any number, on any machine) works it off, `trove status --database` and
//! `trove verify --database` read the shared catalog from anywhere.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use serde_json::json;
use trove_ingest::{IngestOptions, SharedCatalog, WorkerOptions, queue_ingest, run_worker};
use trove_store::{BlobStore, JobQueue, PgCatalog, RecordCatalog};

use super::ingest::{FileLimits, IngestArgs, stop_on_ctrl_c};
use super::status::StatusArgs;
use crate::output::{human_bytes, json_line, terminal_safe};
use crate::progress::IngestBar;

/// Where a machine in server mode finds the shared case: its catalog and its originals.
#[derive(Debug, Args)]
pub struct SharedCase {
    /// The shared catalog: a PostgreSQL URL (postgres://user@host:port/name).
    #[arg(long, env = "TROVE_DATABASE_URL")]
    pub database: String,
    /// The folder of originals every machine shares (a network share, mounted at the same
    /// place on each, as are the folders ingested), or this machine's cache of the bucket.
    #[arg(long, env = "TROVE_BLOBS")]
    pub blobs: PathBuf,
    /// The bucket of shared originals (s3://bucket/prefix; endpoint and keys from the
    /// AWS_* variables): --blobs is then this machine's cache of it.
    #[arg(long, env = "TROVE_ORIGINALS")]
    pub originals: Option<String>,
}

impl SharedCase {
    /// The originals, through the bucket when one is named.
    fn originals(&self) -> anyhow::Result<BlobStore> {
        open_originals(&self.blobs, self.originals.as_deref())
    }
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub case: SharedCase,
    /// Worker threads in this process (default: the number of cores).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Seconds a claimed file stays this worker's without renewal (it renews three times
    /// as often): a worker killed mid-file gives the file up this long after.
    #[arg(long, default_value_t = 60)]
    pub lease_seconds: u64,
    /// Stop once no file is queued or being processed anywhere, instead of waiting for more.
    #[arg(long)]
    pub exit_when_idle: bool,
    /// This worker's name in the queue (default: the host name and process id).
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub limits: FileLimits,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The PostgreSQL database (or schema, with `?options=-csearch_path%3DNAME`) to move
    /// the store's catalog into: empty.
    #[arg(long)]
    pub to: String,
    /// Also upload the store's originals into this bucket (s3://bucket/prefix; endpoint
    /// and keys from the AWS_* variables), for workers and readers given --originals.
    #[arg(long, env = "TROVE_ORIGINALS")]
    pub originals: Option<String>,
}

/// `trove migrate --store DIR --to URL`: the store's catalog copied into PostgreSQL and
/// read back to compare; the originals stay in the store's `blobs/` folder.
pub fn migrate(store: &Path, args: &MigrateArgs) -> anyhow::Result<ExitCode> {
    let opened = trove_store::Store::open_existing(store)?;
    if store.join(trove_store::DATABASE_FILE).exists() {
        anyhow::bail!(
            "{} already uses a shared catalog ({}): there is nothing to move",
            store.display(),
            trove_store::DATABASE_FILE
        );
    }
    let _lock = opened.lock_for_writing()?;
    // The originals first: the shared catalog must name none the bucket lacks. An upload
    // cut short is taken up again by the next run, which sends only what is missing.
    if let Some(bucket) = &args.originals {
        upload_originals(&opened.blobs, bucket)?;
    }
    let sqlite = trove_store::SqliteCatalog::open(store.join("trove.sqlite"))?;
    let target = open(&args.to)?;
    let terminal = std::io::stderr().is_terminal();
    let report = trove_store::migrate_to_postgres(&sqlite, &target, &mut |table, rows| {
        if terminal {
            eprint!("\r  copying {table}: {rows} rows…        ");
        }
    });
    if terminal {
        eprintln!();
    }
    let report = report?;
    println!(
        "moved the catalog of {} into {}",
        store.display(),
        target.database()
    );
    for (table, rows) in &report.tables {
        println!("  {table:<18} {rows:>10} rows");
    }
    println!(
        "  read back and compared: {} rows, {} catalog lines, {} person records, equal",
        report.compared_rows, report.compared_lines, report.compared_records
    );
    if args.originals.is_none() {
        println!(
            "  the originals stay in {}: give it to the workers as --blobs",
            opened.blobs.root().display()
        );
    }
    println!("  build the index with `trove index --database … --index DIR`");
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct OcrArgs {
    #[command(flatten)]
    pub case: SharedCase,
    /// Tesseract languages, joined with + (default: chi_sim+uig+eng).
    #[arg(long)]
    pub languages: Option<String>,
    /// Pages read at once (default: the number of cores).
    #[arg(long)]
    pub workers: Option<usize>,
}

/// `trove ocr --database URL --blobs DIR`: the OCR stage over the shared catalog, after
/// the workers; one at a time per catalog.
pub fn ocr(args: &OcrArgs) -> anyhow::Result<ExitCode> {
    let catalog = open(&args.case.database)?;
    let _role = hold_role(&catalog, "ocr")?;
    let blobs = args.case.originals()?;
    let options = trove_ingest::OcrOptions {
        mode: trove_ingest::OcrMode::Always,
        languages: args
            .languages
            .clone()
            .unwrap_or_else(|| trove_ocr::DEFAULT_LANGUAGES.to_owned()),
        ..trove_ingest::OcrOptions::default()
    };
    let workers = args
        .workers
        .unwrap_or_else(|| IngestOptions::default().workers);
    let stop = stop_on_ctrl_c();
    let bar = IngestBar::new();
    let report = trove_ingest::run_ocr(&catalog, &blobs, None, &options, workers, &bar, &stop);
    bar.finish();
    let report = report?;
    println!("{}", super::ingest::ocr_summary(&report));
    Ok(if report.interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

/// `trove ingest SOURCE --database URL`: the files to process go into the queue.
pub fn queue(url: &str, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let catalog = open(url)?;
    if let Some(blobs) = &args.blobs {
        BlobStore::open(blobs)
            .with_context(|| format!("making the folder of originals {}", blobs.display()))?;
    }
    let exclude: Vec<PathBuf> = args.blobs.iter().cloned().collect();
    let report = queue_ingest(
        &catalog,
        &catalog,
        &args.path,
        &exclude,
        args.retry_failed,
        &trove_ingest::Silent,
    )?;
    if args.json {
        json_line(&json!({
            "root": report.root, "files_found": report.files_found,
            "files_unchanged": report.files_unchanged, "files_queued": report.files_queued,
            "files_refused": report.files_refused,
        }))?;
    } else {
        println!("queued {} for the workers", terminal_safe(&report.root));
        println!(
            "  {} files found, {} queued, {} unchanged since they were done, {} refused by the walk (see `trove status --database …`)",
            report.files_found, report.files_queued, report.files_unchanged, report.files_refused
        );
        println!(
            "  start `trove worker --database … --blobs …` on any machine that sees this folder at {}",
            terminal_safe(&report.root)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `trove worker`: claims queued files and processes them until stopped (or idle).
pub fn worker(args: &WorkerArgs) -> anyhow::Result<ExitCode> {
    // Claims and look-ups on one connection, the writer on its own (see SharedCatalog).
    let lookups = open(&args.case.database)?;
    let writer = open(&args.case.database)?;
    let blobs = args.case.originals()?;
    let mut options = args.limits.options();
    if let Some(workers) = args.workers {
        options.workers = workers;
    }
    let worker = WorkerOptions {
        name: args.name.clone().unwrap_or_else(default_worker_name),
        lease: Duration::from_secs(args.lease_seconds.max(3)),
        poll: Duration::from_secs(1),
        exit_when_idle: args.exit_when_idle,
    };
    let open_jobs = lookups.job_counts()?.open();
    let stop = stop_on_ctrl_c();
    let bar = IngestBar::new();
    trove_ingest::Progress::discovered(&bar, open_jobs, 0);
    let report = run_worker(
        SharedCatalog {
            lookups: &lookups,
            queue: &lookups,
            writer: &writer,
        },
        &blobs,
        &options,
        &worker,
        &bar,
        &stop,
    );
    bar.finish();
    let report = report?;
    let seconds = report.elapsed.as_secs_f64();
    if args.json {
        json_line(&json!({
            "worker": worker.name, "jobs_done": report.jobs_done, "jobs_lost": report.jobs_lost,
            "bytes": report.bytes, "failures": report.failures, "seconds": seconds,
            "interrupted": report.interrupted,
            "stages": super::ingest::stage_seconds(&report.timings),
        }))?;
    } else {
        println!(
            "worker {}: {} files done ({}, {:.1} s), {} failures recorded",
            worker.name,
            report.jobs_done,
            human_bytes(report.bytes),
            seconds,
            report.failures
        );
        if report.jobs_lost > 0 {
            println!(
                "  {} files were taken over by other workers after this one's lease lapsed \
                 (too slow to renew: try a longer --lease-seconds)",
                report.jobs_lost
            );
        }
        if report.interrupted {
            println!("  interrupted: the files not started stay queued for any worker");
        }
    }
    Ok(if report.interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

/// `trove status --database URL`: the queue, then the catalog as `trove status` shows it.
pub fn status(url: &str, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let catalog = open(url)?;
    let jobs = catalog.job_counts()?;
    let records = catalog.record_summary()?;
    let code = super::status::report(&catalog, Some(&records), Some(&jobs), args)?;
    let given_up = catalog.failed_jobs()?;
    if !args.json && !given_up.is_empty() {
        println!("files the workers gave up on:");
        for (root, path, reason) in &given_up {
            println!(
                "  - {}/{}: {}",
                terminal_safe(root),
                terminal_safe(path),
                terminal_safe(reason)
            );
        }
    }
    Ok(if given_up.is_empty() {
        code
    } else {
        ExitCode::from(2)
    })
}

/// `trove verify --database URL --blobs DIR`: the shared originals against the shared
/// catalog. True when all is intact.
pub fn verify(url: &str, blobs: &Path, bucket: Option<&str>, json: bool) -> anyhow::Result<bool> {
    let catalog = open(url)?;
    let blobs = open_originals(blobs, bucket)?;
    super::verify::verify_originals(&catalog, &blobs, json)
}

/// Uploads every original of `blobs` that `bucket` lacks (each checked against its name
/// on the way), a thousand at a time.
fn upload_originals(blobs: &BlobStore, url: &str) -> anyhow::Result<()> {
    let bucket = trove_store::RemoteOriginals::open(url)?;
    let stored: Vec<trove_model::BlobId> = blobs
        .stored_files()?
        .into_iter()
        .filter_map(|(_, id)| id)
        .collect();
    let mut sent = 0;
    for batch in stored.chunks(1_000) {
        sent += blobs.send(&bucket, batch)?;
    }
    println!(
        "uploaded the originals: {} in {url} ({sent} sent now); give the workers --originals {url}",
        stored.len()
    );
    Ok(())
}

/// The folder of originals, as the cache of `bucket` when one is named.
fn open_originals(folder: &Path, bucket: Option<&str>) -> anyhow::Result<BlobStore> {
    let blobs = BlobStore::open(folder)
        .with_context(|| format!("opening the folder of originals {}", folder.display()))?;
    Ok(match bucket {
        Some(url) => blobs.with_remote(trove_store::RemoteOriginals::open(url)?),
        None => blobs,
    })
}

/// How often a held role's connection is asked whether the role is still there.
const ROLE_CHECK_EVERY: Duration = Duration::from_secs(2);

/// The exit status when a role is lost (EX_TEMPFAIL: run the command again).
const ROLE_LOST_EXIT: i32 = 75;

/// A role of the shared catalog this process holds (see `PgCatalog::take_role`),
/// watched until dropped. When the role's connection breaks, PostgreSQL releases the
/// role and another process may take it: this process then stops within seconds rather
/// than do one-at-a-time work beside another. Every stage carries on where it stopped.
pub struct WatchedRole {
    stop: Option<mpsc::Sender<()>>,
    watcher: Option<std::thread::JoinHandle<()>>,
}

impl Drop for WatchedRole {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
    }
}

/// Takes `role` of the shared catalog for this process, or says that another process
/// holds it.
pub(super) fn hold_role(catalog: &PgCatalog, role: &str) -> anyhow::Result<WatchedRole> {
    let Some(mut held) = catalog.take_role(role)? else {
        anyhow::bail!(
            "another process does `{role}` on this catalog ({}); one at a time: wait for it to finish",
            catalog.database()
        );
    };
    let (stop, stopped) = mpsc::channel::<()>();
    let (role, database) = (role.to_owned(), catalog.database().to_owned());
    let watcher = std::thread::spawn(move || {
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(ROLE_CHECK_EVERY) {
            let why = match held.still_held() {
                Ok(true) => continue,
                Ok(false) => "its lock is gone".to_owned(),
                Err(reason) => format!("the connection to PostgreSQL failed: {reason}"),
            };
            eprintln!(
                "error: lost the `{role}` role of the shared catalog ({database}): {why}. \
                 Another process may take the role now, so this one stopped; run the \
                 command again once the server answers (it carries on where it stopped)"
            );
            std::process::exit(ROLE_LOST_EXIT);
        }
    });
    Ok(WatchedRole {
        stop: Some(stop),
        watcher: Some(watcher),
    })
}

pub(super) fn open(url: &str) -> anyhow::Result<PgCatalog> {
    PgCatalog::open(url).context(
        "opening the shared catalog (is the PostgreSQL server running, and the URL right?)",
    )
}

/// `host-pid`: unique among the workers running at once, and says where to look.
fn default_worker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "worker".to_owned());
    format!("{host}-{}", std::process::id())
}
