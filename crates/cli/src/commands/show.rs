//! `trove show`.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use trove_store::DocumentView;

use crate::output::{human_bytes, json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id (the BLAKE3 hash), a unique prefix of 8+ digits, or a
    /// path the document was seen at (as `trove search` prints it).
    pub document: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Leave out the text.
    #[arg(long)]
    pub no_text: bool,
    #[command(flatten)]
    pub shared: super::SharedCatalogArg,
}

pub fn run(store: &Path, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let opened = super::OpenCatalog::open(store, &args.shared)?;
    let catalog = opened.catalog();
    let id = match catalog.occurrences_at(&args.document)?.first() {
        Some(occurrence) => occurrence.blob.clone(),
        None => catalog.resolve(&args.document)?,
    };
    let Some(document) = catalog.document(&id)? else {
        anyhow::bail!("document {id} is listed but has no record; run `trove verify`");
    };
    if args.json {
        json_line(&to_json(&document, !args.no_text))?;
    } else {
        print(&document, !args.no_text);
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(doc: &DocumentView, with_text: bool) -> serde_json::Value {
    let occurrences: Vec<_> = doc
        .occurrences
        .iter()
        .map(|o| {
            json!({
                "root": o.root, "path": o.path,
                "parent": o.parent.as_ref().map(|p| p.as_str()),
                "name_suggests": o.name_kind,
            })
        })
        .collect();
    let children: Vec<_> = doc
        .children
        .iter()
        .map(|c| json!({ "id": c.blob.as_str(), "path": c.path }))
        .collect();
    let failures: Vec<_> = doc
        .failures
        .iter()
        .map(|f| json!({ "stage": f.failure.stage, "reason": f.failure.reason, "message": f.failure.message, "path": f.path }))
        .collect();
    let mut value = json!({
        "id": doc.id.as_str(),
        "sha256": doc.sha256,
        "size": doc.size,
        "type": doc.kind,
        "mime": doc.kind.mime(),
        "status": doc.status,
        "extractor_version": doc.extractor_version,
        "metadata": doc.metadata,
        "truncated": doc.truncated,
        "has_thumbnail": doc.has_thumbnail,
        "occurrences": occurrences,
        "children": children,
        "failures": failures,
    });
    if with_text {
        value["parts"] = json!(doc.parts);
    }
    value
}

fn print(doc: &DocumentView, with_text: bool) {
    println!("document {}", doc.id);
    println!("  sha256   {}", doc.sha256);
    println!("  size     {} ({} bytes)", human_bytes(doc.size), doc.size);
    println!("  type     {} ({})", doc.kind, doc.kind.mime());
    println!(
        "  status   {} (extractor v{})",
        doc.status,
        doc.extractor_version.unwrap_or(0)
    );
    if let Ok(serde_json::Value::Object(meta)) = serde_json::to_value(&doc.metadata) {
        for (key, value) in meta {
            let shown = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            println!("  {key:<8} {}", terminal_safe(&shown));
        }
    }
    println!("seen at");
    for occurrence in &doc.occurrences {
        let mut line = format!("  {}", terminal_safe(&occurrence.path));
        if let Some(parent) = &occurrence.parent {
            line.push_str(&format!("  (inside {})", parent.short()));
        }
        if let Some(named) = occurrence.name_kind {
            line.push_str(&format!(
                "  (the name says {named}, the content is {})",
                doc.kind
            ));
        }
        println!("{line}");
        println!("    under {}", terminal_safe(&occurrence.root));
    }
    if !doc.children.is_empty() {
        println!("contains {} documents", doc.children.len());
        for child in &doc.children {
            println!("  {}  {}", child.blob.short(), terminal_safe(&child.path));
        }
    }
    for failure in &doc.failures {
        println!("failed: {}", terminal_safe(&failure.failure.to_string()));
    }
    if with_text {
        for part in &doc.parts {
            println!("── {} ──", terminal_safe(&part.describe()));
            for line in part.text.lines() {
                println!("{}", terminal_safe(line));
            }
        }
        if doc.truncated {
            println!("── text truncated at the extraction limit ──");
        }
    }
}
