//! `trove case`: the cases a server serves, each a store folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;
use trove_access::Actor;

use super::serve::ServerDir;
use crate::output::json_line;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Add a case: a name for an existing store folder.
    Add(AddArgs),
    /// List the cases.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Letters, digits, '-', '_' and '.'; it appears in addresses (/cases/NAME).
    pub name: String,
    /// The case's store folder (made by `trove ingest … --store PATH`).
    #[arg(long = "case-store")]
    pub case_store: PathBuf,
    #[command(flatten)]
    pub server: ServerDir,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON object per case.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub server: ServerDir,
}

pub fn run(command: &CaseCommand) -> anyhow::Result<ExitCode> {
    match command {
        CaseCommand::Add(args) => add(args),
        CaseCommand::List(args) => list(args),
    }
}

fn add(args: &AddArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    let case = db.add_case(&args.name, &args.case_store, &Actor::CommandLine)?;
    println!("added case {} ({})", case.name, case.store.display());
    Ok(ExitCode::SUCCESS)
}

fn list(args: &ListArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    for case in db.cases()? {
        if args.json {
            json_line(&json!({"name": case.name, "store": case.store}))?;
        } else {
            println!("{}\t{}", case.name, case.store.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
