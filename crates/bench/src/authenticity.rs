//! The authenticity report's costliest part: near-duplicate photos among many. Random
//! 64-bit perceptual hashes (as unrelated photos give), one in a hundred copied with a few
//! bits changed (a re-encoded copy) and filed under another ID number; the report must
//! find every copy, without comparing every pair. Goal: 100,000 images under 60 s.

use std::time::Instant;

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use trove_forensics::authenticity::{DateWindow, Facts, ImageFact, report};
use trove_model::{BlobId, ImageFacts};

use crate::output::json_line;

/// What to measure.
#[derive(Debug, Clone)]
pub struct AuthenticityBenchOptions {
    /// Images in all.
    pub images: usize,
    /// Random seed.
    pub seed: u64,
    /// Print the results as one JSON object.
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Results {
    images: usize,
    planted_copies: usize,
    copies_found: usize,
    seconds: f64,
}

/// Plants the copies, runs the report over the images alone and prints how many copies it
/// found and how long it took.
pub fn run(options: &AuthenticityBenchOptions) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut images = Vec::with_capacity(options.images);
    let mut planted = 0;
    while images.len() < options.images {
        let n = images.len();
        let hash: u64 = rng.random();
        images.push(image(n, hash));
        if n % 100 == 0 && images.len() < options.images {
            let mut copy = hash;
            for _ in 0..rng.random_range(1..=4) {
                copy ^= 1 << rng.random_range(0..64);
            }
            images.push(image(images.len(), copy));
            planted += 1;
        }
    }
    eprintln!("clustering {} images…", images.len());
    let started = Instant::now();
    let report = report(&Facts {
        records: &[],
        images: &images,
        documents: &[],
        window: DateWindow {
            from: None,
            until: None,
            today: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default(),
        },
        store_digest: "",
    });
    let seconds = started.elapsed().as_secs_f64();
    let results = Results {
        images: images.len(),
        planted_copies: planted,
        copies_found: report
            .findings
            .iter()
            .filter(|f| f.code == "same_photo_two_ids")
            .count(),
        seconds,
    };
    if options.json {
        json_line(&results)?;
    } else {
        println!(
            "{} images, {} copies planted under other ID numbers: {} found in {:.2} s (goal: 100,000 images under 60 s)",
            results.images, results.planted_copies, results.copies_found, results.seconds
        );
    }
    Ok(())
}

/// A photo with `hash`, filed under an ID number of its own.
fn image(n: usize, hash: u64) -> ImageFact {
    let mut digest = [0u8; 32];
    digest[..8].copy_from_slice(&(n as u64).to_le_bytes());
    let id = format!("65312119{:08}", n % 100_000_000);
    ImageFact {
        blob: BlobId::from_digest(digest),
        paths: vec![format!("照片/{id}.jpg")],
        facts: ImageFacts {
            perceptual_hash: Some(format!("{hash:016x}")),
            tones: None,
            ..ImageFacts::default()
        },
        id_numbers: vec![id],
        archived_at: None,
    }
}
