//! Writes a demo leak: `cargo run --release -p trove-synth --example write_demo -- DIR [PEOPLE] [SEED]`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: write_demo DIR [PEOPLE] [SEED]")?;
    let mut options = trove_synth::default_options();
    if let Some(people) = args.next() {
        options.people = people.parse()?;
    }
    if let Some(seed) = args.next() {
        options.seed = seed.parse()?;
    }
    let started = Instant::now();
    let truth = trove_synth::write_demo_leak(std::path::Path::new(&dir), &options)?;
    println!(
        "{} files and members, {} persons ({} held), {} rows in {:.2?}",
        truth.files.len(),
        truth.persons.len(),
        truth.persons.iter().filter(|p| p.detained).count(),
        truth.rows.len(),
        started.elapsed()
    );
    Ok(())
}
