//! `trove publish`: build the public site of a store under `publish.toml`'s rules
//! (`--rules FILE --out DIR`), show what the rules would publish and withhold
//! (`--preview`), or run the leak scanner alone over a folder (`--check DIR`): every byte
//! read, gzip included; full valid ID numbers, phone numbers, image metadata and
//! forbidden strings named, masked, with the file and offset. Exit status 2 when the
//! scanner finds anything.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_publish::selection::select;
use trove_publish::{PublishRequest, Rules, STORE_RULES_FILE, ScanReport, Scanner, publish};
use trove_store::Store;
use trove_web::authenticity_facts::digest_of;

use crate::output::{json_line, terminal_safe, today};

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("mode").required(true).args(["check", "out", "preview"]))]
pub struct PublishArgs {
    /// Build the site and open data of the store into this new folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Show what the rules publish and withhold (counts and reasons), and write nothing.
    #[arg(long)]
    pub preview: bool,
    /// The publication rules (see README.md); without it, the safe defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Scan this folder for what must not leave the newsroom, and publish nothing.
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
    /// With --check: a file of strings that must not appear, one a line: the names (in
    /// every spelling) and ID numbers of persons not published, paths that are withheld.
    #[arg(long, value_name = "FILE", requires = "check")]
    pub forbid: Option<PathBuf>,
    /// One JSON object per finding, then a summary object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &Path, args: &PublishArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.check {
        return check(dir, args);
    }
    // Without --rules, the store's own rules, as the workbench reads them.
    let rules = match &args.rules {
        Some(file) => Rules::read(file)?
            .with_context(|| format!("the publication rules {} do not exist", file.display()))?,
        None => Rules::read(&store.join(STORE_RULES_FILE))?.unwrap_or_default(),
    };
    let opened = Store::open_existing(store)?;
    match &args.out {
        Some(out) => build(&opened, &rules, out, args.json),
        None => preview(&opened, &rules, args.json),
    }
}

fn build(store: &Store, rules: &Rules, out: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let request = PublishRequest {
        rules,
        out,
        store_digest: digest_of(&*store.catalog)?,
        published_on: today().to_string(),
    };
    let report =
        publish(store, &request).with_context(|| format!("publishing into {}", out.display()))?;
    print_leaks(&report.scan, json)?;
    if json {
        json_line(&report)?;
    } else {
        println!(
            "{} persons published ({} without name or photo), {} photos, {} documents, {} files",
            report.persons, report.without_identity, report.photos, report.documents, report.files
        );
        for (reason, count) in &report.withheld {
            println!("withheld: {count} ({reason})");
        }
        for (person, why) in &report.photos_left_out {
            println!("photo of {person} left out: {why}");
        }
        if report.accepted {
            println!(
                "the leak scanner read {} files ({} bytes) and found nothing: the site is in {}",
                report.scan.files,
                report.scan.bytes,
                report.site.display()
            );
        } else {
            println!(
                "REFUSED: the leak scanner found {} things that must not leave; the site is kept aside in {} and must not be published",
                report.scan.leaks.len(),
                report.site.display()
            );
        }
    }
    Ok(exit_for(report.accepted))
}

fn preview(store: &Store, rules: &Rules, json: bool) -> anyhow::Result<ExitCode> {
    let selection = select(&*store.catalog, rules)?;
    let without_identity = selection.without_identity();
    if json {
        json_line(&serde_json::json!({
            "published": selection.chosen.len(),
            "without_identity": without_identity,
            "withheld": selection.withheld_counts(),
        }))?;
    } else {
        println!(
            "{} persons would be published ({without_identity} without name or photo); {} withheld",
            selection.chosen.len(),
            selection.withheld.len()
        );
        for (reason, count) in selection.withheld_counts() {
            println!("withheld: {count} ({reason})");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(dir: &Path, args: &PublishArgs) -> anyhow::Result<ExitCode> {
    let forbidden = match &args.forbid {
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("reading the forbidden strings from {}", file.display()))?
            .lines()
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    let count = forbidden.len();
    let report = Scanner::forbidding(forbidden)
        .with_context(|| format!("compiling the {count} forbidden strings into a matcher"))?
        .scan_dir(dir)
        .with_context(|| format!("scanning {}", dir.display()))?;
    print_leaks(&report, args.json)?;
    if args.json {
        json_line(&serde_json::json!({
            "files": report.files,
            "bytes": report.bytes,
            "findings": report.leaks.len(),
            "clean": report.is_clean(),
        }))?;
    } else {
        println!(
            "{} files, {} bytes read: {}",
            report.files,
            report.bytes,
            if report.is_clean() {
                "nothing that must not leave was found".to_owned()
            } else {
                format!(
                    "{} findings; publish nothing until each is gone",
                    report.leaks.len()
                )
            }
        );
    }
    Ok(exit_for(report.is_clean()))
}

fn print_leaks(report: &ScanReport, json: bool) -> anyhow::Result<()> {
    for leak in &report.leaks {
        if json {
            json_line(leak)?;
        } else {
            println!(
                "LEAK {:?} in {} at byte {}: {}",
                leak.kind,
                terminal_safe(&leak.path),
                leak.offset,
                terminal_safe(&leak.excerpt)
            );
        }
    }
    Ok(())
}

fn exit_for(clean: bool) -> ExitCode {
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
