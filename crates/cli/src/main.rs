//! `trove`: the command line. It parses flags and wires the library crates
//! together; the work itself lives in those crates.

mod commands;
mod output;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// trove: turn a leaked cache of records into verified, searchable evidence.
#[derive(Debug, Parser)]
#[command(name = "trove", version, about, long_about = None)]
struct Cli {
    /// The store folder: catalog, originals and index.
    #[arg(
        long,
        global = true,
        env = "TROVE_STORE",
        default_value = "trove-store"
    )]
    store: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make the demo leak, ingest it and print a summary.
    Demo(commands::demo::DemoArgs),
    /// Write a synthetic demo leak and its ground truth.
    Synth(commands::demo::SynthArgs),
    /// Ingest a folder or archive into the store (again: only new or changed files).
    Ingest(commands::ingest::IngestArgs),
    /// Server mode: process files queued by `trove ingest --database` into the shared
    /// PostgreSQL catalog; run any number, on any machine.
    Worker(commands::server::WorkerArgs),
    /// Server mode: move the store's catalog into an empty PostgreSQL database and compare.
    Migrate(commands::server::MigrateArgs),
    /// Server mode: read the shared catalog's scanned pages and images (OCR).
    Ocr(commands::server::OcrArgs),
    /// Server mode: the one indexer of the shared catalog (`--follow` keeps it current).
    Index(commands::index::IndexArgs),
    /// Search the store: words, "phrases", AND/OR/NOT, prefix*, field:value.
    Search(commands::search::SearchArgs),
    /// Show one document: metadata, provenance and text.
    Show(commands::show::ShowArgs),
    /// Counts by type, and failures by stage and reason.
    Status(commands::status::StatusArgs),
    /// Re-hash every original and name any that changed or went missing.
    Verify(commands::verify::VerifyArgs),
    /// Authenticity findings: ID numbers, cameras and clocks, duplicates, document metadata.
    Authenticity(commands::authenticity::AuthenticityArgs),
    /// Custody manifests of every original (hashdeep, CSV, DFXML), for other tools.
    Custody(commands::custody::CustodyArgs),
    /// Publish what was verified: a static site and open data under publish.toml's rules
    /// (`--out DIR`), a preview of who is published and withheld (`--preview`), or the
    /// leak scanner alone over a folder (`--check DIR`).
    Publish(commands::publish::PublishArgs),
    /// Export a whole store for partners' tools (`export ftm`: FollowTheMoney, NOT redacted).
    #[command(subcommand)]
    Export(commands::export::ExportCommand),
    /// Signed checkpoints of the web workbench's audit trail.
    Audit(commands::audit::AuditArgs),
    /// Rebuild the search index from the catalog.
    Reindex(commands::reindex::ReindexArgs),
    /// List person records read from the leak's spreadsheets.
    Records(commands::records::RecordsArgs),
    /// One person: every record, the ID number decoded, linked photos.
    Person(commands::person::PersonArgs),
    /// Decode resident ID numbers (valid or not, and why).
    Id(commands::id::IdArgs),
    /// Names across scripts: compare two, or show one's phonetic form and blocking keys.
    #[command(subcommand)]
    Names(commands::names::NamesCommand),
    /// Outside lists (relatives' reports of the missing, published lists).
    #[command(subcommand)]
    Lists(commands::lists::ListsCommand),
    /// Candidate matches between a list's entries and the Persons, for review.
    Xref(commands::xref::XrefArgs),
    /// Counts and detention rates, with their definitions; tables, CSV, JSON or SVG charts.
    Stats(commands::stats::StatsArgs),
    /// Users of the web workbench (in the --server folder).
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Cases the web workbench serves, each a store folder.
    #[command(subcommand)]
    Case(commands::case::CaseCommand),
    /// Serve the web workbench.
    Serve(commands::serve::ServeArgs),
    /// Benchmarks (not run by the tests).
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
}

fn main() -> ExitCode {
    exit_quietly_on_closed_pipe();
    quiet_worker_panics();
    let cli = Cli::parse();
    commands::typed_password::warn_of_password_on_command_line();
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run_demo(&cli.store, &args),
        Command::Synth(args) => commands::demo::run_synth(&args),
        Command::Ingest(args) => commands::ingest::run(&cli.store, &args),
        Command::Worker(args) => commands::server::worker(&args),
        Command::Index(args) => commands::index::run(&args),
        Command::Ocr(args) => commands::server::ocr(&args),
        Command::Migrate(args) => commands::server::migrate(&cli.store, &args),
        Command::Search(args) => commands::search::run(&cli.store, &args),
        Command::Show(args) => commands::show::run(&cli.store, &args),
        Command::Status(args) => commands::status::run(&cli.store, &args),
        Command::Verify(args) => commands::verify::run(&cli.store, &args),
        Command::Custody(args) => commands::custody::run(&cli.store, &args),
        Command::Publish(args) => commands::publish::run(&cli.store, &args),
        Command::Export(command) => commands::export::run(&cli.store, &command),
        Command::Authenticity(args) => commands::authenticity::run(&cli.store, &args),
        Command::Audit(args) => commands::audit::run(&args),
        Command::Reindex(args) => commands::reindex::run(&cli.store, &args),
        Command::Records(args) => commands::records::run(&cli.store, &args),
        Command::Person(args) => commands::person::run(&cli.store, &args),
        Command::Id(args) => commands::id::run(&args),
        Command::Stats(args) => commands::stats::run(&cli.store, &args),
        Command::Names(command) => commands::names::run(&command),
        Command::Lists(command) => commands::lists::run(&cli.store, &command),
        Command::Xref(args) => commands::xref::run(&cli.store, &args),
        Command::User(command) => commands::user::run(&command),
        Command::Case(command) => commands::case::run(&command),
        Command::Serve(args) => commands::serve::run(&args),
        Command::Bench(command) => commands::bench::run(&command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// Panics in ingest's workers come from third-party parsers on hostile
/// files; they are caught and recorded as failures of that file, so printing
/// them too would only scatter noise over the progress bar.
fn quiet_worker_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_worker = std::thread::current().name() == Some(trove_ingest::WORKER_THREAD_NAME);
        if !in_worker {
            default_hook(info);
        }
    }));
}

/// `trove status | head` closes the pipe early: end as other Unix tools do,
/// silently, instead of panicking on the failed write (Rust ignores SIGPIPE).
fn exit_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of a signal before any
    // thread is started has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
