//! `trove bench publish`: the public site of a demo leak in which every person is
//! verified and marked for publication (the worst case for size and time): how long the
//! build takes (scanner included) and how large its search index grows. Goals: the
//! 20,000-person demo in under 60 s; the index for 10,000 persons under 5 MB.
//!
//! The bench makes its own store (demo leak, ingest by the `trove` executable, statuses
//! and decisions written straight into its catalog) and never touches another.

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::Utc;
use serde::Serialize;
use trove_model::{Consent, PublicationDecision, SubjectKind, Verification, VerificationStatus};
use trove_publish::{PublishRequest, Rules, publish};
use trove_store::Store;

use crate::ingest::ensure_leak;
use crate::output::json_line;
use crate::rss::peak_rss_bytes;

/// The goals of the publication issue.
const GOAL_SECONDS: f64 = 60.0;
const GOAL_INDEX_BYTES_PER_10K: f64 = 5.0 * 1024.0 * 1024.0;

/// What to measure.
#[derive(Debug, Clone)]
pub struct PublishBenchOptions {
    /// People in the demo leak.
    pub people: usize,
    /// Its seed.
    pub seed: u64,
    /// Where the leak, store and site go (default: trove-bench-publish-PEOPLE-SEED in the
    /// temp folder); a leak and store made there before are reused.
    pub dir: Option<PathBuf>,
    /// The `trove` executable that ingests the leak.
    pub trove_exe: PathBuf,
    /// Print the results as one JSON object.
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Results {
    persons_published: usize,
    photos: usize,
    files: usize,
    seconds: f64,
    site_bytes: u64,
    search_index_bytes: u64,
    search_index_bytes_per_10k_persons: f64,
    scanner_clean: bool,
    peak_rss_bytes: u64,
    under_60_s: bool,
    index_under_5_mb_per_10k: bool,
}

/// Builds the bench store if needed, marks every person, publishes and reports.
pub fn run(options: &PublishBenchOptions) -> anyhow::Result<()> {
    let dir = options.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "trove-bench-publish-{}-{}",
            options.people, options.seed
        ))
    });
    ensure_leak(
        &dir,
        &trove_synth::SynthOptions {
            people: options.people,
            seed: options.seed,
            ..trove_synth::SynthOptions::default()
        },
    )?;
    let store_dir = dir.join("store");
    if !store_dir.join("trove.sqlite").exists() {
        eprintln!("ingesting the demo leak into {}…", store_dir.display());
        let status = Command::new(&options.trove_exe)
            .arg("--store")
            .arg(&store_dir)
            .arg("ingest")
            .arg(dir.join("leak"))
            .status()
            .context("running trove ingest")?;
        // 2: the demo's planted damaged files were recorded as failures.
        if !matches!(status.code(), Some(0 | 2)) {
            bail!(
                "trove ingest failed ({status}); remove {} and retry",
                store_dir.display()
            );
        }
    }
    let store = Store::open_existing(&store_dir)?;
    mark_everyone(&store)?;
    let site = dir.join("site");
    for old in [site.clone(), dir.join("site.refused")] {
        if old.exists() {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
    }
    let rules = Rules::default();
    eprintln!("publishing into {}…", site.display());
    let started = Instant::now();
    let report = publish(
        &store,
        &PublishRequest {
            rules: &rules,
            out: &site,
            store_digest: "bench".to_owned(),
            published_on: Utc::now().date_naive().to_string(),
        },
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let index_bytes = fs::metadata(report.site.join("assets/search-index.js"))?.len();
    let per_10k = index_bytes as f64 * 10_000.0 / report.persons.max(1) as f64;
    let results = Results {
        persons_published: report.persons,
        photos: report.photos,
        files: report.files,
        seconds,
        // The scanner read every file of the site whole.
        site_bytes: report.scan.bytes,
        search_index_bytes: index_bytes,
        search_index_bytes_per_10k_persons: per_10k,
        scanner_clean: report.accepted,
        peak_rss_bytes: peak_rss_bytes(),
        under_60_s: seconds < GOAL_SECONDS,
        index_under_5_mb_per_10k: per_10k < GOAL_INDEX_BYTES_PER_10K,
    };
    if options.json {
        json_line(&results)?;
    } else {
        println!(
            "published {} persons ({} photos, {} files, {:.1} MB) in {:.1} s (goal < 60 s: {})",
            results.persons_published,
            results.photos,
            results.files,
            results.site_bytes as f64 / 1e6,
            seconds,
            if results.under_60_s { "met" } else { "MISSED" }
        );
        println!(
            "search index {:.2} MB, {:.2} MB per 10,000 persons (goal < 5 MB: {}); scanner {}; peak RSS {} MiB",
            index_bytes as f64 / 1e6,
            per_10k / 1e6,
            if results.index_under_5_mb_per_10k {
                "met"
            } else {
                "MISSED"
            },
            if report.accepted {
                "clean"
            } else {
                "REFUSED the site"
            },
            results.peak_rss_bytes >> 20
        );
        println!("the site: {}", report.site.display());
    }
    Ok(())
}

/// Every person verified, marked, with consent recorded: the most a publication can hold.
fn mark_everyone(store: &Store) -> anyhow::Result<()> {
    let catalog = &*store.catalog;
    let marked = catalog.publication_decisions()?;
    let mut keys = Vec::new();
    catalog.for_each_person(&mut |key, _| {
        if !marked.contains_key(key) {
            keys.push(key.to_owned());
        }
        Ok(())
    })?;
    if keys.is_empty() {
        return Ok(());
    }
    eprintln!("marking {} persons verified and consented…", keys.len());
    let at = Utc::now();
    for key in keys {
        catalog.record_verification(&Verification {
            subject_kind: SubjectKind::Person,
            subject: key.clone(),
            status: VerificationStatus::Verified,
            note: "benchmark".into(),
            evidence: Vec::new(),
            by: "bench".into(),
            at,
        })?;
        let decision = PublicationDecision {
            person: key,
            publish: true,
            consent: Consent::PublicInterest,
            minor_allowed: false,
            note: "benchmark".into(),
            by: "bench".into(),
            at,
        };
        catalog.record_publication_then(&decision, &mut || Ok(()))?;
    }
    Ok(())
}
