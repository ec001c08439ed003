//! The manifest as CSV: every path, members of archives included.

use std::io::Write;

use super::CustodyEntry;

const HEADER: [&str; 7] = [
    "path",
    "root",
    "parent_blake3",
    "size",
    "sha256",
    "blake3",
    "first_seen",
];

pub(super) fn write(entries: &[CustodyEntry], out: &mut dyn Write) -> std::io::Result<usize> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADER)?;
    for entry in entries {
        let size = entry.size.to_string();
        csv.write_record([
            entry.path.as_str(),
            entry.root.as_str(),
            entry.parent.as_deref().unwrap_or_default(),
            size.as_str(),
            entry.sha256.as_str(),
            entry.blake3.as_str(),
            entry.first_seen.as_str(),
        ])?;
    }
    csv.flush()?;
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::sample;

    #[test]
    fn every_path_is_a_row_and_odd_names_are_quoted() {
        let mut out = Vec::new();
        assert_eq!(write(&sample(), &mut out).unwrap(), 3);
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[2][0], "files.zip!/a,b & <c>.txt");
        assert_eq!(&rows[2][2], "02".repeat(32));
        assert_eq!(&rows[0][3], "1000");
    }
}
