//! Digital Forensics XML (DFXML 1.x): a `fileobject` per path with its size and hashes.
//! Members of archives carry the archive's path in their own (`files.zip!/a.txt`) and the
//! archive's BLAKE3 as a `parent_object`.

use std::io::Write;

use quick_xml::escape::escape;

use super::{CustodyEntry, Producer};

const NAMESPACE: &str = "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML";

pub(super) fn write(
    entries: &[CustodyEntry],
    producer: Producer<'_>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<dfxml xmlns="{NAMESPACE}" xmlns:dc="http://purl.org/dc/elements/1.1/" version="1.1.1">"#
    )?;
    writeln!(out, "  <metadata><dc:type>Hash List</dc:type></metadata>")?;
    writeln!(out, "  <creator>")?;
    writeln!(out, "    <program>trove</program>")?;
    writeln!(out, "    <version>{}</version>", escape(producer.version))?;
    writeln!(
        out,
        "    <execution_environment><command_line>{}</command_line></execution_environment>",
        escape(producer.command)
    )?;
    writeln!(out, "  </creator>")?;
    writeln!(
        out,
        "  <source><store_digest>{}</store_digest></source>",
        escape(producer.store_digest)
    )?;
    for entry in entries {
        writeln!(out, "  <fileobject>")?;
        let name = if entry.on_disk() {
            entry.disk_path()
        } else {
            format!("{}/{}", entry.root.trim_end_matches('/'), entry.path)
        };
        writeln!(out, "    <filename>{}</filename>", escape(xml_safe(&name)))?;
        writeln!(out, "    <filesize>{}</filesize>", entry.size)?;
        if let Some(parent) = &entry.parent {
            writeln!(
                out,
                r#"    <parent_object><hashdigest type="blake3">{}</hashdigest></parent_object>"#,
                escape(parent.as_str())
            )?;
        }
        writeln!(
            out,
            r#"    <hashdigest type="sha256">{}</hashdigest>"#,
            entry.sha256
        )?;
        writeln!(
            out,
            r#"    <hashdigest type="blake3">{}</hashdigest>"#,
            entry.blake3
        )?;
        writeln!(out, "  </fileobject>")?;
    }
    writeln!(out, "</dfxml>")?;
    Ok(entries.len())
}

/// XML 1.0 cannot hold most control characters, even escaped; a leaked file name can.
/// They are written as U+FFFD (the hashes still identify the file).
fn xml_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::sample;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    #[test]
    fn the_manifest_is_well_formed_with_one_object_per_path() {
        let mut entries = sample();
        entries[0].path = "bad\u{1}name.txt".to_owned();
        let mut out = Vec::new();
        let producer = Producer {
            version: "0.1.0",
            command: "trove custody export --format dfxml",
            store_digest: "ab",
        };
        write(&entries, producer, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut reader = Reader::from_str(&text);
        let (mut objects, mut names) = (0, Vec::new());
        let mut in_name = false;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) if e.name().as_ref() == "fileobject" => objects += 1,
                Event::Start(e) => in_name = e.name().as_ref() == "filename",
                Event::Text(t) if in_name => names.push(t.xml10_content().into_owned()),
                Event::End(_) => in_name = false,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(objects, 3);
        assert_eq!(names[0], "/leak/bad\u{FFFD}name.txt");
        assert!(text.contains("files.zip!/a,b &amp; &lt;c&gt;.txt"));
    }
}
