//! `trove person`: one person, with every record about them, where each came from, the
//! ID number decoded, linked mugshots and proposed same-person candidates.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use serde_json::json;
use trove_model::Record;
use trove_records::persons::facts_of;
use trove_records::resident_id::decode;
use trove_store::{RecordCatalog, RecordFilter};

use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct PersonArgs {
    /// A person key (or a unique prefix of one) or a resident ID number.
    pub person: String,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub shared: super::SharedCatalogArg,
}

pub fn run(store: &Path, args: &PersonArgs) -> anyhow::Result<ExitCode> {
    let opened = super::OpenCatalog::open(store, &args.shared)?;
    let catalog: &dyn RecordCatalog = opened.catalog();
    let Some(key) = catalog.resolve_person(&args.person)? else {
        bail!(
            "no person matches `{}`: give a person key from `trove records` (or a longer prefix of one) or a valid ID number",
            args.person
        );
    };
    let mut records = Vec::new();
    let filter = RecordFilter {
        person: Some(key.clone()),
        ..RecordFilter::default()
    };
    catalog.for_each_record(&filter, 0, None, &mut |stored| {
        records.push(stored.record);
        Ok(())
    })?;
    let refs: Vec<&Record> = records.iter().collect();
    let facts = facts_of(&refs);
    let id = records
        .iter()
        .find(|r| r.fields.id_valid)
        .and_then(|r| r.fields.id_number.as_deref())
        .map(decode);
    let photos = catalog.person_photos(&key)?;
    let candidates = catalog.person_candidates(&key)?;
    let paths = |blob| catalog.blob_paths(blob).unwrap_or_default();

    if args.json {
        json_line(&json!({
            "person": key,
            "id": id,
            "names": distinct(records.iter().filter_map(|r| r.fields.name.clone())),
            "facts": {
                "sex": facts.sex, "ethnicity": facts.ethnicity, "birth_date": facts.birth_date,
                "township": facts.township, "village": facts.village, "listed": facts.listed,
                "detention_records": facts.detention_records, "status": facts.status,
            },
            "records": records.iter().map(|r| json!({"paths": paths(&r.source.blob), "record": r})).collect::<Vec<_>>(),
            "photos": photos.iter().map(|p| json!({"blob": p.blob, "via": p.via, "paths": paths(&p.blob)})).collect::<Vec<_>>(),
            "candidates": candidates.iter().map(|c| json!({"person": c.person, "reason": c.reason})).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }

    println!("person {key}");
    for name in distinct(records.iter().filter_map(|r| r.fields.name.clone())) {
        println!("  name       {}", terminal_safe(&name));
    }
    if let Some(id) = &id {
        println!(
            "  ID number  {}",
            id.canonical.as_deref().unwrap_or(&id.input)
        );
        if let Some(region) = &id.region {
            println!("  issued in  {region}");
        }
    }
    let show = |v: &Option<String>| terminal_safe(v.as_deref().unwrap_or("-"));
    println!(
        "  born       {}",
        facts.birth_date.map_or("-".into(), |d| d.to_string())
    );
    println!("  sex        {}", facts.sex.map_or("-", |s| s.chinese()));
    println!("  ethnicity  {}", show(&facts.ethnicity));
    println!(
        "  place      {} {}",
        show(&facts.township),
        show(&facts.village)
    );
    println!(
        "  status     {} ({} detention-related records; {} in a population register)",
        facts.status.map_or("-", |s| s.code()),
        facts.detention_records,
        if facts.listed { "listed" } else { "not listed" }
    );
    println!("records ({}):", records.len());
    for record in &records {
        let where_ = paths(&record.source.blob)
            .into_iter()
            .next()
            .unwrap_or_default();
        println!(
            "  {} ({}), {} list, document {}",
            terminal_safe(&where_),
            record.source.describe(),
            record.list.code(),
            record.source.blob.short()
        );
        let row: Vec<String> = record
            .raw
            .iter()
            .filter(|c| !c.value.is_empty())
            .map(|c| format!("{}={}", terminal_safe(&c.header), terminal_safe(&c.value)))
            .collect();
        println!("    {}", row.join(" | "));
        for flag in &record.flags {
            println!("    flag {}: {}", flag.code, terminal_safe(&flag.detail));
        }
    }
    if photos.is_empty() {
        println!("no linked photo");
    }
    for photo in &photos {
        let where_ = paths(&photo.blob).join(", ");
        println!(
            "photo {} ({}), ID number in its {}",
            photo.blob.short(),
            terminal_safe(&where_),
            photo.via
        );
    }
    for candidate in &candidates {
        println!(
            "maybe the same person as {} ({}): for review, not merged",
            candidate.person, candidate.reason
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Values in first-seen order, each once.
fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}
