//! `trove user`: accounts of the web workbench.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::json;
use trove_access::{Actor, Grant, NewAccount};
use trove_model::Role;

use super::serve::ServerDir;
use crate::output::{json_line, terminal_safe};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user: a server admin (`--role admin` without `--case`) or a member of one case.
    Add(AddArgs),
    /// Give an existing user a role in a case (replacing any role they had there).
    Grant(GrantArgs),
    /// List users and what they may open.
    List(ListArgs),
    /// Issue an API token for a user (sent as `Authorization: Bearer TOKEN`); printed once.
    Token(TokenArgs),
    /// Disable a user: their sessions and API tokens end at once; their history stays.
    Disable(DisableArgs),
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    pub name: String,
    /// What the token is for, so it can be told apart from the user's others.
    #[arg(long)]
    pub label: String,
    /// The token opens nothing after this many days (default: it does not expire).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub expires_in_days: Option<i64>,
    #[command(flatten)]
    pub server: ServerDir,
}

#[derive(Debug, Args)]
pub struct DisableArgs {
    pub name: String,
    #[command(flatten)]
    pub server: ServerDir,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    pub name: String,
    /// admin, editor, reviewer or viewer.
    #[arg(long)]
    pub role: Role,
    /// The case the user joins; without it, only `--role admin` is allowed (a server admin).
    #[arg(long)]
    pub case: Option<String>,
    /// Read the password from this file (its first line) instead of asking for it.
    #[arg(long)]
    pub password_file: Option<PathBuf>,
    #[command(flatten)]
    pub server: ServerDir,
}

#[derive(Debug, Args)]
pub struct GrantArgs {
    pub name: String,
    #[arg(long)]
    pub role: Role,
    #[arg(long)]
    pub case: String,
    #[command(flatten)]
    pub server: ServerDir,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON object per user.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub server: ServerDir,
}

pub fn run(command: &UserCommand) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add(args) => add(args),
        UserCommand::Grant(args) => grant(args),
        UserCommand::List(args) => list(args),
        UserCommand::Token(args) => issue_token(args),
        UserCommand::Disable(args) => disable(args),
    }
}

fn issue_token(args: &TokenArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    let expires = args
        .expires_in_days
        .map(|days| chrono::Utc::now() + chrono::TimeDelta::days(days));
    let token = db.issue_token_expiring(&args.name, &args.label, &Actor::CommandLine, expires)?;
    eprintln!(
        "API token for {} (shown once; keep it secret):",
        terminal_safe(&args.name)
    );
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

fn disable(args: &DisableArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    db.disable_user(&args.name, &Actor::CommandLine)?;
    println!(
        "disabled {}; their sessions and API tokens have ended",
        terminal_safe(&args.name)
    );
    Ok(ExitCode::SUCCESS)
}

fn add(args: &AddArgs) -> anyhow::Result<ExitCode> {
    let grant = Grant::new(args.role, args.case.as_deref())?;
    let db = args.server.open()?;
    // Checked before asking for the password, so nobody types one in vain.
    if let Some(case) = grant.case()
        && db.case(case)?.is_none()
    {
        bail!(
            "there is no case {case:?}; add it first with `trove case add {case} --case-store PATH`"
        );
    }
    let password = match &args.password_file {
        Some(path) => password_from_file(path)?,
        None => password_from_terminal(&args.name)?,
    };
    let account = NewAccount {
        name: &args.name,
        password: &password,
        grant: &grant,
    };
    db.add_user(account, &Actor::CommandLine)?;
    match &grant {
        Grant::Member { case, role } => {
            println!("added {} as {role} of {case}", terminal_safe(&args.name))
        }
        Grant::ServerAdmin => println!("added {} as a server admin", terminal_safe(&args.name)),
    }
    Ok(ExitCode::SUCCESS)
}

fn grant(args: &GrantArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    db.grant(&args.name, &args.case, args.role, &Actor::CommandLine)?;
    println!(
        "{} is now {} of {}",
        terminal_safe(&args.name),
        args.role,
        args.case
    );
    Ok(ExitCode::SUCCESS)
}

fn list(args: &ListArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    let memberships = db.memberships()?;
    for user in db.users()? {
        let own: Vec<_> = memberships.iter().filter(|m| m.user == user.name).collect();
        if args.json {
            let cases: Vec<_> = own
                .iter()
                .map(|m| json!({"case": m.case, "role": m.role}))
                .collect();
            json_line(&json!({
                "name": user.name,
                "is_admin": user.is_admin,
                "disabled": user.disabled,
                "created_at": user.created_at,
                "cases": cases,
            }))?;
        } else {
            let mut access: Vec<String> = own
                .iter()
                .map(|m| format!("{} of {}", m.role, m.case))
                .collect();
            if user.is_admin {
                access.insert(0, "server admin".to_string());
            }
            let state = if user.disabled { " (disabled)" } else { "" };
            println!(
                "{}\t{}{state}",
                terminal_safe(&user.name),
                access.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first line of `path`, without its line ending.
fn password_from_file(path: &Path) -> anyhow::Result<String> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("reading the password file {}", path.display()))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// Asks twice, without echo.
fn password_from_terminal(name: &str) -> anyhow::Result<String> {
    let first = rpassword::prompt_password(format!("password for {}: ", terminal_safe(name)))
        .context("reading the password from the terminal (or pass --password-file FILE)")?;
    let second = rpassword::prompt_password("the same password again: ")
        .context("reading the password from the terminal")?;
    if first != second {
        bail!("the two passwords differ; run the command again");
    }
    Ok(first)
}
