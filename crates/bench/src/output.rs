//! JSON lines on stdout, the machine-readable form of every benchmark's results.

use std::io::{self, Write};

use serde::Serialize;

/// Writes one JSON object on its own line to stdout.
pub(crate) fn json_line(value: &impl Serialize) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, value)?;
    stdout.write_all(b"\n")?;
    Ok(())
}
