//! hashdeep's known-hashes format (`%%%% HASHDEEP-1.0`), as its audit mode reads it.

use std::io::Write;

use super::{CustodyEntry, Producer};

/// Writes the originals found on disk, each under its absolute path, so that
/// `hashdeep -a -k MANIFEST -r FOLDER` audits the folder where it was ingested (add `-b`
/// to compare by file name only, for a copy kept elsewhere).
pub(super) fn write(
    entries: &[CustodyEntry],
    producer: Producer<'_>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    writeln!(out, "%%%% HASHDEEP-1.0")?;
    writeln!(out, "%%%% size,sha256,filename")?;
    writeln!(out, "## Invoked from: trove {}", producer.version)?;
    writeln!(out, "## $ {}", producer.command)?;
    writeln!(out, "## trove store digest {}", producer.store_digest)?;
    writeln!(out, "##")?;
    let mut written = 0;
    for entry in entries.iter().filter(|e| e.on_disk()) {
        let path = entry.disk_path();
        // The format is one line a file: a name with a line break cannot be written.
        if path.contains(['\n', '\r']) {
            writeln!(
                out,
                "## left out: a name with a line break ({})",
                entry.blake3
            )?;
            continue;
        }
        writeln!(out, "{},{},{}", entry.size, entry.sha256, path)?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::sample;

    #[test]
    fn files_on_disk_are_listed_under_their_absolute_paths() {
        let mut out = Vec::new();
        let producer = Producer {
            version: "0.1.0",
            command: "trove custody export --format hashdeep",
            store_digest: "ab",
        };
        let written = write(&sample(), producer, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(written, 2, "the archive member is on no disk");
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "%%%% HASHDEEP-1.0",
                "%%%% size,sha256,filename",
                &format!("1000,{},/leak/名单/人口登记表.xlsx", "65".repeat(32)),
                &format!("2000,{},/leak/files.zip", "66".repeat(32)),
            ]
        );
    }
}
