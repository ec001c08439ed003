//! `trove id`: decodes resident ID numbers on their own, for quick checks by hand.

use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use trove_records::regions::region_history;
use trove_records::resident_id::decode;

use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct IdArgs {
    /// One or more ID numbers (18 or 15 characters; spaces inside are allowed if quoted).
    #[arg(required = true)]
    pub numbers: Vec<String>,
    /// One JSON object per number.
    #[arg(long)]
    pub json: bool,
}

/// Exit code 0 when every number is valid, 2 when any is not.
pub fn run(args: &IdArgs) -> anyhow::Result<ExitCode> {
    let mut all_valid = true;
    for number in &args.numbers {
        let id = decode(number);
        all_valid &= id.is_valid();
        let history = id
            .region_code
            .as_deref()
            .map(region_history)
            .unwrap_or_default();
        if args.json {
            json_line(&json!({
                "id": id,
                "valid": id.is_valid(),
                "problems_text": id.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "region_history": history,
            }))?;
            continue;
        }
        let verdict = if id.is_valid() { "valid" } else { "INVALID" };
        println!("{}  {verdict}", terminal_safe(&id.input));
        if let Some(canonical) = id.canonical.as_deref().filter(|c| *c != id.input.trim()) {
            println!(
                "  canonical  {canonical}{}",
                if id.legacy {
                    " (from a 15-digit number)"
                } else {
                    ""
                }
            );
        }
        match (&id.region, &id.region_code) {
            (Some(region), _) => println!("  region     {region}"),
            (None, Some(code)) => println!("  region     {code}: not a known GB/T 2260 code"),
            (None, None) => {}
        }
        for other in history.iter().filter(|r| Some(*r) != id.region.as_ref()) {
            println!("             also {other}");
        }
        if let Some(birth) = id.birth_date {
            println!("  born       {birth}");
        }
        if let Some(sex) = id.sex {
            println!("  sex        {} ({})", sex.code(), sex.chinese());
        }
        for problem in &id.problems {
            let weight = if problem.is_fatal() {
                "problem"
            } else {
                "note"
            };
            println!("  {weight:<10} {problem}");
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
