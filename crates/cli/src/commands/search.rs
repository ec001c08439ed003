//! `trove search`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_index::{Hit, SearchIndex, SearchOptions};
use trove_model::PartKind;

use super::open_store;
use crate::output::{json_line, terminal_safe};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND/OR/NOT, prefix*, field:value
    /// (fields: type, path, author, camera, year, title).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub query: Option<String>,
    /// A file of names, one a line: for each, the documents where the name appears in any
    /// script (a name in Latin letters is also looked for in its Chinese-character forms).
    #[arg(long, value_name = "FILE")]
    pub batch: Option<std::path::PathBuf>,
    /// One JSON object per hit, every hit (no cap).
    #[arg(long)]
    pub json: bool,
    /// Hits to show (ignored with --json, which streams all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Server mode: search this index folder (the one `trove index --database` keeps)
    /// instead of --store's.
    #[arg(long, value_name = "DIR")]
    pub index: Option<std::path::PathBuf>,
}

pub fn run(store: &Path, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let index = match &args.index {
        Some(dir) if dir.join("meta.json").is_file() => SearchIndex::open(dir)
            .with_context(|| format!("opening the index {}", dir.display()))?,
        Some(dir) => anyhow::bail!(
            "{} holds no search index; `trove index --database … --index {}` makes it",
            dir.display(),
            dir.display()
        ),
        None => open_store(store)?.1,
    };
    if let Some(batch) = &args.batch {
        return run_batch(&index, batch, args);
    }
    let query = args.query.as_deref().unwrap_or_default();
    if args.json {
        index.for_each_hit(query, 200, |hit| {
            json_line(&hit).map_err(|e| trove_index::IndexError::Query {
                query: query.to_owned(),
                reason: format!("writing output failed: {e}"),
            })
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let options = SearchOptions {
        limit: Some(args.limit),
        offset: args.offset,
        ..SearchOptions::default()
    };
    let results = index.search(query, &options)?;
    let color = std::io::stdout().is_terminal();
    for hit in &results.hits {
        print_hit(hit, color);
    }
    let shown = results.hits.len();
    println!(
        "{} matching parts in {} documents; showing {}–{}",
        results.total,
        results.facets.as_ref().map_or(0, |f| f.documents),
        if shown == 0 { 0 } else { args.offset + 1 },
        args.offset + shown
    );
    if let Some(facets) = &results.facets {
        let list = |counts: Vec<(String, u64)>| {
            counts
                .into_iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "  by type: {}",
            list(facets.by_type.clone().into_iter().collect())
        );
        println!(
            "  by folder: {}",
            list(facets.by_folder.clone().into_iter().collect())
        );
        println!(
            "  by year: {}",
            list(
                facets
                    .by_year
                    .iter()
                    .map(|(y, c)| (y.to_string(), *c))
                    .collect()
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_hit(hit: &Hit, color: bool) {
    let part = match (hit.part_kind, hit.part_index, &hit.part_label) {
        (Some(kind), _, Some(label)) => format!("{} {:?}", kind.code(), terminal_safe(label)),
        (Some(kind), Some(index), None) => format!("{} {index}", kind.code()),
        _ => "metadata".to_owned(),
    };
    let part = match (hit.part_kind, hit.snippet.line) {
        (Some(PartKind::Sheet), Some(row)) => format!("{part} row {row}"),
        (Some(_), Some(line)) if line > 1 => format!("{part} line {line}"),
        _ => part,
    };
    println!(
        "{}  {}  [{part}]  score {:.2}",
        &hit.blob.as_str()[..12],
        hit.kind,
        hit.score
    );
    for path in &hit.paths {
        println!("    {}", terminal_safe(path));
    }
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    // Made safe before marking, so the only escapes printed are our own.
    let safe = trove_index::Snippet {
        text: terminal_safe(&hit.snippet.text),
        highlights: hit.snippet.highlights.clone(),
        line: hit.snippet.line,
    };
    let snippet = safe.marked(open, close);
    if !snippet.trim().is_empty() {
        println!("    … {snippet} …");
    }
}

/// `--batch FILE`: each line a name, searched in every spelling trove knows for it.
fn run_batch(
    index: &trove_index::SearchIndex,
    batch: &Path,
    args: &SearchArgs,
) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(batch)
        .with_context(|| format!("reading the list of names {}", batch.display()))?;
    let color = std::io::stdout().is_terminal();
    for name in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let forms = trove_names::spellings::search_forms(name);
        let query = trove_index::any_phrase_query(&forms);
        let options = SearchOptions {
            limit: Some(args.limit),
            ..SearchOptions::default()
        };
        let results = index.search(&query, &options)?;
        if args.json {
            json_line(&serde_json::json!({
                "name": name, "forms": forms, "query": query,
                "total": results.total, "hits": results.hits,
            }))?;
            continue;
        }
        println!(
            "== {} ({} matching parts; searched as {})",
            terminal_safe(name),
            results.total,
            terminal_safe(&forms.join(", "))
        );
        for hit in &results.hits {
            print_hit(hit, color);
        }
    }
    Ok(ExitCode::SUCCESS)
}
