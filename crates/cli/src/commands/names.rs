//! `trove names`: compare two names across scripts, or show the phonetic form and blocking
//! keys of one, so that users can see why trove proposes (or does not propose) a match.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;

use crate::output::{json_line, terminal_safe};

#[derive(Debug, Subcommand)]
pub enum NamesCommand {
    /// Score two names (any scripts) and explain the score.
    Compare(CompareArgs),
    /// The phonetic form and blocking keys of a name.
    Key(KeyArgs),
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    pub a: String,
    pub b: String,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    pub name: String,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: &NamesCommand) -> anyhow::Result<ExitCode> {
    match command {
        NamesCommand::Compare(args) => {
            let comparison = trove_names::compare(&args.a, &args.b);
            if args.json {
                json_line(&comparison)?;
            } else {
                print!("{}", terminal_safe_lines(&comparison.to_string()));
            }
        }
        NamesCommand::Key(args) => {
            let forms = trove_names::phonetic_form(&args.name);
            let keys = trove_names::blocking_keys(&args.name);
            if args.json {
                json_line(
                    &json!({"name": args.name, "phonetic_form": forms, "blocking_keys": keys}),
                )?;
            } else {
                println!("{}", terminal_safe(&args.name));
                let parts: Vec<String> = forms.iter().map(|forms| forms.join("|")).collect();
                println!("  phonetic form  {}", terminal_safe(&parts.join(" ")));
                println!("  blocking keys  {}", terminal_safe(&keys.join(" ")));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Each line made safe for a terminal, line breaks kept.
fn terminal_safe_lines(text: &str) -> String {
    text.lines().map(|l| terminal_safe(l) + "\n").collect()
}
